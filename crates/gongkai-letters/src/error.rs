//! Why a letter cannot be built, in Chinese and English.

use gongkai_calendar::CalendarError;
use gongkai_cases::{CaseId, Phase};
use gongkai_model::{Lang, Localized, Msg};
use jiff::civil::Date;

use crate::kind::LetterKind;
use crate::text::format_date;

/// A letter that cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum LetterError {
    /// The case's state does not support the letter.
    Refused {
        /// The letter asked for.
        kind: LetterKind,
        /// The case's phase.
        phase: Phase,
        /// Why.
        reason: Refusal,
    },
    /// The personal data given belongs to another case.
    PersonalDataMismatch {
        /// The case of the letter.
        case: CaseId,
        /// The case the personal data belongs to.
        personal: CaseId,
    },
    /// The calendar could not count the working days of a period.
    Calendar(CalendarError),
}

/// Why the case's state does not support a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The event the letter documents is not pending in this phase (not recorded yet, or over).
    NotNow,
    /// The reply clock stands still (a consultation or correction is pending), so no reply
    /// deadline can be announced.
    ClockStopped,
    /// The reply deadline falls after this day, the last one the loaded calendar covers: it is
    /// determined once next year's holiday notice is loaded, and no letter announces a guess.
    DeadlinePending {
        /// The calendar's last day.
        after: Date,
    },
    /// The letter is dated before the event it documents.
    BeforeEvent {
        /// The day of the event.
        event_on: Date,
    },
}

impl Localized for LetterError {
    fn words(&self) -> (Msg, Option<String>) {
        let msg = match self {
            LetterError::Refused { kind, phase, reason } => {
                let (why_zh, why_en) = match reason {
                    Refusal::NotNow => {
                        let w = kind.when();
                        (w.zh, w.en)
                    }
                    Refusal::ClockStopped => (
                        "答复期限正在暂停计算（等待补正或征求意见），无法确定延长后的答复期限".into(),
                        "the reply clock is stopped (correction or consultation pending): no reply deadline can be stated".into(),
                    ),
                    Refusal::DeadlinePending { after } => (
                        format!(
                            "答复期限在{}之后，须载入{}年节假日安排后才能确定，暂不能出具载明期限的文书",
                            format_date(*after, Lang::Zh),
                            i32::from(after.year()) + 1
                        ),
                        format!(
                            "the reply deadline falls after {}: it is set once the {} holiday notice is loaded, and no letter states it before",
                            format_date(*after, Lang::En),
                            i32::from(after.year()) + 1
                        ),
                    ),
                    Refusal::BeforeEvent { event_on } => (
                        format!("文书日期早于所告知事项的日期（{}）", format_date(*event_on, Lang::Zh)),
                        format!(
                            "the letter is dated before the event it documents ({})",
                            format_date(*event_on, Lang::En)
                        ),
                    ),
                };
                Msg::new(
                    format!("「{}」时不能出具{}：{why_zh}", phase.zh(), kind.label(Lang::Zh)),
                    format!(
                        "cannot issue a {} while {}: {why_en}",
                        kind.label(Lang::En),
                        phase.en()
                    ),
                )
            }
            LetterError::PersonalDataMismatch { case, personal } => Msg::new(
                format!("个人信息属于案件 {personal}，不属于案件 {case}"),
                format!("the personal data belongs to case {personal}, not to case {case}"),
            ),
            LetterError::Calendar(e) => Msg::new(e.message(Lang::Zh), e.message(Lang::En)),
        };
        (msg, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_said_in_both_languages() {
        let on: Date = "2025-03-20".parse().unwrap_or_default();
        for reason in [
            Refusal::NotNow,
            Refusal::ClockStopped,
            Refusal::DeadlinePending { after: on },
            Refusal::BeforeEvent { event_on: on },
        ] {
            for kind in LetterKind::ALL {
                let e = LetterError::Refused { kind, phase: Phase::Closed, reason };
                gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
                gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            }
        }
        let e = LetterError::Refused {
            kind: LetterKind::Correction,
            phase: Phase::Closed,
            reason: Refusal::BeforeEvent { event_on: on },
        };
        assert_eq!(
            e.message(Lang::Zh),
            "「已办结」时不能出具补正告知书：文书日期早于所告知事项的日期（2025年3月20日）"
        );
    }
}
