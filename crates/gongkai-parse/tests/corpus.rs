//! Every text report of the development corpus reads to exactly its expected cell list.

use std::path::{Path, PathBuf};

use gongkai_model::tsv::{parse_tsv, to_tsv};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev")
}

/// Differences between the cells read from `raw` and its expected list, one line each.
fn diff(raw: &str) -> Vec<String> {
    diff_file(&corpus().join("raw").join(raw), raw, false)
}

/// Differences between the cells read from `path` and the expected list of corpus file
/// `expected_of`; with `unknown_ok`, a `?` read for an expected value is not a difference.
fn diff_file(path: &Path, expected_of: &str, unknown_ok: bool) -> Vec<String> {
    let dir = corpus();
    let raw = path.display().to_string();
    let bytes = std::fs::read(path).expect("fixture exists");
    let doc =
        gongkai_read_text::read(&raw, &bytes, &gongkai_doc::Limits::default()).expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    let got = parse_tsv(&to_tsv(&parsed.report)).expect("own output parses");
    let expected_text =
        std::fs::read_to_string(dir.join("expected").join(format!("{expected_of}.tsv")))
            .expect("expected exists");
    let expected = parse_tsv(&expected_text).expect("expected parses");
    let mut out = Vec::new();
    for (k, v) in &expected.cells {
        match got.cells.iter().find(|(gk, _)| gk == k) {
            Some((_, gv)) if gv == v => {}
            Some((_, gongkai_model::Value::Unknown)) if unknown_ok => {}
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

fn derived(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/derived").join(name)
}

#[test]
fn pdftotext_layout_text_reads_exactly() {
    assert_eq!(
        diff_file(&derived("hongze-2024.pdftotext-layout.txt"), "hongze-2024.pdf", false),
        Vec::<String>::new()
    );
}

#[test]
fn scrambled_pdftotext_text_is_never_wrong() {
    assert_eq!(
        diff_file(&derived("hongze-2024.pdftotext-raw.txt"), "hongze-2024.pdf", true),
        Vec::<String>::new()
    );
}

#[test]
fn every_supported_encoding_reads_the_same_cells() {
    let text = std::fs::read_to_string(corpus().join("raw/dazhanglou-2022.txt")).expect("seed");
    let cells = |bytes: &[u8]| {
        let doc = gongkai_read_text::read("seed.txt", bytes, &gongkai_doc::Limits::default())
            .expect("readable");
        to_tsv(&gongkai_parse::parse(&doc).report)
    };
    let reference = cells(text.as_bytes());
    let mut variants: Vec<(&str, Vec<u8>)> = Vec::new();
    // GBK has no U+00A0: a real GBK file prints a plain space there.
    let gbk_text = text.replace('\u{a0}', " ");
    variants.push(("GBK", encoding_rs::GBK.encode(&gbk_text).0.into_owned()));
    variants.push(("GB18030", encoding_rs::GB18030.encode(&text).0.into_owned()));
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    variants.push(("UTF-8 BOM", bom8));
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    variants.push(("UTF-16LE", le));
    variants.push(("UTF-16BE", be));
    for (name, bytes) in variants {
        assert_eq!(cells(&bytes), reference, "{name}");
    }
}
