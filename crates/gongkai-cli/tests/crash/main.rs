//! Crash safety of `gongkai serve` (issue 11 §3), on SQLite and on PostgreSQL: the real binary
//! is started over a store seeded with the demo county and driven over HTTP by four clients at
//! once — register imports, report publications, uploads of collected reports (read in the
//! background) and review decisions —, killed with SIGKILL after a random delay (seeded) while
//! their requests are in flight, restarted, and checked ([`checks`]): no partial import, no
//! half-published version, every acknowledged write present, the audit log agreeing with the
//! data, every read job resumed or failed with a reason.
//!
//! `cargo test` runs a short loop (`GONGKAI_CRASH_KILLS`, default 12 kills per backend);
//! `scripts/crash-loop N` runs N per backend. `GONGKAI_CRASH_SEED` picks the random delays.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr, missing_docs)]

mod backup;
mod checks;
mod http;
mod server;
mod storage;
mod workload;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use server::{Db, Server};
use workload::{Ledger, Session};

const PASSWORD: &str = "crash harness password";

fn kills() -> usize {
    std::env::var("GONGKAI_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(12)
}

fn seed() -> u64 {
    std::env::var("GONGKAI_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(11)
}

#[test]
fn sqlite_survives_sigkill() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data = dir.path().join("data");
    run(&Db::Data(data), dir.path(), "sqlite");
}

#[test]
fn postgres_survives_sigkill() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = new_database();
    run(&Db::Url(url), dir.path(), "postgres");
}

/// Seeds, then kills and restarts the server `kills()` times, checking after every restart.
fn run(db: &Db, dir: &Path, backend: &str) {
    let log = dir.join("server.log");
    let kills = kills();
    let mut rng = fastrand::Rng::with_seed(seed());
    let server = Server::start(db, Some(PASSWORD), &log);
    let mut session = Session::open(server.addr, PASSWORD);
    let mut ledger = Ledger::default();
    session.prepare(server.addr, &mut ledger);
    server.kill();
    for i in 0..kills {
        let server = Server::start(db, None, &log);
        let checked = checks::after_restart(db, &session, &ledger);
        if let Err(e) = checked {
            panic!("{backend}: after kill {i}: {e}\n(server log: {})", log.display());
        }
        // Kill while the four clients' requests are in flight: after 50 ms to 1.5 s.
        let delay = Duration::from_millis(rng.u64(50..1500));
        workload::run_until_killed(server, &session, &mut ledger, delay);
        eprintln!("{backend}: kill {} of {kills} done", i + 1);
    }
    let server = Server::start(db, None, &log);
    if let Err(e) = checks::after_restart(db, &session, &ledger) {
        panic!("{backend}: after the last kill: {e}\n(server log: {})", log.display());
    }
    server.kill();
    eprintln!("{backend}: {kills} kills survived; {}", ledger.summary());
    assert!(ledger.unexpected.is_empty(), "{backend}: unexpected answers: {:?}", ledger.unexpected);
}

/// A new database on the test cluster: `GONGKAI_TEST_POSTGRES_URL`, else a throw-away cluster
/// started through `scripts/postgres` for this process (so the PostgreSQL half never passes
/// silently).
fn new_database() -> String {
    static ADMIN: OnceLock<String> = OnceLock::new();
    let admin = ADMIN.get_or_init(|| match std::env::var("GONGKAI_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => start_cluster(),
    });
    let name = format!("gk_crash_{}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use sqlx::{Connection as _, Executor as _};
        let mut conn = sqlx::PgConnection::connect(admin).await.expect("the test cluster");
        conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.expect("drop");
        conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create");
        conn.close().await.expect("close");
    });
    with_database(admin, &name)
}

fn start_cluster() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres");
    let pid = std::process::id();
    let dir = std::env::temp_dir().join(format!("gongkai-crash-pg-{pid}"));
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
        _ => panic!(
            "GONGKAI_TEST_POSTGRES_URL is not set and {} could not start a cluster (is Debian's \
             postgresql installed? scripts/install-deps installs it)",
            script.display()
        ),
    }
}

/// `url` with its database (the last path segment) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let host = rest.split_once('/').map_or(rest, |(h, _)| h);
    match query {
        Some(q) => format!("{scheme}://{host}/{name}?{q}"),
        None => format!("{scheme}://{host}/{name}"),
    }
}
