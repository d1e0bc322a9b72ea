//! Data-driven tests: every fixture (and the development corpus PDF) is read and its document
//! dump, notes and origins are snapshotted; unreadable files give their error.

use gongkai_model::Localized;
use std::path::{Path, PathBuf};

use gongkai_doc::{Block, Document, Limits, Origin, dump};
use gongkai_model::Lang;
use gongkai_read_pdf::{Error, read};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A file of the development corpus committed in the repository.
fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw").join(name)
}

fn read_path(path: &Path) -> Result<Document, Error> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read(&path.display().to_string(), &bytes, &Limits::default())
}

/// The dump, then the notes (`rule severity: zh / en`).
fn report(doc: &Document) -> String {
    let mut s = dump(doc);
    for (k, v) in &doc.properties {
        if k != "creationdate" && k != "moddate" {
            s.push_str(&format!("PROPERTY {k}: {v}\n"));
        }
    }
    for n in &doc.notes {
        s.push_str(&format!(
            "NOTE {} {}: {} / {}\n",
            n.rule,
            n.severity.key(),
            n.message.zh,
            n.message.en
        ));
    }
    s
}

fn check(name: &str) -> Document {
    let doc = read_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_origins(&doc);
    insta::assert_snapshot!(name, report(&doc));
    doc
}

/// Every block starts with a PDF origin naming a page and a box on it.
fn assert_origins(doc: &Document) {
    for b in &doc.blocks {
        let starts: Vec<u32> = match b {
            Block::Para(p) => vec![p.span.start],
            Block::Grid(g) => g.rows.iter().flatten().map(|c| c.span.start).collect(),
        };
        for s in starts {
            match doc.origin_at(s) {
                Some(Origin::Pdf { page, bbox: Some(bx) }) => {
                    assert!(*page >= 1);
                    assert!(bx[0] <= bx[2] && bx[1] <= bx[3], "{bx:?}");
                }
                other => panic!("no PDF origin with a box at {s}: {other:?}"),
            }
        }
    }
}

#[test]
fn hongze_wps_export() {
    let path = corpus("hongze-2024.pdf");
    let doc = read_path(&path).expect("hongze reads");
    assert_origins(&doc);
    insta::assert_snapshot!("hongze-2024.pdf", report(&doc));
    // The vertical group label is the whole text of its merged cell, never mixed with numbers.
    let label = doc
        .blocks
        .iter()
        .filter_map(|b| if let Block::Grid(g) = b { Some(g) } else { None })
        .flat_map(|g| g.rows.iter().flatten())
        .find(|c| doc.slice(c.span).contains("本年度办理结果"))
        .expect("label cell");
    assert_eq!(doc.slice(label.span), "三、本年度办理结果");
    assert!(label.row_span > 10);
    // Page numbers are gone.
    assert!(!doc.text.contains("-3-"));
    assert_eq!(
        doc.properties.iter().find(|(k, _)| k == "title").map(|(_, v)| v.as_str()),
        Some("政府信息公开工作年度报告")
    );
}

#[test]
fn libreoffice_merged_cells_vertical_label_and_page_break() {
    let doc = check("lo_merged.pdf");
    // The table crosses the page break and is one grid; the footer "— 1 —" is dropped.
    let grids: Vec<_> = doc.blocks.iter().filter(|b| matches!(b, Block::Grid(_))).collect();
    assert_eq!(grids.len(), 1);
    assert!(!doc.text.contains("— 1 —") && !doc.text.contains("—1—"));
}

#[test]
fn reportlab_stsong_ucs2_without_tounicode() {
    let doc = check("rl_stsong.pdf");
    assert!(doc.text.contains("行政规范性文件"));
    assert!(doc.text.contains("１２"), "full-width digits kept as printed");
}

#[test]
fn hand_written_gbk_euc_simsun() {
    let doc = check("gbk_simsun.pdf");
    assert!(doc.text.contains("共收到申请１２件。"));
}

#[test]
fn table_without_borders_from_alignment() {
    check("rl_unruled.pdf");
}

#[test]
fn owner_password_only_is_read() {
    for name in ["owner_encrypted.pdf", "owner_encrypted_aes256.pdf"] {
        let doc = check(name);
        assert!(doc.notes.iter().any(|n| n.rule == "READ-DECRYPTED"), "{name}");
    }
}

#[test]
fn scanned_page_is_reported() {
    let doc = check("mixed_scanned.pdf");
    let scanned: Vec<_> = doc.notes.iter().filter(|n| n.rule == "READ-SCANNED").collect();
    assert_eq!(scanned.len(), 1);
    assert!(scanned[0].message.zh.contains("第2页"));
}

#[test]
fn broken_xref_is_repaired() {
    let doc = check("broken_xref.pdf");
    assert!(doc.notes.iter().any(|n| n.rule == "READ-REPAIRED"));
}

#[test]
fn unreadable_files_give_clear_errors() {
    let errors: Vec<Error> = [
        read_path(&fixture("user_password.pdf")),
        read_path(&fixture("truncated.pdf")),
        read("garbage", b"this is not a pdf at all", &Limits::default()),
        read("empty", b"", &Limits::default()),
        read("header only", b"%PDF-1.7\n", &Limits::default()),
    ]
    .into_iter()
    .map(|r| r.expect_err("unreadable"))
    .collect();
    let lines = |f: &dyn Fn(&Error) -> String| errors.iter().map(f).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(
        lines(&|e| e.to_string()),
        @r"
    PDF 文件已加密，需要打开密码 / the PDF is encrypted with a user password
    无法读取 PDF 文件（文件损坏或不是 PDF） / not a readable PDF: failed parsing cross reference table
    无法读取 PDF 文件（文件损坏或不是 PDF）：缺少 %PDF- 文件头 / not a readable PDF: no %PDF- header
    无法读取 PDF 文件（文件损坏或不是 PDF）：缺少 %PDF- 文件头 / not a readable PDF: no %PDF- header
    无法读取 PDF 文件（文件损坏或不是 PDF） / not a readable PDF: failed parsing cross reference table
    "
    );
    insta::assert_snapshot!(
        lines(&|e| e.message(Lang::Zh)),
        @r"
    PDF 文件已加密，需要打开密码
    无法读取 PDF 文件（文件损坏或不是 PDF）：failed parsing cross reference table
    无法读取 PDF 文件（文件损坏或不是 PDF）：缺少 %PDF- 文件头
    无法读取 PDF 文件（文件损坏或不是 PDF）：缺少 %PDF- 文件头
    无法读取 PDF 文件（文件损坏或不是 PDF）：failed parsing cross reference table
    "
    );
    insta::assert_snapshot!(
        lines(&|e| e.message(Lang::En)),
        @r"
    the PDF is encrypted with a user password
    not a readable PDF: failed parsing cross reference table
    not a readable PDF: no %PDF- header
    not a readable PDF: no %PDF- header
    not a readable PDF: failed parsing cross reference table
    "
    );
}

#[test]
fn limits_are_enforced() {
    let bytes = std::fs::read(corpus("hongze-2024.pdf")).expect("corpus");
    let small = Limits { max_input_bytes: 1000, ..Limits::default() };
    assert!(matches!(read("x", &bytes, &small), Err(Error::TooLarge { limit: 1000, .. })));
    let few = Limits { max_pages: 3, ..Limits::default() };
    assert!(matches!(read("x", &bytes, &few), Err(Error::TooManyPages { pages: 5, limit: 3 })));
    let short = Limits { max_text_bytes: 100, ..Limits::default() };
    assert!(matches!(read("x", &bytes, &short), Err(Error::TextTooLarge { limit: 100 })));
}
