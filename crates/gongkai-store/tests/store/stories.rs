//! The store's behaviour, one story per function, each run on both backends by `main.rs`.

use gongkai_cases::{
    ApplicantType, CaseEvent, CaseId, CaseRecord, Channel, Intake, Outcome, PersonalData,
};
use gongkai_store::{
    Action, Ctx, Entity, Import, Level, NewOrg, NewUser, Org, OrgId, OrgKind, RegionCode, Role,
    Secret, Store, StoreError, UserId,
};
use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use sqlx::Connection;

pub use crate::collected::*;
pub use crate::column::*;
pub use crate::documents::*;
pub use crate::drafts::*;
pub use crate::findings::*;
pub use crate::listing::*;
pub use crate::public::*;
pub use crate::registers::*;
pub use crate::subtree::*;
use crate::support::Fresh;

/// A change by `user` at a fixed time (2025-06-15) from a fixed address.
pub fn ctx(user: Option<UserId>) -> Ctx {
    Ctx {
        user,
        at: Timestamp::from_second(1_750_000_000).expect("time"),
        origin: "127.0.0.1".into(),
    }
}

pub fn new_org(parent: Option<OrgId>, kind: OrgKind, name: &str) -> NewOrg {
    NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: RegionCode::parse("330106").expect("region"),
    }
}

/// A county office with two agencies under it.
pub async fn county(store: &Store) -> (Org, Org, Org) {
    let c = ctx(None);
    let office = store
        .create_org(&c, &new_org(None, OrgKind::Office, "县政务公开办"))
        .await
        .expect("office");
    let a = store
        .create_org(&c, &new_org(Some(office.id), OrgKind::Agency, "县政府办公室"))
        .await
        .expect("agency a");
    let b = store
        .create_org(&c, &new_org(Some(office.id), OrgKind::Agency, "县教育局"))
        .await
        .expect("agency b");
    (office, a, b)
}

pub fn intake(id: &str, received: Date) -> Intake {
    Intake {
        id: CaseId(id.into()),
        applicant_type: ApplicantType::NATURAL_PERSON,
        applicant_key: "P001".into(),
        channel: Channel::Online { confirmed: received },
        request: "申请公开2024年道路维修经费".into(),
    }
}

pub fn personal(id: &str) -> PersonalData {
    PersonalData {
        case: CaseId(id.into()),
        name: "张三丰".into(),
        contact: "13800000000".into(),
        id_document: Some("330106199001010011".into()),
    }
}

pub fn replied(on: Date) -> CaseEvent {
    CaseEvent::Replied { on, outcome: Outcome::GRANTED }
}

pub fn correction(on: Date) -> CaseEvent {
    CaseEvent::CorrectionRequested {
        on,
        deadline: date(2025, 3, 20),
        items: "请说明所需信息的具体年份".into(),
    }
}

/// Opening a store applies the migrations once; running them again applies nothing.
pub async fn migrations_run_once(fresh: &Fresh) {
    assert!(fresh.store.ping().await.is_ok());
    assert_eq!(gongkai_store::migrate(&fresh.url).await.expect("migrate"), vec![]);
    let again = Store::open(&fresh.url).await.expect("reopen");
    again.ping().await.expect("ping");
}

/// Offices and agencies form a tree with rules: an agency sits under an office, nothing sits
/// under an agency, siblings have distinct names.
pub async fn organisations_form_a_tree(fresh: &Fresh) {
    let store = &fresh.store;
    let c = ctx(None);
    let (office, a, b) = county(store).await;
    assert_eq!(a.parent, Some(office.id));
    let children = store.children(Some(office.id)).await.expect("children");
    let names: Vec<&str> = children.iter().map(|o| o.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert_eq!(children.len(), 2);
    assert_eq!(store.children(None).await.expect("roots"), vec![office.clone()]);
    assert_eq!(store.agencies().await.expect("agencies"), vec![a.clone(), b.clone()]);
    assert_eq!(store.org(a.id).await.expect("org"), Some(a.clone()));

    let sub = store
        .create_org(&c, &new_org(Some(office.id), OrgKind::Office, "乡镇政务公开办"))
        .await
        .expect("an office under an office");
    assert_eq!(sub.kind, OrgKind::Office);
    let under_agency = store.create_org(&c, &new_org(Some(a.id), OrgKind::Agency, "科室")).await;
    assert!(matches!(under_agency, Err(StoreError::Invalid(_))), "{under_agency:?}");
    let orphan = store.create_org(&c, &new_org(None, OrgKind::Agency, "无主机关")).await;
    assert!(matches!(orphan, Err(StoreError::Invalid(_))), "{orphan:?}");
    let twin = store.create_org(&c, &new_org(Some(office.id), OrgKind::Agency, "县教育局")).await;
    assert!(matches!(twin, Err(StoreError::Exists { what: Entity::Org, .. })), "{twin:?}");
    let lost = store.create_org(&c, &new_org(Some(OrgId(9999)), OrgKind::Agency, "某局")).await;
    assert!(matches!(lost, Err(StoreError::NotFound { what: Entity::Org, .. })), "{lost:?}");
    assert!(RegionCode::parse("33010").is_err());
    assert!(RegionCode::parse("３３０１０６").is_err());
}

/// Passwords are stored as argon2id hashes; a wrong password and an unknown user get the same
/// answer; roles fit the kind of organisation.
pub async fn users_passwords_and_roles(fresh: &Fresh) {
    let store = &fresh.store;
    let (office, a, b) = county(store).await;
    let c = ctx(None);
    let new = NewUser {
        username: "clerk-a".into(),
        display_name: "李经办".into(),
        password: "correct horse battery".into(),
    };
    let user = store.create_user(&c, &new).await.expect("user");
    assert!(!format!("{new:?}").contains("horse"), "Debug shows the password");
    let dup = store.create_user(&c, &new).await;
    assert!(matches!(dup, Err(StoreError::Exists { what: Entity::User, .. })), "{dup:?}");
    let short = NewUser { username: "x".into(), password: "short".into(), ..new.clone() };
    assert!(matches!(store.create_user(&c, &short).await, Err(StoreError::Invalid(_))));

    let hash: String = raw_one(fresh, "SELECT password_hash FROM users").await;
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("horse"));

    let ok = store.check_password(&c, "clerk-a", "correct horse battery").await.expect("check");
    assert_eq!(ok, Some(user.clone()));
    assert_eq!(store.check_password(&c, "clerk-a", "wrong password").await.expect("check"), None);
    assert_eq!(
        store.check_password(&c, "nobody", "correct horse battery").await.expect("check"),
        None
    );
    let failures = store.audit_log(None, 100).await.expect("audit");
    assert_eq!(failures.iter().filter(|e| e.action == Action::LoginFailed).count(), 2);

    store.grant(&c, user.id, a.id, Role::Clerk).await.expect("clerk");
    store.grant(&c, user.id, a.id, Role::Approver).await.expect("approver");
    store.grant(&c, user.id, a.id, Role::Clerk).await.expect("granting twice changes nothing");
    store.grant(&c, user.id, office.id, Role::OfficeReviewer).await.expect("reviewer");
    let wrong = store.grant(&c, user.id, b.id, Role::OfficeReviewer).await;
    assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{wrong:?}");
    let ghost = store.grant(&c, UserId(9999), a.id, Role::Clerk).await;
    assert!(matches!(ghost, Err(StoreError::NotFound { what: Entity::User, .. })), "{ghost:?}");
    let roles: Vec<(OrgId, Role)> =
        store.memberships(user.id).await.expect("roles").iter().map(|m| (m.org, m.role)).collect();
    let mut expected =
        vec![(office.id, Role::OfficeReviewer), (a.id, Role::Clerk), (a.id, Role::Approver)];
    expected.sort();
    assert_eq!(roles, expected);
    store.revoke(&c, user.id, a.id, Role::Approver).await.expect("revoke");
    assert_eq!(store.memberships(user.id).await.expect("roles").len(), 2);
    let grants = store.audit_log(Some(a.id), 100).await.expect("audit");
    let kinds: Vec<Action> = grants.iter().map(|e| e.action).collect();
    assert_eq!(
        kinds,
        [Action::RoleRevoked, Action::RoleGranted, Action::RoleGranted, Action::OrgCreated]
    );
}

/// Sessions and tokens work until they expire or are revoked; only digests are stored.
pub async fn sessions_and_tokens(fresh: &Fresh) {
    let store = &fresh.store;
    let c = ctx(None);
    let new =
        NewUser { username: "u".into(), display_name: "U".into(), password: "password1".into() };
    let user = store.create_user(&c, &new).await.expect("user");
    let soon = c.at.checked_add(SignedDuration::from_hours(1)).expect("time");
    let later = c.at.checked_add(SignedDuration::from_hours(9)).expect("time");

    let session =
        store.open_session(&c, user.id, SignedDuration::from_hours(8)).await.expect("session");
    assert!(session.expose().starts_with("gks_"));
    assert!(!format!("{session:?}").contains(session.expose()));
    assert_eq!(store.session_user(&session, soon).await.expect("lookup"), Some(user.id));
    assert_eq!(store.session_user(&session, later).await.expect("lookup"), None, "expired");
    assert_eq!(store.token_user(&session, soon).await.expect("lookup"), None, "not a token");
    let forged = Secret::new("gks_0000");
    assert_eq!(store.session_user(&forged, soon).await.expect("lookup"), None);
    let stored: String = raw_one(fresh, "SELECT secret_sha256 FROM sessions").await;
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(session.expose()) && !session.expose().contains(&stored));
    store.close_session(&c, &session).await.expect("logout");
    assert_eq!(store.session_user(&session, soon).await.expect("lookup"), None, "closed");

    let (id, token) = store.create_token(&c, user.id, "统计脚本", None).await.expect("token");
    assert!(token.expose().starts_with("gkt_"));
    assert_eq!(store.token_user(&token, later).await.expect("lookup"), Some(user.id));
    let (_, expiring) = store.create_token(&c, user.id, "临时", Some(soon)).await.expect("token");
    assert_eq!(store.token_user(&expiring, later).await.expect("lookup"), None, "expired");
    store.revoke_token(&c, id).await.expect("revoke");
    assert_eq!(store.token_user(&token, soon).await.expect("lookup"), None, "revoked");
    let unknown = store.revoke_token(&c, gongkai_store::TokenId(9999)).await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound { what: Entity::Token, .. })),
        "{unknown:?}"
    );
    let actions: Vec<Action> =
        store.audit_log(None, 100).await.expect("audit").iter().map(|e| e.action).collect();
    for a in
        [Action::SessionOpened, Action::SessionClosed, Action::TokenCreated, Action::TokenRevoked]
    {
        assert!(actions.contains(&a), "{a:?} not audited");
    }
}

/// Events are appended under a version: a stale version is a conflict carrying the current case.
pub async fn stale_appends_conflict(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let c = ctx(None);
    let id = CaseId("2025-001".into());
    let registered = store
        .register_case(&c, a.id, &intake("2025-001", date(2025, 3, 3)), None)
        .await
        .expect("register");
    assert_eq!(registered.version, 0);
    let first = correction(date(2025, 3, 5));
    let v1 = store.append_event(&c, a.id, &id, 0, &first).await.expect("append");
    assert_eq!(v1.version, 1);
    assert_eq!(v1.record.events, vec![first.clone()]);

    let stale = store.append_event(&c, a.id, &id, 0, &replied(date(2025, 3, 6))).await;
    let Err(StoreError::Conflict(conflict)) = stale else {
        panic!("expected a conflict: {stale:?}")
    };
    assert_eq!(conflict.expected, 0);
    assert_eq!(conflict.current, v1, "the conflict carries the current case");
    let ahead = store.append_event(&c, a.id, &id, 5, &replied(date(2025, 3, 6))).await;
    assert!(matches!(ahead, Err(StoreError::Conflict(_))), "{ahead:?}");

    let v2 = store
        .append_event(&c, a.id, &id, 1, &CaseEvent::Corrected { on: date(2025, 3, 10) })
        .await
        .expect("append");
    assert_eq!(v2.version, 2);
    assert_eq!(store.case(a.id, &id).await.expect("load"), Some(v2.clone()));

    // Another agency sees nothing, and cannot append.
    assert_eq!(store.case(b.id, &id).await.expect("load"), None);
    let foreign = store.append_event(&c, b.id, &id, 2, &replied(date(2025, 3, 11))).await;
    assert!(matches!(foreign, Err(StoreError::NotFound { what: Entity::Case, .. })), "{foreign:?}");
    let dup = store.register_case(&c, a.id, &intake("2025-001", date(2025, 3, 4)), None).await;
    assert!(matches!(dup, Err(StoreError::Exists { what: Entity::Case, .. })), "{dup:?}");
    store
        .register_case(&c, b.id, &intake("2025-001", date(2025, 3, 4)), None)
        .await
        .expect("same id, other agency");
    let office = store.register_case(&c, OrgId(1), &intake("X", date(2025, 3, 4)), None).await;
    assert!(
        matches!(office, Err(StoreError::NotFound { what: Entity::Org, .. })),
        "an office has no cases"
    );
    assert_eq!(store.cases(a.id).await.expect("cases"), vec![v2]);
}

/// Two appends racing from the same version: exactly one wins, the other gets the conflict.
pub async fn concurrent_appends_never_lose_one(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, _) = county(store).await;
    let c = ctx(None);
    for n in 0..5 {
        let key = format!("2025-R{n}");
        let id = CaseId(key.clone());
        store
            .register_case(&c, a.id, &intake(&key, date(2025, 3, 3)), None)
            .await
            .expect("register");
        let one = correction(date(2025, 3, 5));
        let other = replied(date(2025, 3, 6));
        let (x, y) = tokio::join!(
            store.append_event(&c, a.id, &id, 0, &one),
            store.append_event(&c, a.id, &id, 0, &other)
        );
        let (won, lost) = match (x, y) {
            (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
            other => panic!("exactly one append must win: {other:?}"),
        };
        let StoreError::Conflict(conflict) = lost else { panic!("expected a conflict: {lost:?}") };
        assert_eq!(conflict.current, won);
        let now = store.case(a.id, &id).await.expect("load").expect("case");
        assert_eq!(now.version, 1);
        assert_eq!(now, won);
    }
}

/// An import happens whole or not at all, wherever in the batch it fails.
pub async fn imports_are_all_or_nothing(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, _) = county(store).await;
    let c = ctx(None);
    let record = |id: &str| CaseRecord {
        intake: intake(id, date(2025, 3, 3)),
        events: vec![correction(date(2025, 3, 5)), CaseEvent::Corrected { on: date(2025, 3, 7) }],
    };
    let good = |id: &str| Import { record: record(id), personal: Some(personal(id)) };

    // A duplicate id in the middle of the batch.
    let batch = vec![good("I-1"), good("I-2"), good("I-1"), good("I-3")];
    let dup = store.import_cases(&c, a.id, &batch).await;
    assert!(matches!(dup, Err(StoreError::Exists { what: Entity::Case, .. })), "{dup:?}");
    assert_nothing_imported(fresh, a.id).await;

    // Personal data naming another case, in the middle of the batch.
    let mut wrong = good("I-2");
    wrong.personal = Some(personal("I-9"));
    let batch = vec![good("I-1"), wrong, good("I-3")];
    let invalid = store.import_cases(&c, a.id, &batch).await;
    assert!(matches!(invalid, Err(StoreError::Invalid(_))), "{invalid:?}");
    assert_nothing_imported(fresh, a.id).await;

    let batch = vec![good("I-1"), good("I-2"), good("I-3")];
    assert_eq!(store.import_cases(&c, a.id, &batch).await.expect("import"), 3);
    let cases = store.cases(a.id).await.expect("cases");
    assert_eq!(cases.len(), 3);
    for case in &cases {
        assert_eq!(case.version, 2);
        assert_eq!(case.record, record(&case.record.intake.id.0));
    }
    let v3 = store
        .append_event(&c, a.id, &CaseId("I-2".into()), 2, &replied(date(2025, 3, 12)))
        .await
        .expect("append after import");
    assert_eq!(v3.version, 3);
}

async fn assert_nothing_imported(fresh: &Fresh, agency: OrgId) {
    assert_eq!(fresh.store.cases(agency).await.expect("cases"), vec![]);
    let n: i64 = raw_one(fresh, "SELECT count(*) FROM case_events").await;
    assert_eq!(n, 0);
    let n: i64 = raw_one(fresh, "SELECT count(*) FROM personal_data").await;
    assert_eq!(n, 0);
    let log = fresh.store.audit_log(Some(agency), 100).await.expect("audit");
    assert!(log.iter().all(|e| e.action != Action::CasesImported));
}

/// Personal data is reachable only through the owning agency, and every read is audited without
/// the data itself.
pub async fn personal_data_only_for_the_owning_agency(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, b) = county(store).await;
    let clerk = store
        .create_user(
            &ctx(None),
            &NewUser {
                username: "c".into(),
                display_name: "C".into(),
                password: "password1".into(),
            },
        )
        .await
        .expect("user");
    let c = ctx(Some(clerk.id));
    let id = CaseId("P-1".into());
    store
        .register_case(&c, a.id, &intake("P-1", date(2025, 3, 3)), Some(&personal("P-1")))
        .await
        .expect("register");
    assert_eq!(store.personal_data(&c, a.id, &id).await.expect("read"), Some(personal("P-1")));
    assert_eq!(store.personal_data(&c, b.id, &id).await.expect("read"), None);
    let mismatch = store
        .register_case(&c, a.id, &intake("P-2", date(2025, 3, 3)), Some(&personal("P-1")))
        .await;
    assert!(matches!(mismatch, Err(StoreError::Invalid(_))), "{mismatch:?}");
    assert_eq!(
        store.case(a.id, &CaseId("P-2".into())).await.expect("load"),
        None,
        "nothing stored"
    );

    let log = store.audit_log(None, 1000).await.expect("audit");
    let read =
        log.iter().find(|e| e.action == Action::PersonalDataRead).expect("the read is audited");
    assert_eq!((read.user, read.org, read.subject.as_str()), (Some(clerk.id), Some(a.id), "P-1"));
    assert_eq!(read.origin, "127.0.0.1");
    assert_eq!(read.at, c.at);
    let p = personal("P-1");
    for e in &log {
        for secret in [&p.name, &p.contact, p.id_document.as_ref().expect("id")] {
            assert!(!e.subject.contains(secret.as_str()), "personal data in the audit log: {e:?}");
        }
    }
}

/// The database itself refuses to change or remove events, intakes and audit entries.
pub async fn history_is_append_only_in_the_database(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, _) = county(store).await;
    let c = ctx(None);
    let id = CaseId("H-1".into());
    store.register_case(&c, a.id, &intake("H-1", date(2025, 3, 3)), None).await.expect("register");
    store.append_event(&c, a.id, &id, 0, &replied(date(2025, 3, 4))).await.expect("append");
    for sql in [
        "UPDATE case_events SET event = '{}'",
        "DELETE FROM case_events",
        "UPDATE cases SET intake = '{}'",
        "UPDATE audit_log SET subject = 'x'",
        "DELETE FROM audit_log",
    ] {
        let mut conn = sqlx::AnyConnection::connect(&fresh.url).await.expect("connect");
        let r = sqlx::query(sql).execute(&mut conn).await;
        assert!(r.is_err(), "the database allowed `{sql}`");
    }
    assert_eq!(
        store.case(a.id, &id).await.expect("load").expect("case").record.events,
        vec![replied(date(2025, 3, 4))]
    );
}

/// One value of a one-row, one-column query, straight from the database.
async fn raw_one<T>(fresh: &Fresh, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&fresh.url).await.expect("connect");
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.expect(sql)
}

/// Many writers at once (each reading before it writes): all succeed, none is refused as busy.
pub async fn concurrent_writers_all_succeed(fresh: &Fresh) {
    let (_, a, _) = county(&fresh.store).await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..24 {
        let store = fresh.store.clone();
        tasks.spawn(async move {
            let c = ctx(None);
            let key = format!("W-{n}");
            let id = CaseId(key.clone());
            let p = personal(&key);
            store.register_case(&c, a.id, &intake(&key, date(2025, 3, 3)), Some(&p)).await?;
            store.personal_data(&c, a.id, &id).await?;
            store.append_event(&c, a.id, &id, 0, &replied(date(2025, 3, 4))).await?;
            Ok::<_, StoreError>(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task").expect("every writer succeeds");
    }
    assert_eq!(fresh.store.cases(a.id).await.expect("cases").len(), 24);
}

/// A database whose applied migration was edited, or that a newer program migrated, is refused.
pub async fn changed_or_newer_schemas_are_refused(fresh: &Fresh) {
    let mut conn = sqlx::AnyConnection::connect(&fresh.url).await.expect("connect");
    sqlx::query("UPDATE gongkai_migrations SET sha256 = 'edited' WHERE version = 1")
        .execute(&mut conn)
        .await
        .expect("tamper");
    let changed = Store::open(&fresh.url).await;
    assert!(matches!(changed, Err(StoreError::MigrationChanged { version: 1 })), "{changed:?}");
    let known = gongkai_store::migrate::latest();
    sqlx::query(
        "INSERT INTO gongkai_migrations (version, name, sha256) VALUES (99, 'future', 'y')",
    )
    .execute(&mut conn)
    .await
    .expect("a future migration");
    let newer = gongkai_store::migrate(&fresh.url).await;
    assert!(
        matches!(newer, Err(StoreError::TooNew { found: 99, known: k }) if k == known),
        "a newer schema is named as such before any edited migration: {newer:?}"
    );
}

/// A published report is never changed: a correction is a new version with a reason and its
/// publisher, and every version stays readable as published.
pub async fn published_reports_are_immutable_versions(fresh: &Fresh) {
    use gongkai_store::Publication;
    let store = &fresh.store;
    let (office, a, b) = county(store).await;
    let approver = store
        .create_user(
            &ctx(None),
            &NewUser {
                username: "ap".into(),
                display_name: "审核人".into(),
                password: "password1".into(),
            },
        )
        .await
        .expect("user");
    let c = ctx(Some(approver.id));
    let v1_text = r#"{"year":2024,"t3":{"granted":70}}"#;
    let first = Publication { year: 2024, report: v1_text, reason: None };
    let with_reason = Publication { reason: Some("多余"), ..first.clone() };
    assert!(matches!(
        store.publish_report(&c, a.id, &with_reason).await,
        Err(StoreError::Invalid(_))
    ));
    let v1 = store.publish_report(&c, a.id, &first).await.expect("publish");
    assert_eq!((v1.version.version, v1.version.published_by), (1, Some(approver.id)));
    assert_eq!(v1.version.sha256.len(), 64);

    let v2_text = r#"{"year":2024,"t3":{"granted":71}}"#;
    let silent = Publication { year: 2024, report: v2_text, reason: Some("  ") };
    assert!(
        matches!(store.publish_report(&c, a.id, &silent).await, Err(StoreError::Invalid(_))),
        "a blank reason is none"
    );
    let correction = Publication { reason: Some("表三予以公开数更正"), ..silent };
    let v2 = store.publish_report(&c, a.id, &correction).await.expect("correct");
    assert_eq!(v2.version.version, 2);
    assert_eq!(v2.version.reason.as_deref(), Some("表三予以公开数更正"));

    for bad in ["not json", "[1, 2]"] {
        let p = Publication { year: 2023, report: bad, reason: None };
        assert!(
            matches!(store.publish_report(&c, a.id, &p).await, Err(StoreError::Invalid(_))),
            "{bad}"
        );
    }
    let early = Publication { year: 2007, report: v1_text, reason: None };
    assert!(matches!(store.publish_report(&c, a.id, &early).await, Err(StoreError::Invalid(_))));
    let by_office = store.publish_report(&c, office.id, &first).await;
    assert!(
        matches!(by_office, Err(StoreError::NotFound { what: Entity::Org, .. })),
        "{by_office:?}"
    );
    store
        .publish_report(&c, a.id, &Publication { year: 2023, report: v1_text, reason: None })
        .await
        .expect("2023");

    let latest = store.published_report(a.id, 2024, None).await.expect("read").expect("published");
    assert_eq!(latest, v2);
    let old = store.published_report(a.id, 2024, Some(1)).await.expect("read").expect("v1");
    assert_eq!(old.report, v1_text, "the first version stays as published");
    assert_eq!(old, v1);
    assert_eq!(store.published_report(a.id, 2024, Some(3)).await.expect("read"), None);
    assert_eq!(store.published_report(a.id, 2025, None).await.expect("read"), None);
    assert_eq!(store.published_report(b.id, 2024, None).await.expect("read"), None);
    let log: Vec<(i16, u32)> = store
        .report_versions(a.id)
        .await
        .expect("log")
        .iter()
        .map(|v| (v.year, v.version))
        .collect();
    assert_eq!(log, [(2024, 2), (2024, 1), (2023, 1)]);

    let mut conn = sqlx::AnyConnection::connect(&fresh.url).await.expect("connect");
    for sql in ["UPDATE report_versions SET report = '{}'", "DELETE FROM report_versions"] {
        assert!(sqlx::query(sql).execute(&mut conn).await.is_err(), "the database allowed `{sql}`");
    }
    let audit = store.audit_log(Some(a.id), 100).await.expect("audit");
    let published: Vec<&str> = audit
        .iter()
        .filter(|e| e.action == Action::ReportPublished)
        .map(|e| e.subject.as_str())
        .collect();
    assert_eq!(published, ["2023 v1", "2024 v2", "2024 v1"]);
}

/// A SQLite store can be copied consistently while it serves; PostgreSQL says to use pg_dump.
pub async fn backups_are_consistent_copies(fresh: &Fresh) {
    let store = &fresh.store;
    let (_, a, _) = county(store).await;
    let c = ctx(None);
    store.register_case(&c, a.id, &intake("B-1", date(2025, 3, 3)), None).await.expect("register");
    let dir = tempfile::tempdir().expect("temporary directory");
    let target = dir.path().join("backup.sqlite3");
    match store.backend() {
        gongkai_store::Backend::Postgres => {
            let refused = store.backup_to(&target).await;
            assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
        }
        gongkai_store::Backend::Sqlite => {
            store.backup_to(&target).await.expect("backup");
            let again = store.backup_to(&target).await;
            assert!(again.is_err(), "an existing file is not overwritten");
            store
                .append_event(&c, a.id, &CaseId("B-1".into()), 0, &replied(date(2025, 3, 4)))
                .await
                .expect("append");
            let url = gongkai_store::sqlite_url(&target, false).expect("url");
            let copy = Store::open(&url).await.expect("open the copy");
            let case = copy.case(a.id, &CaseId("B-1".into())).await.expect("load").expect("case");
            assert_eq!(case.version, 0, "the copy is the state at backup time");
            copy.close().await;
        }
    }
}
