//! `gongkai admin`: organisations, users, roles and API tokens of the web application's store;
//! migrations and backups.

use std::io::BufRead as _;
use std::path::PathBuf;
use std::process::ExitCode;

use gongkai_model::Lang;
use gongkai_store::{
    Ctx as StoreCtx, Level, NewOrg, NewUser, OrgId, OrgKind, RegionCode, Role, Store, TokenId,
    UserId,
};
use jiff::{SignedDuration, Timestamp};

use crate::ctx::Ctx;

/// 管理单位、用户、角色、令牌，迁移与备份 / administration of the store.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 数据目录（SQLite 数据库所在）/ data directory (holds the SQLite database).
    #[arg(long, value_name = "DIR", default_value = "./gongkai-data", global = true)]
    data: PathBuf,
    /// 数据库地址（如 postgres://用户@主机/库），代替 --data / database URL, instead of --data.
    #[arg(long, value_name = "URL", global = true)]
    db: Option<String>,
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// 单位 / organisations.
    #[command(subcommand)]
    Org(OrgCmd),
    /// 用户 / users.
    #[command(subcommand)]
    User(UserCmd),
    /// 角色 / roles.
    #[command(subcommand)]
    Role(RoleCmd),
    /// API 令牌 / API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// 应用数据库迁移 / apply the database migrations.
    Migrate,
    /// 备份 SQLite 数据库（运行中亦可）/ back up the SQLite database (also while serving).
    Backup {
        /// 备份文件（不得已存在）/ the backup file (must not exist).
        target: PathBuf,
    },
    /// 检查备份并恢复到新的数据目录（不覆盖已有数据库）/ check a backup and restore it into a new
    /// data directory (never over an existing database).
    Restore {
        /// 备份文件（gongkai admin backup 所写）/ the backup file (written by gongkai admin backup).
        backup: PathBuf,
        /// 新的数据目录 / the new data directory.
        dir: PathBuf,
    },
}

#[derive(clap::Subcommand, Debug)]
enum OrgCmd {
    /// 新建单位 / add an organisation.
    Add {
        /// 名称 / name.
        #[arg(long)]
        name: String,
        /// 类型：office（政务公开办）或 agency（行政机关）/ kind.
        #[arg(long, value_parser = ["office", "agency"])]
        kind: String,
        /// 层级 / level.
        #[arg(long, default_value = "county", value_parser = ["national", "provincial", "municipal", "county", "township"])]
        level: String,
        /// 行政区划代码（6位）/ region code (6 digits).
        #[arg(long)]
        region: String,
        /// 上级政务公开办的编号 / the supervising office's id.
        #[arg(long, value_name = "ID")]
        parent: Option<i64>,
    },
    /// 列出单位 / list organisations.
    List,
}

#[derive(clap::Subcommand, Debug)]
enum UserCmd {
    /// 新建用户（密码从 --password 或标准输入读取）/ add a user (password from --password or stdin).
    Add {
        /// 用户名 / username.
        #[arg(long)]
        username: String,
        /// 显示名 / display name.
        #[arg(long)]
        display_name: Option<String>,
        /// 密码（省略则从标准输入读一行）/ password (one line of stdin when omitted).
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(clap::Subcommand, Debug)]
enum RoleCmd {
    /// 授予角色 / grant a role.
    Grant(RoleArgs),
    /// 撤销角色 / revoke a role.
    Revoke(RoleArgs),
}

#[derive(clap::Args, Debug)]
struct RoleArgs {
    /// 用户编号 / user id.
    #[arg(long, value_name = "ID")]
    user: i64,
    /// 单位编号 / organisation id.
    #[arg(long, value_name = "ID")]
    org: i64,
    /// 角色 / role.
    #[arg(long, value_parser = ["clerk", "approver", "office_reviewer", "admin"])]
    role: String,
}

#[derive(clap::Subcommand, Debug)]
enum TokenCmd {
    /// 新建 API 令牌（只显示一次）/ create an API token (shown once).
    Create {
        /// 用户编号 / user id.
        #[arg(long, value_name = "ID")]
        user: i64,
        /// 令牌名称 / token name.
        #[arg(long)]
        name: String,
        /// 有效天数（省略则长期有效，直至撤销）/ days valid (until revoked when omitted).
        #[arg(long)]
        days: Option<u32>,
    },
    /// 撤销 API 令牌 / revoke an API token.
    Revoke {
        /// 令牌编号 / token id.
        id: i64,
    },
}

pub(crate) fn run(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(admin(args, ctx))
}

fn store_ctx() -> StoreCtx {
    StoreCtx { user: None, at: Timestamp::now(), origin: "cli".into() }
}

async fn admin(args: Args, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let url = gongkai_server::database_url(&args.data, args.db.as_deref())?;
    if let Sub::Migrate = args.command {
        let applied = gongkai_store::migrate(&url).await?;
        if applied.is_empty() {
            outln!("{}", ctx.t("数据库已是最新版本", "the database is up to date"));
        }
        for a in applied {
            outln!("{} {} {}", ctx.t("已应用迁移", "applied migration"), a.version, a.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Sub::Restore { backup, dir } = &args.command {
        return restore(backup, dir, ctx).await;
    }
    let store = Store::open(&url).await?;
    let result = command(&store, args.command, ctx).await;
    store.close().await;
    result
}

async fn command(store: &Store, command: Sub, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match command {
        Sub::Org(OrgCmd::Add { name, kind, level, region, parent }) => {
            let new = NewOrg {
                parent: parent.map(OrgId),
                kind: OrgKind::from_key(&kind).unwrap_or(OrgKind::Agency),
                name,
                level: Level::from_key(&level).unwrap_or(Level::County),
                region: RegionCode::parse(&region)?,
            };
            let org = store.create_org(&store_ctx(), &new).await?;
            outln!("{} {}\t{}", ctx.t("已新建单位", "added organisation"), org.id, org.name);
        }
        Sub::Org(OrgCmd::List) => list_orgs(store, ctx).await?,
        Sub::User(UserCmd::Add { username, display_name, password }) => {
            let password = match password {
                Some(p) => p,
                None => read_password()?,
            };
            let display_name = display_name.unwrap_or_else(|| username.clone());
            let user = store
                .create_user(&store_ctx(), &NewUser { username, display_name, password })
                .await?;
            outln!("{} {}\t{}", ctx.t("已新建用户", "added user"), user.id, user.username);
        }
        Sub::Role(RoleCmd::Grant(a)) => {
            let role = role(&a.role);
            store.grant(&store_ctx(), UserId(a.user), OrgId(a.org), role).await?;
            outln!("{} {}", ctx.t("已授予", "granted"), role_name(role, ctx.lang));
        }
        Sub::Role(RoleCmd::Revoke(a)) => {
            let role = role(&a.role);
            store.revoke(&store_ctx(), UserId(a.user), OrgId(a.org), role).await?;
            outln!("{} {}", ctx.t("已撤销", "revoked"), role_name(role, ctx.lang));
        }
        Sub::Token(TokenCmd::Create { user, name, days }) => {
            let now = Timestamp::now();
            let expires = days
                .map(|d| now.checked_add(SignedDuration::from_hours(i64::from(d) * 24)))
                .transpose()?;
            let (id, secret) =
                store.create_token(&store_ctx(), UserId(user), &name, expires).await?;
            outln!("{} {}", ctx.t("令牌编号", "token id"), id.0);
            outln!("{}", secret.expose());
            eprintln!(
                "{}",
                ctx.t(
                    "令牌只显示这一次，请妥善保存；以 Authorization: Bearer 令牌 使用。",
                    "the token is shown this once: keep it; send it as Authorization: Bearer TOKEN."
                )
            );
        }
        Sub::Token(TokenCmd::Revoke { id }) => {
            store.revoke_token(&store_ctx(), TokenId(id)).await?;
            outln!("{} {id}", ctx.t("已撤销令牌", "revoked token"));
        }
        Sub::Backup { target } => {
            store.backup_to(&target).await?;
            outln!("{} {}", ctx.t("已备份到", "backed up to"), target.display());
        }
        Sub::Migrate | Sub::Restore { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// `admin restore`: checks the backup, installs it, and opens it once (applying the migrations
/// it lacks).
async fn restore(
    backup: &std::path::Path,
    dir: &std::path::Path,
    ctx: &Ctx,
) -> anyhow::Result<ExitCode> {
    let restored = gongkai_store::restore(backup, dir).await?;
    if !restored.digest_checked {
        eprintln!(
            "{}",
            ctx.t(
                "注意：备份旁没有摘要文件（.sha256），只做了结构检查。",
                "note: the backup has no digest file (.sha256) beside it: only its structure was checked."
            )
        );
    }
    let store = Store::open_data_dir(dir).await?;
    store.close().await;
    let (dir, version, bytes) = (dir.display(), restored.schema_version, restored.bytes);
    match ctx.lang {
        Lang::Zh => outln!("已恢复到 {dir}（数据库版本 {version}，{bytes} 字节）"),
        Lang::En => outln!("restored into {dir} (schema version {version}, {bytes} bytes)"),
    }
    Ok(ExitCode::SUCCESS)
}

async fn list_orgs(store: &Store, ctx: &Ctx) -> anyhow::Result<()> {
    for office in store.children(None).await? {
        outln!(
            "{}\t{}\t{}\t{}",
            office.id,
            ctx.t("政务公开办", "office"),
            office.region.as_str(),
            office.name
        );
        for org in store.children(Some(office.id)).await? {
            outln!(
                "{}\t{}\t{}\t  {}",
                org.id,
                ctx.t("行政机关", "agency"),
                org.region.as_str(),
                org.name
            );
        }
    }
    Ok(())
}

fn role(key: &str) -> Role {
    Role::from_key(key).unwrap_or(Role::Clerk)
}

fn role_name(role: Role, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => role.zh(),
        Lang::En => role.en(),
    }
}

/// One line of standard input, without its line break.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
