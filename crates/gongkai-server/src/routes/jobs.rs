//! `GET /api/v1/jobs/{id}` — an upload being read in the background (the job id that
//! `POST /api/v1/offices/{id}/documents` answers for a large upload): `202` with the counts while
//! files are still being read, then `200` with every file, in the same shape as the upload's own
//! answer ([`super::collect::FileResult`]).
//!
//! Who: office reviewers of the office that uploaded it or of an office above; anyone else gets
//! the answer of a job that does not exist.

use axum::extract::{Path, State};
use axum::response::Response;
use gongkai_store::BatchId;

use super::collect::batch_answer;
use super::{Access, Route};
use crate::auth::Actor;
use crate::error::AppError;
use crate::i18n::Ui;
use crate::policy::{self, Action};
use crate::state::AppState;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/jobs/{id}", Access::SignedIn, job).api()]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(job))]
pub struct Api;

/// An upload's files: `200` with every file once all are read or failed, else `202` with the
/// counts so far.
#[utoipa::path(
    get,
    path = "/api/v1/jobs/{id}",
    tag = "collect",
    params(("id" = i64, Path, description = "the job")),
    responses(
        (status = 200, description = "every file, read", body = Vec<super::collect::FileResult>),
        (status = 202, description = "still being read", body = super::collect::JobAccepted),
        (status = 401, description = "no credentials", body = crate::error::ErrorBody),
        (status = 404, description = "no such job, or not the caller's to see", body = crate::error::ErrorBody),
    )
)]
async fn job(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let batch = BatchId(id);
    let (office, jobs) = state.store.read_batch(batch).await?.ok_or(AppError::NotFound)?;
    policy::office(&state, &actor, Action::CollectReports, office).await.map_err(
        |e| match e {
            AppError::Forbidden => AppError::NotFound,
            other => other,
        },
    )?;
    batch_answer(&state, lang, batch, &jobs).await
}
