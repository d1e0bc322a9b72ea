//! Applicants' personal data (name, contact, identity document), in its own table apart from the
//! case record. The only way to read it names the owning agency, and every read is audited. It
//! appears in no list, no export and no audit subject.

use gongkai_cases::{CaseId, PersonalData};
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Action};
use crate::orgs::OrgId;
use crate::{Ctx, Store, StoreError};

impl Store {
    /// The personal data of the applicant of case `case` of `agency`; `None` when the agency has
    /// no such case (another agency's case included) or none was recorded. A read is audited.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn personal_data(
        &self,
        ctx: &Ctx,
        agency: OrgId,
        case: &CaseId,
    ) -> Result<Option<PersonalData>, StoreError> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT p.name, p.contact, p.id_document FROM personal_data p \
             JOIN cases c ON c.id = p.case_id WHERE c.agency_id = $1 AND c.case_key = $2",
        )
        .bind(agency.0)
        .bind(&case.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let data = PersonalData {
            case: case.clone(),
            name: row.try_get(0)?,
            contact: row.try_get(1)?,
            id_document: row.try_get(2)?,
        };
        audit::record(&mut tx, ctx, Some(agency), Action::PersonalDataRead, &case.0).await?;
        tx.commit().await?;
        Ok(Some(data))
    }
}

/// Stores the personal data of the case in row `case_row`.
pub(crate) async fn insert(
    tx: &mut Transaction<'_, Any>,
    case_row: i64,
    data: &PersonalData,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO personal_data (case_id, name, contact, id_document) VALUES ($1, $2, $3, $4)",
    )
    .bind(case_row)
    .bind(&data.name)
    .bind(&data.contact)
    .bind(data.id_document.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
