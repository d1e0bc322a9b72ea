//! What `gongkai render` tells the user about what it wrote: the file, pages and warnings on
//! stderr in the chosen language; no `?` in an official table without consent and a notice; a
//! trial-format table in a 2021+ report kept as read, with a warning.

mod common;

use common::gongkai;

const SAMPLE: &str = "crates/gongkai-render/tests/data/sample-2023.json";
/// Crawler text in which three cells cannot be determined (`?`).
const WITH_UNKNOWN: &str = "fixtures/corpus/dev/raw/pingtan-2021.txt";
/// A 2024 report with a 2021 Table 2 beside a trial-format Table 3.
const TRIAL_T3: &str = "fixtures/corpus/dev/raw/hongze-2024.pdf";

#[test]
fn render_says_what_it_wrote_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r.pdf");
    let out = out.to_str().expect("utf-8");
    let (code, _, err) = gongkai(&["render", SAMPLE, "--format", "pdf", "--out", out]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("已写入 {out}（pdf，")) && err.contains(" 页）"), "{err}");
    let (code, _, err) =
        gongkai(&["--lang", "en", "render", SAMPLE, "--format", "pdf", "--out", out]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("wrote {out} (pdf, ")) && err.contains(" page(s))"), "{err}");
    // The first line is ours; the warnings after it quote the report's own (Chinese) words.
    gongkai_testkit::lang::assert_english(err.lines().next().unwrap_or_default());
    let (code, stdout, err) = gongkai(&["render", SAMPLE, "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.starts_with('#') && err.contains("已写入 标准输出（md，"), "{err}");
}

#[test]
fn undetermined_cells_are_not_printed_without_consent() {
    let (code, out, err) = gongkai(&["render", WITH_UNKNOWN, "--format", "md"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("3 个单元格无法确定（?）") && err.contains("--allow-errors"), "{err}");
    let (code, out, err) = gongkai(&["render", WITH_UNKNOWN, "--format", "md", "--allow-errors"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("有3个单元格的数值无法确定（表中印为“?”）"), "{out}");
    assert!(err.contains("警告：按 --allow-errors 输出"), "{err}");
}

#[test]
fn a_trial_table_in_a_2024_report_is_kept_and_said() {
    for (lang, said) in [
        ("zh", "表三按读取时的 2019 年试行格式"),
        ("en", "Table 3 is written in the 2019 trial layout"),
    ] {
        let (code, out, err) =
            gongkai(&["--lang", lang, "render", TRIAL_T3, "--format", "md", "--allow-errors"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(said), "{err}");
        assert!(out.contains("（六）其他处理"), "the trial row is printed as read:\n{out}");
    }
}
