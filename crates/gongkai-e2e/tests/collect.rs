//! 收集年报 in a real Chromium: the office's reviewer uploads three reports published elsewhere
//! in one go (a PDF and two text files), watches the upload and the background reading progress,
//! then reviews the findings — one confirmed, one dismissed with a note — and uploads a new copy
//! of the dismissed report: the finding is still dismissed.

use std::path::{Path, PathBuf};

use fantoccini::Locator;
use gongkai_e2e::{App, Browser, Chromedriver, shots};

/// 2026-01-10 09:00 in China.
const NOW: &str = "2026-01-10T01:00:00Z";

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw").join(name)
}

/// The 大张楼镇 2022 report with 7 printed as the natural persons' new applications while the
/// row's total stays 0: a Table 3 balance error.
fn unbalanced() -> anyhow::Result<String> {
    let text = std::fs::read_to_string(corpus("dazhanglou-2022.txt"))?;
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.contains("本年新收政府信息公开申请数量"))
        .ok_or_else(|| anyhow::anyhow!("the row of new applications"))?;
    lines[at + 1] = "\t\u{a0}7".to_owned();
    Ok(lines.join("\n"))
}

/// Chooses `files` in the collection form's file input and sends the form; returns when the
/// collection page shows `expected` files handled (read or failed).
async fn upload(b: &Browser, files: &[PathBuf], expected: usize) -> anyhow::Result<()> {
    // chromedriver takes canonical paths only.
    let names = files
        .iter()
        .map(|f| Ok(std::fs::canonicalize(f)?.display().to_string()))
        .collect::<anyhow::Result<Vec<String>>>()?;
    let input = b.client.find(Locator::Id("collect-files")).await?;
    // One path per line: chromedriver's way of choosing several files.
    input.send_keys(&names.join("\n")).await?;
    b.follow("#collect-submit").await?;
    // The page's own reading progress (the page refreshes itself while files are being read).
    let want = expected.to_string();
    b.wait_text("#collect-finished", |t| t == want).await?;
    let total = b.text("#collect-total").await?.unwrap_or_default();
    assert_eq!(total, want, "every file uploaded is listed");
    Ok(())
}

/// The rows of the findings of `rule` in the queue's table (an XPath).
fn row_of(rule: &str) -> String {
    format!("//tr[contains(@class,'finding')][td[4][normalize-space()='{rule}']]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_uploads_reports_and_reviews_their_findings() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;
    let dir = tempfile::tempdir()?;
    let wrong = dir.path().join("大张楼镇2022年报.txt");
    std::fs::write(&wrong, unbalanced()?)?;
    let pingtan = dir.path().join("平潭2021.txt");
    std::fs::copy(corpus("pingtan-2021.txt"), &pingtan)?;

    b.sign_in_until(&app, "demo-office", "agencies-h").await?;
    let office = b.client.current_url().await?.path().trim_end_matches('/').to_owned();
    b.client.goto(&app.url(&format!("{office}/documents"))).await?;
    b.client.wait().for_element(Locator::Id("collect-files")).await?;

    // Three files at once; the upload's own progress bar shows while they are sent.
    upload(&b, &[corpus("hongze-2024.pdf"), wrong.clone(), pingtan.clone()], 3).await?;
    let bar = b.client.find(Locator::Id("collect-bar")).await?;
    assert_eq!(bar.attr("value").await?.as_deref(), Some("3"));
    let table = b.text("table.collected").await?.unwrap_or_default();
    for name in ["hongze-2024.pdf", "大张楼镇2022年报.txt", "平潭2021.txt"] {
        assert!(table.contains(name), "{name} listed: {table}");
    }
    assert!(!table.contains("失败"), "no file failed: {table}");
    shots::save(&b, "collect").await?;

    // Confirm the balance error of the 2022 report.
    b.client.goto(&app.url(&format!("{office}/findings?year=2022"))).await?;
    let row = b.client.wait().for_element(Locator::XPath(&row_of("T3-BALANCE"))).await?;
    row.find(Locator::Css("input[value=confirm]")).await?.click().await?;
    row.find(Locator::Css("button[type=submit]")).await?.click().await?;
    b.wait_text("tr.review-confirmed", |t| t.contains("T3-BALANCE") && t.contains("已确认"))
        .await?;

    // Dismiss the doubtful reading of the 2021 report, with a note.
    b.client.goto(&app.url(&format!("{office}/findings?year=2021"))).await?;
    let row = b.client.wait().for_element(Locator::XPath(&row_of("READ-AMBIGUOUS"))).await?;
    row.find(Locator::Css("input[value=dismiss]")).await?.click().await?;
    row.find(Locator::Css("textarea")).await?.send_keys("原文表格已人工核对").await?;
    row.find(Locator::Css("button[type=submit]")).await?.click().await?;
    b.wait_text("tr.review-dismissed", |t| t.contains("原文表格已人工核对")).await?;
    shots::save(&b, "findings-reviewed").await?;

    // A new copy of the 2021 report (other bytes, the same printed values): still dismissed.
    let again = dir.path().join("平潭2021（重新上传）.txt");
    let mut bytes = std::fs::read(&pingtan)?;
    bytes.extend_from_slice("\n（重新上传）\n".as_bytes());
    std::fs::write(&again, bytes)?;
    b.client.goto(&app.url(&format!("{office}/documents"))).await?;
    b.client.wait().for_element(Locator::Id("collect-files")).await?;
    upload(&b, &[again], 4).await?;
    b.client.goto(&app.url(&format!("{office}/findings?year=2021&rule=READ-AMBIGUOUS"))).await?;
    b.client.wait().for_element(Locator::XPath(&row_of("READ-AMBIGUOUS"))).await?;
    let rows = b.client.find_all(Locator::XPath(&row_of("READ-AMBIGUOUS"))).await?;
    assert!(rows.len() >= 2, "the finding of both copies is listed");
    for row in rows {
        let class = row.attr("class").await?.unwrap_or_default();
        assert!(class.contains("review-dismissed"), "still dismissed after re-upload: {class}");
        assert!(row.text().await?.contains("原文表格已人工核对"));
    }
    b.close().await
}
