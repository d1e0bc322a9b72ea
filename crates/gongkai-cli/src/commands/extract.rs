//! `gongkai extract FILE --format json|tsv|csv` — the report model, the cell list, or one row per
//! cell.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use gongkai_batch::csv::CsvStyle;
use gongkai_model::json::ReportJson;
use gongkai_model::{Value, tsv};

use crate::ctx::Ctx;
use crate::pipeline::{Analysis, analyse_path, locate};

/// Arguments of `extract`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 报告文件（任何 gongkai 能读取的格式，包括 gongkai JSON 和单元格清单 tsv）/ the report file
    /// (any format gongkai reads, gongkai JSON and cell lists included).
    file: PathBuf,
    /// 输出格式：json（报告模型）、tsv（单元格清单）、csv（每个单元格一行）/ output format.
    #[arg(long, value_enum, default_value_t = Format::Tsv)]
    format: Format,
    /// 写入文件而非标准输出 / write to a file instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// 供 Excel 打开（仅 csv）：加 UTF-8 BOM 并用中文列名 / for Excel (csv only): a UTF-8 BOM
    /// and Chinese column labels.
    #[arg(long)]
    excel: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Tsv,
    Csv,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        !args.excel || args.format == Format::Csv,
        "{}",
        ctx.t("--excel 只用于 --format csv", "--excel applies to --format csv only")
    );
    let style = if args.excel { CsvStyle::Excel } else { CsvStyle::Plain };
    let a = match analyse_path(&args.file) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{}", ctx.unreadable(&args.file, &e));
            return Ok(ExitCode::from(2));
        }
    };
    // Bytes replaced while decoding are lost content: say so even though the output is data.
    for f in a.findings.iter().filter(|f| replaced_bytes(f)) {
        let (sep, warning) = (ctx.t("：", ": "), ctx.t("警告", "warning"));
        eprintln!("gongkai: {}{sep}{warning}{sep}{}", args.file.display(), f.message.get(ctx.lang));
    }
    let text = match args.format {
        Format::Tsv => tsv::to_tsv(&a.report),
        Format::Json => json(&a, ctx)?,
        Format::Csv => csv(&a, style, ctx)?,
    };
    match &args.out {
        Some(p) => std::fs::write(p, text)
            .with_context(|| format!("{} {}", ctx.t("无法写入", "cannot write"), p.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    // What was extracted from a file that is not a report is no report's data: say so, exit 1.
    if a.verdict() != gongkai_pipeline::Verdict::Report {
        for f in a
            .findings
            .iter()
            .filter(|f| gongkai_pipeline::Verdict::of([*f]) != gongkai_pipeline::Verdict::Report)
        {
            eprintln!(
                "gongkai: {}{}{}",
                args.file.display(),
                ctx.t("：", ": "),
                f.message.get(ctx.lang)
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether a finding says the reader replaced undecodable bytes (a warning of an encoding decision).
fn replaced_bytes(f: &gongkai_model::Finding) -> bool {
    f.kind == gongkai_model::FindingKind::Extraction
        && f.severity >= gongkai_model::Severity::Warning
        && f.rule.ends_with("ENCODING")
}

/// The report's JSON form with every finding.
pub(crate) fn json(a: &Analysis, ctx: &Ctx) -> anyhow::Result<String> {
    let locate = |s| locate(&a.doc, s, ctx.lang);
    let mut j = ReportJson::from_report(&a.report, &locate);
    j.findings = a
        .findings
        .iter()
        .map(|f| gongkai_model::json::FindingJson::from_finding(f, ctx.lang, &locate))
        .collect();
    let mut s = serde_json::to_string_pretty(&j)?;
    s.push('\n');
    Ok(s)
}

/// The columns of `--format csv`.
const CSV_COLUMNS: &[&str] = &[
    "key",
    "table",
    "layout",
    "row",
    "column",
    "row_label",
    "column_label",
    "value",
    "status",
    "annotation",
    "line",
    "page",
];

fn csv(a: &Analysis, style: CsvStyle, ctx: &Ctx) -> anyhow::Result<String> {
    let mut out = Vec::new();
    gongkai_batch::csv::start(&mut out, style)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(gongkai_batch::csv::header(CSV_COLUMNS, style))?;
    for table in a.report.tables() {
        for cell in table.cells() {
            let shape = table.shape();
            let row_label =
                shape.row(cell.key.row).map(gongkai_model::RowSpec::label).unwrap_or_default();
            let col_label = shape.column(cell.key).map(|c| c.label).unwrap_or_default();
            let status = match &cell.value {
                Value::Number(_) => "number",
                Value::Blank => "blank",
                Value::NotApplicable(_) => "not_applicable",
                Value::Unknown => "unknown",
            };
            let loc = cell.span.map(|s| locate(&a.doc, s, ctx.lang));
            w.write_record([
                cell.key.to_string(),
                table.id().key().to_owned(),
                table.layout().key().to_owned(),
                cell.key.row.key().to_owned(),
                cell.key.col.key().to_owned(),
                row_label,
                col_label.to_owned(),
                cell.value.tsv(),
                status.to_owned(),
                cell.annotation.clone().unwrap_or_default(),
                loc.as_ref().and_then(|l| l.line).map(|l| l.to_string()).unwrap_or_default(),
                loc.as_ref().and_then(|l| l.page).map(|l| l.to_string()).unwrap_or_default(),
            ])?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
