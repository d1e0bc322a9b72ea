//! The intermediate document: what every reader (text, HTML, DOCX, PDF) produces and what the
//! recognizer (`gongkai-parse`) consumes, so that table recognition, rules and rendering never know
//! the input format.
//!
//! A [`Document`] is one text plus a list of [`Block`]s that index into it:
//!
//! - a [`Para`] is a line or paragraph of running text;
//! - a [`Grid`] is a table as printed: rows of cells with their row/column spans (merged cells are
//!   printed once, at their top-left position; covered positions are not cells).
//!
//! For text inputs the text is the decoded file and blocks point into it verbatim. Other readers
//! *lay out* their content into the text (paragraphs as lines, table rows as `| a | b |` lines)
//! with [`DocumentBuilder`], and record for each piece an [`Origin`] (page and box, DOM path, DOCX
//! paragraph or cell) so that a finding can say where in the original file a cell was printed.
//!
//! Invariant: every [`Span`] of a block lies inside `text` and on `char` boundaries.

pub mod errors;
pub mod findings;
mod join;
pub mod utf8;
pub mod word;

pub use join::{is_wide, join_lines, joins_directly};

use std::fmt;

use gongkai_model::{Finding, Span};

/// The input format a document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (including crawler and OCR output).
    Text,
    /// Markdown (converter output).
    Markdown,
    /// An HTML page.
    Html,
    /// A Word (or WPS) DOCX file.
    Docx,
    /// A PDF (with a text layer, or scanned pages read by OCR).
    Pdf,
    /// A scanned page or photo (JPEG, PNG, TIFF) read by OCR.
    Image,
    /// An Excel (or WPS) XLSX workbook.
    Xlsx,
    /// A legacy Word 97–2003 binary file (`.doc`), or a WPS file in the same compound format.
    Doc,
}

impl Format {
    /// Stable short name.
    pub const fn key(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Image => "image",
            Format::Xlsx => "xlsx",
            Format::Doc => "doc",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a piece of the document text came from in the original file.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// A PDF page (1-based) and, when known, the box on it in PDF points
    /// (`x0, top, x1, bottom`, origin top-left).
    Pdf {
        /// 1-based page number.
        page: u32,
        /// The box, when known.
        bbox: Option<[f32; 4]>,
    },
    /// An HTML element, as a short DOM path (`body > div.content > table[2] > tr[5] > td[3]`).
    Html {
        /// The path.
        path: String,
    },
    /// A DOCX (or legacy `.doc`) body paragraph (0-based index among body paragraphs) or table
    /// cell (`table`, `row`, `cell`, all 0-based).
    Docx {
        /// Paragraph index, for a paragraph.
        paragraph: Option<u32>,
        /// `(table, row, cell)`, for a table cell.
        cell: Option<(u32, u32, u32)>,
    },
    /// An XLSX worksheet cell (`row` and `col` 0-based, as in the sheet).
    Xlsx {
        /// The worksheet's name.
        sheet: String,
        /// 0-based row.
        row: u32,
        /// 0-based column.
        col: u32,
    },
}

/// The spreadsheet name of a 0-based column (`0` → `A`, `27` → `AB`).
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

impl Origin {
    /// The page, for PDF origins.
    pub fn page(&self) -> Option<u32> {
        match self {
            Origin::Pdf { page, .. } => Some(*page),
            _ => None,
        }
    }

    /// A short description in Chinese (`第3页`, `表格1第5行第3格`, …).
    pub fn describe_zh(&self) -> String {
        match self {
            Origin::Pdf { page, bbox: Some([x0, t, x1, b]) } => {
                format!("第{page}页 ({x0:.0},{t:.0})–({x1:.0},{b:.0})")
            }
            Origin::Pdf { page, bbox: None } => format!("第{page}页"),
            Origin::Html { path } => path.clone(),
            Origin::Docx { cell: Some((t, r, c)), .. } => {
                format!("表格{}第{}行第{}格", t + 1, r + 1, c + 1)
            }
            Origin::Docx { paragraph: Some(p), .. } => format!("第{}段", p + 1),
            Origin::Docx { .. } => "正文".to_owned(),
            Origin::Xlsx { sheet, row, col } => {
                format!("工作表“{sheet}”{}{}单元格", column_name(*col), row + 1)
            }
        }
    }

    /// A short description in English.
    pub fn describe_en(&self) -> String {
        match self {
            Origin::Pdf { page, bbox: Some([x0, t, x1, b]) } => {
                format!("page {page} ({x0:.0},{t:.0})–({x1:.0},{b:.0})")
            }
            Origin::Pdf { page, bbox: None } => format!("page {page}"),
            Origin::Html { path } => path.clone(),
            Origin::Docx { cell: Some((t, r, c)), .. } => {
                format!("table {} row {} cell {}", t + 1, r + 1, c + 1)
            }
            Origin::Docx { paragraph: Some(p), .. } => format!("paragraph {}", p + 1),
            Origin::Docx { .. } => "body".to_owned(),
            Origin::Xlsx { sheet, row, col } => {
                format!("sheet \"{sheet}\" cell {}{}", column_name(*col), row + 1)
            }
        }
    }
}

/// A line or paragraph of running text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    /// Its text in [`Document::text`] (without the line break).
    pub span: Span,
}

/// One printed cell of a [`Grid`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridCell {
    /// Its text in [`Document::text`] (empty span for an empty cell, placed where it was laid out).
    pub span: Span,
    /// Rows it spans (≥ 1).
    pub row_span: u32,
    /// Columns it spans (≥ 1).
    pub col_span: u32,
    /// Its first column in the expanded grid (0-based), accounting for cells spanning from rows
    /// above.
    pub col: u32,
}

/// A table as printed: rows of cells. Merged cells appear once, in the row where they start.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Grid {
    /// The rows.
    pub rows: Vec<Vec<GridCell>>,
    /// Where the whole table is in the text.
    pub span: Span,
}

impl Grid {
    /// Number of columns of the expanded grid.
    pub fn width(&self) -> u32 {
        self.rows.iter().flat_map(|r| r.iter().map(|c| c.col + c.col_span)).max().unwrap_or(0)
    }
}

/// One block of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Running text.
    Para(Para),
    /// A table.
    Grid(Grid),
}

impl Block {
    /// The block's span in the text.
    pub fn span(&self) -> Span {
        match self {
            Block::Para(p) => p.span,
            Block::Grid(g) => g.span,
        }
    }
}

/// The readings an OCR reader hesitated between for one table cell it printed as `?`: the cell's
/// text stays `?` (nothing was read with certainty), and the recognizer may pick one of `values`
/// only when the table's own identities confirm it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choices {
    /// The cell's text (`?`) in [`Document::text`].
    pub span: Span,
    /// The numbers the cell may print, as digit strings (`15`, `0.5`), most likely first.
    pub values: Vec<String>,
}

impl Choices {
    /// The values offered for the cell whose text starts at `start`, in `list` sorted by span.
    pub fn find(list: &[Choices], start: u32) -> Option<&[String]> {
        let i = list.partition_point(|c| c.span.start < start);
        list.get(i).filter(|c| c.span.start == start).map(|c| c.values.as_slice())
    }
}

/// A document read from one input.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Display name of the input (usually its path).
    pub name: String,
    /// The input format, when known.
    pub format: Option<Format>,
    /// The text every span indexes.
    pub text: String,
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
    /// Origins: `(start offset, origin)` sorted by offset; an origin applies from its offset up to
    /// the next entry's.
    pub origins: Vec<(u32, Origin)>,
    /// What the reader noticed (encoding guessed, scanned pages, repaired structure…).
    pub notes: Vec<Finding>,
    /// Metadata the container carried (HTML `<title>` / meta tags, PDF and DOCX properties).
    pub properties: Vec<(String, String)>,
    /// Readings of cells an OCR reader could not read with certainty, sorted by span.
    pub choices: Vec<Choices>,
    line_starts: Vec<u32>,
}

impl Document {
    /// A document over `text` with the given blocks; computes the line index.
    pub fn new(name: impl Into<String>, format: Format, text: String, blocks: Vec<Block>) -> Self {
        let mut d = Document {
            name: name.into(),
            format: Some(format),
            text,
            blocks,
            origins: Vec::new(),
            notes: Vec::new(),
            properties: Vec::new(),
            choices: Vec::new(),
            line_starts: Vec::new(),
        };
        d.index_lines();
        d
    }

    fn index_lines(&mut self) {
        self.line_starts.clear();
        self.line_starts.push(0);
        for (i, b) in self.text.bytes().enumerate() {
            if b == b'\n' {
                self.line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
    }

    /// The text of `span` (empty if the span is out of range or not on char boundaries).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// 0-based line number of byte `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// 1-based line and 1-based column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self.text.get(start..end).map_or(0, |s| s.chars().count());
        (u32::try_from(line + 1).unwrap_or(u32::MAX), u32::try_from(col + 1).unwrap_or(u32::MAX))
    }

    /// The byte range of 0-based line `line` (without its line break).
    pub fn line_span(&self, line: usize) -> Span {
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let next = self.line_starts.get(line + 1).map_or(self.text.len() as u32, |n| n - 1);
        Span::new(start, next.max(start))
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The readings an OCR reader offered for the cell whose text starts at `start`.
    pub fn choices_at(&self, start: u32) -> Option<&[String]> {
        Choices::find(&self.choices, start)
    }

    /// The origin of byte `offset`, if the reader recorded one.
    pub fn origin_at(&self, offset: u32) -> Option<&Origin> {
        let i = self.origins.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).map(|i| &self.origins[i].1)
    }
}

/// Builds a document whose text is laid out from the blocks given (for HTML, DOCX and PDF).
///
/// Paragraphs become lines; a table row becomes one line `| a | b | c |`; an empty cell is laid out
/// as a single space between its bars and gets an empty span at that space.
#[derive(Debug)]
pub struct DocumentBuilder {
    doc: Document,
    table: Option<Grid>,
}

impl DocumentBuilder {
    /// Starts a document.
    pub fn new(name: impl Into<String>, format: Format) -> Self {
        DocumentBuilder { doc: Document::new(name, format, String::new(), Vec::new()), table: None }
    }

    fn offset(&self) -> u32 {
        u32::try_from(self.doc.text.len()).unwrap_or(u32::MAX)
    }

    /// Records that text appended from now on comes from `origin`.
    pub fn origin(&mut self, origin: Origin) {
        let at = self.offset();
        if let Some(last) = self.doc.origins.last_mut()
            && last.0 == at
        {
            last.1 = origin;
            return;
        }
        if self.doc.origins.last().map(|(_, o)| o) != Some(&origin) {
            self.doc.origins.push((at, origin));
        }
    }

    /// Appends a paragraph (line breaks inside are replaced by spaces; empty text is skipped).
    pub fn para(&mut self, text: &str) {
        self.end_table();
        let clean = one_line(text);
        if clean.trim().is_empty() {
            return;
        }
        let start = self.offset();
        self.doc.text.push_str(&clean);
        let end = self.offset();
        self.doc.text.push('\n');
        self.doc.blocks.push(Block::Para(Para { span: Span::new(start, end) }));
    }

    /// Starts a new table row (starting a table if none is open).
    pub fn row(&mut self) {
        if self.table.is_none() {
            self.table =
                Some(Grid { rows: Vec::new(), span: Span::new(self.offset(), self.offset()) });
        } else {
            self.doc.text.push('\n');
        }
        if let Some(t) = &mut self.table {
            t.rows.push(Vec::new());
        }
        self.doc.text.push('|');
    }

    /// Appends a cell to the current row. `col` is its first column in the expanded grid.
    pub fn cell(&mut self, text: &str, row_span: u32, col_span: u32, col: u32) {
        if self.table.as_ref().is_none_or(|t| t.rows.is_empty()) {
            self.row();
        }
        let clean = one_line(text);
        let trimmed = clean.trim();
        self.doc.text.push(' ');
        let start = self.offset();
        self.doc.text.push_str(trimmed);
        let end = self.offset();
        if trimmed.is_empty() {
            self.doc.text.push(' ');
        }
        self.doc.text.push_str(" |");
        let cell = GridCell {
            span: Span::new(start, end),
            row_span: row_span.max(1),
            col_span: col_span.max(1),
            col,
        };
        if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
            row.push(cell);
        }
    }

    /// Records that the cell just appended, printed as `?`, may be any of `values` (an OCR
    /// reader's readings of a number it was not sure of). Ignored without such a cell or values.
    pub fn choices(&mut self, values: Vec<String>) {
        let Some(cell) = self.table.as_ref().and_then(|t| t.rows.last()).and_then(|r| r.last())
        else {
            return;
        };
        if values.is_empty() || self.doc.slice(cell.span) != "?" {
            return;
        }
        self.doc.choices.push(Choices { span: cell.span, values });
    }

    /// Closes the open table, if any.
    pub fn end_table(&mut self) {
        if let Some(mut t) = self.table.take() {
            t.span.end = self.offset();
            self.doc.text.push('\n');
            self.doc.blocks.push(Block::Grid(t));
        }
    }

    /// Adds a reader note.
    pub fn note(&mut self, finding: Finding) {
        self.doc.notes.push(finding);
    }

    /// Adds a container property (title, author, …).
    pub fn property(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.doc.properties.push((key.into(), value.into()));
    }

    /// The text laid out so far.
    pub fn text(&self) -> &str {
        &self.doc.text
    }

    /// Finishes the document.
    pub fn finish(mut self) -> Document {
        self.end_table();
        self.doc.index_lines();
        self.doc
    }
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}') { ' ' } else { c })
        .collect()
}

/// Bounds every reader enforces so that hostile input cannot exhaust time or memory. Readers return
/// a clear error when a bound is exceeded; they never truncate silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file accepted, in bytes.
    pub max_input_bytes: u64,
    /// Largest text a document may lay out, in bytes.
    pub max_text_bytes: usize,
    /// Deepest element / table nesting followed (HTML, DOCX); deeper content is flattened.
    pub max_nesting: usize,
    /// Most entries a zip container (DOCX) may have.
    pub max_zip_entries: usize,
    /// Largest total uncompressed size read from a zip container, in bytes.
    pub max_zip_uncompressed: u64,
    /// Largest compression ratio accepted for a zip entry (zip bombs).
    pub max_zip_ratio: u64,
    /// Most PDF pages read.
    pub max_pages: usize,
    /// Longest line the text reader accepts, in bytes.
    pub max_line_bytes: usize,
    /// Most pixels of one image read by OCR (a scanned page, a photo): an A4 page at 300 dpi
    /// has 8.7 million.
    pub max_image_pixels: u64,
    /// Most seconds of OCR spent on one document; pages beyond it are not read (and say so).
    pub max_ocr_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 200 * 1024 * 1024,
            max_text_bytes: 8 * 1024 * 1024,
            max_nesting: 64,
            max_zip_entries: 10_000,
            max_zip_uncompressed: 256 * 1024 * 1024,
            max_zip_ratio: 200,
            max_pages: 500,
            max_line_bytes: 1024 * 1024,
            max_image_pixels: 60_000_000,
            max_ocr_seconds: 600,
        }
    }
}

/// A readable dump of the document's blocks, for snapshot tests of readers.
pub fn dump(doc: &Document) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for b in &doc.blocks {
        match b {
            Block::Para(p) => {
                let _ = writeln!(out, "P {}", doc.slice(p.span));
            }
            Block::Grid(g) => {
                let _ = writeln!(out, "T {} rows × {} cols", g.rows.len(), g.width());
                for row in &g.rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| {
                            let mut s = format!("@{}", c.col);
                            if c.row_span > 1 || c.col_span > 1 {
                                let _ = write!(s, "[{}x{}]", c.row_span, c.col_span);
                            }
                            let _ = write!(s, " {}", doc.slice(c.span));
                            s
                        })
                        .collect();
                    let _ = writeln!(out, "  | {}", cells.join(" | "));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_lays_out_paragraphs_and_tables() {
        let mut b = DocumentBuilder::new("x.html", Format::Html);
        b.origin(Origin::Html { path: "body > p[1]".into() });
        b.para("一、总体情况\n第二行");
        b.origin(Origin::Html { path: "body > table[1]".into() });
        b.row();
        b.cell("规章", 1, 1, 0);
        b.cell("", 1, 1, 1);
        b.cell("12", 1, 2, 2);
        b.row();
        b.cell("x", 1, 1, 0);
        let doc = b.finish();
        assert_eq!(doc.text, "一、总体情况 第二行\n| 规章 |   | 12 |\n| x |\n");
        insta::assert_snapshot!(dump(&doc), @r"
        P 一、总体情况 第二行
        T 2 rows × 4 cols
          | @0 规章 | @1  | @2[1x2] 12
          | @0 x
        ");
        let Block::Grid(g) = &doc.blocks[1] else { panic!("grid expected") };
        assert_eq!(doc.slice(g.rows[0][2].span), "12");
        assert!(g.rows[0][1].span.is_empty());
        assert_eq!(
            doc.origin_at(g.rows[0][0].span.start).and_then(|o| match o {
                Origin::Html { path } => Some(path.as_str()),
                _ => None,
            }),
            Some("body > table[1]")
        );
        assert_eq!(doc.line_col(g.rows[0][2].span.start), (2, 12));
    }

    #[test]
    fn choices_belong_to_the_question_mark_cell_they_follow() {
        let mut b = DocumentBuilder::new("scan.pdf", Format::Pdf);
        b.row();
        b.cell("15", 1, 1, 0);
        b.choices(vec!["15".into(), "16".into()]);
        b.cell("?", 1, 1, 1);
        b.choices(vec!["15".into(), "16".into()]);
        b.cell("?", 1, 1, 2);
        b.choices(Vec::new());
        let doc = b.finish();
        let Block::Grid(g) = &doc.blocks[0] else { panic!("grid expected") };
        // A cell read with certainty takes no readings, and an empty list is none.
        assert_eq!(doc.choices_at(g.rows[0][0].span.start), None);
        assert_eq!(
            doc.choices_at(g.rows[0][1].span.start),
            Some(&["15".to_owned(), "16".to_owned()][..])
        );
        assert_eq!(doc.choices_at(g.rows[0][2].span.start), None);
        assert_eq!(doc.choices.len(), 1);
    }
}
