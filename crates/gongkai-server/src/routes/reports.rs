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
//! The prose of sections 一/五/六 (fields `overview`, `problems`, `other`) is saved as a draft
//! (`POST …/reports/save`, [`gongkai_store::Store::save_draft`]): each save a new version with the
//! computed tables, naming the version its author saw (`draft_version`); a stale save (two tabs,
//! two clerks) is refused and the page shows the text saved meanwhile beside the author's own,
//! which stays in the form — no edit is lost. The page shows the latest saved prose (else the
//! default carried over from Y−1's report); the tables are always computed afresh from the
//! registers. The check, the preview and the publication take the prose of the form, and the
//! saved prose for any section the form leaves out; a publication saves edited prose as a new
//! draft version first (a stale one is refused as a save is), so that what is published is
//! always a saved draft.
//!
//! After a year is published its records are locked: a later change is a correction with a
//! reason ([`crate::correction`]). The draft page of a published year lists the corrections
//! recorded since its latest version ([`gongkai_store::Store::corrections`]); the approver
//! publishes a new version with a reason.

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
use gongkai_store::{Draft as SavedDraft, DraftSave, OrgId, Publication, StoreError, UserId};
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
        Route::post("/agencies/{id}/reports/save", Access::Agency(Action::EditDraft), save),
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
        save: "保存草稿" | "Save draft",
        saved_draft: "已保存的草稿" | "Saved draft",
        saved_by: "保存人" | "Saved by",
        saved_at: "保存时间" | "Saved at",
        not_saved: "草稿尚未保存，以下正文为自动生成的默认文本。" | "The draft has not been saved yet: the text below is the generated default.",
        nobody: "系统" | "the system",
        conflict: "未保存：你编辑期间，他人已保存了新的草稿版本。你的文本仍在下面的编辑框中，当前已保存的文本列在下方；核对后再次保存，你的文本即成为下一版本。" | "Not saved: someone else saved a newer version of the draft while you were editing. Your text is still in the boxes below and the text saved now is listed under them; check it, then save again to make your text the next version.",
        current_text: "当前已保存的文本" | "The text saved now",
        corrections: "发布后记录的更正" | "Corrections recorded since the published version",
        corrections_note: "以下更正改变了已发布报告所依据的记录，表格已按更正后的台账重新计算。请审核后填写更正理由，发布报告的新版本。" | "These corrections changed records the published report counts; the tables are computed from the corrected registers. Review them, give a reason and publish a new version of the report.",
        corrected_year: "更正年度" | "Year corrected",
        by: "经办人" | "By",
        register_sheet: "台账" | "Register",
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

/// The editable sections and their names: the form's fields and the saved draft's keys.
pub(crate) const PROSE: [(SectionId, &str); 3] =
    [(SectionId::Overview, "overview"), (SectionId::Problems, "problems"), (SectionId::Other, "other")];

/// The draft form: year, prose of sections 一/五/六, the saved version it was based on, and the
/// reason of a correction.
#[derive(Deserialize)]
struct DraftForm {
    year: i16,
    /// The saved draft's version the text was based on (0: none saved).
    #[serde(default)]
    draft_version: Option<u32>,
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
    fn field(&self, id: SectionId) -> Option<&String> {
        match id {
            SectionId::Overview => self.overview.as_ref(),
            SectionId::Problems => self.problems.as_ref(),
            SectionId::Other => self.other.as_ref(),
            _ => None,
        }
    }

    /// The sections the agency wrote: each field the form gives (line ends normalised), else the
    /// saved draft's text of the section, if any.
    fn sections(&self, saved: Option<&SavedDraft>) -> Vec<(SectionId, String)> {
        PROSE
            .into_iter()
            .filter_map(|(id, name)| match self.field(id) {
                Some(t) => Some((id, t.replace("\r\n", "\n").trim().to_owned())),
                None => saved.and_then(|d| d.prose.get(name)).map(|t| (id, t.clone())),
            })
            .collect()
    }
}

/// The sections of a saved draft (none: the carry-over default).
fn saved_sections(saved: Option<&SavedDraft>) -> Vec<(SectionId, String)> {
    let Some(d) = saved else { return Vec::new() };
    PROSE.into_iter().filter_map(|(id, name)| d.prose.get(name).map(|t| (id, t.clone()))).collect()
}

/// The prose of a draft's report, by section name, as the store keeps it.
pub(crate) fn prose_of(report: &Report) -> std::collections::BTreeMap<String, String> {
    PROSE.into_iter().map(|(id, name)| (name.to_owned(), section_text(report, id))).collect()
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

/// Who saved the draft shown, and when.
#[derive(Debug)]
struct SavedLine {
    version: u32,
    by: String,
    at: String,
}

/// A correction recorded since the published version.
#[derive(Debug)]
struct CorrectionRow {
    at: String,
    year: i16,
    record: String,
    href: Option<String>,
    reason: String,
    by: String,
}

/// What the draft page shows besides the checked draft.
#[derive(Default)]
struct Shown {
    /// The errors that refused a publication.
    refused: bool,
    /// The latest saved draft (after a refused save: the one saved meanwhile).
    saved: Option<SavedDraft>,
    /// The version the form's next save names.
    version: u32,
    /// A save was refused as stale: `saved` is the draft saved meanwhile.
    conflict: bool,
}

impl Shown {
    /// The page of `saved`, the latest saved draft.
    fn of(saved: Option<SavedDraft>) -> Shown {
        let version = saved.as_ref().map_or(0, |d| d.version);
        Shown { saved, version, ..Shown::default() }
    }
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
    /// Whether the actor may check and save (an office reviewer only looks).
    may_edit: bool,
    may_publish: bool,
    published_versions: u32,
    /// The saved draft the text is based on.
    saved: Option<SavedLine>,
    /// The version the next save names.
    draft_version: u32,
    /// A refused stale save: the text saved meanwhile, by section.
    conflict: Option<Vec<(&'static str, String)>>,
    /// Corrections recorded since the latest published version of the year.
    corrections: Vec<CorrectionRow>,
}

/// The display name of a user (or "the system").
async fn user_name(state: &AppState, t: &ReportText, user: Option<UserId>) -> Result<String, AppError> {
    Ok(match user {
        Some(id) => state.store.user(id).await?.map_or_else(|| t.nobody.to_owned(), |u| u.display_name),
        None => t.nobody.to_owned(),
    })
}

/// The corrections of `agency`'s records that alter year `year` (a change of year X alters every
/// year from X on) recorded after `since`, its latest publication.
async fn corrections_since(
    state: &AppState,
    lang: Lang,
    t: &ReportText,
    agency: OrgId,
    year: i16,
    since: jiff::Timestamp,
) -> Result<Vec<CorrectionRow>, AppError> {
    let mut rows = Vec::new();
    for c in state.store.corrections(agency).await? {
        if c.year > year || c.at <= since {
            continue;
        }
        let (record, href) = match (&c.case, &c.sheet) {
            (Some((id, _)), _) => (id.0.clone(), Some(super::application::href(id))),
            (None, Some(sheet)) => (format!("{}：{sheet}", t.register_sheet), None),
            (None, None) => (String::new(), None),
        };
        rows.push(CorrectionRow {
            at: i18n::datetime(lang, c.at),
            year: c.year,
            record,
            href,
            reason: c.reason.clone(),
            by: user_name(state, t, c.user).await?,
        });
    }
    Ok(rows)
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
    shown: Shown,
) -> Result<DraftPage, AppError> {
    let t = ReportText::of(lang);
    let orgs = page::orgs_of(state, actor).await?;
    let id = scope.id();
    let year = checked.year;
    let may_publish = policy::agency(state, actor, Action::PublishReport, id).await.is_ok();
    let may_edit = policy::agency(state, actor, Action::EditDraft, id).await.is_ok();
    let latest = state.store.published_report(id, year, None).await?;
    let published_versions = latest.as_ref().map_or(0, |p| p.version.version);
    let corrections = match &latest {
        Some(p) => corrections_since(state, lang, &t, id, year, p.version.published_at).await?,
        None => Vec::new(),
    };
    let saved = match &shown.saved {
        Some(d) => Some(SavedLine {
            version: d.version,
            by: user_name(state, &t, d.saved_by).await?,
            at: i18n::datetime(lang, d.saved_at),
        }),
        None => None,
    };
    let conflict = shown.conflict.then(|| {
        let labels = [t.overview, t.problems, t.other];
        PROSE
            .into_iter()
            .zip(labels)
            .map(|((_, name), label)| {
                let text = shown.saved.as_ref().and_then(|d| d.prose.get(name)).cloned();
                (label, text.unwrap_or_default())
            })
            .collect()
    });
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
        refused: shown.refused,
        has_errors: false,
        may_edit,
        may_publish,
        published_versions,
        saved,
        draft_version: shown.version,
        conflict,
        corrections,
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
    let saved = state.store.draft(scope.id(), year).await?;
    let (checked, _) = drafted(&state, lang, &scope, year, &saved_sections(saved.as_ref())).await?;
    let view = draft_view(&state, lang, &csrf, &actor, &scope, &checked, Shown::of(saved)).await?;
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
    let saved = state.store.draft(scope.id(), form.year).await?;
    let sections = form.sections(saved.as_ref());
    let (checked, _) = drafted(&state, lang, &scope, form.year, &sections).await?;
    let mut shown = Shown::of(saved);
    shown.version = form.draft_version.unwrap_or(shown.version);
    let view = draft_view(&state, lang, &csrf, &actor, &scope, &checked, shown).await?;
    Ok(page::render(&view)?.into_response())
}

/// `POST …/reports/save`: the form's prose and the computed tables as a new version of the
/// draft. Saved: back to the draft page (303). Another save came first: the page with the
/// author's text still in the form and the text saved meanwhile beside it (409). No draft can
/// be computed (no records of the year): the page with the reason (422).
async fn save(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    origin: Origin,
    actor: Actor,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditDraft, OrgId(id)).await?;
    let saved = state.store.draft(scope.id(), form.year).await?;
    let sections = form.sections(saved.as_ref());
    let (checked, _) = drafted(&state, lang, &scope, form.year, &sections).await?;
    let expected = form.draft_version.unwrap_or(0);
    let Ok((d, _)) = &checked.outcome else {
        let mut shown = Shown::of(saved);
        shown.version = expected;
        let view = draft_view(&state, lang, &csrf, &actor, &scope, &checked, shown).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&view)?).into_response());
    };
    let prose = prose_of(&d.report);
    let json = gongkai_render::doc::json(&d.report);
    let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
    let save = DraftSave::new(form.year, expected, &prose, &json);
    match state.store.save_draft(&ctx, scope.id(), &save).await {
        Ok(_) => {
            let to = format!("/agencies/{id}/reports/draft?year={}", form.year);
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::DraftConflict(c)) => {
            conflict_page(&state, lang, &csrf, &actor, &scope, &checked, c.current).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The draft page after a stale save (409): the author's text in the form, naming the current
/// version, and `current`, the draft saved meanwhile, beside it.
async fn conflict_page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    checked: &Checked,
    current: Option<SavedDraft>,
) -> Result<Response, AppError> {
    let version = current.as_ref().map_or(0, |d| d.version);
    let shown = Shown { saved: current, version, conflict: true, ..Shown::default() };
    let view = draft_view(state, lang, csrf, actor, scope, checked, shown).await?;
    Ok((StatusCode::CONFLICT, page::render(&view)?).into_response())
}

async fn preview(
    State(state): State<AppState>,
    Ui(lang): Ui,
    actor: Actor,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewDraft, OrgId(id)).await?;
    let saved = state.store.draft(scope.id(), form.year).await?;
    let sections = form.sections(saved.as_ref());
    let (checked, _) = drafted(&state, lang, &scope, form.year, &sections).await?;
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
    let saved = state.store.draft(scope.id(), form.year).await?;
    let sections = form.sections(saved.as_ref());
    let (checked, _) = drafted(&state, lang, &scope, form.year, &sections).await?;
    let refused = match &checked.outcome {
        Ok((_, findings)) => gongkai_rules::has_errors(findings),
        Err(_) => true,
    };
    if refused {
        let mut shown = Shown::of(saved);
        shown.refused = true;
        shown.version = form.draft_version.unwrap_or(shown.version);
        let view = draft_view(&state, lang, &csrf, &actor, &scope, &checked, shown).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&view)?).into_response());
    }
    let Ok((d, _)) = &checked.outcome else {
        return Err(AppError::internal("checked above"));
    };
    let prose = prose_of(&d.report);
    let json = gongkai_render::doc::json(&d.report);
    let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
    // What is published is a saved version of the draft: prose edited since the last save is
    // saved first, onto the version its author saw.
    if saved.as_ref().map(|s| &s.prose) != Some(&prose) {
        let seen = saved.as_ref().map_or(0, |s| s.version);
        let save = DraftSave::new(form.year, form.draft_version.unwrap_or(seen), &prose, &json);
        match state.store.save_draft(&ctx, scope.id(), &save).await {
            Ok(_) => {}
            Err(StoreError::DraftConflict(c)) => {
                return conflict_page(&state, lang, &csrf, &actor, &scope, &checked, c.current)
                    .await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let reason = Some(form.reason.trim()).filter(|r| !r.is_empty());
    let publication = Publication { year: form.year, report: &json, reason };
    let stored = state.store.publish_report(&ctx, scope.id(), &publication).await.map_err(|e| {
        match e {
            gongkai_store::StoreError::Invalid(msg) => AppError::Invalid { field: Some("reason"), msg },
            other => other.into(),
        }
    })?;
    // The portal's data of the new generation, before the answer: readers are served the data
    // from before meanwhile, and the publisher's next page shows the publication. The
    // publication stands whatever happens here; the next request computes what failed.
    if let Err(e) = crate::portal::Portal::refresh(&state, Some(form.year)).await {
        tracing::warn!(error = %e, "the portal's data could not be computed after a publication");
    }
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
            draft_version: None,
            overview: Some("一\r\n二 ".into()),
            problems: None,
            other: Some(String::new()),
            reason: String::new(),
        };
        assert_eq!(
            form.sections(None),
            vec![(SectionId::Overview, "一\n二".to_owned()), (SectionId::Other, String::new())]
        );
        // A section the form leaves out is the saved draft's.
        let saved = SavedDraft {
            agency: OrgId(1),
            year: 2024,
            version: 2,
            saved_at: jiff::Timestamp::UNIX_EPOCH,
            saved_by: None,
            prose: [("problems".to_owned(), "已保存".to_owned()), ("other".to_owned(), "旧".to_owned())]
                .into_iter()
                .collect(),
            report: "{}".into(),
        };
        assert_eq!(
            form.sections(Some(&saved)),
            vec![
                (SectionId::Overview, "一\n二".to_owned()),
                (SectionId::Problems, "已保存".to_owned()),
                (SectionId::Other, String::new()),
            ]
        );
    }
}
