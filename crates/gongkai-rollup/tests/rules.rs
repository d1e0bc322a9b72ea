//! The sums satisfy every table rule whenever the parts do.
//!
//! Parts are random consistent reports (`gongkai_testkit::arb_report`: both layouts, Table 2 with
//! blanks and `/`), some with cells of Tables 3 and 4 replaced by a blank, a `/`, a `?` or a
//! number too large to compute with, and some agencies without a report. Whenever no part has an
//! error or warning finding of `gongkai_rules::check`, the summary has none either — except the
//! rules about prose (the summary has no sections; REPORT-EMPTY says "no number and no text" of a
//! summary whose every cell is `?` because an agency has no report) and the fee's magnitude, a
//! plausibility bound for one agency's fee that a sum over many agencies may pass (DESIGN.md).

use gongkai_model::{CellKey, Decimal, MAX_OPERAND, Report, Severity, TableId, Value};
use gongkai_rollup::{Agency, rollup};
use proptest::prelude::*;

/// Rules the summary is not held to (see the file's documentation).
const NOT_FOR_SUMMARIES: &[&str] =
    &["REPORT-EMPTY", "SECTIONS", "TEXT-TABLE", "FEE-TEXT", "T2-FEE-MAGNITUDE"];

fn failing(report: &Report) -> Vec<String> {
    gongkai_rules::check(report)
        .into_iter()
        .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
        .map(|f| f.rule.to_string())
        .collect()
}

/// A replacement for one cell of Tables 3 and 4: which cell (an index over both) and what.
fn arb_damage() -> impl Strategy<Value = (usize, Value)> {
    (
        0usize..200,
        prop_oneof![
            Just(Value::Blank),
            Just(Value::NotApplicable("/".to_owned())),
            Just(Value::Unknown),
            Just(Value::Number(MAX_OPERAND + Decimal::ONE)),
        ],
    )
}

fn damage(report: &mut Report, (i, v): (usize, Value)) {
    let keys: Vec<CellKey> = [TableId::T3, TableId::T4]
        .into_iter()
        .filter_map(|t| report.table(t))
        .flat_map(|t| t.cells().iter().map(|c| c.key))
        .collect();
    if keys.is_empty() {
        return;
    }
    let key = keys[i % keys.len()];
    if let Some(t) = report.table_mut(key.table()).as_mut() {
        t.set(key, v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sums_satisfy_every_rule_the_parts_satisfy(
        reports in proptest::collection::vec(
            (gongkai_testkit::arb_report(), proptest::collection::vec(arb_damage(), 0..3)),
            1..6,
        ),
        missing in 0usize..2,
    ) {
        let mut parts = Vec::new();
        for (mut r, damages) in reports {
            for d in damages {
                damage(&mut r, d);
            }
            parts.push(r);
        }
        let parts_fail: Vec<String> = parts.iter().flat_map(failing).collect();
        let agencies = (0i64..).map(|id| Agency { id, name: format!("机关{id}") });
        let missing: Vec<Agency> = agencies.clone().skip(parts.len()).take(missing).collect();
        let sum = rollup("某县政务公开办", 2024, agencies.zip(&parts), missing);
        let sum_fail: Vec<String> = failing(sum.report())
            .into_iter()
            .filter(|id| !NOT_FOR_SUMMARIES.contains(&id.as_str()))
            .collect();
        if parts_fail.is_empty() {
            prop_assert!(sum_fail.is_empty(), "the parts pass, the sum fails {sum_fail:?}");
        }
        // Whatever the parts, a computed cell is the sum of the parts' numbers.
        for cell in sum.report().cells() {
            if let Value::Number(d) = cell.value {
                let parts_sum: Decimal = parts
                    .iter()
                    .filter_map(|r| r.number(cell.key))
                    .sum();
                prop_assert_eq!(d, parts_sum, "{}", cell.key);
            }
        }
    }
}
