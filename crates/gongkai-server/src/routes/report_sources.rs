//! Where the figures of a published report come from, for everyone (no login):
//! `GET /agencies/{id}/reports/{year}/sources` and `GET /api/v1/agencies/{id}/reports/{year}/sources`
//! (`?version=` for an older version; the latest by default).
//!
//! - Section 一's “本年度主动公开政府信息N条” beside the count of the year's items in the agency's
//!   disclosure column ([`crate::routes::column`]), which lists them.
//! - Every cell of Table 2 (2021 layout) beside the entries of the agency's registers it counts —
//!   规章 and 行政规范性文件 issued, repealed and in force; tallies of 行政许可, 行政处罚 and
//!   行政强制 decisions; 行政事业性收费 collected — by the rule the annual tables are counted with
//!   ([`gongkai_cases::trace::table2`], [`gongkai_cases::contributors`]), with their sum and
//!   whether it is the printed figure. The printed figure is shown as published, never replaced.
//!
//! Only those three sheets of the register are read ([`gongkai_store::Store::register_sheets`]):
//! no application, applicant or dispute is ever on this page. A year whose report is not
//! published answers 404, so that a register's entries become public with the report that counts
//! them and not before.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_cases::Contributor;
use gongkai_cases::trace::{self, Agreement, CellTrace};
use gongkai_model::{Lang, Layout, TableId, TableLayout};
use gongkai_store::{ColumnQuery, Org, RegisterSheet};
use serde::{Deserialize, Serialize};

use super::column::{self, public_chrome};
use super::{Access, Route};
use crate::auth::{CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::{self, Ui};
use crate::page;
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/agencies/{id}/reports/{year}/sources", Access::Public, page),
        Route::get("/api/v1/agencies/{id}/reports/{year}/sources", Access::Public, api).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api), components(schemas(SourcesJson, ProactiveJson, CellJson, EntryJson)))]
pub struct Api;

/// The register sheets Table 2 counts: all this page reads.
const SHEETS: [RegisterSheet; 3] =
    [RegisterSheet::Documents, RegisterSheet::Decisions, RegisterSheet::FeesCollected];

texts! {
    /// The page's texts.
    pub struct SourcesText {
        title: "数据来源" | "Where the figures come from",
        intro: "本页列出年度报告中各项数据所统计的公开信息和台账条目。报告中的数字以发布的原文为准，不作修改；与台账条目合计不一致时予以标明。" | "This page lists, for the figures of the annual report, the published information and register entries they count. The report's figures are shown as published and never changed; where they differ from the sum of the entries, this is marked.",
        report: "返回年度报告" | "Back to the annual report",
        proactive: "第一部分：本年度主动公开政府信息" | "Section 1: information disclosed proactively this year",
        printed: "报告所载" | "In the report",
        column_count: "信息公开专栏中该年首次公开的信息" | "Items of the disclosure column first published that year",
        column_open: "在信息公开专栏中查看这些信息" | "See these items in the disclosure column",
        not_stated: "（报告未载明）" | "(not stated in the report)",
        table2: "第二部分：主动公开政府信息情况（表二）" | "Section 2: information disclosed proactively (Table 2)",
        cell: "项目" | "Item",
        counted: "台账条目合计" | "Sum of the register entries",
        entries: "条目数" | "Entries",
        status: "核对" | "Check",
        agrees: "一致" | "Agrees",
        differs: "不一致" | "Differs",
        unknown: "无法核对" | "Cannot be checked",
        record: "台账编号" | "Register no.",
        date: "日期" | "Date",
        detail: "内容" | "Detail",
        amount: "计入数" | "Counted",
        none: "台账中没有计入该项的条目。" | "No register entry counts toward this item.",
        trial: "该报告采用2019年试行格式，表二各项无法与台账逐项对应。" | "This report uses the 2019 trial layout: its Table 2 cannot be traced item by item to the registers.",
        rule: "统计规则：文件按制发日期、废止日期和年末是否有效计入；许可、处罚、强制决定按日期计入所在年度；收费按收取日期计入，以万元计，按报告所载位数四舍五入后核对。" | "Counting rules: a document counts by the day it was issued, repealed, and whether it is in force at the year's end; decision tallies count toward the year of their day; fees by the day collected, in 10,000 yuan, compared after rounding to the digits the report prints.",
        yuan: "元" | " yuan",
        decisions: "件决定" | " decisions",
        repealed: "废止" | "repealed",
        blank: "（空白）" | "(blank)",
    }
}

/// The version asked for.
#[derive(Clone, Copy, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct Which {
    /// A published version (the latest when absent).
    pub version: Option<u32>,
}

/// Where the figures of a published report come from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SourcesJson {
    /// The agency.
    pub agency: String,
    /// The report's year.
    pub year: i16,
    /// The published version traced.
    pub version: u32,
    /// Section 一's count of information disclosed proactively, beside the column.
    pub proactive: ProactiveJson,
    /// Every cell of Table 2, in table order (empty for a report in the 2019 trial layout).
    pub table2: Vec<CellJson>,
}

/// Section 一's figure beside the column.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProactiveJson {
    /// The number section 一 prints (“本年度主动公开政府信息N条”), when it prints one.
    pub printed: Option<u64>,
    /// Items of the disclosure column first published in the year.
    pub column: u64,
    /// The column filtered by the year.
    pub column_url: String,
}

/// One cell of Table 2 and the register entries it counts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CellJson {
    /// The cell key (`t2.fees.amount_wan_yuan`).
    pub key: String,
    /// The cell's label as printed in the table.
    pub label: String,
    /// The value as published (the `tsv` notation: a number, empty, `/`, or `?`).
    pub printed: String,
    /// The sum of the entries, in the cell's unit (万元 for fees), exact.
    pub counted: String,
    /// `agrees`, `differs` or `unknown` (the printed value is `?`).
    pub check: String,
    /// The entries counted, in the register's order.
    pub entries: Vec<EntryJson>,
}

/// A register entry counted by a cell.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntryJson {
    /// The register sheet (`documents`, `decisions`, `fees_collected`).
    pub sheet: String,
    /// The register number (a document), the decision kind, or the fee item.
    pub record: String,
    /// The entry's day (ISO 8601): issued, tallied or collected.
    pub date: String,
    /// A document's 文号 and title, or a fee's amount in yuan.
    pub detail: String,
    /// What it adds to the cell.
    pub amount: String,
}

/// What the page and the API show, computed once.
struct Sources {
    org: Org,
    year: i16,
    version: u32,
    layout: Layout,
    proactive: ProactiveJson,
    cells: Vec<CellJson>,
}

/// Traces the published report of `year` (the latest version, or `version`).
async fn sources(
    state: &AppState,
    lang: Lang,
    id: i64,
    year: i16,
    version: Option<u32>,
) -> Result<Sources, AppError> {
    let org = column::agency(state, id).await?;
    let published =
        state.store.published_report(org.id, year, version).await?.ok_or(AppError::NotFound)?;
    let report = super::published::report_of(&published.report)?;
    let query = ColumnQuery { year: Some(year), per_page: 1, page: 1, ..ColumnQuery::default() };
    let in_column = state.store.column(org.id, &query).await?.total;
    let register = state.store.register_sheets(org.id, &SHEETS).await?;
    let records = register.records(&[]);
    let cells = trace::table2(&report, &records, year).iter().map(|c| cell_json(lang, c)).collect();
    Ok(Sources {
        year,
        version: published.version.version,
        layout: report.table(TableId::T2).map_or(Layout::Format2021, |t| t.layout()),
        proactive: ProactiveJson {
            printed: column::reported_items(&report),
            column: in_column,
            column_url: format!("/agencies/{id}/column?year={year}"),
        },
        cells,
        org,
    })
}

fn cell_json(lang: Lang, c: &CellTrace<'_>) -> CellJson {
    CellJson {
        key: c.key.to_string(),
        label: TableLayout::get(TableId::T2, Layout::Format2021).cell_label(c.key),
        printed: c.printed.tsv(),
        counted: c.counted.normalize().to_string(),
        check: c.agreement.key().to_owned(),
        entries: c.entries.iter().filter_map(|e| entry_json(lang, e)).collect(),
    }
}

/// An entry as listed; `None` for an application or a dispute, which no Table 2 cell counts.
fn entry_json(lang: Lang, c: &Contributor<'_>) -> Option<EntryJson> {
    let t = SourcesText::of(lang);
    let amount = c.amount().normalize().to_string();
    let (sheet, record, date, detail) = match c {
        Contributor::Document(d) => {
            let repealed = d
                .repealed
                .map(|r| format!("（{} {}）", t.repealed, i18n::date(lang, r)))
                .unwrap_or_default();
            (
                RegisterSheet::Documents,
                d.id.clone(),
                d.issued,
                format!("{} {}{repealed}", d.number, d.title),
            )
        }
        Contributor::Decisions(d) => (
            RegisterSheet::Decisions,
            TableLayout::get(TableId::T2, Layout::Format2021)
                .row(gongkai_model::RowId::T2(d.kind.row()))
                .map_or_else(|| d.kind.row().key().to_owned(), |r| r.body.to_owned()),
            d.date,
            format!("{}{}", d.count, t.decisions),
        ),
        Contributor::Fee(f) => {
            (RegisterSheet::FeesCollected, f.item.clone(), f.date, format!("{}{}", f.amount_yuan, t.yuan))
        }
        Contributor::Case(_) | Contributor::Dispute(_) => return None,
    };
    Some(EntryJson { sheet: sheet.key().to_owned(), record, date: date.to_string(), detail, amount })
}

/// Where the figures of an agency's published report come from: section 一's count of
/// information disclosed proactively beside its disclosure column, and every Table 2 cell beside
/// the register entries it counts (normative documents, decision tallies, fees collected), their
/// sum and whether it is the printed figure. The printed figures are as published.
#[utoipa::path(
    get,
    path = "/api/v1/agencies/{id}/reports/{year}/sources",
    tag = "reports",
    params(
        ("id" = i64, Path, description = "the agency"),
        ("year" = i16, Path, description = "the report's year"),
        Which
    ),
    responses(
        (status = 200, description = "the report's figures and what they count", body = SourcesJson),
        (status = 404, description = "no such agency, or its report of that year (or that version) is not published")
    )
)]
async fn api(
    State(state): State<AppState>,
    Ui(lang): Ui,
    Path((id, year)): Path<(i64, i16)>,
    Query(which): Query<Which>,
) -> Result<Json<SourcesJson>, AppError> {
    let s = sources(&state, lang, id, year, which.version).await?;
    Ok(Json(SourcesJson {
        agency: s.org.name,
        year: s.year,
        version: s.version,
        proactive: s.proactive,
        table2: s.cells,
    }))
}

/// A Table 2 cell as the page lists it.
#[derive(Debug)]
struct CellRow {
    cell: CellJson,
    /// An HTML id for the cell's entries (`t2-fees-amount_wan_yuan`).
    anchor: String,
    /// The check, in words.
    status: &'static str,
}

#[derive(Template)]
#[template(path = "report_sources.html")]
struct SourcesPage {
    chrome: page::Chrome,
    t: SourcesText,
    heading: String,
    report_href: String,
    proactive: ProactiveJson,
    trial: bool,
    cells: Vec<CellRow>,
}

async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Path((id, year)): Path<(i64, i16)>,
    Query(which): Query<Which>,
) -> Result<Response, AppError> {
    let s = sources(&state, lang, id, year, which.version).await?;
    let t = SourcesText::of(lang);
    let heading = match lang {
        Lang::Zh => format!("{}{year}年政府信息公开工作年度报告 · {}", s.org.name, t.title),
        Lang::En => format!("{} · annual report {year} · {}", s.org.name, t.title),
    };
    let path = format!("/agencies/{id}/reports/{year}/sources");
    let chrome = public_chrome(&state, lang, &csrf, actor.as_ref(), &s.org, &heading, &path).await?;
    let report_href = match which.version {
        Some(v) => format!("/agencies/{id}/reports/{year}?version={v}"),
        None => format!("/agencies/{id}/reports/{year}"),
    };
    let cells = s
        .cells
        .into_iter()
        .map(|cell| CellRow {
            anchor: cell.key.replace('.', "-"),
            status: match cell.check.as_str() {
                c if c == Agreement::Agrees.key() => t.agrees,
                c if c == Agreement::Differs.key() => t.differs,
                _ => t.unknown,
            },
            cell,
        })
        .collect();
    let page = SourcesPage {
        chrome,
        t,
        heading,
        report_href,
        proactive: s.proactive,
        trial: s.layout == Layout::Trial2019,
        cells,
    };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(SourcesText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn only_the_sheets_table_2_counts_are_read() {
        assert!(!SHEETS.contains(&RegisterSheet::Proactive));
        assert!(!SHEETS.contains(&RegisterSheet::Disputes));
    }
}
