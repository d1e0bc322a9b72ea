//! 依申请公开, an agency's applications: the list (`GET /agencies/{id}/applications`, paginated
//! through the store's case-state cache), the registration form
//! (`GET /agencies/{id}/applications/new`, `POST /agencies/{id}/applications`) and their JSON API
//! (`GET`/`POST /api/v1/agencies/{id}/applications`). One case's page and its events are in
//! [`super::application`].
//!
//! The domain decides, the page carries: the form's labels and values come from the register
//! column vocabulary ([`gongkai_register::template::fields`]) and a submitted form is read and
//! checked exactly as an imported row ([`gongkai_register::validate::form`]); the API's intake in
//! the register file's JSON shape is checked as a register ([`gongkai_register::validate::register`]);
//! the listing's standing of each deadline comes from [`Timeliness::of`] (the calendar's working
//! days). Nothing is saved when anything is wrong.
//!
//! An application received in a year whose report is published (or before it) is a correction
//! of that report: the form carries the 更正理由 input while the agency has published years, the
//! API takes `correction_reason`, and without one the store's refusal is answered 422 at that
//! field ([`crate::correction`]).

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_cases::{
    ApplicantType, Case, CaseId, CaseRecord, Channel, Intake, PersonalData, Phase, Register,
    Timeliness, Waiting,
};
use gongkai_model::{Localized as _, Msg};
use gongkai_register::template::{Col, Field, Sheet, fields};
use gongkai_register::{RowError, validate};
use gongkai_store::{CaseFilter, CaseListItem, CaseState, NewCase, OrgId, PageRequest, StoreError};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::application::{self, CaseView};
use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
use crate::correction::{self, CorrectionField};
use crate::error::AppError;
use crate::i18n::{self, Lang, Ui};
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, AgencyScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/agencies/{id}/applications", Access::Agency(Action::ViewCases), list_page),
        Route::get("/agencies/{id}/applications/new", Access::Agency(Action::EditCases), new_page),
        Route::post("/agencies/{id}/applications", Access::Agency(Action::EditCases), register),
        Route::get("/api/v1/agencies/{id}/applications", Access::Agency(Action::ViewCases), list_api)
            .api(),
        Route::post(
            "/api/v1/agencies/{id}/applications",
            Access::Agency(Action::EditCases),
            create_api,
        )
        .api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_api, create_api),
    components(schemas(ListItem, ListBody, NewApplication, PersonalIn))
)]
pub struct Api;

texts! {
    /// The applications pages' texts.
    pub struct AppText {
        title: "依申请公开" | "Applications",
        new: "登记申请" | "Register an application",
        save: "登记" | "Register",
        filter: "筛选" | "Filter",
        open_only: "仅显示未办结" | "Open only",
        year: "收到年度" | "Year received",
        phase: "状态" | "Phase",
        any: "全部" | "Any",
        case_id: "编号" | "Number",
        received: "收到日期" | "Received",
        due: "期限" | "Due",
        left: "剩余工作日" | "Working days left",
        standing: "提示" | "Standing",
        none: "没有符合条件的申请。" | "No application matches.",
        legend: "红色：已超期；黄色：5个工作日内到期。" | "Red: overdue; amber: due within 5 working days.",
        prev: "上一页" | "Previous page",
        next: "下一页" | "Next page",
        total: "共" | "Total",
        page: "页码" | "Page",
        intake: "申请信息" | "The application",
        personal: "申请人个人信息（仅本机关可见）" | "The applicant's personal data (seen by this agency only)",
        id_hint: "不填则自动编号" | "Left empty, a number is assigned",
        errors: "请更正以下错误：" | "Please correct the following:",
        required: "必填" | "required",
        closed: "已办结" | "closed",
    }
}

/// The intake columns of the register, in template order: the registration form's fields.
pub const INTAKE: [Col; 9] = [
    Col::CaseId,
    Col::ApplicantType,
    Col::ApplicantKey,
    Col::ApplicantName,
    Col::Contact,
    Col::Channel,
    Col::Arrived,
    Col::Confirmed,
    Col::Request,
];

/// The columns of the intake that hold personal data (the personal-data table).
const PERSONAL: [Col; 2] = [Col::ApplicantName, Col::Contact];

/// Applications per page of the HTML list, and the API's default.
const PER_PAGE: u32 = 50;

/// The stable key of a phase (its JSON form).
pub fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::Processing => "processing",
        Phase::AwaitingCorrection => "awaiting_correction",
        Phase::Consulting => "consulting",
        Phase::AwaitingFee => "awaiting_fee",
        Phase::AwaitingReasons => "awaiting_reasons",
        Phase::Closed => "closed",
    }
}

/// The stable key of what a case waits for (its JSON form).
pub fn waiting_key(waiting: Waiting) -> String {
    serde_json::to_value(waiting).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The list's query: page, filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The page, from 1.
    page: Option<u64>,
    /// Applications per page (API; at most 1000).
    per_page: Option<u32>,
    /// `1` or `true`: open applications only.
    open: Option<String>,
    /// Only applications received in this year.
    year: Option<i16>,
    /// Only applications in this phase (`processing`, `awaiting_correction`, `consulting`,
    /// `awaiting_fee`, `awaiting_reasons`, `closed`).
    phase: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> Result<CaseFilter, AppError> {
        let phase = match self.phase.as_deref().filter(|p| !p.is_empty()) {
            None => None,
            Some(key) => Some(Phase::ALL.into_iter().find(|&p| phase_key(p) == key).ok_or_else(
                || AppError::field("phase", "无此状态", "no such phase"),
            )?),
        };
        let open_only = matches!(self.open.as_deref(), Some("1" | "true" | "on"));
        Ok(CaseFilter { open_only, year: self.year, phase })
    }

    fn page(&self) -> (u64, PageRequest) {
        let page = self.page.unwrap_or(1).max(1);
        let limit = self.per_page.unwrap_or(PER_PAGE).clamp(1, gongkai_store::case_state::MAX_PAGE);
        let offset = (page - 1).saturating_mul(u64::from(limit));
        (page, PageRequest { offset, limit })
    }
}

/// One line of the listing, as the domain derived it (replayed now when the cache has no state).
struct Line {
    item: CaseListItem,
    state: Option<CaseState>,
}

/// A page of `scope`'s applications; a line whose cached state was not derived at its version is
/// replayed from its record (the cache is never the truth).
async fn lines(
    state: &AppState,
    scope: &AgencyScope,
    query: &ListQuery,
) -> Result<(u64, u32, u64, Vec<Line>), AppError> {
    let filter = query.filter()?;
    let (page, request) = query.page();
    let listed = state.store.list_cases(scope.id(), &filter, request).await?;
    let today = state.clock.today();
    let mut out = Vec::with_capacity(listed.items.len());
    for item in listed.items {
        let derived = match &item.state {
            Some(s) => Some(s.clone()),
            None => match state.store.case(scope.id(), &item.case).await? {
                Some(stored) => Case::replay(stored.record, today, state.env())
                    .ok()
                    .map(|c| CaseState::of(&c)),
                None => None,
            },
        };
        out.push(Line { item, state: derived });
    }
    Ok((page, request.limit, listed.total, out))
}

/// One application on the list page.
#[derive(Debug)]
struct Row {
    id: String,
    href: String,
    received: String,
    phase: &'static str,
    due: String,
    left: String,
    standing: &'static str,
    /// `overdue`, `soon`, `ok` or `none`: the row's colour.
    class: &'static str,
}

fn row(state: &AppState, lang: Lang, t: &AppText, line: &Line) -> Result<Row, AppError> {
    let id = line.item.case.0.clone();
    let today = state.clock.today();
    let received = line.item.received.map(|d| i18n::date(lang, d)).unwrap_or_default();
    let mut r = Row {
        href: application::href(&line.item.case),
        id,
        received,
        phase: "",
        due: String::new(),
        left: String::new(),
        standing: "",
        class: "none",
    };
    let Some(s) = &line.state else { return Ok(r) };
    r.phase = i18n::pick(lang, s.phase.zh(), s.phase.en());
    match s.next_deadline {
        Some((waiting, deadline)) => {
            let (left, timeliness) =
                Timeliness::of(deadline, today, state.env()).map_err(AppError::internal)?;
            r.due = i18n::due_line(lang, waiting, &i18n::date(lang, deadline));
            r.left = left.to_string();
            r.standing = i18n::pick(lang, timeliness.zh(), timeliness.en());
            r.class = standing_class(timeliness);
        }
        None if s.phase == Phase::Closed => r.standing = t.closed,
        // A running reply clock with no deadline: its end lies after the calendar's last day.
        None if matches!(s.phase, Phase::Processing | Phase::AwaitingReasons) => {
            let (when, standing) = i18n::due_after_calendar(lang, state.calendar.last_day());
            r.due = i18n::due_line(lang, Waiting::Reply, &when);
            r.standing = standing;
        }
        None => {}
    }
    Ok(r)
}

/// The colour class of a deadline's standing: red when missed, amber when due soon.
pub fn standing_class(t: Timeliness) -> &'static str {
    match t {
        Timeliness::VeryOverdue | Timeliness::Overdue => "overdue",
        Timeliness::DueSoon => "soon",
        Timeliness::OnTrack => "ok",
    }
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ListPage {
    chrome: Chrome,
    t: AppText,
    agency: String,
    new_href: String,
    action: String,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    prev: Option<String>,
    next: Option<String>,
    open_only: bool,
    year: String,
    phases: Vec<(&'static str, &'static str, bool)>,
    can_edit: bool,
}

async fn list_page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewCases, OrgId(id)).await?;
    let can_edit = policy::agency(&state, &actor, Action::EditCases, OrgId(id)).await.is_ok();
    let orgs = page::orgs_of(&state, &actor).await?;
    let t = AppText::of(lang);
    let (page_no, limit, total, lines) = lines(&state, &scope, &query).await?;
    let rows = lines.iter().map(|l| row(&state, lang, &t, l)).collect::<Result<Vec<_>, _>>()?;
    let filter = query.filter()?;
    let base = format!("/agencies/{id}/applications");
    let link = |p: u64| {
        let mut q = format!("{base}?page={p}");
        if filter.open_only {
            q.push_str("&open=1");
        }
        if let Some(y) = filter.year {
            q.push_str(&format!("&year={y}"));
        }
        if let Some(ph) = filter.phase {
            q.push_str(&format!("&phase={}", phase_key(ph)));
        }
        q
    };
    let shown = page_no.saturating_mul(u64::from(limit));
    let prev = (page_no > 1).then(|| link(page_no - 1));
    let next = (shown < total).then(|| link(page_no + 1));
    let phases = Phase::ALL
        .iter()
        .map(|&p| (phase_key(p), i18n::pick(lang, p.zh(), p.en()), filter.phase == Some(p)))
        .collect();
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, scope.org().name),
        &csrf,
        &base,
        Some((&actor, &orgs)),
        Some(scope.org()),
        Nav::Applications,
    );
    let page = ListPage {
        chrome,
        t,
        agency: scope.org().name.clone(),
        new_href: format!("{base}/new"),
        action: base,
        rows,
        total,
        page: page_no,
        prev,
        next,
        open_only: filter.open_only,
        year: filter.year.map(|y| y.to_string()).unwrap_or_default(),
        phases,
        can_edit,
    };
    Ok(page::render(&page)?.into_response())
}

/// One field of the registration form, as rendered.
#[derive(Debug)]
struct FormField {
    key: &'static str,
    label: &'static str,
    kind: &'static str,
    required: bool,
    hint: String,
    choices: Vec<(String, String)>,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "application_new.html")]
struct NewPage {
    chrome: Chrome,
    t: AppText,
    action: String,
    groups: Vec<(&'static str, Vec<FormField>)>,
    general: Vec<String>,
    /// The 更正理由 input, while the agency has published years.
    correction: Option<CorrectionField>,
}

/// The registration form with `values` and `errors` (by field key).
fn form_page(
    lang: Lang,
    chrome: Chrome,
    action: String,
    values: &[(String, String)],
    errors: &[(Option<&'static str>, String)],
    correction: Option<CorrectionField>,
) -> NewPage {
    let t = AppText::of(lang);
    let render = |f: Field| FormField {
        key: f.key,
        label: i18n::pick(lang, f.zh, f.en),
        kind: f.kind.key(),
        required: f.required && f.col != Col::CaseId,
        hint: match (f.col, lang) {
            (Col::CaseId, _) => t.id_hint.to_owned(),
            (_, Lang::Zh) => f.note.to_owned(),
            (_, Lang::En) => String::new(),
        },
        choices: f
            .choices
            .iter()
            .map(|c| (c.value.clone(), match lang {
                Lang::Zh => c.value.clone(),
                Lang::En => c.en.clone(),
            }))
            .collect(),
        value: values.iter().find(|(k, _)| k == f.key).map(|(_, v)| v.clone()).unwrap_or_default(),
        error: errors
            .iter()
            .filter(|(k, _)| *k == Some(f.key))
            .map(|(_, m)| m.clone())
            .reduce(|a, b| format!("{a}；{b}")),
    };
    let (mut intake, mut personal) = (Vec::new(), Vec::new());
    for f in fields(Sheet::Applications).into_iter().filter(|f| INTAKE.contains(&f.col)) {
        if PERSONAL.contains(&f.col) {
            personal.push(render(f));
        } else {
            intake.push(render(f));
        }
    }
    let general = errors.iter().filter(|(k, _)| k.is_none()).map(|(_, m)| m.clone()).collect();
    let groups = vec![(t.intake, intake), (t.personal, personal)];
    NewPage { chrome, t, action, groups, general, correction }
}

async fn new_page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditCases, OrgId(id)).await?;
    let chrome = form_chrome(&state, lang, &csrf, &actor, &scope).await?;
    let locked = correction::locked_years(&state, scope.id()).await?;
    let correction = CorrectionField::of(lang, &locked, "", None);
    let page = form_page(lang, chrome, format!("/agencies/{id}/applications"), &[], &[], correction);
    Ok(page::render(&page)?.into_response())
}

async fn form_chrome(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
) -> Result<Chrome, AppError> {
    let orgs = page::orgs_of(state, actor).await?;
    let t = AppText::of(lang);
    Ok(Chrome::new(
        lang,
        format!("{} · {}", t.new, scope.org().name),
        csrf,
        &format!("/agencies/{}/applications/new", scope.id()),
        Some((actor, &orgs)),
        Some(scope.org()),
        Nav::Applications,
    ))
}

/// The field key of a register row error's column (`None` for the whole row).
fn field_of(e: &RowError) -> Option<&'static str> {
    e.col().map(|c| c.column().key)
}

/// `POST /agencies/{id}/applications`: the form read and checked as an imported row; on any
/// problem the form again (422) with every problem at its field, nothing saved.
async fn register(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditCases, OrgId(id)).await?;
    let reason = form.iter().find(|(k, _)| k == correction::FIELD).map(|(_, v)| v.clone());
    let reason = reason.unwrap_or_default();
    let values: Vec<(String, String)> = form
        .into_iter()
        .filter(|(k, _)| INTAKE.iter().any(|c| c.column().key == k))
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
    let mut values = values;
    pseudonymise(&mut values);
    let given = values.iter().find(|(k, _)| k == "case_id").map(|(_, v)| v.clone());
    let given = given.filter(|v| !v.is_empty());
    let today = state.clock.today();
    let mut id_value = match &given {
        Some(v) => v.clone(),
        None => next_id(&state, &scope, today, 0).await?,
    };
    for attempt in 1..=20 {
        let cols: Vec<(Col, &str)> = INTAKE
            .iter()
            .map(|&c| {
                let v = if c == Col::CaseId {
                    id_value.as_str()
                } else {
                    values
                        .iter()
                        .find(|(k, _)| k == c.column().key)
                        .map_or("", |(_, v)| v.as_str())
                };
                (c, v)
            })
            .collect();
        let parsed = match validate::form(Sheet::Applications, &cols, today, state.env()) {
            Ok(p) => p,
            Err(errors) => {
                let errors = errors.iter().map(|e| (field_of(e), e.reason.get(lang).to_owned()));
                let errors: Vec<_> = errors.collect();
                let sent = (values.as_slice(), reason.as_str());
                return refused(&state, lang, &csrf, &actor, &scope, sent, &errors, None).await;
            }
        };
        let Some(record) = parsed.cases.into_iter().next() else {
            return Err(AppError::internal("a valid application form made no case"));
        };
        let personal = parsed.personal.into_iter().next();
        let sent = (values.as_slice(), reason.as_str());
        match create(&state, &actor, &origin, &scope, record, personal, Some(&reason)).await {
            Ok(view) => return Ok(Redirect::to(&application::href(&CaseId(view.id))).into_response()),
            Err(AppError::Store(StoreError::Exists { .. })) if given.is_none() => {
                id_value = next_id(&state, &scope, today, attempt).await?;
            }
            Err(AppError::Store(e @ StoreError::Exists { .. })) => {
                let msg = e.words().0.get(lang).to_owned();
                let errors = [(Some("case_id"), msg)];
                return refused(&state, lang, &csrf, &actor, &scope, sent, &errors, None).await;
            }
            Err(e) => match correction::refusal(&e, lang) {
                Some(why) => {
                    let errors = [(None, why.clone())];
                    return refused(&state, lang, &csrf, &actor, &scope, sent, &errors, Some(why))
                        .await;
                }
                None => return Err(e),
            },
        }
    }
    Err(AppError::internal("no free case number after 20 attempts"))
}

/// A stable pseudonymous applicant number for a name: the intake's `applicant_key` (which counts
/// an applicant's applications for per-application fees) without the name itself, which belongs
/// in the personal-data table only.
pub fn pseudonym(name: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(name.trim().as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("P-{hex}")
}

/// Fills an empty applicant number of a form from the name ([`pseudonym`]), so that import's
/// default (the name) does not copy personal data into the case record.
fn pseudonymise(values: &mut Vec<(String, String)>) {
    let get = |values: &[(String, String)], k: &str| {
        values.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    let name = get(values, Col::ApplicantName.column().key);
    if name.is_empty() || !get(values, Col::ApplicantKey.column().key).is_empty() {
        return;
    }
    values.retain(|(k, _)| k != Col::ApplicantKey.column().key);
    values.push((Col::ApplicantKey.column().key.to_owned(), pseudonym(&name)));
}

/// The registration form again, with every problem at its field (422): `sent` is the intake's
/// values and the correction reason typed; `correction` the store's refusal for want of one.
#[allow(clippy::too_many_arguments, reason = "the page's parts")]
async fn refused(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    (values, reason): (&[(String, String)], &str),
    errors: &[(Option<&'static str>, String)],
    correction: Option<String>,
) -> Result<Response, AppError> {
    let chrome = form_chrome(state, lang, csrf, actor, scope).await?;
    let action = format!("/agencies/{}/applications", scope.id());
    let locked = correction::locked_years(state, scope.id()).await?;
    let correction = CorrectionField::of(lang, &locked, reason, correction);
    let page = form_page(lang, chrome, action, values, errors, correction);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&page)?).into_response())
}

/// A number for a new application: `YSQ-<year>-<n>`, `n` one more than the cases received this
/// year (plus `skip`, when that number is taken).
async fn next_id(
    state: &AppState,
    scope: &AgencyScope,
    today: Date,
    skip: u64,
) -> Result<String, AppError> {
    let year = today.year();
    let filter = CaseFilter { year: Some(year), ..CaseFilter::default() };
    let page = state.store.list_cases(scope.id(), &filter, PageRequest { offset: 0, limit: 1 }).await?;
    Ok(format!("YSQ-{year}-{:05}", page.total + 1 + skip))
}

/// Creates a checked case with the state the domain derives (`Case::replay`), in one store
/// transaction with its personal data — with the reason of a correction, when it was received
/// in a published year.
async fn create(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    scope: &AgencyScope,
    record: CaseRecord,
    personal: Option<PersonalData>,
    reason: Option<&str>,
) -> Result<CaseView, AppError> {
    let today = state.clock.today();
    let case = Case::replay(record.clone(), today, state.env())
        .map_err(|(_, e)| AppError::Invalid { field: None, msg: e.words().0 })?;
    let mut new = NewCase::new(record, personal, CaseState::of(&case));
    if let Some(r) = correction::reason(reason) {
        new = new.with_correction(r);
    }
    let ctx = auth::ctx(state, Some(actor.user.id), origin);
    let stored = state.store.create_case(&ctx, scope.id(), &new).await?;
    CaseView::of(state, stored.version, &case)
}

/// One application in the API's list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListItem {
    /// The register number.
    pub id: String,
    /// The case's version (its number of events): `expected_version` of an event.
    pub version: u64,
    /// Day 0 of the reply clock.
    pub received: Option<String>,
    /// Where it stands (`processing`, `awaiting_correction`, `consulting`, `awaiting_fee`,
    /// `awaiting_reasons`, `closed`); `null` when its record does not replay.
    pub phase: Option<&'static str>,
    /// The next deadline.
    pub due: Option<String>,
    /// What the next deadline is for (`reply`, `correction`, …).
    pub waiting: Option<String>,
    /// The day it closed.
    pub closed: Option<String>,
    /// Its Table 3 outcome row, once closed.
    pub outcome: Option<String>,
}

/// A page of the API's list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListBody {
    /// The applications of the page, by due date.
    pub items: Vec<ListItem>,
    /// Applications matching the filter, on every page.
    pub total: u64,
}

fn list_item(line: Line) -> ListItem {
    let s = line.state.as_ref();
    ListItem {
        id: line.item.case.0,
        version: line.item.version,
        received: line.item.received.map(|d| d.to_string()),
        phase: s.map(|s| phase_key(s.phase)),
        due: s.and_then(|s| s.next_deadline).map(|(_, d)| d.to_string()),
        waiting: s.and_then(|s| s.next_deadline).map(|(w, _)| waiting_key(w)),
        closed: s.and_then(|s| s.closed).map(|d| d.to_string()),
        outcome: s.and_then(|s| s.outcome).map(|o| o.row().key().to_owned()),
    }
}

/// An agency's applications, by due date, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/agencies/{id}/applications",
    tag = "applications",
    params(("id" = i64, Path, description = "the agency"), ListQuery),
    responses(
        (status = 200, description = "a page of applications and how many match", body = ListBody),
        (status = 401, description = "no credentials", body = crate::error::ErrorBody),
        (status = 404, description = "no such agency, or another agency's", body = crate::error::ErrorBody),
    )
)]
async fn list_api(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<Json<ListBody>, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewCases, OrgId(id)).await?;
    let (_, _, total, lines) = lines(&state, &scope, &query).await?;
    Ok(Json(ListBody { items: lines.into_iter().map(list_item).collect(), total }))
}

/// The applicant's personal data, kept apart from the case record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonalIn {
    /// 姓名或者名称.
    pub name: String,
    /// 联系方式.
    pub contact: String,
    /// 身份证明, when recorded.
    #[serde(default)]
    pub id_document: Option<String>,
}

/// A new application: the intake in the register file's JSON shape (the id assigned unless
/// given) and the applicant's personal data.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplication {
    /// The register number; assigned (`YSQ-<year>-<n>`) when left out.
    #[serde(default)]
    pub id: Option<String>,
    /// The applicant's type (`natural_person`, `commercial_enterprise`, …).
    #[schema(value_type = String)]
    pub applicant_type: ApplicantType,
    /// A stable applicant number (for per-application fees); when left out, a pseudonym derived
    /// from the personal data's name.
    #[serde(default)]
    pub applicant_key: Option<String>,
    /// How it arrived, e.g. `{"kind":"online","confirmed":"2025-03-03"}`.
    #[schema(value_type = Object)]
    pub channel: Channel,
    /// The information requested.
    #[serde(default)]
    pub request: String,
    /// The applicant's personal data.
    #[serde(default)]
    pub personal: Option<PersonalIn>,
    /// Why an application received in a year whose report is published (or before it) is
    /// registered now: required then (a correction of the published report), ignored otherwise.
    #[serde(default)]
    pub correction_reason: Option<String>,
}

/// Registers an application; checked as a register import checks it.
#[utoipa::path(
    post,
    path = "/api/v1/agencies/{id}/applications",
    tag = "applications",
    params(("id" = i64, Path, description = "the agency")),
    request_body = NewApplication,
    responses(
        (status = 201, description = "the created application", body = CaseView),
        (status = 401, description = "no credentials", body = crate::error::ErrorBody),
        (status = 404, description = "no such agency, or another agency's", body = crate::error::ErrorBody),
        (status = 409, description = "the number is taken", body = crate::error::ErrorBody),
        (status = 422, description = "the intake is invalid (the reason, and the field); or it was received in a published year and has no `correction_reason` (code `correction_required`)", body = crate::error::ErrorBody),
    )
)]
async fn create_api(
    State(state): State<AppState>,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    Json(body): Json<NewApplication>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditCases, OrgId(id)).await?;
    let today = state.clock.today();
    let given = body.id.clone().filter(|v| !v.trim().is_empty());
    let mut attempt = 0;
    loop {
        let case_id = match &given {
            Some(v) => v.clone(),
            None => next_id(&state, &scope, today, attempt).await?,
        };
        let (record, personal) = intake_of(&body, CaseId(case_id));
        check_register(&state, &scope, &record, today)?;
        let reason = body.correction_reason.as_deref();
        match create(&state, &actor, &origin, &scope, record, personal, reason).await {
            Ok(view) => return Ok((StatusCode::CREATED, Json(view)).into_response()),
            Err(AppError::Store(StoreError::Exists { .. })) if given.is_none() && attempt < 20 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The record and personal data of an API intake.
fn intake_of(body: &NewApplication, id: CaseId) -> (CaseRecord, Option<PersonalData>) {
    let name = body.personal.as_ref().map(|p| pseudonym(&p.name));
    let key = body.applicant_key.clone().filter(|k| !k.is_empty()).or(name).unwrap_or_default();
    let intake = Intake {
        id: id.clone(),
        applicant_type: body.applicant_type,
        applicant_key: key,
        channel: body.channel.clone(),
        request: body.request.clone(),
    };
    let personal = body.personal.as_ref().map(|p| PersonalData {
        case: id,
        name: p.name.clone(),
        contact: p.contact.clone(),
        id_document: p.id_document.clone(),
    });
    (CaseRecord { intake, events: Vec::new() }, personal)
}

/// The checks of register import on one record: its first problem, at its field.
fn check_register(
    state: &AppState,
    scope: &AgencyScope,
    record: &CaseRecord,
    today: Date,
) -> Result<(), AppError> {
    let mut register = Register::new(scope.org().name.clone());
    register.cases.push(record.clone());
    match validate::register(&register, today, state.env()).into_iter().next() {
        None => Ok(()),
        Some(e) => Err(AppError::Invalid {
            field: field_of(&e),
            msg: Msg::new(e.reason.zh.clone(), e.reason.en.clone()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(AppText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn every_phase_has_a_key_read_back_by_the_filter() {
        for p in Phase::ALL {
            let q = ListQuery { phase: Some(phase_key(p).to_owned()), ..ListQuery::default() };
            assert_eq!(q.filter().ok().and_then(|f| f.phase), Some(p));
        }
    }

    #[test]
    fn the_intake_columns_are_the_registers() {
        for c in INTAKE {
            assert_eq!(c.sheet(), Sheet::Applications);
        }
    }
}
