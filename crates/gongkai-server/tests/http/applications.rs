//! 依申请公开 through the real router, on both backends: the list, the registration form, the
//! case page and its actions, the JSON API, every refusal; snapshots of what a clerk sees; and the
//! property test (any sequence of allowed and refused API actions leaves the store replaying to
//! what the API answers, and the year's tables pass every rule).

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request, StatusCode};
use gongkai_cases::{Case, CaseEvent, Register};
use gongkai_model::{Lang, Localized as _};
use gongkai_store::{CaseFilter, CaseState, PageRequest};
use jiff::civil::date;
use serde_json::{Value, json};

use crate::support::{App, PASSWORD, Reply};

/// A Bearer token of `user`.
pub async fn token(app: &App, user: &str) -> String {
    let r = app.post_json("/api/v1/login", &json!({"username": user, "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

/// A JSON API request with a token (or none).
pub async fn api(
    app: &App,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut r = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        r = r.header(AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(v) => {
            r = r.header(CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    app.send(r.body(body).unwrap()).await
}

fn list_path(app: &App) -> String {
    format!("/api/v1/agencies/{}/applications", app.a.id)
}

/// The `<form>` of an action on a page, if offered.
fn offers(page: &str, kind: &str) -> bool {
    page.contains(&format!("id=\"action-{kind}\""))
}

/// The version field of the page's action forms.
fn version(page: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = page.find(marker).expect("a version field") + marker.len();
    let len = page[start..].find('"').unwrap();
    page[start..start + len].to_owned()
}

pub async fn the_list_by_due_date_in_colour_and_its_api(app: &App) {
    let browser = app.login("clerk-a").await;
    let page = app.get(&format!("/agencies/{}/applications", app.a.id), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = |id: &str| {
        let at = page.body.find(&format!(">{id}<")).unwrap_or_else(|| panic!("{id} not listed"));
        let start = page.body[..at].rfind("<tr").unwrap();
        page.body[start..at].to_owned()
    };
    assert!(row("YSQ-2026-00001").contains("due-overdue"));
    assert!(row("YSQ-2026-00002").contains("due-soon"));
    assert!(row("YSQ-2026-00003").contains("due-ok"));
    assert!(page.body.contains("href=\"/applications/YSQ-2026-00001\""));
    let closed = app
        .get(&format!("/agencies/{}/applications?phase=closed", app.a.id), &browser.cookies)
        .await;
    assert!(!closed.body.contains("YSQ-2026") && closed.body.contains("没有符合条件的申请"));

    let t = token(app, "clerk-a").await;
    let all = api(app, Method::GET, &list_path(app), Some(&t), None).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let body = all.json();
    assert_eq!(body["total"], 3);
    assert_eq!(body["items"][0]["id"], "YSQ-2026-00001", "by due date");
    assert_eq!(body["items"][0]["phase"], "processing");
    assert!(body["items"][0]["due"].is_string());
    let second =
        api(app, Method::GET, &format!("{}?per_page=2&page=2", list_path(app)), Some(&t), None)
            .await;
    assert_eq!(second.json()["items"].as_array().unwrap().len(), 1);
    assert_eq!(second.json()["total"], 3);
    let year =
        api(app, Method::GET, &format!("{}?year=2025", list_path(app)), Some(&t), None).await;
    assert_eq!(year.json()["total"], 0);

    assert_eq!(
        api(app, Method::GET, &list_path(app), None, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let other = token(app, "clerk-b").await;
    let theirs = api(app, Method::GET, &list_path(app), Some(&other), None).await;
    let missing =
        api(app, Method::GET, "/api/v1/agencies/987654/applications", Some(&other), None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!((theirs.status, theirs.body), (missing.status, missing.body));
}

pub async fn registering_by_form_checks_like_import_and_saves_nothing_on_error(app: &App) {
    let browser = app.login("clerk-a").await;
    let path = format!("/agencies/{}/applications", app.a.id);
    let form = app.get(&format!("{path}/new"), &browser.cookies).await;
    assert_eq!(form.status, StatusCode::OK);
    for name in [
        "case_id",
        "applicant_type",
        "channel",
        "arrived",
        "confirmed",
        "request",
        "applicant_name",
        "contact",
    ] {
        assert!(form.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    assert!(form.body.contains("自然人") && form.body.contains("申请人类型"));

    let csrf = &browser.csrf;
    let bad = format!(
        "csrf={csrf}&applicant_type=%E5%A4%96%E6%98%9F%E4%BA%BA&channel=%E5%BD%93%E9%9D%A2&arrived=2030-01-02&request=x&applicant_name=%E5%BC%A0%E4%B8%89"
    );
    let refused = app.post_form(&path, &browser.cookies, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("aria-describedby=\"err-applicant_type\""), "{}", refused.body);
    assert!(refused.body.contains("id=\"err-applicant_type\""));
    assert!(refused.body.contains("value=\"张三\""), "what was typed is kept");
    let future = format!(
        "csrf={csrf}&applicant_type=%E8%87%AA%E7%84%B6%E4%BA%BA&channel=%E5%BD%93%E9%9D%A2&arrived=2030-01-02"
    );
    let refused = app.post_form(&path, &browser.cookies, &future).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains("id=\"err-arrived\""),
        "a date after today is refused at its field"
    );
    let store = &app.state.store;
    assert_eq!(store.cases(app.a.id).await.unwrap().len(), 3, "nothing saved");

    let good = format!(
        "csrf={csrf}&applicant_type=%E8%87%AA%E7%84%B6%E4%BA%BA&channel=%E5%BD%93%E9%9D%A2&arrived=2026-03-16&request=%E9%A2%84%E7%AE%97&applicant_name=%E5%BC%A0%E4%B8%89&contact=13800000000"
    );
    let saved = app.post_form(&path, &browser.cookies, &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), Some("/applications/YSQ-2026-00004"), "the number is assigned");
    let page = app.get("/applications/YSQ-2026-00004", &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("13800000000"), "the owning agency sees the personal data");
    let personal = store
        .personal_data(
            &gongkai_store::Ctx { user: None, at: crate::support::now(), origin: "t".into() },
            app.a.id,
            &gongkai_cases::CaseId("YSQ-2026-00004".into()),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(personal.name, "张三");
    let record = store
        .case(app.a.id, &gongkai_cases::CaseId("YSQ-2026-00004".into()))
        .await
        .unwrap()
        .unwrap();
    assert!(
        !serde_json::to_string(&record.record).unwrap().contains("张三"),
        "no name in the case record"
    );

    let again = format!(
        "csrf={csrf}&case_id=YSQ-2026-00004&applicant_type=%E8%87%AA%E7%84%B6%E4%BA%BA&channel=%E5%BD%93%E9%9D%A2&arrived=2026-03-16"
    );
    let taken = app.post_form(&path, &browser.cookies, &again).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("id=\"err-case_id\""), "{}", taken.body);
}

pub async fn registering_by_api(app: &App) {
    let t = token(app, "clerk-a").await;
    let intake = json!({
        "applicant_type": "natural_person",
        "channel": {"kind": "online", "confirmed": "2026-03-03"},
        "request": "2025年度部门预算",
        "personal": {"name": "李四", "contact": "lisi@example.com"}
    });
    let created = api(app, Method::POST, &list_path(app), Some(&t), Some(intake.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    assert_eq!(body["id"], "YSQ-2026-00004");
    assert_eq!(body["version"], 0);
    assert_eq!(body["phase"], "processing");
    assert_eq!(body["received"], "2026-03-03");
    let due = app.state.calendar.add_working_days(date(2026, 3, 3), 20).unwrap();
    assert_eq!(body["due"], due.to_string());
    assert!(!created.body.contains("李四"), "no personal data in the case's answer");

    let mut given = intake.clone();
    given["id"] = json!("W-1");
    given["channel"] = json!({"kind": "online", "confirmed": "2026-04-01"});
    let future = api(app, Method::POST, &list_path(app), Some(&t), Some(given.clone())).await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", future.body);
    assert_eq!(future.json()["error"]["field"], "confirmed");
    given["channel"] = json!({"kind": "online", "confirmed": "2026-03-02"});
    assert_eq!(
        api(app, Method::POST, &list_path(app), Some(&t), Some(given.clone())).await.status,
        StatusCode::CREATED
    );
    let twice = api(app, Method::POST, &list_path(app), Some(&t), Some(given.clone())).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);

    assert_eq!(
        api(app, Method::POST, &list_path(app), None, Some(intake.clone())).await.status,
        StatusCode::UNAUTHORIZED
    );
    let other = token(app, "clerk-b").await;
    let theirs = api(app, Method::POST, &list_path(app), Some(&other), Some(intake.clone())).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(app.state.store.cases(app.a.id).await.unwrap().len(), 5);
}

pub async fn the_case_page_offers_only_what_the_domain_accepts(app: &App) {
    let browser = app.login("clerk-a").await;
    let page = app.get("/applications/YSQ-2026-00003", &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
    for kind in [
        "correction_requested",
        "consultation_opened",
        "extension_approved",
        "fee_notice_issued",
        "replied",
        "withdrawn",
    ] {
        assert!(offers(&page.body, kind), "{kind} offered while processing");
    }
    for kind in ["corrected", "consultation_answered", "fee_paid", "extension_notified"] {
        assert!(!offers(&page.body, kind), "{kind} not offered while processing");
    }
    assert!(page.body.contains("href=\"/applications/YSQ-2026-00003/letters\""));
    assert!(page.body.contains("第20个工作日"), "the calendar's explanation");

    // 补正通知: the clock stops; the correction arrives: the reply clock restarts from that day.
    let csrf = &browser.csrf;
    let v = version(&page.body);
    let notice = format!(
        "csrf={csrf}&version={v}&event=correction_requested&on=2026-03-16&deadline=2026-03-31&items=%E6%96%87%E5%8F%B7"
    );
    let r = app.post_form("/applications/YSQ-2026-00003/events", &browser.cookies, &notice).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get("/applications/YSQ-2026-00003", &browser.cookies).await;
    assert!(page.body.contains("等待补正"));
    assert!(offers(&page.body, "corrected") && !offers(&page.body, "correction_requested"));
    let v = version(&page.body);
    let corrected = format!("csrf={csrf}&version={v}&event=corrected&on=2026-03-16");
    let r =
        app.post_form("/applications/YSQ-2026-00003/events", &browser.cookies, &corrected).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get("/applications/YSQ-2026-00003", &browser.cookies).await;
    let restarted = app.state.calendar.add_working_days(date(2026, 3, 16), 20).unwrap();
    let shown = format!("{}年{}月{}日", restarted.year(), restarted.month(), restarted.day());
    assert!(page.body.contains(&shown), "due date restarted: {shown}");

    // 答复 with an outcome through the API: closed, and off the dashboard's open list.
    let t = token(app, "clerk-a").await;
    let reply = json!({"event": "replied", "on": "2026-03-16", "outcome": "partially_granted"});
    let r =
        api(app, Method::POST, "/api/v1/applications/YSQ-2026-00003/events", Some(&t), Some(reply))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["phase"], "closed");
    assert_eq!(r.json()["outcome"], "partially_granted");
    assert_eq!(r.json()["version"], 3);
    let page = app.get("/applications/YSQ-2026-00003", &browser.cookies).await;
    assert!(page.body.contains("当前状态下没有可办理的事项"));
    let dashboard = app.get(&format!("/agencies/{}", app.a.id), &browser.cookies).await;
    assert!(!dashboard.body.contains("YSQ-2026-00003"));
}

pub async fn every_refusal_of_an_event(app: &App) {
    let t = token(app, "clerk-a").await;
    let url = "/api/v1/applications/YSQ-2026-00002/events";
    // Illegal now: the domain's own reason, nothing appended.
    let corrected = json!({"event": "corrected", "on": "2026-03-16"});
    let r = api(app, Method::POST, url, Some(&t), Some(corrected.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let stored = app
        .state
        .store
        .case(app.a.id, &gongkai_cases::CaseId("YSQ-2026-00002".into()))
        .await
        .unwrap()
        .unwrap();
    let today = app.state.clock.today();
    let case = Case::replay(stored.record.clone(), today, app.state.env()).unwrap();
    let event: CaseEvent = serde_json::from_value(corrected.clone()).unwrap();
    let why = case.apply(event, today, app.state.env()).unwrap_err();
    assert_eq!(r.json()["error"]["message"], why.message(Lang::Zh));
    assert_eq!(stored.version, 0, "nothing appended");

    // Two clerks at once: the second, on the old version, gets the current state.
    let first = json!({"event": "withdrawn", "on": "2026-03-16", "expected_version": 0});
    let r = api(app, Method::POST, url, Some(&t), Some(first)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let second = json!({"event": "replied", "on": "2026-03-16", "outcome": "granted", "expected_version": 0});
    let r = api(app, Method::POST, url, Some(&t), Some(second)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["current"]["phase"], "closed");
    assert_eq!(r.json()["current"]["version"], 1);
    assert_eq!(r.json()["error"]["code"], "conflict");

    // The same on the page: a stale form shows the current state; an illegal one the reason.
    let browser = app.login("clerk-a").await;
    let csrf = &browser.csrf;
    let stale = format!("csrf={csrf}&version=0&event=withdrawn&on=2026-03-16");
    let r = app.post_form("/applications/YSQ-2026-00002/events", &browser.cookies, &stale).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("已被他人修改") && r.body.contains("已办结"), "{}", r.body);
    let illegal = format!("csrf={csrf}&version=0&event=corrected&on=2026-03-16");
    let r = app.post_form("/applications/YSQ-2026-00001/events", &browser.cookies, &illegal).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("未能办理"), "{}", r.body);

    // No credentials; another agency's case answers like a missing one.
    let reply = json!({"event": "withdrawn", "on": "2026-03-16"});
    assert_eq!(
        api(
            app,
            Method::POST,
            "/api/v1/applications/YSQ-2026-00001/events",
            None,
            Some(reply.clone())
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    let other = token(app, "clerk-b").await;
    let theirs = api(
        app,
        Method::POST,
        "/api/v1/applications/YSQ-2026-00001/events",
        Some(&other),
        Some(reply.clone()),
    )
    .await;
    let missing = api(
        app,
        Method::POST,
        "/api/v1/applications/NOPE-1/events",
        Some(&other),
        Some(reply.clone()),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!((theirs.status, &theirs.body), (missing.status, &missing.body));
    let b = app.login("clerk-b").await;
    let theirs = app.get("/applications/YSQ-2026-00001", &b.cookies).await;
    let missing = app.get("/applications/NOPE-1", &b.cookies).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!((theirs.status, &theirs.body), (missing.status, &missing.body));
    let after = app
        .state
        .store
        .case(app.a.id, &gongkai_cases::CaseId("YSQ-2026-00001".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.version, 0, "nothing appended by the refusals");
}

/// What the store holds, replayed, against what the cache and the API answer; the year's tables
/// from the store pass every rule.
pub async fn the_store_replays_to_what_the_api_answers(app: &App, token: &str) {
    let today = app.state.clock.today();
    let env = app.state.env();
    let stored = app.state.store.cases(app.a.id).await.unwrap();
    let mut register = Register::new(app.a.name.clone());
    register.cases = stored.iter().map(|s| s.record.clone()).collect();
    let cases = register.replay(today, env).unwrap_or_else(|e| panic!("{e:?}"));
    let page = app
        .state
        .store
        .list_cases(app.a.id, &CaseFilter::default(), PageRequest { offset: 0, limit: 1000 })
        .await
        .unwrap();
    let listed =
        api(app, Method::GET, &format!("{}?per_page=1000", list_path(app)), Some(token), None)
            .await;
    let items = listed.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), cases.len());
    for (case, s) in cases.iter().zip(&stored) {
        let state = CaseState::of(case);
        let cached = page.items.iter().find(|i| &i.case == case.id()).unwrap();
        assert_eq!(cached.version, s.version);
        if let Some(c) = &cached.state {
            assert_eq!(c, &state, "{}", case.id().0);
        }
        let item = items.iter().find(|i| i["id"] == case.id().0).unwrap();
        assert_eq!(item["version"], s.version);
        assert_eq!(item["due"], json!(state.next_deadline.map(|(_, d)| d.to_string())));
        assert_eq!(item["closed"], json!(state.closed.map(|d| d.to_string())));
        assert_eq!(item["outcome"], json!(state.outcome.map(|o| o.row().key())));
    }
    let draft = gongkai_register::draft::report(&register, today.year(), None, &[], today, env)
        .unwrap_or_else(|e| panic!("{e}"));
    let findings = gongkai_rules::check(&draft.report);
    assert!(!gongkai_rules::has_errors(&findings), "{findings:#?}");
}

/// One step of the property test.
#[derive(Clone, Debug)]
pub enum Op {
    /// Register an application received `days` ago.
    Create { days: u8, person: bool },
    /// Record an event of kind `kind` on the `case`-th application, `days` after its last day.
    Event { case: usize, kind: usize, days: u8, outcome: usize },
    /// The same on a version that is no longer current (or not yet).
    Stale { case: usize, ahead: bool },
}

const KINDS: [&str; 9] = [
    "correction_requested",
    "corrected",
    "consultation_opened",
    "consultation_answered",
    "extension_approved",
    "fee_notice_issued",
    "fee_paid",
    "replied",
    "withdrawn",
];

const OUTCOMES: [&str; 5] = [
    "granted",
    "partially_granted",
    "withheld_state_secret",
    "unable_not_held",
    "not_processed_duplicate",
];

/// Runs the steps through the API; every answer is one the contract allows, and a refusal
/// changes nothing.
pub async fn run_ops(app: &App, ops: &[Op]) {
    let t = token(app, "clerk-a").await;
    let today = app.state.clock.today();
    let mut ids: Vec<String> = (1..=3).map(|n| format!("YSQ-2026-{n:05}")).collect();
    for op in ops {
        match op {
            Op::Create { days, person } => {
                let received = today.checked_sub(jiff::Span::new().days(i64::from(*days))).unwrap();
                let mut body = json!({"applicant_type": "natural_person", "channel": {"kind": "in_person", "submitted": received}, "request": "r"});
                if *person {
                    body["personal"] = json!({"name": "王五", "contact": "1"});
                }
                let r = api(app, Method::POST, &list_path(app), Some(&t), Some(body)).await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
                ids.push(r.json()["id"].as_str().unwrap().to_owned());
            }
            Op::Event { case, kind, days, outcome } => {
                let id = &ids[case % ids.len()];
                let before = current(app, id).await;
                let last = before
                    .record
                    .events
                    .last()
                    .map_or(before.record.intake.received(), CaseEvent::on);
                let on =
                    last.checked_add(jiff::Span::new().days(i64::from(*days))).unwrap().min(today);
                let kind = KINDS[kind % KINDS.len()];
                let later = on.checked_add(jiff::Span::new().days(10)).unwrap();
                let mut body = json!({"event": kind, "on": on, "expected_version": before.version});
                let extra = match kind {
                    "correction_requested" => json!({"deadline": later, "items": "x"}),
                    "consultation_opened" => json!({"party": "third_party", "with": "某公司"}),
                    "consultation_answered" => json!({"answer": "consent"}),
                    "extension_approved" => json!({"approved_by": "主任", "days": 10}),
                    "fee_notice_issued" => json!({"amount_yuan": "100", "method": "per_page"}),
                    "replied" => json!({"outcome": OUTCOMES[outcome % OUTCOMES.len()]}),
                    _ => json!({}),
                };
                for (k, v) in extra.as_object().unwrap() {
                    body[k] = v.clone();
                }
                let url = format!("/api/v1/applications/{id}/events");
                let r = api(app, Method::POST, &url, Some(&t), Some(body)).await;
                let after = current(app, id).await;
                match r.status {
                    StatusCode::OK => {
                        assert_eq!(after.version, before.version + 1);
                        assert_eq!(r.json()["version"], after.version);
                    }
                    StatusCode::UNPROCESSABLE_ENTITY => {
                        assert_eq!(after, before, "refused: {}", r.body)
                    }
                    s => panic!("{s}: {}", r.body),
                }
            }
            Op::Stale { case, ahead } => {
                let id = &ids[case % ids.len()];
                let before = current(app, id).await;
                let expected = if *ahead {
                    before.version + 1
                } else if before.version > 0 {
                    before.version - 1
                } else {
                    continue;
                };
                let body = json!({"event": "withdrawn", "on": today, "expected_version": expected});
                let r = api(
                    app,
                    Method::POST,
                    &format!("/api/v1/applications/{id}/events"),
                    Some(&t),
                    Some(body),
                )
                .await;
                assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
                assert_eq!(r.json()["current"]["version"], before.version);
                assert_eq!(current(app, id).await, before);
            }
        }
    }
    the_store_replays_to_what_the_api_answers(app, &t).await;
}

async fn current(app: &App, id: &str) -> gongkai_store::StoredCase {
    app.state.store.case(app.a.id, &gongkai_cases::CaseId(id.to_owned())).await.unwrap().unwrap()
}

pub fn ops() -> impl proptest::strategy::Strategy<Value = Vec<Op>> {
    use proptest::prelude::*;
    let op = prop_oneof![
        (0u8..30, any::<bool>()).prop_map(|(days, person)| Op::Create { days, person }),
        (0usize..8, 0usize..KINDS.len(), 0u8..6, 0usize..OUTCOMES.len())
            .prop_map(|(case, kind, days, outcome)| Op::Event { case, kind, days, outcome }),
        (0usize..8, 0usize..KINDS.len(), 0u8..6, 0usize..OUTCOMES.len())
            .prop_map(|(case, kind, days, outcome)| Op::Event { case, kind, days, outcome }),
        (0usize..8, any::<bool>()).prop_map(|(case, ahead)| Op::Stale { case, ahead }),
    ];
    proptest::collection::vec(op, 1..14)
}

/// Declares one test per story and backend.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = crate::support::sqlite().await;
                    super::$story(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = crate::support::postgres().await;
                    super::$story(&app).await;
                }
            )*
        }
    };
}

/// In December of the calendar's last year a reply deadline reaches a year whose holidays are
/// not loaded: the application is registered all the same, its deadline said to fall after the
/// calendar's last day (page, listing, API), never guessed; a calendar with the next year,
/// at the server's start, determines it.
pub async fn a_december_application_waits_for_the_next_years_calendar(app: &App) {
    let y = gongkai_calendar::Calendar::official().years().1;
    let at: jiff::Timestamp = format!("{y}-12-10T02:00:00Z").parse().unwrap();
    let december = app.with_state(app.state.clone().with_clock(gongkai_server::Clock::Fixed(at)));
    let t = token(&december, "clerk-a").await;
    let intake = json!({
        "applicant_type": "natural_person",
        "channel": {"kind": "in_person", "submitted": format!("{y}-12-10")},
        "request": "年度部门决算",
        "personal": {"name": "王五", "contact": "13900000000"}
    });
    let created = api(&december, Method::POST, &list_path(app), Some(&t), Some(intake)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    let id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(body["phase"], "processing");
    assert_eq!(body["reply_due"], Value::Null);
    assert_eq!(body["due"], Value::Null);
    assert_eq!(body["reply_due_after"], format!("{y}-12-31"));

    let browser = december.login("clerk-a").await;
    let line = format!("答复期限：{y}年12月31日之后（载入{}年节假日安排后确定）", y + 1);
    let page = december.get(&format!("/applications/{id}"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&line) && page.body.contains("期限待定"), "{}", page.body);
    let en = december.get(&format!("/applications/{id}?lang=en"), &browser.cookies).await;
    let en_line = format!("reply due：after {y}-12-31 (set once the {} holiday notice", y + 1);
    assert!(en.body.contains(&en_line) && en.body.contains("to be determined"), "{}", en.body);
    let list =
        december.get(&format!("/agencies/{}/applications", app.a.id), &browser.cookies).await;
    assert!(list.body.contains(&line), "{}", list.body);
    let dashboard = december.get(&format!("/agencies/{}", app.a.id), &browser.cookies).await;
    assert!(dashboard.body.contains(&format!(">{id}<")), "{}", dashboard.body);
    assert!(dashboard.body.contains(&line) && dashboard.body.contains("期限待定"));
    assert!(dashboard.body.contains(&format!("尚未载入{}年的节假日安排", y + 1)), "the reminder");
    let march = app.get(&format!("/agencies/{}", app.a.id), &browser.cookies).await;
    assert!(!march.body.contains("id=\"calendar-note\""), "no reminder in March");

    // The same calendar at a restart: still undetermined, nothing written.
    let store = &app.state.store;
    let pending = vec![(app.a.id, gongkai_cases::CaseId(id.clone()))];
    assert_eq!(store.undetermined_deadlines().await.unwrap(), pending);
    let audit_before = store.audit_log(None, 1000).await.unwrap().len();
    let same = gongkai_server::deadlines::settle(&december.state).await.unwrap();
    assert_eq!((same.undetermined, same.agencies), (1, 0));
    assert_eq!(store.undetermined_deadlines().await.unwrap(), pending);
    assert_eq!(store.audit_log(None, 1000).await.unwrap().len(), audit_before);

    // A calendar with the next year (here one without holidays) determines it.
    let next = gongkai_calendar::CalendarBuilder::official()
        .add_toml("next.toml", &format!("year = {}\n", y + 1))
        .and_then(gongkai_calendar::CalendarBuilder::build)
        .unwrap();
    let due = next.add_working_days(date(y, 12, 10), 20).unwrap();
    let mut state = december.state.clone();
    state.calendar = std::sync::Arc::new(next);
    let settled = gongkai_server::deadlines::settle(&state).await.unwrap();
    assert_eq!((settled.agencies, settled.not_derived), (1, 0));
    assert!(store.undetermined_deadlines().await.unwrap().is_empty());
    let listed = store
        .list_cases(app.a.id, &CaseFilter::default(), PageRequest { offset: 0, limit: 10 })
        .await
        .unwrap();
    let item = listed.items.iter().find(|i| i.case.0 == id).unwrap();
    let state = item.state.as_ref().unwrap();
    assert_eq!(state.next_deadline, Some((gongkai_cases::Waiting::Reply, due)));
    assert_eq!(due.year(), y + 1);
}

on_both_backends!(
    a_december_application_waits_for_the_next_years_calendar,
    the_list_by_due_date_in_colour_and_its_api,
    registering_by_form_checks_like_import_and_saves_nothing_on_error,
    registering_by_api,
    the_case_page_offers_only_what_the_domain_accepts,
    every_refusal_of_an_event,
);

mod property {
    use proptest::prelude::*;

    fn run(postgres: bool, ops: &[super::Op]) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let app = if postgres {
                crate::support::postgres().await
            } else {
                crate::support::sqlite().await
            };
            super::run_ops(&app, ops).await;
        });
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
        #[test]
        fn any_sequence_of_api_actions_replays_to_what_the_api_answers_sqlite(ops in super::ops()) {
            run(false, &ops);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]
        #[test]
        fn any_sequence_of_api_actions_replays_to_what_the_api_answers_postgres(ops in super::ops()) {
            if std::env::var(crate::support::POSTGRES_URL_VAR).is_ok_and(|u| !u.is_empty()) {
                run(true, &ops);
            }
        }
    }
}

mod snapshots {
    use insta::assert_snapshot;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn applications_list() {
        let app = crate::support::sqlite().await;
        let browser = app.login("clerk-a").await;
        let page = app.get(&format!("/agencies/{}/applications", app.a.id), &browser.cookies).await;
        assert_snapshot!(
            page.redacted().replace(&format!("/agencies/{}", app.a.id), "/agencies/[a]")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn application_form_with_errors() {
        let app = crate::support::sqlite().await;
        let browser = app.login("clerk-a").await;
        let form = format!(
            "csrf={}&applicant_type=x&channel=%E5%B9%B3%E5%B8%B8%E4%BF%A1%E5%87%BD&arrived=2026-03-10&confirmed=2026-03-09",
            browser.csrf
        );
        let page = app
            .post_form(&format!("/agencies/{}/applications", app.a.id), &browser.cookies, &form)
            .await;
        assert_eq!(page.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert_snapshot!(
            page.redacted().replace(&format!("/agencies/{}", app.a.id), "/agencies/[a]")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn application_page() {
        let app = crate::support::sqlite().await;
        let browser = app.login("clerk-a").await;
        let page = app.get("/applications/YSQ-2026-00002", &browser.cookies).await;
        assert_snapshot!(
            page.redacted().replace(&format!("/agencies/{}", app.a.id), "/agencies/[a]")
        );
    }
}
