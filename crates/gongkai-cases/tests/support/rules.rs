//! The rule catalogue applied to reports computed from records: a report built from a register
//! must draw no error-severity finding from `gongkai_rules`, alone or paired with the year before.
//! Shared by the tests of `gongkai-cases` and `gongkai-register`.
#![allow(dead_code, reason = "shared by several test crates; each uses a part")]

use gongkai_model::{CellKey, Report, Severity, Value};
use rust_decimal::Decimal;

/// The number in `key`; panics (failing the test) when the cell is missing or not a number.
pub fn n(r: &Report, key: CellKey) -> Decimal {
    match r.value(key) {
        Some(Value::Number(d)) => *d,
        other => panic!("{key}: {other:?}"),
    }
}

/// Every finding of `gongkai_rules::check`, as `severity rule: message` lines.
pub fn findings(r: &Report) -> Vec<String> {
    gongkai_rules::check(r)
        .iter()
        .map(|f| format!("{} {}: {}", f.severity.key(), f.rule, f.message.zh))
        .collect()
}

/// The error-severity findings of the report alone and, when given, paired with the year before.
pub fn check_rules(r: &Report, previous: Option<&Report>) -> Vec<String> {
    let mut all = gongkai_rules::check(r);
    if let Some(p) = previous {
        all.extend(gongkai_rules::check_pair(p, r));
    }
    all.iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.rule, f.message.zh))
        .collect()
}
