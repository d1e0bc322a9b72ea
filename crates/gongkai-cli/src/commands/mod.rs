//! One module per subcommand.

pub(crate) mod calendar;
pub(crate) mod fee;
pub(crate) mod register;
pub(crate) mod setup;
pub(crate) mod version;
