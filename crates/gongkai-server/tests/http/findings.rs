//! The findings queue of an office's collected reports: filters, confirming, dismissing with a
//! note (refused without one), decisions kept by fingerprint across uploads (a changed printed
//! value is a new, open finding), and who may review. Run on both backends by `main.rs`.

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request, StatusCode};
use gongkai_store::{Level, NewOrg, Org, OrgKind, RegionCode, Role};
use serde_json::{Value, json};

use crate::collect::{corpus, get_bearer, upload, user};
use crate::support::{App, Reply};

/// The office's reviewer, the agency the corpus's 大张楼镇 report matches, and a reviewer of
/// another county.
struct World {
    reviewer: String,
    other_reviewer: String,
    agency: Org,
}

async fn world(app: &App) -> World {
    let store = &app.state.store;
    let region = RegionCode::parse("110101").expect("region");
    let org = |parent, kind, name: &str| NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: region.clone(),
    };
    let ctx = gongkai_store::Ctx { user: None, at: crate::support::now(), origin: "test".into() };
    let agency = store
        .create_org(&ctx, &org(Some(app.office.id), OrgKind::Agency, "大张楼镇"))
        .await
        .expect("agency");
    let elsewhere = store
        .create_org(&ctx, &org(None, OrgKind::Office, "邻县政务公开办"))
        .await
        .expect("office");
    World {
        reviewer: user(app, "reviewer", app.office.id, Role::OfficeReviewer).await,
        other_reviewer: user(app, "other-reviewer", elsewhere.id, Role::OfficeReviewer).await,
        agency,
    }
}

/// The 大张楼镇 2022 report with `n` printed as the natural persons' new applications while the
/// row's total stays 0: a Table 3 balance error on cells whose printed values include `n`.
pub fn unbalanced(n: u32) -> Vec<u8> {
    let text = String::from_utf8(corpus("dazhanglou-2022.txt")).expect("UTF-8");
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let at = lines.iter().position(|l| l.contains("本年新收政府信息公开申请数量")).expect("row");
    lines[at + 1] = format!("\t\u{a0}{n}");
    lines.join("\n").into_bytes()
}

fn post_bearer(path: &str, token: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

async fn list(app: &App, token: &str, year: i32) -> Vec<Value> {
    let path = format!("/api/v1/offices/{}/findings?year={year}", app.office.id);
    let r = app.send(get_bearer(&path, token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().expect("a list").clone()
}

async fn review(app: &App, token: &str, fingerprint: &str, body: Value) -> Reply {
    app.send(post_bearer(&format!("/api/v1/findings/{fingerprint}/review"), token, &body)).await
}

fn error_of(findings: &[Value]) -> Value {
    findings
        .iter()
        .find(|f| {
            f["severity"] == "error" && f["rule"].as_str().is_some_and(|r| r.starts_with("T3"))
        })
        .unwrap_or_else(|| panic!("a Table 3 error in {findings:?}"))
        .clone()
}

/// The queue lists the findings with agency, year, document, rule and message in the page's
/// language; filters narrow it; a finding is confirmed, another dismissed with a note, and a
/// dismissal without a note is refused at the field.
pub async fn the_queue_filters_confirms_and_dismisses(app: &App) {
    let w = world(app).await;
    let results = upload(app, &w.reviewer, &[("dazhanglou.txt", &unbalanced(3))]).await;
    assert_eq!(results[0]["status"], "done", "{results:?}");
    assert_eq!(results[0]["agency_id"], w.agency.id.0);
    let doc = results[0]["document_id"].as_i64().expect("document");
    let findings = list(app, &w.reviewer, 2022).await;
    assert!(findings.iter().all(|f| f["review"].is_null() && f["document_id"] == doc));
    assert!(list(app, &w.reviewer, 2021).await.is_empty(), "the year filters");
    let error = error_of(&findings);
    let layout = findings.iter().find(|f| f["rule"] == "LAYOUT").expect("LAYOUT").clone();
    let office = app.office.id;

    let browser = app.login("reviewer").await;
    let page = app.get(&format!("/offices/{office}/findings"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("大张楼镇") && page.body.contains(&format!("/documents/{doc}")));
    assert!(
        page.body.contains("LAYOUT") && page.body.contains(error["rule"].as_str().expect("rule"))
    );
    assert!(page.body.contains("待审核") && page.body.contains("name=\"csrf\""));
    let en = app.get(&format!("/offices/{office}/findings?lang=en"), &browser.cookies).await;
    assert!(en.body.contains("Findings queue") && en.body.contains("Open"));
    let errors_only =
        app.get(&format!("/offices/{office}/findings?severity=error"), &browser.cookies).await;
    assert!(!errors_only.body.contains("<td>LAYOUT</td>"), "filtered by severity");
    assert!(
        errors_only.body.contains(&format!("<td>{}</td>", error["rule"].as_str().expect("rule")))
    );
    let by_rule =
        app.get(&format!("/offices/{office}/findings?rule=LAYOUT"), &browser.cookies).await;
    assert!(
        by_rule.body.contains("<td>LAYOUT</td>")
            && by_rule.body.contains("id=\"findings-count\">1<")
    );
    let other_agency =
        app.get(&format!("/offices/{office}/findings?agency={}", app.a.id), &browser.cookies).await;
    assert!(other_agency.body.contains("findings-none"), "filtered by agency");

    // Dismissing without a note is refused, at the field, in both languages.
    let fp = error["fingerprint"].as_str().expect("fingerprint");
    let r =
        review(app, &w.reviewer, fp, json!({"office": office.0, "decision": "dismissed"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "note", "{}", r.body);
    let action = format!("/offices/{office}/findings/{fp}/review?severity=error&state=open");
    let r = app
        .post_form(
            &action,
            &browser.cookies,
            &format!("csrf={}&decision=dismiss&note=+", browser.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(list(app, &w.reviewer, 2022).await.iter().all(|f| f["review"].is_null()));

    // Dismissed through the form, with a note: back to the queue with the filters kept.
    let form = format!(
        "csrf={}&decision=dismiss&note=%E6%89%AB%E6%8F%8F%E4%BB%B6%E8%AF%AF%E8%AF%BB",
        browser.csrf
    );
    let r = app.post_form(&action, &browser.cookies, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        Some(format!("/offices/{office}/findings?severity=error&state=open").as_str())
    );
    // Confirmed through the API, the office in the query.
    let lfp = layout["fingerprint"].as_str().expect("fingerprint");
    let path = format!("/api/v1/findings/{lfp}/review?office={office}");
    let r = app.send(post_bearer(&path, &w.reviewer, &json!({"decision": "confirmed"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["decision"], "confirmed");
    let r = review(app, &w.reviewer, lfp, json!({"office": office.0, "decision": "confirm"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the API's words: {}", r.body);

    let now = list(app, &w.reviewer, 2022).await;
    let got =
        |fp: &str| now.iter().find(|f| f["fingerprint"] == fp).expect("listed")["review"].clone();
    assert_eq!(got(fp)["decision"], "dismissed");
    assert_eq!(got(fp)["note"], "扫描件误读");
    assert_eq!(got(lfp)["decision"], "confirmed");
    // The printed value is untouched.
    let read = app.send(get_bearer(&format!("/api/v1/documents/{doc}"), &w.reviewer)).await;
    let cell = &read.json()["tables"]["t3"]["cells"]["t3.new_received.natural_person"];
    assert_eq!(cell.get("value").unwrap_or(cell), &json!("3"), "{cell}");

    let dismissed =
        app.get(&format!("/offices/{office}/findings?state=dismissed"), &browser.cookies).await;
    assert!(dismissed.body.contains("扫描件误读") && dismissed.body.contains("已排除"));
    assert!(!dismissed.body.contains("<td>LAYOUT</td>"));
    let open = app.get(&format!("/offices/{office}/findings?state=open"), &browser.cookies).await;
    assert!(!open.body.contains("扫描件误读") && !open.body.contains("<td>LAYOUT</td>"));
    // The office dashboard links the queue.
    let dash = app.get(&format!("/offices/{office}"), &browser.cookies).await;
    assert!(dash.body.contains(&format!("/offices/{office}/findings")), "{}", dash.body);

    // The confirmed finding is an item to correct on the agency's dashboard; the dismissed one
    // is not.
    let agency = w.agency.id;
    user(app, "clerk-dzl", agency, Role::Clerk).await;
    let clerk = app.login("clerk-dzl").await;
    let dash = app.get(&format!("/agencies/{agency}"), &clerk.cookies).await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    let section = dash.body.split("id=\"correct-h\"").nth(1).expect("the section to correct");
    let section = section.split("</section>").next().unwrap_or_default();
    assert!(section.contains("<code>LAYOUT</code>"), "{section}");
    assert!(!section.contains("扫描件误读"), "a dismissed finding is no item: {section}");
    let en = app.get(&format!("/agencies/{agency}?lang=en"), &clerk.cookies).await;
    assert!(en.body.contains("Problems confirmed by the office"), "{}", en.body);
}

/// A decision is kept by fingerprint: the same report uploaded again keeps its dismissed
/// finding dismissed; a changed printed value is a new, open finding.
pub async fn decisions_survive_reupload(app: &App) {
    let w = world(app).await;
    let office = app.office.id;
    upload(app, &w.reviewer, &[("first.txt", &unbalanced(3))]).await;
    let error = error_of(&list(app, &w.reviewer, 2022).await);
    let fp = error["fingerprint"].as_str().expect("fingerprint").to_owned();
    let note = json!({"office": office.0, "decision": "dismissed", "note": "OCR misread"});
    let r = review(app, &w.reviewer, &fp, note).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let again = upload(app, &w.reviewer, &[("again.txt", &unbalanced(3))]).await;
    let doc = again[0]["document_id"].clone();
    let changed = upload(app, &w.reviewer, &[("changed.txt", &unbalanced(4))]).await;
    let changed_doc = changed[0]["document_id"].clone();
    let all = list(app, &w.reviewer, 2022).await;
    let of = |d: &Value| all.iter().filter(|f| f["document_id"] == *d).cloned().collect::<Vec<_>>();
    let in_again = error_of(&of(&doc));
    assert_eq!(in_again["fingerprint"], fp.as_str(), "the same finding");
    assert_eq!(in_again["review"]["decision"], "dismissed");
    assert_eq!(in_again["review"]["note"], "OCR misread");
    let in_changed = error_of(&of(&changed_doc));
    assert_ne!(in_changed["fingerprint"], fp.as_str(), "a new finding");
    assert!(in_changed["review"].is_null(), "open: {in_changed}");
}

/// Only reviewers of the office or of an office above it see and decide its findings; agency
/// staff and another county's reviewer get 404, as does an unknown fingerprint.
pub async fn only_the_office_and_those_above_review(app: &App) {
    let w = world(app).await;
    let office = app.office.id;
    upload(app, &w.reviewer, &[("dazhanglou.txt", &unbalanced(3))]).await;
    let fp = error_of(&list(app, &w.reviewer, 2022).await)["fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_owned();

    let clerk = app.login("clerk-a").await;
    let r = app.get(&format!("/offices/{office}/findings"), &clerk.cookies).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let action = format!("/offices/{office}/findings/{fp}/review");
    let r = app
        .post_form(&action, &clerk.cookies, &format!("csrf={}&decision=confirm", clerk.csrf))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    let path = format!("/api/v1/offices/{office}/findings?year=2022");
    let r = app.send(get_bearer(&path, &w.other_reviewer)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let body = json!({"office": office.0, "decision": "confirmed"});
    let r = review(app, &w.other_reviewer, &fp, body.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = app.get(&path, "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

    let r = review(app, &w.reviewer, &"0".repeat(64), body.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = review(app, &w.reviewer, &fp, json!({"decision": "confirmed"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no office: {}", r.body);
    assert!(list(app, &w.reviewer, 2022).await.iter().all(|f| f["review"].is_null()));
}

/// The queue as a reviewer sees it after one finding was dismissed with a note and another
/// confirmed (for the snapshot).
pub async fn queue_page(app: &App) -> String {
    let w = world(app).await;
    let office = app.office.id;
    upload(app, &w.reviewer, &[("dazhanglou.txt", &unbalanced(3))]).await;
    let findings = list(app, &w.reviewer, 2022).await;
    let fp = |f: &Value| f["fingerprint"].as_str().expect("fingerprint").to_owned();
    let error = fp(&error_of(&findings));
    let layout = fp(findings.iter().find(|f| f["rule"] == "LAYOUT").expect("LAYOUT"));
    let body = json!({"office": office.0, "decision": "dismissed", "note": "扫描件误读"});
    assert_eq!(review(app, &w.reviewer, &error, body).await.status, StatusCode::OK);
    let body = json!({"office": office.0, "decision": "confirmed"});
    assert_eq!(review(app, &w.reviewer, &layout, body).await.status, StatusCode::OK);
    let browser = app.login("reviewer").await;
    let page = app.get(&format!("/offices/{office}/findings?year=2022"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.redacted()
}
