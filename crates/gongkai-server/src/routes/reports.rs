//! 年度报告, the annual report of an agency's staff: the index (`GET /agencies/{id}/reports`:
//! the revision log, the draft's year), year Y's draft (`GET /agencies/{id}/reports/draft?year=Y`),
//! its check with edited prose (`POST …/reports/check`), the preview in the official layout
//! (`POST …/reports/preview`), publishing (`POST …/reports/publish`, approvers only) and the
//! drill-down of a cell (`GET …/reports/cells?year=Y&key=t3.granted.total`).
//!
//! The domain decides: the draft is [`gongkai_register::draft::report`] over the agency's register
//! in the store, with carry-over from Y−1's latest published report; the check is
//! [`gongkai_rules::check`] (and [`gongkai_rules::check_pair`] against Y−1); the drill-down is
//! [`gongkai_cases::contributors`]; the preview and every published document are written by
//! [`gongkai_render`] (see [`super::published`]).
//!
//! The prose of sections 一/五/六 travels in the draft form (fields `overview`, `problems`,
//! `other`) to the check, the preview and the publication; it is kept by the published version.
//! (Saving unpublished prose needs the store's drafts table.)

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_cases::{Contributor, Register, contributors};
use gongkai_model::catalogue::TableLayout;
use gongkai_model::{CellKey, Finding, Lang, Localized as _, Report, SectionId, Severity, TableId};
use gongkai_register::draft::{self, Draft};
use gongkai_render::OutputFormat;
use gongkai_store::{OrgId, Publication};
use serde::Deserialize;

use super::published::{self, DOWNLOADS};
use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
use crate::error::AppError;
use crate::i18n::{self, Ui};
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, AgencyScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/agencies/{id}/reports", Access::Agency(Action::ViewDraft), index),
        Route::get("/agencies/{id}/reports/draft", Access::Agency(Action::ViewDraft), draft_page),
        Route::post("/agencies/{id}/reports/check", Access::Agency(Action::EditDraft), check),
        Route::post("/agencies/{id}/reports/preview", Access::Agency(Action::ViewDraft), preview),
        Route::post("/agencies/{id}/reports/publish", Access::Agency(Action::PublishReport), publish),
        Route::get("/agencies/{id}/reports/cells", Access::Agency(Action::ViewDraft), cell),
    ]
}

/// No API paths (the public API is in [`super::published`]).
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The annual report pages' texts.
    pub struct ReportText {
        title: "年度报告" | "Annual report",
        draft: "报告草稿" | "Draft",
        draft_of: "年度报告草稿" | "annual report draft",
        year: "年度" | "Year",
        open: "打开" | "Open",
        published: "已发布版本" | "Published versions",
        none_published: "尚无已发布的报告。" | "No report published yet.",
        version: "版本" | "Version",
        published_on: "发布日期" | "Published",
        reason: "更正理由" | "Reason for the correction",
        first: "首次发布" | "First publication",
        view: "查看" | "View",
        carry: "上年结转数取自台账；与上一年度已发布报告的“结转下年度继续办理”不一致时，检查结果会指出。" | "Carried-over counts come from the register; where last year's published report printed other figures, the check says so.",
        no_previous: "上一年度没有已发布的报告。" | "No report was published for the year before.",
        previous: "上一年度已发布报告：" | "Last year's published report: ",
        prose: "报告正文（可编辑）" | "Report text (editable)",
        overview: "一、总体情况" | "1. Overview",
        problems: "五、存在的主要问题及改进情况" | "5. Problems and improvements",
        other: "六、其他需要报告的事项" | "6. Other matters",
        check: "检查" | "Check",
        preview: "预览" | "Preview",
        publish: "发布" | "Publish",
        correction_reason: "更正理由（更正已发布的报告时必填）" | "Reason (required when correcting a published report)",
        tables: "统计表（点击数字查看计入的记录）" | "Tables (select a number to see the records it counts)",
        findings: "检查结果" | "Check results",
        no_findings: "未发现问题。" | "No findings.",
        refused: "报告仍有错误，不能发布。请先修正以下错误：" | "The report still has errors and cannot be published. Fix these first:",
        errors_block: "有错误，发布前须修正" | "has errors: fix them before publishing",
        cells: "涉及单元格" | "Cells",
        printed: "填报值" | "Printed",
        implied: "推算值" | "Implied",
        severity_error: "错误" | "Error",
        severity_warning: "警告" | "Warning",
        severity_info: "提示" | "Info",
        drill: "计入该数字的记录" | "Records counted in this number",
        drill_total: "合计" | "Total",
        back: "返回草稿" | "Back to the draft",
        record: "记录" | "Record",
        date: "日期" | "Date",
        detail: "说明" | "Detail",
        none_counted: "没有记录计入此单元格。" | "No record is counted in this cell.",
        unknown_cell: "没有这个单元格" | "no such cell",
        header: "项目" | "Item",
        public_page: "公开页面" | "Public page",
        downloads: "下载" | "Downloads",
    }
}

/// The year of a draft (Y−1 of today's year when absent: the report due by 31 January).
#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i16>,
}

/// A cell of the drill-down.
#[derive(Deserialize, Default)]
struct CellQuery {
    year: Option<i16>,
    key: Option<String>,
}

/// The draft form: year, prose of sections 一/五/六, and the reason of a correction.
#[derive(Deserialize)]
struct DraftForm {
    year: i16,
    #[serde(default)]
    overview: Option<String>,
    #[serde(default)]
    problems: Option<String>,
    #[serde(default)]
    other: Option<String>,
    #[serde(default)]
    reason: String,
}

impl DraftForm {
    /// The sections the agency wrote (each given field, line ends normalised).
    fn sections(&self) -> Vec<(SectionId, String)> {
        [
            (SectionId::Overview, &self.overview),
            (SectionId::Problems, &self.problems),
            (SectionId::Other, &self.other),
        ]
        .into_iter()
        .filter_map(|(id, text)| text.as_ref().map(|t| (id, t.replace("\r\n", "\n").trim().to_owned())))
        .collect()
    }
}

fn default_year(state: &AppState) -> i16 {
    state.clock.today().year() - 1
}

// ---------------------------------------------------------------------------------------------
// The draft, checked.

/// A draft with its check, or why there is none.
struct Checked {
    year: i16,
    previous: Option<Report>,
    outcome: Result<(Draft, Vec<Finding>), String>,
}

/// Drafts year `year` of the agency from its register in the store with `sections` in place of
/// the generated texts, and checks it (against Y−1's published report when there is one).
async fn drafted(
    state: &AppState,
    lang: Lang,
    scope: &AgencyScope,
    year: i16,
    sections: &[(SectionId, String)],
) -> Result<(Checked, Register), AppError> {
    let register = state.store.load_register(scope.id()).await?;
    let previous = match year.checked_sub(1) {
        Some(y) => match state.store.published_report(scope.id(), y, None).await? {
            Some(p) => Some(published::report_of(&p.report)?),
            None => None,
        },
        None => None,
    };
    let today = state.clock.today();
    let outcome = draft::report(&register, year, previous.as_ref(), sections, today, state.env())
        .map(|d| {
            let mut findings = gongkai_rules::check(&d.report);
            if let Some(p) = &previous {
                findings.extend(gongkai_rules::check_pair(p, &d.report));
            }
            findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
            (d, findings)
        })
        .map_err(|e| e.message(lang));
    Ok((Checked { year, previous, outcome }, register))
}

// ---------------------------------------------------------------------------------------------
// Views.

/// One cell of a table on the draft page.
#[derive(Debug)]
struct CellView {
    key: String,
    column: &'static str,
    value: String,
    href: String,
    /// `finding-error`, `finding-warning` or empty.
    class: &'static str,
    /// The ids of the findings that name the cell (`f-1 f-3`).
    described_by: String,
}

/// One row of a table on the draft page.
#[derive(Debug)]
struct RowView {
    label: String,
    cells: Vec<CellView>,
}

/// One table on the draft page.
#[derive(Debug)]
struct TableView {
    caption: &'static str,
    /// The column labels when every row has the same columns (Tables 3 and 4).
    header: Option<Vec<&'static str>>,
    rows: Vec<RowView>,
}

/// One finding on the draft page.
#[derive(Debug)]
struct FindingView {
    id: String,
    rule: &'static str,
    severity: &'static str,
    severity_label: &'static str,
    message: String,
    cells: Vec<String>,
    printed: Option<String>,
    implied: Option<String>,
}

fn severity_label(t: &ReportText, s: Severity) -> &'static str {
    match s {
        Severity::Error => t.severity_error,
        Severity::Warning => t.severity_warning,
        Severity::Info => t.severity_info,
    }
}

fn findings_view(t: &ReportText, lang: Lang, findings: &[Finding]) -> Vec<FindingView> {
    findings
        .iter()
        .enumerate()
        .map(|(i, f)| FindingView {
            id: format!("f-{}", i + 1),
            rule: f.rule,
            severity: f.severity.key(),
            severity_label: severity_label(t, f.severity),
            message: match lang {
                Lang::Zh => f.message.zh.clone(),
                Lang::En => f.message.en.clone(),
            },
            cells: f.cells.iter().map(ToString::to_string).collect(),
            printed: f.printed.map(|d| d.to_string()),
            implied: f.implied.map(|d| d.to_string()),
        })
        .collect()
}

fn table_caption(id: TableId, lang: Lang) -> &'static str {
    match id {
        TableId::T2 => i18n::pick(lang, "二、主动公开政府信息情况", "2. Proactive disclosure"),
        TableId::T3 => i18n::pick(
            lang,
            "三、收到和处理政府信息公开申请情况",
            "3. Applications received and processed",
        ),
        TableId::T4 => i18n::pick(
            lang,
            "四、政府信息公开行政复议、行政诉讼情况",
            "4. Administrative reconsideration and litigation",
        ),
    }
}

/// The tables of `report` with a drill-down link per cell and the findings at their cells.
fn tables_view(
    lang: Lang,
    agency: OrgId,
    year: i16,
    report: &Report,
    findings: &[Finding],
) -> Vec<TableView> {
    let mut views = Vec::new();
    for id in [TableId::T2, TableId::T3, TableId::T4] {
        let Some(table) = report.table(id) else { continue };
        let layout = TableLayout::get(id, table.layout());
        let first = layout.rows.first().map(|r| r.columns.iter().map(|c| c.id).collect::<Vec<_>>());
        let uniform =
            layout.rows.iter().all(|r| Some(r.columns.iter().map(|c| c.id).collect()) == first);
        let header = uniform
            .then(|| layout.rows.first().map(|r| r.columns.iter().map(|c| c.label).collect()))
            .flatten();
        let rows = layout
            .rows
            .iter()
            .map(|row| RowView {
                label: match row.group {
                    Some(g) if id != TableId::T2 => format!("{g} {}", row.label()),
                    _ => row.label(),
                },
                cells: row
                    .columns
                    .iter()
                    .map(|col| {
                        let key = CellKey { row: row.id, col: col.id };
                        cell_view(agency, year, report, findings, key, col.label)
                    })
                    .collect(),
            })
            .collect();
        views.push(TableView { caption: table_caption(id, lang), header, rows });
    }
    views
}

fn cell_view(
    agency: OrgId,
    year: i16,
    report: &Report,
    findings: &[Finding],
    key: CellKey,
    column: &'static str,
) -> CellView {
    let naming: Vec<(usize, &Finding)> =
        findings.iter().enumerate().filter(|(_, f)| f.cells.contains(&key)).collect();
    let worst = naming.iter().map(|(_, f)| f.severity).max();
    CellView {
        key: key.to_string(),
        column,
        value: report.value(key).map(ToString::to_string).unwrap_or_default(),
        href: format!("/agencies/{agency}/reports/cells?year={year}&key={key}"),
        class: match worst {
            Some(Severity::Error) => "finding-error",
            Some(Severity::Warning) => "finding-warning",
            _ => "",
        },
        described_by: naming.iter().map(|(i, _)| format!("f-{}", i + 1)).collect::<Vec<_>>().join(" "),
    }
}

/// The text of a section of the draft.
fn section_text(report: &Report, id: SectionId) -> String {
    report.sections.iter().find(|s| s.id == id).map(|s| s.text.clone()).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "report_draft.html")]
struct DraftPage {
    chrome: Chrome,
    t: ReportText,
    agency_id: i64,
    agency: String,
    year: i16,
    /// Why no draft could be made (no records of the year, records that do not replay).
    error: Option<String>,
    previous: Option<String>,
    overview: String,
    problems: String,
    other: String,
    tables: Vec<TableView>,
    findings: Vec<FindingView>,
    /// The errors that refused a publication.
    refused: bool,
    has_errors: bool,
    may_publish: bool,
    published_versions: u32,
}

/// Renders the draft page of `checked`.
#[allow(clippy::too_many_arguments, reason = "the page's parts")]
async fn draft_view(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    checked: &Checked,
    refused: bool,
) -> Result<DraftPage, AppError> {
    let t = ReportText::of(lang);
    let orgs = page::orgs_of(state, actor).await?;
    let id = scope.id();
    let year = checked.year;
    let may_publish = policy::agency(state, actor, Action::PublishReport, id).await.is_ok();
    let published_versions =
        state.store.published_report(id, year, None).await?.map_or(0, |p| p.version.version);
    let chrome = Chrome::new(
        lang,
        format!("{year}{} · {}", t.draft_of, scope.org().name),
        csrf,
        &format!("/agencies/{id}/reports/draft"),
        Some((actor, &orgs)),
        Some(scope.org()),
        Nav::Reports,
    );
    let previous = checked.previous.as_ref().and_then(|p| p.meta.title.as_ref()).map(|t| t.value.clone());
    let mut view = DraftPage {
        chrome,
        t,
        agency_id: id.0,
        agency: scope.org().name.clone(),
        year,
        error: None,
        previous,
        overview: String::new(),
        problems: String::new(),
        other: String::new(),
        tables: Vec::new(),
        findings: Vec::new(),
        refused,
        has_errors: false,
        may_publish,
        published_versions,
    };
    match &checked.outcome {
        Ok((d, findings)) => {
            view.overview = section_text(&d.report, SectionId::Overview);
            view.problems = section_text(&d.report, SectionId::Problems);
            view.other = section_text(&d.report, SectionId::Other);
            view.tables = tables_view(lang, id, year, &d.report, findings);
            view.findings = findings_view(&t, lang, findings);
            view.has_errors = gongkai_rules::has_errors(findings);
        }
        Err(e) => view.error = Some(e.clone()),
    }
    Ok(view)
}

// ---------------------------------------------------------------------------------------------
// Handlers.

async fn draft_page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewDraft, OrgId(id)).await?;
    let year = q.year.unwrap_or_else(|| default_year(&state));
    let (checked, _) = drafted(&state, lang, &scope, year, &[]).await?;
    let view = draft_view(&state, lang, &csrf, &actor, &scope, &checked, false).await?;
    Ok(page::render(&view)?.into_response())
}

async fn check(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditDraft, OrgId(id)).await?;
    let (checked, _) = drafted(&state, lang, &scope, form.year, &form.sections()).await?;
    let view = draft_view(&state, lang, &csrf, &actor, &scope, &checked, false).await?;
    Ok(page::render(&view)?.into_response())
}

async fn preview(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewDraft, OrgId(id)).await?;
    let (checked, _) = drafted(&state, lang, &scope, form.year, &form.sections()).await?;
    let (d, _) = checked.outcome.map_err(|e| AppError::Invalid {
        field: Some("year"),
        msg: gongkai_model::Msg::new(e.clone(), e),
    })?;
    let report = d.report;
    let html = tokio::task::spawn_blocking(move || published::render(&report, OutputFormat::Html))
        .await
        .map_err(AppError::internal)??;
    Ok(published::html_document(String::from_utf8(html).map_err(AppError::internal)?))
}

async fn publish(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    origin: Origin,
    actor: Actor,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::PublishReport, OrgId(id)).await?;
    let (checked, _) = drafted(&state, lang, &scope, form.year, &form.sections()).await?;
    let refused = match &checked.outcome {
        Ok((_, findings)) => gongkai_rules::has_errors(findings),
        Err(_) => true,
    };
    if refused {
        let view = draft_view(&state, lang, &csrf, &actor, &scope, &checked, true).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&view)?).into_response());
    }
    let Ok((d, _)) = checked.outcome else { return Err(AppError::internal("checked above")) };
    let json = gongkai_render::doc::json(&d.report);
    let reason = Some(form.reason.trim()).filter(|r| !r.is_empty());
    let publication = Publication { year: form.year, report: &json, reason };
    let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
    let stored = state.store.publish_report(&ctx, scope.id(), &publication).await.map_err(|e| {
        match e {
            gongkai_store::StoreError::Invalid(msg) => AppError::Invalid { field: Some("reason"), msg },
            other => other.into(),
        }
    })?;
    let to = format!("/agencies/{id}/reports/{}?version={}", form.year, stored.version.version);
    Ok(Redirect::to(&to).into_response())
}

/// One record counted in a cell.
#[derive(Debug)]
struct ContributorView {
    record: String,
    href: Option<String>,
    date: String,
    detail: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "report_cell.html")]
struct CellPage {
    chrome: Chrome,
    t: ReportText,
    agency_id: i64,
    year: i16,
    key: String,
    value: String,
    error: Option<String>,
    total: String,
    records: Vec<ContributorView>,
}

fn contributor_view(lang: Lang, c: &Contributor<'_>) -> ContributorView {
    let amount = c.amount().normalize().to_string();
    match c {
        Contributor::Case(case) => ContributorView {
            record: case.id().0.clone(),
            href: Some(format!("/applications/{}", case.id().0)),
            date: i18n::date(lang, case.received()),
            detail: case
                .closure()
                .map(|cl| format!("{} {}", i18n::date(lang, cl.on), cl.outcome.row()))
                .unwrap_or_else(|| i18n::pick(lang, case.phase().zh(), case.phase().en()).to_owned()),
            amount,
        },
        Contributor::Document(d) => ContributorView {
            record: d.id.clone(),
            href: None,
            date: i18n::date(lang, d.issued),
            detail: format!("{} {}", d.number, d.title),
            amount,
        },
        Contributor::Decisions(d) => ContributorView {
            record: d.kind.row().key().to_owned(),
            href: None,
            date: i18n::date(lang, d.date),
            detail: String::new(),
            amount,
        },
        Contributor::Fee(f) => ContributorView {
            record: f.item.clone(),
            href: None,
            date: i18n::date(lang, f.date),
            detail: format!("{} 元", f.amount_yuan),
            amount,
        },
        Contributor::Dispute(d) => ContributorView {
            record: d.id.clone(),
            href: d.case.as_ref().map(|c| format!("/applications/{c}")),
            date: i18n::date(lang, d.filed),
            detail: d.case.clone().unwrap_or_default(),
            amount,
        },
    }
}

async fn cell(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<CellQuery>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewDraft, OrgId(id)).await?;
    let t = ReportText::of(lang);
    let year = q.year.unwrap_or_else(|| default_year(&state));
    let key_text = q.key.unwrap_or_else(|| "t3.new_received.total".to_owned());
    let key: CellKey = key_text.parse().map_err(|_| {
        AppError::field("key", format!("{}：{key_text}", t.unknown_cell), format!("{}: {key_text}", ReportText::of(Lang::En).unknown_cell))
    })?;
    let (checked, register) = drafted(&state, lang, &scope, year, &[]).await?;
    // Without a draft (no records of the year, records that do not replay) the page says why.
    let (value, error) = match &checked.outcome {
        Ok((d, _)) => (d.report.value(key).map(ToString::to_string).unwrap_or_default(), None),
        Err(e) => (String::new(), Some(e.clone())),
    };
    let cases = match &error {
        None => register.replay(state.clock.today(), state.env()).unwrap_or_default(),
        Some(_) => Vec::new(),
    };
    let records = register.records(&cases);
    let listed = contributors(&records, year, key);
    let total: rust_decimal::Decimal = listed.iter().map(Contributor::amount).sum();
    let orgs = page::orgs_of(&state, &actor).await?;
    let chrome = Chrome::new(
        lang,
        format!("{key} · {year}{}", t.draft_of),
        &csrf,
        &format!("/agencies/{id}/reports/cells"),
        Some((&actor, &orgs)),
        Some(scope.org()),
        Nav::Reports,
    );
    let page = CellPage {
        chrome,
        t,
        agency_id: id,
        year,
        key: key.to_string(),
        value,
        error,
        total: total.normalize().to_string(),
        records: listed.iter().map(|c| contributor_view(lang, c)).collect(),
    };
    Ok(page::render(&page)?.into_response())
}

/// One line of the revision log on the index.
#[derive(Debug)]
struct VersionRow {
    year: i16,
    version: u32,
    day: String,
    reason: String,
    href: String,
}

#[derive(Template)]
#[template(path = "report_index.html")]
struct IndexPage {
    chrome: Chrome,
    t: ReportText,
    agency_id: i64,
    agency: String,
    year: i16,
    versions: Vec<VersionRow>,
    downloads: Vec<&'static str>,
}

async fn index(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewDraft, OrgId(id)).await?;
    let t = ReportText::of(lang);
    let orgs = page::orgs_of(&state, &actor).await?;
    let versions = state
        .store
        .report_versions(scope.id())
        .await?
        .into_iter()
        .map(|v| VersionRow {
            year: v.year,
            version: v.version,
            day: published::published_day(lang, &v),
            reason: v.reason.clone().unwrap_or_else(|| t.first.to_owned()),
            href: format!("/agencies/{id}/reports/{}?version={}", v.year, v.version),
        })
        .collect();
    let chrome = Chrome::new(
        lang,
        format!("{} · {}", t.title, scope.org().name),
        &csrf,
        &format!("/agencies/{id}/reports"),
        Some((&actor, &orgs)),
        Some(scope.org()),
        Nav::Reports,
    );
    let page = IndexPage {
        chrome,
        t,
        agency_id: id,
        agency: scope.org().name.clone(),
        year: default_year(&state),
        versions,
        downloads: DOWNLOADS.iter().map(|f| f.key()).collect(),
    };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(ReportText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn the_form_gives_the_sections_it_has() {
        let form = DraftForm {
            year: 2024,
            overview: Some("一\r\n二 ".into()),
            problems: None,
            other: Some(String::new()),
            reason: String::new(),
        };
        assert_eq!(
            form.sections(),
            vec![(SectionId::Overview, "一\n二".to_owned()), (SectionId::Other, String::new())]
        );
    }
}
