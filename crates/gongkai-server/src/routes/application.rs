//! One application: its page (`GET /applications/{case_id}`: the intake, the timeline of events,
//! the due date with the calendar's day-by-day explanation, and only the actions the domain
//! accepts now), its events (`POST /applications/{case_id}/events`, one small form per action)
//! and the API's `POST /api/v1/applications/{case_id}/events`.
//!
//! Every change goes through [`Case::apply`]: an action is offered only when the domain accepts
//! it for the case today ([`offered`] asks it per kind of event), and a refused event is answered
//! with the domain's reason (422). The event names the case's version it was decided on; when
//! another clerk acted first the store refuses it ([`StoreError::Conflict`]) and the answer is the
//! case as it is now (409) — never a lost update.
//!
//! An event dated in a year whose report is published (or earlier) corrects that report: it
//! needs a reason ([`crate::correction`]). The page offers the 更正理由 input with each action
//! while such a year can still be reached (a published year not before the case's receipt); the
//! API takes `correction_reason` beside the event. Without one the store refuses the event and
//! the answer is 422 with its words: the form again, filled in as it was sent, asking for it.
//!
//! A case is found among the agencies the actor may see (another agency's case answers exactly
//! like a missing one); the applicant's personal data is shown only to the owning agency's roles
//! ([`Action::ViewPersonal`]) and never logged.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_cases::{Case, CaseEvent, CaseId, EventKind, Outcome, Party, Timeliness};
use gongkai_cases::Answer;
use gongkai_cases::fee::FeeMethod;
use gongkai_model::{Localized as _, Msg};
use gongkai_register::template::Col;
use gongkai_register::vocab;
use gongkai_store::{Append, CaseState, OrgId, OrgKind, StoreError, StoredCase};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::applications::{phase_key, standing_class, waiting_key};
use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
use crate::correction::{self, CorrectionField};
use crate::error::{AppError, ErrorBody, ErrorDetail};
use crate::i18n::{self, Lang, Ui};
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, AgencyScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/applications/{case_id}", Access::SignedIn, case_page),
        Route::post("/applications/{case_id}/events", Access::SignedIn, event_form),
        Route::post("/api/v1/applications/{case_id}/events", Access::SignedIn, event_api).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(event_api), components(schemas(CaseView, ConflictBody)))]
pub struct Api;

texts! {
    /// The case page's texts.
    pub struct CaseText {
        title: "申请" | "Application",
        intake: "申请信息" | "The application",
        applicant_type: "申请人类型" | "Applicant type",
        channel: "提交方式" | "How submitted",
        received: "收到日期" | "Received",
        request: "申请内容" | "Information requested",
        name: "申请人" | "Applicant",
        contact: "联系方式" | "Contact",
        status: "办理状态" | "Status",
        phase: "状态" | "Phase",
        due: "期限" | "Due",
        left: "剩余工作日" | "Working days left",
        outcome: "办理结果" | "Outcome",
        closed: "办结日期" | "Closed on",
        explain: "期限计算说明" | "How the due date is counted",
        paused: "以下期间不计入答复期限（工作日顺延）：" | "These stretches do not count (the due date moves by their working days):",
        longer: "依第三十五条确定的答复期限：" | "The reply deadline set under article 35:",
        timeline: "办理经过" | "Timeline",
        registered: "登记收到申请" | "Application received",
        actions: "办理" | "Actions",
        no_actions: "当前状态下没有可办理的事项。" | "Nothing can be done in this phase.",
        letters: "文书" | "Letters",
        items: "补正内容" | "What to correct",
        refused: "未能办理：" | "Not done: ",
        conflict: "该申请已被他人修改，以下是当前状态，请确认后重新办理。" | "Someone else changed this application meanwhile: here is its current state; check it and act again.",
        back: "返回申请列表" | "Back to the applications",
    }
}

/// The URL of a case's page.
pub fn href(id: &CaseId) -> String {
    format!("/applications/{}", encode(&id.0))
}

/// A path segment, percent-encoded (case numbers are the agency's own text).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The agencies whose cases the actor may reach: those of their memberships and, for an office,
/// its agencies; by id.
async fn reachable(state: &AppState, actor: &Actor) -> Result<Vec<OrgId>, AppError> {
    let mut ids = Vec::new();
    for org in page::orgs_of(state, actor).await? {
        match org.kind {
            OrgKind::Agency => ids.push(org.id),
            OrgKind::Office => {
                ids.extend(state.store.children(Some(org.id)).await?.into_iter().map(|o| o.id));
            }
        }
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The case `id` among the agencies the actor may see, with the scope of `action` on its
/// agency. Another agency's case answers [`AppError::NotFound`], like a missing one.
pub(crate) async fn find(
    state: &AppState,
    actor: &Actor,
    action: Action,
    id: &CaseId,
) -> Result<(AgencyScope, StoredCase), AppError> {
    for org in reachable(state, actor).await? {
        let Ok(view) = policy::agency(state, actor, Action::ViewCases, org).await else { continue };
        if let Some(stored) = state.store.case(view.id(), id).await? {
            let scope = policy::agency(state, actor, action, org).await?;
            return Ok((scope, stored));
        }
    }
    Err(AppError::NotFound)
}

/// An application as the API answers it: the intake, the events and the derived state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    /// The register number.
    pub id: String,
    /// The version (number of events): `expected_version` of the next event.
    pub version: u64,
    /// The intake in the register file's JSON shape.
    #[schema(value_type = Object)]
    pub intake: Value,
    /// The events in the register file's JSON shape, in order.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<Value>,
    /// Day 0 of the reply clock.
    pub received: String,
    /// Where it stands.
    pub phase: &'static str,
    /// The next deadline.
    pub due: Option<String>,
    /// What the next deadline is for.
    pub waiting: Option<String>,
    /// The reply deadline while the reply clock runs.
    pub reply_due: Option<String>,
    /// While the reply clock runs but its deadline falls after the last day the loaded holiday
    /// calendar covers: that day (`reply_due` is then absent until the next year is loaded).
    pub reply_due_after: Option<String>,
    /// The day it closed.
    pub closed: Option<String>,
    /// Its Table 3 outcome row, once closed.
    pub outcome: Option<String>,
}

impl CaseView {
    /// The view of `case` at `version`.
    ///
    /// # Errors
    /// A record that does not serialise (a bug).
    pub fn of(_state: &AppState, version: u64, case: &Case) -> Result<CaseView, AppError> {
        let intake = serde_json::to_value(case.intake()).map_err(AppError::internal)?;
        let events = case
            .events()
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(AppError::internal)?;
        let next = case.next_deadline();
        Ok(CaseView {
            id: case.id().0.clone(),
            version,
            intake,
            events,
            received: case.received().to_string(),
            phase: phase_key(case.phase()),
            due: next.map(|(_, d)| d.to_string()),
            waiting: next.map(|(w, _)| waiting_key(w)),
            reply_due: case.reply_due().map(|d| d.to_string()),
            reply_due_after: case.reply_due_after_calendar().map(|d| d.to_string()),
            closed: case.closed_on().map(|d| d.to_string()),
            outcome: case.outcome().map(|o| o.row().key().to_owned()),
        })
    }
}

/// The answer to an event that came after another: the refusal and the case as it is now.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConflictBody {
    /// The refusal.
    pub error: ErrorDetail,
    /// The case as it is now.
    pub current: CaseView,
}

/// What became of an event.
enum Applied {
    /// Appended: the case after it.
    Done(StoredCase, Case),
    /// Another change came first: the case as it is now.
    Conflict(StoredCase, Case),
}

/// Replays a stored case as of today.
pub(crate) fn replay(state: &AppState, stored: &StoredCase) -> Result<Case, AppError> {
    Case::replay(stored.record.clone(), state.clock.today(), state.env()).map_err(|(i, e)| {
        tracing::warn!(event = i, error = %e.bilingual(), "case does not replay");
        AppError::internal("a stored case does not replay")
    })
}

/// Applies `event` to the case at `expected` (the stored version when `None`): the domain
/// decides ([`Case::apply`]), the store appends only onto that version — with the reason of a
/// correction, when the event changes a published year.
#[allow(clippy::too_many_arguments, reason = "the event and its circumstances")]
async fn apply(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    scope: &AgencyScope,
    stored: StoredCase,
    event: CaseEvent,
    expected: Option<u64>,
    reason: Option<&str>,
) -> Result<Applied, AppError> {
    let case = replay(state, &stored)?;
    let expected = expected.unwrap_or(stored.version);
    if expected != stored.version {
        return Ok(Applied::Conflict(stored, case));
    }
    let next = case
        .apply(event.clone(), state.clock.today(), state.env())
        .map_err(|e| AppError::Invalid { field: None, msg: e.words().0 })?;
    let derived = CaseState::of(&next);
    let ctx = auth::ctx(state, Some(actor.user.id), origin);
    let append = match correction::reason(reason) {
        Some(r) => Append::new(expected, &event, &derived).with_correction(r),
        None => Append::new(expected, &event, &derived),
    };
    match state.store.append_case_event(&ctx, scope.id(), next.id(), &append).await {
        Ok(after) => Ok(Applied::Done(after, next)),
        Err(StoreError::Conflict(c)) => {
            let case = replay(state, &c.current)?;
            Ok(Applied::Conflict(c.current, case))
        }
        Err(e) => Err(e.into()),
    }
}

/// The message of a version conflict.
fn conflict_msg() -> Msg {
    Msg::new(
        "该申请已被他人修改，请查看当前状态后重试",
        "someone else changed this application: look at its current state and try again",
    )
}

/// Records one event; the body is the event in the register's JSON shape, with an optional
/// `expected_version`.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{case_id}/events",
    tag = "applications",
    params(("case_id" = String, Path, description = "the register number")),
    request_body(content = Object, description = "one event, e.g. `{\"event\":\"replied\",\"on\":\"2025-03-20\",\"outcome\":\"granted\",\"expected_version\":0}`; with `\"correction_reason\"` (a string) when the event is dated in a year whose report is published, or before it"),
    responses(
        (status = 200, description = "the application after the event", body = CaseView),
        (status = 401, description = "no credentials", body = ErrorBody),
        (status = 404, description = "no such application, or another agency's", body = ErrorBody),
        (status = 409, description = "another change came first: the current state", body = ConflictBody),
        (status = 422, description = "the domain refuses the event: its reason; or the event changes a published year and has no `correction_reason` (code `correction_required`, field `correction_reason`)", body = ErrorBody),
    )
)]
async fn event_api(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    origin: Origin,
    Path(case_id): Path<String>,
    Json(mut body): Json<Value>,
) -> Result<Response, AppError> {
    let (scope, stored) = find(&state, &actor, Action::EditCases, &CaseId(case_id)).await?;
    let expected = match body.as_object_mut().and_then(|o| o.remove("expected_version")) {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            AppError::field("expected_version", "版本号应为非负整数", "expected a whole number")
        })?),
    };
    let reason = match body.as_object_mut().and_then(|o| o.remove(correction::FIELD)) {
        None | Some(Value::Null) => None,
        Some(Value::String(r)) => Some(r),
        Some(_) => {
            return Err(AppError::field(
                correction::FIELD,
                "更正理由应为文本",
                "the correction reason is a string",
            ));
        }
    };
    let event: CaseEvent = serde_json::from_value(body).map_err(|e| AppError::Invalid {
        field: None,
        msg: Msg::new(format!("事件格式有误：{e}"), format!("malformed event: {e}")),
    })?;
    let applied =
        apply(&state, &actor, &origin, &scope, stored, event, expected, reason.as_deref()).await?;
    match applied {
        Applied::Done(after, case) => Ok(Json(CaseView::of(&state, after.version, &case)?).into_response()),
        Applied::Conflict(now, case) => {
            let body = ConflictBody {
                error: ErrorDetail {
                    code: "conflict",
                    message: conflict_msg().get(lang).to_owned(),
                    field: None,
                },
                current: CaseView::of(&state, now.version, &case)?,
            };
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
    }
}

/// One input of an action's form.
#[derive(Debug)]
struct Input {
    name: &'static str,
    label: &'static str,
    /// `date`, `text`, `textarea`, `number`, `select`.
    kind: &'static str,
    required: bool,
    value: String,
    choices: Vec<(String, String)>,
}

/// One action offered on the page: a small form posting one event.
#[derive(Debug)]
struct ActionForm {
    kind: &'static str,
    title: &'static str,
    inputs: Vec<Input>,
    /// The 更正理由 input, while the event may change a published year.
    correction: Option<CorrectionField>,
}

/// A form sent back: what it held, and the store's refusal for want of a correction reason.
struct Resent<'a> {
    form: &'a [(String, String)],
    refused: Option<String>,
}

/// The kinds of event a clerk records on the page, in the order offered.
const ACTIONS: [EventKind; 14] = [
    EventKind::CorrectionRequested,
    EventKind::Corrected,
    EventKind::CorrectionLapsed,
    EventKind::ConsultationOpened,
    EventKind::ConsultationAnswered,
    EventKind::ExtensionApproved,
    EventKind::ExtensionNotified,
    EventKind::FeeNoticeIssued,
    EventKind::FeePaid,
    EventKind::FeeLapsed,
    EventKind::ReasonsRequested,
    EventKind::ReasonsAccepted,
    EventKind::Replied,
    EventKind::Withdrawn,
];

/// A representative event of `kind` dated `today`: what the domain is asked about to decide
/// whether the action is offered.
fn probe(kind: EventKind, today: Date) -> Option<CaseEvent> {
    let later = today.checked_add(jiff::Span::new().days(15)).ok()?;
    let v = match kind {
        EventKind::CorrectionRequested => {
            json!({"event": kind.en(), "on": today, "deadline": later, "items": "-"})
        }
        EventKind::ExtensionApproved => {
            json!({"event": kind.en(), "on": today, "approved_by": "-", "days": 20})
        }
        EventKind::ConsultationOpened => {
            json!({"event": kind.en(), "on": today, "party": "third_party", "with": "-"})
        }
        EventKind::ConsultationAnswered => {
            json!({"event": kind.en(), "on": today, "answer": "consent"})
        }
        EventKind::FeeNoticeIssued => {
            json!({"event": kind.en(), "on": today, "amount_yuan": "100", "method": "per_application"})
        }
        EventKind::Replied => json!({"event": kind.en(), "on": today, "outcome": "granted"}),
        EventKind::Received => return None,
        _ => json!({"event": kind.en(), "on": today}),
    };
    serde_json::from_value(v).ok()
}

/// The kinds of event the domain accepts for `case` today.
fn offered(state: &AppState, case: &Case) -> Vec<EventKind> {
    let today = state.clock.today();
    ACTIONS
        .into_iter()
        .filter(|&k| probe(k, today).is_some_and(|e| case.apply(e, today, state.env()).is_ok()))
        .collect()
}

fn col_label(lang: Lang, col: Col) -> &'static str {
    i18n::pick(lang, col.name(), col.en())
}

fn choices<T: Copy + Serialize>(lang: Lang, values: &[T], label: impl Fn(T) -> (String, String)) -> Vec<(String, String)> {
    values
        .iter()
        .map(|&v| {
            let key = serde_json::to_value(v).ok().and_then(|k| k.as_str().map(str::to_owned));
            let (zh, en) = label(v);
            (key.unwrap_or_default(), if lang == Lang::Zh { zh } else { en })
        })
        .collect()
}

/// The inputs of the form of `kind` (besides the CSRF token, the version and the kind), labelled
/// with the register's column names.
fn inputs(lang: Lang, t: &CaseText, kind: EventKind, today: Date) -> Vec<Input> {
    let input = |name, label, kind, required| Input {
        name,
        label,
        kind,
        required,
        value: String::new(),
        choices: Vec::new(),
    };
    let on_col = match kind {
        EventKind::CorrectionRequested => Col::CorrectionRequested,
        EventKind::Corrected => Col::Corrected,
        EventKind::ExtensionApproved => Col::ExtensionApproved,
        EventKind::ExtensionNotified => Col::ExtensionNotified,
        EventKind::ConsultationOpened => Col::ConsultationOpened,
        EventKind::ConsultationAnswered => Col::ConsultationAnswered,
        EventKind::FeeNoticeIssued => Col::FeeNotice,
        EventKind::FeePaid => Col::FeePaid,
        EventKind::ReasonsRequested => Col::ReasonsRequested,
        EventKind::ReasonsAccepted => Col::ReasonsAccepted,
        _ => Col::Closed,
    };
    let mut on = input("on", col_label(lang, on_col), "date", true);
    on.value = today.to_string();
    let mut v = vec![on];
    match kind {
        EventKind::CorrectionRequested => {
            v.push(input("deadline", col_label(lang, Col::CorrectionDeadline), "date", true));
            v.push(input("items", t.items, "textarea", true));
        }
        EventKind::ExtensionApproved => {
            v.push(input("approved_by", col_label(lang, Col::ExtensionApprover), "text", true));
            let mut days = input("days", col_label(lang, Col::ExtensionDays), "number", true);
            days.value = "20".into();
            v.push(days);
        }
        EventKind::ConsultationOpened => {
            let mut party = input("party", col_label(lang, Col::PartyKind), "select", true);
            party.choices = choices(lang, &[Party::ThirdParty, Party::CoProducer], |p| {
                (vocab::PARTIES.label(&p).to_owned(), vocab::PARTIES.en(&p).to_owned())
            });
            v.push(party);
            v.push(input("with", col_label(lang, Col::Party), "text", true));
        }
        EventKind::ConsultationAnswered => {
            let mut answer = input("answer", col_label(lang, Col::Answer), "select", true);
            answer.choices =
                choices(lang, &[Answer::Consent, Answer::Objection, Answer::NoReply], |a| {
                    (vocab::ANSWERS.label(&a).to_owned(), vocab::ANSWERS.en(&a).to_owned())
                });
            v.push(answer);
        }
        EventKind::FeeNoticeIssued => {
            v.push(input("amount_yuan", col_label(lang, Col::FeeAmount), "text", true));
            let mut method = input("method", col_label(lang, Col::FeeMethod), "select", true);
            method.choices =
                choices(lang, &[FeeMethod::PerApplication, FeeMethod::PerPage], |m| {
                    (vocab::FEE_METHODS.label(&m).to_owned(), vocab::FEE_METHODS.en(&m).to_owned())
                });
            v.push(method);
        }
        EventKind::ReasonsAccepted => {
            v.push(input("longer_due", col_label(lang, Col::LongerDue), "date", false));
        }
        EventKind::Replied => {
            let mut outcome = input("outcome", col_label(lang, Col::Outcome), "select", true);
            outcome.choices = Outcome::all()
                .map(|o| {
                    let label = match lang {
                        Lang::Zh => vocab::outcome_label(o),
                        Lang::En => o.row().key().to_owned(),
                    };
                    (o.row().key().to_owned(), label)
                })
                .collect();
            v.push(outcome);
        }
        _ => {}
    }
    v
}

/// The names of the inputs an event form may carry.
const EVENT_FIELDS: [&str; 12] = [
    "on", "deadline", "items", "approved_by", "days", "party", "with", "answer", "amount_yuan",
    "method", "longer_due", "outcome",
];

/// The event a submitted action form describes (in the register's JSON shape, read by its
/// deserialiser), or why it cannot be read.
fn event_of(form: &[(String, String)]) -> Result<CaseEvent, AppError> {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
    let kind = get("event").unwrap_or_default();
    let mut map = Map::new();
    map.insert("event".into(), Value::String(kind.to_owned()));
    for name in EVENT_FIELDS {
        let Some(v) = get(name).filter(|v| !v.is_empty()) else { continue };
        let value = match (name, v.parse::<u64>()) {
            ("days", Ok(n)) => Value::from(n),
            _ => Value::String(v.to_owned()),
        };
        map.insert(name.into(), value);
    }
    serde_json::from_value(Value::Object(map)).map_err(|_| AppError::Invalid {
        field: None,
        msg: Msg::new(
            "请完整填写，日期、天数和金额的格式须正确",
            "fill in every field, with dates, days and amounts in the right form",
        ),
    })
}

/// One line of the timeline.
#[derive(Debug)]
struct Step {
    on: String,
    what: &'static str,
    detail: String,
}

fn detail(lang: Lang, e: &CaseEvent) -> String {
    let d = |d: &Date| i18n::date(lang, *d);
    match e {
        CaseEvent::CorrectionRequested { deadline, items, .. } => {
            format!("{}：{}；{items}", col_label(lang, Col::CorrectionDeadline), d(deadline))
        }
        CaseEvent::ExtensionApproved { approved_by, days, .. } => {
            format!("{approved_by}；+{days}")
        }
        CaseEvent::ConsultationOpened { party, with, .. } => {
            format!("{}：{with}", i18n::pick(lang, vocab::PARTIES.label(party), vocab::PARTIES.en(party)))
        }
        CaseEvent::ConsultationAnswered { answer, .. } => {
            i18n::pick(lang, vocab::ANSWERS.label(answer), vocab::ANSWERS.en(answer)).to_owned()
        }
        CaseEvent::FeeNoticeIssued { amount_yuan, method, .. } => format!(
            "{amount_yuan}；{}",
            i18n::pick(lang, vocab::FEE_METHODS.label(method), vocab::FEE_METHODS.en(method))
        ),
        CaseEvent::ReasonsAccepted { longer_due: Some(l), .. } => d(l),
        CaseEvent::Replied { outcome, .. } => match lang {
            Lang::Zh => vocab::outcome_label(*outcome),
            Lang::En => outcome.row().key().to_owned(),
        },
        _ => String::new(),
    }
}

/// The due date and its explanation.
#[derive(Debug)]
struct Due {
    line: String,
    left: String,
    standing: &'static str,
    class: &'static str,
    explanation: String,
    pauses: Vec<String>,
    longer: Option<String>,
}

fn due(state: &AppState, lang: Lang, case: &Case) -> Result<Option<Due>, AppError> {
    let Some(status) = case.status(state.clock.today(), state.env()).map_err(AppError::internal)?
    else {
        // The reply clock runs but its end lies after the calendar's last day: said, not guessed.
        return Ok(case.reply_due_after_calendar().map(|last| {
            let (when, standing) = i18n::due_after_calendar(lang, last);
            Due {
                line: i18n::due_line(lang, gongkai_cases::Waiting::Reply, &when),
                left: "—".to_owned(),
                standing,
                class: "none",
                explanation: String::new(),
                pauses: Vec::new(),
                longer: None,
            }
        }));
    };
    // How the reply deadline was counted: the domain explains it (gongkai_cases::ReplyDueBasis).
    let basis = case.reply_due_basis(state.env()).map_err(AppError::internal)?;
    let explanation = basis
        .as_ref()
        .and_then(|b| b.count.as_ref())
        .map(|count| count.text(lang))
        .unwrap_or_default();
    let pauses = basis
        .iter()
        .flat_map(|b| &b.pauses)
        .map(|p| format!("{} – {}", i18n::date(lang, p.from), i18n::date(lang, p.to)))
        .collect();
    let longer = basis.and_then(|b| b.longer_due).map(|d| i18n::date(lang, d));
    let t: Timeliness = status.timeliness;
    Ok(Some(Due {
        line: i18n::due_line(lang, status.waiting, &i18n::date(lang, status.deadline)),
        left: status.working_days_left.to_string(),
        standing: i18n::pick(lang, t.zh(), t.en()),
        class: standing_class(t),
        explanation,
        pauses,
        longer,
    }))
}

#[derive(Template)]
#[template(path = "application.html")]
struct CasePage {
    chrome: Chrome,
    t: CaseText,
    id: String,
    action: String,
    letters: String,
    list: String,
    version: u64,
    facts: Vec<(&'static str, String)>,
    personal: Vec<(&'static str, String)>,
    phase: &'static str,
    due: Option<Due>,
    outcome: Option<(String, String)>,
    steps: Vec<Step>,
    actions: Vec<ActionForm>,
    /// A refusal or a conflict: (`error` or `conflict`, message).
    notice: Option<(&'static str, String)>,
}

/// Renders the page of `stored` (the current state) with an optional notice, and the form that
/// was sent back filled in as it was.
#[allow(clippy::too_many_arguments, reason = "the page's parts")]
async fn render_case(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    stored: &StoredCase,
    notice: Option<(&'static str, String)>,
    resent: Option<Resent<'_>>,
) -> Result<axum::response::Html<String>, AppError> {
    let t = CaseText::of(lang);
    let case = replay(state, stored)?;
    let intake = case.intake();
    let applicant = match lang {
        Lang::Zh => intake.applicant_type.label().to_owned(),
        Lang::En => serde_json::to_value(intake.applicant_type)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    };
    let channel = match lang {
        Lang::Zh => intake.channel.label().to_owned(),
        Lang::En => serde_json::to_value(&intake.channel)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str().map(str::to_owned)))
            .unwrap_or_default(),
    };
    let facts = vec![
        (t.applicant_type, applicant),
        (t.channel, channel),
        (t.received, i18n::date(lang, case.received())),
        (t.request, intake.request.clone()),
    ];
    let personal = match policy::agency(state, actor, Action::ViewPersonal, scope.id()).await {
        Ok(own) => {
            let ctx = auth::ctx(state, Some(actor.user.id), &Origin("page".into()));
            match state.store.personal_data(&ctx, own.id(), case.id()).await? {
                Some(p) => vec![(t.name, p.name), (t.contact, p.contact)],
                None => Vec::new(),
            }
        }
        Err(_) => Vec::new(),
    };
    let mut steps = vec![Step {
        on: i18n::date(lang, case.received()),
        what: t.registered,
        detail: String::new(),
    }];
    steps.extend(case.events().iter().map(|e| Step {
        on: i18n::date(lang, e.on()),
        what: i18n::pick(lang, e.kind().zh(), e.kind().en()),
        detail: detail(lang, e),
    }));
    let today = state.clock.today();
    let can_edit = policy::agency(state, actor, Action::EditCases, scope.id()).await.is_ok();
    // An event is dated on or after the receipt: it may change the published years from it on.
    let mut locked = correction::locked_years(state, scope.id()).await?;
    locked.retain(|&y| y >= case.received().year());
    let actions = if can_edit {
        offered(state, &case)
            .into_iter()
            .map(|k| {
                let mut a = ActionForm {
                    kind: k.en(),
                    title: i18n::pick(lang, k.zh(), k.en()),
                    inputs: inputs(lang, &t, k, today),
                    correction: CorrectionField::of(lang, &locked, "", None),
                };
                if let Some(r) = resent.as_ref().filter(|r| sent(r.form, "event") == Some(k.en())) {
                    refill(&mut a, lang, &locked, r);
                }
                a
            })
            .collect()
    } else {
        Vec::new()
    };
    let outcome = case.closed_on().map(|d| {
        let o = case.outcome().map_or_else(String::new, |o| match lang {
            Lang::Zh => vocab::outcome_label(o),
            Lang::En => o.row().key().to_owned(),
        });
        (i18n::date(lang, d), o)
    });
    let path = href(case.id());
    let orgs = page::orgs_of(state, actor).await?;
    let chrome = Chrome::new(
        lang,
        format!("{} {}", t.title, case.id().0),
        csrf,
        &path,
        Some((actor, &orgs)),
        Some(scope.org()),
        Nav::Applications,
    );
    let page = CasePage {
        chrome,
        t,
        id: case.id().0.clone(),
        action: format!("{path}/events"),
        letters: format!("{path}/letters"),
        list: format!("/agencies/{}/applications", scope.id()),
        version: stored.version,
        facts,
        personal,
        phase: i18n::pick(lang, case.phase().zh(), case.phase().en()),
        due: due(state, lang, &case)?,
        outcome,
        steps,
        actions,
        notice,
    };
    page::render(&page)
}

/// The value a form sent for `name`.
fn sent<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Fills an action's form in as it was sent, with the refusal at its 更正理由 input.
fn refill(a: &mut ActionForm, lang: Lang, locked: &[i16], resent: &Resent<'_>) {
    for i in &mut a.inputs {
        if let Some(v) = sent(resent.form, i.name) {
            v.clone_into(&mut i.value);
        }
    }
    let value = sent(resent.form, correction::FIELD).unwrap_or_default();
    a.correction = CorrectionField::of(lang, locked, value, resent.refused.clone());
}

async fn case_page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(case_id): Path<String>,
) -> Result<Response, AppError> {
    let (scope, stored) = find(&state, &actor, Action::ViewCases, &CaseId(case_id)).await?;
    let page = render_case(&state, lang, &csrf, &actor, &scope, &stored, None, None).await?;
    Ok(page.into_response())
}

/// `POST /applications/{case_id}/events`: one action's form. Done: back to the case page (303).
/// Refused by the domain, or by the store for want of a correction reason: the page with the
/// reason and the form filled in as sent (422). Another change came first: the page with the
/// current state (409).
async fn event_form(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path(case_id): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (scope, stored) = find(&state, &actor, Action::EditCases, &CaseId(case_id)).await?;
    let version = form
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        .ok_or_else(|| AppError::field("version", "缺少版本号", "the version is missing"))?;
    let t = CaseText::of(lang);
    let reason = sent(&form, correction::FIELD);
    let result = match event_of(&form) {
        Ok(event) => {
            let s = stored.clone();
            apply(&state, &actor, &origin, &scope, s, event, Some(version), reason).await
        }
        Err(e) => Err(e),
    };
    let mut refused = None;
    let (status, notice, current) = match result {
        Ok(Applied::Done(after, _)) => {
            return Ok(Redirect::to(&href(&after.record.intake.id)).into_response());
        }
        Ok(Applied::Conflict(now, _)) => (StatusCode::CONFLICT, ("conflict", t.conflict.to_owned()), now),
        Err(AppError::Invalid { msg, .. }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ("error", format!("{}{}", t.refused, msg.get(lang))),
            stored,
        ),
        Err(e) => match correction::refusal(&e, lang) {
            Some(why) => {
                refused = Some(why.clone());
                (StatusCode::UNPROCESSABLE_ENTITY, ("error", format!("{}{why}", t.refused)), stored)
            }
            None => return Err(e),
        },
    };
    // The page again, the sent form filled in (unless the case changed meanwhile).
    let resent = (status != StatusCode::CONFLICT).then_some(Resent { form: &form, refused });
    let html =
        render_case(&state, lang, &csrf, &actor, &scope, &current, Some(notice), resent).await?;
    Ok((status, html).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(CaseText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn every_action_has_a_probe_the_domain_can_read() {
        let today = jiff::civil::date(2025, 3, 3);
        for k in ACTIONS {
            assert!(probe(k, today).is_some_and(|e| e.kind() == k), "{k:?}");
        }
    }

    #[test]
    fn a_form_is_read_as_the_registers_event() {
        let form = |pairs: &[(&str, &str)]| {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<Vec<_>>()
        };
        let e = event_of(&form(&[("event", "replied"), ("on", "2025-03-20"), ("outcome", "granted")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e, CaseEvent::Replied { on: jiff::civil::date(2025, 3, 20), outcome: Outcome::GRANTED });
        let e = event_of(&form(&[("event", "extension_approved"), ("on", "2025-03-20"), ("approved_by", "王"), ("days", "10")]));
        assert!(matches!(e, Ok(CaseEvent::ExtensionApproved { days: 10, .. })), "{e:?}");
        assert!(event_of(&form(&[("event", "replied"), ("on", "not a date")])).is_err());
    }

    #[test]
    fn case_numbers_are_encoded_in_urls() {
        assert_eq!(href(&CaseId("YSQ-2025-1".into())), "/applications/YSQ-2025-1");
        assert_eq!(href(&CaseId("依 1/2".into())), "/applications/%E4%BE%9D%201%2F2");
    }
}
