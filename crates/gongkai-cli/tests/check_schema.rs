//! `gongkai check --format json` is the typed, versioned check result (`gongkai-check` v1): its
//! output validates against the committed `schema/check.schema.json` for every dev corpus report,
//! an unreadable file and a cross-year pair, and parses back into the typed result.

mod common;

use common::{gongkai, root};
use gongkai_pipeline::check::{CheckJson, FileCheck};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema/check.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// Runs `check --format json args…` and validates the output; returns it typed.
fn check_json(args: &[&str]) -> CheckJson {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (_, out, err) = gongkai(&all);
    let value: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{err}"));
    let errors: Vec<String> = validator().iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{args:?}: output does not match the schema: {errors:#?}");
    let typed: CheckJson = serde_json::from_value(value).expect("parses as the typed result");
    assert_eq!((typed.format.as_str(), typed.version), ("gongkai-check", 1));
    typed
}

#[test]
fn every_dev_corpus_report_validates() {
    let dir = root().join("fixtures/corpus/dev/raw");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    for name in &names {
        let path = format!("fixtures/corpus/dev/raw/{name}");
        for lang in ["zh", "en"] {
            let out = check_json(&["--lang", lang, &path]);
            let [FileCheck::Checked(file)] = out.files.as_slice() else {
                panic!("{name}: one checked file expected: {out:?}");
            };
            assert_eq!(file.path, path);
            assert!(file.report.is_none(), "the CLI does not print the report");
        }
    }
    // All together, and errors and warnings only.
    let out = check_json(&["--quiet", "fixtures/corpus/dev/raw"]);
    assert_eq!(out.files.len(), names.len());
}

#[test]
fn unreadable_files_and_cross_year_findings_validate() {
    let dir = tempfile::tempdir().expect("tmp");
    let broken = dir.path().join("broken.pdf");
    std::fs::write(&broken, b"%PDF-1.7\n").expect("write");
    // The same report as its own previous year: the carry-over rules compare the two.
    let (code, current, _) =
        gongkai(&["extract", "fixtures/corpus/dev/raw/dazhanglou-2022.txt", "--format", "json"]);
    assert_eq!(code, 0);
    let mut previous: serde_json::Value = serde_json::from_str(&current).expect("json");
    previous["meta"]["year"] = serde_json::json!(2021);
    // Carried forward into 2022: not what 2022 says it carried over (X-CARRY).
    previous["tables"]["t3"]["cells"]["t3.carried_forward.natural_person"] =
        serde_json::json!({ "value": "999" });
    let (prev, cur) = (dir.path().join("2021.json"), dir.path().join("2022.json"));
    std::fs::write(&prev, previous.to_string()).expect("write");
    std::fs::write(&cur, &current).expect("write");
    let paths = [&broken, &prev, &cur].map(|p| p.display().to_string());
    let out = check_json(&paths.each_ref().map(String::as_str));
    assert!(matches!(&out.files[0], FileCheck::Unreadable(u) if u.path == paths[0]));
    let FileCheck::Checked(later) = &out.files[2] else { panic!("{out:?}") };
    assert!(
        later.findings.iter().any(|f| f.compared_with.as_deref() == Some(paths[1].as_str())),
        "{later:?}"
    );
}
