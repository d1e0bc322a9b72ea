//! Published annual reports, for everyone (no login): the public page of a report
//! (`GET /agencies/{id}/reports/{year}`: the official layout, its downloads and its revision log)
//! and the API — `GET /api/v1/agencies/{id}/reports` (the published versions),
//! `GET /api/v1/agencies/{id}/reports/{year}` (the latest version as gongkai-report JSON) and
//! `GET /api/v1/agencies/{id}/reports/{year}/download?format=…` (DOCX, PDF, XLSX, HTML, MD).
//!
//! Every document is written by [`gongkai_render`] from the JSON that was published, byte for
//! byte, so what is downloaded is what was published. The page is the application's layout
//! (`report_published.html`: the version shown, its downloads, the year's revision log, a notice
//! on an older version) around the renderer's report in the official layout
//! ([`gongkai_render::html::fragment`], its scoped style sheet inline, allowed by its CSP hash);
//! the report stays in its official Chinese under the English toggle, and printing the page
//! prints the report alone.
//!
//! Published versions never change, so an anonymous visitor's page and every download carry an
//! `ETag` (of the versions, the agency's name, the language and the program's version) and
//! are answered `304 Not Modified` without rendering when the browser already has them (the
//! tags and the `304` are [`crate::cache`]'s).

use std::fmt::Write as _;
use std::sync::OnceLock;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
    VARY,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use gongkai_model::json::ReportJson;
use gongkai_model::{Lang, Localized as _, Report};
use gongkai_render::{FontSet, Options, OutputFormat, ReportDoc, Renderer};
use gongkai_store::{OrgId, OrgKind, PublishedReport, ReportVersion};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{Access, Route};
use crate::auth::{Actor, CsrfToken, MaybeActor};
use crate::cache::{etag, fresh, not_modified};
use crate::error::AppError;
use crate::i18n::{self, Ui};
use crate::page::{self, Chrome, Nav};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/agencies/{id}/reports/{year}", Access::Public, page),
        Route::get("/api/v1/agencies/{id}/reports", Access::Public, versions).api(),
        Route::get("/api/v1/agencies/{id}/reports/{year}", Access::Public, latest).api(),
        Route::get("/api/v1/agencies/{id}/reports/{year}/download", Access::Public, download)
            .api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(versions, latest, download), components(schemas(PublishedVersion)))]
pub struct Api;

texts! {
    /// The public report page's texts.
    pub struct PublishedText {
        title: "政府信息公开工作年度报告" | "annual report on government information disclosure",
        about: "本页显示的版本" | "The version shown",
        downloads: "下载" | "Downloads",
        log: "修订记录" | "Revision log",
        version: "版本" | "Version",
        published: "发布日期" | "Published",
        reason: "更正理由" | "Reason for the correction",
        first: "首次发布" | "First publication",
        this_version: "（当前显示）" | " (shown)",
        older: "您正在查看此报告的旧版本，该报告已经更正。最新版本为" | "You are viewing an older version of this report; it has been corrected since. The latest is ",
        colon: "：" | ": ",
        stop: "。" | ".",
        see_latest: "查看最新版本" | "See the latest version",
        official: "以下为正式发布的报告全文。" | "The report below is the published document, in its official Chinese: only the page around it is in English.",
        docx: "Word（DOCX）" | "Word (DOCX)",
        pdf: "PDF" | "PDF",
        xlsx: "Excel（XLSX）" | "Excel (XLSX)",
        html: "网页（HTML）" | "Web page (HTML)",
        md: "Markdown（MD）" | "Markdown (MD)",
        column: "本年度主动公开的政府信息（第一部分所计）见信息公开专栏" | "The information disclosed proactively this year (counted in section 1) is in the disclosure column",
        sources: "数据来源：第一部分和表二各项所统计的公开信息与台账条目" | "Where the figures come from: the information and register entries counted in section 1 and Table 2",
    }
}

/// The Content-Security-Policy of a rendered report: the renderer's one inline `<style>` and
/// inline SVG charts, no script at all.
const DOCUMENT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                            frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// One published version, as the public API lists it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PublishedVersion {
    /// The report year.
    pub year: i16,
    /// The version, from 1.
    pub version: u32,
    /// When it was published (RFC 3339).
    pub published_at: String,
}

/// Which version and, for downloads, which format.
#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct Which {
    /// The version (the latest when absent).
    pub version: Option<u32>,
    /// `docx`, `pdf`, `xlsx`, `html` or `md`.
    pub format: Option<String>,
}

/// The agency `id`, if it is one (anyone may read published reports).
async fn agency(state: &AppState, id: i64) -> Result<gongkai_store::Org, AppError> {
    state.store.org(OrgId(id)).await?.filter(|o| o.kind == OrgKind::Agency).ok_or(AppError::NotFound)
}

/// A published version, or 404.
async fn published(
    state: &AppState,
    id: i64,
    year: i16,
    version: Option<u32>,
) -> Result<PublishedReport, AppError> {
    let org = agency(state, id).await?;
    state.store.published_report(org.id, year, version).await?.ok_or(AppError::NotFound)
}

/// A published report's JSON as the model's report.
///
/// # Errors
/// [`AppError::Internal`] when the stored JSON does not read back (it was checked when published).
pub fn report_of(json: &str) -> Result<Report, AppError> {
    ReportJson::parse(json).and_then(ReportJson::into_report).map_err(AppError::internal)
}

/// The one renderer of the server (fonts loaded once, on first use).
pub fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(FontSet::discover()))
}

/// Renders `report` as `format` with the official layout.
///
/// # Errors
/// The renderer's errors, as internal errors (a published report always has its tables).
pub fn render(report: &Report, format: OutputFormat) -> Result<Vec<u8>, AppError> {
    let doc = ReportDoc::new(report, &[], None, Options::default())
        .map_err(|e| AppError::internal(e.bilingual()))?;
    renderer().render(&doc, format).map_err(|e| AppError::internal(e.bilingual()))
}

/// A rendered HTML document as a response, with the CSP its inline style needs.
pub fn html_document(html: String) -> Response {
    let mut response = axum::response::Html(html).into_response();
    response.headers_mut().insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCUMENT_CSP));
    response
}

/// The published versions of an agency's reports, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/agencies/{id}/reports",
    tag = "reports",
    params(("id" = i64, Path, description = "the agency")),
    responses(
        (status = 200, description = "every published version, newest year and version first", body = [PublishedVersion]),
        (status = 404, description = "no such agency")
    )
)]
async fn versions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PublishedVersion>>, AppError> {
    let org = agency(&state, id).await?;
    let versions = state.store.report_versions(org.id).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| PublishedVersion {
                year: v.year,
                version: v.version,
                published_at: v.published_at.to_string(),
            })
            .collect(),
    ))
}

/// The latest published version of a year's report, as gongkai-report JSON (the format of
/// `gongkai extract --format json`).
#[utoipa::path(
    get,
    path = "/api/v1/agencies/{id}/reports/{year}",
    tag = "reports",
    params(("id" = i64, Path, description = "the agency"), ("year" = i16, Path, description = "the report year")),
    responses(
        (status = 200, description = "the report (gongkai-report JSON, schema/report.schema.json)", content_type = "application/json"),
        (status = 404, description = "no such agency, or the year is not published")
    )
)]
async fn latest(
    State(state): State<AppState>,
    Path((id, year)): Path<(i64, i16)>,
) -> Result<Response, AppError> {
    let p = published(&state, id, year, None).await?;
    Ok(([(CONTENT_TYPE, "application/json")], p.report).into_response())
}

/// A published version of a year's report as a document.
#[utoipa::path(
    get,
    path = "/api/v1/agencies/{id}/reports/{year}/download",
    tag = "reports",
    params(
        ("id" = i64, Path, description = "the agency"),
        ("year" = i16, Path, description = "the report year"),
        Which
    ),
    responses(
        (status = 200, description = "the document, as an attachment (with an `ETag`)"),
        (status = 304, description = "not modified: `If-None-Match` names the version's tag"),
        (status = 404, description = "no such agency, year or version"),
        (status = 422, description = "an unknown format")
    )
)]
async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, year)): Path<(i64, i16)>,
    Query(which): Query<Which>,
) -> Result<Response, AppError> {
    let format = download_format(which.format.as_deref())?;
    let org = agency(&state, id).await?;
    let p = state.store.published_report(org.id, year, which.version).await?.ok_or(AppError::NotFound)?;
    let v = &p.version;
    let tag = etag(&["download", format.key(), &org.id.0.to_string(), &org.name, &v.version.to_string(), &v.sha256]);
    if fresh(&headers, &tag) {
        return Ok(not_modified(&tag, DOWNLOAD_CACHE));
    }
    let report = report_of(&p.report)?;
    let bytes = tokio::task::spawn_blocking(move || render(&report, format))
        .await
        .map_err(AppError::internal)??;
    let name = format!("{}{}年政府信息公开工作年度报告（第{}版）.{}", org.name, year, p.version.version, format.extension());
    let fallback = format!("report-{id}-{year}-v{}.{}", p.version.version, format.extension());
    let disposition = content_disposition(&fallback, &name);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
    headers.insert(CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(AppError::internal)?);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(DOWNLOAD_CACHE));
    headers.insert(ETAG, HeaderValue::from_str(&tag).map_err(AppError::internal)?);
    Ok(response)
}

/// The formats offered for download.
pub const DOWNLOADS: [OutputFormat; 5] = [
    OutputFormat::Docx,
    OutputFormat::Pdf,
    OutputFormat::Xlsx,
    OutputFormat::Html,
    OutputFormat::Markdown,
];

/// The download format a query names (DOCX when none).
fn download_format(key: Option<&str>) -> Result<OutputFormat, AppError> {
    let key = key.unwrap_or("docx");
    OutputFormat::from_key(key).filter(|f| DOWNLOADS.contains(f)).ok_or_else(|| {
        AppError::field(
            "format",
            format!("不支持的下载格式：{key}（可选 docx、pdf、xlsx、html、md）"),
            format!("unknown download format: {key} (docx, pdf, xlsx, html or md)"),
        )
    })
}

/// The media type of a download.
pub const fn content_type(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Docx => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        OutputFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        OutputFormat::Pdf => "application/pdf",
        OutputFormat::Html => "text/html; charset=utf-8",
        OutputFormat::Markdown => "text/markdown; charset=utf-8",
        OutputFormat::Json => "application/json",
    }
}

/// `attachment` with an ASCII `filename` (only safe characters) and the real name in
/// `filename*` (RFC 5987/6266: UTF-8, percent-encoded).
pub fn content_disposition(fallback: &str, name: &str) -> String {
    let ascii: String = fallback
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        // RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" /
        // "_" / "`" / "|" / "~"; everything else percent-encoded.
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The day a version was published, in China's time zone.
pub fn published_day(lang: Lang, v: &ReportVersion) -> String {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8));
    i18n::date(lang, v.published_at.to_zoned(tz).date())
}

/// A version's name: `第2版`, `Version 2`.
fn version_label(lang: Lang, n: u32) -> String {
    match lang {
        Lang::Zh => format!("第{n}版"),
        Lang::En => format!("Version {n}"),
    }
}

/// The page's heading: `县教育局2024年政府信息公开工作年度报告`.
fn heading(lang: Lang, t: PublishedText, agency: &str, year: i16) -> String {
    match lang {
        Lang::Zh => format!("{agency}{year}年{}", t.title),
        Lang::En => format!("{agency}: {} {year}", t.title),
    }
}

/// The label of a download link.
pub(crate) const fn download_label(t: PublishedText, format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Docx => t.docx,
        OutputFormat::Pdf => t.pdf,
        OutputFormat::Xlsx => t.xlsx,
        OutputFormat::Html => t.html,
        OutputFormat::Markdown | OutputFormat::Json => t.md,
    }
}

/// One download link of the page.
struct DownloadLink {
    key: &'static str,
    label: &'static str,
    href: String,
}

/// One line of the revision log.
struct LogRow {
    label: String,
    day: String,
    reason: String,
    /// The link to the version; `None` for the one shown.
    href: Option<String>,
}

/// The page when an older version is shown: the latest version and its link.
struct Newer {
    label: String,
    href: String,
}

#[derive(Template)]
#[template(path = "report_published.html")]
struct PublicPage {
    chrome: Chrome,
    t: PublishedText,
    heading: String,
    shown: String,
    day: String,
    newer: Option<Newer>,
    downloads: Vec<DownloadLink>,
    log: Vec<LogRow>,
    css: String,
    article: String,
    /// The disclosure column filtered by the report's year (routes/column.rs).
    column: String,
    /// Where the figures come from (routes/report_sources.rs).
    sources: String,
}

/// The public page of a published version: the application's layout around the report in the
/// official layout, with its downloads and the year's revision log.
async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
    Path((id, year)): Path<(i64, i16)>,
    Query(which): Query<Which>,
) -> Result<Response, AppError> {
    let org = agency(&state, id).await?;
    let log: Vec<ReportVersion> =
        state.store.report_versions(org.id).await?.into_iter().filter(|v| v.year == year).collect();
    let latest = log.iter().map(|v| v.version).max().ok_or(AppError::NotFound)?;
    let shown = which.version.unwrap_or(latest);
    let version = log.iter().find(|v| v.version == shown).ok_or(AppError::NotFound)?;
    // The page of an anonymous visitor depends only on what the tag covers.
    let tag = actor.is_none().then(|| page_etag(lang, &org, shown, &log));
    if let Some(tag) = &tag
        && fresh(&headers, tag)
    {
        let mut response = not_modified(tag, PAGE_CACHE);
        response.headers_mut().insert(VARY, HeaderValue::from_static("Cookie"));
        return Ok(response);
    }
    let p = state.store.published_report(org.id, year, Some(shown)).await?.ok_or(AppError::NotFound)?;
    let report = report_of(&p.report)?;
    let fragment = tokio::task::spawn_blocking(move || fragment(&report)).await.map_err(AppError::internal)??;

    let t = PublishedText::of(lang);
    let base = format!("/agencies/{id}/reports/{year}");
    let path = match which.version {
        Some(v) => format!("{base}?version={v}"),
        None => base.clone(),
    };
    let heading = heading(lang, t, &org.name, year);
    let signed_in = page::signed_in(&state, actor.as_ref()).await?;
    let chrome = chrome(lang, &heading, &csrf, &path, signed_in.as_ref().map(|(a, o)| (*a, o.as_slice())), &org);
    let page = PublicPage {
        chrome,
        t,
        heading,
        shown: version_label(lang, shown),
        day: published_day(lang, version),
        newer: (shown != latest)
            .then(|| Newer { label: version_label(lang, latest), href: base.clone() }),
        downloads: DOWNLOADS
            .iter()
            .map(|f| DownloadLink {
                key: f.key(),
                label: download_label(t, *f),
                href: format!("/api/v1/agencies/{id}/reports/{year}/download?format={}&version={shown}", f.key()),
            })
            .collect(),
        log: log
            .iter()
            .map(|v| LogRow {
                label: version_label(lang, v.version),
                day: published_day(lang, v),
                reason: v.reason.clone().unwrap_or_else(|| t.first.to_owned()),
                href: (v.version != shown).then(|| format!("{base}?version={}", v.version)),
            })
            .collect(),
        article: fragment.html,
        css: fragment.css,
        column: format!("/agencies/{id}/column?year={year}"),
        sources: match which.version {
            Some(v) => format!("{base}/sources?version={v}"),
            None => format!("{base}/sources"),
        },
    };
    page_response(&page, tag)
}

/// The layout of the page: a signed-in member of the agency sees its navigation, anyone else
/// none.
fn chrome(
    lang: Lang,
    heading: &str,
    csrf: &CsrfToken,
    path: &str,
    signed_in: Option<(&Actor, &[gongkai_store::Org])>,
    agency: &gongkai_store::Org,
) -> Chrome {
    let current = signed_in.and_then(|(_, orgs)| orgs.iter().find(|o| o.id == agency.id));
    let nav = if current.is_some() { Nav::Reports } else { Nav::None };
    Chrome::new(lang, heading, csrf, path, signed_in, current, nav)
}

/// The rendered page with its headers: the CSP allowing its one inline sheet, and the tag and
/// cache policy of an anonymous visitor's page (a signed-in one's is private).
fn page_response(page: &PublicPage, tag: Option<String>) -> Result<Response, AppError> {
    let csp = csp_with_style(&page.css);
    let mut response = page::render(page)?.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).map_err(AppError::internal)?);
    headers.insert(VARY, HeaderValue::from_static("Cookie"));
    match tag {
        Some(tag) => {
            headers.insert(ETAG, HeaderValue::from_str(&tag).map_err(AppError::internal)?);
            headers.insert(CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE));
        }
        None => {
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
        }
    }
    Ok(response)
}

/// The report in the official layout, as a fragment of the page.
fn fragment(report: &Report) -> Result<gongkai_render::html::Fragment, AppError> {
    let doc = ReportDoc::new(report, &[], None, Options::default())
        .map_err(|e| AppError::internal(e.bilingual()))?;
    gongkai_render::html::fragment(&doc).map_err(|e| AppError::internal(e.bilingual()))
}

/// The application's Content-Security-Policy with one inline style sheet allowed by its
/// SHA-256 hash (CSP level 2), and no other inline style.
pub fn csp_with_style(css: &str) -> String {
    let hash = BASE64.encode(Sha256::digest(css.as_bytes()));
    crate::CSP.replacen("style-src 'self'", &format!("style-src 'self' 'sha256-{hash}'"), 1)
}

/// The cache policy of an anonymous visitor's page: kept, but asked again each time (the latest
/// version changes with a correction; a `304` costs no rendering).
const PAGE_CACHE: &str = "no-cache";

/// The cache policy of a download: its URL names the version, which never changes; without
/// `version` it is the latest, hence the short lifetime.
const DOWNLOAD_CACHE: &str = "public, max-age=300";

/// The tag of the page: the version shown, the year's log, the agency's name, the language.
fn page_etag(lang: Lang, org: &gongkai_store::Org, shown: u32, log: &[ReportVersion]) -> String {
    let mut parts = vec![
        "page".to_owned(),
        i18n::tag(lang).to_owned(),
        org.id.0.to_string(),
        org.name.clone(),
        shown.to_string(),
    ];
    for v in log {
        parts.extend([
            v.version.to_string(),
            v.published_at.to_string(),
            v.sha256.clone(),
            v.reason.clone().unwrap_or_default(),
        ]);
    }
    etag(&parts.iter().map(String::as_str).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_safe_and_the_chinese_name_is_rfc_5987_encoded() {
        let d = content_disposition("report\"; x=1\r\n.docx", "教育局 2024\".docx");
        assert_eq!(
            d,
            "attachment; filename=\"report___x_1__.docx\"; \
             filename*=UTF-8''%E6%95%99%E8%82%B2%E5%B1%80%202024%22.docx"
        );
        assert!(HeaderValue::from_str(&d).is_ok());
    }

    #[test]
    fn only_document_formats_are_offered() {
        assert_eq!(download_format(None).ok(), Some(OutputFormat::Docx));
        assert_eq!(download_format(Some("md")).ok(), Some(OutputFormat::Markdown));
        assert!(download_format(Some("json")).is_err());
        assert!(download_format(Some("exe")).is_err());
    }

    #[test]
    fn the_inline_sheet_is_allowed_by_its_hash_only() {
        let csp = csp_with_style("p{color:red}");
        // echo -n 'p{color:red}' | openssl dgst -sha256 -binary | base64
        let hash = " 'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='";
        assert!(csp.contains(&format!("style-src 'self'{hash};")), "{csp}");
        assert_eq!(csp.replacen(hash, "", 1), crate::CSP);
    }

    #[test]
    fn no_text_is_empty() {
        assert!(PublishedText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
