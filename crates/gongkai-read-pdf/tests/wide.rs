//! Wide Table 3s exported by office suites (`tests/fixtures/wide/make_wide.py`): a table that fits
//! the page reads exactly; a table cut off at the page's right edge reads its visible cells
//! exactly and `?` for the columns off the page, with the reader's `READ-CLIPPED` note and the
//! recognizer's `READ-COLUMNS-MISSING` finding — never a value shifted from another column, never
//! a cell's number split across cells.

use std::path::Path;

use gongkai_model::tsv::parse_tsv;
use gongkai_model::{Report, Value};

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wide")
}

fn read(name: &str) -> (Report, Vec<&'static str>) {
    let bytes = std::fs::read(dir().join(name)).expect("fixture");
    let doc =
        gongkai_read_pdf::read(name, &bytes, &gongkai_doc::Limits::default()).expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    (parsed.report, parsed.findings.iter().map(|f| f.rule).collect())
}

/// Compares Table 3 with the printed table; columns from `first_clipped` on must be `?`.
fn check(name: &str, first_clipped: Option<&str>) -> Vec<&'static str> {
    let expected = parse_tsv(&std::fs::read_to_string(dir().join("wide.tsv")).expect("wide.tsv"))
        .expect("tsv");
    let (report, findings) = read(name);
    let order = [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    ];
    let clipped_from =
        first_clipped.and_then(|c| order.iter().position(|o| *o == c)).unwrap_or(order.len());
    let mut diff = Vec::new();
    for (k, v) in &expected.cells {
        let col =
            order.iter().position(|o| k.to_string().ends_with(&format!(".{o}"))).expect("column");
        let want = if col >= clipped_from { Value::Unknown } else { v.clone() };
        let got = report.value(*k).cloned();
        if got.as_ref() != Some(&want) {
            diff.push(format!(
                "{k}: expected `{}`, got `{}`",
                want.tsv(),
                got.map_or("-".into(), |g| g.tsv())
            ));
        }
    }
    assert_eq!(diff, Vec::<String>::new(), "{name}: {findings:?}");
    assert!(!findings.contains(&"READ-SPLIT"), "{name}: {findings:?}");
    findings
}

#[test]
fn wide_tables_that_fit_the_page_read_exactly() {
    for name in ["lo_fit.pdf", "rl_word_fit.pdf"] {
        let findings = check(name, None);
        assert!(!findings.contains(&"READ-CLIPPED"), "{name}: {findings:?}");
        assert!(!findings.contains(&"READ-COLUMNS-MISSING"), "{name}: {findings:?}");
    }
}

#[test]
fn tables_cut_off_at_the_page_edge_read_unknown_for_the_missing_columns() {
    for (name, first_clipped) in [
        ("lo_clipped.pdf", "other_org"),
        ("rl_word_clipped.pdf", "other_org"),
        ("rl_wps_cropped.pdf", "total"),
    ] {
        let findings = check(name, Some(first_clipped));
        assert!(findings.contains(&"READ-CLIPPED"), "{name}: {findings:?}");
        assert!(findings.contains(&"READ-COLUMNS-MISSING"), "{name}: {findings:?}");
    }
}
