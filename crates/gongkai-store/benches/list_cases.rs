//! The listing of an agency's applications on SQLite with 100,000 cases (issue 9: a page in well
//! under 50 ms): the first page by due date unfiltered and with each filter, a deep page, and the
//! count alone. Baseline in the same run: `Store::ping` (one `SELECT 1` through the same pool).
//!
//! `GONGKAI_BENCH_CASES` changes the number of cases (default 100,000). Setting up generates a
//! synthetic register, replays every case to derive its state and imports them in one
//! transaction (a minute or so); the measured calls only read.
#![allow(missing_docs, reason = "criterion's macros generate undocumented items")]
#![allow(clippy::expect_used, reason = "a benchmark stops at the first failure")]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gongkai_calendar::{Calendar, date};
use gongkai_cases::synth::{self, Plan};
use gongkai_cases::{Case, Env, Phase, Policy};
use gongkai_store::{
    CaseFilter, CaseState, Ctx, Level, NewCase, NewOrg, OrgId, OrgKind, PageRequest, RegionCode,
    Store,
};

const PAGE: PageRequest = PageRequest { offset: 0, limit: 50 };

fn bench(c: &mut Criterion) {
    let n = std::env::var("GONGKAI_BENCH_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000usize);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temporary directory");
    let (store, agency, cases) = rt.block_on(setup(dir.path(), n));
    let mut g = c.benchmark_group("list_cases");
    g.sample_size(30);
    let filters = [
        ("all", CaseFilter::default()),
        ("open", CaseFilter { open_only: true, ..CaseFilter::default() }),
        ("year_2024", CaseFilter { year: Some(2024), ..CaseFilter::default() }),
        (
            "awaiting_correction",
            CaseFilter { phase: Some(Phase::AwaitingCorrection), ..CaseFilter::default() },
        ),
        ("open_2025", CaseFilter { open_only: true, year: Some(2025), phase: None }),
    ];
    g.bench_function(BenchmarkId::new("baseline_ping", cases), |b| {
        b.iter(|| rt.block_on(store.ping()).expect("ping"));
    });
    for (name, filter) in filters {
        g.bench_function(BenchmarkId::new(format!("first_page_{name}"), cases), |b| {
            b.iter(|| rt.block_on(store.list_cases(agency, &filter, PAGE)).expect("list"));
        });
    }
    let deep = PageRequest { offset: (cases / 2) as u64, limit: 50 };
    g.bench_function(BenchmarkId::new("middle_page_all", cases), |b| {
        b.iter(|| {
            rt.block_on(store.list_cases(agency, &CaseFilter::default(), deep)).expect("list")
        });
    });
    g.finish();
    rt.block_on(store.close());
}

/// A store with one agency holding `n` synthetic cases (2023–2025) and their derived states.
async fn setup(dir: &std::path::Path, n: usize) -> (Store, OrgId, usize) {
    let cal = Calendar::official();
    let policy = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &policy };
    let today = date(2025, 12, 31);
    let plan = Plan {
        agency: "基准".into(),
        from: date(2023, 1, 1),
        as_of: date(2025, 11, 30),
        cases: n,
        proactive_items: 0,
        every_outcome: false,
        other_registers: false,
    };
    let register = synth::register(7, &plan, env);
    let cases: Vec<NewCase> = register
        .cases
        .into_iter()
        .map(|record| {
            let case = Case::replay(record.clone(), today, env).expect("synthetic cases replay");
            NewCase::new(record, None, CaseState::of(&case))
        })
        .collect();
    let store = Store::open_data_dir(dir).await.expect("open");
    let ctx = Ctx { user: None, at: jiff::Timestamp::UNIX_EPOCH, origin: "bench".into() };
    let org = |parent, kind, name: &str| NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: RegionCode::parse("330100").expect("region"),
    };
    let office = store.create_org(&ctx, &org(None, OrgKind::Office, "办")).await.expect("office");
    let agency = store
        .create_org(&ctx, &org(Some(office.id), OrgKind::Agency, "局"))
        .await
        .expect("agency")
        .id;
    for chunk in cases.chunks(10_000) {
        store.create_cases(&ctx, agency, chunk).await.expect("import");
    }
    (store, agency, cases.len())
}

criterion_group!(benches, bench);
criterion_main!(benches);
