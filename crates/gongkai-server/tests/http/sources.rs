//! Where a published report's figures come from (`routes/report_sources.rs`): section 一's count
//! beside the disclosure column, every Table 2 cell beside the register entries it counts. Every
//! story runs on SQLite and PostgreSQL (see `main.rs`).

use axum::http::StatusCode;
use gongkai_cases::registers::{DocKind, NormativeDoc};
use gongkai_store::{Ctx, ImportMode, RegisterImport, RegisterSheet};
use jiff::civil::date;
use serde_json::Value;

use crate::support::{App, now};

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

/// Agency A's synthetic register, its 2024 report published from it; returns the API answer.
async fn published(app: &App) -> Value {
    let approver = crate::reports::with_register(app).await;
    let a = app.a.id.0;
    let form = format!("csrf={}&year=2024", approver.csrf);
    let r =
        app.post_form(&format!("/agencies/{a}/reports/publish"), &approver.cookies, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&format!("/api/v1/agencies/{a}/reports/2024/sources"), "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn cell<'a>(sources: &'a Value, key: &str) -> &'a Value {
    sources["table2"]
        .as_array()
        .and_then(|cells| cells.iter().find(|c| c["key"] == key))
        .unwrap_or_else(|| panic!("{key} in {sources}"))
}

/// A report published from the registers agrees with them cell by cell: each Table 2 cell lists
/// the entries it counts and their sum is the printed figure; section 一's figure is the
/// column's count. The report page links here.
pub async fn a_report_published_from_the_registers_traces_to_them(app: &App) {
    let sources = published(app).await;
    let a = app.a.id.0;
    let cells = sources["table2"].as_array().expect("cells");
    assert_eq!(cells.len(), 10, "every cell of Table 2 (2021 layout)");
    for c in cells {
        assert_eq!(c["check"], "agrees", "{c}");
        let sum: rust_decimal::Decimal = c["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| {
                e["amount"]
                    .as_str()
                    .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
                    .expect("an amount")
            })
            .sum();
        assert_eq!(sum.normalize().to_string(), c["counted"], "{c}");
    }
    // The synthetic register has documents, decisions and fees in 2024: some cell of each kind
    // lists entries, with the fields a reader needs.
    for (key, sheet) in [
        ("t2.normative_documents.in_force", "documents"),
        ("t2.licensing.decisions", "decisions"),
        ("t2.fees.amount_wan_yuan", "fees_collected"),
    ] {
        let entries = cell(&sources, key)["entries"].as_array().expect("entries");
        assert!(!entries.is_empty(), "{key}: {sources}");
        assert!(
            entries
                .iter()
                .all(|e| e["sheet"] == sheet && e["date"].as_str().is_some_and(|d| d.len() == 10)),
            "{key}"
        );
    }
    assert!(sources["proactive"]["printed"].as_u64().is_some(), "{sources}");
    assert_eq!(sources["proactive"]["printed"], sources["proactive"]["column"]);
    assert_eq!(sources["proactive"]["column_url"], format!("/agencies/{a}/column?year=2024"));

    let report = app.get(&format!("/agencies/{a}/reports/2024"), "").await;
    assert!(
        report.body.contains(&format!(
            "id=\"report-sources\" href=\"/agencies/{a}/reports/2024/sources\""
        )),
        "the report links to its sources"
    );
    let page = app.get(&format!("/agencies/{a}/reports/2024/sources"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"row-t2-fees-amount_wan_yuan\" class=\"check-agrees\""));
    assert!(!page.body.contains("check-differs"));
    let en = app.get(&format!("/agencies/{a}/reports/2024/sources?lang=en"), "").await;
    assert!(en.body.contains("Sum of the register entries") && !en.body.contains("台账条目合计"));
}

/// A register changed after publication: the page shows both numbers and marks the difference;
/// the printed figure stays as published.
pub async fn a_changed_register_shows_the_difference(app: &App) {
    let before = published(app).await;
    let a = app.a.id.0;
    let issued = "t2.normative_documents.issued";
    let printed = cell(&before, issued)["printed"].clone();
    let mut register = gongkai_cases::Register::new(app.a.name.clone());
    register.documents = vec![NormativeDoc {
        id: "GF-NEW".into(),
        kind: DocKind::NormativeDocument,
        title: "补录的规范性文件".into(),
        number: "县政发〔2024〕99号".into(),
        issued: date(2024, 11, 1),
        repealed: None,
    }];
    let import =
        RegisterImport::new(ImportMode::Append, vec![RegisterSheet::Documents], register, vec![])
            .with_correction("补录遗漏的规范性文件");
    app.state.store.import_register(&ctx(), app.a.id, &import).await.expect("appended");

    let r = app.get(&format!("/api/v1/agencies/{a}/reports/2024/sources"), "").await;
    let after = r.json();
    let c = cell(&after, issued);
    assert_eq!(c["printed"], printed, "the published figure is never replaced");
    assert_eq!(c["check"], "differs", "{c}");
    let counted: i64 = c["counted"].as_str().and_then(|s| s.parse().ok()).expect("counted");
    let was: i64 = printed.as_str().and_then(|s| s.parse().ok()).expect("printed");
    assert_eq!(counted, was + 1);
    assert!(c["entries"].as_array().is_some_and(|e| e.iter().any(|e| e["record"] == "GF-NEW")));
    let page = app.get(&format!("/agencies/{a}/reports/2024/sources"), "").await;
    assert!(page.body.contains("id=\"row-t2-normative_documents-issued\" class=\"check-differs\""));
    assert!(page.body.contains("不一致") && page.body.contains("补录的规范性文件"));
}

/// Nothing is traced before the year's report is published, for an office, or for a missing
/// agency; and no application or dispute is ever listed.
pub async fn only_published_years_of_agencies(app: &App) {
    let sources = published(app).await;
    let a = app.a.id.0;
    for path in [
        format!("/api/v1/agencies/{a}/reports/2025/sources"),
        format!("/agencies/{a}/reports/2025/sources"),
        format!("/api/v1/agencies/{a}/reports/2024/sources?version=9"),
        format!("/api/v1/agencies/{}/reports/2024/sources", app.office.id.0),
        "/api/v1/agencies/999999/reports/2024/sources".to_owned(),
    ] {
        assert_eq!(app.get(&path, "").await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let sheets: Vec<&str> = sources["table2"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["entries"].as_array().into_iter().flatten())
        .filter_map(|e| e["sheet"].as_str())
        .collect();
    assert!(!sheets.is_empty());
    assert!(
        sheets.iter().all(|s| ["documents", "decisions", "fees_collected"].contains(s)),
        "{sheets:?}"
    );
}
