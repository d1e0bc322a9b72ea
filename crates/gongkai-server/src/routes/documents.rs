//! A collected document (see [`super::collect`]):
//!
//! - `GET /documents/{id}` — what was read from it: the tables in the official layout, each
//!   value cell opening to where it was printed (page and box for PDF, DOM path for HTML,
//!   paragraph or table cell for DOCX, line for text: the cell's origin in the report JSON), the
//!   findings with their review decisions, the agency matched, and a download of the source file;
//! - `GET /documents/{id}/source` — the file as uploaded;
//! - `GET /api/v1/documents/{id}` — the gongkai-report JSON read from it, every cell with its
//!   span and origin, its `findings` those of `gongkai check --format json`.
//!
//! Who: office reviewers of the office that collected it or of an office above
//! ([`policy::office`], [`Action::CollectReports`]); anyone else gets the answer of
//! a document that does not exist. A document that was uploaded but not collected (an agency's
//! own upload) is not reachable here.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use gongkai_model::json::{CellJson, Location, ReportJson};
use gongkai_model::{Lang, TableId};
use gongkai_render::grid::{PrintedTable, Role};
use gongkai_store::{CollectedReport, DocumentId, FindingTarget, Decision, StoredDocument};

use super::collect::{CollectText, match_label};
use super::{Access, Route};
use crate::auth::{Actor, CsrfToken};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, OfficeScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/documents/{id}", Access::SignedIn, page),
        Route::get("/documents/{id}/source", Access::SignedIn, source),
        Route::get("/api/v1/documents/{id}", Access::SignedIn, report_api).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(report_api))]
pub struct Api;

texts! {
    /// The document page's texts.
    pub struct DocumentText {
        title: "收集的年报" | "Collected report",
        back: "返回收集列表" | "Back to the collection",
        download: "下载原文件" | "Download the source file",
        json: "读取结果（JSON）" | "The reading (JSON)",
        office: "收集单位" | "Collected by",
        size: "大小（字节）" | "Size (bytes)",
        uploaded: "上传时间" | "Uploaded",
        tables: "读出的表格" | "Tables read",
        tables_help: "点击数值可查看其在原文件中的位置。" | "Click a value to see where it was printed in the source file.",
        no_table: "未读出此表" | "This table was not found",
        blank: "（空白）" | "(blank)",
        at_page: "第{}页" | "page {}",
        at_line: "第{}行" | "line {}",
        nowhere: "未记录位置" | "no position recorded",
        findings: "检查结果" | "Findings",
        no_findings: "没有检查结果。" | "No findings.",
        rule: "规则" | "Rule",
        severity: "严重程度" | "Severity",
        message: "说明" | "Message",
        cells: "单元格" | "Cells",
        review: "审核" | "Review",
        severity_error: "错误" | "Error",
        severity_warning: "警告" | "Warning",
        severity_info: "提示" | "Info",
        confirmed: "已确认" | "Confirmed",
        dismissed: "已排除" | "Dismissed",
        not_read: "此文件尚未读取完毕。" | "This file has not been read yet.",
        colon: "：" | ": ",
    }
}

/// A printed cell on the page.
#[derive(Debug)]
struct CellView {
    th: bool,
    scope: &'static str,
    rowspan: usize,
    colspan: usize,
    text: String,
    /// For a value cell: its key and where it was printed.
    value: Option<(String, String)>,
}

/// A table on the page.
#[derive(Debug)]
struct TableView {
    id: &'static str,
    caption: String,
    rows: Vec<Vec<CellView>>,
}

/// A finding on the page.
#[derive(Debug)]
struct FindingView {
    rule: String,
    severity: String,
    severity_label: &'static str,
    message: String,
    cells: String,
    review: String,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    chrome: Chrome,
    t: DocumentText,
    c: CollectText,
    file: String,
    back: String,
    id: i64,
    office: String,
    size: u64,
    uploaded: String,
    read: bool,
    year: String,
    name_read: String,
    agency: String,
    how: &'static str,
    errors: String,
    warnings: String,
    tables: Vec<TableView>,
    missing: Vec<String>,
    findings: Vec<FindingView>,
}

/// The document `id` if the actor may see it: its collecting office's scope and the document.
async fn authorised(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(OfficeScope, StoredDocument), AppError> {
    let document = DocumentId(id);
    let office = state.store.collecting_office(document).await?.ok_or(AppError::NotFound)?;
    let scope = policy::office(state, actor, Action::CollectReports, office)
        .await
        .map_err(|e| match e {
            AppError::Forbidden => AppError::NotFound,
            other => other,
        })?;
    let stored = state.store.document(office, document).await?.ok_or(AppError::NotFound)?;
    Ok((scope, stored))
}

async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (scope, stored) = authorised(&state, &actor, id).await?;
    let t = DocumentText::of(lang);
    let c = CollectText::of(lang);
    let read = state.store.collected_report(stored.id).await?;
    let (tables, missing) = match &read {
        Some(r) => tables(t, lang, r)?,
        None => (Vec::new(), Vec::new()),
    };
    let findings = if read.is_some() {
        let found = state.store.findings(scope.id(), FindingTarget::Document(stored.id)).await?;
        found.iter().map(|f| finding_view(t, lang, f)).collect()
    } else {
        Vec::new()
    };
    let agency = match read.as_ref().and_then(|r| r.agency) {
        Some(a) => state.store.org(a).await?.map(|o| o.name).unwrap_or_default(),
        None => String::new(),
    };
    let orgs = page::orgs_of(&state, &actor).await?;
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, stored.file_name),
        &csrf,
        &format!("/documents/{id}"),
        Some((&actor, &orgs)),
        Some(scope.org()),
        Nav::Dashboard,
    );
    let page = DocumentPage {
        chrome,
        t,
        c,
        file: stored.file_name.clone(),
        back: format!("/offices/{}/documents", scope.id()),
        id,
        office: scope.org().name.clone(),
        size: stored.size,
        uploaded: crate::i18n::datetime(lang, stored.uploaded_at),
        read: read.is_some(),
        year: read.as_ref().and_then(|r| r.year).map(|y| y.to_string()).unwrap_or_default(),
        name_read: read.as_ref().and_then(|r| r.agency_name.clone()).unwrap_or_default(),
        agency,
        how: read.as_ref().map_or("", |r| match_label(c, r.matched_by)),
        errors: read.as_ref().map(|r| r.errors.to_string()).unwrap_or_default(),
        warnings: read.as_ref().map(|r| r.warnings.to_string()).unwrap_or_default(),
        tables,
        missing,
        findings,
    };
    Ok(page::render(&page)?.into_response())
}

/// The tables read, in the official layout, each value cell with where it was printed; and
/// the captions of the tables not found.
fn tables(
    t: DocumentText,
    lang: Lang,
    read: &CollectedReport,
) -> Result<(Vec<TableView>, Vec<String>), AppError> {
    let json = ReportJson::parse(&read.report).map_err(AppError::internal)?;
    let report = json.clone().into_report().map_err(AppError::internal)?;
    let mut shown = Vec::new();
    let mut missing = Vec::new();
    for (id, key) in [(TableId::T2, "t2"), (TableId::T3, "t3"), (TableId::T4, "t4")] {
        let Some(table) = report.table(id) else {
            missing.push(format!("{key}: {}", t.no_table));
            continue;
        };
        let printed = PrintedTable::new(table);
        let rows = printed
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| {
                        let value = cell.key().map(|k| {
                            let k = k.to_string();
                            let at = where_printed(t, lang, location(&json, &k).as_ref());
                            (k, at)
                        });
                        let text = if value.is_some() && cell.text.is_empty() {
                            t.blank.to_owned()
                        } else {
                            cell.text.clone()
                        };
                        CellView {
                            th: cell.is_heading(),
                            scope: match cell.role {
                                Role::Label => "row",
                                Role::Group => "rowgroup",
                                Role::Header | Role::Caption => "col",
                                Role::Value(_) => "",
                            },
                            rowspan: cell.row_span,
                            colspan: cell.col_span,
                            text,
                            value,
                        }
                    })
                    .collect()
            })
            .collect();
        shown.push(TableView { id: key, caption: gongkai_render::html::caption(&printed), rows });
    }
    Ok((shown, missing))
}

/// Where cell `key` was printed, from the report JSON.
fn location(json: &ReportJson, key: &str) -> Option<Location> {
    let t = &json.tables;
    [&t.t2, &t.t3, &t.t4]
        .into_iter()
        .flatten()
        .flat_map(|table| table.cells.0.iter())
        .find(|(k, _)| k == key)
        .and_then(|(_, c)| match c {
            CellJson::Full(o) => o.at.clone(),
            _ => None,
        })
}

/// A place in the source for people: the origin described by the reader (page and box, DOM
/// path, paragraph or table cell), else the page and line.
fn where_printed(t: DocumentText, lang: Lang, at: Option<&Location>) -> String {
    let Some(at) = at else { return t.nowhere.to_owned() };
    let mut parts = Vec::new();
    if let Some(origin) = at.origin.as_ref().filter(|o| !o.is_empty()) {
        parts.push(match lang {
            Lang::Zh => origin.clone(),
            Lang::En => origin_en(origin),
        });
    } else if let Some(page) = at.page {
        parts.push(t.at_page.replace("{}", &page.to_string()));
    }
    if let Some(line) = at.line {
        parts.push(t.at_line.replace("{}", &line.to_string()));
    }
    if parts.is_empty() { t.nowhere.to_owned() } else { parts.join(" · ") }
}

/// The English of an origin the reader described in Chinese (the report JSON is stored with
/// Chinese descriptions, `gongkai check`'s default): `第3页 (…)` → `page 3 (…)`,
/// `表格1第5行第3格` → `table 1 row 5 cell 3`, `第2段` → `paragraph 2`, `正文` → `body`,
/// `工作表“表3”B4单元格` → `sheet "表3" cell B4`; a DOM path is the same in both.
fn origin_en(zh: &str) -> String {
    let number = |s: &str| -> Option<(String, String)> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        let rest: String = s.chars().skip(digits.chars().count()).collect();
        (!digits.is_empty()).then_some((digits, rest))
    };
    if zh == "正文" {
        return "body".to_owned();
    }
    if let Some(rest) = zh.strip_prefix("第")
        && let Some((n, rest)) = number(rest)
    {
        if let Some(rest) = rest.strip_prefix("页") {
            return format!("page {n}{rest}");
        }
        if rest == "段" {
            return format!("paragraph {n}");
        }
    }
    if let Some(rest) = zh.strip_prefix("表格") {
        let parsed = number(rest).and_then(|(t, rest)| {
            let (r, rest) = number(rest.strip_prefix("第")?)?;
            let (c, rest) = number(rest.strip_prefix("行第")?)?;
            (rest == "格").then(|| format!("table {t} row {r} cell {c}"))
        });
        if let Some(en) = parsed {
            return en;
        }
    }
    if let Some(rest) = zh.strip_prefix("工作表“")
        && let Some((sheet, cell)) = rest.split_once('”')
        && let Some(cell) = cell.strip_suffix("单元格")
    {
        return format!("sheet \"{sheet}\" cell {cell}");
    }
    zh.to_owned()
}

/// The message of a recorded finding (the check's finding JSON with `message_en` beside, as the
/// collection records it) in `lang`: the English one when there is one, else the Chinese.
pub(crate) fn recorded_message(v: &serde_json::Value, lang: Lang) -> String {
    let text = |k: &str| v.get(k).and_then(|x| x.as_str());
    match lang {
        Lang::En => text("message_en"),
        Lang::Zh => None,
    }
    .or_else(|| text("message"))
    .unwrap_or_default()
    .to_owned()
}

/// The cell keys a recorded finding points at.
pub(crate) fn recorded_cells(v: &serde_json::Value) -> Vec<String> {
    v.get("cells")
        .and_then(|c| c.as_array())
        .map(|c| c.iter().filter_map(|x| x.as_str()).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn finding_view(t: DocumentText, lang: Lang, f: &gongkai_store::StoredFinding) -> FindingView {
    let v: serde_json::Value = serde_json::from_str(&f.finding).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_owned();
    let message = recorded_message(&v, lang);
    let severity = text("severity");
    let cells = recorded_cells(&v).join(", ");
    let review = match &f.review {
        Some(r) => {
            let d = match r.decision {
                Decision::Confirm => t.confirmed,
                Decision::Dismiss => t.dismissed,
            };
            if r.note.is_empty() { d.to_owned() } else { format!("{d}：{}", r.note) }
        }
        None => String::new(),
    };
    FindingView {
        rule: f.rule.clone(),
        severity_label: match severity.as_str() {
            "error" => t.severity_error,
            "warning" => t.severity_warning,
            _ => t.severity_info,
        },
        severity,
        message,
        cells,
        review,
    }
}

async fn source(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (scope, stored) = authorised(&state, &actor, id).await?;
    let bytes = state.store.document_bytes(scope.id(), stored.id).await?.ok_or(AppError::NotFound)?;
    let disposition = super::published::content_disposition(
        &format!("document-{id}.{}", stored.format),
        &stored.file_name,
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(&stored.format)));
    headers
        .insert(CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(AppError::internal)?);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(response)
}

/// The content type of a stored format (a download: never rendered inline).
fn content_type(format: &str) -> &'static str {
    match format {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The gongkai-report JSON read from a collected document: every cell with its span and its
/// origin (`at`: line, page, and the reader's description of the place — PDF box, DOM path,
/// DOCX paragraph or table cell), and `findings`, those of `gongkai check --format json`.
#[utoipa::path(
    get,
    path = "/api/v1/documents/{id}",
    tag = "collect",
    params(("id" = i64, Path, description = "the collected document")),
    responses(
        (status = 200, description = "the report read, in gongkai's JSON form", content_type = "application/json"),
        (status = 401, description = "no credentials", body = crate::error::ErrorBody),
        (status = 404, description = "no such document, not read yet, or not the caller's to see", body = crate::error::ErrorBody),
    )
)]
async fn report_api(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, stored) = authorised(&state, &actor, id).await?;
    let read = state.store.collected_report(stored.id).await?.ok_or(AppError::NotFound)?;
    Ok(([(CONTENT_TYPE, "application/json")], read.report).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(DocumentText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn origins_are_said_in_english() {
        assert_eq!(origin_en("第3页 (72,100)–(540,130)"), "page 3 (72,100)–(540,130)");
        assert_eq!(origin_en("第12页"), "page 12");
        assert_eq!(origin_en("表格1第5行第3格"), "table 1 row 5 cell 3");
        assert_eq!(origin_en("第2段"), "paragraph 2");
        assert_eq!(origin_en("正文"), "body");
        assert_eq!(origin_en("工作表“表3”B4单元格"), "sheet \"表3\" cell B4");
        assert_eq!(origin_en("html > body > table > tr:nth-of-type(3)"), "html > body > table > tr:nth-of-type(3)");
        assert_eq!(origin_en("第x页"), "第x页", "anything else stays as it is");
    }

    #[test]
    fn places_are_described_by_origin_then_page_and_line() {
        let t = DocumentText::of(Lang::En);
        assert_eq!(where_printed(t, Lang::En, None), "no position recorded");
        let at = Location { line: Some(12), column: Some(3), page: Some(2), origin: None };
        assert_eq!(where_printed(t, Lang::En, Some(&at)), "page 2 · line 12");
        let at = Location { origin: Some("body > table > tr:nth-child(3)".into()), ..at };
        assert_eq!(where_printed(t, Lang::En, Some(&at)), "body > table > tr:nth-child(3) · line 12");
    }
}
