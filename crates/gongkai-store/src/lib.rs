//! The store behind the web application: one async API over two backends.
//!
//! - **SQLite**, the embedded default: one file under a data directory ([`Store::open_data_dir`]),
//!   write-ahead logging, foreign keys enforced;
//! - **PostgreSQL** (`postgres://…`), for one server shared by many agencies.
//!
//! The backend is chosen from the URL at run time ([`Store::open`]); callers never see a dialect.
//! Both backends run the same SQL text through sqlx's `Any` driver (placeholders `$1`, `$2`, …,
//! `RETURNING`, portable types: `BIGINT`, `TEXT`); only the schema files differ, one directory per
//! backend under `migrations/`, applied in order at open ([`migrate()`]).
//!
//! What is stored, one module per aggregate:
//! - [`orgs`]: organisations as a tree (supervising office → agencies);
//! - [`accounts`]: users (argon2id password hashes) and their [`Role`]s in organisations;
//! - [`secrets`]: sessions and API tokens, stored as SHA-256 digests only;
//! - [`cases`]: case records exactly as [`gongkai_cases::CaseRecord`] — the intake and its
//!   events, appended under a version number so that a stale append is a [`Conflict`], never a
//!   lost update;
//! - [`case_state`]: the case-state cache behind the listing of applications — what the caller
//!   derived from each record (phase, next deadline, outcome), written with each change and
//!   rebuildable from the records; [`Store::list_cases`] pages through it by due date;
//! - [`personal`]: applicants' personal data, apart, reachable only with the owning agency;
//! - [`registers`]: the other registers (proactive items, normative documents, decisions, fees
//!   collected, disputes) as entries in the register file's shape; an all-or-nothing import that
//!   replaces or appends sheets and adds applications; [`Store::load_register`] assembles the
//!   agency's [`gongkai_cases::Register`] for the annual tables;
//! - [`drafts`]: report drafts (the prose of the editable sections and the computed tables),
//!   saved as versions — a stale save is a conflict —, and year locks: publishing a year locks
//!   it, and a later change of that year's records needs a correction reason, recorded with it;
//! - [`documents`]: uploaded source documents, the bytes stored once per content (SHA-256) in
//!   the database, per organisation a document with its format, size, sanitised file name and
//!   uploader; the same bytes uploaded again are the same document;
//! - [`findings`]: findings attached to a document or a published report version, with a stable
//!   fingerprint (rule, cell keys, printed values), and review decisions (confirm / dismiss with a
//!   note) appended per fingerprint, so they survive re-reading and re-upload;
//! - [`reports`]: published annual reports, immutable versions (a correction is a new version
//!   with a reason and its publisher);
//! - [`audit`]: the append-only audit log — who, when, what, from where;
//! - [`jobs`]: the queue of read jobs (one per collected file, grouped per upload): claimed
//!   atomically by one worker, done or failed with a reason, put back after a restart;
//! - [`public`]: the read-only queries of the public portal (every organisation, the years
//!   published, the latest publications, every agency's latest version of a year);
//! - [`collected`]: reports an office collected (published elsewhere): per document the year and
//!   agency name read, the agency matched in the office's subtree and how, the gongkai-report
//!   JSON with the cells' origins, error and warning counts; the latest matched report per agency;
//! - [`column`]: the agency's disclosure column — the public catalogue of its reviewed and
//!   published proactive items with their 索引号, attachments and a full-text index over
//!   [`search`]'s tokens (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL) — and its
//!   disclosure guide's contact details.
//!
//! Every change is one transaction, and every change writes its audit entry in that same
//! transaction. The store does not decide what may happen to a case: the caller replays the
//! record and asks [`gongkai_cases::Case::apply`] first; the store keeps what was accepted.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod case_state;
pub mod cases;
pub mod collected;
pub mod column;
pub mod documents;
pub mod drafts;
mod error;
pub mod findings;
pub mod jobs;
pub mod migrate;
pub mod orgs;
pub mod personal;
pub mod public;
pub mod registers;
pub mod reports;
pub mod search;
pub mod secrets;

use std::path::Path;
use std::str::FromStr;

use jiff::Timestamp;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyPool, ConnectOptions, Executor, Transaction};

pub use accounts::{Membership, NewUser, Role, User, UserId};
pub use audit::{Action, AuditEntry};
pub use backup::{Restored, restore};
pub use case_state::{CaseFilter, CaseListItem, CasePage, CaseState, PageRequest, Rebuilt};
pub use cases::{Append, Conflict, Import, NewCase, StoredCase};
pub use collected::{
    AgencyMatch, CollectedRead, CollectedReport, CollectedSummary, ConfirmedFinding, MatchedBy,
};
pub use column::{Attachment, ColumnItem, ColumnPage, ColumnQuery, Guide};
pub use documents::{DocumentId, StoredDocument, Upload, Uploaded};
pub use drafts::{Correction, Draft, DraftConflict, DraftSave, YearLock};
pub use error::{Entity, StoreError};
pub use findings::{Decision, FindingTarget, NewFinding, Review, StoredFinding, fingerprint};
pub use jobs::{BatchId, JobStatus, NewCollected, NewRead, ReadJob, ReadJobId, Requeued};
pub use migrate::{Applied, migrate};
pub use orgs::{Level, NewOrg, Org, OrgId, OrgKind, RegionCode};
pub use registers::{
    ImportMode, RegisterEntry, RegisterImport, RegisterImported, RegisterSheet, SheetCount,
};
pub use reports::{Publication, PublishedReport, ReportVersion, Selection};
pub use secrets::{Secret, TokenId};

/// The file name of the SQLite database inside a data directory.
pub const SQLITE_FILE: &str = "gongkai.sqlite3";

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL names: `sqlite:` or `postgres:`/`postgresql:`.
    ///
    /// # Errors
    /// [`StoreError::UnsupportedUrl`] for any other scheme (the URL itself is not repeated: it
    /// may hold a password).
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        let scheme = url.split_once(':').map_or("", |(s, _)| s);
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::UnsupportedUrl { scheme: scheme.to_owned() }),
        }
    }

    /// The directory name of this backend's migrations.
    pub const fn key(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Who is acting, when and from where: every change records it in the audit log, in the same
/// transaction as the change. The store never reads the clock; the caller says when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ctx {
    /// The signed-in user; `None` for the system itself (migrations, seeding, the command line).
    pub user: Option<UserId>,
    /// When the change happens.
    pub at: Timestamp,
    /// Where the request came from (an IP address, `cli`, …). Never personal data.
    pub origin: String,
}

/// The store: a connection pool and the backend it talks to. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens the database a URL names and applies the migrations it lacks.
    ///
    /// `sqlite:///path/to/file.sqlite3?mode=rwc` or `postgres://user@host/db` (for a unix socket:
    /// `postgres://user@localhost/db?host=/run/postgresql`).
    ///
    /// # Errors
    /// An unsupported URL, a database that cannot be reached, or a migration that fails
    /// ([`StoreError::Migration`]).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        migrate::run(&store).await?;
        Ok(store)
    }

    /// Opens (creating when needed) the SQLite database of a data directory:
    /// `DIR/gongkai.sqlite3`. The directory must exist.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub async fn open_data_dir(dir: &Path) -> Result<Store, StoreError> {
        Store::open(&sqlite_url(&dir.join(SQLITE_FILE), true)?).await
    }

    /// Writes a consistent copy of the SQLite database to the new file `target` while the store
    /// keeps serving (`VACUUM INTO`), and its digest beside it (`FILE.sha256`, see
    /// [`backup`]): what `gongkai admin backup` runs. [`restore`] checks and installs it. Open the copy with
    /// [`Store::open_data_dir`] (after moving it to `DIR/gongkai.sqlite3`) or [`Store::open`].
    ///
    /// # Errors
    /// [`StoreError::Invalid`] on PostgreSQL, whose tool is `pg_dump`; the database error when
    /// `target` exists or cannot be written.
    pub async fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            return Err(StoreError::Invalid(gongkai_model::Msg::new(
                "PostgreSQL 数据库请用 pg_dump 备份（例如 pg_dump --format=custom 数据库地址）",
                "back up a PostgreSQL database with pg_dump (e.g. pg_dump --format=custom URL)",
            )));
        }
        let path = target;
        let target = utf8(target)?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
        backup::write_digest(path)
    }

    /// Connects without migrating (for [`migrate()`] and for tests of the migrations).
    pub(crate) async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = Backend::of_url(url)?;
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Foreign keys are on by sqlx's default for SQLite; say so anyway, with
                        // write-ahead logging (readers do not block the writer) and a busy wait.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .after_release(|conn, _meta| {
                Box::pin(async move { Ok(outside_transaction(conn).await) })
            })
            .connect_with(options)
            .await?;
        Ok(Store { pool, backend })
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers (for `/healthz`).
    ///
    /// # Errors
    /// The database error when it does not.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), waiting for it up to the busy timeout: a deferred transaction that
    /// reads first and writes later would fail with "database is locked" when another writer
    /// committed in between, since SQLite cannot wait on a stale snapshot.
    pub(crate) async fn write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// Whether a connection given back to the pool is outside any transaction, and so may be reused.
///
/// A transaction dropped without commit queues its ROLLBACK: the ping lets it run before the
/// second look. A connection still inside a transaction is closed, never reused: on SQLite a
/// COMMIT that fails on a full disk ends the transaction inside SQLite but not in sqlx's count,
/// so that every later `BEGIN` on that connection would fail (the first write after the space
/// came back answered 500).
async fn outside_transaction(conn: &mut sqlx::AnyConnection) -> bool {
    use sqlx::Connection as _;
    if !conn.is_in_transaction() {
        return true;
    }
    conn.ping().await.is_ok() && !conn.is_in_transaction()
}

/// The URL of a SQLite file, created on opening when `create`.
///
/// # Errors
/// [`StoreError::Invalid`] for a path that is not UTF-8.
pub fn sqlite_url(file: &Path, create: bool) -> Result<String, StoreError> {
    utf8(file)?;
    let options = SqliteConnectOptions::new().filename(file).create_if_missing(create);
    Ok(options.to_url_lossy().to_string())
}

/// A path as UTF-8 (database URLs and SQL take text).
fn utf8(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| {
        StoreError::Invalid(gongkai_model::Msg::new(
            format!("数据文件路径应为UTF-8：{}", path.display()),
            format!("the data file path is not UTF-8: {}", path.display()),
        ))
    })
}

/// Unix milliseconds of a timestamp, the stored form of every time.
pub(crate) fn millis(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// The timestamp of stored unix milliseconds.
pub(crate) fn from_millis(ms: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(ms)
        .map_err(|_| StoreError::Corrupt { what: "timestamp", detail: ms.to_string() })
}

#[cfg(test)]
mod tests {
    use gongkai_model::{Lang, Localized};

    use super::*;

    #[test]
    fn the_backend_comes_from_the_url_scheme() {
        assert_eq!(Backend::of_url("sqlite:///tmp/x.sqlite3").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://u@h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://u@h/db").ok(), Some(Backend::Postgres));
        let err = Backend::of_url("mysql://root:hunter2@db/gongkai").unwrap_err();
        assert!(matches!(&err, StoreError::UnsupportedUrl { scheme } if scheme == "mysql"));
        assert!(!err.bilingual().contains("hunter2"), "the URL's password is not repeated");
        assert_eq!(
            err.message(Lang::Zh),
            "不支持的数据库地址（应为 sqlite: 或 postgres:）：`mysql:`"
        );
    }

    #[tokio::test]
    async fn opening_an_unsupported_url_fails_before_connecting() {
        let err = Store::open("mysql://db/gongkai").await.unwrap_err();
        assert!(matches!(err, StoreError::UnsupportedUrl { .. }), "{err:?}");
    }
}
