//! Every text report of the development corpus reads to exactly its expected cell list.

use std::path::{Path, PathBuf};

use gongkai_model::tsv::{parse_tsv, to_tsv};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev")
}

/// Differences between the cells read from `raw` and its expected list, one line each.
fn diff(raw: &str) -> Vec<String> {
    let dir = corpus();
    let bytes = std::fs::read(dir.join("raw").join(raw)).expect("fixture exists");
    let doc =
        gongkai_read_text::read(raw, &bytes, &gongkai_doc::Limits::default()).expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    let got = parse_tsv(&to_tsv(&parsed.report)).expect("own output parses");
    let expected_text = std::fs::read_to_string(dir.join("expected").join(format!("{raw}.tsv")))
        .expect("expected exists");
    let expected = parse_tsv(&expected_text).expect("expected parses");
    let mut out = Vec::new();
    for (k, v) in &expected.cells {
        match got.cells.iter().find(|(gk, _)| gk == k) {
            Some((_, gv)) if gv == v => {}
            Some((_, gv)) => out.push(format!("{k}: expected `{}`, got `{}`", v.tsv(), gv.tsv())),
            None => out.push(format!("{k}: expected `{}`, missing", v.tsv())),
        }
    }
    for (k, _) in &got.cells {
        if !expected.cells.iter().any(|(ek, _)| ek == k) {
            out.push(format!("{k}: not expected"));
        }
    }
    out
}

#[test]
fn dazhanglou_seed() {
    assert_eq!(diff("dazhanglou-2022.txt"), Vec::<String>::new());
}

#[test]
fn pingtan_glued_crawler_text() {
    assert_eq!(diff("pingtan-2021.txt"), Vec::<String>::new());
}

#[test]
fn shuyang_ocr_markdown() {
    assert_eq!(diff("shuyang-2025-ocr.txt"), Vec::<String>::new());
}
