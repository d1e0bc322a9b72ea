//! The public portal in a real Chromium, as an anonymous visitor: the home page's search by
//! pinyin initials, the agency found, its public page (reports by year, figures, charts), and a
//! report year followed to the published report and to where its figures come from.

use gongkai_e2e::{App, Browser, Chromedriver, shots};
use gongkai_server::demo;

/// 2026-03-16 10:00 in China: the demo county's 2023 and 2024 reports are published.
const NOW: &str = "2026-03-16T02:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_searches_opens_the_agency_and_a_report() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;

    // The home page, without signing in: the search form.
    b.client.goto(&app.url("/")).await?;
    b.wait_text("#home-heading", |t| t == "政府信息公开年度报告查询").await?;
    let published = b.text("#home-published").await?.unwrap_or_default();
    assert_eq!(published, "13", "every demo agency published 2024");

    // 示范县教育局 by its pinyin initials.
    b.fill("form.portal-search", "q", "sfxjyj").await?;
    b.follow("button[data-action='search']").await?;
    b.wait_text("#search-total", |t| t == "1").await?;
    let results = b.text("table.portal-results").await?.unwrap_or_default();
    assert!(results.contains(demo::AGENCY) && results.contains("示范县"), "{results}");

    // Its public page: both years, their figures and the charts.
    b.follow("table.portal-results a[data-action^='agency-']").await?;
    b.wait_text("#agency-heading", |t| t == demo::AGENCY).await?;
    let main = b.text("main").await?.unwrap_or_default();
    for expected in ["2024年度报告", "2023年度报告", "历年主要数据", "修订记录", "信息公开专栏"]
    {
        assert!(main.contains(expected), "{expected}: {main}");
    }
    assert!(!main.contains("2025年度报告"), "the 2025 drafts are not public: {main}");
    let charts = b.client.find_all(fantoccini::Locator::Css("figure.compare-chart svg")).await?;
    assert_eq!(charts.len(), 2, "applications and outcomes");
    shots::save(&b, "public-agency").await?;

    // A report year leads to the published report.
    b.follow("a[data-action='report-2024']").await?;
    let heading =
        b.wait_text("#report-heading", |t| t.contains("2024年政府信息公开工作年度报告")).await?;
    assert_eq!(heading, format!("{}2024年政府信息公开工作年度报告", demo::AGENCY));

    // … and to where its figures come from: every Table 2 cell beside the register entries it
    // counts, all agreeing (the demo published from its registers), one cell's entries a click away.
    b.follow("#report-sources").await?;
    b.wait_text("#table2-h", |t| t.contains("表二")).await?;
    let rows =
        b.client.find_all(fantoccini::Locator::Css("table.sources-summary tbody tr")).await?;
    assert_eq!(rows.len(), 10, "every cell of Table 2");
    let differing = b
        .client
        .find_all(fantoccini::Locator::Css("table.sources-summary tr.check-differs"))
        .await?;
    assert!(differing.is_empty(), "a report published from the registers agrees with them");
    let printed = b.text("#proactive-printed").await?.unwrap_or_default();
    assert_eq!(printed, b.text("#proactive-column").await?.unwrap_or_default());
    b.click("#row-t2-licensing-decisions a").await?;
    let entries = b.text("#t2-licensing-decisions").await?.unwrap_or_default();
    assert!(entries.contains("台账编号") || entries.contains("台账中没有"), "{entries}");
    shots::save(&b, "report-sources").await?;
    b.close().await
}
