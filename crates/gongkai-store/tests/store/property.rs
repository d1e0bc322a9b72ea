//! Property: whatever sequence of events `Case::apply` accepts, appended one by one, replays from
//! the store to the same case as in memory; and an append naming a stale version always
//! conflicts, carrying the current case. Run on both backends, one database per backend shared by
//! the generated cases (each its own case id).

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use gongkai_calendar::Calendar;
use gongkai_cases::event::{Answer, Party};
use gongkai_cases::fee::FeeMethod;
use gongkai_cases::{Case, CaseEvent, CaseId, Env, Outcome, Phase, Policy};
use gongkai_store::{Ctx, Level, NewOrg, OrgId, OrgKind, RegionCode, StoreError};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rust_decimal::Decimal;

use crate::support::{self, Fresh};

/// One candidate event: which kind, how many calendar days after the previous one, a parameter.
pub type Candidate = (u8, i64, u8);

/// Days after 2025-03-03 the application arrives, then the candidates.
fn candidates() -> impl Strategy<Value = (i64, Vec<Candidate>)> {
    (0_i64..60, prop::collection::vec((0_u8..14, 0_i64..25, any::<u8>()), 0..14))
}

/// The event a candidate stands for, on `on`.
pub fn event((kind, _, p): Candidate, on: Date) -> CaseEvent {
    let later = |days: i64| on.checked_add(days.days()).unwrap_or(on);
    match kind {
        0 => {
            CaseEvent::CorrectionRequested { on, deadline: later(10), items: "补正事项".into() }
        }
        1 => CaseEvent::Corrected { on },
        2 => CaseEvent::CorrectionLapsed { on },
        3 => CaseEvent::ExtensionApproved {
            on,
            approved_by: "王主任".into(),
            days: 1 + u32::from(p % 20),
        },
        4 => CaseEvent::ExtensionNotified { on },
        5 => CaseEvent::ConsultationOpened {
            on,
            party: if p % 2 == 0 { Party::ThirdParty } else { Party::CoProducer },
            with: "某公司".into(),
        },
        6 => CaseEvent::ConsultationAnswered {
            on,
            answer: [Answer::Consent, Answer::Objection, Answer::NoReply][usize::from(p % 3)],
        },
        7 => CaseEvent::FeeNoticeIssued {
            on,
            amount_yuan: Decimal::from(u32::from(p) * 10 + 100),
            method: if p % 2 == 0 { FeeMethod::PerApplication } else { FeeMethod::PerPage },
        },
        8 => CaseEvent::FeePaid { on },
        9 => CaseEvent::FeeLapsed { on },
        10 => CaseEvent::ReasonsRequested { on },
        11 => CaseEvent::ReasonsAccepted { on, longer_due: (p % 2 == 0).then(|| later(40)) },
        12 => {
            let outcomes: Vec<Outcome> = Outcome::all().collect();
            CaseEvent::Replied { on, outcome: outcomes[usize::from(p) % outcomes.len()] }
        }
        _ => CaseEvent::Withdrawn { on },
    }
}

/// Plays the candidates against memory and the store; any difference is a failure.
async fn check(
    fresh: &Fresh,
    agency: OrgId,
    (offset, cands): (i64, Vec<Candidate>),
    phases: &std::sync::Mutex<std::collections::BTreeSet<Phase>>,
) -> Result<usize, String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let calendar = Calendar::official();
    let env = Env { calendar: &calendar, policy: &Policy::CONSERVATIVE };
    let today = date(2025, 12, 31);
    let ctx = Ctx { user: None, at: jiff::Timestamp::UNIX_EPOCH, origin: "proptest".into() };
    let key = format!("PT-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let id = CaseId(key.clone());
    let received = date(2025, 3, 3).checked_add(offset.days()).map_err(|e| e.to_string())?;
    let intake = crate::stories::intake(&key, received);
    let mut memory = Case::open(intake.clone(), today, env).map_err(|e| e.to_string())?;
    let store = &fresh.store;
    store.register_case(&ctx, agency, &intake, None).await.map_err(|e| e.to_string())?;
    let mut on = received;
    let mut appended = 0;
    for cand in cands {
        on = on.checked_add(cand.1.days()).map_err(|e| e.to_string())?;
        let ev = event(cand, on);
        let Ok(next) = memory.apply(ev.clone(), today, env) else { continue };
        let version = u64::try_from(memory.events().len()).map_err(|e| e.to_string())?;
        let stored =
            store.append_event(&ctx, agency, &id, version, &ev).await.map_err(|e| e.to_string())?;
        memory = next;
        appended += 1;
        phases.lock().map_err(|e| e.to_string())?.insert(memory.phase());
        if stored.record != memory.record() || stored.version != version + 1 {
            return Err(format!("after {ev:?}: stored {stored:?}"));
        }
        match store.append_event(&ctx, agency, &id, version, &ev).await {
            Err(StoreError::Conflict(c)) if c.current == stored && c.expected == version => {}
            other => {
                return Err(format!("a stale append at {version} did not conflict: {other:?}"));
            }
        }
    }
    let stored = store.case(agency, &id).await.map_err(|e| e.to_string())?.ok_or("case lost")?;
    let replayed = Case::replay(stored.record, today, env).map_err(|(i, e)| format!("{i}: {e}"))?;
    if replayed != memory {
        return Err(format!("replayed from the store:\n{replayed:?}\nin memory:\n{memory:?}"));
    }
    Ok(appended)
}

fn run(open: impl std::future::Future<Output = Fresh>) {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let fresh = rt.block_on(open);
    let ctx = Ctx { user: None, at: jiff::Timestamp::UNIX_EPOCH, origin: "proptest".into() };
    let org = |parent, kind, name: &str| NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: RegionCode::parse("330100").unwrap(),
    };
    let agency = rt.block_on(async {
        let office = fresh.store.create_org(&ctx, &org(None, OrgKind::Office, "办")).await.unwrap();
        fresh.store.create_org(&ctx, &org(Some(office.id), OrgKind::Agency, "局")).await.unwrap().id
    });
    let mut runner =
        TestRunner::new(Config { cases: 32, failure_persistence: None, ..Config::default() });
    let appended = AtomicUsize::new(0);
    let phases = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let result = runner.run(&candidates(), |input| {
        let n = rt.block_on(check(&fresh, agency, input, &phases)).map_err(TestCaseError::fail)?;
        appended.fetch_add(n, Ordering::Relaxed);
        Ok(())
    });
    rt.block_on(fresh.store.close());
    if let Err(e) = result {
        panic!("{e}");
    }
    // The property says something only if the generator reaches past the first event.
    let phases = phases.into_inner().unwrap();
    assert!(appended.into_inner() >= 32, "too few accepted events were generated");
    assert!(phases.len() >= 4, "the generated cases reached only {phases:?}");
}

#[test]
fn sqlite_replays_like_memory() {
    run(support::sqlite());
}

#[test]
fn postgres_replays_like_memory() {
    run(support::postgres());
}
