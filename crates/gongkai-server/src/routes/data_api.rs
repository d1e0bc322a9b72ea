//! The open data API, for everyone (no login): the cells and the findings of published report
//! versions for a filter (`year`, `from`/`to`, `office`, `region`, `agency`) as CSV (`bom=1`
//! for Excel), XLSX, JSON or Parquet — `GET /api/v1/data/{cells,findings}.{csv,xlsx,json,parquet}`
//! — and both as year-partitioned Parquet files in a zip, `GET /api/v1/data/cells-parquet.zip`.
//! What is selected, the columns and the writers are [`crate::opendata`]'s.
//!
//! Every answer carries a strong `ETag` derived from the selected versions' SHA-256; a request
//! naming it is answered `304` after one small query, before any report is read.

use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use gongkai_store::PublishedReport;

use super::{Access, Route};
use crate::cache;
use crate::error::AppError;
use crate::opendata::{self, DataQuery, Dataset, Filter, Format, Selected};
use crate::routes::published::content_disposition;
use crate::state::AppState;

/// Declares one handler per dataset and format, each with its OpenAPI path.
macro_rules! downloads {
    ($($name:ident: $path:literal, $dataset:ident, $format:ident, $what:literal;)*) => {
        /// The routes.
        pub fn routes() -> Vec<Route> {
            vec![
                $(Route::get($path, Access::Public, $name).api(),)*
                Route::get("/api/v1/data/cells-parquet.zip", Access::Public, partitioned).api(),
            ]
        }

        /// The API paths.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($name,)* partitioned))]
        pub struct Api;

        $(
            #[doc = $what]
            #[utoipa::path(
                get,
                path = $path,
                tag = "open data",
                params(DataQuery),
                responses(
                    (status = 200, description = $what),
                    (status = 304, description = "not modified: `If-None-Match` names the tag of the same selection"),
                    (status = 422, description = "a bad filter (the field is named), an office id that is no office, or more reports than one download may hold")
                )
            )]
            async fn $name(
                State(state): State<AppState>,
                headers: HeaderMap,
                Query(q): Query<DataQuery>,
            ) -> Result<Response, AppError> {
                download(&state, &headers, &q, Dataset::$dataset, Format::$format).await
            }
        )*
    };
}

downloads! {
    cells_csv: "/api/v1/data/cells.csv", Cells, Csv,
        "Cells of published reports as CSV (UTF-8; `bom=1` adds a byte order mark for Excel): one row per agency, year and cell.";
    cells_xlsx: "/api/v1/data/cells.xlsx", Cells, Xlsx,
        "Cells of published reports as an XLSX workbook (a sheet of rows and a sheet of columns).";
    cells_json: "/api/v1/data/cells.json", Cells, Json,
        "Cells of published reports as JSON: the columns, then one object per row.";
    cells_parquet: "/api/v1/data/cells.parquet", Cells, Parquet,
        "Cells of published reports as one Parquet file.";
    findings_csv: "/api/v1/data/findings.csv", Findings, Csv,
        "Findings of the rules on published reports as CSV: one row per finding.";
    findings_xlsx: "/api/v1/data/findings.xlsx", Findings, Xlsx,
        "Findings of the rules on published reports as an XLSX workbook.";
    findings_json: "/api/v1/data/findings.json", Findings, Json,
        "Findings of the rules on published reports as JSON.";
    findings_parquet: "/api/v1/data/findings.parquet", Findings, Parquet,
        "Findings of the rules on published reports as one Parquet file.";
}

/// The selection of a filter, refused beyond `max` reports.
async fn selection(state: &AppState, filter: &Filter, max: usize) -> Result<Selected, AppError> {
    let selected = opendata::select(state, filter).await?;
    let n = selected.versions.len();
    if n > max {
        return Err(AppError::field(
            "year",
            format!("所选范围有{n}份报告，一次最多下载{max}份：请缩小年度、单位或地区范围"),
            format!(
                "the filter selects {n} reports; one download holds at most {max}: narrow the \
                 years, the office or the region"
            ),
        ));
    }
    Ok(selected)
}

/// The reports of a selection, with the selection they make: when a version was published
/// between the two queries, the answer is tagged by what it holds.
async fn load(
    state: &AppState,
    filter: &Filter,
    max: usize,
    selected: Selected,
) -> Result<(Vec<PublishedReport>, Selected), AppError> {
    let reports = state.store.selected_reports(&filter.selection()).await?;
    let same = reports.len() == selected.versions.len()
        && reports.iter().zip(&selected.versions).all(|(r, (a, v))| r.agency == *a && r.version == *v);
    if same {
        return Ok((reports, selected));
    }
    let mut again = selection(state, filter, max.max(reports.len())).await?;
    again.versions = reports.iter().map(|r| (r.agency, r.version.clone())).collect();
    Ok((reports, again))
}

/// The file name of a download: `gongkai-cells-year=2024&office=3.csv` made safe.
fn file_name(what: &str, filter: &Filter, extension: &str) -> String {
    let q = filter.query().replace(['=', '&'], "-");
    if q.is_empty() {
        format!("gongkai-{what}.{extension}")
    } else {
        format!("gongkai-{what}-{q}.{extension}")
    }
}

/// A download's answer: the body with its type, name and tag.
fn answer(
    bytes: Vec<u8>,
    media_type: &'static str,
    name: &str,
    tag: &str,
) -> Result<Response, AppError> {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
    let disposition = content_disposition(name, name);
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(AppError::internal)?,
    );
    headers.insert(ETAG, HeaderValue::from_str(tag).map_err(AppError::internal)?);
    Ok(response)
}

/// One dataset in one format.
async fn download(
    state: &AppState,
    headers: &HeaderMap,
    q: &DataQuery,
    dataset: Dataset,
    format: Format,
) -> Result<Response, AppError> {
    let filter = Filter::parse(q)?;
    let selected = selection(state, &filter, format.max_reports()).await?;
    let tag = |s: &Selected| {
        opendata::tag(dataset.key(), format.extension(), &filter, &s.versions, &s.origins)
    };
    let first = tag(&selected);
    if cache::fresh(headers, &first) {
        return Ok(cache::not_modified(&first, cache::PUBLIC));
    }
    let (reports, selected) = load(state, &filter, format.max_reports(), selected).await?;
    let tag = tag(&selected);
    let bom = filter.bom;
    let origins = selected.origins;
    let bytes = tokio::task::spawn_blocking(move || {
        let rows = opendata::rows(dataset, &reports, &origins)?;
        match format {
            Format::Csv => opendata::csv(dataset.columns(), &rows, bom),
            Format::Xlsx => opendata::xlsx(dataset, &rows),
            Format::Json => opendata::json(dataset, &rows),
            Format::Parquet => opendata::parquet(dataset, &rows, false),
        }
    })
    .await
    .map_err(AppError::internal)??;
    let name = file_name(dataset.key(), &filter, format.extension());
    answer(bytes, format.media_type(), &name, &tag)
}

/// Cells and findings as year-partitioned Parquet files (Hive layout) in a zip:
/// `cells/year=YYYY/part-0.parquet`, `findings/year=YYYY/part-0.parquet`, for DuckDB, Spark or
/// Trino to read the unzipped folder directly.
#[utoipa::path(
    get,
    path = "/api/v1/data/cells-parquet.zip",
    tag = "open data",
    params(DataQuery),
    responses(
        (status = 200, description = "a zip: `cells/year=YYYY/part-0.parquet`, `findings/year=YYYY/part-0.parquet` (the year is the folder's, not a column of the files) and README.txt", content_type = "application/zip"),
        (status = 304, description = "not modified"),
        (status = 422, description = "a bad filter, or more reports than one download may hold")
    )
)]
async fn partitioned(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<DataQuery>,
) -> Result<Response, AppError> {
    let filter = Filter::parse(&q)?;
    let selected = selection(&state, &filter, opendata::MAX_REPORTS).await?;
    let first = opendata::tag("zip", "parquet", &filter, &selected.versions, &selected.origins);
    if cache::fresh(&headers, &first) {
        return Ok(cache::not_modified(&first, cache::PUBLIC));
    }
    let (reports, selected) = load(&state, &filter, opendata::MAX_REPORTS, selected).await?;
    let tag = opendata::tag("zip", "parquet", &filter, &selected.versions, &selected.origins);
    let origins = selected.origins;
    let mut years: Vec<i16> = reports.iter().map(|r| r.version.year).collect();
    years.dedup();
    let readme = format!(
        "gongkai open data: the cells and findings of published annual reports.\n\
         Filter: {}\n\nRead the unzipped folder with DuckDB:\n\n{}\n\n\
         The columns are documented at /data (and docs/open-data.md).\n",
        if filter.query().is_empty() { "(all)".to_owned() } else { filter.query() },
        opendata::DUCKDB
    );
    let bytes = tokio::task::spawn_blocking(move || {
        let cells = opendata::rows(Dataset::Cells, &reports, &origins)?;
        let findings = opendata::rows(Dataset::Findings, &reports, &origins)?;
        opendata::partitioned_zip(&cells, &findings, &years, &readme)
    })
    .await
    .map_err(AppError::internal)??;
    let name = file_name("parquet", &filter, "zip");
    answer(bytes, "application/zip", &name, &tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_name_the_filter() {
        let f = Filter::parse(&DataQuery {
            year: Some("2024".into()),
            office: Some("3".into()),
            ..DataQuery::default()
        })
        .expect("filter");
        assert_eq!(file_name("cells", &f, "csv"), "gongkai-cells-year-2024-office-3.csv");
        let all = Filter::parse(&DataQuery::default()).expect("filter");
        assert_eq!(file_name("findings", &all, "json"), "gongkai-findings.json");
    }
}
