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
        // The position on an earlier day: what had been received and recorded by then.
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

/// Runs `gongkai` in `dir`: exit code, stdout, stderr.
fn exec(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .env_remove("GONGKAI_CALENDAR")
        .output()
        .expect("gongkai runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scratch directory with the example register imported as of 2025-01-10.
fn imported(name: &str) -> PathBuf {
    let d = scratch(name);
    let example = format!("{EXAMPLES}/county-register-2024.xlsx");
    let args =
        ["register", "import", &example, "--agency", "某县自然资源局", "--today", "2025-01-10"];
    let (code, _, err) = exec(&d, &args);
    assert_eq!(code, 0, "{err}");
    d
}

/// English output with the citations of official documents (文号, 《titles》) taken out: those are
/// names, quoted as issued.
fn assert_english_except_citations(text: &str) {
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut kept = String::new();
        let mut in_title = false;
        for word in line.split(['\t', ' ']) {
            let citation = word.contains('〔') || word.contains("号");
            for c in word.chars() {
                match c {
                    '《' => in_title = true,
                    '》' => in_title = false,
                    _ if in_title || citation => {}
                    c => kept.push(c),
                }
            }
            kept.push(' ');
        }
        gongkai_testkit::lang::assert_english(kept.trim());
    }
}

#[test]
fn register_import_replaces_and_says_so_or_appends() {
    let d = imported("reimport");
    let example = format!("{EXAMPLES}/county-register-2024.xlsx");
    let again = ["register", "import", example.as_str(), "--today", "2025-01-10"];
    let (code, out, _) = exec(&d, &again);
    assert_eq!(code, 0);
    assert!(out.contains("依申请公开：读入 380 条，替换了原有的 380 条，现有 380 条"), "{out}");
    assert!(out.contains("--append"), "{out}");
    // Appending the same file again would duplicate every register number: refused, nothing saved.
    let before = std::fs::read(d.join("gongkai-register.json")).expect("store");
    let (code, _, err) = exec(&d, &[&again[..], &["--append"]].concat());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("登记编号") && err.contains("重复"), "{err}");
    assert_eq!(std::fs::read(d.join("gongkai-register.json")).expect("store"), before);
}

#[cfg(unix)]
#[test]
fn the_register_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let d = imported("mode");
    let store = d.join("gongkai-register.json");
    let mode = |p: &Path| std::fs::metadata(p).expect("store").permissions().mode() & 0o777;
    assert_eq!(mode(&store), 0o600);
    // Rewritten over a file someone made world-readable, it is 0600 again.
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let example = format!("{EXAMPLES}/county-register-2024.xlsx");
    let (code, _, err) = exec(&d, &["register", "import", &example, "--today", "2025-01-10"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&store), 0o600);
}

#[test]
fn a_future_arrival_date_is_named_as_such() {
    let d = scratch("future");
    std::fs::write(
        d.join("f.csv"),
        "登记编号,申请人类型,提交方式,到达日期,办结日期,办理结果\nA1,自然人,当面,2025-03-01,,\nA2,自然人,当面,2025-01-06,2025-02-01,予以公开\n",
    )
    .expect("write");
    let (code, _, err) = exec(&d, &["register", "import", "f.csv", "--today", "2025-01-10"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "「依申请公开」第2行「到达日期」：到达日期晚于今天（2025-03-01，今天是 2025-01-10）"
        ),
        "{err}"
    );
    assert!(err.contains("「依申请公开」第3行「办结日期」：办结日期晚于今天（2025-02-01"), "{err}");
    assert!(!err.contains("答复"), "blames the reply: {err}");
}

#[test]
fn deadlines_on_any_day_show_the_position_then_and_the_late_replies() {
    let d = imported("asof");
    for day in ["2024-01-02", "2024-03-15", "2024-10-08", "2024-12-20", "2025-06-30", "2026-12-01"]
    {
        let (code, out, err) = exec(&d, &["register", "deadlines", "--today", day]);
        assert_eq!(code, 0, "{day}: {err}");
        assert!(out.starts_with(&format!("今天 {day}")), "{day}: {out}");
        assert!(out.contains("年逾期答复（答复晚于答复期限）"), "{day}: {out}");
    }
    let (_, out, _) = exec(&d, &["register", "deadlines", "--today", "2019-06-03"]);
    assert!(out.contains("未办结申请 0 件"), "nothing received yet: {out}");
}

#[test]
fn tables_of_a_year_without_records_say_so() {
    let d = imported("noyear");
    let (code, out, err) =
        exec(&d, &["register", "tables", "--year", "2019", "--today", "2025-01-10"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "printed tables: {out}");
    assert!(err.contains("没有 2019 年的记录"), "{err}");
}

#[test]
fn sections_from_files_and_the_agency() {
    let d = imported("sections");
    std::fs::write(d.join("problems.txt"), "\u{feff}一是培训不足。\r\n\r\n二是平台老旧。\r\n")
        .expect("write");
    std::fs::write(d.join("other.txt"), "本年度未收取信息处理费。\n").expect("write");
    let args = [
        "register",
        "tables",
        "--year",
        "2024",
        "--today",
        "2025-01-10",
        "--json",
        "r.json",
        "--section",
        "五=problems.txt",
        "--section",
        "6=other.txt",
    ];
    let (code, _, err) = exec(&d, &args);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "the agency is known: {err}");
    let json = std::fs::read_to_string(d.join("r.json")).expect("json");
    let report = gongkai_model::json::ReportJson::parse(&json)
        .and_then(gongkai_model::json::ReportJson::into_report)
        .expect("valid gongkai JSON");
    let text = |id| report.section(id).map(|s| s.text.clone()).unwrap_or_default();
    assert_eq!(text(gongkai_model::SectionId::Problems), "一是培训不足。\n二是平台老旧。");
    assert_eq!(text(gongkai_model::SectionId::Other), "本年度未收取信息处理费。");
    assert_eq!(report.meta.agency.map(|a| a.value).as_deref(), Some("某县自然资源局"));
    // No agency anywhere: a warning, and --agency gives it.
    let e = scratch("noagency");
    let example = format!("{EXAMPLES}/county-register-2024.xlsx");
    let (_, _, err) = exec(&e, &["register", "import", &example, "--today", "2025-01-10"]);
    assert!(err.contains("--agency"), "{err}");
    let (code, _, err) = exec(
        &e,
        &[
            "register",
            "tables",
            "--year",
            "2024",
            "--today",
            "2025-01-10",
            "--agency",
            "某县某局",
            "--json",
            "r.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let bad = exec(&d, &["register", "tables", "--year", "2024", "--section", "七=x.txt"]);
    assert_eq!(bad.0, 2);
    assert!(bad.2.contains("一 至 六"), "{}", bad.2);
}

#[test]
fn calendar_dates_are_read_like_register_dates() {
    let d = scratch("calendar-dates");
    for spelling in [
        "2024-09-27",
        "2024/9/27",
        "2024.9.27",
        "2024年9月27日",
        "２０２４年９月２７日",
        "20240927",
    ] {
        let (code, out, err) = exec(&d, &["calendar", "add", spelling, "20"]);
        assert_eq!((code, out.as_str()), (0, "2024-10-30（星期三）\n"), "{spelling}: {err}");
    }
    let (code, _, err) = exec(&d, &["calendar", "day", "2024-02-30"]);
    assert_eq!(code, 2);
    assert_eq!(err, "gongkai: 日期「2024-02-30」不存在：2024年2月没有30日\n");
    let (_, _, err) = exec(&d, &["--lang", "en", "calendar", "between", "明天", "2024-10-30"]);
    assert!(err.contains("unrecognised date"), "{err}");
    gongkai_testkit::lang::assert_english(err.replace("明天", "x").trim());
}

#[test]
fn every_casework_command_speaks_english() {
    let d = imported("english");
    let runs = [
        vec!["calendar", "add", "2024-09-27", "20"],
        vec!["calendar", "add", "2024-09-27", "20", "--explain"],
        vec!["calendar", "day", "2024-10-12"],
        vec!["calendar", "day", "2024-10-14"],
        vec!["fee", "--applications", "45"],
        vec!["fee", "--pages", "250"],
        vec!["register", "deadlines", "--today", "2025-01-10"],
        vec!["register", "tables", "--year", "2024", "--today", "2025-01-10"],
        vec!["register", "tables", "--year", "2019", "--today", "2025-01-10"],
    ];
    let mut all = String::new();
    for args in runs {
        let args = [&["--lang", "en"][..], &args].concat();
        let (_, out, err) = exec(&d, &args);
        assert_english_except_citations(&out);
        assert_english_except_citations(&err);
        all.push_str(&format!("$ gongkai {}\n{out}{err}\n", args.join(" ")));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn a_register_report_survives_xlsx_and_back() {
    let d = imported("xlsx-back");
    let (code, _, err) = exec(
        &d,
        &["register", "tables", "--year", "2024", "--today", "2025-01-10", "--json", "r.json"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = exec(&d, &["render", "r.json", "--format", "xlsx", "-o", "r.xlsx"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = exec(&d, &["extract", "r.xlsx", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report = gongkai_model::json::ReportJson::parse(&out)
        .and_then(gongkai_model::json::ReportJson::into_report)
        .expect("valid gongkai JSON");
    assert_eq!(report.meta.agency.map(|a| a.value).as_deref(), Some("某县自然资源局"));
    assert_eq!(report.meta.year.map(|y| y.value), Some(2024));
}

#[test]
fn extract_csv_for_excel() {
    let report =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/corpus/dev/raw/dazhanglou-2022.txt");
    let d = scratch("excel");
    let (code, plain, err) = exec(&d, &["extract", report, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let (code, excel, err) = exec(&d, &["extract", report, "--format", "csv", "--excel"]);
    assert_eq!(code, 0, "{err}");
    let excel = excel.strip_prefix('\u{feff}').expect("a UTF-8 BOM");
    assert!(
        excel.starts_with("单元格键,表,格式,行,列,行标题,列标题,值,状态,批注,行号,页码\n"),
        "{excel}"
    );
    let body = |t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&plain), body(excel));
    let (code, _, err) = exec(&d, &["extract", report, "--format", "json", "--excel"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn deadlines_in_december_list_a_reply_due_after_the_calendar_as_to_be_determined() {
    let d = scratch("december");
    let y = gongkai_calendar::Calendar::official().years().1;
    std::fs::write(
        d.join("dec.csv"),
        format!("登记编号,申请人类型,提交方式,到达日期\nD1,自然人,当面,{y}-12-10\n"),
    )
    .expect("write");
    let today = format!("{y}-12-15");
    let (code, out, err) =
        exec(&d, &["register", "import", "dec.csv", "--agency", "某县", "--today", &today]);
    assert_eq!(code, 0, "registered, not refused: {out}{err}");
    let (code, out, err) = exec(&d, &["register", "deadlines", "--today", &today]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("未办结申请 1 件"), "{out}");
    let line = format!("期限待定\tD1\t答复期限 {y}-12-31 之后（载入{}年节假日安排后确定）", y + 1);
    assert!(out.contains(&line), "{out}");
    let (_, en, _) = exec(&d, &["--lang", "en", "register", "deadlines", "--today", &today]);
    assert!(en.contains(&format!("to be determined\tD1\treply due after {y}-12-31")), "{en}");
}
