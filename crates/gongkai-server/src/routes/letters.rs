//! 文书: the letters a clerk sends for an application — the letters the case allows now
//! (`GET /applications/{case_id}/letters`), one letter's form prefilled from the case's own facts
//! (`GET /applications/{case_id}/letters/{kind}`), the edited letter as DOCX or PDF
//! (`POST /applications/{case_id}/letters/{kind}` with `format=docx|pdf`), and the agency's
//! open applications that have a letter to issue (`GET /agencies/{id}/letters`).
//!
//! **Kept letters.** With `keep=1` the downloaded file — the version sent — is stored with
//! [`gongkai_store::Store::upload_document`] in the agency's documents (content-addressed,
//! audited; no new table) under the name `文书-{case}-{kind}-{date}.{docx|pdf}` (the case number
//! percent-encoded); the case's letters page lists the documents of exactly that pattern
//! (`is_kept_of`) and `GET /applications/{case_id}/letters/kept/{doc}` returns their bytes.
//!
//! The domain decides: which letters a case allows is [`gongkai_letters::available`], the
//! prefilled text and every date it states is [`gongkai_letters::build`] (a kind the case's phase
//! refuses answers 422 with the library's reason), the document is [`gongkai_letters::render`].
//! The handler only carries the clerk's edits (document number, recipient, title, paragraphs,
//! the letter's date) onto the built letter; a changed date is built again, so the library checks
//! it against the event the letter documents. Unfilled placeholders (`【请填写：…】`) are listed
//! and warned about, never refused: the clerk may complete them on paper.
//!
//! A case is found as on its page (`application::find`): another agency's case answers
//! exactly like a missing one. Letters carry the applicant's name: downloads are `no-store`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gongkai_cases::{Case, CaseId, PersonalData};
use gongkai_letters::{Facts, Letter, LetterKind};
use gongkai_model::Localized as _;
use gongkai_render::OutputFormat;
use gongkai_store::{
    CaseFilter, DocumentId, OrgId, PageRequest, StoredCase, StoredDocument, Upload,
};
use jiff::civil::Date;

use super::application::{encode, find, href, replay};
use super::published::{content_disposition, content_type, renderer};
use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
use crate::error::AppError;
use crate::i18n::{self, Lang, Ui};
use crate::page::{self, Chrome, Nav};
use crate::policy::{self, Action, AgencyScope};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/agencies/{id}/letters", Access::Agency(Action::EditLetters), agency_page),
        Route::get("/applications/{case_id}/letters", Access::SignedIn, case_page),
        Route::get("/applications/{case_id}/letters/{kind}", Access::SignedIn, form_page),
        Route::post("/applications/{case_id}/letters/{kind}", Access::SignedIn, download),
        Route::get("/applications/{case_id}/letters/kept/{doc}", Access::SignedIn, kept_download),
    ]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
#[openapi()]
pub struct Api;

texts! {
    /// The letters pages' texts.
    pub struct LettersText {
        title: "文书" | "Letters",
        allowed: "该申请当前可出具的文书" | "Letters this application allows now",
        none: "该申请当前状态下没有可出具的文书。" | "No letter can be issued for this application in its current phase.",
        back: "返回申请" | "Back to the application",
        back_letters: "返回文书列表" | "Back to the letters",
        phase: "状态" | "Phase",
        open_cases: "有文书可出具的办理中申请" | "Open applications with a letter to issue",
        no_open: "目前没有需要出具文书的办理中申请。" | "No open application has a letter to issue now.",
        more: "仅列出期限最近的办理中申请：" | "Only the open applications due soonest are listed: ",
        case: "申请编号" | "Application",
        received: "收到日期" | "Received",
        doc_number: "文号" | "Document number",
        recipient: "主送" | "Addressee",
        letter_title: "标题" | "Title",
        new_paragraph: "新增段落（可选）" | "Another paragraph (optional)",
        date: "成文日期" | "Date of the letter",
        date_hint: "落款日期；更改后按该日期重新核对案件事实。" | "Printed under the signature; a new date is checked against the case again.",
        edit_hint: "以下内容根据案件记录生成，可在下载前修改；清空的段落不会出现在文书中。" | "Generated from the case's record; edit before downloading. An emptied paragraph is left out.",
        placeholders: "尚未填写的内容" | "Still to be filled in",
        warn: "以下占位内容尚未填写。仍可下载，但文书中会保留这些占位符，发出前请补全：" | "These placeholders are not filled in. The letter downloads anyway, with the placeholders in it: complete them before sending:",
        download: "下载" | "Download",
        download_docx: "下载 DOCX" | "Download DOCX",
        download_pdf: "下载 PDF" | "Download PDF",
        refused: "不能出具：" | "Cannot issue: ",
        keep: "随案存档（保存所下载的文书，作为已发出的版本）" | "Keep with the case (the downloaded letter is stored as the version sent)",
        kept: "已存档的文书" | "Letters kept with the case",
        none_kept: "尚无存档的文书。" | "No letter kept yet.",
    }
}

/// The letters list of a case.
fn letters_href(id: &CaseId) -> String {
    format!("{}/letters", href(id))
}

/// The form of one letter of a case.
fn letter_href(id: &CaseId, kind: LetterKind) -> String {
    format!("{}/letters/{}", href(id), encode(kind.key()))
}

/// The letter kind of a path, or 404.
fn kind_of(key: &str) -> Result<LetterKind, AppError> {
    LetterKind::from_key(key).ok_or(AppError::NotFound)
}

/// The applicant's personal data, for the recipient line (the clerks of the owning agency may
/// read it; reading it is audited by the store).
async fn personal(
    state: &AppState,
    actor: &Actor,
    origin: &Origin,
    scope: &AgencyScope,
    case: &Case,
) -> Result<Option<PersonalData>, AppError> {
    match policy::agency(state, actor, Action::ViewPersonal, scope.id()).await {
        Ok(own) => {
            let ctx = auth::ctx(state, Some(actor.user.id), origin);
            Ok(state.store.personal_data(&ctx, own.id(), case.id()).await?)
        }
        Err(_) => Ok(None),
    }
}

/// The facts a letter of `case` dated `date` is built from.
fn facts<'a>(
    state: &'a AppState,
    scope: &'a AgencyScope,
    case: &'a Case,
    personal: Option<&'a PersonalData>,
    date: Date,
) -> Facts<'a> {
    Facts { case, personal, agency: &scope.org().name, calendar: &state.calendar, date }
}

/// A refusal of the library as the page's error (422 with its reason).
fn refused(e: &gongkai_letters::LetterError) -> AppError {
    AppError::Invalid { field: None, msg: e.words().0 }
}

/// The layout of a letters page.
async fn chrome(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    title: String,
    path: &str,
) -> Result<Chrome, AppError> {
    let orgs = page::orgs_of(state, actor).await?;
    Ok(Chrome::new(lang, title, csrf, path, Some((actor, &orgs)), Some(scope.org()), Nav::Letters))
}

/// One letter offered.
#[derive(Debug)]
struct Offer {
    key: &'static str,
    label: String,
    href: String,
}

fn offers(lang: Lang, id: &CaseId, kinds: &[LetterKind]) -> Vec<Offer> {
    kinds
        .iter()
        .map(|&k| Offer { key: k.key(), label: k.label(lang), href: letter_href(id, k) })
        .collect()
}

#[derive(Template)]
#[template(path = "letters_case.html")]
struct CasePage {
    chrome: Chrome,
    t: LettersText,
    id: String,
    case_href: String,
    phase: &'static str,
    offers: Vec<Offer>,
    kept: Vec<Kept>,
}

/// The prefix of the file name of a letter kept with its case (in the agency's documents).
const KEPT_PREFIX: &str = "文书-";

/// The largest letter kept, in bytes.
const KEPT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The file-name prefix of the letters kept with case `id`.
fn kept_prefix(id: &CaseId) -> String {
    format!("{KEPT_PREFIX}{}-", encode(&id.0))
}

/// Whether `name` is the file name of a letter kept with case `id`:
/// `文书-{case}-{kind}-{date}.{docx|pdf}` exactly (so that case `A` does not see case `A-B`'s).
fn is_kept_of(name: &str, id: &CaseId) -> bool {
    let Some(rest) = name.strip_prefix(&kept_prefix(id)) else { return false };
    let Some((kind, tail)) = rest.split_once('-') else { return false };
    let Some((date, ext)) = tail.rsplit_once('.') else { return false };
    LetterKind::from_key(kind).is_some()
        && date.parse::<Date>().is_ok()
        && matches!(ext, "docx" | "pdf")
}

/// One letter kept with the case.
#[derive(Debug)]
struct Kept {
    name: String,
    href: String,
    on: String,
}

/// The letters kept with case `id`: the agency's documents named with the case's prefix.
async fn kept(
    state: &AppState,
    lang: Lang,
    scope: &AgencyScope,
    id: &CaseId,
) -> Result<Vec<Kept>, AppError> {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8));
    Ok(state
        .store
        .documents(scope.id())
        .await?
        .into_iter()
        .filter(|d: &StoredDocument| is_kept_of(&d.file_name, id))
        .map(|d| Kept {
            href: format!("{}/kept/{}", letters_href(id), d.id),
            on: i18n::date(lang, d.uploaded_at.to_zoned(tz.clone()).date()),
            name: d.file_name,
        })
        .collect())
}

/// `GET /applications/{case_id}/letters`: the letters the case allows today.
async fn case_page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(case_id): Path<String>,
) -> Result<Response, AppError> {
    let (scope, stored) = find(&state, &actor, Action::EditLetters, &CaseId(case_id)).await?;
    let case = replay(&state, &stored)?;
    let today = state.clock.today();
    let kinds = gongkai_letters::available(&facts(&state, &scope, &case, None, today));
    let t = LettersText::of(lang);
    let path = letters_href(case.id());
    let title = format!("{} {}", t.title, case.id().0);
    let page = CasePage {
        chrome: chrome(&state, lang, &csrf, &actor, &scope, title, &path).await?,
        t,
        id: case.id().0.clone(),
        case_href: href(case.id()),
        phase: i18n::pick(lang, case.phase().zh(), case.phase().en()),
        offers: offers(lang, case.id(), &kinds),
        kept: kept(&state, lang, &scope, case.id()).await?,
    };
    Ok(page::render(&page)?.into_response())
}

/// `GET /applications/{case_id}/letters/kept/{doc}`: a letter kept with the case, as stored.
async fn kept_download(
    State(state): State<AppState>,
    actor: Actor,
    Path((case_id, doc)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (scope, stored) = find(&state, &actor, Action::EditLetters, &CaseId(case_id)).await?;
    let id = DocumentId(doc.parse().map_err(|_| AppError::NotFound)?);
    let document = state
        .store
        .document(scope.id(), id)
        .await?
        .filter(|d| is_kept_of(&d.file_name, &stored.record.intake.id))
        .ok_or(AppError::NotFound)?;
    let format = OutputFormat::from_key(&document.format).ok_or(AppError::NotFound)?;
    let bytes = state.store.document_bytes(scope.id(), id).await?.ok_or(AppError::NotFound)?;
    let fallback = format!("letter-{}.{}", document.id, format.extension());
    attachment(bytes, format, &fallback, &document.file_name)
}

/// A letter as an attachment, never cached (it carries the applicant's name).
fn attachment(
    bytes: Vec<u8>,
    format: OutputFormat,
    fallback: &str,
    name: &str,
) -> Result<Response, AppError> {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
    let disposition = content_disposition(fallback, name);
    headers.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(AppError::internal)?,
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// One open case with its letters, on the agency's page.
#[derive(Debug)]
struct Row {
    id: String,
    href: String,
    received: String,
    phase: &'static str,
    offers: Vec<Offer>,
}

#[derive(Template)]
#[template(path = "letters_agency.html")]
struct AgencyPage {
    chrome: Chrome,
    t: LettersText,
    rows: Vec<Row>,
    /// Open cases not looked at (beyond [`AGENCY_PAGE_CASES`]).
    more: Option<u64>,
}

/// The open cases the agency page looks at, due soonest first.
const AGENCY_PAGE_CASES: u32 = 200;

/// `GET /agencies/{id}/letters`: the agency's open applications that have a letter to issue.
async fn agency_page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditLetters, OrgId(id)).await?;
    let filter = CaseFilter { open_only: true, ..CaseFilter::default() };
    let listed = state
        .store
        .list_cases(scope.id(), &filter, PageRequest { offset: 0, limit: AGENCY_PAGE_CASES })
        .await?;
    let today = state.clock.today();
    let mut rows = Vec::new();
    for item in &listed.items {
        let Some(stored) = state.store.case(scope.id(), &item.case).await? else { continue };
        let case = replay(&state, &stored)?;
        let kinds = gongkai_letters::available(&facts(&state, &scope, &case, None, today));
        if kinds.is_empty() {
            continue;
        }
        rows.push(Row {
            id: case.id().0.clone(),
            href: letters_href(case.id()),
            received: i18n::date(lang, case.received()),
            phase: i18n::pick(lang, case.phase().zh(), case.phase().en()),
            offers: offers(lang, case.id(), &kinds),
        });
    }
    let shown = u64::try_from(listed.items.len()).unwrap_or(u64::MAX);
    let t = LettersText::of(lang);
    let path = format!("/agencies/{id}/letters");
    let page = AgencyPage {
        chrome: chrome(&state, lang, &csrf, &actor, &scope, t.title.to_owned(), &path).await?,
        t,
        rows,
        more: (listed.total > shown).then_some(shown),
    };
    Ok(page::render(&page)?.into_response())
}

/// One paragraph of the form.
#[derive(Debug)]
struct Para {
    n: usize,
    label: String,
    text: String,
    marked: bool,
}

#[derive(Template)]
#[template(path = "letter_form.html")]
struct FormPage {
    chrome: Chrome,
    t: LettersText,
    id: String,
    kind: &'static str,
    kind_label: String,
    action: String,
    list: String,
    case_href: String,
    letter_lang: &'static str,
    doc_number: String,
    recipient: String,
    title: String,
    paragraphs: Vec<Para>,
    next: usize,
    date: String,
    placeholders: Vec<String>,
    /// The form's error (a refusal of the library, a bad date).
    error: Option<String>,
}

/// The label of the `n`-th paragraph's field.
fn paragraph_label(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("正文第{n}段"),
        Lang::En => format!("Paragraph {n}"),
    }
}

/// Whether a field holds a placeholder to fill.
fn has_placeholder(s: &str) -> bool {
    s.contains(gongkai_letters::PLACEHOLDER_OPEN) || s.contains("[to fill in")
}

/// The parts of a request a letter's form is rendered with.
struct FormRequest<'a> {
    state: &'a AppState,
    lang: Lang,
    csrf: &'a CsrfToken,
    actor: &'a Actor,
    scope: &'a AgencyScope,
}

/// The form page of `letter`, with the date as typed and an optional error.
async fn render_form(
    r: &FormRequest<'_>,
    letter: &Letter,
    date: String,
    error: Option<String>,
) -> Result<axum::response::Html<String>, AppError> {
    let FormRequest { state, lang, csrf, actor, scope } = *r;
    let t = LettersText::of(lang);
    let path = letter_href(&letter.case, letter.kind);
    let kind_label = letter.kind.label(lang);
    let title = format!("{kind_label} {}", letter.case.0);
    let paragraphs: Vec<Para> = letter
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| Para {
            n: i + 1,
            label: paragraph_label(lang, i + 1),
            text: p.clone(),
            marked: has_placeholder(p),
        })
        .collect();
    let next = paragraphs.len() + 1;
    let page = FormPage {
        chrome: chrome(state, lang, csrf, actor, scope, title, &path).await?,
        t,
        id: letter.case.0.clone(),
        kind: letter.kind.key(),
        kind_label,
        action: path,
        list: letters_href(&letter.case),
        case_href: href(&letter.case),
        letter_lang: match letter.lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        },
        doc_number: letter.doc_number.clone(),
        recipient: letter.recipient.clone(),
        title: letter.title.clone(),
        next,
        paragraphs,
        date,
        placeholders: letter.placeholders(),
        error,
    };
    page::render(&page)
}

/// `GET /applications/{case_id}/letters/{kind}`: the letter as built from the case today, in a
/// form. A kind the case does not allow now answers 422 with the library's reason.
async fn form_page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path((case_id, kind)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (scope, stored) = find(&state, &actor, Action::EditLetters, &CaseId(case_id)).await?;
    let case = replay(&state, &stored)?;
    let personal = personal(&state, &actor, &origin, &scope, &case).await?;
    let today = state.clock.today();
    let letter =
        gongkai_letters::build(kind, &facts(&state, &scope, &case, personal.as_ref(), today), lang)
            .map_err(|e| refused(&e))?;
    let r = FormRequest { state: &state, lang, csrf: &csrf, actor: &actor, scope: &scope };
    let html =
        render_form(&r, &letter, today.to_string(), None).await?;
    Ok(html.into_response())
}

/// What the clerk submitted.
#[derive(Debug, Default)]
struct Edits {
    doc_number: Option<String>,
    recipient: Option<String>,
    title: Option<String>,
    paragraphs: Vec<String>,
    date: String,
    lang: Option<Lang>,
    format: String,
    keep: bool,
}

impl Edits {
    fn of(form: Vec<(String, String)>) -> Edits {
        let mut e = Edits::default();
        for (k, v) in form {
            match k.as_str() {
                "doc_number" => e.doc_number = Some(v),
                "recipient" => e.recipient = Some(v),
                "title" => e.title = Some(v),
                "paragraph" => e.paragraphs.push(v),
                "date" => e.date = v.trim().to_owned(),
                "letter_lang" => e.lang = Lang::from_tag(v.trim()),
                "format" => e.format = v.trim().to_owned(),
                "keep" => e.keep = v.trim() == "1",
                _ => {}
            }
        }
        e
    }

    /// `letter` with the clerk's texts in place of the built ones; emptied paragraphs are left
    /// out (a paragraph is the clerk's text, never trimmed inside).
    fn onto(&self, mut letter: Letter) -> Letter {
        if let Some(d) = &self.doc_number {
            d.trim().clone_into(&mut letter.doc_number);
        }
        if let Some(r) = &self.recipient {
            r.trim().clone_into(&mut letter.recipient);
        }
        if let Some(t) = &self.title {
            t.trim().clone_into(&mut letter.title);
        }
        letter.paragraphs = self
            .paragraphs
            .iter()
            .map(|p| p.trim().replace("\r\n", "\n"))
            .filter(|p| !p.is_empty())
            .collect();
        letter
    }
}

/// The download format of the form's button.
fn format_of(key: &str) -> Result<OutputFormat, AppError> {
    match key {
        "docx" => Ok(OutputFormat::Docx),
        "pdf" => Ok(OutputFormat::Pdf),
        _ => Err(AppError::field(
            "format",
            format!("不支持的文书格式：{key}（可选 docx、pdf）"),
            format!("unknown letter format: {key} (docx or pdf)"),
        )),
    }
}

/// `POST /applications/{case_id}/letters/{kind}`: the edited letter as DOCX or PDF. The letter
/// is built again from the case on the submitted date (so the library checks that date), then
/// the clerk's texts replace the built ones. A refused date or kind: the form again with the
/// reason and what was typed (422).
async fn download(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path((case_id, kind)): Path<(String, String)>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (scope, stored) = find(&state, &actor, Action::EditLetters, &CaseId(case_id)).await?;
    let case = replay(&state, &stored)?;
    let personal = personal(&state, &actor, &origin, &scope, &case).await?;
    let edits = Edits::of(form);
    let letter_lang = edits.lang.unwrap_or(lang);
    let format = format_of(&edits.format)?;
    let built = match edits.date.parse::<Date>() {
        Ok(date) => gongkai_letters::build(
            kind,
            &facts(&state, &scope, &case, personal.as_ref(), date),
            letter_lang,
        )
        .map_err(|e| e.message(lang)),
        Err(_) => Err(i18n::pick(lang, "成文日期格式有误", "the date of the letter is malformed")
            .to_owned()),
    };
    let letter = match built {
        Ok(letter) => edits.onto(letter),
        Err(why) => {
            let r = FormRequest { state: &state, lang, csrf: &csrf, actor: &actor, scope: &scope };
            return refused_form(&r, &stored, &edits, kind, why).await;
        }
    };
    let name = format!("{}-{}.{}", letter.case.0, kind.label(Lang::Zh), format.extension());
    let fallback = format!("letter-{}-{}.{}", letter.case.0, kind.key(), format.extension());
    let kept_name = format!(
        "{}{}-{}.{}",
        kept_prefix(&letter.case),
        kind.key(),
        letter.dates.letter,
        format.extension()
    );
    let bytes = tokio::task::spawn_blocking(move || {
        gongkai_letters::render(renderer(), &letter, format).map(|o| o.bytes)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| AppError::internal(e.bilingual()))?;
    if edits.keep {
        // The version sent, kept in the agency's documents (content-addressed, audited).
        let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
        let upload = Upload::new(&bytes, format.extension(), &kept_name);
        state.store.upload_document(&ctx, scope.id(), &upload, KEPT_MAX_BYTES).await?;
    }
    attachment(bytes, format, &fallback, &name)
}

/// The form again after a refusal: the letter as built today (or, when the case no longer
/// allows it at all, the refusal page) with the clerk's texts and the reason; 422.
async fn refused_form(
    r: &FormRequest<'_>,
    stored: &StoredCase,
    edits: &Edits,
    kind: LetterKind,
    why: String,
) -> Result<Response, AppError> {
    let FormRequest { state, lang, scope, .. } = *r;
    let case = replay(state, stored)?;
    let today = state.clock.today();
    let letter_lang = edits.lang.unwrap_or(lang);
    let base = gongkai_letters::build(kind, &facts(state, scope, &case, None, today), letter_lang)
        .map_err(|e| refused(&e))?;
    let letter = edits.onto(base);
    let t = LettersText::of(lang);
    let error = Some(format!("{}{why}", t.refused));
    let html =
        render_form(r, &letter, edits.date.clone(), error).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(LettersText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
        assert_eq!(paragraph_label(Lang::Zh, 3), "正文第3段");
    }

    #[test]
    fn edits_replace_the_built_texts_and_empty_paragraphs_go() {
        let form = |pairs: &[(&str, &str)]| {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<Vec<_>>()
        };
        let e = Edits::of(form(&[
            ("doc_number", " 教公开〔2026〕3号 "),
            ("paragraph", "甲"),
            ("paragraph", "  "),
            ("paragraph", "乙\r\n丙"),
            ("date", "2026-03-16"),
            ("letter_lang", "en"),
            ("format", "pdf"),
        ]));
        assert_eq!(e.lang, Some(Lang::En));
        assert_eq!(e.date, "2026-03-16");
        assert!(matches!(format_of(&e.format), Ok(OutputFormat::Pdf)));
        assert!(format_of("exe").is_err());
        assert_eq!(e.doc_number.as_deref(), Some(" 教公开〔2026〕3号 "));
        assert_eq!(e.paragraphs.len(), 3);
    }

    #[test]
    fn kept_letters_belong_to_their_case_only() {
        let a = CaseId("A".into());
        let ab = CaseId("A-B".into());
        let name = "文书-A-B-correction-2026-03-16.docx";
        assert!(is_kept_of(name, &ab));
        assert!(!is_kept_of(name, &a));
        assert!(is_kept_of("文书-A-fee_notice-2026-03-16.pdf", &a));
        assert!(!is_kept_of("文书-A-memo-2026-03-16.pdf", &a));
        assert!(!is_kept_of("文书-A-reply-2026-03-16.exe", &a));
        assert!(!is_kept_of("report.pdf", &a));
    }

    #[test]
    fn placeholders_are_recognised_in_both_languages() {
        assert!(has_placeholder("甲【请填写：理由】"));
        assert!(has_placeholder("a [to fill in: reason]"));
        assert!(!has_placeholder("〔2026〕3号"));
    }
}
