//! Backup while serving, restore into a new data directory, and refusal of damaged backups.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::http::{self, Request};
use crate::server::{Db, Server};
use crate::workload::{Ledger, Session, YEAR};

/// `gongkai args…`: exit code, stdout, stderr.
pub fn gongkai(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai")).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The public pages, report JSON, downloads and open-data exports compared after a restore:
/// status and body of each, by path.
fn public_answers(addr: SocketAddr, agencies: &[i64]) -> BTreeMap<String, (u16, Vec<u8>)> {
    let mut paths = vec![
        "/api/v1/agencies".to_owned(),
        "/api/v1/data/cells.csv".to_owned(),
        "/api/v1/data/cells.json".to_owned(),
        "/api/v1/data/findings.csv".to_owned(),
    ];
    for id in agencies {
        paths.push(format!("/api/v1/agencies/{id}/reports"));
        for year in 2023..=YEAR {
            paths.push(format!("/agencies/{id}/reports/{year}"));
            paths.push(format!("/api/v1/agencies/{id}/reports/{year}"));
            paths.push(format!("/api/v1/agencies/{id}/reports/{year}/download?format=md"));
        }
    }
    paths
        .into_iter()
        .map(|p| {
            let a = http::send(addr, &Request::get(&p)).expect("an answer");
            (p, (a.status, a.body))
        })
        .collect()
}

fn agencies(addr: SocketAddr) -> Vec<i64> {
    let a = http::send(addr, &Request::get("/api/v1/agencies")).expect("agencies");
    let list: serde_json::Value = serde_json::from_slice(&a.body).expect("JSON");
    list.as_array().expect("a list").iter().filter_map(|o| o["id"].as_i64()).collect()
}

fn latest_version(addr: SocketAddr, agency: i64) -> i64 {
    let a = http::send(addr, &Request::get(&format!("/api/v1/agencies/{agency}/reports")))
        .expect("versions");
    let list: serde_json::Value = serde_json::from_slice(&a.body).expect("JSON");
    list.as_array()
        .expect("a list")
        .iter()
        .filter(|v| v["year"] == YEAR)
        .filter_map(|v| v["version"].as_i64())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_backup_taken_while_serving_restores_the_same_public_answers() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data = dir.path().join("data");
    let log = dir.path().join("server.log");
    let data_arg = data.to_str().unwrap();
    let server = Server::start(&Db::Data(data.clone()), Some(crate::PASSWORD), &log);
    let addr = server.addr;
    let mut session = Session::open(addr, crate::PASSWORD);
    session.prepare(addr, &mut Ledger::default());
    let ids = agencies(addr);

    // A publisher sends corrections all along; `quiet` held means no request is in flight.
    let quiet = Mutex::new(());
    let stop = AtomicBool::new(false);
    let live = dir.path().join("live.sqlite3");
    let still = dir.path().join("still.sqlite3");
    let (acked_before, reference) = std::thread::scope(|s| {
        let publisher = s.spawn(|| {
            let mut acked = Vec::new();
            let mut seq = 1_000_000;
            while !stop.load(Ordering::SeqCst) {
                let _held = quiet.lock().unwrap();
                seq += 1;
                if let Some(v) = session.publish_correction(addr, seq) {
                    acked.push(v);
                }
            }
            acked
        });
        while latest_version(addr, session.agency) < 3 {
            std::thread::yield_now();
        }
        // 1. While corrections are being published.
        let before = latest_version(addr, session.agency);
        let (code, _, err) =
            gongkai(&["admin", "--data", data_arg, "backup", live.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        // 2. Between two requests: the reference answers at the backup point.
        let reference = {
            let _held = quiet.lock().unwrap();
            let reference = public_answers(addr, &ids);
            let (code, _, err) =
                gongkai(&["admin", "--data", data_arg, "backup", still.to_str().unwrap()]);
            assert_eq!(code, 0, "{err}");
            reference
        };
        while latest_version(addr, session.agency) < before + 2 {
            std::thread::yield_now();
        }
        stop.store(true, Ordering::SeqCst);
        let acked = publisher.join().expect("publisher");
        assert!(acked.len() >= 3, "the publisher kept publishing: {acked:?}");
        (before, reference)
    });
    let original = server.addr;

    // The backup taken between two requests answers exactly as the original did then.
    let restored = dir.path().join("restored");
    let (code, out, err) =
        gongkai(&["admin", "restore", still.to_str().unwrap(), restored.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("已恢复到"), "{out}");
    let copy = Server::start(&Db::Data(restored.clone()), None, &log);
    let answers = public_answers(copy.addr, &ids);
    assert_eq!(answers.len(), reference.len());
    for (path, (status, body)) in &reference {
        let (s, b) = &answers[path];
        assert_eq!((s, b == body), (status, true), "{path} differs after the restore");
    }
    assert!(reference.values().filter(|(s, _)| *s == 200).count() > 50, "pages were compared");
    copy.kill();

    // The backup taken while publishing holds whole versions: the latest one as the original
    // shows it, byte for byte (its document; the page also lists the versions published since).
    let restored_live = dir.path().join("restored-live");
    let (code, _, err) =
        gongkai(&["admin", "restore", live.to_str().unwrap(), restored_live.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let copy = Server::start(&Db::Data(restored_live), None, &log);
    let v = latest_version(copy.addr, session.agency);
    assert!(v >= acked_before, "version {v} restored, {acked_before} published before the backup");
    for path in [
        format!(
            "/api/v1/agencies/{}/reports/{YEAR}/download?format=md&version={v}",
            session.agency
        ),
        format!(
            "/api/v1/agencies/{}/reports/{YEAR}/download?format=html&version={v}",
            session.agency
        ),
    ] {
        let a = http::send(copy.addr, &Request::get(&path)).expect("restored");
        let b = http::send(original, &Request::get(&path)).expect("original");
        assert!(a.status == 200 && (a.status, &a.body) == (b.status, &b.body), "{path} differs");
    }
    copy.kill();

    // Never over an existing store.
    let (code, _, err) =
        gongkai(&["--lang", "en", "admin", "restore", still.to_str().unwrap(), data_arg]);
    assert_ne!(code, 0);
    assert!(err.contains("already holds a database"), "{err}");
    server.kill();
    refuses_damaged_copies(&still, dir.path());
}

/// Truncated, flipped and foreign files are refused, in both languages, and leave nothing.
fn refuses_damaged_copies(good: &Path, dir: &Path) {
    let bytes = std::fs::read(good).expect("backup");
    let digest = std::fs::read(format!("{}.sha256", good.display())).expect("digest file");
    let refuse = |name: &str, content: &[u8], with_digest: bool, zh: &str, en: &str| {
        let file = dir.join(name);
        std::fs::write(&file, content).unwrap();
        if with_digest {
            std::fs::write(format!("{}.sha256", file.display()), &digest).unwrap();
        }
        let target = dir.join(format!("{name}-restored"));
        let (code, _, err) =
            gongkai(&["admin", "restore", file.to_str().unwrap(), target.to_str().unwrap()]);
        assert_ne!(code, 0, "{name} was restored");
        assert!(err.contains("备份无法恢复") && err.contains(zh), "{name}: {err}");
        let (code, _, err) = gongkai(&[
            "--lang",
            "en",
            "admin",
            "restore",
            file.to_str().unwrap(),
            target.to_str().unwrap(),
        ]);
        assert_ne!(code, 0);
        assert!(err.contains("the backup cannot be restored") && err.contains(en), "{name}: {err}");
        let left: Vec<_> =
            std::fs::read_dir(&target).map(|d| d.flatten().collect()).unwrap_or_default();
        assert!(left.is_empty(), "{name} left {left:?}");
    };
    let half = bytes.len() / 2;
    refuse("truncated.sqlite3", &bytes[..half], false, "截断", "truncated");
    let mut flipped = bytes.clone();
    for b in &mut flipped[half..half + 16] {
        *b ^= 0x5a;
    }
    refuse("flipped.sqlite3", &flipped, true, "摘要", "digest");
    // Without its digest file, a damaged page is found by the integrity check.
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let mut damaged = bytes.clone();
    for b in &mut damaged[page * 3..page * 5] {
        *b = 0xff;
    }
    refuse("damaged.sqlite3", &damaged, false, "完整性", "integrity");
    refuse(
        "notes.txt",
        "这不是数据库".repeat(200).as_bytes(),
        false,
        "不是 SQLite",
        "not a SQLite",
    );
}
