//! The security stories beside the authorization matrix (`authz_matrix.rs`): sessions (a new
//! secret at every login, the cookie's flags, logout ending the session in the store), secrets
//! stored as digests and API tokens revocable, the login limit without user enumeration on the
//! form too, security headers on the answer of every route, body and upload limits, and hostile
//! input — SQL-injection strings in every path and query parameter, path traversal, zip-slip,
//! XML entities in DOCX and XLSX, and hostile names escaped in pages and guarded in CSV exports.
//! Run on both backends by `main.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{Method, Request, StatusCode};
use gongkai_server::auth::csrf_token;
use gongkai_server::routes;
use gongkai_server::{Config, router};
use gongkai_store::{Ctx, Level, NewOrg, OrgKind, RegionCode, Role, Secret};
use http_body_util::BodyExt as _;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use tower::ServiceExt as _;

use crate::collect::{BOUNDARY, multipart, zip_of};
use crate::support::{App, PASSWORD, Reply, now};

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// Percent-encodes everything but unreserved characters (a path segment or query value).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn set_cookie<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie: {:?}", r.headers))
}

fn login_form(token: &str, username: &str, password: &str) -> String {
    format!("csrf={token}&username={username}&password={}", password.replace(' ', "+"))
}

/// Sends through another router over the same store (another configuration).
async fn send_via(router: &axum::Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// Session fixation, cookie flags, and logout ending the session in the store.
pub async fn a_login_opens_a_new_session_and_logout_ends_it(app: &App) {
    let store = &app.state.store;
    // A session id planted before login (fixation) is not the session the login opens.
    let planted = format!("gks_{}", "a".repeat(64));
    let cookies = format!("gongkai_session={planted}");
    let form = login_form(&csrf_token(&planted).0, "clerk-a", PASSWORD);
    let r = app.post_form("/login", &cookies, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let session = r.cookie("gongkai_session").expect("a session");
    assert_ne!(session, planted);
    assert!(store.session_user(&Secret::new(planted), now()).await.unwrap().is_none());
    assert!(store.session_user(&Secret::new(session.clone()), now()).await.unwrap().is_some());
    // Signing in again from a signed-in browser opens another session, never the same one.
    let cookies = format!("gongkai_session={session}");
    let again = app
        .post_form("/login", &cookies, &login_form(&csrf_token(&session).0, "clerk-a", PASSWORD))
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_ne!(again.cookie("gongkai_session").as_deref(), Some(session.as_str()));

    // The flags: HttpOnly, SameSite, the whole site; Secure only over TLS.
    let flags = set_cookie(&r, "gongkai_session");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(flags.contains(flag), "{flags}");
    }
    assert!(!flags.contains("Secure"), "plain HTTP: {flags}");
    let pre = app.get("/login", "").await;
    let csrf = set_cookie(&pre, "gongkai_csrf");
    assert!(csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax"), "{csrf}");
    // Served over TLS (`--secure-cookies`): every cookie is Secure.
    let mut state = app.state.clone();
    state.config = Arc::new(Config { secure_cookies: true, ..(*app.state.config).clone() });
    let tls = router(state);
    let page = send_via(&tls, Request::get("/login").body(Body::empty()).unwrap()).await;
    assert!(set_cookie(&page, "gongkai_csrf").contains("; Secure"));
    let seed = page.cookie("gongkai_csrf").unwrap();
    let login = Request::post("/login")
        .header(COOKIE, format!("gongkai_csrf={seed}"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(login_form(&csrf_token(&seed).0, "clerk-b", PASSWORD)))
        .unwrap();
    let signed = send_via(&tls, login).await;
    assert!(set_cookie(&signed, "gongkai_session").contains("; Secure"));

    // Logout ends the session in the store: the old cookie and the same secret as a Bearer
    // token open nothing.
    let out = app.post_form("/logout", &cookies, &format!("csrf={}", csrf_token(&session).0)).await;
    assert_eq!((out.status, out.location()), (StatusCode::SEE_OTHER, Some("/login")));
    assert!(set_cookie(&out, "gongkai_session").contains("Max-Age=0"));
    assert!(store.session_user(&Secret::new(session.clone()), now()).await.unwrap().is_none());
    let replay = app.get(&format!("/agencies/{}", app.a.id), &cookies).await;
    assert_eq!(replay.location(), Some("/login"));
    let api = Request::get(format!("/api/v1/agencies/{}/applications", app.a.id))
        .header(AUTHORIZATION, format!("Bearer {session}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(api).await.status, StatusCode::UNAUTHORIZED);
}

/// Every byte the store keeps about `secrets`' tables: the SQLite files, or the rows of the
/// sessions, tokens and audit tables on PostgreSQL.
async fn stored(app: &App) -> Vec<u8> {
    if let Some(dir) = app.sqlite_dir() {
        let mut all = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                all.extend(std::fs::read(&path).unwrap());
            }
        }
        return all;
    }
    use sqlx::{Connection as _, Row as _};
    let url = app.postgres_url.as_deref().expect("a PostgreSQL URL");
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let mut all = Vec::new();
    for table in ["sessions", "api_tokens", "audit_log"] {
        let sql =
            format!("SELECT coalesce(string_agg(row_to_json(t)::text, ' '), '') FROM {table} t");
        let row = sqlx::query(&sql).fetch_one(&mut conn).await.unwrap();
        let text: String = row.get(0);
        all.extend(text.into_bytes());
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Sessions and API tokens are kept as SHA-256 digests only; a revoked token opens nothing.
pub async fn secrets_are_stored_hashed_and_tokens_revocable(app: &App) {
    let store = &app.state.store;
    let user = store.check_password(&ctx(), "clerk-a", PASSWORD).await.unwrap().unwrap();
    let (id, token) = store.create_token(&ctx(), user.id, "ci", None).await.unwrap();
    let login =
        app.post_json("/api/v1/login", &json!({"username": "clerk-a", "password": PASSWORD})).await;
    let session = login.json()["token"].as_str().unwrap().to_owned();
    let list = format!("/api/v1/agencies/{}/applications", app.a.id);
    let with = |secret: &str| {
        Request::get(&list)
            .header(AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.send(with(token.expose())).await.status, StatusCode::OK);
    assert_eq!(app.send(with(&session)).await.status, StatusCode::OK);
    let kept = stored(app).await;
    for secret in [token.expose(), session.as_str()] {
        assert!(!contains(&kept, secret), "the store keeps a secret in clear");
        let digest = hex(&Sha256::digest(secret.as_bytes()));
        assert!(contains(&kept, &digest), "the store keeps the digest");
    }
    store.revoke_token(&ctx(), id).await.unwrap();
    assert_eq!(app.send(with(token.expose())).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.send(with(&session)).await.status, StatusCode::OK, "only that token");
}

/// The login form's limit: after the failures, the right password waits too, and a known and an
/// unknown username get the same page (the API's twin is in `stories.rs`).
pub async fn the_login_forms_limit_answers_alike(app: &App) {
    let page = app.get("/login", "").await;
    let seed = page.cookie("gongkai_csrf").unwrap();
    let cookies = format!("gongkai_csrf={seed}");
    let token = page.csrf().unwrap();
    for name in ["clerk-a", "nobody"] {
        for _ in 0..5 {
            let r =
                app.post_form("/login", &cookies, &login_form(&token, name, "wrong pass")).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
    }
    let known = app.post_form("/login", &cookies, &login_form(&token, "clerk-a", PASSWORD)).await;
    let unknown = app.post_form("/login", &cookies, &login_form(&token, "nobody", PASSWORD)).await;
    assert_eq!(known.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(known.cookie("gongkai_session"), None);
    assert_eq!(known.body.replace("clerk-a", "nobody"), unknown.body);
    let other = app.post_form("/login", &cookies, &login_form(&token, "clerk-b", PASSWORD)).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "another user is not locked out");
}

/// A concrete path of a route of the test county (agency A, its office).
fn concrete(path: &str, app: &App) -> String {
    let id = if path.starts_with("/offices/") { app.office.id.0 } else { app.a.id.0 };
    path.replace("{id}", &id.to_string())
        .replace("{case_id}", "YSQ-2026-00001")
        .replace("{kind}", "correction")
        .replace("{doc}", "1")
        .replace("{fingerprint}", "0")
        .replace("{cell_key}", "t3.granted.total")
        .replace("{item}", "ZD-1")
        .replace("{year}", "2024")
        .replace("{file}", "style.css")
}

fn assert_security_headers(r: &Reply, what: &str) {
    let h = |name: &str| r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let csp = h("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{what}: {csp}");
    assert!(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"), "{what}: {csp}");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    assert_eq!(h("referrer-policy"), "same-origin", "{what}");
    if h("content-type").starts_with("text/html") {
        // No inline script and no event-handler attributes (the CSP would block them anyway).
        let body = r.body.to_lowercase();
        for (at, _) in body.match_indices("<script") {
            let tag = &body[at..at + body[at..].find('>').unwrap_or(0)];
            assert!(tag.contains(" src="), "{what}: an inline script");
        }
        for handler in
            [" onclick=", " onload=", " onerror=", " onsubmit=", " onchange=", "javascript:"]
        {
            assert!(!body.contains(handler), "{what}: {handler}");
        }
    }
}

/// Generated from the route table: the answer of every route — page, API, download, refusal,
/// error — carries the security headers, as anonymous and as a signed-in clerk.
pub async fn security_headers_on_every_route(app: &App) {
    let clerk = app.login("clerk-a").await;
    let mut checked = 0;
    for route in routes::table() {
        let path = concrete(route.path, app);
        for cookies in ["", clerk.cookies.as_str()] {
            let mut r = Request::builder().method(route.method.clone()).uri(&path);
            if !cookies.is_empty() {
                r = r.header(COOKIE, cookies).header("x-csrf-token", &clerk.csrf);
            }
            let request = if route.method == Method::GET {
                r.body(Body::empty()).unwrap()
            } else {
                r.header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::empty())
                    .unwrap()
            };
            let reply = app.send(request).await;
            assert!(!reply.status.is_server_error(), "{route:?}: {}", reply.status);
            assert_security_headers(&reply, &format!("{route:?} ({})", reply.status));
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// A form body over the body limit and an upload over the upload limit are refused with 413,
/// before any handler reads them.
pub async fn bodies_over_the_limits_are_refused(app: &App) {
    let clerk = app.login("clerk-a").await;
    let big = format!("year=2025&overview={}", "x".repeat(app.state.config.body_limit + 1));
    let save = Request::post(format!("/agencies/{}/reports/save", app.a.id))
        .header(COOKIE, &clerk.cookies)
        .header("x-csrf-token", &clerk.csrf)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(big.clone()))
        .unwrap();
    assert_eq!(app.send(save).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // With the token in the body, the CSRF check reads no more than the limit either.
    let in_form = format!("csrf={}&{big}", clerk.csrf);
    let r = app
        .post_form(&format!("/agencies/{}/reports/save", app.a.id), &clerk.cookies, &in_form)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("提交的内容过大"), "{}", r.body);
    // JSON too.
    let json = Request::post("/api/v1/login")
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(format!(
            "{{\"username\": \"{}\"}}",
            "x".repeat(app.state.config.body_limit)
        )))
        .unwrap();
    assert_eq!(app.send(json).await.status, StatusCode::PAYLOAD_TOO_LARGE);

    // An upload over the upload limit (a server configured with 1 MiB).
    let mut state = app.state.clone();
    state.config = Arc::new(Config { upload_limit: 1 << 20, ..(*app.state.config).clone() });
    let small = router(state);
    let reviewer =
        crate::collect::user(app, "limit-reviewer", app.office.id, Role::OfficeReviewer).await;
    let boundary = "limit-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'x', 2 << 20));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    // Refused at the limit with the same 413 and message as any other body over its limit,
    // before anything is stored: sent chunked (the multipart reader meets the limit) and with its
    // length declared (the limit layer refuses it before any handler runs).
    for declared in [false, true] {
        let mut upload = Request::post(format!("/api/v1/offices/{}/documents", app.office.id))
            .header(AUTHORIZATION, format!("Bearer {reviewer}"))
            .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        if declared {
            upload = upload.header(CONTENT_LENGTH, body.len());
        }
        let r = send_via(&small, upload.body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "declared {declared}: {}", r.body);
        assert!(r.body.contains("提交的内容过大"), "declared {declared}: {}", r.body);
    }
    assert!(
        app.state.store.read_jobs(app.office.id, 1).await.unwrap().is_empty(),
        "nothing stored"
    );
}

/// A body that never ends (a client that stops sending half-way).
struct Stalled;

impl axum::body::HttpBody for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

/// A request that outlasts the time limit (its body stalls: a slow or hostile client holding a
/// worker) is answered 408 with the one error body, on a JSON route, a form route and an upload
/// route alike; nothing of it is stored and the server goes on answering.
pub async fn a_request_over_the_time_limit_is_answered_408(app: &App) {
    let mut state = app.state.clone();
    state.config = Arc::new(Config {
        request_timeout: Duration::from_millis(300),
        ..(*app.state.config).clone()
    });
    let limited = router(state);
    let clerk = app.login("clerk-a").await;
    let reviewer =
        crate::collect::user(app, "timeout-reviewer", app.office.id, Role::OfficeReviewer).await;
    let requests = [
        Request::post("/api/v1/login")
            .header(CONTENT_TYPE, "application/json")
            .body(Body::new(Stalled))
            .unwrap(),
        Request::post(format!("/agencies/{}/reports/save", app.a.id))
            .header(COOKIE, &clerk.cookies)
            .header("x-csrf-token", &clerk.csrf)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::new(Stalled))
            .unwrap(),
        Request::post(format!("/api/v1/offices/{}/documents", app.office.id))
            .header(AUTHORIZATION, format!("Bearer {reviewer}"))
            .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::new(Stalled))
            .unwrap(),
    ];
    for request in requests {
        let what = format!("{} {}", request.method(), request.uri());
        let r = send_via(&limited, request).await;
        assert_eq!(r.status, StatusCode::REQUEST_TIMEOUT, "{what}: {}", r.body);
        assert!(r.body.contains("请求超时"), "{what}: {}", r.body);
    }
    assert!(
        app.state.store.read_jobs(app.office.id, 1).await.unwrap().is_empty(),
        "nothing stored"
    );
    let r = send_via(&limited, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// Strings that break SQL that is built by hand.
const SQL: &[&str] = &[
    "1' OR '1'='1",
    "1; DROP TABLE orgs; --",
    "' UNION SELECT secret_sha256, user_id FROM sessions --",
    "1) OR (1=1",
    "\\'; SELECT pg_sleep(5); --",
    "%00",
];

/// What a database error would show.
const LEAKS: &[&str] = &["syntax error", "SQLSTATE", "sqlite", "sqlx", "postgres", "panicked"];

/// Generated from the route table: every path parameter of every GET route, and every query
/// parameter the pages read, set to SQL-injection strings, as anonymous, as a clerk and as an
/// office reviewer: never a 5xx, never a database message, and the store is intact afterwards.
pub async fn sql_injection_strings_in_every_parameter(app: &App) {
    let clerk = app.login("clerk-a").await;
    let reviewer_token =
        crate::collect::user(app, "sqli-reviewer", app.office.id, Role::OfficeReviewer).await;
    let reviewer = format!("gongkai_session={reviewer_token}");
    let orgs_before = app.state.store.children(Some(app.office.id)).await.unwrap().len();
    let queries = [
        "year", "key", "agency", "office", "region", "rule", "severity", "state", "kind", "q",
        "from", "to", "page", "lang", "next", "sheet", "status", "bom",
    ];
    let mut sent = 0;
    for route in routes::table().iter().filter(|r| r.method == Method::GET) {
        for s in SQL {
            let enc = encode(s);
            // Each path parameter in turn, the others left valid.
            let mut paths = Vec::new();
            let mut rest = route.path;
            while let Some(start) = rest.find('{') {
                let end = start + rest[start..].find('}').unwrap() + 1;
                let param = &rest[start..end];
                paths.push(concrete(&route.path.replacen(param, &enc, 1), app));
                rest = &rest[end..];
            }
            let query: Vec<String> = queries.iter().map(|q| format!("{q}={enc}")).collect();
            paths.push(format!("{}?{}", concrete(route.path, app), query.join("&")));
            for path in paths {
                for cookies in ["", clerk.cookies.as_str(), reviewer.as_str()] {
                    let r = app.get(&path, cookies).await;
                    sent += 1;
                    assert!(!r.status.is_server_error(), "{path}: {} {}", r.status, r.body);
                    // An error names no database, query or panic; no page shows a database error.
                    let lower = r.body.to_lowercase();
                    let leaks: &[&str] =
                        if r.status.is_client_error() { LEAKS } else { &LEAKS[..2] };
                    for leak in leaks {
                        assert!(
                            !lower.contains(&leak.to_lowercase()),
                            "{path}: {leak} in {}",
                            r.body
                        );
                    }
                }
            }
        }
    }
    assert!(sent > 500, "{sent}");
    assert_eq!(app.get("/healthz", "").await.status, StatusCode::OK);
    assert_eq!(app.state.store.children(Some(app.office.id)).await.unwrap().len(), orgs_before);
    // The agencies still sign in and see their work.
    let page = app.get(&format!("/agencies/{}", app.a.id), &clerk.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
}

/// Uploads files to the office's collection as `token`; the answer after the reads.
async fn collect(app: &App, token: &str, files: &[(&str, &[u8])]) -> Reply {
    let boundary = BOUNDARY;
    let request = Request::post(format!("/api/v1/offices/{}/documents", app.office.id))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(multipart(files)))
        .unwrap();
    let r = app.send(request).await;
    assert!(matches!(r.status, StatusCode::OK | StatusCode::ACCEPTED), "{}: {}", r.status, r.body);
    crate::collect::wait_idle(&app.state.store).await;
    if r.status == StatusCode::OK {
        return r;
    }
    let href = r.json()["href"].as_str().unwrap().to_owned();
    app.send(crate::collect::get_bearer(&href, token)).await
}

/// Path traversal: in the assets' names, in uploaded file names and in zip entries (zip-slip).
/// Nothing is written outside the store, names are cleaned, downloads name no path.
pub async fn traversal_and_zip_slip_write_nothing_outside(app: &App) {
    for name in [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "..%2fCargo.toml",
        "%2e%2e%2fstyle.css",
        "....%2F%2Fetc%2Fpasswd",
        "..%5C..%5Cwin.ini",
    ] {
        let r = app.get(&format!("/assets/{name}"), "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{name}");
        assert!(!r.body.contains("root:") && !r.body.contains("[package]"), "{name}");
    }
    let token =
        crate::collect::user(app, "slip-reviewer", app.office.id, Role::OfficeReviewer).await;
    let marker = format!("gongkai-zip-slip-{}", std::process::id());
    let outside = std::env::temp_dir().join(&marker);
    let report = crate::collect::corpus("dazhanglou-2022.txt");
    let zip = zip_of(&[
        (&format!("../../../../../../{}/{marker}", std::env::temp_dir().display()), &report),
        (&format!("{}/{marker}-abs", std::env::temp_dir().display()), b"absolute"),
        ("..\\..\\windows.txt", b"backslashes"),
    ]);
    let traversal = format!("../../../../tmp/{marker}-name.txt");
    let r = collect(app, &token, &[("slip.zip", &zip), (&traversal, b"plain")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let abs = std::env::temp_dir().join(format!("{marker}-abs"));
    for path in [outside, abs, std::env::temp_dir().join(format!("{marker}-name.txt"))] {
        assert!(!path.exists(), "{} was written", path.display());
    }
    // What is stored is the last component of each name: no directory, no parent.
    let results = r.json();
    let mut stored = 0;
    for file in results.as_array().unwrap() {
        let Some(doc) = file["document_id"].as_i64() else { continue };
        let kept = app.state.store.document(app.office.id, gongkai_store::DocumentId(doc)).await;
        let name = kept.unwrap().expect("the stored document").file_name;
        assert!(!name.contains('/') && !name.contains('\\') && name != "..", "{name}");
        stored += 1;
    }
    assert!(stored >= 2, "{results}");
    // A stored document downloads under a plain name.
    let doc = results.as_array().unwrap().iter().find_map(|f| f["document_id"].as_i64());
    if let Some(doc) = doc {
        let r =
            app.send(crate::collect::get_bearer(&format!("/documents/{doc}/source"), &token)).await;
        assert_eq!(r.status, StatusCode::OK);
        let disposition = r.headers.get("content-disposition").unwrap().to_str().unwrap();
        let fallback = disposition.split("filename=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(!fallback.contains('/') && !fallback.contains(".."), "{disposition}");
    }
}

/// A DOCX whose document part declares entities: an external one (XXE) and the billion laughs.
fn hostile_docx(kind: &str) -> Vec<u8> {
    let doctype = match kind {
        "xxe" => r#"<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#.to_owned(),
        _ => {
            let mut d = String::from(r#"<!DOCTYPE w:document [<!ENTITY lol0 "lol">"#);
            for i in 1..10 {
                let prev = format!("&lol{};", i - 1);
                d.push_str(&format!(r#"<!ENTITY lol{i} "{}">"#, prev.repeat(10)));
            }
            d.push_str("]>");
            d
        }
    };
    let entity = if kind == "xxe" { "&xxe;" } else { "&lol9;" };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>大张楼镇2022年政府信息公开工作年度报告 {entity}</w:t></w:r></w:p></w:body></w:document>"#
    );
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// An XLSX register whose sheet declares the same entities.
fn hostile_xlsx(kind: &str) -> Vec<u8> {
    let doctype = if kind == "xxe" {
        r#"<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#.to_owned()
    } else {
        let mut d = String::from(r#"<!DOCTYPE worksheet [<!ENTITY lol0 "lol">"#);
        for i in 1..10 {
            d.push_str(&format!(r#"<!ENTITY lol{i} "{}">"#, format!("&lol{};", i - 1).repeat(10)));
        }
        d.push_str("]>");
        d
    };
    let entity = if kind == "xxe" { "&xxe;" } else { "&lol9;" };
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>编号 {entity}</t></is></c></row></sheetData></worksheet>"#
    );
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="依申请公开" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", wb_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// XML entities in uploaded DOCX (collected reports) and XLSX (register import): an external
/// entity never brings a local file in, the billion laughs never expands; each answer is an
/// ordinary result or a clear refusal, within seconds.
pub async fn xml_entities_in_docx_and_xlsx_are_inert(app: &App) {
    let token =
        crate::collect::user(app, "xml-reviewer", app.office.id, Role::OfficeReviewer).await;
    let passwd = |body: &str| {
        body.contains("root:x:0") || body.contains("/bin/bash") || body.contains("lollollol")
    };
    for kind in ["xxe", "laughs"] {
        let started = Instant::now();
        let r = collect(app, &token, &[(&format!("{kind}.docx"), &hostile_docx(kind))]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!passwd(&r.body), "{kind}: {}", r.body);
        if let Some(doc) = r.json()[0]["document_id"].as_i64() {
            let page = app
                .send(crate::collect::get_bearer(&format!("/api/v1/documents/{doc}"), &token))
                .await;
            assert!(!passwd(&page.body), "{kind}: {}", page.body);
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{kind}: {:?}", started.elapsed());
    }
    let clerk = app.login("clerk-a").await;
    for kind in ["xxe", "laughs"] {
        let started = Instant::now();
        let boundary = BOUNDARY;
        let body = multipart(&[(&format!("{kind}.xlsx"), &hostile_xlsx(kind))]);
        let import = Request::post(format!("/agencies/{}/registers/import", app.a.id))
            .header(COOKIE, &clerk.cookies)
            .header("x-csrf-token", &clerk.csrf)
            .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        let r = app.send(import).await;
        assert!(
            r.status.is_client_error(),
            "{kind}: a clear refusal, got {}: {}",
            r.status,
            r.body
        );
        assert!(!passwd(&r.body), "{kind}: {}", r.body);
        assert!(started.elapsed() < Duration::from_secs(30), "{kind}: {:?}", started.elapsed());
    }
}

/// A hostile agency name and hostile report prose: escaped on every page that shows them, and
/// never a live formula in a CSV export (cells starting with `=`, `+`, `-`, `@` are guarded).
pub async fn hostile_names_are_escaped_and_exports_guarded(app: &App) {
    let store = &app.state.store;
    let hostile = "=HYPERLINK(\"http://evil\")<script>alert(1)</script>\"'&";
    let region = RegionCode::parse("110101").unwrap();
    let agency = store
        .create_org(
            &ctx(),
            &NewOrg {
                parent: Some(app.office.id),
                kind: OrgKind::Agency,
                name: hostile.into(),
                level: Level::County,
                region,
            },
        )
        .await
        .unwrap();
    let reviewer =
        crate::collect::user(app, "hostile-reviewer", app.office.id, Role::OfficeReviewer).await;
    let office_cookies = format!("gongkai_session={reviewer}");
    let o = app.office.id;
    let a = agency.id;
    let pages = [
        format!("/offices/{o}"),
        format!("/offices/{o}/reports"),
        format!("/offices/{o}/reports/unpublished"),
        format!("/offices/{o}/rollup"),
        format!("/offices/{o}/compare"),
        format!("/offices/{o}/statistics"),
        format!("/agencies/{a}"),
        format!("/agencies/{a}/public"),
        format!("/agencies/{a}/compare"),
        format!("/agencies/{a}/column"),
        format!("/agencies/{a}/guide"),
        "/".to_owned(),
        "/search?q=HYPERLINK".to_owned(),
        "/statistics".to_owned(),
        "/data".to_owned(),
    ];
    for path in &pages {
        let r = app.get(path, &office_cookies).await;
        assert!(!r.status.is_server_error(), "{path}: {}", r.status);
        assert!(!r.body.contains("<script>alert(1)"), "{path}: the name is not escaped");
    }
    let csvs = [
        format!("/offices/{o}/reports.csv"),
        format!("/offices/{o}/reports/unpublished.csv"),
        "/api/v1/data/cells.csv".to_owned(),
        "/api/v1/data/findings.csv".to_owned(),
    ];
    let mut guarded = 0;
    for path in &csvs {
        let r = app.get(path, &office_cookies).await;
        if r.status != StatusCode::OK {
            assert!(r.status.is_client_error(), "{path}: {}", r.status);
            continue;
        }
        let text = r.body.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        for record in reader.records() {
            let record = record.unwrap_or_else(|e| panic!("{path}: not CSV ({e})"));
            for cell in &record {
                let live = cell.starts_with(['=', '+', '@'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!live, "{path}: a live formula {cell:?}");
            }
        }
        if r.body.contains("'=HYPERLINK") {
            guarded += 1;
        }
    }
    assert!(guarded >= 1, "the hostile name is in an export, guarded");
}
