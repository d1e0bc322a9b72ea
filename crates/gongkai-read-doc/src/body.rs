//! From the main text's characters (with their properties) to blocks in reading order, as the
//! DOCX reader lays out the same document:
//!
//! - paragraph marks (0x0D) end paragraphs; a deleted paragraph mark joins the paragraph to the
//!   next;
//! - in a table, 0x07 ends a cell and the row-end mark (a paragraph with `fTtp`) ends a row, whose
//!   cell boundaries give each cell its column and span in the table's grid (the union of every
//!   row's boundaries, as Word's own table grid); vertical and legacy horizontal merges as in
//!   DOCX; a table nested in a cell is flattened into the cell's text;
//! - fields show their result, not their code (0x13 begin, 0x14 separator, 0x15 end; nested);
//! - hidden and deleted text is dropped, inserted text kept;
//! - tab → tab, line break (0x0B), page / section / column break → line break, non-breaking
//!   hyphen → `-`, optional hyphen dropped, symbols → their character, other special characters
//!   (pictures, footnote references, drawn objects) dropped.

use std::collections::{BTreeMap, BTreeSet};

use gongkai_doc::join_lines;

use crate::props::{Chp, Pap, Runs, Tap, VMerge};

/// Most rows kept in one table, and most cells in one row (Word allows 63 columns).
const MAX_ROWS: usize = 100_000;
const MAX_CELLS: usize = 4096;

pub(crate) use gongkai_doc::word::{Block, Cell, Table, Tally};

/// A row as read: its cells' texts and its definition.
struct RawRow {
    cells: Vec<String>,
    tap: Option<Tap>,
}

/// Builds blocks from characters.
pub(crate) struct Body<'a> {
    chp: &'a Runs<Chp>,
    pap: &'a Runs<Pap>,
    pub(crate) blocks: Vec<Block>,
    pub(crate) tally: Tally,
    /// The paragraph being read.
    para: String,
    /// Text of a paragraph whose mark was deleted, waiting for the next paragraph.
    carry: String,
    /// Complex fields open: `true` while in the field code (before the separator).
    fields: Vec<bool>,
    paragraphs: u32,
    tables: u32,
    /// The table being read.
    rows: Vec<RawRow>,
    in_table: bool,
    /// Paragraphs of the current cell, finished cells of the current row.
    cell_lines: Vec<String>,
    row_cells: Vec<String>,
    /// The same for a nested table.
    inner_lines: Vec<String>,
    inner_cells: Vec<String>,
    nested_open: bool,
    /// Previous character's state, to count runs rather than characters.
    last: Chp,
}

impl<'a> Body<'a> {
    pub(crate) fn new(chp: &'a Runs<Chp>, pap: &'a Runs<Pap>) -> Self {
        Body {
            chp,
            pap,
            blocks: Vec::new(),
            tally: Tally::default(),
            para: String::new(),
            carry: String::new(),
            fields: Vec::new(),
            paragraphs: 0,
            tables: 0,
            rows: Vec::new(),
            in_table: false,
            cell_lines: Vec::new(),
            row_cells: Vec::new(),
            inner_lines: Vec::new(),
            inner_cells: Vec::new(),
            nested_open: false,
            last: Chp::default(),
        }
    }

    /// Takes the next character of the main text, stored at `fc`.
    pub(crate) fn push(&mut self, ch: char, fc: u32) {
        let chp = self.chp.at(fc).copied().unwrap_or_default();
        let last = std::mem::replace(&mut self.last, chp);
        if chp.deleted && !last.deleted {
            self.tally.deletions += 1;
        }
        if chp.inserted && !last.inserted {
            self.tally.insertions += 1;
        }
        match ch {
            '\r' if chp.deleted => {
                // A deleted paragraph mark: the paragraph continues into the next one.
            }
            '\r' | '\u{7}' => self.end_paragraph(ch, fc),
            '\u{13}' => {
                self.tally.fields += 1;
                self.fields.push(true);
            }
            '\u{14}' => {
                if let Some(top) = self.fields.last_mut() {
                    *top = false;
                }
            }
            '\u{15}' => {
                self.fields.pop();
            }
            _ if chp.deleted => {}
            _ if chp.vanish => {
                if !last.vanish {
                    self.tally.hidden_runs += 1;
                }
            }
            _ if self.fields.iter().any(|in_code| *in_code) => {}
            _ if chp.special => {
                if let Some(sym) = chp.symbol {
                    self.para.push(sym);
                }
            }
            '\t' => self.para.push('\t'),
            '\u{B}' | '\u{C}' | '\u{E}' => self.para.push('\n'),
            '\u{1E}' => self.para.push('-'),
            c if c.is_control() => {}
            c => self.para.push(c),
        }
    }

    fn end_paragraph(&mut self, mark: char, fc: u32) {
        let pap = self.pap.at(fc).cloned().unwrap_or_default();
        let mut text = std::mem::take(&mut self.carry);
        text.push_str(&std::mem::take(&mut self.para));
        let itap = if pap.itap > 0 {
            pap.itap
        } else if pap.in_table || mark == '\u{7}' {
            1
        } else {
            0
        };
        if itap == 0 {
            self.end_table();
            let index = self.paragraphs;
            self.paragraphs = self.paragraphs.saturating_add(1);
            self.blocks.push(Block::Para { text, index });
            return;
        }
        self.in_table = true;
        if itap >= 2 {
            if !self.nested_open {
                self.nested_open = true;
                self.tally.nested_tables += 1;
            }
            if pap.inner_ttp {
                if !self.inner_lines.is_empty() {
                    let lines = std::mem::take(&mut self.inner_lines);
                    self.inner_cells
                        .push(join_lines(lines.iter().flat_map(|l| l.split('\n')), '\n'));
                }
                let row = std::mem::take(&mut self.inner_cells);
                self.cell_lines.push(row.join(" "));
            } else {
                self.inner_lines.push(text);
                if pap.inner_cell || mark == '\u{7}' {
                    let lines = std::mem::take(&mut self.inner_lines);
                    self.inner_cells
                        .push(join_lines(lines.iter().flat_map(|l| l.split('\n')), '\n'));
                }
            }
            return;
        }
        self.nested_open = false;
        if pap.ttp {
            if !self.cell_lines.is_empty() {
                self.end_cell();
            }
            let cells = std::mem::take(&mut self.row_cells);
            if self.rows.len() < MAX_ROWS {
                self.rows.push(RawRow { cells, tap: pap.tap });
            } else {
                self.tally.cut_rows += 1;
            }
        } else {
            self.cell_lines.push(text);
            if mark == '\u{7}' {
                self.end_cell();
            }
        }
    }

    fn end_cell(&mut self) {
        let lines = std::mem::take(&mut self.cell_lines);
        if self.row_cells.len() < MAX_CELLS {
            self.row_cells.push(join_lines(lines.iter().flat_map(|l| l.split('\n')), '\n'));
        }
    }

    /// Ends the text: an open paragraph and table are closed.
    pub(crate) fn finish(&mut self) {
        if !self.para.is_empty() || !self.carry.is_empty() {
            let mut text = std::mem::take(&mut self.carry);
            text.push_str(&std::mem::take(&mut self.para));
            if self.in_table {
                self.cell_lines.push(text);
            } else {
                self.end_table();
                self.blocks.push(Block::Para { text, index: self.paragraphs });
            }
        }
        self.end_table();
    }

    /// Closes the table being read (a row without its row-end mark is kept as a row).
    fn end_table(&mut self) {
        if !self.in_table {
            return;
        }
        self.in_table = false;
        self.nested_open = false;
        if !self.cell_lines.is_empty() {
            self.end_cell();
        }
        if !self.row_cells.is_empty() {
            let cells = std::mem::take(&mut self.row_cells);
            self.rows.push(RawRow { cells, tap: None });
        }
        let rows = std::mem::take(&mut self.rows);
        if rows.is_empty() {
            return;
        }
        let index = self.tables;
        self.tables = self.tables.saturating_add(1);
        let table = lay_out_table(index, rows, &mut self.tally);
        self.blocks.push(Block::Table(table));
    }
}

/// Places the cells of a table's rows in its grid: the grid's columns are the union of every
/// row's cell boundaries; a cell's column is the position of its left boundary and its span the
/// number of grid columns to its right boundary. Rows without a definition place their cells one
/// column each.
fn lay_out_table(index: u32, raw: Vec<RawRow>, tally: &mut Tally) -> Table {
    let edges: BTreeSet<i16> = raw
        .iter()
        .filter_map(|r| r.tap.as_ref())
        .flat_map(|t| t.boundaries.iter().copied())
        .collect();
    let edges: Vec<i16> = edges.into_iter().collect();
    let column = |x: i16| u32::try_from(edges.partition_point(|&e| e < x)).unwrap_or(u32::MAX);
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(raw.len());
    // open[col] = (row, cell) of the cell a vertical merge starting at `col` continues.
    let mut open: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (r, RawRow { cells, tap }) in raw.into_iter().enumerate() {
        let mut row: Vec<Cell> = Vec::new();
        let mut continued: BTreeSet<u32> = BTreeSet::new();
        let mut next_col = 0u32;
        for (i, text) in cells.into_iter().enumerate() {
            let def = tap.as_ref().and_then(|t| t.cells.get(i)).copied().unwrap_or_default();
            let bounds =
                tap.as_ref().and_then(|t| Some((*t.boundaries.get(i)?, *t.boundaries.get(i + 1)?)));
            let (col, span) = match bounds {
                Some((left, right)) => {
                    let (a, b) = (column(left), column(right));
                    (a.max(next_col), b.saturating_sub(a).max(1))
                }
                None => (next_col, 1),
            };
            next_col = col.saturating_add(span);
            if def.merged
                && let Some(prev) = row.last_mut()
            {
                // Legacy horizontal merge: the cell is part of the one before it.
                prev.col_span = next_col.saturating_sub(prev.col).max(1);
                if !text.trim().is_empty() {
                    tally.merged_text_dropped += 1;
                }
                continue;
            }
            if def.vmerge == VMerge::Continue {
                if let Some(&(orow, ocell)) = open.get(&col) {
                    if let Some(origin) = rows.get_mut(orow).and_then(|row| row.get_mut(ocell)) {
                        origin.row_span = u32::try_from(r - orow + 1).unwrap_or(u32::MAX);
                    }
                    if !text.trim().is_empty() {
                        tally.merged_text_dropped += 1;
                    }
                    continued.insert(col);
                    continue;
                }
                tally.orphan_continues += 1;
            }
            let covered: Vec<u32> =
                open.range(col..col.saturating_add(span)).map(|(c, _)| *c).collect();
            for c in covered {
                open.remove(&c);
            }
            if def.vmerge == VMerge::Restart {
                open.insert(col, (r, row.len()));
            }
            row.push(Cell {
                text,
                source_index: u32::try_from(i).unwrap_or(u32::MAX),
                col,
                col_span: span,
                row_span: 1,
            });
        }
        open.retain(|c, (orow, _)| *orow == r || continued.contains(c));
        rows.push(row);
    }
    Table { index, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::props::TcDef;

    fn tap(bounds: &[i16], vm: &[VMerge]) -> Option<Tap> {
        Some(Tap {
            boundaries: bounds.to_vec(),
            cells: vm.iter().map(|&vmerge| TcDef { merged: false, vmerge }).collect(),
        })
    }

    #[test]
    fn grid_from_boundaries_and_merges() {
        use VMerge::{Continue as C, None as N, Restart as R};
        let raw = vec![
            RawRow { cells: vec!["甲".into(), "乙".into()], tap: tap(&[0, 200, 300], &[R, N]) },
            RawRow {
                cells: vec!["".into(), "1".into(), "x".into()],
                tap: tap(&[0, 200, 250, 300], &[C, N, N]),
            },
            RawRow { cells: vec!["a".into(), "b".into()], tap: None },
        ];
        let mut tally = Tally::default();
        let t = lay_out_table(0, raw, &mut tally);
        let shape: Vec<Vec<(u32, u32, u32, &str)>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| (c.col, c.row_span, c.col_span, c.text.as_str())).collect())
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![(0, 2, 1, "甲"), (1, 1, 2, "乙")],
                vec![(1, 1, 1, "1"), (2, 1, 1, "x")],
                vec![(0, 1, 1, "a"), (1, 1, 1, "b")],
            ]
        );
        assert_eq!(tally, Tally::default());
    }

    #[test]
    fn characters_to_blocks() {
        let chp = crate::props::tests_support::runs(vec![(
            100,
            103,
            Chp { vanish: true, ..Chp::default() },
        )]);
        let pap = crate::props::tests_support::runs(vec![
            (20, 21, Pap { in_table: true, itap: 1, ..Pap::default() }),
            (21, 22, Pap { in_table: true, itap: 1, ttp: true, ..Pap::default() }),
        ]);
        let mut b = Body::new(&chp, &pap);
        let text = "收到\u{13} PAGE \u{14}7\u{15}件\r";
        for (i, c) in text.chars().enumerate() {
            b.push(c, 1 + i as u32);
        }
        for (i, c) in "隐藏".chars().enumerate() {
            b.push(c, 100 + i as u32);
        }
        b.push('\r', 50);
        b.push('1', 60);
        b.push('\u{7}', 20);
        b.push('\u{7}', 21);
        b.push('尾', 61);
        b.push('\r', 62);
        b.finish();
        assert_eq!(b.tally.hidden_runs, 1);
        assert_eq!(b.tally.fields, 1);
        let Block::Para { text, index: 0 } = &b.blocks[0] else { panic!("{:?}", b.blocks) };
        assert_eq!(text, "收到7件");
        assert!(matches!(&b.blocks[1], Block::Para { text, index: 1 } if text.is_empty()));
        let Block::Table(t) = &b.blocks[2] else { panic!("{:?}", b.blocks) };
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][0].text, "1");
        assert!(matches!(&b.blocks[3], Block::Para { text, index: 2 } if text == "尾"));
    }
}
