//! `gongkai check FILE…` — compiler-style findings for each report.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use gongkai_batch::{Counts, checked_line};
use gongkai_diagnostics::{Style, render, severity_word};
use gongkai_model::{Finding, Lang, Localized, Severity, TableId};
use serde_json::json;

use crate::ctx::Ctx;
use crate::pipeline::{Analysis, analyse_path, expand, locate};

/// Arguments of `check`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 报告文件或目录（文本、Markdown、HTML、DOCX、PDF）/ report files or directories.
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

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let files = expand(&args.files)?;
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = Style { color, lang: ctx.lang };
    let mut total = Counts::default();
    let mut unreadable = 0usize;
    let mut json_files = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &files {
        let a = match analyse_path(path) {
            Ok(a) => a,
            Err(e) => {
                unreadable += 1;
                if args.format == Format::Json {
                    json_files.push(
                        json!({ "path": path.display().to_string(), "error": e.message(ctx.lang) }),
                    );
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
            Format::Json => json_files.push(file_json(path, &a, &shown, ctx)),
        }
    }
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &json!({ "files": json_files }))?;
            writeln!(out)?;
        }
        Format::Text if files.len() > 1 => {
            let read = files.len() - unreadable;
            writeln!(out, "\n{}", checked_line(read, unreadable, total, ctx.lang))?;
        }
        Format::Text => {}
    }
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if total.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn layouts_json(a: &Analysis) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for t in [TableId::T2, TableId::T3, TableId::T4] {
        m.insert(
            t.key().to_owned(),
            a.report.table(t).map_or(serde_json::Value::Null, |x| json!(x.layout().key())),
        );
    }
    serde_json::Value::Object(m)
}

fn file_json(
    path: &std::path::Path,
    a: &Analysis,
    findings: &[&Finding],
    ctx: &Ctx,
) -> serde_json::Value {
    let locate = |s| locate(&a.doc, s, ctx.lang);
    let findings: Vec<_> = findings
        .iter()
        .map(|f| gongkai_model::json::FindingJson::from_finding(f, ctx.lang, &locate))
        .collect();
    json!({
        "path": path.display().to_string(),
        "agency": a.report.meta.agency.as_ref().map(|x| x.value.clone()),
        "year": a.report.meta.year.as_ref().map(|x| x.value),
        "layout": layouts_json(a),
        "findings": findings,
    })
}
