//! Reads a published annual report given as PDF (with a text layer, as WPS and Word export it)
//! into the intermediate [`gongkai_doc::Document`].
//!
//! The reader lays the content out faithfully and recognises nothing: paragraphs in reading order
//! (lines joined where they continue), tables as [`gongkai_doc::Grid`]s with merged cells as
//! printed, every piece with its page and box ([`gongkai_doc::Origin::Pdf`]). What is merely odd
//! (scanned pages, glyphs without text, repaired files) becomes a note; only a file that cannot be
//! read at all is an [`Error`].
//!
//! Pipeline (one module each):
//!
//! 1. [`load`]: bytes → `lopdf::Document` (cross-reference repair, empty-password decryption,
//!    decompression bounds), wrapped in `catch_unwind`;
//! 2. `interp`: each page's content stream → glyphs (text, box, size, direction), ruling
//!    segments and image boxes; fonts decoded by `font` and `cmap`;
//! 3. `ruled` and `page`: cells from rulings (merged cells whole), glyphs into cells, other
//!    glyphs into lines (`text`), headers/footers/page numbers dropped, borderless tables from
//!    alignment;
//! 4. this file: tables continued across pages joined, lines joined into paragraphs, everything
//!    laid out with [`gongkai_doc::DocumentBuilder`].

use std::panic::{AssertUnwindSafe, catch_unwind};

use gongkai_doc::{Document, DocumentBuilder, Format, Limits, Origin};

mod cmap;
mod font;
mod geom;
mod interp;
mod load;
mod notes;
mod obj;
mod page;
mod ruled;
pub mod scan;
mod text;

pub use load::Error;

use geom::Rect;
use page::{Item, Page, TCell, Table};
use text::Line;

/// Work units (content operators plus glyphs) one document may spend. A real report needs a few
/// tens of thousands; the bound stops hostile content streams from running for minutes.
const WORK_BUDGET: u64 = 20_000_000;

/// Reads a PDF file into a document.
///
/// `name` is the display name (usually the path). Fails only when the file cannot be read at all:
/// not a PDF or damaged beyond repair, encrypted with a user password, or beyond `limits`.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    read_with(name, bytes, limits, None)
}

/// Reads a PDF file into a document as [`read`] does, handing each scanned page (an image and no
/// text layer: READ-SCANNED) to `ocr` when given; a page `ocr` reads is laid out like a text page
/// and loses its READ-SCANNED note.
///
/// # Errors
/// As [`read`].
pub fn read_with(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    mut ocr: Option<&mut dyn scan::Ocr>,
) -> Result<Document, Error> {
    let loaded = load::load(bytes, limits)?;
    let mut b = DocumentBuilder::new(name, Format::Pdf);
    for (k, v) in &loaded.properties {
        b.property(k.clone(), v.clone());
    }
    for n in &loaded.notes {
        b.note(n.clone());
    }
    let mut interp = interp::Interpreter::new(&loaded.doc, WORK_BUDGET);
    let mut pages: Vec<Page> = Vec::with_capacity(loaded.pages.len());
    for (i, &page_id) in loaded.pages.iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let result = catch_unwind(AssertUnwindSafe(|| {
            let content = interp.page(page_id);
            let page = page::layout(number, &content);
            (content, page)
        }));
        match result {
            Ok((content, mut page)) => {
                let mut page_notes = notes::page_notes(number, &content);
                let scanned =
                    page_notes.iter().any(|n| n.rule == gongkai_doc::findings::READ_SCANNED.id);
                if scanned && let Some(ocr) = ocr.as_deref_mut() {
                    let max =
                        limits.max_image_pixels.saturating_mul(4).try_into().unwrap_or(usize::MAX);
                    let read =
                        scan::page_image(&loaded.doc, page_id, content.width, content.height, max)
                            .and_then(|img| ocr.page(number, &img));
                    if let Some(s) = read {
                        page_notes.retain(|n| n.rule != gongkai_doc::findings::READ_SCANNED.id);
                        page_notes.extend(s.notes.iter().cloned());
                        page = scan::to_page(number, content.height, s);
                    }
                }
                for n in page_notes {
                    b.note(n);
                }
                if let Some(n) = notes::clipped(number, page.clipped_cells, content.off_page) {
                    b.note(n);
                }
                if let Some(n) = notes::too_large_grids(number, page.too_large_grids) {
                    b.note(n);
                }
                pages.push(page);
            }
            Err(_) => {
                b.note(notes::page_failed(number));
                pages.push(Page {
                    number,
                    height: 0.0,
                    items: Vec::new(),
                    clipped_cells: 0,
                    too_large_grids: 0,
                });
            }
        }
    }
    page::drop_headers_and_footers(&mut pages);
    for p in &mut pages {
        page::find_aligned_tables(p);
    }
    let blocks = join_pages(pages);
    emit(&mut b, blocks, limits)?;
    Ok(b.finish())
}

/// A block of the document across pages.
pub(crate) enum DocBlock {
    /// Lines forming one paragraph, with their pages.
    Para(Vec<(u32, Line)>),
    /// A table (possibly continued over pages).
    Table(Table),
}

/// Joins the pages' items: a table that ends one page and starts the next (same left and right
/// edges) continues; lines continue a paragraph when the previous line runs to the right margin
/// and the next is not indented.
pub(crate) fn join_pages(pages: Vec<Page>) -> Vec<DocBlock> {
    let mut out: Vec<DocBlock> = Vec::new();
    let mut prev_margins: Option<(u32, Margins)> = None;
    let all: Vec<Margins> = pages.iter().filter_map(Margins::of).collect();
    let typical = Margins {
        left: median(all.iter().map(|m| m.left)).unwrap_or(0.0),
        right: median(all.iter().map(|m| m.right)).unwrap_or(f32::INFINITY),
    };
    for p in pages {
        let margins = Margins::of(&p).unwrap_or(typical);
        let before = prev_margins.replace((p.number, margins));
        for (idx, it) in p.items.into_iter().enumerate() {
            match it {
                Item::Table(t) => {
                    if idx == 0
                        && let Some(DocBlock::Table(prev)) = out.last_mut()
                        && prev.last_page + 1 == t.first_page
                        && prev.cells.len() + t.cells.len() <= MAX_JOINED_CELLS
                        && (prev.bbox.x0 - t.bbox.x0).abs() < 3.0
                        && (prev.bbox.x1 - t.bbox.x1).abs() < 3.0
                    {
                        continue_table(prev, t);
                        continue;
                    }
                    out.push(DocBlock::Table(t));
                }
                Item::Line(l) => {
                    if let Some(DocBlock::Para(lines)) = out.last_mut()
                        && let Some((prev_page, prev)) = lines.last()
                        && let Some(prev_m) = if *prev_page == p.number {
                            Some(margins)
                        } else {
                            before
                                .filter(|(n, _)| *n == *prev_page && n + 1 == p.number)
                                .map(|(_, m)| m)
                        }
                        && continues(prev, &prev_m, &l, &margins, *prev_page == p.number, idx == 0)
                    {
                        lines.push((p.number, l));
                        continue;
                    }
                    out.push(DocBlock::Para(vec![(p.number, l)]));
                }
            }
        }
    }
    out
}

/// Left and right text margins of a page (of its longer lines), for paragraph joining.
#[derive(Clone, Copy, Debug)]
struct Margins {
    left: f32,
    right: f32,
}

impl Margins {
    /// The margins of a page with at least three long lines (else the document's are used).
    fn of(p: &Page) -> Option<Margins> {
        let long: Vec<&Line> = p
            .items
            .iter()
            .filter_map(|i| if let Item::Line(l) = i { Some(l) } else { None })
            .filter(|l| l.text.chars().count() >= 12)
            .collect();
        (long.len() >= 3).then(|| Margins {
            left: long.iter().map(|l| l.bbox.x0).fold(f32::INFINITY, f32::min),
            right: long.iter().map(|l| l.bbox.x1).fold(f32::NEG_INFINITY, f32::max),
        })
    }
}

fn median(values: impl Iterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<f32> = values.collect();
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied()
}

fn continues(
    prev: &Line,
    prev_m: &Margins,
    cur: &Line,
    m: &Margins,
    same_page: bool,
    first_on_page: bool,
) -> bool {
    use geom::Dir;
    if prev.dir != Dir::Right
        || cur.dir != Dir::Right
        || prev.chunks.len() > 1
        || cur.chunks.len() > 1
    {
        return false;
    }
    let size = prev.size.max(1.0);
    if !(0.85..=1.18).contains(&(cur.size / size)) {
        return false;
    }
    // The previous line must reach the right margin of its page.
    if prev.bbox.x1 < prev_m.right - 1.5 * size || cur.bbox.x0 > m.left + 0.8 * size {
        return false;
    }
    if same_page {
        let gap = cur.bbox.y0 - prev.bbox.y1;
        (-0.3 * size..=1.5 * size).contains(&gap)
    } else {
        first_on_page
    }
}

/// The most cells a table continued over pages may gather: four times a page's most (a report's
/// Table 3 spans two or three pages; a long appendix listing goes on as further tables). Each
/// continuation looks at every cell gathered so far, so a table continued over 300 pages of
/// 3,600 cells each took 53 s (opt-level 1; 100 pages 5.4 s).
const MAX_JOINED_CELLS: usize = 4 * ruled::MAX_TABLE_CELLS;

/// Appends the rows of `next` (the same table continued on the next page) to `prev`.
///
/// `next`'s cells are stacked below `prev`'s. A cell that a page break cut in two — an empty cell
/// at the top of `next` under a cell at the bottom of `prev` with the same left and right edges,
/// one of the two spanning several rows — is one merged cell, as on screen before the break.
fn continue_table(prev: &mut Table, next: Table) {
    let bottom = prev.cells.iter().map(|c| c.rect.y1).fold(f32::NEG_INFINITY, f32::max);
    let top = next.cells.iter().map(|c| c.rect.y0).fold(f32::INFINITY, f32::min);
    let shift = bottom - top;
    let prev_rows = starts(prev.cells.iter().map(|c| c.rect.y0));
    let next_rows = starts(next.cells.iter().map(|c| c.rect.y0));
    let spans = |rows: &[f32], c: &TCell| {
        rows.iter().filter(|y| **y >= c.rect.y0 - TOL && **y < c.rect.y1 - TOL).count()
    };
    for mut c in next.cells {
        let at_top = (c.rect.y0 - top).abs() < TOL;
        if at_top && c.text.is_empty() {
            let c_rows = spans(&next_rows, &c);
            if let Some(up) = prev.cells.iter_mut().find(|u| {
                (u.rect.y1 - bottom).abs() < TOL
                    && (u.rect.x0 - c.rect.x0).abs() < TOL
                    && (u.rect.x1 - c.rect.x1).abs() < TOL
            }) && (c_rows > 1 || spans(&prev_rows, up) > 1)
            {
                up.rect.y1 = c.rect.y1 + shift;
                continue;
            }
        }
        c.rect.y0 += shift;
        c.rect.y1 += shift;
        prev.cells.push(c);
    }
    prev.bbox = next.bbox;
    prev.last_page = next.last_page;
}

/// Tolerance when matching cell edges, points.
const TOL: f32 = 2.0;

/// Distinct values (within [`TOL`]), sorted.
fn starts(values: impl Iterator<Item = f32>) -> Vec<f32> {
    let mut v: Vec<f32> = values.collect();
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        if out.last().is_none_or(|l| x - l > TOL) {
            out.push(x);
        }
    }
    out
}

/// Lays the blocks out into the document.
pub(crate) fn emit(
    b: &mut DocumentBuilder,
    blocks: Vec<DocBlock>,
    limits: &Limits,
) -> Result<(), Error> {
    for block in blocks {
        match block {
            DocBlock::Para(lines) => {
                let page = lines[0].0;
                let bbox = lines
                    .iter()
                    .filter(|(p, _)| *p == page)
                    .map(|(_, l)| l.bbox)
                    .reduce(|a, c| a.union(&c));
                let parts: Vec<&str> = lines.iter().map(|(_, l)| l.text.as_str()).collect();
                b.origin(Origin::Pdf { page, bbox: bbox.map(Rect::to_array) });
                b.para(&text::join(&parts));
            }
            DocBlock::Table(t) => emit_table(b, &t),
        }
        if b.text().len() > limits.max_text_bytes {
            return Err(Error::TextTooLarge { limit: limits.max_text_bytes });
        }
    }
    b.end_table();
    Ok(())
}

/// Lays one table out as a grid: rows and columns are the distinct top and left edges of its
/// cells; a cell spans the rows and columns whose starts it covers.
fn emit_table(b: &mut DocumentBuilder, t: &Table) {
    b.end_table();
    let rows = starts(t.cells.iter().map(|c| c.rect.y0));
    let cols = starts(t.cells.iter().map(|c| c.rect.x0));
    let index = |v: &[f32], x: f32| v.iter().position(|s| (s - x).abs() <= TOL).unwrap_or(0);
    let count = |v: &[f32], lo: f32, hi: f32| {
        v.iter().filter(|s| **s >= lo - TOL && **s < hi - TOL).count().max(1)
    };
    let mut grid: Vec<Vec<&TCell>> = vec![Vec::new(); rows.len()];
    for c in &t.cells {
        grid[index(&rows, c.rect.y0)].push(c);
    }
    for row in &mut grid {
        row.sort_by(|a, c| a.rect.x0.total_cmp(&c.rect.x0));
    }
    for row in grid.into_iter().filter(|r| !r.is_empty()) {
        b.row();
        for c in row {
            let span = |v: &[f32], lo, hi| u32::try_from(count(v, lo, hi)).unwrap_or(1);
            b.origin(Origin::Pdf { page: c.page, bbox: Some(c.bbox.to_array()) });
            b.cell(
                &c.text,
                span(&rows, c.rect.y0, c.rect.y1),
                span(&cols, c.rect.x0, c.rect.x1),
                u32::try_from(index(&cols, c.rect.x0)).unwrap_or(0),
            );
            b.choices(c.choices.clone());
        }
    }
    b.end_table();
}
