//! End to end: the filled official template, read by this reader and recognised by
//! `gongkai-parse`, gives back exactly the cells written into it (distinct values, so a misplaced
//! cell shows) — for Word's file and for LibreOffice's re-save of it.

use std::path::Path;

use gongkai_model::tsv::{parse_tsv, to_tsv};

fn cells_of(file: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let bytes = std::fs::read(dir.join(file)).expect("fixture");
    let doc =
        gongkai_read_docx::read(file, &bytes, &gongkai_doc::Limits::default()).expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    let got = parse_tsv(&to_tsv(&parsed.report)).expect("own output parses");
    got.cells.iter().map(|(k, v)| format!("{k}\t{}", v.tsv())).collect::<Vec<_>>().join("\n")
}

fn expected() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/template-filled.docx.tsv");
    let list = parse_tsv(&std::fs::read_to_string(path).expect("expected cells")).expect("parses");
    list.cells.iter().map(|(k, v)| format!("{k}\t{}", v.tsv())).collect::<Vec<_>>().join("\n")
}

#[test]
fn filled_template_reads_back_exactly() {
    assert_eq!(cells_of("template-filled.docx"), expected());
}

#[test]
fn libreoffice_copy_reads_back_exactly() {
    assert_eq!(cells_of("template-filled-lo.docx"), expected());
}
