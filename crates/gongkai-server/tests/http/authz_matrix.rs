//! The authorization matrix, generated from the router: EVERY route of [`routes::table`] (every
//! method, the state-changing ones with a valid CSRF token and a body that parses) × every actor
//! (anonymous; clerk and approver of agency A; of agency B; the reviewer of A's and B's office P;
//! of another office Q; an administrator of P) × both sides (A's resources — agency A, office P,
//! A's application, P's collected document, job and finding, a letter kept with A's application —
//! and B's: agency B, office Q, B's application, Q's document, job and finding, B's letter).
//!
//! The expected answer of every cell comes from ONE place, [`expect`]: what the route acts on
//! ([`on`]: the route table's [`Access`], and for the routes open to any signed-in user, the
//! resource their handler resolves) combined with [`policy::allows`]. A cell answers:
//! - **allowed**: anything but 401/403/404, 5xx or a redirect to the login page;
//! - **forbidden** (403), only to an actor who sees the organisation;
//! - **hidden** (404), byte for byte the answer for an id that does not exist;
//! - **sign in**: 401 under `/api/`, a redirect to `/login` elsewhere;
//! - **public**: what the anonymous visitor gets, whoever asks (never 401/403/5xx).
//!
//! The test fails on any difference and prints the matrix's size. The mean times of hidden
//! answers and of missing ids are printed side by side and only asserted to be of the same order
//! of magnitude (a shared CI machine makes finer timed assertions flaky; both paths run the same
//! lookup before refusing).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use gongkai_server::auth::csrf_token;
use gongkai_server::policy::{self, Action, Reach};
use gongkai_server::routes::{self, Access, Route};
use gongkai_store::{Ctx, Level, NewOrg, NewUser, Org, OrgId, OrgKind, RegionCode, Role, UserId};
use jiff::SignedDuration;
use serde_json::json;

use crate::support::{App, PASSWORD, Reply, now};

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// An id no organisation, document, job or letter has.
const MISSING: i64 = 987_654;
const MISSING_CASE: &str = "YSQ-1999-99999";
const MISSING_FINGERPRINT: &str = "0000000000000000";

/// Who asks.
struct Who {
    name: &'static str,
    /// The one role held, and where; `None` for the anonymous visitor.
    role: Option<(Role, OrgId)>,
    user: Option<UserId>,
    /// The session secret (cookie), or the anonymous visitor's pre-login CSRF seed.
    seed: String,
}

/// The resources of one side of the matrix.
struct Side {
    agency: OrgId,
    office: OrgId,
    case: String,
    /// The agency of `case`.
    case_agency: OrgId,
    document: i64,
    batch: i64,
    /// A finding of `document`, collected by `office`.
    fingerprint: String,
    /// A letter kept with `case`.
    kept: i64,
}

struct World {
    who: Vec<Who>,
    sides: [Side; 2],
    /// Every organisation's parent.
    parents: Vec<(OrgId, Option<OrgId>)>,
    missing: Side,
}

/// What a route acts on: the one declaration per route the expected answers derive from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum On {
    /// Anyone: the same answer whoever asks.
    Public,
    /// Any signed-in user, on nothing of anyone else's (signing out).
    Self_,
    /// The agency `{id}`, for the action; refusals are 403 to those who see it, else 404.
    Agency(Action),
    /// The office `{id}`, likewise.
    Office(Action),
    /// The office `{id}` (or named in the body), for the action; every refusal is 404.
    OfficeHidden(Action),
    /// The application `{case_id}`, found among the agencies where the actor may see cases
    /// (else 404), then the action on its agency (403 if refused there).
    Case(Action),
    /// A document or job `{id}`, for the action on the office that collected it; every
    /// refusal is 404.
    Collected(Action),
}

/// What `route` acts on: from the route table's access, and for the routes open to any signed-in
/// user, the resource their handler resolves. A route missing here fails the test: a new route
/// must be declared.
fn on(route: &Route) -> On {
    match route.access {
        Access::Public => On::Public,
        Access::Agency(a) => On::Agency(a),
        // The findings queue hides every refusal (a reviewer of another office learns nothing).
        Access::Office(a @ Action::ReviewFindings) => On::OfficeHidden(a),
        Access::Office(a) => On::Office(a),
        Access::SignedIn => match route.path {
            "/logout" => On::Self_,
            "/applications/{case_id}" => On::Case(Action::ViewCases),
            "/applications/{case_id}/events" | "/api/v1/applications/{case_id}/events" => {
                On::Case(Action::EditCases)
            }
            "/applications/{case_id}/letters"
            | "/applications/{case_id}/letters/{kind}"
            | "/applications/{case_id}/letters/kept/{doc}" => On::Case(Action::EditLetters),
            "/documents/{id}"
            | "/documents/{id}/source"
            | "/api/v1/documents/{id}"
            | "/api/v1/jobs/{id}" => On::Collected(Action::CollectReports),
            "/api/v1/findings/{fingerprint}/review" => On::OfficeHidden(Action::ReviewFindings),
            other => panic!("declare what {} {other} acts on in authz_matrix::on", route.method),
        },
    }
}

/// The organisation a route acts on for one side.
fn target(on: On, route: &Route, side: &Side) -> Option<OrgId> {
    match on {
        On::Public | On::Self_ => None,
        On::Agency(_) => Some(side.agency),
        On::Office(_) | On::OfficeHidden(_) | On::Collected(_) => Some(side.office),
        On::Case(_) => Some(side.case_agency),
    }
    .filter(|_| route.path != "/login")
}

/// The expected answer of a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Allowed,
    Forbidden,
    Hidden,
    SignIn,
    Public,
}

/// THE table of expected answers: the route's [`On`] × the actor's role and how it reaches the
/// target, through [`policy::allows`].
fn expect(on: On, role: Option<(Role, Reach)>, anonymous: bool) -> Expect {
    if on == On::Public {
        return Expect::Public;
    }
    if anonymous {
        return Expect::SignIn;
    }
    let allows = |action| role.is_some_and(|(r, reach)| policy::allows(r, action, reach));
    let sees = allows(Action::ViewDashboard) || allows(Action::ViewOffice);
    match on {
        On::Public => Expect::Public,
        On::Self_ => Expect::Allowed,
        On::Agency(a) | On::Office(a) => {
            if allows(a) {
                Expect::Allowed
            } else if sees {
                Expect::Forbidden
            } else {
                Expect::Hidden
            }
        }
        On::Case(a) => {
            if !allows(Action::ViewCases) {
                Expect::Hidden
            } else if allows(a) {
                Expect::Allowed
            } else {
                Expect::Forbidden
            }
        }
        On::OfficeHidden(a) | On::Collected(a) => {
            if allows(a) {
                Expect::Allowed
            } else {
                Expect::Hidden
            }
        }
    }
}

/// How the actor's role reaches `org`: its own organisation, or one below its organisation.
fn reach(world: &World, who: &Who, org: OrgId) -> Option<(Role, Reach)> {
    let (role, at) = who.role?;
    if at == org {
        return Some((role, Reach::Own));
    }
    let parent = |o: OrgId| world.parents.iter().find(|(id, _)| *id == o).and_then(|(_, p)| *p);
    let mut up = parent(org);
    while let Some(p) = up {
        if p == at {
            return Some((role, Reach::Subordinate));
        }
        up = parent(p);
    }
    None
}

/// The concrete path of a route for one side.
fn path_of(route: &Route, on: On, side: &Side) -> String {
    let id = match on {
        On::Collected(_) if route.path.contains("/jobs/") => side.batch,
        On::Collected(_) => side.document,
        On::Office(_) | On::OfficeHidden(_) => side.office.0,
        _ if route.path.starts_with("/offices/") => side.office.0,
        _ => side.agency.0,
    };
    let doc = if route.path.contains("/kept/") { side.kept } else { side.document };
    let mut path = route
        .path
        .replace("{id}", &id.to_string())
        .replace("{case_id}", &side.case)
        .replace("{kind}", "correction")
        .replace("{doc}", &doc.to_string())
        .replace("{fingerprint}", &side.fingerprint)
        .replace("{cell_key}", "t3.granted.total")
        .replace("{item}", "ZD-1")
        .replace("{year}", "2024")
        .replace("{file}", "style.css");
    // The query a page needs to reach its handler.
    if route.path == "/agencies/{id}/reports/cells" {
        path.push_str("?year=2025&key=t3.granted.total");
    }
    path
}

const BOUNDARY: &str = "gongkai-matrix-boundary";

/// The body of a state-changing route: one that parses, so that the handler (and its policy
/// check) is reached.
fn body_of(route: &Route, side: &Side) -> (&'static str, Vec<u8>) {
    const FORM: &str = "application/x-www-form-urlencoded";
    const JSON: &str = "application/json";
    let form = |s: String| (FORM, s.into_bytes());
    let multipart = |name: &str| {
        let part = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: text/plain\r\n\r\n2024年政府信息公开工作年度报告\r\n--{BOUNDARY}--\r\n"
        );
        ("multipart", part.into_bytes())
    };
    match route.path {
        "/login" => form(format!("username=clerk-a&password={}", PASSWORD.replace(' ', "+"))),
        "/api/v1/login" => {
            (JSON, json!({"username": "clerk-a", "password": PASSWORD}).to_string().into_bytes())
        }
        "/api/v1/agencies/{id}/applications" => (
            JSON,
            json!({
                "applicant_type": "natural_person",
                "channel": {"kind": "online", "confirmed": "2026-03-02"},
                "request": "2025年度部门预算",
            })
            .to_string()
            .into_bytes(),
        ),
        "/api/v1/applications/{case_id}/events" => (JSON, b"{}".to_vec()),
        "/api/v1/findings/{fingerprint}/review" => (
            JSON,
            json!({"office": side.office.0, "decision": "confirmed"}).to_string().into_bytes(),
        ),
        "/offices/{id}/documents"
        | "/api/v1/offices/{id}/documents"
        | "/agencies/{id}/registers/import"
        | "/agencies/{id}/registers/proactive/attachments" => multipart("matrix.txt"),
        "/offices/{id}/documents/{doc}/agency" => form(format!("agency={}", side.agency.0)),
        "/offices/{id}/findings/{fingerprint}/review" => form("decision=confirm&note=ok".into()),
        "/agencies/{id}/reports/check"
        | "/agencies/{id}/reports/save"
        | "/agencies/{id}/reports/preview"
        | "/agencies/{id}/reports/publish" => form("year=2025".into()),
        "/applications/{case_id}/letters/{kind}" => form("date=2026-03-16&format=docx".into()),
        _ => form(String::new()),
    }
}

/// The request of one cell.
fn request(route: &Route, path: &str, side: &Side, cookie: &str, token: &str) -> Request<Body> {
    let mut r = Request::builder()
        .method(route.method.clone())
        .uri(path)
        .header(COOKIE, cookie)
        .header("x-csrf-token", token);
    if route.method == Method::GET {
        return r.body(Body::empty()).unwrap();
    }
    let (kind, body) = body_of(route, side);
    let kind = if kind == "multipart" {
        format!("multipart/form-data; boundary={BOUNDARY}")
    } else {
        kind.to_owned()
    };
    r = r.header(CONTENT_TYPE, kind);
    r.body(Body::from(body)).unwrap()
}

/// The credentials of one actor for one request: the cookie and the CSRF token. Signing out
/// gets a session of its own, so that the actor's own session survives the matrix.
async fn credentials(app: &App, who: &Who, route: &Route) -> (String, String) {
    match who.user {
        None => (format!("gongkai_csrf={}", who.seed), csrf_token(&who.seed).0),
        Some(user) => {
            let seed = if route.path == "/logout" {
                let ttl = SignedDuration::from_hours(1);
                let secret = app.state.store.open_session(&ctx(), user, ttl).await.unwrap();
                secret.expose().to_owned()
            } else {
                who.seed.clone()
            };
            (format!("gongkai_session={seed}"), csrf_token(&seed).0)
        }
    }
}

async fn send_timed(app: &App, request: Request<Body>) -> (Reply, Duration) {
    let start = Instant::now();
    let reply = app.send(request).await;
    (reply, start.elapsed())
}

/// Whether a cell's answer is the expected one; the difference otherwise.
fn judge(expect: Expect, path: &str, r: &Reply) -> Result<(), String> {
    let to_login = r.status == StatusCode::SEE_OTHER && r.location() == Some("/login");
    let ok = match expect {
        // Signing out answers with the login page too, and ends the cookie.
        Expect::Allowed if path == "/logout" => {
            to_login && r.cookie("gongkai_session").is_some_and(|v| v.is_empty())
        }
        Expect::Allowed => {
            !matches!(
                r.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            ) && !r.status.is_server_error()
                && !to_login
        }
        Expect::Forbidden => r.status == StatusCode::FORBIDDEN,
        Expect::Hidden => r.status == StatusCode::NOT_FOUND,
        Expect::SignIn if path.starts_with("/api/") => r.status == StatusCode::UNAUTHORIZED,
        Expect::SignIn => to_login,
        Expect::Public => !r.status.is_server_error(),
    };
    if ok {
        Ok(())
    } else {
        let body: String = r.body.chars().take(200).collect();
        Err(format!("expected {expect:?}, got {} {:?}: {body}", r.status, r.location()))
    }
}

/// The public routes whose page differs for a signed-in visitor (the login page sends them on;
/// the home page links their work). Their answers are judged alone.
const GREETS_THE_SIGNED_IN: &[&str] = &["/login", "/"];

#[allow(clippy::print_stdout, reason = "the matrix's size, for the report")]
pub async fn every_route_every_actor_every_side(app: &App) {
    let world = world(app).await;
    let table = routes::table();
    let mut cells = 0usize;
    let mut failures = Vec::new();
    let mut hidden_time = Duration::ZERO;
    let mut missing_time = Duration::ZERO;
    let mut hidden_count = 0u32;
    for route in &table {
        let on = on(route);
        for side in &world.sides {
            let path = path_of(route, on, side);
            let mut public: Option<(StatusCode, &'static str)> = None;
            for who in &world.who {
                let (cookie, token) = credentials(app, who, route).await;
                let (r, took) = send_timed(app, request(route, &path, side, &cookie, &token)).await;
                let role = target(on, route, side).and_then(|org| reach(&world, who, org));
                let expect = expect(on, role, who.user.is_none());
                cells += 1;
                let mut verdict = judge(expect, &path, &r);
                if expect == Expect::Public && !GREETS_THE_SIGNED_IN.contains(&route.path) {
                    match public {
                        None => {
                            public = Some((r.status, who.name));
                            if matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                            {
                                verdict = Err(format!("a public route refused: {}", r.status));
                            }
                        }
                        Some((status, first)) if status != r.status => {
                            verdict = Err(format!("{} here, {status} for {first}", r.status));
                        }
                        Some(_) => {}
                    }
                }
                if verdict.is_ok() && expect == Expect::Hidden {
                    // No existence leak: exactly the answer for an id that does not exist.
                    let missing = path_of(route, on, &world.missing);
                    let (cookie, token) = credentials(app, who, route).await;
                    let (m, m_took) =
                        send_timed(app, request(route, &missing, &world.missing, &cookie, &token))
                            .await;
                    if (m.status, &m.body) != (r.status, &r.body) {
                        verdict = Err(format!(
                            "hidden answer differs from a missing id's ({missing}): {} {} vs {} {}",
                            r.status, r.body, m.status, m.body
                        ));
                    }
                    hidden_time += took;
                    missing_time += m_took;
                    hidden_count += 1;
                }
                if let Err(why) = verdict {
                    failures.push(format!("{} {path} as {}: {why}", route.method, who.name));
                }
            }
        }
    }
    println!(
        "authorization matrix: {} routes × {} actors × 2 sides = {cells} cells; {hidden_count} \
         hidden answers compared with missing ids (mean {:?} vs {:?})",
        table.len(),
        world.who.len(),
        hidden_time / hidden_count.max(1),
        missing_time / hidden_count.max(1),
    );
    // Coarse, so that a busy machine cannot fail it: the same order of magnitude.
    let (hidden, missing) = (hidden_time / hidden_count.max(1), missing_time / hidden_count.max(1));
    assert!(
        hidden < missing * 10 + Duration::from_millis(5),
        "a hidden answer takes {hidden:?}, a missing id's {missing:?}"
    );
    assert_eq!(cells, table.len() * world.who.len() * 2);
    assert!(hidden_count > 0 && cells > 500, "{cells}");
    if !failures.is_empty() {
        let mut out = format!("{} of {cells} cells differ from the table:\n", failures.len());
        for f in &failures {
            let _ = writeln!(out, "  {f}");
        }
        panic!("{out}");
    }
}

/// The county of the matrix: office P over agencies A and B, another office Q, the eight
/// actors, and on each side an application, a collected document with its job and a finding,
/// and a kept letter.
async fn world(app: &App) -> World {
    let store = &app.state.store;
    let region = RegionCode::parse("110101").unwrap();
    let org = |parent, kind, name: &str| NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: region.clone(),
    };
    let q = store.create_org(&ctx(), &org(None, OrgKind::Office, "邻县政务公开办")).await.unwrap();
    // The agencies the collected report's name matches, one per office.
    let town_p =
        store.create_org(&ctx(), &org(Some(app.office.id), OrgKind::Agency, "大张楼镇")).await;
    let town_q = store.create_org(&ctx(), &org(Some(q.id), OrgKind::Agency, "大张楼镇")).await;
    let parents: Vec<(OrgId, Option<OrgId>)> =
        [&app.office, &app.a, &app.b, &q, &town_p.unwrap(), &town_q.unwrap()]
            .iter()
            .map(|o: &&Org| (o.id, o.parent))
            .collect();

    let mut who = vec![Who { name: "anonymous", role: None, user: None, seed: "1".repeat(64) }];
    let people: [(&str, Role, OrgId); 7] = [
        ("clerk-a", Role::Clerk, app.a.id),
        ("approver-a", Role::Approver, app.a.id),
        ("clerk-b", Role::Clerk, app.b.id),
        ("approver-b", Role::Approver, app.b.id),
        ("reviewer-p", Role::OfficeReviewer, app.office.id),
        ("reviewer-q", Role::OfficeReviewer, q.id),
        ("admin", Role::Admin, app.office.id),
    ];
    for (name, role, at) in people {
        let user = match store.check_password(&ctx(), name, PASSWORD).await.unwrap() {
            Some(u) => u,
            None => {
                let new = NewUser {
                    username: name.into(),
                    display_name: name.into(),
                    password: PASSWORD.into(),
                };
                let u = store.create_user(&ctx(), &new).await.unwrap();
                store.grant(&ctx(), u.id, at, role).await.unwrap();
                u
            }
        };
        let secret = store.open_session(&ctx(), user.id, SignedDuration::from_hours(8)).await;
        let seed = secret.unwrap().expose().to_owned();
        who.push(Who { name, role: Some((role, at)), user: Some(user.id), seed });
    }
    let session = |name: &str| who.iter().find(|w| w.name == name).unwrap().seed.clone();

    // Numbers of their own: a number both agencies use names the first one an actor may see.
    let case_a = kept_letter(app, &session("clerk-a"), app.a.id, "YSQ-2026-08001").await;
    let case_b = kept_letter(app, &session("clerk-b"), app.b.id, "YSQ-2026-09001").await;
    let collected_p = collect(app, &session("reviewer-p"), app.office.id).await;
    let collected_q = collect(app, &session("reviewer-q"), q.id).await;
    let side = |agency: OrgId, office: OrgId, (case, kept), (document, batch, fingerprint)| Side {
        agency,
        office,
        case,
        case_agency: agency,
        document,
        batch,
        fingerprint,
        kept,
    };
    World {
        sides: [
            side(app.a.id, app.office.id, case_a, collected_p),
            side(app.b.id, q.id, case_b, collected_q),
        ],
        missing: Side {
            agency: OrgId(MISSING),
            office: OrgId(MISSING),
            case: MISSING_CASE.into(),
            case_agency: OrgId(MISSING),
            document: MISSING,
            batch: MISSING,
            fingerprint: MISSING_FINGERPRINT.into(),
            kept: MISSING,
        },
        who,
        parents,
    }
}

/// Registers an application of `agency` with a correction requested and keeps its correction
/// letter; returns the case number and the kept letter's id.
async fn kept_letter(app: &App, session: &str, agency: OrgId, number: &str) -> (String, i64) {
    let bearer = |r: axum::http::request::Builder| {
        r.header("authorization", format!("Bearer {session}"))
            .header(CONTENT_TYPE, "application/json")
    };
    let intake = json!({
        "id": number,
        "applicant_type": "natural_person",
        "channel": {"kind": "online", "confirmed": "2026-03-02"},
        "request": "2025年度部门预算",
        "personal": {"name": "张三", "contact": "13800000000"}
    });
    let create = bearer(Request::post(format!("/api/v1/agencies/{agency}/applications")))
        .body(Body::from(intake.to_string()))
        .unwrap();
    let created = app.send(create).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let case = created.json()["id"].as_str().unwrap().to_owned();
    let notice = json!({"event": "correction_requested", "on": "2026-03-16", "deadline": "2026-03-31", "items": "所需信息的文号"});
    let event = bearer(Request::post(format!("/api/v1/applications/{case}/events")))
        .body(Body::from(notice.to_string()))
        .unwrap();
    let r = app.send(event).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let keep = Request::post(format!("/applications/{case}/letters/correction"))
        .header(COOKIE, format!("gongkai_session={session}"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "csrf={}&date=2026-03-16&format=docx&keep=1",
            csrf_token(session).0
        )))
        .unwrap();
    let r = app.send(keep).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let kept = app.state.store.documents(agency).await.unwrap();
    (case, kept.first().expect("the kept letter").id.0)
}

/// Collects a report with a Table 3 error for `office`; returns the document, its batch and the
/// fingerprint of one of its findings.
async fn collect(app: &App, session: &str, office: OrgId) -> (i64, i64, String) {
    let file = crate::findings::unbalanced(3);
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"dazhanglou-2022.txt\"\r\nContent-Type: text/plain\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let upload = Request::post(format!("/api/v1/offices/{office}/documents"))
        .header("authorization", format!("Bearer {session}"))
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(body))
        .unwrap();
    let r = app.send(upload).await;
    assert!(matches!(r.status, StatusCode::OK | StatusCode::ACCEPTED), "{}", r.body);
    crate::collect::wait_idle(&app.state.store).await;
    let job = app.state.store.read_jobs(office, 1).await.unwrap().remove(0);
    let document = job.document.expect("the document").0;
    let list = Request::get(format!("/api/v1/offices/{office}/findings?year=2022"))
        .header("authorization", format!("Bearer {session}"))
        .body(Body::empty())
        .unwrap();
    let findings = app.send(list).await;
    assert_eq!(findings.status, StatusCode::OK, "{}", findings.body);
    let fingerprint = findings.json()[0]["fingerprint"].as_str().expect("a finding").to_owned();
    (document, job.batch.0, fingerprint)
}
