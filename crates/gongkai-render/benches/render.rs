//! Reports rendered per second, per format, on the sample 2023 report (with charts and a
//! previous year). The baseline in the same run is `layout` (building the format-independent
//! `ReportDoc`), which every format includes; report ratios against it.

#![allow(missing_docs, reason = "criterion macros")]
#![allow(clippy::unwrap_used, reason = "benchmark")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_model::json::ReportJson;
use gongkai_model::{CellKey, T2Col, T2Row, Value};
use gongkai_render::{FontSet, Options, OutputFormat, Renderer, ReportDoc};

fn sample(name: &str) -> gongkai_model::Report {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    ReportJson::parse(&std::fs::read_to_string(p).unwrap())
        .and_then(ReportJson::into_report)
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let report = sample("sample-2023.json");
    let previous = vec![sample("sample-2022.json")];
    let renderer = Renderer::new(FontSet::discover());
    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    g.bench_function("layout", |b| {
        b.iter(|| ReportDoc::new(&report, &previous, None, Options::default()).unwrap())
    });
    for format in [
        OutputFormat::Json,
        OutputFormat::Markdown,
        OutputFormat::Html,
        OutputFormat::Xlsx,
        OutputFormat::Docx,
        OutputFormat::Pdf,
    ] {
        // Warm up the font-dependent engines outside the measurement.
        let doc = ReportDoc::new(&report, &previous, None, Options::default()).unwrap();
        renderer.render(&doc, format).unwrap();
        // Each iteration renders a different report (one cell changes), so typst's memoisation
        // cannot serve a previous layout.
        let mut n = 0i64;
        let mut varied = report.clone();
        g.bench_function(format.key(), |b| {
            b.iter(|| {
                n += 1;
                if let Some(t2) = varied.t2.as_mut() {
                    t2.set(CellKey::t2(T2Row::Penalty, T2Col::Decisions), Value::int(n));
                }
                let doc = ReportDoc::new(&varied, &previous, None, Options::default()).unwrap();
                renderer.render(&doc, format).unwrap()
            });
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
