//! Cell values (spec §4): a number, blank, not applicable, or undetermined.

use std::fmt;

use rust_decimal::Decimal;

use crate::keys::CellKey;
use crate::span::Span;

/// What a cell holds.
///
/// The three non-numeric states are kept apart on purpose: a blank is not a zero, a `/` is not a
/// blank, and `Unknown` means the *reader* could not determine what was printed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// A number as printed. The scale is kept (`7730.280` stays `7730.280`).
    Number(Decimal),
    /// Printed empty.
    Blank,
    /// Printed as a not-applicable mark (`/`, `-`, `—`, `无`); the mark is kept.
    NotApplicable(String),
    /// The reader could not determine the printed value (`?` in the cell list).
    Unknown,
}

impl Value {
    /// A number value from an integer.
    pub fn int(n: i64) -> Self {
        Value::Number(Decimal::from(n))
    }

    /// The number, if the cell holds one.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            _ => None,
        }
    }

    /// The value as it appears in the `tsv` cell list (spec §5).
    pub fn tsv(&self) -> String {
        match self {
            Value::Number(d) => d.to_string(),
            Value::Blank => String::new(),
            Value::NotApplicable(_) => "/".to_owned(),
            Value::Unknown => "?".to_owned(),
        }
    }

    /// Parses a `tsv` value: a number, empty, `/` (or another not-applicable mark), or `?`.
    pub fn from_tsv(s: &str) -> Option<Self> {
        let s = s.trim();
        match s {
            "" => Some(Value::Blank),
            "?" => Some(Value::Unknown),
            "/" | "-" | "—" | "－" | "无" => Some(Value::NotApplicable(s.to_owned())),
            _ => s.parse::<Decimal>().ok().map(Value::Number),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => write!(f, "{d}"),
            Value::Blank => f.write_str("（空白）"),
            Value::NotApplicable(m) => f.write_str(m),
            Value::Unknown => f.write_str("?"),
        }
    }
}

/// One cell of a table: its value, any annotation printed with it, and where it was printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The cell's canonical key.
    pub key: CellKey,
    /// The value.
    pub value: Value,
    /// Text printed with the value, e.g. `其中修订16件` for `22（其中修订16件）`.
    pub annotation: Option<String>,
    /// Where the value was printed (for a split digit run, the digits of this cell).
    pub span: Option<Span>,
    /// For an `Unknown` cell that came from an ambiguous reading: the values it could have.
    pub alternatives: Vec<Decimal>,
}

impl Cell {
    /// A cell with a value and nothing else.
    pub fn new(key: CellKey, value: Value) -> Self {
        Cell { key, value, annotation: None, span: None, alternatives: Vec::new() }
    }
}
