//! From a table's fit to the table: the solver keeps the readings that satisfy the table's
//! identities across rows, then each group's cells are placed — a value only where every surviving
//! reading agrees, `?` elsewhere — and every doubt becomes a reader finding (row or label not
//! found, wrong number of values, text in a value cell, glued digits split or ambiguous, stray
//! numbers, columns not printed). A cell whose value was chosen among an OCR reader's readings is
//! written only when an identity confirms it ([`crate::choices`]).

use gongkai_doc::{Choices, findings};
use gongkai_model::{Cell, CellKey, Decimal, Finding, Msg, Span, Table, TableId, Value};

use super::missing::MissingColumns;
use super::{Fit, Group, SOLVE_BUDGET, TableRead, ctx_text, row_constraints, table_no};
use crate::choices;
use crate::lex::{Kind, Tok};
use crate::rows::{Ctx, Hit, How};
use crate::solve::{Constraint, Outcome, solve};
use crate::split::{Part, Readings};

/// Builds the table of `fit`: the readings narrowed by `global` (the column identities), then
/// each group placed.
pub(super) fn build(ctx: &Ctx<'_>, table: TableId, fit: Fit, global: &[Constraint]) -> TableRead {
    let cands = solve_groups(ctx, &fit.groups, global);
    let confirmed = choices::confirmed(&cands, &row_constraints(table), global);
    let mut b = Building {
        table,
        t: Table::blank(table, fit.layout),
        span: None,
        findings: Vec::new(),
        split: Split::default(),
        chosen: Chosen::default(),
        missing: MissingColumns::default(),
    };
    for (i, (g, row_cands)) in fit.groups.iter().zip(&cands).enumerate() {
        let confirmed: Vec<usize> =
            confirmed.iter().filter(|(r, _)| *r == i).map(|&(_, c)| c).collect();
        b.group(ctx, g, row_cands, &confirmed);
    }
    b.finish()
}

/// Each group's candidate readings, narrowed by the solver to those that satisfy `global` with
/// the other groups' (unchanged when the solver gives up within its budget).
fn solve_groups(ctx: &Ctx<'_>, groups: &[Group], global: &[Constraint]) -> Vec<Vec<Vec<Part>>> {
    let mut cands: Vec<Vec<Vec<Part>>> = groups.iter().map(|g| candidates(&g.readings)).collect();
    if !global.is_empty()
        && let Outcome::Solved(keep) = solve(&cands, global, SOLVE_BUDGET, ctx.work)
    {
        for (row, k) in cands.iter_mut().zip(keep) {
            if !row.is_empty() {
                *row = k.into_iter().map(|i| row[i].clone()).collect();
            }
        }
    }
    cands
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

/// The table being built and what was found on the way.
struct Building {
    table: TableId,
    t: Table,
    /// Everything of the table that was printed (labels and values).
    span: Option<Span>,
    findings: Vec<Finding>,
    split: Split,
    chosen: Chosen,
    missing: MissingColumns,
}

/// The values printed for a group.
struct Printed<'a> {
    /// The value tokens (empty cells left out).
    toks: Vec<&'a Tok>,
    /// Their text, separated by spaces.
    text: String,
    /// Where they are.
    span: Option<Span>,
}

impl<'a> Printed<'a> {
    fn of(ctx: &'a Ctx<'_>, g: &Group) -> Self {
        let toks: Vec<&Tok> =
            g.m.atoms
                .iter()
                .filter_map(|&a| ctx.lexed.toks.get(a))
                .filter(|t| !matches!(t.kind, Kind::Empty))
                .collect();
        let text = toks.iter().map(|t| ctx_text(ctx, t.span)).collect::<Vec<_>>().join(" ");
        let span = toks.iter().map(|t| t.span).reduce(Span::cover);
        Printed { toks, text, span }
    }
}

/// Rows whose glued digits had exactly one reading: one `READ-SPLIT` for the table.
#[derive(Default)]
struct Split {
    rows: Vec<String>,
    cells: Vec<CellKey>,
    span: Option<Span>,
}

/// Cells written from an OCR reader's readings that an identity confirmed: one `READ-OCR-CHOSEN`
/// for the table.
#[derive(Default)]
struct Chosen {
    /// Each cell, its value and the readings it was chosen from.
    cells: Vec<(CellKey, Decimal, String)>,
    span: Option<Span>,
}

/// What placing a group's cells left undetermined.
#[derive(Default)]
struct Placed {
    /// Cells the readings disagree on.
    undetermined: Vec<CellKey>,
    /// Cells printed as text, with the text.
    unreadable: Vec<(CellKey, String)>,
    /// Cells an OCR reader could not read whose readings no identity settles, with the readings
    /// left.
    unsettled: Vec<(CellKey, Vec<Decimal>)>,
}

impl Building {
    fn grow(&mut self, s: Span) {
        self.span = Some(self.span.map_or(s, |x| x.cover(s)));
    }

    /// Places one group and records what was doubtful about it.
    /// `confirmed` are the group's cells whose chosen OCR reading an identity confirms.
    fn group(&mut self, ctx: &Ctx<'_>, g: &Group, row_cands: &[Vec<Part>], confirmed: &[usize]) {
        let label_span = label_span(ctx, g.m.hit.as_ref());
        if let Some(s) = label_span {
            self.grow(s);
        }
        let Some(hit) = &g.m.hit else {
            for &k in &g.keys {
                self.t.set(k, Value::Unknown);
            }
            self.findings.push(row_missing(g));
            return;
        };
        if let Some(f) = label_note(ctx, g, hit, label_span) {
            self.findings.push(f);
        }
        let printed = Printed::of(ctx, g);
        if let Some(s) = printed.span {
            self.grow(s);
        }
        if row_cands.is_empty() {
            for &k in &g.keys {
                self.t.set(k, Value::Unknown);
            }
            self.findings.push(no_reading(g, &printed, label_span));
            return;
        }
        let placed = self.place(ctx, g, row_cands, confirmed);
        if !placed.unreadable.is_empty() {
            self.findings.push(unreadable(g, row_cands, &placed.unreadable));
        }
        if !placed.unsettled.is_empty() {
            self.findings.push(unsettled(g, row_cands, &placed.unsettled));
        }
        if !placed.undetermined.is_empty() {
            self.findings.push(ambiguous(g, row_cands, &printed, &placed.undetermined));
        } else if g.readings.glued {
            self.split.rows.push(format!(
                "「{}」{} → {}",
                g.label,
                printed.text,
                row_cands[0].iter().map(|x| x.value.tsv()).collect::<Vec<_>>().join("|")
            ));
            self.split.cells.extend(g.keys.iter().copied());
            self.split.span = self.split.span.or(printed.span);
        }
        self.findings.extend(strays(ctx, g));
    }

    /// Writes each cell of the group: the value every reading agrees on, else `?` with the
    /// readings' values as alternatives; text printed in a value cell is `?` with the digits it
    /// may be an OCR confusion of; a column the grid does not print is `?`; a cell an OCR reader
    /// could not read takes the reading its readings agree on when an identity confirms it, else
    /// `?` with the readings left as alternatives.
    fn place(
        &mut self,
        ctx: &Ctx<'_>,
        g: &Group,
        row_cands: &[Vec<Part>],
        confirmed: &[usize],
    ) -> Placed {
        let mut placed = Placed::default();
        for (c, &k) in g.keys.iter().enumerate() {
            let first = &row_cands[0][c];
            if row_cands.iter().any(|p| p[c].chosen) {
                self.place_chosen(ctx, k, row_cands, c, confirmed.contains(&c), &mut placed);
                continue;
            }
            if let Some(text) = row_cands
                .iter()
                .all(|p| p[c].unreadable.is_some())
                .then(|| first.unreadable.clone())
                .flatten()
            {
                if let Some(cell) = self.t.cell_mut(k) {
                    *cell = Cell {
                        key: k,
                        value: Value::Unknown,
                        annotation: None,
                        span: first.span,
                        alternatives: ocr_digits(&text),
                    };
                }
                placed.unreadable.push((k, text));
                continue;
            }
            if g.missing.contains(&c) {
                self.t.set(k, Value::Unknown);
                let layout = self.t.layout();
                let first_tok = g.m.atoms.first().and_then(|&a| ctx.lexed.toks.get(a));
                self.missing.add(k, self.table, layout, first_tok);
                continue;
            }
            // A blank needs evidence like any other value: every reading has it blank *and* the
            // source shows a cell there (not a header's empty line the reading took as one); at
            // and behind such a line, every cell's position is a guess.
            let agree = first.value != Value::Unknown
                && row_cands
                    .iter()
                    .all(|p| p[c].value == first.value && !p[..=c].iter().any(|x| x.unshown));
            let Some(cell) = self.t.cell_mut(k) else { continue };
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
                placed.undetermined.push(k);
            }
        }
        placed
    }

    /// Places a cell some reading took from an OCR reader's choices.
    fn place_chosen(
        &mut self,
        ctx: &Ctx<'_>,
        k: CellKey,
        row_cands: &[Vec<Part>],
        c: usize,
        confirmed: bool,
        placed: &mut Placed,
    ) {
        let first = &row_cands[0][c];
        let mut values: Vec<Decimal> = Vec::new();
        for p in row_cands {
            if let Some(d) = p[c].value.number()
                && !values.contains(&d)
            {
                values.push(d);
            }
        }
        let agreed = row_cands.iter().all(|p| p[c].chosen && p[c].value == first.value);
        let Some(cell) = self.t.cell_mut(k) else { return };
        match first.value.number().filter(|_| agreed && confirmed) {
            Some(d) => {
                *cell = Cell { span: first.span, ..Cell::new(k, first.value.clone()) };
                let offered = first
                    .span
                    .and_then(|s| Choices::find(ctx.choices, s.start))
                    .map(|v| v.join("/"))
                    .unwrap_or_default();
                self.chosen.cells.push((k, d, offered));
                if let Some(s) = first.span {
                    self.chosen.span = Some(self.chosen.span.map_or(s, |x| x.cover(s)));
                }
            }
            None => {
                *cell = Cell { alternatives: values.clone(), ..Cell::new(k, Value::Unknown) };
                placed.unsettled.push((k, values));
            }
        }
    }

    fn finish(mut self) -> TableRead {
        if !self.split.rows.is_empty() {
            self.findings.push(split_note(self.table, self.split));
        }
        if !self.chosen.cells.is_empty() {
            self.findings.push(chosen_note(self.table, self.chosen));
        }
        self.findings.extend(self.missing.finding(self.table));
        self.t.span = self.span;
        TableRead { table: self.t, findings: self.findings }
    }
}

/// Where the row label was printed (not for a row placed by position).
fn label_span(ctx: &Ctx<'_>, hit: Option<&Hit>) -> Option<Span> {
    let h = hit.filter(|h| h.how != How::Position)?;
    let s = ctx.stream.span.get(h.start)?;
    let e = ctx.stream.span.get(h.end.checked_sub(1)?)?;
    Some(s.cover(*e))
}

/// `READ-ROW-MISSING`: neither the label nor the place of the row was found.
fn row_missing(g: &Group) -> Finding {
    findings::READ_ROW_MISSING
        .finding(Msg::new(
            format!("未找到「{}」一行，该行 {} 个单元格无法确定（?）", g.label, g.keys.len()),
            format!(
                "row `{}` not found; its {} cells are undetermined (?)",
                g.keys[0].row.key(),
                g.keys.len()
            ),
        ))
        .with_cells(g.keys.iter().copied())
}

/// `READ-LABEL`: the row was matched approximately or by position.
fn label_note(ctx: &Ctx<'_>, g: &Group, hit: &Hit, label_span: Option<Span>) -> Option<Finding> {
    if !matches!(hit.how, How::Fuzzy(_) | How::Position) {
        return None;
    }
    let label = &g.label;
    let printed = label_span.map(|s| ctx_text(ctx, s)).unwrap_or_default();
    let (zh, en) = if hit.how == How::Position {
        (
            format!("「{label}」的行标签未能识别，按位置（前后两行之间唯一的一组数字）确定该行"),
            format!(
                "label of row `{}` not recognised; its values were identified by position",
                g.keys[0].row.key()
            ),
        )
    } else {
        (
            format!("行标签「{printed}」与模板「{label}」不完全一致，按近似匹配识别"),
            format!(
                "row label `{printed}` differs from the template's; matched approximately to `{}`",
                g.keys[0].row.key()
            ),
        )
    };
    Some(
        findings::READ_LABEL
            .finding(Msg::new(zh, en))
            .with_cells(g.keys.iter().copied())
            .with_label(label_span, Msg::new("", "")),
    )
}

/// `READ-VALUES` (or `READ-AMBIGUOUS` when the work budget cut the readings short): no reading
/// of the printed values fits the row.
fn no_reading(g: &Group, printed: &Printed<'_>, label_span: Option<Span>) -> Finding {
    let (label, keys, r, text) = (&g.label, &g.keys, &g.readings, &printed.text);
    let (zh, en) = if r.too_many {
        (
            format!("「{label}」印有多于 {} 个数值（{text}），无法确定各单元格（?）", keys.len()),
            format!(
                "`{}` has more than {} printed values; cells undetermined",
                keys[0].row.key(),
                keys.len()
            ),
        )
    } else if r.truncated {
        (
            format!("「{label}」的连写数字（{text}）可拆分方式过多，无法确定（?）"),
            format!(
                "`{}`: too many ways to split the glued digits; cells undetermined",
                keys[0].row.key()
            ),
        )
    } else if g.m.atoms.is_empty() {
        (
            format!("「{label}」未找到数值（?）"),
            format!("`{}`: no values found; cells undetermined", keys[0].row.key()),
        )
    } else {
        (
            format!(
                "「{label}」的数值（{text}）少于 {} 个且无法拆分，无法确定各单元格（?）",
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
    kind.finding(Msg::new(zh, en))
        .with_cells(keys.iter().copied())
        .with_label(printed.span.or(label_span), Msg::new("", ""))
}

/// `READ-CELL-TEXT`: value cells printed as text.
fn unreadable(g: &Group, row_cands: &[Vec<Part>], cells: &[(CellKey, String)]) -> Finding {
    let shown: Vec<String> = cells.iter().map(|(_, t)| format!("「{t}」")).collect();
    findings::READ_CELL_TEXT
        .finding(Msg::new(
            format!(
                "「{}」有 {} 个单元格印的不是数字（{}），记为 ?",
                g.label,
                cells.len(),
                shown.join("、")
            ),
            format!(
                "`{}`: {} cell(s) hold text instead of a number ({}); undetermined",
                g.keys[0].row.key(),
                cells.len(),
                shown.join(", ")
            ),
        ))
        .with_cells(cells.iter().map(|(k, _)| *k))
        .with_label(
            row_cands[0].iter().find(|p| p.unreadable.is_some()).and_then(|p| p.span),
            Msg::new("不是数字", "not a number"),
        )
}

/// `READ-AMBIGUOUS`: the readings left disagree on some cells (listed, with up to six readings).
fn ambiguous(
    g: &Group,
    row_cands: &[Vec<Part>],
    printed: &Printed<'_>,
    undetermined: &[CellKey],
) -> Finding {
    let (label, keys, r, text) = (&g.label, &g.keys, &g.readings, &printed.text);
    let no_fit = r.list.is_empty();
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
        let n_printed = printed.toks.len();
        (
            format!(
                "「{label}」印有 {n_printed} 个数值（{text}），少于 {} 个单元格；哪些空行是空白单元格，无法由勾稽关系确定，{} 个单元格记为 ?",
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
                "「{label}」的数字「{text}」连写无分隔，共 {} 种拆分，没有一种满足本行的合计关系；{} 个单元格记为 ?",
                r.total,
                undetermined.len()
            ),
            format!(
                "`{}`: digits `{text}` printed without separators; none of {} readings satisfies the row's totals; {} cells undetermined",
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
                "「{label}」的数字「{text}」连写无分隔，可读作 {}{more}，勾稽关系无法唯一确定；{} 个单元格记为 ?",
                shown.join(" 或 "),
                undetermined.len()
            ),
            format!(
                "`{}`: digits `{text}` printed without separators allow {} readings; {} cells undetermined",
                keys[0].row.key(),
                row_cands.len(),
                undetermined.len()
            ),
        )
    };
    findings::READ_AMBIGUOUS
        .finding(Msg::new(zh, en))
        .with_cells(undetermined.iter().copied())
        .with_label(printed.span, Msg::new("连写的数字", "glued digits"))
}

/// `READ-AMBIGUOUS` for cells an OCR reader could not read: the identities leave several of its
/// readings, or cannot check the one left.
fn unsettled(g: &Group, row_cands: &[Vec<Part>], cells: &[(CellKey, Vec<Decimal>)]) -> Finding {
    let shown = |sep: &str| -> Vec<String> {
        cells
            .iter()
            .map(|(k, v)| {
                let v: Vec<String> = v.iter().map(ToString::to_string).collect();
                format!("{k}: {}", v.join(sep))
            })
            .collect()
    };
    let span = cells
        .iter()
        .filter_map(|(k, _)| g.keys.iter().position(|x| x == k))
        .filter_map(|c| row_cands.first().and_then(|r| r.get(c)).and_then(|p| p.span))
        .reduce(Span::cover);
    findings::READ_AMBIGUOUS
        .finding(Msg::new(
            format!(
                "「{}」有 {} 个单元格 OCR 识别没有把握（{}），勾稽关系无法确认其中一种，记为 ?",
                g.label,
                cells.len(),
                shown(" 或 ").join("；")
            ),
            format!(
                "`{}`: {} cell(s) OCR could not read with certainty ({}); the table's rules do not confirm one reading; undetermined",
                g.keys[0].row.key(),
                cells.len(),
                shown(" or ").join("; ")
            ),
        ))
        .with_cells(cells.iter().map(|(k, _)| *k))
        .with_label(span, Msg::new("OCR 没有把握", "OCR unsure"))
}

/// `READ-OCR-CHOSEN`: cells an OCR reader could not read, each settled by the table's rules.
fn chosen_note(table: TableId, chosen: Chosen) -> Finding {
    let shown = |zh: bool| -> Vec<String> {
        chosen
            .cells
            .iter()
            .take(3)
            .map(|(k, d, offered)| {
                if zh {
                    format!("{k} = {d}（OCR 候选 {offered}）")
                } else {
                    format!("{k} = {d} (OCR offered {offered})")
                }
            })
            .collect()
    };
    let more = if chosen.cells.len() > 3 { "……" } else { "" };
    let more_en = if chosen.cells.len() > 3 { " …" } else { "" };
    findings::READ_OCR_CHOSEN
        .finding(Msg::new(
            format!(
                "表{}有 {} 个单元格 OCR 识别没有把握，各只有一种读法符合勾稽关系，已据此确定：{}{more}",
                table_no(table),
                chosen.cells.len(),
                shown(true).join("；")
            ),
            format!(
                "{} cell(s) of {} that OCR could not read with certainty each had exactly one reading consistent with the table's rules: {}{more_en}",
                chosen.cells.len(),
                table,
                shown(false).join("; ")
            ),
        ))
        .with_cells(chosen.cells.iter().map(|(k, _, _)| *k))
        .with_label(chosen.span, Msg::new("OCR 没有把握的数字", "digits OCR was unsure of"))
}

/// `READ-STRAY`: numbers after the row that belong to no row.
fn strays(ctx: &Ctx<'_>, g: &Group) -> Vec<Finding> {
    g.m.orphans
        .iter()
        .map(|o| {
            let toks: Vec<&Tok> = o.iter().filter_map(|&a| ctx.lexed.toks.get(a)).collect();
            let span = toks.iter().map(|t| t.span).reduce(Span::cover);
            let text = toks.iter().map(|t| ctx_text(ctx, t.span)).collect::<Vec<_>>().join(" ");
            findings::READ_STRAY
                .finding(Msg::new(
                    format!("「{}」之后有不属于任何一行的数字「{text}」，已忽略", g.label),
                    format!(
                        "numbers `{text}` after `{}` belong to no row and were ignored",
                        g.keys[0].row.key()
                    ),
                ))
                .with_label(span, Msg::new("", ""))
        })
        .collect()
}

/// `READ-SPLIT`: glued digits that had exactly one reading, over the whole table.
fn split_note(table: TableId, split: Split) -> Finding {
    let examples: Vec<&str> = split.rows.iter().take(2).map(String::as_str).collect();
    let more = if split.rows.len() > 2 { "……" } else { "" };
    findings::READ_SPLIT
        .finding(Msg::new(
            format!(
                "表{}有 {} 处数字连写无分隔，均只有一种读法符合位数规则与勾稽关系，已据此拆分（如 {}{more}）",
                table_no(table),
                split.rows.len(),
                examples.join("；")
            ),
            format!(
                "{} run(s) of glued digits in {} each had exactly one reading consistent with the digits and the table's rules",
                split.rows.len(),
                table
            ),
        ))
        .with_cells(split.cells)
        .with_label(split.span, Msg::new("连写的数字", "glued digits"))
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
