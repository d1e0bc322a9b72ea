//! Round trips: every report of the development corpus and thousands of random valid reports are
//! rendered, read back through gongkai's reading facade and recognizer
//! (`gongkai_extract::read` + `gongkai_parse::parse`), and must give identical cells.
//!
//! Every format is read back: HTML, DOCX and PDF by their readers, Markdown by the text reader,
//! XLSX by `gongkai-read-xlsx`. For XLSX the grids are also compared at the document level (every
//! printed table appears with the same merges and text in every cell).

#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{assert_grids_read_back, corpus, renderer, xlsx_document};
use gongkai_model::{Report, TableId};
use gongkai_render::{Options, OutputFormat, ReportDoc};
use proptest::prelude::*;

/// The formats read back.
const READABLE: [OutputFormat; 5] = [
    OutputFormat::Html,
    OutputFormat::Docx,
    OutputFormat::Xlsx,
    OutputFormat::Pdf,
    OutputFormat::Markdown,
];

/// Renders `report` as `format`, reads it back, and returns a description of every difference
/// in the tables' cells (empty when identical).
fn differences(report: &Report, format: OutputFormat) -> Vec<String> {
    let d = ReportDoc::new(report, &[], None, Options::default()).unwrap();
    let bytes = renderer().render(&d, format).unwrap();
    let name = format!("report.{}", format.extension());
    let doc = gongkai_extract::read(&name, &bytes, &gongkai_doc::Limits::default()).unwrap();
    let back = gongkai_parse::parse(&doc).report;
    let mut diffs = Vec::new();
    for id in [TableId::T2, TableId::T3, TableId::T4] {
        let (Some(want), got) = (report.table(id), back.table(id)) else { continue };
        let Some(got) = got else {
            diffs.push(format!("{format}: {id} not read back"));
            continue;
        };
        if want.layout() != got.layout() {
            diffs.push(format!(
                "{format}: {id} layout {:?} read as {:?}",
                want.layout(),
                got.layout()
            ));
            continue;
        }
        for (w, g) in want.cells().iter().zip(got.cells()) {
            if w.value != g.value {
                diffs.push(format!(
                    "{format}: {} printed {} read {}",
                    w.key,
                    w.value.tsv(),
                    g.value.tsv()
                ));
            }
        }
    }
    diffs
}

#[test]
fn corpus_reads_back_identically() {
    let mut all = Vec::new();
    for (name, report) in corpus() {
        for format in READABLE {
            all.extend(differences(&report, format).into_iter().map(|d| format!("{name}: {d}")));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn sample_reports_read_back_identically() {
    for name in ["sample-2023.json", "sample-2022.json", "sample-2020-trial.json"] {
        for format in READABLE {
            let d = differences(&common::sample(name), format);
            assert!(d.is_empty(), "{name}: {}", d.join("\n"));
        }
    }
}

#[test]
fn corpus_xlsx_grids_read_back() {
    for (name, report) in corpus() {
        let d = ReportDoc::new(&report, &[], None, Options::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let bytes = renderer().render(&d, OutputFormat::Xlsx).unwrap();
        assert_grids_read_back(&d, &xlsx_document(&bytes));
    }
}

/// Random cases per property: `GONGKAI_PROPTEST_CASES` (default 256; PDF, which typesets a whole
/// document per case, runs a quarter of them).
fn cases() -> u32 {
    std::env::var("GONGKAI_PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256)
}

/// The formats read back in the fast property (all but PDF).
const FAST: [OutputFormat; 4] =
    [OutputFormat::Html, OutputFormat::Docx, OutputFormat::Xlsx, OutputFormat::Markdown];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_reports_read_back_identically(report in common::random::report_with(true)) {
        for format in FAST {
            let d = differences(&report, format);
            prop_assert!(d.is_empty(), "{}", d.join("\n"));
        }
    }

    #[test]
    fn random_reports_xlsx_grids_read_back(report in common::random::report_with(true)) {
        let d = ReportDoc::new(&report, &[], None, Options::default()).unwrap();
        let bytes = renderer().render(&d, OutputFormat::Xlsx).unwrap();
        assert_grids_read_back(&d, &xlsx_document(&bytes));
    }
}

/// Blank and not-applicable cells in Table 2 rows, including the trial 行政事业性收费 row whose
/// second cell spans two columns, read back as blank and `/`.
#[test]
fn t2_blank_and_not_applicable_cells_read_back() {
    use gongkai_model::{CellKey, T2Col, T2Row, Value};
    let mut a = common::sample("sample-2023.json");
    let t2 = a.t2.as_mut().unwrap();
    t2.set(CellKey::t2(T2Row::NormativeDocuments, T2Col::Repealed), Value::Blank);
    t2.set(
        CellKey::t2(T2Row::NormativeDocuments, T2Col::InForce),
        Value::NotApplicable("/".into()),
    );
    let mut b = common::sample("sample-2020-trial.json");
    b.t2.as_mut().unwrap().set(CellKey::t2(T2Row::Fees, T2Col::PrevItems), Value::Blank);
    for report in [&a, &b] {
        for format in READABLE {
            let d = differences(report, format);
            assert!(d.is_empty(), "{}", d.join("\n"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases().div_ceil(4), ..ProptestConfig::default() })]

    #[test]
    fn random_reports_pdf_read_back_identically(report in common::random::report_with(true)) {
        let d = differences(&report, OutputFormat::Pdf);
        prop_assert!(d.is_empty(), "{}", d.join("\n"));
    }
}

/// A Table 2 row with no number at all (a blank and a `/`) reads back in every format, PDF
/// included (where the reader must place the cells by the header's columns).
#[test]
fn row_without_numbers_reads_back() {
    use gongkai_model::{CellKey, T2Col, T2Row, Value};
    let mut b = common::sample("sample-2020-trial.json");
    let t2 = b.t2.as_mut().unwrap();
    t2.set(CellKey::t2(T2Row::Procurement, T2Col::Items), Value::Blank);
    t2.set(CellKey::t2(T2Row::Procurement, T2Col::Amount), Value::NotApplicable("/".into()));
    for format in READABLE {
        let d = differences(&b, format);
        assert!(d.is_empty(), "{}", d.join("\n"));
    }
}
