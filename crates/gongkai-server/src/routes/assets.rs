//! The vendored assets (`assets/`): compiled into the binary, served with cache headers. No CDN,
//! no build step.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::{Access, Route};
use crate::error::AppError;

/// The assets: name, content type, content.
const ASSETS: &[(&str, &str, &str)] = &[
    ("style.css", "text/css; charset=utf-8", include_str!("../../assets/style.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../assets/app.js")),
    ("favicon.svg", "image/svg+xml", include_str!("../../assets/favicon.svg")),
];

/// How long a browser may keep an asset (a day: assets change only with the program).
const CACHE: &str = "public, max-age=86400";

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/assets/{file}", Access::Public, asset)]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let &(_, mime, body) = ASSETS.iter().find(|(name, _, _)| *name == file).ok_or(AppError::NotFound)?;
    Ok(([(CONTENT_TYPE, mime), (CACHE_CONTROL, CACHE)], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_of_the_stylesheet_is_closed() {
        // An unclosed `@media print {` silently makes every later rule print-only.
        let css = ASSETS.iter().find(|a| a.0 == "style.css").map_or("", |a| a.2);
        let mut depth = 0_i32;
        for (n, line) in css.lines().enumerate() {
            for c in line.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                assert!(depth >= 0, "style.css line {}: a `}}` closes nothing", n + 1);
            }
            if line.starts_with("@media") || line.starts_with("/*") {
                assert_eq!(depth, i32::from(line.starts_with("@media")), "style.css line {}: inside a block", n + 1);
            }
        }
        assert_eq!(depth, 0, "style.css ends inside a block");
    }

    #[test]
    fn the_script_stays_small() {
        let js: usize = ASSETS.iter().filter(|a| a.0.ends_with(".js")).map(|a| a.2.len()).sum();
        assert!(js <= 4 * 1024, "vendored JavaScript is {js} bytes: at most a few KB");
    }
}
