//! `gongkai calendar`: working-day arithmetic on the official calendar.

use std::path::PathBuf;
use std::process::ExitCode;

use gongkai_calendar::weekday_name;
use gongkai_model::Lang;

use crate::commands::setup;
use crate::ctx::Ctx;

/// 工作日计算 / working-day calendar.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Sub,
    /// 额外的节假日数据文件或目录（可多次）/ extra calendar TOML file or directory (repeatable).
    #[arg(long, global = true, value_name = "PATH")]
    calendar: Vec<PathBuf>,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// 从某日起算N个工作日的到期日 / the N-th working day after DATE.
    Add {
        /// 起算日（当日不计入）/ day 0.
        date: String,
        /// 工作日数 / working days.
        days: u32,
        /// 逐日说明 / explain day by day.
        #[arg(long)]
        explain: bool,
    },
    /// 两日之间的工作日数 / working days after FROM up to and including TO.
    Between {
        /// 起 / from.
        from: String,
        /// 止 / to.
        to: String,
    },
    /// 某日是否工作日及原因 / whether DATE is a working day, and why.
    Day {
        /// 日期 / date.
        date: String,
    },
    /// 已载入的年度数据及其依据 / the years loaded and the notices behind them.
    Sources,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let cal = setup::calendar(&args.calendar, ctx)?;
    let lang = ctx.lang;
    match args.command {
        Sub::Add { date, days, explain } => {
            let date = setup::date(&date, ctx)?;
            if explain {
                let e = cal.explain_add(date, days)?;
                outln!("{}", e.text(lang));
            } else {
                let end = cal.add_working_days(date, days)?;
                match lang {
                    Lang::Zh => outln!("{end}（{}）", weekday_name(end.weekday(), lang)),
                    Lang::En => outln!("{end} ({})", weekday_name(end.weekday(), lang)),
                }
            }
        }
        Sub::Between { from, to } => {
            let (from, to) = (setup::date(&from, ctx)?, setup::date(&to, ctx)?);
            outln!("{}", cal.working_days_between(from, to)?);
        }
        Sub::Day { date } => {
            let date = setup::date(&date, ctx)?;
            let d = cal.day(date)?;
            let basis = d
                .source
                .map(|s| match (s.notice, lang) {
                    (Some(n), Lang::Zh) => format!("（依据{}《{}》）", n.number, n.title),
                    (Some(n), Lang::En) => format!(" (per {} 《{}》)", n.number, n.title),
                    (None, Lang::Zh) => format!("（依据{}）", s.file),
                    (None, Lang::En) => format!(" (per {})", s.file),
                })
                .unwrap_or_default();
            let working = if d.kind.is_working() {
                ctx.t("工作日", "working day")
            } else {
                ctx.t("非工作日", "not a working day")
            };
            outln!(
                "{date} {} {working}{}{}{basis}",
                weekday_name(date.weekday(), lang),
                ctx.t("：", ": "),
                d.kind.describe(lang)
            );
        }
        Sub::Sources => {
            for (year, file, notices) in cal.year_sources() {
                for n in notices {
                    outln!(
                        "{year}\t{}\t《{}》\t{}\t{}\t{file}",
                        n.number,
                        n.title,
                        n.issued,
                        n.url
                    );
                }
            }
            for f in cal.supplementary_files() {
                outln!("{}\t{f}", ctx.t("本地补充", "local"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
