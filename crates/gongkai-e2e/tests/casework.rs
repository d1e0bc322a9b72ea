//! A clerk's day with one application, in a real Chromium: register it, ask for a correction
//! (补正) and see the reply deadline restart from the corrected request, reply with an outcome,
//! and see the dashboard change.

use fantoccini::Locator;
use gongkai_e2e::{App, Browser, Chromedriver, shots};

/// 2026-01-10 09:00 in China.
const NOW: &str = "2026-01-10T01:00:00Z";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_correct_reply_and_the_dashboard_follows() -> anyhow::Result<()> {
    let app = App::start(NOW.parse()?).await?;
    let driver = Chromedriver::start()?;
    let b = Browser::open(&driver).await?;
    b.sign_in(&app, "demo-agency").await?;
    let received_before = received_this_year(&b).await?;

    // Register an application received on Monday 5 January 2026.
    b.follow("nav a[href$='/applications']").await?;
    b.client.wait().for_element(Locator::Id("new-application")).await?;
    shots::save(&b, "applications").await?;
    b.follow("#new-application").await?;
    b.client.wait().for_element(Locator::Id("register-application")).await?;
    let form = "#register-application";
    b.fill(form, "applicant_type", "自然人").await?;
    b.fill(form, "applicant_name", "测试申请人").await?;
    b.fill(form, "contact", "13800000000").await?;
    b.fill(form, "channel", "当面").await?;
    b.fill(form, "arrived", "2026-01-05").await?;
    b.fill(form, "request", "申请公开本局2025年度教育经费使用情况").await?;
    shots::save(&b, "application-new").await?;
    b.follow("#register").await?;
    let phase = b.wait_text("#phase", |t| !t.is_empty()).await?;
    let case_url = b.client.current_url().await?.to_string();
    let id = b.text("h1").await?.unwrap_or_default();
    let id = id.split_whitespace().last().unwrap_or_default().to_owned();
    assert!(id.starts_with("YSQ-2026-"), "{id}");
    let due_before = b.wait_text("#due", |t| t.contains("2026年")).await?;
    assert!(due_before.contains("2026年2月2日"), "20 working days from 5 January: {due_before}");

    // The dashboard lists it, and counts it as received this year.
    b.client.goto(&app.url("/")).await?;
    b.client.wait().for_element(Locator::Id("open-h")).await?;
    assert!(open_ids(&b).await?.contains(&id), "the new case on the dashboard");
    assert_eq!(received_this_year(&b).await?, received_before + 1);

    // 补正: the clock stops; the corrected request restarts it, so the deadline moves later.
    b.client.goto(&case_url).await?;
    b.wait_text("#phase", |t| t == phase).await?;
    let correction = "#action-correction_requested";
    b.fill(correction, "on", "2026-01-06").await?;
    b.fill(correction, "deadline", "2026-01-20").await?;
    b.fill(correction, "items", "请写明所需信息的年度和范围").await?;
    b.follow("#do-correction_requested").await?;
    b.wait_text("#phase", |t| t != phase).await?;
    shots::save(&b, "application-correction").await?;
    b.client.wait().for_element(Locator::Id("action-corrected")).await?;
    b.fill("#action-corrected", "on", "2026-01-09").await?;
    b.follow("#do-corrected").await?;
    let due_after = b.wait_text("#due", |t| t.contains("2026年2月6日")).await?;
    assert_ne!(due_after, due_before, "the deadline restarts from 9 January");

    // Reply: the case closes with its outcome and leaves the dashboard.
    b.client.wait().for_element(Locator::Id("action-replied")).await?;
    b.fill("#action-replied", "outcome", "granted").await?;
    b.fill("#action-replied", "on", "2026-01-10").await?;
    b.follow("#do-replied").await?;
    let outcome = b.wait_text("#outcome", |t| !t.is_empty()).await?;
    assert!(outcome.contains("予以公开"), "{outcome}");
    shots::save(&b, "application-closed").await?;
    b.client.goto(&app.url("/")).await?;
    b.client.wait().for_element(Locator::Id("open-h")).await?;
    assert!(!open_ids(&b).await?.contains(&id), "a closed case is not open");
    assert_eq!(received_this_year(&b).await?, received_before + 1);

    b.close().await
}

/// The case numbers in the dashboard's list of open applications.
async fn open_ids(b: &Browser) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for cell in b.client.find_all(Locator::Css("table.cases tbody tr td:first-child")).await? {
        ids.push(cell.text().await?);
    }
    Ok(ids)
}

/// The dashboard's count of applications received this year.
async fn received_this_year(b: &Browser) -> anyhow::Result<u64> {
    let xpath = "//table[contains(@class,'counts')]//tr[th[contains(.,'收到申请')]]/td";
    let text = b.client.find(Locator::XPath(xpath)).await?.text().await?;
    Ok(text.trim().parse()?)
}
