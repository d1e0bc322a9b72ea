//! Roll-up over 2,000 reports (the target: < 200 ms), with a baseline measured in the same
//! run: cloning the 2,000 reports (the least any consumer of them does).
//!
//! `cargo bench -p gongkai-rollup --bench rollup`

#![allow(missing_docs, reason = "criterion_group! generates undocumented items")]

use criterion::{Criterion, criterion_group, criterion_main};
use gongkai_model::Report;
use gongkai_rollup::{Agency, rollup};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

const REPORTS: usize = 2_000;

/// 2,000 random consistent reports, the same in every run.
fn reports() -> Vec<Report> {
    let mut runner = TestRunner::deterministic();
    let strategy = gongkai_testkit::arb_report();
    (0..REPORTS).filter_map(|_| strategy.new_tree(&mut runner).ok().map(|t| t.current())).collect()
}

fn bench(c: &mut Criterion) {
    let reports = reports();
    assert_eq!(reports.len(), REPORTS);
    let agencies: Vec<Agency> =
        (0i64..).take(REPORTS).map(|id| Agency { id, name: format!("机关{id}") }).collect();
    let mut group = c.benchmark_group("rollup_2000");
    group.sample_size(20);
    group.bench_function("baseline_clone_reports", |b| {
        b.iter(|| std::hint::black_box(reports.clone()));
    });
    group.bench_function("rollup", |b| {
        b.iter(|| {
            let r = rollup("某市政务公开办", 2024, agencies.iter().cloned().zip(&reports), []);
            std::hint::black_box(r.unknown_cells())
        });
    });
    group.bench_function("rollup_and_cause_groups", |b| {
        b.iter(|| {
            let r = rollup("某市政务公开办", 2024, agencies.iter().cloned().zip(&reports), []);
            std::hint::black_box(r.cause_groups().len())
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
