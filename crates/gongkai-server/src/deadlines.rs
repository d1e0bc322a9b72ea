//! Deadlines that a newer calendar determines.
//!
//! A case received late in the last year the calendar covers has its reply deadline in a year
//! whose holidays were unknown when it was registered: the case-state cache holds it with a
//! running clock and no deadline ([`gongkai_cases::Case::reply_due_after_calendar`]). A gongkai
//! that ships the next year's holiday notice determines those deadlines, so at start the server
//! derives again the states of the agencies holding such cases. With an unchanged calendar the
//! derivation gives the same "after the last day" state; the query that finds them is one scan
//! of the open cases without a deadline, cheap when there are none.

use gongkai_cases::Case;
use gongkai_store::{CaseState, Ctx};

use crate::error::AppError;
use crate::state::AppState;

/// What [`settle`] did: agencies and cases derived again, and cases whose records no longer
/// replay (left not derived, listed first; their pages say why).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// Agencies whose cases were derived again.
    pub agencies: usize,
    /// Cases derived.
    pub derived: usize,
    /// Cases that could not be derived.
    pub not_derived: usize,
}

/// Derives again, with the server's calendar and today's date, every case of each agency that
/// holds a case with an undetermined deadline; one transaction (and one audit entry) per agency.
///
/// # Errors
/// Database errors.
pub async fn settle(state: &AppState) -> Result<Settled, AppError> {
    let agencies = state.store.agencies_with_undetermined_deadlines().await?;
    let today = state.clock.today();
    let env = state.env();
    let ctx = Ctx { user: None, at: state.clock.now(), origin: "start".into() };
    let mut settled = Settled { agencies: agencies.len(), ..Settled::default() };
    for agency in agencies {
        let derive = |record: &gongkai_cases::CaseRecord| {
            Case::replay(record.clone(), today, env).ok().map(|c| CaseState::of(&c))
        };
        let rebuilt = state.store.rebuild_case_state(&ctx, agency, derive).await?;
        settled.derived += rebuilt.derived;
        settled.not_derived += rebuilt.not_derived.len();
    }
    Ok(settled)
}
