//! The audit log: who did what, when, from where — appended in the same transaction as the change
//! it records, never changed (the schema refuses updates and deletes), never holding personal data
//! (subjects are ids and keys, not names or contacts).

use jiff::Timestamp;
use sqlx::{Any, Row, Transaction};

use crate::accounts::UserId;
use crate::orgs::OrgId;
use crate::{Ctx, Store, StoreError, from_millis, millis};

/// What happened. Declared once; stored by [`Action::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs, reason = "each name says what happened")]
pub enum Action {
    OrgCreated,
    UserCreated,
    LoginFailed,
    RoleGranted,
    RoleRevoked,
    SessionOpened,
    SessionClosed,
    TokenCreated,
    TokenRevoked,
    CaseRegistered,
    EventAppended,
    CasesImported,
    /// Someone read an applicant's personal data.
    PersonalDataRead,
    ReportPublished,
    /// The case-state cache of an agency was derived again from the records.
    CaseStateRebuilt,
    /// A register file was imported.
    RegisterImported,
    DraftSaved,
    DocumentUploaded,
    FindingsRecorded,
    FindingReviewed,
    /// Files an office collected were queued to be read.
    ReadsQueued,
    /// A collected document was read (its result stored).
    ReportCollected,
    /// A reviewer chose the agency of a collected document.
    CollectedAgencyConfirmed,
    /// An agency saved its disclosure guide's contact details.
    GuideSaved,
    /// An attachment was stored for a proactive item.
    AttachmentUploaded,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 25] = [
        Action::OrgCreated,
        Action::UserCreated,
        Action::LoginFailed,
        Action::RoleGranted,
        Action::RoleRevoked,
        Action::SessionOpened,
        Action::SessionClosed,
        Action::TokenCreated,
        Action::TokenRevoked,
        Action::CaseRegistered,
        Action::EventAppended,
        Action::CasesImported,
        Action::PersonalDataRead,
        Action::ReportPublished,
        Action::CaseStateRebuilt,
        Action::RegisterImported,
        Action::DraftSaved,
        Action::DocumentUploaded,
        Action::FindingsRecorded,
        Action::FindingReviewed,
        Action::ReadsQueued,
        Action::ReportCollected,
        Action::CollectedAgencyConfirmed,
        Action::GuideSaved,
        Action::AttachmentUploaded,
    ];

    /// The stored key.
    pub const fn key(self) -> &'static str {
        match self {
            Action::OrgCreated => "org_created",
            Action::UserCreated => "user_created",
            Action::LoginFailed => "login_failed",
            Action::RoleGranted => "role_granted",
            Action::RoleRevoked => "role_revoked",
            Action::SessionOpened => "session_opened",
            Action::SessionClosed => "session_closed",
            Action::TokenCreated => "token_created",
            Action::TokenRevoked => "token_revoked",
            Action::CaseRegistered => "case_registered",
            Action::EventAppended => "event_appended",
            Action::CasesImported => "cases_imported",
            Action::PersonalDataRead => "personal_data_read",
            Action::ReportPublished => "report_published",
            Action::CaseStateRebuilt => "case_state_rebuilt",
            Action::RegisterImported => "register_imported",
            Action::DraftSaved => "draft_saved",
            Action::DocumentUploaded => "document_uploaded",
            Action::FindingsRecorded => "findings_recorded",
            Action::FindingReviewed => "finding_reviewed",
            Action::ReadsQueued => "reads_queued",
            Action::ReportCollected => "report_collected",
            Action::CollectedAgencyConfirmed => "collected_agency_confirmed",
            Action::GuideSaved => "guide_saved",
            Action::AttachmentUploaded => "attachment_uploaded",
        }
    }

    /// The action of a stored key.
    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who; `None` for the system.
    pub user: Option<UserId>,
    /// The organisation concerned, if any.
    pub org: Option<OrgId>,
    /// What.
    pub action: Action,
    /// On what: ids and keys only.
    pub subject: String,
    /// From where.
    pub origin: String,
}

impl Store {
    /// The newest `limit` entries, newest first; only those of `org` when given.
    ///
    /// # Errors
    /// Database errors, or a stored action this program does not know.
    pub async fn audit_log(
        &self,
        org: Option<OrgId>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, user_id, org_id, action, subject, origin FROM audit_log \
             WHERE ($1 = 0 OR org_id = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(org.map_or(0, |o| o.0))
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let action: String = row.try_get(3)?;
            out.push(AuditEntry {
                at: from_millis(row.try_get(0)?)?,
                user: row.try_get::<Option<i64>, _>(1)?.map(UserId),
                org: row.try_get::<Option<i64>, _>(2)?.map(OrgId),
                action: Action::from_key(&action)
                    .ok_or(StoreError::Corrupt { what: "audit action", detail: action })?,
                subject: row.try_get(4)?,
                origin: row.try_get(5)?,
            });
        }
        Ok(out)
    }
}

/// Appends an entry inside the transaction of the change it records.
pub(crate) async fn record(
    tx: &mut Transaction<'_, Any>,
    ctx: &Ctx,
    org: Option<OrgId>,
    action: Action,
    subject: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, org_id, action, subject, origin) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(millis(ctx.at))
    .bind(ctx.user.map(|u| u.0))
    .bind(org.map(|o| o.0))
    .bind(action.key())
    .bind(subject)
    .bind(&ctx.origin)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
