//! Reader residue never reaches the report's text: a CMS text export with its crawler chrome, and
//! converter text with ruled-table borders, read to exactly the cells of the clean report, while
//! the sections and the preamble hold none of the residue and every piece is a `READ-RESIDUE`
//! note with its position. Fixtures: `tests/residue/make.py`.

use std::path::{Path, PathBuf};

use gongkai_model::tsv::{parse_tsv, to_tsv};
use gongkai_parse::Parsed;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/residue")
}

fn read(path: &Path) -> (gongkai_doc::Document, Parsed) {
    let bytes = std::fs::read(path).expect("fixture exists");
    let doc = gongkai_read_text::read(&path.display().to_string(), &bytes, &Default::default())
        .expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    (doc, parsed)
}

/// The report's text as a publisher would print it: preamble and every section.
fn all_text(p: &Parsed) -> String {
    let mut t = p.report.preamble.clone().unwrap_or_default();
    for s in &p.report.sections {
        t.push('\n');
        t.push_str(&s.text);
    }
    t
}

/// The cells read, as `(key, value)` pairs of the cell list.
fn cells(p: &Parsed) -> Vec<(gongkai_model::CellKey, gongkai_model::Value)> {
    parse_tsv(&to_tsv(&p.report)).expect("own output parses").cells
}

fn clean() -> Parsed {
    read(&dir().join("../../../../fixtures/corpus/dev/raw/dazhanglou-2022.txt")).1
}

/// The expected cells of the clean report (`fixtures/corpus/dev/expected`).
fn expected() -> Vec<(gongkai_model::CellKey, gongkai_model::Value)> {
    let p = dir().join("../../../../fixtures/corpus/dev/expected/dazhanglou-2022.txt.tsv");
    parse_tsv(&std::fs::read_to_string(p).expect("expected")).expect("parses").cells
}

fn assert_free_of(text: &str, residue: &[&str]) {
    for r in residue {
        assert!(!text.contains(r), "`{r}` reached the report's text:\n{text}");
    }
}

#[test]
fn a_cms_export_reads_as_the_report_without_its_chrome() {
    let (doc, p) = read(&dir().join("cms-export.txt"));
    assert_eq!(cells(&p), expected(), "the cells read exactly");
    assert_eq!(cells(&p), cells(&clean()));
    let text = all_text(&p);
    assert_free_of(
        &text,
        &[
            "发布时间",
            "原文链接",
            "本地目录",
            "links.tsv",
            "====",
            "当前位置",
            "首页 >",
            "浏览次数",
            "打印本页",
            "关闭窗口",
            "附件下载",
            "扫一扫",
            "-1-",
            "— 2 —",
            "第3页 共3页",
        ],
    );
    // The report's own words are all there: the clean report's text, line for line.
    assert_eq!(text, all_text(&clean()));
    // Every piece is a note with its position.
    let notes: Vec<_> = p.findings.iter().filter(|f| f.rule == "READ-RESIDUE").collect();
    assert_eq!(notes.len(), 2, "crawler chrome and page numbers: {notes:?}");
    let shown: Vec<&str> =
        notes.iter().flat_map(|f| &f.labels).map(|l| doc.slice(l.span)).collect();
    for piece in ["发布时间: 2023-01-18 09:12", "附件下载", "-1-", "第3页 共3页"] {
        assert!(shown.contains(&piece), "{piece} not pointed at: {shown:?}");
    }
    // The metadata the header carries is still read.
    assert_eq!(p.report.meta.published.as_ref().map(|d| d.value.as_str()), Some("2023-01-18"));
}

#[test]
fn ruled_table_borders_stay_out_of_the_text() {
    let (_, p) = read(&dir().join("bordered.txt"));
    assert_eq!(cells(&p), expected(), "the cells read exactly");
    let text = all_text(&p);
    assert_free_of(&text, &["|", "+---", "┌", "│", "└"]);
    // The contact table's words stay, without its bars.
    assert!(text.contains("联系地址\n嘉祥县大张楼镇中心街1号"), "{text}");
    assert!(p.findings.iter().any(|f| f.rule == "READ-RESIDUE"));
}

#[test]
fn the_glued_crawler_text_of_the_corpus_loses_its_chrome() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/corpus/dev/raw/pingtan-2021.txt");
    let (_, p) = read(&path);
    let text = all_text(&p);
    assert_free_of(
        &text,
        &[
            "发布时间",
            "原文链接",
            "本地目录",
            "links.tsv",
            "当前位置",
            "微信 微博",
            "-->",
            "附件下载",
        ],
    );
    assert!(text.starts_with("根据《中华人民共和国政府信息公开条例》"), "{text}");
    let other = p.report.section(gongkai_model::SectionId::Other).expect("六");
    assert_eq!(other.text, "2021年，无收取信息处理费情况。");
}
