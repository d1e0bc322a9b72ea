//! `gongkai`: read, check, write and run government information disclosure annual reports.
//!
//! Each subcommand lives in its own file under `commands/` with its clap `Args` and a
//! `run(args, &Ctx) -> anyhow::Result<ExitCode>` function; this file only wires them up.

#![allow(clippy::print_stderr, reason = "a command-line program reports errors on stderr")]

/// Writes to standard output, returning the I/O error (a closed pipe) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

/// [`out!`] with a line break.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

mod args_error;
mod commands;
mod ctx;
mod pipeline;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::ctx::Ctx;

/// gongkai — 政府信息公开工作年度报告：读取、校验、生成与台账。
#[derive(Parser, Debug)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    /// 界面语言 / language of messages: zh (默认) 或 en.
    #[arg(long, global = true, default_value = "zh", value_parser = ["zh", "en"])]
    lang: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 检查报告，逐条报告问题（编译器风格）/ check reports, compiler-style findings.
    Check(commands::check::Args),
    /// 提取报告：json 模型、tsv 单元格清单或 csv / extract a report as JSON, TSV or CSV.
    Extract(commands::extract::Args),
    /// 列出规则或显示某条规则的说明 / list the rules or explain one.
    Rules(commands::rules::Args),
    /// 说明报告或某个单元格是如何读取的 / explain how a report, or one cell, was read.
    Explain(commands::explain::Args),
    /// 批量读取检查一批报告，输出 CSV/Parquet 与跨年检查 / a whole collection: CSV, Parquet,
    /// cross-year checks.
    Batch(commands::batch::Args),
    /// 读取并检查内置示例报告 / read and check the bundled example report.
    Demo,
    /// 显示版本与构建信息 / show version information.
    Version,
    /// 按官方格式生成年度报告（HTML/DOCX/XLSX/PDF/Markdown/JSON），或以上年报告起草 / write the annual report in the official layout, or draft next year's.
    Render(commands::render::Args),
    /// 工作日计算（节假日与调休）/ working-day calendar.
    Calendar(commands::calendar::Args),
    /// 计算信息处理费 / information processing fee.
    Fee(commands::fee::Args),
    /// 登记台账：模板、导入、统计表、期限 / the register: template, import, tables, deadlines.
    Register(commands::register::Args),
    /// 启动网页应用（默认 SQLite 数据目录 ./gongkai-data）/ run the web application.
    Serve(commands::serve::Args),
    /// 管理单位、用户、角色、令牌，迁移与备份数据库 / organisations, users, roles, tokens,
    /// migrations and backups.
    Admin(commands::admin::Args),
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            match args_error::message(&e, args_error::lang_of(&args)) {
                Some(m) => eprintln!("{m}"),
                None => {
                    let _ = e.print();
                }
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let ctx = Ctx::new(&cli.lang);
    let result = match cli.command {
        Command::Check(a) => commands::check::run(a, &ctx),
        Command::Extract(a) => commands::extract::run(a, &ctx),
        Command::Rules(a) => commands::rules::run(a, &ctx),
        Command::Explain(a) => commands::explain::run(a, &ctx),
        Command::Batch(a) => commands::batch::run(a, &ctx),
        Command::Demo => commands::demo::run(&ctx),
        Command::Version => commands::version::run(&ctx),
        Command::Render(args) => commands::render::run(args, &ctx),
        Command::Calendar(args) => commands::calendar::run(args, &ctx),
        Command::Fee(args) => commands::fee::run(args, &ctx),
        Command::Register(args) => commands::register::run(args, &ctx),
        Command::Serve(args) => commands::serve::run(args, &ctx),
        Command::Admin(args) => commands::admin::run(args, &ctx),
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`gongkai check … | head`): stop quietly.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::from(141)
        }
        Err(e) => {
            eprintln!("gongkai: {}", ctx.error_text(&e));
            ExitCode::from(2)
        }
    }
}
