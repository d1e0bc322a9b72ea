//! Rows printed in a grid: the cells are the boundaries of the values.
//!
//! Splitting glued digits ([`crate::split`]) is for text without cell structure. Where the document
//! shows cells (a [`gongkai_doc::Block::Grid`]: ruled PDF tables, DOCX, HTML, XLSX, Markdown pipe
//! tables), what one cell prints is one value: `26` in the 自然人 cell with empty cells beside it
//! reads 26 and blanks, never 2|6.
//!
//! When the grid's header rows name the row's columns (the template labels 自然人 … 总计), each
//! value cell is placed under its header by its grid column, not by its rank among the row's
//! cells. Columns the grid does not print — a wide table cut off at the page's right edge — are
//! then undetermined (`?`) and reported as missing ([`GridRead::missing`]); values are never
//! shifted from the columns beside them.

use gongkai_doc::GridCell;
use gongkai_model::{ColumnSpec, Decimal, Span, Value};

use crate::lex::{Kind, Num, Tok};
use crate::norm::letters;
use crate::rows::Ctx;
use crate::split::{Part, Readings};

/// Where a grid cell's unit lies in its grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CellAt {
    /// The cell's unit ([`Tok::unit`]).
    pub unit: u32,
    /// Index of the grid among the document's grids.
    pub grid: u32,
    /// Row in the grid (where the cell starts).
    pub row: u32,
    /// First column in the expanded grid.
    pub col: u32,
    /// Columns it spans (≥ 1).
    pub cols: u32,
    /// Its text in the document.
    pub span: Span,
}

impl CellAt {
    /// The position of `cell`, lexed as unit `unit`.
    pub(crate) fn new(unit: u32, grid: u32, row: usize, cell: &GridCell) -> Self {
        CellAt {
            unit,
            grid,
            row: u32::try_from(row).unwrap_or(u32::MAX),
            col: cell.col,
            cols: cell.col_span.max(1),
            span: cell.span,
        }
    }

    fn end(&self) -> u32 {
        self.col.saturating_add(self.cols)
    }

    /// Whether `other` lies within this cell's columns.
    fn covers(&self, other: &CellAt) -> bool {
        other.col >= self.col && other.end() <= self.end()
    }

    /// Whether the two cells share a column.
    fn overlaps(&self, other: &CellAt) -> bool {
        self.col < other.end() && other.col < self.end()
    }
}

/// The readings of a row printed in a grid.
#[derive(Debug)]
pub(crate) struct GridRead {
    /// At most one reading: each cell's content as one value.
    pub readings: Readings,
    /// Indexes of the row's columns that the grid does not print (no header and no cell: the
    /// table is cut off to the right). Their cells are `Unknown` in the reading.
    pub missing: Vec<usize>,
}

/// The readings of the value tokens `toks` of a row with `n` cells when they all lie in grid
/// cells; `None` when the row is not (only) printed in a grid, for the text path to read it.
/// `columns` are the row's columns when their header labels locate them (Tables 2 and 3).
pub(crate) fn readings(
    ctx: &Ctx<'_>,
    columns: Option<&[ColumnSpec]>,
    toks: &[usize],
    n: usize,
    accept: &dyn Fn(&[Part]) -> bool,
) -> Option<GridRead> {
    let mut cells: Vec<(&CellAt, Vec<&Tok>)> = Vec::new();
    for &t in toks {
        let tok = ctx.lexed.toks.get(t)?;
        if tok.kind == Kind::Punct {
            continue;
        }
        let cell = cell_of(ctx, tok.unit)?;
        match cells.last_mut() {
            Some((c, ts)) if c.unit == cell.unit => ts.push(tok),
            _ => cells.push((cell, vec![tok])),
        }
    }
    let first = cells.first()?.0;
    let one_row = cells.iter().all(|(c, _)| c.grid == first.grid && c.row == first.row);
    if one_row
        && let Some(columns) = columns.filter(|c| c.len() == n)
        && let Some(headers) = headers(ctx, columns, first)
    {
        let (parts, missing) = place(ctx, &cells, &headers);
        return Some(GridRead { readings: one_reading(parts, accept), missing });
    }
    // Without headers the cells are read in order by the text path, which splits a digit run only
    // when there are fewer printed items than cells: in a grid that would cut a cell's number.
    let items: usize = cells.iter().map(|(_, ts)| ts.len()).sum();
    let whole = cells.iter().flat_map(|(_, ts)| ts).all(|t| match &t.kind {
        Kind::Num(num) | Kind::Prose(num) => number(num).is_some(),
        _ => true,
    });
    (n > items || !whole).then(|| GridRead { readings: Readings::default(), missing: Vec::new() })
}

/// The cell lexed as `unit`, if it is a grid cell.
fn cell_of<'a>(ctx: &Ctx<'a>, unit: u32) -> Option<&'a CellAt> {
    let cells = &ctx.lexed.cells;
    let i = cells.partition_point(|c| c.unit < unit);
    cells.get(i).filter(|c| c.unit == unit)
}

/// The tokens of a unit.
fn toks_of<'a>(ctx: &Ctx<'a>, unit: u32) -> &'a [Tok] {
    let toks = &ctx.lexed.toks;
    let from = toks.partition_point(|t| t.unit < unit);
    let to = toks.partition_point(|t| t.unit <= unit);
    &toks[from..to.max(from)]
}

/// The header cell of each column: the nearest cell above `first` (in a row printing no number,
/// at or right of the row's first value cell) whose text is the column's label. `None` unless
/// some column is found and the found ones are left to right.
fn headers<'a>(
    ctx: &Ctx<'a>,
    columns: &[ColumnSpec],
    first: &CellAt,
) -> Option<Vec<Option<&'a CellAt>>> {
    let all = &ctx.lexed.cells;
    let from = all.partition_point(|c| c.grid < first.grid);
    let to = all.partition_point(|c| c.grid <= first.grid);
    let above: Vec<&CellAt> = all[from..to.max(from)]
        .iter()
        .filter(|c| c.row < first.row && c.col >= first.col)
        .collect();
    let numbers_in_row = |row: u32| {
        above.iter().filter(|c| c.row == row).any(|c| {
            toks_of(ctx, c.unit).iter().any(|t| matches!(t.kind, Kind::Num(_) | Kind::Prose(_)))
        })
    };
    let found: Vec<Option<&CellAt>> = columns
        .iter()
        .map(|col| {
            let label = letters(col.label);
            above
                .iter()
                .filter(|c| letters(ctx.text.get(c.span.range()).unwrap_or("")) == label)
                .filter(|c| !numbers_in_row(c.row))
                .max_by_key(|c| c.row)
                .copied()
        })
        .collect();
    let cols: Vec<u32> = found.iter().flatten().map(|c| c.col).collect();
    (!cols.is_empty() && cols.windows(2).all(|w| w[0] < w[1])).then_some(found)
}

/// Places the row's cells under the columns' headers. A row with one cell per column, each
/// sharing a grid column with its header, is read in order (Word's HTML often shifts spans
/// between the header and the data rows). Otherwise each header takes the cell within its
/// columns; columns without a header take the cells between their neighbours' headers when there
/// are exactly as many; columns right of the last header with no cell at all are missing.
fn place(
    ctx: &Ctx<'_>,
    cells: &[(&CellAt, Vec<&Tok>)],
    headers: &[Option<&CellAt>],
) -> (Vec<Part>, Vec<usize>) {
    let in_order = cells.len() == headers.len()
        && cells.iter().zip(headers).all(|((c, _), h)| h.is_none_or(|h| h.overlaps(c)));
    if in_order {
        return (cells.iter().map(|(c, ts)| cell_part(ctx, c, ts)).collect(), Vec::new());
    }
    let unknown = || Part::new(Value::Unknown, None);
    let mut parts: Vec<Part> = Vec::with_capacity(headers.len());
    let mut missing = Vec::new();
    let mut j = 0;
    while j < headers.len() {
        if let Some(h) = headers[j] {
            let under: Vec<_> = cells.iter().filter(|(c, _)| h.covers(c)).collect();
            parts.push(match under.as_slice() {
                [(c, ts)] => cell_part(ctx, c, ts),
                _ => unknown(),
            });
            j += 1;
            continue;
        }
        // A run of columns without a header, between the headers before and after it.
        let run_end = (j..headers.len()).find(|&k| headers[k].is_some()).unwrap_or(headers.len());
        let left = headers[..j].iter().rev().flatten().next().map_or(0, |h| h.end());
        let right = headers.get(run_end).copied().flatten().map_or(u32::MAX, |h| h.col);
        let free: Vec<_> = cells
            .iter()
            .filter(|(c, _)| c.col >= left && c.end() <= right)
            .filter(|(c, _)| !headers.iter().flatten().any(|h| h.covers(c)))
            .collect();
        if free.len() == run_end - j {
            parts.extend(free.iter().map(|(c, ts)| cell_part(ctx, c, ts)));
        } else {
            if free.is_empty() && right == u32::MAX {
                missing.extend(j..run_end);
            }
            parts.extend((j..run_end).map(|_| unknown()));
        }
        j = run_end;
    }
    (parts, missing)
}

/// What one cell prints, as one value: a number, a mark, a blank, or text (undetermined).
fn cell_part(ctx: &Ctx<'_>, cell: &CellAt, toks: &[&Tok]) -> Part {
    let printed: Vec<&&Tok> = toks.iter().filter(|t| t.kind != Kind::Empty).collect();
    let unreadable = || Part {
        unreadable: Some(ctx.text.get(cell.span.range()).unwrap_or("").trim().to_owned()),
        ..Part::new(Value::Unknown, Some(cell.span))
    };
    match printed.as_slice() {
        [] => Part::new(Value::Blank, toks.first().map(|t| t.span)),
        [t] => match &t.kind {
            Kind::Num(num) | Kind::Prose(num) => match number(num) {
                Some(d) => Part {
                    annotation: num.annotation.as_ref().map(|(a, _)| a.clone()),
                    ..Part::new(Value::Number(d), Some(t.span))
                },
                None => unreadable(),
            },
            Kind::Mark => Part::new(
                Value::NotApplicable(ctx.text.get(t.span.range()).unwrap_or("").trim().to_owned()),
                Some(t.span),
            ),
            _ => unreadable(),
        },
        _ => unreadable(),
    }
}

/// A digit run as one number (`None` when a decimal cannot hold it exactly; the same reading of
/// digits as the text path, [`crate::split::exact`]).
fn number(num: &Num) -> Option<Decimal> {
    let d = crate::split::exact(&num.text)?;
    Some(if num.negative { -d } else { d })
}

fn one_reading(parts: Vec<Part>, accept: &dyn Fn(&[Part]) -> bool) -> Readings {
    let mut r = Readings { total: 1, ..Readings::default() };
    if accept(&parts) {
        r.list.push(parts);
    } else {
        let agree = vec![true; parts.len()];
        r.unconstrained = Some((parts, agree));
    }
    r
}
