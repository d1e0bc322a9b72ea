//! Round trips: every report of the development corpus and thousands of random valid reports are
//! rendered and read back, and must give identical cells.
//!
//! Until the readers for HTML, DOCX, PDF and Markdown land on `main`, the XLSX output is read back
//! with `gongkai-read-xlsx` and compared at the grid level (every printed table appears as a grid
//! with the same merges and the same text in every cell).

#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{assert_grids_read_back, corpus, renderer, xlsx_document};
use gongkai_render::{Options, OutputFormat, ReportDoc};
use proptest::prelude::*;

#[test]
fn corpus_xlsx_reads_back() {
    for (name, report) in corpus() {
        let d = ReportDoc::new(&report, &[], None, Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let bytes = renderer().render(&d, OutputFormat::Xlsx).unwrap();
        assert_grids_read_back(&d, &xlsx_document(&bytes));
    }
}

fn cases() -> u32 {
    std::env::var("GONGKAI_PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_reports_xlsx_read_back(report in common::random::report()) {
        let d = ReportDoc::new(&report, &[], None, Options::default()).unwrap();
        let bytes = renderer().render(&d, OutputFormat::Xlsx).unwrap();
        assert_grids_read_back(&d, &xlsx_document(&bytes));
    }
}
