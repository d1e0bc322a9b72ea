//! Uploaded source documents (a report as an agency printed it: PDF, DOCX, HTML, …), kept in the
//! database itself so that one store holds everything: the bytes once per content, addressed by
//! their SHA-256 (`blobs`), and per organisation a document naming them with its format, size,
//! original file name, uploader and time (`documents`).
//!
//! The same bytes uploaded again by the same organisation are the same document (deduplicated);
//! by another organisation, a document of its own sharing the stored bytes. The original file name
//! is kept for display only — sanitised ([`sanitise_file_name`]) and never used as a path. A size
//! limit is a parameter of every upload, checked before anything is written.

use std::fmt;

use gongkai_model::Msg;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::UserId;
use crate::audit::{self, Action};
use crate::migrate::hex;
use crate::orgs::OrgId;
use crate::{Ctx, Entity, Store, StoreError, from_millis, millis};

pub use gongkai_model::file_name::{MAX_FILE_NAME_CHARS, sanitise_file_name};

/// The id of an uploaded document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(pub i64);

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A file to upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Upload<'a> {
    /// The bytes.
    pub bytes: &'a [u8],
    /// The format the caller detected (`pdf`, `docx`, `html`, `xlsx`, `txt`, …): 1–16 lower-case
    /// ASCII letters or digits.
    pub format: &'a str,
    /// The file name the user's browser sent (sanitised before it is stored).
    pub file_name: &'a str,
}

impl<'a> Upload<'a> {
    /// An upload.
    pub fn new(bytes: &'a [u8], format: &'a str, file_name: &'a str) -> Upload<'a> {
        Upload { bytes, format, file_name }
    }
}

/// A stored document (without its bytes: see [`Store::document_bytes`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDocument {
    /// Its id.
    pub id: DocumentId,
    /// The organisation that uploaded it.
    pub org: OrgId,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// Its format.
    pub format: String,
    /// Its size in bytes.
    pub size: u64,
    /// The original file name, sanitised.
    pub file_name: String,
    /// Who uploaded it first.
    pub uploaded_by: Option<UserId>,
    /// When it was uploaded first.
    pub uploaded_at: Timestamp,
}

/// The result of an upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uploaded {
    /// The document.
    pub document: StoredDocument,
    /// Whether the organisation had uploaded the same bytes before (nothing new was stored).
    pub deduplicated: bool,
}

const COLUMNS: &str = "d.id, d.org_id, d.sha256, d.format, b.size, d.file_name, d.uploaded_by, \
                       d.uploaded_at";

impl Store {
    /// Stores an uploaded file of `org`, at most `max_bytes` long, with its audit entry, in one
    /// transaction. The same bytes uploaded by `org` before give the same document.
    ///
    /// # Errors
    /// [`StoreError::TooLarge`] above `max_bytes` (nothing is written); [`StoreError::Invalid`]
    /// for a malformed format; [`StoreError::NotFound`] for an unknown organisation.
    pub async fn upload_document(
        &self,
        ctx: &Ctx,
        org: OrgId,
        upload: &Upload<'_>,
        max_bytes: u64,
    ) -> Result<Uploaded, StoreError> {
        let size = u64::try_from(upload.bytes.len()).unwrap_or(u64::MAX);
        if size > max_bytes {
            return Err(StoreError::TooLarge { size, limit: max_bytes });
        }
        check_format(upload.format)?;
        let mut tx = self.write().await?;
        if crate::orgs::org_in(&mut tx, org).await?.is_none() {
            return Err(StoreError::NotFound { what: Entity::Org, key: org.to_string() });
        }
        let uploaded = store_in(&mut tx, ctx, org, upload).await?;
        tx.commit().await?;
        Ok(uploaded)
    }

    /// The document `id` of `org` (`None` for another organisation's as for none).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn document(
        &self,
        org: OrgId,
        id: DocumentId,
    ) -> Result<Option<StoredDocument>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents d JOIN blobs b ON b.sha256 = d.sha256 \
             WHERE d.org_id = $1 AND d.id = $2"
        ))
        .bind(org.0)
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(document_of_row).transpose()
    }

    /// The documents of `org`, newest first.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn documents(&self, org: OrgId) -> Result<Vec<StoredDocument>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents d JOIN blobs b ON b.sha256 = d.sha256 \
             WHERE d.org_id = $1 ORDER BY d.id DESC"
        ))
        .bind(org.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(document_of_row).collect()
    }

    /// The bytes of the document `id` of `org`.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn document_bytes(
        &self,
        org: OrgId,
        id: DocumentId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query(
            "SELECT b.bytes FROM documents d JOIN blobs b ON b.sha256 = d.sha256 \
             WHERE d.org_id = $1 AND d.id = $2",
        )
        .bind(org.0)
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| r.try_get::<Vec<u8>, _>(0)).transpose().map_err(StoreError::from)
    }
}

pub(crate) fn check_format(format: &str) -> Result<(), StoreError> {
    let ok = (1..=16).contains(&format.len())
        && format.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(Msg::new(
            format!("文件格式名应为1至16个小写字母或数字：`{format}`"),
            format!("a file format is 1 to 16 lower-case letters or digits: `{format}`"),
        )))
    }
}

fn document_of_row(row: &AnyRow) -> Result<StoredDocument, StoreError> {
    let size: i64 = row.try_get(4)?;
    Ok(StoredDocument {
        id: DocumentId(row.try_get(0)?),
        org: OrgId(row.try_get(1)?),
        sha256: row.try_get(2)?,
        format: row.try_get(3)?,
        size: u64::try_from(size)
            .map_err(|_| StoreError::Corrupt { what: "document size", detail: size.to_string() })?,
        file_name: row.try_get(5)?,
        uploaded_by: row.try_get::<Option<i64>, _>(6)?.map(UserId),
        uploaded_at: from_millis(row.try_get(7)?)?,
    })
}

/// Stores the bytes of `upload` as a document of `org` inside the caller's transaction (with its
/// audit entry), or finds the document those bytes already are (`deduplicated`). The caller
/// checked the size, the format and the organisation. `ON CONFLICT DO NOTHING` then a look-up,
/// so that the same bytes stored at the same moment by another transaction (PostgreSQL: it
/// committed first) are that document, without aborting this transaction.
pub(crate) async fn store_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: &Ctx,
    org: OrgId,
    upload: &Upload<'_>,
) -> Result<Uploaded, StoreError> {
    let size = u64::try_from(upload.bytes.len()).unwrap_or(u64::MAX);
    let sha256 = hex(&Sha256::digest(upload.bytes));
    let file_name = sanitise_file_name(upload.file_name);
    sqlx::query(
        "INSERT INTO blobs (sha256, size, bytes) VALUES ($1, $2, $3) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha256)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(upload.bytes)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(
        "INSERT INTO documents (org_id, sha256, format, file_name, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, sha256) DO NOTHING RETURNING id",
    )
    .bind(org.0)
    .bind(&sha256)
    .bind(upload.format)
    .bind(&file_name)
    .bind(millis(ctx.at))
    .bind(ctx.user.map(|u| u.0))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        let found = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM documents d JOIN blobs b ON b.sha256 = d.sha256 \
             WHERE d.org_id = $1 AND d.sha256 = $2"
        ))
        .bind(org.0)
        .bind(&sha256)
        .fetch_one(&mut **tx)
        .await?;
        return Ok(Uploaded { document: document_of_row(&found)?, deduplicated: true });
    };
    let id = DocumentId(row.try_get(0)?);
    audit::record(tx, ctx, Some(org), Action::DocumentUploaded, &id.to_string()).await?;
    let document = StoredDocument {
        id,
        org,
        sha256,
        format: upload.format.to_owned(),
        size,
        file_name,
        uploaded_by: ctx.user,
        uploaded_at: ctx.at,
    };
    Ok(Uploaded { document, deduplicated: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_sanitised_for_display() {
        assert_eq!(sanitise_file_name("2024年报告.pdf"), "2024年报告.pdf");
        assert_eq!(sanitise_file_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitise_file_name("C:\\Users\\x\\年报.docx"), "年报.docx");
        assert_eq!(sanitise_file_name("a\u{0}b\r\n.pdf"), "ab.pdf");
        assert_eq!(sanitise_file_name("..."), "unnamed");
        assert_eq!(sanitise_file_name(""), "unnamed");
        assert_eq!(sanitise_file_name(".hidden"), "hidden");
        let long = "报".repeat(500);
        assert_eq!(sanitise_file_name(&long).chars().count(), MAX_FILE_NAME_CHARS);
    }

    #[test]
    fn formats_are_short_lower_case_words() {
        assert!(check_format("pdf").is_ok());
        assert!(check_format("docx").is_ok());
        assert!(check_format("PDF").is_err());
        assert!(check_format("").is_err());
        assert!(check_format("../x").is_err());
    }
}
