//! The home page, `GET /`: for an anonymous visitor the public portal's front page — the search
//! by agency name (pinyin too) and region ([`super::search`]), the overall figures of the latest
//! year with published reports ([`super::statistics`]), the latest publications and the regions
//! to browse; a signed-in user gets the dashboard as before ([`super::dashboard::home`]: the
//! organisation chosen with `?org=`, else the first).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_model::Lang;
use gongkai_store::{OrgId, OrgKind};
use serde::Deserialize;

use super::compare::{self, CompareText};
use super::search::SearchForm;
use super::{Access, Route};
use crate::auth::{CsrfToken, MaybeActor};
use crate::error::AppError;
use crate::i18n::Ui;
use crate::page::{self, Chrome, Nav};
use crate::portal::Portal;
use crate::search::region_name;
use crate::state::AppState;
use crate::texts;

/// The routes.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/", Access::Public, home)]
}

/// No API paths.
#[derive(utoipa::OpenApi)]
pub struct Api;

texts! {
    /// The public home page's texts.
    pub struct HomeText {
        title: "政府信息公开年度报告查询" | "Annual reports on government information disclosure",
        intro: "查询各行政机关依照《中华人民共和国政府信息公开条例》第五十条发布的政府信息公开工作年度报告：按年度阅读和下载，查看历年数据、图表和修订记录，以及各地区的统计。" | "Read and download the annual reports that agencies publish under Article 50 of the Regulations on the Disclosure of Government Information, with their figures over the years, charts and revision logs, and the statistics of each region.",
        figures: "年度概况" | "The year at a glance",
        agencies: "机关" | "Agencies",
        published: "已发布年度报告" | "Reports published",
        more_statistics: "查看全部统计" | "All statistics",
        recent: "最新发布" | "Latest publications",
        none_recent: "尚无发布的年度报告。" | "No annual report has been published yet.",
        agency: "机关" | "Agency",
        year: "年度" | "Year",
        version: "版本" | "Version",
        date: "发布日期" | "Published",
        note: "说明" | "Note",
        first: "首次发布" | "First publication",
        regions: "按地区浏览" | "Browse by region",
        statistics: "统计" | "statistics",
        data: "开放数据下载" | "Open data downloads",
        staff: "工作人员登录" | "Staff sign-in",
    }
}

/// Which organisation the switcher chose (signed-in users).
#[derive(Deserialize)]
struct Switch {
    org: Option<i64>,
}

/// A publication in the list.
struct Publication {
    agency: String,
    agency_href: String,
    year: i16,
    year_href: String,
    version: String,
    day: String,
    note: String,
}

/// A region to browse.
struct RegionLink {
    name: String,
    search: String,
    statistics: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    t: HomeText,
    form: SearchForm,
    year: i16,
    agencies: usize,
    published: usize,
    figures: Vec<(&'static str, String)>,
    recent: Vec<Publication>,
    regions: Vec<RegionLink>,
}

/// `/`: the public home, or a signed-in user's dashboard.
async fn home(
    State(state): State<AppState>,
    Ui(lang): Ui,
    csrf: CsrfToken,
    MaybeActor(actor): MaybeActor,
    Query(switch): Query<Switch>,
) -> Result<Response, AppError> {
    if let Some(actor) = &actor {
        return super::dashboard::home(&state, lang, &csrf, actor, switch.org).await;
    }
    let t = HomeText::of(lang);
    let snapshot = Portal::snapshot(&state).await?;
    let dir = &snapshot.directory;
    let year = super::statistics::year_of(&state, &snapshot, None);
    let stats = super::statistics::stats(&state, &snapshot, None, year).await?;
    let ct = CompareText::of(lang);
    let figures = match &stats.total {
        Some(total) => {
            let shown = compare::figures(total);
            compare::columns(ct).into_iter().zip(shown).collect()
        }
        None => Vec::new(),
    };
    let recent = snapshot
        .recent
        .iter()
        .filter_map(|&(agency, ref v)| {
            let org = dir.get(agency)?;
            Some(Publication {
                agency: org.name.clone(),
                agency_href: format!("/agencies/{agency}/public"),
                year: v.year,
                year_href: format!("/agencies/{agency}/reports/{}?version={}", v.year, v.version),
                version: match lang {
                    Lang::Zh => format!("第{}版", v.version),
                    Lang::En => format!("Version {}", v.version),
                },
                day: super::published::published_day(lang, v),
                note: v.reason.clone().unwrap_or_else(|| t.first.to_owned()),
            })
        })
        .collect();
    // The offices of the top two levels of the tree.
    let top = |id: Option<OrgId>| id.and_then(|p| dir.get(p)).is_none_or(|p| p.parent.is_none());
    let regions = dir
        .orgs()
        .iter()
        .filter(|o| o.kind == OrgKind::Office && top(o.parent))
        .map(|o| RegionLink {
            name: region_name(&o.name).to_owned(),
            search: format!("/search?region={}", o.region.as_str()),
            statistics: format!("/offices/{}/statistics?year={year}", o.id),
        })
        .collect();
    let chrome = Chrome::new(lang, t.title, &csrf, "/", None, None, Nav::None);
    let page = HomePage {
        chrome,
        t,
        form: SearchForm::new(lang, "", None, dir.regions()),
        year,
        agencies: stats.agencies,
        published: stats.published,
        figures,
        recent,
        regions,
    };
    Ok(page::render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(HomeText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }
}
