//! 台账: the registers' pages, import (XLSX and CSV, all-or-nothing), export and the
//! proactive-item form, on both backends; snapshots of the overview and the import-errors page.

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use gongkai_cases::Register;
use gongkai_cases::synth::{self, Plan};
use gongkai_register::export;
use gongkai_register::template::Sheet;
use gongkai_store::{Action as Audited, RegisterSheet};
use jiff::civil::date;

use crate::support::{App, Browser, Reply};

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
    a_valid_xlsx_is_imported_and_listed,
    a_file_with_two_bad_rows_saves_nothing_and_lists_both,
    a_csv_sheet_is_imported,
    an_export_imports_back_to_the_same_register,
    exports_neutralise_formulas,
    the_form_refuses_publication_before_review,
    other_agencies_and_strangers_get_nothing,
);

/// A synthetic register of 2025 (applications and every other sheet).
fn register_2025(app: &App) -> Register {
    let plan = Plan {
        agency: "县教育局".into(),
        from: date(2025, 1, 1),
        as_of: date(2025, 12, 31),
        cases: 12,
        proactive_items: 8,
        every_outcome: false,
        other_registers: true,
    };
    synth::register(7, &plan, app.state.env())
}

/// `POST` a file to the import form.
async fn upload(app: &App, b: &Browser, file: &str, bytes: &[u8], mode: &str) -> Reply {
    let boundary = "gongkai-test-boundary-7f3a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n{mode}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/agencies/{}/registers/import?csrf={}", app.a.id, b.csrf))
        .header(COOKIE, &b.cookies)
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

/// `GET` a download as bytes.
async fn download(app: &App, b: &Browser, path: &str) -> Vec<u8> {
    let request = Request::builder()
        .uri(path)
        .header(COOKIE, &b.cookies)
        .body(Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.expect("ok");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let body = http_body_util::BodyExt::collect(response.into_body()).await.expect("body");
    body.to_bytes().to_vec()
}

async fn count(app: &App, sheet: RegisterSheet) -> usize {
    app.state.store.register_entries(app.a.id, sheet, None).await.expect("entries").len()
}

async fn cases(app: &App) -> usize {
    app.state.store.cases(app.a.id).await.expect("cases").len()
}

pub async fn a_valid_xlsx_is_imported_and_listed(app: &App) {
    let b = app.login("clerk-a").await;
    let reg = register_2025(app);
    let bytes = gongkai_register::xlsx::register(&reg).expect("xlsx");
    let r = upload(app, &b, "taizhang.xlsx", &bytes, "replace").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"import-done\""), "{}", r.body);
    assert_eq!(count(app, RegisterSheet::Proactive).await, reg.proactive.len());
    assert_eq!(count(app, RegisterSheet::Documents).await, reg.documents.len());
    assert_eq!(cases(app).await, 3 + reg.cases.len());

    let page = app.get(&format!("/agencies/{}/registers/proactive", app.a.id), &b.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
    for item in &reg.proactive {
        assert!(page.body.contains(&item.title), "{} not listed", item.title);
    }
    let created = reg.proactive[0].created;
    let shown = format!("{}年{}月{}日", created.year(), created.month(), created.day());
    assert!(page.body.contains(&shown), "dates as people read them");
    let fees =
        app.get(&format!("/agencies/{}/registers/fees_collected", app.a.id), &b.cookies).await;
    assert!(fees.body.contains("<td class=\"num\">"), "amounts right-aligned");

    let overview =
        app.get(&format!("/agencies/{}/registers?year=2025", app.a.id), &b.cookies).await;
    let link =
        format!("/agencies/{}/registers/proactive?year=2025\">{}<", app.a.id, reg.proactive.len());
    assert!(overview.body.contains(&link), "{}", overview.body);
    let audit = app.state.store.audit_log(Some(app.a.id), 50).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == Audited::RegisterImported), "{audit:?}");
    // Personal data stays out of the listing.
    let names =
        app.get(&format!("/agencies/{}/registers/applications", app.a.id), &b.cookies).await;
    for p in &reg.personal {
        assert!(!names.body.contains(&p.name), "personal data on the page");
    }
}

/// A register whose proactive sheet lacks a title in its first row and whose first document is
/// repealed before it was issued.
fn two_bad_rows(app: &App) -> Register {
    let mut reg = register_2025(app);
    reg.proactive[0].title = String::new();
    let issued = reg.documents[0].issued;
    reg.documents[0].repealed = Some(issued.yesterday().expect("a day"));
    reg
}

pub async fn a_file_with_two_bad_rows_saves_nothing_and_lists_both(app: &App) {
    let b = app.login("clerk-a").await;
    let bytes = gongkai_register::xlsx::register(&two_bad_rows(app)).expect("xlsx");
    let r = upload(app, &b, "bad.xlsx", &bytes, "replace").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body.matches("<tr class=\"problem\">").count(), 2, "{}", r.body);
    assert!(
        r.body.contains("<td>主动公开</td><td class=\"num\">2</td><td>标题</td>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<td>规章和规范性文件</td><td class=\"num\">2</td><td>废止日期</td>"));
    assert!(r.body.contains("2 处错误，未导入任何数据"));
    for sheet in RegisterSheet::ALL {
        assert_eq!(count(app, sheet).await, 0, "{sheet:?}");
    }
    assert_eq!(cases(app).await, 3, "no application saved either");
}

pub async fn a_csv_sheet_is_imported(app: &App) {
    let b = app.login("clerk-a").await;
    let reg = register_2025(app);
    let csv = gongkai_register::csv_io::write(&export::rows(&reg, Sheet::Documents)).expect("csv");
    let r = upload(app, &b, "documents.csv", &csv, "replace").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(count(app, RegisterSheet::Documents).await, reg.documents.len());
    assert_eq!(count(app, RegisterSheet::Proactive).await, 0, "only the file's sheet");
    let again = upload(app, &b, "documents.csv", &csv, "append").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(count(app, RegisterSheet::Documents).await, 2 * reg.documents.len());
    let replaced = upload(app, &b, "documents.csv", &csv, "replace").await;
    assert_eq!(replaced.status, StatusCode::OK);
    assert_eq!(count(app, RegisterSheet::Documents).await, reg.documents.len());
}

pub async fn an_export_imports_back_to_the_same_register(app: &App) {
    let b = app.login("clerk-a").await;
    let bytes = gongkai_register::xlsx::register(&register_2025(app)).expect("xlsx");
    assert_eq!(upload(app, &b, "r.xlsx", &bytes, "replace").await.status, StatusCode::OK);
    let before = app.state.store.load_register(app.a.id).await.expect("register");
    let exported =
        download(app, &b, &format!("/agencies/{}/registers/export.xlsx", app.a.id)).await;
    let r = upload(app, &b, "export.xlsx", &exported, "replace").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = app.state.store.load_register(app.a.id).await.expect("register");
    assert_eq!(after, before);
    // The CSV of each sheet, too.
    for sheet in
        ["proactive", "documents", "decisions", "fees_collected", "disputes", "applications"]
    {
        let path = format!("/agencies/{}/registers/export.csv?sheet={sheet}", app.a.id);
        let csv = download(app, &b, &path).await;
        let r = upload(app, &b, &format!("{sheet}.csv"), &csv, "replace").await;
        assert_eq!(r.status, StatusCode::OK, "{sheet}: {}", r.body);
    }
    let again = app.state.store.load_register(app.a.id).await.expect("register");
    assert_eq!(again, before);
    // No personal data in the export.
    let reg = register_2025(app);
    let text = String::from_utf8_lossy(
        &download(
            app,
            &b,
            &format!("/agencies/{}/registers/export.csv?sheet=applications", app.a.id),
        )
        .await,
    )
    .into_owned();
    for p in &reg.personal {
        assert!(!text.contains(&p.name) && !text.contains(&p.contact), "personal data exported");
    }
}

/// Adds a proactive item through the form.
async fn add_item(app: &App, b: &Browser, fields: &[(&str, &str)]) -> Reply {
    let mut form = format!("csrf={}", b.csrf);
    for (k, v) in fields {
        form.push_str(&format!("&{k}={}", encode(v)));
    }
    app.post_form(&format!("/agencies/{}/registers/proactive", app.a.id), &b.cookies, &form).await
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn exports_neutralise_formulas(app: &App) {
    let b = app.login("clerk-a").await;
    let title = "=HYPERLINK(\"http://evil.invalid\",\"点此\")";
    let r = add_item(
        app,
        &b,
        &[("id", "-1"), ("title", title), ("category", "第二十一条"), ("created", "2026-03-02")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let csv =
        download(app, &b, &format!("/agencies/{}/registers/export.csv?sheet=proactive", app.a.id))
            .await;
    let text = String::from_utf8_lossy(&csv).into_owned();
    assert!(text.contains("'-1,"), "{text}");
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    assert!(!text.contains(",=") && !text.contains("\"=") && !text.contains("\n-"), "{text}");
    // The export imports back to the same title.
    assert_eq!(upload(app, &b, "p.csv", &csv, "replace").await.status, StatusCode::OK);
    let reg = app.state.store.load_register(app.a.id).await.expect("register");
    assert_eq!((reg.proactive[0].id.as_str(), reg.proactive[0].title.as_str()), ("-1", title));
}

pub async fn the_form_refuses_publication_before_review(app: &App) {
    let b = app.login("clerk-a").await;
    let form =
        app.get(&format!("/agencies/{}/registers/proactive/new", app.a.id), &b.cookies).await;
    assert_eq!(form.status, StatusCode::OK);
    for name in
        ["id", "title", "category", "created", "reviewed", "reviewer", "published", "channels"]
    {
        assert!(form.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    let base = [
        ("id", "ZD-1"),
        ("title", "2026年部门预算"),
        ("category", "第二十条第（四）项"),
        ("created", "2026-03-02"),
    ];
    let mut unreviewed = base.to_vec();
    unreviewed.extend([("published", "2026-03-05"), ("channels", "政府门户网站")]);
    let r = add_item(app, &b, &unreviewed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("未经保密审查，不能发布（第十七条：先审后发）"), "{}", r.body);
    assert!(r.body.contains("aria-describedby=\"e-published\""), "{}", r.body);
    assert!(r.body.contains("value=\"2026年部门预算\""), "the values are kept");
    assert_eq!(count(app, RegisterSheet::Proactive).await, 0);
    // Published before the review: refused by the domain too.
    let mut early = unreviewed.clone();
    early.extend([("reviewed", "2026-03-06"), ("reviewer", "王主任")]);
    let r = add_item(app, &b, &early).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("早于保密审查日期"), "{}", r.body);

    let mut reviewed = unreviewed.clone();
    reviewed.extend([("reviewed", "2026-03-04"), ("reviewer", "王主任")]);
    let r = add_item(app, &b, &reviewed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let reg = app.state.store.load_register(app.a.id).await.expect("register");
    let item = &reg.proactive[0];
    assert_eq!(item.review.as_ref().map(|r| r.reviewer.as_str()), Some("王主任"));
    assert_eq!(item.first_published(), Some(date(2026, 3, 5)));
    let again = add_item(app, &b, &reviewed).await;
    assert!(again.body.contains("编号已存在"), "{}", again.body);
    assert_eq!(count(app, RegisterSheet::Proactive).await, 1);
}

pub async fn other_agencies_and_strangers_get_nothing(app: &App) {
    let bytes = gongkai_register::xlsx::register(&register_2025(app)).expect("xlsx");
    let other = app.login("clerk-b").await;
    // clerk-b posts to agency A: the answer of a missing agency, nothing saved.
    let r = upload(app, &other, "r.xlsx", &bytes, "replace").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(count(app, RegisterSheet::Proactive).await, 0);
    let r = add_item(
        app,
        &other,
        &[("id", "X"), ("title", "x"), ("category", "第二十一条"), ("created", "2026-03-02")],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for path in ["export.xlsx", "export.csv?sheet=proactive", "proactive"] {
        let r = app.get(&format!("/agencies/{}/registers/{path}", app.a.id), &other.cookies).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        let r = app.get(&format!("/agencies/{}/registers/{path}", app.a.id), "").await;
        assert_eq!(r.location(), Some("/login"), "{path}");
    }
    // No session: the import is refused before anything is read.
    let stranger = Browser { cookies: String::new(), csrf: "0".repeat(64) };
    let r = upload(app, &stranger, "r.xlsx", &bytes, "replace").await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::SEE_OTHER), "{}", r.status);
    assert_eq!(count(app, RegisterSheet::Proactive).await, 0);
}

mod snapshots {
    use insta::assert_snapshot;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn registers_overview() {
        let app = crate::support::sqlite().await;
        let b = app.login("clerk-a").await;
        let bytes = gongkai_register::xlsx::register(&register_2025(&app)).expect("xlsx");
        assert_eq!(upload(&app, &b, "r.xlsx", &bytes, "replace").await.status, StatusCode::OK);
        let page = app.get(&format!("/agencies/{}/registers", app.a.id), &b.cookies).await;
        assert_snapshot!(page.redacted());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn register_import_errors() {
        let app = crate::support::sqlite().await;
        let b = app.login("clerk-a").await;
        let bytes = gongkai_register::xlsx::register(&two_bad_rows(&app)).expect("xlsx");
        let page = upload(&app, &b, "bad.xlsx", &bytes, "replace").await;
        assert_snapshot!(page.redacted());
    }
}
