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

/// The largest magnitude a printed value may have and still take part in arithmetic: 10^15.
///
/// No count or amount in an annual report comes near it (a province's applications are in the
/// hundreds of thousands, fees in 万元 below 10^9), and sums and differences of thousands of
/// operands below it stay far inside `Decimal`'s range (about 7.9 × 10^28), so rules that use
/// [`Value::operand`] cannot overflow. A printed value above it is kept as printed (and reported by
/// `CELL-INTEGER`), never computed with.
pub const MAX_OPERAND: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

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

    /// The number, if the cell holds one whose magnitude is at most [`MAX_OPERAND`]: the only
    /// numbers arithmetic may use.
    pub fn operand(&self) -> Option<Decimal> {
        self.number().filter(|d| d.abs() <= MAX_OPERAND)
    }

    /// Whether the cell holds a number too large to compute with (above [`MAX_OPERAND`]).
    pub fn is_absurd(&self) -> bool {
        self.number().is_some_and(|d| d.abs() > MAX_OPERAND)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_are_bounded() {
        assert_eq!(MAX_OPERAND, Decimal::from(1_000_000_000_000_000_i64));
        let big: Decimal = "1234567890123456789012345678".parse().unwrap_or_default();
        assert_eq!(Value::Number(big).operand(), None);
        assert!(Value::Number(big).is_absurd());
        assert!(Value::Number(-big).is_absurd());
        assert_eq!(Value::int(70).operand(), Some(Decimal::from(70)));
        assert_eq!(Value::Number(MAX_OPERAND).operand(), Some(MAX_OPERAND));
        assert!(!Value::Blank.is_absurd());
    }
}
