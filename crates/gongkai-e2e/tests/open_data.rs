//! Open data in a real Chromium: anyone opens `/data`, chooses a year, and downloads the cells
//! of that year's published reports as CSV (fetched by the page itself from the link's `href`).

use gongkai_e2e::{App, Browser, Chromedriver, shots};
use gongkai_server::demo;

/// 2026-01-10 09:00 in China: the demo county has published its 2023 and 2024 reports.
const NOW: &str = "2026-01-10T01:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_filters_the_open_data_and_downloads_the_csv() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;

    b.client.goto(&app.url("/data")).await?;
    let h1 = b.wait_text("h1", |t| !t.is_empty()).await?;
    assert_eq!(h1, "开放数据");
    let all = b.wait_text("#matched", |t| t.starts_with("符合条件的报告")).await?;

    // One year only.
    b.fill("form.data-filters", "year", "2024").await?;
    b.follow("#apply").await?;
    let matched = b.wait_text("#matched", |t| t != all).await?;
    let n: usize = matched.trim_start_matches("符合条件的报告：").trim_end_matches('份').parse()?;
    assert!(n > 0, "{matched}");
    shots::save(&b, "open-data").await?;

    let href = b.href(&app, "#cells-csv").await?;
    assert!(href.ends_with("/api/v1/data/cells.csv?year=2024"), "{href}");
    let script = "const [url, done] = arguments; \
                  fetch(url).then(r => r.text().then(t => done([r.status, t])))";
    let answer = b.client.execute_async(script, vec![serde_json::json!(href)]).await?;
    assert_eq!(answer[0], 200, "{answer}");
    let csv = answer[1].as_str().unwrap_or_default();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("agency_id,agency,region,"), "{csv}");
    assert!(lines.len() > n, "a header and the cells of {n} reports");
    assert!(lines[1..].iter().all(|l| l.contains(",2024,")), "only 2024");
    assert!(csv.contains(demo::AGENCY), "the demo agency's cells");
    assert!(csv.contains("t3.new_received.total"));
    // The same file without the browser: an anonymous client gets the same bytes.
    let (status, body) = app.fetch(&href).await?;
    assert_eq!(status, 200);
    assert_eq!(String::from_utf8(body)?, csv);
    b.close().await
}
