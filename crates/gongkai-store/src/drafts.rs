//! Report drafts and year locks.
//!
//! A **draft** is an agency's annual report for a year while it is being written: the prose of
//! the editable sections (一, 五, 六 and any other text, keyed by the caller's section names) and
//! the computed tables as gongkai-report JSON. Each save is a new version, naming the version it
//! saw: a stale save is a [`DraftConflict`] carrying the current draft, never a lost edit.
//! Published versions ([`crate::reports`]) are never touched by a save.
//!
//! A **year lock** is recorded when year Y of an agency is published, in the publishing
//! transaction ([`Store::publish_report`]). After it, a change dated in a locked year or before
//! it — a case received, an event on that day, a register entry of that year — changes a
//! published report, so it is a *correction*: the store refuses it without a reason
//! ([`StoreError::YearLocked`]) and records the reason with it ([`Store::corrections`]); the
//! approver then publishes a new version of the report with a reason.

use std::collections::BTreeMap;

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::accounts::UserId;
use crate::audit::{self, Action};
use crate::orgs::{OrgId, SUBTREE, agency_in};
use crate::reports::check_publication;
use crate::{Ctx, Store, StoreError, from_millis, millis};

/// A saved version of a draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// The agency.
    pub agency: OrgId,
    /// The report year.
    pub year: i16,
    /// The version, from 1.
    pub version: u32,
    /// When it was saved.
    pub saved_at: Timestamp,
    /// Who saved it.
    pub saved_by: Option<UserId>,
    /// The editable text, by section name.
    pub prose: BTreeMap<String, String>,
    /// The computed tables as gongkai-report JSON (a JSON object).
    pub report: String,
}

/// A save of a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DraftSave<'a> {
    /// The report year.
    pub year: i16,
    /// The version the author saw; 0 for the first save.
    pub expected: u32,
    /// The editable text, by section name.
    pub prose: &'a BTreeMap<String, String>,
    /// The computed tables as gongkai-report JSON (a JSON object).
    pub report: &'a str,
}

impl<'a> DraftSave<'a> {
    /// A save.
    pub fn new(
        year: i16,
        expected: u32,
        prose: &'a BTreeMap<String, String>,
        report: &'a str,
    ) -> DraftSave<'a> {
        DraftSave { year, expected, prose, report }
    }
}

/// A save refused because another save came first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftConflict {
    /// The version the refused save named.
    pub expected: u32,
    /// The draft as it is now (`None`: there is none yet).
    pub current: Option<Draft>,
}

/// A published year of an agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearLock {
    /// The year.
    pub year: i16,
    /// When it was first published.
    pub locked_at: Timestamp,
    /// Who published it.
    pub locked_by: Option<UserId>,
}

/// A change made under a year lock, with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// The earliest locked year the change alters.
    pub year: i16,
    /// The case and the version the change made it; `None` for a register import.
    pub case: Option<(gongkai_cases::CaseId, u64)>,
    /// The register sheet changed, for a register import.
    pub sheet: Option<String>,
    /// Why.
    pub reason: String,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub user: Option<UserId>,
}

const DRAFT_COLUMNS: &str = "year, version, saved_at, saved_by, prose, report";

impl Store {
    /// Saves a new version of `agency`'s draft for a year, if the draft is still at
    /// `save.expected`.
    ///
    /// # Errors
    /// [`StoreError::DraftConflict`] with the current draft when another save came first;
    /// [`StoreError::Invalid`] for a year out of range or a report that is not a JSON object;
    /// [`StoreError::NotFound`] when `agency` is not an agency.
    pub async fn save_draft(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        save: &DraftSave<'_>,
    ) -> Result<Draft, StoreError> {
        check_publication(save.year, save.report)?;
        let prose = serde_json::to_string(save.prose)
            .map_err(|e| StoreError::Corrupt { what: "draft prose", detail: e.to_string() })?;
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        let current = latest_draft(&mut tx, agency, save.year).await?;
        if current.as_ref().map_or(0, |d| d.version) != save.expected {
            tx.rollback().await?;
            return Err(conflict(save.expected, current));
        }
        let version = i64::from(save.expected) + 1;
        let inserted = sqlx::query(
            "INSERT INTO report_drafts (agency_id, year, version, saved_at, saved_by, prose, \
             report) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(agency.0)
        .bind(i64::from(save.year))
        .bind(version)
        .bind(millis(ctx.at))
        .bind(ctx.user.map(|u| u.0))
        .bind(&prose)
        .bind(save.report)
        .execute(&mut *tx)
        .await;
        if let Err(sqlx::Error::Database(db)) = &inserted
            && db.is_unique_violation()
        {
            // A concurrent save of the same version (PostgreSQL) committed first.
            tx.rollback().await?;
            return Err(conflict(save.expected, self.draft(agency, save.year).await?));
        }
        inserted?;
        let subject = format!("{} v{version}", save.year);
        audit::record(&mut tx, ctx, Some(agency), Action::DraftSaved, &subject).await?;
        tx.commit().await?;
        Ok(Draft {
            agency,
            year: save.year,
            version: save.expected + 1,
            saved_at: ctx.at,
            saved_by: ctx.user,
            prose: save.prose.clone(),
            report: save.report.to_owned(),
        })
    }

    /// The latest saved draft of `agency` for `year`.
    ///
    /// # Errors
    /// Database errors, or a stored draft that cannot be read back.
    pub async fn draft(&self, agency: OrgId, year: i16) -> Result<Option<Draft>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let draft = latest_draft(&mut tx, agency, year).await?;
        tx.commit().await?;
        Ok(draft)
    }

    /// The agencies below `office` (its whole subtree, see [`Store::subtree`]) that have saved
    /// a draft for `year`, by id. One query (the office's status board asks for 2,000 agencies
    /// at once).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn drafted(&self, office: OrgId, year: i16) -> Result<Vec<OrgId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(&format!(
            "{SUBTREE} SELECT DISTINCT agency_id FROM report_drafts \
             WHERE agency_id IN (SELECT id FROM subtree) AND year = $2 ORDER BY agency_id"
        ))
        .bind(office.0)
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        Ok(ids.into_iter().map(OrgId).collect())
    }

    /// The published (locked) years of `agency`, oldest first.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn year_locks(&self, agency: OrgId) -> Result<Vec<YearLock>, StoreError> {
        let rows = sqlx::query(
            "SELECT year, locked_at, locked_by FROM year_locks WHERE agency_id = $1 ORDER BY year",
        )
        .bind(agency.0)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(YearLock {
                year: year_of(row.try_get(0)?)?,
                locked_at: from_millis(row.try_get(1)?)?,
                locked_by: row.try_get::<Option<i64>, _>(2)?.map(UserId),
            });
        }
        Ok(out)
    }

    /// The corrections made to `agency`'s records under year locks, oldest first.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn corrections(&self, agency: OrgId) -> Result<Vec<Correction>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.year, c.case_key, k.version, k.sheet, k.reason, k.at, k.user_id \
             FROM corrections k LEFT JOIN cases c ON c.id = k.case_id \
             WHERE k.agency_id = $1 ORDER BY k.id",
        )
        .bind(agency.0)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let key: Option<String> = row.try_get(1)?;
            let version: Option<i64> = row.try_get(2)?;
            let case = match (key, version) {
                (Some(k), Some(v)) => Some((
                    gongkai_cases::CaseId(k),
                    u64::try_from(v).map_err(|_| StoreError::Corrupt {
                        what: "correction version",
                        detail: v.to_string(),
                    })?,
                )),
                _ => None,
            };
            out.push(Correction {
                year: year_of(row.try_get(0)?)?,
                case,
                sheet: row.try_get(3)?,
                reason: row.try_get(4)?,
                at: from_millis(row.try_get(5)?)?,
                user: row.try_get::<Option<i64>, _>(6)?.map(UserId),
            });
        }
        Ok(out)
    }
}

fn conflict(expected: u32, current: Option<Draft>) -> StoreError {
    StoreError::DraftConflict(Box::new(DraftConflict { expected, current }))
}

async fn latest_draft(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    year: i16,
) -> Result<Option<Draft>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {DRAFT_COLUMNS} FROM report_drafts WHERE agency_id = $1 AND year = $2 \
         ORDER BY version DESC LIMIT 1"
    ))
    .bind(agency.0)
    .bind(i64::from(year))
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| draft_of_row(agency, &r)).transpose()
}

fn draft_of_row(agency: OrgId, row: &AnyRow) -> Result<Draft, StoreError> {
    let version: i64 = row.try_get(1)?;
    let prose: String = row.try_get(4)?;
    Ok(Draft {
        agency,
        year: year_of(row.try_get(0)?)?,
        version: u32::try_from(version).map_err(|_| StoreError::Corrupt {
            what: "draft version",
            detail: version.to_string(),
        })?,
        saved_at: from_millis(row.try_get(2)?)?,
        saved_by: row.try_get::<Option<i64>, _>(3)?.map(UserId),
        prose: serde_json::from_str(&prose)
            .map_err(|e| StoreError::Corrupt { what: "draft prose", detail: e.to_string() })?,
        report: row.try_get(5)?,
    })
}

fn year_of(year: i64) -> Result<i16, StoreError> {
    i16::try_from(year)
        .map_err(|_| StoreError::Corrupt { what: "report year", detail: year.to_string() })
}

/// Records that `agency`'s `year` is published (once; later publications change nothing).
pub(crate) async fn lock(
    tx: &mut Transaction<'_, Any>,
    ctx: &Ctx,
    agency: OrgId,
    year: i16,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO year_locks (agency_id, year, locked_at, locked_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (agency_id, year) DO NOTHING",
    )
    .bind(agency.0)
    .bind(i64::from(year))
    .bind(millis(ctx.at))
    .bind(ctx.user.map(|u| u.0))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a change of `agency`'s records of `year` (a case received or an event dated in it, a
/// register entry counting toward it) needs under the locks: it alters every published year from
/// `year` on (a year's tables carry over into the next). `Ok(None)` when it alters none;
/// `Ok(Some(locked))` — the earliest published year it alters — when a reason is given.
///
/// # Errors
/// [`StoreError::YearLocked`] when it alters a published year and no reason (or a blank one) is
/// given.
pub(crate) async fn check(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    year: i16,
    reason: Option<&str>,
) -> Result<Option<i16>, StoreError> {
    let locked: Option<i64> =
        sqlx::query_scalar("SELECT min(year) FROM year_locks WHERE agency_id = $1 AND year >= $2")
            .bind(agency.0)
            .bind(i64::from(year))
            .fetch_one(&mut **tx)
            .await?;
    let Some(year) = locked.map(year_of).transpose()? else { return Ok(None) };
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(_) => Ok(Some(year)),
        None => Err(StoreError::YearLocked { year }),
    }
}

/// What was corrected: a case at a version, or a register sheet.
pub(crate) enum Corrected<'a> {
    /// A case (its row) and the version the change made it.
    Case(i64, u64),
    /// A register sheet.
    Sheet(&'a str),
}

/// Records a correction under a lock (after [`check`] returned its year).
pub(crate) async fn record_correction(
    tx: &mut Transaction<'_, Any>,
    ctx: &Ctx,
    agency: OrgId,
    year: i16,
    what: Corrected<'_>,
    reason: &str,
) -> Result<(), StoreError> {
    let (case, version, sheet) = match what {
        Corrected::Case(row, v) => (Some(row), Some(crate::cases::to_db(v)?), None),
        Corrected::Sheet(s) => (None, None, Some(s)),
    };
    sqlx::query(
        "INSERT INTO corrections (agency_id, year, case_id, version, sheet, reason, at, user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(agency.0)
    .bind(i64::from(year))
    .bind(case)
    .bind(version)
    .bind(sheet)
    .bind(reason.trim())
    .bind(millis(ctx.at))
    .bind(ctx.user.map(|u| u.0))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
