//! Findings and review decisions, run on both backends by `main.rs`.

use gongkai_store::{
    Decision, Entity, FindingTarget, NewFinding, Publication, StoreError, Upload, fingerprint,
};

use crate::stories::{county, ctx};
use crate::support::Fresh;

fn balance(printed: &str) -> NewFinding {
    let cells = vec![
        ("t3.total_processed.total".to_owned(), printed.to_owned()),
        ("t3.new_received.total".to_owned(), "70".to_owned()),
    ];
    let json = format!(r#"{{"rule":"T3-BALANCE","printed":{printed}}}"#);
    NewFinding::new("T3-BALANCE".into(), cells, json)
}

/// Findings keep their fingerprints across readings and uploads; decisions are appended per
/// fingerprint and the latest is current; a changed printed value needs a new decision.
pub async fn findings_keep_their_reviews(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let c = ctx(None);
    let up = |bytes: &'static [u8]| Upload::new(bytes, "txt", "年报.txt");
    let first = store.upload_document(&c, a.id, &up(b"first"), 1 << 20).await.expect("upload");
    let doc1 = FindingTarget::Document(first.document.id);
    let found = [balance("71")];
    assert_eq!(store.record_findings(&c, a.id, doc1, &found).await.expect("record"), 1);
    assert_eq!(store.record_findings(&c, a.id, doc1, &found).await.expect("again"), 0);
    let listed = store.findings(a.id, doc1).await.expect("findings");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].fingerprint, found[0].fingerprint());
    assert_eq!(listed[0].review, None);

    let print = &found[0].fingerprint();
    let dismiss = store.review_finding(&c, a.id, print, Decision::Dismiss, "").await;
    assert!(matches!(dismiss, Err(StoreError::Invalid(_))), "a dismissal needs a note");
    store.review_finding(&c, a.id, print, Decision::Confirm, "").await.expect("confirm");
    store
        .review_finding(&c, a.id, print, Decision::Dismiss, "识别错误：原文为71")
        .await
        .expect("dismiss");
    let listed = store.findings(a.id, doc1).await.expect("findings");
    let review = listed[0].review.as_ref().expect("a decision");
    assert_eq!((review.decision, review.note.as_str()), (Decision::Dismiss, "识别错误：原文为71"));
    assert_eq!(store.reviews(a.id, print).await.expect("reviews").len(), 2);

    // Another upload of the same report (other bytes, same printed values): same fingerprint,
    // same decision. A published version likewise.
    let second = store.upload_document(&c, a.id, &up(b"second"), 1 << 20).await.expect("upload");
    let doc2 = FindingTarget::Document(second.document.id);
    store.record_findings(&c, a.id, doc2, &found).await.expect("record");
    let carried = store.findings(a.id, doc2).await.expect("findings");
    assert_eq!(carried[0].review.as_ref().map(|r| r.decision), Some(Decision::Dismiss));
    let report = r#"{"format":"gongkai-report"}"#;
    store
        .publish_report(&c, a.id, &Publication { year: 2024, report, reason: None })
        .await
        .expect("publish");
    let v1 = FindingTarget::ReportVersion { year: 2024, version: 1 };
    let changed = [balance("72")];
    store.record_findings(&c, a.id, v1, &changed).await.expect("record");
    let fresh_finding = store.findings(a.id, v1).await.expect("findings");
    assert_ne!(fresh_finding[0].fingerprint, *print, "a changed printed value");
    assert_eq!(fresh_finding[0].review, None, "needs a decision of its own");
    // Every document's findings in one listing, newest document first, the version's left out.
    let all = store.document_findings(a.id).await.expect("document findings");
    let docs: Vec<_> = all.iter().map(|(d, _)| *d).collect();
    assert_eq!(docs, [second.document.id, first.document.id]);
    assert!(all.iter().all(|(_, f)| f.fingerprint == *print && f.review.is_some()));
    assert!(store.document_findings(b.id).await.expect("none").is_empty());

    // Other organisations reach none of it.
    assert!(matches!(
        store.findings(b.id, doc1).await,
        Err(StoreError::NotFound { what: Entity::Document, .. })
    ));
    let foreign = store.review_finding(&c, b.id, print, Decision::Confirm, "").await;
    assert!(matches!(foreign, Err(StoreError::NotFound { what: Entity::Finding, .. })));
    let unpublished = FindingTarget::ReportVersion { year: 2023, version: 1 };
    let r = store.record_findings(&c, a.id, unpublished, &found).await;
    assert!(matches!(r, Err(StoreError::NotFound { what: Entity::ReportVersion, .. })), "{r:?}");
    let not_json = [NewFinding::new("R".into(), vec![], "oops".into())];
    let r = store.record_findings(&c, a.id, doc1, &not_json).await;
    assert!(matches!(r, Err(StoreError::Invalid(_))), "{r:?}");
    assert_eq!(fingerprint("T3-BALANCE", &found[0].cells), *print);
}
