//! 台账, the registers of an agency: the overview (`GET /agencies/{id}/registers`: each sheet's
//! entries per year, with links), one page per sheet (`GET /agencies/{id}/registers/<sheet>`,
//! paginated, `?year=` and `?page=`), the exports and the blank templates. The import is in
//! [`super::register_import`], the form for a proactive item in [`super::proactive`].
//!
//! One vocabulary: the sheets, their columns, labels and the values of enumerated columns come
//! from [`gongkai_register::template`] (`Sheet`, `Col`, `fields`); the rows are those the export
//! writes ([`gongkai_register::export::rows`]), so a page shows what the spreadsheet holds.
//!
//! **Personal data.** Applicants' names and contact details are never in a sheet page or an
//! export, whoever asks — not even for the agency's own clerk: an exported workbook travels
//! (to the office, by e-mail, on a USB stick), and the store keeps personal data apart, read case
//! by case and audited ([`gongkai_store::Store::personal_data`]). The columns
//! 申请人姓名或名称 and 联系方式 stay in the export (so that it is the template and imports back)
//! but are empty, and are not shown on the page. Re-importing such an export leaves the stored
//! personal data as it is (stored applications are never replaced).
//!
//! **Formula injection.** CSV exports go through [`gongkai_register::csv_io::write`], which
//! writes a cell starting with `=`, `+`, `-`, `@`, tab or CR as text (a `'` in front, removed on
//! import); XLSX exports write every value as a string cell, never a formula.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gongkai_cases::Register;
use gongkai_register::template::{Col, Kind, Sheet, fields};
use gongkai_store::{OrgId, RegisterEntry, RegisterSheet};
use serde::Deserialize;

use super::{Access, Route};
use crate::auth::{Actor, CsrfToken};
use crate::error::AppError;
use crate::i18n::{self, Lang, Ui};
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, AgencyScope};
use crate::state::AppState;
use crate::texts;

/// Entries per sheet page.
pub const PAGE_SIZE: usize = 50;

/// The columns of applicants' personal data: never shown or exported (see the module docs).
pub const PERSONAL: [Col; 2] = [Col::ApplicantName, Col::Contact];

/// Each sheet with its URL segment (the store's key for the other registers).
pub const SHEETS: [(Sheet, &str); 6] = [
    (Sheet::Applications, "applications"),
    (Sheet::Proactive, "proactive"),
    (Sheet::Documents, "documents"),
    (Sheet::Decisions, "decisions"),
    (Sheet::Fees, "fees_collected"),
    (Sheet::Disputes, "disputes"),
];

/// The URL segment of a sheet.
pub fn slug(sheet: Sheet) -> &'static str {
    SHEETS.iter().find(|(s, _)| *s == sheet).map_or("applications", |(_, k)| k)
}

/// The store's sheet of a register sheet (`None` for applications, stored as cases).
pub fn stored(sheet: Sheet) -> Option<RegisterSheet> {
    RegisterSheet::from_key(slug(sheet))
}

/// A sheet's name in `lang`.
pub fn sheet_name(sheet: Sheet, lang: Lang) -> &'static str {
    i18n::pick(lang, sheet.name(), sheet.en())
}

/// A column's label in `lang`.
pub fn col_name(col: Col, lang: Lang) -> &'static str {
    i18n::pick(lang, col.name(), col.en())
}

/// The routes.
pub fn routes() -> Vec<Route> {
    let view = Access::Agency(Action::ViewRegisters);
    let mut routes = vec![
        Route::get("/agencies/{id}/registers", view, overview),
        Route::get("/agencies/{id}/registers/export.xlsx", view, export_xlsx),
        Route::get("/agencies/{id}/registers/export.csv", view, export_csv),
        Route::get("/agencies/{id}/registers/template.xlsx", view, template_xlsx),
        Route::get("/agencies/{id}/registers/template.csv", view, template_csv),
    ];
    for (sheet, path) in [
        (Sheet::Applications, "/agencies/{id}/registers/applications"),
        (Sheet::Proactive, "/agencies/{id}/registers/proactive"),
        (Sheet::Documents, "/agencies/{id}/registers/documents"),
        (Sheet::Decisions, "/agencies/{id}/registers/decisions"),
        (Sheet::Fees, "/agencies/{id}/registers/fees_collected"),
        (Sheet::Disputes, "/agencies/{id}/registers/disputes"),
    ] {
        routes.push(Route::get(
            path,
            view,
            move |state: State<AppState>,
                  ui: Ui,
                  csrf: CsrfToken,
                  actor: Actor,
                  id: Path<i64>,
                  query: Query<SheetQuery>| {
                sheet_page(sheet, state, ui, csrf, actor, id, query)
            },
        ));
    }
    routes
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The registers' texts.
    pub struct RegistersText {
        title: "台账" | "Registers",
        sheet: "台账" | "Register",
        total: "合计" | "Total",
        year: "年度" | "Year",
        empty: "暂无登记。" | "Nothing registered yet.",
        downloads: "导出与模板" | "Export and templates",
        export_xlsx: "导出全部台账（XLSX）" | "Export every register (XLSX)",
        export_csv: "导出本台账（CSV）" | "Export this register (CSV)",
        template_xlsx: "下载空白模板（XLSX）" | "Download the blank template (XLSX)",
        template_csv: "CSV 模板" | "CSV template",
        no_personal: "导出文件不含申请人姓名、联系方式等个人信息。" | "Exports carry no personal data of applicants (names, contact details).",
        import: "导入台账" | "Import a register",
        import_help: "选择按模板填写的 XLSX 文件或单个工作表的 CSV 文件。有任何错误时不导入任何数据，并列出每一处错误。" | "Choose an XLSX file filled in from the template, or the CSV file of one sheet. If any row is wrong nothing is imported, and every error is listed.",
        file: "文件" | "File",
        mode: "导入方式" | "Mode",
        replace: "替换文件中包含的台账" | "Replace the registers the file contains",
        append: "追加到已有台账" | "Add to the registers",
        import_button: "导入" | "Import",
        replace_note: "依申请公开的申请只会新增或补充办理过程，已登记的记录不会被替换。" | "Applications are only added or extended: a recorded application is never replaced.",
        add_item: "登记主动公开信息" | "Register a proactive item",
        all_years: "全部年度" | "All years",
        page: "页" | "Page",
        previous: "上一页" | "Previous",
        next: "下一页" | "Next",
        entries: "条" | "entries",
        back: "返回台账" | "Back to the registers",
        attachments: "上传附件" | "Upload attachments",
        guide_edit: "编辑政府信息公开指南" | "Edit the disclosure guide",
        column: "查看信息公开专栏" | "See the public disclosure column",
    }
}

/// One sheet on the overview.
#[derive(Debug)]
struct OverviewRow {
    name: &'static str,
    href: String,
    /// Per year of the overview's columns: the count and its link (`None` for none).
    years: Vec<(u64, String)>,
    total: u64,
    csv: String,
}

#[derive(Template)]
#[template(path = "registers.html")]
struct OverviewPage {
    chrome: Chrome,
    t: RegistersText,
    agency: String,
    base: String,
    years: Vec<i16>,
    rows: Vec<OverviewRow>,
    can_edit: bool,
    /// The import's 更正理由 input, while the agency has published years.
    correction: Option<crate::correction::CorrectionField>,
}

async fn overview(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewRegisters, OrgId(id)).await?;
    let t = RegistersText::of(lang);
    let base = format!("/agencies/{id}/registers");
    let mut per_sheet = Vec::new();
    for (sheet, _) in SHEETS {
        per_sheet.push((sheet, years_of(&state, &scope, sheet).await?));
    }
    let years: BTreeSet<i16> =
        per_sheet.iter().flat_map(|(_, y)| y.keys().copied()).collect();
    let years: Vec<i16> = years.into_iter().rev().collect();
    let rows = per_sheet
        .into_iter()
        .map(|(sheet, counts)| {
            let href = format!("{base}/{}", slug(sheet));
            OverviewRow {
                name: sheet_name(sheet, lang),
                years: years
                    .iter()
                    .map(|y| (counts.get(y).copied().unwrap_or(0), format!("{href}?year={y}")))
                    .collect(),
                total: counts.values().sum(),
                csv: format!("{base}/export.csv?sheet={}", slug(sheet)),
                href,
            }
        })
        .collect();
    let can_edit = policy::agency(&state, &actor, Action::EditRegisters, OrgId(id)).await.is_ok();
    let chrome = chrome(&state, lang, &csrf, &actor, &scope, t.title, &base).await?;
    let locked = crate::correction::locked_years(&state, scope.id()).await?;
    let correction = crate::correction::CorrectionField::of(lang, &locked, "", None);
    let page = OverviewPage {
        chrome,
        t,
        agency: scope.org().name.clone(),
        base,
        years,
        rows,
        can_edit,
        correction,
    };
    Ok(page::render(&page)?.into_response())
}

/// The layout of a registers page.
pub(crate) async fn chrome(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    title: &str,
    path: &str,
) -> Result<Chrome, AppError> {
    let orgs = page::orgs_of(state, actor).await?;
    Ok(Chrome::new(
        lang,
        format!("{title} · {}", scope.org().name),
        csrf,
        path,
        Some((actor, &orgs)),
        Some(scope.org()),
        Nav::Registers,
    ))
}

/// How many entries of `sheet` count toward each year: applications by the day received, the
/// other registers by [`RegisterEntry::year`].
async fn years_of(
    state: &AppState,
    scope: &AgencyScope,
    sheet: Sheet,
) -> Result<BTreeMap<i16, u64>, AppError> {
    let mut counts = BTreeMap::new();
    match stored(sheet) {
        None => {
            for case in state.store.cases(scope.id()).await? {
                *counts.entry(case.record.intake.received().year()).or_insert(0) += 1;
            }
        }
        Some(s) => {
            for entry in state.store.register_entries(scope.id(), s, None).await? {
                *counts.entry(entry.year()).or_insert(0) += 1;
            }
        }
    }
    Ok(counts)
}

/// The part of the agency's register that `sheet` shows, counting toward `year` when given (no
/// personal data: see the module docs).
async fn sheet_register(
    state: &AppState,
    scope: &AgencyScope,
    sheet: Sheet,
    year: Option<i16>,
) -> Result<Register, AppError> {
    let mut register = Register::new(scope.org().name.clone());
    match stored(sheet) {
        None => {
            register.cases = state
                .store
                .cases(scope.id())
                .await?
                .into_iter()
                .map(|c| c.record)
                .filter(|r| year.is_none_or(|y| r.intake.received().year() == y))
                .collect();
        }
        Some(s) => {
            for entry in state.store.register_entries(scope.id(), s, year).await? {
                put(&mut register, entry);
            }
        }
    }
    Ok(register)
}

/// Puts a stored entry into its field of `register`.
fn put(register: &mut Register, entry: RegisterEntry) {
    match entry {
        RegisterEntry::Proactive(x) => register.proactive.push(x),
        RegisterEntry::Document(x) => register.documents.push(x),
        RegisterEntry::Decision(x) => register.decisions.push(x),
        RegisterEntry::Fee(x) => register.fees_collected.push(x),
        RegisterEntry::Dispute(x) => register.disputes.push(x),
    }
}

/// The query of a sheet page.
#[derive(Debug, Default, Deserialize)]
struct SheetQuery {
    year: Option<i16>,
    page: Option<usize>,
}

/// A column of a sheet page.
#[derive(Debug)]
struct Head {
    label: &'static str,
    num: bool,
}

/// A cell of a sheet page.
#[derive(Debug)]
struct Cell {
    text: String,
    num: bool,
}

#[derive(Template)]
#[template(path = "register_sheet.html")]
struct SheetPage {
    chrome: Chrome,
    t: RegistersText,
    name: &'static str,
    base: String,
    year_line: String,
    heads: Vec<Head>,
    rows: Vec<Vec<Cell>>,
    total: usize,
    page: usize,
    pages: usize,
    previous: Option<String>,
    next: Option<String>,
    csv: String,
    add_item: Option<String>,
    /// The attachments page, the guide's edit form and the public column (主动公开 only).
    column_links: Option<(String, String, String)>,
}

async fn sheet_page(
    sheet: Sheet,
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<SheetQuery>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewRegisters, OrgId(id)).await?;
    let t = RegistersText::of(lang);
    let base = format!("/agencies/{id}/registers");
    let register = sheet_register(&state, &scope, sheet, query.year).await?;
    let (heads, all) = table(&register, sheet, lang);
    let total = all.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let rows: Vec<Vec<Cell>> =
        all.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    let here = format!("{base}/{}", slug(sheet));
    let link = |p: usize| match query.year {
        Some(y) => format!("{here}?year={y}&page={p}"),
        None => format!("{here}?page={p}"),
    };
    let year_line = match query.year {
        Some(y) => match lang {
            Lang::Zh => format!("{y}年度"),
            Lang::En => format!("year {y}"),
        },
        None => t.all_years.to_owned(),
    };
    let can_edit = policy::agency(&state, &actor, Action::EditRegisters, OrgId(id)).await.is_ok();
    let add_item =
        (sheet == Sheet::Proactive && can_edit).then(|| format!("{base}/proactive/new"));
    let name = sheet_name(sheet, lang);
    let chrome = chrome(&state, lang, &csrf, &actor, &scope, name, &here).await?;
    let page = SheetPage {
        chrome,
        t,
        name,
        year_line,
        heads,
        rows,
        total,
        page,
        pages,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        csv: format!("{base}/export.csv?sheet={}", slug(sheet)),
        base,
        add_item,
        // The column's pages for those who edit the 主动公开 register (routes/column*.rs, guide.rs).
        column_links: (sheet == Sheet::Proactive && can_edit).then(|| {
            (
                format!("/agencies/{id}/registers/proactive/attachments"),
                format!("/agencies/{id}/guide/edit"),
                format!("/agencies/{id}/column"),
            )
        }),
    };
    Ok(page::render(&page)?.into_response())
}

/// The sheet as a table: its columns (the template's, without personal data) and its rows (the
/// export's values; dates as people read them, enumerated values in `lang`).
fn table(register: &Register, sheet: Sheet, lang: Lang) -> (Vec<Head>, Vec<Vec<Cell>>) {
    let fields = fields(sheet);
    let shown: Vec<usize> =
        (0..fields.len()).filter(|&i| !PERSONAL.contains(&fields[i].col)).collect();
    let num = |kind: Kind| matches!(kind, Kind::Integer | Kind::Amount);
    let heads = shown
        .iter()
        .map(|&i| Head { label: col_name(fields[i].col, lang), num: num(fields[i].kind) })
        .collect();
    let rows = gongkai_register::export::rows(register, sheet)
        .into_iter()
        .skip(1)
        .map(|row| {
            shown
                .iter()
                .map(|&i| {
                    let f = &fields[i];
                    let value = row.get(i).map_or("", String::as_str);
                    Cell { text: shown_value(f, value, lang), num: num(f.kind) }
                })
                .collect()
        })
        .collect();
    (heads, rows)
}

/// A value as the page shows it: a date as `2025年3月1日`, an enumerated value by its label in
/// `lang` (several separated by 、), anything else as written.
fn shown_value(field: &gongkai_register::template::Field, value: &str, lang: Lang) -> String {
    match field.kind {
        Kind::Date => value
            .parse::<jiff::civil::Date>()
            .map_or_else(|_| value.to_owned(), |d| i18n::date(lang, d)),
        Kind::OneOf(_) | Kind::Several(_) if lang == Lang::En => value
            .split('、')
            .map(|v| {
                field.choices.iter().find(|c| c.value == v).map_or(v, |c| c.en.as_str())
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => value.to_owned(),
    }
}

/// A file to download.
fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(CONTENT_TYPE, content_type.to_owned()), (CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

/// The query of a CSV download: which sheet (applications when not given).
#[derive(Debug, Default, Deserialize)]
struct CsvQuery {
    sheet: Option<String>,
}

impl CsvQuery {
    fn sheet(&self) -> Result<Sheet, AppError> {
        match &self.sheet {
            None => Ok(Sheet::Applications),
            Some(key) => SHEETS
                .iter()
                .find(|(_, k)| k == key)
                .map(|(s, _)| *s)
                .ok_or_else(|| AppError::field("sheet", "没有这个台账", "no such register")),
        }
    }
}

/// The agency's whole register (without personal data) as the template's workbook.
async fn export_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewRegisters, OrgId(id)).await?;
    let register = state.store.load_register(scope.id()).await?;
    let bytes = gongkai_register::xlsx::register(&register).map_err(AppError::internal)?;
    Ok(download(bytes, XLSX, &format!("register-{id}.xlsx")))
}

/// One sheet of the agency's register (without personal data) as CSV.
async fn export_csv(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<CsvQuery>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::ViewRegisters, OrgId(id)).await?;
    let sheet = query.sheet()?;
    let register = sheet_register(&state, &scope, sheet, None).await?;
    let rows = gongkai_register::export::rows(&register, sheet);
    let bytes = gongkai_register::csv_io::write(&rows).map_err(AppError::internal)?;
    Ok(download(bytes, CSV, &format!("register-{id}-{}.csv", slug(sheet))))
}

/// The blank template workbook.
async fn template_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    policy::agency(&state, &actor, Action::ViewRegisters, OrgId(id)).await?;
    let bytes = gongkai_register::xlsx::template().map_err(AppError::internal)?;
    Ok(download(bytes, XLSX, "register-template.xlsx"))
}

/// The blank CSV template of one sheet.
async fn template_csv(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(query): Query<CsvQuery>,
) -> Result<Response, AppError> {
    policy::agency(&state, &actor, Action::ViewRegisters, OrgId(id)).await?;
    let sheet = query.sheet()?;
    let header = gongkai_register::export::header(sheet);
    let bytes = gongkai_register::csv_io::write(&[header]).map_err(AppError::internal)?;
    Ok(download(bytes, CSV, &format!("register-template-{}.csv", slug(sheet))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(RegistersText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn every_sheet_has_one_segment_and_the_others_are_the_stores_keys() {
        for sheet in Sheet::ALL {
            assert_eq!(SHEETS.iter().filter(|(s, _)| *s == sheet).count(), 1, "{sheet:?}");
            assert_eq!(stored(sheet).is_none(), sheet == Sheet::Applications, "{sheet:?}");
        }
        assert_eq!(
            Sheet::ALL.iter().filter_map(|s| stored(*s)).collect::<Vec<_>>(),
            RegisterSheet::ALL
        );
    }

    #[test]
    fn dates_and_labels_are_shown_as_people_read_them() {
        let f = fields(Sheet::Proactive);
        let created = f.iter().find(|x| x.col == Col::Created).expect("created");
        assert_eq!(shown_value(created, "2025-03-01", Lang::Zh), "2025年3月1日");
        let channels = f.iter().find(|x| x.col == Col::PublishChannels).expect("channels");
        let zh = channels.choices[0].value.clone();
        let shown = shown_value(channels, &format!("{zh}、某某平台"), Lang::En);
        assert_eq!(shown, format!("{}, 某某平台", channels.choices[0].en));
    }
}
