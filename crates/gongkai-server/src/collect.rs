//! Collecting reports published elsewhere: what happens to the files an office uploads
//! (`routes/collect.rs`) between the upload and the result.
//!
//! - [`expand`] and [`read`]: the per-file pipeline of an upload, [`gongkai_pipeline::collect`]
//!   (an uploaded file or each report inside an uploaded zip, expanded under the shared zip
//!   guard; one file read as `gongkai check --format json` does, a panic becoming a failure of
//!   that file only), its findings made ready to store.
//! - [`normalise`] and [`match_agency`]: the agency name read, matched against the agencies of
//!   the office's subtree — exactly, after normalising, or proposed (several candidates, or only
//!   a partial likeness) for a reviewer to confirm; never joined silently when ambiguous.
//! - [`Reads`]: the background worker. It runs in the server process (started with the router,
//!   [`Reads::start`]), claims queued jobs from the store ([`gongkai_store::jobs`]) — at most
//!   [`Reads::concurrency`] at once, the reading itself on tokio's blocking pool — and stores each
//!   result with its findings. At start it puts back the jobs a stopped server left running, so
//!   queued files survive restarts. A failed file is a failed job with its reason; the others go on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use gongkai_doc::Limits;
use gongkai_model::Msg;
pub use gongkai_pipeline::collect::{Incoming, expand, format_of, is_archive, printed};
use gongkai_store::{AgencyMatch, CollectedRead, Ctx, NewFinding, Org, ReadJob, Store};
use tokio::sync::{Notify, Semaphore};

/// How often an idle worker looks for jobs queued by another server process.
const IDLE_POLL: Duration = Duration::from_secs(2);

/// What reading one file gave: the pipeline's reading, its findings ready to store.
#[derive(Debug)]
pub struct Reading {
    /// The agency name read.
    pub agency: Option<String>,
    /// The year read.
    pub year: Option<i16>,
    /// The gongkai-report JSON, its `findings` the check's findings in Chinese, in listing order
    /// (exactly `gongkai check --format json`'s).
    pub report: String,
    /// The findings to record (fingerprinted by rule, cells and printed values).
    pub findings: Vec<NewFinding>,
    /// Errors found.
    pub errors: u32,
    /// Warnings found.
    pub warnings: u32,
}

/// Reads, recognises and checks one file, as `gongkai check --format json` does
/// ([`gongkai_pipeline::collect::read`]).
///
/// # Errors
/// Why the file could not be read (both languages); a panic is such a failure too.
pub fn read(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<Reading, Msg> {
    let r = gongkai_pipeline::collect::read(file_name, bytes, limits)?;
    Ok(Reading {
        agency: r.agency,
        year: r.year,
        report: r.report,
        findings: r
            .findings
            .into_iter()
            .map(|f| NewFinding::new(f.rule, f.cells, f.finding))
            .collect(),
        errors: r.errors,
        warnings: r.warnings,
    })
}

/// Region levels that end a leading region name (`北京市`, `东城区`, `沛县`, `内蒙古自治区`).
const REGION_ENDS: &[&str] =
    &["自治区", "自治州", "自治县", "省", "市", "区", "县", "州", "盟", "旗"];

/// An agency name normalised for matching: full-width letters, digits and punctuation made
/// half-width, every space removed, every kind of bracket made `(` `)`, `人民政府` made `政府`,
/// then leading region names taken off (`北京市东城区教育局` → `教育局`; `县教育局` → `教育局`) —
/// but not from a government, whose region is its name (`淮安市洪泽区人民政府` → `洪泽区政府`).
/// Two names with the same normal form may be the same agency; the caller decides what to do
/// when several agencies share one.
pub fn normalise(name: &str) -> String {
    let mut s: String = name
        .chars()
        .filter_map(|c| {
            let c = match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            match c {
                c if c.is_whitespace() => None,
                '（' | '【' | '〔' | '［' | '「' | '『' | '[' | '{' | '〈' | '《' => {
                    Some('(')
                }
                '）' | '】' | '〕' | '］' | '」' | '』' | ']' | '}' | '〉' | '》' => {
                    Some(')')
                }
                c => Some(c),
            }
        })
        .collect();
    s = s.replace("人民政府", "政府");
    loop {
        let chars: Vec<char> = s.chars().collect();
        let Some(n) = region_prefix(&chars) else { break };
        let rest: String = chars[n..].iter().collect();
        // A government is its region: `洪泽区政府` stays itself, never just `政府`.
        if rest.chars().count() < 2 || rest.starts_with("政府") {
            break;
        }
        s = rest;
    }
    s
}

/// Characters no region name has, that agencies' names have (`政府`, `局`, `委`, brackets, …).
const AGENCY_CHARS: &str = "()政府局委办厅室会所站处院部司队";

/// The length in characters of a leading region name of `chars`: one to eight characters ending
/// in a region level (`北京市`, `沛县`), or a bare level (`县`, `市`) before the rest.
fn region_prefix(chars: &[char]) -> Option<usize> {
    let text: String = chars.iter().take(12).collect();
    // A name of at least two characters then a level: the shortest such prefix.
    for (n, _) in chars.iter().enumerate().take(10).skip(2) {
        let head: String = chars[..n].iter().collect();
        // A place name holds no bracket and none of the words agencies are named with.
        if head.chars().any(|c| AGENCY_CHARS.contains(c)) {
            break;
        }
        if let Some(end) = REGION_ENDS.iter().find(|e| head.ends_with(*e)) {
            let name_len = n - end.chars().count();
            if name_len >= 2 {
                return Some(n);
            }
        }
    }
    REGION_ENDS
        .iter()
        .filter(|e| e.chars().count() == 1)
        .find_map(|e| text.starts_with(*e).then_some(1))
}

/// The agency of `agencies` an agency name read is: exactly one of the same name; else exactly
/// one of the same normal form ([`normalise`]); else the candidates — several of the same name
/// or normal form, or those whose normal form contains the name read's or is contained in it —
/// proposed for a reviewer; else none.
pub fn match_agency(read: &str, agencies: &[Org]) -> AgencyMatch {
    let read = read.trim();
    if read.is_empty() {
        return AgencyMatch::None;
    }
    let exact: Vec<&Org> = agencies.iter().filter(|a| a.name.trim() == read).collect();
    match exact.as_slice() {
        [one] => return AgencyMatch::Exact(one.id),
        [] => {}
        several => return AgencyMatch::Proposed(several.iter().map(|a| a.id).collect()),
    }
    let wanted = normalise(read);
    let same: Vec<&Org> = agencies.iter().filter(|a| normalise(&a.name) == wanted).collect();
    match same.as_slice() {
        [one] => return AgencyMatch::Normalised(one.id),
        [] => {}
        several => return AgencyMatch::Proposed(several.iter().map(|a| a.id).collect()),
    }
    let like: Vec<&Org> = agencies
        .iter()
        .filter(|a| {
            let n = normalise(&a.name);
            n.chars().count() >= 2
                && wanted.chars().count() >= 2
                && (wanted.contains(&n) || n.contains(&wanted))
        })
        .take(10)
        .collect();
    if like.is_empty() {
        AgencyMatch::None
    } else {
        AgencyMatch::Proposed(like.iter().map(|a| a.id).collect())
    }
}

/// The background reader of collected files.
#[derive(Debug)]
pub struct Reads {
    started: AtomicBool,
    wake: Notify,
    concurrency: usize,
}

/// Two reads per core (at most 8): while one read waits for the store (its bytes, its findings,
/// its result — a commit each), the other keeps the core busy. With one read per core the
/// reader reached 61 % of `gongkai batch`'s throughput (`examples/bench_collect`).
impl Default for Reads {
    fn default() -> Reads {
        Reads::new(
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZero::get)
                .saturating_mul(2)
                .clamp(2, 8),
        )
    }
}

impl Reads {
    /// A reader that reads at most `concurrency` files at once (at least one).
    pub fn new(concurrency: usize) -> Reads {
        Reads {
            started: AtomicBool::new(false),
            wake: Notify::new(),
            concurrency: concurrency.max(1),
        }
    }

    /// How many files it reads at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Wakes the worker: jobs were queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Starts the worker of `state` once (later calls do nothing); outside a tokio runtime it
    /// does nothing either. It first puts back the jobs a stopped server left running.
    pub fn start(state: &crate::AppState) {
        if tokio::runtime::Handle::try_current().is_err()
            || state.reads.started.swap(true, Ordering::SeqCst)
        {
            return;
        }
        let state = state.clone();
        tokio::spawn(async move {
            match state.store.requeue_interrupted_reads(state.clock.now()).await {
                Ok(r) if r.requeued + r.failed > 0 => {
                    tracing::info!(requeued = r.requeued, failed = r.failed, "read jobs resumed");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "cannot requeue interrupted read jobs"),
            }
            work(state).await;
        });
    }
}

/// The worker's loop: claim a job whenever a reading slot is free; sleep when none is queued
/// until woken (or [`IDLE_POLL`] passes: another server may have queued some).
async fn work(state: crate::AppState) {
    let slots = Arc::new(Semaphore::new(state.reads.concurrency));
    loop {
        let Ok(permit) = Arc::clone(&slots).acquire_owned().await else { return };
        match state.store.claim_read_job(state.clock.now()).await {
            Ok(Some(job)) => {
                let state = state.clone();
                tokio::spawn(async move {
                    run(&state, &job).await;
                    drop(permit);
                });
            }
            Ok(None) => {
                drop(permit);
                let _ = tokio::time::timeout(IDLE_POLL, state.reads.wake.notified()).await;
            }
            Err(e) => {
                drop(permit);
                tracing::error!(error = %e, "cannot claim a read job");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

/// Reads one job's file and stores the result (or the failure).
async fn run(state: &crate::AppState, job: &ReadJob) {
    let outcome = read_job(state, job).await;
    let now = state.clock.now();
    let stored = match outcome {
        Ok(()) => Ok(()),
        Err(Failure::File(reason)) => state.store.fail_read(now, job.id, &reason).await,
        Err(Failure::Store(e)) => {
            tracing::error!(error = %e, job = job.id.0, "a read job failed in the store");
            let reason = Msg::new(
                "保存读取结果时出错，请重新上传",
                "the result could not be saved: upload again",
            );
            state.store.fail_read(now, job.id, &reason).await
        }
    };
    if let Err(e) = stored {
        tracing::warn!(error = %e, job = job.id.0, "a read job's end was not recorded");
    }
}

enum Failure {
    File(Msg),
    Store(gongkai_store::StoreError),
}

impl From<gongkai_store::StoreError> for Failure {
    fn from(e: gongkai_store::StoreError) -> Failure {
        Failure::Store(e)
    }
}

async fn read_job(state: &crate::AppState, job: &ReadJob) -> Result<(), Failure> {
    let not_stored = || Failure::File(Msg::new("文件未保存", "the file was not stored"));
    let document = job.document.ok_or_else(not_stored)?;
    let stored = state.store.document(job.office, document).await?.ok_or_else(not_stored)?;
    let bytes = state.store.document_bytes(job.office, document).await?.ok_or_else(not_stored)?;
    let limits = Limits::default();
    let name = stored.file_name.clone();
    let reading = tokio::task::spawn_blocking(move || read(&name, &bytes, &limits))
        .await
        .map_err(|_| {
            Failure::File(Msg::new(
                "读取此文件时程序出错，请报告此问题",
                "reading this file failed unexpectedly: please report it",
            ))
        })?
        .map_err(Failure::File)?;
    let agencies = state.store.agencies_under(job.office).await?;
    let matched =
        reading.agency.as_deref().map_or(AgencyMatch::None, |n| match_agency(n, &agencies));
    let ctx = Ctx { user: None, at: state.clock.now(), origin: "reader".into() };
    let read = CollectedRead {
        year: reading.year,
        agency_name: reading.agency.as_deref(),
        matched,
        report: &reading.report,
        errors: reading.errors,
        warnings: reading.warnings,
        findings: &reading.findings,
    };
    state.store.finish_read(&ctx, job.id, &read).await?;
    Ok(())
}

/// Waits until every job of `batch` is finished or `timeout` passes; whether they all are.
///
/// # Errors
/// Store errors.
pub async fn wait_for(
    store: &Store,
    batch: gongkai_store::BatchId,
    timeout: Duration,
) -> Result<bool, gongkai_store::StoreError> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let done = store
            .read_batch(batch)
            .await?
            .is_some_and(|(_, jobs)| jobs.iter().all(|j| j.status.is_finished()));
        if done {
            return Ok(true);
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
mod tests {
    use gongkai_store::{Level, OrgId, OrgKind, RegionCode};

    use super::*;

    fn org(id: i64, name: &str) -> Org {
        Org {
            id: OrgId(id),
            parent: Some(OrgId(1)),
            kind: OrgKind::Agency,
            name: name.into(),
            level: Level::County,
            region: RegionCode::parse("110101").expect("region"),
        }
    }

    #[test]
    fn names_are_normalised_for_matching() {
        assert_eq!(normalise("县教育局"), "教育局");
        assert_eq!(normalise("北京市东城区教育局"), "教育局");
        assert_eq!(normalise(" 东城区　教育局 "), "教育局");
        assert_eq!(normalise("县政府办公室（县外事办）"), "县政府办公室(县外事办)");
        assert_eq!(normalise("XX市人民政府办公室【外事办】"), "XX市政府办公室(外事办)");
        assert_eq!(normalise("淮安市洪泽区人民政府"), "洪泽区政府");
        assert_eq!(normalise("洪泽区政府"), "洪泽区政府");
        assert_ne!(normalise("沐阳县人民政府"), normalise("洪泽区人民政府"));
        assert_eq!(normalise("ＡＢＣ区卫健委"), "卫健委");
        assert_eq!(normalise("沛县教育局"), "沛县教育局", "a one-character county stays");
        assert_eq!(normalise("市场监督管理局"), normalise("县市场监督管理局"));
        assert_eq!(normalise("住房和城乡建设局"), "住房和城乡建设局");
        assert_eq!(normalise("人力资源和社会保障局"), "人力资源和社会保障局");
        assert_eq!(normalise("县"), "县", "nothing is left empty");
    }

    #[test]
    fn agencies_are_matched_exactly_normalised_or_proposed() {
        let agencies = [org(2, "县教育局"), org(3, "县卫健委"), org(4, "县政府办公室")];
        assert_eq!(match_agency("县教育局", &agencies), AgencyMatch::Exact(OrgId(2)));
        assert_eq!(
            match_agency("北京市东城区教育局", &agencies),
            AgencyMatch::Normalised(OrgId(2))
        );
        assert_eq!(match_agency("东城区人民政府办公室", &agencies), AgencyMatch::None);
        let governments = [org(6, "洪泽区政府"), org(7, "沐阳县人民政府")];
        assert_eq!(
            match_agency("淮安市洪泽区人民政府", &governments),
            AgencyMatch::Normalised(OrgId(6))
        );
        assert_eq!(match_agency("泗阳县人民政府", &governments), AgencyMatch::None);
        assert_eq!(match_agency("县卫生健康委员会", &agencies), AgencyMatch::None);
        assert_eq!(match_agency("", &agencies), AgencyMatch::None);
        // Partly alike: proposed, not joined.
        assert_eq!(
            match_agency("县教育局（县语委）", &agencies),
            AgencyMatch::Proposed(vec![OrgId(2)])
        );
        // Two agencies of the same normal form (two counties' 教育局): proposed, never joined.
        let two = [org(2, "甲县教育局"), org(5, "乙县教育局")];
        assert_eq!(match_agency("教育局", &two), AgencyMatch::Proposed(vec![OrgId(2), OrgId(5)]));
        let same_name = [org(2, "教育局"), org(5, "教育局")];
        assert_eq!(
            match_agency("教育局", &same_name),
            AgencyMatch::Proposed(vec![OrgId(2), OrgId(5)])
        );
    }

    proptest::proptest! {
        /// Normalising twice changes nothing, and never empties a name.
        #[test]
        fn normalising_is_idempotent(name in "[县市区省北京东城甲乙人民政府教育局办公室（）() 　Ａa1]{0,16}") {
            let once = normalise(&name);
            proptest::prop_assert_eq!(normalise(&once), once.clone());
            let kept = name.chars().any(|c| !c.is_whitespace() && c != '\u{3000}');
            proptest::prop_assert!(!kept || !once.is_empty());
        }

        /// A name read that is exactly an agency's name is that agency, whatever the others.
        #[test]
        fn an_exact_name_always_wins(names in proptest::collection::vec("[县市甲乙教育局政府办]{1,6}", 1..6)) {
            let agencies: Vec<Org> =
                names.iter().enumerate().map(|(i, n)| org(i64::try_from(i).unwrap_or(0) + 2, n)).collect();
            let first = &agencies[0];
            let same = agencies.iter().filter(|a| a.name == first.name).count();
            let m = match_agency(&first.name, &agencies);
            if same == 1 {
                proptest::prop_assert_eq!(m, AgencyMatch::Exact(first.id));
            } else {
                proptest::prop_assert!(matches!(m, AgencyMatch::Proposed(ref c) if c.len() == same));
            }
        }
    }
}
