//! `gongkai explain FILE [CELL]` — how a report was read, or how one cell was read: where it was
//! printed, what it holds, the readings it could have, and the findings that name it.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use gongkai_diagnostics::{Style, location, render, severity_word};
use gongkai_model::{CellKey, Finding, FindingKind, Lang, Msg, Severity, TableId, Value};

use crate::commands::check::title;
use crate::ctx::Ctx;
use crate::pipeline::{Analysis, analyse_path};

/// Arguments of `explain`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 报告文件 / the report file.
    file: PathBuf,
    /// 单元格键，如 t3.granted.total；省略则说明整份报告 / a cell key; the whole report when omitted.
    cell: Option<String>,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let a = match analyse_path(&args.file) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{}", ctx.unreadable(&args.file, &e));
            return Ok(ExitCode::from(2));
        }
    };
    match args.cell {
        None => out!("{}", overview(&a, ctx)),
        Some(k) => match k.parse::<CellKey>() {
            Ok(key) => out!("{}", cell(&a, key, ctx)),
            Err(e) => {
                eprintln!("gongkai: {}", gongkai_model::Localized::message(&e, ctx.lang));
                return Ok(ExitCode::from(2));
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn overview(a: &Analysis, ctx: &Ctx) -> String {
    let mut out = String::new();
    let zh = ctx.lang == Lang::Zh;
    let _ = writeln!(out, "{}", title(a, ctx));
    if let Some(f) = a.doc.format {
        let _ = writeln!(out, "{}{f}", ctx.t("格式：", "format: "));
    }
    let _ = writeln!(out, "{}", ctx.t("\n部分：", "\nsections:"));
    for s in &a.report.sections {
        let at = s.heading.span.map(|sp| location(&a.doc, sp.start, ctx.lang)).unwrap_or_default();
        let _ = writeln!(out, "  {} {} — {at}", s.id.numeral(), s.heading.value);
    }
    let _ = writeln!(out, "{}", ctx.t("\n表格：", "\ntables:"));
    for id in [TableId::T2, TableId::T3, TableId::T4] {
        let name = match id {
            TableId::T2 => ctx.t("表二", "Table 2"),
            TableId::T3 => ctx.t("表三", "Table 3"),
            TableId::T4 => ctx.t("表四", "Table 4"),
        };
        match a.report.table(id) {
            None => {
                let _ = writeln!(out, "  {name}：{}", ctx.t("未找到", "not found"));
            }
            Some(t) => {
                let (mut num, mut blank, mut na, mut unknown) = (0, 0, 0, 0);
                for c in t.cells() {
                    match c.value {
                        Value::Number(_) => num += 1,
                        Value::Blank => blank += 1,
                        Value::NotApplicable(_) => na += 1,
                        Value::Unknown => unknown += 1,
                    }
                }
                let at = t.span.map(|sp| location(&a.doc, sp.start, ctx.lang)).unwrap_or_default();
                let layout_zh = match t.layout() {
                    gongkai_model::Layout::Format2021 => "2021 年格式",
                    gongkai_model::Layout::Trial2019 => "2019 年试行格式",
                };
                let _ = if zh {
                    writeln!(
                        out,
                        "  {name}（{layout_zh}）：{num} 个数值，{blank} 个空白，{na} 个“/”，{unknown} 个无法确定 — {at}"
                    )
                } else {
                    writeln!(
                        out,
                        "  {name} ({} layout): {num} numbers, {blank} blank, {na} not applicable, {unknown} undetermined — {at}",
                        t.layout().key()
                    )
                };
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{}{}",
        ctx.t("问题：", "findings: "),
        gongkai_pipeline::Counts::of(&a.findings).describe(ctx.lang)
    );
    let _ = writeln!(
        out,
        "{}",
        ctx.t(
            "用 `gongkai explain 文件 单元格键` 查看某个单元格，如 t3.new_received.total。",
            "Use `gongkai explain FILE KEY` for one cell, e.g. t3.new_received.total."
        )
    );
    out
}

/// The rules that involve a cell (by its table and row).
fn rules_for(key: CellKey) -> &'static [&'static str] {
    use gongkai_model::{RowId, T3Row};
    match key.row {
        RowId::T3(T3Row::NewReceived | T3Row::CarriedOver | T3Row::CarriedForward) => {
            &["T3-BALANCE", "T3-ROW-TOTAL", "TEXT-TABLE", "X-CARRY", "CELL-INTEGER"]
        }
        RowId::T3(T3Row::TotalProcessed) => {
            &["T3-BALANCE", "T3-RESULTS-SUM", "T3-ROW-TOTAL", "TEXT-TABLE", "CELL-INTEGER"]
        }
        RowId::T3(T3Row::OtherUnpaidFee) => {
            &["T3-RESULTS-SUM", "T3-ROW-TOTAL", "FEE-TEXT", "CELL-INTEGER"]
        }
        RowId::T3(_) => &["T3-RESULTS-SUM", "T3-ROW-TOTAL", "CELL-INTEGER"],
        RowId::T4(_) => &["T4-SUM", "TEXT-TABLE", "CELL-INTEGER"],
        RowId::T2(gongkai_model::T2Row::Fees) => &["T2-FEE-MAGNITUDE", "CELL-INTEGER"],
        RowId::T2(gongkai_model::T2Row::Regulations | gongkai_model::T2Row::NormativeDocuments) => {
            &["T2-STOCK-FLOW", "CELL-INTEGER"]
        }
        RowId::T2(_) => &["CELL-INTEGER"],
    }
}

fn cell(a: &Analysis, key: CellKey, ctx: &Ctx) -> String {
    let mut out = String::new();
    let Some(table) = a.report.table(key.table()) else {
        let _ = writeln!(
            out,
            "{key}: {}",
            ctx.t(
                "该表未找到（单元格清单中记为 ?）",
                "the table was not found (listed as ? in the cell list)"
            )
        );
        return out;
    };
    let Some(c) = table.cell(key) else {
        let _ = writeln!(
            out,
            "{key}: {} {}",
            ctx.t("该表使用的格式没有这个单元格：", "the table's layout has no such cell:"),
            table.layout().key()
        );
        return out;
    };
    let shape = table.shape();
    let row = shape.row(key.row).map(gongkai_model::RowSpec::label).unwrap_or_default();
    let col = shape.column(key).map(|c| c.label).unwrap_or_default();
    let _ = writeln!(out, "{key}  「{row}」×「{col}」");
    let status = match &c.value {
        Value::Number(d) => format!("{} {d}", ctx.t("数值", "number")),
        Value::Blank => ctx.t("空白（印为空）", "blank (printed empty)").to_owned(),
        Value::NotApplicable(m) => format!("{}「{m}」", ctx.t("不适用", "not applicable")),
        Value::Unknown => ctx.t("无法确定（?）", "undetermined (?)").to_owned(),
    };
    let _ = writeln!(out, "{}{status}", ctx.t("值：", "value: "));
    if let Some(ann) = &c.annotation {
        let _ = writeln!(out, "{}{ann}", ctx.t("批注：", "annotation: "));
    }
    if !c.alternatives.is_empty() {
        let alts: Vec<String> = c.alternatives.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "{}{}", ctx.t("可能的值：", "possible values: "), alts.join(", "));
    }
    if let Some(span) = c.span {
        let shown = Finding::new(
            "CELL",
            Severity::Info,
            FindingKind::Extraction,
            Msg::new("印刷位置", "printed at"),
        )
        .with_label(Some(span), Msg::new(c.value.tsv(), c.value.tsv()));
        let mut r = render(&a.doc, &shown, Style { color: false, lang: ctx.lang });
        // Drop the synthetic header line.
        if let Some(i) = r.find('\n') {
            r.drain(..=i);
        }
        out.push_str(&r);
    }
    let _ = writeln!(
        out,
        "{}{}",
        ctx.t("相关规则：", "rules involving it: "),
        rules_for(key).join(", ")
    );
    let naming: Vec<&Finding> = a.findings.iter().filter(|f| f.cells.contains(&key)).collect();
    if naming.is_empty() {
        let _ =
            writeln!(out, "{}", ctx.t("没有问题涉及这个单元格。", "No finding names this cell."));
    } else {
        let _ =
            writeln!(out, "{}", ctx.t("\n涉及这个单元格的问题：", "\nFindings naming this cell:"));
        for f in naming {
            let _ = writeln!(
                out,
                "  {}[{}] {}",
                severity_word(f.severity, ctx.lang),
                f.rule,
                f.message.get(ctx.lang)
            );
        }
    }
    out
}
