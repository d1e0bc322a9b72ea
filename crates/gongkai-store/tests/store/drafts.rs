//! Report drafts and year locks, run on both backends by `main.rs`.

use std::collections::BTreeMap;

use gongkai_cases::registers::{DocKind, NormativeDoc};
use gongkai_cases::{CaseEvent, CaseId, CaseRecord, Register};
use gongkai_store::{
    Append, DraftSave, ImportMode, NewCase, Publication, RegisterImport, RegisterSheet, StoreError,
};
use jiff::civil::{Date, date};
use sqlx::Connection;

use crate::listing::{derive, derive_on};
use crate::stories::{correction, county, ctx, intake};
use crate::support::Fresh;

/// A correction as the test compares it: year, case and version, sheet, reason.
type Seen<'a> = (i16, Option<(&'a str, u64)>, Option<&'a str>, &'a str);

fn new_case(id: &str, received: Date) -> NewCase {
    let record = CaseRecord { intake: intake(id, received), events: vec![] };
    let state = derive(&record).expect("derives");
    NewCase::new(record, None, state)
}

fn documents(issued: Date) -> RegisterImport {
    let mut register = Register::new("县政府办公室");
    register.documents.push(NormativeDoc {
        id: "D-1".into(),
        kind: DocKind::NormativeDocument,
        title: "关于规范政务公开工作的通知".into(),
        number: "县政办发〔2025〕1号".into(),
        issued,
        repealed: None,
    });
    RegisterImport::new(ImportMode::Replace, vec![RegisterSheet::Documents], register, vec![])
}

/// Drafts are saved as versions (a stale save conflicts) and never touch published versions;
/// publishing locks the year, after which a change of its records needs a correction reason.
pub async fn drafts_and_year_locks(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let c = ctx(None);
    let mut prose = BTreeMap::new();
    prose.insert("overview".to_owned(), "本年度，本机关认真贯彻落实《条例》。".to_owned());
    let tables = r#"{"format":"gongkai-report","year":2025}"#;
    let d1 = store.save_draft(&c, a.id, &DraftSave::new(2025, 0, &prose, tables)).await;
    let d1 = d1.expect("first save");
    assert_eq!(d1.version, 1);
    prose.insert("problems".to_owned(), "存在的主要问题……".to_owned());
    let stale = store.save_draft(&c, a.id, &DraftSave::new(2025, 0, &prose, tables)).await;
    let Err(StoreError::DraftConflict(conflict)) = stale else { panic!("a conflict: {stale:?}") };
    assert_eq!(conflict.current.as_ref(), Some(&d1), "the conflict carries the current draft");
    let d2 = store.save_draft(&c, a.id, &DraftSave::new(2025, 1, &prose, tables)).await;
    let d2 = d2.expect("second save");
    assert_eq!((d2.version, d2.prose.len()), (2, 2));
    assert_eq!(store.draft(a.id, 2025).await.expect("draft"), Some(d2.clone()));
    assert_eq!(store.draft(b.id, 2025).await.expect("draft"), None, "another agency's");
    assert_eq!(store.draft(a.id, 2024).await.expect("draft"), None);
    let bad = store.save_draft(&c, a.id, &DraftSave::new(2025, 2, &prose, "[1]")).await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))), "{bad:?}");

    // Before publication, the year's records change freely.
    store.create_case(&c, a.id, &new_case("L-1", date(2025, 3, 3))).await.expect("case");
    store.import_register(&c, a.id, &documents(date(2025, 5, 1))).await.expect("documents");
    let published = Publication { year: 2025, report: tables, reason: None };
    let v1 = store.publish_report(&c, a.id, &published).await.expect("publish");
    let locks = store.year_locks(a.id).await.expect("locks");
    assert_eq!(locks.iter().map(|l| l.year).collect::<Vec<_>>(), [2025]);
    assert!(store.year_locks(b.id).await.expect("locks").is_empty());

    // After it, a change dated in 2025 (or before) needs a reason; nothing happens without one.
    let id = CaseId("L-1".into());
    let ev = correction(date(2025, 3, 5));
    let mut record =
        CaseRecord { intake: intake("L-1", date(2025, 3, 3)), events: vec![ev.clone()] };
    let state = derive(&record).expect("derives");
    let refused = store.append_case_event(&c, a.id, &id, &Append::new(0, &ev, &state)).await;
    assert!(matches!(refused, Err(StoreError::YearLocked { year: 2025 })), "{refused:?}");
    let old_api = store.append_event(&c, a.id, &id, 0, &ev).await;
    assert!(matches!(old_api, Err(StoreError::YearLocked { year: 2025 })), "{old_api:?}");
    assert_eq!(store.case(a.id, &id).await.expect("case").map(|s| s.version), Some(0));
    let blank = Append::new(0, &ev, &state).with_correction("  ");
    let blank = store.append_case_event(&c, a.id, &id, &blank).await;
    assert!(matches!(blank, Err(StoreError::YearLocked { .. })), "a blank reason is none");
    let why = "补录漏登的补正通知";
    let fixed = Append::new(0, &ev, &state).with_correction(why);
    store.append_case_event(&c, a.id, &id, &fixed).await.expect("correction");
    // An event of 2026 alters no published year.
    record.events.push(CaseEvent::Corrected { on: date(2026, 1, 5) });
    let corrected = record.events[1].clone();
    let state = derive_on(&record, date(2026, 6, 30)).expect("derives");
    store
        .append_case_event(&c, a.id, &id, &Append::new(1, &corrected, &state))
        .await
        .expect("a 2026 event needs no reason");

    // New cases: received in 2025 or before needs a reason, in 2026 none.
    let late = store.create_case(&c, a.id, &new_case("L-2", date(2025, 12, 1))).await;
    assert!(matches!(late, Err(StoreError::YearLocked { year: 2025 })), "{late:?}");
    let earlier = store.create_case(&c, a.id, &new_case("L-3", date(2024, 6, 3))).await;
    assert!(matches!(earlier, Err(StoreError::YearLocked { year: 2025 })), "{earlier:?}");
    let old_api = store.register_case(&c, a.id, &intake("L-4", date(2025, 6, 2)), None).await;
    assert!(matches!(old_api, Err(StoreError::YearLocked { .. })), "{old_api:?}");
    let with = new_case("L-2", date(2025, 12, 1)).with_correction("补录漏登的申请");
    store.create_case(&c, a.id, &with).await.expect("a correction");

    // Registers: the same entries again change nothing; different 2025 entries need a reason.
    store.import_register(&c, a.id, &documents(date(2025, 5, 1))).await.expect("unchanged");
    let moved = store.import_register(&c, a.id, &documents(date(2025, 5, 2))).await;
    assert!(matches!(moved, Err(StoreError::YearLocked { year: 2025 })), "{moved:?}");
    let moved = documents(date(2025, 5, 2)).with_correction("更正文件印发日期");
    store.import_register(&c, a.id, &moved).await.expect("a correction");

    let corrections = store.corrections(a.id).await.expect("corrections");
    let seen: Vec<Seen<'_>> = corrections
        .iter()
        .map(|k| {
            let case = k.case.as_ref().map(|(id, v)| (id.0.as_str(), *v));
            (k.year, case, k.sheet.as_deref(), k.reason.as_str())
        })
        .collect();
    assert_eq!(
        seen,
        [
            (2025, Some(("L-1", 1)), None, why),
            (2025, Some(("L-2", 0)), None, "补录漏登的申请"),
            (2025, None, Some("documents"), "更正文件印发日期"),
        ]
    );

    // Drafts never touch published versions; a corrected version keeps the one lock.
    store.save_draft(&c, a.id, &DraftSave::new(2025, 2, &prose, tables)).await.expect("save");
    let still = store.published_report(a.id, 2025, None).await.expect("published");
    assert_eq!(still, Some(v1));
    let fix = Publication { year: 2025, report: tables, reason: Some("更正申请数据") };
    store.publish_report(&c, a.id, &fix).await.expect("a corrected version");
    assert_eq!(store.year_locks(a.id).await.expect("locks").len(), 1);

    // Locks, corrections and saved drafts are append-only in the database too.
    for sql in [
        "DELETE FROM year_locks",
        "UPDATE year_locks SET year = 2024",
        "DELETE FROM corrections",
        "UPDATE corrections SET reason = 'x'",
        "UPDATE report_drafts SET prose = '{}'",
        "DELETE FROM report_drafts",
    ] {
        let mut conn = sqlx::AnyConnection::connect(&fresh.url).await.expect("connect");
        let r = sqlx::query(sql).execute(&mut conn).await;
        assert!(r.is_err(), "the database allowed `{sql}`");
    }
}
