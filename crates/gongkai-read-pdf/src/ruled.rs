//! Ruled tables: cells recovered from the borders drawn on the page.
//!
//! Segments are snapped and joined into ruling lines; their crossings are the cell corners. A
//! cell is the smallest rectangle whose four corners are crossings connected by drawn rulings,
//! so a merged cell (no inner borders) comes out as one cell. Cells connected by shared rulings
//! form one table. A lone rectangle (a frame around text) is not a table.

use std::collections::HashSet;

use crate::geom::{Rect, Segment};

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
pub(crate) fn find_tables(segments: &[Segment]) -> Vec<RuledTable> {
    let hs = rulings(segments.iter().filter(|s| s.horizontal));
    let vs = rulings(segments.iter().filter(|s| !s.horizontal));
    if hs.len() < 2 || vs.len() < 2 || hs.len() * vs.len() > 4_000_000 {
        return Vec::new();
    }
    // Crossings: on each horizontal ruling (by x) and each vertical ruling (by y).
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
    // Cells: for each crossing as top-left, the nearest bottom-right crossing joined to it.
    let mut cells: Vec<(Rect, [usize; 4])> = Vec::new();
    for (hi, h) in hs.iter().enumerate() {
        for &(x, vi) in &on_h[hi] {
            let below = on_v[vi].iter().filter(|(y, _)| *y > h.pos + MIN_CELL);
            let right: Vec<&(f32, usize)> =
                on_h[hi].iter().filter(|(x2, _)| *x2 > x + MIN_CELL).collect();
            'search: for &(y2, h2) in below {
                for &&(x2, v2) in &right {
                    if crossings.contains(&(h2, v2)) {
                        cells.push((Rect { x0: x, y0: h.pos, x1: x2, y1: y2 }, [hi, h2, vi, v2]));
                        break 'search;
                    }
                }
            }
        }
    }
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
    let mut tables: Vec<(usize, RuledTable)> = Vec::new();
    for (rect, [h1, ..]) in cells {
        let root = find(&mut parent, h1);
        match tables.iter_mut().find(|(r, _)| *r == root) {
            Some((_, t)) => {
                t.bbox = t.bbox.union(&rect);
                t.cells.push(rect);
            }
            None => tables.push((root, RuledTable { cells: vec![rect], bbox: rect })),
        }
    }
    let mut out: Vec<RuledTable> =
        tables.into_iter().map(|(_, t)| t).filter(|t| t.cells.len() >= 2).collect();
    out.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0));
    out
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
        let t = find_tables(&segs);
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
        assert!(find_tables(&segs).is_empty());
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
        let t = find_tables(&segs);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].cells.len(), 2);
    }
}
