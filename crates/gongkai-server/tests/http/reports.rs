//! The annual report pages and the public reports API: draft → check → publish → download, the
//! drill-down, the refusals. Agency A gets a synthetic register (applications since 2024 and the
//! other registers) and an approver.

use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use gongkai_cases::synth::{self, Plan};
use gongkai_model::catalogue::TableLayout;
use gongkai_model::json::ReportJson;
use gongkai_model::{CellKey, Layout, Report, TableId};
use gongkai_store::{
    Ctx, Import, ImportMode, NewUser, Publication, RegisterImport, RegisterSheet, Role,
};
use jiff::civil::date;

use crate::support::{App, Browser, PASSWORD, now};

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// Agency A's synthetic register in the store and an approver `approver-a`; returns the
/// approver's browser.
pub async fn with_register(app: &App) -> Browser {
    let env = app.state.env();
    let plan = Plan {
        agency: app.a.name.clone(),
        from: date(2024, 1, 1),
        as_of: date(2026, 3, 1),
        cases: 60,
        proactive_items: 20,
        every_outcome: true,
        other_registers: true,
    };
    let reg = synth::register(11, &plan, env);
    let imports: Vec<Import> =
        reg.cases.iter().map(|r| Import { record: r.clone(), personal: None }).collect();
    let store = &app.state.store;
    store.import_cases(&ctx(), app.a.id, &imports).await.expect("cases");
    let sheets = vec![
        RegisterSheet::Proactive,
        RegisterSheet::Documents,
        RegisterSheet::Decisions,
        RegisterSheet::FeesCollected,
        RegisterSheet::Disputes,
    ];
    let import = RegisterImport::new(ImportMode::Replace, sheets, reg, Vec::new());
    store.import_register(&ctx(), app.a.id, &import).await.expect("registers");
    let new = NewUser {
        username: "approver-a".into(),
        display_name: "审核人".into(),
        password: PASSWORD.into(),
    };
    let user = store.create_user(&ctx(), &new).await.expect("approver");
    store.grant(&ctx(), user.id, app.a.id, Role::Approver).await.expect("grant");
    app.login("approver-a").await
}

fn form(browser: &Browser, year: i16, extra: &str) -> String {
    format!("csrf={}&year={year}{extra}", browser.csrf)
}

/// Every cell of the three 2021 tables.
fn keys() -> Vec<CellKey> {
    [TableId::T2, TableId::T3, TableId::T4]
        .into_iter()
        .flat_map(|t| TableLayout::get(t, Layout::Format2021).keys())
        .collect()
}

fn report(json: &str) -> Report {
    ReportJson::parse(json).and_then(ReportJson::into_report).expect("a gongkai report")
}

pub async fn draft_check_publish_download_and_read_back(app: &App) {
    let approver = with_register(app).await;
    let a = app.a.id.0;
    let index = app.get(&format!("/agencies/{a}/reports"), &approver.cookies).await;
    assert_eq!(index.status, StatusCode::OK, "{}", index.body);

    let draft = app.get(&format!("/agencies/{a}/reports/draft?year=2024"), &approver.cookies).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    for marker in [
        "id=\"cell-t3.granted.total\"",
        "id=\"check-draft\"",
        "id=\"publish-report\"",
        "name=\"problems\"",
    ] {
        assert!(draft.body.contains(marker), "{marker}");
    }

    // 检查 with the agency's own section 五: the page shows it back, checked.
    let check = app
        .post_form(
            &format!("/agencies/{a}/reports/check"),
            &approver.cookies,
            &form(&approver, 2024, "&problems=%E9%97%AE%E9%A2%98%E5%92%8C%E6%94%B9%E8%BF%9B"),
        )
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.body.contains("问题和改进"));
    assert!(!check.body.contains("publish-blocked"), "a register's tables have no errors");

    // The preview is the renderer's HTML.
    let preview = app
        .post_form(
            &format!("/agencies/{a}/reports/preview"),
            &approver.cookies,
            &form(&approver, 2024, ""),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("政府信息公开工作年度报告"));

    // A clerk may not publish; the approver may.
    let clerk = app.login("clerk-a").await;
    let refused = app
        .post_form(
            &format!("/agencies/{a}/reports/publish"),
            &clerk.cookies,
            &form(&clerk, 2024, ""),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let clerk_draft =
        app.get(&format!("/agencies/{a}/reports/draft?year=2024"), &clerk.cookies).await;
    assert!(!clerk_draft.body.contains("id=\"publish-report\""), "not offered to a clerk");

    let published = app
        .post_form(
            &format!("/agencies/{a}/reports/publish"),
            &approver.cookies,
            &form(&approver, 2024, "&problems=%E9%97%AE%E9%A2%98%E5%92%8C%E6%94%B9%E8%BF%9B"),
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    assert_eq!(
        published.location(),
        Some(format!("/agencies/{a}/reports/2024?version=1").as_str())
    );
    // The publication computed the portal's lists and statistics of the new generation before it
    // answered (`Portal::refresh`): no reader pays for it, and the publisher's next page shows it.
    assert!(
        gongkai_server::portal::Portal::is_warm(&app.state).await.expect("is_warm"),
        "the portal's data is computed by the publication"
    );

    // Public, without login.
    let page = app.get(&format!("/agencies/{a}/reports/2024"), "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-action=\"download-docx\"") && page.body.contains("问题和改进")
    );
    let list = app.get(&format!("/api/v1/agencies/{a}/reports"), "").await;
    assert_eq!(list.json()[0]["year"], 2024);
    assert_eq!(list.json()[0]["version"], 1);
    assert!(list.json()[0]["published_at"].is_string());
    let json = app.get(&format!("/api/v1/agencies/{a}/reports/2024"), "").await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.headers[CONTENT_TYPE], "application/json");
    let published_report = report(&json.body);
    assert_eq!(
        app.get(&format!("/api/v1/agencies/{a}/reports/2023"), "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/agencies/{a}/reports/2023"), "").await.status,
        StatusCode::NOT_FOUND
    );

    // Downloads: type and file name; the DOCX reads back to the published cells.
    for (format, mime) in [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("html", "text/html; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
    ] {
        let r = app
            .send(get_bytes(&format!("/api/v1/agencies/{a}/reports/2024/download?format={format}")))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{format}");
        assert_eq!(r.headers[CONTENT_TYPE], mime);
        let disposition = r.headers[CONTENT_DISPOSITION].to_str().unwrap().to_owned();
        assert!(
            disposition.starts_with(&format!(
                "attachment; filename=\"report-{a}-2024-v1.{format}\"; filename*=UTF-8''"
            )),
            "{disposition}"
        );
    }
    let docx =
        download(app, &format!("/api/v1/agencies/{a}/reports/2024/download?format=docx")).await;
    let doc =
        gongkai_extract::read("report.docx", &docx, &gongkai_doc_limits()).expect("DOCX reads");
    let read_back = gongkai_parse::parse(&doc).report;
    for key in keys() {
        assert_eq!(read_back.value(key), published_report.value(key), "{key}");
    }
    let bad = app.get(&format!("/api/v1/agencies/{a}/reports/2024/download?format=exe"), "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A correction needs a reason, and is a new version; the log lists both.
    let again = app
        .post_form(
            &format!("/agencies/{a}/reports/publish"),
            &approver.cookies,
            &form(&approver, 2024, ""),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    let corrected = app
        .post_form(
            &format!("/agencies/{a}/reports/publish"),
            &approver.cookies,
            &form(
                &approver,
                2024,
                "&reason=%E6%9B%B4%E6%AD%A3%E7%AC%AC%E4%BA%94%E9%83%A8%E5%88%86",
            ),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER, "{}", corrected.body);
    let log = app.get(&format!("/agencies/{a}/reports/2024"), "").await;
    assert!(log.body.contains("更正第五部分") && log.body.contains("首次发布"));
    let v1 = app.get(&format!("/agencies/{a}/reports/2024?version=1"), "").await;
    assert!(v1.body.contains("问题和改进"), "version 1 stays as published");
    assert_eq!(
        app.get(&format!("/api/v1/agencies/{a}/reports"), "").await.json().as_array().map(Vec::len),
        Some(2)
    );
}

fn gongkai_doc_limits() -> gongkai_doc::Limits {
    gongkai_doc::Limits::default()
}

fn get_bytes(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::builder().uri(path).body(axum::body::Body::empty()).unwrap()
}

async fn download(app: &App, path: &str) -> Vec<u8> {
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let response = app.router.clone().oneshot(get_bytes(path)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.into_body().collect().await.unwrap().to_bytes().to_vec()
}

pub async fn publishing_with_errors_is_refused_with_the_list(app: &App) {
    let approver = with_register(app).await;
    let a = app.a.id.0;
    // 2024 as published by someone else, with a 结转下年度 the register does not agree with.
    let text = gongkai_register::draft::report(
        &app.state.store.load_register(app.a.id).await.unwrap(),
        2024,
        None,
        &[],
        app.state.clock.today(),
        app.state.env(),
    )
    .unwrap();
    let mut wrong = text.report.clone();
    let key: CellKey = "t3.carried_forward.natural_person".parse().unwrap();
    let printed = wrong.number(key).unwrap();
    let t3 = wrong.table_mut(TableId::T3).as_mut().expect("table 3");
    assert!(t3.set(key, gongkai_model::Value::Number(printed + rust_decimal::Decimal::from(5))));
    let json = gongkai_render::doc::json(&wrong);
    let publication = Publication { year: 2024, report: &json, reason: None };
    app.state.store.publish_report(&ctx(), app.a.id, &publication).await.unwrap();

    let page = app.get(&format!("/agencies/{a}/reports/draft?year=2025"), &approver.cookies).await;
    assert!(
        page.body.contains("X-CARRY") && page.body.contains("publish-blocked"),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"num finding-error\""), "the finding is shown at its cell");
    let refused = app
        .post_form(
            &format!("/agencies/{a}/reports/publish"),
            &approver.cookies,
            &form(&approver, 2025, ""),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"publish-refused\"") && refused.body.contains("X-CARRY"));
    assert_eq!(
        app.get(&format!("/api/v1/agencies/{a}/reports/2025"), "").await.status,
        StatusCode::NOT_FOUND
    );
}

pub async fn the_drill_down_lists_what_a_cell_counts(app: &App) {
    let approver = with_register(app).await;
    let a = app.a.id.0;
    let draft = app.get(&format!("/agencies/{a}/reports/draft?year=2024"), &approver.cookies).await;
    for key in ["t3.granted.total", "t3.new_received.natural_person", "t4.review.total"] {
        let page = app
            .get(&format!("/agencies/{a}/reports/cells?year=2024&key={key}"), &approver.cookies)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        // The cell's value on the draft, and as many records listed on the drill-down.
        let marker = format!("data-cell=\"{key}\">");
        let at = draft.body.find(&marker).expect("the cell") + marker.len();
        let value: usize = draft.body[at..].split('<').next().unwrap().parse().unwrap();
        // Body rows only: the header and footer rows are the two others.
        let rows = page.body.matches("<tr>").count().saturating_sub(2);
        assert_eq!(rows, value, "{key}");
        if key.starts_with("t3.") && value > 0 {
            assert!(page.body.contains("href=\"/applications/"), "cases link to their pages");
        }
    }
    let bad = app
        .get(&format!("/agencies/{a}/reports/cells?year=2024&key=t9.x.y"), &approver.cookies)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

pub async fn another_agencys_report_is_nonexistent(app: &App) {
    let approver = with_register(app).await;
    let b = app.b.id.0;
    for path in [
        format!("/agencies/{b}/reports/draft?year=2024"),
        "/agencies/999999/reports/draft?year=2024".into(),
    ] {
        assert_eq!(app.get(&path, &approver.cookies).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let other = app
        .post_form(
            &format!("/agencies/{b}/reports/publish"),
            &approver.cookies,
            &form(&approver, 2024, ""),
        )
        .await;
    let missing = app
        .post_form(
            "/agencies/999999/reports/publish",
            &approver.cookies,
            &form(&approver, 2024, ""),
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.body, missing.body);
    assert_eq!(
        app.get(&format!("/api/v1/agencies/{b}/reports/2024"), "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/api/v1/agencies/999999/reports", "").await.status, StatusCode::NOT_FOUND);
}

/// A form value, percent-encoded.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The prose fields of the draft form.
fn prose(overview: &str, problems: &str, other: &str) -> String {
    format!("&overview={}&problems={}&other={}", enc(overview), enc(problems), enc(other))
}

/// The value of the hidden `draft_version` input of a draft page.
fn draft_version(page: &str) -> u32 {
    let marker = "name=\"draft_version\" value=\"";
    let at = page.find(marker).expect("a draft_version field") + marker.len();
    page[at..].split('"').next().unwrap().parse().unwrap()
}

pub async fn a_saved_draft_survives_a_reload_and_is_what_publish_publishes(app: &App) {
    let approver = with_register(app).await;
    let a = app.a.id.0;
    let draft_path = format!("/agencies/{a}/reports/draft?year=2024");
    let first = app.get(&draft_path, &approver.cookies).await;
    assert!(
        first.body.contains("id=\"draft-unsaved\"") && first.body.contains("id=\"save-draft\"")
    );
    assert_eq!(draft_version(&first.body), 0);

    let text = prose("总体情况：本机关依法公开。", "存在问题：答复期限把握不严。", "无其他事项。");
    let saved = app
        .post_form(
            &format!("/agencies/{a}/reports/save"),
            &approver.cookies,
            &form(&approver, 2024, &format!("&draft_version=0{text}")),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), Some(draft_path.as_str()));

    // Reopened (by anyone of the agency): the saved prose, its version, who saved it.
    let clerk = app.login("clerk-a").await;
    let again = app.get(&draft_path, &clerk.cookies).await;
    assert!(again.body.contains(">存在问题：答复期限把握不严。</textarea>"), "{}", again.body);
    assert!(again.body.contains("id=\"draft-saved\"") && again.body.contains("审核人"));
    assert_eq!(draft_version(&again.body), 1);
    let stored = app.state.store.draft(app.a.id, 2024).await.unwrap().expect("a saved draft");
    assert_eq!(stored.version, 1);
    assert_eq!(stored.prose["problems"], "存在问题：答复期限把握不严。");
    assert!(report(&stored.report).value("t3.new_received.total".parse().unwrap()).is_some());

    // The office's reviewer reads it, and is offered no save (nor check).
    let new = NewUser {
        username: "office-reviewer".into(),
        display_name: "办公室审核".into(),
        password: PASSWORD.into(),
    };
    let store = &app.state.store;
    let reviewer = store.create_user(&ctx(), &new).await.unwrap();
    store.grant(&ctx(), reviewer.id, app.office.id, Role::OfficeReviewer).await.unwrap();
    let office = app.login("office-reviewer").await;
    let read = app.get(&draft_path, &office.cookies).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body.contains("存在问题：答复期限把握不严。"));
    assert!(!read.body.contains("id=\"save-draft\"") && !read.body.contains("id=\"check-draft\""));

    // Publish without the prose in the form: the saved prose is what is published.
    let published = app
        .post_form(
            &format!("/agencies/{a}/reports/publish"),
            &approver.cookies,
            &form(&approver, 2024, "&draft_version=1"),
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let json = app.get(&format!("/api/v1/agencies/{a}/reports/2024"), "").await;
    assert!(json.body.contains("存在问题：答复期限把握不严。"), "{}", json.body);
    assert!(json.body.contains("总体情况：本机关依法公开。"));
}

pub async fn a_stale_save_is_a_conflict_showing_the_current_text(app: &App) {
    let approver = with_register(app).await;
    let clerk = app.login("clerk-a").await;
    let a = app.a.id.0;
    let save = format!("/agencies/{a}/reports/save");
    // Two tabs open the unsaved draft (version 0); the clerk saves first.
    let mine = prose("概况甲", "问题甲", "其他甲");
    let first = app
        .post_form(&save, &clerk.cookies, &form(&clerk, 2024, &format!("&draft_version=0{mine}")))
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    // The approver's save names version 0 too: refused, nothing overwritten, nothing lost.
    let theirs = prose("概况乙", "问题乙", "其他乙");
    let stale = app
        .post_form(
            &save,
            &approver.cookies,
            &form(&approver, 2024, &format!("&draft_version=0{theirs}")),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("id=\"draft-conflict\""));
    assert!(stale.body.contains("<pre>问题甲</pre>"), "the text saved meanwhile is shown");
    assert!(stale.body.contains(">问题乙</textarea>"), "the refused edit stays in the form");
    assert_eq!(draft_version(&stale.body), 1, "saving again names the current version");
    let stored = app.state.store.draft(app.a.id, 2024).await.unwrap().unwrap();
    assert_eq!((stored.version, stored.prose["problems"].as_str()), (1, "问题甲"));
    // Saving again after seeing it makes the approver's text version 2.
    let again = app
        .post_form(
            &save,
            &approver.cookies,
            &form(&approver, 2024, &format!("&draft_version=1{theirs}")),
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let page = app.get(&format!("/agencies/{a}/reports/draft?year=2024"), &clerk.cookies).await;
    assert!(page.body.contains(">问题乙</textarea>") && draft_version(&page.body) == 2);
    // In English too.
    let en = app
        .post_form(
            &format!("{save}?lang=en"),
            &clerk.cookies,
            &form(&clerk, 2024, &format!("&draft_version=1{mine}")),
        )
        .await;
    assert_eq!(en.status, StatusCode::CONFLICT);
    assert!(en.body.contains("someone else saved a newer version"), "{}", en.body);

    // Publishing edited prose saves it first, onto the version its author saw: from a stale
    // page, refused like a save and nothing published; from the current one, saved and published.
    let publish = format!("/agencies/{a}/reports/publish");
    let edited = prose("概况丙", "问题丙", "其他丙");
    let stale = app
        .post_form(
            &publish,
            &approver.cookies,
            &form(&approver, 2024, &format!("&draft_version=1{edited}")),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("<pre>问题乙</pre>") && stale.body.contains(">问题丙</textarea>"));
    assert_eq!(
        app.get(&format!("/api/v1/agencies/{a}/reports/2024"), "").await.status,
        StatusCode::NOT_FOUND
    );
    let published = app
        .post_form(
            &publish,
            &approver.cookies,
            &form(&approver, 2024, &format!("&draft_version=2{edited}")),
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let stored = app.state.store.draft(app.a.id, 2024).await.unwrap().unwrap();
    assert_eq!((stored.version, stored.prose["problems"].as_str()), (3, "问题丙"));
    let json = app.get(&format!("/api/v1/agencies/{a}/reports/2024"), "").await;
    assert!(json.body.contains("问题丙"));
}

/// A clerk saves the 2024 draft; the approver's save from a page opened before is refused:
/// the page the approver sees.
pub async fn stale_save(app: &App, approver: &Browser) -> crate::support::Reply {
    let clerk = app.login("clerk-a").await;
    let save = format!("/agencies/{}/reports/save", app.a.id);
    let mine = prose("概况甲", "问题甲", "其他甲");
    let first = app
        .post_form(&save, &clerk.cookies, &form(&clerk, 2024, &format!("&draft_version=0{mine}")))
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let theirs = prose("概况乙", "问题乙", "其他乙");
    let stale = app
        .post_form(
            &save,
            &approver.cookies,
            &form(approver, 2024, &format!("&draft_version=0{theirs}")),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    stale
}
