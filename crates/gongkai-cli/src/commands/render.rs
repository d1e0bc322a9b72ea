//! `gongkai render`: writes the annual report in the official layout (HTML, DOCX, XLSX, PDF,
//! Markdown or JSON), or drafts next year's report from the previous year's (`--draft YEAR`).
//!
//! Input: gongkai's JSON report, or a cell list (`.tsv`). A report that breaks an error-level rule
//! is refused unless `--allow-errors` is given; the output then carries a visible notice.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Args as ClapArgs;
use gongkai_model::json::ReportJson;
use gongkai_model::{Finding, Report};
use gongkai_render::{ErrorPolicy, FontSet, Options, OutputFormat, Renderer, ReportDoc, gate};

use crate::ctx::Ctx;

/// Arguments of `gongkai render`.
#[derive(ClapArgs, Debug)]
pub(crate) struct Args {
    /// 输入报告（gongkai JSON 或单元格清单 .tsv）；与 --draft 同用时为上一年度报告 / the input report (gongkai JSON or a .tsv cell list); with --draft, the previous year's report.
    input: PathBuf,

    /// 输出格式 / output format: html, docx, xlsx, pdf, md, json.
    #[arg(long, short = 'f', value_parser = ["html", "docx", "xlsx", "pdf", "md", "markdown", "json"])]
    format: String,

    /// 输出文件；省略时文本格式写到标准输出 / output file; text formats go to stdout when omitted.
    #[arg(long, short = 'o')]
    out: Option<PathBuf>,

    /// 往年报告（用于历年对比图）/ previous years' reports, for the year-on-year chart.
    #[arg(long, num_args = 1..)]
    previous: Vec<PathBuf>,

    /// 即使存在错误级校验问题也输出（输出中带醒目提示）/ write even when error-level rules fail (with a visible notice).
    #[arg(long)]
    allow_errors: bool,

    /// 不画图表 / leave the charts out.
    #[arg(long)]
    no_charts: bool,

    /// 以上一年度报告为底稿，生成 YEAR 年度报告草稿 / draft the report for YEAR from the previous year's report (INPUT).
    #[arg(long, value_name = "YEAR")]
    draft: Option<i32>,
}

/// Reads a report from `path`: gongkai JSON or a cell list.
fn read_report(path: &Path, ctx: &Ctx) -> anyhow::Result<Report> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: {}", ctx.t("无法读取", "cannot read"), path.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{}: {}",
            path.display(),
            ctx.t("不是 UTF-8 文本（支持 gongkai JSON 或 .tsv 单元格清单）", "not UTF-8 text (gongkai JSON or a .tsv cell list expected)")
        )
    })?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let report = ReportJson::parse(trimmed)
            .and_then(ReportJson::into_report)
            .map_err(|e| anyhow::anyhow!("{}: {} `{}`: {}", path.display(), ctx.t("字段", "field"), e.field, e.reason))?;
        return Ok(report);
    }
    if path.extension().is_some_and(|e| e == "tsv") {
        let list = gongkai_model::tsv::parse_tsv(trimmed)
            .map_err(|e| anyhow::anyhow!("{}: {} {}: {}", path.display(), ctx.t("第", "line"), e.line, e.reason))?;
        return gongkai_render::cells::report_from_cells(&list)
            .map_err(|e| anyhow::anyhow!("{}: {} `{}`: {}", path.display(), ctx.t("字段", "field"), e.field, e.reason));
    }
    bail!(
        "{}: {}",
        path.display(),
        ctx.t("无法识别的输入（支持 gongkai JSON 或 .tsv 单元格清单）", "unrecognised input (gongkai JSON or a .tsv cell list expected)")
    )
}

/// The findings the gate looks at.
fn check(_report: &Report) -> Vec<Finding> {
    // Wired to `gongkai_rules::check` when the rules crate is merged.
    Vec::new()
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let format = OutputFormat::from_key(&args.format).context("format")?;
    let input = read_report(&args.input, ctx)?;
    let report = match args.draft {
        Some(year) => gongkai_render::draft::draft(&input, year),
        None => input,
    };
    let previous = args.previous.iter().map(|p| read_report(p, ctx)).collect::<anyhow::Result<Vec<_>>>()?;
    let policy = if args.allow_errors || args.draft.is_some() { ErrorPolicy::AllowWithNotice } else { ErrorPolicy::Refuse };
    let findings = check(&report);
    let notice = match gate(&findings, policy) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("gongkai: {e}");
            for f in &e.findings {
                eprintln!("  {}", gongkai_render::gate::line(f, ctx.lang));
            }
            eprintln!("{}", ctx.t("（如确需输出，请加 --allow-errors）", "(use --allow-errors to write it anyway)"));
            return Ok(ExitCode::from(1));
        }
    };
    let options = Options { charts: !args.no_charts };
    let doc = ReportDoc::new(&report, &previous, notice, options)?;
    let fonts = if matches!(format, OutputFormat::Pdf | OutputFormat::Docx) { FontSet::discover() } else { FontSet::empty() };
    let renderer = Renderer::new(fonts);
    let bytes = renderer.render(&doc, format)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("{}: {}", ctx.t("无法写入", "cannot write"), path.display()))?;
        }
        None if matches!(format, OutputFormat::Html | OutputFormat::Markdown | OutputFormat::Json) => {
            use std::io::Write as _;
            std::io::stdout().write_all(&bytes).context("stdout")?;
        }
        None => bail!("{}", ctx.t("二进制格式需要 --out 指定输出文件", "binary formats need --out")),
    }
    Ok(ExitCode::SUCCESS)
}
