//! Published annual reports: immutable versions. Publishing a year's report again is a correction
//! — a new version with a reason and its publisher; earlier versions stay as they were published
//! (the public revision log lists them). The report itself is kept as the JSON that was
//! published, byte for byte, with its SHA-256.

use gongkai_model::Msg;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::UserId;
use crate::audit::{self, Action};
use crate::error::exists_or;
use crate::migrate::digest;
use crate::orgs::{OrgId, SUBTREE, agency_in};
use crate::{Ctx, Entity, Store, StoreError, from_millis, millis};

/// The first and last report years accepted (the 条例 took effect in 2008).
pub const YEARS: std::ops::RangeInclusive<i16> = 2008..=2100;

/// A version of a report to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication<'a> {
    /// The report year.
    pub year: i16,
    /// The report as published: a JSON object (the gongkai-report JSON).
    pub report: &'a str,
    /// Why a correction is published; `None` for the first publication, required after.
    pub reason: Option<&'a str>,
}

/// One line of an agency's revision log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportVersion {
    /// The report year.
    pub year: i16,
    /// The version, from 1.
    pub version: u32,
    /// When it was published.
    pub published_at: Timestamp,
    /// Who published it.
    pub published_by: Option<UserId>,
    /// Why (every version after the first).
    pub reason: Option<String>,
    /// SHA-256 of the report text.
    pub sha256: String,
}

/// A published report: its version and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedReport {
    /// The agency.
    pub agency: OrgId,
    /// Which version.
    pub version: ReportVersion,
    /// The report as published.
    pub report: String,
}

const COLUMNS: &str = "year, version, published_at, published_by, reason, sha256";
/// [`COLUMNS`] of the table named `r`.
pub(crate) const R_COLUMNS: &str =
    "r.year, r.version, r.published_at, r.published_by, r.reason, r.sha256";
/// After [`SUBTREE`]: `latest(agency_id, version)`, the latest version of year `$2` of every
/// agency of the subtree — grouped once, rather than a subquery per row, which PostgreSQL planned
/// badly on a fresh database (≈ 170 ms for 2,000 agencies, against ≈ 10 ms for this form).
const LATEST: &str = ", latest(agency_id, version) AS (SELECT agency_id, max(version) \
     FROM report_versions WHERE agency_id IN (SELECT id FROM subtree) AND year = $2 \
     GROUP BY agency_id)";

impl Store {
    /// Publishes a new version of `agency`'s report for a year, as `ctx.user`, and locks the year
    /// (once) in the same transaction: later changes of its records are corrections with a
    /// reason (see [`crate::drafts`]).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a year outside [`YEARS`], a report that is not a JSON object,
    /// a first version with a reason or a correction without one; [`StoreError::NotFound`] when
    /// `agency` is not an agency; [`StoreError::Exists`] when another publication of the same
    /// version came first.
    pub async fn publish_report(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        publication: &Publication<'_>,
    ) -> Result<PublishedReport, StoreError> {
        let Publication { year, report, reason } = *publication;
        check_publication(year, report)?;
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT max(version) FROM report_versions WHERE agency_id = $1 AND year = $2",
        )
        .bind(agency.0)
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await?;
        let version = latest.unwrap_or(0) + 1;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        check_reason(version, reason)?;
        let sha256 = digest(report);
        let key = format!("{agency}/{year}/{version}");
        sqlx::query(
            "INSERT INTO report_versions (agency_id, year, version, published_at, published_by, \
             reason, report, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(agency.0)
        .bind(i64::from(year))
        .bind(version)
        .bind(millis(ctx.at))
        .bind(ctx.user.map(|u| u.0))
        .bind(reason)
        .bind(report)
        .bind(&sha256)
        .execute(&mut *tx)
        .await
        .map_err(|e| exists_or(e, Entity::ReportVersion, &key))?;
        crate::drafts::lock(&mut tx, ctx, agency, year).await?;
        let subject = format!("{year} v{version}");
        audit::record(&mut tx, ctx, Some(agency), Action::ReportPublished, &subject).await?;
        tx.commit().await?;
        Ok(PublishedReport {
            agency,
            version: ReportVersion {
                year,
                version: u32::try_from(version).unwrap_or(u32::MAX),
                published_at: ctx.at,
                published_by: ctx.user,
                reason: reason.map(str::to_owned),
                sha256,
            },
            report: report.to_owned(),
        })
    }

    /// The revision log of `agency`: every published version, newest year first, then newest
    /// version first.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn report_versions(&self, agency: OrgId) -> Result<Vec<ReportVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM report_versions WHERE agency_id = $1 \
             ORDER BY year DESC, version DESC"
        ))
        .bind(agency.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(version_of_row).collect()
    }

    /// A published report of `agency` for `year`: the given version, or the latest.
    ///
    /// # Errors
    /// Database errors only; an unpublished year or version is `Ok(None)`.
    pub async fn published_report(
        &self,
        agency: OrgId,
        year: i16,
        version: Option<u32>,
    ) -> Result<Option<PublishedReport>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, report FROM report_versions \
             WHERE agency_id = $1 AND year = $2 AND ($3 = 0 OR version = $3) \
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(agency.0)
        .bind(i64::from(year))
        .bind(i64::from(version.unwrap_or(0)))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(PublishedReport {
            agency,
            version: version_of_row(&row)?,
            report: row.try_get(6)?,
        }))
    }

    /// For every agency below `office` (its whole subtree, see [`Store::subtree`]), the latest
    /// published version of its report for `year`, ordered by agency id; an agency that has not
    /// published that year is not in the list. One query for the whole subtree.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn latest_reports(
        &self,
        office: OrgId,
        year: i16,
    ) -> Result<Vec<PublishedReport>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SUBTREE}{LATEST} SELECT {R_COLUMNS}, r.report, r.agency_id FROM report_versions r \
             JOIN latest l ON r.agency_id = l.agency_id AND r.version = l.version \
             WHERE r.year = $2 ORDER BY r.agency_id"
        ))
        .bind(office.0)
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

    /// What [`Store::latest_reports`] gives, without the reports' text: for every agency below
    /// `office` that has published `year`, its latest version (with the text's SHA-256), by
    /// agency id. One query; for callers that keep what they derive from a text by its digest.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn latest_versions(
        &self,
        office: OrgId,
        year: i16,
    ) -> Result<Vec<(OrgId, ReportVersion)>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SUBTREE}{LATEST} SELECT {R_COLUMNS}, r.agency_id FROM report_versions r \
             JOIN latest l ON r.agency_id = l.agency_id AND r.version = l.version \
             WHERE r.year = $2 ORDER BY r.agency_id"
        ))
        .bind(office.0)
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok((OrgId(row.try_get(6)?), version_of_row(row)?))).collect()
    }

    /// The latest published version of every agency and year a [`Selection`] names (without
    /// the texts), by year, then agency id. One query.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn selected_versions(
        &self,
        selection: &Selection<'_>,
    ) -> Result<Vec<(OrgId, ReportVersion)>, StoreError> {
        let rows = selected(self, selection, false).await?;
        rows.iter().map(|row| Ok((OrgId(row.try_get(6)?), version_of_row(row)?))).collect()
    }

    /// What [`Store::selected_versions`] lists, with the reports' texts. One query.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn selected_reports(
        &self,
        selection: &Selection<'_>,
    ) -> Result<Vec<PublishedReport>, StoreError> {
        let rows = selected(self, selection, true).await?;
        rows.iter()
            .map(|row| {
                Ok(PublishedReport {
                    agency: OrgId(row.try_get(6)?),
                    version: version_of_row(row)?,
                    report: row.try_get(7)?,
                })
            })
            .collect()
    }
}

/// Which published reports: for each agency and year, only the latest version — of the years
/// `years`, of the agencies below `office` (any depth) when given, of `agency` only when given,
/// of the agencies whose region code starts with `region` when given (ASCII digits; anything
/// else selects nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection<'a> {
    /// The report years.
    pub years: std::ops::RangeInclusive<i16>,
    /// An office whose subtree the agencies are in.
    pub office: Option<OrgId>,
    /// One agency.
    pub agency: Option<OrgId>,
    /// A prefix of the region code (`33`, `3301`, `330106`).
    pub region: Option<&'a str>,
}

/// The rows of a selection: [`R_COLUMNS`], the agency id, and the text when `text`.
async fn selected(store: &Store, s: &Selection<'_>, text: bool) -> Result<Vec<AnyRow>, StoreError> {
    let region = match s.region {
        Some(r) if r.bytes().all(|b| b.is_ascii_digit()) => format!("{r}%"),
        Some(_) => return Ok(Vec::new()),
        None => "%".to_owned(),
    };
    let report = if text { ", r.report" } else { "" };
    let rows = sqlx::query(&format!(
        "{SUBTREE}, latest(agency_id, year, version) AS (SELECT agency_id, year, max(version) \
         FROM report_versions WHERE year >= $2 AND year <= $3 GROUP BY agency_id, year) \
         SELECT {R_COLUMNS}, r.agency_id{report} FROM report_versions r \
         JOIN latest l ON r.agency_id = l.agency_id AND r.year = l.year AND r.version = l.version \
         JOIN orgs o ON o.id = r.agency_id \
         WHERE ($1 = 0 OR r.agency_id IN (SELECT id FROM subtree)) \
         AND ($4 = 0 OR r.agency_id = $4) AND o.region_code LIKE $5 \
         ORDER BY r.year, r.agency_id"
    ))
    .bind(s.office.map_or(0, |o| o.0))
    .bind(i64::from(*s.years.start()))
    .bind(i64::from(*s.years.end()))
    .bind(s.agency.map_or(0, |a| a.0))
    .bind(region)
    .fetch_all(store.pool())
    .await?;
    Ok(rows)
}

/// A year in range and a report that is a JSON object.
pub(crate) fn check_publication(year: i16, report: &str) -> Result<(), StoreError> {
    if !YEARS.contains(&year) {
        return Err(StoreError::Invalid(Msg::new(
            format!("报告年度应在{}至{}之间：{year}", YEARS.start(), YEARS.end()),
            format!("the report year is between {} and {}: {year}", YEARS.start(), YEARS.end()),
        )));
    }
    match serde_json::from_str::<serde_json::Value>(report) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        _ => Err(StoreError::Invalid(Msg::new(
            "发布的报告应为JSON对象",
            "a published report is a JSON object",
        ))),
    }
}

/// The first version has no reason; every correction has one.
fn check_reason(version: i64, reason: Option<&str>) -> Result<(), StoreError> {
    match (version, reason) {
        (1, Some(_)) => Err(StoreError::Invalid(Msg::new(
            "首次发布不需要更正理由",
            "the first publication has no correction reason",
        ))),
        (2.., None) => Err(StoreError::Invalid(Msg::new(
            "更正已发布的报告须说明理由",
            "a correction of a published report needs a reason",
        ))),
        _ => Ok(()),
    }
}

pub(crate) fn version_of_row(row: &AnyRow) -> Result<ReportVersion, StoreError> {
    let corrupt = |what: &'static str, v: i64| StoreError::Corrupt { what, detail: v.to_string() };
    let year: i64 = row.try_get(0)?;
    let version: i64 = row.try_get(1)?;
    Ok(ReportVersion {
        year: i16::try_from(year).map_err(|_| corrupt("report year", year))?,
        version: u32::try_from(version).map_err(|_| corrupt("report version", version))?,
        published_at: from_millis(row.try_get(2)?)?,
        published_by: row.try_get::<Option<i64>, _>(3)?.map(UserId),
        reason: row.try_get(4)?,
        sha256: row.try_get(5)?,
    })
}
