//! `gongkai batch` as a user runs it: the summary is snapshotted, its counts agree with
//! `gongkai check` over the same files, bad files never stop it.

mod common;

use common::{gongkai, root};

const CORPUS: &str = "fixtures/corpus/dev/raw";

#[test]
fn batch_over_the_dev_corpus() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    let out_s = out.display().to_string();
    let (code, stdout, stderr) = gongkai(&["batch", CORPUS, "--out", &out_s, "--jobs", "2"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("batch-dev-zh", stdout);
    assert!(
        stderr.contains("已写入 reports.csv、reports.parquet、findings.csv、cells.csv"),
        "{stderr}"
    );
    // No progress bar when stderr is not a terminal.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for name in ["reports.csv", "reports.parquet", "findings.csv", "cells.csv"] {
        assert!(out.join(name).is_file(), "{name}");
    }
    let (code, stdout, _) =
        gongkai(&["--lang", "en", "batch", CORPUS, "--out", &out_s, "--no-progress"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("batch-dev-en", stdout);
    let findings = std::fs::read_to_string(out.join("findings.csv")).expect("findings");
    assert!(findings.contains("t3 uses the 2019 trial layout"), "messages follow --lang");
}

#[test]
fn check_and_batch_count_alike() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out").display().to_string();
    for lang in ["zh", "en"] {
        let (_, check, _) = gongkai(&["--lang", lang, "check", "--color", "never", CORPUS]);
        let (_, batch, _) = gongkai(&["--lang", lang, "batch", CORPUS, "--out", &out]);
        let last = |s: &str| s.trim_end().lines().last().unwrap_or_default().to_owned();
        assert_eq!(last(&check), last(&batch));
        assert!(last(&batch).contains('6'), "{batch}");
    }
}

#[test]
fn bad_files_do_not_stop_the_batch() {
    let tmp = tempfile::tempdir().expect("tmp");
    let inputs = tmp.path().join("in");
    std::fs::create_dir_all(&inputs).expect("dir");
    std::fs::copy(root().join(CORPUS).join("dazhanglou-2022.txt"), inputs.join("good.txt"))
        .expect("copy");
    std::fs::write(inputs.join("empty.txt"), b"").expect("write");
    std::fs::write(inputs.join("junk.pdf"), [0x25, 0x50, 0x44, 0x46, 0x2d, 0, 1, 2, 3]).expect("w");
    std::fs::write(inputs.join("huge.txt"), "0".repeat(1_200_000)).expect("write");
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = gongkai(&[
        "batch",
        &inputs.display().to_string(),
        "--out",
        &out.display().to_string(),
        "--max-input-mb",
        "1",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let stdout = stdout.replace(&inputs.display().to_string(), "[IN]");
    insta::assert_snapshot!("batch-bad-files", stdout);
    let reports = std::fs::read_to_string(out.join("reports.csv")).expect("reports");
    assert_eq!(reports.lines().filter(|l| l.contains(",unreadable,")).count(), 3, "{reports}");
}

#[test]
fn jobs_must_be_positive() {
    let (code, _, stderr) = gongkai(&["batch", CORPUS, "--out", "/nonexistent", "--jobs", "0"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--jobs"), "{stderr}");
}

#[test]
fn shards_split_the_inputs_whatever_their_order() {
    let tmp = tempfile::tempdir().expect("tmp");
    let paths = |dir: &std::path::Path| -> Vec<String> {
        let text = std::fs::read_to_string(dir.join("reports.csv")).unwrap_or_default();
        let mut rows: Vec<String> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("row")[0].to_owned())
            .collect();
        rows.sort();
        rows
    };
    let run = |name: &str, inputs: &[String], k: &str| {
        let out = tmp.path().join(name);
        let mut args: Vec<&str> = vec!["batch"];
        args.extend(inputs.iter().map(String::as_str));
        let out_s = out.display().to_string();
        args.extend(["--out", &out_s, "--shard", k]);
        let (code, _, stderr) = gongkai(&args);
        // A shard may hold no report at all (exit 2); otherwise it succeeds.
        assert!(code == 0 || code == 2, "{stderr}");
        paths(&out)
    };
    let mut files: Vec<String> = std::fs::read_dir(root().join(CORPUS))
        .expect("dir")
        .map(|e| format!("{CORPUS}/{}", e.expect("entry").file_name().to_string_lossy()))
        .collect();
    files.sort();
    let mut seen = Vec::new();
    for (i, k) in ["1/2", "2/2"].into_iter().enumerate() {
        seen.extend(run(&format!("dir-{i}"), &[CORPUS.to_owned()], k));
        let sorted = run(&format!("sorted-{i}"), &files, k);
        let mut reversed = files.clone();
        reversed.reverse();
        assert_eq!(run(&format!("reversed-{i}"), &reversed, k), sorted, "shard {k}");
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 6, "every file in exactly one shard: {seen:?}");
    let (code, _, stderr) = gongkai(&["batch", CORPUS, "--out", "x", "--shard", "3/2"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn merged_shards_are_one_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = |name: &str| tmp.path().join(name).display().to_string();
    let (code, single_stdout, stderr) =
        gongkai(&["--lang", "en", "batch", CORPUS, "--out", &dir("single"), "--jobs", "2"]);
    assert_eq!(code, 0, "{stderr}");
    for k in ["1/3", "2/3", "3/3"] {
        let out = dir(&format!("shard-{}", &k[..1]));
        let (code, _, stderr) =
            gongkai(&["--lang", "en", "batch", CORPUS, "--out", &out, "--shard", k]);
        assert!(code == 0 || code == 2, "{stderr}");
        assert!(stderr.contains("gongkai-shard.json, gongkai-shard.jsonl"), "{stderr}");
    }
    let (code, stdout, stderr) = gongkai(&[
        "--lang",
        "en",
        "batch",
        "merge",
        &dir("shard-3"),
        &dir("shard-1"),
        &dir("shard-2"),
        "--out",
        &dir("merged"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, single_stdout, "the merge prints the single run's summary");
    assert!(
        stderr.contains("wrote reports.csv, reports.parquet, findings.csv, cells.csv"),
        "{stderr}"
    );
    for name in ["reports.csv", "reports.parquet", "findings.csv", "cells.csv"] {
        let a = std::fs::read(tmp.path().join("single").join(name)).expect("single");
        let b = std::fs::read(tmp.path().join("merged").join(name)).expect("merged");
        assert!(a == b, "{name} differs");
    }
    // A shard missing: refused, in the chosen language.
    let (code, _, stderr) =
        gongkai(&["batch", "merge", &dir("shard-1"), &dir("shard-3"), "--out", &dir("x")]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("缺少分片（共 3 个）：第 2 个"), "{stderr}");
    let (code, _, stderr) = gongkai(&[
        "--lang",
        "en",
        "batch",
        "merge",
        &dir("shard-1"),
        &dir("single"),
        "--out",
        &dir("x"),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not the output of a sharded batch"), "{stderr}");
    assert!(!stderr.contains("不是"), "English only: {stderr}");
}
