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
use gongkai_model::{Lang, T3Col};
use sha2::{Digest as _, Sha256};

fn dev_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw")
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixture set, under `root`.
fn fixture_set(root: &Path) {
    for entry in std::fs::read_dir(dev_dir()).unwrap_or_else(|e| panic!("{e}")) {
        let from = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let to = root.join("dev").join(from.file_name().unwrap_or_default());
        write(&to, &read(&from));
    }
    std::fs::create_dir_all(root.join("gen")).unwrap_or_else(|e| panic!("{e}"));
    support::write_corpus(&root.join("gen"), 40);
    let base = support::reports(1).remove(0);
    let y1 = support::next_year(&base, "江苏省某某县人民政府");
    let y2 = support::next_year(&y1, "某某县政府");
    let mut y3 = support::next_year(&y2, "某某县人民政府");
    support::break_chain(&mut y3, T3Col::Commercial);
    write(&root.join("series/a-1.txt"), support::text(&y1).as_bytes());
    write(&root.join("series/a-2.html"), support::html(&y2).as_bytes());
    write(&root.join("series/a-2-copy.txt"), support::text(&y2).as_bytes());
    write(&root.join("series/a-3.txt"), support::text(&y3).as_bytes());
    write(&root.join("bad/empty.txt"), b"");
    let junk: Vec<u8> = (0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    write(&root.join("bad/junk.txt"), &junk);
    write(&root.join("bad/corrupt.pdf"), b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n");
    write(&root.join("bad/corrupt.docx"), b"PK\x03\x04word/document.xml\x00\x00garbage");
    write(&root.join("bad/not-a-report.txt"), "会议通知\n请各单位准时参加。\n".as_bytes());
}

fn files(root: &Path) -> Vec<PathBuf> {
    gongkai_batch::expand(&[root.to_path_buf()]).unwrap_or_else(|e| panic!("{e}")).files
}

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
    let done = gongkai_batch::run_to(files, &options, out, lang, style, &|_| {})
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
            assert_eq!(left.len(), 4, "temporary files removed: {left:?}");
        }
    }
}
