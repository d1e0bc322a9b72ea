//! `gongkai`: read, check, write and run government information disclosure annual reports.
//!
//! Each subcommand lives in its own file under `commands/` with its clap `Args` and a
//! `run(args, &Ctx) -> anyhow::Result<ExitCode>` function; this file only wires them up.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a command-line program prints")]

mod commands;
mod ctx;

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
    /// 显示版本与构建信息 / show version information.
    Version,
    /// 按官方格式生成年度报告（HTML/DOCX/XLSX/PDF/Markdown/JSON），或以上年报告起草 / write the annual report in the official layout, or draft next year's.
    Render(commands::render::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx::new(&cli.lang);
    let result = match cli.command {
        Command::Version => commands::version::run(&ctx),
        Command::Render(args) => commands::render::run(args, &ctx),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gongkai: {}", ctx.error_text(&e));
            ExitCode::from(2)
        }
    }
}
