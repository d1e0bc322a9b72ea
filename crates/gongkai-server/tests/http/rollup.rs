//! The office's roll-up (年报汇总): the API's sums equal the parts over the whole subtree (the
//! latest published version of each agency), a missing report makes every cell `?` with its
//! cause on the page and in the API, the drill-down lists each agency's value, and only the
//! office's own reviewers see any of it.

use axum::http::StatusCode;
use axum::http::header::CONTENT_SECURITY_POLICY;
use gongkai_model::json::{Location, ReportJson};
use gongkai_model::{CellKey, Decimal, Report, Value};
use gongkai_store::{Ctx, Level, NewOrg, NewUser, Org, OrgKind, Publication, RegionCode, Role};

use crate::support::{App, Browser, PASSWORD, Reply, now};

/// A published report (the renderer's 2023 sample; every cell a number).
const REPORT: &str = include_str!("../../../gongkai-render/tests/data/sample-2023.json");

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

fn sample() -> Report {
    ReportJson::parse(REPORT).and_then(ReportJson::into_report).expect("the sample")
}

/// `report` with every number multiplied by `k` (the tables' identities are linear: still
/// consistent).
fn times(report: &Report, k: i64) -> Report {
    let mut r = report.clone();
    for t in [&mut r.t2, &mut r.t3, &mut r.t4].into_iter().flatten() {
        let keys: Vec<CellKey> = t.cells().iter().map(|c| c.key).collect();
        for key in keys {
            if let Some(d) = t.number(key) {
                t.set(key, Value::Number(d * Decimal::from(k)));
            }
        }
    }
    r
}

fn json(report: &Report) -> String {
    serde_json::to_string(&ReportJson::from_report(report, &|_| Location::default())).unwrap()
}

async fn publish(app: &App, agency: &Org, report: &Report, reason: Option<&str>) {
    let text = json(report);
    let p = Publication { year: 2023, report: &text, reason };
    app.state.store.publish_report(&ctx(), agency.id, &p).await.expect("published");
}

async fn org(app: &App, parent: Option<&Org>, kind: OrgKind, name: &str) -> Org {
    let new = NewOrg {
        parent: parent.map(|p| p.id),
        kind,
        name: name.into(),
        level: Level::County,
        region: RegionCode::parse("110101").unwrap(),
    };
    app.state.store.create_org(&ctx(), &new).await.expect("org")
}

/// Signs in a new office reviewer of `office`.
async fn reviewer(app: &App, username: &str, office: &Org) -> Browser {
    let store = &app.state.store;
    let new = NewUser {
        username: username.into(),
        display_name: username.into(),
        password: PASSWORD.into(),
    };
    let user = store.create_user(&ctx(), &new).await.unwrap();
    store.grant(&ctx(), user.id, office.id, Role::OfficeReviewer).await.unwrap();
    app.login(username).await
}

fn summed(reply: &Reply) -> Report {
    let body = reply.json();
    let text = serde_json::to_string(&body["report"]).unwrap();
    ReportJson::parse(&text).and_then(ReportJson::into_report).expect("gongkai-report JSON")
}

pub async fn the_api_sums_every_agency_of_the_subtree(app: &App) {
    // An agency under a sub-office belongs to the office's subtree.
    let sub = org(app, Some(&app.office), OrgKind::Office, "县直机关工委").await;
    let c = org(app, Some(&sub), OrgKind::Agency, "县档案馆").await;
    let base = sample();
    publish(app, &app.a, &base, None).await;
    publish(app, &app.b, &times(&base, 2), None).await;
    publish(app, &c, &times(&base, 3), None).await;
    let office = reviewer(app, "office-reviewer", &app.office).await;
    let path = format!("/api/v1/offices/{}/rollup?year=2023", app.office.id);
    let reply = app.get(&path, &office.cookies).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["format"], "gongkai-rollup");
    assert_eq!(body["year"], 2023);
    // The office's own agencies by name (县卫健委 before 县教育局), then the sub-office's.
    let ids: Vec<i64> = body["included"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agency_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [app.b.id.0, app.a.id.0, c.id.0]);
    assert_eq!(body["missing"], serde_json::json!([]));
    assert_eq!(body["causes"], serde_json::json!([]));
    let sum = summed(&reply);
    assert_eq!(sum.cells().count(), 200);
    for cell in base.cells() {
        let expected = cell.value.number().map(|d| Value::Number(d * Decimal::from(6)));
        assert_eq!(sum.value(cell.key), expected.as_ref(), "{}", cell.key);
    }
    // The sums pass every table rule (the parts do).
    let errors: Vec<String> = gongkai_rules::check(&sum)
        .into_iter()
        .filter(|f| f.severity == gongkai_model::Severity::Error)
        .map(|f| f.rule.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    // A correction of an agency's report: its latest version is what is summed.
    publish(app, &app.a, &times(&base, 10), Some("更正统计错误")).await;
    let sum = summed(&app.get(&path, &office.cookies).await);
    let key: CellKey = "t3.new_received.total".parse().unwrap();
    assert_eq!(sum.number(key), base.number(key).map(|d| d * Decimal::from(15)));
}

pub async fn a_missing_report_is_a_cause_on_the_page_and_in_the_api(app: &App) {
    let base = sample();
    publish(app, &app.a, &base, None).await;
    let office = reviewer(app, "office-reviewer", &app.office).await;
    let o = app.office.id.0;
    let (a, b) = (app.a.id.0, app.b.id.0);

    let reply = app.get(&format!("/api/v1/offices/{o}/rollup?year=2023"), &office.cookies).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["missing"], serde_json::json!([{"agency_id": b, "agency": "县卫健委"}]));
    let causes = body["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 1, "{causes:?}");
    assert_eq!(
        (causes[0]["agency_id"].as_i64(), causes[0]["reason"].as_str()),
        (Some(b), Some("no_report"))
    );
    assert_eq!(causes[0]["cells"].as_array().unwrap().len(), 200);
    assert!(summed(&reply).cells().all(|c| c.value == Value::Unknown));

    let page = app.get(&format!("/offices/{o}/rollup?year=2023"), &office.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csp = page.headers.get(CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    assert!(csp.contains("'sha256-"), "the inline sheet is allowed by its hash: {csp}");
    for marker in [
        "<h1 id=\"rollup-heading\">县政务公开办2023年度报告汇总</h1>",
        "<dd id=\"rollup-included\">1</dd>",
        "<dd id=\"rollup-missing\">1</dd>",
        "<dd id=\"rollup-unknown\">200</dd>",
        &format!("<li><a href=\"/agencies/{b}\">县卫健委</a></li>"),
        "没有已发布的本年度报告",
        "全部单元格",
        "<table class=\"gk-table\" id=\"gk-t3\"",
        &format!(
            "data-key=\"t3.granted.total\" class=\"gk-unknown\" title=\"县卫健委: 没有已发布的本年度报告\"><a href=\"/offices/{o}/rollup/t3.granted.total?year=2023\">?</a></td>"
        ),
    ] {
        assert!(page.body.contains(marker), "{marker}\n{}", page.body);
    }
    let en = app.get(&format!("/offices/{o}/rollup?year=2023&lang=en"), &office.cookies).await;
    assert!(en.body.contains("县政务公开办: Roll-up of the annual reports 2023"), "{}", en.body);
    assert!(en.body.contains("no published report for the year"));

    // The drill-down: each agency's value, linked to its published report.
    let granted = base.number("t3.granted.total".parse().unwrap()).unwrap();
    let cell =
        app.get(&format!("/offices/{o}/rollup/t3.granted.total?year=2023"), &office.cookies).await;
    assert_eq!(cell.status, StatusCode::OK, "{}", cell.body);
    for marker in [
        "表3 （一）予以公开 · 总计",
        "<strong class=\"num\" id=\"rollup-sum\">?</strong>",
        &format!("<a href=\"/agencies/{a}/reports/2023\">{granted}</a>"),
        "县卫健委",
        "没有报告",
    ] {
        assert!(cell.body.contains(marker), "{marker}\n{}", cell.body);
    }
    for bad in ["t3.nothing.total", "t3.other_merged.total", "x"] {
        let r = app.get(&format!("/offices/{o}/rollup/{bad}?year=2023"), &office.cookies).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }

    // Once the other agency publishes, every cell is a sum again.
    publish(app, &app.b, &base, None).await;
    let reply = app.get(&format!("/api/v1/offices/{o}/rollup?year=2023"), &office.cookies).await;
    assert_eq!(reply.json()["causes"], serde_json::json!([]));
    let cell =
        app.get(&format!("/offices/{o}/rollup/t3.granted.total?year=2023"), &office.cookies).await;
    let sum = granted * Decimal::from(2);
    assert!(cell.body.contains(&format!("id=\"rollup-sum\">{sum}</strong>")), "{}", cell.body);
}

pub async fn only_the_office_sees_its_rollup(app: &App) {
    publish(app, &app.a, &sample(), None).await;
    let other = org(app, None, OrgKind::Office, "市政务公开办").await;
    let stranger = reviewer(app, "other-reviewer", &other).await;
    let own = reviewer(app, "office-reviewer", &app.office).await;
    let clerk = app.login("clerk-a").await;
    let o = app.office.id.0;
    for path in [
        format!("/offices/{o}/rollup?year=2023"),
        format!("/offices/{o}/rollup/t3.granted.total?year=2023"),
        format!("/api/v1/offices/{o}/rollup?year=2023"),
    ] {
        assert_eq!(app.get(&path, &own.cookies).await.status, StatusCode::OK, "{path}");
        let missing = app.get(&path.replace(&format!("/{o}/"), "/987654/"), &own.cookies).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        for who in [&stranger, &clerk] {
            let r = app.get(&path, &who.cookies).await;
            assert_eq!((r.status, &r.body), (missing.status, &missing.body), "{path}");
        }
    }
    // The other office's own roll-up has nothing of this office's agencies.
    let theirs =
        app.get(&format!("/api/v1/offices/{}/rollup?year=2023", other.id), &stranger.cookies).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(theirs.json()["included"], serde_json::json!([]));
}

/// The API's answer when one agency printed `/` and `?` where the other printed numbers.
pub async fn api_json_with_causes(app: &App) -> String {
    let base = sample();
    let mut odd = base.clone();
    for (key, value) in [
        ("t2.fees.amount_wan_yuan", Value::NotApplicable("/".into())),
        ("t3.granted.natural_person", Value::Unknown),
    ] {
        let key: CellKey = key.parse().unwrap();
        if let Some(t) = odd.table_mut(key.table()).as_mut() {
            t.set(key, value);
        }
    }
    publish(app, &app.a, &base, None).await;
    publish(app, &app.b, &odd, None).await;
    let office = reviewer(app, "office-reviewer", &app.office).await;
    let reply = app
        .get(&format!("/api/v1/offices/{}/rollup?year=2023", app.office.id), &office.cookies)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::to_string_pretty(&reply.json()).unwrap()
}

pub async fn the_office_compares_its_agencies(app: &App) {
    let base = sample();
    publish(app, &app.a, &base, None).await;
    publish(app, &app.b, &times(&base, 2), None).await;
    let office = reviewer(app, "office-reviewer", &app.office).await;
    let o = app.office.id.0;
    let page = app.get(&format!("/offices/{o}/compare?year=2023"), &office.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let n = |key: &str| base.number(key.parse().unwrap()).unwrap();
    let (received, granted) = (n("t3.new_received.total"), n("t3.granted.total"));
    let processed = n("t3.total_processed.total");
    let share = (granted * Decimal::from(100) / processed).round_dp(1);
    for marker in [
        "<h1 id=\"compare-heading\">县政务公开办2023年度机关对比</h1>",
        &format!("<a href=\"/agencies/{}/reports/2023\">县教育局</a>", app.a.id),
        &format!("<td class=\"num\">{received}</td>"),
        &format!("<td class=\"num\">{}</td>", received * Decimal::from(2)),
        &format!("<td class=\"num\">{share:.1}%</td>"),
        &format!("<a href=\"/offices/{o}/rollup?year=2023\">汇总</a>"),
        &format!("<td class=\"num\">{}</td>", received * Decimal::from(3)),
        "<svg",
        "予以公开率",
    ] {
        assert!(page.body.contains(marker), "{marker}\n{}", page.body);
    }
    // A rate over too few cases is not shown: the sample has 4 concluded reconsiderations, below 10.
    assert!(page.body.contains("title=\"样本不足：分母"), "{}", page.body);
    let en = app.get(&format!("/offices/{o}/compare?year=2023&lang=en"), &office.cookies).await;
    assert!(en.body.contains("share granted") && en.body.contains("too few"), "{}", en.body);
    // Agency staff and other offices get what a missing office gets.
    let clerk = app.login("clerk-a").await;
    let r = app.get(&format!("/offices/{o}/compare?year=2023"), &clerk.cookies).await;
    let missing = app.get("/offices/987654/compare?year=2023", &clerk.cookies).await;
    assert_eq!((r.status, &r.body), (missing.status, &missing.body));
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

pub async fn an_agency_over_the_years_is_public(app: &App) {
    let base = sample();
    publish(app, &app.a, &base, None).await;
    let mut next = times(&base, 2);
    next.meta.year = Some(gongkai_model::Spanned::bare(2024));
    let text = json(&next);
    let p = Publication { year: 2024, report: &text, reason: None };
    app.state.store.publish_report(&ctx(), app.a.id, &p).await.expect("published");
    let a = app.a.id.0;
    let page = app.get(&format!("/agencies/{a}/compare"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let received = base.number("t3.new_received.total".parse().unwrap()).unwrap();
    for marker in [
        "<h1 id=\"compare-heading\">县教育局历年对比</h1>",
        &format!("<a href=\"/agencies/{a}/reports/2023\">2023</a>"),
        &format!("<a href=\"/agencies/{a}/reports/2024\">2024</a>"),
        &format!("<td class=\"num\">{received}</td>"),
        &format!("<td class=\"num\">{}</td>", received * Decimal::from(2)),
        "<svg",
    ] {
        assert!(page.body.contains(marker), "{marker}\n{}", page.body);
    }
    assert!(!page.body.contains("/logout"), "an anonymous visitor's page");
    // An agency without a published report says so; an office or an unknown id is not an agency.
    let b = app.get(&format!("/agencies/{}/compare", app.b.id), "").await;
    assert_eq!(b.status, StatusCode::OK);
    assert!(
        b.body.contains("该机关尚未发布年度报告。") && !b.body.contains("<table"),
        "{}",
        b.body
    );
    for id in [app.office.id.0, 987_654] {
        let r = app.get(&format!("/agencies/{id}/compare"), "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{id}");
    }
}
