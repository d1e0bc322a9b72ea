//! `gongkai rules [ID]` — the rule catalogue, or one rule's documentation.

use std::fmt::Write as _;
use std::process::ExitCode;

use gongkai_diagnostics::severity_word;
use gongkai_rules::Scope;
use unicode_width::UnicodeWidthStr as _;

use crate::ctx::Ctx;

/// Arguments of `rules`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 规则编号，如 T3-BALANCE；省略则列出全部 / a rule id; all rules when omitted.
    id: Option<String>,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.id {
        Some(id) => match gongkai_rules::lookup(&id) {
            Some(info) => {
                out!("{}", doc(info, ctx));
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!(
                    "gongkai: {}",
                    match ctx.lang {
                        gongkai_model::Lang::Zh =>
                            format!("没有编号为 {id} 的规则；运行 `gongkai rules` 查看全部"),
                        gongkai_model::Lang::En =>
                            format!("no rule `{id}`; run `gongkai rules` for the list"),
                    }
                );
                Ok(ExitCode::from(2))
            }
        },
        None => {
            out!("{}", list(ctx));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A rule's severity, and the one it is raised to in the case its documentation names
/// (`提示/警告`).
fn severities(info: &gongkai_rules::RuleInfo, ctx: &Ctx) -> String {
    let sev = severity_word(info.severity, ctx.lang);
    match info.raised {
        Some(raised) => format!("{sev}/{}", severity_word(raised, ctx.lang)),
        None => sev.to_owned(),
    }
}

/// The catalogue as a table.
pub(crate) fn list(ctx: &Ctx) -> String {
    let catalogue = gongkai_rules::catalogue();
    // Ids are ASCII: their length is their width; the column fits the longest.
    let id_width = catalogue.iter().map(|r| r.id.len()).max().unwrap_or(0);
    // The severity column fits the widest entry in this language (`提示/警告`).
    let sev_width = catalogue.iter().map(|r| severities(r, ctx).width()).max().unwrap_or(0);
    let mut out = String::new();
    for (scope, zh, en) in [
        (Scope::Report, "单份报告规则", "Report rules"),
        (
            Scope::CrossYear,
            "跨年规则（批量处理时按机关系列检查）",
            "Cross-year rules (checked over series in batches)",
        ),
        (Scope::Reader, "读取时发现的问题", "Reader findings"),
    ] {
        let _ = writeln!(out, "{}", ctx.t(zh, en));
        for r in catalogue.iter().filter(|r| r.scope == scope) {
            let sev = severities(r, ctx);
            let _ = writeln!(
                out,
                "  {:<id_width$} {}{} {}",
                r.id,
                sev,
                " ".repeat(sev_width.saturating_sub(sev.width())),
                r.title(ctx.lang)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}",
        ctx.t(
            "`gongkai rules 编号` 查看规则说明。",
            "`gongkai rules ID` shows a rule's documentation."
        )
    );
    out
}

/// One rule's documentation.
pub(crate) fn doc(info: &gongkai_rules::RuleInfo, ctx: &Ctx) -> String {
    format!(
        "{} — {}\n{}：{}\n\n{}\n",
        info.id,
        info.title(ctx.lang),
        ctx.t("级别", "severity"),
        severities(info, ctx),
        info.doc(ctx.lang)
    )
}
