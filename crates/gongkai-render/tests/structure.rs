//! Structural checks of every format: the HTML tables parse with a browser-grade parser and carry
//! their headers; the DOCX tables have the template's merges; the PDF keeps real text; the
//! notice of a report written despite errors is visible everywhere; bad input is named.

#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{docx_dump, pdftotext, renderer, sample};
use gongkai_model::catalogue::{T3_BALANCE_NOTE, TableLayout};
use gongkai_model::{Finding, FindingKind, Layout, Msg, Severity, TableId};
use gongkai_render::{ErrorPolicy, Options, OutputFormat, ReportDoc, gate};
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

#[test]
fn html_tables_are_semantic_and_complete() {
    let report = sample("sample-2023.json");
    let d = ReportDoc::new(&report, &[], None, Options::default()).unwrap();
    let html = String::from_utf8(renderer().render(&d, OutputFormat::Html).unwrap()).unwrap();
    let page = Html::parse_document(&html);
    let tables: Vec<_> = page.select(&sel("table")).collect();
    assert_eq!(tables.len(), 3);
    for t in &tables {
        assert!(t.select(&sel("caption")).next().is_some());
        let ids: Vec<&str> =
            t.select(&sel("th[id]")).filter_map(|th| th.value().attr("id")).collect();
        for td in t.select(&sel("td")) {
            let headers = td.value().attr("headers").unwrap();
            assert!(!headers.is_empty());
            for h in headers.split(' ') {
                assert!(ids.contains(&h), "td headers {h} has no th");
            }
        }
        assert!(t.select(&sel("th")).all(|th| th.value().attr("scope").is_some()));
    }
    // Every cell of every table, by key, with the value as printed.
    for (id, t) in [(TableId::T2, &tables[0]), (TableId::T3, &tables[1]), (TableId::T4, &tables[2])]
    {
        let table = report.table(id).unwrap();
        let tds: Vec<_> = t.select(&sel("td")).collect();
        assert_eq!(tds.len(), table.cells().len());
        for (td, cell) in tds.iter().zip(table.cells()) {
            assert_eq!(td.value().attr("data-key"), Some(cell.key.to_string().as_str()));
            assert_eq!(td.text().collect::<String>(), cell.value.tsv());
        }
    }
    let note = tables[1].select(&sel("thead th")).next().unwrap();
    assert_eq!(note.text().collect::<String>(), T3_BALANCE_NOTE);
    assert_eq!(
        (note.value().attr("rowspan"), note.value().attr("colspan")),
        (Some("3"), Some("3"))
    );
    // No external assets; the machine-readable JSON is embedded and parses back to the report.
    assert!(page.select(&sel("link, img, script[src]")).next().is_none());
    let json = page
        .select(&sel("script[type='application/json']"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    let back = gongkai_model::json::ReportJson::parse(&json).and_then(|j| j.into_report()).unwrap();
    assert_eq!(back.t3, report.t3);
    assert!(page.select(&sel("figure svg[role=img] title")).count() >= 3);
}

#[test]
fn html_is_safe_against_hostile_text() {
    let mut r = sample("sample-2023.json");
    r.sections[0].text = "</script><script>alert(1)</script><b>粗</b>".into();
    let d = ReportDoc::new(&r, &[], None, Options::default()).unwrap();
    let html = String::from_utf8(renderer().render(&d, OutputFormat::Html).unwrap()).unwrap();
    let page = Html::parse_document(&html);
    assert_eq!(page.select(&sel("script")).count(), 1);
    assert!(page.select(&sel("article b")).next().is_none());
}

#[test]
fn docx_tables_have_the_template_merges() {
    let d =
        ReportDoc::new(&sample("sample-2023.json"), &[], None, Options { charts: false }).unwrap();
    let bytes = renderer().render(&d, OutputFormat::Docx).unwrap();
    let dump = docx_dump(&bytes);
    let xml = common::unzip(&bytes)
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .map(|(_, d)| String::from_utf8(d).unwrap())
        .unwrap();
    // Table 3: the note spans 3 columns and restarts a vertical merge over the 3 header rows.
    assert!(dump.contains(&format!("{{span3,vmerge:restart}}{T3_BALANCE_NOTE}")), "{dump}");
    assert!(dump.contains("{vmerge:restart}三、本年度办理结果"));
    assert!(dump.contains("{vmerge:restart}（三）不予公开"));
    assert!(dump.contains("{span7}申请人情况") && dump.contains("{span5}法人或其他组织"));
    assert!(dump.contains("{span5}行政复议") && dump.contains("{span10}行政诉讼"));
    assert!(dump.contains("{span4,fill:C6D9F1}第二十条第（一）项"));
    // Official faces are named for Word/WPS.
    for face in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"] {
        assert!(xml.contains(&format!("w:eastAsia=\"{face}\"")), "{face}");
    }
    // Page numbers `— 1 —`: odd pages right, even pages left.
    let footers: Vec<String> = common::unzip(&bytes)
        .into_iter()
        .filter(|(n, _)| n.starts_with("word/footer"))
        .map(|(_, d)| String::from_utf8(d).unwrap())
        .collect();
    assert_eq!(footers.len(), 2);
    assert!(footers.iter().all(|f| f.contains("PAGE") && f.contains("— ") && f.contains(" —")));
}

#[test]
fn pdf_keeps_real_text() {
    let report = sample("sample-2023.json");
    let d = ReportDoc::new(&report, &[], None, Options::default()).unwrap();
    let text = pdftotext(&renderer().render(&d, OutputFormat::Pdf).unwrap(), "structure-2023.pdf");
    // Lines wrap where the layout wraps them: compare without white space.
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for needle in [
        "示例县人民政府2023年政府信息公开工作年度报告",
        "一、总体情况",
        "六、其他需要报告的事项",
        "本年新收政府信息公开申请数量",
        "（一）予以公开",
        "行政诉讼",
        "未经复议直接起诉",
        "12846",
        "1532.46",
        "—1—",
    ] {
        assert!(text.contains(needle), "{needle} not in PDF text:\n{text}");
    }
}

/// The PDF ends like the DOCX: the signature (agency, then date) after the last paragraph, on
/// the last page, and no page after it.
#[test]
fn pdf_ends_with_the_signature_as_in_docx() {
    let d = ReportDoc::new(&sample("sample-2023.json"), &[], None, Options::default()).unwrap();
    let pdf = renderer().render_output(&d, OutputFormat::Pdf).unwrap();
    let text = pdftotext(&pdf.bytes, "signature-2023.pdf");
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(Some(pages.len()), pdf.pages, "no blank page");
    let last: Vec<&str> =
        pages.last().unwrap().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let n = last.len();
    assert!(n >= 3, "{last:?}");
    assert_eq!(&last[n - 3..n - 1], ["示例县人民政府", "2024年1月20日"], "{last:?}");
    let docx = docx_dump(&renderer().render(&d, OutputFormat::Docx).unwrap());
    assert!(docx.contains("示例县人民政府") && docx.contains("2024年1月20日"));
}

fn error_finding() -> Finding {
    Finding::new(
        "T3-BALANCE",
        Severity::Error,
        FindingKind::Source,
        Msg::new("自然人列不平衡", "unbalanced"),
    )
    .with_cells([gongkai_model::CellKey::t3(
        gongkai_model::T3Row::NewReceived,
        gongkai_model::T3Col::NaturalPerson,
    )])
}

#[test]
fn the_gate_refuses_errors_and_otherwise_prints_a_notice() {
    let f = vec![error_finding()];
    let report = sample("sample-2023.json");
    assert!(gate(&report, &f, ErrorPolicy::Refuse).is_err());
    let notice = gate(&report, &f, ErrorPolicy::AllowWithNotice).unwrap();
    let d = ReportDoc::new(&report, &[], notice, Options { charts: false }).unwrap();
    for format in [OutputFormat::Html, OutputFormat::Markdown] {
        let s = String::from_utf8(renderer().render(&d, format).unwrap()).unwrap();
        assert!(
            s.contains("本报告未通过校验") && s.contains("[T3-BALANCE] 自然人列不平衡"),
            "{format}"
        );
    }
    assert!(
        docx_dump(&renderer().render(&d, OutputFormat::Docx).unwrap()).contains("本报告未通过校验")
    );
    let text = pdftotext(&renderer().render(&d, OutputFormat::Pdf).unwrap(), "notice.pdf");
    assert!(text.contains("本报告未通过校验"));
    let wb = common::xlsx_document(&renderer().render(&d, OutputFormat::Xlsx).unwrap());
    assert!(wb.text.contains("本报告未通过校验"));
}

#[test]
fn a_missing_table_is_named() {
    let mut r = sample("sample-2023.json");
    r.t4 = None;
    let e = ReportDoc::new(&r, &[], None, Options::default()).unwrap_err();
    assert!(e.to_string().contains("tables.t4"), "{e}");
}

#[test]
fn trial_layouts_print_their_own_rows() {
    let d = ReportDoc::new(&sample("sample-2020-trial.json"), &[], None, Options { charts: false })
        .unwrap();
    let md = String::from_utf8(renderer().render(&d, OutputFormat::Markdown).unwrap()).unwrap();
    for r in TableLayout::get(TableId::T2, Layout::Trial2019).rows {
        assert!(md.contains(r.body), "{}", r.body);
    }
    assert!(md.contains("| （六）其他处理 |"));
    assert!(md.contains("第二十条第（九）项"));
}
