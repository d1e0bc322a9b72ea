//! `GET /healthz`: 200 when the store answers, 503 otherwise.

use axum::Json;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderName, StatusCode};
use serde::Serialize;

use super::{Access, Route};
use crate::state::AppState;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/healthz", Access::Public, healthz).api()]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(healthz), components(schemas(Health)))]
pub struct Api;

/// The health answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
}

/// Whether the server and its store answer.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses(
        (status = 200, description = "the store answers", body = Health),
        (status = 503, description = "the store does not answer", body = Health),
    )
)]
async fn healthz(
    State(state): State<AppState>,
) -> (StatusCode, [(HeaderName, &'static str); 1], Json<Health>) {
    // Always asked again: a cached "ok" would hide an outage.
    let fresh = [(CACHE_CONTROL, "no-store")];
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, fresh, Json(Health { status: "ok" })),
        Err(e) => {
            tracing::error!(error = %e, "health check: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, fresh, Json(Health { status: "unavailable" }))
        }
    }
}
