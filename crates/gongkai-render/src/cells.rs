//! A report from a cell list (`tsv`, spec §5): the tables only, in the layouts the keys imply,
//! with the `#agency` and `#year` metadata. Lets the development corpus's expected cell lists (and
//! any tool that writes cell lists) be rendered in the official layout. The conversion lives with
//! the cell list in `gongkai_model::tsv`, so that every command reads a cell list alike.

pub use gongkai_model::tsv::{CellListError, report_from_cells};
