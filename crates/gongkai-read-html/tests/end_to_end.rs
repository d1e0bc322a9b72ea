//! End to end: the development corpus page, read by this reader and recognised by
//! `gongkai-parse`, gives exactly its expected cell list.

use std::path::Path;

use gongkai_model::tsv::{parse_tsv, to_tsv};

#[test]
fn pingtan_page_reads_to_its_expected_cells() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev");
    let bytes = std::fs::read(dir.join("raw/pingtan-2021.html")).expect("corpus page");
    let doc = gongkai_read_html::read("pingtan-2021.html", &bytes, &gongkai_doc::Limits::default())
        .expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    let got = parse_tsv(&to_tsv(&parsed.report)).expect("own output parses");
    let expected_text = std::fs::read_to_string(dir.join("expected/pingtan-2021.html.tsv"))
        .expect("expected cells");
    let expected = parse_tsv(&expected_text).expect("expected parses");
    let lines = |cells: &[(gongkai_model::CellKey, gongkai_model::Value)]| {
        cells.iter().map(|(k, v)| format!("{k}\t{}", v.tsv())).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(lines(&got.cells), lines(&expected.cells));
}
