//! Findings attached to an uploaded document or a published report version, each with a stable
//! fingerprint, and the review decisions people record about them.
//!
//! The fingerprint ([`fingerprint`]) is the SHA-256 of a canonical text of the rule id and the
//! cells the finding names with the values printed in them: reading the same document again, or
//! uploading the same report once more, gives the same fingerprints, so decisions — keyed by the
//! organisation and the fingerprint, not by the document — carry over; a changed printed value
//! gives a new fingerprint, which needs a new decision. Decisions are appended, never changed: the
//! current one is the latest ([`Store::findings`] shows it beside each finding).

use std::fmt;

use gongkai_model::Msg;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::accounts::UserId;
use crate::audit::{self, Action};
use crate::documents::DocumentId;
use crate::migrate::hex;
use crate::orgs::OrgId;
use crate::{Ctx, Entity, Store, StoreError, from_millis, millis};

/// The fingerprint of a finding: lower-case hex SHA-256 over its rule id and, sorted by cell key,
/// each cell key with the value printed in it. Every part is length-prefixed, so no choice of
/// texts makes two different findings share a canonical text.
pub fn fingerprint(rule: &str, cells: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = cells.iter().collect();
    sorted.sort();
    let mut text = String::from("gongkai-finding-v1\n");
    let mut part = |s: &str| {
        text.push_str(&s.len().to_string());
        text.push(':');
        text.push_str(s);
        text.push('\n');
    };
    part(rule);
    for (key, printed) in sorted {
        part(key);
        part(printed);
    }
    hex(&Sha256::digest(text.as_bytes()))
}

/// What findings are attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingTarget {
    /// An uploaded document of the organisation.
    Document(DocumentId),
    /// A published version of the organisation's report.
    ReportVersion {
        /// The report year.
        year: i16,
        /// The version.
        version: u32,
    },
}

/// A finding to record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewFinding {
    /// The rule id (`T3-BALANCE`, `READ-SPLIT`, …).
    pub rule: String,
    /// The cells it names with the values printed in them (cell key, printed text).
    pub cells: Vec<(String, String)>,
    /// The finding as the checker gives it (JSON object, e.g. of `check --format json`).
    pub finding: String,
}

impl NewFinding {
    /// A finding.
    pub fn new(rule: String, cells: Vec<(String, String)>, finding: String) -> NewFinding {
        NewFinding { rule, cells, finding }
    }

    /// Its fingerprint.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.rule, &self.cells)
    }
}

/// A review decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The finding is right: the printed report has this problem.
    Confirm,
    /// The finding does not hold (e.g. a misreading), with a note saying why.
    Dismiss,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 2] = [Decision::Confirm, Decision::Dismiss];

    /// The stored key.
    pub const fn key(self) -> &'static str {
        match self {
            Decision::Confirm => "confirm",
            Decision::Dismiss => "dismiss",
        }
    }

    /// The decision of a stored key.
    pub fn from_key(key: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.key() == key)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A recorded review decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// The fingerprint decided on.
    pub fingerprint: String,
    /// Confirm or dismiss.
    pub decision: Decision,
    /// The reviewer's note.
    pub note: String,
    /// Who decided.
    pub by: Option<UserId>,
    /// When.
    pub at: Timestamp,
}

/// A stored finding with the current decision on its fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFinding {
    /// Its fingerprint.
    pub fingerprint: String,
    /// The rule id.
    pub rule: String,
    /// The finding as recorded (JSON).
    pub finding: String,
    /// The latest decision on its fingerprint, if any.
    pub review: Option<Review>,
}

impl Store {
    /// Attaches findings to a document or a report version of `org`, in one transaction with its
    /// audit entry. Findings already attached with the same fingerprint are kept as they are, so
    /// recording the findings of a second reading changes nothing. Returns how many were new.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `org` has no such document or report version;
    /// [`StoreError::Invalid`] for a finding that is not a JSON object.
    pub async fn record_findings(
        &self,
        ctx: &Ctx,
        org: OrgId,
        target: FindingTarget,
        findings: &[NewFinding],
    ) -> Result<usize, StoreError> {
        check_findings(findings)?;
        let mut tx = self.write().await?;
        let new = insert_findings(&mut tx, ctx, org, target, findings).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// The findings attached to a document or report version of `org`, in the order recorded,
    /// each with the latest decision on its fingerprint.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `org` has no such document or report version.
    pub async fn findings(
        &self,
        org: OrgId,
        target: FindingTarget,
    ) -> Result<Vec<StoredFinding>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let (document, report) = resolve(&mut tx, org, target).await?;
        let rows = sqlx::query(
            "SELECT f.fingerprint, f.rule, f.finding, r.decision, r.note, r.decided_by, \
             r.decided_at FROM findings f LEFT JOIN reviews r ON r.id = (SELECT max(id) FROM \
             reviews WHERE org_id = f.org_id AND fingerprint = f.fingerprint) \
             WHERE f.org_id = $1 AND coalesce(f.document_id, 0) = $2 \
             AND coalesce(f.report_version_id, 0) = $3 ORDER BY f.id",
        )
        .bind(org.0)
        .bind(document.unwrap_or(0))
        .bind(report.unwrap_or(0))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(|row| stored_of_row(row, 0)).collect()
    }

    /// Every finding attached to the documents of `org` (an office's collected documents), newest
    /// document first and in the order recorded, each with its document and the latest decision
    /// on its fingerprint. One query, whatever the number of documents.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn document_findings(
        &self,
        org: OrgId,
    ) -> Result<Vec<(DocumentId, StoredFinding)>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.document_id, f.fingerprint, f.rule, f.finding, r.decision, r.note, \
             r.decided_by, r.decided_at FROM findings f LEFT JOIN reviews r ON r.id = (SELECT \
             max(id) FROM reviews WHERE org_id = f.org_id AND fingerprint = f.fingerprint) \
             WHERE f.org_id = $1 AND f.document_id IS NOT NULL \
             ORDER BY f.document_id DESC, f.id",
        )
        .bind(org.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok((DocumentId(row.try_get(0)?), stored_of_row(row, 1)?))).collect()
    }

    /// Records a decision of `ctx.user` on the finding `fingerprint` of `org`, appended after any
    /// earlier one. A dismissal needs a note.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a dismissal without a note; [`StoreError::NotFound`] when no
    /// finding of `org` has this fingerprint.
    pub async fn review_finding(
        &self,
        ctx: &Ctx,
        org: OrgId,
        fingerprint: &str,
        decision: Decision,
        note: &str,
    ) -> Result<Review, StoreError> {
        let note = note.trim();
        if decision == Decision::Dismiss && note.is_empty() {
            return Err(StoreError::Invalid(Msg::new(
                "排除检查结果须说明理由",
                "dismissing a finding needs a note saying why",
            )));
        }
        let mut tx = self.write().await?;
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT min(id) FROM findings WHERE org_id = $1 AND fingerprint = $2",
        )
        .bind(org.0)
        .bind(fingerprint)
        .fetch_one(&mut *tx)
        .await?;
        if known.is_none() {
            return Err(StoreError::NotFound {
                what: Entity::Finding,
                key: fingerprint.to_owned(),
            });
        }
        sqlx::query(
            "INSERT INTO reviews (org_id, fingerprint, decision, note, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org.0)
        .bind(fingerprint)
        .bind(decision.key())
        .bind(note)
        .bind(ctx.user.map(|u| u.0))
        .bind(millis(ctx.at))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, Some(org), Action::FindingReviewed, fingerprint).await?;
        tx.commit().await?;
        Ok(Review {
            fingerprint: fingerprint.to_owned(),
            decision,
            note: note.to_owned(),
            by: ctx.user,
            at: ctx.at,
        })
    }

    /// Every decision on the finding `fingerprint` of `org`, oldest first.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn reviews(&self, org: OrgId, fingerprint: &str) -> Result<Vec<Review>, StoreError> {
        let rows = sqlx::query(
            "SELECT decision, note, decided_by, decided_at FROM reviews \
             WHERE org_id = $1 AND fingerprint = $2 ORDER BY id",
        )
        .bind(org.0)
        .bind(fingerprint)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let key: String = row.try_get(0)?;
            out.push(Review {
                fingerprint: fingerprint.to_owned(),
                decision: Decision::from_key(&key)
                    .ok_or(StoreError::Corrupt { what: "review decision", detail: key })?,
                note: row.try_get(1)?,
                by: row.try_get::<Option<i64>, _>(2)?.map(UserId),
                at: from_millis(row.try_get(3)?)?,
            });
        }
        Ok(out)
    }
}

/// The row ids `(document, report version)` a target of `org` names.
async fn resolve(
    tx: &mut Transaction<'_, Any>,
    org: OrgId,
    target: FindingTarget,
) -> Result<(Option<i64>, Option<i64>), StoreError> {
    let (sql, a, b, key) = match target {
        FindingTarget::Document(id) => (
            "SELECT id FROM documents WHERE org_id = $1 AND id = $2 AND $3 = 0",
            id.0,
            0,
            (Entity::Document, id.to_string()),
        ),
        FindingTarget::ReportVersion { year, version } => (
            "SELECT id FROM report_versions WHERE agency_id = $1 AND year = $2 AND version = $3",
            i64::from(year),
            i64::from(version),
            (Entity::ReportVersion, format!("{year} v{version}")),
        ),
    };
    let id: Option<i64> =
        sqlx::query_scalar(sql).bind(org.0).bind(a).bind(b).fetch_optional(&mut **tx).await?;
    let Some(id) = id else { return Err(StoreError::NotFound { what: key.0, key: key.1 }) };
    Ok(match target {
        FindingTarget::Document(_) => (Some(id), None),
        FindingTarget::ReportVersion { .. } => (None, Some(id)),
    })
}

/// A stored finding from a row whose columns, from `at`, are the fingerprint, rule, finding and
/// the latest review's decision, note, author and time (all null without a review).
fn stored_of_row(row: &AnyRow, at: usize) -> Result<StoredFinding, StoreError> {
    let fingerprint: String = row.try_get(at)?;
    let decision: Option<String> = row.try_get(at + 3)?;
    let review = match decision {
        None => None,
        Some(key) => Some(Review {
            fingerprint: fingerprint.clone(),
            decision: Decision::from_key(&key)
                .ok_or(StoreError::Corrupt { what: "review decision", detail: key })?,
            note: row.try_get(at + 4)?,
            by: row.try_get::<Option<i64>, _>(at + 5)?.map(UserId),
            at: from_millis(row.try_get(at + 6)?)?,
        }),
    };
    Ok(StoredFinding {
        fingerprint,
        rule: row.try_get(at + 1)?,
        finding: row.try_get(at + 2)?,
        review,
    })
}

/// Every finding is a JSON object.
pub(crate) fn check_findings(findings: &[NewFinding]) -> Result<(), StoreError> {
    for f in findings {
        if !matches!(serde_json::from_str(&f.finding), Ok(serde_json::Value::Object(_))) {
            return Err(StoreError::Invalid(Msg::new(
                format!("检查结果应为JSON对象（规则 {}）", f.rule),
                format!("a finding is a JSON object (rule {})", f.rule),
            )));
        }
    }
    Ok(())
}

/// Records `findings` of `target` in the transaction `tx` (those already recorded are kept),
/// with the audit entry; the number recorded anew. See [`Store::record_findings`].
pub(crate) async fn insert_findings(
    tx: &mut Transaction<'_, Any>,
    ctx: &Ctx,
    org: OrgId,
    target: FindingTarget,
    findings: &[NewFinding],
) -> Result<usize, StoreError> {
    let (document, report) = resolve(tx, org, target).await?;
    let mut new = 0;
    for f in findings {
        let done = sqlx::query(
            "INSERT INTO findings (org_id, document_id, report_version_id, fingerprint, rule, \
             finding) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(org.0)
        .bind(document)
        .bind(report)
        .bind(f.fingerprint())
        .bind(&f.rule)
        .bind(&f.finding)
        .execute(&mut **tx)
        .await?;
        new += usize::try_from(done.rows_affected()).unwrap_or(0);
    }
    let subject = match target {
        FindingTarget::Document(id) => format!("document {id}: {new}"),
        FindingTarget::ReportVersion { year, version } => format!("{year} v{version}: {new}"),
    };
    audit::record(tx, ctx, Some(org), Action::FindingsRecorded, &subject).await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn fingerprints_depend_on_rule_cells_and_printed_values_only() {
        let a = fingerprint(
            "T3-BALANCE",
            &cells(&[("t3.granted.total", "70"), ("t3.total.total", "71")]),
        );
        let reordered = fingerprint(
            "T3-BALANCE",
            &cells(&[("t3.total.total", "71"), ("t3.granted.total", "70")]),
        );
        assert_eq!(a, reordered, "the order of the cells does not matter");
        assert_eq!(a.len(), 64);
        let changed = fingerprint(
            "T3-BALANCE",
            &cells(&[("t3.granted.total", "69"), ("t3.total.total", "71")]),
        );
        assert_ne!(a, changed, "a changed printed value is a new finding");
        let other_rule = fingerprint(
            "T3-RESULTS-SUM",
            &cells(&[("t3.granted.total", "70"), ("t3.total.total", "71")]),
        );
        assert_ne!(a, other_rule);
        // Length prefixes: moving text between a key and its value changes the fingerprint.
        assert_ne!(
            fingerprint("R", &cells(&[("a", "bc")])),
            fingerprint("R", &cells(&[("ab", "c")]))
        );
        assert_ne!(fingerprint("R", &cells(&[])), fingerprint("R", &cells(&[("", "")])));
    }
}
