//! PDF reports per second: `read` on the development corpus PDF (5 pages, three ruled tables)
//! and on the small fixtures. Compare with `benches/pdfplumber_baseline.py`, which times Python
//! pdfplumber's `extract_tables` on the same file in the same run (see docs/reader-pdf.md).

#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_doc::Limits;

fn bench(c: &mut Criterion) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
    let files = [
        ("hongze-2024", format!("{root}../../fixtures/corpus/dev/raw/hongze-2024.pdf")),
        ("lo_merged", format!("{root}tests/fixtures/lo_merged.pdf")),
        ("gbk_simsun", format!("{root}tests/fixtures/gbk_simsun.pdf")),
    ];
    let limits = Limits::default();
    let mut group = c.benchmark_group("read_pdf");
    group.throughput(Throughput::Elements(1));
    for (name, path) in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        group.bench_function(name, |b| {
            b.iter(|| {
                gongkai_read_pdf::read(name, std::hint::black_box(&bytes), &limits)
                    .map(|d| d.blocks.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
