//! An office's subtree and its agencies' latest published reports, run on both backends by
//! `main.rs`.

use gongkai_store::{Level, NewOrg, Org, OrgId, OrgKind, Publication, RegionCode, Store};

use crate::stories::ctx;
use crate::support::Fresh;

async fn org(store: &Store, parent: Option<OrgId>, kind: OrgKind, level: Level, name: &str) -> Org {
    let new = NewOrg {
        parent,
        kind,
        name: name.into(),
        level,
        region: RegionCode::parse("330100").expect("region"),
    };
    store.create_org(&ctx(None), &new).await.expect(name)
}

/// A city office with agencies of its own, a county office under it (with a township office
/// under that), and another city beside it.
struct Tree {
    city: Org,
    county: Org,
    township: Org,
    city_finance: Org,
    city_education: Org,
    county_education: Org,
    county_health: Org,
    town_government: Org,
    other_city_agency: Org,
}

async fn tree(store: &Store) -> Tree {
    use Level::{County, Municipal, Township};
    use OrgKind::{Agency, Office};
    let city = org(store, None, Office, Municipal, "市政务公开办").await;
    let other_city = org(store, None, Office, Municipal, "邻市政务公开办").await;
    // Created in an order that is neither the level order nor the name order.
    let county = org(store, Some(city.id), Office, County, "县政务公开办").await;
    let county_health = org(store, Some(county.id), Agency, County, "县卫生健康局").await;
    let township = org(store, Some(county.id), Office, Township, "镇政务公开办").await;
    let city_finance = org(store, Some(city.id), Agency, Municipal, "市财政局").await;
    let town_government = org(store, Some(township.id), Agency, Township, "镇人民政府").await;
    let county_education = org(store, Some(county.id), Agency, County, "县教育局").await;
    let city_education = org(store, Some(city.id), Agency, Municipal, "市教育局").await;
    let other_city_agency = org(store, Some(other_city.id), Agency, Municipal, "邻市教育局").await;
    Tree {
        city,
        county,
        township,
        city_finance,
        city_education,
        county_education,
        county_health,
        town_government,
        other_city_agency,
    }
}

fn names(orgs: &[Org]) -> Vec<&str> {
    orgs.iter().map(|o| o.name.as_str()).collect()
}

/// The subtree of an office is everything below it, however deep, ordered by level then name;
/// nothing beside or above it, not the office itself.
pub async fn subtrees_reach_every_level(fresh: &Fresh) {
    let store = &fresh.store;
    let t = tree(store).await;
    let city = store.subtree(t.city.id).await.expect("subtree");
    // Municipal first, then county, then township; by name (code point order) within a level.
    let expected = [
        (Level::Municipal, "市教育局"),
        (Level::Municipal, "市财政局"),
        (Level::County, "县卫生健康局"),
        (Level::County, "县政务公开办"),
        (Level::County, "县教育局"),
        (Level::Township, "镇人民政府"),
        (Level::Township, "镇政务公开办"),
    ];
    let got: Vec<(Level, &str)> = city.iter().map(|o| (o.level, o.name.as_str())).collect();
    assert_eq!(got, expected);
    assert!(city.contains(&t.town_government), "the orgs are whole: {city:?}");
    assert!(city.contains(&t.county), "sub-offices are in it");
    assert!(!city.iter().any(|o| o.id == t.city.id), "not the office itself");
    assert!(!city.iter().any(|o| o.id == t.other_city_agency.id), "not the neighbour's");

    let county = store.subtree(t.county.id).await.expect("subtree");
    assert_eq!(names(&county), ["县卫生健康局", "县教育局", "镇人民政府", "镇政务公开办"]);
    let township = store.subtree(t.township.id).await.expect("subtree");
    assert_eq!(township, vec![t.town_government.clone()]);
    assert_eq!(store.subtree(t.city_finance.id).await.expect("an agency"), vec![]);
    assert_eq!(store.subtree(OrgId(9999)).await.expect("unknown"), vec![]);
    assert_eq!(store.subtree(OrgId(0)).await.expect("no such office"), vec![]);
}

/// For every agency of the subtree, its latest version of the year; other years, other offices'
/// agencies and agencies that have not published are not in it.
pub async fn latest_reports_of_a_subtree(fresh: &Fresh) {
    let store = &fresh.store;
    let t = tree(store).await;
    let c = ctx(None);
    let publish = |agency: OrgId, year: i16, report: &'static str, reason: Option<&'static str>| {
        let c = c.clone();
        async move {
            let p = Publication { year, report, reason };
            store.publish_report(&c, agency, &p).await.expect("publish")
        }
    };
    publish(t.city_finance.id, 2024, r#"{"v":"finance 2024"}"#, None).await;
    publish(t.city_finance.id, 2023, r#"{"v":"finance 2023"}"#, None).await;
    publish(t.county_education.id, 2024, r#"{"v":"education v1"}"#, None).await;
    let v2 = publish(t.county_education.id, 2024, r#"{"v":"education v2"}"#, Some("更正")).await;
    let v3 = publish(t.county_education.id, 2024, r#"{"v":"education v3"}"#, Some("再更正")).await;
    publish(t.town_government.id, 2024, r#"{"v":"town 2024"}"#, None).await;
    publish(t.other_city_agency.id, 2024, r#"{"v":"neighbour"}"#, None).await;
    publish(t.county_health.id, 2023, r#"{"v":"health 2023"}"#, None).await;

    let city = store.latest_reports(t.city.id, 2024).await.expect("latest");
    let got: Vec<(OrgId, u32, &str)> =
        city.iter().map(|r| (r.agency, r.version.version, r.report.as_str())).collect();
    let mut expected = vec![
        (t.city_finance.id, 1, r#"{"v":"finance 2024"}"#),
        (t.county_education.id, 3, r#"{"v":"education v3"}"#),
        (t.town_government.id, 1, r#"{"v":"town 2024"}"#),
    ];
    expected.sort_by_key(|e| e.0);
    assert_eq!(got, expected, "by agency id, the latest version only");
    let education = city.iter().find(|r| r.agency == t.county_education.id).expect("education");
    assert_eq!(education, &v3, "the whole version, as published");
    assert_ne!(education.version.sha256, v2.version.sha256);
    assert!(city.iter().all(|r| r.version.year == 2024));
    assert!(!city.iter().any(|r| r.agency == t.city_education.id), "not published");

    let county = store.latest_reports(t.county.id, 2023).await.expect("latest");
    let got: Vec<OrgId> = county.iter().map(|r| r.agency).collect();
    assert_eq!(got, [t.county_health.id], "the county's 2023: not the city's own agency");
    assert_eq!(store.latest_reports(t.township.id, 2023).await.expect("latest"), vec![]);
    assert_eq!(store.latest_reports(t.city_finance.id, 2024).await.expect("agency"), vec![]);
    assert_eq!(store.latest_reports(t.city.id, 2025).await.expect("no year"), vec![]);

    // The same versions without their text.
    let versions = store.latest_versions(t.city.id, 2024).await.expect("versions");
    let full: Vec<(OrgId, gongkai_store::ReportVersion)> =
        city.iter().map(|r| (r.agency, r.version.clone())).collect();
    assert_eq!(versions, full);
    assert_eq!(store.latest_versions(t.township.id, 2023).await.expect("versions"), vec![]);
}

/// The agencies of a subtree with a saved draft for a year.
pub async fn drafts_of_a_subtree(fresh: &Fresh) {
    use std::collections::BTreeMap;

    use gongkai_store::DraftSave;
    let store = &fresh.store;
    let t = tree(store).await;
    let c = ctx(None);
    let prose = BTreeMap::new();
    let tables = r#"{"format":"gongkai-report","year":2025}"#;
    for (agency, year) in [
        (t.county_health.id, 2025),
        (t.town_government.id, 2025),
        (t.city_education.id, 2024),
        (t.other_city_agency.id, 2025),
    ] {
        store.save_draft(&c, agency, &DraftSave::new(year, 0, &prose, tables)).await.expect("save");
    }
    // A second version is still one agency.
    store
        .save_draft(&c, t.county_health.id, &DraftSave::new(2025, 1, &prose, tables))
        .await
        .expect("save again");
    let mut expected = vec![t.county_health.id, t.town_government.id];
    expected.sort();
    assert_eq!(store.drafted(t.city.id, 2025).await.expect("drafted"), expected);
    assert_eq!(store.drafted(t.township.id, 2025).await.expect("drafted"), [t.town_government.id]);
    assert_eq!(store.drafted(t.city.id, 2024).await.expect("drafted"), [t.city_education.id]);
    assert_eq!(store.drafted(t.county.id, 2024).await.expect("drafted"), vec![]);
}

/// A selection of published reports (the open data): the latest version of each agency and year
/// in the years, the subtree, the agency and the region asked for; by year, then agency id.
pub async fn selected_reports_by_years_subtree_agency_and_region(fresh: &Fresh) {
    use gongkai_store::Selection;
    let store = &fresh.store;
    let t = tree(store).await;
    let c = ctx(None);
    let beijing = NewOrg {
        parent: Some(t.city.id),
        kind: OrgKind::Agency,
        name: "京内机关".into(),
        level: Level::Municipal,
        region: RegionCode::parse("110101").expect("region"),
    };
    let beijing = store.create_org(&c, &beijing).await.expect("beijing");
    let publish = |agency: OrgId, year: i16, report: &'static str, reason: Option<&'static str>| {
        let c = c.clone();
        async move {
            let p = Publication { year, report, reason };
            store.publish_report(&c, agency, &p).await.expect("publish")
        }
    };
    publish(t.city_finance.id, 2023, r#"{"v":"finance 2023"}"#, None).await;
    publish(t.city_finance.id, 2024, r#"{"v":"finance 2024"}"#, None).await;
    publish(t.county_education.id, 2024, r#"{"v":"education v1"}"#, None).await;
    publish(t.county_education.id, 2024, r#"{"v":"education v2"}"#, Some("更正")).await;
    publish(t.other_city_agency.id, 2024, r#"{"v":"neighbour"}"#, None).await;
    publish(beijing.id, 2022, r#"{"v":"beijing"}"#, None).await;

    let all = Selection { years: 2008..=2100, office: None, agency: None, region: None };
    let got = store.selected_reports(&all).await.expect("all");
    let list: Vec<(i16, OrgId, u32, &str)> = got
        .iter()
        .map(|r| (r.version.year, r.agency, r.version.version, r.report.as_str()))
        .collect();
    let mut y2024 = vec![
        (2024, t.city_finance.id, 1, r#"{"v":"finance 2024"}"#),
        (2024, t.county_education.id, 2, r#"{"v":"education v2"}"#),
        (2024, t.other_city_agency.id, 1, r#"{"v":"neighbour"}"#),
    ];
    y2024.sort_by_key(|e| e.1);
    let mut expected = vec![
        (2022, beijing.id, 1, r#"{"v":"beijing"}"#),
        (2023, t.city_finance.id, 1, r#"{"v":"finance 2023"}"#),
    ];
    expected.extend(y2024);
    assert_eq!(list, expected, "by year then agency, the latest version only");
    let versions = store.selected_versions(&all).await.expect("versions");
    let full: Vec<_> = got.iter().map(|r| (r.agency, r.version.clone())).collect();
    assert_eq!(versions, full, "the same without the texts");

    async fn ids(store: &Store, s: &Selection<'_>) -> Vec<(OrgId, i16)> {
        store
            .selected_versions(s)
            .await
            .expect("selection")
            .into_iter()
            .map(|(a, v)| (a, v.year))
            .collect()
    }
    let county = Selection { office: Some(t.county.id), ..all.clone() };
    assert_eq!(ids(store, &county).await, [(t.county_education.id, 2024)]);
    let years = Selection { years: 2023..=2023, ..all.clone() };
    assert_eq!(ids(store, &years).await, [(t.city_finance.id, 2023)]);
    let agency = Selection { agency: Some(t.city_finance.id), ..all.clone() };
    assert_eq!(ids(store, &agency).await, [(t.city_finance.id, 2023), (t.city_finance.id, 2024)]);
    let region = Selection { region: Some("11"), ..all.clone() };
    assert_eq!(ids(store, &region).await, [(beijing.id, 2022)]);
    let full_code = Selection { region: Some("110101"), office: Some(t.city.id), ..all.clone() };
    assert_eq!(ids(store, &full_code).await, [(beijing.id, 2022)]);
    let nothing = Selection { region: Some("1%"), ..all.clone() };
    assert_eq!(ids(store, &nothing).await, [], "a region is digits");
    let other = Selection { office: Some(t.township.id), ..all.clone() };
    assert_eq!(ids(store, &other).await, []);
}
