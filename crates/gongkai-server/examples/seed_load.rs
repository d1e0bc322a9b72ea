//! Seeds a store for the load benchmarks (`scripts/bench-server`): the demo county, plus one
//! agency, 压力测试局, with N synthetic applications (default 100,000) and their listing states.
//!
//! ```text
//! cargo run --release -p gongkai-server --example seed_load -- DB_URL_OR_DATA_DIR PASSWORD [N]
//! ```
//!
//! The demo clerk (`demo-agency`) is made a clerk of the load agency too. Prints the load agency's
//! id. Idempotent: an agency that already has cases is left alone.

mod common;

use anyhow::{Context as _, bail};
use gongkai_cases::synth::{self, Plan};
use gongkai_server::{AppState, Config, demo};
use gongkai_store::{
    CaseFilter, CaseState, Ctx, Level, NewCase, NewOrg, OrgKind, PageRequest, Role,
};
use jiff::civil::date;

/// The load agency's name.
const AGENCY: &str = "压力测试局";
/// Cases written per transaction.
const BATCH: usize = 5_000;

#[allow(clippy::print_stdout, reason = "the load agency's id is what the program prints")]
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, password, rest @ ..] = args.as_slice() else {
        bail!("usage: seed_load DB_URL_OR_DATA_DIR PASSWORD [N]");
    };
    let n: usize = rest.first().map_or(Ok(100_000), |s| s.parse()).context("N")?;
    let store = common::open_target(target).await?;
    let state = AppState::new(store, Config::default());
    demo::seed(&state, password).await.context("seeding the demo county")?;
    let store = &state.store;
    let ctx = Ctx { user: None, at: state.clock.now(), origin: "bench".into() };
    let office =
        store.children(None).await?.into_iter().next().context("the demo office is missing")?;
    let existing = store.children(Some(office.id)).await?.into_iter().find(|o| o.name == AGENCY);
    let agency = match existing {
        Some(org) => org,
        None => {
            let new = NewOrg {
                parent: Some(office.id),
                kind: OrgKind::Agency,
                name: AGENCY.into(),
                level: Level::County,
                region: office.region.clone(),
            };
            store.create_org(&ctx, &new).await?
        }
    };
    if store
        .list_cases(agency.id, &CaseFilter::default(), PageRequest { offset: 0, limit: 1 })
        .await?
        .total
        == 0
    {
        let today = state.clock.today();
        let plan = Plan {
            agency: AGENCY.into(),
            from: date(2023, 1, 1),
            as_of: today,
            cases: n,
            proactive_items: 0,
            every_outcome: false,
            other_registers: false,
        };
        let register = synth::register(7, &plan, state.env());
        let cases = register
            .replay(today, state.env())
            .map_err(|e| anyhow::anyhow!("{} synthetic records do not replay", e.len()))?;
        let new: Vec<NewCase> = register
            .cases
            .iter()
            .zip(&cases)
            .map(|(record, case)| NewCase::new(record.clone(), None, CaseState::of(case)))
            .collect();
        for chunk in new.chunks(BATCH) {
            store.create_cases(&ctx, agency.id, chunk).await?;
        }
    }
    // The demo clerk may read the load agency's applications (the benchmark signs in as them).
    let clerk = store
        .check_password(&ctx, "demo-agency", password)
        .await?
        .context("demo-agency does not open with this password")?;
    store.grant(&ctx, clerk.id, agency.id, Role::Clerk).await?;
    println!("{}", agency.id);
    Ok(())
}
