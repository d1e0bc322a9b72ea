//! HTTP caching of public answers, in one place: entity tags, `If-None-Match` → `304 Not
//! Modified`, `Cache-Control` and `Vary`.
//!
//! Every `GET` route the table declares [`Access::Public`](crate::routes::Access) is marked
//! ([`mark`], by [`crate::routes::router`]); the middleware [`revalidate`], outside the CSRF,
//! language and error layers (so it sees every cookie they set and every error body), then
//! handles the marked `200 OK` answers:
//!
//! - a response that sets a cookie is never cached: `Cache-Control: no-store`, no tag;
//! - a signed-in request (session cookie or `Authorization`) gets `private, no-store` unless the
//!   handler chose its own policy (its page shows the user);
//! - an anonymous one keeps the handler's tag — strong tags derived from the published
//!   versions' SHA-256 (the published report page, its downloads, the open data) — or gets the
//!   SHA-256 of its body as a strong tag (bodies up to [`HASHED_BODY_LIMIT`]), and
//!   [`PUBLIC`] unless the handler chose its own policy; an `If-None-Match` naming the tag is
//!   answered `304` without the body;
//! - every marked answer varies by `Cookie` (the language and the session live there);
//! - redirects get no tag; every error (of any route) is `no-store`, without a tag.
//!
//! Handlers whose work is costly check the tag themselves before doing it ([`fresh`],
//! [`not_modified`]): a tag computed from version digests costs one small query.

use std::fmt::Write as _;

use axum::body::{Body, HttpBody as _};
use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, ETAG, IF_NONE_MATCH, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest as _, Sha256};

use crate::auth::SESSION_COOKIE;
use crate::i18n::cookie;

/// The policy of an anonymous public answer: any cache may keep it for a minute, then must ask
/// again (a `304` is cheap; a new published version shows within a minute).
pub const PUBLIC: &str = "public, max-age=60, must-revalidate";

/// The policy of an answer that depends on a signed-in session or sets a cookie.
pub const PRIVATE: &str = "private, no-store";

/// The largest body [`revalidate`] hashes into a tag (larger answers are tagged by their
/// handlers, or not at all).
pub const HASHED_BODY_LIMIT: usize = 4 << 20;

/// The mark of an answer of a public `GET` route (a response extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Public;

/// Marks an answer as coming from a public `GET` route (see [`crate::routes::router`]).
pub async fn mark(mut response: Response) -> Response {
    response.extensions_mut().insert(Public);
    response
}

/// Middleware: tags, revalidates and sets the cache policy of public answers (see the module).
pub async fn revalidate(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    let conditions: Vec<HeaderValue> =
        request.headers().get_all(IF_NONE_MATCH).iter().cloned().collect();
    let signed_in = request.headers().contains_key(AUTHORIZATION)
        || cookie(request.headers(), SESSION_COOKIE).is_some();
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        // Whatever route it came from (the error layer writes a new response).
        let headers = response.headers_mut();
        headers.remove(ETAG);
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    if !safe || response.extensions().get::<Public>().is_none() {
        return response;
    }
    let headers = response.headers_mut();
    vary_cookie(headers);
    if status != StatusCode::OK {
        return response;
    }
    if headers.contains_key(SET_COOKIE) {
        headers.remove(ETAG);
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    if signed_in {
        if !headers.contains_key(CACHE_CONTROL) {
            headers.insert(CACHE_CONTROL, HeaderValue::from_static(PRIVATE));
        }
        return response;
    }
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
    }
    if !headers.contains_key(ETAG) {
        response = match with_body_tag(response).await {
            Ok(r) => r,
            Err(r) => return *r,
        };
    }
    let Some(tag) = response.headers().get(ETAG).and_then(|v| v.to_str().ok()) else {
        return response;
    };
    let mut asked = HeaderMap::new();
    for c in conditions {
        asked.append(IF_NONE_MATCH, c);
    }
    if fresh(&asked, tag) {
        let tag = tag.to_owned();
        let policy = response.headers().get(CACHE_CONTROL).cloned();
        let mut answer = not_modified(&tag, PUBLIC);
        if let Some(p) = policy {
            answer.headers_mut().insert(CACHE_CONTROL, p);
        }
        vary_cookie(answer.headers_mut());
        return answer;
    }
    response
}

/// The response with the SHA-256 of its body as its tag, when the body's size is known and
/// at most [`HASHED_BODY_LIMIT`]; `Err` with the response as it was otherwise (or a 500 when
/// the body failed while read).
async fn with_body_tag(response: Response) -> Result<Response, Box<Response>> {
    let small = response
        .body()
        .size_hint()
        .upper()
        .and_then(|n| usize::try_from(n).ok())
        .is_some_and(|n| n <= HASHED_BODY_LIMIT);
    if !small {
        return Err(Box::new(response));
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, HASHED_BODY_LIMIT).await else {
        return Err(Box::new(StatusCode::INTERNAL_SERVER_ERROR.into_response()));
    };
    let tag = format!("\"b{}\"", hex(&Sha256::digest(&bytes)[..16]));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(ETAG, v);
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// Adds `Cookie` to `Vary` (once).
fn vary_cookie(headers: &mut HeaderMap) {
    let has = headers
        .get_all(VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case("cookie"));
    if !has {
        headers.append(VARY, HeaderValue::from_static("Cookie"));
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A strong entity tag over `parts` (separated, so `["a", "b"]` ≠ `["ab"]`) and the program's
/// version (its templates and writers).
pub fn etag(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for part in parts {
        h.update([0]);
        h.update(part.as_bytes());
    }
    format!("\"{}\"", hex(&h.finalize()[..16]))
}

/// Whether the request's `If-None-Match` names `tag` (or `*`); weak tags compare as strong
/// (RFC 9110 §13.1.2: the weak comparison).
pub fn fresh(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

/// `304 Not Modified` with the tag and the cache policy.
pub fn not_modified(tag: &str, cache: &'static str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(tag) {
        headers.insert(ETAG, v);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_names_the_tag() {
        let tag = etag(&["a", "b"]);
        assert_ne!(tag, etag(&["ab"]), "parts are separated");
        let mut headers = HeaderMap::new();
        assert!(!fresh(&headers, &tag));
        headers.insert(
            IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", W/{tag}"))
                .unwrap_or(HeaderValue::from_static("")),
        );
        assert!(fresh(&headers, &tag));
        headers.insert(IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!fresh(&headers, &tag));
        headers.insert(IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(fresh(&headers, &tag));
    }

    #[test]
    fn vary_names_cookie_once() {
        let mut headers = HeaderMap::new();
        headers.insert(VARY, HeaderValue::from_static("Accept-Encoding, cookie"));
        vary_cookie(&mut headers);
        assert_eq!(headers.get_all(VARY).iter().count(), 1);
        let mut headers = HeaderMap::new();
        vary_cookie(&mut headers);
        vary_cookie(&mut headers);
        assert_eq!(headers.get_all(VARY).iter().count(), 1);
    }
}
