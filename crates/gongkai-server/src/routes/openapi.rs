//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the API.

use axum::Json;

use super::{Access, Route};

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/openapi.json", Access::Public, document).api()]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(document))]
pub struct Api;

/// The OpenAPI document of this API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "the OpenAPI 3.1 document", content_type = "application/json"))
)]
async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(super::openapi())
}
