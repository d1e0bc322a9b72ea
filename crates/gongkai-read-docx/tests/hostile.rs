//! Hostile and broken files: a clear error, never a panic, a hang or unbounded memory.

use gongkai_model::Localized;
use std::io::Write;

use gongkai_doc::Limits;
use gongkai_read_docx::{Error, read};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name))
        .expect("fixture")
}

use std::path::Path;

/// A zip with the given (name, content) entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            w.start_file(*name, opts).expect("entry");
            w.write_all(content).expect("write");
        }
        w.finish().expect("finish");
    }
    out.into_inner()
}

const DOC: &str = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>BODY</w:body></w:document>"#;

#[test]
fn encrypted_docx_is_refused_clearly() {
    let err = read("encrypted.docx", &fixture("encrypted.docx"), &Limits::default())
        .expect_err("refused");
    assert!(matches!(err, Error::Encrypted), "{err}");
    assert!(err.to_string().contains("加密") && err.to_string().contains("encrypted"));
}

#[test]
fn legacy_doc_and_non_zip_are_refused() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 512]);
    assert!(matches!(read("a.doc", &ole, &Limits::default()), Err(Error::LegacyFormat)));
    assert!(matches!(
        read("a.docx", b"<html>not a zip</html>", &Limits::default()),
        Err(Error::NotZip)
    ));
    assert!(matches!(read("a.docx", b"", &Limits::default()), Err(Error::NotZip)));
    let other = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
    assert!(matches!(read("a.docx", &other, &Limits::default()), Err(Error::NoDocument)));
}

#[test]
fn truncated_files_are_corrupt_not_panics() {
    let bytes = fixture("template-filled.docx");
    for cut in [2, 30, 100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 22, bytes.len() - 1] {
        match read("cut.docx", &bytes[..cut], &Limits::default()) {
            Err(Error::Corrupt(_) | Error::Malformed { .. } | Error::NoDocument) => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn zip_bomb_is_refused_before_inflating() {
    // 64 MiB of zeros in one run deflate to about 64 KiB: a ratio of 1000, far beyond 200.
    let body = DOC.replace(
        "BODY",
        &format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "0".repeat(64 * 1024 * 1024)),
    );
    let bomb = zip_of(&[("word/document.xml", body.as_bytes())]);
    drop(body);
    assert!(bomb.len() < 1024 * 1024, "the bomb is small: {}", bomb.len());
    match read("bomb.docx", &bomb, &Limits::default()) {
        Err(Error::ZipBomb { part }) => assert_eq!(part, "word/document.xml"),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(doc) => panic!("read {} bytes of text from a zip bomb", doc.text.len()),
    }
}

#[test]
fn total_uncompressed_size_is_bounded() {
    let body = DOC.replace("BODY", &"<w:p><w:r><w:t>政府信息公开</w:t></w:r></w:p>".repeat(2000));
    let file = zip_of(&[("word/document.xml", body.as_bytes())]);
    let limits = Limits { max_zip_uncompressed: 10_000, ..Limits::default() };
    assert!(matches!(read("big.docx", &file, &limits), Err(Error::ZipBomb { .. })));
    let limits = Limits { max_zip_entries: 0, ..Limits::default() };
    assert!(matches!(
        read("big.docx", &file, &limits),
        Err(Error::TooManyEntries { count: 1, limit: 0 })
    ));
    let limits = Limits { max_input_bytes: 10, ..Limits::default() };
    assert!(matches!(read("big.docx", &file, &limits), Err(Error::TooLarge { limit: 10 })));
    let limits = Limits { max_text_bytes: 1000, ..Limits::default() };
    assert!(matches!(read("big.docx", &file, &limits), Err(Error::TextTooLarge { limit: 1000 })));
}

/// 200,000 table cells of different numbers (11 MB of XML, 1.5 MB zipped: within the zip
/// limits): a tree of 800,000 elements. At 900,000 cells the tree took 1.4 GB before the text
/// limit refused the document; the element bound refuses it while parsing.
#[test]
fn hundreds_of_thousands_of_cells_are_refused_while_parsing() {
    let mut n: u64 = 1;
    let mut row = String::new();
    let mut rows = String::new();
    for _ in 0..667 {
        row.clear();
        for _ in 0..300 {
            n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            row.push_str(&format!("<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>", n >> 34));
        }
        rows.push_str(&format!("<w:tr>{row}</w:tr>"));
    }
    let body = format!("<w:tbl>{rows}</w:tbl>");
    let file = zip_of(&[("word/document.xml", DOC.replace("BODY", &body).as_bytes())]);
    let err = read("cells.docx", &file, &Limits::default()).expect_err("refused");
    assert!(
        matches!(err, Error::TooManyElements { limit: gongkai_read_docx::MAX_XML_ELEMENTS }),
        "{err}"
    );
    assert!(err.message(gongkai_model::Lang::Zh).contains("XML 元素过多"), "{err}");
}

#[test]
fn deeply_nested_tables_are_refused() {
    let nested = format!(
        "{}x{}",
        "<w:tbl><w:tr><w:tc>".repeat(100_000),
        "</w:tc></w:tr></w:tbl>".repeat(100_000)
    );
    let file = zip_of(&[("word/document.xml", DOC.replace("BODY", &nested).as_bytes())]);
    let err = read("deep.docx", &file, &Limits::default()).expect_err("refused");
    assert!(matches!(err, Error::TooDeep { .. }), "{err}");
}

#[test]
fn nested_tables_within_bounds_are_flattened_into_the_cell() {
    let cell = |inner: &str| format!("<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>");
    let mut inner = "<w:p><w:r><w:t>深处</w:t></w:r></w:p>".to_owned();
    for _ in 0..40 {
        inner = cell(&inner);
    }
    let file = zip_of(&[("word/document.xml", DOC.replace("BODY", &inner).as_bytes())]);
    let doc = read("nested.docx", &file, &Limits::default()).expect("bounded");
    assert_eq!(gongkai_doc::dump(&doc), "T 1 rows × 1 cols\n  | @0 深处\n");
    assert!(doc.notes.iter().any(|n| n.rule == "READ-DOCX-NESTED-TABLE"));
}

#[test]
fn malformed_xml_is_corrupt() {
    let file = zip_of(&[("word/document.xml", b"<w:document xmlns:w=\"x\"><w:body><w:p>")]);
    let err = read("bad.docx", &file, &Limits::default()).expect_err("refused");
    assert!(matches!(err, Error::Malformed { .. }), "{err:?}");
    // The reader's own complaint, in the language asked for.
    let zh = err.message(gongkai_model::Lang::Zh);
    let en = err.message(gongkai_model::Lang::En);
    assert_eq!(zh, "文件已损坏：word/document.xml @37：部件意外结束（可能被截断）");
    assert_eq!(
        en,
        "the file is damaged: word/document.xml @37: unexpected end of part (truncated?)"
    );
    assert_eq!(err.to_string(), format!("{zh} / {en}"));
}

proptest::proptest! {
    #[test]
    fn mangled_files_never_panic(flips in proptest::collection::vec((0usize..20_000, proptest::num::u8::ANY), 1..8)) {
        let mut bytes = fixture("merged-cells.docx");
        for (at, b) in flips {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        let _ = read("m.docx", &bytes, &Limits::default());
    }
}
