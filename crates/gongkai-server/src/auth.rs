//! Who is asking: sessions (the browser's cookie), API tokens (`Authorization: Bearer …`), the
//! CSRF synchronizer token, the login rate limit, and the [`Actor`] extractor.
//!
//! - **Session cookie** `gongkai_session`: the store's session secret; `HttpOnly`,
//!   `SameSite=Lax`, `Secure` when [`Config::secure_cookies`](crate::state::Config) (served over
//!   TLS) or when a proxy says the request came over TLS (`X-Forwarded-Proto: https`). The same secret works as a Bearer token (what `POST /api/v1/login` returns).
//! - **API tokens** (`gkt_…`, made by `gongkai admin token create`) as `Authorization: Bearer`.
//! - **CSRF** ([`csrf`] middleware, before any handler): every state-changing request that a
//!   browser could send cross-site carries the token — a form field `csrf`, a `csrf` query
//!   parameter (multipart forms) or an `X-CSRF-Token` header. The token is the SHA-256 of the
//!   session secret (or, before login, of a random `gongkai_csrf` cookie), so it is bound to the
//!   session and needs no storage. Exempt: requests with `Authorization` (no browser adds it
//!   cross-site) and `application/json` bodies (a cross-site page cannot send them without a CORS
//!   preflight, and the server allows no cross-origin requests).
//! - **Login rate limit** ([`LoginLimiter`]): failed logins counted per username and per client
//!   address in memory; over the limit every login answers 429, whether the user exists or not.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gongkai_store::{Ctx, Membership, Secret, User, UserId};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::i18n::cookie;
use crate::state::{AppState, Config};

/// The session cookie.
pub const SESSION_COOKIE: &str = "gongkai_session";
/// The pre-login CSRF seed cookie.
pub const CSRF_COOKIE: &str = "gongkai_csrf";
/// The form field, query parameter and (as `X-CSRF-Token`) header that carry the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
const CSRF_HEADER: &str = "x-csrf-token";
const SESSION_PREFIX: &str = "gks_";

/// The signed-in user making a request, with their memberships.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user.
    pub user: User,
    /// Every role in every organisation.
    pub memberships: Vec<Membership>,
    /// The session secret when signed in by session (cookie or Bearer), to log out.
    pub session: Option<Secret>,
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Actor, AppError> {
        MaybeActor::from_request_parts(parts, state).await?.0.ok_or(AppError::Unauthenticated)
    }
}

/// The actor when signed in, `None` otherwise (pages anyone may see).
#[derive(Clone, Debug)]
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<MaybeActor, AppError> {
        if let Some(cached) = parts.extensions.get::<MaybeActor>() {
            return Ok(cached.clone());
        }
        let actor = resolve(state, &parts.headers).await?;
        let found = MaybeActor(actor);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

/// The actor of a request's credentials: a Bearer token (session or API token), else the session
/// cookie. Unknown, expired or revoked credentials are no actor.
async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Option<Actor>, AppError> {
    let now = state.clock.now();
    let (user, session) = match bearer(headers) {
        Some(secret) if secret.starts_with(SESSION_PREFIX) => {
            let secret = Secret::new(secret);
            (state.store.session_user(&secret, now).await?, Some(secret))
        }
        Some(secret) => (state.store.token_user(&Secret::new(secret), now).await?, None),
        None => match cookie(headers, SESSION_COOKIE) {
            Some(secret) => {
                let secret = Secret::new(secret);
                (state.store.session_user(&secret, now).await?, Some(secret))
            }
            None => (None, None),
        },
    };
    let Some(id) = user else { return Ok(None) };
    let Some(user) = state.store.user(id).await? else { return Ok(None) };
    let memberships = state.store.memberships(id).await?;
    Ok(Some(Actor { user, memberships, session }))
}

/// The secret of an `Authorization: Bearer …` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim()).filter(|s| !s.is_empty())
}

/// Where a request came from, for the audit log: the peer address (no personal data).
pub fn origin(parts_extensions: &axum::http::Extensions) -> String {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// The client's address as an extractor (for the audit log and the login limit).
#[derive(Clone, Debug)]
pub struct Origin(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Origin, Self::Rejection> {
        Ok(Origin(origin(&parts.extensions)))
    }
}

/// The store context of a change: who, now, from where.
pub fn ctx(state: &AppState, user: Option<UserId>, origin: &Origin) -> Ctx {
    Ctx { user, at: state.clock.now(), origin: origin.0.clone() }
}

/// The `Set-Cookie` value of a new session: `Secure` when configured, or when the request came
/// over TLS through a proxy (`X-Forwarded-Proto: https`).
pub fn session_cookie(
    secret: &Secret,
    config: &Config,
    headers: &HeaderMap,
) -> Result<HeaderValue, AppError> {
    let max_age = config.session_ttl.as_secs();
    let tls = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let flag = if tls { "; Secure" } else { secure(config) };
    cookie_value(&format!(
        "{SESSION_COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{flag}",
        secret.expose(),
    ))
}

/// The `Set-Cookie` value that ends the session cookie.
pub fn clear_session_cookie(config: &Config) -> Result<HeaderValue, AppError> {
    cookie_value(&format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        secure(config)
    ))
}

fn secure(config: &Config) -> &'static str {
    if config.secure_cookies { "; Secure" } else { "" }
}

fn cookie_value(s: &str) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(s).map_err(AppError::internal)
}

/// The CSRF token of the request, for forms (put in request extensions by [`csrf`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<CsrfToken, AppError> {
        parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .ok_or_else(|| AppError::internal("the csrf middleware is not installed"))
    }
}

/// The token for a seed (the session secret or the pre-login cookie).
pub fn csrf_token(seed: &str) -> CsrfToken {
    let mut h = Sha256::new();
    h.update(b"gongkai-csrf\0");
    h.update(seed.as_bytes());
    CsrfToken(hex(&h.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A new random seed (32 bytes, hex).
fn random_seed() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(hex(&bytes))
}

/// Middleware: refuses a state-changing request without the right CSRF token, and hands the
/// token to the handlers (for their forms) in the request extensions.
pub async fn csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match check_csrf(&state, request).await {
        Ok((request, new_seed)) => {
            let mut response = next.run(request).await;
            // Only a page may hold a form: other answers (the API, downloads) set no seed, so
            // that a client without cookies gets answers a cache may keep.
            let page = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if let Some(seed) = new_seed.filter(|_| page) {
                let value = format!(
                    "{CSRF_COOKIE}={seed}; Path=/; HttpOnly; SameSite=Lax{}",
                    secure(&state.config)
                );
                if let Ok(v) = HeaderValue::from_str(&value) {
                    response.headers_mut().append(SET_COOKIE, v);
                }
            }
            response
        }
        Err(e) => e.into_response(),
    }
}

/// The request (its body put back) with its token attached, and the new pre-login seed to set.
async fn check_csrf(
    state: &AppState,
    request: Request,
) -> Result<(Request, Option<String>), AppError> {
    let headers = request.headers();
    let (seed, new_seed) =
        match cookie(headers, SESSION_COOKIE).or_else(|| cookie(headers, CSRF_COOKIE)) {
            Some(seed) => (seed.to_owned(), None),
            None => {
                let seed = random_seed()?;
                (seed.clone(), Some(seed))
            }
        };
    let token = csrf_token(&seed);
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // An API request without a session cookie carries no ambient authority to forge: it is
    // answered 401 by the route when it needs credentials.
    let api_without_session =
        request.uri().path().starts_with("/api/") && cookie(headers, SESSION_COOKIE).is_none();
    let exempt = headers.contains_key(AUTHORIZATION) || is_json(headers) || api_without_session;
    let mut request = if safe || exempt { request } else { verify(state, request, &token).await? };
    request.extensions_mut().insert(token);
    Ok((request, new_seed))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Checks the token of a state-changing request: header, query parameter, or form field.
async fn verify(
    state: &AppState,
    request: Request,
    token: &CsrfToken,
) -> Result<Request, AppError> {
    let presented = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().query().and_then(field_of).map(str::to_owned));
    if let Some(p) = presented {
        return if same(&p, &token.0) { Ok(request) } else { Err(AppError::Csrf) };
    }
    let form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, state.config.body_limit)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let ok = std::str::from_utf8(&bytes).ok().and_then(field_of).is_some_and(|p| same(p, &token.0));
    if !ok {
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The `csrf` field of an urlencoded string (the token is hex: no decoding needed).
fn field_of(s: &str) -> Option<&str> {
    s.split('&').find_map(|kv| match kv.split_once('=') {
        Some((CSRF_FIELD, v)) => Some(v),
        _ => None,
    })
}

/// Equality in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Failed-login counters, per username and per client address, in memory.
#[derive(Debug)]
pub struct LoginLimiter {
    per_user: u32,
    per_ip: u32,
    window: Duration,
    counts: Mutex<HashMap<String, (u32, Instant)>>,
}

/// Entries kept before the expired ones are swept.
const SWEEP_AT: usize = 10_000;

impl LoginLimiter {
    /// A limiter with the limits of `config`.
    pub fn new(config: &Config) -> LoginLimiter {
        LoginLimiter {
            per_user: config.login_failures_per_user,
            per_ip: config.login_failures_per_ip,
            window: config.login_window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    fn keys(ip: &str, username: &str) -> [String; 2] {
        [format!("ip {ip}"), format!("user {}", username.trim().to_lowercase())]
    }

    /// Whether a login from `ip` for `username` may be tried now.
    pub fn allows(&self, ip: &str, username: &str) -> bool {
        let now = Instant::now();
        let Ok(counts) = self.counts.lock() else { return false };
        let [ip_key, user_key] = Self::keys(ip, username);
        let under = |key: &str, limit: u32| match counts.get(key) {
            Some(&(n, since)) if now.duration_since(since) < self.window => n < limit,
            _ => true,
        };
        under(&ip_key, self.per_ip) && under(&user_key, self.per_user)
    }

    /// Counts a failed login.
    pub fn failed(&self, ip: &str, username: &str) {
        let now = Instant::now();
        let Ok(mut counts) = self.counts.lock() else { return };
        if counts.len() >= SWEEP_AT {
            counts.retain(|_, (_, since)| now.duration_since(*since) < self.window);
        }
        for key in Self::keys(ip, username) {
            let entry = counts.entry(key).or_insert((0, now));
            if now.duration_since(entry.1) >= self.window {
                *entry = (0, now);
            }
            entry.0 = entry.0.saturating_add(1);
        }
    }

    /// Forgets the failures of a username after a successful login.
    pub fn succeeded(&self, username: &str) {
        if let Ok(mut counts) = self.counts.lock() {
            let [_, user_key] = Self::keys("", username);
            counts.remove(&user_key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_per_user_and_per_address() {
        let config =
            Config { login_failures_per_user: 2, login_failures_per_ip: 3, ..Config::default() };
        let l = LoginLimiter::new(&config);
        l.failed("1.1.1.1", "Alice");
        assert!(l.allows("1.1.1.1", "alice"));
        l.failed("2.2.2.2", "alice ");
        assert!(!l.allows("3.3.3.3", "alice"), "per username, from any address");
        assert!(l.allows("1.1.1.1", "bob"));
        l.failed("1.1.1.1", "carol");
        l.failed("1.1.1.1", "dave");
        assert!(!l.allows("1.1.1.1", "erin"), "per address, for any username");
        l.succeeded("alice");
        assert!(l.allows("3.3.3.3", "alice"));
    }

    #[test]
    fn the_token_is_found_among_form_fields() {
        assert_eq!(field_of("a=1&csrf=ab12&b=2"), Some("ab12"));
        assert_eq!(field_of("csrfx=1"), None);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
