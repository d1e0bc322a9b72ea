//! The typed model of a 政府信息公开工作年度报告 (government information disclosure annual report).
//!
//! - [`catalogue`]: the table layouts (2021 and trial) with every row and column label as printed;
//! - [`keys`]: canonical cell keys (`t3.granted.natural_person`);
//! - [`value`]: cell values (number, blank, not applicable, undetermined);
//! - [`identities`]: the tables' own linear identities (勾稽关系), stated once;
//! - [`report`]: the report — metadata, six sections, three tables;
//! - [`finding`]: findings of readers and rules;
//! - [`tsv`] and [`json`]: the stable external forms;
//! - [`localized`]: errors said in the user's language.
//!
//! This crate is pure: no I/O, no clock.

pub mod catalogue;
pub mod file_name;
pub mod finding;
pub mod identities;
pub mod json;
pub mod keys;
pub mod localized;
pub mod report;
pub mod span;
pub mod tsv;
pub mod value;

pub use catalogue::{ColumnSpec, Layout, RowSpec, TableLayout, ValueKind};
pub use finding::{Finding, FindingKind, Label, Lang, Msg, Severity};
pub use keys::{CellKey, ColId, RowId, T2Col, T2Row, T3Col, T3Row, T4Block, T4Col, TableId};
pub use localized::Localized;
pub use report::{Contact, Metadata, Report, Section, SectionId, Table};
pub use rust_decimal::Decimal;
pub use span::{Span, Spanned};
pub use value::{Cell, MAX_OPERAND, Value};
