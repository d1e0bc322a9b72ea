//! Ruled tables: cells recovered from the borders drawn on the page.
//!
//! Segments are snapped and joined into ruling lines; their crossings are the cell corners. A
//! cell is the smallest rectangle whose four corners are crossings connected by drawn rulings,
//! so a merged cell (no inner borders) comes out as one cell. Cells connected by shared rulings
//! form one table. A lone rectangle (a frame around text) is not a table.

use std::collections::{HashMap, HashSet};

use crate::geom::{Rect, Segment};

/// The most cells a ruled table may have to be read as a table. The report's largest
/// statistics table (Table 3 of the 2021 layout) has about 250; thousands of boxes are graph
/// paper, a screened background or a hostile file, whose text is read as lines instead (a
/// table's text is placed cell by cell, at a cost that grows with cells × characters).
pub const MAX_TABLE_CELLS: usize = 4_096;

/// The most rulings crossings a page may have to be searched for tables (the product of its
/// horizontal and vertical rulings).
const MAX_CROSSINGS: usize = 4_000_000;

/// The most corner pairs tested while looking for cells on a page: a table's cell is found at
/// its first or second test, so a page of tables needs a few per crossing; a drawing made to
/// defeat the search (combs of rulings that never close a box) would otherwise take time that
/// grows with the square of its rulings per crossing.
const MAX_CORNER_TESTS: usize = 16_000_000;

/// The ruled tables of a page, and how many ruled grids were left out as too large or too
/// complex to be a report's table ([`MAX_TABLE_CELLS`], [`MAX_CROSSINGS`],
/// [`MAX_CORNER_TESTS`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Found {
    /// The tables, from top to bottom.
    pub(crate) tables: Vec<RuledTable>,
    /// Grids left out (a page whose search was cut short counts one).
    pub(crate) too_large: usize,
}

/// Rulings closer than this are the same line (double strokes, bars drawn beside lines).
const SNAP: f32 = 2.0;
/// Gap bridged when joining collinear pieces of a ruling, and reach when testing crossings.
const JOIN: f32 = 2.5;
/// Thinnest cell kept, in points.
const MIN_CELL: f32 = 2.0;

/// A table found from rulings: its cells' boxes (display space).
#[derive(Clone, Debug)]
pub(crate) struct RuledTable {
    /// Cell boxes, in no particular order.
    pub(crate) cells: Vec<Rect>,
    /// The box around all cells.
    pub(crate) bbox: Rect,
}

#[derive(Clone, Copy, Debug)]
struct Ruling {
    pos: f32,
    lo: f32,
    hi: f32,
}

/// Finds the ruled tables among a page's segments.
pub(crate) fn find_tables(segments: &[Segment]) -> Found {
    let hs = rulings(segments.iter().filter(|s| s.horizontal));
    let vs = rulings(segments.iter().filter(|s| !s.horizontal));
    if hs.len() < 2 || vs.len() < 2 {
        return Found::default();
    }
    if hs.len().saturating_mul(vs.len()) > MAX_CROSSINGS {
        return Found { tables: Vec::new(), too_large: 1 };
    }
    let (on_h, on_v, crossings) = crossings_of(&hs, &vs);
    let Some(cells) = corner_cells(&hs, &on_h, &on_v, &crossings, MAX_CORNER_TESTS) else {
        return Found { tables: Vec::new(), too_large: 1 };
    };
    // Tables: cells joined through shared rulings.
    let mut parent: Vec<usize> = (0..hs.len() + vs.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (_, [h1, h2, v1, v2]) in &cells {
        let root = find(&mut parent, *h1);
        for other in [*h2, hs.len() + v1, hs.len() + v2] {
            let r = find(&mut parent, other);
            parent[r] = root;
        }
    }
    let mut tables: Vec<RuledTable> = Vec::new();
    let mut table_of: HashMap<usize, usize> = HashMap::new();
    for (rect, [h1, ..]) in cells {
        let root = find(&mut parent, h1);
        match table_of.get(&root) {
            Some(&i) => {
                let t = &mut tables[i];
                t.bbox = t.bbox.union(&rect);
                t.cells.push(rect);
            }
            None => {
                table_of.insert(root, tables.len());
                tables.push(RuledTable { cells: vec![rect], bbox: rect });
            }
        }
    }
    let too_large = tables.iter().filter(|t| t.cells.len() > MAX_TABLE_CELLS).count();
    tables.retain(|t| t.cells.len() >= 2 && t.cells.len() <= MAX_TABLE_CELLS);
    tables.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0));
    Found { tables, too_large }
}

/// The crossings of `hs` and `vs`: on each horizontal ruling (its verticals by x), on each
/// vertical ruling (its horizontals by y), and the set of (horizontal, vertical) pairs.
#[allow(clippy::type_complexity, reason = "the three views of one set, named at the call")]
fn crossings_of(
    hs: &[Ruling],
    vs: &[Ruling],
) -> (Vec<Vec<(f32, usize)>>, Vec<Vec<(f32, usize)>>, HashSet<(usize, usize)>) {
    let mut on_h: Vec<Vec<(f32, usize)>> = vec![Vec::new(); hs.len()];
    let mut on_v: Vec<Vec<(f32, usize)>> = vec![Vec::new(); vs.len()];
    let mut crossings: HashSet<(usize, usize)> = HashSet::new();
    for (hi, h) in hs.iter().enumerate() {
        for (vi, v) in vs.iter().enumerate() {
            if v.pos >= h.lo - JOIN
                && v.pos <= h.hi + JOIN
                && h.pos >= v.lo - JOIN
                && h.pos <= v.hi + JOIN
            {
                on_h[hi].push((v.pos, vi));
                on_v[vi].push((h.pos, hi));
                crossings.insert((hi, vi));
            }
        }
    }
    for l in on_h.iter_mut().chain(on_v.iter_mut()) {
        l.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    (on_h, on_v, crossings)
}

/// The cells: for each crossing as top-left, the nearest bottom-right crossing joined to it,
/// with the rulings of its four sides (top, bottom, left, right). `None` when the search needs
/// more than `budget` tests of a corner pair ([`MAX_CORNER_TESTS`]).
fn corner_cells(
    hs: &[Ruling],
    on_h: &[Vec<(f32, usize)>],
    on_v: &[Vec<(f32, usize)>],
    crossings: &HashSet<(usize, usize)>,
    budget: usize,
) -> Option<Vec<(Rect, [usize; 4])>> {
    let mut cells = Vec::new();
    let mut tests = 0usize;
    for (hi, h) in hs.iter().enumerate() {
        let along = &on_h[hi];
        for &(x, vi) in along {
            // Both lists are sorted: the crossings beyond the thinnest cell are a tail of each
            // (the filters below keep the old test for a NaN position, which sorts to an end).
            let right = &along[along.partition_point(|(x2, _)| *x2 <= x + MIN_CELL)..];
            let down = &on_v[vi];
            let below = &down[down.partition_point(|(y, _)| *y <= h.pos + MIN_CELL)..];
            'search: for &(y2, h2) in below.iter().filter(|(y, _)| *y > h.pos + MIN_CELL) {
                for &(x2, v2) in right.iter().filter(|(x2, _)| *x2 > x + MIN_CELL) {
                    tests += 1;
                    if tests > budget {
                        return None;
                    }
                    if crossings.contains(&(h2, v2)) {
                        cells.push((Rect { x0: x, y0: h.pos, x1: x2, y1: y2 }, [hi, h2, vi, v2]));
                        break 'search;
                    }
                }
            }
        }
    }
    Some(cells)
}

/// Snaps segments of one orientation into rulings: same position within [`SNAP`], collinear
/// pieces joined across gaps up to [`JOIN`].
fn rulings<'a>(segs: impl Iterator<Item = &'a Segment>) -> Vec<Ruling> {
    let mut segs: Vec<Ruling> = segs.map(|s| Ruling { pos: s.pos, lo: s.lo, hi: s.hi }).collect();
    segs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    // Cluster positions.
    let mut clusters: Vec<Vec<Ruling>> = Vec::new();
    for s in segs {
        match clusters.last_mut() {
            Some(c) if s.pos - c[0].pos <= SNAP => c.push(s),
            _ => clusters.push(vec![s]),
        }
    }
    let mut out = Vec::new();
    for mut c in clusters {
        let pos = c.iter().map(|s| s.pos).sum::<f32>() / c.len() as f32;
        c.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let mut cur: Option<Ruling> = None;
        for s in c {
            match &mut cur {
                Some(r) if s.lo <= r.hi + JOIN => r.hi = r.hi.max(s.hi),
                _ => {
                    if let Some(r) = cur.take() {
                        out.push(r);
                    }
                    cur = Some(Ruling { pos, lo: s.lo, hi: s.hi });
                }
            }
        }
        if let Some(r) = cur {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Segment {
        Segment { horizontal: true, pos: y, lo: x0, hi: x1 }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Segment {
        Segment { horizontal: false, pos: x, lo: y0, hi: y1 }
    }

    #[test]
    fn merged_cells_come_out_whole() {
        // A 3×3 grid whose left column is merged over rows 2–3 and whose top row is merged
        // over columns 2–3.
        let segs = [
            h(0.0, 0.0, 30.0),
            h(10.0, 10.0, 30.0),
            h(10.0, 0.0, 10.0),
            h(20.0, 10.0, 30.0),
            h(30.0, 0.0, 30.0),
            v(0.0, 0.0, 30.0),
            v(10.0, 0.0, 30.0),
            v(20.0, 10.0, 30.0),
            v(30.0, 0.0, 30.0),
        ];
        let t = find_tables(&segs).tables;
        assert_eq!(t.len(), 1);
        let mut cells: Vec<[i32; 4]> = t[0]
            .cells
            .iter()
            .map(|r| [r.x0 as i32, r.y0 as i32, r.x1 as i32, r.y1 as i32])
            .collect();
        cells.sort();
        assert_eq!(
            cells,
            [
                [0, 0, 10, 10],
                [0, 10, 10, 30],
                [10, 0, 30, 10],
                [10, 10, 20, 20],
                [10, 20, 20, 30],
                [20, 10, 30, 20],
                [20, 20, 30, 30]
            ]
        );
    }

    #[test]
    fn a_lone_frame_is_not_a_table() {
        let segs = [h(0.0, 0.0, 30.0), h(30.0, 0.0, 30.0), v(0.0, 0.0, 30.0), v(30.0, 0.0, 30.0)];
        assert!(find_tables(&segs).tables.is_empty());
    }

    #[test]
    fn double_strokes_snap_together() {
        let segs = [
            h(0.0, 0.0, 20.0),
            h(0.4, 0.0, 20.0),
            h(10.0, 0.0, 10.5),
            h(10.0, 9.5, 20.0),
            h(20.0, 0.0, 20.0),
            v(0.0, 0.0, 20.0),
            v(20.0, 0.0, 20.0),
            v(20.3, 0.0, 20.0),
        ];
        let t = find_tables(&segs).tables;
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].cells.len(), 2);
    }

    /// The documentation of READ-WORK-LIMIT and of the OCR reader's READ-OCR-LIMIT (both in
    /// `gongkai-doc`) states the limit in both languages.
    #[test]
    fn the_limit_is_the_one_documented() {
        let en = format!("more than {},{:03}", MAX_TABLE_CELLS / 1000, MAX_TABLE_CELLS % 1000);
        let zh = format!("超过 {MAX_TABLE_CELLS} 格");
        for doc in [&gongkai_doc::findings::READ_WORK_LIMIT, &gongkai_doc::findings::READ_OCR_LIMIT]
        {
            assert!(doc.doc_zh.contains(&zh), "{}", doc.doc_zh);
            assert!(doc.doc_en.contains(&en), "{}", doc.doc_en);
        }
    }

    /// Two rails and `rungs` rungs: `rungs - 1` cells in one row.
    fn ladder(rungs: usize) -> Vec<Segment> {
        let end = 5.0 * rungs as f32 + 10.0;
        let mut segs = vec![h(100.0, 0.0, end), h(200.0, 0.0, end)];
        segs.extend((0..rungs).map(|i| v(5.0 + 5.0 * i as f32, 90.0, 210.0)));
        segs
    }

    #[test]
    fn a_ladder_of_rungs_is_one_row_of_cells() {
        let found = find_tables(&ladder(4_000));
        assert_eq!(found.too_large, 0);
        assert_eq!(found.tables.len(), 1);
        assert_eq!(found.tables[0].cells.len(), 3_999);
    }

    /// 200,000 rungs (a PDF of 5 MB, less compressed): the cells were found with a scan of
    /// every crossing to the right of each crossing — 4 × 10¹⁰ steps, hours — and then the
    /// text was placed with a scan of the 199,999 cells per character. The search is now a
    /// binary search, and a grid of more than [`MAX_TABLE_CELLS`] cells is left out.
    #[test]
    fn a_ladder_of_200_000_rungs_is_left_out_quickly() {
        let found = find_tables(&ladder(200_000));
        assert!(found.tables.is_empty());
        assert_eq!(found.too_large, 1);
    }

    /// A corner whose rails carry stubs that never close a box: every stub below is tested
    /// against every stub to the right, and the search stops at its budget.
    #[test]
    fn a_comb_that_closes_no_box_stops_at_the_budget() {
        let n = 300;
        let reach = 10.0 * n as f32 + 10.0;
        let mut segs = vec![h(0.0, 0.0, reach), v(0.0, 0.0, reach)];
        for k in 1..=n {
            let at = 10.0 * k as f32;
            segs.push(h(at, -1.0, 3.0));
            segs.push(v(at, -1.0, 3.0));
        }
        let hs = rulings(segs.iter().filter(|s| s.horizontal));
        let vs = rulings(segs.iter().filter(|s| !s.horizontal));
        let (on_h, on_v, crossings) = crossings_of(&hs, &vs);
        assert_eq!(on_v[0].len(), n + 1, "every stub crosses the long vertical");
        let enough = corner_cells(&hs, &on_h, &on_v, &crossings, n * n).expect("within budget");
        assert!(enough.is_empty(), "a comb has no cell");
        assert!(corner_cells(&hs, &on_h, &on_v, &crossings, n * n - 1).is_none());
    }
}
