//! Throughput of tables from records: replaying stored applications into cases, and counting a
//! year's tables from replayed cases. Baseline in the same run: a bare pass over the cases that
//! only reads their receipt dates.
#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gongkai_calendar::{Calendar, date};
use gongkai_cases::synth::{self, Plan};
use gongkai_cases::tables::{annual, count_t3};
use gongkai_cases::{Case, Env, Policy};

fn bench(c: &mut Criterion) {
    let cal = Calendar::official();
    let policy = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &policy };
    let n = std::env::var("GONGKAI_BENCH_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000usize);
    let plan = Plan {
        agency: "基准".into(),
        from: date(2023, 1, 1),
        as_of: date(2024, 12, 31),
        cases: n,
        proactive_items: 0,
        every_outcome: false,
        other_registers: false,
    };
    let reg = synth::register(7, &plan, env);
    let records = reg.cases.clone();
    let cases: Vec<Case> = reg.replay(plan.as_of, env).expect("synthetic registers replay");
    let mut g = c.benchmark_group("tables_from_records");
    g.sample_size(10);
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function(BenchmarkId::new("baseline_scan", cases.len()), |b| {
        b.iter(|| cases.iter().filter(|c| c.received().year() == 2024).count());
    });
    g.bench_function(BenchmarkId::new("count_t3", cases.len()), |b| {
        b.iter(|| count_t3(&cases, 2024))
    });
    g.bench_function(BenchmarkId::new("annual_report", cases.len()), |b| {
        // The plan has no other registers: the cases alone.
        let r = reg.records(&cases);
        b.iter(|| annual(&r, 2024, &cal));
    });
    g.bench_function(BenchmarkId::new("replay_then_count", records.len()), |b| {
        b.iter(|| {
            let cases: Vec<Case> = records
                .iter()
                .filter_map(|r| Case::replay(r.clone(), plan.as_of, env).ok())
                .collect();
            count_t3(&cases, 2024)
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
