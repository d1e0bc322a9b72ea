//! Reading Tables 2, 3 and 4 from their regions.
//!
//! For each table every layout is tried ([`crate::rows`]) and the best-fitting one kept (the
//! layout is detected per table, spec §3). Rows then get their candidate readings
//! ([`crate::split`]), which the table's rules narrow down ([`crate::solve`]): the row total first
//! (within the row), then the column sums and the balance (across rows). A cell is written only
//! when every surviving reading agrees on it; otherwise it is undetermined (`?`) with a finding
//! listing the readings. The published value is never changed to satisfy a rule: rules only choose
//! among readings of what was printed.

use std::ops::Range;

use gongkai_doc::findings;
use gongkai_model::identities::{self, Identity};
use gongkai_model::{
    Cell, CellKey, ColumnSpec, Finding, Layout, Msg, Span, Table, TableId, TableLayout, Value,
};

use crate::lex::{Kind, NO_ROW};
use crate::norm::letters;
use crate::rows::{Ctx, How, RowMatch, match_rows};
use crate::solve::{Constraint, Outcome, row_ok, solve};
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
                // A table cell with only text where a number belongs.
                Kind::Text => Atom::Unreadable(ctx_text(ctx, tok.span), tok.span),
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
    if let Some(g) = crate::grid::readings(ctx, columns, toks, n, &accept) {
        return (g.readings, g.missing);
    }
    let atoms = atoms_of(ctx, toks);
    (readings(&atoms, n, ROW_BUDGET, ctx.work, &accept), Vec::new())
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
    Some(build(ctx, table, best, &global))
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

/// The candidate readings of a group for the solver: the readings that satisfy its own
/// constraints, or — when none does (the printed numbers disagree) — one pseudo-reading holding the
/// cells on which every reading agrees and `Unknown` elsewhere.
fn candidates(r: &Readings) -> Vec<Vec<Part>> {
    if r.truncated {
        return Vec::new();
    }
    if !r.list.is_empty() {
        return r.list.clone();
    }
    match &r.unconstrained {
        Some((first, agree)) => vec![
            first
                .iter()
                .zip(agree)
                .map(|(p, &a)| if a { p.clone() } else { Part::new(Value::Unknown, None) })
                .collect(),
        ],
        None => Vec::new(),
    }
}

fn build(ctx: &Ctx<'_>, table: TableId, fit: Fit, global: &[Constraint]) -> TableRead {
    let mut findings = Vec::new();
    let mut cands: Vec<Vec<Vec<Part>>> =
        fit.groups.iter().map(|g| candidates(&g.readings)).collect();
    if !global.is_empty()
        && let Outcome::Solved(keep) = solve(&cands, global, SOLVE_BUDGET, ctx.work)
    {
        for (row, k) in cands.iter_mut().zip(keep) {
            if !row.is_empty() {
                *row = k.into_iter().map(|i| row[i].clone()).collect();
            }
        }
    }
    let mut t = Table::blank(table, fit.layout);
    let mut span: Option<Span> = None;
    let mut grow = |s: Span| span = Some(span.map_or(s, |x| x.cover(s)));
    let mut split_rows: Vec<String> = Vec::new();
    let mut split_cells: Vec<CellKey> = Vec::new();
    let mut split_span: Option<Span> = None;
    let mut missing = MissingColumns::default();
    for (g, row_cands) in fit.groups.iter().zip(&cands) {
        let (keys, label, m, r) = (&g.keys, &g.label, &g.m, &g.readings);
        let label_span = m.hit.as_ref().filter(|h| h.how != How::Position).and_then(|h| {
            let s = ctx.stream.span.get(h.start)?;
            let e = ctx.stream.span.get(h.end.checked_sub(1)?)?;
            Some(s.cover(*e))
        });
        if let Some(s) = label_span {
            grow(s);
        }
        let Some(hit) = &m.hit else {
            for &k in keys {
                t.set(k, Value::Unknown);
            }
            findings.push(
                findings::READ_ROW_MISSING
                    .finding(Msg::new(
                        format!("未找到「{label}」一行，该行 {} 个单元格无法确定（?）", keys.len()),
                        format!(
                            "row `{}` not found; its {} cells are undetermined (?)",
                            keys[0].row.key(),
                            keys.len()
                        ),
                    ))
                    .with_cells(keys.iter().copied()),
            );
            continue;
        };
        if matches!(hit.how, How::Fuzzy(_) | How::Position) {
            let printed = label_span.map(|s| ctx_text(ctx, s)).unwrap_or_default();
            let (zh, en) = if hit.how == How::Position {
                (
                    format!(
                        "「{label}」的行标签未能识别，按位置（前后两行之间唯一的一组数字）确定该行"
                    ),
                    format!(
                        "label of row `{}` not recognised; its values were identified by position",
                        keys[0].row.key()
                    ),
                )
            } else {
                (
                    format!("行标签「{printed}」与模板「{label}」不完全一致，按近似匹配识别"),
                    format!(
                        "row label `{printed}` differs from the template's; matched approximately to `{}`",
                        keys[0].row.key()
                    ),
                )
            };
            findings.push(
                findings::READ_LABEL
                    .finding(Msg::new(zh, en))
                    .with_cells(keys.iter().copied())
                    .with_label(label_span, Msg::new("", "")),
            );
        }
        let value_toks: Vec<&crate::lex::Tok> = m
            .atoms
            .iter()
            .filter_map(|&a| ctx.lexed.toks.get(a))
            .filter(|t| !matches!(t.kind, Kind::Empty))
            .collect();
        let printed: String =
            value_toks.iter().map(|t| ctx_text(ctx, t.span)).collect::<Vec<_>>().join(" ");
        let atoms_span = value_toks.iter().map(|t| t.span).reduce(Span::cover);
        if let Some(s) = atoms_span {
            grow(s);
        }
        if row_cands.is_empty() {
            for &k in keys {
                t.set(k, Value::Unknown);
            }
            let (zh, en) = if r.too_many {
                (
                    format!(
                        "「{label}」印有多于 {} 个数值（{printed}），无法确定各单元格（?）",
                        keys.len()
                    ),
                    format!(
                        "`{}` has more than {} printed values; cells undetermined",
                        keys[0].row.key(),
                        keys.len()
                    ),
                )
            } else if r.truncated {
                (
                    format!("「{label}」的连写数字（{printed}）可拆分方式过多，无法确定（?）"),
                    format!(
                        "`{}`: too many ways to split the glued digits; cells undetermined",
                        keys[0].row.key()
                    ),
                )
            } else if m.atoms.is_empty() {
                (
                    format!("「{label}」未找到数值（?）"),
                    format!("`{}`: no values found; cells undetermined", keys[0].row.key()),
                )
            } else {
                (
                    format!(
                        "「{label}」的数值（{printed}）少于 {} 个且无法拆分，无法确定各单元格（?）",
                        keys.len()
                    ),
                    format!(
                        "`{}` has fewer than {} values that cannot be split; cells undetermined",
                        keys[0].row.key(),
                        keys.len()
                    ),
                )
            };
            // Readings cut off by the work budget are ambiguity, not missing values.
            let kind = if r.truncated { &findings::READ_AMBIGUOUS } else { &findings::READ_VALUES };
            findings.push(
                kind.finding(Msg::new(zh, en))
                    .with_cells(keys.iter().copied())
                    .with_label(atoms_span.or(label_span), Msg::new("", "")),
            );
            continue;
        }
        let mut undetermined: Vec<CellKey> = Vec::new();
        let mut unreadable: Vec<(CellKey, String)> = Vec::new();
        for (c, &k) in keys.iter().enumerate() {
            let first = &row_cands[0][c];
            if let Some(text) = row_cands
                .iter()
                .all(|p| p[c].unreadable.is_some())
                .then(|| first.unreadable.clone())
                .flatten()
            {
                if let Some(cell) = t.cell_mut(k) {
                    *cell = Cell {
                        key: k,
                        value: Value::Unknown,
                        annotation: None,
                        span: first.span,
                        alternatives: ocr_digits(&text),
                    };
                }
                unreadable.push((k, text));
                continue;
            }
            if g.missing.contains(&c) {
                t.set(k, Value::Unknown);
                missing.add(
                    k,
                    table,
                    fit.layout,
                    m.atoms.first().and_then(|&a| ctx.lexed.toks.get(a)),
                );
                continue;
            }
            // A blank needs evidence like any other value: every reading has it blank *and* the
            // source shows a cell there (not a header's empty line the reading took as one); at and
            // behind such a line, every cell's position is a guess.
            let agree = first.value != Value::Unknown
                && row_cands
                    .iter()
                    .all(|p| p[c].value == first.value && !p[..=c].iter().any(|x| x.unshown));
            let Some(cell) = t.cell_mut(k) else { continue };
            if agree {
                *cell = Cell {
                    key: k,
                    value: first.value.clone(),
                    annotation: first.annotation.clone(),
                    span: first.span,
                    alternatives: Vec::new(),
                };
            } else {
                let mut alts: Vec<gongkai_model::Decimal> = Vec::new();
                for p in row_cands {
                    if let Some(d) = p[c].value.number()
                        && !alts.contains(&d)
                    {
                        alts.push(d);
                    }
                }
                *cell = Cell {
                    key: k,
                    value: Value::Unknown,
                    annotation: None,
                    span: None,
                    alternatives: alts,
                };
                undetermined.push(k);
            }
        }
        if !unreadable.is_empty() {
            let shown: Vec<String> = unreadable.iter().map(|(_, t)| format!("「{t}」")).collect();
            findings.push(
                findings::READ_CELL_TEXT
                    .finding(Msg::new(
                        format!(
                            "「{label}」有 {} 个单元格印的不是数字（{}），记为 ?",
                            unreadable.len(),
                            shown.join("、")
                        ),
                        format!(
                            "`{}`: {} cell(s) hold text instead of a number ({}); undetermined",
                            keys[0].row.key(),
                            unreadable.len(),
                            shown.join(", ")
                        ),
                    ))
                    .with_cells(unreadable.iter().map(|(k, _)| *k))
                    .with_label(
                        row_cands[0].iter().find(|p| p.unreadable.is_some()).and_then(|p| p.span),
                        Msg::new("不是数字", "not a number"),
                    ),
            );
        }
        let no_fit = r.list.is_empty();
        if !undetermined.is_empty() {
            let shown: Vec<String> = if no_fit {
                Vec::new()
            } else {
                row_cands
                    .iter()
                    .take(6)
                    .map(|p| p.iter().map(|x| x.value.tsv()).collect::<Vec<_>>().join("|"))
                    .collect()
            };
            let (zh, en) = if !r.split {
                let n_printed = value_toks.len();
                (
                    format!(
                        "「{label}」印有 {n_printed} 个数值（{printed}），少于 {} 个单元格；哪些空行是空白单元格，无法由勾稽关系确定，{} 个单元格记为 ?",
                        keys.len(),
                        undetermined.len()
                    ),
                    format!(
                        "`{}`: {n_printed} printed values for {} cells; which empty lines are blank cells cannot be decided by the table's rules; {} cells undetermined",
                        keys[0].row.key(),
                        keys.len(),
                        undetermined.len()
                    ),
                )
            } else if no_fit {
                (
                    format!(
                        "「{label}」的数字「{printed}」连写无分隔，共 {} 种拆分，没有一种满足本行的合计关系；{} 个单元格记为 ?",
                        r.total,
                        undetermined.len()
                    ),
                    format!(
                        "`{}`: digits `{printed}` printed without separators; none of {} readings satisfies the row's totals; {} cells undetermined",
                        keys[0].row.key(),
                        r.total,
                        undetermined.len()
                    ),
                )
            } else {
                let more = if row_cands.len() > 6 {
                    format!(" …（共 {} 种）", row_cands.len())
                } else {
                    String::new()
                };
                (
                    format!(
                        "「{label}」的数字「{printed}」连写无分隔，可读作 {}{more}，勾稽关系无法唯一确定；{} 个单元格记为 ?",
                        shown.join(" 或 "),
                        undetermined.len()
                    ),
                    format!(
                        "`{}`: digits `{printed}` printed without separators allow {} readings; {} cells undetermined",
                        keys[0].row.key(),
                        row_cands.len(),
                        undetermined.len()
                    ),
                )
            };
            findings.push(
                findings::READ_AMBIGUOUS
                    .finding(Msg::new(zh, en))
                    .with_cells(undetermined.iter().copied())
                    .with_label(atoms_span, Msg::new("连写的数字", "glued digits")),
            );
        } else if r.glued {
            split_rows.push(format!(
                "「{label}」{printed} → {}",
                row_cands[0].iter().map(|x| x.value.tsv()).collect::<Vec<_>>().join("|")
            ));
            split_cells.extend(keys.iter().copied());
            split_span = split_span.or(atoms_span);
        }
        for o in &m.orphans {
            let ospan =
                o.iter().filter_map(|&a| ctx.lexed.toks.get(a)).map(|t| t.span).reduce(Span::cover);
            let text: String = o
                .iter()
                .filter_map(|&a| ctx.lexed.toks.get(a))
                .map(|t| ctx_text(ctx, t.span))
                .collect::<Vec<_>>()
                .join(" ");
            findings.push(
                findings::READ_STRAY
                    .finding(Msg::new(
                        format!("「{label}」之后有不属于任何一行的数字「{text}」，已忽略"),
                        format!(
                            "numbers `{text}` after `{}` belong to no row and were ignored",
                            keys[0].row.key()
                        ),
                    ))
                    .with_label(ospan, Msg::new("", "")),
            );
        }
    }
    if !split_rows.is_empty() {
        let examples: Vec<&str> = split_rows.iter().take(2).map(String::as_str).collect();
        let more = if split_rows.len() > 2 { "……" } else { "" };
        findings.push(
            findings::READ_SPLIT.finding(Msg::new(
                    format!("表{}有 {} 处数字连写无分隔，均只有一种读法符合位数规则与勾稽关系，已据此拆分（如 {}{more}）", table_no(table), split_rows.len(), examples.join("；")),
                    format!("{} run(s) of glued digits in {} each had exactly one reading consistent with the digits and the table's rules", split_rows.len(), table),
                ),
            )
            .with_cells(split_cells)
            .with_label(split_span, Msg::new("连写的数字", "glued digits")),
        );
    }
    findings.extend(missing.finding(table));
    t.span = span;
    TableRead { table: t, findings }
}

/// Cells of columns that a grid does not print, gathered over a table for one finding.
#[derive(Default)]
struct MissingColumns {
    /// Column labels (template wording) and keys, in first-seen order.
    columns: Vec<(&'static str, &'static str)>,
    cells: Vec<CellKey>,
    /// The first row's printed values, to point at.
    span: Option<Span>,
}

impl MissingColumns {
    fn add(&mut self, k: CellKey, table: TableId, layout: Layout, first: Option<&crate::lex::Tok>) {
        let label = TableLayout::get(table, layout)
            .rows
            .iter()
            .find(|r| r.id == k.row)
            .and_then(|r| r.columns.iter().find(|c| c.id == k.col))
            .map_or("", |c| c.label);
        if !self.columns.iter().any(|(_, key)| *key == k.col.key()) {
            self.columns.push((label, k.col.key()));
        }
        self.cells.push(k);
        self.span = self.span.or(first.map(|t| t.span));
    }

    /// `READ-COLUMNS-MISSING`: the columns are not printed, so their cells are `?`.
    fn finding(self, table: TableId) -> Option<Finding> {
        if self.cells.is_empty() {
            return None;
        }
        let zh: Vec<String> = self.columns.iter().map(|(l, _)| format!("「{l}」")).collect();
        let en: Vec<String> = self.columns.iter().map(|(_, k)| format!("`{k}`")).collect();
        Some(
            findings::READ_COLUMNS_MISSING.finding(Msg::new(
                    format!(
                        "表{}的{}列没有印出（表格在页面边缘被截断，或表中没有这些列），这些列的 {} 个单元格无法确定（?）",
                        table_no(table),
                        zh.join(""),
                        self.cells.len()
                    ),
                    format!(
                        "{table}: column(s) {} are not printed (the table is cut off at the page edge, or lacks them); their {} cells are undetermined (?)",
                        en.join(", "),
                        self.cells.len()
                    ),
                ),
            )
            .with_cells(self.cells)
            .with_label(self.span, Msg::new("此行右侧的列未印出", "the columns to the right of this row are not printed")),
        )
    }
}

/// Digits an OCR'd character is commonly mistaken for (`O` for 0, `l` for 1): offered as the
/// cell's alternatives, never taken as its value.
fn ocr_digits(text: &str) -> Vec<gongkai_model::Decimal> {
    let t = text.trim();
    let mut chars = t.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else { return Vec::new() };
    let d = match c {
        'O' | 'o' | '〇' | 'Ｏ' | 'ｏ' | 'D' | 'Q' => 0,
        'l' | 'I' | 'i' | 'ｌ' | 'Ｉ' | '丨' => 1,
        'Z' | 'z' => 2,
        'S' | 's' => 5,
        'b' => 6,
        'B' => 8,
        'g' | 'q' => 9,
        _ => return Vec::new(),
    };
    vec![gongkai_model::Decimal::from(d)]
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
            Kind::Text | Kind::Prose(_)
                if tok.row != NO_ROW && row_has_values(ctx, toks.clone(), tok.row) =>
            {
                atoms.push(t)
            }
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
    let mut read = build(
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
