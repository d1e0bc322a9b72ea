//! Test support shared by the crates' property tests.
//!
//! - [`arb_report`]: a proptest strategy for random reports whose tables satisfy every rule
//!   (each table's layout chosen at random, so hybrids occur), with consistent prose;
//! - [`print`]: lays a report out as text in one of the [`Style`]s real reports come in — one cell per
//!   line, `|`-separated, Markdown, converter mini-tables with generic headers, and crawler text with
//!   every row's digits glued together — with random cosmetic variation ([`Cosmetics`]);
//! - [`lang`]: assertions that a message is in one language only;
//! - `postgres` (feature `postgres`): the test PostgreSQL cluster and a new database per test.

pub mod lang;
#[cfg(feature = "postgres")]
pub mod postgres;
mod print;
mod report;

pub use print::{Cosmetics, Style, print};
pub use report::{arb_report, consistent_report};
