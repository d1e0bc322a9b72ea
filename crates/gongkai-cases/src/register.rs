//! An agency's whole register (登记台账): every record the annual tables are counted from, in one
//! serialisable value (`gongkai-register`, version 1). A database or a spreadsheet import fills it;
//! [`Register::replay`] turns the stored application records into [`Case`]s.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseRecord, Env};
use crate::error::TransitionError;
use crate::intake::{CaseId, PersonalData};
use crate::registers::{
    DecisionTally, Dispute, FeeCollected, NormativeDoc, ProactiveItem, PublishError,
};

/// The value of the `format` field.
pub const FORMAT: &str = "gongkai-register";
/// The current version.
pub const VERSION: u32 = 1;

/// All of an agency's records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// Always `gongkai-register`.
    pub format: String,
    /// Always 1 for this version.
    pub version: u32,
    /// The agency keeping the register.
    pub agency: String,
    /// Applications (依申请公开).
    #[serde(default)]
    pub cases: Vec<CaseRecord>,
    /// **Personal data** of applicants, kept apart from the cases (see [`PersonalData`]).
    #[serde(default)]
    pub personal: Vec<PersonalData>,
    /// Proactive disclosure items.
    #[serde(default)]
    pub proactive: Vec<ProactiveItem>,
    /// Regulations and normative documents.
    #[serde(default)]
    pub documents: Vec<NormativeDoc>,
    /// Administrative decision tallies.
    #[serde(default)]
    pub decisions: Vec<DecisionTally>,
    /// Administrative fees collected.
    #[serde(default)]
    pub fees_collected: Vec<FeeCollected>,
    /// Reconsideration and litigation cases.
    #[serde(default)]
    pub disputes: Vec<Dispute>,
}

/// A record that does not replay.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// An application's event was refused.
    #[error("申请 {case} 的第 {} 个事件：{error}", .index + 1)]
    Case {
        /// The case.
        case: CaseId,
        /// The event's index in the record.
        index: usize,
        /// Why.
        error: TransitionError,
    },
    /// Two applications share a register number.
    #[error("登记编号 {0} 重复 / duplicate register number {0}")]
    DuplicateCase(CaseId),
    /// A proactive item breaks 先审后发.
    #[error("{0}")]
    Proactive(PublishError),
}

impl Register {
    /// An empty register for `agency`.
    pub fn new(agency: impl Into<String>) -> Self {
        Register {
            format: FORMAT.to_owned(),
            version: VERSION,
            agency: agency.into(),
            cases: Vec::new(),
            personal: Vec::new(),
            proactive: Vec::new(),
            documents: Vec::new(),
            decisions: Vec::new(),
            fees_collected: Vec::new(),
            disputes: Vec::new(),
        }
    }

    /// Replays every application and checks every proactive item, returning the cases or every
    /// record that fails (not just the first).
    ///
    /// # Errors
    /// All failing records.
    pub fn replay(&self, today: Date, env: Env<'_>) -> Result<Vec<Case>, Vec<RecordError>> {
        let mut errors = Vec::new();
        let mut ids: Vec<&CaseId> = self.cases.iter().map(|c| &c.intake.id).collect();
        ids.sort();
        for pair in ids.windows(2) {
            if pair[0] == pair[1]
                && !errors
                    .iter()
                    .any(|e| matches!(e, RecordError::DuplicateCase(x) if x == pair[0]))
            {
                errors.push(RecordError::DuplicateCase(pair[0].clone()));
            }
        }
        let mut cases = Vec::with_capacity(self.cases.len());
        for rec in &self.cases {
            match Case::replay(rec.clone(), today, env) {
                Ok(c) => cases.push(c),
                Err((index, error)) => {
                    errors.push(RecordError::Case { case: rec.intake.id.clone(), index, error })
                }
            }
        }
        errors.extend(
            self.proactive.iter().filter_map(|p| p.validate().err()).map(RecordError::Proactive),
        );
        if errors.is_empty() { Ok(cases) } else { Err(errors) }
    }
}
