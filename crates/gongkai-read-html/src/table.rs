//! Placing cells with `rowspan` / `colspan` in the expanded grid, as the HTML table model does:
//! each cell goes to the first column of its row not covered by a cell spanning from a row above.
//!
//! Spans are clamped as browsers clamp them (`colspan` 1–1000, `rowspan` 0–65534, where 0 means "to
//! the end of the table"), a rowspan reaching past the last row is cut at the table's end, and the
//! expanded width is capped so that a hostile table cannot allocate without bound; every clamp is
//! reported. A colspan that would overlap a cell spanning down from an earlier row is cut, so
//! that no two cells ever cover the same position.

/// Widest expanded grid built; cells that would start beyond it keep their place in the row but
/// lose their column span.
pub(crate) const MAX_COLUMNS: u32 = 4096;

/// A cell as written: its spans (`rowspan`, `colspan` attributes, parsed and clamped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Spans {
    /// Rows spanned (0 = to the end of the table, as for the end of the row group in HTML).
    pub(crate) rows: u32,
    /// Columns spanned.
    pub(crate) cols: u32,
}

impl Spans {
    /// Parses the attribute values the way browsers do (leading digits, defaults for garbage).
    pub(crate) fn parse(rowspan: Option<&str>, colspan: Option<&str>) -> Self {
        let num = |s: Option<&str>| -> Option<u32> {
            let s = s?.trim();
            let digits: String = s.chars().take_while(char::is_ascii_digit).take(9).collect();
            digits.parse().ok()
        };
        let rows = num(rowspan).map_or(1, |r| r.min(65_534));
        let cols = num(colspan).map_or(1, |c| c.clamp(1, 1000));
        Spans { rows, cols }
    }
}

/// A placed cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Placed {
    /// First column in the expanded grid.
    pub(crate) col: u32,
    /// Rows spanned, after clamping to the table.
    pub(crate) rows: u32,
    /// Columns spanned, after clamping to the grid width cap.
    pub(crate) cols: u32,
}

/// What placing had to adjust.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Adjusted {
    /// Row spans cut at the end of the table (or `rowspan=0` resolved).
    pub(crate) rowspans_cut: u32,
    /// Column spans cut where they ran into a cell spanning from a row above.
    pub(crate) colspans_cut: u32,
    /// Cells that hit the column cap.
    pub(crate) columns_capped: u32,
}

/// Places the cells of `rows` (each row a list of cell spans in source order).
pub(crate) fn place(rows: &[Vec<Spans>]) -> (Vec<Vec<Placed>>, Adjusted) {
    let n_rows = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    // covered_until[c] = first row index no longer covered at column c.
    let mut covered_until: Vec<u32> = Vec::new();
    let mut adjusted = Adjusted::default();
    let mut out = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        let mut col: u32 = 0;
        let mut placed = Vec::with_capacity(row.len());
        for spans in row {
            while covered_until.get(col as usize).is_some_and(|&u| u > r) {
                col += 1;
            }
            let remaining = n_rows - r;
            let rows_spanned = if spans.rows == 0 || spans.rows > remaining {
                if spans.rows > remaining {
                    adjusted.rowspans_cut += 1;
                }
                remaining
            } else {
                spans.rows
            };
            let mut cols = spans.cols;
            // A colspan running into a cell spanning down from above (an authoring error browsers
            // draw as overlapping cells) is cut where the covered column starts.
            if let Some(k) =
                (1..cols).find(|k| covered_until.get((col + k) as usize).is_some_and(|&u| u > r))
            {
                adjusted.colspans_cut += 1;
                cols = k;
            }
            if col.saturating_add(cols) > MAX_COLUMNS {
                adjusted.columns_capped += 1;
                cols = MAX_COLUMNS.saturating_sub(col).max(1);
            }
            let end = (col + cols) as usize;
            if covered_until.len() < end && end <= MAX_COLUMNS as usize + 1 {
                covered_until.resize(end, 0);
            }
            if let Some(slots) = covered_until.get_mut(col as usize..end) {
                for slot in slots {
                    *slot = r + rows_spanned;
                }
            }
            placed.push(Placed { col, rows: rows_spanned, cols });
            col += cols;
        }
        out.push(placed);
    }
    (out, adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(rows: u32, cols: u32) -> Spans {
        Spans { rows, cols }
    }

    #[test]
    fn table3_header_expands() {
        // The Table 3 header: a 3-row × 3-column note cell, then 申请人情况 over 7 columns; row 2:
        // 自然人 (2 rows), 法人或其他组织 (5 columns), 总计 (2 rows); row 3: the five organisations.
        let rows = vec![
            vec![s(3, 3), s(1, 7)],
            vec![s(2, 1), s(1, 5), s(2, 1)],
            vec![s(1, 1); 5],
            vec![s(1, 3), s(1, 1)],
        ];
        let (placed, adj) = place(&rows);
        let cols: Vec<Vec<u32>> =
            placed.iter().map(|r| r.iter().map(|p| p.col).collect()).collect();
        assert_eq!(cols, vec![vec![0, 3], vec![3, 4, 9], vec![4, 5, 6, 7, 8], vec![0, 3]]);
        assert_eq!(adj, Adjusted::default());
    }

    #[test]
    fn spans_are_parsed_and_clamped() {
        assert_eq!(Spans::parse(Some(" 2 "), Some("3px")), s(2, 3));
        assert_eq!(Spans::parse(Some("x"), Some("0")), s(1, 1));
        assert_eq!(Spans::parse(Some("0"), Some("99999")), s(0, 1000));
        let (placed, adj) = place(&[vec![s(0, 1), s(5, 1)], vec![s(1, 1)]]);
        assert_eq!(placed[0][0].rows, 2);
        assert_eq!(placed[0][1].rows, 2);
        assert_eq!(placed[1][0].col, 2);
        assert_eq!(adj.rowspans_cut, 1);
    }

    #[test]
    fn width_is_capped() {
        let row: Vec<Spans> = vec![s(1, 1000); 10];
        let (placed, adj) = place(&[row]);
        assert_eq!(placed[0][3], Placed { col: 3000, rows: 1, cols: 1000 });
        assert_eq!(placed[0][4], Placed { col: 4000, rows: 1, cols: 96 });
        assert_eq!(placed[0][9].cols, 1);
        assert_eq!(adj.columns_capped, 6);
    }

    proptest! {
        /// No two placed cells cover the same position of the expanded grid.
        #[test]
        fn placed_cells_never_overlap(rows in proptest::collection::vec(
            proptest::collection::vec((0u32..4, 1u32..4), 0..6), 0..8)) {
            let rows: Vec<Vec<Spans>> = rows.into_iter().map(|r| r.into_iter().map(|(a, b)| s(a, b)).collect()).collect();
            let (placed, _) = place(&rows);
            let mut seen = std::collections::BTreeSet::new();
            for (r, row) in placed.iter().enumerate() {
                for p in row {
                    prop_assert!(p.rows >= 1 && p.cols >= 1);
                    prop_assert!(r as u32 + p.rows <= rows.len() as u32);
                    for dr in 0..p.rows {
                        for dc in 0..p.cols {
                            prop_assert!(seen.insert((r as u32 + dr, p.col + dc)));
                        }
                    }
                }
            }
        }
    }
}
