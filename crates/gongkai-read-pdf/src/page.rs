//! Page layout: a page's glyphs and rulings become items in reading order — text lines and
//! tables (cells with their text and boxes). Also the page-level clean-ups: running headers,
//! footers and page numbers, and tables laid out by text alignment alone.

use crate::geom::Rect;
use crate::interp::{Glyph, PageContent};
use crate::ruled;
use crate::text::{self, Line};

/// One printed table cell.
#[derive(Clone, Debug)]
pub(crate) struct TCell {
    /// Its box; for tables continued across pages, `y` is in the coordinates of the table's
    /// first page (later pages stacked below it).
    pub(crate) rect: Rect,
    /// Its box on its own page.
    pub(crate) bbox: Rect,
    /// 1-based page.
    pub(crate) page: u32,
    /// Its text.
    pub(crate) text: String,
    /// For a cell an OCR reader printed as `?`, the numbers it may be ([`crate::scan::ScanCell`]).
    pub(crate) choices: Vec<String>,
}

/// A table on a page (or continued over several).
#[derive(Clone, Debug)]
pub(crate) struct Table {
    /// The cells.
    pub(crate) cells: Vec<TCell>,
    /// The box around the cells on the page where the table ends.
    pub(crate) bbox: Rect,
    /// The page where it starts.
    pub(crate) first_page: u32,
    /// The page where it ends.
    pub(crate) last_page: u32,
}

/// An item of a page in reading order.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    /// A line of running text.
    Line(Line),
    /// A table.
    Table(Table),
}

impl Item {
    pub(crate) fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.bbox.y0,
            Item::Table(t) => t.bbox.y0,
        }
    }
}

/// A laid-out page.
#[derive(Clone, Debug)]
pub(crate) struct Page {
    /// 1-based page number.
    pub(crate) number: u32,
    /// Display height, points.
    pub(crate) height: f32,
    /// Items in reading order.
    pub(crate) items: Vec<Item>,
    /// Table cells not wholly on the visible page (cut off at its edge): left out with their text.
    pub(crate) clipped_cells: usize,
    /// Ruled grids not read as tables, too large or too complex ([`ruled::Found::too_large`]):
    /// their text is read as lines.
    pub(crate) too_large_grids: usize,
}

/// The most tests of a glyph against a table or a cell while placing a page's glyphs in its
/// tables' cells: a report's table page needs some hundred thousand (a few thousand glyphs, a few
/// hundred cells); a page with a million glyphs inside a grid of thousands of boxes would need
/// billions (seconds per page), and its tables are then left to line reading.
const MAX_PLACEMENT_TESTS: usize = 64_000_000;

/// Lays out one page.
pub(crate) fn layout(number: u32, content: &PageContent) -> Page {
    let ruled::Found { mut tables, mut too_large } = ruled::find_tables(&content.segments);
    let clipped_cells = drop_clipped_cells(&mut tables, content.width, content.height);
    let (in_cell, free) = match place(&tables, &content.glyphs, MAX_PLACEMENT_TESTS) {
        Some(placed) => placed,
        None => {
            too_large += tables.len();
            tables.clear();
            (Vec::new(), content.glyphs.iter().collect())
        }
    };
    let mut items: Vec<Item> =
        text::lines(&free).into_iter().filter(|l| !l.text.is_empty()).map(Item::Line).collect();
    for (t, glyphs) in tables.iter().zip(in_cell) {
        let cells = t
            .cells
            .iter()
            .zip(glyphs)
            .map(|(r, gs)| TCell {
                rect: *r,
                bbox: *r,
                page: number,
                text: text::text_of(&gs),
                choices: Vec::new(),
            })
            .collect();
        items.push(Item::Table(Table {
            cells,
            bbox: t.bbox,
            first_page: number,
            last_page: number,
        }));
    }
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    Page { number, height: content.height, items, clipped_cells, too_large_grids: too_large }
}

/// The glyphs in each cell of each table (the first table and cell, in order, whose box holds
/// the glyph's centre), and the glyphs outside every cell; `None` when that takes more than
/// `budget` tests ([`MAX_PLACEMENT_TESTS`]).
#[allow(clippy::type_complexity, reason = "the two parts of one partition")]
fn place<'g>(
    tables: &[ruled::RuledTable],
    glyphs: &'g [Glyph],
    budget: usize,
) -> Option<(Vec<Vec<Vec<&'g Glyph>>>, Vec<&'g Glyph>)> {
    let mut in_cell: Vec<Vec<Vec<&Glyph>>> =
        tables.iter().map(|t| vec![Vec::new(); t.cells.len()]).collect();
    let mut free: Vec<&Glyph> = Vec::new();
    let mut tests = 0usize;
    'glyph: for g in glyphs {
        let c = g.bbox.center();
        for (ti, t) in tables.iter().enumerate() {
            tests += 1;
            if !t.bbox.contains(c) {
                continue;
            }
            let found = t.cells.iter().position(|r| r.contains(c));
            tests += found.map_or(t.cells.len(), |ci| ci + 1);
            if tests > budget {
                return None;
            }
            if let Some(ci) = found {
                in_cell[ti][ci].push(g);
                continue 'glyph;
            }
        }
        if tests > budget {
            return None;
        }
        free.push(g);
    }
    Some((in_cell, free))
}

/// How close to the page edge a cell may reach and still count as wholly printed, in points.
/// Tables are printed inside the margins; a cell that reaches the edge is cut by it (LibreOffice
/// draws a wide table up to the edge, leaving a sliver of the first cut-off column).
const EDGE_INSET: f32 = 1.0;

/// Removes the cells of `tables` that are not wholly on the visible `width` × `height` page: a
/// wide table cut off at the page edge prints only part of them, so their text (even what is
/// visible of it) is not the cell's content. Tables left without cells are removed. Returns how
/// many cells were removed.
fn drop_clipped_cells(tables: &mut Vec<ruled::RuledTable>, width: f32, height: f32) -> usize {
    let page =
        Rect { x0: EDGE_INSET, y0: EDGE_INSET, x1: width - EDGE_INSET, y1: height - EDGE_INSET };
    let mut removed = 0;
    for t in tables.iter_mut() {
        let before = t.cells.len();
        t.cells.retain(|c| page.contains((c.x0, c.y0)) && page.contains((c.x1, c.y1)));
        removed += before - t.cells.len();
        if let Some(b) = t.cells.iter().copied().reduce(|a, c| a.union(&c)) {
            t.bbox = b;
        }
    }
    tables.retain(|t| !t.cells.is_empty());
    removed
}

/// Share of the page height, at top and bottom, where headers, footers and page numbers live.
const BAND: f32 = 0.12;

/// Removes running headers and footers: page numbers (`-3-`, `— 3 —`, `第3页`, `3/5`, …) and
/// lines repeated in the top or bottom band of several pages. Returns how many lines it removed.
pub(crate) fn drop_headers_and_footers(pages: &mut [Page]) -> usize {
    let key = |l: &Line| -> String {
        l.text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() || ('０'..='９').contains(&c) { '#' } else { c })
            .collect()
    };
    let in_band = |l: &Line, h: f32| l.bbox.y1 < h * BAND || l.bbox.y0 > h * (1.0 - BAND);
    // Count, per key, the pages on which a band line with that key occurs.
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for p in pages.iter() {
        let mut seen = std::collections::BTreeSet::new();
        for it in &p.items {
            if let Item::Line(l) = it
                && in_band(l, p.height)
            {
                seen.insert(key(l));
            }
        }
        for k in seen {
            *counts.entry(k).or_default() += 1;
        }
    }
    let repeated_min = if pages.len() >= 3 { 3 } else { 2 };
    let mut removed = 0;
    for p in pages.iter_mut() {
        let h = p.height;
        let before = p.items.len();
        p.items.retain(|it| match it {
            Item::Line(l) if in_band(l, h) => {
                !(is_page_number(&l.text)
                    || counts.get(&key(l)).copied().unwrap_or(0) >= repeated_min)
            }
            _ => true,
        });
        removed += before - p.items.len();
    }
    removed
}

/// Whether a line is a page number as printed by WPS, Word and typesetting systems.
pub(crate) fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c: char| "-—–－‐―_~·•.。|".contains(c));
    let digits = |s: &str| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    };
    if digits(t) {
        return true;
    }
    // 第3页, 第3页共5页, 第 3 页 / 共 5 页
    if let Some(rest) = t.strip_prefix('第')
        && let Some((n, tail)) = rest.split_once('页')
        && digits(n)
    {
        let tail = tail.trim_matches(|c: char| ",，/、".contains(c));
        return tail.is_empty()
            || tail.strip_prefix('共').and_then(|x| x.strip_suffix('页')).is_some_and(digits);
    }
    // 3/5, Page 3, Page 3 of 5
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let (a, b) = rest.split_once("of").unwrap_or((rest, "1"));
        return digits(a) && digits(b);
    }
    false
}

/// Turns runs of lines whose wide gaps line up into tables (tables printed without borders).
/// A run needs at least two lines of at least two pieces each, whose pieces fall into the same
/// column bands.
pub(crate) fn find_aligned_tables(page: &mut Page) {
    let mut out: Vec<Item> = Vec::new();
    let mut run: Vec<Line> = Vec::new();
    let items = std::mem::take(&mut page.items);
    for it in items {
        match it {
            Item::Line(l) if l.chunks.len() >= 2 && l.dir == crate::geom::Dir::Right => run.push(l),
            other => {
                flush_run(&mut run, &mut out, page.number);
                out.push(other);
            }
        }
    }
    flush_run(&mut run, &mut out, page.number);
    page.items = out;
}

fn flush_run(run: &mut Vec<Line>, out: &mut Vec<Item>, page: u32) {
    let lines = std::mem::take(run);
    if lines.len() < 2 {
        out.extend(lines.into_iter().map(Item::Line));
        return;
    }
    // Column bands: union of overlapping piece extents.
    let mut spans: Vec<(f32, f32)> =
        lines.iter().flat_map(|l| l.chunks.iter().map(|c| (c.1.x0, c.1.x1))).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut bands: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match bands.last_mut() {
            Some(last) if a <= last.1 + 1.0 => last.1 = last.1.max(b),
            _ => bands.push((a, b)),
        }
    }
    // A table has a cell per line and band: more than a ruled table may have is a listing (or a
    // hostile page — 2,000 lines of two pieces each at their own places made 8 million cells,
    // 32 s and 1.2 GB from a 200 KB file), and stays lines. A line of more pieces than bands
    // cannot fit; testing the others costs at most the cells times the bands.
    let fits = bands.len() >= 2
        && lines.len().saturating_mul(bands.len()) <= ruled::MAX_TABLE_CELLS
        && lines.iter().all(|l| {
            if l.chunks.len() > bands.len() {
                return false;
            }
            let mut used: Vec<usize> = l
                .chunks
                .iter()
                .filter_map(|c| {
                    bands.iter().position(|b| c.1.x0 >= b.0 - 0.5 && c.1.x1 <= b.1 + 0.5)
                })
                .collect();
            let n = used.len();
            used.dedup();
            n == l.chunks.len() && used.len() == n
        });
    if !fits {
        out.extend(lines.into_iter().map(Item::Line));
        return;
    }
    let mut cells = Vec::new();
    let mut bbox = lines[0].bbox;
    for (i, l) in lines.iter().enumerate() {
        bbox = bbox.union(&l.bbox);
        let y0 = l.bbox.y0;
        let y1 = lines.get(i + 1).map_or(l.bbox.y1, |n| n.bbox.y0.max(l.bbox.y1));
        for b in &bands {
            let rect = Rect { x0: b.0, y0, x1: b.1, y1 };
            let text = l
                .chunks
                .iter()
                .find(|c| c.1.x0 >= b.0 - 0.5 && c.1.x1 <= b.1 + 0.5)
                .map(|c| c.0.trim().to_owned())
                .unwrap_or_default();
            cells.push(TCell { rect, bbox: rect, page, text, choices: Vec::new() });
        }
    }
    out.push(Item::Table(Table { cells, bbox, first_page: page, last_page: page }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Dir;

    fn glyph(text: &str, x: f32, y: f32) -> Glyph {
        Glyph {
            text: text.into(),
            bbox: Rect { x0: x, y0: y, x1: x + 1.0, y1: y + 1.0 },
            size: 1.0,
            dir: Dir::Right,
            space: false,
        }
    }

    /// `n` lines of two pieces each, every piece in its own column band.
    fn staircase(n: usize) -> Page {
        let items = (0..n)
            .map(|i| {
                let (y, x) = (3.0 * i as f32, 40.0 * i as f32);
                let piece = |x: f32, t: &str| {
                    (t.to_owned(), Rect { x0: x, y0: y, x1: x + 2.0, y1: y + 1.0 })
                };
                Item::Line(Line {
                    text: "AB CD".into(),
                    bbox: Rect { x0: x, y0: y, x1: x + 22.0, y1: y + 1.0 },
                    size: 1.0,
                    dir: Dir::Right,
                    chunks: vec![piece(x, "AB"), piece(x + 20.0, "CD")],
                })
            })
            .collect();
        Page { number: 1, height: 842.0, items, clipped_cells: 0, too_large_grids: 0 }
    }

    #[test]
    fn aligned_pieces_make_a_table_only_up_to_the_table_limit() {
        // 32 lines × 64 bands = 2,048 cells: a table.
        let mut small = staircase(32);
        find_aligned_tables(&mut small);
        assert!(matches!(small.items.as_slice(), [Item::Table(t)] if t.cells.len() == 2_048));
        // 64 lines × 128 bands = 8,192 cells: lines (2,000 such lines made 8 million cells).
        let mut large = staircase(64);
        find_aligned_tables(&mut large);
        assert_eq!(large.items.len(), 64);
        assert!(large.items.iter().all(|i| matches!(i, Item::Line(_))));
    }

    #[test]
    fn glyphs_go_to_the_cell_holding_their_centre_within_the_budget() {
        let cells = vec![
            Rect { x0: 0.0, y0: 0.0, x1: 10.0, y1: 10.0 },
            Rect { x0: 10.0, y0: 0.0, x1: 20.0, y1: 10.0 },
        ];
        let table =
            ruled::RuledTable { cells, bbox: Rect { x0: 0.0, y0: 0.0, x1: 20.0, y1: 10.0 } };
        let glyphs = [glyph("a", 2.0, 2.0), glyph("b", 12.0, 2.0), glyph("c", 30.0, 2.0)];
        let tables = [table];
        // a: the table, then cell 0 (2 tests); b: the table, cells 0 and 1 (3); c: the table (1).
        let (in_cell, free) = place(&tables, &glyphs, 6).expect("within the budget");
        let texts = |gs: &[&Glyph]| gs.iter().map(|g| g.text.clone()).collect::<String>();
        assert_eq!(texts(&in_cell[0][0]), "a");
        assert_eq!(texts(&in_cell[0][1]), "b");
        assert_eq!(texts(&free), "c");
        assert!(place(&tables, &glyphs, 5).is_none());
    }

    #[test]
    fn page_numbers() {
        for s in [
            "-3-",
            "- 3 -",
            "— 3 —",
            "第3页",
            "第 3 页 共 5 页",
            "3",
            "３",
            "3/5",
            "Page 3 of 5",
            "·12·",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["2024年", "一、总体情况", "3.其他", "95", "第三章"] {
            let expected = s == "95";
            assert_eq!(is_page_number(s), expected, "{s}");
        }
    }
}
