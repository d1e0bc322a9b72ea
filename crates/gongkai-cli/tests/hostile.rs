//! The hostile suite: every file of `tests/hostile/files/` (made by `tests/hostile/make_hostile.py`:
//! non-reports, hostile numbers, stray bytes, UTF-16 without BOM, CMS exports with crawler chrome,
//! truncated and garbage PDF/DOCX/XLSX, sparse workbooks) goes through the real `gongkai check`, and
//! every file of `tests/hostile/registers/` through `gongkai register import`. Each must give a clear
//! result: exit 0, 1 or 2 with a message naming the file, never a panic or a signal.
//!
//! Time and memory over the suite are measured in release by `scripts/hostile-bench`, not here.

mod common;

use std::path::{Path, PathBuf};

use common::{gongkai, root};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new("crates/gongkai-cli/tests/hostile").join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(&dir))
        .expect("hostile files (run make_hostile.py)")
        .map(|e| dir.join(e.expect("entry").file_name()))
        .collect();
    out.sort();
    assert!(out.len() >= 8, "{out:?}");
    out
}

/// Exit 0/1/2, no panic, and something said about the file.
fn assert_clear(what: &str, file: &str, (code, out, err): &(i32, String, String)) {
    assert!(matches!(code, 0..=2), "{what} {file}: exit {code} (killed by a signal?)\n{err}");
    assert!(!err.contains("panicked") && !out.contains("panicked"), "{what} {file}: {err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{what} {file}: {err}");
    assert!(!out.trim().is_empty() || !err.trim().is_empty(), "{what} {file}: said nothing");
    if *code == 2 {
        let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or(file);
        assert!(err.contains(name), "{what} {file}: the error does not name the file:\n{err}");
    }
}

#[test]
fn every_hostile_report_gets_a_clear_result() {
    for path in files("files") {
        let file = path.to_str().expect("utf-8 path");
        for lang in ["zh", "en"] {
            let result = gongkai(&["check", "--lang", lang, file]);
            assert_clear("check", file, &result);
        }
        let result = gongkai(&["extract", file]);
        assert_clear("extract", file, &result);
    }
}

#[test]
fn hostile_numbers_are_findings_not_panics() {
    for n in [25, 26, 27, 28] {
        let file = format!("crates/gongkai-cli/tests/hostile/files/digits{n}-cells.txt");
        let (code, out, err) = gongkai(&["check", "--color", "never", &file]);
        assert_eq!(code, 1, "{file}: {out}{err}");
        assert!(out.contains("CELL-INTEGER") && out.contains("数值大得不可能"), "{file}: {out}");
    }
}

#[test]
fn a_stray_byte_keeps_the_report_and_is_named() {
    let file = "crates/gongkai-cli/tests/hostile/files/stray-byte-utf8.txt";
    let (code, out, _) = gongkai(&["check", "--color", "never", file]);
    assert!(code <= 1, "{out}");
    assert!(out.contains("READ-ENCODING") && out.contains("1 处无效字节"), "{out}");
    assert!(out.contains("大张楼镇 2022 年度"), "the report is still read: {out}");
    let (code, tsv, err) = gongkai(&["extract", file]);
    assert_eq!(code, 0, "{err}");
    assert!(tsv.contains("t3.new_received.total"), "{tsv}");
    assert!(
        err.contains("stray-byte-utf8.txt：警告：文件为 UTF-8 编码，但有 1 处无效字节"),
        "{err}"
    );
    let (_, _, err) = gongkai(&["extract", "--lang", "en", file]);
    assert!(err.contains("warning: UTF-8 with 1 invalid byte sequence(s) (line"), "{err}");
}

#[test]
fn utf16_without_bom_is_read() {
    for file in ["utf16le-no-bom.txt", "utf16be-no-bom.txt"] {
        let path = format!("crates/gongkai-cli/tests/hostile/files/{file}");
        let (code, out, err) = gongkai(&["check", "--color", "never", &path]);
        assert!(code <= 1, "{file}: {err}");
        assert!(!err.contains("NUL"), "{file}: {err}");
        assert!(out.contains("大张楼镇 2022 年度"), "{file}: {out}");
    }
}

#[test]
fn render_says_what_is_wrong_with_bad_json() {
    let dir = "crates/gongkai-cli/tests/hostile/files";
    let cases = [
        ("null.json", "null.json：不是 gongkai 报告：JSON 顶层应为对象（{…}），实为null"),
        ("array.json", "array.json：不是 gongkai 报告：JSON 顶层应为对象（{…}），实为数组"),
        ("object.json", "object.json：不是 gongkai 报告（没有 format 字段）"),
        ("syntax-error.json", "syntax-error.json：第1行第11列：此处应为“:”"),
        ("wrong-cell.json", "wrong-cell.json：第1行第103列：单元格应为数字、字符串"),
    ];
    for (file, want) in cases {
        let (code, _, err) = gongkai(&["render", "-f", "md", &format!("{dir}/{file}")]);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(err.contains(want), "{file}: {err}");
        assert!(!err.contains("untagged") && !err.contains("has no t2"), "{file}: {err}");
    }
    let (_, _, err) =
        gongkai(&["render", "--lang", "en", "-f", "md", &format!("{dir}/syntax-error.json")]);
    assert!(err.contains("syntax-error.json: line 1, column 11: expected `:`"), "{err}");
}

#[test]
fn every_hostile_register_gets_a_clear_result() {
    let tmp = tempfile::tempdir().expect("tmp");
    for path in files("registers") {
        let file = path.to_str().expect("utf-8 path");
        let store = tmp.path().join("register.json");
        let store = store.to_str().expect("utf-8 path");
        let result =
            gongkai(&["register", "import", file, "--store", store, "--today", "2025-01-10"]);
        assert_clear("register import", file, &result);
        let _ = std::fs::remove_file(store);
    }
}

#[test]
fn a_stray_cell_far_away_does_not_stop_an_import() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = tmp.path().join("register.json");
    for file in ["sparse-XFD1048576.xlsx", "sparse-ZZ100000.xlsx", "dimension-lie.xlsx"] {
        let path = format!("crates/gongkai-cli/tests/hostile/registers/{file}");
        let store = store.to_str().expect("utf-8 path");
        let (code, out, err) =
            gongkai(&["register", "import", &path, "--store", store, "--today", "2025-01-10"]);
        assert_eq!(code, 0, "{file}: {out}{err}");
        assert!(out.contains("依申请公开：读入 1 条"), "{file}: {out}");
    }
}

#[test]
fn many_bad_rows_are_summarised_and_listed_in_full_on_request() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = tmp.path().join("register.json");
    let list = tmp.path().join("errors.txt");
    let file = "crates/gongkai-cli/tests/hostile/registers/many-bad-rows.csv";
    let args = ["register", "import", file, "--store", store.to_str().expect("path")];
    let (code, _, err) = gongkai(&args);
    assert_eq!(code, 1, "{err}");
    assert!(err.lines().count() < 60, "{} lines:\n{err}", err.lines().count());
    assert!(err.contains("同类错误另有 3995 处"), "{err}");
    assert!(err.contains("--errors FILE"), "{err}");
    let list_arg = list.to_str().expect("path");
    let (code, _, err) = gongkai(&[&args[..], &["--errors", list_arg]].concat());
    assert_eq!(code, 1, "{err}");
    let full = std::fs::read_to_string(&list).expect("the full list");
    assert!(full.lines().count() >= 3 * 4000, "{}", full.lines().count());
    assert!(err.contains("完整的错误清单已写入"), "{err}");
}

#[test]
fn a_date_cut_inside_a_character_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = tmp.path().join("register.json");
    let file = "crates/gongkai-cli/tests/hostile/registers/date-cut-in-a-character.csv";
    let (code, _, err) = gongkai(&[
        "register",
        "import",
        file,
        "--store",
        store.to_str().expect("path"),
        "--today",
        "2025-01-10",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("「未知ab」"), "{err}");
}
