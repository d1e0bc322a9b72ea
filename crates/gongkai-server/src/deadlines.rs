//! Deadlines that a newer calendar determines.
//!
//! A case received late in the last year the calendar covers has its reply deadline in a year
//! whose holidays were unknown when it was registered: the case-state cache holds it with a
//! running clock and no deadline ([`gongkai_cases::Case::reply_due_after_calendar`]). Once the
//! server runs with the next year's holiday notice (`gongkai serve --calendar`, or a gongkai that
//! ships it), those deadlines are determined, so at start [`settle`] replays the cases the cache
//! holds as undetermined and derives again the agencies where one changed. With an unchanged
//! calendar it writes nothing (a read-only data directory still starts).

use gongkai_cases::Case;
use gongkai_store::{CaseState, Ctx, OrgId};

use crate::error::AppError;
use crate::state::AppState;

/// What [`settle`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// Cases the cache held with an undetermined deadline.
    pub undetermined: usize,
    /// Agencies whose cases were derived again (one of them had its deadline determined).
    pub agencies: usize,
    /// Cases derived in those agencies.
    pub derived: usize,
    /// Cases there that could not be derived (left not derived, listed first).
    pub not_derived: usize,
}

/// Replays, with the server's calendar and today's date, every case the cache holds with an
/// undetermined deadline; derives again every case of each agency where one is now determined,
/// one transaction (and one audit entry) per agency.
///
/// # Errors
/// Database errors.
pub async fn settle(state: &AppState) -> Result<Settled, AppError> {
    let cases = state.store.undetermined_deadlines().await?;
    let today = state.clock.today();
    let env = state.env();
    let mut settled = Settled { undetermined: cases.len(), ..Settled::default() };
    let mut changed: Vec<OrgId> = Vec::new();
    for (agency, id) in &cases {
        if changed.last() == Some(agency) {
            continue;
        }
        let Some(stored) = state.store.case(*agency, id).await? else { continue };
        let determined = Case::replay(stored.record, today, env)
            .is_ok_and(|c| c.reply_due_after_calendar().is_none());
        if determined {
            changed.push(*agency);
        }
    }
    let ctx = Ctx { user: None, at: state.clock.now(), origin: "start".into() };
    for agency in changed {
        let derive = |record: &gongkai_cases::CaseRecord| {
            Case::replay(record.clone(), today, env).ok().map(|c| CaseState::of(&c))
        };
        let rebuilt = state.store.rebuild_case_state(&ctx, agency, derive).await?;
        settled.agencies += 1;
        settled.derived += rebuilt.derived;
        settled.not_derived += rebuilt.not_derived.len();
    }
    Ok(settled)
}
