//! Property: corrupting one cell of a consistent report (printed, then read back) makes exactly the
//! rules that involve that cell fire, and each names the cell; and an intact report draws no error.

use std::collections::BTreeSet;

use gongkai_doc::Limits;
use gongkai_model::catalogue::t3_outcome_rows;
use gongkai_model::{CellKey, ColId, Report, RowId, Severity, T3Col, T3Row, T4Col, TableId, Value};
use gongkai_testkit::{Cosmetics, Style, arb_report, print};
use proptest::prelude::*;

fn read_back(report: &Report, style: Style) -> Report {
    let text = print(report, style, Cosmetics::default());
    let doc =
        gongkai_read_text::read("t.txt", text.as_bytes(), &Limits::default()).expect("readable");
    gongkai_parse::parse(&doc).report
}

/// The error rules a changed cell must trigger.
fn expected_rules(report: &Report, key: CellKey) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    match (key.row, key.col) {
        (RowId::T3(row), ColId::T3(_)) => {
            out.insert("T3-ROW-TOTAL");
            let layout = report
                .t3
                .as_ref()
                .map(gongkai_model::Table::layout)
                .unwrap_or(gongkai_model::Layout::Format2021);
            if row == T3Row::TotalProcessed || t3_outcome_rows(layout).any(|r| r == row) {
                out.insert("T3-RESULTS-SUM");
            }
            if matches!(
                row,
                T3Row::NewReceived
                    | T3Row::CarriedOver
                    | T3Row::TotalProcessed
                    | T3Row::CarriedForward
            ) {
                out.insert("T3-BALANCE");
            }
        }
        (RowId::T4(_), ColId::T4(_)) => {
            out.insert("T4-SUM");
        }
        _ => {}
    }
    out
}

fn corruptible(report: &Report) -> Vec<CellKey> {
    [TableId::T3, TableId::T4]
        .iter()
        .filter_map(|t| report.table(*t))
        .flat_map(|t| t.cells().iter().map(|c| c.key))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn intact_reports_draw_no_error(report in arb_report(), style in proptest::sample::select(vec![Style::CellPerLine, Style::Pipe, Style::Markdown, Style::MarkdownMini])) {
        let got = read_back(&report, style);
        let errors: Vec<_> = gongkai_rules::check(&got).into_iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_corrupted_cell_fires_the_right_rules_on_it(
        report in arb_report(),
        pick in any::<prop::sample::Index>(),
        delta in 1i64..50,
        style in proptest::sample::select(vec![Style::CellPerLine, Style::Pipe, Style::Markdown, Style::MarkdownMini]),
    ) {
        let keys = corruptible(&report);
        let key = keys[pick.index(keys.len())];
        let mut bad = report.clone();
        let old = bad.number(key).unwrap_or_default();
        let table = bad.table_mut(key.table()).as_mut().expect("table");
        table.set(key, Value::Number(old + gongkai_model::Decimal::from(delta)));
        let got = read_back(&bad, style);
        prop_assert_eq!(got.number(key), Some(old + gongkai_model::Decimal::from(delta)), "the corrupted value reads back as printed");
        let findings: Vec<_> = gongkai_rules::check(&got).into_iter().filter(|f| f.severity == Severity::Error).collect();
        let fired: BTreeSet<&'static str> = findings.iter().map(|f| f.rule).collect();
        prop_assert_eq!(&fired, &expected_rules(&bad, key), "{} +{}: {:?}", key, delta, findings);
        for f in &findings {
            prop_assert!(f.cells.contains(&key), "{} does not name {}: {:?}", f.rule, key, f.cells);
        }
        // The row-total finding is the cell's own row, and its printed/implied values are right.
        if let (RowId::T3(_), ColId::T3(c)) = (key.row, key.col) {
            let f = findings.iter().find(|f| f.rule == "T3-ROW-TOTAL").expect("row total fires");
            let total_key = CellKey { row: key.row, col: ColId::T3(T3Col::Total) };
            prop_assert_eq!(f.cells[0], total_key);
            let printed = got.number(total_key);
            prop_assert_eq!(f.printed, printed);
            let _ = c;
        }
        if let (RowId::T4(b), ColId::T4(_)) = (key.row, key.col) {
            let f = findings.iter().find(|f| f.rule == "T4-SUM").expect("block sum fires");
            prop_assert_eq!(f.cells[0], CellKey::t4(b, T4Col::Total));
        }
    }

    #[test]
    fn a_changed_table_3_cell_is_blamed_where_its_row_and_column_cross(
        report in arb_report(),
        pick in any::<prop::sample::Index>(),
        delta in prop_oneof![1i64..50, -50i64..0],
        style in proptest::sample::select(vec![Style::CellPerLine, Style::Pipe, Style::Markdown, Style::MarkdownMini]),
    ) {
        let keys: Vec<CellKey> = report.t3.as_ref().map(|t| t.cells().iter().map(|c| c.key).collect()).unwrap_or_default();
        let key = keys[pick.index(keys.len())];
        let old = report.number(key).unwrap_or_default();
        let new = old + gongkai_model::Decimal::from(delta);
        prop_assume!(new >= gongkai_model::Decimal::ZERO);
        let mut bad = report.clone();
        bad.t3.as_mut().expect("table 3").set(key, Value::Number(new));
        let got = read_back(&bad, style);
        let findings = gongkai_rules::check(&got);
        let blamed: Vec<_> = findings.iter().filter(|f| f.rule == "T3-CELL").collect();
        prop_assert_eq!(blamed.len(), 1, "{} {:+}: {:?}", key, delta, findings);
        prop_assert_eq!(blamed[0].cells[0], key);
        prop_assert_eq!(blamed[0].printed, Some(new));
        prop_assert_eq!(blamed[0].implied, Some(old), "the original value is the implied one");
    }
}
