//! Documents per second reading the development corpus page, against a baseline measured in the
//! same run: html5ever (through scraper) parsing the already-decoded page and nothing else. The
//! ratio is the reader's own cost (decoding, pre-scan, content root, layout) on top of parsing.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_doc::Limits;

fn page() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/corpus/dev/raw/pingtan-2021.html"
    ))
    .expect("the corpus page")
}

fn bench(c: &mut Criterion) {
    let bytes = page();
    let text = String::from_utf8(bytes.clone()).expect("UTF-8 page");
    let limits = Limits::default();
    let mut g = c.benchmark_group("pingtan-2021.html");
    g.throughput(Throughput::Elements(1));
    g.bench_function("baseline: scraper::Html::parse_document", |b| {
        b.iter(|| scraper::Html::parse_document(std::hint::black_box(&text)));
    });
    g.bench_function("gongkai_read_html::read", |b| {
        b.iter(|| {
            gongkai_read_html::read("pingtan-2021.html", std::hint::black_box(&bytes), &limits)
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
