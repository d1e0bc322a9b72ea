//! 对比, an office's agencies side by side for a year: `GET /offices/{id}/compare?year=Y` — per
//! agency (and for the office's roll-up) the applications received and processed, the outcomes,
//! reconsiderations and lawsuits, and the rates of [`gongkai_rollup::rates`] (no rate below
//! [`gongkai_rollup::rates::MIN_COUNT`]: shown `—` with the reason), with a server-made SVG chart
//! ([`gongkai_render::charts::Chart`], the renderer's black-and-white bars).
//!
//! The reports are the roll-up's ([`super::rollup::parts`]: each agency's latest published
//! version over the whole subtree).
//!
//! `GET /agencies/{id}/compare` is one agency over the years, for everyone: the same figures and
//! rates for the latest published version of each year — published data only, as the public
//! report pages.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_model::{CellKey, Decimal, Lang, Report, T3Col, T3Row, T4Block, T4Col};
use gongkai_render::charts::{Chart, Series};
use gongkai_rollup::rates::{self, MIN_COUNT, RateKind};
use gongkai_store::{OrgId, OrgKind};

use super::rollup::YearQuery;
use super::{Access, Route};
use crate::auth::{Actor, CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/offices/{id}/compare", Access::Office(Action::ViewOffice), page),
        Route::get("/agencies/{id}/compare", Access::Public, agency),
    ]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The comparison's texts.
    pub struct CompareText {
        title: "机关对比" | "Agencies compared",
        year: "年度" | "Year",
        show: "查看" | "Show",
        agency: "机关" | "Agency",
        received: "本年新收申请" | "New applications",
        processed: "办结总计" | "Processed",
        granted: "予以公开" | "Granted",
        withheld: "不予公开" | "Withheld",
        review: "行政复议" | "Reconsiderations",
        litigation: "行政诉讼" | "Lawsuits",
        office_total: "汇总" | "Roll-up",
        guard: "比率只在分母不少于下列件数时计算，否则显示“—”（鼠标悬停可见原因）：" | "A rate is computed only when its denominator is at least this count; otherwise it shows “—” (hover for the reason): ",
        guard_unit: "件" | " applications",
        chart: "本年新收申请与予以公开（件数最多的机关）" | "New applications and granted (the agencies with the most)",
        none: "本年度没有机关发布报告。" | "No agency has published a report for the year.",
        missing: "未发布报告的机关（不在表中）" | "Agencies without a published report (not in the table)",
        rollup: "年度报告汇总" | "Roll-up",
        over_years: "历年对比" | "Over the years",
        report_year: "年度" | "Year",
        years_chart: "历年本年新收申请与予以公开" | "New applications and granted, year by year",
        no_years: "该机关尚未发布年度报告。" | "The agency has not published an annual report yet.",
    }
}

/// How many agencies the chart draws (the most applications first).
const CHARTED: usize = 20;

/// The sum of `keys` in `report` as shown (`?` when a cell is not a number).
pub(crate) fn figure(report: &Report, keys: &[CellKey]) -> (String, Option<Decimal>) {
    let mut total = Decimal::ZERO;
    for &k in keys {
        match report.operand(k).and_then(|d| total.checked_add(d)) {
            Some(t) => total = t,
            None => return ("?".to_owned(), None),
        }
    }
    (total.normalize().to_string(), Some(total))
}

/// The figures of a row, in the columns' order ([`columns`]).
pub(crate) fn figures(report: &Report) -> Vec<String> {
    let t3 = |r| CellKey::t3(r, T3Col::Total);
    let withheld: Vec<CellKey> = gongkai_rollup::rates::WITHHELD.iter().map(|&r| t3(r)).collect();
    let litigation =
        [T4Block::LitigationDirect, T4Block::LitigationAfterReview].map(|b| CellKey::t4(b, T4Col::Total));
    [
        vec![t3(T3Row::NewReceived)],
        vec![t3(T3Row::TotalProcessed)],
        vec![t3(T3Row::Granted)],
        withheld,
        vec![CellKey::t4(T4Block::Review, T4Col::Total)],
        litigation.to_vec(),
    ]
    .iter()
    .map(|keys| figure(report, keys).0)
    .collect()
}

/// The figures' column headings, in [`figures`]' order.
pub(crate) fn columns(t: CompareText) -> Vec<&'static str> {
    vec![t.received, t.processed, t.granted, t.withheld, t.review, t.litigation]
}

/// The rates' column headings, in [`rates::rates`]' order.
pub(crate) fn rate_columns(lang: Lang) -> Vec<String> {
    RateKind::ALL.iter().map(|k| k.label().get(lang).to_owned()).collect()
}

/// One rate as shown, with the reason when there is none.
pub(crate) struct RateCell {
    /// The rate (`—` when there is none).
    pub(crate) text: String,
    /// Why there is none (empty when there is one).
    pub(crate) why: String,
}

/// Rates as shown in `lang`.
pub(crate) fn rate_cells(lang: Lang, rates: &[(RateKind, rates::Rate)]) -> Vec<RateCell> {
    rates
        .iter()
        .map(|(_, r)| RateCell {
            text: r.display(),
            why: r.why_none().map(|m| m.get(lang).to_owned()).unwrap_or_default(),
        })
        .collect()
}

/// One row of the table (`compare_row.html`).
pub(crate) struct Row {
    /// What the row is (an agency, a year).
    pub(crate) name: String,
    /// Its link.
    pub(crate) href: Option<String>,
    /// The figures, in [`columns`]' order.
    pub(crate) figures: Vec<String>,
    /// The rates, in [`rate_columns`]' order.
    pub(crate) rates: Vec<RateCell>,
}

/// The row of a report.
pub(crate) fn row(lang: Lang, name: String, href: Option<String>, report: &Report) -> Row {
    Row { name, href, figures: figures(report), rates: rate_cells(lang, &rates::rates(report)) }
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    chrome: Chrome,
    t: CompareText,
    heading: String,
    office_id: i64,
    year: i16,
    min_count: u32,
    columns: Vec<&'static str>,
    rate_columns: Vec<String>,
    rows: Vec<Row>,
    total: Option<Row>,
    chart: Option<String>,
    missing: Vec<String>,
}

/// The office's agencies side by side.
async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let scope = policy::office(&state, &actor, Action::ViewOffice, OrgId(id)).await?;
    let year = q.year.unwrap_or_else(|| state.clock.today().year() - 1);
    let parts = super::rollup::parts(&state, scope.id(), year).await?;
    let t = CompareText::of(lang);
    let office = scope.org().clone();
    let missing: Vec<String> = parts.missing.iter().map(|a| a.name.clone()).collect();
    let (rows, total, chart) = tokio::task::spawn_blocking(move || {
        let rows: Vec<Row> = parts
            .reports
            .iter()
            .map(|(a, r)| {
                row(lang, a.name.clone(), Some(format!("/agencies/{}/reports/{year}", a.id)), r)
            })
            .collect();
        let total = (!parts.reports.is_empty() && parts.missing.is_empty()).then(|| {
            let sum = parts.rollup(&office, year);
            row(lang, t.office_total.to_owned(), Some(format!("/offices/{}/rollup?year={year}", office.id)), sum.report())
        });
        (rows, total, chart(t, &parts.reports))
    })
    .await
    .map_err(AppError::internal)?;
    let office = scope.org();
    let heading = match lang {
        Lang::Zh => format!("{}{year}年度{}", office.name, t.title),
        Lang::En => format!("{}: {} {year}", office.name, t.title),
    };
    let orgs = page::orgs_of(&state, &actor).await?;
    let chrome = Chrome::new(
        lang,
        heading.clone(),
        &csrf,
        &format!("/offices/{id}/compare?year={year}"),
        Some((&actor, &orgs)),
        Some(office),
        Nav::Dashboard,
    );
    let page = ComparePage {
        chrome,
        t,
        heading,
        office_id: id,
        year,
        min_count: MIN_COUNT,
        columns: columns(t),
        rate_columns: rate_columns(lang),
        rows,
        total,
        chart,
        missing,
    };
    Ok(page::render(&page)?.into_response())
}

/// The chart: new applications and granted of the [`CHARTED`] agencies with the most
/// applications (agencies whose figures are not numbers are left out of it).
fn chart(t: CompareText, reports: &[(gongkai_rollup::Agency, Report)]) -> Option<String> {
    let key = |r| CellKey::t3(r, T3Col::Total);
    let mut charted: Vec<(&str, Decimal, Decimal)> = reports
        .iter()
        .filter_map(|(a, r)| {
            Some((a.name.as_str(), r.operand(key(T3Row::NewReceived))?, r.operand(key(T3Row::Granted))?))
        })
        .collect();
    charted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    charted.truncate(CHARTED);
    let chart = Chart {
        id: "compare",
        title: t.chart.to_owned(),
        unit: "件",
        categories: charted.iter().map(|c| c.0.to_owned()).collect(),
        series: vec![
            Series { name: t.received.to_owned(), values: charted.iter().map(|c| Some(c.1)).collect() },
            Series { name: t.granted.to_owned(), values: charted.iter().map(|c| Some(c.2)).collect() },
        ],
    };
    chart.has_data().then(|| chart.svg_with(Some("compare-chart-desc")))
}

#[derive(Template)]
#[template(path = "compare_agency.html")]
struct AgencyPage {
    chrome: Chrome,
    t: CompareText,
    heading: String,
    min_count: u32,
    columns: Vec<&'static str>,
    rate_columns: Vec<String>,
    rows: Vec<Row>,
    chart: Option<String>,
}

/// One agency over the years: the latest published version of each year, for everyone.
async fn agency(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let org = state
        .store
        .org(OrgId(id))
        .await?
        .filter(|o| o.kind == OrgKind::Agency)
        .ok_or(AppError::NotFound)?;
    let mut years: Vec<i16> =
        state.store.report_versions(org.id).await?.iter().map(|v| v.year).collect();
    years.sort_unstable();
    years.dedup();
    let t = CompareText::of(lang);
    let mut reports = Vec::new();
    for year in years {
        if let Some(p) = state.store.published_report(org.id, year, None).await? {
            reports.push((year, super::published::report_of(&p.report)?));
        }
    }
    let rows = reports
        .iter()
        .map(|(year, r)| {
            row(lang, year.to_string(), Some(format!("/agencies/{id}/reports/{year}")), r)
        })
        .collect();
    let key = |r| CellKey::t3(r, T3Col::Total);
    let charted: Vec<(String, Decimal, Decimal)> = reports
        .iter()
        .filter_map(|(y, r)| {
            Some((y.to_string(), r.operand(key(T3Row::NewReceived))?, r.operand(key(T3Row::Granted))?))
        })
        .collect();
    let chart = Chart {
        id: "years",
        title: t.years_chart.to_owned(),
        unit: "件",
        categories: charted.iter().map(|c| c.0.clone()).collect(),
        series: vec![
            Series { name: t.received.to_owned(), values: charted.iter().map(|c| Some(c.1)).collect() },
            Series { name: t.granted.to_owned(), values: charted.iter().map(|c| Some(c.2)).collect() },
        ],
    };
    let chart = chart.has_data().then(|| chart.svg_with(Some("years-chart-desc")));
    let heading = match lang {
        Lang::Zh => format!("{}{}", org.name, t.over_years),
        Lang::En => format!("{}: {}", org.name, t.over_years),
    };
    let orgs = match &actor {
        Some(a) => page::orgs_of(&state, a).await?,
        None => Vec::new(),
    };
    let current = orgs.iter().find(|o| o.id == org.id);
    let nav = if current.is_some() { Nav::Reports } else { Nav::None };
    let chrome = Chrome::new(
        lang,
        heading.clone(),
        &csrf,
        &format!("/agencies/{id}/compare"),
        actor.as_ref().map(|a| (a, orgs.as_slice())),
        current,
        nav,
    );
    let page = AgencyPage {
        chrome,
        t,
        heading,
        min_count: MIN_COUNT,
        columns: columns(t),
        rate_columns: rate_columns(lang),
        rows,
        chart,
    };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::{Layout, Table, TableId, Value};

    #[test]
    fn no_text_is_empty() {
        assert!(CompareText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn figures_sum_their_cells_and_say_when_they_cannot() {
        let mut r = Report {
            t3: Some(Table::filled(TableId::T3, Layout::Format2021, |_| Value::int(2))),
            t4: Some(Table::filled(TableId::T4, Layout::Format2021, |_| Value::int(1))),
            ..Report::default()
        };
        assert_eq!(figures(&r), ["2", "2", "2", "16", "1", "2"]);
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::WithheldInquiry, T3Col::Total), Value::Blank);
        }
        assert_eq!(figures(&r)[3], "?");
        let row = row(Lang::Zh, "局".into(), None, &r);
        // Two processed applications: too few for any rate.
        assert_eq!(row.rates[0].text, "—");
        assert!(row.rates[0].why.contains("样本不足"), "{}", row.rates[0].why);
    }
}
