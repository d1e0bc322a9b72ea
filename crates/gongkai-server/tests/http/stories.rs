//! The stories, each run on both backends.

use axum::body::Body;
use axum::http::header::AUTHORIZATION;
use axum::http::{Method, Request, StatusCode};
use gongkai_server::routes::{self, Access};
use serde_json::json;

use crate::support::{App, PASSWORD};

pub async fn health_answers_when_the_store_does(app: &App) {
    let r = app.get("/healthz", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), json!({"status": "ok"}));
}

pub async fn login_answers_alike_for_unknown_user_and_wrong_password(app: &App) {
    let ok =
        app.post_json("/api/v1/login", &json!({"username": "clerk-a", "password": PASSWORD})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let token = ok.json()["token"].as_str().expect("a token").to_owned();
    assert_eq!(ok.cookie("gongkai_session").as_deref(), Some(token.as_str()));
    let set = ok.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    assert!(!set.contains("Secure"), "plain HTTP on loopback: {set}");
    let behind_tls = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/login")
        .header("content-type", "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(json!({"username": "clerk-a", "password": PASSWORD}).to_string()))
        .unwrap();
    let tls = app.send(behind_tls).await;
    let set = tls.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(set.contains("; Secure"), "behind a TLS proxy: {set}");

    let wrong = app
        .post_json("/api/v1/login", &json!({"username": "clerk-a", "password": "nope nope"}))
        .await;
    let unknown =
        app.post_json("/api/v1/login", &json!({"username": "nobody", "password": PASSWORD})).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.json()["error"]["message"], "用户名或密码不正确");

    // The HTML form too: the same page for both, in the chosen language.
    let page = app.get("/login", "").await;
    let cookies = format!("gongkai_csrf={}", page.cookie("gongkai_csrf").unwrap());
    let csrf = page.csrf().unwrap();
    let wrong = app
        .post_form("/login?lang=en", &cookies, &format!("csrf={csrf}&username=clerk-a&password=x"))
        .await;
    let unknown = app
        .post_form("/login?lang=en", &cookies, &format!("csrf={csrf}&username=nobody&password=x"))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body.replace("clerk-a", "nobody"), unknown.body);
    assert!(wrong.body.contains("wrong username or password"));
}

pub async fn the_login_limit_answers_alike_too(app: &App) {
    for name in ["clerk-a", "nobody"] {
        for _ in 0..5 {
            let r = app
                .post_json("/api/v1/login", &json!({"username": name, "password": "wrong pass"}))
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
    }
    let known =
        app.post_json("/api/v1/login", &json!({"username": "clerk-a", "password": PASSWORD})).await;
    let unknown =
        app.post_json("/api/v1/login", &json!({"username": "nobody", "password": PASSWORD})).await;
    assert_eq!(known.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(known.body, unknown.body);
    let other =
        app.post_json("/api/v1/login", &json!({"username": "clerk-b", "password": PASSWORD})).await;
    assert_eq!(other.status, StatusCode::OK, "another user is not locked out");
}

pub async fn an_api_token_opens_the_same_doors(app: &App) {
    let ok =
        app.post_json("/api/v1/login", &json!({"username": "clerk-a", "password": PASSWORD})).await;
    let token = ok.json()["token"].as_str().unwrap().to_owned();
    let request = |auth: String| {
        Request::builder()
            .uri(format!("/agencies/{}", app.a.id))
            .header(AUTHORIZATION, auth)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.send(request(format!("Bearer {token}"))).await.status, StatusCode::OK);
    let bad = app.send(request("Bearer gks_0000".into())).await;
    assert_eq!(bad.status, StatusCode::SEE_OTHER, "an unknown token is no one: to the login page");
}

pub async fn forms_without_the_csrf_token_are_refused(app: &App) {
    let browser = app.login("clerk-a").await;
    let without = app.post_form("/logout", &browser.cookies, "").await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    assert!(without.body.contains("表单已失效"), "{}", without.body);
    let forged =
        app.post_form("/logout", &browser.cookies, &format!("csrf={}", "0".repeat(64))).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // The session survived the refusals; with the token, the form works.
    let ok = app.post_form("/logout", &browser.cookies, &format!("csrf={}", browser.csrf)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), Some("/login"));
    let after = app.get(&format!("/agencies/{}", app.a.id), &browser.cookies).await;
    assert_eq!(after.location(), Some("/login"), "the session is closed");
}

/// Generated from the route table: every route that is not public refuses a request without
/// credentials — 401 under `/api/`, a redirect to the login page elsewhere.
pub async fn nothing_but_public_routes_without_credentials(app: &App) {
    let table = routes::table();
    assert!(table.iter().any(|r| r.access != Access::Public));
    for route in table.iter().filter(|r| r.access != Access::Public) {
        let path = route
            .path
            .replace("{id}", &app.a.id.0.to_string())
            .replace("{case_id}", "YSQ-2026-00001")
            .replace("{kind}", "correction")
            .replace("{doc}", "1")
            .replace("{cell_key}", "t3.granted.total");
        let request = Request::builder()
            .method(route.method.clone())
            .uri(&path)
            .header("x-csrf-token", "irrelevant")
            .body(Body::empty())
            .unwrap();
        let r = app.send(request).await;
        if path.starts_with("/api/") {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{route:?}");
        } else if route.method == Method::GET {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{route:?}");
            assert_eq!(r.location(), Some("/login"), "{route:?}");
        } else {
            // A state-changing form without a session has no valid token either.
            assert!(
                matches!(r.status, StatusCode::FORBIDDEN | StatusCode::SEE_OTHER),
                "{route:?}: {}",
                r.status
            );
        }
    }
}

/// Generated from the route table: on every agency-scoped route, another agency's id answers
/// exactly like an id that does not exist.
pub async fn another_agencys_id_answers_like_a_missing_one(app: &App) {
    let browser = app.login("clerk-a").await;
    let mut checked = 0;
    for route in routes::table()
        .iter()
        .filter(|r| matches!(r.access, Access::Agency(_)) && r.method == Method::GET)
    {
        let at = |id: i64| route.path.replace("{id}", &id.to_string());
        let own = app.get(&at(app.a.id.0), &browser.cookies).await;
        assert_eq!(own.status, StatusCode::OK, "{route:?}");
        let other = app.get(&at(app.b.id.0), &browser.cookies).await;
        let missing = app.get(&at(987_654), &browser.cookies).await;
        let office = app.get(&at(app.office.id.0), &browser.cookies).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{route:?}");
        for r in [&missing, &office] {
            assert_eq!((r.status, &r.body), (other.status, &other.body), "{route:?}");
        }
        checked += 1;
    }
    assert!(checked > 0);
}

pub async fn the_public_agency_list(app: &App) {
    let r = app.get("/api/v1/agencies", "").await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    let first = &list.as_array().unwrap()[0];
    assert_eq!(
        first,
        &json!({"id": app.a.id.0, "name": "县教育局", "office_id": app.office.id.0, "region": "110101", "level": "county"})
    );
    assert_eq!(list.as_array().unwrap().len(), 2, "offices are not agencies");
}

pub async fn the_dashboard_shows_deadlines_in_colour(app: &App) {
    let browser = app.login("clerk-a").await;
    let page = app.get(&format!("/agencies/{}", app.a.id), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = |id: &str| {
        let at = page.body.find(id).unwrap_or_else(|| panic!("{id} not on the dashboard"));
        let start = page.body[..at].rfind("<tr").unwrap();
        page.body[start..at].to_owned()
    };
    assert!(row("YSQ-2026-00001").contains("due-overdue"));
    assert!(row("YSQ-2026-00002").contains("due-soon"));
    assert!(row("YSQ-2026-00003").contains("due-ok"));
    assert!(page.body.find("YSQ-2026-00001") < page.body.find("YSQ-2026-00002"), "by due date");
    assert!(page.body.contains("2025年度报告应于2026年1月31日前公布"));
    // The other agency's clerk sees none of it; the English toggle translates the page.
    let other = app.login("clerk-b").await;
    let b = app.get(&format!("/agencies/{}?lang=en", app.b.id), &other.cookies).await;
    assert!(!b.body.contains("YSQ-2026"));
    assert!(b.body.contains("No open applications."));
    assert!(b.cookie("lang").is_some_and(|v| v == "en"));
}

pub async fn security_headers_on_every_response(app: &App) {
    for path in ["/login", "/healthz", "/nowhere", "/assets/style.css"] {
        let r = app.get(path, "").await;
        let h =
            |name: &str| r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert!(h("content-security-policy").contains("frame-ancestors 'none'"), "{path}");
        assert!(!h("content-security-policy").contains("unsafe-inline"), "{path}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "same-origin", "{path}");
    }
    assert!(app.get("/assets/style.css", "").await.headers.get("cache-control").is_some());
    let missing = app.get("/nowhere", "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("页面或资源不存在"));
}

/// `--demo`: a county of 13 agencies with their applications and two published reports each,
/// one agency idle from 2025; seeding again changes nothing; the demo logins work.
pub async fn the_demo_county_seeds_once(app: &App) {
    use gongkai_server::demo;
    let state = app.state.clone();
    let first = demo::seed(&state, "demo password").await.unwrap();
    assert!(first.created);
    assert_eq!(first.password.as_deref(), Some("demo password"));
    let again = demo::seed(&state, "demo password").await.unwrap();
    assert!(!again.created, "seeding again creates nothing");
    let other = demo::seed(&state, "another password").await.unwrap();
    assert_eq!(other.password, None, "an existing demo user keeps its password");

    let store = &state.store;
    let office =
        store.children(None).await.unwrap().into_iter().find(|o| o.name == demo::OFFICE).unwrap();
    let agencies = store.children(Some(office.id)).await.unwrap();
    assert!(agencies.len() >= 12, "{}", agencies.len());
    for agency in &agencies {
        let versions = store.report_versions(agency.id).await.unwrap();
        let years: Vec<i16> = versions.iter().map(|v| v.year).collect();
        assert_eq!(years, [2024, 2023], "{}", agency.name);
        let cases = store.cases(agency.id).await.unwrap();
        assert!(!cases.is_empty(), "{}", agency.name);
        let in_2025 = cases.iter().any(|c| c.record.intake.received().year() >= 2025);
        assert_eq!(in_2025, agency.name != demo::IDLE_AGENCY, "{}", agency.name);
        // A stored 2025 draft (tables and prose) for every agency but the idle one, saved once
        // although the county was seeded three times.
        let draft = store.draft(agency.id, 2025).await.unwrap();
        assert_eq!(draft.is_some(), agency.name != demo::IDLE_AGENCY, "{}", agency.name);
        if let Some(d) = draft {
            assert_eq!(d.version, 1, "{}", agency.name);
            assert!(d.prose.get("overview").is_some_and(|t| !t.is_empty()), "{}", agency.name);
            let report = gongkai_model::json::ReportJson::parse(&d.report)
                .and_then(gongkai_model::json::ReportJson::into_report)
                .unwrap();
            let key = "t3.new_received.total".parse().unwrap();
            assert!(report.value(key).is_some(), "{}: the tables are stored", agency.name);
        }
    }
    let drafted = agencies.iter().filter(|a| a.name != demo::IDLE_AGENCY).count();
    assert_eq!(drafted + 1, agencies.len());
    let login = app
        .post_json(
            "/api/v1/login",
            &json!({"username": "demo-agency", "password": "demo password"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let office_login = app
        .post_json(
            "/api/v1/login",
            &json!({"username": "demo-office", "password": "demo password"}),
        )
        .await;
    let token = office_login.json()["token"].as_str().unwrap().to_owned();
    let page = app
        .send(
            Request::builder()
                .uri(format!("/offices/{}", office.id))
                .header(AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // The 2025 report, due on 31 January 2026, is not among the demo's publications.
    assert!(page.body.contains(demo::AGENCY) && page.body.contains("未发布"), "{}", page.body);
}

/// Generated from the route table and the policy table: for every role, held in the agency or in
/// its office, every organisation-scoped page answers 200 exactly when the policy allows the
/// route's action, 403 when the role sees the organisation but may not do this, and 404 otherwise.
pub async fn every_role_gets_what_the_policy_table_says(app: &App) {
    use gongkai_server::policy::{self, Action, Reach};
    use gongkai_store::{Ctx, NewUser, OrgKind, Role};
    let store = &app.state.store;
    let ctx = Ctx { user: None, at: crate::support::now(), origin: "test".into() };
    let table = routes::table();
    let mut checked = 0;
    for role in Role::ALL {
        let (org, kind) = if role.fits(OrgKind::Agency) {
            (&app.a, OrgKind::Agency)
        } else {
            (&app.office, OrgKind::Office)
        };
        let username = format!("matrix-{}", role.key());
        let new = NewUser {
            username: username.clone(),
            display_name: username.clone(),
            password: PASSWORD.into(),
        };
        let user = store.create_user(&ctx, &new).await.unwrap();
        store.grant(&ctx, user.id, org.id, role).await.unwrap();
        let login = app
            .post_json("/api/v1/login", &json!({"username": username, "password": PASSWORD}))
            .await;
        let token = login.json()["token"].as_str().unwrap().to_owned();
        for route in table.iter().filter(|r| r.method == Method::GET) {
            let (action, target, reach): (Action, i64, Reach) = match (route.access, kind) {
                (Access::Agency(a), OrgKind::Agency) => (a, app.a.id.0, Reach::Own),
                (Access::Agency(a), OrgKind::Office) => (a, app.a.id.0, Reach::Subordinate),
                (Access::Office(a), OrgKind::Office) => (a, app.office.id.0, Reach::Own),
                (Access::Office(a), OrgKind::Agency) => {
                    // An agency's role never reaches its office.
                    let r = app
                        .send(bearer(
                            &route
                                .path
                                .replace("{id}", &app.office.id.0.to_string())
                                .replace("{cell_key}", "t3.granted.total"),
                            &token,
                        ))
                        .await;
                    assert_eq!(r.status, StatusCode::NOT_FOUND, "{role:?} {route:?} ({a:?})");
                    continue;
                }
                _ => continue,
            };
            let r = app
                .send(bearer(
                    &route
                        .path
                        .replace("{id}", &target.to_string())
                        .replace("{cell_key}", "t3.granted.total"),
                    &token,
                ))
                .await;
            let sees = policy::allows(role, Action::ViewDashboard, reach)
                || policy::allows(role, Action::ViewOffice, reach);
            let expected = if policy::allows(role, action, reach) {
                StatusCode::OK
            } else if sees {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(r.status, expected, "{role:?} at {reach:?} on {route:?}");
            checked += 1;
        }
    }
    assert!(checked >= Role::ALL.len(), "{checked}");
}

fn bearer(path: &str, token: &str) -> Request<Body> {
    Request::builder()
        .uri(path)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// The scaled county of the load figures (`examples/seed_scaled`, `scripts/load`), small: every
/// agency has its cases and its reports of the years asked; the pending agency misses the last
/// year, and its clerk publishes it through the form as the deadline-day scenario does; seeding
/// again publishes nothing.
pub async fn the_scaled_county_seeds_once_and_its_pending_agency_publishes(app: &App) {
    use gongkai_server::demo::{self, Scale};
    use gongkai_store::{CaseFilter, Ctx, PageRequest};
    let store = &app.state.store;
    let ctx = Ctx { user: None, at: crate::support::now(), origin: "test".into() };
    let clerk = store.check_password(&ctx, "clerk-a", crate::support::PASSWORD).await.unwrap();
    let clerk = clerk.expect("clerk-a").id;
    let scale = Scale { agencies: 3, years: 2, per_year: 4, pending: 1, concurrency: 2 };
    let scaled = demo::seed_scaled(&app.state, scale, Some(clerk)).await.unwrap();
    assert_eq!(scaled.years, (2024, 2025));
    assert_eq!(scaled.agencies.len(), 3);
    assert_eq!(scaled.pending, scaled.agencies[2..]);
    assert_eq!(scaled.published, 2 + 2 + 1);
    for &agency in &scaled.agencies {
        let page = PageRequest { offset: 0, limit: 1 };
        let cases = store.list_cases(agency, &CaseFilter::default(), page).await.unwrap();
        assert!(cases.total > 0, "{agency}: cases");
        let years: Vec<i16> =
            store.report_versions(agency).await.unwrap().iter().map(|v| v.year).collect();
        let expected: &[i16] =
            if scaled.pending.contains(&agency) { &[2024] } else { &[2025, 2024] };
        assert_eq!(years, expected, "{agency}");
    }
    let again = demo::seed_scaled(&app.state, scale, Some(clerk)).await.unwrap();
    assert_eq!(again.published, 0, "seeding again publishes nothing");
    assert_eq!(again.agencies, scaled.agencies);

    let first = scaled.agencies[0].0;
    assert_eq!(
        app.get(&format!("/agencies/{first}/reports/2025"), "").await.status,
        StatusCode::OK
    );
    let json = app.get(&format!("/api/v1/agencies/{first}/reports/2025"), "").await;
    assert_eq!(json.status, StatusCode::OK);
    let pending = scaled.pending[0].0;
    let public = format!("/agencies/{pending}/reports/2025");
    assert_eq!(app.get(&public, "").await.status, StatusCode::NOT_FOUND);
    let browser = app.login("clerk-a").await;
    let form = format!(
        "csrf={}&year=2025&overview=%E6%A6%82%E8%BF%B0&problems=%E6%97%A0&other=%E6%97%A0",
        browser.csrf
    );
    let published = app
        .post_form(&format!("/agencies/{pending}/reports/publish"), &browser.cookies, &form)
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    assert_eq!(app.get(&public, "").await.status, StatusCode::OK);
}
