//! The case-state cache behind the listing of applications: one row per case holding what the
//! caller derived from the case record — its phase, the next deadline and what it is for, the
//! closing day and outcome — at the case's version, next to the year and day of receipt.
//!
//! The store decides nothing here: [`CaseState::of`] reads a [`Case`] the caller replayed (or got
//! from [`Case::apply`]), and [`Store::create_case`] / [`Store::append_case_event`] write that
//! state in the same transaction as the record, so the cache never lags an accepted change.
//! Changes through the older [`Store::register_case`], [`Store::import_cases`] and
//! [`Store::append_event`], which carry no state, leave the case's row *not derived* (`state:
//! None`, listed first and as open) until [`Store::rebuild_case_state`] derives it again from the
//! records. The cache is never the truth: a rebuild from the records replaces it.
//!
//! [`Store::list_cases`] pages through an agency's cases by due date (earliest first; cases
//! without a running deadline last), filtered by open/closed, year of receipt and phase, on
//! indexes that serve each filter in due-date order (see `benches/list_cases.rs`).

use gongkai_cases::{Case, CaseId, CaseRecord, Intake, Outcome, Phase, Waiting};
use jiff::civil::Date;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Action};
use crate::orgs::{OrgId, agency_in};
use crate::{Ctx, Store, StoreError};

/// The largest page [`Store::list_cases`] returns.
pub const MAX_PAGE: u32 = 1000;

/// `due_day` of a row whose state was not derived at its version: listed first.
const NOT_DERIVED_DAY: i64 = 0;
/// `due_day` of a case with no deadline running: listed last.
const NO_DEADLINE_DAY: i64 = 99_991_231;

/// What the listing shows of a case, derived by the caller from the replayed [`Case`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseState {
    /// Where the case stands.
    pub phase: Phase,
    /// The deadline to act on next and what it is for ([`Case::next_deadline`]); `None` once
    /// closed or while no clock runs.
    pub next_deadline: Option<(Waiting, Date)>,
    /// The day it closed.
    pub closed: Option<Date>,
    /// Its outcome, once closed.
    pub outcome: Option<Outcome>,
}

impl CaseState {
    /// The state of a case as the domain derived it.
    pub fn of(case: &Case) -> CaseState {
        CaseState {
            phase: case.phase(),
            next_deadline: case.next_deadline(),
            closed: case.closed_on(),
            outcome: case.outcome(),
        }
    }
}

/// Which cases [`Store::list_cases`] lists. The default lists every case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Only cases not closed (cases whose state is not derived count as open).
    pub open_only: bool,
    /// Only cases received in this year.
    pub year: Option<i16>,
    /// Only cases in this phase (cases whose state is not derived have none).
    pub phase: Option<Phase>,
}

/// Which page: skip `offset` cases, return at most `limit` (capped at [`MAX_PAGE`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// Cases to skip.
    pub offset: u64,
    /// Cases to return at most.
    pub limit: u32,
}

/// One line of the listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseListItem {
    /// The case id.
    pub case: CaseId,
    /// The case's version (its number of events).
    pub version: u64,
    /// The day it was received (`None` only for a case stored before the cache existed and not
    /// rebuilt since).
    pub received: Option<Date>,
    /// Its state at `version`; `None` when it was not derived at this version (rebuild).
    pub state: Option<CaseState>,
}

/// A page of the listing and how many cases the filter matches in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CasePage {
    /// The cases of the page, by due date then case id.
    pub items: Vec<CaseListItem>,
    /// Cases matching the filter, on every page.
    pub total: u64,
}

/// What [`Store::rebuild_case_state`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Cases whose state was derived and written.
    pub derived: usize,
    /// Cases the function could not derive (their rows are left not derived).
    pub not_derived: Vec<CaseId>,
}

impl Store {
    /// A page of `agency`'s cases by due date (earliest first, then by case id; cases whose state
    /// is not derived first, cases with no deadline running last), and how many match.
    ///
    /// # Errors
    /// Database errors, or a stored row that cannot be read back.
    pub async fn list_cases(
        &self,
        agency: OrgId,
        filter: &CaseFilter,
        page: PageRequest,
    ) -> Result<CasePage, StoreError> {
        // Only the conditions in use, so that each query has one plain index to walk.
        let mut cond = String::from("agency_id = $1");
        let mut n = 1;
        // A phase other than closed implies open: only the phase's index is needed then.
        if filter.open_only && filter.phase == Some(Phase::Closed) {
            return Ok(CasePage { items: Vec::new(), total: 0 });
        }
        if filter.open_only && filter.phase.is_none() {
            cond.push_str(" AND is_open = 1");
        }
        if filter.year.is_some() {
            n += 1;
            cond.push_str(&format!(" AND year = ${n}"));
        }
        if filter.phase.is_some() {
            n += 1;
            cond.push_str(&format!(" AND phase = ${n}"));
        }
        let phase = filter.phase.map(key_of).transpose()?;
        let list = format!(
            "SELECT case_key, version, received_day, phase, waiting, due_day, closed_day, outcome \
             FROM case_state WHERE {cond} ORDER BY due_day, case_key LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let count = format!("SELECT count(*) FROM case_state WHERE {cond}");
        let mut tx = self.pool().begin().await?;
        let mut q = sqlx::query(&list).bind(agency.0);
        let mut c = sqlx::query_scalar::<_, i64>(&count).bind(agency.0);
        if let Some(year) = filter.year {
            q = q.bind(i64::from(year));
            c = c.bind(i64::from(year));
        }
        if let Some(phase) = &phase {
            q = q.bind(phase.clone());
            c = c.bind(phase.clone());
        }
        let offset = i64::try_from(page.offset).unwrap_or(i64::MAX);
        let rows =
            q.bind(i64::from(page.limit.min(MAX_PAGE))).bind(offset).fetch_all(&mut *tx).await?;
        let total = c.fetch_one(&mut *tx).await?;
        tx.commit().await?;
        let items = rows.iter().map(item_of_row).collect::<Result<_, _>>()?;
        Ok(CasePage { items, total: u64::try_from(total).unwrap_or(0) })
    }

    /// The open cases whose reply clock runs (processing, awaiting reasons) but whose cached
    /// state has no deadline — it lay after the last day of the calendar they were derived with —
    /// by agency and number. A calendar covering the next year determines them: replay them, and
    /// [`Store::rebuild_case_state`] the agencies where one changed.
    ///
    /// # Errors
    /// Database errors.
    pub async fn undetermined_deadlines(&self) -> Result<Vec<(OrgId, CaseId)>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT agency_id, case_key FROM case_state \
             WHERE is_open = 1 AND waiting IS NULL AND phase IN ($1, $2) \
             ORDER BY agency_id, case_key",
        )
        .bind(key_of(Phase::Processing)?)
        .bind(key_of(Phase::AwaitingReasons)?)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(agency, key)| (OrgId(agency), CaseId(key))).collect())
    }

    /// Derives again the state of every case of `agency` from its record with `derive` (e.g.
    /// replay with [`Case::replay`] and take [`CaseState::of`]), in one transaction with its
    /// audit entry. A record `derive` cannot derive (`None`) is left not derived and named.
    ///
    /// Safe while others append: a row is only replaced by the state of a version at least as
    /// new, so an append committed meanwhile keeps its own state.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; database errors.
    pub async fn rebuild_case_state<F>(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        derive: F,
    ) -> Result<Rebuilt, StoreError>
    where
        F: Fn(&CaseRecord) -> Option<CaseState>,
    {
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        let cases = crate::cases::load_all(&mut tx, agency).await?;
        let mut rebuilt = Rebuilt::default();
        for (row, case) in &cases {
            let state = derive(&case.record);
            match &state {
                Some(_) => rebuilt.derived += 1,
                None => rebuilt.not_derived.push(case.record.intake.id.clone()),
            }
            write(&mut tx, *row, agency, &case.record.intake, case.version, state.as_ref()).await?;
        }
        let subject = format!("{} cases", cases.len());
        audit::record(&mut tx, ctx, Some(agency), Action::CaseStateRebuilt, &subject).await?;
        tx.commit().await?;
        Ok(rebuilt)
    }
}

/// Writes the state of the case in row `case_row` at `version` (`None`: not derived), unless the
/// row already holds a newer version.
pub(crate) async fn write(
    tx: &mut Transaction<'_, Any>,
    case_row: i64,
    agency: OrgId,
    intake: &Intake,
    version: u64,
    state: Option<&CaseState>,
) -> Result<(), StoreError> {
    let received = intake.received();
    let (phase, waiting, due, closed, outcome) = match state {
        Some(s) => (
            Some(key_of(s.phase)?),
            s.next_deadline.map(|(w, _)| key_of(w)).transpose()?,
            s.next_deadline.map_or(NO_DEADLINE_DAY, |(_, d)| day(d)),
            s.closed.map(day),
            s.outcome.map(|o| o.to_string()),
        ),
        None => (None, None, NOT_DERIVED_DAY, None, None),
    };
    let open = state.is_none_or(|s| s.phase != Phase::Closed);
    sqlx::query(
        "INSERT INTO case_state (case_id, agency_id, case_key, version, year, received_day, \
         phase, is_open, waiting, due_day, closed_day, outcome) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, year = excluded.year, \
         received_day = excluded.received_day, phase = excluded.phase, \
         is_open = excluded.is_open, waiting = excluded.waiting, due_day = excluded.due_day, \
         closed_day = excluded.closed_day, outcome = excluded.outcome \
         WHERE case_state.version <= excluded.version",
    )
    .bind(case_row)
    .bind(agency.0)
    .bind(&intake.id.0)
    .bind(crate::cases::to_db(version)?)
    .bind(i64::from(received.year()))
    .bind(day(received))
    .bind(phase)
    .bind(i64::from(open))
    .bind(waiting)
    .bind(due)
    .bind(closed)
    .bind(outcome)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn item_of_row(row: &AnyRow) -> Result<CaseListItem, StoreError> {
    let key: String = row.try_get(0)?;
    let version: i64 = row.try_get(1)?;
    let received: i64 = row.try_get(2)?;
    let phase: Option<String> = row.try_get(3)?;
    let state = match phase {
        None => None,
        Some(phase) => {
            let waiting: Option<String> = row.try_get(4)?;
            let due: i64 = row.try_get(5)?;
            let next_deadline = match waiting {
                Some(w) => Some((from_key(&w, "case state waiting")?, date_of(due)?)),
                None => None,
            };
            let outcome: Option<String> = row.try_get(7)?;
            Some(CaseState {
                phase: from_key(&phase, "case state phase")?,
                next_deadline,
                closed: row.try_get::<Option<i64>, _>(6)?.map(date_of).transpose()?,
                outcome: outcome.map(|o| from_key(&o, "case state outcome")).transpose()?,
            })
        }
    };
    Ok(CaseListItem {
        version: u64::try_from(version)
            .map_err(|_| StoreError::Corrupt { what: "case version", detail: key.clone() })?,
        case: CaseId(key),
        received: if received == 0 { None } else { Some(date_of(received)?) },
        state,
    })
}

/// A day as the integer YYYYMMDD.
fn day(d: Date) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

/// The day of a YYYYMMDD integer.
fn date_of(n: i64) -> Result<Date, StoreError> {
    let corrupt = || StoreError::Corrupt { what: "case state day", detail: n.to_string() };
    let part = |v: i64| i8::try_from(v).map_err(|_| corrupt());
    let year = i16::try_from(n / 10_000).map_err(|_| corrupt())?;
    Date::new(year, part(n / 100 % 100)?, part(n % 100)?).map_err(|_| corrupt())
}

/// The serde key of a unit variant (`awaiting_correction`).
fn key_of<T: Serialize>(value: T) -> Result<String, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        other => Err(StoreError::Corrupt { what: "case state key", detail: format!("{other:?}") }),
    }
}

fn from_key<T: DeserializeOwned>(key: &str, what: &'static str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(key.to_owned()))
        .map_err(|e| StoreError::Corrupt { what, detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn days_sort_as_integers_and_read_back() {
        let days = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 2, 9), date(2025, 10, 1)];
        let ints: Vec<i64> = days.iter().map(|d| day(*d)).collect();
        assert!(ints.windows(2).all(|w| w[0] < w[1]), "{ints:?}");
        assert!(ints.iter().all(|n| NOT_DERIVED_DAY < *n && *n < NO_DEADLINE_DAY));
        for d in days {
            assert_eq!(date_of(day(d)).ok(), Some(d));
        }
        assert!(date_of(20_250_230).is_err());
        assert!(date_of(-1).is_err());
    }

    #[test]
    fn keys_are_the_serde_names() {
        assert_eq!(key_of(Phase::AwaitingCorrection).ok().as_deref(), Some("awaiting_correction"));
        assert_eq!(
            key_of(Waiting::ConsultationAnswer).ok().as_deref(),
            Some("consultation_answer")
        );
        for phase in Phase::ALL {
            let key = key_of(phase).unwrap_or_default();
            assert_eq!(from_key::<Phase>(&key, "phase").ok(), Some(phase));
        }
        assert!(from_key::<Phase>("nonsense", "phase").is_err());
    }
}
