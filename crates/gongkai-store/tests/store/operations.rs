//! Property: whatever sequence of operations the web application may send — register a case,
//! append an event `Case::apply` accepts (with or without a correction reason), a stale append,
//! import the other registers (replace or append), save a draft (current or stale), publish —
//! the store ends in the state a replay of what it accepted gives: the same case records, the same
//! case-state cache as derived from them, the same registers, drafts, published versions and year
//! locks; every refusal is the typed one the model expects. On both backends: SQLite always,
//! PostgreSQL on the test cluster.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use gongkai_calendar::Calendar;
use gongkai_cases::{Case, CaseId, CaseRecord, Env, Policy, Register};
use gongkai_store::{
    Append, CaseFilter, Ctx, DraftSave, ImportMode, Level, NewCase, NewOrg, OrgId, OrgKind,
    PageRequest, Publication, RegionCode, RegisterSheet, StoreError,
};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::listing::derive;
use crate::property::{Candidate, event};
use crate::registers::import_of;
use crate::stories::intake;
use crate::support::{self, Fresh};

const TODAY: Date = date(2025, 12, 31);
const WHY: &str = "更正";

/// How often each outcome happened over a run: the property says something only if the
/// generator reaches them.
#[derive(Default)]
struct Tally {
    appended: AtomicUsize,
    corrections: AtomicUsize,
    locked: AtomicUsize,
    conflicts: AtomicUsize,
    imports: AtomicUsize,
    stale_saves: AtomicUsize,
    publications: AtomicUsize,
}

static TALLY: std::sync::LazyLock<[Tally; 2]> = std::sync::LazyLock::new(Default::default);

fn count(backend: usize, what: impl Fn(&Tally) -> &AtomicUsize) {
    what(&TALLY[backend]).fetch_add(1, Ordering::Relaxed);
}

/// One operation.
#[derive(Clone, Debug)]
enum Op {
    /// Register a case received this many days after 2024-01-02.
    Create { day: i64, reason: bool },
    /// Append the candidate event to the case of this index, if `Case::apply` accepts it.
    Append { case: usize, cand: Candidate, reason: bool },
    /// Append to the case of this index naming an older version.
    Stale { case: usize },
    /// Import the other registers generated from a seed.
    Import { seed: u64, append: bool, reason: bool },
    /// Save the draft of a year, naming the current or an older version.
    Save { year: i16, stale: bool },
    /// Publish a year.
    Publish { year: i16 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0_i64..690, any::<bool>()).prop_map(|(day, reason)| Op::Create { day, reason }),
        6 => (any::<usize>(), (0_u8..14, 0_i64..40, any::<u8>()), any::<bool>())
            .prop_map(|(case, cand, reason)| Op::Append { case, cand, reason }),
        1 => any::<usize>().prop_map(|case| Op::Stale { case }),
        1 => (0_u64..4, any::<bool>(), any::<bool>())
            .prop_map(|(seed, append, reason)| Op::Import { seed, append, reason }),
        1 => (2024_i16..=2025, any::<bool>()).prop_map(|(year, stale)| Op::Save { year, stale }),
        1 => (2024_i16..=2025).prop_map(|year| Op::Publish { year }),
    ]
}

/// What the store should hold: a replay of what it accepted.
#[derive(Default)]
struct Model {
    cases: BTreeMap<CaseId, CaseRecord>,
    other: Option<Register>,
    drafts: BTreeMap<i16, (u32, String)>,
    published: BTreeMap<i16, Vec<String>>,
    locks: BTreeSet<i16>,
    next: u32,
    /// Which tally: 0 SQLite, 1 PostgreSQL.
    backend: usize,
}

impl Model {
    /// Whether a change of records of `year` alters a published year.
    fn locked(&self, year: i16) -> bool {
        self.locks.range(year..).next().is_some()
    }
}

fn env_check<T: std::fmt::Debug>(what: &str, ok: bool, got: &T) -> Result<(), String> {
    if ok { Ok(()) } else { Err(format!("{what}: {got:?}")) }
}

/// The other registers of a seed: documents, decisions, fees, disputes, proactive items.
fn other_registers(seed: u64) -> Register {
    let mut r = crate::registers::synthetic(seed, 0);
    r.cases.clear();
    r.personal.clear();
    r
}

async fn apply(fresh: &Fresh, agency: OrgId, m: &mut Model, op: Op) -> Result<(), String> {
    let store = &fresh.store;
    let calendar = Calendar::official();
    let env = Env { calendar: &calendar, policy: &Policy::CONSERVATIVE };
    let c = Ctx { user: None, at: jiff::Timestamp::UNIX_EPOCH, origin: "proptest".into() };
    match op {
        Op::Create { day, reason } => {
            let received = date(2024, 1, 2).checked_add(day.days()).map_err(|e| e.to_string())?;
            m.next += 1;
            let key = format!("C{:03}", m.next);
            let record = CaseRecord { intake: intake(&key, received), events: vec![] };
            let Some(state) = derive(&record) else { return Ok(()) };
            let mut new = NewCase::new(record.clone(), None, state);
            if reason {
                new = new.with_correction(WHY);
            }
            let got = store.create_case(&c, agency, &new).await;
            if m.locked(received.year()) && !reason {
                env_check(
                    "a locked create",
                    matches!(got, Err(StoreError::YearLocked { .. })),
                    &got,
                )?;
                count(m.backend, |t| &t.locked);
            } else {
                got.map_err(|e| format!("create {key}: {e}"))?;
                if m.locked(received.year()) {
                    count(m.backend, |t| &t.corrections);
                }
                m.cases.insert(record.intake.id.clone(), record);
            }
        }
        Op::Append { case, cand, reason } => {
            let Some(record) = m.cases.values().nth(case % m.cases.len().max(1)).cloned() else {
                return Ok(());
            };
            let memory = Case::replay(record.clone(), TODAY, env).map_err(|e| e.1.to_string())?;
            let last = record.events.last().map_or(record.intake.received(), |e| e.on());
            let on = last.checked_add(cand.1.days()).map_err(|e| e.to_string())?;
            let ev = event(cand, on);
            let Ok(next) = memory.apply(ev.clone(), TODAY, env) else { return Ok(()) };
            let state = gongkai_store::CaseState::of(&next);
            let version = record.events.len() as u64;
            let mut append = Append::new(version, &ev, &state);
            if reason {
                append = append.with_correction(WHY);
            }
            let id = record.intake.id.clone();
            let got = store.append_case_event(&c, agency, &id, &append).await;
            if m.locked(on.year()) && !reason {
                env_check(
                    "a locked append",
                    matches!(got, Err(StoreError::YearLocked { .. })),
                    &got,
                )?;
                count(m.backend, |t| &t.locked);
            } else {
                let stored = got.map_err(|e| format!("append to {id}: {e}"))?;
                env_check("the appended record", stored.record == next.record(), &stored)?;
                count(m.backend, |t| &t.appended);
                if m.locked(on.year()) {
                    count(m.backend, |t| &t.corrections);
                }
                m.cases.insert(id, next.record());
            }
        }
        Op::Stale { case } => {
            let Some(record) = m.cases.values().nth(case % m.cases.len().max(1)).cloned() else {
                return Ok(());
            };
            let Some(ev) = record.events.last() else { return Ok(()) };
            let version = record.events.len() as u64 - 1;
            let state = derive(&record).ok_or("the model's case replays")?;
            let append = Append::new(version, ev, &state).with_correction(WHY);
            let got = store.append_case_event(&c, agency, &record.intake.id, &append).await;
            let ok = matches!(&got, Err(StoreError::Conflict(k)) if k.current.record == record);
            env_check("a stale append", ok, &got)?;
            count(m.backend, |t| &t.conflicts);
        }
        Op::Import { seed, append, reason } => {
            let reg = other_registers(seed);
            let mode = if append { ImportMode::Append } else { ImportMode::Replace };
            let mut import = import_of(&reg, mode);
            if reason {
                import = import.with_correction(WHY);
            }
            match store.import_register(&c, agency, &import).await {
                Ok(_) => {
                    count(m.backend, |t| &t.imports);
                    let other = m.other.get_or_insert_with(|| Register::new("x"));
                    for sheet in RegisterSheet::ALL {
                        merge(other, &reg, sheet, append);
                    }
                }
                Err(StoreError::YearLocked { year }) if !reason && m.locks.contains(&year) => {
                    count(m.backend, |t| &t.locked);
                }
                Err(e) => return Err(format!("import: {e}")),
            }
        }
        Op::Save { year, stale } => {
            let (current, _) = m.drafts.get(&year).cloned().unwrap_or((0, String::new()));
            let expected = if stale && current > 0 { current - 1 } else { current };
            let prose = BTreeMap::from([("overview".to_owned(), format!("第{}稿", current + 1))]);
            let report = format!(r#"{{"year":{year},"draft":{}}}"#, current + 1);
            let got = store
                .save_draft(&c, agency, &DraftSave::new(year, expected, &prose, &report))
                .await;
            if expected == current {
                let d = got.map_err(|e| format!("save: {e}"))?;
                m.drafts.insert(year, (d.version, report));
            } else {
                env_check("a stale save", matches!(got, Err(StoreError::DraftConflict(_))), &got)?;
                count(m.backend, |t| &t.stale_saves);
            }
        }
        Op::Publish { year } => {
            let versions = m.published.entry(year).or_default();
            let report = format!(r#"{{"year":{year},"cases":{}}}"#, m.cases.len());
            let reason = (!versions.is_empty()).then_some(WHY);
            let publication = Publication { year, report: &report, reason };
            store
                .publish_report(&c, agency, &publication)
                .await
                .map_err(|e| format!("publish: {e}"))?;
            versions.push(report);
            count(m.backend, |t| &t.publications);
            m.locks.insert(year);
        }
    }
    Ok(())
}

/// A sheet of `from` replacing or appended to the same sheet of `to`.
fn merge(to: &mut Register, from: &Register, sheet: RegisterSheet, append: bool) {
    fn put<T: Clone>(to: &mut Vec<T>, from: &[T], append: bool) {
        if !append {
            to.clear();
        }
        to.extend_from_slice(from);
    }
    match sheet {
        RegisterSheet::Proactive => put(&mut to.proactive, &from.proactive, append),
        RegisterSheet::Documents => put(&mut to.documents, &from.documents, append),
        RegisterSheet::Decisions => put(&mut to.decisions, &from.decisions, append),
        RegisterSheet::FeesCollected => put(&mut to.fees_collected, &from.fees_collected, append),
        RegisterSheet::Disputes => put(&mut to.disputes, &from.disputes, append),
    }
}

/// The store against the model.
async fn compare(fresh: &Fresh, agency: OrgId, m: &Model) -> Result<(), String> {
    let store = &fresh.store;
    let loaded = store.load_register(agency).await.map_err(|e| e.to_string())?;
    let cases: Vec<CaseRecord> = m.cases.values().cloned().collect();
    env_check("the case records", loaded.cases == cases, &loaded.cases)?;
    let other = m.other.clone().unwrap_or_else(|| Register::new("x"));
    let same = loaded.proactive == other.proactive
        && loaded.documents == other.documents
        && loaded.decisions == other.decisions
        && loaded.fees_collected == other.fees_collected
        && loaded.disputes == other.disputes;
    env_check("the other registers", same, &loaded)?;
    let page = store
        .list_cases(agency, &CaseFilter::default(), PageRequest { offset: 0, limit: 1000 })
        .await
        .map_err(|e| e.to_string())?;
    env_check("the listing's total", page.total == cases.len() as u64, &page.total)?;
    for item in &page.items {
        let record = m.cases.get(&item.case).ok_or("a listed case the model lacks")?;
        let fits = item.state == derive(record) && item.version == record.events.len() as u64;
        env_check("a cached state", fits, item)?;
    }
    for (year, (version, report)) in &m.drafts {
        let d = store.draft(agency, *year).await.map_err(|e| e.to_string())?;
        let fits = d.as_ref().is_some_and(|d| d.version == *version && d.report == *report);
        env_check("a draft", fits, &d)?;
    }
    for (year, versions) in &m.published {
        for (i, report) in versions.iter().enumerate() {
            let v = u32::try_from(i + 1).map_err(|e| e.to_string())?;
            let p =
                store.published_report(agency, *year, Some(v)).await.map_err(|e| e.to_string())?;
            env_check("a published version", p.as_ref().is_some_and(|p| p.report == *report), &p)?;
        }
    }
    let locks: BTreeSet<i16> =
        store.year_locks(agency).await.map_err(|e| e.to_string())?.iter().map(|l| l.year).collect();
    env_check("the year locks", locks == m.locks, &locks)
}

async fn check(fresh: &Fresh, office: OrgId, ops: Vec<Op>, backend: usize) -> Result<(), String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let c = Ctx { user: None, at: jiff::Timestamp::UNIX_EPOCH, origin: "proptest".into() };
    let name = format!("机关{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let new = NewOrg {
        parent: Some(office),
        kind: OrgKind::Agency,
        name,
        level: Level::County,
        region: RegionCode::parse("330100").map_err(|e| e.to_string())?,
    };
    let agency = fresh.store.create_org(&c, &new).await.map_err(|e| e.to_string())?.id;
    let mut m = Model { backend, ..Model::default() };
    for op in ops {
        let shown = format!("{op:?}");
        apply(fresh, agency, &mut m, op).await.map_err(|e| format!("{shown}: {e}"))?;
    }
    compare(fresh, agency, &m).await
}

fn run(open: impl std::future::Future<Output = Fresh>, backend: usize) {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let fresh = rt.block_on(open);
    let c = Ctx { user: None, at: jiff::Timestamp::UNIX_EPOCH, origin: "proptest".into() };
    let office = NewOrg {
        parent: None,
        kind: OrgKind::Office,
        name: "办".into(),
        level: Level::County,
        region: RegionCode::parse("330100").unwrap(),
    };
    let office = rt.block_on(fresh.store.create_org(&c, &office)).unwrap().id;
    let mut runner =
        TestRunner::new(Config { cases: 32, failure_persistence: None, ..Config::default() });
    let result = runner.run(&prop::collection::vec(op(), 1..30), |ops| {
        rt.block_on(check(&fresh, office, ops, backend)).map_err(TestCaseError::fail)
    });
    rt.block_on(fresh.store.close());
    if let Err(e) = result {
        panic!("{e}");
    }
    let t = &TALLY[backend];
    let n = |a: &AtomicUsize| a.load(Ordering::Relaxed);
    let seen = [
        ("appended events", n(&t.appended), 10),
        ("corrections under a lock", n(&t.corrections), 1),
        ("refusals for want of a reason", n(&t.locked), 1),
        ("stale appends", n(&t.conflicts), 1),
        ("imports", n(&t.imports), 1),
        ("stale saves", n(&t.stale_saves), 1),
        ("publications", n(&t.publications), 1),
    ];
    for (what, got, least) in seen {
        assert!(got >= least, "the generator reached only {got} {what}");
    }
}

#[test]
fn sqlite_operations_replay_to_the_stored_state() {
    run(support::sqlite(), 0);
}

#[test]
fn postgres_operations_replay_to_the_stored_state() {
    run(support::postgres(), 1);
}
