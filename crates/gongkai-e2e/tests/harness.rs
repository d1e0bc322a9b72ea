//! The harness itself: a real Chromium renders a page and runs its script.

use fantoccini::Locator;
use gongkai_e2e::{Browser, Chromedriver};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_renders_a_page_and_reads_it_back() -> anyhow::Result<()> {
    let driver = Chromedriver::start()?;
    let browser = Browser::open(&driver).await?;
    let page = "data:text/html;charset=utf-8,<html lang=zh><h1 id=t>政府信息公开</h1>\
        <script>document.getElementById('t').dataset.ran='yes'</script></html>";
    browser.client.goto(page).await?;
    let h1 = browser.client.find(Locator::Id("t")).await?;
    assert_eq!(h1.text().await?, "政府信息公开");
    assert_eq!(h1.attr("data-ran").await?.as_deref(), Some("yes"));
    browser.close().await
}
