//! Read + check throughput on the development text reports.
//!
//! Three measurements in one run, so that figures can be stated as ratios on a noisy machine:
//! - `decode`: bytes → document only (the baseline);
//! - `read`: bytes → document → recognised report;
//! - `read+check`: the whole `gongkai check` pipeline without printing.

#![allow(missing_docs, reason = "criterion_group! generates undocumented items")]

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_doc::Limits;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw");
    ["dazhanglou-2022.txt", "pingtan-2021.txt", "shuyang-2025-ocr.txt"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(dir.join(n)).unwrap_or_default()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let limits = Limits::default();
    let mut g = c.benchmark_group("text-reports");
    g.throughput(Throughput::Elements(files.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for (n, bytes) in &files {
                std::hint::black_box(gongkai_read_text::read(n, bytes, &limits).ok());
            }
        });
    });
    g.bench_function("read", |b| {
        b.iter(|| {
            for (n, bytes) in &files {
                if let Ok(doc) = gongkai_read_text::read(n, bytes, &limits) {
                    std::hint::black_box(gongkai_parse::parse(&doc));
                }
            }
        });
    });
    g.bench_function("read+check", |b| {
        b.iter(|| {
            for (n, bytes) in &files {
                if let Ok(doc) = gongkai_read_text::read(n, bytes, &limits) {
                    let p = gongkai_parse::parse(&doc);
                    std::hint::black_box(gongkai_rules::check(&p.report));
                }
            }
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
