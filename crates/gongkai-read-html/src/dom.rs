//! What the reader knows about the parsed page before laying it out: which elements are never
//! content (`<script>`, form controls…), which are boilerplate unless they hold report content
//! (`<nav>`, hidden elements), how much report-like text each element holds, which tables are data
//! grids and which are layout, where the article title is — and from that, the *content root*: the
//! element that holds the report inside the site's chrome.
//!
//! All walks are iterative (explicit stacks): the DOM may be thousands of levels deep.

use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

/// Elements whose content is never report text.
const NEVER_CONTENT: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "iframe", "frame", "frameset",
    "object", "embed", "applet", "select", "option", "optgroup", "button", "input", "textarea",
    "svg", "canvas", "audio", "video", "map", "area", "datalist", "dialog", "link", "meta",
];

/// Block-level elements: their boundaries end a paragraph.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "xmp",
    "plaintext",
];

/// Boilerplate dropped with everything inside it holds less than this many characters of
/// non-link text and no data table.
const BOILERPLATE_KEEP_WEIGHT: u32 = 500;
/// A text node at least this many characters long that reads as report prose (see
/// [`is_report_prose`]) is report content: the content root is never narrowed past one.
const PROSE_RUN: usize = 60;
/// Words every report paragraph of substance uses and site chrome ("为确保最佳浏览效果，建议您使用…")
/// does not.
const REPORT_WORDS: &[&str] = &["公开", "报告", "条例", "申请"];

/// Whether a long text run reads as report prose: Chinese punctuation and the report's vocabulary.
fn is_report_prose(t: &str) -> bool {
    (t.contains('，') || t.contains('。')) && REPORT_WORDS.iter().any(|w| t.contains(w))
}

/// Whether a text run is a section heading of the report (`一、总体情况`, `六、其他需要报告的事项`):
/// short, and starting with a Chinese numeral and `、`.
fn is_section_heading(t: &str) -> bool {
    let t = t.trim_start_matches(|c: char| c.is_whitespace());
    let numerals = t.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).count();
    numerals > 0 && t.chars().nth(numerals) == Some('、') && t.chars().count() <= 40
}

/// Elements the content root may narrow into: containers, never a paragraph or inline element
/// (whose siblings are report text too), and table parts only of layout tables.
const ROOT_CONTAINERS: &[&str] = &[
    "div", "section", "article", "main", "center", "form", "table", "tbody", "thead", "tfoot",
    "tr", "td", "th",
];
/// The content root is narrowed to a child only when the rest holds at most this share (percent)
/// of the report-like text.
const OUTSIDE_SHARE_PERCENT: u32 = 50;

/// Whether an element's content is never report text.
pub(crate) fn never_content(name: &str) -> bool {
    NEVER_CONTENT.contains(&name)
}

/// Whether an element is block-level.
pub(crate) fn is_block(name: &str) -> bool {
    BLOCK.contains(&name)
}

/// Whether an element is hidden by its attributes (`hidden`, inline `display:none` /
/// `visibility:hidden`).
pub(crate) fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        let compact: String =
            style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        compact.contains("display:none") || compact.contains("visibility:hidden")
    })
}

/// Per-element measurements.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Stats {
    /// Visible, non-link, non-whitespace characters.
    pub(crate) weight: u32,
    /// Data tables inside (tables holding no table, with at least two rows and some non-link text:
    /// a menu laid out as a table is not data).
    pub(crate) data_tables: u32,
    /// Tables inside (at any depth, excluding the element itself).
    pub(crate) tables: u32,
    /// Rows (`tr`) inside, not counting rows of nested tables (meaningful for tables).
    pub(crate) rows: u32,
    /// Report prose runs and section headings inside.
    pub(crate) prose: u32,
}

/// The measured page.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// Stats of each element of the body.
    pub(crate) stats: HashMap<NodeId, Stats>,
    /// Boilerplate elements (`<nav>`, hidden) that are dropped.
    pub(crate) dropped: HashSet<NodeId>,
    /// Boilerplate elements kept because they hold report content.
    pub(crate) kept_boilerplate: Vec<NodeId>,
    /// The element whose text is the article title, if found.
    pub(crate) title: Option<NodeId>,
}

impl Page {
    /// Stats of `id` (zero for unknown nodes).
    pub(crate) fn get(&self, id: NodeId) -> Stats {
        self.stats.get(&id).copied().unwrap_or_default()
    }

    /// Whether `table` is laid out as a grid (it holds no other table); a table holding tables is
    /// page layout and its cells are read as blocks.
    pub(crate) fn is_grid(&self, table: NodeId) -> bool {
        self.get(table).tables == 0
    }
}

fn element_name<'a>(n: &NodeRef<'a, Node>) -> Option<&'a str> {
    n.value().as_element().map(|e| e.name())
}

/// Measures the page under `body`. `titles` are candidate article titles (whitespace removed).
pub(crate) fn measure(body: NodeRef<'_, Node>, titles: &[String]) -> Page {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Leave(NodeRef<'a, Node>),
    }
    let mut page = Page::default();
    let mut acc: Vec<Stats> = vec![Stats::default()];
    let mut links = 0usize;
    let mut stack = vec![Step::Enter(body)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(n) => match n.value() {
                Node::Text(t) => {
                    let chars = t.chars().filter(|c| !c.is_whitespace()).count();
                    let chars32 = u32::try_from(chars).unwrap_or(u32::MAX);
                    if let Some(top) = acc.last_mut()
                        && links == 0
                    {
                        top.weight = top.weight.saturating_add(chars32);
                        if (chars >= PROSE_RUN && is_report_prose(t)) || is_section_heading(t) {
                            top.prose += 1;
                        }
                    }
                    if page.title.is_none() && chars >= 4 {
                        let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                        if titles.contains(&squeezed) {
                            page.title = n.parent().map(|p| p.id());
                        }
                    }
                }
                Node::Element(el) => {
                    if never_content(el.name()) {
                        continue;
                    }
                    if el.name() == "a" && el.attr("href").is_some() {
                        links += 1;
                    }
                    acc.push(Stats::default());
                    stack.push(Step::Leave(n));
                    let children: Vec<_> = n.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Enter));
                }
                _ => {}
            },
            Step::Leave(n) => {
                let Some(el) = n.value().as_element() else { continue };
                if el.name() == "a" && el.attr("href").is_some() {
                    links = links.saturating_sub(1);
                }
                let mut mine = acc.pop().unwrap_or_default();
                let is_table = el.name() == "table";
                if is_table && mine.tables == 0 && mine.rows >= 2 && mine.weight > 0 {
                    mine.data_tables += 1;
                }
                page.stats.insert(n.id(), mine);
                let boilerplate = el.name() == "nav" || is_hidden(el);
                if boilerplate {
                    if mine.data_tables == 0 && mine.weight < BOILERPLATE_KEEP_WEIGHT {
                        page.dropped.insert(n.id());
                        continue;
                    }
                    page.kept_boilerplate.push(n.id());
                }
                if let Some(parent) = acc.last_mut() {
                    parent.weight = parent.weight.saturating_add(mine.weight);
                    parent.data_tables += mine.data_tables;
                    parent.prose += mine.prose;
                    parent.tables += mine.tables + u32::from(is_table);
                    if el.name() == "tr" {
                        parent.rows += 1;
                    } else if !is_table {
                        parent.rows += mine.rows;
                    }
                }
            }
        }
    }
    page
}

/// Chooses the content root: starting at `body`, narrows to the child holding most of the
/// report-like text as long as what is left outside is site chrome — no data table, no report
/// prose or section heading, at most half of the text. Narrows only into container elements. Never narrows into a data table, and into a table's rows only
/// when the table is page layout.
pub(crate) fn content_root<'a>(body: NodeRef<'a, Node>, page: &Page) -> NodeRef<'a, Node> {
    let mut node = body;
    loop {
        let here = page.get(node.id());
        if here.weight == 0 {
            return node;
        }
        let best = node
            .children()
            .filter(|c| c.value().is_element() && !page.dropped.contains(&c.id()))
            .filter(|c| element_name(c).is_some_and(|n| !never_content(n)))
            .max_by(|a, b| {
                // On a tie keep the earlier child: `max_by` keeps the current maximum only when it
                // compares greater.
                page.get(a.id())
                    .weight
                    .cmp(&page.get(b.id()).weight)
                    .then(std::cmp::Ordering::Greater)
            });
        let Some(child) = best else { return node };
        let inner = page.get(child.id());
        let outside = here.weight - inner.weight.min(here.weight);
        let name = element_name(&child).unwrap_or("");
        let grid_table = name == "table" && page.is_grid(child.id());
        if here.data_tables > inner.data_tables
            || here.prose > inner.prose
            || outside.saturating_mul(100) > here.weight.saturating_mul(OUTSIDE_SHARE_PERCENT)
            || grid_table
            || !ROOT_CONTAINERS.contains(&name)
            || (matches!(name, "tr" | "td" | "th" | "tbody" | "thead" | "tfoot")
                && inner.tables == 0)
        {
            return node;
        }
        node = child;
    }
}

/// A short, readable segment naming `el` among its siblings: `tag`, with `[n]` (1-based among
/// same-name siblings) when it is not the first.
pub(crate) fn segment(name: &str, index: u32) -> String {
    if index > 1 { format!("{name}[{index}]") } else { name.to_owned() }
}

/// The full path of `node` from `<body>` (for notes and for content outside the root), with the
/// id or first class of each element to make it recognisable.
pub(crate) fn absolute_path(node: NodeRef<'_, Node>) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(node);
    while let Some(n) = cur {
        let Some(el) = n.value().as_element() else { break };
        if el.name() == "html" {
            break;
        }
        let index = 1 + n.prev_siblings().filter(|s| element_name(s) == Some(el.name())).count();
        let mut seg = segment(el.name(), u32::try_from(index).unwrap_or(u32::MAX));
        if let Some(id) = el.id() {
            seg.push('#');
            seg.push_str(id);
        } else if let Some(class) = el.classes().next() {
            seg.push('.');
            seg.push_str(class);
        }
        parts.push(seg);
        cur = n.parent();
    }
    parts.reverse();
    parts.join(" > ")
}

/// The `<body>` of the page (or its root element when there is none).
pub(crate) fn body(html: &Html) -> NodeRef<'_, Node> {
    let root = html.root_element();
    root.children().find(|c| element_name(c) == Some("body")).unwrap_or(*root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_text_signals() {
        assert!(is_section_heading("　　一、总体情况"));
        assert!(is_section_heading("十二、其他"));
        assert!(!is_section_heading("一是加强组织领导"));
        assert!(is_report_prose("本年度共收到政府信息公开申请70件，均已办结。"));
        assert!(!is_report_prose("为确保最佳浏览效果，建议您使用以下浏览器版本。"));
    }
}
