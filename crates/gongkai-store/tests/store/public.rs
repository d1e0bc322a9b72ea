//! The public portal's queries, run on both backends by `main.rs`: every organisation, the years
//! published, the latest publications, every agency's latest version of a year.

use gongkai_store::{Ctx, Level, NewOrg, Org, OrgId, OrgKind, Publication, RegionCode, Store};
use jiff::Timestamp;

use crate::support::Fresh;

fn at(second: i64) -> Ctx {
    Ctx { user: None, at: Timestamp::from_second(second).expect("time"), origin: "test".into() }
}

async fn org(store: &Store, parent: Option<OrgId>, kind: OrgKind, name: &str) -> Org {
    let new = NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: RegionCode::parse("330100").expect("region"),
    };
    store.create_org(&at(1_700_000_000), &new).await.expect(name)
}

/// Two trees; versions of several years; corrections. Each query sees the whole tree, the
/// latest version only where it says so, and nothing of the other years.
pub async fn public_queries_see_the_whole_tree(fresh: &Fresh) {
    let store = &fresh.store;
    let before = store.public_generation().await.expect("generation");
    assert_eq!(before, (0, 0));
    let city = org(store, None, OrgKind::Office, "市政务公开办").await;
    let other = org(store, None, OrgKind::Office, "邻市政务公开办").await;
    let education = org(store, Some(city.id), OrgKind::Agency, "市教育局").await;
    let finance = org(store, Some(city.id), OrgKind::Agency, "市财政局").await;
    let neighbour = org(store, Some(other.id), OrgKind::Agency, "邻市教育局").await;
    let publish = |agency: OrgId, year: i16, report: &'static str, reason, second| async move {
        let p = Publication { year, report, reason };
        store.publish_report(&at(second), agency, &p).await.expect("publish")
    };
    publish(education.id, 2023, r#"{"v":"e23"}"#, None, 1_700_000_100).await;
    publish(education.id, 2024, r#"{"v":"e24"}"#, None, 1_700_000_200).await;
    let corrected =
        publish(education.id, 2024, r#"{"v":"e24b"}"#, Some("更正"), 1_700_000_400).await;
    publish(neighbour.id, 2024, r#"{"v":"n24"}"#, None, 1_700_000_300).await;

    assert_eq!(store.public_generation().await.expect("generation"), (5, 4));
    let all = store.orgs().await.expect("orgs");
    let ids: Vec<OrgId> = all.iter().map(|o| o.id).collect();
    let mut expected = vec![city.id, other.id, education.id, finance.id, neighbour.id];
    expected.sort();
    assert_eq!(ids, expected, "every organisation, by id");
    assert!(all.contains(&neighbour), "whole organisations");

    assert_eq!(store.published_years().await.expect("years"), [2023, 2024]);
    let mut latest = vec![(education.id, 2024), (neighbour.id, 2024)];
    latest.sort();
    assert_eq!(store.latest_published_years().await.expect("latest years"), latest);

    let recent = store.recent_publications(2).await.expect("recent");
    let got: Vec<(OrgId, i16, u32)> = recent.iter().map(|(a, v)| (*a, v.year, v.version)).collect();
    assert_eq!(got, [(education.id, 2024, 2), (neighbour.id, 2024, 1)], "newest first");
    assert_eq!(recent[0].1.reason.as_deref(), Some("更正"));

    let versions = store.latest_versions_everywhere(2024).await.expect("versions");
    let got: Vec<(OrgId, u32)> = versions.iter().map(|(a, v)| (*a, v.version)).collect();
    assert_eq!(
        got,
        latest
            .iter()
            .map(|(a, _)| (*a, if *a == education.id { 2 } else { 1 }))
            .collect::<Vec<_>>()
    );
    let reports = store.latest_reports_everywhere(2024).await.expect("reports");
    let education_2024 = reports.iter().find(|r| r.agency == education.id).expect("education");
    assert_eq!(education_2024, &corrected, "the latest version, as published");
    assert_eq!(reports.len(), 2);
    assert_eq!(
        store.latest_versions_everywhere(2023).await.expect("2023").len(),
        1,
        "only the year asked"
    );
    assert_eq!(store.latest_reports_everywhere(2025).await.expect("2025"), vec![]);
}
