//! Reading Tables 2, 3 and 4 from their regions.
//!
//! For each table every layout is tried ([`crate::rows`]) and the best-fitting one kept (the
//! layout is detected per table, spec §3). Rows then get their candidate readings
//! ([`crate::split`]), which the table's rules narrow down ([`crate::solve`]): the row total first
//! (within the row), then the column sums and the balance (across rows). A cell is written only
//! when every surviving reading agrees on it; otherwise it is undetermined (`?`) with a finding
//! listing the readings. The published value is never changed to satisfy a rule: rules only choose
//! among readings of what was printed.

mod build;
mod missing;

use std::ops::Range;

use gongkai_model::identities::{self, Identity};
use gongkai_model::{CellKey, ColumnSpec, Finding, Layout, Span, Table, TableId, TableLayout};

use crate::lex::{Kind, NO_ROW};
use crate::norm::letters;
use crate::rows::{Ctx, How, RowMatch, match_rows};
use crate::solve::{Constraint, row_ok};
use crate::split::{Atom, Part, Readings, readings};

/// Most readings kept per row.
const ROW_BUDGET: usize = 20_000;
/// Most search nodes for the whole table.
const SOLVE_BUDGET: u64 = 2_000_000;

/// A table read from the document, with the reader's findings about it.
pub(crate) struct TableRead {
    /// The table.
    pub table: Table,
    /// Extraction findings.
    pub findings: Vec<Finding>,
}

struct Fit {
    layout: Layout,
    groups: Vec<Group>,
    /// Labels, header evidence and how well the readings fit.
    score: f32,
    /// Labels and header evidence only.
    label_score: f32,
    /// Whether the document's work budget cut some row's enumeration short.
    truncated: bool,
}

impl Fit {
    /// The score layouts are compared by: with every reading enumerated, the full score; once the
    /// shared work budget has cut an enumeration short, the labels alone — a layout tried while the
    /// budget lasted must not lose to one tried after it ran out, nor the reverse.
    fn rank(&self, budget_cut: bool) -> f32 {
        if budget_cut { self.label_score } else { self.score }
    }
}

/// Cells read together: a row of Table 2 or 3, or the whole of Table 4 (its three blocks are
/// printed as one run of values).
struct Group {
    /// The cells, in printed order.
    keys: Vec<CellKey>,
    /// The row label as printed in the template (for messages).
    label: String,
    /// The row's match and value tokens.
    m: RowMatch,
    /// Its readings.
    readings: Readings,
    /// Indexes of its cells whose columns the grid does not print ([`crate::grid`]).
    missing: Vec<usize>,
}

fn atoms_of<'a>(ctx: &'a Ctx<'_>, toks: &[usize]) -> Vec<Atom<'a>> {
    toks.iter()
        .filter_map(|&t| {
            let tok = ctx.lexed.toks.get(t)?;
            Some(match &tok.kind {
                // A `5件` cell of a table row is the number 5 (only table rows yield prose tokens).
                Kind::Num(n) | Kind::Prose(n) => Atom::Num(n, tok.span),
                Kind::Mark => Atom::Mark(ctx_text(ctx, tok.span), tok.span),
                Kind::Empty => Atom::Empty(tok.span, tok.cell),
                // A table cell with only text where a number belongs, or a `?` cell.
                Kind::Text | Kind::Unread => Atom::Unreadable(ctx_text(ctx, tok.span), tok.span),
                Kind::Punct => return None,
            })
        })
        .collect()
}

/// The readings of a group's value tokens, filtered by its own constraints, and the indexes of
/// its columns that are not printed. A row printed in grid cells is read cell by cell
/// ([`crate::grid`]); `columns` locate its cells under their headers.
fn group_readings(
    ctx: &Ctx<'_>,
    table: TableId,
    columns: Option<&[ColumnSpec]>,
    toks: &[usize],
    n: usize,
) -> (Readings, Vec<usize>) {
    let cons = row_constraints(table);
    let accept = |p: &[Part]| cons.iter().all(|c| row_ok(p, c));
    let (r, missing) = match crate::grid::readings(ctx, columns, toks, n, &accept) {
        Some(g) => (g.readings, g.missing),
        None => (readings(&atoms_of(ctx, toks), n, ROW_BUDGET, ctx.work, &accept), Vec::new()),
    };
    (crate::choices::expand(ctx, r, &accept), missing)
}

fn fit(ctx: &Ctx<'_>, table: TableId, layout: Layout, toks: &Range<usize>) -> Fit {
    let shape = TableLayout::get(table, layout);
    let rows = match_rows(ctx, shape, toks.clone());
    let mut score = 0.0;
    let mut label_score = 0.0;
    let mut truncated = false;
    let mut groups = Vec::with_capacity(rows.len());
    for (spec, m) in shape.rows.iter().zip(rows) {
        let (r, missing) =
            group_readings(ctx, table, Some(spec.columns), &m.atoms, spec.columns.len());
        truncated |= r.truncated;
        if let Some(hit) = &m.hit {
            score += hit.quality;
            label_score += hit.quality - 0.3 * m.orphans.len() as f32;
            if r.too_many {
                score -= 0.5;
            } else if !r.list.is_empty() {
                score += 0.5;
            } else if r.unconstrained.is_some() {
                score += 0.3;
            }
            score -= 0.3 * m.orphans.len() as f32;
        }
        let keys = spec.columns.iter().map(|c| CellKey { row: spec.id, col: c.id }).collect();
        groups.push(Group { keys, label: spec.label(), m, readings: r, missing });
    }
    if table == TableId::T2 {
        let evidence = header_evidence(ctx, toks, layout);
        score += evidence;
        label_score += evidence;
    }
    Fit { layout, groups, score, label_score, truncated }
}

/// Column headers that only one Table 2 layout prints.
fn header_evidence(ctx: &Ctx<'_>, toks: &Range<usize>, layout: Layout) -> f32 {
    let own: &[&str] = match layout {
        Layout::Format2021 => {
            &["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"]
        }
        Layout::Trial2019 => &[
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
            "上一年项目数量",
            "本年增减",
            "采购项目数量",
            "采购总金额",
        ],
    };
    let region = ctx.stream_range(toks);
    let text: String = ctx.stream.chars[region].iter().collect();
    own.iter().filter(|h| text.contains(&letters(h))).count() as f32
}

/// Reads a Table 2 or 3 from `toks`. `None` when no layout finds enough rows.
pub(crate) fn read_rows_table(
    ctx: &Ctx<'_>,
    table: TableId,
    toks: Range<usize>,
) -> Option<TableRead> {
    let fits = [Layout::Format2021, Layout::Trial2019].map(|l| fit(ctx, table, l, &toks));
    let budget_cut = fits.iter().any(|f| f.truncated);
    let best = fits.into_iter().max_by(|a, b| a.rank(budget_cut).total_cmp(&b.rank(budget_cut)))?;
    let matched = best.groups.iter().filter(|g| g.m.hit.is_some()).count();
    let needed = match table {
        TableId::T2 => 2,
        _ => 5,
    };
    if matched < needed {
        return None;
    }
    let global = if table == TableId::T3 {
        t3_constraints(TableLayout::get(table, best.layout))
    } else {
        Vec::new()
    };
    Some(build::build(ctx, table, best, &global))
}

/// Constraints within one group, in the group's cell indexes (row index 0): a Table 3 row's
/// total, Table 4's three block sums (Table 4 is one group). From the model's identities.
fn row_constraints(table: TableId) -> Vec<Constraint> {
    let (ids, shape) = match table {
        TableId::T3 => {
            let layout = Layout::Format2021;
            (
                identities::t3_row_totals(layout).into_iter().take(1).collect(),
                TableLayout::get(table, layout),
            )
        }
        TableId::T4 => (identities::t4(), TableLayout::get(table, Layout::Format2021)),
        TableId::T2 => return Vec::new(),
    };
    let first_row = shape.rows.first().map(|r| r.id);
    // A Table 3 row: its columns; Table 4: all its cells in table order.
    let index = |k: &CellKey| match table {
        TableId::T3 => shape
            .rows
            .first()
            .filter(|_| Some(k.row) == first_row)
            .and_then(|r| r.columns.iter().position(|c| c.id == k.col)),
        _ => shape.index_of(*k),
    };
    ids.iter().filter_map(|id| constraint(id, |k| index(k).map(|c| (0, c)))).collect()
}

/// Table 3's column sums and balance, in (row, column) indexes of the layout. From the model's
/// identities.
fn t3_constraints(shape: &TableLayout) -> Vec<Constraint> {
    let index = |k: &CellKey| {
        let r = shape.rows.iter().position(|s| s.id == k.row)?;
        let c = shape.rows[r].columns.iter().position(|c| c.id == k.col)?;
        Some((r, c))
    };
    identities::t3_columns(shape.layout).iter().filter_map(|id| constraint(id, index)).collect()
}

/// An identity as a constraint over cell positions (`None` when a cell has no position).
fn constraint(
    id: &Identity,
    at: impl Fn(&CellKey) -> Option<(usize, usize)>,
) -> Option<Constraint> {
    Some(Constraint {
        lhs: id.lhs.iter().map(&at).collect::<Option<Vec<_>>>()?,
        rhs: id.rhs.iter().map(&at).collect::<Option<Vec<_>>>()?,
    })
}

fn table_no(t: TableId) -> &'static str {
    match t {
        TableId::T2 => "二",
        TableId::T3 => "三",
        TableId::T4 => "四",
    }
}

fn ctx_text(ctx: &Ctx<'_>, span: Span) -> String {
    ctx.text.get(span.range()).unwrap_or("").trim().to_owned()
}

/// Words a Table 4 header is made of.
const T4_HEADER_WORDS: &[&str] = &[
    "未经复议直接起诉",
    "复议后起诉",
    "政府信息公开",
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "直接起诉",
    "未经复议",
    "总计",
    "合计",
    "结果",
    "维持",
    "纠正",
    "其他",
    "其它",
    "尚未",
    "审结",
    "数量",
    "件数",
    "情况",
    "项目",
    "类别",
    "起诉",
    "复议",
    "诉讼",
    "行政",
    "案件",
    "总",
    "计",
    "数",
    "后",
];

/// Whether a text is made (almost) only of Table 4 header words.
fn is_t4_header(text: &str) -> bool {
    let l: Vec<char> = letters(text).chars().collect();
    if l.is_empty() {
        return false;
    }
    let mut covered = 0;
    let mut i = 0;
    while i < l.len() {
        let w = T4_HEADER_WORDS.iter().find(|w| {
            let wc: Vec<char> = w.chars().collect();
            l[i..].starts_with(&wc)
        });
        match w {
            Some(w) => {
                let n = w.chars().count();
                covered += n;
                i += n;
            }
            None => i += 1,
        }
    }
    covered * 10 >= l.len() * 9
}

/// Whether table row `row` has a number or mark in `toks`.
fn row_has_values(ctx: &Ctx<'_>, toks: Range<usize>, row: u32) -> bool {
    ctx.lexed.toks[toks.start.min(ctx.lexed.toks.len())..toks.end.min(ctx.lexed.toks.len())]
        .iter()
        .any(|t| t.row == row && matches!(t.kind, Kind::Num(_) | Kind::Mark))
}

/// Reads Table 4 from `toks`: the values after its header, skipping repeated header text.
pub(crate) fn read_t4(ctx: &Ctx<'_>, toks: Range<usize>) -> Option<TableRead> {
    let lexed = ctx.lexed;
    let is_header =
        |t: &crate::lex::Tok| t.kind == Kind::Text && is_t4_header(&ctx_text(ctx, t.span));
    let start = toks.clone().find(|&t| lexed.toks.get(t).is_some_and(is_header))?;
    let mut atoms: Vec<usize> = Vec::new();
    for t in start..toks.end {
        let Some(tok) = lexed.toks.get(t) else { break };
        match &tok.kind {
            Kind::Text if is_header(tok) => {}
            Kind::Punct => {}
            // In a table row that holds values, a text cell is an unreadable value cell and
            // `5件` is a value.
            Kind::Text | Kind::Prose(_) | Kind::Unread
                if tok.row != NO_ROW && row_has_values(ctx, toks.clone(), tok.row) =>
            {
                atoms.push(t)
            }
            // A `?` cell in a row of headers is a header the OCR reader could not read.
            Kind::Unread if tok.row != NO_ROW => {}
            Kind::Text | Kind::Prose(_) => {
                if atoms.iter().any(|&a| !matches!(lexed.toks[a].kind, Kind::Empty)) {
                    break;
                }
            }
            _ => atoms.push(t),
        }
    }
    let keys: Vec<CellKey> = TableLayout::get(TableId::T4, Layout::Format2021).keys().collect();
    let (readings, missing) = group_readings(ctx, TableId::T4, None, &atoms, keys.len());
    let header = lexed.toks.get(start).map(|t| t.span);
    // The header is the table's "label": its span anchors the table.
    let m = RowMatch {
        hit: Some(crate::rows::Hit {
            start: ctx.stream.tok_start[start] as usize,
            end: ctx.stream.tok_start[start] as usize + 1,
            quality: 1.0,
            how: How::Exact,
        }),
        atoms,
        orphans: Vec::new(),
    };
    let group = Group { keys, label: "表四".to_owned(), m, readings, missing };
    let mut read = build::build(
        ctx,
        TableId::T4,
        Fit {
            layout: Layout::Format2021,
            groups: vec![group],
            score: 0.0,
            label_score: 0.0,
            truncated: false,
        },
        &[],
    );
    read.table.span = match (header, read.table.span) {
        (Some(h), Some(s)) => Some(h.cover(s)),
        (h, s) => h.or(s),
    };
    Some(read)
}
