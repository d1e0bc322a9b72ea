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

/// A new database on the test cluster (`gongkai_testkit::postgres`: `GONGKAI_TEST_POSTGRES_URL`,
/// else a throw-away cluster for this process, so the PostgreSQL half never passes silently).
fn new_database() -> String {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(gongkai_testkit::postgres::new_database("gk_crash"))
}
