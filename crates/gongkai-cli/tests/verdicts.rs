//! Verdicts a supervising office can trust: a file that is not an annual report never gets a
//! green tick or exit 0; folders are read in every format gongkai reads, and a folder with
//! nothing to read is an error; `check` runs the cross-year rules as `batch` does.

mod common;

use std::path::{Path, PathBuf};

use common::{gongkai, root};

const NOTICE: &str = "关于召开2024年全区政务公开工作会议的通知\n\n各乡镇人民政府，区直各单位：\n\n经研究，定于2024年3月5日上午9时召开全区政务公开工作会议。现将有关事项通知如下：\n\n一、会议时间\n2024年3月5日上午9:00\n\n二、会议地点\n区政府三楼会议室\n\n三、参会人员\n各单位分管负责同志。\n\n请准时参加。\n\n区政府办公室\n2024年2月28日\n";

/// A folder of files that are not reports, each as a user meets them.
fn non_reports(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let pdf = root().join("crates/gongkai-read-pdf/tests/fixtures");
    let blank = root().join("fixtures/corpus/dev/raw/template-2021-blank.docx");
    let files: [(&str, Vec<u8>, &str); 4] = [
        ("notice.txt", NOTICE.as_bytes().to_vec(), "NOT-A-REPORT"),
        (
            "package.json",
            br#"{"name": "site", "version": "1.0.0", "items": [1, 2]}"#.to_vec(),
            "NOT-A-REPORT",
        ),
        (
            "scanned.pdf",
            std::fs::read(pdf.join("mixed_scanned.pdf")).expect("fixture"),
            "NOT-A-REPORT",
        ),
        ("template.docx", std::fs::read(blank).expect("fixture"), "REPORT-EMPTY"),
    ];
    files
        .into_iter()
        .map(|(name, bytes, rule)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).expect("write");
            (p, rule)
        })
        .collect()
}

#[test]
fn a_non_report_is_an_error_never_a_green_tick() {
    let dir = tempfile::tempdir().expect("tmp");
    for (path, rule) in non_reports(dir.path()) {
        let p = path.to_str().expect("utf8");
        let (code, out, err) = gongkai(&["check", "--color", "never", p]);
        assert_eq!(code, 1, "{p}: {out}{err}");
        assert!(out.contains(&format!("[{rule}]")), "{p}: {out}");
        assert!(!out.contains('✓'), "{p}: {out}");
        let (code, _, err) = gongkai(&["--lang", "en", "extract", p, "--format", "tsv"]);
        assert_eq!(code, 1, "{p}: extract says it is no report\n{err}");
        assert!(
            err.contains("not an annual report") || err.contains("nothing is filled in"),
            "{err}"
        );
    }
    let (code, out, _) = gongkai(&[
        "check",
        "--color",
        "never",
        &dir.path().join("notice.txt").display().to_string(),
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("不是政府信息公开工作年度报告"), "{out}");
}

#[test]
fn empty_and_damaged_files_are_unreadable_not_reports() {
    let dir = tempfile::tempdir().expect("tmp");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let blank = dir.path().join("blank.txt");
    std::fs::write(&blank, b" \n\n\t\n").expect("write");
    let truncated = "crates/gongkai-read-pdf/tests/fixtures/truncated.pdf";
    for p in [empty.to_str().expect("utf8"), blank.to_str().expect("utf8"), truncated] {
        let (code, out, err) = gongkai(&["check", "--color", "never", p]);
        assert_ne!(code, 0, "{p}: {out}{err}");
        assert!(!out.contains('✓'), "{p}: {out}");
    }
}

#[test]
fn batch_gives_non_reports_their_own_status() {
    let dir = tempfile::tempdir().expect("tmp");
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).expect("dir");
    non_reports(&inputs);
    std::fs::copy(
        root().join("fixtures/corpus/dev/raw/dazhanglou-2022.txt"),
        inputs.join("real.txt"),
    )
    .expect("copy");
    let out = dir.path().join("out");
    let (code, stdout, stderr) =
        gongkai(&["batch", inputs.to_str().expect("utf8"), "--out", out.to_str().expect("utf8")]);
    assert_eq!(code, 0, "{stderr}");
    let reports = std::fs::read_to_string(out.join("reports.csv")).expect("reports");
    let status = |name: &str| {
        let line = reports.lines().find(|l| l.contains(name)).unwrap_or_default();
        line.split(',').nth(1).unwrap_or_default().to_owned()
    };
    assert_eq!(status("notice.txt"), "not_a_report", "{reports}");
    assert_eq!(status("package.json"), "not_a_report", "{reports}");
    assert_eq!(status("scanned.pdf"), "not_a_report", "{reports}");
    assert_eq!(status("template.docx"), "report_empty", "{reports}");
    assert_eq!(status("real.txt"), "ok", "{reports}");
    let stdout = stdout.replace(&inputs.display().to_string(), "[IN]");
    insta::assert_snapshot!("batch-non-reports", stdout);
}

#[test]
fn folders_are_read_in_every_format() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, json, _) =
        gongkai(&["extract", "fixtures/corpus/dev/raw/dazhanglou-2022.txt", "--format", "json"]);
    std::fs::write(dir.path().join("report.json"), &json).expect("write");
    let cells = root().join("fixtures/corpus/dev/expected/dazhanglou-2022.txt.tsv");
    let list = std::fs::read_to_string(&cells).expect("expected");
    std::fs::write(dir.path().join("cells.tsv"), &list).expect("write");
    let d = dir.path().to_str().expect("utf8");
    let (code, out, err) = gongkai(&["check", "--color", "never", d]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("report.json") && out.contains("cells.tsv"), "{out}");
    assert!(out.contains("共检查 2 份报告（0 份无法读取）"), "{out}");
    // `extract` reads a cell list as `render` does: the same cells come back.
    let named = dir.path().join("cells.tsv");
    let (code, tsv, err) = gongkai(&["extract", named.to_str().expect("utf8"), "--format", "tsv"]);
    assert_eq!(code, 0, "{err}");
    let body =
        |s: &str| s.lines().filter(|l| !l.starts_with('#')).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(body(&tsv), body(&list));
    // A cell list is known by its content too.
    let renamed = dir.path().join("cells.txt");
    std::fs::rename(&named, &renamed).expect("rename");
    let (_, again, _) = gongkai(&["extract", renamed.to_str().expect("utf8"), "--format", "tsv"]);
    assert_eq!(again, tsv);
    let out = dir.path().join("out");
    let (code, _, stderr) = gongkai(&["batch", d, "--out", out.to_str().expect("utf8")]);
    assert_eq!(code, 0, "{stderr}");
    let reports = std::fs::read_to_string(out.join("reports.csv")).expect("reports");
    assert!(reports.contains(",ok,,,tsv,") && reports.contains(",ok,,,json,"), "{reports}");
}

#[test]
fn a_folder_with_nothing_to_read_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let empty = dir.path().join("empty");
    let other = dir.path().join("other");
    std::fs::create_dir_all(&empty).expect("dir");
    std::fs::create_dir_all(&other).expect("dir");
    std::fs::write(other.join("logo.gif"), b"GIF89a").expect("write");
    let junk = dir.path().join("junk");
    std::fs::create_dir_all(&junk).expect("dir");
    std::fs::write(junk.join("a.pdf"), b"%PDF-1.7\n").expect("write");
    let out = dir.path().join("out");
    for d in [&empty, &other] {
        let d = d.to_str().expect("utf8");
        let (code, _, err) = gongkai(&["check", d]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(d) && err.contains("没有可读取的报告文件"), "{err}");
        let (code, _, err) = gongkai(&["batch", d, "--out", out.to_str().expect("utf8")]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(d), "{err}");
    }
    let (code, _, err) = gongkai(&["--lang", "en", "check", empty.to_str().expect("utf8")]);
    assert_eq!(code, 2);
    assert!(err.contains("no report file in this directory"), "{err}");
    // Files, none readable.
    let j = junk.to_str().expect("utf8");
    assert_eq!(gongkai(&["check", j]).0, 2);
    let (code, _, err) = gongkai(&["batch", j, "--out", out.to_str().expect("utf8")]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn check_runs_the_cross_year_rules_as_batch_does() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, json, _) =
        gongkai(&["extract", "fixtures/corpus/dev/raw/dazhanglou-2022.txt", "--format", "json"]);
    std::fs::write(dir.path().join("a-2022.json"), &json).expect("write");
    // The next year's report says 4 applications were carried over; 2022 carried forward 0.
    let mut next: serde_json::Value = serde_json::from_str(&json).expect("json");
    next["meta"]["year"] = serde_json::json!(2023);
    let cells = &mut next["tables"]["t3"]["cells"];
    for key in ["t3.carried_over.natural_person", "t3.carried_over.total"] {
        cells[key]["value"] = serde_json::json!("4");
    }
    std::fs::write(dir.path().join("b-2023.json"), next.to_string()).expect("write");
    let d = dir.path().to_str().expect("utf8");
    let (code, out, err) = gongkai(&["check", "--color", "never", d]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("[X-CARRY]"), "{out}");
    assert!(out.contains("跨年：相邻年度 1 对"), "{out}");
    let (_, json_out, _) = gongkai(&["check", "--format", "json", d]);
    let v: serde_json::Value = serde_json::from_str(&json_out).expect("json");
    let carried: Vec<_> = v["files"][1]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "X-CARRY")
        .collect();
    // Column by column: 自然人 and 总计.
    assert_eq!(carried.len(), 2, "{json_out}");
    assert!(carried[0]["compared_with"].as_str().is_some_and(|p| p.ends_with("a-2022.json")));
    // The same cross-year findings as `batch`.
    let outd = dir.path().join("out");
    let (_, summary, _) = gongkai(&["batch", d, "--out", outd.to_str().expect("utf8")]);
    let findings = std::fs::read_to_string(outd.join("findings.csv")).expect("findings");
    assert_eq!(findings.matches("X-CARRY").count(), 2, "{summary}\n{findings}");
}
