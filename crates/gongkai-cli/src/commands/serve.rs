//! `gongkai serve`: the web application on the embedded SQLite store (or PostgreSQL).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use gongkai_server::{AppState, Config, demo};

use crate::ctx::Ctx;

/// 启动网页应用 / run the web application.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 数据目录（SQLite 数据库所在）/ data directory (holds the SQLite database).
    #[arg(long, value_name = "DIR", default_value = "./gongkai-data")]
    data: PathBuf,
    /// 数据库地址（如 postgres://用户@主机/库），代替 --data / database URL, instead of --data.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// 监听地址 / address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// 写入示范县数据（可重复运行）/ seed the demo county (idempotent).
    #[arg(long)]
    demo: bool,
    /// 示范账号的密码（默认随机生成）/ password of the demo users (random by default).
    #[arg(long, value_name = "P", requires = "demo")]
    demo_password: Option<String>,
    /// 额外的节假日数据文件或目录（可多次；如新一年的节假日安排，启动时据此确定待定的期限）
    /// / extra calendar TOML file or directory (repeatable; e.g. next year's holiday notice, which
    /// determines the deadlines left pending at start).
    #[arg(long, value_name = "PATH")]
    calendar: Vec<PathBuf>,
    /// 经 HTTPS 访问时设置 Cookie 的 Secure 标志 / mark cookies Secure (served over HTTPS).
    #[arg(long)]
    secure_cookies: bool,
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    gongkai_server::init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(args, ctx))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(args: Args, ctx: &Ctx) -> anyhow::Result<()> {
    let url = gongkai_server::database_url(&args.data, args.db.as_deref())?;
    let store = gongkai_store::Store::open(&url).await?;
    let config = Config { secure_cookies: args.secure_cookies, ..Config::default() };
    let mut state = AppState::new(store, config);
    state.calendar = std::sync::Arc::new(super::setup::calendar(&args.calendar, ctx)?);
    if args.demo {
        let password = match args.demo_password {
            Some(p) => p,
            None => demo::random_password().map_err(app_error)?,
        };
        let seeded = demo::seed(&state, &password).await.map_err(app_error)?;
        outln!("{}", ctx.t("示范数据已就绪。示范账号：", "The demo county is ready. Demo logins:"));
        for user in &seeded.users {
            match &seeded.password {
                Some(p) => outln!("  {user}  {}{p}", ctx.t("密码：", "password: ")),
                None => outln!(
                    "  {user}  {}",
                    ctx.t(
                        "（已存在，沿用首次启动时的密码）",
                        "(exists: the password of the first start)"
                    )
                ),
            }
        }
    }
    // Not fatal: the listing keeps the cached states, each case page replays its own.
    let settled = gongkai_server::deadlines::settle(&state).await.unwrap_or_else(|e| {
        eprintln!(
            "{}{}",
            ctx.t("未能按当前节假日数据重新计算期限：", "deadlines not counted again: "),
            app_error(e)
        );
        gongkai_server::deadlines::Settled::default()
    });
    if settled.agencies > 0 {
        outln!(
            "{}",
            ctx.t(
                &format!(
                    "已按当前节假日数据重新计算 {} 个机关的 {} 件申请的期限。",
                    settled.agencies, settled.derived
                ),
                &format!(
                    "Deadlines of {} applications of {} agencies counted again with the current calendar.",
                    settled.derived, settled.agencies
                )
            )
        );
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    outln!("{} http://{addr}/", ctx.t("网页应用已启动：", "The web application is at"));
    outln!("{}", ctx.t("按 Ctrl-C 停止。", "Press Ctrl-C to stop."));
    gongkai_server::serve(listener, state.clone()).await?;
    state.store.close().await;
    Ok(())
}

/// A server error as one the CLI can say in the chosen language.
pub(crate) fn app_error(e: gongkai_server::AppError) -> anyhow::Error {
    match e {
        gongkai_server::AppError::Store(s) => s.into(),
        other => anyhow::anyhow!(other),
    }
}
