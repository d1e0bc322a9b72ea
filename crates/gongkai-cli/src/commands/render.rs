//! `gongkai render`: writes the annual report in the official layout (HTML, DOCX, XLSX, PDF,
//! Markdown or JSON), or drafts next year's report from the previous year's (`--draft YEAR`).
//!
//! Input: gongkai's JSON report, a cell list (`.tsv`), or any report gongkai can read (re-rendering
//! a published report in the official layout). A report that breaks an error-level rule is refused
//! unless `--allow-errors` is given; the output then carries a visible notice.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Args as ClapArgs;
use gongkai_doc::Limits;
use gongkai_model::Localized;
use gongkai_model::json::ReportJson;
use gongkai_model::{Finding, Report};
use gongkai_render::{ErrorPolicy, FontSet, Options, OutputFormat, Renderer, ReportDoc, gate};

use crate::ctx::Ctx;

/// Arguments of `gongkai render`.
#[derive(ClapArgs, Debug)]
pub(crate) struct Args {
    /// 输入报告（gongkai JSON、单元格清单 .tsv 或任一可读取的报告）；与 --draft 同用时为上一年度报告 / the input report (gongkai JSON, a .tsv cell list, or any readable report); with --draft, the previous year's report.
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

/// A report and the findings of reading it.
struct Input {
    report: Report,
    /// Extraction findings (empty for JSON and cell lists, which are not read from a document).
    findings: Vec<Finding>,
}

/// Reads a report from `path`: gongkai JSON, a cell list, or any report the reading facade reads.
fn read_report(path: &Path, ctx: &Ctx) -> anyhow::Result<Input> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("{}: {}", ctx.t("无法读取", "cannot read"), path.display()))?;
    let text =
        std::str::from_utf8(&bytes).ok().map(|t| t.trim_start_matches('\u{feff}').trim_start());
    // JSON by name or by its first character: `null` or `[]` is then "not a gongkai report",
    // never read as a report text that lacks its tables.
    let json = |t: &&str| {
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || t.starts_with(['{', '['])
            || matches!(t.trim_end(), "null" | "true" | "false")
    };
    if let Some(t) = text.filter(json) {
        let report = ReportJson::parse(t)
            .and_then(ReportJson::into_report)
            .with_context(|| path.display().to_string())?;
        return Ok(Input { report, findings: Vec::new() });
    }
    if let Some(t) =
        text.filter(|t| gongkai_model::tsv::is_cell_list(&path.display().to_string(), t))
    {
        let list = gongkai_model::tsv::parse_tsv(t).with_context(|| path.display().to_string())?;
        let report = gongkai_render::cells::report_from_cells(&list)
            .with_context(|| path.display().to_string())?;
        return Ok(Input { report, findings: Vec::new() });
    }
    let doc = gongkai_extract::read(&path.display().to_string(), &bytes, &Limits::default())
        .with_context(|| path.display().to_string())?;
    let parsed = gongkai_parse::parse(&doc);
    Ok(Input { report: parsed.report, findings: parsed.findings })
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let format = OutputFormat::from_key(&args.format).context("format")?;
    let input = read_report(&args.input, ctx)?;
    let (report, mut findings) = match args.draft {
        // A draft is checked afresh: the previous report's reading doubts do not carry over.
        Some(year) => (gongkai_render::draft::draft(&input.report, year), Vec::new()),
        None => (input.report, input.findings),
    };
    let previous = args
        .previous
        .iter()
        .map(|p| read_report(p, ctx).map(|i| i.report))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let policy = if args.allow_errors { ErrorPolicy::AllowWithNotice } else { ErrorPolicy::Refuse };
    findings.extend(gongkai_rules::check(&report));
    let notice = match gate(&findings, policy) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("gongkai: {}", e.message(ctx.lang));
            for f in &e.findings {
                eprintln!("  {}", gongkai_render::gate::line(f, ctx.lang));
            }
            eprintln!(
                "{}",
                ctx.t(
                    "（如确需输出，请加 --allow-errors）",
                    "(use --allow-errors to write it anyway)"
                )
            );
            return Ok(ExitCode::from(1));
        }
    };
    let options = Options { charts: !args.no_charts };
    let doc = ReportDoc::new(&report, &previous, notice, options)?;
    let fonts = if matches!(format, OutputFormat::Pdf | OutputFormat::Docx) {
        FontSet::discover()
    } else {
        FontSet::empty()
    };
    let renderer = Renderer::new(fonts);
    let bytes = renderer.render(&doc, format)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| {
                format!("{}: {}", ctx.t("无法写入", "cannot write"), path.display())
            })?;
        }
        None if matches!(
            format,
            OutputFormat::Html | OutputFormat::Markdown | OutputFormat::Json
        ) =>
        {
            use std::io::Write as _;
            std::io::stdout().write_all(&bytes).context("stdout")?;
        }
        None => {
            bail!("{}", ctx.t("二进制格式需要 --out 指定输出文件", "binary formats need --out"))
        }
    }
    Ok(ExitCode::SUCCESS)
}
