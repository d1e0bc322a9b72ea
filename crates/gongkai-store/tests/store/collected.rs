//! Read jobs and collected reports, run on both backends by `main.rs`.

use gongkai_model::Msg;
use gongkai_store::{
    AgencyMatch, CollectedRead, Entity, FindingTarget, JobStatus, MatchedBy, NewFinding, NewRead,
    StoreError, Upload,
};
use jiff::Timestamp;

use crate::stories::{county, ctx, new_org};
use crate::support::Fresh;

const REPORT: &str = r#"{"format":"gongkai-report","cells":[]}"#;

fn read(matched: AgencyMatch, year: Option<i16>) -> CollectedRead<'static> {
    CollectedRead {
        year,
        agency_name: Some("县教育局"),
        matched,
        report: REPORT,
        errors: 2,
        warnings: 1,
        findings: &[],
    }
}

/// Files queued per upload, claimed once each, done or failed; interrupted jobs requeued at
/// start (failed after too many attempts); readings matched, proposed and confirmed; the latest
/// matched report per agency and year over a subtree.
pub async fn collected_reports_are_read_through_a_queue(fresh: &Fresh) {
    let store = &fresh.store;
    let (office, a, b) = county(store).await;
    let c = ctx(None);
    let other_office = store
        .create_org(&c, &new_org(None, gongkai_store::OrgKind::Office, "市政务公开办"))
        .await
        .expect("office");
    let up = |bytes: &'static [u8], name: &'static str| Upload::new(bytes, "txt", name);
    let d1 = store.upload_document(&c, office.id, &up(b"one", "a.txt"), 1 << 20).await.unwrap();
    let d2 = store.upload_document(&c, office.id, &up(b"two", "b.txt"), 1 << 20).await.unwrap();
    let d3 = store.upload_document(&c, office.id, &up(b"three", "c.txt"), 1 << 20).await.unwrap();
    let too_big = Msg::new("文件过大", "file too large");
    let files = vec![
        NewRead { file_name: "a.txt".into(), document: Ok(d1.document.id) },
        NewRead { file_name: "x.zip/big.pdf".into(), document: Err(too_big.clone()) },
        NewRead { file_name: "b.txt".into(), document: Ok(d2.document.id) },
        NewRead { file_name: "c.txt".into(), document: Ok(d3.document.id) },
    ];
    let (batch, jobs) = store.queue_reads(&c, office.id, &files).await.expect("queue");
    assert_eq!(jobs.len(), 4);
    assert_eq!(jobs[1].status, JobStatus::Failed);
    assert_eq!(jobs[1].reason.as_ref(), Some(&too_big));
    assert_eq!(jobs[1].document, None);
    // Another office's document cannot be queued by this one.
    let foreign = [NewRead { file_name: "a.txt".into(), document: Ok(d1.document.id) }];
    let r = store.queue_reads(&c, other_office.id, &foreign).await;
    assert!(matches!(r, Err(StoreError::NotFound { what: Entity::Document, .. })), "{r:?}");

    // Concurrent workers claim every queued job exactly once.
    let mut claims = Vec::new();
    for _ in 0..4 {
        let s = store.clone();
        claims.push(tokio::spawn(async move { s.claim_read_job(ctx(None).at).await }));
    }
    let mut claimed = Vec::new();
    for h in claims {
        if let Some(job) = h.await.unwrap().expect("claim") {
            claimed.push(job);
        }
    }
    claimed.sort_by_key(|j| j.id);
    let ids: Vec<_> = claimed.iter().map(|j| j.id).collect();
    assert_eq!(ids, vec![jobs[0].id, jobs[2].id, jobs[3].id], "each queued job once");
    assert!(claimed.iter().all(|j| j.status == JobStatus::Running && j.attempts == 1));
    assert_eq!(store.claim_read_job(c.at).await.unwrap(), None);
    assert_eq!(store.pending_reads().await.unwrap(), 3);

    // One read and matched exactly, one proposed, one failed.
    let done = store
        .finish_read(&c, jobs[0].id, &read(AgencyMatch::Exact(b.id), Some(2024)))
        .await
        .expect("finish");
    assert_eq!((done.agency, done.matched_by), (Some(b.id), MatchedBy::Exact));
    let again = store.finish_read(&c, jobs[0].id, &read(AgencyMatch::None, None)).await;
    assert!(matches!(again, Err(StoreError::NotFound { what: Entity::ReadJob, .. })), "done once");
    let proposed = store
        .finish_read(&c, jobs[2].id, &read(AgencyMatch::Proposed(vec![b.id, a.id]), Some(2024)))
        .await
        .expect("finish");
    assert_eq!(proposed.agency, None);
    assert_eq!(proposed.candidates, {
        let mut v = vec![a.id, b.id];
        v.sort();
        v
    });
    let outside = store
        .finish_read(&c, jobs[3].id, &read(AgencyMatch::Exact(other_office.id), Some(2024)))
        .await;
    assert!(matches!(outside, Err(StoreError::Invalid(_))), "{outside:?}");
    let reason = Msg::new("无法识别的文件格式", "unrecognised file format");
    store.fail_read(c.at, jobs[3].id, &reason).await.expect("fail");
    let (owner, listed) = store.read_batch(batch).await.unwrap().expect("batch");
    assert_eq!(owner, office.id);
    let statuses: Vec<_> = listed.iter().map(|j| j.status).collect();
    assert_eq!(statuses, [JobStatus::Done, JobStatus::Failed, JobStatus::Done, JobStatus::Failed]);
    assert_eq!(listed[3].reason.as_ref(), Some(&reason));
    assert_eq!(store.read_jobs(office.id, 2).await.unwrap().len(), 2);
    assert_eq!(store.pending_reads().await.unwrap(), 0);

    // Findings attach to the collected document.
    let f = NewFinding::new("T3-BALANCE".into(), vec![], r#"{"rule":"T3-BALANCE"}"#.into());
    let target = FindingTarget::Document(d1.document.id);
    store.record_findings(&c, office.id, target, &[f]).await.expect("findings");

    // Only the exact match counts, until the proposal is confirmed.
    let summary = store.collected_reports(office.id, 2024).await.unwrap();
    assert_eq!(summary.len(), 1);
    assert_eq!((summary[0].agency, summary[0].document), (b.id, d1.document.id));
    assert_eq!((summary[0].errors, summary[0].warnings), (2, 1));
    assert!(store.collected_reports(office.id, 2023).await.unwrap().is_empty());
    assert!(store.collected_reports(other_office.id, 2024).await.unwrap().is_empty());
    let wrong = store.confirm_collected_agency(&c, d2.document.id, other_office.id).await;
    assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{wrong:?}");
    let later = ctx(None);
    let later = gongkai_store::Ctx { at: Timestamp::from_second(1_750_000_100).unwrap(), ..later };
    let confirmed =
        store.confirm_collected_agency(&later, d2.document.id, a.id).await.expect("confirm");
    assert_eq!((confirmed.agency, confirmed.matched_by), (Some(a.id), MatchedBy::Confirmed));
    let summary = store.collected_reports(office.id, 2024).await.unwrap();
    let agencies: Vec<_> = summary.iter().map(|s| s.agency).collect();
    let mut expected = vec![a.id, b.id];
    expected.sort();
    assert_eq!(agencies, expected);
    // The same, with the texts, in one query.
    let texts = store.collected_texts(office.id, 2024).await.unwrap();
    assert_eq!(texts.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(), summary);
    assert!(texts.iter().all(|(_, t)| t == REPORT), "{texts:?}");
    let full = store.collected_report(d2.document.id).await.unwrap().expect("read");
    assert_eq!(full.report, REPORT);
    assert_eq!(full.agency_name.as_deref(), Some("县教育局"));
    let all = store.collected_by_office(office.id).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(store.collected_report(d3.document.id).await.unwrap(), None, "failed: not read");
    let under: Vec<_> =
        store.agencies_under(office.id).await.unwrap().into_iter().map(|o| o.id).collect();
    assert_eq!(under.len(), 2);
    assert!(under.contains(&a.id) && under.contains(&b.id));

    // Reading the confirmed document again (the same name read) keeps the reviewer's choice.
    let (_, re) = store
        .queue_reads(
            &c,
            office.id,
            &[NewRead { file_name: "b.txt".into(), document: Ok(d2.document.id) }],
        )
        .await
        .unwrap();
    let job = store.claim_read_job(later.at).await.unwrap().expect("claimed");
    assert_eq!(job.id, re[0].id);
    let again = store
        .finish_read(&later, job.id, &read(AgencyMatch::Proposed(vec![a.id, b.id]), Some(2024)))
        .await
        .unwrap();
    assert_eq!((again.agency, again.matched_by), (Some(a.id), MatchedBy::Confirmed));

    // The latest reading of an agency wins: d3 read later for b.
    let (_, more) = store
        .queue_reads(
            &c,
            office.id,
            &[NewRead { file_name: "c.txt".into(), document: Ok(d3.document.id) }],
        )
        .await
        .unwrap();
    let job = store.claim_read_job(later.at).await.unwrap().expect("claimed");
    assert_eq!(job.id, more[0].id);
    store
        .finish_read(&later, job.id, &read(AgencyMatch::Normalised(b.id), Some(2024)))
        .await
        .unwrap();
    let summary = store.collected_reports(office.id, 2024).await.unwrap();
    let of_b = summary.iter().find(|s| s.agency == b.id).expect("b");
    assert_eq!(of_b.document, d3.document.id);

    // A restart puts running jobs back; after MAX_ATTEMPTS claims they fail.
    let (_, crash) = store
        .queue_reads(
            &c,
            office.id,
            &[NewRead { file_name: "a.txt".into(), document: Ok(d1.document.id) }],
        )
        .await
        .unwrap();
    for attempt in 1..=gongkai_store::jobs::MAX_ATTEMPTS {
        let job = store.claim_read_job(c.at).await.unwrap().expect("claimed");
        assert_eq!((job.id, job.attempts), (crash[0].id, attempt));
        let back = store.requeue_interrupted_reads(c.at).await.unwrap();
        if attempt < gongkai_store::jobs::MAX_ATTEMPTS {
            assert_eq!((back.requeued, back.failed), (1, 0));
        } else {
            assert_eq!((back.requeued, back.failed), (0, 1));
        }
    }
    let gave_up = store.read_job(crash[0].id).await.unwrap().expect("job");
    assert_eq!(gave_up.status, JobStatus::Failed);
    assert!(gave_up.reason.is_some_and(|r| r.en.contains("attempts")));
}

/// An upload's documents and their read jobs are stored in one transaction
/// (`Store::collect_files`): each stored file has its job, a file over the limit or of a bad
/// format is a failed job with the reason and no document, bytes already stored are that
/// document; an unknown office stores nothing. (The crash harness found documents without a job
/// when the server was killed between the two transactions this replaced.)
pub async fn collected_files_are_stored_with_their_jobs(fresh: &Fresh) {
    use gongkai_store::{NewCollected, OrgId};
    let store = &fresh.store;
    let (office, _, _) = county(store).await;
    let c = ctx(None);
    let file = |name: &str, bytes: &'static [u8], format: &'static str| NewCollected {
        file_name: name.into(),
        upload: Ok(Upload::new(bytes, format, "上传.txt")),
    };
    let files = vec![
        file("a.txt", b"first report", "txt"),
        file("big.txt", b"far too large for the limit", "txt"),
        file("bad", b"x", "../txt"),
        NewCollected { file_name: "x.zip/y.pdf".into(), upload: Err(Msg::new("坏", "bad")) },
        file("again.txt", b"first report", "txt"),
    ];
    let (batch, jobs) = store.collect_files(&c, office.id, &files, 20).await.expect("collect");
    let statuses: Vec<_> = jobs.iter().map(|j| j.status).collect();
    use JobStatus::{Failed, Queued};
    assert_eq!(statuses, [Queued, Failed, Failed, Failed, Queued]);
    assert!(jobs[1].reason.as_ref().is_some_and(|r| r.en.contains("too large")), "{jobs:?}");
    assert_eq!(jobs[0].document, jobs[4].document, "the same bytes are one document");
    assert!(jobs[1..4].iter().all(|j| j.document.is_none()));
    let (_, stored) = store.read_batch(batch).await.expect("batch").expect("some");
    assert_eq!(stored, jobs);
    let document = jobs[0].document.expect("a document");
    assert!(store.document(office.id, document).await.expect("read").is_some());

    let nowhere = store.collect_files(&c, OrgId(9999), &files, 1 << 20).await;
    assert!(matches!(nowhere, Err(StoreError::NotFound { what: Entity::Org, .. })), "{nowhere:?}");
    let next = store.read_batch(gongkai_store::BatchId(batch.0 + 1)).await.expect("read");
    assert!(next.is_none(), "nothing stored for an unknown office");
}
