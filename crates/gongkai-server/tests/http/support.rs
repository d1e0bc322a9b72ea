//! A fresh application per test: a store of its own (a temporary SQLite file, or a new database
//! on the PostgreSQL test cluster), a fixed clock, a small county, and helpers to send requests
//! through the real router.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use gongkai_cases::{ApplicantType, CaseId, Channel, Intake};
use gongkai_server::{AppState, Clock, Config};
use gongkai_store::{Ctx, Level, NewOrg, NewUser, Org, OrgKind, RegionCode, Role, Store};
use http_body_util::BodyExt as _;
use jiff::Timestamp;
use jiff::civil::date;
use tempfile::TempDir;
use tower::ServiceExt as _;

/// The variable naming the PostgreSQL test cluster.
pub use gongkai_testkit::postgres::URL_VAR as POSTGRES_URL_VAR;

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery";

/// "Now" in every test: Monday 16 March 2026, 10:00 in China.
pub fn now() -> Timestamp {
    "2026-03-16T02:00:00Z".parse().expect("timestamp")
}

/// A running application over a fresh store with a small county.
pub struct App {
    pub router: Router,
    pub state: AppState,
    /// 县政务公开办.
    pub office: Org,
    /// The agency of `clerk-a`.
    pub a: Org,
    /// Another agency, of `clerk-b`.
    pub b: Org,
    /// The database's own URL on PostgreSQL (to look at what the store keeps).
    pub postgres_url: Option<String>,
    dir: Option<TempDir>,
}

/// A fresh SQLite application.
pub async fn sqlite() -> App {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_data_dir(dir.path()).await.expect("open SQLite store");
    App::new(store, Some(dir)).await
}

/// A fresh PostgreSQL application: a new database on the test cluster.
pub async fn postgres() -> App {
    let url = gongkai_testkit::postgres::new_database("gk_server").await;
    let store = Store::open(&url).await.expect("open PostgreSQL store");
    let mut app = App::new(store, None).await;
    app.postgres_url = Some(url);
    app
}

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

impl App {
    async fn new(store: Store, dir: Option<TempDir>) -> App {
        let region = RegionCode::parse("110101").expect("region");
        let org = |parent, kind, name: &str| NewOrg {
            parent,
            kind,
            name: name.into(),
            level: Level::County,
            region: region.clone(),
        };
        let office = store
            .create_org(&ctx(), &org(None, OrgKind::Office, "县政务公开办"))
            .await
            .expect("office");
        let a = store
            .create_org(&ctx(), &org(Some(office.id), OrgKind::Agency, "县教育局"))
            .await
            .expect("a");
        let b = store
            .create_org(&ctx(), &org(Some(office.id), OrgKind::Agency, "县卫健委"))
            .await
            .expect("b");
        for (name, agency) in [("clerk-a", &a), ("clerk-b", &b)] {
            let user = store
                .create_user(
                    &ctx(),
                    &NewUser {
                        username: name.into(),
                        display_name: name.into(),
                        password: PASSWORD.into(),
                    },
                )
                .await
                .expect("user");
            store.grant(&ctx(), user.id, agency.id, Role::Clerk).await.expect("grant");
        }
        // Three open applications of agency A: overdue, due within 5 working days, on track.
        for (n, received) in [(1, date(2026, 1, 5)), (2, date(2026, 2, 24)), (3, date(2026, 3, 13))]
        {
            let intake = Intake {
                id: CaseId(format!("YSQ-2026-{n:05}")),
                applicant_type: ApplicantType::NATURAL_PERSON,
                applicant_key: format!("A{n}"),
                channel: Channel::InPerson { submitted: received },
                request: "2025年度部门预算".into(),
            };
            store.register_case(&ctx(), a.id, &intake, None).await.expect("case");
        }
        let config =
            Config { login_failures_per_user: 5, login_failures_per_ip: 1000, ..Config::default() };
        let state = AppState::new(store, config).with_clock(Clock::Fixed(now()));
        let router = gongkai_server::router(state.clone());
        App { router, state, office, a, b, postgres_url: None, dir }
    }

    /// The same store and county seen through another state (another clock, another calendar):
    /// a new router over `state`. The returned application borrows nothing; `self` keeps the
    /// temporary directory alive.
    pub fn with_state(&self, state: AppState) -> App {
        App {
            router: gongkai_server::router(state.clone()),
            state,
            office: self.office.clone(),
            a: self.a.clone(),
            b: self.b.clone(),
            postgres_url: self.postgres_url.clone(),
            dir: None,
        }
    }

    /// The SQLite data directory (`None` on PostgreSQL).
    pub fn sqlite_dir(&self) -> Option<&Path> {
        self.dir.as_ref().map(TempDir::path)
    }

    /// Sends a request; returns the status, headers and body.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("body").to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
    }

    /// `GET path` with these cookies.
    pub async fn get(&self, path: &str, cookies: &str) -> Reply {
        let mut r = Request::builder().method(Method::GET).uri(path);
        if !cookies.is_empty() {
            r = r.header(COOKIE, cookies);
        }
        self.send(r.body(Body::empty()).expect("request")).await
    }

    /// `POST path` with a form body and these cookies.
    pub async fn post_form(&self, path: &str, cookies: &str, form: &str) -> Reply {
        let mut r = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        if !cookies.is_empty() {
            r = r.header(COOKIE, cookies);
        }
        self.send(r.body(Body::from(form.to_owned())).expect("request")).await
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, json: &serde_json::Value) -> Reply {
        let r = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .expect("request");
        self.send(r).await
    }

    /// Signs in through the login form; returns the session cookie and the page's CSRF token.
    pub async fn login(&self, username: &str) -> Browser {
        let page = self.get("/login", "").await;
        let pre = page.cookie("gongkai_csrf").expect("a pre-login CSRF cookie");
        let token = page.csrf().expect("a CSRF field on the login form");
        let cookies = format!("gongkai_csrf={pre}");
        let form =
            format!("csrf={token}&username={username}&password={}", PASSWORD.replace(' ', "+"));
        let reply = self.post_form("/login", &cookies, &form).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "login: {}", reply.body);
        let session = reply.cookie("gongkai_session").expect("a session cookie");
        let cookies = format!("gongkai_session={session}");
        let home = self.get("/", &cookies).await;
        let dashboard = self.get(home.location().expect("redirect"), &cookies).await;
        Browser { cookies, csrf: dashboard.csrf().expect("csrf on the dashboard") }
    }
}

/// A signed-in browser.
pub struct Browser {
    pub cookies: String,
    pub csrf: String,
}

/// A response, read.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The value of a cookie the response sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
            let first = v.split(';').next()?;
            let (k, value) = first.split_once('=')?;
            (k == name).then(|| value.to_owned())
        })
    }

    /// The CSRF token of the page's first form.
    pub fn csrf(&self) -> Option<String> {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let len = self.body[start..].find('"')?;
        Some(self.body[start..start + len].to_owned())
    }

    /// The redirect target.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(axum::http::header::LOCATION)?.to_str().ok()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The body with the random CSRF token replaced (for snapshots).
    pub fn redacted(&self) -> String {
        match self.csrf() {
            Some(token) => self.body.replace(&token, "[csrf]"),
            None => self.body.clone(),
        }
    }
}
