//! The public list of agencies: `GET /api/v1/agencies`.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::{Access, Route};
use crate::error::AppError;
use crate::state::AppState;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/agencies", Access::Public, list).api()]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(list), components(schemas(Agency)))]
pub struct Api;

/// An agency, as the public sees it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Agency {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The supervising office's id.
    pub office_id: Option<i64>,
    /// The administrative region code (6 digits).
    pub region: String,
    /// Its level (`county`, `city`, …).
    pub level: &'static str,
}

/// Every agency.
#[utoipa::path(
    get,
    path = "/api/v1/agencies",
    tag = "agencies",
    responses((status = 200, description = "every agency, by id", body = [Agency]))
)]
async fn list(State(state): State<AppState>) -> Result<Json<Vec<Agency>>, AppError> {
    let agencies = state.store.agencies().await?;
    Ok(Json(
        agencies
            .into_iter()
            .map(|o| Agency {
                id: o.id.0,
                name: o.name,
                office_id: o.parent.map(|p| p.0),
                region: o.region.as_str().to_owned(),
                level: o.level.key(),
            })
            .collect(),
    ))
}
