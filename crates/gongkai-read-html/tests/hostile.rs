//! Hostile and broken pages: a clear error or a bounded result, never a panic, hang or stack
//! overflow. (Speed is measured in the benches; these tests only bound the work by construction.)

use std::io::Read;

use gongkai_doc::Limits;
use gongkai_model::Localized as _;
use gongkai_read_html::{
    Error, MAX_PARSE_DEPTH, MAX_PARSE_ELEMENTS, MAX_PARSE_WORK, read, read_from,
};

/// An endless page: a head, then report rows forever.
struct Endless {
    head: &'static [u8],
    at: usize,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        const ROW: &[u8] =
            "<tr><td>一、本年新收政府信息公开申请数量</td><td>70</td></tr>\n".as_bytes();
        let n = buf.len();
        for b in buf.iter_mut() {
            *b = if self.at < self.head.len() {
                self.head[self.at]
            } else {
                ROW[(self.at - self.head.len()) % ROW.len()]
            };
            self.at += 1;
        }
        Ok(n)
    }
}

#[test]
fn a_gigabyte_stream_is_refused_after_the_limit() {
    let limits = Limits { max_input_bytes: 4 * 1024 * 1024, ..Limits::default() };
    let mut input = Endless { head: b"<html><body><table>", at: 0 };
    let err = read_from("huge.html", &mut input, &limits).expect_err("refused");
    assert!(matches!(err, Error::TooLarge { limit } if limit == 4 * 1024 * 1024), "{err}");
    // Only the limit (plus one byte) was read, not the gigabyte.
    assert_eq!(input.at as u64, limits.max_input_bytes + 1);
}

#[test]
fn text_beyond_the_text_limit_is_refused() {
    let limits = Limits { max_text_bytes: 64 * 1024, ..Limits::default() };
    let page =
        format!("<table>{}</table>", "<tr><td>一、本年新收</td><td>70</td></tr>".repeat(10_000));
    let err = read("big.html", page.as_bytes(), &limits).expect_err("refused");
    assert!(matches!(err, Error::TextTooLarge { .. }), "{err}");
}

#[test]
fn a_hundred_thousand_nested_divs_are_refused_quickly() {
    let page = format!(
        "<html><body>{}x{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let err = read("deep.html", page.as_bytes(), &Limits::default()).expect_err("refused");
    assert!(matches!(err, Error::TooDeep { limit: MAX_PARSE_DEPTH, .. }), "{err}");
}

/// A table of 6 million empty cells (54 MB, within the input limit): its parsed tree took 1.8 GB
/// before the text limit refused it. Refused before parsing now.
#[test]
fn six_million_empty_cells_are_refused_before_parsing() {
    let page = format!(
        "<table>{}</table>",
        format!("<tr>{}</tr>", "<td></td>".repeat(300)).repeat(20_000)
    );
    let err = read("cells.html", page.as_bytes(), &Limits::default()).expect_err("refused");
    assert!(matches!(err, Error::TooManyElements { limit: MAX_PARSE_ELEMENTS, .. }), "{err}");
    assert!(err.message(gongkai_model::Lang::Zh).contains("网页元素过多"), "{err}");
    assert!(err.message(gongkai_model::Lang::En).contains("too many elements"), "{err}");
}

#[test]
fn deep_nesting_then_many_paragraphs_is_refused_before_parsing() {
    // Under the depth bound, but every <p> makes the parser scan 2,500 open elements: found by
    // fuzzing (a 31 KB page); at 1 MiB it would take minutes.
    let page =
        format!("<html><body>{}{}</body></html>", "<div>".repeat(2_500), "<p>x".repeat(200_000));
    let err = read("deep.html", page.as_bytes(), &Limits::default()).expect_err("refused");
    assert!(matches!(err, Error::TooComplex { limit: MAX_PARSE_WORK, .. }), "{err}");
    assert!(err.message(gongkai_model::Lang::Zh).contains("网页结构过于复杂"), "{err}");
    assert!(err.message(gongkai_model::Lang::En).contains("too complex"), "{err}");
}

#[test]
fn deep_nesting_under_the_parse_bound_is_flattened() {
    // 3 000 nested spans beside a table (so the content root stays at the body): parsed, and the
    // text beyond max_nesting read as one paragraph.
    let page = format!(
        "<table><tr><td>规章</td></tr><tr><td>0</td></tr></table><p>{}本年度收到申请<b>1</b>2件{}</p>",
        "<span>".repeat(3000),
        "</span>".repeat(3000)
    );
    let doc = read("deep.html", page.as_bytes(), &Limits::default()).expect("bounded result");
    assert_eq!(
        gongkai_doc::dump(&doc),
        "T 2 rows × 1 cols\n  | @0 规章\n  | @0 0\nP 本年度收到申请12件\n"
    );
    assert!(doc.notes.iter().any(|n| n.rule == "READ-HTML-DEEP"));
}

#[test]
fn a_hundred_thousand_nested_tables_are_refused_or_bounded() {
    let page =
        format!("{}x{}", "<table><tr><td>".repeat(100_000), "</td></tr></table>".repeat(100_000));
    match read("tables.html", page.as_bytes(), &Limits::default()) {
        Err(Error::TooDeep { .. } | Error::TooComplex { .. }) => {}
        Err(e) => panic!("unexpected error {e}"),
        Ok(doc) => assert!(doc.text.len() < 1024),
    }
}

#[test]
fn nested_layout_tables_within_bounds_keep_the_inner_grid() {
    let inner = "<table><tr><td>规章</td><td>0</td></tr><tr><td>行政规范性文件</td><td>69</td></tr></table>";
    let page =
        format!("{}{inner}{}", "<table><tr><td>".repeat(20), "</td></tr></table>".repeat(20));
    let doc = read("layout.html", page.as_bytes(), &Limits::default()).expect("readable");
    assert_eq!(
        gongkai_doc::dump(&doc),
        "T 2 rows × 2 cols\n  | @0 规章 | @1 0\n  | @0 行政规范性文件 | @1 69\n"
    );
}

#[test]
fn truncated_pages_read_what_is_there() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nav-heavy.html"))
            .expect("fixture");
    for cut in [0, 1, 17, 100, 1000, bytes.len() / 2, bytes.len() - 1] {
        let doc =
            read("cut.html", &bytes[..cut], &Limits::default()).expect("tag soup is readable");
        assert!(doc.text.len() <= bytes.len());
    }
    // Cut in the middle of a multi-byte character: replaced, and the replacement is noted.
    let text = "<meta charset=utf-8><p>收到和处理政府信息公开申请情况</p>".as_bytes();
    let doc = read("cut.html", &text[..30], &Limits::default()).expect("readable");
    let note = doc.notes.iter().find(|n| n.rule == "READ-HTML-ENCODING").expect("encoding noted");
    assert_eq!(note.severity, gongkai_model::Severity::Warning, "{}", note.message.en);
}

#[test]
fn binary_input_is_refused() {
    let err =
        read("x.html", b"PK\x03\x04\x14\0\0\0\x08\0", &Limits::default()).expect_err("refused");
    assert!(matches!(err, Error::Binary), "{err}");
    assert!(err.to_string().contains("not an HTML page"));
}

#[test]
fn empty_and_script_only_pages_are_noted() {
    let doc = read(
        "js.html",
        b"<html><body><div id=app></div><script>render('<p>x</p>')</script></body></html>",
        &Limits::default(),
    )
    .expect("readable");
    assert!(doc.blocks.is_empty());
    assert!(doc.notes.iter().any(|n| n.rule == "READ-HTML-EMPTY"));
}

proptest::proptest! {
    #[test]
    fn arbitrary_markup_never_panics(parts in proptest::collection::vec(proptest::sample::select(vec![
        "<table>", "</table>", "<tr>", "<td rowspan=3>", "<td colspan=0>", "<th rowspan=0 colspan=9>", "</td>", "<br>",
        "<p>", "</p>", "<div style='display:none'>", "</div>", "<nav>", "</nav>", "&nbsp;", "12", "规章", "\n",
        "<span>", "</span>", "<caption>", "<pre>", "</pre>", "<script>", "<!--", "-->", "<o:p>", "</o:p>",
    ]), 0..60)) {
        let page: String = parts.concat();
        let doc = read("p.html", page.as_bytes(), &Limits::default());
        proptest::prop_assert!(doc.is_ok());
        if let Ok(doc) = doc {
            for b in &doc.blocks {
                if let gongkai_doc::Block::Grid(g) = b {
                    for row in &g.rows {
                        for c in row {
                            proptest::prop_assert!(c.row_span >= 1 && c.col_span >= 1);
                            proptest::prop_assert!(doc.text.get(c.span.range()).is_some());
                        }
                    }
                }
            }
        }
    }
}
