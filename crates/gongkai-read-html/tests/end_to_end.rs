//! End to end: the development corpus page and hand-made CMS pages, read by this reader and
//! recognised by `gongkai-parse`, give exactly their expected cell lists
//! (`make_html_fixtures.py` writes each hand-made page and its cell list from the same values).

use std::path::Path;

use gongkai_model::Layout;
use gongkai_model::tsv::{parse_tsv, to_tsv};

fn fixture(name: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::read(dir.join(name)).expect("fixture")
}

fn lines(tsv: &str) -> Vec<String> {
    let list = parse_tsv(tsv).expect("cell list parses");
    list.cells.iter().map(|(k, v)| format!("{k}\t{}", v.tsv())).collect()
}

#[test]
fn pingtan_page_reads_to_its_expected_cells() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev");
    let bytes = std::fs::read(dir.join("raw/pingtan-2021.html")).expect("corpus page");
    let doc = gongkai_read_html::read("pingtan-2021.html", &bytes, &gongkai_doc::Limits::default())
        .expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    let expected = std::fs::read_to_string(dir.join("expected/pingtan-2021.html.tsv"))
        .expect("expected cells");
    assert_eq!(lines(&to_tsv(&parsed.report)), lines(&expected));
}

/// 2019 trial tables as a provincial CMS serves them: Table 2 as one grid with colspans in
/// varying places, the results group as one vertical cell spanning twenty rows, the outcome rows'
/// total column left blank, `&nbsp;` blanks, a signed `+4`, the amount printed with `元`.
#[test]
fn cms_page_with_2019_trial_tables_reads_exactly() {
    let doc = gongkai_read_html::read(
        "cms-2019-trial.html",
        &fixture("cms-2019-trial.html"),
        &gongkai_doc::Limits::default(),
    )
    .expect("readable");
    let parsed = gongkai_parse::parse(&doc);
    let report = &parsed.report;
    assert_eq!(report.meta.year.as_ref().map(|y| y.value), Some(2019));
    for table in [&report.t2, &report.t3] {
        assert_eq!(table.as_ref().map(|t| t.layout()), Some(Layout::Trial2019));
    }
    let expected =
        String::from_utf8(fixture("cms-2019-trial.html.tsv")).expect("expected list is UTF-8");
    assert_eq!(lines(&to_tsv(report)), lines(&expected));
}
