//! Attachments of proactive items (the agency's side of the disclosure column):
//! `GET /agencies/{id}/registers/proactive/attachments` lists the 主动公开 register's items with
//! their attachment and an upload form each; `POST` to the same path (`multipart/form-data`:
//! `item`, the register number, and `file`; the CSRF token as the `csrf` query parameter, like
//! every multipart form) stores the file as the item's attachment
//! ([`gongkai_store::Store::attach`]: the bytes once per content, at most [`MAX_BYTES`]).
//!
//! Only the formats a disclosure column publishes are taken, each served back with its media
//! type as a download ([`media_type`]); the public sees an attachment only while its item is
//! reviewed and published (`routes/column.rs`).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_model::Localized as _;
use gongkai_store::{RegisterEntry, RegisterSheet, StoreError};

use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, Origin};
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
        Route::get("/agencies/{id}/registers/proactive/attachments", edit, list),
        Route::post("/agencies/{id}/registers/proactive/attachments", edit, upload).upload(),
    ]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

/// The largest attachment (20 MiB).
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// The media type of an attachment by its file name's extension; `None` for a format the
/// column does not publish.
pub fn media_type(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "ofd" => "application/ofd",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "wps" => "application/vnd.ms-works",
        "txt" => "text/plain; charset=utf-8",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "zip" => "application/zip",
        _ => return None,
    })
}

texts! {
    /// The attachments page's texts.
    pub struct AttachmentText {
        title: "主动公开信息的附件" | "Attachments of proactive items",
        intro: "附件随信息在信息公开专栏公开；未经保密审查或尚未发布的信息，其附件不会公开。" | "An attachment is published in the disclosure column with its item; the attachment of an item not reviewed or not published is never shown.",
        formats: "可上传 PDF、OFD、Word、Excel、WPS、TXT、JPG、PNG 或 ZIP 文件，每个不超过 20 MB。" | "PDF, OFD, Word, Excel, WPS, TXT, JPG, PNG or ZIP files, up to 20 MB each.",
        id: "编号" | "Number",
        item: "标题" | "Title",
        state: "状态" | "State",
        public: "已公开" | "public",
        not_public: "未公开" | "not public",
        current: "现有附件" | "Attachment",
        none: "无" | "none",
        file: "选择文件" | "Choose a file",
        send: "上传" | "Upload",
        back: "返回主动公开台账" | "Back to the proactive register",
        empty: "主动公开台账中尚无信息。" | "The proactive register is empty.",
        no_file: "请选择要上传的文件" | "choose the file to upload",
        bad_format: "不支持的附件格式" | "this format cannot be attached",
    }
}

/// One item of the page.
#[derive(Debug)]
struct Item {
    key: String,
    title: String,
    public: bool,
    /// (file name, public link).
    attachment: Option<(String, Option<String>)>,
}

#[derive(Template)]
#[template(path = "column_attachments.html")]
struct ListPage {
    chrome: Chrome,
    t: AttachmentText,
    action: String,
    back: String,
    items: Vec<Item>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let t = AttachmentText::of(lang);
    let id = scope.id();
    let path = format!("/agencies/{}/registers/proactive/attachments", id.0);
    let chrome = super::registers::chrome(state, lang, csrf, actor, scope, t.title, &path).await?;
    let entries = state.store.register_entries(id, RegisterSheet::Proactive, None).await?;
    let mut items = Vec::new();
    for entry in entries {
        let RegisterEntry::Proactive(item) = entry else { continue };
        let public = state.store.column_item(id, &item.id).await?;
        let attachment = match &public {
            Some(c) => c.attachment.as_ref().map(|a| {
                (a.file_name.clone(), Some(format!("{}/attachment", super::column::item_href(id, &c.key))))
            }),
            None => None,
        };
        items.push(Item { key: item.id.clone(), title: item.title.clone(), public: public.is_some(), attachment });
    }
    Ok(ListPage {
        chrome,
        t,
        action: format!("{path}?csrf={}", csrf.0),
        back: format!("/agencies/{}/registers/proactive", id.0),
        items,
        error,
    })
}

async fn list(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditRegisters, gongkai_store::OrgId(id)).await?;
    let page = page(&state, lang, &csrf, &actor, &scope, None).await?;
    Ok(page::render(&page)?.into_response())
}

/// The `item` and the `file` (name, bytes) of the form.
async fn parts(mut multipart: Multipart) -> Result<(String, Option<(String, Vec<u8>)>), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::multipart(&e);
    let (mut item, mut file) = (String::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("item") => item = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                if !(name.is_empty() && bytes.is_empty()) {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    Ok((item, file))
}

async fn upload(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    actor: Actor,
    origin: Origin,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let scope = policy::agency(&state, &actor, Action::EditRegisters, gongkai_store::OrgId(id)).await?;
    let t = AttachmentText::of(lang);
    let (item, file) = parts(multipart).await?;
    let why = match file {
        None => t.no_file.to_owned(),
        Some((name, bytes)) => {
            let Some(media) = media_type(&name) else {
                let why = format!("{}：{name}", t.bad_format);
                return refuse(&state, lang, &csrf, &actor, &scope, why).await;
            };
            let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
            let attach = (name.as_str(), media, bytes.as_slice());
            match state.store.attach(&ctx, scope.id(), item.trim(), attach, MAX_BYTES).await {
                Ok(_) => {
                    let back = format!("/agencies/{id}/registers/proactive/attachments");
                    return Ok(Redirect::to(&back).into_response());
                }
                Err(e @ (StoreError::Invalid(_) | StoreError::TooLarge { .. })) => e.message(lang),
                Err(e) => return Err(e.into()),
            }
        }
    };
    refuse(&state, lang, &csrf, &actor, &scope, why).await
}

/// The page again with the reason the upload was refused (422).
async fn refuse(
    state: &AppState,
    lang: Lang,
    csrf: &CsrfToken,
    actor: &Actor,
    scope: &AgencyScope,
    why: String,
) -> Result<Response, AppError> {
    let page = page(state, lang, csrf, actor, scope, Some(why)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page::render(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(AttachmentText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn only_published_formats_are_taken() {
        assert_eq!(media_type("通知.PDF"), Some("application/pdf"));
        assert_eq!(media_type("a.tar.zip"), Some("application/zip"));
        assert_eq!(media_type("page.html"), None, "never served as a page");
        assert_eq!(media_type("image.svg"), None);
        assert_eq!(media_type("noextension"), None);
    }
}
