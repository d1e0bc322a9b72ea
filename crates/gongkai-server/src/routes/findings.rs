//! An office's findings queue (issue 10, "Findings queue"): the findings of the reports it
//! collected, to confirm or dismiss with a note.
//!
//! - `GET /offices/{id}/findings?year=&rule=&severity=&kind=&agency=&state=` — every finding of
//!   every document the office collected, with its agency, year, document, rule, severity,
//!   message (in the page's language), cells and current review; filtered by rule, severity,
//!   kind, agency, year and state (`open`, `confirmed`, `dismissed`); each with a form to
//!   confirm or dismiss it;
//! - `POST /offices/{id}/findings/{fingerprint}/review` — the form (`decision` `confirm` or
//!   `dismiss`, `note`): recorded, back to the queue with the same filters;
//! - `GET /api/v1/offices/{id}/findings?year=Y` — the same findings as JSON, each with its
//!   `fingerprint` and `review`;
//! - `POST /api/v1/findings/{fingerprint}/review` — `{"office", "decision": "confirmed" |
//!   "dismissed", "note"}` (the office also as `?office=`).
//!
//! Who: office reviewers of the office or of an office above it ([`policy::office`] with
//! [`Action::ReviewFindings`]); anyone else gets 404. Decisions are the store's
//! ([`gongkai_store::Store::review_finding`]): appended, keyed by the office and the finding's
//! fingerprint, so they hold for the same finding in a re-uploaded file, and a changed printed
//! value is a new, open finding. A decision never changes the printed value. Reviewer notes
//! are shown only here and on the office's document page, never on a public page or export.

use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use gongkai_model::Lang;
use gongkai_store::{Decision, DocumentId, OrgId, Review, StoredFinding, UserId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::application::encode;
use super::documents::DocumentText;
use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, OfficeScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    let a = Access::Office(Action::ReviewFindings);
    vec![
        Route::get("/offices/{id}/findings", a, page),
        Route::post("/offices/{id}/findings/{fingerprint}/review", a, review_form),
        Route::get("/api/v1/offices/{id}/findings", a, list_api).api(),
        Route::post("/api/v1/findings/{fingerprint}/review", Access::SignedIn, review_api).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_api, review_api),
    components(schemas(FindingItem, ReviewView, ReviewBody))
)]
pub struct Api;

texts! {
    /// The findings queue's texts.
    pub struct FindingsText {
        title: "检查结果审核" | "Findings queue",
        help: "本办收集的年报中的检查结果。确认的结果须由机关发布更正版本；排除须说明理由。审核不改变年报所载数值。" | "The findings of the reports this office collected. A confirmed finding is for the agency to correct in a new published version; dismissing one needs a note. A decision never changes the printed value.",
        filters: "筛选" | "Filters",
        year: "年度" | "Year",
        rule: "规则" | "Rule",
        severity: "严重程度" | "Severity",
        kind: "类型" | "Kind",
        kind_source: "原文不一致" | "Inconsistent source",
        kind_extraction: "读取存疑" | "Extraction doubt",
        agency: "机关" | "Agency",
        state: "审核状态" | "Review state",
        any: "全部" | "All",
        open: "待审核" | "Open",
        apply: "筛选" | "Filter",
        none: "没有符合条件的检查结果。" | "No finding matches.",
        count: "条检查结果" | "findings",
        document: "文件" | "Document",
        unmatched: "（未匹配机关）" | "(no agency matched)",
        decided: "{}，{}" | "by {}, {}",
        decide: "作出决定" | "Decide",
        document_n: "文件{}" | "Document {}",
        decision: "决定" | "Decision",
        confirm: "确认" | "Confirm",
        dismiss: "排除" | "Dismiss",
        note: "理由" | "Note",
        save: "提交" | "Submit",
        note_needed: "排除检查结果须说明理由" | "dismissing a finding needs a note saying why",
        bad_decision: "决定应为确认或排除" | "the decision is confirm or dismiss",
    }
}

/// The queue's filters (every one optional).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Filters {
    year: Option<i16>,
    rule: Option<String>,
    severity: Option<String>,
    kind: Option<String>,
    agency: Option<i64>,
    state: Option<String>,
}

impl Filters {
    /// The filters as a query string (empty ones left out), to come back to the same view.
    fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(y) = self.year {
            parts.push(format!("year={y}"));
        }
        for (k, v) in [
            ("rule", &self.rule),
            ("severity", &self.severity),
            ("kind", &self.kind),
            ("state", &self.state),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if let Some(a) = self.agency {
            parts.push(format!("agency={a}"));
        }
        parts.join("&")
    }

    fn keeps(&self, item: &Item) -> bool {
        let is = |f: &Option<String>, v: &str| f.as_deref().is_none_or(|f| f.is_empty() || f == v);
        self.year.is_none_or(|y| item.year == Some(y))
            && self.agency.is_none_or(|a| item.agency == Some(OrgId(a)))
            && is(&self.rule, &item.found.rule)
            && is(&self.severity, text(&item.json, "severity"))
            && is(&self.kind, text(&item.json, "kind"))
            && is(&self.state, state_of(item.found.review.as_ref()))
    }
}

/// `open`, `confirmed` or `dismissed`.
fn state_of(review: Option<&Review>) -> &'static str {
    review.map_or("open", |r| state_of_decision(r.decision))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// One finding of one collected document.
struct Item {
    document: DocumentId,
    agency: Option<OrgId>,
    year: Option<i16>,
    found: StoredFinding,
    json: Value,
}

/// Every finding of every document `office` collected: newest documents first, each document's
/// findings in their order.
async fn items(state: &AppState, office: OrgId) -> Result<Vec<Item>, AppError> {
    let collected = state.store.collected_by_office(office).await?;
    let found = state.store.document_findings(office).await?;
    Ok(found
        .into_iter()
        .filter_map(|(document, found)| {
            // Only documents that were read (a finding belongs to a reading).
            let read = collected.get(&document)?;
            let json = serde_json::from_str(&found.finding).unwrap_or_default();
            Some(Item { document, agency: read.agency, year: read.year, found, json })
        })
        .collect())
}

/// The office scope, or 404 for anyone who may not review its findings.
async fn scope_of(state: &AppState, actor: &Actor, office: OrgId) -> Result<OfficeScope, AppError> {
    policy::office(state, actor, Action::ReviewFindings, office).await.map_err(|e| match e {
        AppError::Forbidden => AppError::NotFound,
        other => other,
    })
}

/// A finding on the page.
#[derive(Debug)]
struct Row {
    agency: String,
    year: String,
    document: String,
    document_label: String,
    rule: String,
    severity: String,
    severity_label: &'static str,
    kind_label: &'static str,
    message: String,
    cells: String,
    state: &'static str,
    state_label: &'static str,
    decided: String,
    note: String,
    action: String,
    id: usize,
}

#[derive(Template)]
#[template(path = "findings.html")]
struct FindingsPage {
    chrome: Chrome,
    t: FindingsText,
    d: DocumentText,
    office: String,
    base: String,
    year: String,
    rules: Vec<(String, bool)>,
    severities: Vec<(&'static str, &'static str, bool)>,
    kinds: Vec<(&'static str, &'static str, bool)>,
    states: Vec<(&'static str, &'static str, bool)>,
    agencies: Vec<(i64, String, bool)>,
    rows: Vec<Row>,
}

async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(filters): Query<Filters>,
) -> Result<Response, AppError> {
    let scope = scope_of(&state, &actor, OrgId(id)).await?;
    let t = FindingsText::of(lang);
    let d = DocumentText::of(lang);
    let office = scope.org();
    let all = items(&state, office.id).await?;
    let mut names: BTreeMap<OrgId, String> = BTreeMap::new();
    for a in state.store.agencies_under(office.id).await? {
        names.insert(a.id, a.name);
    }
    let mut users: BTreeMap<UserId, String> = BTreeMap::new();
    let mut rows = Vec::new();
    let back = filters.query();
    let suffix = if back.is_empty() { String::new() } else { format!("?{back}") };
    for (i, item) in all.iter().filter(|i| filters.keeps(i)).enumerate() {
        let decided = match &item.found.review {
            Some(r) => {
                let who = match r.by {
                    Some(u) => match users.get(&u) {
                        Some(n) => n.clone(),
                        None => {
                            let n = state.store.user(u).await?.map(|u| u.display_name);
                            let n = n.unwrap_or_else(|| u.0.to_string());
                            users.insert(u, n.clone());
                            n
                        }
                    },
                    None => String::new(),
                };
                let when = crate::i18n::datetime(lang, r.at);
                t.decided.replacen("{}", &who, 1).replacen("{}", &when, 1)
            }
            None => String::new(),
        };
        rows.push(row(t, d, lang, item, &names, decided, i, &format!("/offices/{id}/findings/{}/review{suffix}", item.found.fingerprint)));
    }
    let mut rules: Vec<&str> = all.iter().map(|i| i.found.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let chosen = |f: &Option<String>, v: &str| f.as_deref() == Some(v);
    let rules = rules.into_iter().map(|r| (r.to_owned(), chosen(&filters.rule, r))).collect();
    let severities = [("error", d.severity_error), ("warning", d.severity_warning), ("info", d.severity_info)]
        .into_iter()
        .map(|(k, l)| (k, l, chosen(&filters.severity, k)))
        .collect();
    let kinds = [("source", t.kind_source), ("extraction", t.kind_extraction)]
        .into_iter()
        .map(|(k, l)| (k, l, chosen(&filters.kind, k)))
        .collect();
    let states = [("open", t.open), ("confirmed", d.confirmed), ("dismissed", d.dismissed)]
        .into_iter()
        .map(|(k, l)| (k, l, chosen(&filters.state, k)))
        .collect();
    let mut seen: Vec<OrgId> = all.iter().filter_map(|i| i.agency).collect();
    seen.sort_unstable();
    seen.dedup();
    let agencies = seen
        .into_iter()
        .map(|a| (a.0, names.get(&a).cloned().unwrap_or_else(|| a.to_string()), filters.agency == Some(a.0)))
        .collect();
    let orgs = page::orgs_of(&state, &actor).await?;
    let path = format!("/offices/{id}/findings");
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, office.name),
        &csrf,
        &path,
        Some((&actor, &orgs)),
        Some(office),
        Nav::Dashboard,
    );
    let page = FindingsPage {
        chrome,
        t,
        d,
        office: office.name.clone(),
        base: path,
        year: filters.year.map(|y| y.to_string()).unwrap_or_default(),
        rules,
        severities,
        kinds,
        states,
        agencies,
        rows,
    };
    Ok(page::render(&page)?.into_response())
}

#[allow(clippy::too_many_arguments, reason = "one row's parts")]
fn row(
    t: FindingsText,
    d: DocumentText,
    lang: Lang,
    item: &Item,
    names: &BTreeMap<OrgId, String>,
    decided: String,
    id: usize,
    action: &str,
) -> Row {
    let v = &item.json;
    let message = super::documents::recorded_message(v, lang);
    let severity = text(v, "severity").to_owned();
    let cells = super::documents::recorded_cells(v).join(", ");
    let review = item.found.review.as_ref();
    let state = state_of(review);
    Row {
        agency: item
            .agency
            .map(|a| names.get(&a).cloned().unwrap_or_else(|| a.to_string()))
            .unwrap_or_else(|| t.unmatched.to_owned()),
        year: item.year.map(|y| y.to_string()).unwrap_or_default(),
        document: format!("/documents/{}", item.document),
        document_label: t.document_n.replacen("{}", &item.document.to_string(), 1),
        rule: item.found.rule.clone(),
        severity_label: match severity.as_str() {
            "error" => d.severity_error,
            "warning" => d.severity_warning,
            _ => d.severity_info,
        },
        severity,
        kind_label: match text(v, "kind") {
            "extraction" => t.kind_extraction,
            _ => t.kind_source,
        },
        message,
        cells,
        state,
        state_label: match state {
            "confirmed" => d.confirmed,
            "dismissed" => d.dismissed,
            _ => t.open,
        },
        decided,
        note: review.map(|r| r.note.clone()).unwrap_or_default(),
        action: action.to_owned(),
        id,
    }
}

/// The review form.
#[derive(Debug, Deserialize)]
struct ReviewForm {
    decision: String,
    #[serde(default)]
    note: String,
}

/// The store's decision of the form's word for it (`confirm`, `dismiss`: the store's keys).
fn decision_of(word: &str) -> Option<Decision> {
    Decision::from_key(word)
}

/// The store's decision of the API's word for it (`confirmed`, `dismissed`: the review states).
fn api_decision(word: &str) -> Option<Decision> {
    Decision::ALL.into_iter().find(|d| state_of_decision(*d) == word)
}

/// The review state a decision leaves.
fn state_of_decision(d: Decision) -> &'static str {
    match d {
        Decision::Confirm => "confirmed",
        Decision::Dismiss => "dismissed",
    }
}

/// Records a decision, refusing a dismissal without a note at the field `note`.
async fn decide(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    office: OrgId,
    fingerprint: &str,
    decision: Option<Decision>,
    note: &str,
) -> Result<Review, AppError> {
    let t = FindingsText::of(Lang::Zh);
    let e = FindingsText::of(Lang::En);
    let decision = decision.ok_or_else(|| AppError::field("decision", t.bad_decision, e.bad_decision))?;
    if decision == Decision::Dismiss && note.trim().is_empty() {
        return Err(AppError::field("note", t.note_needed, e.note_needed));
    }
    let ctx = auth::ctx(state, Some(actor.user.id), origin);
    Ok(state.store.review_finding(&ctx, office, fingerprint, decision, note).await?)
}

async fn review_form(
    State(state): State<AppState>,
    actor: Actor,
    origin: Origin,
    Path((id, fingerprint)): Path<(i64, String)>,
    Query(filters): Query<Filters>,
    axum::Form(form): axum::Form<ReviewForm>,
) -> Result<Response, AppError> {
    let scope = scope_of(&state, &actor, OrgId(id)).await?;
    let decision = decision_of(&form.decision);
    decide(&state, &actor, &origin, scope.id(), &fingerprint, decision, &form.note).await?;
    let back = filters.query();
    let to = if back.is_empty() {
        format!("/offices/{id}/findings")
    } else {
        format!("/offices/{id}/findings?{back}")
    };
    Ok((StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response())
}

/// A review decision in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    /// `confirmed` or `dismissed`.
    pub decision: String,
    /// The reviewer's note.
    pub note: String,
    /// When (RFC 3339).
    pub decided_at: String,
}

/// One finding of the queue in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FindingItem {
    /// The stable fingerprint (rule, cells and printed values): what decisions are keyed by.
    pub fingerprint: String,
    /// The collected document.
    pub document_id: i64,
    /// The agency matched (`null` when none was).
    pub agency_id: Option<i64>,
    /// The year read.
    pub year: Option<i16>,
    /// The rule id.
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// `source` or `extraction`.
    pub kind: String,
    /// The message in the request's language.
    pub message: String,
    /// The cells it names.
    pub cells: Vec<String>,
    /// The current decision, `null` while open.
    pub review: Option<ReviewView>,
}

fn review_view(r: &Review) -> ReviewView {
    ReviewView {
        decision: state_of(Some(r)).to_owned(),
        note: r.note.clone(),
        decided_at: r.at.to_string(),
    }
}

/// The year of the API's list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct YearQuery {
    /// Only the reports of this year.
    year: Option<i16>,
}

/// The findings of the reports the office collected (of `year`), each with its fingerprint and
/// current review.
#[utoipa::path(
    get,
    path = "/api/v1/offices/{id}/findings",
    tag = "findings",
    params(("id" = i64, Path, description = "the office"), YearQuery),
    responses(
        (status = 200, description = "the findings", body = Vec<FindingItem>),
        (status = 401, description = "no credentials", body = crate::error::ErrorBody),
        (status = 404, description = "no such office, or not one the caller reviews", body = crate::error::ErrorBody),
    )
)]
async fn list_api(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Vec<FindingItem>>, AppError> {
    let scope = scope_of(&state, &actor, OrgId(id)).await?;
    let filters = Filters { year: q.year, ..Filters::default() };
    let all = items(&state, scope.id()).await?;
    let out = all
        .iter()
        .filter(|i| filters.keeps(i))
        .map(|i| FindingItem {
            fingerprint: i.found.fingerprint.clone(),
            document_id: i.document.0,
            agency_id: i.agency.map(|a| a.0),
            year: i.year,
            rule: i.found.rule.clone(),
            severity: text(&i.json, "severity").to_owned(),
            kind: text(&i.json, "kind").to_owned(),
            message: super::documents::recorded_message(&i.json, lang),
            cells: super::documents::recorded_cells(&i.json),
            review: i.found.review.as_ref().map(review_view),
        })
        .collect();
    Ok(Json(out))
}

/// A review decision to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewBody {
    /// The office whose finding it is (may also be given as `?office=`).
    pub office: Option<i64>,
    /// `confirmed` or `dismissed`.
    pub decision: String,
    /// Why; required to dismiss.
    #[serde(default)]
    pub note: String,
}

/// The office of a review, in the query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct OfficeQuery {
    /// The office whose finding it is (or `office` in the body).
    office: Option<i64>,
}

/// Records a decision on the finding `fingerprint` of an office: `confirmed`, or `dismissed`
/// with a note. The office is the body's `office` or the query's; the decision holds for every
/// finding of that office with this fingerprint, now and in later uploads.
#[utoipa::path(
    post,
    path = "/api/v1/findings/{fingerprint}/review",
    tag = "findings",
    params(("fingerprint" = String, Path, description = "the finding's fingerprint"), OfficeQuery),
    request_body = ReviewBody,
    responses(
        (status = 200, description = "the decision recorded", body = ReviewView),
        (status = 401, description = "no credentials", body = crate::error::ErrorBody),
        (status = 404, description = "no such office, not one the caller reviews, or no finding of it with this fingerprint", body = crate::error::ErrorBody),
        (status = 422, description = "no office, an unknown decision, or a dismissal without a note (the field)", body = crate::error::ErrorBody),
    )
)]
async fn review_api(
    State(state): State<AppState>,
    actor: Actor,
    origin: Origin,
    Path(fingerprint): Path<String>,
    Query(q): Query<OfficeQuery>,
    Json(body): Json<ReviewBody>,
) -> Result<Json<ReviewView>, AppError> {
    let office = body.office.or(q.office).ok_or_else(|| {
        AppError::field("office", "请说明是哪个政务公开办的检查结果", "say which office's finding it is")
    })?;
    let scope = scope_of(&state, &actor, OrgId(office)).await?;
    let decision = api_decision(&body.decision);
    let review =
        decide(&state, &actor, &origin, scope.id(), &fingerprint, decision, &body.note).await?;
    Ok(Json(review_view(&review)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(FindingsText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn the_filters_come_back_as_they_were() {
        let f = Filters {
            year: Some(2024),
            rule: Some("T3-BALANCE".into()),
            severity: Some(String::new()),
            kind: None,
            agency: Some(7),
            state: Some("open".into()),
        };
        assert_eq!(f.query(), "year=2024&rule=T3-BALANCE&state=open&agency=7");
        assert_eq!(Filters::default().query(), "");
    }

    #[test]
    fn the_api_words_are_the_store_decisions() {
        assert_eq!(api_decision("confirmed"), Some(Decision::Confirm));
        assert_eq!(api_decision("dismissed"), Some(Decision::Dismiss));
        assert_eq!(api_decision("confirm"), None);
        assert_eq!(decision_of("dismiss"), Some(Decision::Dismiss));
        assert_eq!(decision_of("dismissed"), None);
    }
}
