//! Year locks at the pages and the API: once an agency's 2025 report is published, a change
//! dated in 2025 is a correction — refused without a reason (422, the store's words at the
//! `correction_reason` field, page and API alike), recorded with one, listed on the 2025 report
//! page, and followed by a new published version with a reason.

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use gongkai_cases::synth::{self, Plan};
use jiff::civil::date;
use serde_json::json;

use crate::applications::{api, token};
use crate::reports::{enc, with_register};
use gongkai_store::{Ctx, Publication};

use crate::support::{App, Reply};

/// Declares one test per story and backend.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = crate::support::sqlite().await;
                    crate::corrections::$story(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let app = crate::support::postgres().await;
                    crate::corrections::$story(&app).await;
                }
            )*
        }
    };
}

on_both_backends!(
    a_change_of_a_published_year_needs_a_reason_then_a_new_version,
    a_proactive_item_of_a_published_year_needs_a_reason,
    a_register_import_changing_a_published_year_needs_a_reason,
);

/// Agency A's 2025 report is published (its first version) on 20 January 2026, before the
/// changes below (the tests' clock stands still at "now").
async fn publish_2025(app: &App) {
    let store = &app.state.store;
    let register = store.load_register(app.a.id).await.unwrap();
    let today = app.state.clock.today();
    let draft = gongkai_register::draft::report(&register, 2025, None, &[], today, app.state.env())
        .unwrap();
    let json = gongkai_render::doc::json(&draft.report);
    let at = "2026-01-20T02:00:00Z".parse().unwrap();
    let ctx = Ctx { user: None, at, origin: "test".into() };
    let publication = Publication { year: 2025, report: &json, reason: None };
    store.publish_report(&ctx, app.a.id, &publication).await.unwrap();
}

/// An application received in late 2025, in the API's shape.
fn late(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "applicant_type": "natural_person",
        "channel": {"kind": "online", "confirmed": "2025-12-29"},
        "request": "2025年度部门决算",
        "personal": {"name": "张三", "contact": "13800000000"},
    })
}

pub async fn a_change_of_a_published_year_needs_a_reason_then_a_new_version(app: &App) {
    let approver = with_register(app).await;
    publish_2025(app).await;
    let a = app.a.id.0;
    let clerk = token(app, "clerk-a").await;
    let create = format!("/api/v1/agencies/{a}/applications");

    // API: a new application received in 2025, without a reason, then with a blank one.
    let r = api(app, Method::POST, &create, Some(&clerk), Some(late("YSQ-2025-LATE1"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "correction_required");
    assert_eq!(r.json()["error"]["field"], "correction_reason");
    let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("2025年度报告已发布") && message.contains("更正理由"), "{message}");
    let mut blank = late("YSQ-2025-LATE1");
    blank["correction_reason"] = json!("   ");
    let r = api(app, Method::POST, &create, Some(&clerk), Some(blank)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a blank reason is none");
    let en =
        api(app, Method::POST, &format!("{create}?lang=en"), Some(&clerk), Some(late("X-1"))).await;
    assert!(
        en.json()["error"]["message"].as_str().unwrap().contains("the 2025 report is published"),
        "{}",
        en.body
    );
    assert!(app.state.store.corrections(app.a.id).await.unwrap().is_empty(), "nothing recorded");

    let mut with_reason = late("YSQ-2025-LATE1");
    with_reason["correction_reason"] = json!("补录漏登的申请");
    let r = api(app, Method::POST, &create, Some(&clerk), Some(with_reason)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // API: an event dated in 2025 on it.
    let events = "/api/v1/applications/YSQ-2025-LATE1/events";
    let reply = json!({"event": "replied", "on": "2025-12-31", "outcome": "granted"});
    let r = api(app, Method::POST, events, Some(&clerk), Some(reply.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "correction_required");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("2025年度报告已发布"));
    let mut reply_with = reply.clone();
    reply_with["correction_reason"] = json!("补录年底的答复");
    let r = api(app, Method::POST, events, Some(&clerk), Some(reply_with)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["phase"], "closed");
    // An event dated after the published year needs no reason.
    let mut later = late("YSQ-2025-LATE2");
    later["correction_reason"] = json!("补录漏登的第二件申请");
    assert_eq!(
        api(app, Method::POST, &create, Some(&clerk), Some(later)).await.status,
        StatusCode::CREATED
    );

    // Page: the case's action forms ask for the reason; without one the form comes back, 422,
    // filled in as it was sent, with the store's words at the field.
    let browser = app.login("clerk-a").await;
    let page = app.get("/applications/YSQ-2025-LATE2", &browser.cookies).await;
    assert!(page.body.contains("id=\"replied-correction_reason\""), "{}", page.body);
    assert!(page.body.contains("2025年度报告已发布"));
    let form = |reason: &str| {
        format!(
            "csrf={}&version=0&event=replied&on=2025-12-30&outcome=granted&correction_reason={}",
            browser.csrf,
            enc(reason)
        )
    };
    let r = app.post_form("/applications/YSQ-2025-LATE2/events", &browser.cookies, &form("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    if app.state.store.backend() == gongkai_store::Backend::Sqlite {
        let body = r.redacted().replace(&format!("/agencies/{a}"), "/agencies/[a]");
        insta::assert_snapshot!("case_action_without_correction_reason", body);
    }
    assert!(r.body.contains("id=\"replied-correction-error\""), "{}", r.body);
    assert!(r.body.contains("须说明更正理由"));
    assert!(r.body.contains("value=\"2025-12-30\""), "the sent date is kept");
    let r = app
        .post_form("/applications/YSQ-2025-LATE2/events", &browser.cookies, &form("答复登记遗漏"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The registration form asks too, and keeps what was typed when refused.
    let new = app.get(&format!("/agencies/{a}/applications/new"), &browser.cookies).await;
    assert!(new.body.contains("id=\"f-correction_reason\""), "{}", new.body);
    let register = |reason: &str| {
        format!(
            "csrf={}&case_id=YSQ-2025-LATE3&applicant_type={}&channel={}&arrived=2025-12-30&\
             request={}&applicant_name={}&correction_reason={}",
            browser.csrf,
            enc("自然人"),
            enc("当面提交"),
            enc("2025年度部门决算"),
            enc("李四"),
            enc(reason)
        )
    };
    let path = format!("/agencies/{a}/applications");
    let r = app.post_form(&path, &browser.cookies, &register("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"correction-error\"") && r.body.contains("须说明更正理由"));
    assert!(r.body.contains("value=\"YSQ-2025-LATE3\""), "the values are kept");
    let r = app.post_form(&path, &browser.cookies, &register("补录当面提交的申请")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // A case received after the published years offers no such input.
    let open = app.get("/applications/YSQ-2026-00001", &browser.cookies).await;
    assert!(!open.body.contains("correction_reason"));

    // Recorded as corrections, in order, with their reasons and cases.
    let corrections = app.state.store.corrections(app.a.id).await.unwrap();
    let reasons: Vec<&str> = corrections.iter().map(|c| c.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "补录漏登的申请",
            "补录年底的答复",
            "补录漏登的第二件申请",
            "答复登记遗漏",
            "补录当面提交的申请"
        ]
    );
    assert!(corrections.iter().all(|c| c.year == 2025 && c.case.is_some()));

    // The 2025 report page lists them; the approver publishes version 2 with a reason.
    let draft = app.get(&format!("/agencies/{a}/reports/draft?year=2025"), &approver.cookies).await;
    assert!(draft.body.contains("id=\"corrections\""), "{}", draft.body);
    assert_eq!(draft.body.matches("class=\"correction\"").count(), 5);
    assert!(draft.body.contains("补录年底的答复") && draft.body.contains("YSQ-2025-LATE1"));
    assert!(draft.body.contains("name=\"reason\""), "the approver is asked for a reason");
    let publish = format!("/agencies/{a}/reports/publish");
    let again = format!("csrf={}&year=2025&reason={}", approver.csrf, enc("更正：补录5项记录"));
    let r = app.post_form(&publish, &approver.cookies, &again).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some(format!("/agencies/{a}/reports/2025?version=2").as_str()));
    let log = app.get(&format!("/agencies/{a}/reports"), &approver.cookies).await;
    assert!(log.body.contains("更正：补录5项记录"));
    // Listed no more: they are in the published version.
    let draft = app.get(&format!("/agencies/{a}/reports/draft?year=2025"), &approver.cookies).await;
    assert!(!draft.body.contains("id=\"corrections\""));
}

pub async fn a_proactive_item_of_a_published_year_needs_a_reason(app: &App) {
    with_register(app).await;
    publish_2025(app).await;
    let b = app.login("clerk-a").await;
    let new = app.get(&format!("/agencies/{}/registers/proactive/new", app.a.id), &b.cookies).await;
    assert!(new.body.contains("id=\"f-correction_reason\""), "{}", new.body);
    let registers = app.get(&format!("/agencies/{}/registers", app.a.id), &b.cookies).await;
    assert!(registers.body.contains("id=\"f-correction_reason\""), "the import asks too");
    let item = |reason: &str| {
        let fields = [
            ("id", "ZD-2025-99"),
            ("title", "2025年补录的公开事项"),
            ("category", "第二十条第（四）项"),
            ("created", "2025-12-01"),
            ("reviewed", "2025-12-02"),
            ("reviewer", "王主任"),
            ("published", "2025-12-03"),
            ("channels", "政府门户网站"),
            ("correction_reason", reason),
        ];
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
        format!("csrf={}&{}", b.csrf, body.join("&"))
    };
    let path = format!("/agencies/{}/registers/proactive", app.a.id);
    let r = app.post_form(&path, &b.cookies, &item("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"correction-error\"") && r.body.contains("2025年度报告已发布"));
    assert!(r.body.contains("value=\"2025年补录的公开事项\""), "the values are kept");
    let en = app.post_form(&format!("{path}?lang=en"), &b.cookies, &item("")).await;
    assert!(en.body.contains("the 2025 report is published"), "{}", en.body);
    let r = app.post_form(&path, &b.cookies, &item("漏登的公开事项")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let corrections = app.state.store.corrections(app.a.id).await.unwrap();
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].sheet.as_deref(), Some("proactive"));
    assert_eq!(corrections[0].reason, "漏登的公开事项");
}

/// `POST`s a register file to the import form, with a correction reason.
async fn upload(app: &App, b: &crate::support::Browser, bytes: &[u8], reason: &str) -> Reply {
    let boundary = "gongkai-correction-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nappend\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"correction_reason\"\r\n\r\n{reason}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/agencies/{}/registers/import?csrf={}", app.a.id, b.csrf))
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(COOKIE, &b.cookies)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

pub async fn a_register_import_changing_a_published_year_needs_a_reason(app: &App) {
    with_register(app).await;
    publish_2025(app).await;
    let b = app.login("clerk-a").await;
    let plan = Plan {
        agency: app.a.name.clone(),
        from: date(2025, 6, 1),
        as_of: date(2025, 12, 31),
        cases: 0,
        proactive_items: 3,
        every_outcome: false,
        other_registers: false,
    };
    let mut reg = synth::register(5, &plan, app.state.env());
    for (i, item) in reg.proactive.iter_mut().enumerate() {
        item.id = format!("ZD-LATE-{i}");
    }
    let bytes = gongkai_register::xlsx::register(&reg).unwrap();
    let before = app.state.store.load_register(app.a.id).await.unwrap().proactive.len();
    let r = upload(app, &b, &bytes, "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"import-again\"") && r.body.contains("id=\"correction-error\""));
    assert!(r.body.contains("2025年度报告已发布"), "{}", r.body);
    let after = app.state.store.load_register(app.a.id).await.unwrap().proactive.len();
    assert_eq!(after, before, "nothing imported");
    let r = upload(app, &b, &bytes, "补录2025年漏登的公开事项").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"import-done\""));
    let after = app.state.store.load_register(app.a.id).await.unwrap().proactive.len();
    assert_eq!(after, before + 3);
    let corrections = app.state.store.corrections(app.a.id).await.unwrap();
    assert!(corrections.iter().any(|c| c.reason == "补录2025年漏登的公开事项"));
}
