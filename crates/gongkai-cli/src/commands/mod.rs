//! One module per subcommand.

pub(crate) mod admin;
pub(crate) mod batch;
pub(crate) mod calendar;
pub(crate) mod check;
pub(crate) mod demo;
pub(crate) mod explain;
pub(crate) mod extract;
pub(crate) mod fee;
pub(crate) mod register;
pub(crate) mod render;
pub(crate) mod rules;
pub(crate) mod serve;
pub(crate) mod setup;
pub(crate) mod version;
