//! The case-state cache and the listing of an agency's cases, run on both backends by `main.rs`.

use gongkai_calendar::Calendar;
use gongkai_cases::{Case, CaseEvent, CaseId, CaseRecord, Env, Phase, Policy};
use gongkai_store::{
    Action, Append, CaseFilter, CaseListItem, CaseState, NewCase, OrgId, PageRequest, Store,
};
use jiff::civil::{Date, date};

use crate::stories::{correction, county, ctx, intake, personal, replied};
use crate::support::Fresh;

const TODAY: Date = date(2025, 12, 31);

/// The state the domain derives from a record, as the server derives it.
pub fn derive(record: &CaseRecord) -> Option<CaseState> {
    let calendar = Calendar::official();
    let env = Env { calendar: &calendar, policy: &Policy::CONSERVATIVE };
    Case::replay(record.clone(), TODAY, env).ok().map(|c| CaseState::of(&c))
}

fn record(id: &str, received: Date, events: Vec<CaseEvent>) -> CaseRecord {
    CaseRecord { intake: intake(id, received), events }
}

/// The listing the cache must give for these records: by next deadline, cases without one
/// last, ties by case id.
fn expected(records: &[CaseRecord]) -> Vec<CaseListItem> {
    let mut items: Vec<CaseListItem> = records
        .iter()
        .map(|r| CaseListItem {
            case: r.intake.id.clone(),
            version: r.events.len() as u64,
            received: Some(r.intake.received()),
            state: derive(r),
        })
        .collect();
    items.sort_by_key(|i| {
        let due = i.state.as_ref().and_then(|s| s.next_deadline).map(|(_, d)| d);
        (due.is_none(), due, i.case.0.clone())
    });
    items
}

async fn all(store: &Store, agency: OrgId, filter: CaseFilter) -> (Vec<CaseListItem>, u64) {
    let page = store
        .list_cases(agency, &filter, PageRequest { offset: 0, limit: 100 })
        .await
        .expect("list");
    (page.items, page.total)
}

/// Cases are listed by due date from the state written with each change; filters and pages
/// select from it; a change without state is listed as not derived until rebuilt.
pub async fn case_state_lists_by_due_date(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let c = ctx(None);
    let mut records = vec![
        record("A-1", date(2025, 3, 3), vec![]),
        record("A-2", date(2025, 2, 3), vec![]),
        record("A-3", date(2024, 11, 4), vec![replied(date(2024, 11, 20))]),
        record("A-4", date(2025, 3, 3), vec![correction(date(2025, 3, 5))]),
        record("A-0", date(2025, 3, 3), vec![]),
    ];
    let first = &records[0];
    let state = derive(first).expect("derives");
    let new = NewCase::new(first.clone(), Some(personal("A-1")), state);
    let created = store.create_case(&c, a.id, &new).await.expect("create");
    assert_eq!(created.version, 0);
    let rest: Vec<NewCase> = records[1..]
        .iter()
        .map(|r| NewCase::new(r.clone(), None, derive(r).expect("derives")))
        .collect();
    assert_eq!(store.create_cases(&c, a.id, &rest).await.expect("import"), 4);

    let (items, total) = all(store, a.id, CaseFilter::default()).await;
    assert_eq!(items, expected(&records));
    assert_eq!(total, 5);
    let phases: Vec<Phase> =
        items.iter().filter_map(|i| i.state.as_ref()).map(|s| s.phase).collect();
    assert!(phases.contains(&Phase::Closed) && phases.contains(&Phase::AwaitingCorrection));
    assert_eq!(items.last().map(|i| i.case.0.as_str()), Some("A-3"), "closed cases come last");

    // Filters, alone and together, and pages.
    let open = all(store, a.id, CaseFilter { open_only: true, ..CaseFilter::default() }).await;
    assert_eq!(open.1, 4);
    assert!(open.0.iter().all(|i| i.case.0 != "A-3"));
    let y2024 = all(store, a.id, CaseFilter { year: Some(2024), ..CaseFilter::default() }).await;
    assert_eq!(y2024.0.iter().map(|i| i.case.0.as_str()).collect::<Vec<_>>(), ["A-3"]);
    let waiting = CaseFilter { phase: Some(Phase::AwaitingCorrection), ..CaseFilter::default() };
    assert_eq!(all(store, a.id, waiting).await.0.len(), 1);
    let none = CaseFilter { open_only: true, year: Some(2024), phase: None };
    assert_eq!(all(store, a.id, none).await, (vec![], 0));
    let open_closed = CaseFilter { open_only: true, year: None, phase: Some(Phase::Closed) };
    assert_eq!(all(store, a.id, open_closed).await, (vec![], 0));
    let open_waiting = CaseFilter { open_only: true, ..waiting };
    assert_eq!(all(store, a.id, open_waiting).await.1, 1);
    let page = store
        .list_cases(a.id, &CaseFilter::default(), PageRequest { offset: 1, limit: 2 })
        .await
        .expect("page");
    assert_eq!(page.total, 5);
    assert_eq!(page.items, expected(&records)[1..3]);
    assert_eq!(all(store, b.id, CaseFilter::default()).await, (vec![], 0), "other agency");

    // An append writes the new state in its transaction.
    let reply = replied(date(2025, 3, 20));
    records[0].events.push(reply.clone());
    let after = derive(&records[0]).expect("derives");
    let append = Append::new(0, &reply, &after);
    let id = CaseId("A-1".into());
    let appended = store.append_case_event(&c, a.id, &id, &append).await.expect("append");
    assert_eq!(appended.version, 1);
    assert_eq!(all(store, a.id, CaseFilter::default()).await.0, expected(&records));
    let stale = store.append_case_event(&c, a.id, &id, &append).await;
    assert!(matches!(stale, Err(gongkai_store::StoreError::Conflict(_))), "{stale:?}");

    // Changes without state: listed first, as open, not derived; then rebuilt from the records.
    store.register_case(&c, a.id, &intake("A-5", date(2025, 4, 1)), None).await.expect("register");
    records.push(record("A-5", date(2025, 4, 1), vec![]));
    let corrected = CaseEvent::Corrected { on: date(2025, 3, 10) };
    store.append_event(&c, a.id, &CaseId("A-4".into()), 1, &corrected).await.expect("append");
    records[3].events.push(corrected);
    let (items, _) = all(store, a.id, CaseFilter::default()).await;
    let heads: Vec<(&str, Option<&CaseState>, u64)> =
        items.iter().take(2).map(|i| (i.case.0.as_str(), i.state.as_ref(), i.version)).collect();
    assert_eq!(heads, [("A-4", None, 2), ("A-5", None, 0)]);
    let open = all(store, a.id, CaseFilter { open_only: true, ..CaseFilter::default() }).await;
    assert_eq!(open.1, 4, "not derived counts as open: A-0, A-2, A-4, A-5");

    let rebuilt = store.rebuild_case_state(&c, a.id, derive).await.expect("rebuild");
    assert_eq!((rebuilt.derived, rebuilt.not_derived.len()), (6, 0));
    assert_eq!(all(store, a.id, CaseFilter::default()).await.0, expected(&records));
    let broken = |r: &CaseRecord| if r.intake.id.0 == "A-2" { None } else { derive(r) };
    let rebuilt = store.rebuild_case_state(&c, a.id, broken).await.expect("rebuild");
    assert_eq!(rebuilt.not_derived, vec![CaseId("A-2".into())]);
    let (items, _) = all(store, a.id, CaseFilter::default()).await;
    assert_eq!((items[0].case.0.as_str(), items[0].state.as_ref()), ("A-2", None));
    let audit = store.audit_log(Some(a.id), 3).await.expect("audit");
    assert_eq!(audit[0].action, Action::CaseStateRebuilt);
    assert_eq!(audit[0].subject, "6 cases");
}
