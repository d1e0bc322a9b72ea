//! The agency's disclosure column (信息公开专栏), for everyone (no login): its catalogue of
//! proactively disclosed information (政府信息公开目录) —
//! `GET /agencies/{id}/column?category=&year=&q=&page=` (browse by 主题分类 and year, search,
//! pages), `GET /agencies/{id}/column/{item}` (one item: the catalogue's fields and the full text
//! or the attachment), `GET /agencies/{id}/column/{item}/attachment` (the attachment) — and
//! `GET /api/v1/agencies/{id}/column` (the same catalogue as JSON).
//!
//! Everything comes from [`gongkai_store::Store::column`], which holds only items reviewed and
//! published (先审后发): an unreviewed or unpublished item, and its attachment, answer 404 like a
//! missing one. Search is the store's Chinese full-text search ([`gongkai_store::search`]).
//!
//! **Traceability.** With a year chosen, the page puts the column's count of items first
//! published that year beside the figure of section 一 of that year's published report
//! (“本年度主动公开政府信息N条”, computed from the same register by the same rule — an item counts
//! in the year of its first publication, [`gongkai_cases::tables::annual`]) and links to the report.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use gongkai_model::{Report, SectionId};
use gongkai_register::vocab::Values as _;
use gongkai_store::{ColumnItem, ColumnQuery, Org, OrgId, OrgKind};
use serde::{Deserialize, Serialize};

use super::application::encode;
use super::published::content_disposition;
use super::{Access, Route};
use crate::auth::{Actor, CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::{self, Lang, Ui};
use crate::page::{self, Chrome, Nav};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/agencies/{id}/column", Access::Public, list),
        Route::get("/agencies/{id}/column/{item}", Access::Public, item),
        Route::get("/agencies/{id}/column/{item}/attachment", Access::Public, attachment),
        Route::get("/api/v1/agencies/{id}/column", Access::Public, api).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api), components(schemas(ColumnJson, ColumnItemJson)))]
pub struct Api;

texts! {
    /// The column's texts.
    pub struct ColumnText {
        title: "信息公开专栏" | "Disclosure column",
        catalogue: "政府信息公开目录" | "Catalogue of government information",
        intro: "本栏目发布本机关主动公开的政府信息，每条信息均经保密审查后发布（先审后发）。" | "This column publishes the information this agency discloses proactively; every item was reviewed for confidentiality before publication.",
        guide: "政府信息公开指南" | "Disclosure guide",
        feed: "订阅更新（Atom）" | "Subscribe to updates (Atom)",
        search: "搜索" | "Search",
        search_label: "关键词" | "Keywords",
        search_help: "可输入标题、文号或正文中的词语，如“预算”。" | "Words of the title, document number or text, e.g. 预算 (budget).",
        subject: "主题分类" | "Subject",
        year: "年份" | "Year",
        all: "全部" | "All",
        none_subject: "未分类" | "Unclassified",
        index_no: "索引号" | "Index number",
        name: "名称" | "Title",
        publisher: "发布机构" | "Issued by",
        written: "成文日期" | "Written on",
        published: "公开日期" | "Published on",
        number: "文号" | "Document number",
        validity: "时效" | "Validity",
        nothing: "没有符合条件的信息。" | "No item matches.",
        previous: "上一页" | "Previous page",
        next: "下一页" | "Next page",
        page_of: "页码" | "Page",
        filters: "筛选" | "Filters",
        apply: "筛选" | "Apply",
        text: "正文" | "Full text",
        attachment: "附件" | "Attachment",
        download: "下载" | "Download",
        back: "返回信息公开专栏" | "Back to the disclosure column",
        category: "条例依据" | "Under the Regulations",
        not_given: "—" | "—",
        trace: "年度报告核对" | "Annual report check",
        trace_column: "本栏目中该年首次公开的信息" | "Items of this column first published that year",
        trace_report: "年度报告第一部分“主动公开政府信息”条数" | "Items disclosed proactively, section 1 of the annual report",
        trace_rule: "两者按同一口径统计：每条信息计入其首次公开的年份。" | "Both count alike: each item in the year it was first published.",
        trace_open: "查看该年度报告" | "Open that year's annual report",
        trace_none: "该年度报告尚未发布。" | "That year's annual report is not published.",
    }
}

/// The query of the column page and API.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct Params {
    /// 主题分类 (empty: items without one).
    pub category: Option<String>,
    /// The year of first publication.
    pub year: Option<String>,
    /// Search words.
    pub q: Option<String>,
    /// The page, from 1.
    pub page: Option<String>,
}

impl Params {
    /// The store's query: an unreadable year or page is ignored (the first page, every year).
    fn query(&self) -> ColumnQuery {
        ColumnQuery {
            subject: self.category.clone(),
            year: self.year.as_deref().and_then(|y| y.trim().parse().ok()),
            q: self.q.clone().unwrap_or_default(),
            page: self.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1).max(1),
            per_page: 0,
        }
    }
}

/// The agency `id`, if it is one (anyone may read its column).
pub(crate) async fn agency(state: &AppState, id: i64) -> Result<Org, AppError> {
    state.store.org(OrgId(id)).await?.filter(|o| o.kind == OrgKind::Agency).ok_or(AppError::NotFound)
}

/// The layout of a public page of an agency: a signed-in member sees its navigation.
pub(crate) async fn public_chrome(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: Option<&Actor>,
    agency: &Org,
    title: &str,
    path: &str,
) -> Result<Chrome, AppError> {
    let orgs = match actor {
        Some(a) => page::orgs_of(state, a).await?,
        None => Vec::new(),
    };
    let signed_in = actor.map(|a| (a, orgs.as_slice()));
    let current = orgs.iter().find(|o| o.id == agency.id);
    Ok(Chrome::new(lang, title, csrf, path, signed_in, current, Nav::None))
}

/// The URL of an item's page.
pub fn item_href(agency: OrgId, key: &str) -> String {
    format!("/agencies/{}/column/{}", agency.0, encode(key))
}

/// A value or the dash.
fn or_dash(t: ColumnText, v: Option<String>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or_else(|| t.not_given.to_owned())
}

/// One item as a row of the catalogue (and the fields of its page).
#[derive(Debug)]
struct Row {
    href: String,
    index_no: String,
    title: String,
    subject: String,
    publisher: String,
    written: String,
    published: String,
    number: String,
    validity: String,
}

fn row(lang: Lang, t: ColumnText, agency: &Org, c: &ColumnItem) -> Row {
    let i = &c.item;
    Row {
        href: item_href(agency.id, &c.key),
        index_no: c.index_no.clone(),
        title: i.title.clone(),
        subject: or_dash(t, i.subject.clone()),
        publisher: i.publisher.clone().unwrap_or_else(|| agency.name.clone()),
        written: or_dash(t, i.written.map(|d| i18n::date(lang, d))),
        published: i18n::date(lang, c.published),
        number: or_dash(t, i.number.clone()),
        validity: or_dash(t, i.validity.map(|v| i18n::pick(lang, v.zh(), v.en()).to_owned())),
    }
}

/// A link of a filter list.
#[derive(Debug)]
struct Facet {
    label: String,
    count: u64,
    href: String,
    current: bool,
}

/// The figures beside each other for a year.
#[derive(Debug)]
struct Trace {
    year: i16,
    column: u64,
    /// The report's figure, when the year's report is published and says it.
    report: Option<u64>,
    /// The report's page, when published.
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "column.html")]
struct ColumnPage {
    chrome: Chrome,
    t: ColumnText,
    agency: String,
    base: String,
    guide: String,
    q: String,
    category: Option<String>,
    year: Option<i16>,
    /// “共有信息3条”.
    found: String,
    rows: Vec<Row>,
    years: Vec<Facet>,
    subjects: Vec<Facet>,
    page: u32,
    previous: Option<String>,
    next: Option<String>,
    trace: Option<Trace>,
}

/// The page's URL with these filters (`page` 1 left out).
fn href(base: &str, category: Option<&str>, year: Option<i16>, q: &str, page: u32) -> String {
    let mut parts = Vec::new();
    if let Some(c) = category {
        parts.push(format!("category={}", encode(c)));
    }
    if let Some(y) = year {
        parts.push(format!("year={y}"));
    }
    if !q.is_empty() {
        parts.push(format!("q={}", encode(q)));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() { base.to_owned() } else { format!("{base}?{}", parts.join("&")) }
}

/// The number section 一 of a published report quotes: “本年度主动公开政府信息N条”.
pub(crate) fn reported_items(report: &Report) -> Option<u64> {
    let text = &report.sections.iter().find(|s| s.id == SectionId::Overview)?.text;
    let marker = "主动公开政府信息";
    let start = text.find(marker)? + marker.len();
    let digits: String =
        text.get(start..)?.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

async fn list(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<i64>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let org = agency(&state, id).await?;
    let query = params.query();
    let column = state.store.column(org.id, &query).await?;
    let t = ColumnText::of(lang);
    let base = format!("/agencies/{id}/column");
    let (cat, year, q) = (query.subject.as_deref(), query.year, query.q.as_str());
    let per_page = u64::from(gongkai_store::column::PER_PAGE);
    let pages = column.total.div_ceil(per_page).max(1);
    let page = query.page;
    let years = column
        .years
        .iter()
        .map(|&(y, count)| Facet {
            label: match lang {
                Lang::Zh => format!("{y}年"),
                Lang::En => y.to_string(),
            },
            count,
            href: href(&base, cat, Some(y), q, 1),
            current: year == Some(y),
        })
        .collect();
    let subjects = column
        .subjects
        .iter()
        .map(|(s, count)| Facet {
            label: if s.is_empty() { t.none_subject.to_owned() } else { s.clone() },
            count: *count,
            href: href(&base, Some(s.as_str()), year, q, 1),
            current: cat == Some(s.as_str()),
        })
        .collect();
    let trace = match year {
        Some(y) => Some(trace(&state, &org, y, &column.years).await?),
        None => None,
    };
    let title = format!("{} · {}", t.title, org.name);
    let path = href(&base, cat, year, q, page);
    let chrome = public_chrome(&state, lang, &csrf, actor.as_ref(), &org, &title, &path).await?;
    let page = ColumnPage {
        chrome,
        t,
        agency: org.name.clone(),
        q: q.to_owned(),
        category: query.subject.clone(),
        year,
        found: match lang {
            Lang::Zh => format!("共有信息{}条", column.total),
            Lang::En => format!("{} items found", column.total),
        },
        rows: column.items.iter().map(|c| row(lang, t, &org, c)).collect(),
        years,
        subjects,
        page,
        previous: (page > 1).then(|| href(&base, cat, year, q, page - 1)),
        next: (u64::from(page) < pages).then(|| href(&base, cat, year, q, page + 1)),
        trace,
        guide: format!("/agencies/{id}/guide"),
        base,
    };
    Ok(page::render(&page)?.into_response())
}

/// The column's count for `year` beside the published report's figure.
async fn trace(
    state: &AppState,
    org: &Org,
    year: i16,
    years: &[(i16, u64)],
) -> Result<Trace, AppError> {
    let column = years.iter().find(|(y, _)| *y == year).map_or(0, |(_, n)| *n);
    let published = state.store.published_report(org.id, year, None).await?;
    let report = match &published {
        Some(p) => reported_items(&super::published::report_of(&p.report)?),
        None => None,
    };
    Ok(Trace {
        year,
        column,
        report,
        href: published.map(|_| format!("/agencies/{}/reports/{year}", org.id.0)),
    })
}

#[derive(Template)]
#[template(path = "column_item.html")]
struct ItemPage {
    chrome: Chrome,
    t: ColumnText,
    agency: String,
    back: String,
    row: Row,
    category: String,
    /// The full text's paragraphs.
    paragraphs: Vec<String>,
    /// The attachment: (link, file name, size).
    attachment: Option<(String, String, String)>,
}

/// A size as people read it.
fn size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{} KB", bytes.div_ceil(1024)),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

async fn item(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Path((id, key)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let org = agency(&state, id).await?;
    let c = state.store.column_item(org.id, &key).await?.ok_or(AppError::NotFound)?;
    let t = ColumnText::of(lang);
    let href = item_href(org.id, &c.key);
    let chrome =
        public_chrome(&state, lang, &csrf, actor.as_ref(), &org, &c.item.title, &href).await?;
    let category = match lang {
        Lang::Zh => c.item.category.to_string(),
        Lang::En => gongkai_register::vocab::CATEGORY
            .choices()
            .into_iter()
            .find(|ch| ch.value == c.item.category.to_string())
            .map_or_else(|| c.item.category.to_string(), |ch| ch.en),
    };
    let page = ItemPage {
        chrome,
        t,
        agency: org.name.clone(),
        back: format!("/agencies/{id}/column"),
        row: row(lang, t, &org, &c),
        category,
        paragraphs: c
            .item
            .text
            .as_deref()
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        attachment: c
            .attachment
            .as_ref()
            .map(|a| (format!("{href}/attachment"), a.file_name.clone(), size(a.size))),
    };
    Ok(page::render(&page)?.into_response())
}

/// The attachment of a public item, as a download (never shown inline).
async fn attachment(
    State(state): State<AppState>,
    Path((id, key)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let org = agency(&state, id).await?;
    let (a, bytes) = state.store.column_attachment(org.id, &key).await?.ok_or(AppError::NotFound)?;
    let ext = a.file_name.rsplit_once('.').map_or("", |(_, e)| e);
    let disposition = content_disposition(&format!("attachment.{ext}"), &a.file_name);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(&a.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(AppError::internal)?,
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// A page of the column, as the API answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ColumnJson {
    /// The agency.
    pub agency: String,
    /// Items matching the query in all.
    pub total: u64,
    /// The page, from 1.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// The items of the page, newest first.
    pub items: Vec<ColumnItemJson>,
}

/// One public item of the catalogue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ColumnItemJson {
    /// 索引号 (`code/year-serial`).
    pub index_no: String,
    /// The register number (the key in URLs).
    pub key: String,
    /// 名称.
    pub title: String,
    /// 主题分类.
    pub subject: Option<String>,
    /// 发布机构 (the agency when not given).
    pub publisher: String,
    /// 成文日期 (ISO 8601).
    pub written: Option<String>,
    /// 公开日期: the first publication (ISO 8601).
    pub published: String,
    /// 文号.
    pub number: Option<String>,
    /// 时效: `in_force`, `expired` or `repealed`.
    pub validity: Option<String>,
    /// The article of the Regulations it is disclosed under (`第二十条第（一）项`).
    pub category: String,
    /// The full text, when published as text.
    pub text: Option<String>,
    /// The item's page.
    pub url: String,
    /// The attachment's download, when it has one.
    pub attachment_url: Option<String>,
}

/// The agency's disclosure column: its reviewed and published proactive items (newest first),
/// filtered by 主题分类, year and search words, by pages of 20.
#[utoipa::path(
    get,
    path = "/api/v1/agencies/{id}/column",
    tag = "column",
    params(("id" = i64, Path, description = "the agency"), Params),
    responses(
        (status = 200, description = "a page of the catalogue", body = ColumnJson),
        (status = 404, description = "no such agency")
    )
)]
async fn api(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(params): Query<Params>,
) -> Result<Json<ColumnJson>, AppError> {
    let org = agency(&state, id).await?;
    let query = params.query();
    let column = state.store.column(org.id, &query).await?;
    let items = column
        .items
        .iter()
        .map(|c| {
            let url = item_href(org.id, &c.key);
            ColumnItemJson {
                index_no: c.index_no.clone(),
                key: c.key.clone(),
                title: c.item.title.clone(),
                subject: c.item.subject.clone(),
                publisher: c.item.publisher.clone().unwrap_or_else(|| org.name.clone()),
                written: c.item.written.map(|d| d.to_string()),
                published: c.published.to_string(),
                number: c.item.number.clone(),
                validity: c.item.validity.and_then(|v| {
                    serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_owned))
                }),
                category: c.item.category.to_string(),
                text: c.item.text.clone(),
                attachment_url: c.attachment.as_ref().map(|_| format!("{url}/attachment")),
                url,
            }
        })
        .collect();
    Ok(Json(ColumnJson {
        agency: org.name.clone(),
        total: column.total,
        page: query.page,
        per_page: gongkai_store::column::PER_PAGE,
        items,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(ColumnText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn links_keep_the_filters() {
        assert_eq!(href("/c", None, None, "", 1), "/c");
        assert_eq!(href("/c", Some("财政"), Some(2024), "预 算", 2), "/c?category=%E8%B4%A2%E6%94%BF&year=2024&q=%E9%A2%84%20%E7%AE%97&page=2");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(2048), "2 KB");
        assert_eq!(size(3 * 1_048_576), "3.0 MB");
    }
}
