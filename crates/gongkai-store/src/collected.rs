//! Reports an office collects: annual reports its agencies published elsewhere (a PDF on their
//! web site, a Word file, a web page), uploaded by the office ([`Store::upload_document`]), read
//! in the background ([`crate::jobs`]) and kept here with what was read.
//!
//! For each document, the latest reading: the year and agency name as printed, the agency of the
//! office's subtree it was matched to and how ([`MatchedBy`]: exactly, after normalising the name,
//! proposed for a reviewer to confirm, confirmed by a reviewer, or none), the gongkai-report JSON
//! read from it — every cell with its origin (page and box, DOM path, paragraph or line) — and the
//! counts of errors and warnings. The findings themselves attach to the document through
//! [`Store::record_findings`]. A match that is only proposed never counts as the agency's report
//! until a reviewer confirms it ([`Store::confirm_collected_agency`]); [`Store::collected_reports`]
//! gives, per agency of a subtree and year, the latest matched report.

use std::collections::BTreeMap;
use std::fmt;

use gongkai_model::Msg;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Action};
use crate::documents::DocumentId;
use crate::jobs::ReadJobId;
use crate::orgs::{Org, OrgId, OrgKind, SUBTREE, subtree_of};
use crate::{Ctx, Entity, Store, StoreError, from_millis, millis};

/// How a collected document was matched to an agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchedBy {
    /// The name read is exactly the agency's name.
    Exact,
    /// The name read is the agency's name once both are normalised (widths, spaces, brackets, a
    /// leading region name, 人民政府 variants).
    Normalised,
    /// Candidates were found but none for certain: awaiting a reviewer.
    Proposed,
    /// A reviewer chose the agency.
    Confirmed,
    /// No agency matched.
    None,
}

impl MatchedBy {
    /// Every way.
    pub const ALL: [MatchedBy; 5] = [
        MatchedBy::Exact,
        MatchedBy::Normalised,
        MatchedBy::Proposed,
        MatchedBy::Confirmed,
        MatchedBy::None,
    ];

    /// The stored key (also the API's).
    pub const fn key(self) -> &'static str {
        match self {
            MatchedBy::Exact => "exact",
            MatchedBy::Normalised => "normalised",
            MatchedBy::Proposed => "proposed",
            MatchedBy::Confirmed => "confirmed",
            MatchedBy::None => "none",
        }
    }

    /// The way of a stored key.
    pub fn from_key(key: &str) -> Option<MatchedBy> {
        MatchedBy::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Whether the document counts as the agency's report (an agency is set).
    pub const fn is_matched(self) -> bool {
        matches!(self, MatchedBy::Exact | MatchedBy::Normalised | MatchedBy::Confirmed)
    }
}

impl fmt::Display for MatchedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The agency a reading was matched to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgencyMatch {
    /// Exactly this agency's name.
    Exact(OrgId),
    /// This agency's name once normalised.
    Normalised(OrgId),
    /// These candidates (one or more), for a reviewer to choose from.
    Proposed(Vec<OrgId>),
    /// None.
    None,
}

impl AgencyMatch {
    /// How.
    pub fn matched_by(&self) -> MatchedBy {
        match self {
            AgencyMatch::Exact(_) => MatchedBy::Exact,
            AgencyMatch::Normalised(_) => MatchedBy::Normalised,
            AgencyMatch::Proposed(_) => MatchedBy::Proposed,
            AgencyMatch::None => MatchedBy::None,
        }
    }

    /// The agency, when matched.
    pub fn agency(&self) -> Option<OrgId> {
        match self {
            AgencyMatch::Exact(id) | AgencyMatch::Normalised(id) => Some(*id),
            AgencyMatch::Proposed(_) | AgencyMatch::None => None,
        }
    }
}

/// What a worker read from a collected document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectedRead<'a> {
    /// The report year read (`None` when none was found).
    pub year: Option<i16>,
    /// The agency name read.
    pub agency_name: Option<&'a str>,
    /// The agency it matched in the office's subtree.
    pub matched: AgencyMatch,
    /// The gongkai-report JSON read (with the cells' origins).
    pub report: &'a str,
    /// Errors found.
    pub errors: u32,
    /// Warnings found.
    pub warnings: u32,
    /// The findings of the reading, recorded on the document in the same transaction
    /// ([`Store::record_findings`]).
    pub findings: &'a [crate::NewFinding],
}

/// A collected document and what was read from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectedReport {
    /// The document.
    pub document: DocumentId,
    /// The office that collected it.
    pub office: OrgId,
    /// The year read.
    pub year: Option<i16>,
    /// The agency name read.
    pub agency_name: Option<String>,
    /// The matched agency (set for exact, normalised and confirmed matches only).
    pub agency: Option<OrgId>,
    /// How.
    pub matched_by: MatchedBy,
    /// The agencies proposed (for [`MatchedBy::Proposed`]).
    pub candidates: Vec<OrgId>,
    /// The gongkai-report JSON.
    pub report: String,
    /// Errors found.
    pub errors: u32,
    /// Warnings found.
    pub warnings: u32,
    /// When it was read.
    pub read_at: Timestamp,
    /// The reviewer who chose the agency.
    pub confirmed_by: Option<crate::UserId>,
}

/// The latest matched collected report of an agency for a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectedSummary {
    /// The agency.
    pub agency: OrgId,
    /// The document.
    pub document: DocumentId,
    /// When it was read.
    pub read_at: Timestamp,
    /// Errors found.
    pub errors: u32,
    /// Warnings found.
    pub warnings: u32,
}

const COLUMNS: &str = "document_id, office_id, year, agency_name, agency_id, matched_by, report, \
                       errors, warnings, read_at, confirmed_by";

/// A finding of a report collected for an agency that its office confirmed: an item for the
/// agency to correct (by publishing a corrected version; the printed value is never changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmedFinding {
    /// The collected document the finding is of.
    pub document: DocumentId,
    /// The office that collected and reviewed it.
    pub office: OrgId,
    /// The report year read from the document.
    pub year: Option<i16>,
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its rule.
    pub rule: String,
    /// The finding as recorded (JSON).
    pub finding: String,
    /// The reviewer's note.
    pub note: String,
    /// When it was confirmed.
    pub confirmed_at: Timestamp,
}

impl Store {
    /// Stores what a worker read for the running job `job` — the reading and its findings — and
    /// marks it done, with its audit entries, in one transaction; a reading of the same document before is replaced. The
    /// matched agency and every candidate must be agencies of the office's subtree.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when no running job has this id; [`StoreError::Invalid`] for an
    /// agency outside the subtree or a report that is not a JSON object.
    pub async fn finish_read(
        &self,
        ctx: &Ctx,
        job: ReadJobId,
        read: &CollectedRead<'_>,
    ) -> Result<CollectedReport, StoreError> {
        if !matches!(serde_json::from_str(read.report), Ok(serde_json::Value::Object(_))) {
            return Err(StoreError::Invalid(Msg::new(
                "读取结果应为JSON对象",
                "a reading is a JSON object",
            )));
        }
        crate::findings::check_findings(read.findings)?;
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT office_id, document_id FROM read_jobs WHERE id = $1 AND status = 'running'",
        )
        .bind(job.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound { what: Entity::ReadJob, key: job.to_string() });
        };
        let office = OrgId(row.try_get(0)?);
        let Some(document) = row.try_get::<Option<i64>, _>(1)?.map(DocumentId) else {
            return Err(StoreError::NotFound { what: Entity::Document, key: job.to_string() });
        };
        let candidates = match &read.matched {
            AgencyMatch::Proposed(c) => c.clone(),
            _ => Vec::new(),
        };
        let subtree = subtree_agencies(&mut tx, office).await?;
        for id in read.matched.agency().iter().chain(&candidates) {
            if !subtree.iter().any(|a| a.id == *id) {
                return Err(outside(*id));
            }
        }
        // A reviewer's choice survives reading the same document again, as long as the same
        // agency name is read from it.
        let before = sqlx::query(
            "SELECT agency_name, agency_id, confirmed_by, confirmed_at FROM collected_reports \
             WHERE document_id = $1 AND matched_by = 'confirmed'",
        )
        .bind(document.0)
        .fetch_optional(&mut *tx)
        .await?;
        let mut kept: Option<(OrgId, Option<i64>, Option<i64>)> = None;
        if let Some(row) = before {
            let name: Option<String> = row.try_get(0)?;
            if name.as_deref() == read.agency_name {
                let agency: Option<i64> = row.try_get(1)?;
                let by: Option<i64> = row.try_get(2)?;
                let at: Option<i64> = row.try_get(3)?;
                kept = agency.map(|a| (OrgId(a), by, at));
            }
        }
        let (agency, matched_by) = match kept {
            Some((a, _, _)) => (Some(a), MatchedBy::Confirmed),
            None => (read.matched.agency(), read.matched.matched_by()),
        };
        sqlx::query("DELETE FROM collected_candidates WHERE document_id = $1")
            .bind(document.0)
            .execute(&mut *tx)
            .await?;
        // One statement (not a delete and an insert): two readings of the same document at
        // once both succeed, the later one kept.
        sqlx::query(
            "INSERT INTO collected_reports (document_id, office_id, year, agency_name, agency_id, \
             matched_by, report, errors, warnings, read_at, confirmed_by, confirmed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (document_id) DO UPDATE SET office_id = excluded.office_id, \
             year = excluded.year, agency_name = excluded.agency_name, \
             agency_id = excluded.agency_id, matched_by = excluded.matched_by, \
             report = excluded.report, errors = excluded.errors, warnings = excluded.warnings, \
             read_at = excluded.read_at, confirmed_by = excluded.confirmed_by, \
             confirmed_at = excluded.confirmed_at",
        )
        .bind(document.0)
        .bind(office.0)
        .bind(read.year.map(i64::from))
        .bind(read.agency_name)
        .bind(agency.map(|a| a.0))
        .bind(matched_by.key())
        .bind(read.report)
        .bind(i64::from(read.errors))
        .bind(i64::from(read.warnings))
        .bind(millis(ctx.at))
        .bind(kept.and_then(|k| k.1))
        .bind(kept.and_then(|k| k.2))
        .execute(&mut *tx)
        .await?;
        let mut unique = candidates.clone();
        unique.sort();
        unique.dedup();
        for id in &unique {
            sqlx::query(
                "INSERT INTO collected_candidates (document_id, agency_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(document.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        let target = crate::FindingTarget::Document(document);
        crate::findings::insert_findings(&mut tx, ctx, office, target, read.findings).await?;
        sqlx::query(
            "UPDATE read_jobs SET status = 'done', reason_zh = NULL, reason_en = NULL, \
             finished_at = $1 WHERE id = $2",
        )
        .bind(millis(ctx.at))
        .bind(job.0)
        .execute(&mut *tx)
        .await?;
        let subject = format!("document {document}: {matched_by}");
        audit::record(&mut tx, ctx, Some(office), Action::ReportCollected, &subject).await?;
        tx.commit().await?;
        Ok(CollectedReport {
            document,
            office,
            year: read.year,
            agency_name: read.agency_name.map(str::to_owned),
            agency,
            matched_by,
            candidates: unique,
            report: read.report.to_owned(),
            errors: read.errors,
            warnings: read.warnings,
            read_at: ctx.at,
            confirmed_by: kept.and_then(|k| k.1).map(crate::UserId),
        })
    }

    /// What was read from the document `document` (any office's: the caller checks who may see
    /// it); `None` when it was not read (yet).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn collected_report(
        &self,
        document: DocumentId,
    ) -> Result<Option<CollectedReport>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let row =
            sqlx::query(&format!("SELECT {COLUMNS} FROM collected_reports WHERE document_id = $1"))
                .bind(document.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Ok(None);
        };
        let mut report = collected_of_row(&row)?;
        report.candidates = candidates_in(&mut tx, document).await?;
        tx.commit().await?;
        Ok(Some(report))
    }

    /// The office that collected the document `document` (queued it to be read); `None` for a
    /// document no office collected.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn collecting_office(
        &self,
        document: DocumentId,
    ) -> Result<Option<OrgId>, StoreError> {
        let office: Option<i64> =
            sqlx::query_scalar("SELECT min(office_id) FROM read_jobs WHERE document_id = $1")
                .bind(document.0)
                .fetch_one(self.pool())
                .await?;
        Ok(office.map(OrgId))
    }

    /// The readings of the documents `office` collected, by document id (for its collection
    /// page), without the report JSON.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn collected_by_office(
        &self,
        office: OrgId,
    ) -> Result<BTreeMap<DocumentId, CollectedReport>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM collected_reports WHERE office_id = $1",
            COLUMNS.replace("report,", "'{}',")
        ))
        .bind(office.0)
        .fetch_all(self.pool())
        .await?;
        let mut out = BTreeMap::new();
        for row in &rows {
            let r = collected_of_row(row)?;
            out.insert(r.document, r);
        }
        let rows = sqlx::query(
            "SELECT c.document_id, c.agency_id FROM collected_candidates c JOIN collected_reports r \
             ON r.document_id = c.document_id WHERE r.office_id = $1 ORDER BY c.agency_id",
        )
        .bind(office.0)
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let doc = DocumentId(row.try_get(0)?);
            if let Some(r) = out.get_mut(&doc) {
                r.candidates.push(OrgId(row.try_get(1)?));
            }
        }
        Ok(out)
    }

    /// A reviewer's choice of the agency of a collected document: any agency of the collecting
    /// office's subtree (a proposed candidate or another); the match becomes `confirmed`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a document not read; [`StoreError::Invalid`] for an agency
    /// outside the office's subtree.
    pub async fn confirm_collected_agency(
        &self,
        ctx: &Ctx,
        document: DocumentId,
        agency: OrgId,
    ) -> Result<CollectedReport, StoreError> {
        let mut tx = self.write().await?;
        let office: Option<i64> =
            sqlx::query_scalar("SELECT office_id FROM collected_reports WHERE document_id = $1")
                .bind(document.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(office) = office.map(OrgId) else {
            return Err(StoreError::NotFound { what: Entity::Document, key: document.to_string() });
        };
        if !subtree_agencies(&mut tx, office).await?.iter().any(|a| a.id == agency) {
            return Err(outside(agency));
        }
        sqlx::query(
            "UPDATE collected_reports SET agency_id = $1, matched_by = 'confirmed', \
             confirmed_by = $2, confirmed_at = $3 WHERE document_id = $4",
        )
        .bind(agency.0)
        .bind(ctx.user.map(|u| u.0))
        .bind(millis(ctx.at))
        .bind(document.0)
        .execute(&mut *tx)
        .await?;
        let subject = format!("document {document}: agency {agency}");
        audit::record(&mut tx, ctx, Some(office), Action::CollectedAgencyConfirmed, &subject)
            .await?;
        tx.commit().await?;
        self.collected_report(document)
            .await?
            .ok_or(StoreError::NotFound { what: Entity::Document, key: document.to_string() })
    }

    /// For every agency of the subtree of `office` with a matched (exact, normalised or
    /// confirmed) collected report for `year`, the latest one (by reading time, then document),
    /// by agency id. Documents collected by any office count: the subtree decides.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn collected_reports(
        &self,
        office: OrgId,
        year: i16,
    ) -> Result<Vec<CollectedSummary>, StoreError> {
        Ok(self.latest_collected(office, year, false).await?.into_iter().map(|(s, _)| s).collect())
    }

    /// [`Store::collected_reports`] with each report's gongkai-report JSON: one query for the
    /// whole subtree (for the roll-up and the cross-year checks).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn collected_texts(
        &self,
        office: OrgId,
        year: i16,
    ) -> Result<Vec<(CollectedSummary, String)>, StoreError> {
        self.latest_collected(office, year, true).await
    }

    /// The latest matched collected report per agency of the subtree, with its text when
    /// `texts` (otherwise an empty string).
    async fn latest_collected(
        &self,
        office: OrgId,
        year: i16,
        texts: bool,
    ) -> Result<Vec<(CollectedSummary, String)>, StoreError> {
        let report = if texts { "c.report" } else { "''" };
        let rows = sqlx::query(&format!(
            "{SUBTREE} SELECT c.agency_id, c.document_id, c.read_at, c.errors, c.warnings, {report} \
             FROM collected_reports c JOIN subtree s ON s.id = c.agency_id \
             WHERE c.year = $2 AND c.matched_by IN ('exact', 'normalised', 'confirmed') \
             ORDER BY c.agency_id, c.read_at DESC, c.document_id DESC"
        ))
        .bind(office.0)
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<(CollectedSummary, String)> = Vec::new();
        for row in rows {
            let agency = OrgId(row.try_get(0)?);
            if out.last().is_some_and(|(s, _)| s.agency == agency) {
                continue;
            }
            let summary = CollectedSummary {
                agency,
                document: DocumentId(row.try_get(1)?),
                read_at: from_millis(row.try_get(2)?)?,
                errors: count(row.try_get(3)?)?,
                warnings: count(row.try_get(4)?)?,
            };
            out.push((summary, row.try_get(5)?));
        }
        Ok(out)
    }

    /// The agencies of the subtree of `office` (every level below it), ordered as
    /// [`Store::subtree`]: what a collected document's agency name is matched against.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn agencies_under(&self, office: OrgId) -> Result<Vec<Org>, StoreError> {
        let mut orgs = subtree_of(self.pool(), office).await?;
        orgs.retain(|o| o.kind == OrgKind::Agency);
        Ok(orgs)
    }

    /// The findings confirmed by an office on the reports collected for `agency` (matched to it
    /// exactly, once normalised or by a reviewer), whose current decision is a confirmation:
    /// newest year first. One query.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn confirmed_findings(
        &self,
        agency: OrgId,
    ) -> Result<Vec<ConfirmedFinding>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.document_id, c.office_id, c.year, f.fingerprint, f.rule, f.finding, r.note, \
                    r.decided_at \
             FROM collected_reports c \
             JOIN findings f ON f.document_id = c.document_id AND f.org_id = c.office_id \
             JOIN reviews r ON r.org_id = f.org_id AND r.fingerprint = f.fingerprint \
             WHERE c.agency_id = $1 AND c.matched_by IN ('exact', 'normalised', 'confirmed') \
               AND r.decision = 'confirm' \
               AND r.id = (SELECT max(l.id) FROM reviews l \
                           WHERE l.org_id = f.org_id AND l.fingerprint = f.fingerprint) \
             ORDER BY c.year DESC, c.document_id, f.id",
        )
        .bind(agency.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let year: Option<i64> = row.try_get(2)?;
                let year = year
                    .map(|y| {
                        i16::try_from(y).map_err(|_| StoreError::Corrupt {
                            what: "collected report year",
                            detail: y.to_string(),
                        })
                    })
                    .transpose()?;
                Ok(ConfirmedFinding {
                    document: DocumentId(row.try_get(0)?),
                    office: OrgId(row.try_get(1)?),
                    year,
                    fingerprint: row.try_get(3)?,
                    rule: row.try_get(4)?,
                    finding: row.try_get(5)?,
                    note: row.try_get(6)?,
                    confirmed_at: from_millis(row.try_get(7)?)?,
                })
            })
            .collect()
    }
}

/// The agencies of the subtree of `office` (every level below it), inside a transaction.
async fn subtree_agencies(
    tx: &mut Transaction<'_, Any>,
    office: OrgId,
) -> Result<Vec<Org>, StoreError> {
    let mut orgs = subtree_of(&mut **tx, office).await?;
    orgs.retain(|o| o.kind == OrgKind::Agency);
    Ok(orgs)
}

async fn candidates_in(
    tx: &mut Transaction<'_, Any>,
    document: DocumentId,
) -> Result<Vec<OrgId>, StoreError> {
    let rows = sqlx::query(
        "SELECT agency_id FROM collected_candidates WHERE document_id = $1 ORDER BY agency_id",
    )
    .bind(document.0)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| Ok(OrgId(r.try_get(0)?))).collect()
}

fn outside(agency: OrgId) -> StoreError {
    StoreError::Invalid(Msg::new(
        format!("机构 {agency} 不是本政务公开办所辖的行政机关"),
        format!("organisation {agency} is not an agency under this office"),
    ))
}

fn count(n: i64) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt { what: "count", detail: n.to_string() })
}

fn collected_of_row(row: &AnyRow) -> Result<CollectedReport, StoreError> {
    let matched: String = row.try_get(5)?;
    let year: Option<i64> = row.try_get(2)?;
    Ok(CollectedReport {
        document: DocumentId(row.try_get(0)?),
        office: OrgId(row.try_get(1)?),
        year: year
            .map(|y| {
                i16::try_from(y)
                    .map_err(|_| StoreError::Corrupt { what: "year", detail: y.to_string() })
            })
            .transpose()?,
        agency_name: row.try_get(3)?,
        agency: row.try_get::<Option<i64>, _>(4)?.map(OrgId),
        matched_by: MatchedBy::from_key(&matched)
            .ok_or(StoreError::Corrupt { what: "match", detail: matched })?,
        candidates: Vec::new(),
        report: row.try_get(6)?,
        errors: count(row.try_get(7)?)?,
        warnings: count(row.try_get(8)?)?,
        read_at: from_millis(row.try_get(9)?)?,
        confirmed_by: row.try_get::<Option<i64>, _>(10)?.map(crate::UserId),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_kinds_round_trip_and_only_three_count() {
        for m in MatchedBy::ALL {
            assert_eq!(MatchedBy::from_key(m.key()), Some(m));
        }
        let counted: Vec<_> = MatchedBy::ALL.into_iter().filter(|m| m.is_matched()).collect();
        assert_eq!(counted, [MatchedBy::Exact, MatchedBy::Normalised, MatchedBy::Confirmed]);
        assert_eq!(AgencyMatch::Proposed(vec![OrgId(3)]).agency(), None);
        assert_eq!(AgencyMatch::Normalised(OrgId(3)).agency(), Some(OrgId(3)));
    }
}
