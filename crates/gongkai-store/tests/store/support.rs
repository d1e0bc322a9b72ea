//! The two backends of the store tests, each a fresh, empty database per test: a temporary SQLite
//! file, or a new database on the test PostgreSQL cluster.
//!
//! The cluster is `GONGKAI_TEST_POSTGRES_URL` when set (`scripts/test-all` starts one). Otherwise
//! the harness starts its own through `scripts/postgres`, stopped when this test process ends;
//! when PostgreSQL is not installed, every PostgreSQL test fails with a message saying so —
//! never a silent pass.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use gongkai_store::Store;
use sqlx::{Connection, Executor};
use tempfile::TempDir;

/// The variable naming the test cluster.
pub const POSTGRES_URL_VAR: &str = "GONGKAI_TEST_POSTGRES_URL";

/// A fresh store and what keeps it alive.
pub struct Fresh {
    /// The store.
    pub store: Store,
    /// Its URL (to open it again, or to look underneath the API).
    pub url: String,
    _dir: Option<TempDir>,
}

/// A store on a new SQLite file in a temporary data directory.
pub async fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_data_dir(dir.path()).await.expect("open SQLite store");
    let url = format!("sqlite://{}?mode=rw", dir.path().join(gongkai_store::SQLITE_FILE).display());
    Fresh { store, url, _dir: Some(dir) }
}

/// A store on a new database of the test cluster.
pub async fn postgres() -> Fresh {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin = admin_url();
    let name = format!("gk_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut conn = sqlx::PgConnection::connect(admin).await.expect("connect to the test cluster");
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
    conn.close().await.expect("close");
    let url = with_database(admin, &name);
    let store = Store::open(&url).await.expect("open PostgreSQL store");
    Fresh { store, url, _dir: None }
}

/// `url` with its database (the last path segment) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The URL of the test cluster's `postgres` database.
fn admin_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => start_cluster(),
    })
}

/// Starts a throw-away cluster for this process through `scripts/postgres`.
fn start_cluster() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres");
    let pid = std::process::id();
    let dir = std::env::temp_dir().join(format!("gongkai-store-test-pg-{pid}"));
    let out = Command::new(&script)
        .arg("start")
        .arg(&dir)
        .arg("--stop-with")
        .arg(pid.to_string())
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    match out.status.code() {
        Some(0) => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        Some(3) => panic!(
            "{POSTGRES_URL_VAR} is not set and PostgreSQL is not installed, so the PostgreSQL half \
             of the store tests cannot run. Install Debian's postgresql package \
             (scripts/install-deps does), or set {POSTGRES_URL_VAR}=postgres://… \
             (scripts/test-all starts a cluster and sets it)"
        ),
        _ => panic!("{} could not start a PostgreSQL cluster (see above)", script.display()),
    }
}

#[test]
fn the_database_of_a_url_is_replaced() {
    assert_eq!(
        with_database("postgres://postgres@localhost/postgres?host=/tmp/x/socket", "t1"),
        "postgres://postgres@localhost/t1?host=/tmp/x/socket"
    );
    assert_eq!(with_database("postgres://u:p@db:5432/prod", "t2"), "postgres://u:p@db:5432/t2");
    assert_eq!(with_database("postgres://db", "t3"), "postgres://db/t3");
}
