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
use gongkai_model::{Finding, Lang, Report, Severity};
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
    let notice = match gate(&report, &findings, policy) {
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
    let output = renderer.render_output(&doc, format)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &output.bytes).with_context(|| {
                format!("{}: {}", ctx.t("无法写入", "cannot write"), path.display())
            })?;
        }
        None if matches!(
            format,
            OutputFormat::Html | OutputFormat::Markdown | OutputFormat::Json
        ) =>
        {
            use std::io::Write as _;
            std::io::stdout().write_all(&output.bytes).context("stdout")?;
        }
        None => {
            bail!("{}", ctx.t("二进制格式需要 --out 指定输出文件", "binary formats need --out"))
        }
    }
    say_what_was_done(ctx, args.out.as_deref(), format, &output, &doc, &findings, args.draft);
    Ok(ExitCode::SUCCESS)
}

/// Most warning findings listed one per line after a render.
const MAX_WARNINGS: usize = 10;

/// Tells the user on stderr what was written: where, in which format, how many pages, and every
/// warning — the notice of a report written despite errors or undetermined cells, tables kept in
/// the trial layout, a draft to be reviewed, and the warning-level findings.
fn say_what_was_done(
    ctx: &Ctx,
    out: Option<&Path>,
    format: OutputFormat,
    output: &gongkai_render::Output,
    doc: &ReportDoc,
    findings: &[Finding],
    draft: Option<i32>,
) {
    let target = out.map_or_else(
        || ctx.t("标准输出", "standard output").to_owned(),
        |p| p.display().to_string(),
    );
    let pages = output.pages.map_or_else(String::new, |n| match ctx.lang {
        Lang::Zh => format!("，共 {n} 页"),
        Lang::En => format!(", {n} page(s)"),
    });
    let size = output.bytes.len();
    match ctx.lang {
        Lang::Zh => eprintln!("gongkai: 已写入 {target}（{format}，{size} 字节{pages}）"),
        Lang::En => eprintln!("gongkai: wrote {target} ({format}, {size} bytes{pages})"),
    }
    let warn = ctx.t("警告：", "warning: ");
    if let Some(notice) = &doc.notice {
        eprintln!(
            "{warn}{}",
            ctx.t(
                "按 --allow-errors 输出：文档开头印有醒目提示，列出以下未通过的校验，请核实后再发布",
                "written with --allow-errors: the document opens with a visible notice listing these problems; check before publishing"
            )
        );
        for l in &notice.lines {
            eprintln!("  {l}");
        }
    }
    for w in doc.warnings() {
        eprintln!("{warn}{}", w.get(ctx.lang));
    }
    if let Some(year) = draft {
        match ctx.lang {
            Lang::Zh => eprintln!(
                "{warn}这是 {year} 年度报告草稿：沿用的数字标有“{}”，第五、六部分需按本年度情况重写，表格除上年结转外均为空白",
                gongkai_render::draft::REVIEW_MARK
            ),
            Lang::En => eprintln!(
                "{warn}this is a draft of the {year} report: carried-over figures in the text are marked “{}”, sections 5 and 6 must be rewritten, and the tables are blank except the carried-over row",
                gongkai_render::draft::REVIEW_MARK
            ),
        }
    }
    let warnings: Vec<&Finding> =
        findings.iter().filter(|f| f.severity == Severity::Warning).collect();
    for f in warnings.iter().take(MAX_WARNINGS) {
        eprintln!("{warn}{}", gongkai_render::gate::line(f, ctx.lang));
    }
    if warnings.len() > MAX_WARNINGS {
        match ctx.lang {
            Lang::Zh => eprintln!(
                "……另有 {} 项警告（gongkai check 可列出全部）",
                warnings.len() - MAX_WARNINGS
            ),
            Lang::En => eprintln!(
                "… {} more warning(s) (gongkai check lists them all)",
                warnings.len() - MAX_WARNINGS
            ),
        }
    }
}
