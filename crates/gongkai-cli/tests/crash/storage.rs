//! A full and a read-only data directory (a small tmpfs mounted for the test; needs root): writes
//! are refused with 503 and a Chinese message, reads go on, nothing is damaged, and writes work
//! again once space (or write access) returns.

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use crate::http::{self, Request};
use crate::server::{Db, Server};
use crate::workload::{Ledger, Session, YEAR};

/// A tmpfs of `mib` MiB mounted on `dir` for the life of the value.
struct Tmpfs<'a>(&'a Path);

impl<'a> Tmpfs<'a> {
    fn mount(dir: &'a Path, mib: u32) -> Tmpfs<'a> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "this test mounts a small tmpfs (mount -t tmpfs), which needs root: run it as root"
        );
        Tmpfs(dir)
    }

    fn remount(&self, mode: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount {mode}");
    }
}

impl Drop for Tmpfs<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0).status();
    }
}

/// Fills the file system of `dir` with `dir/filler` until a write fails.
fn fill(dir: &Path) {
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    for size in [1 << 20, 1 << 12, 1] {
        let chunk = vec![0u8; size];
        while f.write_all(&chunk).is_ok() {}
    }
    let _ = f.sync_all();
}

/// Moves the write-ahead log into the database and truncates it.
fn checkpoint(db: &Db) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url()).await.expect("open");
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await.expect("checkpoint");
        pool.close().await;
    });
}

// A COMMIT that failed on the full disk once left its pooled SQLite connection counted as inside
// a transaction, and the first publication after the space returned answered 500 (fixed by
// `outside_transaction` in gongkai-store): every refused write above used a connection of the
// pool, and the writes below must all succeed.
#[test]
fn a_full_or_read_only_data_directory_refuses_writes_clearly_and_recovers() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mnt = dir.path().join("mnt");
    let fs = Tmpfs::mount(&mnt, 32);
    let data = mnt.join("data");
    let log = dir.path().join("server.log");
    let db = Db::Data(data.clone());
    let server = Server::start(&db, Some(crate::PASSWORD), &log);
    let mut session = Session::open(server.addr, crate::PASSWORD);
    session.prepare(server.addr, &mut Ledger::default());
    // Restarted with its write-ahead log checkpointed and emptied: every write needs new space.
    server.kill();
    checkpoint(&db);
    let server = Server::start(&db, None, &log);
    let report = format!("/api/v1/agencies/{}/reports/{}", session.agency, YEAR - 1);
    let page = format!("/agencies/{}/reports/{}", session.agency, YEAR - 1);
    let mut seq = 0;
    let mut refused = |addr, what: &str| {
        seq += 1;
        let a = session.review_answer(addr, &format!("storage-{seq}")).expect("an answer");
        assert_eq!(a.status, 503, "a review with the {what}: {}", a.text());
        let v: serde_json::Value = serde_json::from_slice(&a.body).expect("JSON");
        assert_eq!(v["error"]["code"], "storage_unavailable", "{v}");
        let msg = v["error"]["message"].as_str().unwrap_or_default();
        assert!(msg.contains("数据存储空间已满或只读"), "{msg}");
        let a = session.publish_answer(addr, seq).expect("an answer");
        assert_eq!(a.status, 503, "a publication with the {what}");
        assert!(a.text().contains("数据存储空间已满或只读"), "{}", a.text());
        for path in [&report, &page] {
            let a = http::send(addr, &Request::get(path)).expect("the server answers");
            assert_eq!(a.status, 200, "{path} with the {what}: {}", a.text());
        }
    };

    fill(&mnt);
    refused(server.addr, "disk full");
    std::fs::remove_file(mnt.join("filler")).unwrap();
    let a = session.publish_answer(server.addr, 100).expect("an answer");
    assert_eq!(a.status, 303, "publishing works again: {}", a.text());
    for n in 0..4 {
        let a = session
            .review_answer(server.addr, &format!("storage-recovered-{n}"))
            .expect("an answer");
        assert_eq!(a.status, 200, "reviewing works again: {}", a.text());
    }
    server.kill();

    // A read-only data directory (a mounted file system cannot turn read-only under open
    // files, so the server starts on it): it serves reads and refuses writes alike.
    fs.remount("ro");
    let server = Server::start(&db, None, &log);
    refused(server.addr, "data directory read-only");
    server.kill();
    fs.remount("rw");
    let server = Server::start(&db, None, &log);
    let a = session.publish_answer(server.addr, 101).expect("an answer");
    assert_eq!(a.status, 303, "publishing works again: {}", a.text());
    let a = session.review_answer(server.addr, "storage-after").expect("an answer");
    assert_eq!(a.status, 200, "{}", a.text());
    server.kill();

    // Nothing refused was stored, nothing stored was damaged.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url()).await.expect("open");
        let ok: String =
            sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
        assert_eq!(ok, "ok");
        let refused: i64 =
            sqlx::query_scalar("SELECT count(*) FROM reviews WHERE note LIKE 'storage-_'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(refused, 0, "a refused review was stored");
        let reasons: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM report_versions WHERE reason IN \
             ('crash harness correction 1', 'crash harness correction 2')",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(reasons, 0, "a refused publication was stored");
        pool.close().await;
    });
}
