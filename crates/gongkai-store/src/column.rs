//! The agency's disclosure column (信息公开专栏): the public catalogue (政府信息公开目录) of its
//! 主动公开 register, its attachments, and its disclosure guide's contact details
//! (政府信息公开指南). Migration 0009.
//!
//! **Only public items.** The catalogue (`column_items`) holds the items of the register that
//! are reviewed and published ([`ProactiveItem::is_public`], 先审后发), rebuilt from the register
//! in the transaction of every change to its 主动公开 sheet ([`Store::import_register`]); every
//! read here goes through it, so an unreviewed or unpublished item — or its attachment — is never
//! answered, whatever is asked.
//!
//! **索引号** `code/year-serial` (`11330100002493XXXX/2024-00017`): `code` is the agency's
//! catalogue code from its guide (its 统一社会信用代码 as a rule), or, until it sets one,
//! `GK` + its region code + its id in six digits; `serial` is given once per item, the first time
//! it is public, numbered within the year of its first publication, and kept afterwards.
//!
//! **Search** uses [`crate::search`]'s tokens on both backends: SQLite's FTS5 table
//! `column_fts` (unicode61 over the space-joined tokens) and, on PostgreSQL, a GIN index on the
//! tokens as a tsvector of literal lexemes; a query needs every one of its tokens.

use std::collections::BTreeSet;

use gongkai_cases::registers::ProactiveItem;
use gongkai_model::Msg;
use jiff::civil::Date;
use sha2::{Digest as _, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Action};
use crate::documents::sanitise_file_name;
use crate::migrate::hex;
use crate::orgs::{OrgId, agency_in};
use crate::search;
use crate::{Backend, Ctx, Store, StoreError, millis};

/// Items per page when the caller asks for none (or too many).
pub const PER_PAGE: u32 = 20;

/// The most items a page may ask for.
pub const MAX_PER_PAGE: u32 = 100;

/// What a visitor asks the column for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnQuery {
    /// Only this 主题分类 (`Some("")`: items without one).
    pub subject: Option<String>,
    /// Only items first published in this year.
    pub year: Option<i16>,
    /// Full-text search (every token of it must be found).
    pub q: String,
    /// The page, from 1.
    pub page: u32,
    /// Items per page (1…[`MAX_PER_PAGE`]; [`PER_PAGE`] when 0).
    pub per_page: u32,
}

/// An item's attachment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The sanitised file name.
    pub file_name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its bytes (hex).
    pub sha256: String,
}

/// One public item of the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnItem {
    /// The register number (the item's key in URLs).
    pub key: String,
    /// 索引号.
    pub index_no: String,
    /// The day first published (公开日期).
    pub published: Date,
    /// The item as registered.
    pub item: ProactiveItem,
    /// Its attachment, if it has one.
    pub attachment: Option<Attachment>,
}

/// A page of the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnPage {
    /// The items of the page, newest first.
    pub items: Vec<ColumnItem>,
    /// How many items match the query in all.
    pub total: u64,
    /// Every year of the column with its number of items, newest first.
    pub years: Vec<(i16, u64)>,
    /// Every 主题分类 of the column with its number of items, by name (`""`: none given).
    pub subjects: Vec<(String, u64)>,
}

/// The disclosure guide's details an agency edits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guide {
    /// The catalogue code (索引号 prefix), e.g. the 统一社会信用代码; empty: derived.
    pub code: String,
    /// The name of the disclosure office (政府信息公开工作机构).
    pub office: String,
    /// 办公地址.
    pub address: String,
    /// 办公时间.
    pub hours: String,
    /// 联系电话.
    pub phone: String,
    /// 传真号码.
    pub fax: String,
    /// 网址 (互联网联系方式).
    pub website: String,
    /// 电子邮箱.
    pub email: String,
}

/// The longest text of a guide's field, in characters.
pub const MAX_GUIDE_CHARS: usize = 200;

/// The longest catalogue code.
pub const MAX_CODE_CHARS: usize = 32;

impl Guide {
    /// The fields by key, in form order.
    pub fn fields(&self) -> [(&'static str, &str); 8] {
        [
            ("code", &self.code),
            ("office", &self.office),
            ("address", &self.address),
            ("hours", &self.hours),
            ("phone", &self.phone),
            ("fax", &self.fax),
            ("website", &self.website),
            ("email", &self.email),
        ]
    }

    /// Every problem, by field key: a field too long or holding a control character; a code not
    /// of capital letters, digits and `-`; a web address not `http(s)://`; an e-mail address
    /// without `@`.
    pub fn problems(&self) -> Vec<(&'static str, Msg)> {
        let mut out = Vec::new();
        for (key, value) in self.fields() {
            if value.chars().count() > MAX_GUIDE_CHARS {
                out.push((
                    key,
                    Msg::new(
                        format!("不超过{MAX_GUIDE_CHARS}个字"),
                        format!("at most {MAX_GUIDE_CHARS} characters"),
                    ),
                ));
            } else if value.chars().any(char::is_control) {
                out.push((key, Msg::new("含有控制字符", "contains a control character")));
            }
        }
        let code_ok = self.code.is_empty()
            || (self.code.len() <= MAX_CODE_CHARS
                && self
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'));
        if !code_ok {
            out.push((
                "code",
                Msg::new(
                    format!("应为不超过{MAX_CODE_CHARS}位的大写字母、数字或“-”，如统一社会信用代码"),
                    format!(
                        "at most {MAX_CODE_CHARS} capital letters, digits or `-`, e.g. the unified social credit code"
                    ),
                ),
            ));
        }
        let web = ["https://", "http://"];
        if !self.website.is_empty() && !web.iter().any(|p| self.website.starts_with(p)) {
            out.push((
                "website",
                Msg::new(
                    "网址应以 http:// 或 https:// 开头",
                    "a web address starts with http:// or https://",
                ),
            ));
        }
        if !self.email.is_empty() && !self.email.contains('@') {
            out.push(("email", Msg::new("电子邮箱应含有 @", "an e-mail address contains @")));
        }
        out
    }
}

/// The catalogue code derived for an agency that has not set its own: `GK` + region + id.
pub fn derived_code(region: &str, agency: OrgId) -> String {
    format!("GK{region}{:06}", agency.0)
}

/// 索引号: `code/year-serial`, the serial in five digits.
pub fn index_no(code: &str, year: i64, serial: i64) -> String {
    format!("{code}/{year}-{serial:05}")
}

/// The text an item is found by: its title, 文号, 主题分类, 发布机构 and full text.
fn search_text(item: &ProactiveItem) -> String {
    let parts = [
        Some(item.title.as_str()),
        item.number.as_deref(),
        item.subject.as_deref(),
        item.publisher.as_deref(),
        item.text.as_deref(),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join("\n")
}

/// Rebuilds `agency`'s catalogue from its 主动公开 register (in the caller's transaction):
/// every public item once (the first of a repeated register number), serials given to items
/// public for the first time.
pub(crate) async fn rebuild(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    agency: OrgId,
) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT entry FROM register_entries WHERE agency_id = $1 AND sheet = 'proactive' \
         ORDER BY seq",
    )
    .bind(agency.0)
    .fetch_all(&mut **tx)
    .await?;
    if backend == Backend::Sqlite {
        sqlx::query(
            "DELETE FROM column_fts WHERE rowid IN (SELECT id FROM column_items WHERE agency_id = $1)",
        )
        .bind(agency.0)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM column_items WHERE agency_id = $1")
        .bind(agency.0)
        .execute(&mut **tx)
        .await?;
    let mut seen = BTreeSet::new();
    for row in rows {
        let json: String = row.try_get(0)?;
        let item: ProactiveItem = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt { what: "register entry", detail: e.to_string() })?;
        let Some(first) = item.first_published().filter(|_| item.is_public()) else { continue };
        if !seen.insert(item.id.clone()) {
            continue;
        }
        serial(tx, agency, &item.id, i64::from(first.year())).await?;
        let tokens = search::index_tokens(&search_text(&item)).join(" ");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO column_items (agency_id, item_key, year, published, subject, entry, tokens) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
            .bind(agency.0)
            .bind(&item.id)
            .bind(i64::from(first.year()))
            .bind(first.to_string())
            .bind(item.subject.clone().unwrap_or_default())
            .bind(&json)
            .bind(&tokens)
            .fetch_one(&mut **tx)
            .await?;
        if backend == Backend::Sqlite {
            sqlx::query("INSERT INTO column_fts (rowid, tokens) VALUES ($1, $2)")
                .bind(id)
                .bind(&tokens)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Gives `key` its 索引号 serial in `year` unless it has one.
async fn serial(
    tx: &mut Transaction<'_, Any>,
    agency: OrgId,
    key: &str,
    year: i64,
) -> Result<(), StoreError> {
    let has: Option<i64> = sqlx::query_scalar(
        "SELECT serial FROM column_serials WHERE agency_id = $1 AND item_key = $2",
    )
    .bind(agency.0)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    if has.is_some() {
        return Ok(());
    }
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT max(serial) FROM column_serials WHERE agency_id = $1 AND year = $2",
    )
    .bind(agency.0)
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    let next = last
        .unwrap_or(0)
        .checked_add(1)
        .ok_or(StoreError::Corrupt { what: "column serial", detail: format!("{year}") })?;
    sqlx::query(
        "INSERT INTO column_serials (agency_id, item_key, year, serial) VALUES ($1, $2, $3, $4)",
    )
    .bind(agency.0)
    .bind(key)
    .bind(year)
    .bind(next)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The columns every item query selects (see [`item_of_row`]).
const SELECT: &str = "SELECT ci.entry, ci.published, s.year, s.serial, a.file_name, a.media_type, \
     b.size, a.sha256 FROM column_items ci \
     JOIN column_serials s ON s.agency_id = ci.agency_id AND s.item_key = ci.item_key \
     LEFT JOIN column_attachments a ON a.agency_id = ci.agency_id AND a.item_key = ci.item_key \
     LEFT JOIN blobs b ON b.sha256 = a.sha256";

fn item_of_row(row: &AnyRow, code: &str) -> Result<ColumnItem, StoreError> {
    let corrupt = |what: &'static str, detail: String| StoreError::Corrupt { what, detail };
    let json: String = row.try_get(0)?;
    let item: ProactiveItem =
        serde_json::from_str(&json).map_err(|e| corrupt("register entry", e.to_string()))?;
    let published: String = row.try_get(1)?;
    let published: Date = published.parse().map_err(|_| corrupt("column date", published))?;
    let attachment = match row.try_get::<Option<String>, _>(4)? {
        Some(file_name) => {
            let size: i64 = row.try_get::<Option<i64>, _>(6)?.unwrap_or(0);
            Some(Attachment {
                file_name,
                media_type: row.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
                size: u64::try_from(size)
                    .map_err(|_| corrupt("attachment size", size.to_string()))?,
                sha256: row.try_get::<Option<String>, _>(7)?.unwrap_or_default(),
            })
        }
        None => None,
    };
    Ok(ColumnItem {
        key: item.id.clone(),
        index_no: index_no(code, row.try_get(2)?, row.try_get(3)?),
        published,
        item,
        attachment,
    })
}

/// The search clause of a backend for a query with tokens, and the bound text.
fn search_clause(backend: Backend, q: &str, n: usize) -> Option<(String, String)> {
    let tokens = search::query_tokens(q);
    if tokens.is_empty() {
        return None;
    }
    Some(match backend {
        Backend::Sqlite => (
            format!(" AND ci.id IN (SELECT rowid FROM column_fts WHERE column_fts MATCH ${n})"),
            tokens.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" AND "),
        ),
        Backend::Postgres => (
            format!(
                " AND array_to_tsvector(string_to_array(ci.tokens, ' ')) @@ CAST(${n} AS tsquery)"
            ),
            tokens.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(" & "),
        ),
    })
}

impl Store {
    /// The catalogue code of `agency`: its guide's, or the derived one ([`derived_code`]).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; database errors.
    pub async fn column_code(&self, agency: OrgId) -> Result<String, StoreError> {
        let mut tx = self.pool().begin().await?;
        let org = agency_in(&mut tx, agency).await?;
        let code: Option<String> =
            sqlx::query_scalar("SELECT code FROM disclosure_guides WHERE agency_id = $1")
                .bind(agency.0)
                .fetch_optional(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(code
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| derived_code(org.region.as_str(), agency)))
    }

    /// A page of `agency`'s column: the public items that match `query`, newest first, with
    /// the column's years and 主题分类.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; database errors.
    pub async fn column(
        &self,
        agency: OrgId,
        query: &ColumnQuery,
    ) -> Result<ColumnPage, StoreError> {
        let code = self.column_code(agency).await?;
        let per_page = match query.per_page {
            0 => PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let offset = i64::from(query.page.max(1) - 1) * i64::from(per_page);
        let mut filter = String::from(
            " WHERE ci.agency_id = $1 AND ($2 = 0 OR ci.year = $2) AND ($3 = 0 OR ci.subject = $4)",
        );
        let search = search_clause(self.backend(), &query.q, 5);
        if let Some((clause, _)) = &search {
            filter.push_str(clause);
        }
        let bound = search.as_ref().map(|(_, text)| text.clone()).unwrap_or_default();
        let year = query.year.map_or(0, i64::from);
        let has_subject = i64::from(query.subject.is_some());
        let subject = query.subject.clone().unwrap_or_default();
        let count_sql = format!("SELECT count(*) FROM column_items ci{filter}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql)
            .bind(agency.0)
            .bind(year)
            .bind(has_subject)
            .bind(&subject);
        if search.is_some() {
            count = count.bind(&bound);
        }
        let total = count.fetch_one(self.pool()).await?;
        let list_sql = format!(
            "{SELECT}{filter} ORDER BY ci.published DESC, ci.item_key DESC LIMIT {per_page} OFFSET {offset}"
        );
        let mut list =
            sqlx::query(&list_sql).bind(agency.0).bind(year).bind(has_subject).bind(&subject);
        if search.is_some() {
            list = list.bind(&bound);
        }
        let rows = list.fetch_all(self.pool()).await?;
        let items = rows.iter().map(|r| item_of_row(r, &code)).collect::<Result<Vec<_>, _>>()?;
        let years = sqlx::query(
            "SELECT year, count(*) FROM column_items WHERE agency_id = $1 GROUP BY year \
             ORDER BY year DESC",
        )
        .bind(agency.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let year: i64 = r.try_get(0)?;
            let n: i64 = r.try_get(1)?;
            Ok((i16::try_from(year).unwrap_or(0), u64::try_from(n).unwrap_or(0)))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let subjects = sqlx::query(
            "SELECT subject, count(*) FROM column_items WHERE agency_id = $1 GROUP BY subject \
             ORDER BY subject",
        )
        .bind(agency.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let n: i64 = r.try_get(1)?;
            Ok((r.try_get::<String, _>(0)?, u64::try_from(n).unwrap_or(0)))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(ColumnPage { items, total: u64::try_from(total).unwrap_or(0), years, subjects })
    }

    /// One public item of `agency`'s column; `None` when there is no such public item (an
    /// unreviewed or unpublished item included).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `agency` is not an agency; database errors.
    pub async fn column_item(
        &self,
        agency: OrgId,
        key: &str,
    ) -> Result<Option<ColumnItem>, StoreError> {
        let code = self.column_code(agency).await?;
        let row = sqlx::query(&format!("{SELECT} WHERE ci.agency_id = $1 AND ci.item_key = $2"))
            .bind(agency.0)
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(|r| item_of_row(r, &code)).transpose()
    }

    /// The attachment of a public item with its bytes; `None` when the item is not public or
    /// has none.
    ///
    /// # Errors
    /// Database errors.
    pub async fn column_attachment(
        &self,
        agency: OrgId,
        key: &str,
    ) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let row = sqlx::query(
            "SELECT a.file_name, a.media_type, b.size, a.sha256, b.bytes FROM column_items ci \
             JOIN column_attachments a ON a.agency_id = ci.agency_id AND a.item_key = ci.item_key \
             JOIN blobs b ON b.sha256 = a.sha256 WHERE ci.agency_id = $1 AND ci.item_key = $2",
        )
        .bind(agency.0)
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let size: i64 = row.try_get(2)?;
        let attachment = Attachment {
            file_name: row.try_get(0)?,
            media_type: row.try_get(1)?,
            size: u64::try_from(size).unwrap_or(0),
            sha256: row.try_get(3)?,
        };
        Ok(Some((attachment, row.try_get(4)?)))
    }

    /// Stores `bytes` as the attachment of the item `key` of `agency`'s 主动公开 register
    /// (replacing any earlier one): the bytes once per content, like documents. It shows in the
    /// column only while the item is public.
    ///
    /// # Errors
    /// [`StoreError::TooLarge`] above `max_bytes`; [`StoreError::Invalid`] when the register has
    /// no such item; [`StoreError::NotFound`] when `agency` is not an agency.
    pub async fn attach(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        key: &str,
        (file_name, media_type, bytes): (&str, &str, &[u8]),
        max_bytes: u64,
    ) -> Result<Attachment, StoreError> {
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > max_bytes {
            return Err(StoreError::TooLarge { size, limit: max_bytes });
        }
        let sha256 = hex(&Sha256::digest(bytes));
        let file_name = sanitise_file_name(file_name);
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM register_entries WHERE agency_id = $1 AND sheet = 'proactive' \
             AND entry_key = $2",
        )
        .bind(agency.0)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if known.is_none() {
            return Err(StoreError::Invalid(Msg::new(
                format!("主动公开台账中没有编号为「{key}」的信息"),
                format!("the proactive register has no item numbered `{key}`"),
            )));
        }
        sqlx::query(
            "INSERT INTO blobs (sha256, size, bytes) VALUES ($1, $2, $3) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&sha256)
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .bind(bytes)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO column_attachments \
             (agency_id, item_key, sha256, file_name, media_type, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (agency_id, item_key) DO UPDATE SET sha256 = excluded.sha256, \
             file_name = excluded.file_name, media_type = excluded.media_type, \
             uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by",
        )
        .bind(agency.0)
        .bind(key)
        .bind(&sha256)
        .bind(&file_name)
        .bind(media_type)
        .bind(millis(ctx.at))
        .bind(ctx.user.map(|u| u.0))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, Some(agency), Action::AttachmentUploaded, key).await?;
        tx.commit().await?;
        Ok(Attachment { file_name, media_type: media_type.to_owned(), size, sha256 })
    }

    /// `agency`'s guide details (all empty until it saves them).
    ///
    /// # Errors
    /// Database errors.
    pub async fn guide(&self, agency: OrgId) -> Result<Guide, StoreError> {
        let row = sqlx::query(
            "SELECT code, office, address, hours, phone, fax, website, email \
             FROM disclosure_guides WHERE agency_id = $1",
        )
        .bind(agency.0)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(Guide::default()) };
        Ok(Guide {
            code: r.try_get(0)?,
            office: r.try_get(1)?,
            address: r.try_get(2)?,
            hours: r.try_get(3)?,
            phone: r.try_get(4)?,
            fax: r.try_get(5)?,
            website: r.try_get(6)?,
            email: r.try_get(7)?,
        })
    }

    /// Saves `agency`'s guide details, audited. The 索引号 of items already public keep their
    /// serials; their code is the new one.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with the first of [`Guide::problems`]; [`StoreError::NotFound`]
    /// when `agency` is not an agency.
    pub async fn save_guide(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        guide: &Guide,
    ) -> Result<(), StoreError> {
        if let Some((key, msg)) = guide.problems().into_iter().next() {
            return Err(StoreError::Invalid(Msg::new(
                format!("{key}：{}", msg.zh),
                format!("{key}: {}", msg.en),
            )));
        }
        let mut tx = self.write().await?;
        agency_in(&mut tx, agency).await?;
        sqlx::query(
            "INSERT INTO disclosure_guides \
             (agency_id, code, office, address, hours, phone, fax, website, email, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (agency_id) DO UPDATE SET code = excluded.code, office = excluded.office, \
             address = excluded.address, hours = excluded.hours, phone = excluded.phone, \
             fax = excluded.fax, website = excluded.website, email = excluded.email, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(agency.0)
        .bind(&guide.code)
        .bind(&guide.office)
        .bind(&guide.address)
        .bind(&guide.hours)
        .bind(&guide.phone)
        .bind(&guide.fax)
        .bind(&guide.website)
        .bind(&guide.email)
        .bind(millis(ctx.at))
        .bind(ctx.user.map(|u| u.0))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, Some(agency), Action::GuideSaved, "guide").await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_numbers_read_code_year_serial() {
        assert_eq!(index_no("11330100002493XXXX", 2024, 17), "11330100002493XXXX/2024-00017");
        assert_eq!(derived_code("110101", OrgId(7)), "GK110101000007");
    }

    #[test]
    fn guide_fields_are_checked() {
        let ok = Guide {
            code: "11330100002493123X".into(),
            website: "https://example.gov.cn".into(),
            email: "gk@example.gov.cn".into(),
            ..Guide::default()
        };
        assert!(ok.problems().is_empty());
        let bad = Guide {
            code: "bad code".into(),
            website: "javascript:alert(1)".into(),
            email: "nobody".into(),
            phone: "1".repeat(MAX_GUIDE_CHARS + 1),
            ..Guide::default()
        };
        let keys: Vec<&str> = bad.problems().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["phone", "code", "website", "email"]);
    }

    #[test]
    fn search_clauses_quote_plain_tokens() {
        let (_, sqlite) = search_clause(Backend::Sqlite, "部门预算 2024", 5).unwrap_or_default();
        assert_eq!(sqlite, "\"部门\" AND \"门预\" AND \"预算\" AND \"2024\"");
        let (_, pg) = search_clause(Backend::Postgres, "预算", 5).unwrap_or_default();
        assert_eq!(pg, "'预算'");
        assert_eq!(search_clause(Backend::Sqlite, "！", 5), None);
    }
}
