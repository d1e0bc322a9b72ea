//! Batch throughput on one and two worker threads, in one run so that the figures can be stated
//! as a ratio on a shared machine:
//!
//! - `generated/…`: 200 consistent reports from `gongkai_testkit`, half Markdown text, half HTML
//!   pages, written to a temporary directory;
//! - `dev/…`: the development corpus (text, crawler text, HTML, PDF, OCR Markdown, DOCX).
//!
//! Each iteration is a whole batch (read → recognise → check → series → cross-year rules) without
//! writing outputs; throughput is in reports per second.

#![allow(missing_docs, reason = "criterion_group! generates undocumented items")]

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gongkai_batch::{Options, run};

const GENERATED: usize = 200;

fn dev_corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw");
    gongkai_batch::expand(&[dir]).map(|e| e.files).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => panic!("temporary directory: {e}"),
    };
    let generated = support::write_corpus(tmp.path(), GENERATED);
    for (name, files) in [("generated", generated), ("dev", dev_corpus())] {
        let mut g = c.benchmark_group(format!("batch/{name}"));
        g.throughput(Throughput::Elements(files.len() as u64));
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(20));
        for jobs in [1usize, 2] {
            let options = Options { jobs: Some(jobs), ..Options::default() };
            g.bench_with_input(BenchmarkId::new("threads", jobs), &files, |b, files| {
                b.iter(|| std::hint::black_box(run(files, &options, &|_| {}).ok()));
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
