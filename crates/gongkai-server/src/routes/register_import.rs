//! Importing a register: `POST /agencies/{id}/registers/import`, a multipart form with the file
//! (`file`, XLSX or CSV) and the mode (`mode`: `replace`, the default, or `append`), like
//! `gongkai register import [--append]`.
//!
//! The library reads and checks the file ([`gongkai_register::import`]: every cell, every
//! application replayed through the state machine); the store saves it in one transaction
//! ([`gongkai_store::Store::import_register`], which also writes the audit entry). A file with any
//! bad row saves nothing: the page lists every problem with its sheet, row, column and reason,
//! with status 422. The upload is limited to the server's upload limit
//! ([`crate::Config::upload_limit`]); the same figure bounds the library's reading of the file.
//!
//! An import that changes entries or applications of a year whose report is published (or an
//! earlier one) is a correction: the form's `correction_reason` goes to the store with it, and a
//! refusal for want of one shows the page again (422) with the store's words and a form to send
//! the file again with a reason ([`crate::correction`]).
//!
//! The form posts its CSRF token in the query string (`?csrf=…`): a multipart body is not read
//! before the handler.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_cases::{Case, Register};
use gongkai_model::{Localized as _, Msg};
use gongkai_register::template::Sheet;
use gongkai_register::{ImportError, Imported, RowError};
use gongkai_store::{
    CaseState, ImportMode, NewCase, OrgId, RegisterImport, RegisterImported, StoreError,
};

use super::registers::{self, sheet_name, slug, stored};
use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
use crate::correction::{self, CorrectionField};
use crate::error::AppError;
use crate::i18n::{Lang, Ui};
use crate::page::{self, Chrome};
use crate::policy::{self, Action, AgencyScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::post(
        "/agencies/{id}/registers/import",
        Access::Agency(Action::EditRegisters),
        import,
    )
    .upload()]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The import's texts.
    pub struct ImportText {
        title: "导入台账" | "Import a register",
        done: "已导入" | "Imported",
        failed: "未导入任何数据" | "Nothing was imported",
        sheet: "工作表" | "Sheet",
        row: "行" | "Row",
        column: "列" | "Column",
        problem: "问题" | "Problem",
        before: "导入前" | "Before",
        read: "文件中" | "In the file",
        after: "导入后" | "After",
        cases_created: "新登记的申请" | "Applications added",
        cases_extended: "补充办理过程的申请" | "Applications extended",
        cases_unchanged: "未变的申请" | "Applications unchanged",
        fix: "请改正以上问题后重新导入。" | "Correct these problems and import the file again.",
        again: "填写更正理由后重新导入" | "Import again with a reason",
        file: "文件" | "File",
        back: "返回台账" | "Back to the registers",
    }
}

/// One problem of a refused file.
#[derive(Debug)]
struct Problem {
    sheet: String,
    row: String,
    column: String,
    message: String,
}

/// One sheet of a completed import.
#[derive(Debug)]
struct Done {
    name: &'static str,
    href: String,
    before: u64,
    read: u64,
    after: u64,
}

#[derive(Template)]
#[template(path = "register_import.html")]
struct ImportPage {
    chrome: Chrome,
    t: ImportText,
    back: String,
    /// The file's name.
    file: String,
    /// The refusal's summary (empty when imported).
    summary: String,
    problems: Vec<Problem>,
    done: Vec<Done>,
    cases: Vec<(&'static str, u64)>,
    /// Refused for want of a correction reason: the form to send the file again with one.
    retry: Option<Retry>,
    /// The retry form's 更正理由 input.
    correction: Option<CorrectionField>,
}

/// The form to import the file again (with a correction reason).
#[derive(Debug)]
struct Retry {
    action: String,
    mode: &'static str,
}

/// What the form sent.
struct Upload {
    name: String,
    bytes: Vec<u8>,
    mode: ImportMode,
    /// Why the import corrects published years.
    reason: String,
}

async fn import(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditRegisters, OrgId(id)).await?;
    let upload = read_form(multipart).await?;
    let limits = gongkai_doc::Limits {
        max_input_bytes: u64::try_from(state.config.upload_limit).unwrap_or(u64::MAX),
        ..gongkai_doc::Limits::default()
    };
    let today = state.clock.today();
    let outcome =
        gongkai_register::import(&upload.name, &upload.bytes, today, state.env(), &limits);
    let imported = match outcome {
        Ok(imported) => imported,
        Err(e) => {
            let shown = e.shown(lang);
            return refused(&state, lang, &csrf, &actor, &scope, &upload.name, shown).await;
        }
    };
    let mut register_import = to_store(&state, &scope, upload.mode, imported)?;
    if let Some(r) = correction::reason(Some(&upload.reason)) {
        register_import = register_import.with_correction(r);
    }
    let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
    match state.store.import_register(&ctx, scope.id(), &register_import).await {
        Ok(done) => done_page(&state, lang, &csrf, &actor, &scope, &upload.name, &done).await,
        Err(StoreError::Invalid(msg)) => {
            let shown = Refusal(msg).shown(lang);
            refused(&state, lang, &csrf, &actor, &scope, &upload.name, shown).await
        }
        Err(e @ StoreError::YearLocked { .. }) => {
            let why = e.message(lang);
            let locked = correction::locked_years(&state, scope.id()).await?;
            let retry = Retry {
                action: format!("/agencies/{}/registers/import?csrf={}", scope.id(), csrf.0),
                mode: match upload.mode {
                    ImportMode::Replace => "replace",
                    ImportMode::Append => "append",
                },
            };
            let field = CorrectionField::of(lang, &locked, &upload.reason, Some(why.clone()));
            let shown = (why, Vec::new());
            let file = upload.name.as_str();
            let page = refused_page(&state, lang, &csrf, &actor, &scope, file, shown).await?;
            let page = ImportPage { retry: Some(retry), correction: field, ..page };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The form's file and mode.
async fn read_form(mut multipart: Multipart) -> Result<Upload, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::multipart(&e);
    let mut file = None;
    let mut mode = ImportMode::Replace;
    let mut reason = String::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                file = Some((name, bytes.to_vec()));
            }
            Some(correction::FIELD) => reason = field.text().await.map_err(bad)?,
            Some("mode") => {
                mode = match field.text().await.map_err(bad)?.as_str() {
                    "append" => ImportMode::Append,
                    _ => ImportMode::Replace,
                };
            }
            _ => {}
        }
    }
    match file {
        Some((name, bytes)) if !name.is_empty() && !bytes.is_empty() => {
            Ok(Upload { name, bytes, mode, reason })
        }
        _ => Err(AppError::field("file", "请选择要导入的文件", "choose a file to import")),
    }
}

/// The store's import of what the library read: the other registers' sheets, and the
/// applications with the state the domain derives by replaying them (the library replayed them
/// already; a failure here is a bug).
fn to_store(
    state: &AppState,
    scope: &AgencyScope,
    mode: ImportMode,
    imported: Imported,
) -> Result<RegisterImport, AppError> {
    let p = imported.parsed;
    let today = state.clock.today();
    let mut cases = Vec::with_capacity(p.cases.len());
    for record in p.cases {
        let personal = p.personal.iter().find(|x| x.case == record.intake.id).cloned();
        let case = Case::replay(record.clone(), today, state.env())
            .map_err(|(_, e)| AppError::internal(e.bilingual()))?;
        cases.push(NewCase::new(record, personal, CaseState::of(&case)));
    }
    let mut register = Register::new(scope.org().name.clone());
    register.proactive = p.proactive;
    register.documents = p.documents;
    register.decisions = p.decisions;
    register.fees_collected = p.fees_collected;
    register.disputes = p.disputes;
    let sheets = p.sheets.into_iter().filter_map(stored).collect();
    Ok(RegisterImport::new(mode, sheets, register, cases))
}

/// A refusal of the store (an application whose recorded history the file would change).
#[derive(Debug)]
struct Refusal(Msg);

impl gongkai_model::Localized for Refusal {
    fn words(&self) -> (Msg, Option<String>) {
        (self.0.clone(), None)
    }
}

/// The page of a refused file, with status 422: every problem in a table.
async fn refused(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    file: &str,
    shown: (String, Vec<Problem>),
) -> Result<Response, AppError> {
    let page = refused_page(state, lang, csrf, actor, scope, file, shown).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&page)?).into_response())
}

async fn refused_page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    file: &str,
    (summary, problems): (String, Vec<Problem>),
) -> Result<ImportPage, AppError> {
    let t = ImportText::of(lang);
    Ok(ImportPage {
        chrome: chrome(state, lang, csrf, actor, scope, t.title).await?,
        t,
        back: format!("/agencies/{}/registers", scope.id()),
        file: file.to_owned(),
        summary,
        problems,
        done: Vec::new(),
        cases: Vec::new(),
        retry: None,
        correction: None,
    })
}

/// What a refusal shows: a summary line and the problems of rows (computed before any
/// `await`: the handler's future stays `Send`).
trait RefusalOf {
    fn shown(&self, lang: Lang) -> (String, Vec<Problem>);
}

impl RefusalOf for ImportError {
    fn shown(&self, lang: Lang) -> (String, Vec<Problem>) {
        match self {
            ImportError::Rows(rows) => {
                let summary = match lang {
                    Lang::Zh => format!("{} 处错误，未导入任何数据", rows.len()),
                    Lang::En => format!("{} error(s): nothing was imported", rows.len()),
                };
                (summary, rows.iter().map(|r| problem(r, lang)).collect())
            }
            _ => (self.message(lang), Vec::new()),
        }
    }
}

impl RefusalOf for Refusal {
    fn shown(&self, lang: Lang) -> (String, Vec<Problem>) {
        (self.message(lang), Vec::new())
    }
}

/// A row's problem in `lang`: the sheet and column by the template's names.
fn problem(r: &RowError, lang: Lang) -> Problem {
    let sheet = Sheet::ALL.into_iter().find(|s| s.name() == r.sheet);
    Problem {
        sheet: sheet.map_or_else(|| r.sheet.clone(), |s| sheet_name(s, lang).to_owned()),
        row: r.row.to_string(),
        column: r.col().map_or_else(|| r.column.clone(), |c| registers::col_name(c, lang).to_owned()),
        message: r.reason.get(lang).to_owned(),
    }
}

/// The page of a completed import.
async fn done_page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    file: &str,
    done: &RegisterImported,
) -> Result<Response, AppError> {
    let t = ImportText::of(lang);
    let back = format!("/agencies/{}/registers", scope.id());
    let sheets = done
        .sheets
        .iter()
        .filter_map(|c| {
            let sheet = Sheet::ALL.into_iter().find(|s| stored(*s) == Some(c.sheet))?;
            Some(Done {
                name: sheet_name(sheet, lang),
                href: format!("{back}/{}", slug(sheet)),
                before: c.before,
                read: c.read,
                after: c.after,
            })
        })
        .collect();
    let cases = vec![
        (t.cases_created, done.cases_created),
        (t.cases_extended, done.cases_extended),
        (t.cases_unchanged, done.cases_unchanged),
    ];
    let page = ImportPage {
        chrome: chrome(state, lang, csrf, actor, scope, t.title).await?,
        t,
        back,
        file: file.to_owned(),
        summary: String::new(),
        problems: Vec::new(),
        done: sheets,
        cases,
        retry: None,
        correction: None,
    };
    Ok(page::render(&page)?.into_response())
}

async fn chrome(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    title: &str,
) -> Result<Chrome, AppError> {
    let path = format!("/agencies/{}/registers", scope.id());
    registers::chrome(state, lang, csrf, actor, scope, title, &path).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(ImportText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
