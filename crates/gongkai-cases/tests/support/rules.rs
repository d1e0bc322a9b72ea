//! The consistency rules of spec §4 (T3-BALANCE, T3-RESULTS-SUM, T3-ROW-TOTAL, T4-SUM,
//! CELL-INTEGER), checked directly on a report. Shared by the tests of `gongkai-cases` and
//! `gongkai-register` until `gongkai_rules::check` is on `main`.

use gongkai_cases::tables::outcome_rows;
use gongkai_model::{CellKey, Report, T3Col, T3Row, T4Block, T4Col, Value};
use rust_decimal::Decimal;

/// The number in `key`; panics (failing the test) when the cell is missing or not a number.
pub fn n(r: &Report, key: CellKey) -> Decimal {
    match r.value(key) {
        Some(Value::Number(d)) => *d,
        other => panic!("{key}: {other:?}"),
    }
}

/// Every rule violated, by rule id and cell; empty when the report is consistent.
pub fn check_rules(r: &Report) -> Vec<String> {
    let mut errors = Vec::new();
    for cell in r.cells() {
        if let Value::Number(d) = &cell.value {
            if d.is_sign_negative()
                || (cell.key.table() != gongkai_model::TableId::T2 && !d.fract().is_zero())
            {
                errors.push(format!("CELL-INTEGER {}", cell.key));
            }
        } else {
            errors.push(format!("CELL-INTEGER {} not a number", cell.key));
        }
    }
    for &c in T3Col::ALL {
        let v = |row| n(r, CellKey::t3(row, c));
        if v(T3Row::NewReceived) + v(T3Row::CarriedOver)
            != v(T3Row::TotalProcessed) + v(T3Row::CarriedForward)
        {
            errors.push(format!("T3-BALANCE {c}"));
        }
        let sum: Decimal = outcome_rows().map(v).sum();
        if sum != v(T3Row::TotalProcessed) {
            errors.push(format!("T3-RESULTS-SUM {c}"));
        }
    }
    for &row in T3Row::ALL.iter().filter(|r| **r != T3Row::OtherMerged) {
        let sum: Decimal = T3Col::APPLICANTS.iter().map(|&c| n(r, CellKey::t3(row, c))).sum();
        if sum != n(r, CellKey::t3(row, T3Col::Total)) {
            errors.push(format!("T3-ROW-TOTAL {row}"));
        }
    }
    for &b in T4Block::ALL {
        let sum: Decimal = T4Col::PARTS.iter().map(|&c| n(r, CellKey::t4(b, c))).sum();
        if sum != n(r, CellKey::t4(b, T4Col::Total)) {
            errors.push(format!("T4-SUM {b}"));
        }
    }
    errors
}
