//! The public page of an agency, for everyone: `GET /agencies/{id}/public` — its annual reports
//! by year (each linked to the public report page, [`super::published`], with its downloads in
//! every format), the figures and rates of each year ([`super::compare`]'s columns and
//! small-sample guard), two server-made SVG charts ([`gongkai_render::charts::Chart`]: the
//! applications over the years; the outcomes of the latest years), the revision log (every
//! published version with its reason and date) and the links to its 信息公开专栏, 指南,
//! comparison over the years, open data and its region's statistics.
//!
//! Published versions only ([`gongkai_store::Store::report_versions`]): drafts and collected
//! reports never appear. What the page derives from a version — figures, rates, chart values —
//! is kept in memory by the version's SHA-256 (a published text never changes), so a page costs
//! two queries (the portal's generation, [`Portal`]; the agency's versions) and no JSON parsing
//! once its versions have been seen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use gongkai_model::{CellKey, Decimal, Lang, Report, T3Col, T3Row};
use gongkai_render::charts::{Chart, Series};
use gongkai_rollup::rates::{self, MIN_COUNT, Rate, RateKind};
use gongkai_store::{OrgId, OrgKind, ReportVersion};

use super::compare::{self, CompareText, Row};
use super::{Access, Route};
use crate::auth::{CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::portal::Portal;
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/agencies/{id}/public", Access::Public, page)]
}

/// No API paths (the reports' API is [`super::published`]'s).
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The public agency page's texts.
    pub struct AgencyText {
        region: "地区" | "Region",
        office: "所属政务公开办" | "Supervising office",
        reports: "年度报告" | "Annual reports",
        report_of: "年度报告" | " annual report",
        downloads: "下载" | "Downloads",
        none: "该机关尚未在本平台发布政府信息公开工作年度报告。" | "This agency has not published an annual report on this platform yet.",
        figures: "历年主要数据" | "Key figures over the years",
        year: "年度" | "Year",
        applications_chart: "历年收到和办结的政府信息公开申请" | "Applications received and processed, year by year",
        outcomes_chart: "申请办理结果（最近几年）" | "Outcomes of applications (recent years)",
        log: "修订记录（全部发布版本）" | "Revision log (every published version)",
        version: "版本" | "Version",
        published: "发布日期" | "Published",
        reason: "说明" | "Note",
        first: "首次发布" | "First publication",
        more: "更多" | "More",
        column: "信息公开专栏（主动公开目录）" | "Disclosure column (proactive disclosure catalogue)",
        guide: "政府信息公开指南" | "Guide to government information disclosure",
        compare: "历年对比" | "Over the years, compared",
        data: "开放数据下载" | "Open data downloads",
        statistics: "所在地区的年报统计" | "Statistics of its region",
        search: "查找其他机关" | "Find another agency",
        granted: "予以公开" | "Granted",
        partly: "部分公开" | "Partly granted",
        withheld: "不予公开" | "Withheld",
        unable: "无法提供" | "Cannot be provided",
        not_processed: "不予处理" | "Not processed",
        other: "其他处理" | "Otherwise handled",
        guard: "比率只在分母不少于下列件数时计算，否则显示“—”（鼠标悬停可见原因）：" | "A rate is computed only when its denominator is at least this count; otherwise it shows “—” (hover for the reason): ",
        guard_unit: "件" | " applications",
        chart_note: "图中“—”表示报告中该数值无法确定。" | "A “—” in a chart: the report does not determine the value.",
    }
}

/// The outcome groups of Table 3 (column 总计), by the rows' keys: a key, or a key prefix
/// ending in `_` for the group's sub-rows.
const OUTCOMES: [&str; 6] =
    ["granted", "partially_granted", "withheld_", "unable_", "not_processed_", "other_"];

/// How many years the outcomes chart compares (one fill per year).
const OUTCOME_YEARS: usize = gongkai_render::charts::FILLS.len();

/// What the page shows of one published version (in no language).
#[derive(Debug)]
struct Facts {
    figures: Vec<String>,
    rates: Vec<(RateKind, Rate)>,
    received: Option<Decimal>,
    processed: Option<Decimal>,
    outcomes: [Option<Decimal>; 6],
}

impl Facts {
    fn of(report: &Report) -> Facts {
        let t3 = |r| report.operand(CellKey::t3(r, T3Col::Total));
        Facts {
            figures: compare::figures(report),
            rates: rates::rates(report),
            received: t3(T3Row::NewReceived),
            processed: t3(T3Row::TotalProcessed),
            outcomes: OUTCOMES.map(|group| {
                let keys: Vec<CellKey> = T3Row::ALL
                    .iter()
                    .filter(|r| match group.strip_suffix('_') {
                        Some(_) => r.key().starts_with(group),
                        None => r.key() == group,
                    })
                    .map(|&r| CellKey::t3(r, T3Col::Total))
                    .filter(|&k| report.value(k).is_some())
                    .collect();
                if keys.is_empty() { None } else { compare::figure(report, &keys).1 }
            }),
        }
    }
}

/// The most versions whose facts are kept (each a few hundred bytes); past it the cache
/// starts again.
const CACHE_LIMIT: usize = 20_000;

fn cache() -> &'static Mutex<HashMap<String, Arc<Facts>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Facts>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The facts of each version (the latest of each year), read from the cache or from the store
/// (one query per version not seen yet).
async fn facts_of(
    state: &AppState,
    agency: OrgId,
    versions: &[&ReportVersion],
) -> Result<Vec<Arc<Facts>>, AppError> {
    let known: Vec<Option<Arc<Facts>>> = {
        let cache = cache().lock().map_err(|_| AppError::internal("facts cache poisoned"))?;
        versions.iter().map(|v| cache.get(&v.sha256).cloned()).collect()
    };
    let mut out = Vec::with_capacity(versions.len());
    for (v, known) in versions.iter().zip(known) {
        if let Some(f) = known {
            out.push(f);
            continue;
        }
        let p = state
            .store
            .published_report(agency, v.year, Some(v.version))
            .await?
            .ok_or(AppError::NotFound)?;
        let facts = tokio::task::spawn_blocking(move || {
            super::published::report_of(&p.report).map(|r| Arc::new(Facts::of(&r)))
        })
        .await
        .map_err(AppError::internal)??;
        let mut cache = cache().lock().map_err(|_| AppError::internal("facts cache poisoned"))?;
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(v.sha256.clone(), Arc::clone(&facts));
        out.push(facts);
    }
    Ok(out)
}

/// One download link.
struct Download {
    label: &'static str,
    href: String,
}

/// One year's report in the list.
struct YearReport {
    year: i16,
    title: String,
    href: String,
    version: String,
    day: String,
    downloads: Vec<Download>,
}

/// One line of the revision log.
struct LogRow {
    year: i16,
    label: String,
    href: String,
    day: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "public_agency.html")]
struct AgencyPage {
    chrome: Chrome,
    t: AgencyText,
    id: i64,
    heading: String,
    region: String,
    office: Option<(i64, String)>,
    reports: Vec<YearReport>,
    columns: Vec<&'static str>,
    rate_columns: Vec<String>,
    rows: Vec<Row>,
    min_count: u32,
    applications_chart: Option<String>,
    outcomes_chart: Option<String>,
    log: Vec<LogRow>,
}

/// The public page of an agency.
async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let snapshot = Portal::snapshot(&state).await?;
    let org = snapshot
        .directory
        .get(OrgId(id))
        .filter(|o| o.kind == OrgKind::Agency)
        .ok_or(AppError::NotFound)?;
    let office = org.parent.and_then(|p| snapshot.directory.get(p));
    // Newest year first, newest version first.
    let versions = state.store.report_versions(org.id).await?;
    let mut latest: Vec<&ReportVersion> = Vec::new();
    for v in &versions {
        if latest.last().is_none_or(|l| l.year != v.year) {
            latest.push(v);
        }
    }
    latest.reverse();
    let facts = facts_of(&state, org.id, &latest).await?;

    let t = AgencyText::of(lang);
    let ct = CompareText::of(lang);
    let pt = super::published::PublishedText::of(lang);
    let year_label = |y: i16| match lang {
        Lang::Zh => format!("{y}年"),
        Lang::En => y.to_string(),
    };
    let reports = latest
        .iter()
        .rev()
        .map(|v| {
            let year = v.year;
            YearReport {
                year,
                title: format!("{year}{}", t.report_of),
                href: format!("/agencies/{id}/reports/{year}"),
                version: version_label(lang, v.version),
                day: super::published::published_day(lang, v),
                downloads: super::published::DOWNLOADS
                    .iter()
                    .map(|f| Download {
                        label: super::published::download_label(pt, *f),
                        href: format!(
                            "/api/v1/agencies/{id}/reports/{year}/download?format={}&version={}",
                            f.key(),
                            v.version
                        ),
                    })
                    .collect(),
            }
        })
        .collect();
    let rows = latest
        .iter()
        .zip(&facts)
        .map(|(v, f)| Row {
            name: year_label(v.year),
            href: Some(format!("/agencies/{id}/reports/{}", v.year)),
            figures: f.figures.clone(),
            rates: compare::rate_cells(lang, &f.rates),
        })
        .collect();
    let applications = Chart {
        id: "applications",
        title: t.applications_chart.to_owned(),
        unit: "件",
        categories: latest.iter().map(|v| year_label(v.year)).collect(),
        series: vec![
            Series { name: ct.received.to_owned(), values: facts.iter().map(|f| f.received).collect() },
            Series {
                name: ct.processed.to_owned(),
                values: facts.iter().map(|f| f.processed).collect(),
            },
        ],
    };
    let recent = latest.len().saturating_sub(OUTCOME_YEARS);
    let outcomes = Chart {
        id: "outcomes",
        title: t.outcomes_chart.to_owned(),
        unit: "件",
        categories: [t.granted, t.partly, t.withheld, t.unable, t.not_processed, t.other]
            .map(str::to_owned)
            .to_vec(),
        series: latest[recent..]
            .iter()
            .zip(&facts[recent..])
            .map(|(v, f)| Series { name: year_label(v.year), values: f.outcomes.to_vec() })
            .collect(),
    };
    let log = versions
        .iter()
        .map(|v| LogRow {
            year: v.year,
            label: version_label(lang, v.version),
            href: format!("/agencies/{id}/reports/{}?version={}", v.year, v.version),
            day: super::published::published_day(lang, v),
            reason: v.reason.clone().unwrap_or_else(|| t.first.to_owned()),
        })
        .collect();

    let signed_in = page::signed_in(&state, actor.as_ref()).await?;
    let current = signed_in.as_ref().and_then(|(_, orgs)| orgs.iter().find(|o| o.id == org.id));
    let chrome = Chrome::new(
        lang,
        org.name.clone(),
        &csrf,
        &format!("/agencies/{id}/public"),
        signed_in.as_ref().map(|(a, o)| (*a, o.as_slice())),
        current,
        Nav::None,
    );
    let page = AgencyPage {
        chrome,
        t,
        id,
        heading: org.name.clone(),
        region: office.as_ref().map_or_else(
            || org.region.as_str().to_owned(),
            |o| format!("{}（{}）", crate::search::region_name(&o.name), org.region.as_str()),
        ),
        office: office.map(|o| (o.id.0, o.name.clone())),
        reports,
        columns: compare::columns(ct),
        rate_columns: compare::rate_columns(lang),
        rows,
        min_count: MIN_COUNT,
        applications_chart: applications
            .has_data()
            .then(|| applications.svg_with(Some("applications-chart-desc"))),
        outcomes_chart: outcomes.has_data().then(|| outcomes.svg_with(Some("outcomes-chart-desc"))),
        log,
    };
    Ok(page::render(&page)?.into_response())
}

/// A version's name: `第2版`, `Version 2`.
fn version_label(lang: Lang, n: u32) -> String {
    match lang {
        Lang::Zh => format!("第{n}版"),
        Lang::En => format!("Version {n}"),
    }
}

#[cfg(test)]
mod tests {
    use gongkai_model::{Layout, Table, TableId, Value};

    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(AgencyText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn outcome_groups_sum_their_rows_and_cover_every_outcome_row() {
        let r = Report {
            t3: Some(Table::filled(TableId::T3, Layout::Format2021, |_| Value::int(1))),
            ..Report::default()
        };
        let f = Facts::of(&r);
        let n = |k: i64| Some(Decimal::from(k));
        assert_eq!(f.outcomes, [n(1), n(1), n(8), n(3), n(5), n(3)]);
        assert_eq!((f.received, f.processed), (n(1), n(1)));
        // Every outcome row is in exactly one group: together they are the rows summed by
        // （七）总计.
        let grouped = T3Row::ALL
            .iter()
            .filter(|r| {
                OUTCOMES.iter().any(|g| match g.strip_suffix('_') {
                    Some(_) => r.key().starts_with(g),
                    None => r.key() == *g,
                })
            })
            .count();
        assert_eq!(grouped, T3Row::ALL.len() - 4, "all but 新收, 结转, 总计, 结转下年度");
        let none = Facts::of(&Report::default());
        assert_eq!(none.outcomes, [None; 6]);
    }
}
