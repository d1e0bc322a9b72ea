//! Corrections of published years, as every form that changes records asks for them.
//!
//! Once an agency's report of year Y is published the store locks the year: a change dated in Y
//! or before it (a case received, an event, a register entry) alters the published report, so it
//! is a correction and needs a reason ([`gongkai_store::StoreError::YearLocked`] otherwise; see
//! `gongkai_store::drafts`). Each form that may make such a change — a case action, a new
//! case, a register import, a proactive item — carries one optional input, [`FIELD`], shown
//! with the published years while the agency has any ([`CorrectionField::of`]); the API takes the
//! same field in its JSON body. A change refused for want of a reason (a blank one is no reason)
//! shows the form again, 422, with the store's words at the field, required.

use gongkai_store::{OrgId, StoreError};

use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::texts;

/// The name of the input (form field and JSON member).
pub const FIELD: &str = "correction_reason";

texts! {
    /// The correction input's texts.
    pub struct CorrectionText {
        label: "更正理由" | "Reason for the correction",
        required: "（更正已发布的年度时必填）" | " (required when correcting a published year)",
        published: "年度报告已发布：" | " report(s) published: ",
        note: "记录的日期在这些年度内或更早时，此项更改是对已发布报告的更正，须填写更正理由；审核人随后发布报告的新版本。" | "a record dated in one of these years or earlier corrects a published report and needs a reason; the approver then publishes a new version of the report.",
        separator: "、" | ", ",
    }
}

/// The correction input of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorrectionField {
    /// The label.
    pub label: String,
    /// Which years are published, and what that means.
    pub note: String,
    /// What was typed.
    pub value: String,
    /// Why the change was refused (the store's words), when it was.
    pub error: Option<String>,
}

impl CorrectionField {
    /// The input for an agency whose published years are `locked` (`None` when there are none
    /// and nothing was refused), with the typed `value` and the refusal of the last attempt.
    pub fn of(lang: Lang, locked: &[i16], value: &str, refused: Option<String>) -> Option<Self> {
        if locked.is_empty() && refused.is_none() {
            return None;
        }
        let t = CorrectionText::of(lang);
        let years = locked.iter().map(ToString::to_string).collect::<Vec<_>>().join(t.separator);
        Some(CorrectionField {
            label: format!("{}{}", t.label, t.required),
            note: format!("{years}{}{}", t.published, t.note),
            value: value.to_owned(),
            error: refused,
        })
    }
}

/// The published years of `agency`, oldest first.
///
/// # Errors
/// Store errors.
pub async fn locked_years(state: &AppState, agency: OrgId) -> Result<Vec<i16>, AppError> {
    Ok(state.store.year_locks(agency).await?.into_iter().map(|l| l.year).collect())
}

/// The reason typed, trimmed; `None` when blank.
pub fn reason(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|r| !r.is_empty())
}

/// The store's refusal of a change to a published year without a reason, in `lang`, if `e` is
/// one.
pub fn refusal(e: &AppError, lang: Lang) -> Option<String> {
    use gongkai_model::Localized as _;
    match e {
        AppError::Store(s @ StoreError::YearLocked { .. }) => Some(s.message(lang)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty() {
        assert!(CorrectionText::ALL.iter().all(|(zh, en)| !zh.is_empty() && !en.is_empty()));
    }

    #[test]
    fn shown_while_a_year_is_published_or_after_a_refusal() {
        assert_eq!(CorrectionField::of(Lang::Zh, &[], "", None), None);
        let f = CorrectionField::of(Lang::Zh, &[2024, 2025], "补录", None).unwrap_or_else(|| {
            panic!("a field while years are published");
        });
        assert!(f.note.starts_with("2024、2025年度报告已发布"), "{}", f.note);
        assert_eq!(f.value, "补录");
        assert!(CorrectionField::of(Lang::En, &[], "", Some("no".into())).is_some());
        assert_eq!(reason(Some("  ")), None);
        assert_eq!(reason(Some(" 补录 ")), Some("补录"));
    }
}
