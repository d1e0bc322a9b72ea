//! Organisations as a tree: a supervising office (政务公开办) above the agencies (行政机关) whose
//! reports and casework it oversees. An office may sit under another office (a city's above a
//! county's); an agency sits under an office and has nothing under it.

use std::fmt;

use gongkai_model::Msg;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Action};
use crate::error::exists_or;
use crate::{Ctx, Entity, Store, StoreError};

/// The id of an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgId(pub i64);

impl fmt::Display for OrgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What an organisation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrgKind {
    /// A supervising office (政务公开办): reviews the agencies under it.
    Office,
    /// An agency (行政机关): registers cases and publishes its annual report.
    Agency,
}

impl OrgKind {
    /// Every kind.
    pub const ALL: [OrgKind; 2] = [OrgKind::Office, OrgKind::Agency];

    /// The stored key.
    pub const fn key(self) -> &'static str {
        match self {
            OrgKind::Office => "office",
            OrgKind::Agency => "agency",
        }
    }

    /// The kind of a stored key.
    pub fn from_key(key: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// The administrative level of an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// 国家级.
    National,
    /// 省级.
    Provincial,
    /// 市级.
    Municipal,
    /// 县级.
    County,
    /// 乡镇级.
    Township,
}

impl Level {
    /// Every level, from the top.
    pub const ALL: [Level; 5] =
        [Level::National, Level::Provincial, Level::Municipal, Level::County, Level::Township];

    /// The stored key.
    pub const fn key(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Provincial => "provincial",
            Level::Municipal => "municipal",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Level::National => "国家级",
            Level::Provincial => "省级",
            Level::Municipal => "市级",
            Level::County => "县级",
            Level::Township => "乡镇级",
        }
    }

    /// The level of a stored key.
    pub fn from_key(key: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.key() == key)
    }
}

/// A six-digit administrative division code (行政区划代码, GB/T 2260), e.g. `330106`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses six ASCII digits.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] otherwise.
    pub fn parse(s: &str) -> Result<RegionCode, StoreError> {
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(RegionCode(s.to_owned()))
        } else {
            Err(StoreError::Invalid(Msg::new(
                format!("行政区划代码应为6位数字：`{s}`"),
                format!("a region code is six digits: `{s}`"),
            )))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organisation to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrg {
    /// The office above it; `None` for a top office.
    pub parent: Option<OrgId>,
    /// Office or agency.
    pub kind: OrgKind,
    /// Its name, unique among its siblings.
    pub name: String,
    /// Its level.
    pub level: Level,
    /// Its region.
    pub region: RegionCode,
}

/// A stored organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Org {
    /// Its id.
    pub id: OrgId,
    /// The office above it.
    pub parent: Option<OrgId>,
    /// Office or agency.
    pub kind: OrgKind,
    /// Its name.
    pub name: String,
    /// Its level.
    pub level: Level,
    /// Its region.
    pub region: RegionCode,
}

pub(crate) const COLUMNS: &str = "id, parent_id, kind, name, level, region_code";

impl Store {
    /// Creates an organisation.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an agency without an office above it or anything under an
    /// agency; [`StoreError::NotFound`] for an unknown parent; [`StoreError::Exists`] for a
    /// sibling of the same name.
    pub async fn create_org(&self, ctx: &Ctx, new: &NewOrg) -> Result<Org, StoreError> {
        let mut tx = self.write().await?;
        let parent =
            match new.parent {
                Some(p) => Some(org_in(&mut tx, p).await?.ok_or_else(|| StoreError::NotFound {
                    what: Entity::Org,
                    key: p.to_string(),
                })?),
                None => None,
            };
        check_placement(new.kind, parent.as_ref())?;
        let row = sqlx::query(
            "INSERT INTO orgs (parent_id, kind, name, level, region_code) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.parent.map(|p| p.0))
        .bind(new.kind.key())
        .bind(&new.name)
        .bind(new.level.key())
        .bind(new.region.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| exists_or(e, Entity::Org, &new.name))?;
        let id = OrgId(row.try_get(0)?);
        audit::record(&mut tx, ctx, Some(id), Action::OrgCreated, &id.to_string()).await?;
        tx.commit().await?;
        Ok(Org {
            id,
            parent: new.parent,
            kind: new.kind,
            name: new.name.clone(),
            level: new.level,
            region: new.region.clone(),
        })
    }

    /// The organisation with this id.
    ///
    /// # Errors
    /// Database errors only; an unknown id is `Ok(None)`.
    pub async fn org(&self, id: OrgId) -> Result<Option<Org>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let org = org_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(org)
    }

    /// The organisations directly under `parent` (`None`: the top offices), by name.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn children(&self, parent: Option<OrgId>) -> Result<Vec<Org>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM orgs WHERE coalesce(parent_id, 0) = $1 ORDER BY name, id"
        ))
        .bind(parent.map_or(0, |p| p.0))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(org_of_row).collect()
    }

    /// Every organisation below `office` — its agencies and sub-offices, theirs, and so on down
    /// the tree —, ordered by level (from the top), then name, then id. The office itself is not
    /// in it; an agency or an unknown id has an empty subtree.
    ///
    /// One recursive query; its join goes through the sibling-name index
    /// (`coalesce(parent_id, 0)`), so each step is an index range, not a scan of every
    /// organisation.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn subtree(&self, office: OrgId) -> Result<Vec<Org>, StoreError> {
        subtree_of(self.pool(), office).await
    }

    /// Every agency, by id (the public list of agencies).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn agencies(&self) -> Result<Vec<Org>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM orgs WHERE kind = $1 ORDER BY id"))
            .bind(OrgKind::Agency.key())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(org_of_row).collect()
    }
}

/// The common table expression `subtree(id)`: every organisation below the office bound to `$1`
/// (the office excluded). `UNION` rather than `UNION ALL`, so even a corrupt cycle ends.
/// `s.id + 0`: the CTE's column has no type affinity in SQLite, and compared bare with the
/// indexed expression it makes the planner scan `orgs` once per row (≈ 250 ms for 2,000
/// agencies); the arithmetic gives it integer affinity and each step becomes an index search
/// (≈ 3 ms). PostgreSQL plans both alike.
pub(crate) const SUBTREE: &str = "WITH RECURSIVE subtree(id) AS (\
     SELECT id FROM orgs WHERE coalesce(parent_id, 0) = $1 AND $1 <> 0 \
     UNION SELECT o.id FROM subtree s JOIN orgs o ON coalesce(o.parent_id, 0) = s.id + 0)";

/// [`Store::subtree`] on any executor (the pool, or a transaction that must see its own view).
pub(crate) async fn subtree_of<'c, E>(executor: E, office: OrgId) -> Result<Vec<Org>, StoreError>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let rows = sqlx::query(&format!(
        "{SUBTREE} SELECT {COLUMNS} FROM orgs WHERE id IN (SELECT id FROM subtree)"
    ))
    .bind(office.0)
    .fetch_all(executor)
    .await?;
    let mut orgs = rows.iter().map(org_of_row).collect::<Result<Vec<_>, _>>()?;
    // Sorted here rather than in SQL: the levels' order is the enum's, and names compare by
    // code point on both backends (PostgreSQL's collation would differ from SQLite's).
    orgs.sort_by(|a, b| (a.level, &a.name, a.id).cmp(&(b.level, &b.name, b.id)));
    Ok(orgs)
}

/// The agency with this id, inside a transaction; an office or an unknown id is `NotFound`.
pub(crate) async fn agency_in(tx: &mut Transaction<'_, Any>, id: OrgId) -> Result<Org, StoreError> {
    match org_in(tx, id).await? {
        Some(org) if org.kind == OrgKind::Agency => Ok(org),
        _ => Err(StoreError::NotFound { what: Entity::Org, key: id.to_string() }),
    }
}

pub(crate) async fn org_in(
    tx: &mut Transaction<'_, Any>,
    id: OrgId,
) -> Result<Option<Org>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM orgs WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(org_of_row).transpose()
}

/// Where an organisation of `kind` may sit.
fn check_placement(kind: OrgKind, parent: Option<&Org>) -> Result<(), StoreError> {
    match (kind, parent.map(|p| p.kind)) {
        (_, Some(OrgKind::Agency)) => Err(StoreError::Invalid(Msg::new(
            "机构不能设在行政机关之下，只能设在政务公开办之下",
            "nothing sits under an agency: organisations sit under an office",
        ))),
        (OrgKind::Agency, None) => Err(StoreError::Invalid(Msg::new(
            "行政机关须设在一个政务公开办之下",
            "an agency sits under a supervising office",
        ))),
        _ => Ok(()),
    }
}

pub(crate) fn org_of_row(row: &AnyRow) -> Result<Org, StoreError> {
    let kind: String = row.try_get(2)?;
    let level: String = row.try_get(4)?;
    let region: String = row.try_get(5)?;
    let corrupt = |what, detail: &str| StoreError::Corrupt { what, detail: detail.to_owned() };
    Ok(Org {
        id: OrgId(row.try_get(0)?),
        parent: row.try_get::<Option<i64>, _>(1)?.map(OrgId),
        kind: OrgKind::from_key(&kind).ok_or_else(|| corrupt("organisation kind", &kind))?,
        name: row.try_get(3)?,
        level: Level::from_key(&level).ok_or_else(|| corrupt("organisation level", &level))?,
        region: RegionCode::parse(&region).map_err(|_| corrupt("region code", &region))?,
    })
}
