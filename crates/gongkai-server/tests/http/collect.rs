//! Collecting reports published elsewhere: uploads of many files and zips through the API and
//! the form, background reading (surviving a restart), matching by the agency name read,
//! confirmation, the document page, access control, and the dev corpus read exactly as
//! `gongkai check --format json` reads it. Run on both backends by `main.rs`.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use gongkai_doc::Limits;
use gongkai_model::Lang;
use gongkai_pipeline::CheckResult;
use gongkai_server::AppState;
use gongkai_store::{
    Ctx, DocumentId, JobStatus, Level, MatchedBy, NewOrg, NewRead, NewUser, Org, OrgId, OrgKind,
    RegionCode, Role, Upload,
};
use serde_json::{Value, json};

use crate::support::{App, PASSWORD, Reply, now};

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// A file of the dev corpus.
pub fn corpus(name: &str) -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file of the dev corpus, by name.
fn whole_corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the dev corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "the dev corpus is there");
    names.into_iter().map(|n| (n.clone(), corpus(&n))).collect()
}

/// A zip archive of `entries` (deflated).
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).expect("entry");
            w.write_all(bytes).expect("write");
        }
        w.finish().expect("finish");
    }
    out.into_inner()
}

/// The multipart boundary of [`multipart`].
pub const BOUNDARY: &str = "gongkai-test-boundary-7d1f";

/// A `multipart/form-data` body (boundary [`BOUNDARY`]) with one part named `file` per file.
pub fn multipart(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The county of the tests with what collecting needs: an office reviewer, agencies named as
/// the corpus's reports name themselves, two sub-offices each with an agency of the same name
/// (an ambiguous name) and a reviewer of one of them, and a reviewer of another county.
struct World {
    reviewer: String,
    east_reviewer: String,
    other_reviewer: String,
    east: Org,
    dazhanglou: Org,
    hongze: Org,
    pingtan: [Org; 2],
}

pub async fn user(app: &App, name: &str, org: OrgId, role: Role) -> String {
    let store = &app.state.store;
    let new =
        NewUser { username: name.into(), display_name: name.into(), password: PASSWORD.into() };
    let u = store.create_user(&ctx(), &new).await.expect("user");
    store.grant(&ctx(), u.id, org, role).await.expect("grant");
    let login =
        app.post_json("/api/v1/login", &json!({"username": name, "password": PASSWORD})).await;
    login.json()["token"].as_str().expect("token").to_owned()
}

async fn world(app: &App) -> World {
    let store = &app.state.store;
    let region = RegionCode::parse("110101").expect("region");
    let org = |parent: Option<OrgId>, kind, name: &str| NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: region.clone(),
    };
    let make = |new: NewOrg| async move { store.create_org(&ctx(), &new).await.expect("org") };
    let office = app.office.id;
    let dazhanglou = make(org(Some(office), OrgKind::Agency, "大张楼镇")).await;
    let hongze = make(org(Some(office), OrgKind::Agency, "洪泽区人民政府")).await;
    let east = make(org(Some(office), OrgKind::Office, "东片政务公开办")).await;
    let west = make(org(Some(office), OrgKind::Office, "西片政务公开办")).await;
    let p1 = make(org(Some(east.id), OrgKind::Agency, "平潭综合实验区")).await;
    let p2 = make(org(Some(west.id), OrgKind::Agency, "平潭综合实验区")).await;
    let elsewhere = make(org(None, OrgKind::Office, "邻县政务公开办")).await;
    World {
        reviewer: user(app, "reviewer", office, Role::OfficeReviewer).await,
        east_reviewer: user(app, "east-reviewer", east.id, Role::OfficeReviewer).await,
        other_reviewer: user(app, "other-reviewer", elsewhere.id, Role::OfficeReviewer).await,
        east,
        dazhanglou,
        hongze,
        pingtan: [p1, p2],
    }
}

fn upload_request(path: &str, token: &str, files: &[(&str, &[u8])]) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(multipart(files)))
        .expect("request")
}

pub fn get_bearer(path: &str, token: &str) -> Request<Body> {
    Request::builder()
        .uri(path)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request")
}

/// Waits until no job is queued or running (this test's own server read them).
pub async fn wait_idle(store: &gongkai_store::Store) {
    for _ in 0..600 {
        if store.pending_reads().await.expect("pending") == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the reads did not finish in two minutes");
}

/// Uploads through the API and returns every file's result, following the job when the answer
/// is `202` (a slow machine).
pub async fn upload(app: &App, token: &str, files: &[(&str, &[u8])]) -> Vec<Value> {
    let path = format!("/api/v1/offices/{}/documents", app.office.id);
    let r = app.send(upload_request(&path, token, files)).await;
    results(app, token, r).await
}

async fn results(app: &App, token: &str, r: Reply) -> Vec<Value> {
    match r.status {
        StatusCode::OK => r.json().as_array().expect("a list").clone(),
        StatusCode::ACCEPTED => {
            let href = r.json()["href"].as_str().expect("href").to_owned();
            for _ in 0..600 {
                let r = app.send(get_bearer(&href, token)).await;
                if r.status == StatusCode::OK {
                    return r.json().as_array().expect("a list").clone();
                }
                assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            panic!("the job was not read in two minutes");
        }
        other => panic!("upload answered {other}: {}", r.body),
    }
}

fn by_file<'a>(results: &'a [Value], file: &str) -> &'a Value {
    results.iter().find(|r| r["file"] == file).unwrap_or_else(|| panic!("{file} in {results:?}"))
}

/// Several files in one upload: each stored, read and matched — exactly or after normalising —
/// with its findings; the collection page lists them; the document page shows the cells with
/// where they were printed and the source downloads.
pub async fn many_files_are_read_and_matched(app: &App) {
    let w = world(app).await;
    let txt = corpus("dazhanglou-2022.txt");
    let pdf = corpus("hongze-2024.pdf");
    let results =
        upload(app, &w.reviewer, &[("dazhanglou-2022.txt", &txt), ("hongze-2024.pdf", &pdf)]).await;
    assert_eq!(results.len(), 2);
    let d = by_file(&results, "dazhanglou-2022.txt");
    assert_eq!(d["status"], "done", "{d}");
    assert_eq!(d["agency_id"], w.dazhanglou.id.0);
    assert_eq!(d["matched_by"], "exact");
    assert_eq!(d["year"], 2022);
    let h = by_file(&results, "hongze-2024.pdf");
    assert_eq!((&h["status"], &h["matched_by"]), (&json!("done"), &json!("normalised")), "{h}");
    assert_eq!(h["agency_id"], w.hongze.id.0);
    assert!(h["findings"].as_array().is_some_and(|f| !f.is_empty()));

    // The collected reports count for their agencies, by year.
    let store = &app.state.store;
    let got = store.collected_reports(app.office.id, 2024).await.expect("collected");
    assert_eq!(got.iter().map(|s| s.agency).collect::<Vec<_>>(), [w.hongze.id]);
    // On the status board the agency's report is "collected", with its findings counted …
    let office = app.office.id;
    let board = app
        .send(get_bearer(&format!("/api/v1/offices/{office}/status?year=2024"), &w.reviewer))
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let rows = board.json();
    let row = rows
        .as_array()
        .and_then(|r| r.iter().find(|r| r["agency_id"] == w.hongze.id.0))
        .expect("the agency on the board")
        .clone();
    assert_eq!(row["status"], "collected", "{row}");
    assert_eq!(
        row["errors"].as_u64().zip(row["warnings"].as_u64()).map(|(e, w)| e + w),
        h["findings"]
            .as_array()
            .map(|f| f.iter().filter(|f| f["severity"] != "info").count() as u64),
        "{row} {h}"
    );
    // … and the roll-up sums it, its drill-down leading to the document.
    let rollup = app
        .send(get_bearer(&format!("/api/v1/offices/{office}/rollup?year=2024"), &w.reviewer))
        .await;
    assert_eq!(rollup.status, StatusCode::OK, "{}", rollup.body);
    let included = rollup.json()["included"].clone();
    assert!(
        included.as_array().is_some_and(|a| a.iter().any(|a| a["agency_id"] == w.hongze.id.0)),
        "{included}"
    );
    let browser = app.login("reviewer").await;
    let drill = app
        .get(&format!("/offices/{office}/rollup/t3.new_received.total?year=2024"), &browser.cookies)
        .await;
    assert_eq!(drill.status, StatusCode::OK, "{}", drill.body);
    assert!(drill.body.contains(&format!("/documents/{}", h["document_id"])), "{}", drill.body);

    // The page, as a browser sees it.
    let page = app.get(&format!("/offices/{}/documents", app.office.id), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("dazhanglou-2022.txt") && page.body.contains("名称一致"));
    assert!(page.body.contains("规范化后一致"));
    assert!(!page.body.contains("http-equiv=\"refresh\""), "nothing pending: no refresh");
    let en =
        app.get(&format!("/offices/{}/documents?lang=en", app.office.id), &browser.cookies).await;
    assert!(en.body.contains("Same name once normalised") && en.body.contains("Upload reports"));

    let doc = h["document_id"].as_i64().expect("a document");
    let page = app.get(&format!("/documents/{doc}"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("表3"), "the official layout");
    // A value cell of the PDF opens to its page and box.
    let cell = page.body.find("<details id=\"cell-t3.").expect("a value cell");
    let origin = &page.body[cell..cell + page.body[cell..].find("</details>").expect("closed")];
    assert!(origin.contains("第") && origin.contains("页"), "{origin}");
    let source = app.get(&format!("/documents/{doc}/source"), &browser.cookies).await;
    assert_eq!(source.status, StatusCode::OK);
    assert!(source.body.starts_with("%PDF"), "the bytes as uploaded");
    let json = app.send(get_bearer(&format!("/api/v1/documents/{doc}"), &w.reviewer)).await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.json()["format"], "gongkai-report");
    let t =
        app.send(get_bearer(&format!("/api/v1/documents/{}", d["document_id"]), &w.reviewer)).await;
    let at = &t.json()["tables"]["t3"]["cells"];
    assert!(
        at.as_object().is_some_and(|c| c.values().any(|v| v["at"]["line"].is_u64())),
        "text cells carry their line: {at}"
    );

    // The form upload: many files in one form, back to the page.
    let form = multipart(&[("pingtan-2021.txt", &corpus("pingtan-2021.txt"))]);
    let r = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri(format!("/offices/{}/documents?csrf={}", app.office.id, browser.csrf))
                .header(COOKIE, &browser.cookies)
                .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
                .body(Body::from(form))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let jobs = store.read_jobs(app.office.id, 10).await.expect("jobs");
    assert_eq!(jobs[0].file_name, "pingtan-2021.txt");
}

/// A zip with a damaged report and a zip inside: the others are read, the bad ones fail with a
/// reason, in Chinese and in English.
/// The 大张楼镇 2022 report as its 2023 report, `carried` printed as the first cell of the
/// carried-over applications (上年结转).
fn next_year(carried: u32) -> Vec<u8> {
    let text =
        String::from_utf8(corpus("dazhanglou-2022.txt")).expect("UTF-8").replace("2022", "2023");
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let at = lines.iter().position(|l| l.contains("上年结转政府信息公开申请数量")).expect("row");
    lines[at + 1] = format!("\t\u{a0}{carried}");
    lines.join("\n").into_bytes()
}

/// The cross-year rules run on collected reports too: a collected 2023 report against the
/// collected 2022 one (X-CARRY fails when the carried-over figure is not the one carried
/// forward), and a report published in gongkai against a collected one of the year before.
pub async fn collected_reports_are_checked_across_years(app: &App) {
    let w = world(app).await;
    let office = app.office.id;
    let status = |year: i32| {
        let path = format!("/api/v1/offices/{office}/status?year={year}");
        let token = w.reviewer.clone();
        async move {
            let r = app.send(get_bearer(&path, &token)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let rows = r.json();
            rows.as_array()
                .and_then(|r| r.iter().find(|r| r["agency_id"] == w.dazhanglou.id.0))
                .expect("大张楼镇 on the board")
                .clone()
        }
    };
    let txt = corpus("dazhanglou-2022.txt");
    let wrong = next_year(3);
    let results =
        upload(app, &w.reviewer, &[("dazhanglou-2022.txt", &txt), ("dazhanglou-2023.txt", &wrong)])
            .await;
    assert!(results.iter().all(|r| r["agency_id"] == w.dazhanglou.id.0), "{results:?}");
    let first = status(2022).await;
    assert_eq!(
        (&first["status"], &first["cross_year"]),
        (&json!("collected"), &json!("no_previous_year"))
    );
    let second = status(2023).await;
    assert_eq!(
        (&second["status"], &second["cross_year"]),
        (&json!("collected"), &json!("failing")),
        "{second}"
    );
    assert!(
        second["cross_year_rules"].as_array().is_some_and(|r| r.contains(&json!("X-CARRY"))),
        "{second}"
    );

    // A corrected copy read later is the agency's 2023 report: X-CARRY holds.
    let right = next_year(0);
    upload(app, &w.reviewer, &[("dazhanglou-2023-corrected.txt", &right)]).await;
    let third = status(2023).await;
    let rules = third["cross_year_rules"].as_array().cloned().unwrap_or_default();
    assert!(!rules.contains(&json!("X-CARRY")), "{third}");
    assert_ne!(third["cross_year"], "no_previous_year", "{third}");
}

pub async fn a_bad_file_in_a_zip_blocks_nothing(app: &App) {
    let w = world(app).await;
    let inner = zip_of(&[("x.txt", b"x")]);
    let zip = zip_of(&[
        ("reports/dazhanglou-2022.txt", &corpus("dazhanglou-2022.txt")),
        ("reports/bad.pdf", b"%PDF-1.7\nthis is not a PDF"),
        ("reports/inner.zip", &inner),
        ("reports/shuyang-2025-ocr.txt", &corpus("shuyang-2025-ocr.txt")),
    ]);
    let results = upload(app, &w.reviewer, &[("年报.zip", &zip)]).await;
    let files: Vec<&str> = results.iter().map(|r| r["file"].as_str().expect("file")).collect();
    assert_eq!(
        files,
        [
            "年报.zip/reports/dazhanglou-2022.txt",
            "年报.zip/reports/bad.pdf",
            "年报.zip/reports/inner.zip",
            "年报.zip/reports/shuyang-2025-ocr.txt"
        ]
    );
    let status: Vec<&str> = results.iter().map(|r| r["status"].as_str().expect("status")).collect();
    assert_eq!(status, ["done", "failed", "failed", "done"]);
    assert!(results[1]["reason"].as_str().is_some_and(|r| !r.is_empty()), "{}", results[1]);
    assert_eq!(results[2]["document_id"], Value::Null, "a zip inside is not even stored");
    assert_eq!(results[0]["agency_id"], w.dazhanglou.id.0);
    // 沐阳县人民政府 is no agency of this office: read, not matched.
    assert_eq!(
        (&results[3]["agency_id"], &results[3]["matched_by"]),
        (&Value::Null, &json!("none"))
    );
    let browser = app.login("reviewer").await;
    let page =
        app.get(&format!("/offices/{}/documents?lang=en", app.office.id), &browser.cookies).await;
    assert!(page.body.contains("a zip inside the zip is not expanded"), "{}", page.body);
}

/// A name that two agencies of the subtree share is proposed, never joined; a reviewer's choice
/// confirms it and then it counts for that agency.
pub async fn an_ambiguous_name_is_proposed_then_confirmed(app: &App) {
    let w = world(app).await;
    let results =
        upload(app, &w.reviewer, &[("pingtan-2021.html", &corpus("pingtan-2021.html"))]).await;
    let r = &results[0];
    assert_eq!((&r["status"], &r["matched_by"]), (&json!("done"), &json!("proposed")), "{r}");
    assert_eq!(r["agency_id"], Value::Null, "not joined");
    let mut candidates: Vec<i64> =
        r["candidates"].as_array().expect("candidates").iter().filter_map(Value::as_i64).collect();
    candidates.sort_unstable();
    assert_eq!(candidates, [w.pingtan[0].id.0, w.pingtan[1].id.0]);
    let store = &app.state.store;
    assert!(store.collected_reports(app.office.id, 2021).await.expect("collected").is_empty());

    let doc = r["document_id"].as_i64().expect("document");
    let browser = app.login("reviewer").await;
    let page = app.get(&format!("/offices/{}/documents", app.office.id), &browser.cookies).await;
    assert!(page.body.contains("待确认") && page.body.contains("候选机关"));
    let action = format!("/offices/{}/documents/{doc}/agency", app.office.id);
    assert!(page.body.contains(&action));
    // Without the token: refused. With it: confirmed.
    let r = app.post_form(&action, &browser.cookies, &format!("agency={}", w.pingtan[1].id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let form = format!("csrf={}&agency={}", browser.csrf, w.pingtan[1].id);
    let r = app.post_form(&action, &browser.cookies, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let read = store.collected_report(DocumentId(doc)).await.expect("read").expect("some");
    assert_eq!((read.agency, read.matched_by), (Some(w.pingtan[1].id), MatchedBy::Confirmed));
    let got = store.collected_reports(app.office.id, 2021).await.expect("collected");
    assert_eq!(got.iter().map(|s| s.agency).collect::<Vec<_>>(), [w.pingtan[1].id]);
    // An agency outside the subtree cannot be chosen.
    let form = format!("csrf={}&agency={}", browser.csrf, app.office.id);
    let r = app.post_form(&action, &browser.cookies, &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

/// A job a stopped server left running is read by the next server on the same store.
pub async fn a_restart_resumes_the_jobs(app: &App) {
    let w = world(app).await;
    let store = &app.state.store;
    let bytes = corpus("dazhanglou-2022.txt");
    let up = Upload::new(&bytes, "txt", "dazhanglou-2022.txt");
    let doc = store.upload_document(&ctx(), app.office.id, &up, 1 << 24).await.expect("upload");
    let file = NewRead { file_name: "dazhanglou-2022.txt".into(), document: Ok(doc.document.id) };
    let (batch, jobs) = store.queue_reads(&ctx(), app.office.id, &[file]).await.expect("queue");
    // A worker claims it… and its server stops before finishing. (This test's own server may
    // take a freshly queued job first: then queue the file again.)
    let mut queued = (batch, jobs);
    let claimed = loop {
        match store.claim_read_job(now()).await.expect("claim") {
            Some(job) if job.id == queued.1[0].id => break job,
            Some(other) => panic!("unexpected job {other:?}"),
            None => {
                crate::collect::wait_idle(store).await;
                let again =
                    NewRead { file_name: "again.txt".into(), document: Ok(doc.document.id) };
                queued = store.queue_reads(&ctx(), app.office.id, &[again]).await.expect("queue");
            }
        }
    };
    let (batch, jobs) = queued;
    assert_eq!(claimed.status, JobStatus::Running);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let still = store.read_job(jobs[0].id).await.expect("job").expect("some");
    assert_eq!(still.status, JobStatus::Running, "no one reads a running job");
    // The next server on the same store.
    let state = AppState::new(store.clone(), gongkai_server::Config::default())
        .with_clock(gongkai_server::Clock::Fixed(now()));
    let _router = gongkai_server::router(state);
    let path = format!("/api/v1/jobs/{batch}");
    let r = app.send(get_bearer(&path, &w.reviewer)).await;
    let results = results(app, &w.reviewer, r).await;
    assert_eq!(results[0]["status"], "done", "{results:?}");
    assert_eq!(results[0]["agency_id"], w.dazhanglou.id.0);
    let job = store.read_job(jobs[0].id).await.expect("job").expect("some");
    assert_eq!(job.attempts, 2, "claimed again after the restart");
}

/// Only office reviewers of the office or of an office above collect; everyone else gets the
/// answer of an office, a job or a document that does not exist.
pub async fn only_the_office_and_those_above_collect(app: &App) {
    let w = world(app).await;
    let txt = corpus("dazhanglou-2022.txt");
    let path = format!("/api/v1/offices/{}/documents", app.office.id);
    // The county's reviewer, above the east office, collects for it (its agency is matched).
    let east = format!("/api/v1/offices/{}/documents", w.east.id);
    let r = app
        .send(upload_request(
            &east,
            &w.reviewer,
            &[("pingtan-2021.txt", &corpus("pingtan-2021.txt"))],
        ))
        .await;
    let results = results(app, &w.reviewer, r).await;
    assert_eq!(
        (&results[0]["status"], &results[0]["agency_id"]),
        (&json!("done"), &json!(w.pingtan[0].id.0))
    );
    // The east office's reviewer reaches nothing above it.
    let r = app.send(upload_request(&path, &w.east_reviewer, &[("a.txt", &txt)])).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let results = upload(app, &w.reviewer, &[("dazhanglou-2022.txt", &txt)]).await;
    assert_eq!(results[0]["status"], "done");
    let doc = results[0]["document_id"].as_i64().expect("document");
    let clerk = app.login("clerk-a").await;
    let clerk_token = user(app, "clerk-token", app.a.id, Role::Clerk).await;
    for token in [&w.other_reviewer, &clerk_token] {
        let r = app.send(upload_request(&path, token, &[("a.txt", &txt)])).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app.send(get_bearer(&format!("/api/v1/documents/{doc}"), token)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app.send(get_bearer("/api/v1/jobs/1", token)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    for p in [format!("/documents/{doc}"), format!("/documents/{doc}/source")] {
        let r = app.get(&p, &clerk.cookies).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
    let r = app.send(upload_request(&path, "", &[("a.txt", &txt)])).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let missing = format!("/api/v1/offices/{}/documents", 987_654);
    let r = app.send(upload_request(&missing, &w.reviewer, &[("a.txt", &txt)])).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // No file: an error naming the field.
    let r = app.send(upload_request(&path, &w.reviewer, &[])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

/// Every report of the dev corpus uploaded through the API is read to the same cells and the
/// same findings as the shared pipeline gives `gongkai check --format json` for the same bytes.
pub async fn the_dev_corpus_reads_as_check_does(app: &App) {
    let w = world(app).await;
    let corpus = whole_corpus();
    let files: Vec<(&str, &[u8])> =
        corpus.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let results = upload(app, &w.reviewer, &files).await;
    assert_eq!(results.len(), corpus.len());
    for (name, bytes) in &corpus {
        let r = by_file(&results, name);
        let expected = match gongkai_pipeline::analyse_bytes(name, bytes, &Limits::default()) {
            Ok(a) => CheckResult::full(name.clone(), &a, Lang::Zh),
            Err(_) => {
                assert_eq!(r["status"], "failed", "{name}: unreadable for check too");
                continue;
            }
        };
        assert_eq!(r["status"], "done", "{name}: {r}");
        assert_eq!(
            r["findings"],
            serde_json::to_value(&expected.findings).expect("json"),
            "{name}: the findings of check --format json"
        );
        assert_eq!(r["year"], json!(expected.year), "{name}");
        let doc = r["document_id"].as_i64().expect("document");
        let read = app.send(get_bearer(&format!("/api/v1/documents/{doc}"), &w.reviewer)).await;
        assert_eq!(read.status, StatusCode::OK, "{name}");
        let report = expected.report.as_ref().expect("a report");
        assert_eq!(
            read.json()["tables"],
            serde_json::to_value(&report.tables).expect("json"),
            "{name}: the cells, with their origins"
        );
        assert_eq!(
            read.json()["meta"],
            serde_json::to_value(&report.meta).expect("json"),
            "{name}"
        );
    }
}

/// The collection page and a document's page (in English) after an upload, for snapshots.
pub async fn pages_after_an_upload(app: &App) -> (String, String) {
    let w = world(app).await;
    let zip = zip_of(&[("bad.pdf", b"%PDF-1.7\nthis is not a PDF")]);
    let results = upload(
        app,
        &w.reviewer,
        &[
            ("dazhanglou-2022.txt", &corpus("dazhanglou-2022.txt")),
            ("pingtan-2021.txt", &corpus("pingtan-2021.txt")),
            ("broken.zip", &zip),
        ],
    )
    .await;
    let browser = app.login("reviewer").await;
    let list = app.get(&format!("/offices/{}/documents", app.office.id), &browser.cookies).await;
    assert_eq!(list.status, StatusCode::OK);
    let doc = results[0]["document_id"].as_i64().expect("document");
    let page = app.get(&format!("/documents/{doc}?lang=en"), &browser.cookies).await;
    assert_eq!(page.status, StatusCode::OK);
    (list.redacted(), page.redacted())
}
