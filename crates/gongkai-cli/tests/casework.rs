//! Snapshots of every casework command a user runs: calendar, fee and register.

use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

/// Runs `gongkai` in `dir` and returns its exit code, stdout and stderr as one text.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .env_remove("GONGKAI_CALENDAR")
        .output()
        .expect("gongkai runs");
    // Snapshots must not depend on where the repository is checked out.
    format!(
        "$ gongkai {}\n[exit {}]\n{}{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
    .replace(EXAMPLES, "examples")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongkai-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn calendar_commands() {
    let d = scratch("calendar");
    let local = d.join("local.toml");
    std::fs::write(&local, "[[holiday]]\nname = \"县庆\"\nfrom = \"2024-10-14\"\n").expect("write");
    let out = [
        run(&d, &["calendar", "add", "2024-09-27", "20"]),
        run(&d, &["calendar", "add", "2024-09-27", "20", "--explain"]),
        run(&d, &["calendar", "add", "2024-09-27", "20", "--calendar", "local.toml"]),
        run(&d, &["calendar", "between", "2024-09-27", "2024-10-30"]),
        run(&d, &["calendar", "day", "2024-10-12"]),
        run(&d, &["calendar", "day", "2020-02-01"]),
        run(&d, &["calendar", "add", "2026-12-15", "20"]),
        run(&d, &["calendar", "sources"]),
    ];
    insta::assert_snapshot!(out.join("\n"));
}

/// A date outside the loaded calendar, in English only.
#[test]
fn calendar_out_of_range_in_english() {
    let d = scratch("calendar-en");
    let out = run(&d, &["--lang", "en", "calendar", "add", "2026-12-15", "20"]);
    let message = out.lines().last().expect("a line");
    gongkai_testkit::lang::assert_english(message);
    insta::assert_snapshot!(out);
}

#[test]
fn fee_commands() {
    let d = scratch("fee");
    let out = [
        run(&d, &["fee", "--applications", "45"]),
        run(&d, &["fee", "--pages", "250"]),
        run(&d, &["fee", "--pages", "12"]),
    ];
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn register_workflow() {
    let d = scratch("register");
    let example = format!("{EXAMPLES}/county-register-2024.xlsx");
    let bad = d.join("bad.csv");
    std::fs::write(&bad, "登记编号,申请人类型,提交方式,到达日期\nA1,自然人,当面,2024-02-30\nA2,公司,飞鸽传书,2024-03-01\n").expect("write");
    let out = [
        run(&d, &["register", "template", "--out", "tpl"]),
        run(&d, &["register", "template", "--out", "tpl", "--csv"]),
        run(&d, &["register", "import", "bad.csv"]),
        run(&d, &["register", "tables", "--year", "2024"]),
        run(
            &d,
            &[
                "register",
                "import",
                &example,
                "--agency",
                "某县自然资源局",
                "--today",
                "2025-01-10",
            ],
        ),
        run(
            &d,
            &[
                "register",
                "tables",
                "--year",
                "2024",
                "--today",
                "2025-01-10",
                "--json",
                "2024.json",
            ],
        ),
        run(&d, &["register", "deadlines", "--today", "2025-01-10"]),
        // Events recorded after the given day are refused, not silently dropped.
        run(&d, &["register", "deadlines", "--today", "2024-12-20"]),
    ];
    assert!(d.join("tpl/登记台账模板.xlsx").exists());
    let json = std::fs::read_to_string(d.join("2024.json")).expect("json written");
    let report = gongkai_model::json::ReportJson::parse(&json)
        .and_then(gongkai_model::json::ReportJson::into_report)
        .expect("valid gongkai JSON");
    assert_eq!(report.meta.year.map(|y| y.value), Some(2024));
    insta::assert_snapshot!(out.join("\n"));
}
