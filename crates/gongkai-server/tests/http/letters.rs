//! 文书 through the real router, on both backends: the letters a case allows in its phase, the
//! form prefilled from the case's dates, the edited letter downloaded as DOCX (read back) and PDF,
//! the refusals (a kind the phase refuses, a date before the event, another agency's case, no
//! CSRF token); a snapshot of the form.

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use gongkai_cases::{Case, CaseId};
use gongkai_letters::{Facts, LetterKind};
use gongkai_model::{Lang, Localized as _};
use http_body_util::BodyExt as _;
use serde_json::json;
use tower::ServiceExt as _;

use crate::applications::{api, token};
use crate::support::{App, Browser};

/// The case registered by [`with_correction`].
pub const CASE: &str = "YSQ-2026-00004";

/// Registers an application received on 2 March 2026 with the applicant's name, and records a
/// 补正 notice on 16 March (deadline 31 March) — through the applications API.
pub async fn with_correction(app: &App) -> Browser {
    let t = token(app, "clerk-a").await;
    let list = format!("/api/v1/agencies/{}/applications", app.a.id);
    let intake = json!({
        "applicant_type": "natural_person",
        "channel": {"kind": "online", "confirmed": "2026-03-02"},
        "request": "2025年度部门预算",
        "personal": {"name": "张三", "contact": "13800000000"}
    });
    let created = api(app, Method::POST, &list, Some(&t), Some(intake)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["id"], CASE);
    let notice = json!({"event": "correction_requested", "on": "2026-03-16", "deadline": "2026-03-31", "items": "所需信息的文号"});
    let url = format!("/api/v1/applications/{CASE}/events");
    let r = api(app, Method::POST, &url, Some(&t), Some(notice)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.login("clerk-a").await
}

/// `application/x-www-form-urlencoded` of the pairs.
fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// A POST whose answer is kept as bytes (documents).
async fn post_bytes(
    app: &App,
    path: &str,
    cookies: &str,
    body: String,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(COOKIE, cookies)
        .body(Body::from(body))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

/// A GET whose answer is kept as bytes.
async fn get_bytes(app: &App, path: &str, cookies: &str) -> (StatusCode, Vec<u8>) {
    let request = Request::builder().uri(path).header(COOKIE, cookies).body(Body::empty()).unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    (status, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The edited fields of the correction letter.
fn edited(csrf: &str, date: &str, format: &str) -> String {
    form(&[
        ("csrf", csrf),
        ("letter_lang", "zh"),
        ("doc_number", "教公开补〔2026〕7号"),
        ("recipient", "张三同志："),
        ("title", "补正政府信息公开申请告知书"),
        ("paragraph", "这是经办人修改后的第一段，请于2026年3月31日前补正。"),
        ("paragraph", ""),
        ("paragraph", "联系电话：0000-1234567。"),
        ("date", date),
        ("format", format),
    ])
}

pub async fn only_the_letters_the_phase_allows_are_offered(app: &App) {
    let browser = with_correction(app).await;
    let page = app.get(&format!("/applications/{CASE}/letters"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"letter-correction\""), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"/applications/{CASE}/letters/correction\"")));
    for refused in ["extension", "consultation", "fee_notice", "reply"] {
        assert!(!page.body.contains(&format!("id=\"letter-{refused}\"")), "{refused} offered");
    }
    // What is offered is what the library allows for the case today.
    let stored = app.state.store.case(app.a.id, &CaseId(CASE.into())).await.unwrap().unwrap();
    let today = app.state.clock.today();
    let case = Case::replay(stored.record, today, app.state.env()).unwrap();
    let facts = Facts {
        case: &case,
        personal: None,
        agency: &app.a.name,
        calendar: &app.state.calendar,
        date: today,
    };
    assert_eq!(gongkai_letters::available(&facts), [LetterKind::Correction]);

    // A case just registered has nothing to send yet.
    let fresh = app.get("/applications/YSQ-2026-00003/letters", &browser.cookies).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert!(fresh.body.contains("id=\"no-letters\""), "{}", fresh.body);

    // The agency's page lists the case with its letter, and not the cases without any.
    let agency = app.get(&format!("/agencies/{}/letters", app.a.id), &browser.cookies).await;
    assert_eq!(agency.status, StatusCode::OK);
    assert!(agency.body.contains(&format!("href=\"/applications/{CASE}/letters\"")));
    assert!(agency.body.contains(&format!("href=\"/applications/{CASE}/letters/correction\"")));
    assert!(!agency.body.contains("YSQ-2026-00003"), "{}", agency.body);

    // A kind the phase refuses: 422 with the library's reason; an unknown kind: 404.
    let reply = app.get(&format!("/applications/{CASE}/letters/reply"), &browser.cookies).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let why = gongkai_letters::build(LetterKind::Reply, &facts, Lang::Zh).unwrap_err();
    assert!(reply.body.contains(&why.message(Lang::Zh)), "{}", reply.body);
    let memo = app.get(&format!("/applications/{CASE}/letters/memo"), &browser.cookies).await;
    assert_eq!(memo.status, StatusCode::NOT_FOUND);
    let post = app
        .post_form(
            &format!("/applications/{CASE}/letters/reply"),
            &browser.cookies,
            &edited(&browser.csrf, "2026-03-16", "docx"),
        )
        .await;
    assert_eq!(post.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", post.body);
}

pub async fn the_form_is_prefilled_from_the_case(app: &App) {
    let browser = with_correction(app).await;
    let path = format!("/applications/{CASE}/letters/correction");
    let page = app.get(&path, &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for name in ["doc_number", "recipient", "title", "paragraph", "date", "letter_lang", "csrf"] {
        assert!(page.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    assert!(
        page.body.contains("id=\"download-docx\"") && page.body.contains("id=\"download-pdf\"")
    );
    assert!(page.body.contains("2026年3月2日"), "the day it was received");
    assert!(page.body.contains("2026年3月31日"), "the correction deadline");
    assert!(page.body.contains("value=\"张三：\""), "the applicant's name");
    assert!(page.body.contains("name=\"date\" type=\"date\" value=\"2026-03-16\""));
    assert!(page.body.contains("〔2026〕"), "the document number's year");

    // A case without the applicant's name: the placeholder is listed and marked.
    let t = token(app, "clerk-a").await;
    let notice = json!({"event": "correction_requested", "on": "2026-03-16", "deadline": "2026-03-31", "items": "x"});
    let r = api(
        app,
        Method::POST,
        "/api/v1/applications/YSQ-2026-00003/events",
        Some(&t),
        Some(notice),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = app.get("/applications/YSQ-2026-00003/letters/correction", &browser.cookies).await;
    assert!(page.body.contains("id=\"placeholders\""), "{}", page.body);
    assert!(page.body.contains("<mark>【请填写：申请人姓名或者名称】</mark>"), "{}", page.body);
    assert!(page.body.contains("class=\"has-placeholder\" aria-describedby=\"placeholders\""));
}

pub async fn the_edited_letter_downloads_as_docx_and_pdf(app: &App) {
    let browser = with_correction(app).await;
    let path = format!("/applications/{CASE}/letters/correction");
    let (status, headers, bytes) =
        post_bytes(app, &path, &browser.cookies, edited(&browser.csrf, "2026-03-17", "docx")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(
        headers[CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    let disposition = headers[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"letter-YSQ-2026-00004-correction.docx\"")
    );
    let doc = gongkai_read_docx::read("letter.docx", &bytes, &gongkai_doc::Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    for want in [
        "这是经办人修改后的第一段，请于2026年3月31日前补正。",
        "联系电话：0000-1234567。",
        "教公开补〔2026〕7号",
        "张三同志：",
        "2026年3月17日",
        "县教育局",
    ] {
        assert!(doc.text.contains(want), "{want:?} not in\n{}", doc.text);
    }
    assert!(!doc.text.contains("本机关于2026年3月2日收到"), "the built paragraphs were replaced");

    let (status, headers, bytes) =
        post_bytes(app, &path, &browser.cookies, edited(&browser.csrf, "2026-03-16", "pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "application/pdf");
    assert!(bytes.starts_with(b"%PDF"));

    // A date before the notice it documents: the library refuses it; the form comes back with
    // the reason and what was typed.
    let early =
        app.post_form(&path, &browser.cookies, &edited(&browser.csrf, "2026-03-10", "docx")).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    assert!(early.body.contains("文书日期早于所告知事项的日期"), "{}", early.body);
    assert!(early.body.contains("这是经办人修改后的第一段"), "the edits are kept");
    assert!(early.body.contains("value=\"2026-03-10\""));
}

pub async fn the_sent_version_is_kept_with_the_case(app: &App) {
    let browser = with_correction(app).await;
    let letters = format!("/applications/{CASE}/letters");
    let before = app.get(&letters, &browser.cookies).await;
    assert!(!before.body.contains("id=\"kept\""), "nothing kept yet");
    // Downloaded without `keep`: nothing stored.
    let path = format!("{letters}/correction");
    let (status, _, _) =
        post_bytes(app, &path, &browser.cookies, edited(&browser.csrf, "2026-03-16", "docx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(app.state.store.documents(app.a.id).await.unwrap().is_empty());
    let keep = format!("{}&keep=1", edited(&browser.csrf, "2026-03-16", "docx"));
    let (status, _, sent) = post_bytes(app, &path, &browser.cookies, keep).await;
    assert_eq!(status, StatusCode::OK);
    let page = app.get(&letters, &browser.cookies).await;
    let marker = format!("href=\"{letters}/kept/");
    let start = page.body.find(&marker).unwrap_or_else(|| panic!("{}", page.body)) + 6;
    let len = page.body[start..].find('"').unwrap();
    let href = page.body[start..start + len].to_owned();
    assert!(page.body.contains("文书-YSQ-2026-00004-correction-2026-03-16.docx"), "{}", page.body);
    let (status, kept) = get_bytes(app, &href, &browser.cookies).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kept, sent, "what is kept is what was sent");
    // Another agency: like a missing document.
    let b = app.login("clerk-b").await;
    let theirs = app.get(&href, &b.cookies).await;
    let missing = app.get("/applications/NOPE-1/letters/kept/1", &b.cookies).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!((theirs.status, &theirs.body), (missing.status, &missing.body));
    let other_case = href.replace(CASE, "YSQ-2026-00001");
    assert_eq!(app.get(&other_case, &browser.cookies).await.status, StatusCode::NOT_FOUND);
}

pub async fn refusals_another_agency_and_csrf(app: &App) {
    let browser = with_correction(app).await;
    let path = format!("/applications/{CASE}/letters/correction");
    // No CSRF token, or a wrong one: refused.
    let body = edited(&browser.csrf, "2026-03-16", "docx");
    let without = body.replacen(&format!("csrf={}&", browser.csrf), "", 1);
    assert!(!without.contains("csrf="));
    let r = app.post_form(&path, &browser.cookies, &without).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let forged = body.replacen(&browser.csrf, &"0".repeat(64), 1);
    assert_eq!(app.post_form(&path, &browser.cookies, &forged).await.status, StatusCode::FORBIDDEN);
    // Another agency's case answers exactly like a missing one, on every letters route.
    let b = app.login("clerk-b").await;
    for suffix in ["/letters", "/letters/correction"] {
        let theirs = app.get(&format!("/applications/{CASE}{suffix}"), &b.cookies).await;
        let missing = app.get(&format!("/applications/NOPE-1{suffix}"), &b.cookies).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{suffix}");
        assert_eq!((theirs.status, &theirs.body), (missing.status, &missing.body), "{suffix}");
    }
    let theirs = app.post_form(&path, &b.cookies, &edited(&b.csrf, "2026-03-16", "docx")).await;
    let missing = app
        .post_form(
            "/applications/NOPE-1/letters/correction",
            &b.cookies,
            &edited(&b.csrf, "2026-03-16", "docx"),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!((theirs.status, &theirs.body), (missing.status, &missing.body));
    // An unknown format is refused at its field.
    let r =
        app.post_form(&path, &browser.cookies, &edited(&browser.csrf, "2026-03-16", "exe")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
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

on_both_backends!(
    only_the_letters_the_phase_allows_are_offered,
    the_form_is_prefilled_from_the_case,
    the_edited_letter_downloads_as_docx_and_pdf,
    the_sent_version_is_kept_with_the_case,
    refusals_another_agency_and_csrf,
);

mod snapshots {
    use insta::assert_snapshot;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn letter_form() {
        let app = crate::support::sqlite().await;
        let browser = super::with_correction(&app).await;
        let path = format!("/applications/{}/letters/correction", super::CASE);
        let page = app.get(&path, &browser.cookies).await;
        let a = format!("/agencies/{}/", app.a.id);
        assert_snapshot!(page.redacted().replace(&a, "/agencies/[a]/"));
    }
}
