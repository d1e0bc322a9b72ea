//! An agency's whole register (登记台账): every record the annual tables are counted from, in one
//! serialisable value (`gongkai-register`, version 1). A database or a spreadsheet import fills it;
//! [`Register::replay`] turns the stored application records into [`Case`]s.

use gongkai_model::{Localized, Msg};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseRecord, Env};
use crate::error::TransitionError;
use crate::event::EventKind;
use crate::intake::{CaseId, PersonalData};
use crate::registers::{
    DecisionTally, Dispute, FeeCollected, NormativeDoc, ProactiveItem, PublishError,
};
use crate::tables::Records;

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
/// [`Localized::message`] says it in one language; the `Display` form gives both.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum RecordError {
    /// An application's event was refused.
    Case {
        /// The case.
        case: CaseId,
        /// The event's index in the record.
        index: usize,
        /// Why.
        error: TransitionError,
    },
    /// Two applications share a register number.
    DuplicateCase(CaseId),
    /// A proactive item breaks 先审后发.
    Proactive(PublishError),
}

impl Localized for RecordError {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            RecordError::Case { case, index, error } => {
                let (why, detail) = error.words();
                if error.event == EventKind::Received {
                    let text = Msg::new(
                        format!("申请 {case}：{}", why.zh),
                        format!("application {case}: {}", why.en),
                    );
                    return (text, detail);
                }
                let n = index + 1;
                let text = Msg::new(
                    format!("申请 {case} 的第 {n} 个事件：{}", why.zh),
                    format!("application {case}, event {n}: {}", why.en),
                );
                (text, detail)
            }
            RecordError::DuplicateCase(id) => (
                Msg::new(format!("登记编号 {id} 重复"), format!("duplicate register number {id}")),
                None,
            ),
            RecordError::Proactive(e) => e.words(),
        }
    }
}

/// Every record of a register that does not replay, under one heading, one per line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub struct RecordErrors(pub Vec<RecordError>);

impl Localized for RecordErrors {
    fn words(&self) -> (Msg, Option<String>) {
        let n = self.0.len();
        let lines = |lang| self.0.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join("\n");
        let text = Msg::new(
            format!("台账中有 {n} 条记录不合法：\n{}", lines(gongkai_model::Lang::Zh)),
            format!("{n} invalid record(s) in the register:\n{}", lines(gongkai_model::Lang::En)),
        );
        (text, None)
    }
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

    /// The register as it stood at the end of `date`: applications received by then, with the
    /// events recorded up to that day (see [`CaseRecord::as_of`]); the other registers unchanged.
    pub fn as_of(&self, date: Date) -> Register {
        Register {
            cases: self.cases.iter().filter_map(|c| c.as_of(date)).collect(),
            ..self.clone()
        }
    }

    /// The records the annual tables are counted from: this register's agency and registers, with
    /// `cases` — its applications as [`Register::replay`] returned them. Override the agency with
    /// `Records { agency, ..register.records(&cases) }`.
    pub fn records<'a>(&'a self, cases: &'a [Case]) -> Records<'a> {
        Records {
            agency: &self.agency,
            cases,
            proactive: &self.proactive,
            documents: &self.documents,
            decisions: &self.decisions,
            fees_collected: &self.fees_collected,
            disputes: &self.disputes,
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

#[cfg(test)]
mod error_tests {
    use gongkai_model::Lang;

    use super::*;
    use crate::case::Phase;
    use crate::error::Reason;
    use crate::event::EventKind;
    use crate::fee::ScheduleError;
    use crate::registers::{PublishChannel, PublishError};

    #[test]
    fn errors_are_said_in_one_language() {
        let d = jiff::civil::date(2025, 3, 1);
        let transition = TransitionError {
            phase: Phase::Processing,
            event: EventKind::Received,
            reason: Reason::Calendar(gongkai_calendar::CalendarError::Empty),
        };
        let publish = [
            PublishError::NotReviewed("P1".into()),
            PublishError::BeforeReview { id: "P1".into(), on: d, reviewed: d },
            PublishError::BeforeCreated { id: "P1".into(), on: d, created: d },
            PublishError::Duplicate { id: "P1".into(), channel: PublishChannel::Wechat },
        ];
        let mut all: Vec<Box<dyn Localized>> = vec![
            Box::new(transition.clone()),
            Box::new(RecordError::Case { case: CaseId("A1".into()), index: 0, error: transition }),
            Box::new(RecordError::DuplicateCase(CaseId("A1".into()))),
            Box::new(RecordError::Proactive(publish[0].clone())),
        ];
        all.extend(publish.into_iter().map(|p| Box::new(p) as Box<dyn Localized>));
        for e in &all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert!(e.bilingual().contains(" / "));
        }
        let fee = ScheduleError("EOF".into());
        assert_eq!(fee.message(Lang::Zh), "收费标准有误：EOF");
        assert_eq!(fee.message(Lang::En), "invalid fee schedule: EOF");
    }
}
