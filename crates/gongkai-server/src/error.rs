//! The one error type of the server, and the one place where errors become responses.
//!
//! A handler returns [`AppError`]; its [`IntoResponse`] only sets the status and attaches an
//! [`ErrorReport`] (and logs the internal detail, which never reaches the body). The middleware
//! [`render`] then writes the body in the request's language: JSON under `/api/`, an HTML page
//! elsewhere. Responses that axum or tower-http produce themselves (an unknown path, a body over
//! the limit, a malformed form, a timeout) get the same treatment from their status alone, so no
//! framework text (which may name internal types) reaches a user.

use askama::Template;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use gongkai_model::{Lang, Localized, Msg};
use gongkai_store::StoreError;
use serde::Serialize;

use crate::i18n;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session or token.
    #[error("not signed in")]
    Unauthenticated,
    /// Unknown user or wrong password (one answer for both).
    #[error("login failed")]
    LoginFailed,
    /// Too many failed logins from this address or for this username.
    #[error("too many login attempts")]
    RateLimited,
    /// Nothing here — or something the actor may not see (the same answer, so that no one learns
    /// which ids exist elsewhere).
    #[error("not found")]
    NotFound,
    /// The actor may see this but not do this (e.g. a clerk publishing).
    #[error("forbidden")]
    Forbidden,
    /// A state-changing request without the right CSRF token.
    #[error("CSRF token missing or wrong")]
    Csrf,
    /// Bad input; `field` names the form field when there is one.
    #[error("{}", msg.en)]
    Invalid {
        /// The form field at fault.
        field: Option<&'static str>,
        /// Why, in both languages.
        msg: Msg,
    },
    /// The change collides with the current state.
    #[error("{}", .0.en)]
    Conflict(Msg),
    /// The request body is over its limit (an upload read part by part found it so).
    #[error("request body too large")]
    TooLarge,
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else: rendering, the calendar, a bug. The detail goes to the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// An internal error from anything displayable.
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    /// The error of a multipart upload that cannot be read: [`AppError::TooLarge`] over the
    /// upload limit (413, as for any other body over its limit), else the `file` field's error.
    pub fn multipart(e: &axum::extract::multipart::MultipartError) -> AppError {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE || over_limit(e) {
            return AppError::TooLarge;
        }
        AppError::field("file", "上传的内容无法读取", "the upload cannot be read")
    }

    /// A form error on one field.
    pub fn field(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::Invalid { field: Some(field), msg: Msg::new(zh, en) }
    }

    /// The report a user sees, and whether the detail must be logged as a server fault.
    fn report(&self) -> (ErrorReport, bool) {
        let (status, code, msg, field) = match self {
            AppError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, "unauthenticated", generic(401), None)
            }
            AppError::LoginFailed => (
                StatusCode::UNAUTHORIZED,
                "login_failed",
                Msg::new("用户名或密码不正确", "wrong username or password"),
                None,
            ),
            AppError::RateLimited => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited", generic(429), None)
            }
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", generic(404), None),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", generic(403), None),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                Msg::new(
                    "表单已失效，请刷新页面后重试",
                    "the form has expired: reload the page and try again",
                ),
                None,
            ),
            AppError::Invalid { field, msg } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid", msg.clone(), *field)
            }
            AppError::Conflict(msg) => (StatusCode::CONFLICT, "conflict", msg.clone(), None),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", generic(413), None),
            AppError::Store(e) => return store_report(e),
            AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", generic(500), None)
            }
        };
        let fault = status.is_server_error();
        (ErrorReport { status, code, msg, field }, fault)
    }
}

/// Whether the body limit stopped the reading of `e`, anywhere down its chain of causes. axum's
/// own check looks one level deep; a body without `Content-Length` (chunked) that the router's
/// limit layer cut off arrives wrapped once more, and would otherwise read as a broken upload.
fn over_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// A store error as the user sees it: our own words for what the user can act on, nothing of
/// the database.
fn store_report(e: &StoreError) -> (ErrorReport, bool) {
    let mut field = None;
    let (status, code, msg) = match e {
        StoreError::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found", generic(404)),
        StoreError::Exists { .. } => (StatusCode::CONFLICT, "exists", e.words().0),
        StoreError::Invalid(msg) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", msg.clone()),
        StoreError::Conflict(_) => (
            StatusCode::CONFLICT,
            "conflict",
            Msg::new(
                "该记录已被他人修改，请刷新后重试",
                "someone else changed this record: reload and try again",
            ),
        ),
        StoreError::DraftConflict(_) => (StatusCode::CONFLICT, "conflict", e.words().0),
        // A change of a published year without a reason: the input asked for is missing.
        StoreError::YearLocked { .. } => {
            field = Some(crate::correction::FIELD);
            (StatusCode::UNPROCESSABLE_ENTITY, "correction_required", e.words().0)
        }
        // A full or read-only data directory: nothing was changed, what was saved is intact.
        e if e.is_storage_unavailable() => (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            Msg::new(
                "数据存储空间已满或只读，本次更改未保存（此前保存的数据不受影响）；请联系管理员，稍后再试",
                "the data storage is full or read-only: this change was not saved (what was \
                 saved before is intact); tell the administrator and try again later",
            ),
        ),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal", generic(500)),
    };
    let fault = status.is_server_error();
    (ErrorReport { status, code, msg, field }, fault)
}

/// The message of a status without a more specific one.
fn generic(status: u16) -> Msg {
    let (zh, en) = match status {
        400 => ("请求有误", "bad request"),
        401 => ("请先登录", "please sign in"),
        403 => ("无权执行此操作", "you may not do this"),
        404 => ("页面或资源不存在", "not found"),
        405 => ("不支持此请求方法", "method not allowed"),
        408 => ("请求超时", "the request took too long"),
        409 => ("与当前状态冲突", "conflict with the current state"),
        413 => ("提交的内容过大", "the request is too large"),
        415 => ("不支持的内容类型", "unsupported content type"),
        422 => ("提交的内容有误", "the input is invalid"),
        429 => ("尝试次数过多，请稍后再试", "too many attempts: try again later"),
        _ => ("服务器内部错误，请稍后再试", "internal server error: try again later"),
    };
    Msg::new(zh, en)
}

/// What a failed response says, attached to it for [`render`].
#[derive(Clone, Debug)]
pub struct ErrorReport {
    /// The status.
    pub status: StatusCode,
    /// A stable machine-readable code (`login_failed`, `not_found`, …).
    pub code: &'static str,
    /// The message in both languages.
    pub msg: Msg,
    /// The form field at fault.
    pub field: Option<&'static str>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (report, fault) = self.report();
        if fault {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(code = report.code, "request refused");
        }
        let mut response = report.status.into_response();
        response.extensions_mut().insert(report);
        response
    }
}

/// The JSON body of an API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: &'static str,
    /// The message in the request's language.
    pub message: String,
    /// The field at fault, for input errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'a str,
    title: &'a str,
    message: &'a str,
    field: Option<&'static str>,
    field_label: &'a str,
    home: &'a str,
}

/// Middleware: writes the body of every failed response, in one place.
pub async fn render(request: Request, next: Next) -> Response {
    let lang = i18n::lang_of(request.uri().query(), request.headers());
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let report = match response.extensions().get::<ErrorReport>() {
        Some(r) => r.clone(),
        // A handler that wrote its own page or JSON for an error status (a login form shown
        // again with its message) keeps it.
        None if own_body(&response) => return response,
        None => ErrorReport {
            status,
            code: code_of(status),
            msg: generic(status.as_u16()),
            field: None,
        },
    };
    if report.code == "unauthenticated" && !api {
        return axum::response::Redirect::to("/login").into_response();
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let body = body_of(&report, lang, api);
    let mut out = body.into_response();
    *out.status_mut() = status;
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

/// Whether a response's body is ours: an HTML page or JSON (framework rejections are plain text).
fn own_body(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"))
}

fn body_of(report: &ErrorReport, lang: Lang, api: bool) -> Response {
    let message = report.msg.get(lang).to_owned();
    if api {
        let body =
            ErrorBody { error: ErrorDetail { code: report.code, message, field: report.field } };
        return axum::Json(body).into_response();
    }
    let page = ErrorPage {
        lang: i18n::tag(lang),
        title: i18n::pick(lang, "出错了", "Something went wrong"),
        message: &message,
        field: report.field,
        field_label: i18n::pick(lang, "字段", "field"),
        home: i18n::pick(lang, "返回工作台", "Back to the dashboard"),
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            let mut r = message.into_response();
            r.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            r
        }
    }
}

fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        413 => "too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        400..500 => "bad_request",
        _ => "internal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_details_never_reach_the_user() {
        let e =
            AppError::Store(StoreError::Corrupt { what: "role", detail: "SELECT secret".into() });
        let (report, fault) = e.report();
        assert!(fault);
        assert_eq!(report.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!report.msg.zh.contains("SELECT") && !report.msg.en.contains("SELECT"));
    }

    #[test]
    fn a_change_of_a_published_year_without_a_reason_is_an_input_error() {
        let (report, fault) = AppError::Store(StoreError::YearLocked { year: 2025 }).report();
        assert!(!fault);
        assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(report.code, "correction_required");
        assert_eq!(report.field, Some("correction_reason"));
        assert!(report.msg.zh.contains("2025年度报告已发布") && report.msg.en.contains("2025"));
    }

    #[test]
    fn a_form_error_names_its_field() {
        let (report, _) = AppError::field("username", "必填", "required").report();
        assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(report.field, Some("username"));
    }
}
