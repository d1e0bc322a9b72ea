//! The printed shape of Tables 2, 3 and 4: the official template's grid with its captions, header
//! hierarchy, merged cells and labels, built once from `gongkai_model::catalogue` and shared by
//! every output format so that HTML, DOCX, XLSX, PDF and Markdown print the same table.
//!
//! The shapes follow the blank template of 国办公开办函〔2021〕30号 (`word/document.xml`): Table 2
//! is one four-column table of captioned sub-tables, Table 3 has a three-level header with the
//! 勾稽 note in its corner and the outcome rows grouped under 三、本年度办理结果, Table 4 has a
//! three-level header over one data row. The trial layout (国办公开办函〔2019〕60号) is printed the
//! same way with its own rows and columns.

use gongkai_model::catalogue::{
    self, ColumnSpec, T2_CONTENT_HEADER, T3_APPLICANT_HEADER, T3_BALANCE_NOTE, T3_COLUMNS,
    T3_ORG_HEADER, T3_RESULTS_HEADER, T4_COLUMNS, T4_LITIGATION_HEADER, T4_REVIEW_HEADER,
    TableLayout,
};
use gongkai_model::{CellKey, Layout, T3Col, T4Block, Table, TableId, Value};

/// What a printed cell is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A sub-table caption (`第二十条第（一）项`), shaded like a header.
    Caption,
    /// A column header (or the 勾稽 note in Table 3's corner).
    Header,
    /// A group label spanning several data rows (`（三）不予公开`).
    Group,
    /// A row label.
    Label,
    /// A value cell.
    Value(CellKey),
}

/// One printed cell: merged cells appear once, at their top-left position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PCell {
    /// The text printed (a label, or the value as printed).
    pub text: String,
    /// What the cell is.
    pub role: Role,
    /// First row in the expanded grid (0-based).
    pub row: usize,
    /// First column in the expanded grid (0-based).
    pub col: usize,
    /// Rows spanned (≥ 1).
    pub row_span: usize,
    /// Columns spanned (≥ 1).
    pub col_span: usize,
    /// Ids of the header cells that describe this cell (`id` of other cells), for accessible HTML.
    pub headers: Vec<String>,
    /// A stable id for header and label cells (`t3-h-natural_person`), empty for values.
    pub id: String,
}

impl PCell {
    /// Whether the cell is a header-like cell (caption, header, group or label).
    pub fn is_heading(&self) -> bool {
        !matches!(self.role, Role::Value(_))
    }

    /// The cell key, for a value cell.
    pub fn key(&self) -> Option<CellKey> {
        match self.role {
            Role::Value(k) => Some(k),
            _ => None,
        }
    }
}

/// A block of rows sharing one header (Table 2's sub-tables; Tables 3 and 4 have one block).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// The rows of this band that are headings (caption and header rows), counted from its start.
    pub header_rows: usize,
    /// The rows of the band, each with the cells that start in it.
    pub rows: Vec<Vec<PCell>>,
}

/// A table as printed in the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedTable {
    /// Which table.
    pub id: TableId,
    /// Its layout.
    pub layout: Layout,
    /// The table's title (the heading of the section that introduces it).
    pub title: &'static str,
    /// Relative column widths (twentieths of a point, as in the template's `w:gridCol`).
    pub widths: Vec<u32>,
    /// The bands, top to bottom.
    pub bands: Vec<Band>,
}

impl PrintedTable {
    /// Lays out `table` as printed in its layout's template.
    pub fn new(table: &Table) -> Self {
        match table.id() {
            TableId::T2 => t2(table),
            TableId::T3 => t3(table),
            TableId::T4 => t4(table),
        }
    }

    /// Number of columns of the expanded grid.
    pub fn width(&self) -> usize {
        self.widths.len()
    }

    /// Every row of every band, with the cells starting in it, top to bottom.
    pub fn rows(&self) -> impl Iterator<Item = &Vec<PCell>> {
        self.bands.iter().flat_map(|b| b.rows.iter())
    }

    /// Number of rows of the expanded grid.
    pub fn height(&self) -> usize {
        self.bands.iter().map(|b| b.rows.len()).sum()
    }

    /// Every cell, row by row.
    pub fn cells(&self) -> impl Iterator<Item = &PCell> {
        self.rows().flatten()
    }

    /// The expanded grid: for each position, the index (in [`PrintedTable::cells`] order) of the
    /// cell covering it. Every position is covered exactly once (an invariant the tests check).
    pub fn coverage(&self) -> Vec<Vec<Option<usize>>> {
        let mut g = vec![vec![None; self.width()]; self.height()];
        for (i, c) in self.cells().enumerate() {
            for row in g.iter_mut().skip(c.row).take(c.row_span) {
                for slot in row.iter_mut().skip(c.col).take(c.col_span) {
                    *slot = Some(i);
                }
            }
        }
        g
    }
}

/// The value of a cell as printed: the number with its scale, empty for a blank, the mark for a
/// not-applicable cell, `?` for an undetermined one; an annotation follows in full-width brackets.
pub fn value_text(table: &Table, key: CellKey) -> String {
    let Some(cell) = table.cell(key) else { return String::new() };
    let mut s = match &cell.value {
        Value::Number(d) => d.to_string(),
        Value::Blank => String::new(),
        Value::NotApplicable(m) => m.clone(),
        Value::Unknown => "?".to_owned(),
    };
    if let Some(a) = &cell.annotation {
        s.push('（');
        s.push_str(a);
        s.push('）');
    }
    s
}

/// Builds rows cell by cell, tracking the grid position.
struct Builder {
    table: TableId,
    bands: Vec<Band>,
    row: usize,
}

impl Builder {
    fn new(table: TableId) -> Self {
        Builder { table, bands: Vec::new(), row: 0 }
    }

    fn band(&mut self, header_rows: usize) {
        self.bands.push(Band { header_rows, rows: Vec::new() });
    }

    fn next_row(&mut self) {
        let started = self.bands.iter().any(|b| !b.rows.is_empty());
        if let Some(b) = self.bands.last_mut() {
            if started {
                self.row += 1;
            }
            b.rows.push(Vec::new());
        }
    }

    fn push(&mut self, mut cell: PCell) -> String {
        cell.row = self.row;
        if cell.is_heading() && cell.id.is_empty() {
            cell.id = format!("{}-r{}c{}", self.table, cell.row, cell.col);
        }
        let id = cell.id.clone();
        if let Some(r) = self.bands.last_mut().and_then(|b| b.rows.last_mut()) {
            r.push(cell);
        }
        id
    }

    #[allow(clippy::too_many_arguments, reason = "a cell's full description, used only here")]
    fn cell(
        &mut self,
        text: &str,
        role: Role,
        col: usize,
        rs: usize,
        cs: usize,
        headers: Vec<String>,
    ) -> String {
        self.push(PCell {
            text: text.to_owned(),
            role,
            row: 0,
            col,
            row_span: rs,
            col_span: cs,
            headers,
            id: String::new(),
        })
    }
}

/// Template column widths (twips) of Table 2.
const T2_WIDTHS: [u32; 4] = [2435; 4];
/// Template column widths (twips) of Table 3.
const T3_WIDTHS: [u32; 10] = [754, 921, 3271, 685, 685, 685, 685, 685, 685, 685];
/// Template column widths (twips) of Table 4.
const T4_WIDTHS: [u32; 15] =
    [649, 649, 649, 649, 649, 649, 649, 650, 650, 650, 650, 650, 650, 650, 650];

/// The spans of `n` value columns laid out over Table 2's three value columns.
fn t2_spans(n: usize) -> Vec<(usize, usize)> {
    match n {
        1 => vec![(1, 3)],
        2 => vec![(1, 1), (2, 2)],
        _ => (0..n).map(|i| (1 + i, 1)).collect(),
    }
}

fn t2(table: &Table) -> PrintedTable {
    let shape = table.shape();
    let mut b = Builder::new(TableId::T2);
    let mut i = 0;
    while i < shape.rows.len() {
        let caption = shape.rows[i].group.unwrap_or_default();
        let columns = shape.rows[i].columns;
        let mut j = i;
        while j < shape.rows.len() && shape.rows[j].group == shape.rows[i].group {
            j += 1;
        }
        b.band(2);
        b.next_row();
        let cap = b.cell(caption, Role::Caption, 0, 1, 4, vec![]);
        b.next_row();
        let content = b.cell(T2_CONTENT_HEADER, Role::Header, 0, 1, 1, vec![cap.clone()]);
        let spans = t2_spans(columns.len());
        let col_ids: Vec<String> = columns
            .iter()
            .zip(&spans)
            .map(|(c, &(col, cs))| b.cell(c.label, Role::Header, col, 1, cs, vec![cap.clone()]))
            .collect();
        for row in &shape.rows[i..j] {
            b.next_row();
            let label = b.cell(row.body, Role::Label, 0, 1, 1, vec![content.clone()]);
            for ((c, &(col, cs)), hid) in row.columns.iter().zip(&spans).zip(&col_ids) {
                let key = CellKey { row: row.id, col: c.id };
                b.cell(
                    &value_text(table, key),
                    Role::Value(key),
                    col,
                    1,
                    cs,
                    vec![label.clone(), hid.clone()],
                );
            }
        }
        i = j;
    }
    PrintedTable {
        id: TableId::T2,
        layout: shape.layout,
        title: catalogue::table_title(TableId::T2),
        widths: T2_WIDTHS.to_vec(),
        bands: b.bands,
    }
}

fn t3(table: &Table) -> PrintedTable {
    let shape = table.shape();
    let mut b = Builder::new(TableId::T3);
    b.band(3);
    b.next_row();
    let note = b.cell(T3_BALANCE_NOTE, Role::Header, 0, 3, 3, vec![]);
    let applicants = b.cell(T3_APPLICANT_HEADER, Role::Header, 3, 1, 7, vec![]);
    b.next_row();
    let label = |c: T3Col| {
        T3_COLUMNS.iter().find(|s| s.id == gongkai_model::ColId::T3(c)).map_or("", |s| s.label)
    };
    let mut col_ids = vec![String::new(); 7];
    col_ids[0] =
        b.cell(label(T3Col::NaturalPerson), Role::Header, 3, 2, 1, vec![applicants.clone()]);
    let org = b.cell(T3_ORG_HEADER, Role::Header, 4, 1, 5, vec![applicants.clone()]);
    col_ids[6] = b.cell(label(T3Col::Total), Role::Header, 9, 2, 1, vec![applicants.clone()]);
    b.next_row();
    for (i, spec) in T3_COLUMNS.iter().enumerate().skip(1).take(5) {
        col_ids[i] =
            b.cell(spec.label, Role::Header, 3 + i, 1, 1, vec![applicants.clone(), org.clone()]);
    }
    // The outcome rows run from （一）予以公开 to （七）总计 under 三、本年度办理结果.
    let first_outcome = shape.rows.iter().position(|r| r.numbering == "（一）").unwrap_or(2);
    let last_outcome =
        shape.rows.iter().position(|r| r.numbering == "（七）").unwrap_or(shape.rows.len() - 2);
    let mut results = String::new();
    let mut group: Option<(&str, String)> = None;
    for (i, row) in shape.rows.iter().enumerate() {
        b.next_row();
        let in_outcomes = (first_outcome..=last_outcome).contains(&i);
        let mut heads = vec![note.clone()];
        let label_id = if !in_outcomes {
            b.cell(&row.label(), Role::Label, 0, 1, 3, heads.clone())
        } else {
            if i == first_outcome {
                results = b.cell(
                    T3_RESULTS_HEADER,
                    Role::Group,
                    0,
                    last_outcome - first_outcome + 1,
                    1,
                    heads.clone(),
                );
            }
            heads.push(results.clone());
            match row.group {
                None => {
                    group = None;
                    b.cell(&row.label(), Role::Label, 1, 1, 2, heads.clone())
                }
                Some(g) => {
                    if group.as_ref().is_none_or(|(name, _)| *name != g) {
                        let n = shape.rows[i..].iter().take_while(|r| r.group == Some(g)).count();
                        let gid = b.cell(g, Role::Group, 1, n, 1, heads.clone());
                        group = Some((g, gid));
                    }
                    if let Some((_, gid)) = &group {
                        heads.push(gid.clone());
                    }
                    b.cell(&row.label(), Role::Label, 2, 1, 1, heads.clone())
                }
            }
        };
        for (k, c) in row.columns.iter().enumerate() {
            let key = CellKey { row: row.id, col: c.id };
            let mut h = heads.clone();
            h.push(label_id.clone());
            h.push(applicants.clone());
            if (1..=5).contains(&k) {
                h.push(org.clone());
            }
            h.push(col_ids[k].clone());
            b.cell(&value_text(table, key), Role::Value(key), 3 + k, 1, 1, h);
        }
    }
    PrintedTable {
        id: TableId::T3,
        layout: shape.layout,
        title: catalogue::table_title(TableId::T3),
        widths: T3_WIDTHS.to_vec(),
        bands: b.bands,
    }
}

fn t4(table: &Table) -> PrintedTable {
    let shape = table.shape();
    let mut b = Builder::new(TableId::T4);
    b.band(3);
    b.next_row();
    let review = b.cell(T4_REVIEW_HEADER, Role::Header, 0, 1, 5, vec![]);
    let litigation = b.cell(T4_LITIGATION_HEADER, Role::Header, 5, 1, 10, vec![]);
    b.next_row();
    let mut ids: Vec<Vec<String>> = Vec::new();
    let review_cols: Vec<String> = T4_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c): (usize, &ColumnSpec)| {
            b.cell(c.label, Role::Header, i, 2, 1, vec![review.clone()])
        })
        .collect();
    ids.push(review_cols.iter().map(|c| format!("{review} {c}")).collect());
    let blocks = [T4Block::LitigationDirect, T4Block::LitigationAfterReview];
    let block_ids: Vec<String> = blocks
        .iter()
        .enumerate()
        .map(|(i, &bl)| {
            b.cell(
                catalogue::t4_block_label(bl),
                Role::Header,
                5 + 5 * i,
                1,
                5,
                vec![litigation.clone()],
            )
        })
        .collect();
    b.next_row();
    for (i, bid) in block_ids.iter().enumerate() {
        let cols: Vec<String> = T4_COLUMNS
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let id = b.cell(
                    c.label,
                    Role::Header,
                    5 + 5 * i + j,
                    1,
                    1,
                    vec![litigation.clone(), bid.clone()],
                );
                format!("{litigation} {bid} {id}")
            })
            .collect();
        ids.push(cols);
    }
    b.next_row();
    for (i, row) in shape.rows.iter().enumerate() {
        for (j, c) in row.columns.iter().enumerate() {
            let key = CellKey { row: row.id, col: c.id };
            let headers = ids[i][j].split(' ').map(str::to_owned).collect();
            b.cell(&value_text(table, key), Role::Value(key), 5 * i + j, 1, 1, headers);
        }
    }
    PrintedTable {
        id: TableId::T4,
        layout: shape.layout,
        title: catalogue::table_title(TableId::T4),
        widths: T4_WIDTHS.to_vec(),
        bands: b.bands,
    }
}

/// The layout a table absent from the input is printed in (blank) for a report of `year`.
pub fn default_layout(year: Option<i32>) -> Layout {
    gongkai_model::tsv::default_layout(year)
}

/// A blank table in the layout of `year`, for a report that lacks it.
pub fn blank(table: TableId, year: Option<i32>) -> Table {
    Table::blank(table, default_layout(year))
}

/// The shapes of every table and layout (for tests and documentation).
pub fn all_shapes() -> Vec<&'static TableLayout> {
    let mut v = Vec::new();
    for t in [TableId::T2, TableId::T3, TableId::T4] {
        for l in [Layout::Format2021, Layout::Trial2019] {
            let s = TableLayout::get(t, l);
            if !v.contains(&s) {
                v.push(s);
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(table: TableId, layout: Layout) -> Table {
        let mut n = 0;
        Table::filled(table, layout, |_| {
            n += 1;
            Value::int(n)
        })
    }

    #[test]
    fn every_position_is_covered_exactly_once_and_every_key_printed_once() {
        for shape in all_shapes() {
            let t = numbered(shape.table, shape.layout);
            let p = PrintedTable::new(&t);
            let mut seen = vec![vec![0u8; p.width()]; p.height()];
            for c in p.cells() {
                assert!(
                    c.row + c.row_span <= p.height() && c.col + c.col_span <= p.width(),
                    "{c:?}"
                );
                for row in seen.iter_mut().skip(c.row).take(c.row_span) {
                    for n in row.iter_mut().skip(c.col).take(c.col_span) {
                        *n += 1;
                    }
                }
            }
            assert!(
                seen.iter().flatten().all(|&n| n == 1),
                "{:?} {:?}: {seen:?}",
                shape.table,
                shape.layout
            );
            let keys: Vec<CellKey> = p.cells().filter_map(PCell::key).collect();
            assert_eq!(keys, shape.keys().collect::<Vec<_>>());
        }
    }

    #[test]
    fn headers_refer_to_existing_ids() {
        for shape in all_shapes() {
            let p = PrintedTable::new(&numbered(shape.table, shape.layout));
            let ids: Vec<&str> =
                p.cells().map(|c| c.id.as_str()).filter(|s| !s.is_empty()).collect();
            for c in p.cells() {
                for h in &c.headers {
                    assert!(ids.contains(&h.as_str()), "{h} in {c:?}");
                }
            }
        }
    }

    #[test]
    fn t3_header_matches_the_template() {
        let p = PrintedTable::new(&Table::blank(TableId::T3, Layout::Format2021));
        let first: Vec<(&str, usize, usize)> =
            p.bands[0].rows[0].iter().map(|c| (c.text.as_str(), c.row_span, c.col_span)).collect();
        assert_eq!(first, vec![(T3_BALANCE_NOTE, 3, 3), ("申请人情况", 1, 7)]);
        let results = p.cells().find(|c| c.text == T3_RESULTS_HEADER).map(|c| c.row_span);
        assert_eq!(results, Some(22));
        assert_eq!(p.height(), 28);
        let trial = PrintedTable::new(&Table::blank(TableId::T3, Layout::Trial2019));
        assert_eq!(
            trial.cells().find(|c| c.text == T3_RESULTS_HEADER).map(|c| c.row_span),
            Some(20)
        );
    }
}
