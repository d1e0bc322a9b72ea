//! The disclosure column as an Atom 1.0 feed (RFC 4287), for everyone:
//! `GET /agencies/{id}/column.atom` — the newest [`ENTRIES`] public items of
//! [`gongkai_store::Store::column`] (reviewed and published only, as the page).
//!
//! Ids are stable URNs (`urn:gongkai:agency:{id}:column` for the feed, `…:item:{key}` for an
//! entry, the register number percent-encoded), so a reader never sees an item twice; an
//! entry's `updated` and `published` are its first publication day at midnight in China
//! (`+08:00`), the feed's `updated` the newest of them (the clock's now for an empty feed).
//! Links are relative to the feed's own URL. Written by an askama template with XML escaping;
//! characters XML 1.0 does not allow (control characters) are dropped first.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gongkai_store::ColumnQuery;
use jiff::civil::Date;

use super::application::encode;
use super::column::{agency, item_href};
use super::{Access, Route};
use crate::error::AppError;
use crate::state::AppState;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/agencies/{id}/column.atom", Access::Public, feed)]
}

/// No API paths (the feed is a document, not JSON).
#[derive(utoipa::OpenApi)]
pub struct Api;

/// How many items the feed carries.
pub const ENTRIES: u32 = 50;

/// One entry.
#[derive(Debug)]
struct Entry {
    id: String,
    title: String,
    updated: String,
    href: String,
    author: String,
    subject: String,
    summary: String,
    text: Option<String>,
    /// (media type, length, link).
    attachment: Option<(String, u64, String)>,
}

#[derive(Template)]
#[template(path = "column_feed.xml")]
struct Feed {
    id: String,
    title: String,
    updated: String,
    self_href: String,
    html_href: String,
    agency: String,
    entries: Vec<Entry>,
}

/// `text` without the characters XML 1.0 forbids (controls other than tab and line breaks).
fn xml_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// Midnight of `day` in China, as RFC 3339.
fn moment(day: Date) -> String {
    format!("{day}T00:00:00+08:00")
}

async fn feed(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let org = agency(&state, id).await?;
    let query = ColumnQuery { per_page: ENTRIES, ..ColumnQuery::default() };
    let column = state.store.column(org.id, &query).await?;
    let urn = format!("urn:gongkai:agency:{id}:column");
    let entries: Vec<Entry> = column
        .items
        .iter()
        .map(|c| {
            let i = &c.item;
            let href = item_href(org.id, &c.key);
            let mut summary = vec![format!("索引号：{}", c.index_no)];
            if let Some(n) = &i.number {
                summary.push(format!("文号：{n}"));
            }
            if let Some(w) = i.written {
                summary.push(format!("成文日期：{w}"));
            }
            Entry {
                id: format!("{urn}:item:{}", encode(&c.key)),
                title: xml_text(&i.title),
                updated: moment(c.published),
                author: xml_text(i.publisher.as_deref().unwrap_or(&org.name)),
                subject: xml_text(i.subject.as_deref().unwrap_or("未分类")),
                summary: xml_text(&summary.join("；")),
                text: i.text.as_deref().map(xml_text),
                attachment: c
                    .attachment
                    .as_ref()
                    .map(|a| (a.media_type.clone(), a.size, format!("{href}/attachment"))),
                href,
            }
        })
        .collect();
    let updated = column.items.iter().map(|c| c.published).max().map_or_else(
        || state.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        moment,
    );
    let feed = Feed {
        id: urn,
        title: xml_text(&format!("{} · 信息公开专栏", org.name)),
        updated,
        self_href: format!("/agencies/{id}/column.atom"),
        html_href: format!("/agencies/{id}/column"),
        agency: xml_text(&org.name),
        entries,
    };
    let body = feed.render().map_err(AppError::internal)?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_dropped_and_lines_kept() {
        assert_eq!(xml_text("a\u{0}b\u{1b}c\nd"), "abc\nd");
    }

    #[test]
    fn moments_are_rfc_3339_in_china() {
        assert_eq!(moment(jiff::civil::date(2024, 3, 1)), "2024-03-01T00:00:00+08:00");
    }
}
