//! Every `.doc` fixture reads to the same cells as its DOCX twin (`fixtures/twins.tsv`): the
//! recognizer's cell list of both, line for line. The fixtures were made with LibreOffice
//! (`fixtures/make_fixtures.sh`); the tests only read the committed files.

use std::path::{Path, PathBuf};

use gongkai_doc::{Document, Limits};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read_doc(path: &Path) -> Document {
    let bytes = std::fs::read(path).expect("fixture exists");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("doc");
    gongkai_read_doc::read(name, &bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_docx(path: &Path) -> Document {
    let bytes = std::fs::read(path).expect("twin exists");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("docx");
    gongkai_read_docx::read(name, &bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The recognizer's cell list, without metadata lines.
fn cells(doc: &Document) -> Vec<String> {
    let parsed = gongkai_parse::parse(doc);
    gongkai_model::tsv::to_tsv(&parsed.report)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// `(doc, twin)` pairs from the manifest.
fn twins() -> Vec<(PathBuf, PathBuf)> {
    let manifest = std::fs::read_to_string(fixtures().join("twins.tsv")).expect("manifest");
    manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let doc = fixtures().join(f.next().expect("doc column"));
            let twin = root().join(f.next().expect("twin column"));
            (doc, twin)
        })
        .collect()
}

#[test]
fn every_doc_fixture_has_a_twin() {
    let listed: Vec<PathBuf> = twins().into_iter().map(|(d, _)| d).collect();
    let mut found = 0;
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "doc") {
            found += 1;
            assert!(listed.contains(&path), "{} has no twin in twins.tsv", path.display());
        }
    }
    assert_eq!(found, listed.len());
}

#[test]
fn each_doc_reads_to_the_same_cells_as_its_docx_twin() {
    let mut compared = 0;
    for (doc, twin) in twins() {
        let d = read_doc(&doc);
        let x = read_docx(&twin);
        assert_eq!(d.format, Some(gongkai_doc::Format::Doc));
        let (dc, xc) = (cells(&d), cells(&x));
        assert_eq!(dc, xc, "{}: cells differ from {}", doc.display(), twin.display());
        compared += usize::from(!xc.is_empty());
    }
    // The reports and the filled templates have cells; the blank template and the small
    // structure fixtures may not.
    assert!(compared >= 7, "only {compared} twins with cells");
}

#[test]
fn notes_say_what_was_left_out() {
    let rules = |name: &str| -> Vec<String> {
        read_doc(&fixtures().join(name)).notes.iter().map(|n| n.rule.to_string()).collect()
    };
    assert_eq!(rules("text-boxes.doc"), vec!["READ-DOC-TEXTBOX"]);
    assert_eq!(rules("split-runs.doc"), vec!["READ-DOC-HIDDEN"]);
    assert!(rules("template-filled.doc").is_empty());
    let doc = read_doc(&fixtures().join("split-runs.doc"));
    assert!(doc.properties.contains(&("title".to_owned(), "拆分的文字".to_owned())));
    assert!(doc.text.contains("电话\t0591-23165370"), "{}", doc.text);
}
