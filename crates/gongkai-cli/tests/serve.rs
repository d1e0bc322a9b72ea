//! `gongkai serve` and `gongkai admin` on a temporary data directory.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::gongkai;

#[test]
fn admin_manages_organisations_users_roles_tokens_and_backups() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["admin", "--data", data];
        all.extend_from_slice(args);
        gongkai(&all)
    };
    let (code, out, err) =
        run(&["org", "add", "--kind", "office", "--name", "县政务公开办", "--region", "110101"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "已新建单位 1\t县政务公开办\n");
    let (code, _, err) = run(&[
        "org",
        "add",
        "--kind",
        "agency",
        "--name",
        "县教育局",
        "--region",
        "110101",
        "--parent",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run(&["org", "list"]);
    assert_eq!(out, "1\t政务公开办\t110101\t县政务公开办\n2\t行政机关\t110101\t  县教育局\n");
    let (code, out, err) =
        run(&["user", "add", "--username", "alice", "--password", "long enough"]);
    assert_eq!((code, out.as_str()), (0, "已新建用户 1\talice\n"), "{err}");
    let (code, out, _) = run(&["role", "grant", "--user", "1", "--org", "2", "--role", "clerk"]);
    assert_eq!((code, out.as_str()), (0, "已授予 经办人\n"));
    let (code, out, _) =
        run(&["--lang", "en", "role", "grant", "--user", "1", "--org", "1", "--role", "clerk"]);
    assert_eq!(code, 2, "a clerk belongs to an agency: {out}");
    let (code, out, _) = run(&["token", "create", "--user", "1", "--name", "script"]);
    assert_eq!(code, 0);
    assert!(out.lines().nth(1).is_some_and(|l| l.starts_with("gkt_")), "{out}");
    let (code, out, _) = run(&["token", "revoke", "1"]);
    assert_eq!((code, out.as_str()), (0, "已撤销令牌 1\n"));
    let (code, out, _) = run(&["migrate"]);
    assert_eq!((code, out.as_str()), (0, "数据库已是最新版本\n"));
    let backup = dir.path().join("backup.sqlite3");
    let (code, _, err) = run(&["backup", backup.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(backup.metadata().unwrap().len() > 0);
    let (code, _, err) = run(&["--lang", "en", "backup", backup.to_str().unwrap()]);
    assert_eq!(code, 2, "an existing backup is not overwritten");
    assert!(err.starts_with("gongkai: the database operation failed"), "{err}");
}

#[test]
fn serve_answers_then_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gongkai"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--demo-password",
            "demo password",
            "--data",
        ])
        .arg(dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let addr = loop {
        let line = lines.next().expect("the server prints its URL").unwrap();
        printed.push(line.clone());
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break url.trim_start_matches("http://").trim_end_matches('/').to_owned();
        }
    };
    assert!(
        printed.iter().any(|l| l.contains("demo-agency") && l.contains("demo password")),
        "{printed:?}"
    );
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a graceful shutdown exits 0: {status:?}");
}
