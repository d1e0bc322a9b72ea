//! The streaming batch against the in-memory one: the same outputs, byte for byte, on a fixture
//! set with every kind of input (the dev corpus, generated reports in text and HTML, a three-year
//! series with a broken chain and a duplicated year, bad files). The CSVs of the in-memory batch
//! are also compared with golden SHA-256 sums taken before the streaming batch existed
//! (`tests/golden/outputs.sha256`, paths made relative to the fixture set; `GONGKAI_BLESS=1`
//! rewrites it).

mod support;

use std::path::{Path, PathBuf};

use gongkai_batch::csv::CsvStyle;
use gongkai_batch::{Options, run, write_outputs_as};
use gongkai_doc::Limits;
use gongkai_model::Lang;
use sha2::{Digest as _, Sha256};
use support::{files, fixture_set, read, write};

/// The in-memory batch's outputs (the reference).
fn in_memory(files: &[PathBuf], out: &Path, jobs: usize, lang: Lang, style: CsvStyle) {
    let options = Options { jobs: Some(jobs), limits: Limits::default() };
    let batch = run(files, &options, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    write_outputs_as(out, &batch, lang, style).unwrap_or_else(|e| panic!("{e}"));
}

const CSVS: [&str; 3] = ["reports.csv", "findings.csv", "cells.csv"];

#[test]
fn the_in_memory_batch_matches_the_golden_copy() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    fixture_set(&root);
    let out = tmp.path().join("out");
    in_memory(&files(&root), &out, 2, Lang::En, CsvStyle::Plain);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/outputs.sha256");
    let prefix = format!("{}/", root.display());
    let mut sums = String::new();
    for name in CSVS {
        let text = String::from_utf8(read(&out.join(name))).unwrap_or_else(|e| panic!("{e}"));
        let digest = Sha256::digest(text.replace(&prefix, "").as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        sums.push_str(&format!("{hex}  {name}\n"));
    }
    if std::env::var_os("GONGKAI_BLESS").is_some() {
        write(&golden, sums.as_bytes());
    }
    let expected = String::from_utf8(read(&golden)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sums, expected,
        "the in-memory batch's CSVs differ from tests/golden/outputs.sha256"
    );
}

fn streamed(files: &[PathBuf], out: &Path, jobs: usize, lang: Lang, style: CsvStyle) -> String {
    let options = Options { jobs: Some(jobs), limits: Limits::default() };
    let done = gongkai_batch::run_to(files.to_vec(), &options, out, lang, style, &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    done.render(lang)
}

#[test]
fn the_streaming_batch_writes_the_in_memory_batchs_outputs_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    fixture_set(&root);
    let files = files(&root);
    for (lang, style) in [(Lang::En, CsvStyle::Plain), (Lang::Zh, CsvStyle::Excel)] {
        let reference = tmp.path().join("reference");
        in_memory(&files, &reference, 2, lang, style);
        let options = Options { jobs: Some(2), limits: Limits::default() };
        let batch = run(&files, &options, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
        let summary = gongkai_batch::Summary::of(&batch).render(&batch, lang);
        for jobs in [1, 2, 3] {
            let out = tmp.path().join(format!("streamed-{jobs}"));
            let printed = streamed(&files, &out, jobs, lang, style);
            assert_eq!(printed, summary, "summary, {jobs} thread(s)");
            for name in gongkai_batch::OUTPUT_FILES {
                assert!(
                    read(&out.join(name)) == read(&reference.join(name)),
                    "{name} differs ({lang:?}, {style:?}, {jobs} thread(s))"
                );
            }
            let left: Vec<_> = std::fs::read_dir(&out)
                .unwrap_or_else(|e| panic!("{e}"))
                .map(|e| e.unwrap_or_else(|e| panic!("{e}")).file_name())
                .collect();
            assert_eq!(left.len(), 5, "temporary files removed: {left:?}");
        }
    }
}
