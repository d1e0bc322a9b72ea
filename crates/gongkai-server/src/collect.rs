//! Collecting reports published elsewhere: what happens to the files an office uploads
//! (`routes/collect.rs`) between the upload and the result.
//!
//! - [`expand`]: an uploaded file, or each report inside an uploaded zip — expanded under the
//!   limits of [`gongkai_doc::Limits`] (entry count, total uncompressed size, compression ratio);
//!   an entry's name is only ever a name (shown, and used for format detection), never a path;
//!   a zip inside the zip is not expanded (that entry fails, saying so).
//! - [`read`]: one file through the same per-file pipeline as `gongkai check --format json`
//!   ([`gongkai_pipeline::analyse_bytes`] and [`CheckResult::full`]): the same cells and the same
//!   findings; a panic while reading becomes a failure of that file only.
//! - [`normalise`] and [`match_agency`]: the agency name read, matched against the agencies of
//!   the office's subtree — exactly, after normalising, or proposed (several candidates, or only
//!   a partial likeness) for a reviewer to confirm; never joined silently when ambiguous.
//! - [`Reads`]: the background worker. It runs in the server process (started with the router,
//!   [`Reads::start`]), claims queued jobs from the store ([`gongkai_store::jobs`]) — at most
//!   [`Reads::concurrency`] at once, the reading itself on tokio's blocking pool — and stores each
//!   result with its findings. At start it puts back the jobs a stopped server left running, so
//!   queued files survive restarts. A failed file is a failed job with its reason; the others go on.

use std::io::{Cursor, Read as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use gongkai_doc::Limits;
use gongkai_model::json::{CellJson, FindingJson, ReportJson};
use gongkai_model::{Lang, Localized as _, Msg};
use gongkai_pipeline::{CheckResult, Counts};
use gongkai_store::{AgencyMatch, CollectedRead, Ctx, NewFinding, Org, ReadJob, Store};
use tokio::sync::{Notify, Semaphore};

/// Parts smaller than this are not held to the compression-ratio limit (as in the DOCX reader).
const RATIO_FLOOR: u64 = 1 << 20;

/// How often an idle worker looks for jobs queued by another server process.
const IDLE_POLL: Duration = Duration::from_secs(2);

/// One file to store and read: its name as uploaded (inside a zip: `archive.zip/entry`), and
/// its bytes or why there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// The name to show.
    pub name: String,
    /// The name to store and detect the format by (the last component of `name`).
    pub file_name: String,
    /// The bytes, or why the file could not be taken.
    pub bytes: Result<Vec<u8>, Msg>,
}

/// Whether `bytes` are a zip archive of files rather than a document that happens to be a zip
/// container (DOCX, XLSX: those have `[Content_Types].xml`).
pub fn is_archive(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return false;
    }
    match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => zip.index_for_name("[Content_Types].xml").is_none(),
        Err(_) => false,
    }
}

/// The files of one uploaded file: itself, or the entries of a zip archive (directories and
/// operating-system litter such as `__MACOSX/` skipped), each within `limits`.
pub fn expand(name: &str, bytes: Vec<u8>, limits: &Limits) -> Vec<Incoming> {
    let shown = clean_name(name);
    if !is_archive(&bytes) {
        return vec![Incoming { file_name: last_component(&shown), name: shown, bytes: Ok(bytes) }];
    }
    let failed = |why: Msg| {
        vec![Incoming { file_name: last_component(&shown), name: shown.clone(), bytes: Err(why) }]
    };
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes.as_slice())) {
        Ok(z) => z,
        Err(e) => {
            return failed(Msg::new(
                format!("压缩包已损坏，无法打开（{e}）"),
                format!("the zip archive is damaged and cannot be opened ({e})"),
            ));
        }
    };
    if zip.len() > limits.max_zip_entries {
        return failed(Msg::new(
            format!("压缩包条目过多：{} 个，上限 {} 个", zip.len(), limits.max_zip_entries),
            format!("too many entries in the zip: {}, limit {}", zip.len(), limits.max_zip_entries),
        ));
    }
    let mut out = Vec::new();
    let mut inflated: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                out.push(Incoming {
                    name: format!("{shown}/#{}", i + 1),
                    file_name: format!("entry-{}", i + 1),
                    bytes: Err(Msg::new(
                        format!("压缩包条目无法读取（{e}）"),
                        format!("the zip entry cannot be read ({e})"),
                    )),
                });
                continue;
            }
        };
        let entry_name = entry_name(entry.name_raw());
        if entry.is_dir() || is_litter(&entry_name) {
            continue;
        }
        let name = format!("{shown}/{}", clean_name(&entry_name));
        let file_name = last_component(&entry_name);
        let mut fail = |why: Msg| {
            out.push(Incoming {
                name: name.clone(),
                file_name: file_name.clone(),
                bytes: Err(why),
            });
        };
        if entry.encrypted() {
            fail(Msg::new("压缩包条目已加密，无法读取", "the zip entry is encrypted"));
            continue;
        }
        let remaining = limits.max_zip_uncompressed.saturating_sub(inflated);
        let by_ratio = entry.compressed_size().max(1).saturating_mul(limits.max_zip_ratio);
        let cap = remaining.min(by_ratio.max(RATIO_FLOOR)).min(limits.max_input_bytes);
        if entry.size() > cap {
            fail(too_large(entry.size(), cap));
            continue;
        }
        // The declared size may lie: read at most one byte past the cap.
        let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        if let Err(e) = (&mut entry).take(cap.saturating_add(1)).read_to_end(&mut data) {
            fail(Msg::new(
                format!("压缩包条目解压失败（{e}）"),
                format!("the zip entry cannot be inflated ({e})"),
            ));
            continue;
        }
        let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
        if size > cap {
            fail(too_large(size, cap));
            continue;
        }
        inflated = inflated.saturating_add(size);
        if is_archive(&data) {
            fail(Msg::new(
                "压缩包中的压缩包不予展开，请单独上传",
                "a zip inside the zip is not expanded: upload it on its own",
            ));
            continue;
        }
        out.push(Incoming { name, file_name, bytes: Ok(data) });
    }
    if out.is_empty() {
        return failed(Msg::new("压缩包中没有文件", "the zip archive holds no file"));
    }
    out
}

fn too_large(size: u64, cap: u64) -> Msg {
    Msg::new(
        format!("压缩包条目解压后过大（{size} 字节，上限 {cap} 字节），疑似压缩炸弹"),
        format!("the zip entry inflates too far ({size} bytes, limit {cap}): a suspected zip bomb"),
    )
}

/// A zip entry's name: UTF-8 when it is, else GB 18030 (what Chinese Windows writes).
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}

/// Directories' metadata and the litter of archivers (`__MACOSX/`, `._x`, `.DS_Store`,
/// `Thumbs.db`).
fn is_litter(name: &str) -> bool {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    name.starts_with("__MACOSX/")
        || last.starts_with("._")
        || last == ".DS_Store"
        || last.eq_ignore_ascii_case("thumbs.db")
}

/// A name fit to show: no control characters, at most 300 characters.
fn clean_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).take(300).collect();
    let clean = clean.trim();
    if clean.is_empty() { "unnamed".to_owned() } else { clean.to_owned() }
}

/// The last component of a name (after `/` or `\`): what is stored and detected by.
fn last_component(name: &str) -> String {
    gongkai_store::documents::sanitise_file_name(name)
}

/// The format key a document is stored under: the extension of its name when it is one of
/// the formats gongkai reads, else `bin` (the reader decides by the content).
pub fn format_of(file_name: &str) -> &'static str {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "pdf",
        "docx" => "docx",
        "doc" => "doc",
        "wps" => "wps",
        "html" | "htm" | "shtml" | "xhtml" => "html",
        "xlsx" => "xlsx",
        "txt" | "text" => "txt",
        "md" | "markdown" => "md",
        "json" => "json",
        "tsv" => "tsv",
        _ => "bin",
    }
}

/// What reading one file gave.
#[derive(Debug)]
pub struct Reading {
    /// The agency name read.
    pub agency: Option<String>,
    /// The year read.
    pub year: Option<i16>,
    /// The gongkai-report JSON, its `findings` the check's findings in Chinese, in listing order
    /// (exactly `gongkai check --format json`'s).
    pub report: String,
    /// The findings to record (fingerprinted by rule, cells and printed values), each the
    /// check's finding object in Chinese with `message_en`.
    pub findings: Vec<NewFinding>,
    /// Errors found.
    pub errors: u32,
    /// Warnings found.
    pub warnings: u32,
}

/// Reads, recognises and checks one file, as `gongkai check --format json` does.
///
/// # Errors
/// Why the file could not be read (both languages); a panic is such a failure too.
pub fn read(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<Reading, Msg> {
    let run = || gongkai_pipeline::analyse_bytes(file_name, bytes, limits);
    let analysis = match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => return Err(e.words().0),
        Err(_) => {
            return Err(Msg::new(
                "读取此文件时程序出错，请报告此问题",
                "reading this file failed unexpectedly: please report it",
            ));
        }
    };
    let zh = CheckResult::full(file_name, &analysis, Lang::Zh);
    let en = CheckResult::new(file_name, &analysis, &analysis.findings, Lang::En);
    let counts = Counts::of(&analysis.findings);
    let mut report = zh
        .report
        .clone()
        .ok_or_else(|| Msg::new("读取结果中没有报告", "the reading gave no report"))?;
    report.findings = zh.findings.iter().map(|f| f.finding.clone()).collect();
    let findings = zh
        .findings
        .iter()
        .zip(&en.findings)
        .map(|(z, e)| new_finding(&report, &z.finding, &e.finding.message))
        .collect::<Result<Vec<_>, Msg>>()?;
    let json = serde_json::to_string(&report).map_err(|e| {
        Msg::new(format!("结果无法写成JSON：{e}"), format!("cannot write JSON: {e}"))
    })?;
    Ok(Reading {
        agency: zh.agency.clone(),
        year: zh.year.and_then(|y| i16::try_from(y).ok()),
        report: json,
        findings,
        errors: u32::try_from(counts.errors).unwrap_or(u32::MAX),
        warnings: u32::try_from(counts.warnings).unwrap_or(u32::MAX),
    })
}

/// A finding to record: the check's finding object with its English message beside it, and
/// its cells with the values printed in them (the fingerprint's input).
fn new_finding(report: &ReportJson, f: &FindingJson, message_en: &str) -> Result<NewFinding, Msg> {
    let cells = f.cells.iter().map(|k| (k.clone(), printed(report, k))).collect();
    let mut value = serde_json::to_value(f).map_err(|e| {
        Msg::new(format!("结果无法写成JSON：{e}"), format!("cannot write JSON: {e}"))
    })?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("message_en".to_owned(), serde_json::Value::String(message_en.to_owned()));
    }
    Ok(NewFinding::new(f.rule.clone(), cells, value.to_string()))
}

/// The value printed in cell `key` of the report (cell-list form), empty when absent.
pub fn printed(report: &ReportJson, key: &str) -> String {
    let t = &report.tables;
    [&t.t2, &t.t3, &t.t4]
        .into_iter()
        .flatten()
        .flat_map(|table| table.cells.0.iter())
        .find(|(k, _)| k == key)
        .map(|(_, c)| match c {
            CellJson::Full(o) => o.value.clone(),
            CellJson::Number(n) => n.to_string(),
            CellJson::Text(s) => s.clone(),
        })
        .unwrap_or_default()
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
    use std::io::Write as _;

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

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, bytes) in entries {
                w.start_file(*name, opts).expect("entry");
                w.write_all(bytes).expect("write");
            }
            w.finish().expect("finish");
        }
        out.into_inner()
    }

    #[test]
    fn zips_are_expanded_within_the_limits_and_names_stay_names() {
        let inner = zip_of(&[("x.txt", b"x")]);
        let bomb = vec![b'0'; 3 << 20];
        let zip = zip_of(&[
            ("a/报告.txt", "一、总体情况".as_bytes()),
            ("../../etc/passwd", b"root"),
            ("__MACOSX/._a.txt", b"junk"),
            ("inner.zip", &inner),
            ("bomb.txt", &bomb),
        ]);
        assert!(is_archive(&zip));
        let files = expand("上传.zip", zip, &Limits::default());
        let names: Vec<_> = files.iter().map(|f| (f.name.as_str(), f.file_name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("上传.zip/a/报告.txt", "报告.txt"),
                ("上传.zip/../../etc/passwd", "passwd"),
                ("上传.zip/inner.zip", "inner.zip"),
                ("上传.zip/bomb.txt", "bomb.txt"),
            ]
        );
        assert_eq!(files[0].bytes.as_deref(), Ok("一、总体情况".as_bytes()));
        assert!(files[2].bytes.as_ref().is_err_and(|m| m.en.contains("zip inside")));
        assert!(files[3].bytes.as_ref().is_err_and(|m| m.en.contains("zip bomb")));
        let few = Limits { max_zip_entries: 2, ..Limits::default() };
        let many = zip_of(&[("1.txt", b"1"), ("2.txt", b"2"), ("3.txt", b"3")]);
        let refused = expand("many.zip", many, &few);
        assert_eq!(refused.len(), 1);
        assert!(refused[0].bytes.as_ref().is_err_and(|m| m.en.contains("too many")));
        let total = Limits { max_zip_uncompressed: 3, ..Limits::default() };
        let over = expand("t.zip", zip_of(&[("1.txt", b"12"), ("2.txt", b"34")]), &total);
        assert!(over[0].bytes.is_ok() && over[1].bytes.is_err(), "{over:?}");
    }

    #[test]
    fn documents_that_are_zip_containers_are_not_archives() {
        let docx = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]);
        assert!(!is_archive(&docx));
        assert_eq!(expand("a.docx", docx.clone(), &Limits::default())[0].bytes, Ok(docx));
        assert!(!is_archive(b"PK\x03\x04 damaged"));
        assert_eq!(format_of("报告.PDF"), "pdf");
        assert_eq!(format_of("noext"), "bin");
        assert_eq!(format_of("旧版报告.DOC"), "doc");
        assert_eq!(format_of("报告.wps"), "wps");
    }

    #[test]
    fn a_damaged_file_fails_with_a_reason_in_both_languages() {
        let err = read("x.pdf", b"%PDF-1.7\n", &Limits::default()).expect_err("damaged");
        assert!(!err.zh.is_empty() && !err.en.is_empty());
    }
}
