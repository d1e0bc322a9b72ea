//! 年报统计, for everyone: `GET /statistics?year=Y` (the whole tree) and
//! `GET /offices/{id}/statistics?year=Y` (an office's subtree) — how many agencies, how many
//! published, the totals of the key figures (applications received and processed, granted,
//! withheld, reconsiderations, lawsuits) with the rates of [`gongkai_rollup::rates`] and their
//! small-sample guard, and the same per child office and per agency directly under the office.
//!
//! Published versions only: each agency's latest published version of the year
//! ([`gongkai_store::Store::latest_reports`] / `latest_reports_everywhere`) — never a collected
//! upload, never a draft. The totals are [`gongkai_rollup::rollup`]'s sums over the agencies
//! that published (those that did not are counted, not summed: a sum that waited for every
//! agency would say nothing until the last one published); a cell that is blank, `/` or `?`
//! beside numbers makes the total `?`, as in the office's roll-up.
//!
//! The result is kept in memory per generation of the store's public data ([`Portal`]): a page
//! costs one small query and no parsing while nothing changed; a publication or a new
//! organisation makes a new generation, and the next request computes again (one query for the
//! reports: the organisations come from the portal's snapshot).

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_model::{Lang, Report};
use gongkai_rollup::rates::MIN_COUNT;
use gongkai_store::{Org, OrgId, OrgKind, PublishedReport};

use super::compare::{self, CompareText, RateCell};
use super::rollup::YearQuery;
use super::{Access, Route};
use crate::auth::{CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::portal::{Portal, Snapshot};
use crate::search::region_name;
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/statistics", Access::Public, overall),
        Route::get("/offices/{id}/statistics", Access::Public, office),
    ]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The statistics pages' texts.
    pub struct StatisticsText {
        title: "政府信息公开工作年度报告统计" | "annual report statistics",
        everywhere: "全部地区" | "All regions",
        year: "年度" | "Year",
        show: "查看" | "Show",
        agencies: "机关数" | "Agencies",
        published: "已发布" | "Published",
        unpublished: "未发布" | "Not published",
        total: "合计" | "Total",
        breakdown: "按下级单位" | "By office and agency below",
        name: "单位" | "Office or agency",
        office_kind: "（下级政务公开办）" | " (office below)",
        sums: "合计为已发布年度报告的机关最新发布版本之和，未发布的机关只计入机关数；某一机关该格为空白、“/”或“?”时合计为“?”。" | "Totals are sums over the latest published versions of the agencies that published; those that did not are only counted. A cell that an agency printed blank, “/” or “?” makes the total “?”.",
        guard: "比率只在分母不少于下列件数时计算，否则显示“—”（鼠标悬停可见原因）：" | "A rate is computed only when its denominator is at least this count; otherwise it shows “—” (hover for the reason): ",
        guard_unit: "件" | " applications",
        nothing: "本年度尚无机关发布年度报告。" | "No agency has published a report for this year yet.",
        no_report: "没有已发布的报告" | "no published report",
        up: "上级地区的统计" | "Statistics of the level above",
        all: "全部地区的统计" | "Statistics of all regions",
        search: "查找本地区的机关" | "Find an agency of this region",
        data: "下载本地区的开放数据" | "Download this region's open data",
        data_all: "开放数据下载" | "Open data downloads",
    }
}

/// What the statistics of a scope are computed into (in no language).
#[derive(Debug)]
pub(crate) struct Stats {
    /// The agencies of the scope.
    pub(crate) agencies: usize,
    /// Those with a published report for the year.
    pub(crate) published: usize,
    /// The sums over the published reports (`None`: nothing published).
    pub(crate) total: Option<Report>,
    /// The offices and agencies directly under the scope, each with its subtree's counts and
    /// sums: offices first, then agencies, each by name.
    pub(crate) groups: Vec<Group>,
}

/// An office or agency directly under the scope.
#[derive(Debug)]
pub(crate) struct Group {
    id: OrgId,
    kind: OrgKind,
    name: String,
    agencies: usize,
    published: usize,
    report: Option<Report>,
}

/// The statistics of `office`'s subtree (`None`: the whole tree) for `year`: kept per
/// generation of the store's public data ([`Portal`]), computed on the first request after a
/// change.
///
/// # Errors
/// Store errors; a published text that does not read back.
pub(crate) async fn stats(
    state: &AppState,
    snapshot: &Snapshot,
    office: Option<&Org>,
    year: i16,
) -> Result<Arc<Stats>, AppError> {
    let scope = office.map(|o| o.id);
    if let Some(hit) = state.portal.stats(snapshot.generation, scope, year)? {
        return Ok(hit);
    }
    // Being computed by another request: the statistics from before the publications meanwhile,
    // when there are some (`portal.rs`).
    let _one = match state.portal.try_one_at_a_time() {
        Some(guard) => guard,
        None => match state.portal.stale_stats(snapshot.generation, scope, year)? {
            Some(stale) => return Ok(stale),
            None => state.portal.one_at_a_time().await,
        },
    };
    stats_computed(state, snapshot, scope, year).await
}

/// The statistics of `scope` for `year` at `snapshot`'s generation, computed unless they are
/// cached: for a caller that holds [`Portal::one_at_a_time`].
///
/// # Errors
/// As [`stats`].
pub(crate) async fn stats_computed(
    state: &AppState,
    snapshot: &Snapshot,
    scope: Option<OrgId>,
    year: i16,
) -> Result<Arc<Stats>, AppError> {
    if let Some(hit) = state.portal.stats(snapshot.generation, scope, year)? {
        return Ok(hit);
    }
    let reports = match scope {
        Some(id) => state.store.latest_reports(id, year).await?,
        None => state.store.latest_reports_everywhere(year).await?,
    };
    let orgs = snapshot.directory.orgs().to_vec();
    let computed = tokio::task::spawn_blocking(move || compute(scope, year, &orgs, reports))
        .await
        .map_err(AppError::internal)??;
    let computed = Arc::new(computed);
    state.portal.keep_stats(snapshot.generation, scope, year, Arc::clone(&computed))?;
    Ok(computed)
}

/// The statistics of the organisations below `scope` (of `orgs`, any others ignored) from
/// their published `reports`.
fn compute(
    scope: Option<OrgId>,
    year: i16,
    orgs: &[Org],
    reports: Vec<PublishedReport>,
) -> Result<Stats, AppError> {
    let parent: HashMap<OrgId, Option<OrgId>> = orgs.iter().map(|o| (o.id, o.parent)).collect();
    // The organisation directly under the scope that `id` is, or lies below.
    let group_of = |mut id: OrgId| -> Option<OrgId> {
        for _ in 0..=orgs.len() {
            let p = *parent.get(&id)?;
            if p == scope {
                return Some(id);
            }
            id = p?;
        }
        None
    };
    let mut parsed: HashMap<OrgId, Report> = HashMap::with_capacity(reports.len());
    for p in reports {
        parsed.insert(p.agency, super::published::report_of(&p.report)?);
    }
    let mut heads: Vec<&Org> = orgs.iter().filter(|o| o.parent == scope).collect();
    heads.sort_by(|a, b| {
        (a.kind != OrgKind::Office, &a.name, a.id).cmp(&(b.kind != OrgKind::Office, &b.name, b.id))
    });
    let index: HashMap<OrgId, usize> = heads.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let mut members: Vec<Vec<(gongkai_rollup::Agency, &Report)>> = vec![Vec::new(); heads.len()];
    let mut counts = vec![0usize; heads.len()];
    let mut all = Vec::new();
    let mut agencies = 0;
    for org in orgs.iter().filter(|o| o.kind == OrgKind::Agency) {
        let Some(g) = group_of(org.id).and_then(|g| index.get(&g).copied()) else { continue };
        agencies += 1;
        counts[g] += 1;
        if let Some(report) = parsed.get(&org.id) {
            let agency = gongkai_rollup::Agency { id: org.id.0, name: org.name.clone() };
            members[g].push((agency.clone(), report));
            all.push((agency, report));
        }
    }
    let sum = |name: &str, parts: &[(gongkai_rollup::Agency, &Report)]| {
        (!parts.is_empty()).then(|| {
            let parts = parts.iter().map(|(a, r)| (a.clone(), *r));
            gongkai_rollup::rollup(name, i32::from(year), parts, []).report().clone()
        })
    };
    let groups = heads
        .iter()
        .zip(members.iter().zip(&counts))
        .map(|(o, (parts, &n))| Group {
            id: o.id,
            kind: o.kind,
            name: o.name.clone(),
            agencies: n,
            published: parts.len(),
            report: sum(&o.name, parts),
        })
        .collect();
    Ok(Stats { agencies, published: all.len(), total: sum("", &all), groups })
}

/// The year a statistics page shows: the one asked, else the latest with a published report,
/// else the year whose report is due ([`gongkai_cases::due_report_year`]).
pub(crate) fn year_of(state: &AppState, snapshot: &Snapshot, asked: Option<i16>) -> i16 {
    asked
        .or_else(|| snapshot.published_years.last().copied())
        .unwrap_or_else(|| gongkai_cases::due_report_year(state.clock.today()))
}

/// One row of the table.
struct StatRow {
    name: String,
    href: Option<String>,
    agencies: usize,
    published: usize,
    figures: Vec<String>,
    rates: Vec<RateCell>,
}

impl StatRow {
    fn new(
        lang: Lang,
        t: StatisticsText,
        name: String,
        href: Option<String>,
        counts: (usize, usize),
        report: Option<&Report>,
    ) -> StatRow {
        let (figures, rates) = match report {
            Some(r) => {
                let row = compare::row(lang, String::new(), None, r);
                (row.figures, row.rates)
            }
            None => (
                vec!["—".to_owned(); compare::columns(CompareText::of(lang)).len()],
                compare::rate_columns(lang)
                    .iter()
                    .map(|_| RateCell { text: "—".to_owned(), why: t.no_report.to_owned() })
                    .collect(),
            ),
        };
        StatRow { name, href, agencies: counts.0, published: counts.1, figures, rates }
    }
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    chrome: Chrome,
    t: StatisticsText,
    heading: String,
    action: String,
    year: i16,
    years: Vec<i16>,
    agencies: usize,
    published: usize,
    unpublished: usize,
    min_count: u32,
    columns: Vec<&'static str>,
    rate_columns: Vec<String>,
    total: StatRow,
    rows: Vec<StatRow>,
    links: Vec<(String, &'static str)>,
}

/// `GET /statistics`: the whole tree.
async fn overall(
    State(state): State<AppState>,
    ui: Ui,
    csrf: CsrfToken,
    actor: MaybeActor,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let snapshot = Portal::snapshot(&state).await?;
    render(&state, &snapshot, ui, &csrf, actor, None, q.year).await
}

/// `GET /offices/{id}/statistics`: an office's subtree; 404 for an agency or an unknown id.
async fn office(
    State(state): State<AppState>,
    ui: Ui,
    csrf: CsrfToken,
    actor: MaybeActor,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let snapshot = Portal::snapshot(&state).await?;
    let office = snapshot
        .directory
        .get(OrgId(id))
        .filter(|o| o.kind == OrgKind::Office)
        .cloned()
        .ok_or(AppError::NotFound)?;
    render(&state, &snapshot, ui, &csrf, actor, Some(office), q.year).await
}

async fn render(
    state: &AppState,
    snapshot: &Snapshot,
    Ui(lang): Ui,
    csrf: &CsrfToken,
    MaybeActor(actor): MaybeActor,
    office: Option<Org>,
    asked: Option<i16>,
) -> Result<Response, AppError> {
    let year = year_of(state, snapshot, asked);
    let mut years = snapshot.published_years.clone();
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable();
    }
    years.reverse();
    let stats = stats(state, snapshot, office.as_ref(), year).await?;
    let t = StatisticsText::of(lang);
    let scope_name = office.as_ref().map_or(t.everywhere, |o| region_name(&o.name));
    let heading = match lang {
        Lang::Zh => format!("{scope_name}{year}年度{}", t.title),
        Lang::En => format!("{scope_name}: {} {year}", t.title),
    };
    let rows = stats
        .groups
        .iter()
        .map(|g| {
            let (name, href) = match g.kind {
                OrgKind::Office => (
                    format!("{}{}", g.name, t.office_kind),
                    format!("/offices/{}/statistics?year={year}", g.id),
                ),
                OrgKind::Agency => (g.name.clone(), format!("/agencies/{}/public", g.id)),
            };
            StatRow::new(lang, t, name, Some(href), (g.agencies, g.published), g.report.as_ref())
        })
        .collect();
    let total = StatRow::new(
        lang,
        t,
        t.total.to_owned(),
        None,
        (stats.agencies, stats.published),
        stats.total.as_ref(),
    );
    let (action, mut links) = match &office {
        Some(o) => {
            let up = match o.parent {
                Some(p) => (format!("/offices/{p}/statistics?year={year}"), t.up),
                None => (format!("/statistics?year={year}"), t.all),
            };
            (
                format!("/offices/{}/statistics", o.id),
                vec![
                    up,
                    (format!("/search?region={}", o.region.as_str()), t.search),
                    (format!("/data?office={}&year={year}", o.id), t.data),
                ],
            )
        }
        None => ("/statistics".to_owned(), vec![(format!("/data?year={year}"), t.data_all)]),
    };
    if office.as_ref().is_some_and(|o| o.parent.is_some()) {
        links.push((format!("/statistics?year={year}"), t.all));
    }
    let signed_in = page::signed_in(state, actor.as_ref()).await?;
    let chrome = Chrome::new(
        lang,
        heading.clone(),
        csrf,
        &format!("{action}?year={year}"),
        signed_in.as_ref().map(|(a, o)| (*a, o.as_slice())),
        None,
        Nav::None,
    );
    let page = StatisticsPage {
        chrome,
        t,
        heading,
        action,
        year,
        years,
        agencies: stats.agencies,
        published: stats.published,
        unpublished: stats.agencies.saturating_sub(stats.published),
        min_count: MIN_COUNT,
        columns: compare::columns(CompareText::of(lang)),
        rate_columns: compare::rate_columns(lang),
        total,
        rows,
        links,
    };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use gongkai_model::json::{Location, ReportJson};
    use gongkai_model::{CellKey, Layout, T3Col, T3Row, Table, TableId, Value};
    use gongkai_store::{Level, RegionCode, ReportVersion};

    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(StatisticsText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    fn org(id: i64, parent: Option<i64>, kind: OrgKind, name: &str) -> Org {
        Org {
            id: OrgId(id),
            parent: parent.map(OrgId),
            kind,
            name: name.into(),
            level: Level::County,
            region: RegionCode::parse("990101").unwrap_or_else(|e| panic!("{e:?}")),
        }
    }

    fn published(agency: i64, granted: i64) -> PublishedReport {
        let mut report = Report {
            t3: Some(Table::filled(TableId::T3, Layout::Format2021, |_| Value::int(1))),
            ..Report::default()
        };
        if let Some(t) = report.t3.as_mut() {
            t.set(CellKey::t3(T3Row::Granted, T3Col::Total), Value::int(granted));
        }
        let json = ReportJson::from_report(&report, &|_| Location::default());
        PublishedReport {
            agency: OrgId(agency),
            version: ReportVersion {
                year: 2024,
                version: 1,
                published_at: jiff::Timestamp::UNIX_EPOCH,
                published_by: None,
                reason: None,
                sha256: String::new(),
            },
            report: serde_json::to_string(&json).unwrap_or_default(),
        }
    }

    #[test]
    fn groups_count_and_sum_their_subtrees() {
        // Under the scope (office 1): a sub-office (2) with two agencies and a township office
        // (3) with one, and an agency of its own (4).
        let orgs = vec![
            org(2, Some(1), OrgKind::Office, "乙办"),
            org(5, Some(2), OrgKind::Agency, "乙局一"),
            org(6, Some(2), OrgKind::Agency, "乙局二"),
            org(3, Some(2), OrgKind::Office, "镇办"),
            org(7, Some(3), OrgKind::Agency, "镇政府"),
            org(4, Some(1), OrgKind::Agency, "甲局"),
        ];
        let reports = vec![published(5, 7), published(7, 2), published(4, 11)];
        let stats = compute(Some(OrgId(1)), 2024, &orgs, reports).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((stats.agencies, stats.published), (4, 3));
        let granted = |r: &Option<Report>| {
            r.as_ref().and_then(|r| r.operand(CellKey::t3(T3Row::Granted, T3Col::Total)))
        };
        assert_eq!(granted(&stats.total), Some(20.into()));
        let got: Vec<(&str, usize, usize)> =
            stats.groups.iter().map(|g| (g.name.as_str(), g.agencies, g.published)).collect();
        assert_eq!(got, [("乙办", 3, 2), ("甲局", 1, 1)], "offices first; the township inside 乙办");
        assert_eq!(granted(&stats.groups[0].report), Some(9.into()));
        assert_eq!(granted(&stats.groups[1].report), Some(11.into()));
        let empty = compute(Some(OrgId(1)), 2024, &orgs, vec![]).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(empty.total.is_none() && empty.groups.iter().all(|g| g.report.is_none()));
    }
}
