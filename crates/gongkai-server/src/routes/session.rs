//! Signing in and out: the login page (`GET`/`POST /login`), `POST /logout`, and the API's
//! `POST /api/v1/login`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use gongkai_model::Lang;
use gongkai_store::{Secret, User};
use serde::{Deserialize, Serialize};

use super::{Access, Route};
use crate::auth::{self, Actor, CsrfToken, MaybeActor, Origin};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/login", Access::Public, login_page),
        Route::post("/login", Access::Public, login_form),
        Route::post("/logout", Access::SignedIn, logout),
        Route::post("/api/v1/login", Access::Public, api_login).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_login), components(schemas(Credentials, LoginAnswer)))]
pub struct Api;

texts! {
    /// The login page's texts.
    pub struct LoginText {
        title: "登录" | "Sign in",
        username: "用户名" | "Username",
        password: "密码" | "Password",
        submit: "登录" | "Sign in",
        intro: "请使用本单位分配的账号登录。" | "Sign in with the account your organisation gave you.",
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    t: LoginText,
    error: Option<String>,
    username: String,
    next: String,
}

/// Where to go after signing in.
#[derive(Deserialize, Default)]
struct Next {
    #[serde(default)]
    next: String,
}

/// A local path to return to (never another site: `//host` and `/\host` are refused).
fn local(next: &str) -> &str {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if ok { next } else { "/" }
}

fn login_view(lang: Lang, csrf: &CsrfToken, error: Option<String>, username: String, next: &str) -> LoginPage {
    let t = LoginText::of(lang);
    LoginPage {
        chrome: Chrome::new(lang, t.title, csrf, "/login", None, None, Nav::None),
        t,
        error,
        username,
        next: local(next).to_owned(),
    }
}

async fn login_page(
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Query(next): Query<Next>,
) -> Result<Response, AppError> {
    if actor.is_some() {
        return Ok(Redirect::to(local(&next.next)).into_response());
    }
    // The form carries the visitor's CSRF token: never kept by a cache.
    let page = page::render(&login_view(lang, &csrf, None, String::new(), &next.next))?;
    Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], page).into_response())
}

/// The login form.
#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login_form(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    origin: Origin,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    match attempt(&state, &origin, &form.username, &form.password).await {
        Ok((_, secret)) => {
            let cookie = auth::session_cookie(&secret, &state.config, &headers)?;
            Ok(([(SET_COOKIE, cookie)], Redirect::to(local(&form.next))).into_response())
        }
        Err(e @ (AppError::LoginFailed | AppError::RateLimited)) => {
            let status = match e {
                AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            let message = match e {
                AppError::RateLimited => crate::i18n::pick(lang, "尝试次数过多，请稍后再试", "too many attempts: try again later"),
                _ => crate::i18n::pick(lang, "用户名或密码不正确", "wrong username or password"),
            };
            let view = login_view(lang, &csrf, Some(message.to_owned()), form.username, &form.next);
            // The page itself says what went wrong: the status is kept, the body is this page.
            Ok((status, page::render(&view)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// Checks a login and opens a session: the same refusal for an unknown user and a wrong password.
async fn attempt(
    state: &AppState,
    origin: &Origin,
    username: &str,
    password: &str,
) -> Result<(User, Secret), AppError> {
    if !state.limiter.allows(&origin.0, username) {
        return Err(AppError::RateLimited);
    }
    let ctx = auth::ctx(state, None, origin);
    let Some(user) = state.store.check_password(&ctx, username, password).await? else {
        state.limiter.failed(&origin.0, username);
        return Err(AppError::LoginFailed);
    };
    state.limiter.succeeded(username);
    let ctx = auth::ctx(state, Some(user.id), origin);
    let secret = state.store.open_session(&ctx, user.id, state.config.session_ttl).await?;
    tracing::info!(user = %user.id, "signed in");
    Ok((user, secret))
}

async fn logout(
    State(state): State<AppState>,
    actor: Actor,
    origin: Origin,
) -> Result<Response, AppError> {
    if let Some(secret) = &actor.session {
        let ctx = auth::ctx(&state, Some(actor.user.id), &origin);
        state.store.close_session(&ctx, secret).await?;
    }
    let cookie = auth::clear_session_cookie(&state.config)?;
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

/// A username and password.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    /// The username.
    pub username: String,
    /// The password.
    pub password: String,
}

/// A successful login.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginAnswer {
    /// The session's secret: send it as `Authorization: Bearer …`.
    pub token: String,
}

/// Signs in: a session cookie and the same session as a Bearer token.
#[utoipa::path(
    post,
    path = "/api/v1/login",
    tag = "session",
    request_body = Credentials,
    responses(
        (status = 200, description = "signed in; the session cookie is set", body = LoginAnswer),
        (status = 401, description = "unknown user or wrong password (one answer for both)", body = crate::error::ErrorBody),
        (status = 429, description = "too many failed logins", body = crate::error::ErrorBody),
    )
)]
async fn api_login(
    State(state): State<AppState>,
    origin: Origin,
    headers: HeaderMap,
    Json(credentials): Json<Credentials>,
) -> Result<Response, AppError> {
    let (_, secret) = attempt(&state, &origin, &credentials.username, &credentials.password).await?;
    let cookie = auth::session_cookie(&secret, &state.config, &headers)?;
    Ok(([(SET_COOKIE, cookie)], Json(LoginAnswer { token: secret.expose().to_owned() })).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(local("/agencies/3"), "/agencies/3");
        assert_eq!(local("//evil.example"), "/");
        assert_eq!(local("/\\evil.example"), "/");
        assert_eq!(local("https://evil.example"), "/");
    }

    #[test]
    fn no_text_is_empty() {
        assert!(LoginText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
