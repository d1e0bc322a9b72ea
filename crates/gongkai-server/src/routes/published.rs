//! Published annual reports, for everyone (no login): the public page of a report
//! (`GET /agencies/{id}/reports/{year}`: the official layout, its downloads and its revision log)
//! and the API — `GET /api/v1/agencies/{id}/reports` (the published versions),
//! `GET /api/v1/agencies/{id}/reports/{year}` (the latest version as gongkai-report JSON) and
//! `GET /api/v1/agencies/{id}/reports/{year}/download?format=…` (DOCX, PDF, XLSX, HTML, MD).
//!
//! Every document is written by [`gongkai_render`] from the JSON that was published, byte for
//! byte, so what is downloaded is what was published; the HTML page is the renderer's HTML.

use std::fmt::Write as _;
use std::sync::OnceLock;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gongkai_model::json::ReportJson;
use gongkai_model::{Lang, Localized as _, Report};
use gongkai_render::{FontSet, Options, OutputFormat, ReportDoc, Renderer};
use gongkai_store::{OrgId, OrgKind, PublishedReport, ReportVersion};
use serde::{Deserialize, Serialize};

use super::{Access, Route};
use crate::error::AppError;
use crate::i18n::{self, Ui};
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
        downloads: "下载" | "Downloads",
        log: "修订记录" | "Revision log",
        version: "版本" | "Version",
        published: "发布日期" | "Published",
        reason: "更正理由" | "Reason for the correction",
        first: "首次发布" | "First publication",
        this_version: "（当前显示）" | "(shown)",
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
        (status = 200, description = "the document, as an attachment"),
        (status = 404, description = "no such agency, year or version"),
        (status = 422, description = "an unknown format")
    )
)]
async fn download(
    State(state): State<AppState>,
    Path((id, year)): Path<(i64, i16)>,
    Query(which): Query<Which>,
) -> Result<Response, AppError> {
    let format = download_format(which.format.as_deref())?;
    let org = agency(&state, id).await?;
    let p = state.store.published_report(org.id, year, which.version).await?.ok_or(AppError::NotFound)?;
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
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
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

/// The public page: the renderer's HTML of the version, with a box of downloads and the
/// revision log of the year after its opening `<body>`.
async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    Path((id, year)): Path<(i64, i16)>,
    Query(which): Query<Which>,
) -> Result<Response, AppError> {
    let p = published(&state, id, year, which.version).await?;
    let log: Vec<ReportVersion> =
        state.store.report_versions(p.agency).await?.into_iter().filter(|v| v.year == year).collect();
    let report = report_of(&p.report)?;
    let html = tokio::task::spawn_blocking(move || render(&report, OutputFormat::Html))
        .await
        .map_err(AppError::internal)??;
    let html = String::from_utf8(html).map_err(AppError::internal)?;
    let header = public_header(lang, id, year, &p.version, &log);
    Ok(html_document(insert_after_body(&html, &header)))
}

/// The box of the public page: downloads of the version shown and the year's revision log.
fn public_header(lang: Lang, id: i64, year: i16, shown: &ReportVersion, log: &[ReportVersion]) -> String {
    let t = PublishedText::of(lang);
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut h = String::from("<aside class=\"gongkai-published\" aria-label=\"");
    let _ = write!(h, "{}\">\n<h2>{}</h2>\n<ul>", t.downloads, t.downloads);
    for f in DOWNLOADS {
        let _ = write!(
            h,
            "<li><a data-action=\"download-{key}\" href=\"/api/v1/agencies/{id}/reports/{year}/download?format={key}&amp;version={v}\">{label}</a></li>",
            key = f.key(),
            v = shown.version,
            label = f.key().to_uppercase(),
        );
    }
    let _ = write!(
        h,
        "</ul>\n<h2>{}</h2>\n<table class=\"revision-log\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t.log, t.version, t.published, t.reason
    );
    for v in log {
        let reason = v.reason.as_deref().map_or_else(|| t.first.to_owned(), esc);
        let mark = if v.version == shown.version { t.this_version } else { "" };
        let _ = write!(
            h,
            "<tr><td><a href=\"/agencies/{id}/reports/{year}?version={n}\">{n}</a>{mark}</td><td>{day}</td><td>{reason}</td></tr>",
            n = v.version,
            day = published_day(lang, v),
        );
    }
    h.push_str("</tbody></table>\n</aside>\n");
    h
}

/// `fragment` inserted right after the document's opening `<body…>` tag (at the start when there
/// is none).
fn insert_after_body(html: &str, fragment: &str) -> String {
    let at = html
        .find("<body")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1))
        .unwrap_or(0);
    let mut out = String::with_capacity(html.len() + fragment.len());
    out.push_str(&html[..at]);
    out.push_str(fragment);
    out.push_str(&html[at..]);
    out
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
    fn the_box_goes_after_the_body_tag() {
        assert_eq!(insert_after_body("<html><body class=x><p>", "B"), "<html><body class=x>B<p>");
        assert_eq!(insert_after_body("<p>", "B"), "B<p>");
    }

    #[test]
    fn no_text_is_empty() {
        assert!(PublishedText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
