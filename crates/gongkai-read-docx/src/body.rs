//! From the `word/document.xml` tree to blocks in reading order, resolving what Word shows:
//!
//! - runs are concatenated as they are (a number split over runs joins without a space);
//! - `w:tab` → tab, `w:br`/`w:cr` → line break, `w:noBreakHyphen` → `-`, `w:sym` → its character;
//! - tracked changes as the final text: `w:del`, `w:moveFrom`, deleted table rows dropped;
//!   `w:ins`, `w:moveTo` kept; a deleted paragraph mark joins the paragraph to the next;
//! - fields show their result, not their code (`w:instrText` and the part of a complex field
//!   before `separate` are dropped; fields nest);
//! - hidden text (`w:vanish`) is dropped, as Word does not print it;
//! - text boxes (`w:txbxContent`) are read as blocks after the paragraph that anchors them; of an
//!   `mc:AlternateContent` only the first `mc:Choice` is read (its `mc:Fallback` repeats it);
//! - tables: `gridBefore`, `gridSpan` and `vMerge` (restart / continue) give each printed cell its
//!   column and spans in the expanded grid; a nested table is flattened into its cell's text.
//!
//! Full-width spaces and other characters are kept as text: deciding what a cell means is the
//! recognizer's job.

use std::collections::{BTreeMap, BTreeSet};

use crate::xml::El;

pub(crate) use gongkai_doc::word::{Block, Cell, Table, Tally};

/// Walks the body.
pub(crate) struct Walker {
    pub(crate) blocks: Vec<Block>,
    pub(crate) tally: Tally,
    /// Complex fields open: `true` while in the field code (before `separate`).
    fields: Vec<bool>,
    paragraphs: u32,
    tables: u32,
    /// Text of a paragraph whose mark was deleted, waiting for the next paragraph.
    carry: String,
}

impl Walker {
    pub(crate) fn new() -> Self {
        Walker {
            blocks: Vec::new(),
            tally: Tally::default(),
            fields: Vec::new(),
            paragraphs: 0,
            tables: 0,
            carry: String::new(),
        }
    }

    /// Reads block-level content (`w:body`, `w:sdtContent`, `w:txbxContent`, …) into `self.blocks`.
    pub(crate) fn blocks_of(&mut self, container: &El) {
        for el in container.elements() {
            match el.name.as_str() {
                "w:p" => self.paragraph(el),
                "w:tbl" => {
                    let table = self.table(el);
                    self.blocks.push(Block::Table(table));
                }
                "w:sdt" => {
                    if let Some(content) = el.child("w:sdtContent") {
                        self.blocks_of(content);
                    }
                }
                "w:customXml" | "w:ins" | "w:moveTo" | "w:smartTag" => {
                    if el.name != "w:customXml" && el.name != "w:smartTag" {
                        self.tally.insertions += 1;
                    }
                    self.blocks_of(el);
                }
                "w:del" | "w:moveFrom" => self.tally.deletions += 1,
                "mc:AlternateContent" => {
                    if let Some(choice) = chosen(el) {
                        self.blocks_of(choice);
                    }
                }
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: &El) {
        let index = self.paragraphs;
        self.paragraphs += 1;
        let mut text = std::mem::take(&mut self.carry);
        let mut boxes = Vec::new();
        self.inline(p, &mut text, &mut boxes);
        let mark_deleted = p
            .child("w:pPr")
            .and_then(|ppr| ppr.child("w:rPr"))
            .is_some_and(|rpr| rpr.child("w:del").is_some() || rpr.child("w:moveFrom").is_some());
        if mark_deleted {
            self.tally.deletions += 1;
            self.carry = text;
        } else {
            self.blocks.push(Block::Para { text, index });
        }
        for b in boxes {
            self.tally.text_boxes += 1;
            let mut inner = Walker::new();
            inner.paragraphs = self.paragraphs;
            inner.tables = self.tables;
            inner.blocks_of(b);
            self.tables = inner.tables;
            merge_tally(&mut self.tally, inner.tally);
            self.blocks.extend(inner.blocks.into_iter().map(|blk| match blk {
                Block::Para { text, .. } => Block::Para { text, index },
                other => other,
            }));
        }
    }

    /// Collects the inline content of `el` (a paragraph or an inline container) into `out`;
    /// text boxes met are returned in `boxes`.
    fn inline<'a>(&mut self, el: &'a El, out: &mut String, boxes: &mut Vec<&'a El>) {
        for child in el.elements() {
            match child.name.as_str() {
                "w:r" => self.run(child, out, boxes),
                "w:hyperlink" | "w:smartTag" | "w:customXml" | "w:fldSimple" | "w:dir"
                | "w:bdo" => {
                    if child.name == "w:fldSimple" {
                        self.tally.fields += 1;
                    }
                    self.inline(child, out, boxes);
                }
                "w:ins" | "w:moveTo" => {
                    self.tally.insertions += 1;
                    self.inline(child, out, boxes);
                }
                "w:del" | "w:moveFrom" => self.tally.deletions += 1,
                "w:sdt" => {
                    if let Some(content) = child.child("w:sdtContent") {
                        self.inline(content, out, boxes);
                    }
                }
                "mc:AlternateContent" => {
                    if let Some(choice) = chosen(child) {
                        self.inline(choice, out, boxes);
                    }
                }
                _ => {}
            }
        }
    }

    fn run<'a>(&mut self, r: &'a El, out: &mut String, boxes: &mut Vec<&'a El>) {
        let hidden = r
            .child("w:rPr")
            .and_then(|rpr| rpr.child("w:vanish"))
            .is_some_and(|v| !matches!(v.attr("val"), Some("0" | "false" | "off")));
        if hidden {
            self.tally.hidden_runs += 1;
        }
        for c in r.elements() {
            let showing = !hidden && !self.fields.iter().any(|in_code| *in_code);
            match c.name.as_str() {
                "w:t" if showing => out.push_str(&c.text()),
                "w:tab" | "w:ptab" if showing => out.push('\t'),
                "w:br" | "w:cr" if showing => out.push('\n'),
                "w:noBreakHyphen" if showing => out.push('-'),
                "w:sym" if showing => {
                    if let Some(ch) = c
                        .attr("char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                    {
                        out.push(ch);
                    }
                }
                "w:fldChar" => match c.attr("fldCharType") {
                    Some("begin") => {
                        self.tally.fields += 1;
                        self.fields.push(true);
                    }
                    Some("separate") => {
                        if let Some(last) = self.fields.last_mut() {
                            *last = false;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                _ => find_text_boxes(c, boxes),
            }
        }
    }

    fn table(&mut self, tbl: &El) -> Table {
        let index = self.tables;
        self.tables += 1;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        // open[col] = (row, cell) of the cell a vertical merge starting at `col` continues. Ordered
        // maps keep a hostile table with thousands of merged columns linear-logarithmic.
        let mut open: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for tr in rows_of(tbl) {
            let trpr = tr.child("w:trPr");
            if trpr.is_some_and(|p| p.child("w:del").is_some()) {
                self.tally.deletions += 1;
                continue;
            }
            if trpr.is_some_and(|p| p.child("w:ins").is_some()) {
                self.tally.insertions += 1;
            }
            let grid_before = trpr
                .and_then(|p| p.child("w:gridBefore"))
                .and_then(|g| g.attr("val"))
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0);
            let r = rows.len();
            let mut row: Vec<Cell> = Vec::new();
            let mut col = grid_before.min(1000);
            // Column arithmetic saturates: a hostile row of millions of wide cells must not overflow.
            let mut continued: BTreeSet<u32> = BTreeSet::new();
            for (i, tc) in cells_of(tr).into_iter().enumerate() {
                let tcpr = tc.child("w:tcPr");
                let span = tcpr
                    .and_then(|p| p.child("w:gridSpan"))
                    .and_then(|g| g.attr("val"))
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
                let vmerge = tcpr
                    .and_then(|p| p.child("w:vMerge"))
                    .map(|v| v.attr("val").unwrap_or("continue"));
                let hmerge_continue = tcpr
                    .and_then(|p| p.child("w:hMerge"))
                    .is_some_and(|h| h.attr("val") != Some("restart"));
                let text = self.cell_text(tc);
                if hmerge_continue && let Some(prev) = row.last_mut() {
                    // Legacy horizontal merge: the cell is part of the one before it.
                    prev.col_span = prev.col_span.saturating_add(span);
                    if !text.trim().is_empty() {
                        self.tally.merged_text_dropped += 1;
                    }
                    col = col.saturating_add(span);
                    continue;
                }
                if vmerge.is_some_and(|v| v != "restart")
                    && let Some(&(orow, ocell)) = open.get(&col)
                {
                    if let Some(origin) = rows.get_mut(orow).and_then(|row| row.get_mut(ocell)) {
                        origin.row_span = u32::try_from(r - orow + 1).unwrap_or(u32::MAX);
                    }
                    if !text.trim().is_empty() {
                        self.tally.merged_text_dropped += 1;
                    }
                    continued.insert(col);
                    col = col.saturating_add(span);
                    continue;
                }
                if vmerge.is_some_and(|v| v != "restart") {
                    self.tally.orphan_continues += 1;
                }
                let covered: Vec<u32> =
                    open.range(col..col.saturating_add(span)).map(|(c, _)| *c).collect();
                for c in covered {
                    open.remove(&c);
                }
                if vmerge == Some("restart") {
                    open.insert(col, (r, row.len()));
                }
                row.push(Cell {
                    text,
                    source_index: u32::try_from(i).unwrap_or(u32::MAX),
                    col,
                    col_span: span,
                    row_span: 1,
                });
                col = col.saturating_add(span);
            }
            // A merge stays open only while the rows below continue it.
            open.retain(|c, (orow, _)| *orow == r || continued.contains(c));
            rows.push(row);
        }
        Table { index, rows }
    }

    /// The text of a cell: its paragraphs joined (see [`gongkai_doc::join_lines`]); nested tables flattened.
    fn cell_text(&mut self, tc: &El) -> String {
        let mut inner = Walker::new();
        inner.fields = std::mem::take(&mut self.fields);
        inner.blocks_of(tc);
        self.fields = inner.fields;
        let mut lines: Vec<String> = Vec::new();
        for b in inner.blocks {
            match b {
                Block::Para { text, .. } => lines.push(text),
                Block::Table(t) => {
                    self.tally.nested_tables += 1;
                    for row in t.rows {
                        lines.push(
                            row.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" "),
                        );
                    }
                }
            }
        }
        if !inner.carry.is_empty() {
            lines.push(inner.carry);
        }
        merge_tally(&mut self.tally, inner.tally);
        gongkai_doc::join_lines(lines.iter().flat_map(|l| l.split('\n')), '\n')
    }
}

fn merge_tally(into: &mut Tally, from: Tally) {
    into.insertions += from.insertions;
    into.deletions += from.deletions;
    into.text_boxes += from.text_boxes;
    into.hidden_runs += from.hidden_runs;
    into.nested_tables += from.nested_tables;
    into.orphan_continues += from.orphan_continues;
    into.merged_text_dropped += from.merged_text_dropped;
    into.fields += from.fields;
}

/// The branch of an `mc:AlternateContent` that is read: the first `mc:Choice`, or the
/// `mc:Fallback` when there is no choice.
fn chosen(alt: &El) -> Option<&El> {
    alt.child("mc:Choice").or_else(|| alt.child("mc:Fallback"))
}

/// Finds `w:txbxContent` elements under a run's drawing / picture / object, following one branch
/// of each `mc:AlternateContent`.
fn find_text_boxes<'a>(el: &'a El, boxes: &mut Vec<&'a El>) {
    let mut stack = vec![el];
    while let Some(e) = stack.pop() {
        match e.name.as_str() {
            "w:txbxContent" => boxes.push(e),
            "mc:AlternateContent" => stack.extend(chosen(e)),
            _ => {
                let before = stack.len();
                stack.extend(e.elements());
                stack[before..].reverse();
            }
        }
    }
}

/// The rows of a table, including rows wrapped in content controls or custom XML.
fn rows_of(tbl: &El) -> Vec<&El> {
    let mut out = Vec::new();
    for el in tbl.elements() {
        match el.name.as_str() {
            "w:tr" => out.push(el),
            "w:sdt" => out.extend(el.child("w:sdtContent").into_iter().flat_map(rows_of)),
            "w:customXml" => out.extend(rows_of(el)),
            _ => {}
        }
    }
    out
}

/// The cells of a row, including cells wrapped in content controls or custom XML.
fn cells_of(tr: &El) -> Vec<&El> {
    let mut out = Vec::new();
    for el in tr.elements() {
        match el.name.as_str() {
            "w:tc" => out.push(el),
            "w:sdt" => out.extend(el.child("w:sdtContent").into_iter().flat_map(cells_of)),
            "w:customXml" => out.extend(cells_of(el)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn blocks(body: &str) -> Vec<Block> {
        let xml = format!("<w:document {NS}><w:body>{body}</w:body></w:document>");
        let root = xml::parse(xml.as_bytes(), 256, usize::MAX).expect("valid xml");
        let body = root.child("w:document").and_then(|d| d.child("w:body")).expect("body");
        let mut w = Walker::new();
        w.blocks_of(body);
        w.blocks
    }

    fn texts(body: &str) -> Vec<String> {
        blocks(body)
            .into_iter()
            .filter_map(|b| match b {
                Block::Para { text, .. } => Some(text),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn runs_fields_and_changes() {
        let p = r#"<w:p><w:r><w:t>收到</w:t></w:r><w:r><w:t>1</w:t></w:r><w:ins><w:r><w:t>2</w:t></w:r></w:ins><w:del><w:r><w:delText>9</w:delText></w:r></w:del><w:r><w:t>件</w:t><w:tab/><w:t>x</w:t></w:r></w:p>
            <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
            <w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p><w:p><w:r><w:t>后半</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>"#;
        assert_eq!(texts(p), vec!["收到12件\tx", "7", "前半后半"]);
    }

    #[test]
    fn text_boxes_take_one_branch() {
        let p = r#"<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        assert_eq!(texts(p), vec!["锚", "框内"]);
    }

    #[test]
    fn merged_cells() {
        let tc = |props: &str, text: &str| {
            format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
        };
        let body = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            tc(r#"<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>"#, "甲"),
            tc("", "乙"),
            tc(r#"<w:gridSpan w:val="2"/><w:vMerge/>"#, ""),
            tc("", "1"),
            tc("", "x"),
            tc("", "a"),
            tc("", "b"),
            tc("", "c"),
        );
        let Some(Block::Table(t)) = blocks(&body).into_iter().next() else {
            panic!("table expected")
        };
        let shape: Vec<Vec<(u32, u32, u32, &str)>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| (c.col, c.row_span, c.col_span, c.text.as_str())).collect())
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![(0, 2, 2, "甲"), (2, 1, 1, "乙")],
                vec![(2, 1, 1, "1"), (3, 1, 1, "x")],
                vec![(0, 1, 1, "a"), (1, 1, 1, "b"), (2, 1, 1, "c")],
            ]
        );
    }
}
