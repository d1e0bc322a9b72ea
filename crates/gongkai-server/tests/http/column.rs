//! The disclosure column (信息公开专栏), its feed and the disclosure guide: every story runs on
//! SQLite and PostgreSQL (see `main.rs`).

use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use gongkai_cases::Register;
use gongkai_cases::registers::{Category, ProactiveItem, PublishChannel, Validity};
use gongkai_store::{Ctx, ImportMode, RegisterImport, RegisterSheet};
use jiff::civil::{Date, date};

use crate::support::{App, Browser, Reply, now};

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// An item reviewed and published on `on`.
fn public(id: &str, title: &str, on: Date, subject: &str, text: &str) -> ProactiveItem {
    let created = on.checked_sub(jiff::Span::new().days(2)).expect("date");
    let item = ProactiveItem {
        subject: Some(subject.into()),
        publisher: None,
        written: Some(created),
        number: Some(format!("县教发〔{}〕{}号", on.year(), id.len())),
        validity: Some(Validity::InForce),
        text: Some(text.into()),
        ..ProactiveItem::new(id, title, Category::Art20(1), created)
    };
    item.reviewed(created, "保密审查员")
        .and_then(|i| i.publish(on, PublishChannel::Portal))
        .expect("reviewed, then published")
}

/// Agency A's 主动公开 register: three public items, one never reviewed, one reviewed and not
/// published (both with words that no public item has: 草稿, 内部).
pub async fn seed(app: &App) {
    let mut register = Register::new(app.a.name.clone());
    register.proactive = vec![
        public(
            "ZD-1",
            "2024年部门预算公开",
            date(2024, 3, 1),
            "财政预决算",
            "本部门2024年预算说明。\n第二段。",
        ),
        ProactiveItem::new(
            "ZD-9",
            "内部草稿：2025年预算调整",
            Category::Art20(1),
            date(2025, 5, 6),
        ),
        public(
            "ZD-2",
            "关于做好2025年招生工作的通知",
            date(2025, 6, 3),
            "教育",
            "各学校：做好招生工作。",
        ),
        ProactiveItem::new("ZD-8", "内部审查记录", Category::Art20(2), date(2025, 5, 6))
            .reviewed(date(2025, 5, 7), "审查员")
            .expect("reviewed"),
        public("ZD-3", "2023年部门决算公开", date(2024, 8, 1), "财政预决算", "决算说明。"),
    ];
    let import =
        RegisterImport::new(ImportMode::Replace, vec![RegisterSheet::Proactive], register, vec![]);
    app.state.store.import_register(&ctx(), app.a.id, &import).await.expect("register");
}

fn hidden_words(body: &str) {
    for word in ["内部", "草稿", "ZD-9", "ZD-8", "审查员"] {
        assert!(!body.contains(word), "`{word}` must not be public:\n{body}");
    }
}

/// Only reviewed and published items appear — in the page, an item page, the API, the feed
/// and search — and an unpublished item answers like a missing one.
pub async fn only_reviewed_and_published_items_are_public(app: &App) {
    seed(app).await;
    let a = app.a.id.0;
    let page = app.get(&format!("/agencies/{a}/column"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for title in ["2024年部门预算公开", "关于做好2025年招生工作的通知", "2023年部门决算公开"]
    {
        assert!(page.body.contains(title), "{title}");
    }
    assert!(page.body.contains("共有信息3条"));
    hidden_words(&page.body);
    for hidden in ["ZD-8", "ZD-9", "nothing"] {
        let r = app.get(&format!("/agencies/{a}/column/{hidden}"), "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{hidden}");
        let r = app.get(&format!("/agencies/{a}/column/{hidden}/attachment"), "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{hidden}");
    }
    let item = app.get(&format!("/agencies/{a}/column/ZD-1"), "").await;
    assert_eq!(item.status, StatusCode::OK);
    assert!(item.body.contains("本部门2024年预算说明。"), "{}", item.body);
    assert!(item.body.contains(&format!("GK110101{a:06}/2024-00001")), "{}", item.body);
    let api = app.get(&format!("/api/v1/agencies/{a}/column"), "").await;
    assert_eq!(api.status, StatusCode::OK);
    let json = api.json();
    assert_eq!(json["total"], 3);
    let keys: Vec<&str> =
        json["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["ZD-2", "ZD-3", "ZD-1"], "newest first");
    assert_eq!(json["items"][0]["validity"], "in_force");
    hidden_words(&api.body);
    let feed = app.get(&format!("/agencies/{a}/column.atom"), "").await;
    assert_eq!(feed.status, StatusCode::OK);
    hidden_words(&feed.body);
    for q in ["草稿", "内部", "调整"] {
        let r = app.get(&format!("/api/v1/agencies/{a}/column?q={}", enc(q)), "").await;
        assert_eq!(r.json()["total"], 0, "{q}");
    }
    // Another agency's column is its own; an office has none.
    let b = app.get(&format!("/api/v1/agencies/{}/column", app.b.id.0), "").await;
    assert_eq!(b.json()["total"], 0);
    let office = app.get(&format!("/agencies/{}/column", app.office.id.0), "").await;
    assert_eq!(office.status, StatusCode::NOT_FOUND);
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Chinese full-text search: a two-character word finds a longer title, full-width digits
/// match, the full text is searched; browsing by year and 主题分类 narrows.
pub async fn search_and_browse(app: &App) {
    seed(app).await;
    let a = app.a.id.0;
    let keys = |r: Reply| -> Vec<String> {
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["key"].as_str().unwrap().to_owned())
            .collect()
    };
    let api = |q: String| format!("/api/v1/agencies/{a}/column?{q}");
    assert_eq!(keys(app.get(&api(format!("q={}", enc("预算"))), "").await), ["ZD-1"]);
    assert_eq!(keys(app.get(&api(format!("q={}", enc("２０２３ 决算"))), "").await), ["ZD-3"]);
    assert_eq!(keys(app.get(&api(format!("q={}", enc("各学校"))), "").await), ["ZD-2"]);
    assert_eq!(keys(app.get(&api("year=2024".into()), "").await), ["ZD-3", "ZD-1"]);
    let fin = format!("category={}&year=2024", enc("财政预决算"));
    assert_eq!(keys(app.get(&api(fin), "").await), ["ZD-3", "ZD-1"]);
    assert_eq!(keys(app.get(&api(format!("category={}", enc("教育"))), "").await), ["ZD-2"]);
    assert_eq!(keys(app.get(&api("year=abc&page=x".into()), "").await).len(), 3, "ignored");
    // The page: the search box keeps the words, the facets link with counts.
    let page = app.get(&format!("/agencies/{a}/column?q={}", enc("预算")), "").await;
    assert!(page.body.contains("共有信息1条"), "{}", page.body);
    assert!(page.body.contains("value=\"预算\""));
    assert!(page.body.contains("2024年</a> <span class=\"n\">(2)</span>"), "{}", page.body);
    let en = app.get(&format!("/agencies/{a}/column?lang=en&q={}", enc("预算")), "").await;
    assert!(en.body.contains("1 items found") && en.body.contains("Disclosure column"));
    let hostile =
        app.get(&format!("/agencies/{a}/column?q={}", enc("\"<script>' OR 1=1")), "").await;
    assert_eq!(hostile.status, StatusCode::OK);
    assert!(!hostile.body.contains("<script>"));
}

/// The feed is well-formed Atom: every entry has an id, a title, an updated moment and a link.
pub async fn the_feed_is_well_formed_atom(app: &App) {
    seed(app).await;
    let a = app.a.id.0;
    let feed = app.get(&format!("/agencies/{a}/column.atom"), "").await;
    assert_eq!(
        feed.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        Some("application/atom+xml; charset=utf-8")
    );
    let (names, text) = parse_xml(&feed.body);
    assert_eq!(names.first().map(String::as_str), Some("feed"));
    for name in ["id", "title", "updated", "entry", "link", "author"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    assert_eq!(names.iter().filter(|n| *n == "entry").count(), 3);
    assert!(text.contains("urn:gongkai:agency:"));
    assert!(text.contains("2025-06-03T00:00:00+08:00"), "{text}");
    // An empty column is a valid feed too.
    let empty = app.get(&format!("/agencies/{}/column.atom", app.b.id.0), "").await;
    let (names, _) = parse_xml(&empty.body);
    assert_eq!(names.iter().filter(|n| *n == "entry").count(), 0);
}

/// Every element's local name (in order) and all the text, or a panic on malformed XML.
pub fn parse_xml(xml: &str) -> (Vec<String>, String) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut names, mut text, mut depth) = (Vec::new(), String::new(), 0i32);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                names.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
            }
            Ok(Event::Empty(e)) => {
                names.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => text.push_str(&String::from_utf8_lossy(t.as_ref())),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed XML at {}: {e}\n{xml}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unbalanced XML");
    (names, text)
}

/// The guide shows what the agency's staff saved through the signed-in form (with its CSRF
/// token), refuses bad values at their fields, and lists the ways to apply.
pub async fn the_guide_shows_what_the_agency_saved(app: &App) {
    let a = app.a.id.0;
    let before = app.get(&format!("/agencies/{a}/guide"), "").await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("（未提供）"));
    assert!(before.body.contains("传真"), "the ways to apply");
    let clerk = app.login("clerk-a").await;
    let edit = app.get(&format!("/agencies/{a}/guide/edit"), &clerk.cookies).await;
    assert_eq!(edit.status, StatusCode::OK);
    let csrf = edit.csrf().expect("csrf");
    let form = |extra: &str| {
        format!(
            "csrf={csrf}&code=11330100002493123x&office=%E5%8A%9E%E5%85%AC%E5%AE%A4&address=%E5%8E%BF%E5%BA%9C%E8%B7%AF1%E5%8F%B7&hours=9%3A00-17%3A00&phone=0571-1234567&fax=0571-7654321&email=gk%40example.gov.cn{extra}"
        )
    };
    let bad = app
        .post_form(
            &format!("/agencies/{a}/guide/edit"),
            &clerk.cookies,
            &form("&website=javascript%3Aalert(1)"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("aria-invalid=\"true\" aria-describedby=\"e-website\""),
        "{}",
        bad.body
    );
    let forged = app
        .post_form(
            &format!("/agencies/{a}/guide/edit"),
            &clerk.cookies,
            &form("").replace(&csrf, &"0".repeat(64)),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let ok = app
        .post_form(
            &format!("/agencies/{a}/guide/edit"),
            &clerk.cookies,
            &form("&website=https%3A%2F%2Fexample.gov.cn"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = app.get(&format!("/agencies/{a}/guide"), "").await;
    for shown in [
        "县府路1号",
        "0571-1234567",
        "0571-7654321",
        "mailto:gk@example.gov.cn",
        "https://example.gov.cn",
        "11330100002493123X/2025-00001",
    ] {
        assert!(after.body.contains(shown), "{shown}:\n{}", after.body);
    }
    assert!(!after.body.contains("guide-edit"), "no edit link for the public");
    // The code is the 索引号 prefix.
    seed(app).await;
    let item = app.get(&format!("/agencies/{a}/column/ZD-1"), "").await;
    assert!(item.body.contains("11330100002493123X/2024-00001"));
    // Another agency's staff cannot edit it.
    let other = app.login("clerk-b").await;
    let r = app.get(&format!("/agencies/{a}/guide/edit"), &other.cookies).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// A multipart upload with the CSRF token in the query.
async fn upload(app: &App, browser: &Browser, item: &str, name: &str, bytes: &[u8]) -> Reply {
    let boundary = "XBOUNDARYX";
    let mut body = Vec::new();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\n{item}\r\n")
            .bytes(),
    );
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!(
            "/agencies/{}/registers/proactive/attachments?csrf={}",
            app.a.id.0, browser.csrf
        ))
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(COOKIE, &browser.cookies)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// An attachment uploaded by the agency is downloaded by anyone while its item is public, with
/// its type and a safe file name; formats a browser would run are refused.
pub async fn attachments_are_uploaded_and_downloaded(app: &App) {
    seed(app).await;
    let a = app.a.id.0;
    let clerk = app.login("clerk-a").await;
    let list =
        app.get(&format!("/agencies/{a}/registers/proactive/attachments"), &clerk.cookies).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("内部审查记录"), "staff see every item");
    let pdf = b"%PDF-1.4\n% the budget\n";
    let r = upload(app, &clerk, "ZD-1", "2024年 预算表.pdf", pdf).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = upload(app, &clerk, "ZD-9", "草稿.pdf", b"%PDF secret").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "an unpublished item may have one");
    let html = upload(app, &clerk, "ZD-1", "page.html", b"<script>alert(1)</script>").await;
    assert_eq!(html.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.body.contains("不支持的附件格式"));
    let missing = upload(app, &clerk, "ZD-404", "x.pdf", pdf).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);

    let d = app.get(&format!("/agencies/{a}/column/ZD-1/attachment"), "").await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body.as_bytes(), pdf);
    assert_eq!(d.headers.get(CONTENT_TYPE).unwrap(), "application/pdf");
    let disposition = d.headers.get(CONTENT_DISPOSITION).unwrap().to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"attachment.pdf\"; filename*=UTF-8''"),
        "{disposition}"
    );
    assert!(
        disposition.ends_with("2024%E5%B9%B4%20%E9%A2%84%E7%AE%97%E8%A1%A8.pdf"),
        "{disposition}"
    );
    let item = app.get(&format!("/agencies/{a}/column/ZD-1"), "").await;
    assert!(item.body.contains("/column/ZD-1/attachment"));
    let hidden = app.get(&format!("/agencies/{a}/column/ZD-9/attachment"), "").await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    // Without a session the upload is refused.
    let anon = Browser { cookies: String::new(), csrf: clerk.csrf.clone() };
    let r = upload(app, &anon, "ZD-1", "x.pdf", pdf).await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::SEE_OTHER), "{}", r.status);
}

/// The column filtered by a published year puts its count beside the figure of section 一 of
/// that year's report: the same items, counted alike.
pub async fn a_published_year_traces_to_the_column(app: &App) {
    let approver = crate::reports::with_register(app).await;
    let a = app.a.id.0;
    let form = format!("csrf={}&year=2024", approver.csrf);
    let r =
        app.post_form(&format!("/agencies/{a}/reports/publish"), &approver.cookies, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let report = app.get(&format!("/agencies/{a}/reports/2024"), "").await;
    assert!(
        report
            .body
            .contains(&format!("id=\"column-year\" href=\"/agencies/{a}/column?year=2024\"")),
        "the report links to its year's items"
    );
    let page = app.get(&format!("/agencies/{a}/column?year=2024"), "").await;
    let figure = |id: &str| -> u64 {
        let marker = format!("id=\"{id}\">");
        let start =
            page.body.find(&marker).unwrap_or_else(|| panic!("{id}: {}", page.body)) + marker.len();
        page.body[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    let column = figure("trace-column");
    assert!(column > 0);
    assert_eq!(column, figure("trace-report"));
    assert!(page.body.contains(&format!("/agencies/{a}/reports/2024")));
    let unpublished = app.get(&format!("/agencies/{a}/column?year=2025"), "").await;
    assert!(unpublished.body.contains("该年度报告尚未发布"));
}

/// The proactive form takes the catalogue's fields; a reviewed and published item shows them
/// in the column at once, an unreviewed one does not; the export carries them back.
pub async fn the_form_fills_the_catalogue(app: &App) {
    let a = app.a.id.0;
    let clerk = app.login("clerk-a").await;
    let form = app.get(&format!("/agencies/{a}/registers/proactive/new"), &clerk.cookies).await;
    for name in ["subject", "publisher", "written", "number", "validity"] {
        assert!(form.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    assert!(
        form.body.contains("<textarea id=\"f-text\" name=\"text\""),
        "the full text is a text area"
    );
    let body = |fields: Vec<(&str, &str)>| {
        let mut body = format!("csrf={}", clerk.csrf);
        for (k, v) in fields {
            body.push_str(&format!("&{k}={}", enc(v)));
        }
        body
    };
    let path = format!("/agencies/{a}/registers/proactive");
    let post =
        async |fields: Vec<(&str, &str)>| app.post_form(&path, &clerk.cookies, &body(fields)).await;
    let item = vec![
        ("id", "ZD-F1"),
        ("title", "2026年部门预算公开"),
        ("category", "第二十条第（四）项"),
        ("created", "2026-03-02"),
        ("reviewed", "2026-03-03"),
        ("reviewer", "王主任"),
        ("published", "2026-03-05"),
        ("channels", "政府门户网站"),
        ("subject", "财政预决算"),
        ("publisher", "县财政局、县教育局"),
        ("written", "2026-03-01"),
        ("number", "县教发〔2026〕3号"),
        ("validity", "有效"),
        ("text", "第一段，全文。\r\n第二段。"),
    ];
    let r = post(item).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let bad_validity = post(vec![
        ("id", "ZD-F2"),
        ("title", "x"),
        ("category", "第二十一条"),
        ("created", "2026-03-02"),
        ("validity", "永久"),
    ])
    .await;
    assert_eq!(bad_validity.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_validity.body.contains("aria-describedby=\"e-validity\""), "{}", bad_validity.body);
    let unreviewed = post(vec![
        ("id", "ZD-F3"),
        ("title", "内部草稿"),
        ("category", "第二十一条"),
        ("created", "2026-03-02"),
        ("text", "草稿"),
    ])
    .await;
    assert_eq!(unreviewed.status, StatusCode::SEE_OTHER);

    let page = app.get(&format!("/agencies/{a}/column/ZD-F1"), "").await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "县财政局、县教育局",
        "2026年3月1日",
        "2026年3月5日",
        "县教发〔2026〕3号",
        "有效",
        "<p>第一段，全文。</p>",
        "<p>第二段。</p>",
        "财政预决算",
    ] {
        assert!(page.body.contains(shown), "{shown}:\n{}", page.body);
    }
    let column = app.get(&format!("/api/v1/agencies/{a}/column"), "").await;
    assert_eq!(column.json()["total"], 1);
    hidden_words(&column.body);
    let export = app
        .get(&format!("/agencies/{a}/registers/export.csv?sheet=proactive"), &clerk.cookies)
        .await;
    for col in [
        "主题分类",
        "发布机构",
        "成文日期",
        "文号",
        "时效",
        "正文",
        "县教发〔2026〕3号",
        "第一段，全文。",
    ] {
        assert!(export.body.contains(col), "{col}:\n{}", export.body);
    }
}
