//! 年报汇总, an office's status board for a report year (the model: [`crate::board`]):
//!
//! - `GET /offices/{id}/reports?year=Y` — every agency of the office's whole subtree, grouped by
//!   level and by the office directly above it, with its status, deadline, days late, error and
//!   warning counts and cross-year check; summary counts at the top; filters (`status`, `level`,
//!   `late=1`, `errors=1`);
//! - `GET /offices/{id}/reports.csv` (`bom=1` for Excel) and `/offices/{id}/reports.xlsx` — the
//!   filtered board;
//! - `GET /offices/{id}/reports/unpublished` and `…/unpublished.csv` — the agencies that have
//!   not published (draft or nothing), each with a 催报 notice ready to copy;
//! - `GET /api/v1/offices/{id}/status?year=Y` — the board as JSON.
//!
//! The year defaults to the most recent report year whose 1月31日 deadline has passed or is
//! coming ([`gongkai_cases::due_report_year`]: the previous calendar year). An office reviewer
//! of the office or of an office above it may see it ([`Action::ViewOffice`]).

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gongkai_model::Lang;
use gongkai_store::{Level, Org, OrgId, OrgKind};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Access, Route};
use crate::auth::{Actor, CsrfToken};
use crate::board::{
    self, Board, Cell, Checked, CrossYear, Facts, Filed, Filter, Row, Side, Status, Summary,
};
use crate::error::AppError;
use crate::i18n::{self, Ui};
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, OfficeScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    let view = Access::Office(Action::ViewOffice);
    vec![
        Route::get("/offices/{id}/reports", view, page),
        Route::get("/offices/{id}/reports.csv", view, csv),
        Route::get("/offices/{id}/reports.xlsx", view, xlsx),
        Route::get("/offices/{id}/reports/unpublished", view, unpublished),
        Route::get("/offices/{id}/reports/unpublished.csv", view, unpublished_csv),
        Route::get("/api/v1/offices/{id}/status", view, status).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(status), components(schemas(AgencyStatus)))]
pub struct Api;

texts! {
    /// The board's texts.
    pub struct StatusText {
        title: "年报汇总" | "Annual report status",
        year_title: "年度政府信息公开工作年度报告" | " annual reports",
        due_line: "发布期限（《政府信息公开条例》第五十条）：" | "Due (Regulations on Open Government Information, art. 50): ",
        today_line: "今天：" | "Today: ",
        summary: "汇总" | "Summary",
        agencies: "下级机关" | "Agencies below",
        late: "逾期" | "Late",
        with_errors: "有错误" | "With errors",
        cross_failing: "跨年检查未通过" | "Failing cross-year checks",
        filters: "筛选" | "Filters",
        year: "年度" | "Year",
        status: "状态" | "Status",
        level: "层级" | "Level",
        any: "全部" | "Any",
        late_only: "仅逾期" | "Late only",
        errors_only: "仅有错误" | "With errors only",
        apply: "筛选" | "Apply",
        exports: "导出（按当前筛选）" | "Export (as filtered)",
        csv_bom: "CSV（Excel，UTF-8 带 BOM）" | "CSV (Excel, UTF-8 with BOM)",
        csv: "CSV（UTF-8）" | "CSV (UTF-8)",
        xlsx: "Excel（XLSX）" | "Excel (XLSX)",
        to_unpublished: "未发布机关清单及催报通知" | "Agencies that have not published, with reminders to send",
        shown: "显示" | "Showing",
        of: "个，共" | " of ",
        units: "个机关" | " agencies",
        none: "没有符合条件的机关。" | "No agency matches.",
        agency: "机关" | "Agency",
        due: "期限" | "Due",
        published_on: "发布日期" | "Published",
        days_late: "逾期天数" | "Days late",
        errors: "错误" | "Errors",
        warnings: "警告" | "Warnings",
        cross: "跨年检查" | "Cross-year",
        legend: "跨年检查：本年度报告与上一年度报告之间的勾稽关系（X-CARRY 上年结转、T2-STOCK-FLOW 存量与增减）。错误与警告由 gongkai 规则检查得出。" | "Cross-year: the rules between this year's report and last year's (X-CARRY carried over, T2-STOCK-FLOW stock and flow). Errors and warnings come from gongkai's rules.",
        unpublished_title: "未发布机关" | "Agencies that have not published",
        unpublished_intro: "以下机关尚未发布本年度报告（草稿未发布或未开始）。每条催报通知可直接复制发送。" | "These agencies have not published the year's report (a draft, or nothing). Each reminder can be copied and sent as it is.",
        notice: "催报通知" | "Reminder",
        all_published: "所有下级机关均已发布。" | "Every agency below has published.",
        back: "返回年报汇总" | "Back to the status board",
        download_list: "下载清单（CSV，带 BOM）" | "Download the list (CSV with BOM)",
    }
}

/// The board's query: the year and the filters (an empty value is no filter).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    /// The report year (default: the year whose deadline has passed or is coming).
    pub year: Option<String>,
    /// Only this status: `published`, `collected`, `draft` or `missing`.
    pub status: Option<String>,
    /// Only this level: `national`, `provincial`, `municipal`, `county` or `township`.
    pub level: Option<String>,
    /// `1`: only agencies past the deadline.
    pub late: Option<String>,
    /// `1`: only reports with errors.
    pub errors: Option<String>,
    /// `1`: the CSV starts with a BOM (for Excel).
    pub bom: Option<String>,
}

fn given(v: Option<&String>) -> Option<&str> {
    v.map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn on(v: Option<&String>) -> bool {
    matches!(given(v), Some("1" | "true" | "on"))
}

impl BoardQuery {
    fn year(&self, today: Date) -> Result<i16, AppError> {
        match given(self.year.as_ref()) {
            None => Ok(gongkai_cases::due_report_year(today)),
            Some(y) => y
                .parse::<i16>()
                .ok()
                .filter(|y| gongkai_store::reports::YEARS.contains(y))
                .ok_or_else(|| {
                    AppError::field("year", "年度应为2008至2100之间的年份", "the year is between 2008 and 2100")
                }),
        }
    }

    fn filter(&self) -> Result<Filter, AppError> {
        let status = match given(self.status.as_ref()) {
            None => None,
            Some(k) => Some(Status::from_key(k).ok_or_else(|| {
                AppError::field("status", "未知的状态", "unknown status")
            })?),
        };
        let level = match given(self.level.as_ref()) {
            None => None,
            Some(k) => Some(
                Level::from_key(k)
                    .ok_or_else(|| AppError::field("level", "未知的层级", "unknown level"))?,
            ),
        };
        Ok(Filter { status, level, late: on(self.late.as_ref()), errors: on(self.errors.as_ref()) })
    }

    /// The query string of the filters (for the export links), with `extra` appended.
    fn href(&self, year: i16, filter: &Filter, extra: &str) -> String {
        let mut q = format!("year={year}");
        if let Some(s) = filter.status {
            q.push_str(&format!("&status={}", s.key()));
        }
        if let Some(l) = filter.level {
            q.push_str(&format!("&level={}", l.key()));
        }
        if filter.late {
            q.push_str("&late=1");
        }
        if filter.errors {
            q.push_str("&errors=1");
        }
        q.push_str(extra);
        q
    }
}

/// The board of an office for a year, from the store: the subtree, the latest versions of the
/// year and of the year before, the saved drafts, and the checks.
pub async fn load(state: &AppState, office: &Org, year: i16) -> Result<Board, AppError> {
    let due = gongkai_cases::report_due(year)
        .ok_or_else(|| AppError::field("year", "年度超出范围", "the year is out of range"))?;
    let today = state.clock.today();
    let orgs = state.store.subtree(office.id).await?;
    let current = state.store.latest_versions(office.id, year).await?;
    let previous = state.store.latest_versions(office.id, year.saturating_sub(1)).await?;
    let drafted: HashSet<OrgId> = state.store.drafted(office.id, year).await?.into_iter().collect();
    let mut checks = board::checked(state, office.id, year, &current, &previous).await?;
    let collected_now = state.store.collected_reports(office.id, year).await?;
    let collected_before = state.store.collected_reports(office.id, year.saturating_sub(1)).await?;
    let now = Side::by_agency(&current, &collected_now);
    let before = Side::by_agency(&previous, &collected_before);
    let cross = board::collected_cross(state, office.id, year, &now, &before).await?;
    for (agency, result) in &cross {
        if let Some(c) = checks.get_mut(agency) {
            c.cross = result.clone();
        }
    }
    let collected: HashMap<OrgId, Filed> = collected_now
        .iter()
        .map(|c| {
            let cross = cross.get(&c.agency).cloned().unwrap_or(CrossYear::NoPrevious);
            let checked = Checked { errors: c.errors, warnings: c.warnings, cross };
            // When the agency published it elsewhere is not known: the file carries no date
            // the reader trusts, so the board shows none.
            (c.agency, Filed { published_at: None, checked })
        })
        .collect();
    let versions: HashMap<OrgId, _> = current.into_iter().collect();
    let mut offices: HashMap<OrgId, &Org> =
        orgs.iter().filter(|o| o.kind == OrgKind::Office).map(|o| (o.id, o)).collect();
    offices.insert(office.id, office);
    let mut rows: Vec<Row> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Agency)
        .map(|agency| {
            let above = agency.parent.and_then(|p| offices.get(&p).copied()).unwrap_or(office);
            let published = versions.get(&agency.id).and_then(|v| {
                // A version published after the checks read the texts is counted on the next
                // view; until then the board shows what it had checked.
                checks.get(&agency.id).map(|c| Filed {
                    published_at: Some(v.published_at),
                    checked: c.clone(),
                })
            });
            let facts = Facts {
                agency,
                office: above,
                published,
                collected: collected.get(&agency.id).cloned(),
                drafted: drafted.contains(&agency.id),
            };
            Row::of(&facts, due, today)
        })
        .collect();
    // Grouped by level, then by the office above (its name), then by name: the subtree's order
    // within each group.
    rows.sort_by(|a, b| {
        (a.level, &a.office, a.office_id, &a.agency, a.agency_id)
            .cmp(&(b.level, &b.office, b.office_id, &b.agency, b.agency_id))
    });
    Ok(Board { year, due, rows })
}

/// One agency as the API lists it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AgencyStatus {
    /// The agency's id.
    pub agency_id: i64,
    /// Its name.
    pub agency: String,
    /// `published` (in gongkai), `collected` (published elsewhere, collected by the office),
    /// `draft` (a saved draft, not published) or `missing`.
    pub status: String,
    /// The deadline (ISO 8601 date): 31 January of the next year.
    pub due: String,
    /// When the report was published (RFC 3339), if it was.
    pub published_at: Option<String>,
    /// Error findings of the report (null without a report).
    pub errors: Option<u32>,
    /// Warning findings of the report (null without a report).
    pub warnings: Option<u32>,
    /// Its level.
    pub level: String,
    /// The office directly above it.
    pub office_id: i64,
    /// That office's name.
    pub office: String,
    /// Calendar days past the deadline (0 when on time or not yet due).
    pub days_late: i64,
    /// `ok`, `failing`, `no_previous_year` or `no_report`.
    pub cross_year: String,
    /// The failing cross-year rules.
    pub cross_year_rules: Vec<String>,
}

impl AgencyStatus {
    fn of(row: &Row) -> AgencyStatus {
        let cross = row.cross();
        let rules = match &cross {
            CrossYear::Failing(rules) => rules.iter().map(|r| (*r).to_owned()).collect(),
            _ => Vec::new(),
        };
        AgencyStatus {
            agency_id: row.agency_id.0,
            agency: row.agency.clone(),
            status: row.status.key().to_owned(),
            due: row.due.to_string(),
            published_at: row.published_at.map(|t| t.to_string()),
            errors: row.checked.as_ref().map(|c| c.errors),
            warnings: row.checked.as_ref().map(|c| c.warnings),
            level: row.level.key().to_owned(),
            office_id: row.office_id.0,
            office: row.office.clone(),
            days_late: row.days_late,
            cross_year: cross.key().to_owned(),
            cross_year_rules: rules,
        }
    }
}

/// The status of every agency below an office for a report year.
#[utoipa::path(
    get,
    path = "/api/v1/offices/{id}/status",
    tag = "offices",
    params(("id" = i64, Path, description = "the office"), BoardQuery),
    responses(
        (status = 200, description = "every agency of the office's subtree (grouped by level and office, then by name), filtered", body = [AgencyStatus]),
        (status = 404, description = "no such office, or not the caller's"),
        (status = 422, description = "a year, status or level that does not exist")
    )
)]
async fn status(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<BoardQuery>,
) -> Result<Json<Vec<AgencyStatus>>, AppError> {
    let scope = policy::office(&state, &actor, Action::ViewOffice, OrgId(id)).await?;
    let year = query.year(state.clock.today())?;
    let filter = query.filter()?;
    let board = load(&state, scope.org(), year).await?;
    Ok(Json(board.filtered(&filter).map(AgencyStatus::of).collect()))
}

/// One agency on the page.
#[derive(Debug)]
struct RowView {
    href: String,
    name: String,
    status: &'static str,
    status_key: &'static str,
    due: String,
    published_on: String,
    days_late: String,
    errors: String,
    warnings: String,
    cross: String,
    cross_key: &'static str,
}

/// A group of the page: a level and the office above.
#[derive(Debug)]
struct Group {
    heading: String,
    rows: Vec<RowView>,
}

#[derive(Template)]
#[template(path = "office_status.html")]
struct StatusPage {
    chrome: Chrome,
    t: StatusText,
    office: String,
    year: i16,
    due: String,
    today: String,
    summary: Vec<(&'static str, usize, String)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    levels: Vec<(&'static str, &'static str, bool)>,
    late: bool,
    errors: bool,
    action: String,
    shown: usize,
    total: usize,
    groups: Vec<Group>,
    csv_bom_href: String,
    csv_href: String,
    xlsx_href: String,
    unpublished_href: String,
}

fn row_view(row: &Row, lang: Lang) -> RowView {
    let count = |n: Option<u32>| n.map_or_else(|| "—".to_owned(), |n| n.to_string());
    let cross = row.cross();
    RowView {
        href: format!("/agencies/{}", row.agency_id),
        name: row.agency.clone(),
        status: row.status.label(lang),
        status_key: row.status.key(),
        due: i18n::date(lang, row.due),
        published_on: row.published_on.map_or_else(|| "—".to_owned(), |d| i18n::date(lang, d)),
        days_late: if row.days_late > 0 { row.days_late.to_string() } else { String::new() },
        errors: count(row.checked.as_ref().map(|c| c.errors)),
        warnings: count(row.checked.as_ref().map(|c| c.warnings)),
        cross: cross.label(lang),
        cross_key: cross.key(),
    }
}

async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let scope = policy::office(&state, &actor, Action::ViewOffice, OrgId(id)).await?;
    let today = state.clock.today();
    let year = query.year(today)?;
    let filter = query.filter()?;
    let board = load(&state, scope.org(), year).await?;
    let t = StatusText::of(lang);
    let s = Summary::of(&board.rows);
    let base = format!("/offices/{id}/reports");
    let filtered_href = |status: Option<Status>, late: bool, errors: bool| {
        let f = Filter { status, level: None, late, errors };
        format!("{base}?{}", query.href(year, &f, ""))
    };
    let mut summary = vec![(t.agencies, s.agencies, filtered_href(None, false, false))];
    for (status, n) in Status::ALL.iter().zip(s.by_status) {
        summary.push((status.label(lang), n, filtered_href(Some(*status), false, false)));
    }
    summary.push((t.late, s.late, filtered_href(None, true, false)));
    summary.push((t.with_errors, s.with_errors, filtered_href(None, false, true)));
    summary.push((t.cross_failing, s.cross_failing, String::new()));
    let mut groups: Vec<Group> = Vec::new();
    let mut last: Option<(Level, OrgId)> = None;
    let mut shown = 0;
    for row in board.filtered(&filter) {
        shown += 1;
        if last != Some((row.level, row.office_id)) {
            last = Some((row.level, row.office_id));
            groups.push(Group {
                heading: format!("{} · {}", board::level_label(row.level, lang), row.office),
                rows: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.rows.push(row_view(row, lang));
        }
    }
    let path = format!("{base}?{}", query.href(year, &filter, ""));
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, scope.org().name),
        &csrf,
        &path,
        Some((&actor, &page::orgs_of(&state, &actor).await?)),
        Some(scope.org()),
        Nav::OfficeReports,
    );
    let view = StatusPage {
        chrome,
        t,
        office: scope.org().name.clone(),
        year,
        due: i18n::date(lang, board.due),
        today: i18n::date(lang, today),
        summary,
        statuses: Status::ALL
            .iter()
            .map(|s| (s.key(), s.label(lang), filter.status == Some(*s)))
            .collect(),
        levels: Level::ALL
            .iter()
            .map(|l| (l.key(), board::level_label(*l, lang), filter.level == Some(*l)))
            .collect(),
        late: filter.late,
        errors: filter.errors,
        action: base.clone(),
        shown,
        total: board.rows.len(),
        groups,
        csv_bom_href: format!("{base}.csv?{}", query.href(year, &filter, "&bom=1")),
        csv_href: format!("{base}.csv?{}", query.href(year, &filter, "")),
        xlsx_href: format!("{base}.xlsx?{}", query.href(year, &filter, "")),
        unpublished_href: format!("{base}/unpublished?year={year}"),
    };
    Ok(page::render(&view)?.into_response())
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

/// A download of the office's own data: not kept by shared caches.
fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// The scope, year, filter and board of an export.
async fn exported(
    state: &AppState,
    actor: &Actor,
    id: i64,
    query: &BoardQuery,
) -> Result<(OfficeScope, Filter, Board), AppError> {
    let scope = policy::office(state, actor, Action::ViewOffice, OrgId(id)).await?;
    let year = query.year(state.clock.today())?;
    let filter = query.filter()?;
    let board = load(state, scope.org(), year).await?;
    Ok((scope, filter, board))
}

async fn csv(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let (_, filter, board) = exported(&state, &actor, id, &query).await?;
    let bytes = gongkai_register::csv_io::write_utf8(&board.table(&filter, lang), on(query.bom.as_ref()))
        .map_err(AppError::internal)?;
    Ok(download(bytes, CSV, &format!("report-status-{id}-{}.csv", board.year)))
}

async fn xlsx(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let (_, filter, board) = exported(&state, &actor, id, &query).await?;
    let bytes = board.xlsx(&filter, lang).map_err(AppError::internal)?;
    Ok(download(bytes, XLSX, &format!("report-status-{id}-{}.xlsx", board.year)))
}

/// The 催报 notice to an agency that has not published.
fn notice(lang: Lang, office: &str, row: &Row, year: i16, today: Date) -> String {
    match lang {
        Lang::Zh => {
            let standing = if row.days_late > 0 {
                format!("已逾期{}天", row.days_late)
            } else {
                format!("发布期限为{}", i18n::date(lang, row.due))
            };
            let draft = if row.status == Status::Draft { "（已有草稿）" } else { "" };
            format!(
                "{agency}：\n根据《政府信息公开条例》第五十条，各级行政机关应当在每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度政府信息公开工作年度报告并向社会公布。截至{today}，贵单位{year}年度政府信息公开工作年度报告尚未发布{draft}，{standing}。请尽快完成审核并发布；如已通过其他渠道发布，请将发布网址或报告文件报送我办。\n{office}\n{today}",
                agency = row.agency,
                today = i18n::date(lang, today),
            )
        }
        Lang::En => {
            let standing = if row.days_late > 0 {
                format!("it is {} days late", row.days_late)
            } else {
                format!("it is due by {}", row.due)
            };
            let draft = if row.status == Status::Draft { " (a draft is saved)" } else { "" };
            format!(
                "To {agency}:\nUnder article 50 of the Regulations on Open Government Information, every administrative agency submits its annual report on government information disclosure for the previous year to the office in charge and publishes it by 31 January. As of {today}, your {year} annual report has not been published{draft}; {standing}. Please review and publish it without delay; if it has been published elsewhere, send us its address or the report file.\n{office}\n{today}",
                agency = row.agency,
            )
        }
    }
}

/// One agency on the list of those that have not published.
#[derive(Debug)]
struct Reminder {
    id: i64,
    href: String,
    name: String,
    office: String,
    status: &'static str,
    days_late: i64,
    notice: String,
}

#[derive(Template)]
#[template(path = "office_unpublished.html")]
struct UnpublishedPage {
    chrome: Chrome,
    t: StatusText,
    office: String,
    year: i16,
    due: String,
    reminders: Vec<Reminder>,
    back_href: String,
    csv_href: String,
}

/// The rows of agencies that have not published (draft or nothing).
fn not_published(board: &Board) -> impl Iterator<Item = &Row> {
    board.rows.iter().filter(|r| !r.status.is_published())
}

async fn unpublished(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let (scope, _, board) = exported(&state, &actor, id, &query).await?;
    let today = state.clock.today();
    let t = StatusText::of(lang);
    let office = scope.org().name.clone();
    let year = board.year;
    let reminders = not_published(&board)
        .map(|r| Reminder {
            id: r.agency_id.0,
            href: format!("/agencies/{}", r.agency_id),
            name: r.agency.clone(),
            office: r.office.clone(),
            status: r.status.label(lang),
            days_late: r.days_late,
            notice: notice(lang, &office, r, year, today),
        })
        .collect();
    let base = format!("/offices/{id}/reports");
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.unpublished_title, office),
        &csrf,
        &format!("{base}/unpublished?year={year}"),
        Some((&actor, &page::orgs_of(&state, &actor).await?)),
        Some(scope.org()),
        Nav::OfficeReports,
    );
    let view = UnpublishedPage {
        chrome,
        t,
        office,
        year,
        due: i18n::date(lang, board.due),
        reminders,
        back_href: format!("{base}?year={year}"),
        csv_href: format!("{base}/unpublished.csv?year={year}&bom=1"),
    };
    Ok(page::render(&view)?.into_response())
}

async fn unpublished_csv(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let (scope, _, board) = exported(&state, &actor, id, &query).await?;
    let today = state.clock.today();
    let t = StatusText::of(lang);
    let mut header = Board::header(lang);
    header.push(t.notice.to_owned());
    let mut rows = vec![header];
    for row in not_published(&board) {
        let mut cells: Vec<String> = Board::cells(row, lang).iter().map(Cell::text).collect();
        cells.push(notice(lang, &scope.org().name, row, board.year, today));
        rows.push(cells);
    }
    let bytes = gongkai_register::csv_io::write_utf8(&rows, on(query.bom.as_ref()))
        .map_err(AppError::internal)?;
    Ok(download(bytes, CSV, &format!("report-unpublished-{id}-{}.csv", board.year)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(StatusText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
