//! `gongkai render` as a user runs it: the gate, errors naming the field, drafts, re-rendering a
//! published report, every format written.

use std::path::{Path, PathBuf};

mod common;

use common::{gongkai, root};

const SAMPLE: &str = "crates/gongkai-render/tests/data/sample-2023.json";

/// The sample with one cell changed so that Table 3 no longer balances.
fn unbalanced(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join(SAMPLE)).expect("sample");
    let text = text.replacen(
        "\"t3.new_received.natural_person\": \"120\"",
        "\"t3.new_received.natural_person\": \"121\"",
        1,
    );
    let p = dir.join("unbalanced.json");
    std::fs::write(&p, text).expect("written");
    p
}

#[test]
fn every_format_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["html", "docx", "xlsx", "pdf", "md", "json"] {
        let out = dir.path().join(format!("r.{f}"));
        let (code, _, err) =
            gongkai(&["render", SAMPLE, "--format", f, "--out", out.to_str().expect("utf-8")]);
        assert_eq!(code, 0, "{f}: {err}");
        assert!(std::fs::metadata(&out).expect("written").len() > 1000, "{f}");
    }
}

#[test]
fn the_gate_refuses_an_unbalanced_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = unbalanced(dir.path());
    let (code, out, err) = gongkai(&["render", input.to_str().expect("utf-8"), "--format", "md"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("T3-BALANCE") && err.contains("--allow-errors"), "{err}");
    let (code, out, err) =
        gongkai(&["render", input.to_str().expect("utf-8"), "--format", "md", "--allow-errors"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("> **注意：本报告未通过校验"), "{out}");
}

#[test]
fn bad_input_names_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bad.json");
    std::fs::write(&p, r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":"x"}}}}"#)
        .expect("written");
    let (code, _, err) = gongkai(&["render", p.to_str().expect("utf-8"), "--format", "html"]);
    assert_eq!(code, 2);
    assert!(err.contains("tables.t4.cells.t4.review.upheld"), "{err}");
    let p = dir.path().join("no-t3.json");
    std::fs::write(&p, r#"{"format":"gongkai-report","version":1}"#).expect("written");
    // A gongkai report with nothing in it is no annual report: the checks refuse it.
    let (code, _, err) = gongkai(&["render", p.to_str().expect("utf-8"), "--format", "html"]);
    assert_eq!(code, 1);
    assert!(err.contains("NOT-A-REPORT"), "{err}");
}

#[test]
fn a_draft_carries_the_year_forward() {
    let (code, out, err) = gongkai(&["render", SAMPLE, "--draft", "2024", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let r = gongkai_model::json::ReportJson::parse(&out)
        .and_then(|j| j.into_report())
        .expect("draft JSON");
    assert_eq!(r.meta.year.as_ref().map(|y| y.value), Some(2024));
    let over = |c| r.t3_number(gongkai_model::T3Row::CarriedOver, c);
    assert_eq!(over(gongkai_model::T3Col::Total), Some(13.into()));
    assert_eq!(
        r.value(gongkai_model::CellKey::t3(
            gongkai_model::T3Row::Granted,
            gongkai_model::T3Col::Total
        )),
        Some(&gongkai_model::Value::Blank)
    );
    let overview = r.section(gongkai_model::SectionId::Overview).expect("overview").text.clone();
    assert!(overview.starts_with("2024年") && overview.contains("3256【待核】条"), "{overview}");
}

#[test]
fn a_published_report_is_rendered_again() {
    let (code, out, err) = gongkai(&[
        "render",
        "fixtures/corpus/dev/raw/dazhanglou-2022.txt",
        "--format",
        "md",
        "--allow-errors",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("# ") && out.contains("| 一、本年新收政府信息公开申请数量 |"), "{out}");
}

/// The render errors a user reads, in each language only: a bad cell value naming its field, and
/// a report without the tables the layout needs.
#[test]
fn render_errors_in_one_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"format":"gongkai-report","version":1,"tables":{"t4":{"layout":"2021","cells":{"t4.review.upheld":"x"}}}}"#)
        .expect("written");
    let empty = dir.path().join("no-t3.json");
    std::fs::write(&empty, r#"{"format":"gongkai-report","version":1}"#).expect("written");
    let mut shown = Vec::new();
    for lang in ["en", "zh"] {
        for p in [&bad, &empty] {
            let p = p.to_str().expect("utf-8");
            let (code, _, err) = gongkai(&["--lang", lang, "render", p, "--format", "html"]);
            assert_ne!(code, 0);
            let err = err.replace(dir.path().to_str().expect("utf-8"), "<dir>");
            if lang == "en" {
                gongkai_testkit::lang::assert_english(&err);
            } else {
                assert!(!err.contains(" / "), "{err}");
            }
            shown.push(format!("--lang {lang}: {err}"));
        }
    }
    insta::assert_snapshot!(shown.join(""));
}
