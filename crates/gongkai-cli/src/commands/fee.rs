//! `gongkai fee`: the information processing fee, band by band.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use gongkai_cases::fee::{FeeMethod, FeeSchedule};
use gongkai_model::Lang;

use crate::ctx::Ctx;

/// 计算信息处理费 / information processing fee (国办函〔2020〕109号).
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("quantity").required(true).args(["applications", "pages"])))]
pub(crate) struct Args {
    /// 按件计收：同一申请人一个自然月内的申请件数 / applications by one applicant in a month.
    #[arg(long)]
    applications: Option<u64>,
    /// 按量计收：页数 / pages.
    #[arg(long)]
    pages: Option<u64>,
    /// 收费标准文件（TOML，默认国办函〔2020〕109号）/ fee schedule TOML.
    #[arg(long, value_name = "FILE")]
    schedule: Option<PathBuf>,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let schedule =
        match &args.schedule {
            Some(p) => FeeSchedule::from_toml(&std::fs::read_to_string(p).with_context(|| {
                format!("{} {}", ctx.t("无法读取", "cannot read"), p.display())
            })?)?,
            None => FeeSchedule::official(),
        };
    let (method, n) = match (args.applications, args.pages) {
        (Some(n), _) => (FeeMethod::PerApplication, n),
        (None, Some(n)) => (FeeMethod::PerPage, n),
        (None, None) => anyhow::bail!(
            "{}",
            ctx.t("请给出 --applications 或 --pages", "give --applications or --pages")
        ),
    };
    let q = schedule.quote(method, n);
    match ctx.lang {
        Lang::Zh => {
            outln!("{}：{} {}，合计 {} 元", method.zh(), q.quantity, q.unit, q.total_yuan);
            for l in &q.lines {
                outln!(
                    "  第{}–{}{}：{} {} × {} 元 = {} 元",
                    l.from,
                    l.to,
                    q.unit,
                    l.count,
                    q.unit,
                    l.rate_yuan,
                    l.subtotal_yuan
                );
            }
            outln!("依据：{}", schedule.source);
        }
        Lang::En => {
            let unit = method.unit_en();
            outln!("{}: {} {unit}, total {} yuan", method.en(), q.quantity, q.total_yuan);
            for l in &q.lines {
                outln!(
                    "  {unit} {}-{}: {} x {} yuan = {} yuan",
                    l.from,
                    l.to,
                    l.count,
                    l.rate_yuan,
                    l.subtotal_yuan
                );
            }
            outln!("basis: {}", schedule.source);
        }
    }
    Ok(ExitCode::SUCCESS)
}
