//! Seeds a store for the load and soak figures (`scripts/load`): the demo county, plus the
//! scaled county of [`gongkai_server::demo::seed_scaled`] — by default 2,000 agencies, each with
//! its register and 5 years of published reports, the last 200 of them without the last year
//! (for the deadline-day scenario), whose clerk and approver is the demo clerk `demo-agency`.
//!
//! ```text
//! cargo run --release -p gongkai-server --example seed_scaled -- DB_URL_OR_DATA_DIR PASSWORD \
//!     [AGENCIES] [YEARS] [PENDING] [PER_YEAR] [CONCURRENCY]
//! ```
//!
//! Prints one JSON line: the city office, the published years, the agencies with every year
//! published and the pending ones. Idempotent (see `seed_scaled`).

use std::time::Instant;

mod common;

use anyhow::{Context as _, bail};
use gongkai_server::demo::{self, Scale};
use gongkai_server::{AppState, Config};
use gongkai_store::Ctx;
use serde_json::json;

#[allow(clippy::print_stdout, clippy::print_stderr, reason = "the seeded ids are what it prints")]
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, password, rest @ ..] = args.as_slice() else {
        bail!("usage: seed_scaled DB_URL_OR_DATA_DIR PASSWORD [AGENCIES] [YEARS] [PENDING] …");
    };
    let number = |i: usize, default: usize, what: &str| {
        rest.get(i).map_or(Ok(default), |s| s.parse::<usize>()).context(what.to_owned())
    };
    let scale = Scale {
        agencies: number(0, 2_000, "AGENCIES")?,
        years: i16::try_from(number(1, 5, "YEARS")?).context("YEARS")?,
        pending: number(2, 200, "PENDING")?,
        per_year: number(3, 6, "PER_YEAR")?,
        concurrency: number(4, 4, "CONCURRENCY")?,
    };
    let store = common::open_target(target).await?;
    let state = AppState::new(store, Config::default());
    let started = Instant::now();
    demo::seed(&state, password).await.context("seeding the demo county")?;
    let ctx = Ctx { user: None, at: state.clock.now(), origin: "bench".into() };
    let clerk = state
        .store
        .check_password(&ctx, "demo-agency", password)
        .await?
        .context("demo-agency does not open with this password")?;
    let scaled = demo::seed_scaled(&state, scale, Some(clerk.id)).await?;
    eprintln!(
        "seeded {} agencies, {} reports published, in {:.1} s",
        scaled.agencies.len(),
        scaled.published,
        started.elapsed().as_secs_f64()
    );
    let published: Vec<i64> =
        scaled.agencies.iter().filter(|a| !scaled.pending.contains(a)).map(|a| a.0).collect();
    let pending: Vec<i64> = scaled.pending.iter().map(|a| a.0).collect();
    let line = json!({
        "office": scaled.office.0,
        "years": [scaled.years.0, scaled.years.1],
        "published": published,
        "pending": pending,
    });
    println!("{line}");
    Ok(())
}
