//! The table grid from the ruling lines of a binarised page: long runs of ink along rows
//! (horizontal rulings) and along columns (vertical rulings), handed to the PDF reader's ruled
//! table finder ([`gongkai_read_pdf::scan::ruled_cells`]) in points, so that a scanned table's
//! cells — merged cells whole — come out as a drawn table's do.

pub(crate) use gongkai_read_pdf::scan::MAX_TABLE_CELLS;
use gongkai_read_pdf::scan::{Ruling, ruled_cells};

/// Shortest horizontal ruling, inches (a column of a statistics table is wider).
const MIN_H: f32 = 0.3;
/// Shortest vertical ruling, inches (a table row is taller; a character's stroke is shorter).
const MIN_V: f32 = 0.16;
/// Widest gap bridged inside a ruling, inches (noise, blur, a broken scan line).
const GAP: f32 = 0.006;

/// The ruled tables of an ink mask `width × height` at `dpi`: each table's cells in points,
/// without doubles ([`distinct_cells`]), and how many grids were left out as too large or too
/// complex to be a report's table (more than [`MAX_TABLE_CELLS`] cells: graph paper, a screened
/// background, a hostile scan — whose de-duplication alone, quadratic in its cells, would
/// otherwise run before the OCR deadline is ever looked at).
pub(crate) fn tables(
    ink: &[bool],
    width: u32,
    height: u32,
    dpi: f32,
) -> (Vec<Vec<[f32; 4]>>, usize) {
    let (tables, too_large) = ruled_cells(&rulings(ink, width, height, dpi));
    (tables.into_iter().map(distinct_cells).collect(), too_large)
}

/// The rulings of an ink mask `width × height` at `dpi`, in points from the top-left corner.
fn rulings(ink: &[bool], width: u32, height: u32, dpi: f32) -> Vec<Ruling> {
    let (w, h) = (width as usize, height as usize);
    let px_to_pt = 72.0 / dpi;
    let min_h = (MIN_H * dpi).max(8.0) as usize;
    let min_v = (MIN_V * dpi).max(6.0) as usize;
    let gap = (GAP * dpi).round().max(1.0) as usize;
    let mut out = Vec::new();
    for y in 0..h {
        let row = &ink[y * w..(y + 1) * w];
        for (lo, hi) in runs(row.iter().copied(), gap, min_h) {
            out.push(Ruling {
                horizontal: true,
                pos: (y as f32 + 0.5) * px_to_pt,
                lo: lo as f32 * px_to_pt,
                hi: hi as f32 * px_to_pt,
            });
        }
    }
    for x in 0..w {
        let col = (0..h).map(|y| ink[y * w + x]);
        for (lo, hi) in runs(col, gap, min_v) {
            out.push(Ruling {
                horizontal: false,
                pos: (x as f32 + 0.5) * px_to_pt,
                lo: lo as f32 * px_to_pt,
                hi: hi as f32 * px_to_pt,
            });
        }
    }
    out
}

/// The cells of a table without the doubles a ruling scanned as two close lines makes (two
/// boxes over one printed cell, differing by a sliver): of cells overlapping by more than half of
/// the smaller, the larger is kept. Cells come out in their original order.
fn distinct_cells(cells: Vec<[f32; 4]>) -> Vec<[f32; 4]> {
    let area = |c: &[f32; 4]| (c[2] - c[0]).max(0.0) * (c[3] - c[1]).max(0.0);
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by(|&a, &b| area(&cells[b]).total_cmp(&area(&cells[a])));
    let mut keep = vec![false; cells.len()];
    let mut kept: Vec<usize> = Vec::new();
    for &i in &order {
        let c = &cells[i];
        let doubled = kept.iter().any(|&j| {
            let k = &cells[j];
            let w = (c[2].min(k[2]) - c[0].max(k[0])).max(0.0);
            let h = (c[3].min(k[3]) - c[1].max(k[1])).max(0.0);
            w * h > 0.5 * area(c).min(area(k))
        });
        if !doubled {
            keep[i] = true;
            kept.push(i);
        }
    }
    cells.into_iter().zip(keep).filter_map(|(c, k)| k.then_some(c)).collect()
}

/// Runs of `true` at least `min` long, bridging gaps of up to `gap`: `(start, end)` with `end`
/// exclusive.
fn runs(line: impl Iterator<Item = bool>, gap: usize, min: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_ink = 0usize;
    let mut n = 0usize;
    for (i, on) in line.enumerate() {
        n = i + 1;
        if on {
            if start.is_none() {
                start = Some(i);
            }
            last_ink = i;
        } else if let Some(s) = start
            && i - last_ink > gap
        {
            if last_ink + 1 - s >= min {
                out.push((s, last_ink + 1));
            }
            start = None;
        }
    }
    if let Some(s) = start
        && last_ink + 1 - s >= min
        && last_ink < n
    {
        out.push((s, last_ink + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_bridge_small_gaps_only() {
        let line = "..#####.###.....##########..".chars().map(|c| c == '#');
        assert_eq!(runs(line, 1, 6), [(2, 11), (16, 26)]);
        let line = "#####".chars().map(|c| c == '#');
        assert_eq!(runs(line, 1, 5), [(0, 5)]);
    }

    #[test]
    fn doubled_cells_are_read_once() {
        let cells = vec![[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 11.0, 10.0], [11.0, 0.0, 20.0, 10.0]];
        assert_eq!(distinct_cells(cells), [[0.0, 0.0, 11.0, 10.0], [11.0, 0.0, 20.0, 10.0]]);
    }

    #[test]
    fn a_drawn_grid_becomes_cells() {
        // A 2 × 2 table of 1-inch cells at 100 dpi, 1-pixel lines.
        let (w, h) = (260usize, 260usize);
        let mut ink = vec![false; w * h];
        for k in [20usize, 120, 220] {
            for i in 20..=220 {
                ink[k * w + i] = true;
                ink[i * w + k] = true;
            }
        }
        let (tables, too_large) = tables(&ink, w as u32, h as u32, 100.0);
        assert_eq!(too_large, 0);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].len(), 4);
    }

    /// Graph paper: a ruling every 8 pixels both ways at 100 dpi, 98 × 98 cells (9,604) — found
    /// by fuzzing as a 300 × 200 TIFF whose grid took 17 s in the sanitised build before any
    /// deadline was looked at.
    #[test]
    fn a_grid_of_thousands_of_cells_is_not_read_as_a_table() {
        let (w, h) = (800usize, 800usize);
        let mut ink = vec![false; w * h];
        for k in (8..800).step_by(8) {
            for i in 8..=792 {
                ink[k * w + i] = true;
                ink[i * w + k] = true;
            }
        }
        let (tables, too_large) = tables(&ink, w as u32, h as u32, 100.0);
        assert!(tables.is_empty(), "{} tables read", tables.len());
        assert_eq!(too_large, 1);
    }
}
