//! The route table: one file per resource, each with its [`Route`]s (`routes()`) and its part of
//! the OpenAPI document (`Api`). [`table`] lists them all; the router ([`crate::router`]) is built
//! from it and the OpenAPI document's paths are compared with its API routes (a test).
//!
//! To add a resource: write `routes/<resource>.rs` with `pub fn routes() -> Vec<Route>` and
//! `#[derive(utoipa::OpenApi)] pub struct Api;` (listing its API handlers in
//! `#[openapi(paths(…))]`), then name the module once in [`resources!`] below.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;

use crate::policy::Action;
use crate::state::AppState;

/// Declares the resource modules: each is listed once, here, and both its routes and its
/// OpenAPI part are collected.
macro_rules! resources {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every route of every resource.
        pub fn table() -> Vec<Route> {
            let mut all = Vec::new();
            $(all.extend($module::routes());)*
            all
        }

        /// The OpenAPI document: every resource's part, merged.
        pub fn openapi() -> utoipa::openapi::OpenApi {
            use utoipa::OpenApi as _;
            let mut doc = crate::api::ApiDoc::openapi();
            $(doc.merge($module::Api::openapi());)*
            crate::api::complete(&mut doc, &table());
            doc
        }
    };
}

resources![
    assets,
    health,
    session,
    dashboard,
    agencies,
    openapi,
    applications,
    application,
    reports,
    published,
    registers,
    register_import,
    proactive,
    letters,
    office_status,
    collect,
    documents,
    jobs,
    rollup,
    compare,
    findings,
    home,
    search,
    public_agency,
    statistics,
    data,
    data_api,
    column,
    column_feed,
    guide,
    column_attachment,
    report_sources,
];

/// Who may call a route: checked again by the handler through [`crate::policy`]; declared here
/// so that the security tests can enumerate the router.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in user allowed `Action` on the agency `{id}` of the path.
    Agency(Action),
    /// A signed-in user allowed `Action` on the office `{id}` of the path.
    Office(Action),
}

/// One route: method, path (axum and OpenAPI syntax alike: `/agencies/{id}`), who may call it,
/// whether it belongs to the JSON API (and so to the OpenAPI document), and its handler.
pub struct Route {
    /// The method.
    pub method: Method,
    /// The path.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Whether it is part of the documented JSON API.
    pub api: bool,
    /// Whether it takes file uploads: bodies up to [`crate::Config::upload_limit`] rather than
    /// [`crate::Config::body_limit`].
    pub upload: bool,
    handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {:?}{}",
            self.method,
            self.path,
            self.access,
            if self.api { " api" } else { "" }
        )
    }
}

impl Route {
    /// A `GET` route.
    pub fn get<H, T>(path: &'static str, access: Access, handler: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route {
            method: Method::GET,
            path,
            access,
            api: false,
            upload: false,
            handler: axum::routing::get(handler),
        }
    }

    /// A `POST` route.
    pub fn post<H, T>(path: &'static str, access: Access, handler: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route {
            method: Method::POST,
            path,
            access,
            api: false,
            upload: false,
            handler: axum::routing::post(handler),
        }
    }

    /// Marks the route as taking file uploads (bodies up to [`crate::Config::upload_limit`]).
    #[must_use]
    pub fn upload(mut self) -> Route {
        self.upload = true;
        self
    }

    /// Marks the route as part of the JSON API: its handler must be in the OpenAPI document.
    #[must_use]
    pub fn api(mut self) -> Route {
        self.api = true;
        self
    }
}

/// The router of a route table (without state or middleware; see [`crate::router`]): upload
/// routes take bodies up to `upload_limit`, the others up to the router's default limit; the
/// answers of public `GET` routes are marked for [`crate::cache::revalidate`].
pub fn router(table: Vec<Route>, upload_limit: usize) -> Router<AppState> {
    table.into_iter().fold(Router::new(), |router, route| {
        let handler = if route.upload {
            route.handler.layer(axum::extract::DefaultBodyLimit::max(upload_limit))
        } else {
            route.handler
        };
        let handler = if route.access == Access::Public && route.method == Method::GET {
            handler.layer(axum::middleware::map_response(crate::cache::mark))
        } else {
            handler
        };
        router.route(route.path, handler)
    })
}
