//! Property: any digit string in any cell — up to `Decimal`'s 28 digits, signed, with a decimal
//! point — never makes a rule panic (all arithmetic on printed values is checked), and a value too
//! large to compute with is a `CELL-INTEGER` error naming the cell.

use gongkai_model::{CellKey, Decimal, Report, TableId, Value};
use gongkai_testkit::arb_report;
use proptest::prelude::*;

fn keys(report: &Report) -> Vec<CellKey> {
    [TableId::T2, TableId::T3, TableId::T4]
        .iter()
        .filter_map(|t| report.table(*t))
        .flat_map(|t| t.cells().iter().map(|c| c.key))
        .collect()
}

fn set(report: &mut Report, key: CellKey, value: Value) {
    let table = match key.row.table() {
        TableId::T2 => report.t2.as_mut(),
        TableId::T3 => report.t3.as_mut(),
        TableId::T4 => report.t4.as_mut(),
    };
    if let Some(t) = table {
        t.set(key, value);
    }
}

/// A printed number: 1–28 digits, maybe negative, maybe with a decimal point.
fn arb_number() -> impl Strategy<Value = Decimal> {
    ("-?[0-9]{1,28}", proptest::option::of(0u32..6)).prop_filter_map("parses", |(s, point)| {
        let mut d: Decimal = s.parse().ok()?;
        if let Some(p) = point {
            d.set_scale(p).ok()?;
        }
        Some(d)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_number_in_any_cell_never_panics(
        report in arb_report(),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), arb_number()), 1..6),
        everywhere in proptest::option::of(arb_number()),
    ) {
        let mut r = report.clone();
        let all = keys(&r);
        if let Some(d) = everywhere {
            for &k in &all {
                set(&mut r, k, Value::Number(d));
            }
        }
        for (i, d) in &picks {
            set(&mut r, all[i.index(all.len())], Value::Number(*d));
        }
        let findings = gongkai_rules::check(&r);
        // The cross-year rules compute with two reports' values.
        let _ = gongkai_rules::check_pair(&report, &r);
        let _ = gongkai_rules::check_pair(&r, &r);
        for &k in &all {
            if r.value(k).is_some_and(Value::is_absurd) {
                prop_assert!(
                    findings.iter().any(|f| f.rule == "CELL-INTEGER" && f.cells.contains(&k)),
                    "no CELL-INTEGER for {k}"
                );
            }
        }
    }
}
