//! The web application: agencies' casework and annual reports in the browser, over
//! [`gongkai_store`]. axum on tokio; server-rendered HTML from compiled askama templates;
//! Chinese first with an English toggle; no JavaScript build and no CDN (the few vendored assets
//! are compiled in); a JSON API under `/api/v1` described by an OpenAPI 3.1 document.
//!
//! | file | role |
//! |---|---|
//! | [`state`] | [`AppState`]: store, calendar, case policy, [`Config`], [`Clock`], login limiter |
//! | [`error`] | [`AppError`], the one error type, and the one middleware that writes error bodies |
//! | [`i18n`] | the request's [`Lang`] and [`texts!`], each page's zh/en texts |
//! | [`auth`] | sessions, Bearer tokens, CSRF, login rate limit, the [`Actor`] extractor |
//! | [`policy`] | the one table `(role, action, reach) → allow`; [`AgencyScope`] |
//! | [`page`] | the layout's data ([`page::Chrome`]) and rendering |
//! | [`routes`] | the route table: one file per resource; [`router`] is built from it |
//! | [`api`] | the OpenAPI document's head (each resource adds its paths) |
//! | [`demo`] | the `--demo` county, seeded idempotently |
//! | [`deadlines`] | at start, the deadlines a newer calendar determines (cases derived again) |
//! | [`correction`] | the 更正理由 input of every form that may change a published year |
//! | [`board`] | 年报汇总, an office's status board: the status vocabulary, rows, checks, exports |
//! | [`collect`] | collected reports: zips expanded, files read and matched, the background reader |
//! | [`portal`] | the public portal's data in memory, keyed by the store's public generation |
//! | [`search`] | the public search of agencies: names in Chinese, pinyin, initials; regions |
//! | [`cache`] | HTTP caching of public answers: tags, `304`, `Cache-Control`, `Vary` (one middleware) |
//! | [`opendata`] | open data: the columns declared once, the published reports selected, CSV/XLSX/JSON/Parquet/zip |
//!
//! # How to add a page
//!
//! 1. **Route file.** `src/routes/<resource>.rs` with `pub fn routes() -> Vec<Route>` (each
//!    [`routes::Route`] with its path in `{param}` syntax and its [`routes::Access`]) and
//!    `#[derive(utoipa::OpenApi)] pub struct Api;` — list every JSON handler in
//!    `#[openapi(paths(…))]`, annotate it with `#[utoipa::path(…)]` and mark its route `.api()`.
//!    Name the module once in `resources![…]` in `src/routes/mod.rs`: that adds its routes to the
//!    router and its paths to the OpenAPI document (a test fails when the two disagree).
//! 2. **Template.** `templates/<page>.html` starting with `{% extends "base.html" %}` and
//!    filling `{% block content %}`; the template struct has a `chrome: page::Chrome` field
//!    (built with [`page::Chrome::new`], naming the page's [`page::Nav`] section) and a `t`
//!    field with the page's texts. Every state-changing form has
//!    `<input type="hidden" name="csrf" value="{{ chrome.csrf }}">` (the [`auth::csrf`]
//!    middleware refuses it otherwise); every input has a `<label>`; no inline script or style
//!    (the CSP forbids them: put styles in `assets/style.css`).
//! 3. **Policy action.** The handler's first step is [`policy::agency`] (or [`policy::office`])
//!    with the page's [`policy::Action`]; it returns the scope whose id the handler passes to the
//!    store. A new kind of action goes into [`policy::Action`] and its rows into
//!    [`policy::TABLE`].
//! 4. **Texts.** Declare the page's texts once in its route file with [`texts!`]
//!    (`name: "中文" | "English",`); errors are [`AppError`]s (a form error names its field with
//!    [`AppError::field`]); the domain's own messages ([`gongkai_model::Localized`]) are shown
//!    with `message(lang)`.
//! 5. **Tests.** HTTP tests through the real router in `tests/` (see `tests/common/mod.rs`:
//!    a fresh SQLite store, or PostgreSQL when `GONGKAI_TEST_POSTGRES_URL` is set; a fixed
//!    clock), an insta snapshot of the page's HTML, and the refusals: 401 without credentials,
//!    another agency's id answering like a nonexistent one. The route-table tests
//!    (`tests/routes.rs`) cover new routes by themselves.

pub mod api;
pub mod auth;
pub mod board;
pub mod cache;
pub mod collect;
pub mod correction;
pub mod deadlines;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod opendata;
pub mod page;
pub mod policy;
pub mod portal;
pub mod routes;
pub mod search;
pub mod state;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use auth::Actor;
pub use error::AppError;
pub use i18n::Lang;
pub use policy::AgencyScope;
pub use state::{AppState, Clock, Config};

/// The Content-Security-Policy of every response: our own files only, no inline script or
/// style, no framing (the public report page allows its one inline sheet by its hash).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The application: the route table's router with its middleware and state. Inside a tokio
/// runtime it also starts the state's background reader of collected files ([`collect::Reads`]),
/// once per state.
pub fn router(state: AppState) -> Router {
    collect::Reads::start(&state);
    let config = state.config.clone();
    routes::router(routes::table(), config.upload_limit)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::csrf))
        .layer(axum::middleware::from_fn(i18n::remember))
        .layer(axum::middleware::from_fn(cache::revalidate))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(RequestBodyLimitLayer::new(config.upload_limit.max(config.body_limit)))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        // Outside the limit and time layers, whose own answers (413, 408) have no body: they too
        // get the one error body.
        .layer(axum::middleware::from_fn(error::render))
        .layer(header(CONTENT_SECURITY_POLICY, CSP))
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        .layer(header(REFERRER_POLICY, "same-origin"))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    // The route's pattern, never the query or the concrete path: no case numbers
                    // or other personal data in the log.
                    let route = request
                        .extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map_or("unmatched", |p| p.as_str())
                        .to_owned();
                    tracing::info_span!("request", method = %request.method(), route)
                })
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .with_state(state)
}

/// A security header set on every response that has none of its own.
fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// The database URL of `gongkai serve`/`gongkai admin`: `db` when given, else the SQLite file of
/// the data directory `data` (created when missing).
///
/// # Errors
/// A data directory that cannot be created, or a path that is not UTF-8.
pub fn database_url(data: &std::path::Path, db: Option<&str>) -> anyhow::Result<String> {
    if let Some(url) = db {
        return Ok(url.to_owned());
    }
    std::fs::create_dir_all(data)?;
    Ok(gongkai_store::sqlite_url(&data.join(gongkai_store::SQLITE_FILE), true)?)
}

/// Structured logs on standard error (`GONGKAI_LOG` filters, e.g. `debug` or
/// `info,gongkai_server=debug`; default `info`). The log carries routes, statuses, user and
/// organisation ids — never names, request bodies or applicants' data.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GONGKAI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// Serves the application on `listener` until Ctrl-C or SIGTERM, then finishes the requests in
/// flight and returns. The public portal's data is computed in the background from the start
/// ([`portal::Portal::warm`]); requests are served meanwhile.
///
/// # Errors
/// The listener's I/O errors.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let warming = state.clone();
    tokio::spawn(async move {
        if let Err(e) = portal::Portal::warm(&warming).await {
            tracing::warn!(error = %e, "the portal's data could not be computed ahead");
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
