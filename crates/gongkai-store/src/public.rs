//! The read-only queries of the public portal (search, the public agency page, statistics): what
//! anyone may see — the organisations and the published report versions —, each one query
//! whatever the number of agencies. Drafts, collected reports and everything else stay out.

use sqlx::Row;

use crate::orgs::{COLUMNS, org_of_row};
use crate::reports::{R_COLUMNS, version_of_row};
use crate::{Org, OrgId, PublishedReport, ReportVersion, Store, StoreError};

/// `latest(agency_id, version)`: the latest version of year `$1` of every agency.
const LATEST_EVERYWHERE: &str = "WITH latest(agency_id, version) AS (SELECT agency_id, \
     max(version) FROM report_versions WHERE year = $1 GROUP BY agency_id)";

impl Store {
    /// What the public portal's data has come to: the number of organisations and of published
    /// versions. Both tables only grow (organisations are never changed or removed; versions
    /// are append-only, enforced by triggers), so the pair changes whenever anything the
    /// portal shows does — a cheap key for what was derived from them. One query.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn public_generation(&self) -> Result<(i64, i64), StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM orgs), (SELECT count(*) FROM report_versions)",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    /// Every organisation, offices and agencies, by id.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn orgs(&self) -> Result<Vec<Org>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM orgs ORDER BY id"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(org_of_row).collect()
    }

    /// Every agency that has published a report, with the latest year it published, by agency
    /// id.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn latest_published_years(&self) -> Result<Vec<(OrgId, i16)>, StoreError> {
        let rows = sqlx::query(
            "SELECT agency_id, max(year) FROM report_versions GROUP BY agency_id ORDER BY agency_id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let year: i64 = row.try_get(1)?;
                let year = i16::try_from(year).map_err(|_| StoreError::Corrupt {
                    what: "report year",
                    detail: year.to_string(),
                })?;
                Ok((OrgId(row.try_get(0)?), year))
            })
            .collect()
    }

    /// The years for which some agency has published a report, oldest first.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn published_years(&self) -> Result<Vec<i16>, StoreError> {
        let years: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT year FROM report_versions ORDER BY year")
                .fetch_all(self.pool())
                .await?;
        years
            .into_iter()
            .map(|y| {
                i16::try_from(y)
                    .map_err(|_| StoreError::Corrupt { what: "report year", detail: y.to_string() })
            })
            .collect()
    }

    /// The `limit` most recently published versions, of any agency and year, newest first (a
    /// correction is a publication too).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn recent_publications(
        &self,
        limit: u32,
    ) -> Result<Vec<(OrgId, ReportVersion)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {R_COLUMNS}, r.agency_id FROM report_versions r \
             ORDER BY r.published_at DESC, r.agency_id, r.year DESC, r.version DESC LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok((OrgId(row.try_get(6)?), version_of_row(row)?))).collect()
    }

    /// For every agency that has published `year`, its latest version of that year (without
    /// the text), by agency id: [`Store::latest_versions`] over the whole tree.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn latest_versions_everywhere(
        &self,
        year: i16,
    ) -> Result<Vec<(OrgId, ReportVersion)>, StoreError> {
        let rows = sqlx::query(&format!(
            "{LATEST_EVERYWHERE} SELECT {R_COLUMNS}, r.agency_id FROM report_versions r \
             JOIN latest l ON r.agency_id = l.agency_id AND r.version = l.version \
             WHERE r.year = $1 ORDER BY r.agency_id"
        ))
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok((OrgId(row.try_get(6)?), version_of_row(row)?))).collect()
    }

    /// For every agency that has published `year`, its latest version of that year with the
    /// text, by agency id: [`Store::latest_reports`] over the whole tree.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn latest_reports_everywhere(
        &self,
        year: i16,
    ) -> Result<Vec<PublishedReport>, StoreError> {
        let rows = sqlx::query(&format!(
            "{LATEST_EVERYWHERE} SELECT {R_COLUMNS}, r.report, r.agency_id FROM report_versions r \
             JOIN latest l ON r.agency_id = l.agency_id AND r.version = l.version \
             WHERE r.year = $1 ORDER BY r.agency_id"
        ))
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PublishedReport {
                    agency: OrgId(row.try_get(7)?),
                    version: version_of_row(row)?,
                    report: row.try_get(6)?,
                })
            })
            .collect()
    }
}
