//! The office's status board (年报汇总) at scale: a city office with N agencies (default 2,000)
//! under 20 county offices, each agency with its 2024 and 2025 reports published (every tenth
//! agency publishes nothing for 2025, every seventh of the rest only a draft), then the board's
//! requests timed through the real router, against the baseline of the same run (a static asset
//! of the same router).
//!
//! ```text
//! cargo run --release -p gongkai-server --example bench_status -- [DB_URL] [N] [REPEATS]
//! ```
//!
//! Without `DB_URL`, a temporary SQLite store. The first board request checks every report
//! (cold: nothing checked yet in this process); the repeats show the board as it is served
//! afterwards (warm). Prints one Markdown table row per measurement.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use axum::body::Body;
use axum::http::Request;
use axum::http::header::AUTHORIZATION;
use gongkai_server::{AppState, Clock, Config};
use gongkai_store::{
    Ctx, DraftSave, Level, NewOrg, NewUser, OrgKind, Publication, RegionCode, Role, Store,
};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// A published report to vary (the renderer's 2023 sample).
const SAMPLE: &str = include_str!("../../gongkai-render/tests/data/sample-2023.json");
/// County offices under the city office.
const COUNTIES: usize = 20;

#[allow(clippy::print_stdout, reason = "the figures are what the program prints")]
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, rest) = common::leading_url(&args);
    let n: usize = rest.first().map_or(Ok(2_000), |s| s.parse()).context("N")?;
    let repeats: usize = rest.get(1).map_or(Ok(30), |s| s.parse()).context("REPEATS")?;
    if n < COUNTIES || repeats == 0 {
        bail!("usage: bench_status [DB_URL] [N ≥ {COUNTIES}] [REPEATS ≥ 1]");
    }
    let dir = tempfile::tempdir()?;
    let store = match &url {
        Some(url) => Store::open(url).await?,
        None => Store::open_data_dir(dir.path()).await?,
    };
    let now: jiff::Timestamp = "2026-03-16T02:00:00Z".parse()?;
    let started = Instant::now();
    let office = seed(&store, n, now).await?;
    println!("seeded {n} agencies ({} s)", started.elapsed().as_secs());

    let state = AppState::new(store, Config::default()).with_clock(Clock::Fixed(now));
    let router = gongkai_server::router(state);
    let login = Request::post("/api/v1/login").header("content-type", "application/json").body(
        Body::from(json!({"username": "bench-reviewer", "password": "bench-password"}).to_string()),
    )?;
    let answer = router.clone().oneshot(login).await?.into_body().collect().await?.to_bytes();
    let token =
        serde_json::from_slice::<Value>(&answer)?["token"].as_str().context("no token")?.to_owned();
    let get = |path: String| {
        let router = router.clone();
        let token = token.clone();
        async move {
            let request = Request::get(&path)
                .header(AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())?;
            let started = Instant::now();
            let response = router.oneshot(request).await?;
            let status = response.status();
            let bytes = response.into_body().collect().await?.to_bytes();
            let took = started.elapsed();
            anyhow::ensure!(status.is_success(), "{path}: {status}");
            Ok::<_, anyhow::Error>((took, bytes.len()))
        }
    };
    let board = format!("/offices/{}/reports", office.0);
    let (cold, size) = get(board.clone()).await?;
    println!("| request | p50 | p99 | max | size |");
    println!("|---|---|---|---|---|");
    println!(
        "| board page, first view (cold: every report checked) | {} | | | {} KB |",
        ms(cold),
        size / 1024
    );
    let lines = [
        ("baseline: static asset (/assets/favicon.svg)", "/assets/favicon.svg".to_owned()),
        ("board page (HTML), warm", board.clone()),
        ("board API (JSON), warm", format!("/api/v1/offices/{}/status", office.0)),
        ("board CSV, warm", format!("{board}.csv")),
        ("board page filtered (late only), warm", format!("{board}?late=1")),
        ("baseline again", "/assets/favicon.svg".to_owned()),
    ];
    for (label, path) in lines {
        let mut times = Vec::with_capacity(repeats);
        let mut size = 0;
        for _ in 0..repeats {
            let (t, s) = get(path.clone()).await?;
            times.push(t);
            size = s;
        }
        times.sort_unstable();
        let pick = |q: f64| {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss
            )]
            let i = ((times.len() - 1) as f64 * q).round() as usize;
            times[i]
        };
        println!(
            "| {label} | {} | {} | {} | {} KB |",
            ms(pick(0.5)),
            ms(pick(0.99)),
            ms(times[times.len() - 1]),
            size / 1024
        );
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The sample as one agency's report of a year.
fn report(agency: &str, year: i32, vary: usize) -> String {
    let mut v: Value = serde_json::from_str(SAMPLE).unwrap_or(Value::Null);
    v["meta"]["agency"] = json!(agency);
    v["meta"]["year"] = json!(year);
    // A different figure per agency, so that no two reports are the same text.
    v["tables"]["t2"]["cells"]["t2.licensing.decisions"] = json!((12_000 + vary).to_string());
    v.to_string()
}

/// The city office, its county offices and their agencies with their reports; a reviewer of the
/// city office. Returns the city office's id.
async fn seed(
    store: &Store,
    n: usize,
    now: jiff::Timestamp,
) -> anyhow::Result<gongkai_store::OrgId> {
    let ctx = Ctx { user: None, at: now, origin: "bench".into() };
    let region = RegionCode::parse("330100")?;
    let org = |parent, kind, level, name: String| NewOrg {
        parent,
        kind,
        name,
        level,
        region: region.clone(),
    };
    let city = store
        .create_org(&ctx, &org(None, OrgKind::Office, Level::Municipal, "基准市政务公开办".into()))
        .await?;
    let user = store
        .create_user(
            &ctx,
            &NewUser {
                username: "bench-reviewer".into(),
                display_name: "基准审核人".into(),
                password: "bench-password".into(),
            },
        )
        .await?;
    store.grant(&ctx, user.id, city.id, Role::OfficeReviewer).await?;
    let mut counties = Vec::with_capacity(COUNTIES);
    for c in 0..COUNTIES {
        let name = format!("第{c:02}县政务公开办");
        counties.push(
            store
                .create_org(&ctx, &org(Some(city.id), OrgKind::Office, Level::County, name))
                .await?,
        );
    }
    let published_2024 = Ctx { at: "2025-01-20T02:00:00Z".parse()?, ..ctx.clone() };
    let published_2025 = Ctx { at: "2026-01-25T02:00:00Z".parse()?, ..ctx.clone() };
    let prose = BTreeMap::new();
    for i in 0..n {
        let county = &counties[i % COUNTIES];
        let name = format!("第{i:04}号机关");
        let agency = store
            .create_org(&ctx, &org(Some(county.id), OrgKind::Agency, Level::County, name.clone()))
            .await?;
        let text = report(&name, 2024, i);
        store
            .publish_report(
                &published_2024,
                agency.id,
                &Publication { year: 2024, report: &text, reason: None },
            )
            .await?;
        if i % 10 == 0 {
            continue;
        }
        if i % 7 == 0 {
            let save = DraftSave::new(2025, 0, &prose, r#"{"format":"gongkai-report"}"#);
            store.save_draft(&ctx, agency.id, &save).await?;
            continue;
        }
        let text = report(&name, 2025, i);
        store
            .publish_report(
                &published_2025,
                agency.id,
                &Publication { year: 2025, report: &text, reason: None },
            )
            .await?;
    }
    Ok(city.id)
}
