//! The `gongkai` command as a user runs it: outputs are snapshotted, exit codes checked.

mod common;

use common::{gongkai, root};

const TEXT_CORPUS: &[&str] = &["dazhanglou-2022.txt", "pingtan-2021.txt", "shuyang-2025-ocr.txt"];

#[test]
fn extract_tsv_matches_the_expected_cell_lists() {
    for name in TEXT_CORPUS {
        let (code, out, err) =
            gongkai(&["extract", &format!("fixtures/corpus/dev/raw/{name}"), "--format", "tsv"]);
        assert_eq!(code, 0, "{err}");
        let expected = std::fs::read_to_string(
            root().join(format!("fixtures/corpus/dev/expected/{name}.tsv")),
        )
        .expect("expected");
        let cells = |s: &str| {
            s.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(cells(&out), cells(&expected), "{name}");
    }
}

#[test]
fn check_output_per_corpus_report() {
    for name in TEXT_CORPUS {
        let (code, out, err) =
            gongkai(&["check", "--color", "never", &format!("fixtures/corpus/dev/raw/{name}")]);
        assert_eq!(code, 0, "{name}: no errors expected\n{out}{err}");
        insta::assert_snapshot!(format!("check-{name}"), out);
    }
}

#[test]
fn check_json() {
    let (code, out, _) =
        gongkai(&["check", "--format", "json", "fixtures/corpus/dev/raw/dazhanglou-2022.txt"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["files"][0]["agency"], "大张楼镇");
    assert_eq!(v["files"][0]["year"], 2022);
    assert_eq!(v["files"][0]["layout"]["t3"], "2021");
    insta::assert_snapshot!(out);
}

#[test]
fn extract_json_and_csv() {
    let (code, out, _) =
        gongkai(&["extract", "fixtures/corpus/dev/raw/pingtan-2021.txt", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["format"], "gongkai-report");
    assert_eq!(v["tables"]["t3"]["cells"]["t3.new_received.natural_person"]["value"], "64");
    assert_eq!(v["tables"]["t2"]["cells"]["t2.normative_documents.issued"]["value"], "?");
    assert_eq!(
        v["tables"]["t2"]["cells"]["t2.normative_documents.issued"]["alternatives"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    let (code, out, _) =
        gongkai(&["extract", "fixtures/corpus/dev/raw/dazhanglou-2022.txt", "--format", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 201);
    insta::assert_snapshot!(out.lines().take(4).collect::<Vec<_>>().join("\n"));
}

#[test]
fn rules_catalogue_and_documentation() {
    let (code, out, _) = gongkai(&["rules"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("rules-zh", out);
    let (_, out, _) = gongkai(&["--lang", "en", "rules", "t3-balance"]);
    insta::assert_snapshot!("rules-t3-balance-en", out);
    let (code, _, err) = gongkai(&["rules", "NO-SUCH"]);
    assert_eq!(code, 2);
    assert!(err.contains("NO-SUCH"), "{err}");
}

#[test]
fn demo_in_both_languages() {
    let (code, out, _) = gongkai(&["demo"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("demo-zh", out);
    let (_, out, _) = gongkai(&["--lang", "en", "demo"]);
    insta::assert_snapshot!("demo-en", out);
}

#[test]
fn source_errors_exit_1_and_point_at_the_cells() {
    let dir = tempfile::tempdir().expect("tmp");
    let seed = std::fs::read_to_string(root().join("fixtures/corpus/dev/raw/dazhanglou-2022.txt"))
        .expect("seed");
    // The first value line of 一、本年新收 becomes 3: the row total, the balance and the prose break.
    let marker = "一、本年新收政府信息公开申请数量\n\t\u{a0}0";
    assert!(seed.contains(marker));
    let broken = seed.replacen(marker, "一、本年新收政府信息公开申请数量\n\t\u{a0}3", 1);
    let path = dir.path().join("broken.txt");
    std::fs::write(&path, broken).expect("write");
    let (code, out, _) =
        gongkai(&["check", "--color", "never", "-q", path.to_str().expect("utf8")]);
    assert_eq!(code, 1, "{out}");
    let normalized = out.replace(path.to_str().expect("utf8"), "broken.txt");
    insta::assert_snapshot!(normalized);
}

#[test]
fn unreadable_files_are_one_clear_line_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("a-junk.txt"), [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0, 7, 0])
        .expect("write");
    std::fs::copy(
        root().join("fixtures/corpus/dev/raw/dazhanglou-2022.txt"),
        dir.path().join("b-seed.txt"),
    )
    .expect("copy");
    let (code, out, err) =
        gongkai(&["check", "-q", "--color", "never", dir.path().to_str().expect("utf8")]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("a-junk.txt") && err.contains("不是文本文件"), "{err}");
    assert!(out.contains("b-seed.txt"), "{out}");
    assert!(out.contains("共检查 1 份报告（1 份无法读取）"), "{out}");
    let (code, _, err) = gongkai(&["check", "/no/such/file.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/file.txt"), "{err}");
}

#[test]
fn read_errors_are_in_the_chosen_language_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let junk = dir.path().join("junk.pdf");
    std::fs::write(&junk, [0u8, 1, 2, 3, 0, 0, 7, 0]).expect("write");
    let junk = junk.to_str().expect("utf8");
    let truncated = "crates/gongkai-read-pdf/tests/fixtures/truncated.pdf";
    // Standard error only (the last line of standard output is checked elsewhere).
    let run = |args: &[&str]| {
        let (code, out, err) = gongkai(args);
        assert_eq!(code, 2, "{out}{err}");
        (out, err.replace(junk, "junk.pdf"))
    };
    let (_, en) = run(&["--lang", "en", "check", "--color", "never", junk, truncated]);
    let (_, zh) = run(&["check", "--color", "never", junk, truncated]);
    assert_eq!(en.lines().count(), 2, "{en}");
    for line in en.lines() {
        assert!(!line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{line}");
    }
    for line in zh.lines() {
        assert!(!line.contains("not a"), "{line}");
    }
    insta::assert_snapshot!("read-error-en", en);
    insta::assert_snapshot!("read-error-zh", zh);
    let (json, _) = run(&["--lang", "en", "check", "--format", "json", truncated]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        v["files"][0]["error"], "not a readable PDF: failed parsing cross reference table",
        "{json}"
    );
    let expected =
        format!("gongkai: {truncated}: not a readable PDF: failed parsing cross reference table");
    for command in
        [&["extract", truncated][..], &["explain", truncated], &["render", truncated, "-f", "md"]]
    {
        let (_, err) = run(&[&["--lang", "en"][..], command].concat());
        assert_eq!(err.trim_end(), expected, "{command:?}");
    }
}

#[test]
fn explain_a_report_and_a_cell() {
    let (code, out, _) = gongkai(&["explain", "fixtures/corpus/dev/raw/pingtan-2021.txt"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain-report", out);
    let (_, out, _) = gongkai(&[
        "explain",
        "fixtures/corpus/dev/raw/pingtan-2021.txt",
        "t2.normative_documents.issued",
    ]);
    insta::assert_snapshot!("explain-ambiguous-cell", out);
    let (_, out, _) = gongkai(&[
        "--lang",
        "en",
        "explain",
        "fixtures/corpus/dev/raw/dazhanglou-2022.txt",
        "t3.granted.total",
    ]);
    insta::assert_snapshot!("explain-cell-en", out);
    let (code, _, err) =
        gongkai(&["explain", "fixtures/corpus/dev/raw/dazhanglou-2022.txt", "t9.nothing"]);
    assert_eq!(code, 2);
    assert!(err.contains("t9.nothing"), "{err}");
}

#[test]
fn json_reports_are_checked_directly() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, json, _) =
        gongkai(&["extract", "fixtures/corpus/dev/raw/dazhanglou-2022.txt", "--format", "json"]);
    let path = dir.path().join("seed.json");
    std::fs::write(&path, &json).expect("write");
    let (code, out, _) =
        gongkai(&["check", "-q", "--color", "never", path.to_str().expect("utf8")]);
    assert_eq!(code, 0, "{out}");
    let (_, tsv, _) = gongkai(&["extract", path.to_str().expect("utf8"), "--format", "tsv"]);
    let (_, original, _) =
        gongkai(&["extract", "fixtures/corpus/dev/raw/dazhanglou-2022.txt", "--format", "tsv"]);
    assert_eq!(tsv, original, "JSON → report → cell list is lossless");
    let bad = json.replace(
        "\"t3.granted.total\": {\n          \"value\": \"0\"",
        "\"t3.granted.total\": {\n          \"value\": \"x\"",
    );
    assert_ne!(bad, json, "the test edits one cell");
    std::fs::write(&path, bad).expect("write");
    let (code, _, err) = gongkai(&["check", path.to_str().expect("utf8")]);
    assert_eq!(code, 2);
    assert!(err.contains("tables.t3.cells.t3.granted.total.value"), "{err}");
}
