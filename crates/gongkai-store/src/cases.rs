//! Case records exactly as [`CaseRecord`]: the intake, written once, and the events, appended one
//! at a time and never changed. Everything else about a case is replayed from them by
//! [`gongkai_cases::Case::replay`].
//!
//! A case carries a version, the number of its events. An append names the version its author
//! saw; when another append came first, the append is refused with a [`Conflict`] that carries
//! the current record, so that the author can look again — never a lost update. Cases are keyed by
//! their agency and their [`CaseId`]: there is no way to reach a case without naming its agency.

use std::collections::BTreeMap;

use gongkai_cases::{CaseEvent, CaseId, CaseRecord, Intake, PersonalData};
use gongkai_model::Msg;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Action};
use crate::case_state::{self, CaseState};
use crate::error::exists_or;
use crate::orgs::{OrgId, agency_in};
use crate::{Ctx, Entity, Store, StoreError};

/// A case record as stored: its agency, its version and the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCase {
    /// The agency that handles it.
    pub agency: OrgId,
    /// The number of its events; the version an append names.
    pub version: u64,
    /// The intake and the events, in order.
    pub record: CaseRecord,
}

/// An append refused because another came first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The version the refused append named.
    pub expected: u64,
    /// The case as it is now.
    pub current: StoredCase,
}

/// A case to import: its record (with its history) and the applicant's personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The record.
    pub record: CaseRecord,
    /// The applicant's personal data, kept apart.
    pub personal: Option<PersonalData>,
}

/// A case to create with the state the caller derived from it ([`Store::create_case`],
/// [`Store::create_cases`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewCase {
    /// The record: the intake, and the events of its history when it has one (an import).
    pub record: CaseRecord,
    /// The applicant's personal data, kept apart.
    pub personal: Option<PersonalData>,
    /// The state the caller derived by replaying `record` ([`CaseState::of`]).
    pub state: CaseState,
}

impl NewCase {
    /// A case to create.
    pub fn new(record: CaseRecord, personal: Option<PersonalData>, state: CaseState) -> NewCase {
        NewCase { record, personal, state }
    }
}

/// An event to append with the state the caller derived ([`Store::append_case_event`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Append<'a> {
    /// The version the caller saw (the number of events).
    pub expected: u64,
    /// The event, accepted by [`gongkai_cases::Case::apply`] against the case at `expected`.
    pub event: &'a CaseEvent,
    /// The state of the case after the event ([`CaseState::of`] of what `apply` returned).
    pub state: &'a CaseState,
}

impl<'a> Append<'a> {
    /// An append.
    pub fn new(expected: u64, event: &'a CaseEvent, state: &'a CaseState) -> Append<'a> {
        Append { expected, event, state }
    }
}

impl Store {
    /// Registers a new application of `agency`, with the applicant's personal data (kept in its
    /// own table). The case starts at version 0. It carries no state, so the case is listed as
    /// not derived until [`Store::rebuild_case_state`]; see [`Store::create_case`].
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; [`StoreError::Exists`] for a case
    /// id the agency has already; [`StoreError::Invalid`] when the personal data names another
    /// case.
    pub async fn register_case(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        intake: &Intake,
        personal: Option<&PersonalData>,
    ) -> Result<StoredCase, StoreError> {
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        let record = CaseRecord { intake: intake.clone(), events: Vec::new() };
        insert_case(&mut tx, agency, &record, personal, None).await?;
        audit::record(&mut tx, ctx, Some(agency), Action::CaseRegistered, &intake.id.0).await?;
        tx.commit().await?;
        Ok(StoredCase { agency, version: 0, record })
    }

    /// Imports case records with their histories: all of them, or — on any error — none.
    /// Returns how many were imported.
    ///
    /// # Errors
    /// As [`Store::register_case`], for the first record that fails.
    pub async fn import_cases(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        cases: &[Import],
    ) -> Result<usize, StoreError> {
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        for case in cases {
            insert_case(&mut tx, agency, &case.record, case.personal.as_ref(), None).await?;
        }
        let subject = format!("{} cases", cases.len());
        audit::record(&mut tx, ctx, Some(agency), Action::CasesImported, &subject).await?;
        tx.commit().await?;
        Ok(cases.len())
    }

    /// Appends one event to a case of `agency`, if the case is still at `expected` version.
    /// Returns the case after the append (at `expected + 1`).
    ///
    /// The caller has checked the event with [`gongkai_cases::Case::apply`] against the case at
    /// `expected`; the version makes sure nothing came in between. This append carries no state,
    /// so the case is listed as not derived until [`Store::rebuild_case_state`]: the web
    /// application appends with [`Store::append_case_event`].
    ///
    /// # Errors
    /// [`StoreError::Conflict`] with the current case when it is no longer at `expected`;
    /// [`StoreError::NotFound`] when `agency` has no such case.
    pub async fn append_event(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        case: &CaseId,
        expected: u64,
        event: &CaseEvent,
    ) -> Result<StoredCase, StoreError> {
        self.append_inner(ctx, agency, case, expected, event, None).await
    }

    /// Registers a case of `agency` with its state for the listing, in one transaction: the
    /// record (with its history, if it has events; its version is their number), the personal
    /// data, the state and the audit entry.
    ///
    /// # Errors
    /// As [`Store::register_case`].
    pub async fn create_case(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        new: &NewCase,
    ) -> Result<StoredCase, StoreError> {
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        insert_case(&mut tx, agency, &new.record, new.personal.as_ref(), Some(&new.state)).await?;
        let id = &new.record.intake.id;
        audit::record(&mut tx, ctx, Some(agency), Action::CaseRegistered, &id.0).await?;
        tx.commit().await?;
        Ok(StoredCase { agency, version: events_version(&new.record)?, record: new.record.clone() })
    }

    /// Creates many cases of `agency` with their states: all of them, or — on any error — none.
    /// Returns how many were created.
    ///
    /// # Errors
    /// As [`Store::create_case`], for the first case that fails.
    pub async fn create_cases(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        cases: &[NewCase],
    ) -> Result<usize, StoreError> {
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        for new in cases {
            insert_case(&mut tx, agency, &new.record, new.personal.as_ref(), Some(&new.state))
                .await?;
        }
        let subject = format!("{} cases", cases.len());
        audit::record(&mut tx, ctx, Some(agency), Action::CasesImported, &subject).await?;
        tx.commit().await?;
        Ok(cases.len())
    }

    /// Appends one event to a case of `agency`, if the case is still at `append.expected`, and
    /// writes the state the caller derived after it, in one transaction. Returns the case after
    /// the append.
    ///
    /// # Errors
    /// As [`Store::append_event`].
    pub async fn append_case_event(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        case: &CaseId,
        append: &Append<'_>,
    ) -> Result<StoredCase, StoreError> {
        self.append_inner(ctx, agency, case, append.expected, append.event, Some(append.state))
            .await
    }

    async fn append_inner(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        case: &CaseId,
        expected: u64,
        event: &CaseEvent,
        state: Option<&CaseState>,
    ) -> Result<StoredCase, StoreError> {
        let json = serde_json::to_string(event)
            .map_err(|e| StoreError::Corrupt { what: "case event", detail: e.to_string() })?;
        let version = to_db(expected)?;
        let mut tx = self.write().await?;
        // The version check and the claim of the next sequence number are one statement: a
        // concurrent append waits for this one and then finds the version moved.
        let claimed = sqlx::query(
            "UPDATE cases SET version = version + 1 \
             WHERE agency_id = $1 AND case_key = $2 AND version = $3 RETURNING id",
        )
        .bind(agency.0)
        .bind(&case.0)
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = claimed else {
            tx.rollback().await?;
            return Err(match self.case(agency, case).await? {
                Some(current) => StoreError::Conflict(Box::new(Conflict { expected, current })),
                None => StoreError::NotFound { what: Entity::Case, key: case.0.clone() },
            });
        };
        let id: i64 = row.try_get(0)?;
        sqlx::query("INSERT INTO case_events (case_id, seq, event) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(version + 1)
            .bind(&json)
            .execute(&mut *tx)
            .await?;
        let subject = format!("{} {}", case.0, version + 1);
        audit::record(&mut tx, ctx, Some(agency), Action::EventAppended, &subject).await?;
        let stored = load(&mut tx, agency, case)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: Entity::Case, key: case.0.clone() })?;
        let intake = &stored.record.intake;
        case_state::write(&mut tx, id, agency, intake, stored.version, state).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The case `id` of `agency` (`None` for another agency's case as for no case).
    ///
    /// # Errors
    /// Database errors, or a stored record that cannot be read back.
    pub async fn case(&self, agency: OrgId, id: &CaseId) -> Result<Option<StoredCase>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let case = load(&mut tx, agency, id).await?;
        tx.commit().await?;
        Ok(case)
    }

    /// Every case of `agency`, by case id.
    ///
    /// # Errors
    /// As [`Store::case`].
    pub async fn cases(&self, agency: OrgId) -> Result<Vec<StoredCase>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let cases = load_all(&mut tx, agency).await?;
        tx.commit().await?;
        Ok(cases.into_iter().map(|(_, c)| c).collect())
    }
}

/// Every case of `agency` with its row id, by case id: two queries whatever the number of
/// cases (the cases, then all their events).
pub(crate) async fn load_all(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
) -> Result<Vec<(i64, StoredCase)>, StoreError> {
    let heads = sqlx::query(
        "SELECT id, case_key, intake, version FROM cases WHERE agency_id = $1 ORDER BY case_key",
    )
    .bind(agency.0)
    .fetch_all(&mut **tx)
    .await?;
    let rows = sqlx::query(
        "SELECT e.case_id, e.seq, e.event FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE c.agency_id = $1 ORDER BY e.case_id, e.seq",
    )
    .bind(agency.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut events: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for row in rows {
        events.entry(row.try_get(0)?).or_default().push((row.try_get(1)?, row.try_get(2)?));
    }
    let mut out = Vec::with_capacity(heads.len());
    for head in heads {
        let case_row: i64 = head.try_get(0)?;
        let id = CaseId(head.try_get(1)?);
        let intake = head.try_get::<String, _>(2)?;
        let stored = events.remove(&case_row).unwrap_or_default();
        out.push((case_row, assemble(agency, &id, &intake, head.try_get(3)?, stored)?));
    }
    Ok(out)
}

/// Inserts a case with its events and personal data.
async fn insert_case(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    record: &CaseRecord,
    personal: Option<&PersonalData>,
    state: Option<&CaseState>,
) -> Result<(), StoreError> {
    let id = &record.intake.id;
    if let Some(p) = personal.filter(|p| p.case != *id) {
        return Err(StoreError::Invalid(Msg::new(
            format!("申请人个人信息属于案件 {}，不属于案件 {id}", p.case),
            format!("the personal data belongs to case {}, not to case {id}", p.case),
        )));
    }
    let intake = to_json(&record.intake, "case intake")?;
    let version = events_version(record)?;
    let row = sqlx::query(
        "INSERT INTO cases (agency_id, case_key, intake, version) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(agency.0)
    .bind(&id.0)
    .bind(intake)
    .bind(to_db(version)?)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| exists_or(e, Entity::Case, &id.0))?;
    let case_row: i64 = row.try_get(0)?;
    for (seq, event) in (1_i64..).zip(&record.events) {
        sqlx::query("INSERT INTO case_events (case_id, seq, event) VALUES ($1, $2, $3)")
            .bind(case_row)
            .bind(seq)
            .bind(to_json(event, "case event")?)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(p) = personal {
        crate::personal::insert(tx, case_row, p).await?;
    }
    case_state::write(tx, case_row, agency, &record.intake, version, state).await
}

/// The version of a record: its number of events.
fn events_version(record: &CaseRecord) -> Result<u64, StoreError> {
    u64::try_from(record.events.len()).map_err(|_| StoreError::Corrupt {
        what: "case version",
        detail: record.intake.id.0.clone(),
    })
}

/// Loads a case and its events as of one version: the events `1..=version`, which exist and are
/// final once the version is visible, even if another append commits meanwhile.
pub(crate) async fn load(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    id: &CaseId,
) -> Result<Option<StoredCase>, StoreError> {
    let row =
        sqlx::query("SELECT id, intake, version FROM cases WHERE agency_id = $1 AND case_key = $2")
            .bind(agency.0)
            .bind(&id.0)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let case_row: i64 = row.try_get(0)?;
    let version: i64 = row.try_get(2)?;
    let rows = sqlx::query(
        "SELECT seq, event FROM case_events WHERE case_id = $1 AND seq <= $2 ORDER BY seq",
    )
    .bind(case_row)
    .bind(version)
    .fetch_all(&mut **tx)
    .await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        events.push((row.try_get(0)?, row.try_get(1)?));
    }
    assemble(agency, id, &row.try_get::<String, _>(1)?, version, events).map(Some)
}

/// A stored case from its rows: the intake's JSON, the version read with it and the events
/// `(seq, JSON)` in order. Events past `version` (appended after the version was read) are left
/// out; a gap in the sequence or a missing event is corruption.
fn assemble(
    agency: OrgId,
    id: &CaseId,
    intake: &str,
    version: i64,
    rows: Vec<(i64, String)>,
) -> Result<StoredCase, StoreError> {
    let intake: Intake = from_json(intake, "case intake")?;
    let mut events = Vec::with_capacity(rows.len());
    for (expected_seq, (seq, event)) in (1_i64..).zip(rows).take_while(|(_, (s, _))| *s <= version)
    {
        if seq != expected_seq {
            return Err(StoreError::Corrupt { what: "case events", detail: id.0.clone() });
        }
        events.push(from_json(&event, "case event")?);
    }
    let version = u64::try_from(version)
        .ok()
        .filter(|v| usize::try_from(*v).is_ok_and(|v| v == events.len()))
        .ok_or_else(|| StoreError::Corrupt { what: "case version", detail: id.0.clone() })?;
    Ok(StoredCase { agency, version, record: CaseRecord { intake, events } })
}

pub(crate) fn to_db(version: u64) -> Result<i64, StoreError> {
    i64::try_from(version)
        .map_err(|_| StoreError::Corrupt { what: "case version", detail: version.to_string() })
}

fn to_json<T: serde::Serialize>(value: &T, what: &'static str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt { what, detail: e.to_string() })
}

fn from_json<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &'static str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt { what, detail: e.to_string() })
}

/// Inserts a new case with its state (an import's new application).
pub(crate) async fn insert_new(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    new: &NewCase,
) -> Result<(), StoreError> {
    insert_case(tx, agency, &new.record, new.personal.as_ref(), Some(&new.state)).await
}

/// Appends `events` to a stored case read in this transaction, with the state after them.
pub(crate) async fn extend(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    stored: &StoredCase,
    events: &[CaseEvent],
    state: &CaseState,
) -> Result<(), StoreError> {
    let from = to_db(stored.version)?;
    let added = i64::try_from(events.len()).map_err(|_| StoreError::Corrupt {
        what: "case version",
        detail: events.len().to_string(),
    })?;
    let id = &stored.record.intake.id;
    let row = sqlx::query(
        "UPDATE cases SET version = $4 WHERE agency_id = $1 AND case_key = $2 AND version = $3 \
         RETURNING id",
    )
    .bind(agency.0)
    .bind(&id.0)
    .bind(from)
    .bind(from + added)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        // Another append came first (PostgreSQL: between the read and this update).
        let current = load(tx, agency, id)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: Entity::Case, key: id.0.clone() })?;
        return Err(StoreError::Conflict(Box::new(Conflict { expected: stored.version, current })));
    };
    let case_row: i64 = row.try_get(0)?;
    for (seq, event) in (from + 1..).zip(events) {
        sqlx::query("INSERT INTO case_events (case_id, seq, event) VALUES ($1, $2, $3)")
            .bind(case_row)
            .bind(seq)
            .bind(to_json(event, "case event")?)
            .execute(&mut **tx)
            .await?;
    }
    let version = stored.version + events.len() as u64;
    case_state::write(tx, case_row, agency, &stored.record.intake, version, Some(state)).await
}
