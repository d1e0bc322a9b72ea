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

use gongkai_model::{
    Cell, CellKey, ColId, Finding, FindingKind, Layout, Msg, RowId, Severity, Span, T3Col, T3Row,
    T4Block, T4Col, Table, TableId, TableLayout, Value,
};

use crate::lex::Kind;
use crate::norm::letters;
use crate::rows::{Ctx, How, RowMatch, match_rows, scan};
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
    rows: Vec<RowMatch>,
    readings: Vec<Readings>,
    score: f32,
}

fn atoms_of<'a>(ctx: &'a Ctx<'_>, toks: &[usize]) -> Vec<Atom<'a>> {
    toks.iter()
        .filter_map(|&t| {
            let tok = ctx.lexed.toks.get(t)?;
            Some(match &tok.kind {
                Kind::Num(n) => Atom::Num(n, tok.span),
                Kind::Mark => Atom::Mark(String::new(), tok.span),
                Kind::Empty => Atom::Empty(tok.span),
                _ => return None,
            })
        })
        .collect()
}

fn with_marks<'a>(
    ctx: &'a Ctx<'_>,
    doc: &gongkai_doc::Document,
    atoms: Vec<Atom<'a>>,
) -> Vec<Atom<'a>> {
    let _ = ctx;
    atoms
        .into_iter()
        .map(|a| match a {
            Atom::Mark(_, span) => Atom::Mark(doc.slice(span).trim().to_owned(), span),
            other => other,
        })
        .collect()
}

fn fit(
    ctx: &Ctx<'_>,
    doc: &gongkai_doc::Document,
    table: TableId,
    layout: Layout,
    toks: &Range<usize>,
) -> Fit {
    let shape = TableLayout::get(table, layout);
    let rows = match_rows(ctx, shape, toks.clone());
    let mut score = 0.0;
    let mut rds = Vec::with_capacity(rows.len());
    for (spec, m) in shape.rows.iter().zip(&rows) {
        let atoms = with_marks(ctx, doc, atoms_of(ctx, &m.atoms));
        let r = readings(&atoms, spec.columns.len(), ROW_BUDGET);
        if let Some(hit) = &m.hit {
            score += hit.quality;
            if r.too_many {
                score -= 0.5;
            } else if !r.list.is_empty() {
                score += 0.5;
            }
            score -= 0.3 * m.orphans.len() as f32;
        }
        rds.push(r);
    }
    if table == TableId::T2 {
        score += header_evidence(ctx, toks, layout);
    }
    Fit { layout, rows, readings: rds, score }
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
    doc: &gongkai_doc::Document,
    table: TableId,
    toks: Range<usize>,
) -> Option<TableRead> {
    let fits = [Layout::Format2021, Layout::Trial2019].map(|l| fit(ctx, doc, table, l, &toks));
    let best = fits.into_iter().max_by(|a, b| a.score.total_cmp(&b.score))?;
    let matched = best.rows.iter().filter(|r| r.hit.is_some()).count();
    let needed = match table {
        TableId::T2 => 2,
        _ => 5,
    };
    if matched < needed {
        return None;
    }
    Some(build(ctx, table, best))
}

fn row_constraints(table: TableId, width: usize) -> Vec<Constraint> {
    match table {
        // 总计 = the six applicant columns.
        TableId::T3 => {
            vec![Constraint { lhs: (0..6).map(|c| (0, c)).collect(), rhs: vec![(0, 6)] }]
        }
        // Each block: 总计 = the four results.
        TableId::T4 => (0..width / 5)
            .map(|b| Constraint {
                lhs: (0..4).map(|c| (0, b * 5 + c)).collect(),
                rhs: vec![(0, b * 5 + 4)],
            })
            .collect(),
        TableId::T2 => Vec::new(),
    }
}

fn t3_constraints(shape: &TableLayout) -> Vec<Constraint> {
    let pos = |r: T3Row| shape.rows.iter().position(|s| s.id == RowId::T3(r));
    let (Some(new), Some(over), Some(total), Some(fwd)) = (
        pos(T3Row::NewReceived),
        pos(T3Row::CarriedOver),
        pos(T3Row::TotalProcessed),
        pos(T3Row::CarriedForward),
    ) else {
        return Vec::new();
    };
    let outcomes: Vec<usize> = (over + 1..total).collect();
    let mut out = Vec::new();
    for c in 0..T3Col::ALL.len() {
        out.push(Constraint {
            lhs: outcomes.iter().map(|&r| (r, c)).collect(),
            rhs: vec![(total, c)],
        });
        out.push(Constraint { lhs: vec![(new, c), (over, c)], rhs: vec![(total, c), (fwd, c)] });
    }
    out
}

fn label_zh(key_row: RowId, shape: &TableLayout) -> String {
    shape.row(key_row).map_or_else(|| key_row.key().to_owned(), |r| r.label())
}

fn build(ctx: &Ctx<'_>, table: TableId, fit: Fit) -> TableRead {
    let shape = TableLayout::get(table, fit.layout);
    let mut findings = Vec::new();
    // Local filter: keep readings that satisfy the row's own constraints.
    let mut cands: Vec<Vec<Vec<Part>>> = Vec::with_capacity(shape.rows.len());
    let mut local_failed = vec![false; shape.rows.len()];
    for (i, (spec, r)) in shape.rows.iter().zip(&fit.readings).enumerate() {
        let cons = row_constraints(table, spec.columns.len());
        let list = if r.truncated { Vec::new() } else { r.list.clone() };
        let ok: Vec<Vec<Part>> =
            list.iter().filter(|p| cons.iter().all(|c| row_ok(p, c))).cloned().collect();
        if ok.is_empty() && !list.is_empty() {
            local_failed[i] = list.len() > 1;
            cands.push(list);
        } else {
            cands.push(ok);
        }
    }
    // Global: column sums and the balance.
    if table == TableId::T3 {
        let cons = t3_constraints(shape);
        match solve(&cands, &cons, SOLVE_BUDGET) {
            Outcome::Solved(keep) => {
                for (row, k) in cands.iter_mut().zip(keep) {
                    if !row.is_empty() {
                        *row = k.into_iter().map(|i| row[i].clone()).collect();
                    }
                }
            }
            Outcome::NoSolution | Outcome::TooHard => {}
        }
    }
    let mut t = Table::blank(table, fit.layout);
    let mut first: Option<Span> = None;
    let mut last: Option<Span> = None;
    let mut split_rows: Vec<String> = Vec::new();
    let mut split_span: Option<Span> = None;
    let mut split_cells: Vec<CellKey> = Vec::new();
    for (i, spec) in shape.rows.iter().enumerate() {
        let m = &fit.rows[i];
        let r = &fit.readings[i];
        let keys: Vec<CellKey> =
            spec.columns.iter().map(|c| CellKey { row: spec.id, col: c.id }).collect();
        let label = label_zh(spec.id, shape);
        let label_span = m.hit.as_ref().filter(|h| h.how != How::Position).and_then(|h| {
            let s = ctx.stream.span.get(h.start)?;
            let e = ctx.stream.span.get(h.end.checked_sub(1)?)?;
            Some(s.cover(*e))
        });
        for s in [label_span].into_iter().flatten() {
            first = Some(first.map_or(s, |f| f.cover(s)));
            last = Some(s);
        }
        let Some(hit) = &m.hit else {
            for &k in &keys {
                t.set(k, Value::Unknown);
            }
            findings.push(
                Finding::new(
                    "READ-ROW-MISSING",
                    Severity::Warning,
                    FindingKind::Extraction,
                    Msg::new(
                        format!("未找到「{label}」一行，该行 {} 个单元格无法确定（?）", keys.len()),
                        format!(
                            "row `{}` not found; its {} cells are undetermined (?)",
                            spec.id.key(),
                            keys.len()
                        ),
                    ),
                )
                .with_cells(keys.iter().copied()),
            );
            continue;
        };
        match hit.how {
            How::Fuzzy(_) | How::Position => {
                let printed = label_span.map(|s| ctx_text(ctx, s)).unwrap_or_default();
                let (zh, en) = if hit.how == How::Position {
                    (
                        format!(
                            "「{label}」的行标签未能识别，按位置（前后两行之间唯一的一组数字）确定该行"
                        ),
                        format!(
                            "label of row `{}` not recognised; its values were identified by position",
                            spec.id.key()
                        ),
                    )
                } else {
                    (
                        format!("行标签「{printed}」与模板「{label}」不完全一致，按近似匹配识别"),
                        format!(
                            "row label `{printed}` differs from the template's; matched approximately to `{}`",
                            spec.id.key()
                        ),
                    )
                };
                findings.push(
                    Finding::new(
                        "READ-LABEL",
                        Severity::Info,
                        FindingKind::Extraction,
                        Msg::new(zh, en),
                    )
                    .with_cells(keys.iter().copied())
                    .with_label(label_span, Msg::new("", "")),
                );
            }
            How::Exact | How::Alias => {}
        }
        let row_cands = &cands[i];
        if row_cands.is_empty() {
            for &k in &keys {
                t.set(k, Value::Unknown);
            }
            let span = m.atoms.first().and_then(|&a| ctx.lexed.toks.get(a)).map(|t| t.span);
            let (zh, en) = if r.too_many {
                (
                    format!("「{label}」一行印有多于 {} 个数值，无法确定各单元格（?）", keys.len()),
                    format!(
                        "row `{}` has more than {} printed values; cells undetermined",
                        spec.id.key(),
                        keys.len()
                    ),
                )
            } else if r.truncated {
                (
                    format!("「{label}」一行的连写数字可拆分方式过多，无法确定（?）"),
                    format!(
                        "row `{}`: too many ways to split the glued digits; cells undetermined",
                        spec.id.key()
                    ),
                )
            } else if m.atoms.is_empty() {
                (
                    format!("「{label}」一行未找到数值（?）"),
                    format!("row `{}`: no values found; cells undetermined", spec.id.key()),
                )
            } else {
                (
                    format!(
                        "「{label}」一行的数值少于 {} 个且无法拆分，无法确定各单元格（?）",
                        keys.len()
                    ),
                    format!(
                        "row `{}` has fewer than {} values that cannot be split; cells undetermined",
                        spec.id.key(),
                        keys.len()
                    ),
                )
            };
            findings.push(
                Finding::new(
                    "READ-VALUES",
                    Severity::Warning,
                    FindingKind::Extraction,
                    Msg::new(zh, en),
                )
                .with_cells(keys.iter().copied())
                .with_label(span, Msg::new("", "")),
            );
            continue;
        }
        let mut undetermined: Vec<CellKey> = Vec::new();
        for (c, &k) in keys.iter().enumerate() {
            let first_part = &row_cands[0][c];
            let agree = row_cands.iter().all(|p| p[c].value == first_part.value);
            let cell = t.cell_mut(k);
            let Some(cell) = cell else { continue };
            if agree {
                *cell = Cell {
                    key: k,
                    value: first_part.value.clone(),
                    annotation: first_part.annotation.clone(),
                    span: first_part.span,
                    alternatives: Vec::new(),
                };
                if let Some(s) = first_part.span {
                    last = Some(last.map_or(s, |l| if s.end > l.end { s } else { l }));
                }
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
        let printed: String = m
            .atoms
            .iter()
            .filter_map(|&a| ctx.lexed.toks.get(a))
            .filter(|t| !matches!(t.kind, Kind::Empty))
            .map(|t| ctx_text(ctx, t.span))
            .collect::<Vec<_>>()
            .join(" ");
        let atoms_span = m
            .atoms
            .iter()
            .filter_map(|&a| ctx.lexed.toks.get(a))
            .filter(|t| !matches!(t.kind, Kind::Empty))
            .map(|t| t.span)
            .reduce(Span::cover);
        if !undetermined.is_empty() {
            let shown: Vec<String> = row_cands
                .iter()
                .take(6)
                .map(|p| p.iter().map(|x| x.value.tsv()).collect::<Vec<_>>().join("|"))
                .collect();
            let more = if row_cands.len() > 6 {
                format!(" …（共 {} 种）", row_cands.len())
            } else {
                String::new()
            };
            let more_en = if row_cands.len() > 6 {
                format!(" … ({} in all)", row_cands.len())
            } else {
                String::new()
            };
            let why_zh = if local_failed[i] {
                "且没有一种读法满足本行合计"
            } else {
                "勾稽关系无法唯一确定"
            };
            let why_en = if local_failed[i] {
                "and no reading satisfies the row total"
            } else {
                "the rules do not single one out"
            };
            findings.push(
                Finding::new(
                    "READ-AMBIGUOUS",
                    Severity::Warning,
                    FindingKind::Extraction,
                    Msg::new(
                        format!("「{label}」一行的数字「{printed}」连写无分隔，可读作 {}{more}，{why_zh}；{} 个单元格记为 ?", shown.join(" 或 "), undetermined.len()),
                        format!("row `{}`: digits `{printed}` printed without separators read as {}{more_en}; {why_en}; {} cells undetermined", spec.id.key(), shown.join(" or "), undetermined.len()),
                    ),
                )
                .with_cells(undetermined.iter().copied())
                .with_label(atoms_span, Msg::new("连写的数字", "glued digits")),
            );
        } else if r.glued {
            split_rows.push(format!(
                "「{}」{printed} → {}",
                label,
                row_cands[0].iter().map(|x| x.value.tsv()).collect::<Vec<_>>().join("|")
            ));
            split_span = split_span.or(atoms_span);
            split_cells.extend(keys.iter().copied());
        }
        for o in &m.orphans {
            let span =
                o.iter().filter_map(|&a| ctx.lexed.toks.get(a)).map(|t| t.span).reduce(Span::cover);
            let text: String = o
                .iter()
                .filter_map(|&a| ctx.lexed.toks.get(a))
                .map(|t| ctx_text(ctx, t.span))
                .collect::<Vec<_>>()
                .join(" ");
            findings.push(
                Finding::new(
                    "READ-STRAY",
                    Severity::Info,
                    FindingKind::Extraction,
                    Msg::new(
                        format!("「{label}」一行之后有不属于任何一行的数字「{text}」，已忽略"),
                        format!(
                            "numbers `{text}` after row `{}` belong to no row and were ignored",
                            spec.id.key()
                        ),
                    ),
                )
                .with_label(span, Msg::new("", "")),
            );
        }
    }
    if !split_rows.is_empty() {
        let examples: Vec<&str> = split_rows.iter().take(2).map(String::as_str).collect();
        let more = if split_rows.len() > 2 { "……" } else { "" };
        findings.push(
            Finding::new(
                "READ-SPLIT",
                Severity::Info,
                FindingKind::Extraction,
                Msg::new(
                    format!("表{}有 {} 行数字连写无分隔，均只有一种读法符合位数规则与勾稽关系，已据此拆分（如 {}{more}）", table_no(table), split_rows.len(), examples.join("；")),
                    format!("{} row(s) of {} were printed with glued digits; each has exactly one reading consistent with the digits and the table's rules", split_rows.len(), table),
                ),
            )
            .with_cells(split_cells)
            .with_label(split_span, Msg::new("连写的数字", "glued digits")),
        );
    }
    t.span = match (first, last) {
        (Some(f), Some(l)) => Some(f.cover(l)),
        (f, l) => f.or(l),
    };
    TableRead { table: t, findings }
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

/// Reads Table 4 from `toks`: the values after its header, skipping repeated header text.
pub(crate) fn read_t4(
    ctx: &Ctx<'_>,
    doc: &gongkai_doc::Document,
    toks: Range<usize>,
) -> Option<TableRead> {
    let lexed = ctx.lexed;
    let start = toks.clone().find(|&t| {
        lexed
            .toks
            .get(t)
            .is_some_and(|tok| tok.kind == Kind::Text && is_t4_header(doc.slice(tok.span)))
    })?;
    let mut atoms = Vec::new();
    let mut end = toks.end;
    for t in start..toks.end {
        let Some(tok) = lexed.toks.get(t) else { break };
        match &tok.kind {
            Kind::Text if is_t4_header(doc.slice(tok.span)) => {}
            Kind::Punct => {}
            Kind::Text | Kind::Prose => {
                if atoms.iter().any(|&a: &usize| !matches!(lexed.toks[a].kind, Kind::Empty)) {
                    end = t;
                    break;
                }
            }
            _ => atoms.push(t),
        }
    }
    let _ = scan;
    let shape = TableLayout::get(TableId::T4, Layout::Format2021);
    let header_span = lexed.toks.get(start).map(|t| t.span);
    let at = with_marks(ctx, doc, atoms_of(ctx, &atoms));
    let r = readings(&at, 15, ROW_BUDGET);
    // Table 4 as one row of 15 cells; its spec rows are the three blocks.
    let rows = vec![RowMatch {
        hit: Some(crate::rows::Hit { start: 0, end: 0, quality: 1.0, how: How::Exact }),
        atoms,
        orphans: Vec::new(),
    }];
    let _ = end;
    Some(build_t4(ctx, shape, rows, r, header_span))
}

fn build_t4(
    ctx: &Ctx<'_>,
    shape: &'static TableLayout,
    rows: Vec<RowMatch>,
    r: Readings,
    header_span: Option<Span>,
) -> TableRead {
    let cons = row_constraints(TableId::T4, 15);
    let list = if r.truncated { Vec::new() } else { r.list.clone() };
    let ok: Vec<Vec<Part>> =
        list.iter().filter(|p| cons.iter().all(|c| row_ok(p, c))).cloned().collect();
    let local_failed = ok.is_empty() && list.len() > 1;
    let cands = if ok.is_empty() { list } else { ok };
    let keys: Vec<CellKey> = T4Block::ALL
        .iter()
        .flat_map(|&b| {
            T4Col::ALL.iter().map(move |&c| CellKey { row: RowId::T4(b), col: ColId::T4(c) })
        })
        .collect();
    let fake = Fit { layout: Layout::Format2021, rows, readings: vec![r], score: 0.0 };
    let _ = shape;
    let mut t = Table::blank(TableId::T4, Layout::Format2021);
    let mut findings = Vec::new();
    let m = &fake.rows[0];
    let printed: String = m
        .atoms
        .iter()
        .filter_map(|&a| ctx.lexed.toks.get(a))
        .filter(|t| !matches!(t.kind, Kind::Empty))
        .map(|t| ctx_text(ctx, t.span))
        .collect::<Vec<_>>()
        .join(" ");
    let atoms_span = m
        .atoms
        .iter()
        .filter_map(|&a| ctx.lexed.toks.get(a))
        .filter(|t| !matches!(t.kind, Kind::Empty))
        .map(|t| t.span)
        .reduce(Span::cover);
    if cands.is_empty() {
        for &k in &keys {
            t.set(k, Value::Unknown);
        }
        let rr = &fake.readings[0];
        let (zh, en) = if rr.too_many {
            (
                format!("表四印有多于 15 个数值（{printed}），无法确定各单元格（?）"),
                "Table 4 has more than 15 printed values; cells undetermined".to_owned(),
            )
        } else if m.atoms.is_empty() {
            (
                "表四未找到数值（?）".to_owned(),
                "Table 4: no values found; cells undetermined".to_owned(),
            )
        } else {
            (
                format!("表四的数值（{printed}）少于 15 个且无法拆分，无法确定各单元格（?）"),
                "Table 4 has fewer than 15 values that cannot be split; cells undetermined"
                    .to_owned(),
            )
        };
        findings.push(
            Finding::new(
                "READ-VALUES",
                Severity::Warning,
                FindingKind::Extraction,
                Msg::new(zh, en),
            )
            .with_cells(keys.iter().copied())
            .with_label(atoms_span.or(header_span), Msg::new("", "")),
        );
    } else {
        let mut undetermined = Vec::new();
        for (c, &k) in keys.iter().enumerate() {
            let f = &cands[0][c];
            if cands.iter().all(|p| p[c].value == f.value) {
                if let Some(cell) = t.cell_mut(k) {
                    *cell = Cell {
                        key: k,
                        value: f.value.clone(),
                        annotation: f.annotation.clone(),
                        span: f.span,
                        alternatives: Vec::new(),
                    };
                }
            } else {
                let mut alts = Vec::new();
                for p in &cands {
                    if let Some(d) = p[c].value.number()
                        && !alts.contains(&d)
                    {
                        alts.push(d);
                    }
                }
                if let Some(cell) = t.cell_mut(k) {
                    *cell = Cell {
                        key: k,
                        value: Value::Unknown,
                        annotation: None,
                        span: None,
                        alternatives: alts,
                    };
                }
                undetermined.push(k);
            }
        }
        if !undetermined.is_empty() {
            let shown: Vec<String> = cands
                .iter()
                .take(4)
                .map(|p| p.iter().map(|x| x.value.tsv()).collect::<Vec<_>>().join("|"))
                .collect();
            let why_zh = if local_failed {
                "且没有一种读法满足各栏合计"
            } else {
                "合计关系无法唯一确定"
            };
            findings.push(
                Finding::new(
                    "READ-AMBIGUOUS",
                    Severity::Warning,
                    FindingKind::Extraction,
                    Msg::new(
                        format!("表四的数字「{printed}」连写无分隔，可读作 {}，{why_zh}；{} 个单元格记为 ?", shown.join(" 或 "), undetermined.len()),
                        format!("Table 4 digits `{printed}` printed without separators allow {} readings; {} cells undetermined", cands.len(), undetermined.len()),
                    ),
                )
                .with_cells(undetermined)
                .with_label(atoms_span, Msg::new("连写的数字", "glued digits")),
            );
        } else if fake.readings[0].glued {
            findings.push(
                Finding::new(
                    "READ-SPLIT",
                    Severity::Info,
                    FindingKind::Extraction,
                    Msg::new(
                        format!(
                            "表四的数字「{printed}」连写无分隔，已依据各栏合计唯一拆分为 {}",
                            cands[0].iter().map(|x| x.value.tsv()).collect::<Vec<_>>().join("|")
                        ),
                        "Table 4 digits were printed glued and split uniquely by the block totals"
                            .to_owned(),
                    ),
                )
                .with_cells(keys.iter().copied())
                .with_label(atoms_span, Msg::new("", "")),
            );
        }
    }
    t.span = match (header_span, atoms_span) {
        (Some(h), Some(a)) => Some(h.cover(a)),
        (h, a) => h.or(a),
    };
    TableRead { table: t, findings }
}
