//! 年报汇总 in a real Chromium: the office's reviewer opens the status board from the office
//! dashboard, filters it to the agencies with nothing for the year, and downloads the filtered
//! CSV with the browser's own session.

use gongkai_e2e::{App, Browser, Chromedriver, shots};
use gongkai_server::demo;

/// 2026-01-10 09:00 in China: the 2025 reports are due on 31 January.
const NOW: &str = "2026-01-10T01:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_filters_the_board_and_downloads_it() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;

    // The office dashboard links to the board.
    b.sign_in_until(&app, "demo-office", "board").await?;
    b.follow("#board").await?;
    let shown = b.wait_text("#shown", |t| t.starts_with("显示")).await?;
    assert_eq!(shown, "显示 13个，共13个机关", "every agency of the demo county");
    let h1 = b.text("h1").await?.unwrap_or_default();
    assert_eq!(h1, format!("年报汇总 · {}", demo::OFFICE));
    let body = b.text("main").await?.unwrap_or_default();
    assert!(body.contains("2025年度政府信息公开工作年度报告"), "{body}");
    assert!(body.contains("草稿未发布") && body.contains(demo::AGENCY), "{body}");
    shots::save(&b, "office-status").await?;

    // Only the agencies with nothing for 2025: the idle township.
    b.fill("form.filters", "status", "missing").await?;
    b.follow("#filter").await?;
    b.wait_text("#shown", |t| t == "显示 1个，共13个机关").await?;
    let table = b.text("table.board").await?.unwrap_or_default();
    assert!(table.contains(demo::IDLE_AGENCY) && table.contains("未发布"), "{table}");
    assert!(!table.contains(demo::AGENCY), "{table}");

    // The CSV of the filtered board, fetched by the page itself (the browser's session).
    let href = b.href(&app, "#csv").await?;
    assert!(href.contains("status=missing"), "{href}");
    let script = "const [url, done] = arguments; \
                  fetch(url).then(r => r.text().then(t => done([r.status, t])))";
    let answer = b.client.execute_async(script, vec![serde_json::json!(href)]).await?;
    assert_eq!(answer[0], 200, "{answer}");
    let csv = answer[1].as_str().unwrap_or_default();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "a header and the idle township: {csv}");
    assert!(lines[0].starts_with("机关编号,机关,层级"), "{csv}");
    assert!(lines[1].contains(demo::IDLE_AGENCY) && lines[1].contains(",missing,"), "{csv}");
    b.close().await
}
