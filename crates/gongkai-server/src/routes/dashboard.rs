//! 工作台, the dashboard: `GET /` (to the dashboard of the user's organisation, or the one the
//! switcher chose), `GET /agencies/{id}` (an agency: open applications by due date, this year's
//! counts so far, the annual report's status and deadline) and `GET /offices/{id}` (an office:
//! its agencies and their reports).
//!
//! The domain computes, the page carries: deadlines and their standing come from
//! [`gongkai_cases::Case::status`] (working days from the calendar), the counts from
//! [`gongkai_cases::tables::annual`].

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_cases::{Case, Records, Timeliness, Waiting};
use gongkai_model::Lang;
use gongkai_store::{Org, OrgId};
use jiff::civil::Date;

use super::{Access, Route};
use crate::auth::{Actor, CsrfToken};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::i18n;
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, AgencyScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/agencies/{id}", Access::Agency(Action::ViewDashboard), agency),
        Route::get("/offices/{id}", Access::Office(Action::ViewOffice), office),
    ]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The dashboard's texts.
    pub struct DashboardText {
        title: "工作台" | "Dashboard",
        open: "待办申请（按期限排列）" | "Open applications (by due date)",
        none_open: "暂无待办申请。" | "No open applications.",
        case_id: "编号" | "Number",
        received: "收到日期" | "Received",
        phase: "状态" | "Phase",
        deadline: "期限" | "Due",
        left: "剩余工作日" | "Working days left",
        standing: "提示" | "Standing",
        counts: "本年度统计（截至今日）" | "This year so far",
        received_count: "收到申请" | "Applications received",
        carried_over: "上年结转" | "Carried over from last year",
        closed_count: "办结" | "Closed",
        replied: "答复" | "Replied",
        on_time: "按期答复" | "Replied on time",
        still_open: "尚未办结" | "Still open",
        report: "年度报告" | "Annual report",
        published: "已发布" | "Published",
        not_published: "未发布" | "Not published",
        legend: "红色：已超期；黄色：5个工作日内到期。" | "Red: overdue; amber: due within 5 working days.",
        no_org: "您的账号尚未加入任何单位，请联系管理员。" | "Your account belongs to no organisation yet: ask an administrator.",
        agencies: "所属机关" | "Agencies",
        agency: "机关" | "Agency",
        unreadable: "以下申请的记录无法重放，请联系管理员：" | "These applications' records cannot be replayed; tell an administrator:",
        board: "年报汇总：全部下级机关的年度报告状态、逾期、错误与跨年检查" | "Report status: every agency below, with deadlines, errors and cross-year checks",
        collect: "收集在其他渠道发布的年报" | "Collect reports published elsewhere",
        to_correct: "政务公开办确认的问题（待更正）" | "Problems confirmed by the office (to correct)",
        to_correct_how: "已发布的数值不会被修改：请核实后发布更正版本。" | "Published values are never changed: check them and publish a corrected version.",
        problem: "问题" | "Problem",
        cells: "单元格" | "Cells",
        office_note: "审核意见" | "Reviewer's note",
        confirmed_at: "确认时间" | "Confirmed",
        report_year: "年度" | "Year",
        rollup: "汇总表：表二至表四逐格求和" | "Roll-up: Tables 2–4 summed",
        compare: "机关对比" | "Compare agencies",
        findings: "检查结果审核：确认或排除收集年报的检查结果" | "Findings queue: confirm or dismiss the findings of collected reports",
        portal: "公开门户：查找机关，阅读年度报告与统计" | "Public portal: find agencies, read annual reports and statistics",
    }
}

/// `/` for a signed-in user (the route is [`super::home`]'s): the dashboard of the
/// organisation the switcher chose (`org`), else of the first membership.
pub(crate) async fn home(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    org: Option<i64>,
) -> Result<Response, AppError> {
    let orgs = page::orgs_of(state, actor).await?;
    let chosen = org.and_then(|id| orgs.iter().find(|o| o.id.0 == id));
    if let Some(org) = chosen.or(orgs.first()) {
        return Ok(Redirect::to(&page::org_href(org)).into_response());
    }
    let t = DashboardText::of(lang);
    let chrome = Chrome::new(lang, t.title, csrf, "/", Some((actor, &orgs)), None, Nav::Dashboard);
    Ok(page::render(&NoOrgPage { chrome, t })?.into_response())
}

#[derive(Template)]
#[template(path = "no_org.html")]
struct NoOrgPage {
    chrome: Chrome,
    t: DashboardText,
}

/// One open application on the dashboard.
#[derive(Debug)]
struct OpenRow {
    id: String,
    received: String,
    phase: &'static str,
    waiting: &'static str,
    deadline: String,
    /// Working days left (negative when passed), or `—` for a deadline after the calendar.
    left: String,
    standing: &'static str,
    /// `overdue`, `soon`, `ok`, or `none` (a deadline after the calendar): the row's colour.
    class: &'static str,
    sort: Date,
}

/// The annual report's status for the year whose report is due this year.
#[derive(Debug)]
struct ReportStatus {
    line: String,
    published: Option<String>,
    /// `overdue` when unpublished past the deadline, `soon` in January, else `ok`.
    class: &'static str,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct AgencyPage {
    chrome: Chrome,
    t: DashboardText,
    agency: String,
    open: Vec<OpenRow>,
    unreadable: Vec<String>,
    counts: Vec<(&'static str, u64)>,
    year_line: String,
    report: ReportStatus,
    to_correct: Vec<ToCorrect>,
    /// From November, when next year's holiday notice is not loaded yet.
    calendar_note: Option<String>,
}

/// A finding an office confirmed on a report collected for the agency: what to correct.
#[derive(Debug)]
struct ToCorrect {
    year: String,
    rule: String,
    message: String,
    cells: String,
    note: String,
    confirmed_at: String,
}

/// The findings offices confirmed on the agency's collected reports.
async fn to_correct(state: &AppState, lang: Lang, agency: OrgId) -> Result<Vec<ToCorrect>, AppError> {
    let confirmed = state.store.confirmed_findings(agency).await?;
    Ok(confirmed
        .into_iter()
        .map(|c| {
            let v: serde_json::Value = serde_json::from_str(&c.finding).unwrap_or_default();
            ToCorrect {
                year: c.year.map(|y| y.to_string()).unwrap_or_default(),
                rule: c.rule,
                message: super::documents::recorded_message(&v, lang),
                cells: super::documents::recorded_cells(&v).join(", "),
                note: c.note,
                confirmed_at: i18n::datetime(lang, c.confirmed_at),
            }
        })
        .collect())
}

async fn agency(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewDashboard, OrgId(id)).await?;
    let orgs = page::orgs_of(&state, &actor).await?;
    let t = DashboardText::of(lang);
    let today = state.clock.today();
    let (cases, unreadable) = replayed(&state, &scope, today).await?;
    let open = open_rows(&state, lang, &cases, today)?;
    let year = today.year();
    let records = Records {
        agency: &scope.org().name,
        cases: &cases,
        proactive: &[],
        documents: &[],
        decisions: &[],
        fees_collected: &[],
        disputes: &[],
    };
    let f = gongkai_cases::annual(&records, year, &state.calendar).figures;
    let counts = vec![
        (t.received_count, f.applications_received),
        (t.carried_over, f.applications_carried_over),
        (t.closed_count, f.applications_closed),
        (t.replied, f.replied),
        (t.on_time, f.replied_on_time),
        (t.still_open, f.applications_carried_forward),
    ];
    let year_line = match lang {
        Lang::Zh => format!("{year}年1月1日至{}", i18n::date(lang, today)),
        Lang::En => format!("{year}-01-01 to {today}"),
    };
    let report = report_status(&state, lang, scope.id(), today).await?;
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, scope.org().name),
        &csrf,
        &format!("/agencies/{id}"),
        Some((&actor, &orgs)),
        Some(scope.org()),
        Nav::Dashboard,
    );
    let to_correct = to_correct(&state, lang, scope.id()).await?;
    let page = AgencyPage {
        chrome,
        t,
        agency: scope.org().name.clone(),
        open,
        unreadable,
        counts,
        year_line,
        report,
        to_correct,
        calendar_note: state.calendar.next_year_missing(today).map(|m| m.get(lang).to_owned()),
    };
    Ok(page::render(&page)?.into_response())
}

/// The agency's cases replayed as of today, and the ids of those that cannot be (a record the
/// domain refuses is shown, never hidden or guessed at).
async fn replayed(state: &AppState, scope: &AgencyScope, today: Date) -> Result<(Vec<Case>, Vec<String>), AppError> {
    let mut cases = Vec::new();
    let mut unreadable = Vec::new();
    for stored in state.store.cases(scope.id()).await? {
        let id = stored.record.intake.id.0.clone();
        match Case::replay(stored.record, today, state.env()) {
            Ok(case) => cases.push(case),
            Err((index, e)) => {
                tracing::warn!(agency = %scope.id(), case = %id, event = index, error = %e.bilingual(), "case does not replay");
                unreadable.push(id);
            }
        }
    }
    Ok((cases, unreadable))
}

use gongkai_model::Localized as _;

/// The open applications by deadline, with their standing.
fn open_rows(state: &AppState, lang: Lang, cases: &[Case], today: Date) -> Result<Vec<OpenRow>, AppError> {
    let mut rows = Vec::new();
    for case in cases {
        let Some(status) = case.status(today, state.env()).map_err(AppError::internal)? else {
            // A running reply clock whose end lies after the calendar's last day: listed last.
            if let Some(last) = case.reply_due_after_calendar() {
                let (when, standing) = i18n::due_after_calendar(lang, last);
                rows.push(OpenRow {
                    id: case.id().0.clone(),
                    received: i18n::date(lang, case.received()),
                    phase: i18n::pick(lang, phase_zh(case.phase()), case.phase().en()),
                    waiting: i18n::pick(lang, Waiting::Reply.zh(), Waiting::Reply.en()),
                    deadline: when,
                    left: "—".to_owned(),
                    standing,
                    class: "none",
                    sort: Date::MAX,
                });
            }
            continue;
        };
        let class = match status.timeliness {
            Timeliness::VeryOverdue | Timeliness::Overdue => "overdue",
            Timeliness::DueSoon => "soon",
            Timeliness::OnTrack => "ok",
        };
        rows.push(OpenRow {
            id: case.id().0.clone(),
            received: i18n::date(lang, case.received()),
            phase: i18n::pick(lang, phase_zh(case.phase()), case.phase().en()),
            waiting: i18n::pick(lang, status.waiting.zh(), status.waiting.en()),
            deadline: i18n::date(lang, status.deadline),
            left: status.working_days_left.to_string(),
            standing: i18n::pick(lang, status.timeliness.zh(), status.timeliness.en()),
            class,
            sort: status.deadline,
        });
    }
    rows.sort_by(|a, b| a.sort.cmp(&b.sort).then_with(|| a.id.cmp(&b.id)));
    Ok(rows)
}

fn phase_zh(phase: gongkai_cases::Phase) -> &'static str {
    phase.zh()
}

/// Last year's report: published or not, and the 1月31日 deadline of 条例第五十条.
async fn report_status(state: &AppState, lang: Lang, agency: OrgId, today: Date) -> Result<ReportStatus, AppError> {
    let report_year = gongkai_cases::due_report_year(today);
    let deadline = gongkai_cases::report_due(report_year)
        .ok_or_else(|| AppError::internal("the report year is past the calendar"))?;
    let published = state.store.published_report(agency, report_year, None).await?;
    let line = match lang {
        Lang::Zh => format!(
            "{report_year}年度报告应于{}前公布（《政府信息公开条例》第五十条）",
            i18n::date(lang, deadline)
        ),
        Lang::En => format!(
            "the {report_year} annual report is due by {deadline} (Regulations on Open Government Information, art. 50)"
        ),
    };
    let published_on = published.map(|p| {
        let day = p.version.published_at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8))).date();
        match lang {
            Lang::Zh => format!("第{}版，{}发布", p.version.version, i18n::date(lang, day)),
            Lang::En => format!("version {}, published {day}", p.version.version),
        }
    });
    let class = match (&published_on, today > deadline) {
        (Some(_), _) => "ok",
        (None, true) => "overdue",
        (None, false) => "soon",
    };
    Ok(ReportStatus { line, published: published_on, class })
}

/// One agency on an office's dashboard.
#[derive(Debug)]
struct AgencyRow {
    href: String,
    name: String,
    report: ReportStatus,
}

#[derive(Template)]
#[template(path = "office.html")]
struct OfficePage {
    chrome: Chrome,
    t: DashboardText,
    office: String,
    board_href: String,
    /// The office's own pages: (href, label), after the board.
    links: Vec<(String, &'static str)>,
    agencies: Vec<AgencyRow>,
}

async fn office(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::office(&state, &actor, Action::ViewOffice, OrgId(id)).await?;
    let orgs = page::orgs_of(&state, &actor).await?;
    let t = DashboardText::of(lang);
    let today = state.clock.today();
    let mut agencies = Vec::new();
    for org in state.store.children(Some(scope.id())).await? {
        let report = report_status(&state, lang, org.id, today).await?;
        agencies.push(AgencyRow { href: page::org_href(&org), name: org.name.clone(), report });
    }
    let office: &Org = scope.org();
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, office.name),
        &csrf,
        &format!("/offices/{id}"),
        Some((&actor, &orgs)),
        Some(office),
        Nav::Dashboard,
    );
    let board_href = format!("/offices/{id}/reports");
    let links = vec![
        (format!("/offices/{id}/documents"), t.collect),
        (format!("/offices/{id}/rollup"), t.rollup),
        (format!("/offices/{id}/compare"), t.compare),
        (format!("/offices/{id}/findings"), t.findings),
    ];
    let page = OfficePage { chrome, t, office: office.name.clone(), board_href, links, agencies };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(DashboardText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
