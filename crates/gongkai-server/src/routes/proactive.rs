//! Registering a proactive item (主动公开, 先审后发) by form: `GET
//! /agencies/{id}/registers/proactive/new` shows the form, `POST /agencies/{id}/registers/proactive`
//! adds the item to the agency's 主动公开 register.
//!
//! The form's fields are the template's columns of the sheet ([`fields`]`(Sheet::Proactive)`:
//! `id`, `title`, `category`, `created`, `reviewed`, `reviewer`, `published`, `channels`, and the
//! catalogue's `subject`, `publisher`, `written`, `number`, `validity`, `text`), read
//! exactly as an imported row ([`gongkai_register::validate::form`]). The item is then built
//! through the domain — [`ProactiveItem::new`], [`ProactiveItem::reviewed`],
//! [`ProactiveItem::publish`] on each channel — which refuses a publication without a prior
//! review (条例第十七条, 先审后发) or before it; the form shows the domain's reason at the field.
//! An item counting toward a year whose report is published (or an earlier one) is a correction
//! of it: the form carries the 更正理由 input while the agency has published years, and a refusal
//! for want of a reason is shown at it (422; see [`crate::correction`]).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_cases::Register;
use gongkai_cases::registers::ProactiveItem;
use gongkai_model::{Localized as _, Msg};
use gongkai_register::RowError;
use gongkai_register::parse::Cell;
use gongkai_register::vocab;
use gongkai_register::template::{Col, Field, Kind, Sheet, fields};
use gongkai_store::{ImportMode, OrgId, RegisterImport, RegisterSheet};

use super::registers::{self, col_name};
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
    let edit = Access::Agency(Action::EditRegisters);
    vec![
        Route::get("/agencies/{id}/registers/proactive/new", edit, form),
        Route::post("/agencies/{id}/registers/proactive", edit, add),
    ]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The form's texts.
    pub struct ProactiveText {
        title: "登记主动公开信息" | "Register a proactive item",
        intro: "先审后发：信息须经保密审查后方可发布。尚未审查或发布的信息可先登记；其审查和发布情况可导出台账补填后再导入。" | "Review before publication: an item is published only after its confidentiality review. An item not yet reviewed or published can be registered now; record its review and publication later by exporting the register, filling them in and importing it again.",
        required: "必填" | "required",
        choose: "请选择" | "Choose",
        save: "登记" | "Register",
        cancel: "取消" | "Cancel",
        errors: "请改正以下问题：" | "Please correct these problems:",
        exists: "编号已存在" | "this number is registered already",
        no_reviewer: "填写了审查日期，须填写审查人" | "a review needs its reviewer",
    }
}

/// One field of the form as rendered.
#[derive(Debug)]
struct Input {
    name: &'static str,
    label: &'static str,
    required: bool,
    /// `text`, `date` or `select`.
    kind: &'static str,
    value: String,
    note: &'static str,
    /// For a select: (value, label, selected).
    options: Vec<(String, String, bool)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "proactive_new.html")]
struct FormPage {
    chrome: Chrome,
    t: ProactiveText,
    action: String,
    back: String,
    inputs: Vec<Input>,
    errors: Vec<String>,
    /// The 更正理由 input, while the agency has published years.
    correction: Option<CorrectionField>,
}

/// The values the user typed, by field key.
type Values = Vec<(String, String)>;

async fn form(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditRegisters, OrgId(id)).await?;
    let page = form_page(&state, lang, &csrf, &actor, &scope, &Vec::new(), &[], None).await?;
    Ok(page::render(&page)?.into_response())
}

/// The form with `values`, `errors` at their fields, and the store's refusal for want of a
/// correction reason.
#[allow(clippy::too_many_arguments, reason = "the page's parts")]
async fn form_page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    values: &Values,
    errors: &[(Option<Col>, Msg)],
    refused: Option<String>,
) -> Result<FormPage, AppError> {
    let t = ProactiveText::of(lang);
    let base = format!("/agencies/{}/registers", scope.id());
    let value = |key: &str| {
        values.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    let inputs = fields(Sheet::Proactive)
        .into_iter()
        .map(|f| {
            let v = value(f.key);
            let error = errors
                .iter()
                .filter(|(c, _)| *c == Some(f.col))
                .map(|(_, m)| m.get(lang).to_owned())
                .reduce(|a, b| format!("{a}；{b}"));
            input(&f, lang, v, error)
        })
        .collect();
    let general = errors.iter().filter(|(c, _)| c.is_none()).map(|(_, m)| m.get(lang).to_owned());
    let locked = correction::locked_years(state, scope.id()).await?;
    let correction = CorrectionField::of(lang, &locked, &value(correction::FIELD), refused);
    let chrome = registers::chrome(
        state,
        lang,
        csrf,
        actor,
        scope,
        t.title,
        &format!("{base}/proactive/new"),
    )
    .await?;
    Ok(FormPage {
        chrome,
        t,
        action: format!("{base}/proactive"),
        back: format!("{base}/proactive"),
        inputs,
        errors: general.collect(),
        correction,
    })
}

/// A field of the template as a form input.
fn input(f: &Field, lang: Lang, value: String, error: Option<String>) -> Input {
    let kind = match f.kind {
        Kind::Text if f.col == Col::FullText => "textarea",
        Kind::Date => "date",
        Kind::OneOf(_) | Kind::Several(_) => "select",
        Kind::Text | Kind::Integer | Kind::Amount => "text",
    };
    let options = f
        .choices
        .iter()
        .map(|c| {
            let label = match lang {
                Lang::Zh => c.value.clone(),
                Lang::En => c.en.clone(),
            };
            let selected = c.value == value;
            (c.value.clone(), label, selected)
        })
        .collect();
    Input {
        name: f.key,
        label: col_name(f.col, lang),
        required: f.required,
        kind,
        value,
        note: match lang {
            Lang::Zh => f.note,
            Lang::En => "",
        },
        options,
        error,
    }
}

async fn add(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    Form(values): Form<Values>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditRegisters, OrgId(id)).await?;
    let item = match build(&state, &scope, &values).await? {
        Ok(item) => item,
        Err(errors) => {
            let page =
                form_page(&state, lang, &csrf, &actor, &scope, &values, &errors, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&page)?).into_response());
        }
    };
    let mut register = Register::new(scope.org().name.clone());
    register.proactive.push(item);
    let mut import =
        RegisterImport::new(ImportMode::Append, vec![RegisterSheet::Proactive], register, vec![]);
    let reason = values.iter().find(|(k, _)| k == correction::FIELD).map(|(_, v)| v.as_str());
    if let Some(r) = correction::reason(reason) {
        import = import.with_correction(r);
    }
    let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
    if let Err(e) = state.store.import_register(&ctx, scope.id(), &import).await {
        let e = AppError::from(e);
        let Some(why) = correction::refusal(&e, lang) else { return Err(e) };
        let errors = [(None, Msg::new(why.clone(), why.clone()))];
        let page =
            form_page(&state, lang, &csrf, &actor, &scope, &values, &errors, Some(why)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&page)?).into_response());
    }
    Ok(Redirect::to(&format!("/agencies/{id}/registers/proactive")).into_response())
}

/// The item the form describes, or every problem with the column it belongs to.
async fn build(
    state: &AppState,
    scope: &AgencyScope,
    values: &Values,
) -> Result<Result<ProactiveItem, Vec<(Option<Col>, Msg)>>, AppError> {
    let field = |col: Col| {
        let key = col.column().key;
        values.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str()).trim()
    };
    // The item itself, its review, then its publication: each read as an imported row is.
    let base: Vec<(Col, &str)> = [Col::ItemId, Col::ItemTitle, Col::Category, Col::Created]
        .into_iter()
        .map(|c| (c, field(c)))
        .collect();
    let today = state.clock.today();
    let mut errors: Vec<(Option<Col>, Msg)> = Vec::new();
    let parsed = match gongkai_register::validate::form(Sheet::Proactive, &base, today, state.env())
    {
        Ok(p) => p.proactive.into_iter().next(),
        Err(rows) => {
            errors.extend(rows.iter().map(located));
            None
        }
    };
    let reviewed = date(Col::Reviewed, field(Col::Reviewed), &mut errors);
    let written = date(Col::Written, field(Col::Written), &mut errors);
    let validity = match field(Col::Validity) {
        "" => None,
        v => match vocab::VALIDITY.parse(&Cell::Text(v.to_owned())) {
            Ok(v) => Some(v),
            Err(msg) => {
                errors.push((Some(Col::Validity), msg));
                None
            }
        },
    };
    let published = date(Col::Published, field(Col::Published), &mut errors);
    if reviewed.is_some() && field(Col::Reviewer).is_empty() {
        errors.push((Some(Col::Reviewer), both(|t| t.no_reviewer)));
    }
    let channels = gongkai_register::rows::publish_channels(field(Col::PublishChannels));
    if published.is_some() && channels.is_empty() {
        errors.push((Some(Col::PublishChannels), Msg::new("必填项为空", "required but empty")));
    }
    let Some(parsed) = parsed else { return Ok(Err(errors)) };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if state
        .store
        .register_entries(scope.id(), RegisterSheet::Proactive, None)
        .await?
        .iter()
        .any(|e| e.key() == Some(parsed.id.as_str()))
    {
        return Ok(Err(vec![(Some(Col::ItemId), both(|t| t.exists))]));
    }
    // 先审后发: the domain refuses a publication without a prior review, and says why.
    let text = |col: Col| Some(field(col).to_owned()).filter(|s| !s.is_empty());
    let mut item = ProactiveItem {
        subject: text(Col::Subject),
        publisher: text(Col::Publisher),
        written,
        number: text(Col::ItemNumber),
        validity,
        // The full text as typed (only trimmed, line breaks kept).
        text: text(Col::FullText),
        ..ProactiveItem::new(parsed.id, parsed.title, parsed.category, parsed.created)
    };
    if let Some(on) = reviewed {
        item = match item.reviewed(on, field(Col::Reviewer)) {
            Ok(item) => item,
            Err(e) => return Ok(Err(vec![(Some(Col::Reviewed), e.words().0)])),
        };
    }
    if let Some(on) = published {
        for channel in channels {
            item = match item.publish(on, channel) {
                Ok(item) => item,
                Err(e) => return Ok(Err(vec![(Some(Col::Published), e.words().0)])),
            };
        }
    }
    Ok(Ok(item))
}

/// A row error of the form, at its column.
fn located(e: &RowError) -> (Option<Col>, Msg) {
    (e.col(), e.reason.clone())
}

/// An optional date of the form, read as import reads dates.
fn date(
    col: Col,
    text: &str,
    errors: &mut Vec<(Option<Col>, Msg)>,
) -> Option<jiff::civil::Date> {
    if text.is_empty() {
        return None;
    }
    match gongkai_register::parse::date_text(text) {
        Ok(d) => Some(d),
        Err(msg) => {
            errors.push((Some(col), msg));
            None
        }
    }
}

/// One of the form's texts in both languages.
fn both(text: impl Fn(ProactiveText) -> &'static str) -> Msg {
    Msg::new(text(ProactiveText::of(Lang::Zh)), text(ProactiveText::of(Lang::En)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(ProactiveText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

}
