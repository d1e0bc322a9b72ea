//! The public page of a published report and its downloads: the application's layout around the
//! report in the official layout, the downloads of every format, the revision log, the notice on
//! an older version, escaping, the English toggle, the PDF, and `304 Not Modified`.

use axum::body::Body;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use gongkai_store::{Ctx, Level, NewOrg, Org, OrgKind, Publication, RegionCode};
use sha2::{Digest as _, Sha256};

use crate::support::{App, Reply, now};

/// A published report (the renderer's 2023 sample).
const REPORT: &str = include_str!("../../../gongkai-render/tests/data/sample-2023.json");

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// Publishes the sample as `agency`'s 2023 report: a first version, then a correction per reason.
async fn publish(app: &App, agency: &Org, reasons: &[&str]) {
    let store = &app.state.store;
    let first = Publication { year: 2023, report: REPORT, reason: None };
    store.publish_report(&ctx(), agency.id, &first).await.expect("published");
    for reason in reasons {
        let again = Publication { year: 2023, report: REPORT, reason: Some(reason) };
        store.publish_report(&ctx(), agency.id, &again).await.expect("corrected");
    }
}

/// The page without the report's machine-readable JSON (which carries the report's own text
/// unescaped, as JSON in a data block that is never run).
fn without_data(body: &str) -> String {
    let start = body.find("<script type=\"application/json\"").expect("the data block");
    let end = start + body[start..].find("</script>").expect("its end");
    format!("{}{}", &body[..start], &body[end..])
}

/// The inline style sheet of the page.
fn inline_sheet(body: &str) -> &str {
    let start = body.find("<style>").expect("an inline sheet") + "<style>".len();
    let end = start + body[start..].find("</style>").expect("its end");
    &body[start..end]
}

async fn get_with(app: &App, path: &str, header: (&str, &str)) -> Reply {
    let request = Request::builder().uri(path).header(header.0, header.1).body(Body::empty());
    app.send(request.expect("request")).await
}

pub async fn the_page_has_the_layout_the_downloads_and_the_log(app: &App) {
    publish(app, &app.a, &[]).await;
    let a = app.a.id.0;
    let page = app.get(&format!("/agencies/{a}/reports/2023"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    // The application's layout, without staff navigation for an anonymous visitor.
    for marker in [
        "<header class=\"top\">",
        "href=\"/assets/style.css\"",
        "<title>县教育局2023年政府信息公开工作年度报告 · ",
        "<h1 id=\"report-heading\">县教育局2023年政府信息公开工作年度报告</h1>",
        "href=\"/agencies/[a]/reports/2023?lang=en\"",
        "<span id=\"shown-version\">第1版</span>",
        "发布日期：2026年3月16日",
        "<tr class=\"current\" aria-current=\"true\"><td>第1版（当前显示）</td>",
        "首次发布",
        "<article class=\"gongkai-report\" lang=\"zh-CN\">",
        "<h1 class=\"gk-title\">示例县人民政府2023年政府信息公开工作年度报告</h1>",
    ] {
        assert!(
            body.replace(&format!("/agencies/{a}/"), "/agencies/[a]/").contains(marker),
            "{marker}\n{body}"
        );
    }
    assert!(!body.contains("主导航") && !body.contains("/logout"), "no staff navigation");
    assert!(!body.contains("id=\"older-version\""), "the latest version has no notice");
    for (key, label) in [
        ("docx", "Word（DOCX）"),
        ("pdf", "PDF"),
        ("xlsx", "Excel（XLSX）"),
        ("html", "网页（HTML）"),
        ("md", "Markdown（MD）"),
    ] {
        let link = format!(
            "<a data-action=\"download-{key}\" href=\"/api/v1/agencies/{a}/reports/2023/download?format={key}&#38;version=1\">{label}</a>"
        );
        assert!(body.contains(&link), "{link}");
    }
    // The official layout's sheet is inline, allowed by its hash alone; no style attribute.
    let sheet = inline_sheet(body);
    assert!(sheet.contains(".gongkai-report #gk-t3 col:nth-child(1){width:"));
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(sheet.as_bytes()));
    let csp = page.headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains(&format!("style-src 'self' 'sha256-{hash}';")), "{csp}");
    assert!(!csp.contains("unsafe-inline") && csp.contains("script-src 'self';"), "{csp}");
    assert!(!body.contains(" style="), "a style attribute would be refused by the CSP");

    // English: the page around the report; the report stays the published Chinese.
    let en = app.get(&format!("/agencies/{a}/reports/2023?version=1&lang=en"), "").await;
    assert_eq!(en.status, StatusCode::OK);
    for marker in [
        "<html lang=\"en\">",
        "<span id=\"shown-version\">Version 1</span>",
        "Published: 2026-03-16",
        "<h3 id=\"downloads-h\">Downloads</h3>",
        ">Word (DOCX)</a>",
        "<td>Version 1 (shown)</td>",
        "First publication",
        "in its official Chinese",
        "<article class=\"gongkai-report\" lang=\"zh-CN\">",
        "<h2>一、总体情况</h2>",
        // The toggle keeps the version.
        "reports/2023?version=1&#38;lang=zh",
    ] {
        assert!(en.body.contains(marker), "{marker}\n{}", en.body);
    }
    let (chrome, _) = en.body.split_once("<div class=\"published-report\">").expect("the report");
    assert!(
        !chrome.contains("下载") && !chrome.contains("修订记录") && !chrome.contains("版"),
        "{chrome}"
    );
}

pub async fn hostile_names_and_reasons_are_escaped(app: &App) {
    let hostile = NewOrg {
        parent: Some(app.office.id),
        kind: OrgKind::Agency,
        name: "<script>alert(\"name\")</script>局".into(),
        level: Level::County,
        region: RegionCode::parse("110101").expect("region"),
    };
    let org = app.state.store.create_org(&ctx(), &hostile).await.expect("agency");
    publish(app, &org, &["<img src=x onerror=alert(1)>更正\"理由\""]).await;
    let id = org.id.0;
    for path in
        [format!("/agencies/{id}/reports/2023"), format!("/agencies/{id}/reports/2023?version=1")]
    {
        let page = app.get(&path, "").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let text = without_data(&page.body);
        assert!(!text.contains("<script>alert") && !text.contains("<img"), "{text}");
        assert!(
            text.contains("&#60;script&#62;alert(&#34;name&#34;)&#60;/script&#62;局"),
            "{text}"
        );
        assert!(text.contains("&#60;img src=x onerror=alert(1)&#62;更正&#34;理由&#34;"), "{text}");
    }
    // The download's file name too.
    let pdf = app.get(&format!("/api/v1/agencies/{id}/reports/2023/download?format=md"), "").await;
    let disposition = pdf.headers[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.contains("filename*=UTF-8''%3Cscript%3Ealert%28%22name%22%29"),
        "{disposition}"
    );
}

pub async fn an_older_version_shows_the_notice(app: &App) {
    publish(app, &app.a, &["更正表三"]).await;
    let a = app.a.id.0;
    let old = app.get(&format!("/agencies/{a}/reports/2023?version=1"), "").await;
    assert_eq!(old.status, StatusCode::OK, "{}", old.body);
    assert!(old.body.contains("id=\"older-version\""), "{}", old.body);
    assert!(old.body.contains("最新版本为第2版。"));
    assert!(old.body.contains(&format!(
        "<a href=\"/agencies/{a}/reports/2023\" data-action=\"latest-version\">查看最新版本</a>"
    )));
    assert!(old.body.contains("<span id=\"shown-version\">第1版</span>"));
    assert!(old.body.contains("<td>第1版（当前显示）</td>"));
    assert!(
        old.body.contains(&format!("<a href=\"/agencies/{a}/reports/2023?version=2\">第2版</a>"))
    );
    assert!(
        old.body.contains("download?format=pdf&#38;version=1"),
        "the downloads are of the version shown"
    );
    let latest = app.get(&format!("/agencies/{a}/reports/2023"), "").await;
    assert!(!latest.body.contains("id=\"older-version\""));
    assert!(latest.body.contains("<td>第2版（当前显示）</td>") && latest.body.contains("更正表三"));
    assert!(
        latest
            .body
            .contains(&format!("<a href=\"/agencies/{a}/reports/2023?version=1\">第1版</a>"))
    );
    let en = app.get(&format!("/agencies/{a}/reports/2023?version=1&lang=en"), "").await;
    assert!(
        en.body.contains("The latest is Version 2.") && en.body.contains("See the latest version")
    );
    assert_eq!(
        app.get(&format!("/agencies/{a}/reports/2023?version=3"), "").await.status,
        StatusCode::NOT_FOUND
    );
}

pub async fn the_pdf_download_is_a_pdf(app: &App) {
    publish(app, &app.a, &[]).await;
    let a = app.a.id.0;
    let path = format!("/api/v1/agencies/{a}/reports/2023/download?format=pdf&version=1");
    let request = Request::builder().uri(&path).body(Body::empty()).expect("request");
    let response = {
        use http_body_util::BodyExt as _;
        use tower::ServiceExt as _;
        let response = app.router.clone().oneshot(request).await.expect("infallible");
        let (parts, body) = response.into_parts();
        (parts, body.collect().await.expect("body").to_bytes())
    };
    let (parts, bytes) = response;
    assert_eq!(parts.status, StatusCode::OK);
    assert_eq!(parts.headers[CONTENT_TYPE], "application/pdf");
    assert!(bytes.starts_with(b"%PDF-"), "{:?}", &bytes[..bytes.len().min(16)]);
    assert!(bytes.len() > 10_000, "a real document: {} bytes", bytes.len());
    let disposition = parts.headers[CONTENT_DISPOSITION].to_str().unwrap();
    // 县教育局2023年政府信息公开工作年度报告（第1版）.pdf, UTF-8 percent-encoded (RFC 5987).
    let name = "县教育局2023年政府信息公开工作年度报告（第1版）.pdf";
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"report-{a}-2023-v1.pdf\"; filename*=UTF-8''{encoded}")
    );
}

pub async fn a_published_version_is_not_modified(app: &App) {
    publish(app, &app.a, &[]).await;
    let a = app.a.id.0;
    let path = format!("/agencies/{a}/reports/2023");
    // A visitor who has the pre-login cookie already (the first answer, which sets it, is
    // never kept: see `cache`).
    let visitor = "gongkai_csrf=seed";
    let first = app.get(&path, visitor).await;
    let tag = first.headers[ETAG].to_str().unwrap().to_owned();
    assert_eq!(first.headers[CACHE_CONTROL], "no-cache");
    let again = get_with(app, &path, (IF_NONE_MATCH.as_str(), &tag)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[ETAG].to_str().unwrap(), tag);
    // Another language is another page.
    let en = get_with(app, &format!("{path}?lang=en"), (IF_NONE_MATCH.as_str(), &tag)).await;
    assert_eq!(en.status, StatusCode::OK);
    // A correction changes the latest version's page (and the old version's log).
    let old_v1 = app.get(&format!("{path}?version=1"), visitor).await.headers[ETAG].clone();
    publish_correction(app, "更正").await;
    let corrected = get_with(app, &path, (IF_NONE_MATCH.as_str(), &tag)).await;
    assert_eq!(corrected.status, StatusCode::OK);
    let v1 = app.get(&format!("{path}?version=1"), visitor).await;
    assert_ne!(v1.headers[ETAG], old_v1);
    // A signed-in visitor's page is theirs: no tag.
    let clerk = app.login("clerk-a").await;
    let own = app.get(&path, &clerk.cookies).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.headers.get(ETAG).is_none());
    assert!(own.body.contains("/logout"), "the signed-in chrome");

    // Downloads: the version's document is tagged; a repeated request costs no rendering.
    let download = format!("/api/v1/agencies/{a}/reports/2023/download?format=docx&version=1");
    let doc = app.get(&download, "").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc_tag = doc.headers[ETAG].to_str().unwrap().to_owned();
    let cached = get_with(app, &download, (IF_NONE_MATCH.as_str(), &doc_tag)).await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    let pdf =
        get_with(app, &download.replace("docx", "pdf"), (IF_NONE_MATCH.as_str(), &doc_tag)).await;
    assert_eq!(pdf.status, StatusCode::OK, "another format is another document");
}

async fn publish_correction(app: &App, reason: &str) {
    let p = Publication { year: 2023, report: REPORT, reason: Some(reason) };
    app.state.store.publish_report(&ctx(), app.a.id, &p).await.expect("corrected");
}
