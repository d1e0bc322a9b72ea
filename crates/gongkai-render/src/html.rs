//! HTML output: one self-contained, accessible page that a government CMS can paste in.
//!
//! - No external assets: styles inline in one `<style>`, charts as inline SVG.
//! - Tables are semantic: `<caption>`, `<th scope>` with ids, and every value `<td>` names its
//!   headers with `headers` (the three-level headers of Tables 3 and 4 need it), plus a
//!   `data-key` with the canonical cell key.
//! - The report's JSON form is embedded in `<script type="application/json">` for machines.
//! - Faces follow GB/T 9704 with Windows, WPS and free fallbacks (仿宋_GB2312 → Noto Serif CJK).
//!
//! [`render`] writes the whole document; [`fragment`] writes only its `<article>` and the style
//! sheet for it, to be placed inside another page (the web application's public report page):
//! every rule is scoped under `.gongkai-report`, and the fragment has no `style` attribute (the
//! column widths are rules of the sheet), so a page under a strict Content-Security-Policy can
//! carry it.

use std::fmt::Write as _;

use askama::Template;
use gongkai_model::{CellKey, Report};

use crate::RenderError;
use crate::doc::{Block, ReportDoc};
use crate::grid::{PrintedTable, Role};
use crate::text::Level;

/// The page's style sheet (scoped under `.gongkai-report` so that it can be pasted into a page).
pub const CSS: &str = r#".gongkai-report{max-width:210mm;margin:0 auto;padding:2em 1.5em;font-family:"仿宋_GB2312","仿宋","FangSong","STFangsong","FandolFang","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:16pt;line-height:1.75;color:#000;background:#fff}
.gongkai-report h1.gk-title{font-family:"方正小标宋简体","方正小标宋_GBK","FZXiaoBiaoSong-B05S","华文中宋","STZhongsong","Noto Serif CJK SC","Source Han Serif SC",serif;font-weight:bold;font-size:22pt;text-align:center;line-height:1.5;margin:0.5em 0 1em}
.gongkai-report h2{font-family:"黑体","SimHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-weight:normal;font-size:16pt;margin:0.6em 0 0.2em;text-indent:2em}
.gongkai-report p{margin:0;text-indent:2em;text-align:justify}
.gongkai-report p.gk-l1 .gk-lead{font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif}
.gongkai-report p.gk-l2 .gk-lead{font-family:"楷体_GB2312","楷体","KaiTi","STKaiti","AR PL UKai CN",serif}
.gongkai-report p.gk-l3 .gk-lead{font-weight:bold}
.gongkai-report table.gk-table{border-collapse:collapse;width:100%;margin:0.8em 0;font-family:"宋体","SimSun","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:10pt;line-height:1.4}
.gongkai-report table.gk-table caption{font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif;font-size:12pt;padding:0.3em}
.gongkai-report table.gk-table th,.gongkai-report table.gk-table td{border:1px solid #000;padding:2px 4px;vertical-align:middle}
.gongkai-report table.gk-table th{font-weight:normal;text-align:center}
.gongkai-report table.gk-table th.gk-caption{text-align:left;background:#c6d9f1}
.gongkai-report table.gk-table th.gk-label{text-align:left}
.gongkai-report table.gk-table td{text-align:center}
.gongkai-report figure.gk-chart{margin:0.8em 0;text-align:center}
.gongkai-report figure.gk-chart svg{max-width:100%;height:auto}
.gongkai-report figure.gk-chart figcaption{font-size:12pt;text-align:center}
.gongkai-report .gk-notice{border:3px double #000;padding:0.5em 1em;margin:0 0 1em;font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif;font-size:12pt}
.gongkai-report .gk-notice p{text-indent:0}
.gongkai-report .gk-signature p{text-align:right;text-indent:0;padding-right:4em}
@media print{.gongkai-report{max-width:none;padding:0}@page{size:A4;margin:37mm 26mm 35mm 28mm}}"#;

/// One block as the template sees it.
enum HBlock {
    Notice(String, Vec<String>),
    Title(String),
    Heading(String),
    Para(&'static str, String, String),
    Table(HTable),
    Chart(String, String, String),
    Signature(Vec<String>),
}

struct HTable {
    id: String,
    layout: &'static str,
    caption: String,
    widths: Vec<String>,
    groups: Vec<HGroup>,
}

struct HGroup {
    tag: &'static str,
    rows: Vec<Vec<HCell>>,
}

struct HCell {
    th: bool,
    id: String,
    scope: &'static str,
    class: &'static str,
    rowspan: usize,
    colspan: usize,
    headers: String,
    key: String,
    text: String,
    /// A value cell's link (empty: none), title (empty: none) and class (empty: none).
    href: String,
    title: String,
    td_class: &'static str,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    title: String,
    css: &'static str,
    blocks: Vec<HBlock>,
    json: String,
    inline_widths: bool,
}

#[derive(Template)]
#[template(path = "report_article.html")]
struct Article {
    blocks: Vec<HBlock>,
    json: String,
    inline_widths: bool,
}

/// Rules that keep a host page's styles out of the report when it is placed in one (a host's
/// `thead th` background or left-aligned cells would otherwise show through).
const EMBEDDED_CSS: &str = ".gongkai-report table.gk-table th,.gongkai-report table.gk-table td{background:transparent;color:#000}
.gongkai-report table.gk-table caption{text-align:center}";

/// The report as a fragment of another page: the `<article class="gongkai-report">` and the style
/// sheet it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragment {
    /// The `<article>` element (escaped by the template; no `<style>`, no `style` attribute).
    pub html: String,
    /// Its style sheet: [`CSS`], the rules that shield it from the host page's, and the column
    /// widths of its tables. Every selector starts with `.gongkai-report`.
    pub css: String,
}

/// The caption of a table in HTML (and the other formats' table titles): `表2　主动公开政府信息情况`.
pub fn caption(t: &PrintedTable) -> String {
    let n = match t.id {
        gongkai_model::TableId::T2 => 2,
        gongkai_model::TableId::T3 => 3,
        gongkai_model::TableId::T4 => 4,
    };
    format!("表{n}　{}", t.title)
}

fn table(t: &PrintedTable) -> HTable {
    let total: u32 = t.widths.iter().sum();
    let widths = t
        .widths
        .iter()
        .map(|w| format!("{:.2}", f64::from(*w) * 100.0 / f64::from(total.max(1))))
        .collect();
    let mut groups = Vec::new();
    for (bi, band) in t.bands.iter().enumerate() {
        let mut head = Vec::new();
        let mut body = Vec::new();
        for (ri, row) in band.rows.iter().enumerate() {
            let cells = row
                .iter()
                .map(|c| {
                    let (scope, class) = match c.role {
                        Role::Caption => ("colgroup", "gk-caption"),
                        Role::Header if c.col_span > 1 => ("colgroup", "gk-header"),
                        Role::Header => ("col", "gk-header"),
                        Role::Group => ("rowgroup", "gk-group"),
                        Role::Label => ("row", "gk-label"),
                        Role::Value(_) => ("", ""),
                    };
                    HCell {
                        th: c.is_heading(),
                        id: c.id.clone(),
                        scope,
                        class,
                        rowspan: c.row_span,
                        colspan: c.col_span,
                        headers: c.headers.join(" "),
                        key: c.key().map(|k| k.to_string()).unwrap_or_default(),
                        text: c.text.clone(),
                        href: String::new(),
                        title: String::new(),
                        td_class: "",
                    }
                })
                .collect();
            if bi == 0 && ri < band.header_rows {
                head.push(cells);
            } else {
                body.push(cells);
            }
        }
        if !head.is_empty() {
            groups.push(HGroup { tag: "thead", rows: head });
        }
        groups.push(HGroup { tag: "tbody", rows: body });
    }
    HTable {
        id: format!("gk-{}", t.id),
        layout: t.layout.key(),
        caption: caption(t),
        widths,
        groups,
    }
}

/// Makes text safe inside `<script type="application/json">` (no `</script>`, no `<!--`).
fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "<\\!--")
}

/// Renders the page.
///
/// # Errors
/// [`RenderError::Template`] if the template engine fails (it does not for valid documents).
pub fn render(doc: &ReportDoc) -> Result<String, RenderError> {
    let page = Page {
        title: doc.title.clone(),
        css: CSS,
        blocks: blocks(doc),
        json: script_safe(&doc.json()),
        inline_widths: true,
    };
    page.render().map_err(|e| RenderError::Template(e.to_string()))
}

/// Renders the report as a [`Fragment`] of another page, in the same layout as [`render`].
///
/// # Errors
/// [`RenderError::Template`] if the template engine fails (it does not for valid documents).
pub fn fragment(doc: &ReportDoc) -> Result<Fragment, RenderError> {
    let blocks = blocks(doc);
    let css = sheet(&blocks);
    let article = Article { blocks, json: script_safe(&doc.json()), inline_widths: false };
    let html = article.render().map_err(|e| RenderError::Template(e.to_string()))?;
    Ok(Fragment { html, css })
}

/// What a value cell of [`tables`] links to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CellLink {
    /// The link's target.
    pub href: String,
    /// A note shown on hover (the cell's `title`), empty for none.
    pub title: String,
    /// A class of the cell (`td`), empty for none.
    pub class: &'static str,
}

/// The tables of `report` alone — no title, sections, charts or embedded JSON — as a
/// [`Fragment`] of another page, in the official layout; each value cell for which `link` gives a
/// [`CellLink`] holds a link (the web application's roll-up links every summed cell to its
/// drill-down).
///
/// # Errors
/// [`RenderError::Template`] if the template engine fails (it does not for valid reports).
pub fn tables(
    report: &Report,
    link: impl Fn(CellKey) -> Option<CellLink>,
) -> Result<Fragment, RenderError> {
    let mut blocks = Vec::new();
    for t in report.tables() {
        let mut h = table(&PrintedTable::new(t));
        for c in h.groups.iter_mut().flat_map(|g| g.rows.iter_mut()).flatten() {
            let Some(l) = (!c.th).then(|| c.key.parse::<CellKey>().ok()).flatten().and_then(&link)
            else {
                continue;
            };
            c.href = l.href;
            c.title = l.title;
            c.td_class = l.class;
        }
        blocks.push(HBlock::Table(h));
    }
    let css = sheet(&blocks);
    let article = Article { blocks, json: String::new(), inline_widths: false };
    let html = article.render().map_err(|e| RenderError::Template(e.to_string()))?;
    Ok(Fragment { html, css })
}

/// The style sheet of a fragment: [`CSS`], the shield from the host page, the column widths.
fn sheet(blocks: &[HBlock]) -> String {
    let mut css = format!("{CSS}\n{EMBEDDED_CSS}\n");
    for b in blocks {
        if let HBlock::Table(t) = b {
            for (i, w) in t.widths.iter().enumerate() {
                let _ = writeln!(
                    css,
                    ".gongkai-report #{} col:nth-child({}){{width:{w}%}}",
                    t.id,
                    i + 1
                );
            }
        }
    }
    css
}

/// The document's blocks as the templates see them.
fn blocks(doc: &ReportDoc) -> Vec<HBlock> {
    doc.blocks
        .iter()
        .map(|b| match b {
            Block::Notice(n) => HBlock::Notice(n.title.clone(), n.lines.clone()),
            Block::Title(t) => HBlock::Title(t.clone()),
            Block::Heading(_, t) => HBlock::Heading(t.clone()),
            Block::Para(p) => {
                let class = match p.level {
                    Level::Body => "gk-body",
                    Level::First => "gk-l1",
                    Level::Second => "gk-l2",
                    Level::Third => "gk-l3",
                    Level::Fourth => "gk-l4",
                };
                HBlock::Para(class, p.lead.clone(), p.rest.clone())
            }
            Block::Table(t) => HBlock::Table(table(t)),
            Block::Chart(i, n) => {
                let c = &doc.charts[*i];
                let id = format!("gk-fig-{}", c.id);
                HBlock::Chart(
                    id.clone(),
                    c.svg_with(Some(&format!("{id}-desc"))),
                    format!("图{n}　{}", c.title),
                )
            }
            Block::Signature(lines) => HBlock::Signature(lines.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use gongkai_model::json::ReportJson;

    use super::*;
    use crate::Options;

    fn doc(agency: &str) -> ReportDoc {
        let json = include_str!("../tests/data/sample-2023.json");
        let mut report = ReportJson::parse(json).and_then(ReportJson::into_report).expect("sample");
        report.meta.agency = Some(gongkai_model::Spanned::bare(agency.to_owned()));
        ReportDoc::new(&report, &[], None, Options::default()).expect("laid out")
    }

    #[test]
    fn the_fragment_is_the_documents_article_without_style_attributes() {
        let d = doc("县教育局");
        let whole = render(&d).expect("document");
        let part = fragment(&d).expect("fragment");
        assert!(part.html.starts_with("<article class=\"gongkai-report\""), "{}", part.html);
        assert!(part.html.ends_with("</article>"));
        assert!(!part.html.contains("<style") && !part.html.contains(" style="));
        // The same article as in the document, but for the widths.
        let start = whole.find("<article").expect("article");
        let end = whole.find("</article>").expect("end") + "</article>".len();
        assert!(whole[start..end].contains("<col style=\"width:25.00%\">"));
        assert_eq!(without_widths(&whole[start..end]), part.html);
    }

    /// HTML with its `style="width:…%"` attributes removed.
    fn without_widths(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find(" style=\"width:") {
            out.push_str(&rest[..at]);
            let after = &rest[at..];
            let close = after.find("%\"").expect("closing quote") + 2;
            rest = &after[close..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn the_fragments_sheet_is_scoped_and_has_every_tables_widths() {
        let part = fragment(&doc("县教育局")).expect("fragment");
        for line in part.css.lines().filter(|l| !l.is_empty()) {
            assert!(
                line.starts_with(".gongkai-report")
                    || line.starts_with("@media print{.gongkai-report"),
                "unscoped rule: {line}"
            );
        }
        for table in ["gk-t2", "gk-t3", "gk-t4"] {
            assert!(part.html.contains(&format!("id=\"{table}\"")));
            assert!(
                part.css.contains(&format!(".gongkai-report #{table} col:nth-child(1){{width:"))
            );
        }
        assert!(part.css.contains("#gk-t4 col:nth-child(15){width:"));
    }

    #[test]
    fn the_fragment_escapes_what_the_report_says() {
        let part = fragment(&doc("<script>alert(1)</script>局")).expect("fragment");
        let (text, data) =
            part.html.split_once("<script type=\"application/json\"").expect("the data block");
        assert!(!text.contains("<script"), "{text}");
        assert!(text.contains("&#60;script&#62;alert(1)&#60;/script&#62;局"));
        // The JSON block cannot be closed early by what it carries.
        assert_eq!(data.matches("</script>").count(), 1);
    }

    #[test]
    fn tables_alone_link_the_cells_asked_for() {
        let report = doc("县教育局").report;
        let key: CellKey = "t3.granted.total".parse().expect("key");
        let part = tables(&report, |k| {
            (k == key).then(|| CellLink {
                href: "/x?a=1&b=<2>".to_owned(),
                title: "3 个机关".to_owned(),
                class: "gk-unknown",
            })
        })
        .expect("tables");
        assert!(part.html.starts_with("<article class=\"gongkai-report\""), "{}", part.html);
        assert!(!part.html.contains("<script") && !part.html.contains("<h1"));
        assert_eq!(part.html.matches("<table ").count(), 3);
        assert_eq!(part.html.matches("<a ").count(), 1);
        let cell = part.html.split("data-key=\"t3.granted.total\"").nth(1).expect("the cell");
        let cell = &cell[..cell.find("</td>").expect("end")];
        assert!(
            cell.starts_with(
                " class=\"gk-unknown\" title=\"3 个机关\"><a href=\"/x?a=1&#38;b=&#60;2&#62;\">"
            ),
            "{cell}"
        );
        // The same sheet as the whole report's fragment: the same tables.
        assert_eq!(part.css, fragment(&doc("县教育局")).expect("fragment").css);
    }
}
