//! What every HTML page shares: the layout's data ([`Chrome`]: navigation, language toggle,
//! organisation switcher, the CSRF token of the logout form) and [`render`].

use askama::Template;
use axum::response::Html;
use gongkai_store::{Org, OrgId, OrgKind};

use crate::auth::{Actor, CsrfToken};
use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::state::AppState;
use crate::texts;

texts! {
    /// The layout's texts.
    pub struct ChromeText {
        app: "政府信息公开工作平台" | "Government Information Disclosure",
        skip: "跳到正文" | "Skip to content",
        dashboard: "工作台" | "Dashboard",
        applications: "依申请公开" | "Applications",
        letters: "文书" | "Letters",
        registers: "台账" | "Registers",
        reports: "年度报告" | "Annual report",
        logout: "退出登录" | "Sign out",
        login: "登录" | "Sign in",
        switch_org: "切换单位" | "Switch organisation",
        go: "切换" | "Go",
        other_lang: "English" | "中文",
        nav_label: "主导航" | "Main navigation",
        office_reports: "年报汇总" | "Report status",
    }
}

/// The sections of the main navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// 工作台.
    Dashboard,
    /// 依申请公开.
    Applications,
    /// 文书.
    Letters,
    /// 台账.
    Registers,
    /// 年度报告.
    Reports,
    /// A page outside the navigation (login, errors).
    None,
    /// 年报汇总, an office's status board.
    OfficeReports,
}

/// One link of the main navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    /// Its text.
    pub label: &'static str,
    /// Its URL.
    pub href: String,
    /// Whether it is the current section.
    pub active: bool,
}

/// One organisation in the switcher.
#[derive(Clone, Debug)]
pub struct OrgChoice {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Whether it is the current one.
    pub selected: bool,
}

/// The layout's data, a field `chrome` of every page template.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// `<html lang>`.
    pub lang: &'static str,
    /// The layout's texts.
    pub t: ChromeText,
    /// The page title.
    pub title: String,
    /// The signed-in user's display name.
    pub user: Option<String>,
    /// The CSRF token for the forms of the page.
    pub csrf: String,
    /// The main navigation (empty when signed out).
    pub nav: Vec<NavItem>,
    /// The link that switches the language.
    pub other_lang_href: String,
    /// The organisations of the user (the switcher shows when there are several).
    pub orgs: Vec<OrgChoice>,
}

impl Chrome {
    /// The layout of a page for `actor` (or nobody) in `lang`, in section `active` of
    /// organisation `current`; `path` is the page's own path, with its query if any (for the
    /// language toggle).
    pub fn new(
        lang: Lang,
        title: impl Into<String>,
        csrf: &CsrfToken,
        path: &str,
        signed_in: Option<(&Actor, &[Org])>,
        current: Option<&Org>,
        active: Nav,
    ) -> Chrome {
        let t = ChromeText::of(lang);
        let other = match lang {
            Lang::Zh => "en",
            Lang::En => "zh",
        };
        let (user, orgs) = match signed_in {
            Some((actor, orgs)) => (
                Some(actor.user.display_name.clone()),
                orgs.iter()
                    .map(|o| OrgChoice {
                        id: o.id.0,
                        name: o.name.clone(),
                        selected: current.is_some_and(|c| c.id == o.id),
                    })
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        let nav = if user.is_some() { nav(t, current, active) } else { Vec::new() };
        Chrome {
            lang: i18n::tag(lang),
            t,
            title: title.into(),
            user,
            csrf: csrf.0.clone(),
            nav,
            other_lang_href: format!(
                "{path}{}lang={other}",
                if path.contains('?') { '&' } else { '?' }
            ),
            orgs,
        }
    }
}

/// The main navigation: the dashboard, then the agency's sections when the current organisation
/// is an agency.
fn nav(t: ChromeText, current: Option<&Org>, active: Nav) -> Vec<NavItem> {
    let home = match current {
        Some(o) => org_href(o),
        None => "/".to_owned(),
    };
    let mut items =
        vec![NavItem { label: t.dashboard, href: home, active: active == Nav::Dashboard }];
    if let Some(org) = current.filter(|o| o.kind == OrgKind::Agency) {
        let id = org.id;
        for (label, section, nav) in [
            (t.applications, "applications", Nav::Applications),
            (t.letters, "letters", Nav::Letters),
            (t.registers, "registers", Nav::Registers),
            (t.reports, "reports", Nav::Reports),
        ] {
            items.push(NavItem {
                label,
                href: format!("/agencies/{id}/{section}"),
                active: active == nav,
            });
        }
    }
    if let Some(office) = current.filter(|o| o.kind == OrgKind::Office) {
        items.push(NavItem {
            label: t.office_reports,
            href: format!("/offices/{}/reports", office.id),
            active: active == Nav::OfficeReports,
        });
    }
    items
}

/// The dashboard URL of an organisation.
pub fn org_href(org: &Org) -> String {
    match org.kind {
        OrgKind::Agency => format!("/agencies/{}", org.id),
        OrgKind::Office => format!("/offices/{}", org.id),
    }
}

/// The organisations an actor holds roles in, by id, each once.
///
/// # Errors
/// Store errors.
pub async fn orgs_of(state: &AppState, actor: &Actor) -> Result<Vec<Org>, AppError> {
    let mut ids: Vec<OrgId> = actor.memberships.iter().map(|m| m.org).collect();
    ids.sort();
    ids.dedup();
    let mut orgs = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(org) = state.store.org(id).await? {
            orgs.push(org);
        }
    }
    Ok(orgs)
}

/// For a page anyone may see: the signed-in actor, if any, with the organisations of their
/// memberships (what [`Chrome::new`] takes).
///
/// # Errors
/// Store errors.
pub async fn signed_in<'a>(
    state: &AppState,
    actor: Option<&'a Actor>,
) -> Result<Option<(&'a Actor, Vec<Org>)>, AppError> {
    match actor {
        Some(a) => Ok(Some((a, orgs_of(state, a).await?))),
        None => Ok(None),
    }
}

/// Renders a page template.
///
/// # Errors
/// [`AppError::Internal`] when the template fails.
pub fn render(page: &impl Template) -> Result<Html<String>, AppError> {
    page.render().map(Html).map_err(AppError::internal)
}
