//! `gongkai check FILE…` — compiler-style findings for each report.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gongkai_batch::analyse::EXTENSIONS;
use gongkai_batch::locate::Locator;
use gongkai_batch::{Expanded, pair_findings, series_plan};
use gongkai_diagnostics::{Style, render, severity_word};
use gongkai_doc::Document;
use gongkai_model::json::Location;
use gongkai_model::{Finding, Lang, Localized, Report, Severity};
use gongkai_pipeline::check::{CheckFinding, CheckJson, CheckResult, FileCheck, Unreadable};
use gongkai_pipeline::{Counts, Verdict, checked_line};

use crate::ctx::Ctx;
use crate::pipeline::{Analysis, analyse_path, expand};

/// Arguments of `check`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 报告文件或目录（文本、Markdown、HTML、DOCX、PDF、XLSX、gongkai JSON、单元格清单 tsv）/ report
    /// files or directories (every format gongkai reads).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// 输出格式 / output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// 颜色 / colours.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// 只显示错误和警告 / show errors and warnings only.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Who and which year, for summaries.
pub(crate) fn title(a: &Analysis, ctx: &Ctx) -> String {
    let agency = a.report.meta.agency.as_ref().map_or_else(
        || ctx.t("（机关未识别）", "(agency not recognised)").to_owned(),
        |x| x.value.clone(),
    );
    match a.report.meta.year.as_ref() {
        Some(y) => match ctx.lang {
            Lang::Zh => format!("{agency} {} 年度", y.value),
            Lang::En => format!("{agency} {}", y.value),
        },
        None => agency,
    }
}

/// A report read by `check`, kept for the cross-year rules once its document is dropped.
struct Kept {
    path: PathBuf,
    report: Report,
    /// Lines and pages of its document; none for a report not read from a document (JSON, a
    /// cell list), whose spans point into no text of the file.
    locator: Option<Locator>,
    /// Its entry in the JSON output.
    json: Option<usize>,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let Expanded { files, empty_dirs } = expand(&args.files)?;
    for dir in &empty_dirs {
        eprintln!("{}", no_reports(dir, ctx));
    }
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = Style { color, lang: ctx.lang };
    let mut total = Counts::default();
    let mut unreadable = 0usize;
    let mut not_reports = 0usize;
    let mut json_files = Vec::new();
    let mut kept = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &files {
        let a = match analyse_path(path) {
            Ok(a) => a,
            Err(e) => {
                unreadable += 1;
                if args.format == Format::Json {
                    json_files.push(FileCheck::Unreadable(Unreadable {
                        path: path.display().to_string(),
                        error: e.message(ctx.lang),
                    }));
                } else {
                    let _ = out.flush();
                    eprintln!("{}", ctx.unreadable(path, &e));
                }
                continue;
            }
        };
        let shown: Vec<&Finding> =
            a.findings.iter().filter(|f| !args.quiet || f.severity >= Severity::Warning).collect();
        let counts = Counts::of(&a.findings);
        total.add(counts);
        not_reports += usize::from(a.verdict() != Verdict::Report);
        match args.format {
            Format::Text => {
                for f in &shown {
                    writeln!(out, "{}", render(&a.doc, f, style))?;
                }
                let head = if counts.errors > 0 {
                    severity_word(Severity::Error, ctx.lang)
                } else {
                    "✓"
                };
                writeln!(
                    out,
                    "{} {} — {}：{}",
                    head,
                    path.display(),
                    title(&a, ctx),
                    counts.describe(ctx.lang)
                )?;
            }
            Format::Json => json_files.push(FileCheck::Checked(Box::new(CheckResult::new(
                path.display().to_string(),
                &a,
                shown.iter().copied(),
                ctx.lang,
            )))),
        }
        let json = (args.format == Format::Json).then(|| json_files.len() - 1);
        if a.verdict() == Verdict::Report {
            kept.push(Kept {
                path: path.clone(),
                locator: (a.doc.format.is_some()).then(|| Locator::new(&a.doc)),
                report: a.report,
                json,
            });
        }
    }
    let cross = cross_year(&kept, &mut json_files, &mut out, style, ctx)?;
    match args.format {
        Format::Json => {
            // Through `Value`, whose keys are sorted: the output does not depend on field order.
            let value = serde_json::to_value(CheckJson::new(json_files))?;
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        Format::Text if files.len() > 1 => {
            let read = files.len() - unreadable;
            writeln!(out)?;
            // The cross-year line first: the last line is the one `batch` ends with too.
            if let Some((pairs, counts)) = cross {
                writeln!(out, "{}", cross_line(pairs, counts, ctx))?;
            }
            writeln!(out, "{}", checked_line(read, unreadable, not_reports, total, ctx.lang))?;
        }
        Format::Text => {}
    }
    let errors = total.errors + cross.map_or(0, |(_, c)| c.errors);
    Ok(if unreadable > 0 || files.is_empty() || !empty_dirs.is_empty() {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The line that says a directory holds nothing gongkai reads.
pub(crate) fn no_reports(dir: &Path, ctx: &Ctx) -> String {
    let exts: Vec<String> = EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
    format!(
        "gongkai: {}{}{}{}",
        dir.display(),
        ctx.t("：", ": "),
        ctx.t(
            "目录中没有可读取的报告文件（查找了 ",
            "no report file in this directory (looked for "
        ),
        exts.join(" ") + ctx.t("）", ")")
    )
}

/// Runs the cross-year rules over the reports read, as `gongkai batch` does (the same series
/// plan): findings are printed after the reports, attributed to the later report and naming the
/// earlier one. Returns the number of consecutive-year pairs and the counts of their findings,
/// when there is a pair.
fn cross_year(
    kept: &[Kept],
    json_files: &mut [FileCheck],
    out: &mut impl std::io::Write,
    style: Style,
    ctx: &Ctx,
) -> anyhow::Result<Option<(usize, Counts)>> {
    let reports: Vec<Option<&Report>> = kept.iter().map(|k| Some(&k.report)).collect();
    let plan = series_plan(&reports);
    if plan.pairs.is_empty() {
        return Ok(None);
    }
    let mut counts = Counts::default();
    for pair in &plan.pairs {
        let (prev, cur) = (&kept[pair.previous as usize], &kept[pair.current as usize]);
        let found = pair_findings(&prev.report, &cur.report);
        counts.add(Counts::of(&found));
        if found.is_empty() {
            continue;
        }
        if let Some(FileCheck::Checked(entry)) = cur.json.and_then(|i| json_files.get_mut(i)) {
            let place = |s| {
                let p = cur.locator.as_ref().map(|l| l.place(s)).unwrap_or_default();
                Location { line: p.line, page: p.page, ..Location::default() }
            };
            let earlier = prev.path.display().to_string();
            entry.findings.extend(
                found.iter().map(|f| CheckFinding::cross_year(f, ctx.lang, &place, &earlier)),
            );
            continue;
        }
        writeln!(
            out,
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "\n跨年检查：{} 与上一年度 {} 比较",
                    cur.path.display(),
                    prev.path.display()
                ),
                Lang::En => format!(
                    "\ncross-year: {} against the previous year's {}",
                    cur.path.display(),
                    prev.path.display()
                ),
            }
        )?;
        for f in &found {
            let line = cur.locator.as_ref().and_then(|l| l.place_of(f.primary_span()).line);
            let name = match line {
                Some(l) => format!("{}:{l}", cur.path.display()),
                None => cur.path.display().to_string(),
            };
            // The document is no longer held: the finding is shown with its place, no excerpt.
            let doc = Document::new(name, gongkai_doc::Format::Text, String::new(), Vec::new());
            writeln!(out, "{}", render(&doc, f, style))?;
        }
    }
    Ok(Some((plan.pairs.len(), counts)))
}

/// `跨年：相邻年度 2 对，跨年检查：1 个错误，…`.
fn cross_line(pairs: usize, counts: Counts, ctx: &Ctx) -> String {
    match ctx.lang {
        Lang::Zh => format!("跨年：相邻年度 {pairs} 对，跨年检查：{}", counts.describe(ctx.lang)),
        Lang::En => format!(
            "cross-year: {pairs} consecutive-year pair(s) checked: {}",
            counts.describe(ctx.lang)
        ),
    }
}
