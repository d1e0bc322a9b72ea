//! The public portal: the home page, the search (names, pinyin initials, regions; the page and
//! the API), an agency's public page (published versions only — never a draft or a collected
//! upload), the statistics (sums of the latest published versions) and the 404s. Run on both
//! backends by `main.rs`.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use gongkai_model::json::{Location, ReportJson};
use gongkai_model::{CellKey, Layout, Report, T3Col, T3Row, Table, TableId, Value};
use gongkai_store::{
    Ctx, DraftSave, Level, NewOrg, Org, OrgId, OrgKind, Publication, RegionCode, Role,
};

use crate::support::{App, now};

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// A report whose Table 3 cells are all `base`, with `granted` applications granted and
/// `received` new ones, and Table 4 all ones.
pub fn report(received: i64, granted: i64, base: i64) -> String {
    let mut r = Report {
        t3: Some(Table::filled(TableId::T3, Layout::Format2021, |_| Value::int(base))),
        t4: Some(Table::filled(TableId::T4, Layout::Format2021, |_| Value::int(1))),
        ..Report::default()
    };
    if let Some(t) = r.t3.as_mut() {
        t.set(CellKey::t3(T3Row::Granted, T3Col::Total), Value::int(granted));
        t.set(CellKey::t3(T3Row::NewReceived, T3Col::Total), Value::int(received));
    }
    let json = ReportJson::from_report(&r, &|_| Location::default());
    serde_json::to_string(&json).expect("json")
}

async fn publish(app: &App, agency: OrgId, year: i16, json: &str, reason: Option<&str>) {
    let p = Publication { year, report: json, reason };
    app.state.store.publish_report(&ctx(), agency, &p).await.expect("published");
}

async fn org(app: &App, parent: Option<OrgId>, kind: OrgKind, name: &str, region: &str) -> Org {
    let new = NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::Municipal,
        region: RegionCode::parse(region).expect("region"),
    };
    app.state.store.create_org(&ctx(), &new).await.expect("org")
}

/// Beside the county (110101: 县教育局, 县卫健委): Hangzhou's office and education bureau
/// (330100), and Beijing's (110000).
struct World {
    hangzhou: Org,
    hangzhou_education: Org,
    beijing_education: Org,
}

async fn world(app: &App) -> World {
    let hangzhou = org(app, None, OrgKind::Office, "杭州市人民政府办公厅", "330100").await;
    let hangzhou_education =
        org(app, Some(hangzhou.id), OrgKind::Agency, "杭州市教育局", "330100").await;
    let beijing = org(app, None, OrgKind::Office, "北京市政务公开办", "110000").await;
    let beijing_education =
        org(app, Some(beijing.id), OrgKind::Agency, "北京市教育局", "110000").await;
    publish(app, hangzhou_education.id, 2024, &report(30, 20, 1), None).await;
    World { hangzhou, hangzhou_education, beijing_education }
}

/// The agencies named on a results page, in order.
fn found(body: &str) -> Vec<String> {
    body.split("data-action=\"agency-")
        .skip(1)
        .filter_map(|s| Some(s.split_once("\">")?.1.split_once("</a>")?.0.to_owned()))
        .collect()
}

pub async fn search_by_name_pinyin_initials_and_region(app: &App) {
    let w = world(app).await;
    let search = |q: &'static str| async move {
        let r = app.get(&format!("/search?{q}"), "").await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
        found(&r.body)
    };
    assert_eq!(search("q=hzsjyj").await, ["杭州市教育局"]);
    assert_eq!(search("q=HZS").await, ["杭州市教育局"]);
    assert_eq!(search("q=hangzhou").await, ["杭州市教育局"]);
    assert_eq!(
        search("q=%E6%95%99%E8%82%B2%E5%B1%80").await,
        ["北京市教育局", "县教育局", "杭州市教育局"]
    );
    assert_eq!(search("q=jyj").await, ["北京市教育局", "县教育局", "杭州市教育局"]);
    assert_eq!(search("q=xjyj").await, ["县教育局"]);
    assert_eq!(search("region=330100").await, ["杭州市教育局"]);
    assert_eq!(
        search("q=jyj&region=110000").await,
        ["北京市教育局", "县教育局"],
        "11 covers 110101"
    );
    assert_eq!(search("region=110101").await, ["县卫健委", "县教育局"]);
    assert!(search("q=zzz").await.is_empty());
    let none = app.get("/search?q=zzz", "").await;
    assert!(none.body.contains("id=\"search-none\""), "{}", none.body);
    // The results link to the agency's page and its latest report.
    let page = app.get("/search?q=hzsjyj", "").await;
    let id = w.hangzhou_education.id;
    assert!(page.body.contains(&format!("href=\"/agencies/{id}/public\"")));
    assert!(page.body.contains(&format!("href=\"/agencies/{id}/reports/2024\">2024</a>")));
    assert!(page.body.contains("<td>杭州市</td>"), "the region named from its office");
    assert!(page.body.contains("<option value=\"330100\">杭州市（330100）</option>"));
    // A region that is not six digits.
    let bad = app.get("/search?region=33", "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    // The API says the same.
    let api = app.get("/api/v1/search?q=HZS", "").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json = api.json();
    assert_eq!(json["total"], 1);
    let hit = &json["results"][0];
    assert_eq!(hit["agency"], "杭州市教育局");
    assert_eq!(hit["agency_id"], id.0);
    assert_eq!(hit["office_id"], w.hangzhou.id.0);
    assert_eq!(hit["region"], "330100");
    assert_eq!(hit["region_name"], "杭州市");
    assert_eq!(hit["latest_year"], 2024);
    assert_eq!(hit["href"], format!("/agencies/{id}/public"));
    let api = app.get("/api/v1/search?q=jyj&region=110000", "").await.json();
    let names: Vec<&str> = api["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|h| h["agency"].as_str())
        .collect();
    assert_eq!(names, ["北京市教育局", "县教育局"]);
    assert!(api["results"][0]["latest_year"].is_null(), "nothing published");
    assert_eq!(w.beijing_education.name, "北京市教育局");
    let bad = app.get("/api/v1/search?region=abc", "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A collected report of 大张楼镇 (2022), read by the server in the background like any upload.
async fn collected_upload(app: &App) -> Org {
    let town = org(app, Some(app.office.id), OrgKind::Agency, "大张楼镇", "110101").await;
    let token =
        crate::collect::user(app, "portal-reviewer", app.office.id, Role::OfficeReviewer).await;
    let results = crate::collect::upload(
        app,
        &token,
        &[("dazhanglou-2022.txt", &crate::collect::corpus("dazhanglou-2022.txt"))],
    )
    .await;
    assert_eq!(results[0]["agency_id"], town.id.0, "{results:?}");
    town
}

pub async fn the_agency_page_shows_published_versions_only(app: &App) {
    let a = app.a.id;
    publish(app, a, 2023, &report(12, 8, 1), None).await;
    publish(app, a, 2024, &report(40, 25, 2), None).await;
    publish(app, a, 2024, &report(41, 26, 2), Some("更正表三的予以公开数")).await;
    // A draft of 2025 with figures of its own: never on the page.
    let prose = BTreeMap::new();
    let draft = report(777, 555, 3);
    let save = DraftSave::new(2025, 0, &prose, &draft);
    app.state.store.save_draft(&ctx(), a, &save).await.expect("draft");
    let town = collected_upload(app).await;

    let page = app.get(&format!("/agencies/{a}/public"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    for marker in [
        "<h1 id=\"agency-heading\">县教育局</h1>",
        &format!(
            "<a class=\"portal-report-link\" data-action=\"report-2024\" href=\"/agencies/{a}/reports/2024\">2024年度报告</a>"
        ),
        &format!(
            "<a class=\"portal-report-link\" data-action=\"report-2023\" href=\"/agencies/{a}/reports/2023\">2023年度报告</a>"
        ),
        "第2版 · 2026年3月16日",
        &format!("/api/v1/agencies/{a}/reports/2024/download?format=pdf&#38;version=2"),
        &format!("/api/v1/agencies/{a}/reports/2023/download?format=md&#38;version=1"),
        ">Word（DOCX）</a>",
        "更正表三的予以公开数",
        "首次发布",
        &format!("<a href=\"/agencies/{a}/reports/2024?version=1\">第1版</a>"),
        // The 2024 row shows the latest version's figures: 41 received, 26 granted.
        "<td class=\"num\">41</td>",
        "<td class=\"num\">26</td>",
        "<svg",
        "role=\"img\"",
        &format!("href=\"/agencies/{a}/column\""),
        &format!("href=\"/agencies/{a}/guide\""),
        &format!("href=\"/agencies/{a}/compare\""),
        &format!("href=\"/data?agency={a}\""),
        &format!("href=\"/offices/{}/statistics\"", app.office.id),
    ] {
        assert!(body.contains(marker), "{marker}\n{body}");
    }
    assert!(
        !body.contains("777") && !body.contains("555") && !body.contains("2025"),
        "no draft: {body}"
    );
    assert!(
        !body.contains("<td class=\"num\">40</td>"),
        "the superseded version's figures are not a row"
    );

    // The agency whose only report was collected (published elsewhere) has nothing here.
    let page = app.get(&format!("/agencies/{}/public", town.id), "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"nothing-published\""), "{}", page.body);
    assert!(!page.body.contains("2022"), "no collected report: {}", page.body);
    assert!(!page.body.contains("<svg"));

    // English.
    let en = app.get(&format!("/agencies/{a}/public?lang=en"), "").await;
    for marker in [
        "<html lang=\"en\">",
        "2024 annual report",
        "Version 2",
        "Revision log",
        "First publication",
    ] {
        assert!(en.body.contains(marker), "{marker}\n{}", en.body);
    }
}

pub async fn statistics_sum_the_latest_published_versions(app: &App) {
    let (a, b) = (app.a.id, app.b.id);
    publish(app, a, 2024, &report(40, 25, 2), None).await;
    publish(app, a, 2024, &report(41, 26, 2), Some("更正")).await;
    publish(app, b, 2024, &report(9, 4, 1), None).await;
    publish(app, b, 2023, &report(100, 100, 1), None).await;
    let prose = BTreeMap::new();
    let draft = report(777, 555, 3);
    app.state.store.save_draft(&ctx(), a, &DraftSave::new(2024, 0, &prose, &draft)).await.ok();
    let town = collected_upload(app).await;
    // A sub-office with an agency of its own.
    let east = org(app, Some(app.office.id), OrgKind::Office, "东片政务公开办", "110101").await;
    let east_agency = org(app, Some(east.id), OrgKind::Agency, "东片水务站", "110101").await;
    publish(app, east_agency.id, 2024, &report(5, 5, 1), None).await;

    let office = app.office.id;
    let page = app.get(&format!("/offices/{office}/statistics?year=2024"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    // Four agencies (A, B, the town, the east agency), three published.
    assert!(body.contains("<dd id=\"statistics-agencies\">4</dd>"), "{body}");
    assert!(body.contains("<dd id=\"statistics-published\">3</dd>"));
    assert!(body.contains("<dd id=\"statistics-unpublished\">1</dd>"));
    let total = body.split("id=\"statistics-total\">").nth(1).expect("the total row");
    let cells: Vec<&str> = total
        .split("<td class=\"num\"")
        .skip(1)
        .filter_map(|c| {
            c.split_once('>').map(|(_, rest)| rest.split_once("</td>").map_or("", |x| x.0))
        })
        .collect();
    // agencies, published, received (41 + 9 + 5), processed (2 + 1 + 1), granted (26 + 4 + 5),
    // withheld (8 × 2 + 8 + 8), reconsiderations (1 each), lawsuits (2 each), four rates.
    assert_eq!(&cells[..8], ["4", "3", "55", "4", "35", "32", "3", "6"], "{total}");
    // Fewer than 10 processed, fewer than 10 concluded reconsiderations: no rate; 18
    // concluded lawsuits, 6 corrected.
    assert_eq!(&cells[8..], ["—", "—", "—", "33.3%"], "{total}");
    // The breakdown: the sub-office first, then the agencies directly under the office.
    let east_row = format!(
        "<a href=\"/offices/{}/statistics?year=2024\">东片政务公开办（下级政务公开办）</a>",
        east.id
    );
    assert!(body.contains(&east_row), "{body}");
    assert!(body.find(&east_row) < body.find("县教育局"));
    assert!(body.contains(&format!("<a href=\"/agencies/{}/public\">大张楼镇</a>", town.id)));
    assert!(!body.contains("777") && !body.contains("555"), "no draft");

    // The sub-office's own page; the overall page covers the whole tree.
    let east_page = app.get(&format!("/offices/{}/statistics?year=2024", east.id), "").await;
    assert!(east_page.body.contains("<dd id=\"statistics-agencies\">1</dd>"), "{}", east_page.body);
    let overall = app.get("/statistics?year=2024", "").await;
    assert_eq!(overall.status, StatusCode::OK);
    assert!(overall.body.contains("<dd id=\"statistics-published\">3</dd>"), "{}", overall.body);
    // 2023: only B, and its figures.
    let y2023 = app.get("/statistics?year=2023&lang=en", "").await;
    assert!(y2023.body.contains("<dd id=\"statistics-published\">1</dd>"), "{}", y2023.body);
    assert!(y2023.body.contains("annual report statistics 2023") && y2023.body.contains("Total"));
    // Without a year: the latest year with a publication.
    let latest = app.get("/statistics", "").await;
    assert!(latest.body.contains("<option value=\"2024\" selected>"), "{}", latest.body);
    // A publication changes the figures at once (the cache is keyed by the versions).
    publish(app, b, 2024, &report(10, 4, 1), Some("更正")).await;
    let again = app.get(&format!("/offices/{office}/statistics?year=2024"), "").await;
    let total = again.body.split("id=\"statistics-total\">").nth(1).expect("the total row");
    assert!(total.contains("<td class=\"num\">56</td>"), "{total}");
}

pub async fn offices_unknown_ids_and_agencies_answer_404(app: &App) {
    let office = app.office.id;
    let a = app.a.id;
    for path in [
        format!("/agencies/{office}/public"),
        "/agencies/999999/public".to_owned(),
        format!("/offices/{a}/statistics"),
        "/offices/999999/statistics".to_owned(),
    ] {
        let r = app.get(&path, "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
}

pub async fn the_home_page_is_public_and_the_dashboard_stays(app: &App) {
    publish(app, app.a.id, 2024, &report(41, 26, 2), None).await;
    let home = app.get("/", "").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains(
        "<form class=\"portal-search\" method=\"get\" action=\"/search\" role=\"search\">"
    ));
    assert!(home.body.contains("<label for=\"search-q\">机关名称</label>"));
    assert!(
        home.body.contains("<span class=\"n\" id=\"home-published\">1</span>"),
        "{}",
        home.body
    );
    assert!(home.body.contains(&format!("<a href=\"/agencies/{}/public\">县教育局</a>", app.a.id)));
    assert!(home.body.contains("href=\"/login\""));
    assert!(!home.body.contains("/logout"));
    // Signed in: to the dashboard, as before, with a link to the portal.
    let browser = app.login("clerk-a").await;
    let r = app.get("/", &browser.cookies).await;
    assert_eq!(r.location(), Some(format!("/agencies/{}", app.a.id).as_str()));
    let dashboard = app.get(&format!("/agencies/{}", app.a.id), &browser.cookies).await;
    assert!(dashboard.body.contains("<a href=\"/search\">"), "{}", dashboard.body);
}

/// The visible text of a page: styles and scripts out, tags out, one line per run of text.
pub fn visible_text(html: &str) -> String {
    let mut kept = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<style").or_else(|| rest.find("<script")) {
        let i =
            [rest.find("<style"), rest.find("<script")].into_iter().flatten().min().unwrap_or(i);
        kept.push_str(&rest[..i]);
        let close = if rest[i..].starts_with("<style") { "</style>" } else { "</script>" };
        rest = rest[i..].find(close).map_or("", |j| &rest[i + j + close.len()..]);
    }
    kept.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for c in kept.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// The pages' visible text, for the snapshots: the home page, a search, an agency's public
/// page (zh and en), an office's statistics.
pub async fn pages_for_snapshots(app: &App) -> Vec<(&'static str, String)> {
    let a = app.a.id;
    publish(app, a, 2023, &report(12, 8, 1), None).await;
    publish(app, a, 2024, &report(40, 25, 2), None).await;
    publish(app, a, 2024, &report(41, 26, 2), Some("更正表三的予以公开数")).await;
    publish(app, app.b.id, 2024, &report(9, 4, 1), None).await;
    let text = |path: String| async move {
        let r = app.get(&path, "").await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        visible_text(&r.body)
    };
    vec![
        ("home", text("/".into()).await),
        ("search", text("/search?q=xjyj".into()).await),
        ("agency", text(format!("/agencies/{a}/public")).await),
        ("agency_en", text(format!("/agencies/{a}/public?lang=en")).await),
        ("statistics", text(format!("/offices/{}/statistics?year=2024", app.office.id)).await),
    ]
}

/// Times the portal's pages over 2,000 agencies under 20 offices, each with a published report
/// (run by hand: `cargo test -p gongkai-server --test http portal_timing -- --ignored --nocapture`).
#[allow(clippy::print_stdout, reason = "a measurement for a person to read")]
pub async fn timing(app: &App) {
    use std::time::Instant;
    let json = report(30, 20, 1);
    let mut agencies = Vec::new();
    for o in 0..20 {
        let office =
            org(app, Some(app.office.id), OrgKind::Office, &format!("第{o}片政务公开办"), "110101")
                .await;
        for i in 0..100 {
            let a = org(
                app,
                Some(office.id),
                OrgKind::Agency,
                &format!("第{o}片第{i}号机关教育局"),
                "110101",
            )
            .await;
            publish(app, a.id, 2024, &json, None).await;
            agencies.push(a);
        }
    }
    let a = agencies[777].id;
    for path in [
        "/".to_owned(),
        "/search?q=jyj".to_owned(),
        "/search?q=d7pd77hjgjyj".to_owned(),
        "/api/v1/search?q=d7p".to_owned(),
        format!("/agencies/{a}/public"),
        "/statistics?year=2024".to_owned(),
        format!("/offices/{}/statistics?year=2024", app.office.id),
    ] {
        let first = Instant::now();
        let r = app.get(&path, "").await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let cold = first.elapsed();
        let mut times = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            app.get(&path, "").await;
            times.push(t.elapsed());
        }
        times.sort();
        println!("{path}: first {cold:?}, p50 {:?}, max {:?}", times[15], times[29]);
    }
}

/// A publication is seen at once, and re-reads only the small queries: the directory (the pinyin
/// of every organisation) is the previous snapshot's own; a new organisation builds a new one.
pub async fn a_publication_keeps_the_directory_and_a_new_organisation_rebuilds_it(app: &App) {
    use gongkai_server::portal::Portal;
    let w = world(app).await;
    let before = Portal::snapshot(&app.state).await.expect("snapshot");
    publish(app, w.beijing_education.id, 2024, &report(5, 3, 1), None).await;
    let after = Portal::snapshot(&app.state).await.expect("snapshot");
    assert_ne!(before.generation, after.generation);
    assert!(std::sync::Arc::ptr_eq(&before.directory, &after.directory));
    assert_eq!(after.latest_years.get(&w.beijing_education.id), Some(&2024));
    assert!(after.recent.iter().any(|(id, _)| *id == w.beijing_education.id));
    let home = app.get("/", "").await;
    assert!(home.body.contains("北京市教育局"), "the publication is listed at once");

    let added = org(app, Some(w.hangzhou.id), OrgKind::Agency, "杭州市卫健委", "330100").await;
    let rebuilt = Portal::snapshot(&app.state).await.expect("snapshot");
    assert!(!std::sync::Arc::ptr_eq(&after.directory, &rebuilt.directory));
    assert!(rebuilt.directory.get(added.id).is_some(), "the new agency is in the directory");
}

/// While one request recomputes the portal after a publication, the others are served what was
/// there before (they do not queue behind it); a new organisation is never served from before it.
pub async fn readers_are_served_the_data_before_a_publication_while_it_is_recomputed(app: &App) {
    use std::time::Duration;

    use gongkai_server::portal::Portal;
    let w = world(app).await;
    publish(app, w.beijing_education.id, 2023, &report(5, 3, 1), None).await;
    // Warm: the snapshot and the home page's statistics.
    let before = Portal::snapshot(&app.state).await.expect("snapshot");
    assert_eq!(app.get("/", "").await.status, StatusCode::OK);
    publish(app, w.beijing_education.id, 2024, &report(7, 3, 1), None).await;

    // Another request is computing (the guard held here): a reader is answered at once, with the
    // snapshot from before the publication and the statistics of then.
    let computing = app.state.portal.one_at_a_time().await;
    let meanwhile = tokio::time::timeout(Duration::from_secs(5), Portal::snapshot(&app.state))
        .await
        .expect("served without waiting")
        .expect("snapshot");
    assert!(std::sync::Arc::ptr_eq(&before, &meanwhile), "the snapshot from before");
    assert_eq!(meanwhile.latest_years.get(&w.beijing_education.id), Some(&2023));
    let home = tokio::time::timeout(Duration::from_secs(5), app.get("/", ""))
        .await
        .expect("the home page without waiting");
    assert_eq!(home.status, StatusCode::OK);
    drop(computing);
    // Then the next reader computes it.
    let after = Portal::snapshot(&app.state).await.expect("snapshot");
    assert_eq!(after.latest_years.get(&w.beijing_education.id), Some(&2024));

    // A new organisation: readers wait for it (its page must not be missing).
    let computing = app.state.portal.one_at_a_time().await;
    org(app, Some(w.hangzhou.id), OrgKind::Agency, "杭州市卫健委", "330100").await;
    let waited =
        tokio::time::timeout(Duration::from_millis(500), Portal::snapshot(&app.state)).await;
    assert!(waited.is_err(), "a reader waits while the organisations are read again");
    drop(computing);
    let rebuilt = Portal::snapshot(&app.state).await.expect("snapshot");
    assert_ne!(rebuilt.generation.0, after.generation.0);
}

/// `gongkai serve` computes the portal's data in the background from the start: the home
/// page's statistics are in the cache before anyone asks for a page.
pub async fn the_server_computes_the_portal_ahead_of_the_first_visitor(app: &App) {
    use std::time::{Duration, Instant};

    use gongkai_server::portal::Portal;
    let w = world(app).await;
    publish(app, w.beijing_education.id, 2023, &report(5, 3, 1), None).await;
    assert!(!Portal::is_warm(&app.state).await.expect("is_warm"), "nothing computed before");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback");
    let server = tokio::spawn(gongkai_server::serve(listener, app.state.clone()));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !Portal::is_warm(&app.state).await.expect("is_warm") {
        assert!(Instant::now() < deadline, "the portal computed within 20 s of the start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.abort();
}
