//! Reads an annual report published as an HTML page into the intermediate [`Document`].
//!
//! Pages come as government CMSs serve them: the report inside the full site (menus, breadcrumbs,
//! footers), often Word-generated markup (`<o:p>`, nested `<span>`/`<font>` splitting one number
//! across elements), tables with `rowspan`/`colspan`, `&nbsp;` cells, GBK pages without a charset
//! declaration. The reader:
//!
//! 1. decodes the bytes (BOM, `<meta>` prescan, or chardetng with the
//!    `.cn` hint; a declaration the bytes contradict is overruled) and notes the decision;
//! 2. bounds element nesting with a linear pre-scan (html5ever is quadratic in nesting depth) and
//!    parses with html5ever (through `scraper`), which repairs tag soup as browsers do;
//! 3. measures the page and picks the *content root* — the element holding the report — dropping
//!    site chrome only where it is clearly chrome (no data table, no prose, a small share of the
//!    text); `<nav>` and hidden elements are dropped unless they hold report content;
//! 4. lays the root out: paragraphs in reading order, each data table as a [`gongkai_doc::Grid`]
//!    with rowspans/colspans placed in the expanded grid, inline text joined as a browser shows it
//!    (no invented spaces), each piece with a short DOM path as its [`Origin`](gongkai_doc::Origin).
//!
//! `<title>` and named `<meta>` tags (ArticleTitle, PubDate, Url, ContentSource…) become
//! [`Document::properties`]. `Err` only when the page cannot be read at all; anything merely odd
//! is a note (`READ-HTML-…`, kind [`FindingKind::Extraction`]).

mod depth;
mod dom;
mod encoding;
mod inline;
mod table;
mod walk;

use std::io::Read;

use gongkai_doc::findings::{self, ReaderFinding};
use gongkai_doc::{Document, DocumentBuilder, Format, Limits};
use gongkai_model::{Finding, Localized, Msg};

/// Deepest element nesting (as estimated before parsing) the reader accepts. html5ever spends time
/// quadratic in the nesting depth; at this bound a page still parses in well under a second, while
/// real pages nest a few dozen levels.
pub const MAX_PARSE_DEPTH: usize = 4096;

/// Most work the parser's scope checks may face, estimated before parsing as the sum of the
/// nesting depth at every tag: a page of 100,000 tags 30 levels deep is 3 million; a page at
/// this bound (2,500 levels, then 5,000 paragraphs) parses in 0.3 s in a sanitised fuzzing build.
pub const MAX_PARSE_WORK: u64 = 16_000_000;

/// Most elements (start tags, counted before parsing) a page may have. The parsed tree and its
/// layout cost about 300 bytes an element, 600 with a text in each: a page of 6 million empty
/// table cells (54 MB) took 1.8 GB before the text limit refused it; 480,000 cells with numbers
/// peak at 287 MB, 247,000 at 159 MB. A report's page has a few thousand elements, a large portal page some tens of
/// thousands.
pub const MAX_PARSE_ELEMENTS: u64 = 250_000;

/// Why a page could not be read at all. [`Error::message`] says it in one language; the `Display`
/// form gives Chinese and English (`中文 / English`).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum Error {
    /// The input is larger than [`Limits::max_input_bytes`].
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// The laid-out text would exceed [`Limits::max_text_bytes`].
    TextTooLarge {
        /// The limit.
        limit: usize,
    },
    /// Elements are nested more deeply than [`MAX_PARSE_DEPTH`].
    TooDeep {
        /// The estimated depth (the scan stops just past the limit).
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// Nesting times tags above [`MAX_PARSE_WORK`] (deep nesting followed by many elements).
    TooComplex {
        /// The estimated work (the scan stops just past the limit).
        work: u64,
        /// The limit.
        limit: u64,
    },
    /// More elements than [`MAX_PARSE_ELEMENTS`].
    TooManyElements {
        /// The elements counted (the scan stops just past the limit).
        elements: u64,
        /// The limit.
        limit: u64,
    },
    /// The bytes are not text (a binary file given to the HTML reader).
    Binary,
    /// Reading the input stream failed.
    Io(#[from] std::io::Error),
}

impl Error {
    /// The message in both languages, and the system's words (English only) that follow it.
    fn text(&self) -> (Msg, Option<String>) {
        let text = match self {
            Error::TooLarge { limit } => gongkai_doc::errors::too_large(limit),
            Error::TextTooLarge { limit } => gongkai_doc::errors::text_too_large(limit),
            Error::TooDeep { depth, limit } => Msg::new(
                format!("网页元素嵌套过深：约 {depth} 层，上限 {limit} 层"),
                format!("elements nested too deeply: about {depth} levels, limit {limit}"),
            ),
            Error::TooComplex { work, limit } => Msg::new(
                format!(
                    "网页结构过于复杂：各元素所在嵌套层数之和约 {work}，上限 {limit}（深层嵌套后接大量元素）"
                ),
                format!(
                    "page structure too complex: the nesting depth summed over its elements is about {work}, limit {limit} (deep nesting followed by many elements)"
                ),
            ),
            Error::TooManyElements { elements, limit } => Msg::new(
                format!("网页元素过多：超过 {limit} 个（已数到 {elements} 个）"),
                format!("too many elements in the page: more than {limit} (counted {elements})"),
            ),
            Error::Binary => {
                Msg::new("不是网页：内容为二进制数据", "not an HTML page: the content is binary")
            }
            Error::Io(e) => return (Msg::new("读取失败", "read failed"), Some(e.to_string())),
        };
        (text, None)
    }
}

impl Localized for Error {
    fn words(&self) -> (Msg, Option<String>) {
        self.text()
    }
}

/// Counts of oddities met while laying out, reported as notes.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) flattened: u32,
    pub(crate) layout_tables: u32,
    pub(crate) rowspans_cut: u32,
    pub(crate) colspans_cut: u32,
    pub(crate) columns_capped: u32,
}

/// Reads the page `bytes` (named `name` for display).
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::TooLarge { limit: limits.max_input_bytes });
    }
    if looks_binary(bytes) {
        return Err(Error::Binary);
    }
    let decoded = encoding::decode(bytes);
    let scan = depth::scan(&decoded.text, MAX_PARSE_DEPTH, MAX_PARSE_WORK, MAX_PARSE_ELEMENTS);
    if scan.depth > MAX_PARSE_DEPTH {
        return Err(Error::TooDeep { depth: scan.depth, limit: MAX_PARSE_DEPTH });
    }
    if scan.work > MAX_PARSE_WORK {
        return Err(Error::TooComplex { work: scan.work, limit: MAX_PARSE_WORK });
    }
    if scan.elements > MAX_PARSE_ELEMENTS {
        return Err(Error::TooManyElements { elements: scan.elements, limit: MAX_PARSE_ELEMENTS });
    }
    let html = scraper::Html::parse_document(&decoded.text);
    let mut b = DocumentBuilder::new(name, Format::Html);
    b.note(encoding_note(&decoded));
    let props = properties(&html);
    let titles = title_candidates(&props);
    for (k, v) in props {
        b.property(k, v);
    }
    let body = dom::body(&html);
    let page = dom::measure(body, &titles);
    let root = dom::content_root(body, &page);
    let mut tally = Tally::default();
    walk::lay_out(&mut b, root, &page, limits, &mut tally)?;
    notes(&mut b, body, root, &page, &tally, limits);
    Ok(b.finish())
}

/// Reads a page from a stream, reading at most [`Limits::max_input_bytes`] + 1 bytes: a larger
/// input is refused without being read whole.
pub fn read_from(name: &str, input: impl Read, limits: &Limits) -> Result<Document, Error> {
    let mut bytes = Vec::new();
    input.take(limits.max_input_bytes.saturating_add(1)).read_to_end(&mut bytes)?;
    read(name, &bytes, limits)
}

/// Binary content: NUL bytes in the head that a UTF-16 BOM does not explain.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    head.contains(&0)
}

fn encoding_note(d: &encoding::Decoded) -> Finding {
    let name = d.encoding.name();
    let (raised, zh, en) = match &d.how {
        encoding::How::Bom => (
            false,
            format!("编码：{name}（字节顺序标记）"),
            format!("encoding: {name} (byte-order mark)"),
        ),
        encoding::How::Declared(label) => (
            false,
            format!("编码：{name}（网页声明“{label}”）"),
            format!("encoding: {name} (declared as “{label}”)"),
        ),
        encoding::How::Detected { overruled: None } => (
            false,
            format!("编码：{name}（网页未声明，按内容推断）"),
            format!("encoding: {name} (not declared; detected from the content)"),
        ),
        encoding::How::Detected { overruled: Some(label) } => (
            true,
            format!("编码：{name}（网页声明“{label}”与内容不符，按内容推断）"),
            format!(
                "encoding: {name} (the page declares “{label}”, which its bytes contradict; detected from the content)"
            ),
        ),
    };
    let (raised, zh, en) = if let Some(scan) = &d.damage {
        let at = scan.positions();
        (
            true,
            format!("{zh}；有 {} 处无效字节（{}），已替换为 U+FFFD", scan.invalid, at.zh),
            format!(
                "{en}; {} invalid byte sequence(s) ({}) replaced by U+FFFD",
                scan.invalid, at.en
            ),
        )
    } else if d.replaced {
        (
            true,
            format!("{zh}；部分字节无法解码，已替换为 U+FFFD"),
            format!("{en}; some bytes could not be decoded and were replaced by U+FFFD"),
        )
    } else {
        (raised, zh, en)
    };
    let kind = &findings::READ_HTML_ENCODING;
    if raised { kind.raised_finding(Msg::new(zh, en)) } else { kind.finding(Msg::new(zh, en)) }
}

/// `<title>` and every `<meta name|property=… content=…>` with a non-empty content, in order.
fn properties(html: &scraper::Html) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(head) = html
        .root_element()
        .children()
        .find(|c| c.value().as_element().is_some_and(|e| e.name() == "head"))
    else {
        return out;
    };
    for node in head.descendants() {
        let Some(el) = node.value().as_element() else { continue };
        match el.name() {
            "title" => {
                let text: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    out.push(("title".to_owned(), text));
                }
            }
            "meta" => {
                let key = el.attr("name").or_else(|| el.attr("property"));
                if let (Some(key), Some(content)) = (key, el.attr("content")) {
                    let content = content.trim();
                    if !key.trim().is_empty() && !content.is_empty() {
                        out.push((key.trim().to_owned(), content.to_owned()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Candidate article titles (whitespace removed): the ArticleTitle meta, the `<title>`, and the
/// `<title>` up to the first site-name separator.
fn title_candidates(props: &[(String, String)]) -> Vec<String> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut out = Vec::new();
    for (k, v) in props {
        if k.eq_ignore_ascii_case("ArticleTitle")
            || k.eq_ignore_ascii_case("title")
            || k == "og:title"
        {
            out.push(squeeze(v));
            if let Some((first, _)) = v.split_once(['_', '|', '－', '—']) {
                out.push(squeeze(first));
            }
            if let Some((first, _)) = v.split_once(" - ") {
                out.push(squeeze(first));
            }
        }
    }
    out.retain(|t| t.chars().count() >= 4);
    out
}

fn notes(
    b: &mut DocumentBuilder,
    body: ego_tree::NodeRef<'_, scraper::Node>,
    root: ego_tree::NodeRef<'_, scraper::Node>,
    page: &dom::Page,
    tally: &Tally,
    limits: &Limits,
) {
    let note = |b: &mut DocumentBuilder, kind: &ReaderFinding, zh: String, en: String| {
        b.note(kind.finding(Msg::new(zh, en)));
    };
    let total = page.get(body.id()).weight;
    let kept = page.get(root.id()).weight;
    let path = dom::absolute_path(root);
    if root.id() != body.id() {
        let dropped = total - kept.min(total);
        note(
            b,
            &findings::READ_HTML_CONTENT_ROOT,
            format!("正文位于 {path}；其外的网站导航、页眉页脚等约 {dropped} 字未读入"),
            format!(
                "content root: {path}; about {dropped} characters of site chrome outside it were left out"
            ),
        );
    }
    for id in &page.kept_boilerplate {
        if let Some(n) = body.tree().get(*id) {
            let p = dom::absolute_path(n);
            note(
                b,
                &findings::READ_HTML_HIDDEN_KEPT,
                format!("{p} 为导航或隐藏元素，但含有表格或较多正文，已保留"),
                format!("{p} is navigation or hidden, but holds a table or much text: kept"),
            );
        }
    }
    if tally.layout_tables > 0 {
        note(
            b,
            &findings::READ_HTML_LAYOUT_TABLE,
            format!("{} 个含有嵌套表格的表格按版面布局读取（逐格作为段落）", tally.layout_tables),
            format!(
                "{} table(s) holding other tables read as page layout (each cell as blocks)",
                tally.layout_tables
            ),
        );
    }
    if tally.flattened > 0 {
        note(
            b,
            &findings::READ_HTML_DEEP,
            format!(
                "{} 处内容嵌套超过 {} 层，已按文字合并读取（其中表格结构未保留）",
                tally.flattened, limits.max_nesting
            ),
            format!(
                "{} element(s) nested deeper than {} levels were read as plain text (table structure inside them is lost)",
                tally.flattened, limits.max_nesting
            ),
        );
    }
    if tally.rowspans_cut > 0 || tally.colspans_cut > 0 || tally.columns_capped > 0 {
        note(
            b,
            &findings::READ_HTML_SPAN_CLAMPED,
            format!(
                "表格合并单元格超出范围：{} 处跨行截至表尾，{} 处跨列与上方跨行单元格重叠而截短，{} 处跨列超出 {} 列上限",
                tally.rowspans_cut,
                tally.colspans_cut,
                tally.columns_capped,
                table::MAX_COLUMNS
            ),
            format!(
                "merged cells out of bounds: {} rowspan(s) cut at the last row, {} colspan(s) cut where they overlapped a cell spanning from above, {} colspan(s) past the {}-column cap",
                tally.rowspans_cut,
                tally.colspans_cut,
                tally.columns_capped,
                table::MAX_COLUMNS
            ),
        );
    }
    if b.text().trim().is_empty() {
        note(
            b,
            &findings::READ_HTML_EMPTY,
            "网页中没有可读的正文（可能由脚本动态加载）".to_owned(),
            "the page has no readable text (it may be loaded by scripts)".to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Lang;

    #[test]
    fn messages_are_in_one_language() {
        let all = [
            Error::TooLarge { limit: 10 },
            Error::TextTooLarge { limit: 10 },
            Error::TooDeep { depth: 5000, limit: 4096 },
            Error::Binary,
            Error::Io(std::io::Error::other("EOF")),
        ];
        for e in &all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
        assert_eq!(
            all[3].to_string(),
            "不是网页：内容为二进制数据 / not an HTML page: the content is binary"
        );
        // The system's words follow once, in both languages.
        assert_eq!(all[4].message(Lang::Zh), "读取失败：EOF");
        assert_eq!(all[4].message(Lang::En), "read failed: EOF");
        assert_eq!(all[4].to_string(), "读取失败 / read failed: EOF");
    }
}
