//! End to end: the development corpus PDF, read by this crate and recognised by
//! `gongkai-parse`, gives exactly its expected cell list.

use std::path::Path;

use gongkai_model::tsv::{parse_tsv, to_tsv};

#[test]
fn hongze_extracts_to_its_expected_cells() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev");
    let raw = "hongze-2024.pdf";
    let bytes = std::fs::read(dir.join("raw").join(raw)).expect("corpus file");
    let doc =
        gongkai_read_pdf::read(raw, &bytes, &gongkai_doc::Limits::default()).expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    let got = parse_tsv(&to_tsv(&parsed.report)).expect("own output parses");
    let expected = parse_tsv(
        &std::fs::read_to_string(dir.join("expected").join(format!("{raw}.tsv")))
            .expect("expected"),
    )
    .expect("expected parses");
    let mut diff = Vec::new();
    for (k, v) in &expected.cells {
        match got.cells.iter().find(|(gk, _)| gk == k) {
            Some((_, gv)) if gv == v => {}
            Some((_, gv)) => diff.push(format!("{k}: expected `{}`, got `{}`", v.tsv(), gv.tsv())),
            None => diff.push(format!("{k}: expected `{}`, missing", v.tsv())),
        }
    }
    for (k, _) in &got.cells {
        if !expected.cells.iter().any(|(ek, _)| ek == k) {
            diff.push(format!("{k}: not expected"));
        }
    }
    assert_eq!(diff, Vec::<String>::new());
}
