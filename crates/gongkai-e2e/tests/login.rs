//! Signing in and the dashboard, in a real Chromium.

use fantoccini::Locator;
use gongkai_e2e::{App, Browser, Chromedriver, PASSWORD, shots};

/// 2026-01-10 09:00 in China: report season (the 2025 report is due on 31 January).
const NOW: &str = "2026-01-10T01:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_signs_in_and_sees_the_dashboard() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;

    // A page that needs a login sends the browser to the login form; the public home page
    // links staff to it too.
    b.client.goto(&app.url("/applications/YSQ-2026-00001")).await?;
    b.client.wait().for_element(Locator::Css("form[action='/login']")).await?;
    b.client.goto(&app.url("/")).await?;
    b.client.wait().for_element(Locator::Id("home-heading")).await?;
    b.follow("p.portal-staff a").await?;
    b.client.wait().for_element(Locator::Css("form[action='/login']")).await?;
    shots::save(&b, "login").await?;

    // A wrong password: the form comes back with an error tied to the fields.
    sign_in(&b, "demo-agency", "wrong password").await?;
    let error = b.client.wait().for_element(Locator::Id("login-error")).await?;
    assert!(!error.text().await?.is_empty());
    let user = b.client.find(Locator::Id("username")).await?;
    assert_eq!(user.attr("aria-describedby").await?.as_deref(), Some("login-error"));

    // The right password: the dashboard of the clerk's agency.
    // (The login page has an h1 too: wait for what only the dashboard has.)
    sign_in(&b, "demo-agency", PASSWORD).await?;
    b.client.wait().for_element(Locator::Id("open-h")).await?;
    let h1 = b.client.find(Locator::Css("h1")).await?;
    assert!(h1.text().await?.starts_with("工作台"), "{}", h1.text().await?);
    b.client.find(Locator::Id("report-h")).await?;
    shots::save(&b, "dashboard").await?;

    // The English toggle turns the whole page to English and is remembered.
    b.client.goto(&app.url("/?lang=en")).await?;
    let h1 = b.client.wait().for_element(Locator::Css("h1")).await?;
    assert!(h1.text().await?.starts_with("Dashboard"), "{}", h1.text().await?);
    b.client.goto(&app.url("/")).await?;
    let html = b.client.find(Locator::Css("html")).await?;
    assert_eq!(html.attr("lang").await?.as_deref(), Some("en"));
    // The fixed texts (navigation, headings, column heads, buttons, labels) are all English;
    // only names (the agency's, the user's) may be Chinese.
    for css in ["nav a", "main h2", "th[scope=col]", "button", "label", ".legend"] {
        for element in b.client.find_all(Locator::Css(css)).await? {
            let text = element.text().await?;
            assert!(!text.chars().any(is_cjk), "untranslated {css}: {text}");
        }
    }
    shots::save(&b, "dashboard-en").await?;

    b.close().await
}

/// Fills and submits the login form on the current page.
async fn sign_in(b: &Browser, user: &str, password: &str) -> anyhow::Result<()> {
    let form = b.client.form(Locator::Css("form[action='/login']")).await?;
    form.set_by_name("username", user).await?;
    form.set_by_name("password", password).await?;
    form.submit().await?;
    Ok(())
}

/// A CJK unified ideograph (the basic block: all the fixed Chinese texts use it).
fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}
