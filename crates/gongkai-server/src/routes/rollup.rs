//! 年报汇总, an office's roll-up: `GET /offices/{id}/rollup?year=Y` (the summed Tables 2–4 in the
//! official layout, every summed cell linked to its drill-down, every `?` with its causes),
//! `GET /offices/{id}/rollup/{cell_key}?year=Y` (each agency's value of one cell, linked to its
//! published report) and `GET /api/v1/offices/{id}/rollup?year=Y` (the summed tables as
//! gongkai-report JSON, with the agencies included and missing and the causes).
//!
//! The parts are each agency's latest published version for the year, over the office's whole
//! subtree (agencies under its sub-offices too), gathered by [`parts`] alone; the sums, the
//! causes and the drill-down are [`gongkai_rollup`]'s, the tables [`gongkai_render::html::tables`]'
//! (the same layout as a published report; its inline sheet allowed by its CSP hash).

use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::response::{IntoResponse, Response};
use gongkai_model::json::{Location, ReportJson};
use gongkai_model::{CellKey, Lang, Layout, Localized as _, Report, TableId, TableLayout, Value};
use gongkai_render::html::CellLink;
use gongkai_rollup::{Agency, PartValue, Reason, Rollup};
use gongkai_store::{DocumentId, Org, OrgId, OrgKind};
use serde::{Deserialize, Serialize};

use super::{Access, Route};
use crate::auth::{Actor, CsrfToken};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, OfficeScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/offices/{id}/rollup", Access::Office(Action::ViewOffice), page),
        Route::get("/offices/{id}/rollup/{cell_key}", Access::Office(Action::ViewOffice), cell),
        Route::get("/api/v1/offices/{id}/rollup", Access::Office(Action::ViewOffice), api).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api), components(schemas(RollupJson, AgencyJson, CauseJson)))]
pub struct Api;

texts! {
    /// The roll-up's texts.
    pub struct RollupText {
        title: "年度报告汇总" | "Roll-up of the annual reports",
        year: "年度" | "Year",
        show: "查看" | "Show",
        included: "纳入汇总的机关" | "Agencies included",
        missing: "没有已发布本年度报告的机关" | "Agencies without a published report for the year",
        unknown_cells: "无法汇总的单元格（?）" | "Cells that cannot be summed (?)",
        rule: "每个单元格为各机关最新发布版本之和。某一机关该格为“?”、空白、“/”，或没有报告，则合计为“?”，原因列于下方；所有机关均为空白（或均为“/”）时合计亦为空白（或“/”）。点击单元格查看各机关的数值。" | "Each cell is the sum over the agencies' latest published versions. A cell is “?” when an agency's part is “?”, blank or “/” beside numbers, or when an agency has no report; the causes are listed below. When every agency printed the cell blank (or “/”), so is the sum. Select a cell to see each agency's value.",
        causes: "“?”的原因" | "Why cells are “?”",
        agency: "机关" | "Agency",
        reason: "原因" | "Reason",
        cells: "单元格" | "Cells",
        all_cells: "全部单元格" | "every cell",
        table_cells: "全部单元格：表" | "every cell of Table ",
        no_agency: "（合计）" | "(the sum)",
        none_missing: "所有机关均已发布本年度报告。" | "Every agency has published its report for the year.",
        official: "以下为汇总表，版式与年度报告相同。" | "The summary tables below are in the official layout of the annual report, in Chinese.",
        api: "JSON 数据" | "JSON data",
        drill: "汇总单元格：各机关的数值" | "A summed cell: each agency's value",
        sum: "合计" | "Sum",
        value: "数值" | "Value",
        note: "说明" | "Note",
        back: "返回汇总表" | "Back to the roll-up",
        no_report: "没有报告" | "no report",
        no_table: "无此表" | "no such table",
        lacks_cell: "无此格" | "no such cell",
        blank: "（空白）" | "(blank)",
        unknown_cell: "不是汇总表的单元格" | "not a cell of the summary tables",
        more_causes: "另有" | "and",
        more_causes_end: "项原因" | "more",
    }
}

/// The year asked for.
#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct YearQuery {
    /// The report year (last year when absent).
    pub year: Option<i16>,
}

/// One agency in the API's answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AgencyJson {
    /// The agency's id.
    pub agency_id: i64,
    /// Its name.
    pub agency: String,
}

/// Why some summed cells are `?`: one agency (none for `out_of_range`), one reason, the cells.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CauseJson {
    /// The agency (`null` for `out_of_range`, a sum beyond the range computed with).
    pub agency_id: Option<i64>,
    /// Its name.
    pub agency: Option<String>,
    /// `no_report`, `no_table`, `layout_lacks_cell`, `blank`, `not_applicable`, `unknown`,
    /// `too_large` or `out_of_range`.
    pub reason: String,
    /// The mark printed (`not_applicable`), the number printed (`too_large`) or the layout
    /// (`layout_lacks_cell`: `trial`).
    pub detail: Option<String>,
    /// The table, for `no_table`.
    pub table: Option<String>,
    /// The summed cells it makes `?` (canonical keys, table order).
    pub cells: Vec<String>,
}

/// The roll-up in the API: the summed tables and what went into them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RollupJson {
    /// Always `gongkai-rollup`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The office.
    pub office_id: i64,
    /// Its name.
    pub office: String,
    /// The report year.
    pub year: i16,
    /// The agencies whose latest published version is summed.
    pub included: Vec<AgencyJson>,
    /// The agencies of the subtree without a published report for the year.
    pub missing: Vec<AgencyJson>,
    /// The summed Tables 2–4 (2021 layout) as a gongkai-report document
    /// (`schema/report.schema.json`): `meta.agency` is the office.
    #[schema(value_type = Object)]
    pub report: ReportJson,
    /// Why cells are `?`, by agency and reason (empty when every cell was summed).
    pub causes: Vec<CauseJson>,
}

/// The parts of an office's roll-up for `year`: every agency of its subtree (agencies under its
/// sub-offices too; by level, then name) with its latest published version — or, when it
/// published nowhere in gongkai, the latest report of it the offices collected (published
/// elsewhere, matched to it) —, and the agencies without either. The one place the roll-up's
/// sources are gathered ([`gongkai_store::Store::subtree`],
/// [`gongkai_store::Store::latest_reports`], [`gongkai_store::Store::collected_reports`]).
pub(crate) async fn parts(
    state: &AppState,
    office: OrgId,
    year: i16,
) -> Result<Parts, AppError> {
    let mut published: BTreeMap<OrgId, String> = state
        .store
        .latest_reports(office, year)
        .await?
        .into_iter()
        .map(|p| (p.agency, p.report))
        .collect();
    let mut collected: BTreeMap<OrgId, (DocumentId, String)> = state
        .store
        .collected_texts(office, year)
        .await?
        .into_iter()
        .filter(|(c, _)| !published.contains_key(&c.agency))
        .map(|(c, text)| (c.agency, (c.document, text)))
        .collect();
    let mut parts = Parts::default();
    for org in state.store.subtree(office).await? {
        if org.kind != OrgKind::Agency {
            continue;
        }
        let agency = Agency { id: org.id.0, name: org.name };
        if let Some(json) = published.remove(&org.id) {
            parts.reports.push((agency, super::published::report_of(&json)?));
            continue;
        }
        match collected.remove(&org.id) {
            Some((document, text)) => {
                parts.collected.insert(agency.id, document);
                parts.reports.push((agency, super::published::report_of(&text)?));
            }
            None => parts.missing.push(agency),
        }
    }
    Ok(parts)
}

/// What [`parts`] gathers.
#[derive(Default)]
pub(crate) struct Parts {
    /// The agencies with a report, and their reports.
    pub(crate) reports: Vec<(Agency, Report)>,
    /// The agencies without one.
    pub(crate) missing: Vec<Agency>,
    /// The agencies whose report is a collected document (by agency id), not a publication.
    pub(crate) collected: BTreeMap<i64, DocumentId>,
}

impl Parts {
    /// Where an agency's summed report can be seen: its collected document, or its published
    /// report of `year`.
    pub(crate) fn source(&self, agency: i64, year: i16) -> String {
        match self.collected.get(&agency) {
            Some(document) => format!("/documents/{document}"),
            None => format!("/agencies/{agency}/reports/{year}"),
        }
    }
}

impl Parts {
    /// The roll-up over these parts.
    pub(crate) fn rollup(&self, office: &Org, year: i16) -> Rollup<'_> {
        gongkai_rollup::rollup(
            &office.name,
            i32::from(year),
            self.reports.iter().map(|(a, r)| (a.clone(), r)),
            self.missing.iter().cloned(),
        )
    }
}

/// The year of the query, or last year.
fn year_of(state: &AppState, q: &YearQuery) -> i16 {
    q.year.unwrap_or_else(|| state.clock.today().year() - 1)
}

/// The scope, the parts and the year of a request.
async fn gathered(
    state: &AppState,
    actor: &Actor,
    id: i64,
    q: &YearQuery,
) -> Result<(OfficeScope, Parts, i16), AppError> {
    let scope = policy::office(state, actor, Action::ViewOffice, OrgId(id)).await?;
    let year = year_of(state, q);
    let parts = parts(state, scope.id(), year).await?;
    Ok((scope, parts, year))
}

/// The detail of a reason, for machines.
fn detail(reason: &Reason) -> Option<String> {
    match reason {
        Reason::NotApplicable(m) => Some(m.clone()),
        Reason::TooLarge(d) => Some(d.to_string()),
        Reason::LayoutLacksCell(l) => Some(l.key().to_owned()),
        _ => None,
    }
}

/// The office's roll-up as JSON: the summed tables (gongkai-report JSON), the agencies included
/// and missing, and the causes of every `?`.
#[utoipa::path(
    get,
    path = "/api/v1/offices/{id}/rollup",
    tag = "offices",
    params(("id" = i64, Path, description = "the office"), YearQuery),
    responses(
        (status = 200, description = "the roll-up", body = RollupJson),
        (status = 404, description = "no such office, or not one the caller oversees")
    )
)]
async fn api(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Json<RollupJson>, AppError> {
    let (scope, parts, year) = gathered(&state, &actor, id, &q).await?;
    let office = scope.org().clone();
    let json = tokio::task::spawn_blocking(move || {
        let r = parts.rollup(&office, year);
        let agency = |i: Option<usize>| i.and_then(|i| r.agencies().get(i));
        let listed = |a: &Agency| AgencyJson { agency_id: a.id, agency: a.name.clone() };
        RollupJson {
            format: "gongkai-rollup".to_owned(),
            version: 1,
            office_id: office.id.0,
            office: office.name.clone(),
            year,
            included: r.agencies().iter().take(r.included()).map(listed).collect(),
            missing: r.missing().map(listed).collect(),
            report: ReportJson::from_report(r.report(), &|_| Location::default()),
            causes: r
                .cause_groups()
                .into_iter()
                .map(|g| CauseJson {
                    agency_id: agency(g.agency).map(|a| a.id),
                    agency: agency(g.agency).map(|a| a.name.clone()),
                    reason: g.reason.key().to_owned(),
                    detail: detail(g.reason),
                    table: g.table.map(|t| t.key().to_owned()),
                    cells: g.cells.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        }
    })
    .await
    .map_err(AppError::internal)?;
    Ok(Json(json))
}

/// One line of the causes on the page.
struct CauseRow {
    agency: String,
    href: Option<String>,
    reason: String,
    cells: String,
}

/// One agency listed on the page.
struct AgencyLink {
    name: String,
    href: String,
}

#[derive(Template)]
#[template(path = "rollup.html")]
struct RollupPage {
    chrome: Chrome,
    t: RollupText,
    heading: String,
    office_id: i64,
    year: i16,
    included: usize,
    missing: Vec<AgencyLink>,
    unknown: usize,
    causes: Vec<CauseRow>,
    css: String,
    article: String,
}

/// How many cell keys a line of causes names before it counts the rest.
const CELLS_SHOWN: usize = 8;

/// How many causes a `?` cell's note names before it counts the rest.
const CAUSES_SHOWN: usize = 4;

/// The heading: `县政务公开办2024年度报告汇总`.
fn heading(lang: Lang, t: RollupText, office: &str, year: i16) -> String {
    match lang {
        Lang::Zh => format!("{office}{year}{}", t.title),
        Lang::En => format!("{office}: {} {year}", t.title),
    }
}

/// A reason as people read it, naming the table for `no_table`.
fn reason_text(lang: Lang, reason: &Reason, table: Option<TableId>) -> String {
    let text = reason.describe().get(lang).to_owned();
    match (table, lang) {
        (Some(t), Lang::Zh) => format!("{text}（表{}）", t.number()),
        (Some(t), Lang::En) => format!("{text} (Table {})", t.number()),
        (None, _) => text,
    }
}

/// The note of a `?` cell: its first causes, then how many more.
fn cell_note(lang: Lang, t: RollupText, r: &Rollup<'_>, key: CellKey) -> String {
    let causes = r.causes(key);
    let mut parts: Vec<String> = causes
        .iter()
        .take(CAUSES_SHOWN)
        .map(|c| {
            let who = c.agency.and_then(|i| r.agencies().get(i)).map_or(t.no_agency, |a| &a.name);
            format!("{who}: {}", c.reason.describe().get(lang))
        })
        .collect();
    if causes.len() > CAUSES_SHOWN {
        parts.push(format!("{} {} {}", t.more_causes, causes.len() - CAUSES_SHOWN, t.more_causes_end));
    }
    parts.join(match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    })
}

/// The office's roll-up page.
async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (scope, parts, year) = gathered(&state, &actor, id, &q).await?;
    let t = RollupText::of(lang);
    let office = scope.org().clone();
    let view = tokio::task::spawn_blocking(move || -> Result<_, AppError> {
        let r = parts.rollup(&office, year);
        let fragment = gongkai_render::html::tables(r.report(), |key| {
            let unknown = r.value(key) == Some(&Value::Unknown);
            Some(CellLink {
                href: format!("/offices/{}/rollup/{key}?year={year}", office.id),
                title: if unknown { cell_note(lang, t, &r, key) } else { String::new() },
                class: if unknown { "gk-unknown" } else { "" },
            })
        })
        .map_err(|e| AppError::internal(e.bilingual()))?;
        let causes = r
            .cause_groups()
            .into_iter()
            .map(|g| {
                let agency = g.agency.and_then(|i| r.agencies().get(i));
                let cells = match (g.reason, g.table) {
                    (Reason::NoReport, _) => t.all_cells.to_owned(),
                    (Reason::NoTable, Some(table)) => format!("{}{}", t.table_cells, table.number()),
                    _ => cell_list(lang, &g.cells),
                };
                CauseRow {
                    agency: agency.map_or_else(|| t.no_agency.to_owned(), |a| a.name.clone()),
                    href: agency.map(|a| format!("/agencies/{}", a.id)),
                    reason: reason_text(lang, g.reason, g.table),
                    cells,
                }
            })
            .collect::<Vec<_>>();
        let missing = r
            .missing()
            .map(|a| AgencyLink { name: a.name.clone(), href: format!("/agencies/{}", a.id) })
            .collect::<Vec<_>>();
        Ok((fragment, causes, missing, r.included(), r.unknown_cells()))
    })
    .await
    .map_err(AppError::internal)??;
    let (fragment, causes, missing, included, unknown) = view;
    let office = scope.org();
    let heading = heading(lang, t, &office.name, year);
    let orgs = page::orgs_of(&state, &actor).await?;
    let chrome = Chrome::new(
        lang,
        heading.clone(),
        &csrf,
        &format!("/offices/{id}/rollup?year={year}"),
        Some((&actor, &orgs)),
        Some(office),
        Nav::Dashboard,
    );
    let page = RollupPage {
        chrome,
        t,
        heading,
        office_id: id,
        year,
        included,
        missing,
        unknown,
        causes,
        css: fragment.css,
        article: fragment.html,
    };
    with_sheet(&page, &page.css)
}

/// Cell keys as a short list: the first [`CELLS_SHOWN`], then how many in all.
fn cell_list(lang: Lang, cells: &[CellKey]) -> String {
    let shown: Vec<String> = cells.iter().take(CELLS_SHOWN).map(ToString::to_string).collect();
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let mut s = shown.join(sep);
    if cells.len() > CELLS_SHOWN {
        let n = cells.len();
        s.push_str(&match lang {
            Lang::Zh => format!("等，共 {n} 个单元格"),
            Lang::En => format!(", … {n} cells in all"),
        });
    }
    s
}

/// A page with the fragment's inline sheet allowed by its hash.
fn with_sheet(page: &impl Template, css: &str) -> Result<Response, AppError> {
    let csp = super::published::csp_with_style(css);
    let mut response = page::render(page)?.into_response();
    response
        .headers_mut()
        .insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).map_err(AppError::internal)?);
    Ok(response)
}

/// One agency's part in the drill-down.
struct PartRow {
    agency: String,
    href: Option<String>,
    value: String,
    note: String,
}

#[derive(Template)]
#[template(path = "rollup_cell.html")]
struct CellPage {
    chrome: Chrome,
    t: RollupText,
    heading: String,
    label: String,
    key: String,
    value: String,
    back: String,
    rows: Vec<PartRow>,
    causes: Vec<String>,
}

/// A value as the drill-down shows it.
fn shown(t: RollupText, v: &Value) -> String {
    match v {
        Value::Blank => t.blank.to_owned(),
        other => other.tsv(),
    }
}

/// One summed cell: each agency's value, linked to its published report, and the causes.
async fn cell(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path((id, cell_key)): Path<(i64, String)>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (scope, parts, year) = gathered(&state, &actor, id, &q).await?;
    let t = RollupText::of(lang);
    let key: CellKey = cell_key.parse().map_err(|_| AppError::NotFound)?;
    if TableLayout::get(key.table(), Layout::Format2021).index_of(key).is_none() {
        return Err(AppError::NotFound);
    }
    let office = scope.org().clone();
    let (value, rows, causes) = tokio::task::spawn_blocking(move || {
        let r = parts.rollup(&office, year);
        let value = r.value(key).map(|v| shown(t, v)).unwrap_or_default();
        let rows: Vec<PartRow> = r
            .drill(key)
            .into_iter()
            .filter_map(|c| {
                let a = r.agencies().get(c.agency)?;
                let report = Some(parts.source(a.id, year));
                let (value, href) = match c.part {
                    PartValue::Value(v) => (shown(t, v), report),
                    PartValue::NoReport => (t.no_report.to_owned(), None),
                    PartValue::NoTable => (t.no_table.to_owned(), report),
                    PartValue::LayoutLacksCell(_) => (t.lacks_cell.to_owned(), report),
                };
                let note = r
                    .causes(key)
                    .iter()
                    .filter(|cause| cause.agency == Some(c.agency))
                    .map(|cause| cause.reason.describe().get(lang).to_owned())
                    .collect::<Vec<_>>()
                    .join("；");
                Some(PartRow { agency: a.name.clone(), href, value, note })
            })
            .collect();
        let causes = r
            .causes(key)
            .iter()
            .filter(|c| c.agency.is_none())
            .map(|c| c.reason.describe().get(lang).to_owned())
            .collect();
        (value, rows, causes)
    })
    .await
    .map_err(AppError::internal)?;
    let office = scope.org();
    let heading = heading(lang, t, &office.name, year);
    let orgs = page::orgs_of(&state, &actor).await?;
    let chrome = Chrome::new(
        lang,
        format!("{key} · {heading}"),
        &csrf,
        &format!("/offices/{id}/rollup/{key}?year={year}"),
        Some((&actor, &orgs)),
        Some(office),
        Nav::Dashboard,
    );
    let page = CellPage {
        chrome,
        t,
        heading,
        label: TableLayout::get(key.table(), Layout::Format2021).cell_label(key),
        key: key.to_string(),
        value,
        back: format!("/offices/{id}/rollup?year={year}"),
        rows,
        causes,
    };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::{T3Col, T3Row};

    #[test]
    fn no_text_is_empty() {
        assert!(RollupText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn long_cell_lists_are_counted() {
        let keys: Vec<CellKey> =
            T3Row::ALL.iter().take(10).map(|&r| CellKey::t3(r, T3Col::Total)).collect();
        let s = cell_list(Lang::Zh, &keys);
        assert!(s.ends_with("等，共 10 个单元格"), "{s}");
        assert_eq!(s.matches("、").count(), CELLS_SHOWN - 1);
    }
}
