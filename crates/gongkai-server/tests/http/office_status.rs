//! 年报汇总, the office's status board: statuses over a whole subtree, the deadline and days late,
//! the rules' counts and the cross-year check, filters, CSV/XLSX exports, the list of agencies
//! to remind, the API's shape, and who may see it.

use std::collections::BTreeMap;
use std::io::Cursor;

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Request, StatusCode};
use gongkai_model::json::ReportJson;
use gongkai_model::{Report, Severity};
use gongkai_store::{
    Ctx, DraftSave, Level, NewOrg, NewUser, Org, OrgId, OrgKind, Publication, RegionCode, Role,
};
use serde_json::{Value, json};

use crate::support::{App, PASSWORD, Reply, now};

/// A published report (the renderer's 2023 sample).
const SAMPLE: &str = include_str!("../../../gongkai-render/tests/data/sample-2023.json");

fn ctx_at(at: &str) -> Ctx {
    Ctx { user: None, at: at.parse().expect("timestamp"), origin: "test".into() }
}

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// The sample as `agency`'s report on `year`, with some cells changed.
fn report(agency: &str, year: i32, cells: &[(&str, &str)]) -> String {
    let mut v: Value = serde_json::from_str(SAMPLE).expect("sample");
    v["meta"]["agency"] = json!(agency);
    v["meta"]["year"] = json!(year);
    v["meta"]["title"] = json!(format!("{agency}{year}年政府信息公开工作年度报告"));
    for (key, value) in cells {
        let table = key.split('.').next().expect("table");
        v["tables"][table]["cells"][*key] = json!(value);
    }
    v.to_string()
}

/// The cells of `json` as a map.
fn cells(json: &str) -> BTreeMap<String, String> {
    let v: Value = serde_json::from_str(json).expect("json");
    let mut out = BTreeMap::new();
    for table in ["t2", "t3", "t4"] {
        if let Some(map) = v["tables"][table]["cells"].as_object() {
            for (k, val) in map {
                out.insert(k.clone(), val.as_str().unwrap_or_default().to_owned());
            }
        }
    }
    out
}

/// The year before `current`, consistent with it: what was carried forward is what `current`
/// carried over, and the normative documents in force before this year's changes.
fn consistent_previous(agency: &str, current: &str) -> String {
    let c = cells(current);
    let mut changed: Vec<(String, String)> = Vec::new();
    for (key, value) in &c {
        if let Some(col) = key.strip_prefix("t3.carried_over.") {
            changed.push((format!("t3.carried_forward.{col}"), value.clone()));
        }
        if let Some(row) = key.strip_prefix("t2.").and_then(|k| k.strip_suffix(".in_force")) {
            let n =
                |col: &str| c.get(&format!("t2.{row}.{col}")).and_then(|v| v.parse::<i64>().ok());
            if let (Some(in_force), Some(issued), Some(repealed)) =
                (n("in_force"), n("issued"), n("repealed"))
            {
                changed.push((key.clone(), (in_force - issued + repealed).to_string()));
            }
        }
    }
    let refs: Vec<(&str, &str)> = changed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    report(agency, 2024, &refs)
}

fn model(json: &str) -> Report {
    ReportJson::parse(json).and_then(ReportJson::into_report).expect("report")
}

fn count(json: &str, severity: Severity) -> u64 {
    gongkai_rules::check(&model(json)).iter().filter(|f| f.severity == severity).count() as u64
}

/// The county of the support module, grown: a township office under it with an agency, two more
/// county agencies, a neighbouring county, and the reviewers.
pub struct County {
    /// 镇政务公开办 (under the county office).
    pub town: Org,
    /// 镇人民政府 (under the township office): a draft.
    pub c: Org,
    /// 县财政局: nothing.
    pub d: Org,
    /// An agency with a hostile name: nothing.
    pub hostile: Org,
    /// The neighbouring county's agency (published; never on this board).
    pub e: Org,
    /// The neighbouring county's office.
    pub other: Org,
    /// A's 2025 report.
    pub a_2025: String,
    /// B's 2025 report.
    pub b_2025: String,
}

async fn org(app: &App, parent: &Org, kind: OrgKind, level: Level, name: &str) -> Org {
    let new = NewOrg {
        parent: Some(parent.id),
        kind,
        name: name.into(),
        level,
        region: RegionCode::parse("110101").expect("region"),
    };
    app.state.store.create_org(&ctx(), &new).await.expect(name)
}

async fn user(app: &App, name: &str, org: OrgId, role: Role) {
    let store = &app.state.store;
    let new =
        NewUser { username: name.into(), display_name: name.into(), password: PASSWORD.into() };
    let user = store.create_user(&ctx(), &new).await.expect("user");
    store.grant(&ctx(), user.id, org, role).await.expect("grant");
}

/// A token of `name` for the API.
async fn token(app: &App, name: &str) -> String {
    let login =
        app.post_json("/api/v1/login", &json!({"username": name, "password": PASSWORD})).await;
    login.json()["token"].as_str().expect("token").to_owned()
}

async fn bearer(app: &App, path: &str, token: &str) -> Reply {
    let r = Request::builder().uri(path).header(AUTHORIZATION, format!("Bearer {token}"));
    app.send(r.body(Body::empty()).expect("request")).await
}

pub async fn county(app: &App) -> County {
    let store = &app.state.store;
    let town = org(app, &app.office, OrgKind::Office, Level::Township, "镇政务公开办").await;
    let c = org(app, &town, OrgKind::Agency, Level::Township, "镇人民政府").await;
    let d = org(app, &app.office, OrgKind::Agency, Level::County, "县财政局").await;
    let hostile =
        org(app, &app.office, OrgKind::Agency, Level::County, "=HYPERLINK(\"http://x.invalid\")局")
            .await;
    let root = NewOrg {
        parent: None,
        kind: OrgKind::Office,
        name: "邻县政务公开办".into(),
        level: Level::County,
        region: RegionCode::parse("110102").expect("region"),
    };
    let other = store.create_org(&ctx(), &root).await.expect("other office");
    let e = org(app, &other, OrgKind::Agency, Level::County, "邻县教育局").await;
    user(app, "reviewer", app.office.id, Role::OfficeReviewer).await;
    user(app, "reviewer-town", town.id, Role::OfficeReviewer).await;
    user(app, "reviewer-other", other.id, Role::OfficeReviewer).await;

    // A: published on time (20 January, China time), consistent with its 2024 report.
    let a_2025 = report(&app.a.name, 2025, &[]);
    let a_2024 = consistent_previous(&app.a.name, &a_2025);
    assert!(
        gongkai_rules::check_pair(&model(&a_2024), &model(&a_2025)).is_empty(),
        "the constructed 2024 report is consistent with 2025"
    );
    let publish = |agency: OrgId, year: i16, text: String, at: &'static str| async move {
        let p = Publication { year, report: &text, reason: None };
        store.publish_report(&ctx_at(at), agency, &p).await.expect("publish");
    };
    publish(app.a.id, 2024, a_2024, "2025-01-20T02:00:00Z").await;
    publish(app.a.id, 2025, a_2025.clone(), "2026-01-20T02:00:00Z").await;
    // B: a total that does not add up, published 10 days late; its 2024 is the plain sample,
    // whose carried-forward figures differ from B's carried-over ones.
    let b_2025 = report(&app.b.name, 2025, &[("t3.new_received.total", "999")]);
    publish(app.b.id, 2024, report(&app.b.name, 2024, &[]), "2025-01-21T02:00:00Z").await;
    publish(app.b.id, 2025, b_2025.clone(), "2026-02-10T02:00:00Z").await;
    // C: a draft only; D and the hostile name: nothing; E (the neighbour's): published.
    let prose = BTreeMap::new();
    let save = DraftSave::new(2025, 0, &prose, r#"{"format":"gongkai-report"}"#);
    store.save_draft(&ctx(), c.id, &save).await.expect("draft");
    publish(e.id, 2025, report(&e.name, 2025, &[]), "2026-01-05T02:00:00Z").await;
    County { town, c, d, hostile, e, other, a_2025, b_2025 }
}

/// The API's answer for an agency.
fn entry<'a>(list: &'a Value, agency: &Org) -> &'a Value {
    list.as_array()
        .expect("a list")
        .iter()
        .find(|e| e["agency_id"] == json!(agency.id.0))
        .unwrap_or_else(|| panic!("{} not in {list}", agency.name))
}

pub async fn the_board_shows_every_agency_of_the_subtree(app: &App) {
    let k = county(app).await;
    let token = token(app, "reviewer").await;
    let office = app.office.id;
    let r = bearer(app, &format!("/api/v1/offices/{office}/status"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    // The default year is 2025 (due 31 January 2026; today is 16 March 2026).
    assert_eq!(list.as_array().expect("list").len(), 5, "A, B, C, D and the hostile name: {list}");
    assert!(list.as_array().expect("list").iter().all(|e| e["agency_id"] != json!(k.e.id.0)));
    // The contract's fields come first, in order (read from the text: a parsed object sorts).
    let first = &r.body[..r.body.find('}').expect("an object")];
    let at = |key: &str| first.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key}"));
    let contract = ["agency_id", "agency", "status", "due", "published_at", "errors", "warnings"];
    let positions: Vec<usize> = contract.iter().map(|k| at(k)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert!(first.starts_with("[{\"agency_id\":"), "{first}");
    assert!(at("warnings") < at("level"), "extra fields after the contract's: {first}");

    let a = entry(&list, &app.a);
    assert_eq!(a["status"], "published");
    assert_eq!(a["due"], "2026-01-31");
    assert_eq!(a["published_at"], "2026-01-20T02:00:00Z");
    assert_eq!(a["days_late"], 0);
    assert_eq!(a["errors"], json!(count(&k.a_2025, Severity::Error)));
    assert_eq!(a["warnings"], json!(count(&k.a_2025, Severity::Warning)));
    assert_eq!(a["cross_year"], "ok");

    let b = entry(&list, &app.b);
    assert_eq!((b["status"].as_str(), b["days_late"].as_i64()), (Some("published"), Some(10)));
    let b_errors = count(&k.b_2025, Severity::Error);
    assert!(b_errors > 0, "the changed total is an error");
    assert_eq!(b["errors"], json!(b_errors));
    assert_eq!(b["cross_year"], "failing");
    assert!(b["cross_year_rules"].as_array().expect("rules").contains(&json!("X-CARRY")), "{b}");

    let c = entry(&list, &k.c);
    assert_eq!(c["status"], "draft");
    assert_eq!((c["errors"].clone(), c["published_at"].clone()), (Value::Null, Value::Null));
    assert_eq!((c["days_late"].as_i64(), c["level"].as_str()), (Some(44), Some("township")));
    assert_eq!(
        (c["office"].as_str(), c["cross_year"].as_str()),
        (Some("镇政务公开办"), Some("no_report"))
    );
    let d = entry(&list, &k.d);
    assert_eq!((d["status"].as_str(), d["days_late"].as_i64()), (Some("missing"), Some(44)));

    // Another year: nothing published or drafted in 2024 but A's and B's reports.
    let r = bearer(app, &format!("/api/v1/offices/{office}/status?year=2024"), &token).await;
    let list = r.json();
    assert_eq!(entry(&list, &app.a)["cross_year"], "no_previous_year");
    assert_eq!(entry(&list, &k.c)["status"], "missing");
    assert_eq!(entry(&list, &app.a)["due"], "2025-01-31");

    // The page: grouped by level and office, the summary at the top, linked from the dashboard
    // and the navigation.
    let browser = app.login("reviewer").await;
    let page = app.get(&format!("/offices/{office}/reports"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    let county_at = body.find("<h2>县级 · 县政务公开办</h2>").expect("the county group");
    let town_at = body.find("<h2>乡镇级 · 镇政务公开办</h2>").expect("the township group");
    assert!(county_at < town_at, "by level, from the top");
    for marker in [
        "2025年度政府信息公开工作年度报告",
        "发布期限（《政府信息公开条例》第五十条）：2026年1月31日",
        "<span class=\"n\">5</span> 下级机关",
        "<span class=\"n\">2</span> 已在本平台发布",
        "<span class=\"n\">1</span> 草稿未发布",
        "<span class=\"n\">2</span> 未发布",
        "<span class=\"n\">4</span> 逾期",
        "未通过：",
        "=HYPERLINK(&#34;http://x.invalid&#34;)局",
    ] {
        assert!(body.contains(marker), "{marker}\n{body}");
    }
    assert!(!body.contains("邻县教育局"), "the neighbour's agency");
    let nav = format!("<a href=\"/offices/{office}/reports\" aria-current=\"page\">年报汇总</a>");
    assert!(body.contains(&nav), "{body}");
    let dashboard = app.get(&format!("/offices/{office}"), &browser.cookies).await;
    assert!(dashboard.body.contains(&format!("href=\"/offices/{office}/reports\"")));
    let en = app.get(&format!("/offices/{office}/reports?lang=en"), &browser.cookies).await;
    for marker in ["Annual report status", "draft, not published", "township · 镇政务公开办"]
    {
        assert!(en.body.contains(marker), "{marker}\n{}", en.body);
    }
}

pub async fn filters_and_exports(app: &App) {
    let k = county(app).await;
    let token = token(app, "reviewer").await;
    let office = app.office.id;
    let ids = |r: &Reply| -> Vec<i64> {
        let mut ids: Vec<i64> = r
            .json()
            .as_array()
            .expect("list")
            .iter()
            .map(|e| e["agency_id"].as_i64().expect("id"))
            .collect();
        ids.sort_unstable();
        ids
    };
    let api = |q: &'static str| {
        let token = token.clone();
        async move { bearer(app, &format!("/api/v1/offices/{office}/status?{q}"), &token).await }
    };
    let mut late = vec![app.b.id.0, k.c.id.0, k.d.id.0, k.hostile.id.0];
    late.sort_unstable();
    assert_eq!(ids(&api("status=missing").await), [k.d.id.0, k.hostile.id.0]);
    assert_eq!(ids(&api("late=1").await), late);
    assert_eq!(ids(&api("errors=1").await), [app.b.id.0]);
    assert_eq!(ids(&api("level=township").await), [k.c.id.0]);
    assert_eq!(ids(&api("status=published&late=1").await), [app.b.id.0]);
    assert_eq!(ids(&api("status=&level=&year=").await).len(), 5, "empty values filter nothing");
    for bad in ["status=lost", "level=galactic", "year=1999", "year=x"] {
        assert_eq!(api(bad).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    // The page filters the same way.
    let browser = app.login("reviewer").await;
    let page = app
        .get(&format!("/offices/{office}/reports?status=missing&late=1"), &browser.cookies)
        .await;
    assert!(page.body.contains("显示 2个，共5个机关"), "{}", page.body);
    assert!(page.body.contains("县财政局") && !page.body.contains(">县教育局<"), "{}", page.body);
    assert!(page.body.contains("<option value=\"missing\" selected>"));
    let csv_link =
        format!("/offices/{office}/reports.csv?year=2025&#38;status=missing&#38;late=1&#38;bom=1");
    assert!(page.body.contains(&csv_link), "the exports keep the filters: {}", page.body);

    // CSV: with and without BOM, the filters applied, formulas guarded.
    let csv = app.get(&format!("/offices/{office}/reports.csv?bom=1"), &browser.cookies).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.body.starts_with('\u{feff}'), "a BOM for Excel");
    let plain =
        app.get(&format!("/offices/{office}/reports.csv?status=missing"), &browser.cookies).await;
    assert!(plain.body.starts_with("机关编号,机关,层级"), "{}", plain.body);
    let mut reader = csv::Reader::from_reader(plain.body.as_bytes());
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().any(|r| r[1] == "'=HYPERLINK(\"http://x.invalid\")局"),
        "guarded: {rows:?}"
    );
    assert!(rows.iter().all(|r| r[4] == "missing" && r[5] == "未发布"), "{rows:?}");

    // XLSX: opens, one header and every agency; numbers are numbers, the name is text.
    let xlsx = app.get(&format!("/offices/{office}/reports.xlsx"), &browser.cookies).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let bytes = app_bytes(app, &format!("/offices/{office}/reports.xlsx"), &browser.cookies).await;
    use calamine::{Data, Reader as _};
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    let range = wb.worksheet_range("2025年度").expect("the sheet");
    assert_eq!(range.height(), 6, "a header and five agencies");
    assert_eq!(range.get((0, 0)), Some(&Data::String("机关编号".into())));
    let b_row = (1..6)
        .find(|&r| range.get((r, 1)) == Some(&Data::String(app.b.name.clone())))
        .expect("B's row");
    assert_eq!(range.get((b_row, 8)), Some(&Data::Float(10.0)), "days late, a number");
    let hostile = (1..6)
        .find(
            |&r| matches!(range.get((r, 1)), Some(Data::String(s)) if s.starts_with("=HYPERLINK")),
        )
        .expect("the hostile name, as text");
    assert_eq!(range.get((hostile, 4)), Some(&Data::String("missing".into())));
    let formulas = wb.worksheet_formula("2025年度").expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula anywhere");
}

/// The body of a download as bytes (the support's `Reply` keeps text).
async fn app_bytes(app: &App, path: &str, cookies: &str) -> Vec<u8> {
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let request = Request::builder()
        .uri(path)
        .header(axum::http::header::COOKIE, cookies)
        .body(Body::empty())
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("infallible");
    response.into_body().collect().await.expect("body").to_bytes().to_vec()
}

pub async fn the_unpublished_list_is_ready_to_send(app: &App) {
    let k = county(app).await;
    let office = app.office.id;
    let browser = app.login("reviewer").await;
    let page = app.get(&format!("/offices/{office}/reports/unpublished"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    for marker in [
        "<h2><a href=\"/agencies/",
        "镇人民政府：\n根据《政府信息公开条例》第五十条",
        "截至2026年3月16日，贵单位2025年度政府信息公开工作年度报告尚未发布（已有草稿），已逾期44天。",
        "县财政局：",
        "县政务公开办\n2026年3月16日</textarea>",
    ] {
        assert!(body.contains(marker), "{marker}\n{body}");
    }
    assert!(
        !body.contains(&format!("notice-{}", app.a.id))
            && !body.contains(&format!("notice-{}", app.b.id))
    );
    assert!(body.contains(&format!("notice-{}", k.d.id)));
    let csv = app
        .get(&format!("/offices/{office}/reports/unpublished.csv?bom=1"), &browser.cookies)
        .await;
    assert!(csv.body.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(13), Some("催报通知"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3, "C, D and the hostile name");
    assert!(rows.iter().all(|r| r.get(13).is_some_and(|n| n.contains("第五十条"))));
    let en =
        app.get(&format!("/offices/{office}/reports/unpublished?lang=en"), &browser.cookies).await;
    assert!(en.body.contains("Under article 50 of the Regulations"), "{}", en.body);
}

pub async fn only_the_office_and_the_offices_above_see_it(app: &App) {
    let k = county(app).await;
    let county_office = app.office.id;
    let town = k.town.id;
    let paths = |id: OrgId| {
        [
            format!("/api/v1/offices/{id}/status"),
            format!("/offices/{id}/reports"),
            format!("/offices/{id}/reports.csv"),
            format!("/offices/{id}/reports.xlsx"),
            format!("/offices/{id}/reports/unpublished"),
            format!("/offices/{id}/reports/unpublished.csv"),
        ]
    };
    // The county's reviewer sees the township office's board (an office below): only its agency.
    let county = token(app, "reviewer").await;
    for path in paths(town) {
        assert_eq!(bearer(app, &path, &county).await.status, StatusCode::OK, "{path}");
    }
    let r = bearer(app, &format!("/api/v1/offices/{town}/status"), &county).await;
    assert_eq!(r.json().as_array().expect("list").len(), 1, "{}", r.body);
    assert_eq!(r.json()[0]["agency_id"], json!(k.c.id.0));
    // … and the dashboards of the agencies below, at any depth.
    assert_eq!(bearer(app, &format!("/agencies/{}", k.c.id), &county).await.status, StatusCode::OK);
    // The township's reviewer, another county's reviewer and agency staff: as if it did not exist.
    let town_token = token(app, "reviewer-town").await;
    let other = token(app, "reviewer-other").await;
    let clerk = token(app, "clerk-a").await;
    for path in paths(county_office) {
        for (who, t) in [("town", &town_token), ("other", &other), ("clerk", &clerk)] {
            assert_eq!(bearer(app, &path, t).await.status, StatusCode::NOT_FOUND, "{who} {path}");
        }
    }
    for path in paths(k.other.id) {
        assert_eq!(bearer(app, &path, &county).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        bearer(app, &format!("/agencies/{}", k.e.id), &county).await.status,
        StatusCode::NOT_FOUND
    );
    // An agency's id is not an office.
    let agency = bearer(app, &format!("/api/v1/offices/{}/status", app.a.id), &county).await;
    assert_eq!(agency.status, StatusCode::NOT_FOUND);
}

/// The CSV of the board as a snapshot (ids replaced by names: they differ between backends).
pub async fn board_csv(app: &App) -> String {
    let k = county(app).await;
    let browser = app.login("reviewer").await;
    let csv = app.get(&format!("/offices/{}/reports.csv", app.office.id), &browser.cookies).await;
    let mut out = csv.body;
    for (org, label) in
        [(&app.a, "[a]"), (&app.b, "[b]"), (&k.c, "[c]"), (&k.d, "[d]"), (&k.hostile, "[hostile]")]
    {
        out = out.replace(&format!("\n{},", org.id), &format!("\n{label},"));
    }
    out
}
