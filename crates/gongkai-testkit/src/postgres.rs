//! The test PostgreSQL cluster (feature `postgres`): one place for every crate whose tests run on
//! PostgreSQL (the store's, the server's, the crash harness).
//!
//! The cluster is [`URL_VAR`] when set (`scripts/test-all` starts one). Otherwise the first
//! caller starts a throw-away cluster through `scripts/postgres`, stopped when the test process
//! ends; when PostgreSQL is not installed, the test fails with a message saying so — the
//! PostgreSQL half of a suite never passes silently.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection as _, Executor as _};

/// The variable naming the test cluster (a URL of its `postgres` database).
pub const URL_VAR: &str = "GONGKAI_TEST_POSTGRES_URL";

/// The URL of the test cluster's `postgres` database, starting a cluster for this process when
/// [`URL_VAR`] is not set.
///
/// # Panics
/// When no cluster can be had (the message says why and what to install).
pub fn admin_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => start_cluster(),
    })
}

/// Creates a new, empty database on the test cluster, named `{prefix}_{pid}_{n}`; returns its URL.
///
/// # Panics
/// When the cluster cannot be reached or refuses the database.
pub async fn new_database(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin = admin_url();
    let name = format!("{prefix}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut conn = sqlx::PgConnection::connect(admin).await.expect("connect to the test cluster");
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
    conn.close().await.expect("close");
    with_database(admin, &name)
}

/// `url` with its database (the last path segment) replaced by `name`; the query is kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let host = rest.split_once('/').map_or(rest, |(h, _)| h);
    match query {
        Some(q) => format!("{scheme}://{host}/{name}?{q}"),
        None => format!("{scheme}://{host}/{name}"),
    }
}

/// Starts a throw-away cluster for this process through `scripts/postgres`.
fn start_cluster() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres");
    let pid = std::process::id();
    let dir = std::env::temp_dir().join(format!("gongkai-test-pg-{pid}"));
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
            "{URL_VAR} is not set and PostgreSQL is not installed, so the PostgreSQL half of these \
             tests cannot run. Install Debian's postgresql package (scripts/install-deps does), \
             or set {URL_VAR}=postgres://… (scripts/test-all starts a cluster and sets it)"
        ),
        _ => panic!("{} could not start a PostgreSQL cluster (see above)", script.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@localhost/postgres?host=/tmp/x/socket", "t1"),
            "postgres://postgres@localhost/t1?host=/tmp/x/socket"
        );
        assert_eq!(with_database("postgres://u:p@db:5432/prod", "t2"), "postgres://u:p@db:5432/t2");
        assert_eq!(with_database("postgres://db", "t3"), "postgres://db/t3");
        assert_eq!(with_database("db/x", "t4"), "postgres://db/t4");
    }
}
