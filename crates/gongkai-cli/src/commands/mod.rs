//! One module per subcommand.

pub(crate) mod check;
pub(crate) mod demo;
pub(crate) mod extract;
pub(crate) mod render;
pub(crate) mod rules;
pub(crate) mod version;
