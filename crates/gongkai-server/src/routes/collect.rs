//! An office's collection of reports published elsewhere (issue 10, "Collect"):
//!
//! - `GET /offices/{id}/documents` — the collection: the upload form (many files, zips of them,
//!   or a folder), the files uploaded with their status while they are read in the background
//!   (the page refreshes itself while any is pending: `<meta http-equiv=refresh>`, no script),
//!   the agency each was matched to and how, and a form to confirm or choose the agency;
//! - `POST /offices/{id}/documents` — the form's upload (`multipart/form-data`, parts `file`; the
//!   CSRF token in the query string, as for register imports): stored, queued, back to the page;
//! - `POST /offices/{id}/documents/{doc}/agency` — a reviewer's choice of the agency (`agency`);
//! - `POST /api/v1/offices/{id}/documents` — the same upload for programs: the answer lists
//!   every file with its document id, matched agency, year, status and findings once read — for
//!   a small upload the request waits (a bounded time) for the reading; otherwise, or when the
//!   reading takes longer, `202` with a job id to follow at `GET /api/v1/jobs/{id}`.
//!
//! Who: office reviewers of the office or of an office above it
//! ([`policy::office`] with [`Action::CollectReports`]). Each uploaded file, or each
//! report inside an uploaded zip ([`collect::expand`]), is one document of the office
//! ([`gongkai_store::Store::upload_document`]) and one read job; a file that cannot be taken (a
//! zip bomb, a zip inside the zip) is a failed job with its reason, and the others go on.

use std::collections::BTreeMap;
use std::time::Duration;

use askama::Template;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use gongkai_doc::Limits;
use gongkai_model::Lang;
use gongkai_store::{
    BatchId, CollectedReport, DocumentId, JobStatus, MatchedBy, NewCollected, Org, OrgId, ReadJob,
    Upload,
};
use serde::{Deserialize, Serialize};

use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
use crate::collect;
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, OfficeScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    let a = Access::Office(Action::CollectReports);
    vec![
        Route::get("/offices/{id}/documents", a, page),
        Route::post("/offices/{id}/documents", a, upload_form).upload(),
        Route::post("/offices/{id}/documents/{doc}/agency", a, choose_agency),
        Route::post("/api/v1/offices/{id}/documents", a, upload_api).api().upload(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(upload_api), components(schemas(FileResult, JobAccepted)))]
pub struct Api;

texts! {
    /// The collection page's texts.
    pub struct CollectText {
        title: "收集年报" | "Collected reports",
        upload: "上传年报" | "Upload reports",
        upload_help: "可一次选择多个文件（PDF、Word（.docx 或 .doc）、WPS、网页、文本、Excel 或其压缩包），或选择一个文件夹。每个文件在后台读取、检查，并按读出的机关名称和年度匹配到所辖机关。" | "Choose several files at once (PDF, Word .docx or .doc, WPS, web pages, text, Excel, or zips of them), or a folder. Each file is read and checked in the background and matched to an agency under this office by the name and year read from it.",
        files: "文件" | "Files",
        folder: "文件夹" | "Folder",
        send: "上传" | "Upload",
        progress: "进度" | "Progress",
        read_progress: "读取进度" | "Reading progress",
        files_handled: "个文件已处理" | "files handled",
        uploading: "正在上传" | "Uploading",
        upload_failed: "上传中断，请重试。" | "The upload was interrupted; please try again.",
        pending_note: "尚有文件在读取，本页每3秒自动刷新。" | "Files are still being read: this page refreshes every 3 seconds.",
        list: "已上传的文件" | "Uploaded files",
        none: "尚未上传任何文件。" | "No file uploaded yet.",
        file: "文件" | "File",
        status: "状态" | "Status",
        year: "年度" | "Year",
        name_read: "读出的机关名称" | "Agency name read",
        agency: "匹配的机关" | "Agency matched",
        how: "匹配方式" | "How",
        errors: "错误" | "Errors",
        warnings: "警告" | "Warnings",
        choose: "确认或选择机关" | "Confirm or choose the agency",
        confirm: "确认" | "Confirm",
        candidates: "候选机关" | "Candidates",
        others: "其他机关" | "Other agencies",
        queued: "排队中" | "Queued",
        running: "读取中" | "Reading",
        done: "已读取" | "Read",
        failed: "失败" | "Failed",
        exact: "名称一致" | "Same name",
        normalised: "规范化后一致" | "Same name once normalised",
        proposed: "待确认" | "Awaiting confirmation",
        confirmed: "已人工确认" | "Confirmed by a reviewer",
        unmatched: "未匹配" | "Not matched",
        no_files: "请选择要上传的文件" | "choose the files to upload",
    }
}

/// One uploaded file on the page.
#[derive(Debug)]
struct Row {
    file: String,
    status: &'static str,
    status_label: &'static str,
    reason: String,
    href: Option<String>,
    year: String,
    name_read: String,
    agency: String,
    how: &'static str,
    errors: String,
    warnings: String,
    /// The form to confirm or choose the agency, for a read document.
    choose: Option<Choose>,
}

/// The agency form of one document.
#[derive(Debug)]
struct Choose {
    action: String,
    id: i64,
    candidates: Vec<(i64, String, bool)>,
    others: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "collect.html")]
struct CollectPage {
    chrome: Chrome,
    t: CollectText,
    office: String,
    action: String,
    pending: bool,
    counts: Vec<(&'static str, &'static str, usize)>,
    /// Files read or failed, and all files listed: the reading progress bar.
    finished: usize,
    total: usize,
    rows: Vec<Row>,
}

/// How many jobs the page lists.
const LISTED: u32 = 500;

async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::office(&state, &actor, Action::CollectReports, OrgId(id)).await?;
    let t = CollectText::of(lang);
    let office = scope.org();
    let jobs = state.store.read_jobs(office.id, LISTED).await?;
    let read = state.store.collected_by_office(office.id).await?;
    let agencies = state.store.agencies_under(office.id).await?;
    let names = labels(&state, office.id, &agencies).await?;
    let mut counts = [0usize; 4];
    for j in &jobs {
        let i = JobStatus::ALL.iter().position(|s| *s == j.status).unwrap_or(0);
        counts[i] += 1;
    }
    let pending = counts[0] + counts[1] > 0;
    let (finished, total) = (counts[2] + counts[3], jobs.len());
    let rows = jobs
        .iter()
        .map(|j| row(lang, t, office.id, j, j.document.and_then(|d| read.get(&d)), &agencies, &names))
        .collect();
    let orgs = page::orgs_of(&state, &actor).await?;
    let path = format!("/offices/{id}/documents");
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, office.name),
        &csrf,
        &path,
        Some((&actor, &orgs)),
        Some(office),
        Nav::Dashboard,
    );
    let counts = JobStatus::ALL
        .iter()
        .zip(counts)
        .map(|(s, n)| (s.key(), status_label(t, *s), n))
        .collect();
    let page = CollectPage {
        chrome,
        t,
        office: office.name.clone(),
        action: format!("{path}?csrf={}", csrf.0),
        pending,
        counts,
        finished,
        total,
        rows,
    };
    Ok(page::render(&page)?.into_response())
}

fn row(
    lang: Lang,
    t: CollectText,
    office: OrgId,
    job: &ReadJob,
    read: Option<&CollectedReport>,
    agencies: &[Org],
    names: &BTreeMap<OrgId, String>,
) -> Row {
    let name_of = |id: OrgId| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let choose = read.map(|r| {
        let chosen = |id: OrgId| r.agency == Some(id);
        Choose {
            action: format!("/offices/{office}/documents/{}/agency", r.document),
            id: r.document.0,
            candidates: r.candidates.iter().map(|c| (c.0, name_of(*c), chosen(*c))).collect(),
            others: agencies
                .iter()
                .filter(|a| !r.candidates.contains(&a.id))
                .map(|a| (a.id.0, name_of(a.id), chosen(a.id)))
                .collect(),
        }
    });
    Row {
        file: job.file_name.clone(),
        status: job.status.key(),
        status_label: status_label(t, job.status),
        reason: job.reason.as_ref().map(|m| m.get(lang).to_owned()).unwrap_or_default(),
        href: job.document.filter(|_| read.is_some()).map(|d| format!("/documents/{d}")),
        year: read.and_then(|r| r.year).map(|y| y.to_string()).unwrap_or_default(),
        name_read: read.and_then(|r| r.agency_name.clone()).unwrap_or_default(),
        agency: read.and_then(|r| r.agency).map(name_of).unwrap_or_default(),
        how: read.map_or("", |r| match_label(t, r.matched_by)),
        errors: read.map(|r| r.errors.to_string()).unwrap_or_default(),
        warnings: read.map(|r| r.warnings.to_string()).unwrap_or_default(),
        choose,
    }
}

/// Each agency's label on the page: its name, followed by its office's when that is not
/// `office` itself (two counties' 教育局 must be told apart).
async fn labels(
    state: &AppState,
    office: OrgId,
    agencies: &[Org],
) -> Result<BTreeMap<OrgId, String>, AppError> {
    let mut parents: BTreeMap<OrgId, String> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for a in agencies {
        let label = match a.parent.filter(|p| *p != office) {
            Some(p) => {
                let parent = match parents.get(&p) {
                    Some(name) => name.clone(),
                    None => {
                        let name = state.store.org(p).await?.map(|o| o.name).unwrap_or_default();
                        parents.insert(p, name.clone());
                        name
                    }
                };
                format!("{}（{parent}）", a.name)
            }
            None => a.name.clone(),
        };
        out.insert(a.id, label);
    }
    Ok(out)
}

/// The label of a job status.
pub fn status_label(t: CollectText, s: JobStatus) -> &'static str {
    match s {
        JobStatus::Queued => t.queued,
        JobStatus::Running => t.running,
        JobStatus::Done => t.done,
        JobStatus::Failed => t.failed,
    }
}

/// The label of a way of matching.
pub fn match_label(t: CollectText, m: MatchedBy) -> &'static str {
    match m {
        MatchedBy::Exact => t.exact,
        MatchedBy::Normalised => t.normalised,
        MatchedBy::Proposed => t.proposed,
        MatchedBy::Confirmed => t.confirmed,
        MatchedBy::None => t.unmatched,
    }
}

/// The files of a multipart upload (parts named `file`), as sent.
async fn files_of(mut multipart: Multipart) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::multipart(&e);
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(bad)?;
        if name.is_empty() && bytes.is_empty() {
            continue; // an empty file input
        }
        files.push((name, bytes.to_vec()));
    }
    if files.is_empty() {
        return Err(AppError::field("file", "请选择要上传的文件", "choose the files to upload"));
    }
    Ok(files)
}

/// Stores every file (each report of a zip) and queues one read job per file, as one batch.
async fn take(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    scope: &OfficeScope,
    files: Vec<(String, Vec<u8>)>,
) -> Result<(BatchId, Vec<ReadJob>, u64), AppError> {
    let limits = Limits::default();
    let ctx = auth::ctx(state, Some(actor.user.id), origin);
    let mut expanded_all = Vec::new();
    for (name, bytes) in files {
        let inner = limits.clone();
        let expanded = tokio::task::spawn_blocking(move || collect::expand(&name, bytes, &inner))
            .await
            .map_err(AppError::internal)?;
        expanded_all.extend(expanded);
    }
    let mut total: u64 = 0;
    let mut collected = Vec::with_capacity(expanded_all.len());
    for file in &expanded_all {
        let upload = match &file.bytes {
            Ok(bytes) => {
                total = total.saturating_add(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
                Ok(Upload::new(bytes, collect::format_of(&file.file_name), &file.file_name))
            }
            Err(why) => Err(why.clone()),
        };
        collected.push(NewCollected { file_name: file.name.clone(), upload });
    }
    // The documents and their read jobs in one transaction: a server stopped in the middle
    // leaves no document that is never read.
    let (batch, jobs) =
        state.store.collect_files(&ctx, scope.id(), &collected, limits.max_input_bytes).await?;
    state.reads.wake();
    Ok((batch, jobs, total))
}

async fn upload_form(
    State(state): State<AppState>,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let scope = policy::office(&state, &actor, Action::CollectReports, OrgId(id)).await?;
    let files = files_of(multipart).await?;
    take(&state, &actor, &origin, &scope, files).await?;
    Ok(see_other(&format!("/offices/{id}/documents")))
}

/// The agency chosen on the form.
#[derive(Debug, Deserialize)]
struct ChooseForm {
    agency: i64,
}

async fn choose_agency(
    State(state): State<AppState>,
    actor: Actor,
    origin: Origin,
    Path((id, doc)): Path<(i64, i64)>,
    axum::Form(form): axum::Form<ChooseForm>,
) -> Result<Response, AppError> {
    let scope = policy::office(&state, &actor, Action::CollectReports, OrgId(id)).await?;
    let document = DocumentId(doc);
    let read = state.store.collected_report(document).await?.ok_or(AppError::NotFound)?;
    if read.office != scope.id() {
        return Err(AppError::NotFound);
    }
    let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
    state.store.confirm_collected_agency(&ctx, document, OrgId(form.agency)).await?;
    Ok(see_other(&format!("/offices/{id}/documents")))
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_owned())]).into_response()
}

/// One uploaded file in the API's answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FileResult {
    /// The stored document (`null` when the file could not be stored, e.g. a zip bomb).
    pub document_id: Option<i64>,
    /// The file name as uploaded (inside a zip: `archive.zip/entry.pdf`).
    pub file: String,
    /// The agency matched (`null` unless matched exactly, after normalising or by a reviewer).
    pub agency_id: Option<i64>,
    /// The agency name read.
    pub agency: Option<String>,
    /// How it was matched: `exact`, `normalised`, `proposed`, `confirmed` or `none`.
    pub matched_by: Option<String>,
    /// The agencies proposed, for `proposed`.
    pub candidates: Vec<i64>,
    /// The year read.
    pub year: Option<i16>,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Why it failed, in the request's language.
    pub reason: Option<String>,
    /// The check's findings, exactly as `gongkai check --format json` lists them.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<serde_json::Value>,
}

/// An upload still being read: follow the job.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobAccepted {
    /// The job (the upload's batch of files).
    pub job: i64,
    /// Where to follow it.
    pub href: String,
    /// Files in it.
    pub total: usize,
    /// Files read or failed so far.
    pub finished: usize,
}

/// The answer for the jobs of one batch: every file when all are finished (200), else the job to
/// follow (202).
///
/// # Errors
/// Store errors.
pub async fn batch_answer(
    state: &AppState,
    lang: Lang,
    batch: BatchId,
    jobs: &[ReadJob],
) -> Result<Response, AppError> {
    let finished = jobs.iter().filter(|j| j.status.is_finished()).count();
    if finished < jobs.len() {
        let accepted = JobAccepted {
            job: batch.0,
            href: format!("/api/v1/jobs/{batch}"),
            total: jobs.len(),
            finished,
        };
        return Ok((StatusCode::ACCEPTED, Json(accepted)).into_response());
    }
    let mut out = Vec::with_capacity(jobs.len());
    for j in jobs {
        let read = match j.document {
            Some(d) if j.status == JobStatus::Done => state.store.collected_report(d).await?,
            _ => None,
        };
        out.push(file_result(lang, j, read.as_ref()));
    }
    Ok(Json(out).into_response())
}

fn file_result(lang: Lang, job: &ReadJob, read: Option<&CollectedReport>) -> FileResult {
    let findings = read
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.report).ok())
        .and_then(|v| v.get("findings").and_then(|f| f.as_array()).cloned())
        .unwrap_or_default();
    FileResult {
        document_id: job.document.map(|d| d.0),
        file: job.file_name.clone(),
        agency_id: read.and_then(|r| r.agency).map(|a| a.0),
        agency: read.and_then(|r| r.agency_name.clone()),
        matched_by: read.map(|r| r.matched_by.key().to_owned()),
        candidates: read.map(|r| r.candidates.iter().map(|c| c.0).collect()).unwrap_or_default(),
        year: read.and_then(|r| r.year),
        status: job.status.key().to_owned(),
        reason: job.reason.as_ref().map(|m| m.get(lang).to_owned()),
        findings,
    }
}

/// Uploads that the request waits for: at most this many files…
const WAIT_FILES: usize = 20;
/// …of at most this many bytes in all…
const WAIT_BYTES: u64 = 20 * 1024 * 1024;

/// …for at most this long (below the request timeout).
fn wait_time(state: &AppState) -> Duration {
    state.config.request_timeout.saturating_sub(Duration::from_secs(5)).max(Duration::from_secs(1))
}

/// Uploads reports for the office to collect: each part `file` a report in any format gongkai
/// reads, or a zip of them. A small upload (at most 20 files, 20 MB) is answered once read;
/// a larger one, or one whose reading takes longer, with `202` and the job to follow.
#[utoipa::path(
    post,
    path = "/api/v1/offices/{id}/documents",
    tag = "collect",
    params(("id" = i64, Path, description = "the office")),
    request_body(content_type = "multipart/form-data", description = "parts named `file`"),
    responses(
        (status = 200, description = "every file, read", body = Vec<FileResult>),
        (status = 202, description = "still being read: follow the job", body = JobAccepted),
        (status = 401, description = "no credentials", body = crate::error::ErrorBody),
        (status = 404, description = "no such office, or not one the caller reviews", body = crate::error::ErrorBody),
        (status = 422, description = "no file", body = crate::error::ErrorBody),
    )
)]
async fn upload_api(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let scope = policy::office(&state, &actor, Action::CollectReports, OrgId(id)).await?;
    let files = files_of(multipart).await?;
    let (batch, jobs, total) = take(&state, &actor, &origin, &scope, files).await?;
    if jobs.len() <= WAIT_FILES && total <= WAIT_BYTES {
        collect::wait_for(&state.store, batch, wait_time(&state)).await?;
    }
    let (_, jobs) = state.store.read_batch(batch).await?.ok_or(AppError::NotFound)?;
    batch_answer(&state, lang, batch, &jobs).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(CollectText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
