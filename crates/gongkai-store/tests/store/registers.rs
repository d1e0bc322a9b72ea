//! The other registers and the import of a register file, run on both backends by `main.rs`.

use gongkai_calendar::Calendar;
use gongkai_cases::synth::{self, Plan};
use gongkai_cases::{Env, Policy, Register};
use gongkai_store::{
    Action, CaseFilter, ImportMode, NewCase, PageRequest, RegisterEntry, RegisterImport,
    RegisterSheet, StoreError,
};
use jiff::civil::date;

use crate::listing::derive;
use crate::stories::{county, ctx};
use crate::support::Fresh;

/// A synthetic register with every kind of record (2024–2025).
pub fn synthetic(seed: u64, cases: usize) -> Register {
    let calendar = Calendar::official();
    let env = Env { calendar: &calendar, policy: &Policy::CONSERVATIVE };
    let plan = Plan {
        agency: "县政府办公室".into(),
        from: date(2024, 1, 1),
        as_of: date(2025, 11, 30),
        cases,
        proactive_items: 6,
        every_outcome: false,
        other_registers: true,
    };
    synth::register(seed, &plan, env)
}

/// The import of a whole register as the server makes it.
pub fn import_of(register: &Register, mode: ImportMode) -> RegisterImport {
    let cases = register
        .cases
        .iter()
        .map(|r| {
            let personal = register.personal.iter().find(|p| p.case == r.intake.id).cloned();
            NewCase::new(r.clone(), personal, derive(r).expect("synthetic cases replay"))
        })
        .collect();
    RegisterImport::new(mode, RegisterSheet::ALL.to_vec(), register.clone(), cases)
}

/// The register as `load_register` gives it: no personal data, cases by id.
fn as_loaded(register: &Register) -> Register {
    let mut r = register.clone();
    r.personal.clear();
    r.cases.sort_by(|a, b| a.intake.id.cmp(&b.intake.id));
    r
}

/// A register imported whole loads back the same; a re-import replaces the sheets and leaves the
/// applications; an append adds; an import that would rewrite a history changes nothing.
pub async fn registers_import_and_load(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let c = ctx(None);
    let register = synthetic(11, 12);
    assert!(
        !register.documents.is_empty()
            && !register.decisions.is_empty()
            && !register.fees_collected.is_empty()
            && !register.disputes.is_empty()
            && !register.proactive.is_empty(),
        "the synthetic register has every sheet"
    );
    let done = store.import_register(&c, a.id, &import_of(&register, ImportMode::Replace)).await;
    let done = done.expect("import");
    assert_eq!(done.cases_created, register.cases.len() as u64);
    assert_eq!(done.sheets.len(), 5);
    assert!(done.sheets.iter().all(|s| s.before == 0 && s.read == s.after));
    assert_eq!(store.load_register(a.id).await.expect("load"), as_loaded(&register));
    let page = store
        .list_cases(a.id, &CaseFilter::default(), PageRequest { offset: 0, limit: 100 })
        .await
        .expect("list");
    assert_eq!(page.total, register.cases.len() as u64, "imported cases are listed");
    assert!(page.items.iter().all(|i| i.state.is_some()));

    // The same file again: sheets replaced, applications unchanged.
    let again = store.import_register(&c, a.id, &import_of(&register, ImportMode::Replace)).await;
    let again = again.expect("re-import");
    assert_eq!((again.cases_created, again.cases_unchanged), (0, register.cases.len() as u64));
    assert!(again.sheets.iter().all(|s| s.before == s.read && s.after == s.read));
    assert_eq!(store.load_register(a.id).await.expect("load"), as_loaded(&register));

    // Appending the documents once more doubles them; the rest is untouched.
    let mut docs_only = import_of(&register, ImportMode::Append);
    docs_only.sheets = vec![RegisterSheet::Documents];
    docs_only.cases.clear();
    store.import_register(&c, a.id, &docs_only).await.expect("append");
    let mut doubled = as_loaded(&register);
    doubled.documents.extend(register.documents.iter().cloned());
    assert_eq!(store.load_register(a.id).await.expect("load"), doubled);
    let first_year = register.documents[0].issued.year();
    let of_year = store
        .register_entries(a.id, RegisterSheet::Documents, Some(first_year))
        .await
        .expect("entries");
    assert!(!of_year.is_empty());
    assert!(
        of_year.iter().all(|e| e.year() == first_year && matches!(e, RegisterEntry::Document(_)))
    );

    // An import whose application rewrites a stored history fails whole: nothing changes.
    let mut bad = import_of(&register, ImportMode::Replace);
    bad.sheets = vec![RegisterSheet::Decisions];
    bad.register.decisions.clear();
    let victim = bad.cases.iter_mut().find(|n| !n.record.events.is_empty()).expect("a case");
    victim.record.events.pop();
    victim.record.events.push(gongkai_cases::CaseEvent::Withdrawn { on: date(2025, 11, 30) });
    let refused = store.import_register(&c, a.id, &bad).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!(store.load_register(a.id).await.expect("load"), doubled, "nothing changed");

    // Another agency's register is its own.
    let other = store.load_register(b.id).await.expect("load");
    assert!(other.cases.is_empty() && other.documents.is_empty());
    let audit = store.audit_log(Some(a.id), 10).await.expect("audit");
    assert_eq!(audit.iter().filter(|e| e.action == Action::RegisterImported).count(), 3);
}
