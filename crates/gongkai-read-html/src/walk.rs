//! Laying out the content root into the document: running text as paragraphs (one per block, and
//! one per `<br>`-separated line), data tables as grids with their spans placed, each piece with the
//! short DOM path it came from (relative to the content root, whose own path is given in a note).

use ego_tree::NodeRef;
use gongkai_doc::{DocumentBuilder, Limits, Origin};
use scraper::Node;

use crate::dom::{self, Page};
use crate::inline::Inline;
use crate::table::{self, Spans};
use crate::{Error, Tally};

/// Lays out `root` (and first the article title, when it lies outside the root).
pub(crate) fn lay_out(
    b: &mut DocumentBuilder,
    root: NodeRef<'_, Node>,
    page: &Page,
    limits: &Limits,
    tally: &mut Tally,
) -> Result<(), Error> {
    let mut w = Walker { b, page, limits, tally, para: Inline::new(), para_path: None };
    if let Some(title) = page.title.and_then(|id| root.tree().get(id))
        && !title.ancestors().any(|a| a.id() == root.id())
        && !root.ancestors().any(|a| a.id() == title.id())
        && title.id() != root.id()
    {
        let mut text = Inline::new();
        w.collect(title, &mut text)?;
        w.para = text;
        w.para_path = Some(dom::absolute_path(title));
        w.flush()?;
    }
    w.walk(root)?;
    w.flush()
}

struct Walker<'b, 'p, 'l, 't> {
    b: &'b mut DocumentBuilder,
    page: &'p Page,
    limits: &'l Limits,
    tally: &'t mut Tally,
    /// The paragraph being collected and the path of the block it started in.
    para: Inline,
    para_path: Option<String>,
}

enum Step<'a> {
    Enter(NodeRef<'a, Node>),
    Leave { block: bool, pre: bool },
}

impl Walker<'_, '_, '_, '_> {
    fn walk(&mut self, root: NodeRef<'_, Node>) -> Result<(), Error> {
        // `path` holds the segments from the root down; `blocks` the path lengths of the open block
        // elements; `counters` the per-name child counts that give each segment its index.
        let root_seg = root_segment(root);
        let mut path: Vec<String> = vec![root_seg];
        let mut blocks: Vec<usize> = vec![1];
        let mut counters: Vec<Vec<(String, u32)>> = vec![Vec::new()];
        let mut pre = 0usize;
        let mut stack: Vec<Step<'_>> = root.children().rev().map(Step::Enter).collect();
        while let Some(step) = stack.pop() {
            let n = match step {
                Step::Leave { block, pre: was_pre } => {
                    path.pop();
                    counters.pop();
                    if block {
                        blocks.pop();
                        self.flush()?;
                    }
                    if was_pre {
                        pre -= 1;
                    }
                    continue;
                }
                Step::Enter(n) => n,
            };
            let el = match n.value() {
                Node::Text(t) => {
                    if self.para.is_empty() {
                        let upto = blocks.last().copied().unwrap_or(1);
                        self.para_path = Some(path[..upto.min(path.len())].join(" > "));
                    }
                    if pre > 0 {
                        self.para.push_pre(t)
                    } else {
                        self.para.push(t)
                    }
                    self.check_len(self.para.len())?;
                    continue;
                }
                Node::Element(el) => el,
                _ => continue,
            };
            let name = el.name();
            if dom::never_content(name) || self.page.dropped.contains(&n.id()) {
                continue;
            }
            let index = next_index(counters.last_mut(), name);
            let seg = dom::segment(name, index);
            if name == "br" || name == "hr" {
                self.flush()?;
                continue;
            }
            if path.len() >= self.limits.max_nesting {
                // Too deep to follow: the subtree's text joins the current paragraph.
                self.tally.flattened += 1;
                if self.para.is_empty() {
                    self.para_path = Some(path.join(" > "));
                }
                let mut text = std::mem::replace(&mut self.para, Inline::new());
                self.collect(n, &mut text)?;
                self.para = text;
                continue;
            }
            if name == "table" {
                if self.page.is_grid(n.id()) {
                    self.flush()?;
                    let table_path = format!("{} > {seg}", path.join(" > "));
                    self.table(n, &table_path)?;
                    continue;
                }
                self.tally.layout_tables += 1;
            }
            let block = dom::is_block(name);
            if block {
                self.flush()?;
            }
            let is_pre = matches!(name, "pre" | "listing" | "xmp" | "plaintext" | "textarea");
            if is_pre {
                pre += 1;
            }
            path.push(seg);
            counters.push(Vec::new());
            if block {
                blocks.push(path.len());
            }
            stack.push(Step::Leave { block, pre: is_pre });
            stack.extend(n.children().rev().map(Step::Enter));
        }
        Ok(())
    }

    /// Emits the collected paragraph, if it has visible text.
    fn flush(&mut self) -> Result<(), Error> {
        let text = self.para.take();
        let path = self.para_path.take();
        for line in text.split('\n') {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if let Some(path) = &path {
                self.b.origin(Origin::Html { path: path.clone() });
            }
            self.b.para(line);
        }
        self.check_len(0)
    }

    fn check_len(&self, extra: usize) -> Result<(), Error> {
        if self.b.text().len().saturating_add(extra) > self.limits.max_text_bytes {
            return Err(Error::TextTooLarge { limit: self.limits.max_text_bytes });
        }
        Ok(())
    }

    /// Lays out a data table: its caption as a paragraph, then the grid.
    fn table(&mut self, t: NodeRef<'_, Node>, table_path: &str) -> Result<(), Error> {
        let mut rows: Vec<Vec<NodeRef<'_, Node>>> = Vec::new();
        for child in t.children() {
            match child.value().as_element().map(|e| e.name()) {
                Some("caption") => {
                    let mut text = Inline::new();
                    self.collect(child, &mut text)?;
                    self.para = text;
                    self.para_path = Some(format!("{table_path} > caption"));
                    self.flush()?;
                }
                Some("tr") if !self.invisible_row(child)? => rows.push(cells(child, self.page)),
                Some("thead" | "tbody" | "tfoot") => {
                    for tr in child
                        .children()
                        .filter(|c| c.value().as_element().is_some_and(|e| e.name() == "tr"))
                    {
                        if !self.page.dropped.contains(&tr.id()) && !self.invisible_row(tr)? {
                            rows.push(cells(tr, self.page));
                        }
                    }
                }
                _ => {}
            }
        }
        if rows.iter().all(Vec::is_empty) {
            return Ok(());
        }
        let spans: Vec<Vec<Spans>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| {
                        let el = c.value().as_element();
                        Spans::parse(
                            el.and_then(|e| e.attr("rowspan")),
                            el.and_then(|e| e.attr("colspan")),
                        )
                    })
                    .collect()
            })
            .collect();
        let (placed, adjusted) = table::place(&spans);
        self.tally.rowspans_cut += adjusted.rowspans_cut;
        self.tally.colspans_cut += adjusted.colspans_cut;
        self.tally.columns_capped += adjusted.columns_capped;
        for (r, (row, placed_row)) in rows.iter().zip(&placed).enumerate() {
            let row_path = format!("{table_path} > tr[{}]", r + 1);
            self.b.origin(Origin::Html { path: row_path.clone() });
            self.b.row();
            for (c, (cell, p)) in row.iter().zip(placed_row).enumerate() {
                let mut text = Inline::cell();
                self.collect(*cell, &mut text)?;
                let name = cell.value().as_element().map_or("td", |e| e.name());
                self.b.origin(Origin::Html { path: format!("{row_path} > {name}[{}]", c + 1) });
                self.b.cell(&text.take(), p.rows, p.cols, p.col);
                self.check_len(0)?;
            }
        }
        self.b.end_table();
        Ok(())
    }

    /// A row of zero height whose cells are all empty: Word's HTML export adds one to fix column
    /// widths (`<![if !supportMisalignedColumns]><tr height=0>…`); it is not printed.
    fn invisible_row(&mut self, tr: NodeRef<'_, Node>) -> Result<bool, Error> {
        let Some(el) = tr.value().as_element() else { return Ok(false) };
        let zero =
            el.attr("height").is_some_and(|h| h.trim().parse::<f32>().is_ok_and(|v| v == 0.0))
                || el.attr("style").is_some_and(zero_height_style);
        if !zero {
            return Ok(false);
        }
        let mut text = Inline::new();
        self.collect(tr, &mut text)?;
        Ok(text.take().trim().is_empty())
    }

    /// Collects the text of `node`'s subtree into `out`: block boundaries and `<br>` become line
    /// breaks, cells of a nested table are separated by spaces and its rows by line breaks.
    fn collect(&mut self, node: NodeRef<'_, Node>, out: &mut Inline) -> Result<(), Error> {
        enum C<'a> {
            Enter(NodeRef<'a, Node>),
            Leave(&'static str),
            LeavePre,
        }
        let mut pre = 0usize;
        let mut stack = vec![C::Enter(node)];
        while let Some(step) = stack.pop() {
            let n = match step {
                C::Enter(n) => n,
                C::Leave("block") => {
                    out.line_break();
                    continue;
                }
                C::Leave(_) => {
                    out.push(" ");
                    continue;
                }
                C::LeavePre => {
                    pre -= 1;
                    continue;
                }
            };
            match n.value() {
                Node::Text(t) => {
                    if pre > 0 {
                        out.push_pre(t);
                    } else {
                        out.push(t);
                    }
                    self.check_len(out.len())?;
                }
                Node::Element(el) => {
                    let name = el.name();
                    if dom::never_content(name) || self.page.dropped.contains(&n.id()) {
                        continue;
                    }
                    if name == "br" || name == "hr" {
                        out.line_break();
                        continue;
                    }
                    if matches!(name, "td" | "th") && n.id() != node.id() {
                        out.push(" ");
                        stack.push(C::Leave("cell"));
                    } else if dom::is_block(name) && n.id() != node.id() {
                        out.line_break();
                        stack.push(C::Leave("block"));
                    }
                    if matches!(name, "pre" | "listing" | "xmp" | "plaintext") {
                        pre += 1;
                        stack.push(C::LeavePre);
                    }
                    stack.extend(n.children().rev().map(C::Enter));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The cells (`td`, `th`) of a row, in order, except dropped ones.
fn cells<'a>(tr: NodeRef<'a, Node>, page: &Page) -> Vec<NodeRef<'a, Node>> {
    tr.children()
        .filter(|c| c.value().as_element().is_some_and(|e| matches!(e.name(), "td" | "th")))
        .filter(|c| !page.dropped.contains(&c.id()))
        .collect()
}

/// Whether an inline style sets `height` to zero (`height:0`, `height: 0pt`).
fn zero_height_style(style: &str) -> bool {
    let compact: String =
        style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    compact.split(';').any(|decl| {
        decl.strip_prefix("height:").is_some_and(|v| {
            let num: String = v.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            num.parse::<f32>().is_ok_and(|n| n == 0.0)
        })
    })
}

/// Counts a child named `name` under the current parent and returns its 1-based index among
/// same-name siblings.
fn next_index(counters: Option<&mut Vec<(String, u32)>>, name: &str) -> u32 {
    let Some(counters) = counters else { return 1 };
    if let Some(entry) = counters.iter_mut().find(|(n, _)| n == name) {
        entry.1 += 1;
        return entry.1;
    }
    counters.push((name.to_owned(), 1));
    1
}

/// The root's segment: its name with its id or first class (its full path is in a note).
fn root_segment(root: NodeRef<'_, Node>) -> String {
    let Some(el) = root.value().as_element() else { return "document".to_owned() };
    match (el.id(), el.classes().next()) {
        (Some(id), _) => format!("{}#{id}", el.name()),
        (None, Some(class)) => format!("{}.{class}", el.name()),
        (None, None) => el.name().to_owned(),
    }
}
