//! `gongkai version`.

use std::process::ExitCode;

use crate::ctx::Ctx;

pub(crate) fn run(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    outln!(
        "gongkai {} — {}",
        env!("CARGO_PKG_VERSION"),
        ctx.t(
            "政府信息公开工作年度报告工具",
            "government information disclosure annual report tool"
        )
    );
    Ok(ExitCode::SUCCESS)
}
