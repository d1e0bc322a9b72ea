//! Why an event cannot happen to a case now, in Chinese and English.

use std::fmt;

use gongkai_calendar::CalendarError;
use gongkai_model::{Localized, Msg};
use jiff::civil::Date;

use crate::case::Phase;
use crate::event::EventKind;
use crate::intake::Outcome;

/// A refused transition: in which phase, which event, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub struct TransitionError {
    /// The case's phase when the event was refused.
    pub phase: Phase,
    /// The refused event.
    pub event: EventKind,
    /// Why.
    pub reason: Reason,
}

impl TransitionError {
    fn context_zh(&self) -> String {
        // The intake has no phase yet: what is refused is the day of receipt itself.
        if self.event == EventKind::Received {
            return "收到申请之日".to_owned();
        }
        format!("「{}」时不能「{}」", self.phase.zh(), self.event.zh())
    }

    fn context_en(&self) -> String {
        if self.event == EventKind::Received {
            return "the day of receipt".to_owned();
        }
        format!("cannot record `{}` while {}", self.event.en(), self.phase.en())
    }

    /// The message in Chinese only.
    pub fn zh(&self) -> String {
        format!("{}：{}", self.context_zh(), self.reason.zh())
    }
}

impl Localized for TransitionError {
    fn words(&self) -> (Msg, Option<String>) {
        let en = format!("{}: {}", self.context_en(), self.reason.en());
        (Msg::new(self.zh(), en), None)
    }
}

/// The reasons a transition is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// The case is closed; nothing more can happen.
    Closed,
    /// The event does not belong to this phase; `hint` says what would.
    WrongPhase {
        /// What the user can do instead, in Chinese and English.
        hint: (&'static str, &'static str),
    },
    /// The event is dated after today.
    InFuture {
        /// The event's date.
        on: Date,
        /// Today.
        today: Date,
    },
    /// The event is dated before the previous event (or before receipt).
    BeforePrevious {
        /// The event's date.
        on: Date,
        /// The previous event's date.
        previous: Date,
    },
    /// 补正 may be requested only once (第三十条: 一次性告知).
    CorrectionAlreadyRequested,
    /// A deadline given is not after the event.
    DeadlineNotAfter {
        /// The deadline.
        deadline: Date,
    },
    /// A lapse was recorded before the deadline passed.
    NotYetLapsed {
        /// The deadline still running.
        deadline: Date,
    },
    /// A second extension.
    ExtensionAlreadyApproved,
    /// Extension longer than 20 working days or of zero days.
    ExtensionLength {
        /// The days requested.
        days: u32,
    },
    /// Extension approved without naming who approved it.
    ExtensionApproverMissing,
    /// Extension approved after the reply deadline had passed.
    ExtensionAfterDue {
        /// The deadline that had passed.
        due: Date,
    },
    /// Extension notified without an approved extension, or twice.
    ExtensionNotPending,
    /// A second fee notice.
    FeeAlreadyNoticed,
    /// Fee amount not positive.
    FeeNotPositive,
    /// Payment after the payment deadline.
    PaidAfterDeadline {
        /// The payment deadline.
        deadline: Date,
    },
    /// Reasons asked twice.
    ReasonsAlreadyRequested,
    /// This outcome is reached through a dedicated event.
    OutcomeNeedsEvent {
        /// The outcome.
        outcome: Outcome,
        /// The event to record instead.
        event: EventKind,
    },
    /// `unable_unclear` (补正后申请内容仍不明确) without a correction.
    UnclearWithoutCorrection,
    /// `not_processed_mass_repetitive` needs the reasons asked first (第三十五条).
    MassRepetitiveWithoutReasons,
    /// While reasons are awaited, only `not_processed_mass_repetitive` or withdrawal close the case.
    ReasonsPendingOutcome,
    /// The calendar could not compute a date.
    Calendar(CalendarError),
}

impl Reason {
    /// The reason in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Reason::Closed => "案件已办结，不能再记录事件".into(),
            Reason::WrongPhase { hint } => hint.0.into(),
            Reason::InFuture { on, today } => format!("事件日期 {on} 晚于今天 {today}"),
            Reason::BeforePrevious { on, previous } => {
                format!("事件日期 {on} 早于上一事件或收到申请的日期 {previous}")
            }
            Reason::CorrectionAlreadyRequested => {
                "补正只能一次性告知（第三十条），本案已告知过补正".into()
            }
            Reason::DeadlineNotAfter { deadline } => format!("期限 {deadline} 须晚于事件日期"),
            Reason::NotYetLapsed { deadline } => format!("期限 {deadline} 尚未届满，不能认定逾期"),
            Reason::ExtensionAlreadyApproved => "答复期限只能延长一次（第三十三条）".into(),
            Reason::ExtensionLength { days } => {
                format!("延长 {days} 个工作日不合法：须为 1 至 20 个工作日（第三十三条）")
            }
            Reason::ExtensionApproverMissing => {
                "延期须经政府信息公开工作机构负责人同意，请填写批准人".into()
            }
            Reason::ExtensionAfterDue { due } => format!("答复期限已于 {due} 届满，不能再延期"),
            Reason::ExtensionNotPending => "没有待告知的已批准延期".into(),
            Reason::FeeAlreadyNoticed => "本案已发出过收费通知".into(),
            Reason::FeeNotPositive => "收费金额须大于零".into(),
            Reason::PaidAfterDeadline { deadline } => {
                format!("缴费期限已于 {deadline} 届满，应记录「逾期未缴费」")
            }
            Reason::ReasonsAlreadyRequested => "本案已要求过说明理由".into(),
            Reason::OutcomeNeedsEvent { outcome, event } => {
                format!("办理结果「{}」须通过「{}」记录", outcome.label(), event.zh())
            }
            Reason::UnclearWithoutCorrection => "「补正后申请内容仍不明确」须先有补正".into(),
            Reason::MassRepetitiveWithoutReasons => {
                "「无正当理由大量反复申请」须先要求申请人说明理由（第三十五条）".into()
            }
            Reason::ReasonsPendingOutcome => {
                "等待说明理由期间只能作出「无正当理由大量反复申请」的决定，或先认可理由".into()
            }
            Reason::Calendar(e) => e.message(gongkai_model::Lang::Zh),
        }
    }

    /// The reason in English.
    pub fn en(&self) -> String {
        match self {
            Reason::Closed => "the case is closed".into(),
            Reason::WrongPhase { hint } => hint.1.into(),
            Reason::InFuture { on, today } => format!("the event date {on} is after today {today}"),
            Reason::BeforePrevious { on, previous } => {
                format!("the event date {on} is before the previous event or the receipt date {previous}")
            }
            Reason::CorrectionAlreadyRequested => "a correction may be requested only once (art. 30)".into(),
            Reason::DeadlineNotAfter { deadline } => format!("the deadline {deadline} must be after the event"),
            Reason::NotYetLapsed { deadline } => format!("the deadline {deadline} has not passed"),
            Reason::ExtensionAlreadyApproved => "the reply period may be extended only once (art. 33)".into(),
            Reason::ExtensionLength { days } => format!("an extension of {days} working days is not allowed: 1 to 20 (art. 33)"),
            Reason::ExtensionApproverMissing => "an extension needs the approval of the head of the disclosure office".into(),
            Reason::ExtensionAfterDue { due } => format!("the reply was due on {due}; it can no longer be extended"),
            Reason::ExtensionNotPending => "no approved extension awaits notification".into(),
            Reason::FeeAlreadyNoticed => "a fee notice was already issued".into(),
            Reason::FeeNotPositive => "the fee must be positive".into(),
            Reason::PaidAfterDeadline { deadline } => format!("the payment period ended on {deadline}; record the lapse"),
            Reason::ReasonsAlreadyRequested => "reasons were already requested".into(),
            Reason::OutcomeNeedsEvent { outcome, event } => format!("outcome `{outcome}` is recorded by `{}`", event.en()),
            Reason::UnclearWithoutCorrection => "`unable_unclear` needs a correction first".into(),
            Reason::MassRepetitiveWithoutReasons => "`not_processed_mass_repetitive` needs reasons requested first (art. 35)".into(),
            Reason::ReasonsPendingOutcome => {
                "while reasons are awaited only `not_processed_mass_repetitive` may close the case, or accept the reasons first".into()
            }
            Reason::Calendar(e) => e.message(gongkai_model::Lang::En),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh(), self.en())
    }
}
