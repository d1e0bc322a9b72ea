//! What people see, pinned: the HTML text and the Markdown of the sample reports, structural dumps
//! of DOCX and XLSX (not bytes), and hashed references of the PDF and the chart images.

#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{check_ref, docx_dump, renderer, sample, xlsx_document};
use gongkai_render::{Options, OutputFormat, ReportDoc};

fn doc(name: &str, previous: &[&str]) -> ReportDoc {
    let prev: Vec<_> = previous.iter().map(|p| sample(p)).collect();
    ReportDoc::new(&sample(name), &prev, None, Options::default()).unwrap()
}

fn render(d: &ReportDoc, f: OutputFormat) -> Vec<u8> {
    renderer().render(d, f).unwrap()
}

#[test]
fn html_2023() {
    let html = String::from_utf8(render(
        &doc("sample-2023.json", &["sample-2022.json"]),
        OutputFormat::Html,
    ))
    .unwrap();
    insta::assert_snapshot!(html);
}

#[test]
fn html_trial_2020() {
    let d = ReportDoc::new(&sample("sample-2020-trial.json"), &[], None, Options { charts: false })
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(render(&d, OutputFormat::Html)).unwrap());
}

#[test]
fn markdown_2023() {
    insta::assert_snapshot!(
        String::from_utf8(render(&doc("sample-2023.json", &[]), OutputFormat::Markdown)).unwrap()
    );
}

#[test]
fn markdown_trial_2020() {
    insta::assert_snapshot!(
        String::from_utf8(render(&doc("sample-2020-trial.json", &[]), OutputFormat::Markdown))
            .unwrap()
    );
}

#[test]
fn docx_2023_structure() {
    insta::assert_snapshot!(docx_dump(&render(
        &doc("sample-2023.json", &["sample-2022.json"]),
        OutputFormat::Docx
    )));
}

#[test]
fn docx_trial_2020_structure() {
    insta::assert_snapshot!(docx_dump(&render(
        &doc("sample-2020-trial.json", &[]),
        OutputFormat::Docx
    )));
}

#[test]
fn xlsx_2023_structure() {
    let bytes = render(&doc("sample-2023.json", &["sample-2022.json"]), OutputFormat::Xlsx);
    let names: Vec<String> = common::unzip(&bytes).into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().any(|n| n.starts_with("xl/charts/chart")), "native charts: {names:?}");
    insta::assert_snapshot!(gongkai_doc::dump(&xlsx_document(&bytes)));
}

#[test]
fn pdf_2023_reference() {
    let bytes = render(&doc("sample-2023.json", &["sample-2022.json"]), OutputFormat::Pdf);
    check_ref("sample-2023.pdf", &bytes);
}

#[test]
fn pdf_trial_2020_reference() {
    check_ref(
        "sample-2020-trial.pdf",
        &render(&doc("sample-2020-trial.json", &[]), OutputFormat::Pdf),
    );
}

#[test]
fn chart_images_reference() {
    let d = doc("sample-2023.json", &["sample-2022.json"]);
    let raster = renderer().rasterizer().unwrap();
    for c in &d.charts {
        let (png, _, _) = raster.png(&c.svg(), 2.0).unwrap();
        check_ref(&format!("chart-{}.png", c.id), &png);
        insta::assert_snapshot!(format!("chart-{}.svg", c.id), c.svg());
    }
}
