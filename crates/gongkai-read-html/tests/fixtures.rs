//! Every HTML fixture (and the development corpus page) read to a document, snapshotted as the
//! block dump, the reader's notes and the page properties.

use std::path::{Path, PathBuf};

use gongkai_doc::{Limits, dump};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The dump, notes and properties of `path`, as one reviewable text.
fn render(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("fixture exists");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("page");
    let doc = gongkai_read_html::read(name, &bytes, &Limits::default()).expect("readable");
    let mut out = dump(&doc);
    out.push_str("--- notes\n");
    for n in &doc.notes {
        out.push_str(&format!("{} [{}] {}\n", n.rule, n.severity.key(), n.message.zh));
    }
    out.push_str("--- properties\n");
    for (k, v) in &doc.properties {
        out.push_str(&format!("{k} = {v}\n"));
    }
    out
}

#[test]
fn pingtan_dev_page() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/corpus/dev/raw/pingtan-2021.html");
    insta::assert_snapshot!(render(&path));
}

#[test]
fn word_export_gbk_declared() {
    insta::assert_snapshot!(render(&fixture("word-export.html")));
}

#[test]
fn gbk_layout_tables_undeclared() {
    insta::assert_snapshot!(render(&fixture("gbk-layout-tables.html")));
}

#[test]
fn spans_and_cells() {
    insta::assert_snapshot!(render(&fixture("spans.html")));
}

#[test]
fn nav_heavy_cms_page() {
    insta::assert_snapshot!(render(&fixture("nav-heavy.html")));
}

#[test]
fn wrong_charset_declared() {
    insta::assert_snapshot!(render(&fixture("wrong-charset.html")));
}

#[test]
fn libreoffice_export_of_filled_template() {
    insta::assert_snapshot!(render(&fixture("template-filled-lo.html")));
}

#[test]
fn origins_point_at_cells() {
    let bytes = std::fs::read(fixture("spans.html")).expect("fixture exists");
    let doc = gongkai_read_html::read("spans.html", &bytes, &Limits::default()).expect("readable");
    let Some(gongkai_doc::Block::Grid(g)) =
        doc.blocks.iter().find(|b| matches!(b, gongkai_doc::Block::Grid(_)))
    else {
        panic!("a grid expected");
    };
    let cell = &g.rows[3][1];
    assert_eq!(doc.slice(cell.span), "64");
    assert_eq!(
        doc.origin_at(cell.span.start).map(|o| o.describe_en()),
        Some("body > table > tr[4] > td[2]".to_owned())
    );
}

#[test]
fn hidden_report_content_is_kept_and_hidden_chrome_dropped() {
    // A CMS that reveals the article with a script: the hidden element holds the report's table.
    let page = "<nav><a href='/'>首页</a>网站导航</nav><div class='share' style='display: none'>分享到微信</div>\
        <div style='display:none' id='art'><table><tr><td>规章</td><td>0</td></tr><tr><td>行政规范性文件</td><td>69</td></tr></table></div>";
    let doc = gongkai_read_html::read("hidden.html", page.as_bytes(), &Limits::default())
        .expect("readable");
    insta::assert_snapshot!(dump(&doc), @r"
    T 2 rows × 2 cols
      | @0 规章 | @1 0
      | @0 行政规范性文件 | @1 69
    ");
    assert!(doc.notes.iter().any(|n| n.rule == "READ-HTML-HIDDEN-KEPT"));
}
