//! Reader residue: what a reader, converter or crawler put around the report that the agency did
//! not write — table-border lines (`| | |`, `|---|`, box-drawing rules) and the bars of table rows
//! outside Tables 2–4, page numbers (`-1-`, `第1页 共5页`), and the chrome of CMS text exports: the
//! crawler's header block (`发布时间:`, `原文链接:`, `本地目录:`, `links.tsv`, `==== 正文 ====`),
//! breadcrumbs (`当前位置：首页 > 政务公开 > …`) with the page widgets glued after them (`来源：`,
//! `时间：`, `微信 微博`, `相关链接：`), and footers (`附件下载`, `打印本页`, `关闭窗口`).
//!
//! The recognizer leaves residue out of section text and the preamble and reports it as one
//! `READ-RESIDUE` note per kind, with the position of every piece. Tables and metadata are read
//! from the whole document as before (a `发布时间` header still gives the publication date).
//! When in doubt a line is kept: only whole lines of a known shape, and chains of known widget
//! words anchored at a breadcrumb or at the document's end, are residue.

use std::sync::LazyLock;

use gongkai_doc::{Document, findings};
use gongkai_model::{Finding, Msg, Span};
use regex::Regex;

/// What kind of residue a piece is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// Table-border lines and the bars of table rows.
    Border,
    /// Crawler headers, breadcrumbs, page widgets and footers of a CMS export.
    Crawler,
    /// Page numbers.
    PageNumber,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Border, Kind::Crawler, Kind::PageNumber];

    fn words(self) -> (&'static str, &'static str) {
        match self {
            Kind::Border => ("表格边框线", "table-border lines"),
            Kind::Crawler => {
                ("网页抓取的页眉、导航和页脚", "crawler headers, breadcrumbs and footers")
            }
            Kind::PageNumber => ("页码", "page numbers"),
        }
    }
}

/// One piece of residue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Residue {
    pub kind: Kind,
    pub span: Span,
}

#[allow(clippy::unwrap_used, reason = "the patterns are constants and tested")]
fn re(p: &str) -> Regex {
    Regex::new(p).unwrap()
}

/// A header line of a crawler's text export (`发布时间: 2022-02-08`).
static HEADER_KEY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(标题|发布时间|发布日期|文号|发布机构|栏目|原文链接|原文地址|本地目录|抓取时间|采集时间|来源网址|页面地址)\s*[:：]",
    )
});
/// The separator a crawler puts before the body (`==== 正文 ====`).
static BODY_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*[=\-─━*#]{3,}\s*正\s*文\s*[=\-─━*#]{3,}\s*$"));
/// Page numbers printed on a line of their own.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^\s*(?:",
        r"[-—–－~]+\s*[0-9０-９]{1,4}\s*[-—–－~]+",
        r"|第\s*[0-9０-９]{1,4}\s*页\s*[,，/／]?\s*(?:共\s*[0-9０-９]{1,4}\s*页)?",
        r"|共\s*[0-9０-９]{1,4}\s*页\s*[,，/／]?\s*第\s*[0-9０-９]{1,4}\s*页",
        r"|[0-9]{1,4}\s*/\s*[0-9]{1,4}",
        r"|(?i:page)\s*[0-9]{1,4}(?:\s*(?i:of)\s*[0-9]{1,4})?",
        r")\s*$"
    ))
});
/// Where a breadcrumb starts.
static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:(?:当前位置|您的位置|您现在的位置|您所在的位置|您当前的位置|所在位置)\s*[:：]|首页\s*[>＞›»/])",
    )
});
/// A breadcrumb path (`首页 > 政务公开 > 年报`).
static PATH: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*[^\s>＞›»/]{1,20}(?:\s*[>＞›»/]\s*[^\s>＞›»/]{1,20})*"));
/// The widget words of a CMS page (source, time, share buttons, print, close, downloads).
static WIDGET: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"来源\s*[:：]\s*[^\s，。；]{1,30}",
        r"|(?:发布)?(?:时间|日期)\s*[:：]\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
        r"|(?:浏览|访问|点击)(?:次数|量|数)?\s*[:：]\s*\d*",
        r"|【?字[体号]\s*[:：]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?】?",
        r"|微信|微博|QQ空间|全真版|文字版|文件下载|附件下载|相关链接\s*[:：]?|-->|<!--",
        r"|【?打印(?:本页|此页|正文)?】?|【?关闭(?:窗口|本页)?】?|【?收藏】?",
        r"|分享到\s*[:：]?|扫一扫在手机(?:上)?打开当前页|返回顶部|上一篇\s*[:：]?|下一篇\s*[:：]?",
    ))
});

/// Longest gap (in characters) between two widgets of one chain.
const MAX_GAP: usize = 80;
/// Most positions listed in a note.
const MAX_LABELS: usize = 32;

/// Finds the residue in `doc`, in text order.
pub(crate) fn find(doc: &Document) -> Vec<Residue> {
    let mut out = Vec::new();
    let n = doc.line_count();
    let mut head = true;
    for i in 0..n {
        let span = doc.line_span(i);
        let line = doc.slice(span);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(kind) = whole_line(line, head) {
            out.push(Residue { kind, span });
            continue;
        }
        if line.trim_start().starts_with(['|', '│', '┃'])
            && line.trim_end().ends_with(['|', '│', '┃'])
        {
            out.extend(bars(line, span.start));
            head = false;
            continue;
        }
        if let Some(end) = breadcrumb_end(line) {
            out.push(Residue {
                kind: Kind::Crawler,
                span: Span::new(span.start, span.start + end),
            });
        }
        head = false;
    }
    footer(doc, &mut out);
    out.sort_by_key(|r| (r.span.start, r.span.end));
    out.dedup();
    out
}

/// The kind of a line that is residue as a whole. Header keys count only in the document's head.
fn whole_line(line: &str, head: bool) -> Option<Kind> {
    let t = line.trim();
    if t.chars().all(is_border) {
        return Some(Kind::Border);
    }
    if PAGE_NUMBER.is_match(t) {
        return Some(Kind::PageNumber);
    }
    if BODY_SEPARATOR.is_match(t) || t.contains("links.tsv") || (head && HEADER_KEY.is_match(t)) {
        return Some(Kind::Crawler);
    }
    if only_widgets(t) {
        return Some(Kind::Crawler);
    }
    None
}

fn is_border(c: char) -> bool {
    matches!(c, '|' | '+' | '-' | '=' | ':' | '_' | ' ' | '\t' | '\u{3000}')
        || ('\u{2500}'..='\u{257f}').contains(&c)
}

/// Whether `t` is nothing but widget words (and brackets, bars, spaces).
fn only_widgets(t: &str) -> bool {
    let mut rest = String::with_capacity(t.len());
    let mut last = 0;
    for m in WIDGET.find_iter(t) {
        rest.push_str(&t[last..m.start()]);
        last = m.end();
    }
    rest.push_str(&t[last..]);
    last > 0 && rest.chars().all(|c| c.is_whitespace() || "|【】[]()（）·/".contains(c))
}

/// The bars of a table row laid out as `| a | b |` (a table that is not one of Tables 2–4).
fn bars(line: &str, base: u32) -> impl Iterator<Item = Residue> + '_ {
    line.char_indices().filter(|(_, c)| matches!(c, '|' | '│' | '┃')).map(move |(i, c)| {
        let at = base + u32::try_from(i).unwrap_or(0);
        Residue {
            kind: Kind::Border,
            span: Span::new(at, at + u32::try_from(c.len_utf8()).unwrap_or(1)),
        }
    })
}

/// Where a breadcrumb at the start of `line` ends (byte offset in the line): after the path and
/// every widget chained after it (each within [`MAX_GAP`] characters of the previous, with no
/// sentence punctuation between them).
fn breadcrumb_end(line: &str) -> Option<u32> {
    let m = BREADCRUMB.find(line)?;
    let mut end = m.end();
    if let Some(p) = PATH.find(&line[end..]) {
        end += p.end();
    }
    for w in WIDGET.find_iter(line) {
        if w.start() < end {
            end = end.max(w.end());
            continue;
        }
        let gap = &line[end..w.start()];
        if gap.chars().count() > MAX_GAP || gap.contains(['。', '，', '；', '！', '？']) {
            break;
        }
        end = w.end();
    }
    u32::try_from(end).ok()
}

/// Widgets at the very end of the document (glued to the last line: `…情况。 附件下载`).
fn footer(doc: &Document, out: &mut Vec<Residue>) {
    let Some(last) = (0..doc.line_count())
        .rev()
        .map(|i| doc.line_span(i))
        .find(|s| !doc.slice(*s).trim().is_empty())
    else {
        return;
    };
    let line = doc.slice(last);
    let ms: Vec<regex::Match<'_>> = WIDGET.find_iter(line).collect();
    let mut start = line.trim_end().len();
    for m in ms.iter().rev() {
        // A widget may end in spaces the trimmed line does not have.
        let between = line.get(m.end()..start).unwrap_or("");
        if !between.chars().all(|c| c.is_whitespace() || "|【】[]".contains(c)) {
            break;
        }
        start = m.start();
    }
    if start < line.trim_end().len() && start > 0 {
        let s = last.start + u32::try_from(start).unwrap_or(0);
        out.push(Residue { kind: Kind::Crawler, span: Span::new(s, last.end) });
    }
}

/// One `READ-RESIDUE` note per kind, naming the lines and pointing at every piece.
pub(crate) fn notes(doc: &Document, residue: &[Residue]) -> Vec<Finding> {
    let starts: Vec<u32> = (0..doc.line_count()).map(|i| doc.line_span(i).start).collect();
    let line_of = |off: u32| starts.partition_point(|s| *s <= off).checked_sub(1);
    Kind::ALL
        .into_iter()
        .filter_map(|kind| {
            let of: Vec<&Residue> = residue.iter().filter(|r| r.kind == kind).collect();
            let first = of.first()?;
            let mut lines: Vec<usize> =
                of.iter().filter_map(|r| line_of(r.span.start)).map(|l| l + 1).collect();
            lines.dedup();
            let listed: Vec<String> = lines.iter().take(8).map(ToString::to_string).collect();
            let more = if lines.len() > 8 { "…" } else { "" };
            let (zh, en) = kind.words();
            let mut f = findings::READ_RESIDUE.finding(Msg::new(
                format!(
                    "已从正文中略去不属于报告的{zh}（{} 处，第 {}{more} 行）",
                    of.len(),
                    listed.join("、")
                ),
                format!(
                    "left {en} out of the report's text ({} piece(s), line(s) {}{more})",
                    of.len(),
                    listed.join(", ")
                ),
            ));
            f = f.with_label(Some(first.span), Msg::new(zh, en));
            for r in of.iter().skip(1).take(MAX_LABELS - 1) {
                f = f.with_label(Some(r.span), Msg::new(zh, en));
            }
            Some(f)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(Kind, String)> {
        let doc =
            gongkai_read_text::read("t.txt", text.as_bytes(), &gongkai_doc::Limits::default())
                .expect("text");
        find(&doc).into_iter().map(|r| (r.kind, doc.slice(r.span).to_owned())).collect()
    }

    #[test]
    fn crawler_header_breadcrumb_and_footer() {
        let t = "标题: 某镇2022年政府信息公开工作年度报告\n发布时间: 2023-01-20 10:00\n原文链接: https://x.gov.cn/a.htm\n本地目录: zwgk/a\n页面链接与图片详见 links.tsv(同目录)\n==================== 正文 ====================\n当前位置： 首页 > 政务公开 > 年报 来源：某镇 时间：2023-01-20 10:00 微信 微博 相关链接： --> 根据《条例》编制本报告。\n一、总体情况\n我镇认真落实。\n打印本页 关闭窗口\n六、其他需要报告的事项\n无。 附件下载";
        let p = pieces(t);
        let crawler: Vec<&str> =
            p.iter().filter(|(k, _)| *k == Kind::Crawler).map(|(_, s)| s.as_str()).collect();
        assert_eq!(crawler.len(), 9, "{crawler:?}");
        assert!(crawler[6].starts_with("当前位置") && crawler[6].ends_with("-->"), "{crawler:?}");
        assert_eq!(crawler[7], "打印本页 关闭窗口");
        assert_eq!(crawler[8], "附件下载");
    }

    #[test]
    fn borders_bars_and_page_numbers() {
        let t = "正文一段。\n|---|---|\n| 地址 | 某路1号 |\n| | |\n-1-\n— 2 —\n第3页 共5页\n2/5\n┌──┬──┐\n正文二段。";
        let p = pieces(t);
        let kinds: Vec<Kind> = p.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds.iter().filter(|k| **k == Kind::PageNumber).count(), 4, "{p:?}");
        assert!(p.contains(&(Kind::Border, "|---|---|".to_owned())));
        assert!(p.contains(&(Kind::Border, "| | |".to_owned())));
        assert!(p.contains(&(Kind::Border, "┌──┬──┐".to_owned())));
        assert_eq!(p.iter().filter(|(_, s)| s == "|").count(), 3, "{p:?}");
    }

    #[test]
    fn report_text_is_kept() {
        let t = "一、总体情况\n2022年，我镇来源：群众来信2件。\n时间：2022年全年，共1页。\n第二十条第（一）项\n12\n六、其他需要报告的事项\n本年度无收费。";
        assert_eq!(pieces(t), []);
    }
}
