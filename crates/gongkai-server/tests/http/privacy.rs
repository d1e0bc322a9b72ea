//! Nothing private reaches the public: sentinel values are planted in every kind of private data —
//! an applicant's personal data and request, a draft's prose, an upload an office collected (its
//! file name and its text), a reviewer's note — then everything reachable without signing in is
//! crawled: the public pages from the home page by their links, every public route of the router
//! for every organisation and year, and every export. No answer (status line, headers, body, and
//! the files inside a zip — XLSX, DOCX, archives) may contain a sentinel. Run on both backends by
//! `main.rs`.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::io::Read as _;

use axum::body::Body;
use axum::http::{Method, Request};
use gongkai_cases::{ApplicantType, CaseId, Channel, Intake, PersonalData};
use gongkai_server::routes::{Access, table};
use gongkai_store::{Ctx, DraftSave, Org, OrgId, Role};
use http_body_util::BodyExt as _;
use jiff::civil::date;
use serde_json::json;
use tower::ServiceExt as _;

use crate::collect::{corpus, get_bearer, upload, user};
use crate::support::{App, PASSWORD, now};

/// Every planted value: none may appear in a public answer.
const SENTINELS: [&str; 9] = [
    "哨兵申请人",
    "13800138000",
    "110101199001011234",
    "SENTINEL-KEY",
    "SENTINEL-REQUEST",
    "SENTINEL-DRAFT",
    "SENTINEL-UPLOAD",
    "SENTINEL-FILE",
    "SENTINEL-NOTE",
];

/// The years every `{year}` of a public route is tried with.
const YEARS: std::ops::RangeInclusive<i32> = 2019..=2026;

/// At most this many answers are read (the crawl ends, whatever it has left).
const BUDGET: usize = 6_000;

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// Every organisation of the store, from the roots down.
async fn all_orgs(app: &App) -> Vec<Org> {
    let store = &app.state.store;
    let mut out = Vec::new();
    let mut queue = VecDeque::from([None]);
    while let Some(parent) = queue.pop_front() {
        for org in store.children(parent).await.expect("children") {
            queue.push_back(Some(org.id));
            out.push(org);
        }
    }
    out
}

/// Plants a sentinel in each kind of private data.
async fn plant(app: &App) {
    let store = &app.state.store;
    // An applicant: personal data, the applicant's key and the request itself.
    let intake = Intake {
        id: CaseId("YSQ-2025-SENTINEL".into()),
        applicant_type: ApplicantType::NATURAL_PERSON,
        applicant_key: "SENTINEL-KEY".into(),
        channel: Channel::InPerson { submitted: date(2025, 6, 2) },
        request: "SENTINEL-REQUEST 某路段改造工程的批复文件".into(),
    };
    let personal = PersonalData {
        case: intake.id.clone(),
        name: "哨兵申请人".into(),
        contact: "13800138000".into(),
        id_document: Some("110101199001011234".into()),
    };
    store.register_case(&ctx(), app.a.id, &intake, Some(&personal)).await.expect("case");

    // A draft that was never published.
    let prose = [("overview".to_owned(), "SENTINEL-DRAFT 本机关草稿".to_owned())].into();
    store
        .save_draft(&ctx(), app.b.id, &DraftSave::new(2025, 0, &prose, "{}"))
        .await
        .expect("draft");

    // A report an office collected: its file name and text are the office's working material.
    let token = user(app, "sentinel-reviewer", app.office.id, Role::OfficeReviewer).await;
    let text = String::from_utf8(corpus("dazhanglou-2022.txt")).expect("UTF-8");
    let text = text.replacen('\n', "\n联系人：SENTINEL-UPLOAD\n", 1);
    let read = upload(app, &token, &[("SENTINEL-FILE.txt", text.as_bytes())]).await;
    assert_eq!(read.len(), 1, "{read:?}");

    // A reviewer's note on one of its findings.
    let path = format!("/api/v1/offices/{}/findings?year=2022", app.office.id);
    let findings = app.send(get_bearer(&path, &token)).await.json();
    let fingerprint = findings
        .as_array()
        .and_then(|all| all.first())
        .and_then(|f| f["fingerprint"].as_str())
        .expect("the collected report has a finding to review")
        .to_owned();
    let review = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/findings/{fingerprint}/review"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"office": app.office.id.0, "decision": "dismissed", "note": "SENTINEL-NOTE"})
                .to_string(),
        ))
        .expect("request");
    let reviewed = app.send(review).await;
    assert!(reviewed.status.is_success(), "{}", reviewed.body);
}

/// Every public `GET` route of the router, its `{id}` and `{year}` filled with every
/// organisation and year (routes with other parameters are reached through links).
fn public_paths(orgs: &[OrgId]) -> Vec<String> {
    let mut out = Vec::new();
    for route in table() {
        if route.method != Method::GET || route.access != Access::Public {
            continue;
        }
        let path = route.path;
        let ids: Vec<String> = if path.contains("{id}") {
            orgs.iter().map(|o| path.replace("{id}", &o.0.to_string())).collect()
        } else {
            vec![path.to_owned()]
        };
        for p in ids {
            if p.contains("{year}") {
                out.extend(YEARS.map(|y| p.replace("{year}", &y.to_string())));
            } else if !p.contains('{') {
                // Exports and lists also with the widest filters.
                out.push(format!("{p}?from={}&to={}", YEARS.start(), YEARS.end()));
                out.push(p);
            }
        }
    }
    out
}

/// The same-site links of an HTML page (`href` and `src`), without fragments.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let Some(end) = rest.find('"') else { continue };
            let link = rest[..end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or_default();
            if link.starts_with('/') && !link.starts_with("//") {
                out.push(link.to_owned());
            }
        }
    }
    out
}

/// The readable content of an answer's body: the body itself and, for a zip (XLSX, DOCX, an
/// archive), every file inside it.
fn contents(body: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![body.to_vec()];
    if body.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a readable zip");
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).expect("zip entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("zip entry bytes");
            out.push(bytes);
        }
    }
    out
}

pub async fn sentinels_never_reach_the_public(app: &App) {
    gongkai_server::demo::seed(&app.state, PASSWORD).await.expect("the demo county");
    plant(app).await;
    let orgs: Vec<OrgId> = all_orgs(app).await.iter().map(|o| o.id).collect();

    let mut queue: VecDeque<String> = VecDeque::from(["/".to_owned()]);
    queue.extend(public_paths(&orgs));
    let mut seen = HashSet::new();
    let mut ok = 0usize;
    let mut kinds = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if seen.len() >= BUDGET {
            break;
        }
        if !seen.insert(path.clone()) {
            continue;
        }
        let request = Request::builder().uri(&path).body(Body::empty()).expect("request");
        let response = app.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        assert!(!status.is_server_error(), "GET {path} → {status}");
        let headers = format!("{:?}", response.headers());
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.into_body().collect().await.expect("body").to_bytes();
        for content in contents(&body).iter().map(|c| String::from_utf8_lossy(c).into_owned()) {
            for s in SENTINELS {
                assert!(!content.contains(s), "{s} in the answer to GET {path}");
                assert!(!headers.contains(s), "{s} in the headers of GET {path}");
            }
        }
        if status.is_success() {
            ok += 1;
            kinds.insert(kind.split(';').next().unwrap_or_default().to_owned());
            if kind.starts_with("text/html") {
                queue.extend(links(&String::from_utf8_lossy(&body)));
            }
        }
    }
    // The crawl did reach the public side (a test that would pass on an empty crawl proves
    // nothing): published reports of the demo county in several formats.
    assert!(ok > 100, "only {ok} public answers read");
    assert!(kinds.contains("text/html") && kinds.contains("application/json"), "{kinds:?}");
}
