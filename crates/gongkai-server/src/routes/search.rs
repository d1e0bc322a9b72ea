//! 查找机关, for everyone: `GET /search?q=&region=&page=` (the results page) and
//! `GET /api/v1/search?q=&region=&page=` (the same as JSON). The matching is
//! [`crate::search`]'s: names in Chinese, full pinyin, pinyin initials or a mix, and regions by
//! their GB/T 2260 code (the names of the regions come from the offices). The organisations,
//! their pinyin keys and latest published years come from [`Portal`]: one small query per
//! search while nothing changed, whatever it finds.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_model::Lang;
use gongkai_store::RegionCode;
use serde::{Deserialize, Serialize};

use super::{Access, Route};
use crate::auth::{CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::portal::Portal;
use crate::search::Region;
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/search", Access::Public, page),
        Route::get("/api/v1/search", Access::Public, api).api(),
    ]
}

/// The API paths.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api), components(schemas(SearchJson, HitJson)))]
pub struct Api;

texts! {
    /// The search form's texts (the home page's form too).
    pub struct SearchFormText {
        q: "机关名称" | "Agency name",
        q_hint: "可输入中文、拼音或拼音首字母，如“教育局”“jiaoyu”“jyj”" | "Chinese, pinyin or pinyin initials, e.g. “教育局”, “jiaoyu”, “jyj”",
        region: "地区" | "Region",
        all_regions: "全部地区" | "All regions",
        submit: "查找" | "Search",
    }
}

texts! {
    /// The results page's texts.
    pub struct SearchText {
        title: "查找机关" | "Find an agency",
        intro: "查找行政机关，查看其政府信息公开工作年度报告、历年数据、信息公开专栏和指南。" | "Find an agency to read its annual reports on government information disclosure, its figures over the years, its disclosure column and guide.",
        found: "找到的机关：" | "Agencies found: ",
        none: "没有找到匹配的机关。请换一种写法，或只输入名称的一部分。" | "No agency matches. Try another spelling or part of the name.",
        agency: "机关" | "Agency",
        region: "地区" | "Region",
        office: "所属政务公开办" | "Supervising office",
        latest: "最新年度报告" | "Latest annual report",
        not_yet: "尚未发布" | "None published yet",
        previous: "上一页" | "Previous page",
        next: "下一页" | "Next page",
        page: "页码" | "Page",
        regions: "按地区浏览" | "Browse by region",
        statistics: "全部地区的年报统计" | "Statistics of all regions",
    }
}

/// How many agencies a page of results lists.
pub const PER_PAGE: usize = 50;

/// What is searched for.
#[derive(Deserialize, Default, Debug, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Words of the agency's name: Chinese, full pinyin or pinyin initials (`jyj`), space
    /// separated; every word must match.
    pub q: Option<String>,
    /// A region code (six digits, GB/T 2260): agencies of that region (`330100`: the whole
    /// city) or below an office of that region.
    pub region: Option<String>,
    /// The page of results, from 1.
    pub page: Option<usize>,
}

/// One agency found.
#[derive(Serialize, utoipa::ToSchema, Debug)]
pub struct HitJson {
    /// The agency's id.
    pub agency_id: i64,
    /// Its name.
    pub agency: String,
    /// The office directly above it.
    pub office_id: Option<i64>,
    /// That office's name.
    pub office: Option<String>,
    /// Its region code.
    pub region: String,
    /// The name of its region (from the office above it).
    pub region_name: String,
    /// The latest year it published a report for, if any.
    pub latest_year: Option<i16>,
    /// Its public page.
    pub href: String,
}

/// A page of results.
#[derive(Serialize, utoipa::ToSchema, Debug)]
pub struct SearchJson {
    /// The words searched for.
    pub q: String,
    /// The region searched in.
    pub region: Option<String>,
    /// How many agencies match.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    /// Agencies per page.
    pub per_page: usize,
    /// The agencies of this page, best match first.
    pub results: Vec<HitJson>,
}

/// The region asked for: six digits, or nothing.
fn region_of(q: &SearchQuery) -> Result<Option<String>, AppError> {
    match q.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => match RegionCode::parse(r) {
            Ok(code) => Ok(Some(code.as_str().to_owned())),
            Err(_) => Err(AppError::field(
                "region",
                format!("地区代码应为6位数字：{r}"),
                format!("a region code is six digits: {r}"),
            )),
        },
    }
}

/// Runs a search: the results' page and the regions to offer.
async fn run(state: &AppState, q: &SearchQuery) -> Result<(SearchJson, Vec<Region>), AppError> {
    let region = region_of(q)?;
    let words = q.q.clone().unwrap_or_default();
    let snapshot = Portal::snapshot(state).await?;
    let dir = &snapshot.directory;
    let hits = dir.search(&words, region.as_deref());
    let total = hits.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let results = hits
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|h| HitJson {
            agency_id: h.agency.id.0,
            agency: h.agency.name.clone(),
            office_id: h.office.map(|o| o.id.0),
            office: h.office.map(|o| o.name.clone()),
            region: h.agency.region.as_str().to_owned(),
            region_name: h.region.clone(),
            latest_year: snapshot.latest_years.get(&h.agency.id).copied(),
            href: format!("/agencies/{}/public", h.agency.id),
        })
        .collect();
    let found = SearchJson { q: words, region, total, page, per_page: PER_PAGE, results };
    Ok((found, dir.regions()))
}

/// The search, as JSON.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "agencies",
    params(SearchQuery),
    responses(
        (status = 200, description = "the agencies found, best match first, a page at a time", body = SearchJson),
        (status = 422, description = "a region that is not six digits")
    )
)]
async fn api(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<SearchJson>, AppError> {
    Ok(Json(run(&state, &q).await?.0))
}

/// The search form of the portal's pages (`search_form.html`).
pub(crate) struct SearchForm {
    /// Its texts.
    pub(crate) t: SearchFormText,
    /// The words searched for.
    pub(crate) q: String,
    /// The region searched in.
    pub(crate) region: String,
    /// The regions offered.
    pub(crate) regions: Vec<Region>,
}

impl SearchForm {
    /// The form in `lang`, filled with what was searched.
    pub(crate) fn new(lang: Lang, q: &str, region: Option<&str>, regions: Vec<Region>) -> SearchForm {
        SearchForm {
            t: SearchFormText::of(lang),
            q: q.to_owned(),
            region: region.unwrap_or_default().to_owned(),
            regions,
        }
    }
}

/// A link of the pager.
struct PageLink {
    label: &'static str,
    href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    t: SearchText,
    form: SearchForm,
    searched: bool,
    found: SearchJson,
    pager: Vec<PageLink>,
}

/// The results page.
async fn page(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let (found, regions) = run(&state, &q).await?;
    let t = SearchText::of(lang);
    let searched = !found.q.trim().is_empty() || found.region.is_some();
    let query = |page: usize| {
        let mut s = format!("/search?q={}", encode(&found.q));
        if let Some(r) = &found.region {
            s.push_str(&format!("&region={r}"));
        }
        if page > 1 {
            s.push_str(&format!("&page={page}"));
        }
        s
    };
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let mut pager = Vec::new();
    if found.page > 1 {
        pager.push(PageLink { label: t.previous, href: query(found.page - 1) });
    }
    if found.page < pages {
        pager.push(PageLink { label: t.next, href: query(found.page + 1) });
    }
    let path = if searched { query(found.page) } else { "/search".to_owned() };
    let signed_in = page::signed_in(&state, actor.as_ref()).await?;
    let chrome = Chrome::new(
        lang,
        t.title,
        &csrf,
        &path,
        signed_in.as_ref().map(|(a, o)| (*a, o.as_slice())),
        None,
        Nav::None,
    );
    let form = SearchForm::new(lang, &found.q, found.region.as_deref(), regions);
    let page = SearchPage { chrome, t, form, searched, found, pager };
    Ok(page::render(&page)?.into_response())
}

/// A query parameter's value, percent-encoded (RFC 3986 unreserved characters kept).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(SearchFormText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
        assert!(
            SearchText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty())
        );
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("教育 a&b=c"), "%E6%95%99%E8%82%B2%20a%26b%3Dc");
        assert_eq!(encode("jyj-1._~"), "jyj-1._~");
    }

    #[test]
    fn a_region_is_six_digits_or_nothing() {
        let q = |r: &str| SearchQuery { region: Some(r.to_owned()), ..SearchQuery::default() };
        assert_eq!(region_of(&q("330100")).ok().flatten().as_deref(), Some("330100"));
        assert_eq!(region_of(&q(" ")).ok().flatten(), None);
        assert!(region_of(&q("33")).is_err());
        assert!(region_of(&q("abcdef")).is_err());
    }
}
