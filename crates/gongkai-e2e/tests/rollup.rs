//! The office's roll-up in a real Chromium: the demo office signs in, opens the 2024 roll-up
//! (every agency of the demo county has published), follows a summed cell to its drill-down and
//! finds each agency's value, adding up to the sum.

use fantoccini::Locator;
use gongkai_e2e::{App, Browser, Chromedriver, shots};

/// 2026-03-16 10:00 in China.
const NOW: &str = "2026-03-16T02:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_follows_a_summed_cell_to_each_agencys_value() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;

    b.sign_in_until(&app, "demo-office", "agencies-h").await?;
    let office = b.client.current_url().await?;
    let office = office.path().trim_end_matches('/').to_owned();

    b.client.goto(&app.url(&format!("{office}/rollup?year=2024"))).await?;
    b.client.wait().for_element(Locator::Id("gk-t3")).await?;
    let heading = b.client.find(Locator::Id("rollup-heading")).await?.text().await?;
    assert!(heading.ends_with("2024年度报告汇总"), "{heading}");
    assert_eq!(b.client.find(Locator::Id("rollup-missing")).await?.text().await?, "0");
    assert_eq!(b.client.find(Locator::Id("rollup-unknown")).await?.text().await?, "0");
    let cell = b.client.find(Locator::Css("td[data-key='t3.new_received.total'] a")).await?;
    let sum: i64 = cell.text().await?.parse()?;
    shots::save(&b, "rollup").await?;

    cell.click().await?;
    let shown = b.client.wait().for_element(Locator::Id("rollup-sum")).await?;
    assert_eq!(shown.text().await?.parse::<i64>()?, sum);
    let mut parts = 0;
    let mut agencies = 0;
    for td in b.client.find_all(Locator::Css("table.rollup-parts tbody td.num a")).await? {
        parts += td.text().await?.parse::<i64>()?;
        let href = td.attr("href").await?.unwrap_or_default();
        assert!(href.starts_with("/agencies/") && href.ends_with("/reports/2024"), "{href}");
        agencies += 1;
    }
    assert!(agencies > 1, "every agency of the county is listed");
    assert_eq!(parts, sum);
    shots::save(&b, "rollup-drill-down").await?;

    b.close().await
}
