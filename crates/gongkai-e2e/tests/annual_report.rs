//! The annual report in a real Chromium: an approver opens the year's draft (computed from the
//! stored registers), writes the prose, checks it, publishes it; the published DOCX, downloaded
//! as anyone can, reads back with gongkai's own reader to the same cells as the published JSON.

use fantoccini::Locator;
use gongkai_e2e::{App, Browser, Chromedriver, shots};
use gongkai_model::{Layout, TableId, TableLayout};

/// 2026-01-10 09:00 in China: the 2025 report is due on 31 January.
const NOW: &str = "2026-01-10T01:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_check_publish_download_and_read_back() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;
    b.sign_in(&app, "demo-agency").await?;

    b.follow("nav a[href$='/reports']").await?;
    b.client.wait().for_element(Locator::Id("open-draft")).await?;
    b.fill("form:has(#open-draft)", "year", "2025").await?;
    b.follow("#open-draft").await?;
    b.client.wait().for_element(Locator::Id("draft-form")).await?;

    let form = "#draft-form";
    b.fill(form, "overview", "2025年，本局认真贯彻《中华人民共和国政府信息公开条例》。").await?;
    b.fill(form, "problems", "主动公开的及时性有待提高，下一步将加强审核。").await?;
    b.fill(form, "other", "本年度未收取信息处理费。").await?;
    b.follow("#check-draft").await?;
    b.client.wait().for_element(Locator::Id("findings-h")).await?;
    let overview = b.client.find(Locator::Id("overview")).await?.prop("value").await?;
    assert!(overview.is_some_and(|v| v.contains("认真贯彻")), "the prose survives the check");
    shots::save(&b, "report-draft").await?;
    if let Some(blocked) = b.text("#publish-blocked").await? {
        let findings = b.text("#findings").await?.unwrap_or_default();
        anyhow::bail!("the demo draft cannot be published: {blocked}\n{findings}");
    }

    b.follow("#publish-report").await?;
    let docx_link =
        b.client.wait().for_element(Locator::Css("a[data-action='download-docx']")).await?;
    shots::save(&b, "report-published").await?;
    let page = b.client.current_url().await?;
    let agency = page
        .path_segments()
        .and_then(|mut s| s.nth(1).map(str::to_owned))
        .ok_or_else(|| anyhow::anyhow!("no agency in {page}"))?;
    let href = docx_link.attr("href").await?.ok_or_else(|| anyhow::anyhow!("no DOCX link"))?;

    // Anyone may download it: fetched without the session.
    let (status, docx) = app.fetch(&app.url(&href)).await?;
    assert_eq!(status, 200);
    let (status, json) =
        app.fetch(&app.url(&format!("/api/v1/agencies/{agency}/reports/2025"))).await?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&json));
    let limits = gongkai_doc::Limits::default();
    let read = gongkai_pipeline::analyse_bytes("report.docx", &docx, &limits)?.report;
    let published = gongkai_pipeline::analyse_bytes("report.json", &json, &limits)?.report;
    let mut compared = 0;
    for table in [TableId::T2, TableId::T3, TableId::T4] {
        for key in TableLayout::get(table, Layout::Format2021).keys() {
            assert_eq!(read.value(key), published.value(key), "{key}");
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared} cells compared");
    b.close().await
}
