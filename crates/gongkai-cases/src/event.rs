//! What can happen to an application after it arrives. Each event carries the day it happened;
//! [`crate::Case::apply`] decides whether it may happen now.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::fee::FeeMethod;
use crate::intake::Outcome;

/// Who is consulted (第三十二条, 第三十四条).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// A third party whose rights disclosure may harm (第三十二条).
    ThirdParty,
    /// An agency that co-produced the information (第三十四条).
    CoProducer,
}

impl Party {
    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Party::ThirdParty => "第三方",
            Party::CoProducer => "共同制作机关",
        }
    }
}

/// The answer to a consultation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Agrees to disclosure.
    Consent,
    /// Objects (with reasons).
    Objection,
    /// No answer within 15 working days: the agency decides (third party) or consent is presumed
    /// (co-producer).
    NoReply,
}

impl Answer {
    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Answer::Consent => "同意公开",
            Answer::Objection => "不同意公开",
            Answer::NoReply => "逾期未答复",
        }
    }
}

/// An event in a case's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseEvent {
    /// 补正告知 (第三十条): one notice listing everything to correct, with a reasonable deadline.
    CorrectionRequested {
        /// Day of the notice.
        on: Date,
        /// The deadline given to the applicant.
        deadline: Date,
        /// What must be corrected.
        items: String,
    },
    /// The corrected request arrived: the reply clock restarts from this day.
    Corrected {
        /// Day the corrected request was received.
        on: Date,
    },
    /// No correction by the deadline without good reason: the application is deemed abandoned.
    CorrectionLapsed {
        /// Day the lapse is recorded (after the deadline).
        on: Date,
    },
    /// 延长答复期限 (第三十三条), approved by the head of the disclosure office.
    ExtensionApproved {
        /// Day of approval.
        on: Date,
        /// Who approved it (负责人).
        approved_by: String,
        /// Working days added (at most 20).
        days: u32,
    },
    /// The applicant was told of the extension.
    ExtensionNotified {
        /// Day of the notice.
        on: Date,
    },
    /// 征求意见 opened (第三十二条, 第三十四条): the reply clock stops.
    ConsultationOpened {
        /// Day the written request for opinion went out.
        on: Date,
        /// Whom.
        party: Party,
        /// Name of the party or agency consulted.
        with: String,
    },
    /// The consultation ended: the reply clock runs again.
    ConsultationAnswered {
        /// Day the answer arrived (or the silence was recorded).
        on: Date,
        /// The answer.
        answer: Answer,
    },
    /// 收费通知 issued.
    FeeNoticeIssued {
        /// Day the applicant received the notice.
        on: Date,
        /// Amount in yuan.
        amount_yuan: Decimal,
        /// Charging method.
        method: FeeMethod,
    },
    /// The fee was paid.
    FeePaid {
        /// Day of payment.
        on: Date,
    },
    /// Not paid within the payment period: the application is deemed abandoned.
    FeeLapsed {
        /// Day the lapse is recorded (after the payment deadline).
        on: Date,
    },
    /// 要求说明理由 (第三十五条): requests clearly beyond a reasonable number or frequency.
    ReasonsRequested {
        /// Day of the request.
        on: Date,
    },
    /// The reasons were found reasonable; optionally a longer reasonable reply period was set and
    /// notified (第三十五条).
    ReasonsAccepted {
        /// Day of the decision.
        on: Date,
        /// The longer reply deadline, when one was set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        longer_due: Option<Date>,
    },
    /// 答复: the case is closed with exactly one outcome.
    Replied {
        /// Day of the reply.
        on: Date,
        /// The outcome (a Table 3 row).
        outcome: Outcome,
    },
    /// The applicant withdrew the application (counted as （六）3.其他 [U]).
    Withdrawn {
        /// Day of withdrawal.
        on: Date,
    },
}

/// The kind of an event, without its data (for tables and messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs, reason = "each variant names the CaseEvent variant of the same name")]
pub enum EventKind {
    /// The application itself being registered (refused only when dated in the future).
    Received,
    CorrectionRequested,
    Corrected,
    CorrectionLapsed,
    ExtensionApproved,
    ExtensionNotified,
    ConsultationOpened,
    ConsultationAnswered,
    FeeNoticeIssued,
    FeePaid,
    FeeLapsed,
    ReasonsRequested,
    ReasonsAccepted,
    Replied,
    Withdrawn,
}

impl EventKind {
    /// Every kind, in a stable order (`Received` first: it is the intake, not a [`CaseEvent`]).
    pub const ALL: [EventKind; 15] = [
        EventKind::Received,
        EventKind::CorrectionRequested,
        EventKind::Corrected,
        EventKind::CorrectionLapsed,
        EventKind::ExtensionApproved,
        EventKind::ExtensionNotified,
        EventKind::ConsultationOpened,
        EventKind::ConsultationAnswered,
        EventKind::FeeNoticeIssued,
        EventKind::FeePaid,
        EventKind::FeeLapsed,
        EventKind::ReasonsRequested,
        EventKind::ReasonsAccepted,
        EventKind::Replied,
        EventKind::Withdrawn,
    ];

    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            EventKind::Received => "登记收到申请",
            EventKind::CorrectionRequested => "告知补正",
            EventKind::Corrected => "收到补正",
            EventKind::CorrectionLapsed => "逾期未补正",
            EventKind::ExtensionApproved => "批准延期",
            EventKind::ExtensionNotified => "告知延期",
            EventKind::ConsultationOpened => "征求意见",
            EventKind::ConsultationAnswered => "收到意见",
            EventKind::FeeNoticeIssued => "发出收费通知",
            EventKind::FeePaid => "缴费",
            EventKind::FeeLapsed => "逾期未缴费",
            EventKind::ReasonsRequested => "要求说明理由",
            EventKind::ReasonsAccepted => "认可理由",
            EventKind::Replied => "答复",
            EventKind::Withdrawn => "撤回申请",
        }
    }

    /// English name (snake case, as in the JSON form).
    pub const fn en(self) -> &'static str {
        match self {
            EventKind::Received => "received",
            EventKind::CorrectionRequested => "correction_requested",
            EventKind::Corrected => "corrected",
            EventKind::CorrectionLapsed => "correction_lapsed",
            EventKind::ExtensionApproved => "extension_approved",
            EventKind::ExtensionNotified => "extension_notified",
            EventKind::ConsultationOpened => "consultation_opened",
            EventKind::ConsultationAnswered => "consultation_answered",
            EventKind::FeeNoticeIssued => "fee_notice_issued",
            EventKind::FeePaid => "fee_paid",
            EventKind::FeeLapsed => "fee_lapsed",
            EventKind::ReasonsRequested => "reasons_requested",
            EventKind::ReasonsAccepted => "reasons_accepted",
            EventKind::Replied => "replied",
            EventKind::Withdrawn => "withdrawn",
        }
    }
}

impl CaseEvent {
    /// The day the event happened.
    pub fn on(&self) -> Date {
        match *self {
            CaseEvent::CorrectionRequested { on, .. }
            | CaseEvent::Corrected { on }
            | CaseEvent::CorrectionLapsed { on }
            | CaseEvent::ExtensionApproved { on, .. }
            | CaseEvent::ExtensionNotified { on }
            | CaseEvent::ConsultationOpened { on, .. }
            | CaseEvent::ConsultationAnswered { on, .. }
            | CaseEvent::FeeNoticeIssued { on, .. }
            | CaseEvent::FeePaid { on }
            | CaseEvent::FeeLapsed { on }
            | CaseEvent::ReasonsRequested { on }
            | CaseEvent::ReasonsAccepted { on, .. }
            | CaseEvent::Replied { on, .. }
            | CaseEvent::Withdrawn { on } => on,
        }
    }

    /// The event's kind.
    pub fn kind(&self) -> EventKind {
        match self {
            CaseEvent::CorrectionRequested { .. } => EventKind::CorrectionRequested,
            CaseEvent::Corrected { .. } => EventKind::Corrected,
            CaseEvent::CorrectionLapsed { .. } => EventKind::CorrectionLapsed,
            CaseEvent::ExtensionApproved { .. } => EventKind::ExtensionApproved,
            CaseEvent::ExtensionNotified { .. } => EventKind::ExtensionNotified,
            CaseEvent::ConsultationOpened { .. } => EventKind::ConsultationOpened,
            CaseEvent::ConsultationAnswered { .. } => EventKind::ConsultationAnswered,
            CaseEvent::FeeNoticeIssued { .. } => EventKind::FeeNoticeIssued,
            CaseEvent::FeePaid { .. } => EventKind::FeePaid,
            CaseEvent::FeeLapsed { .. } => EventKind::FeeLapsed,
            CaseEvent::ReasonsRequested { .. } => EventKind::ReasonsRequested,
            CaseEvent::ReasonsAccepted { .. } => EventKind::ReasonsAccepted,
            CaseEvent::Replied { .. } => EventKind::Replied,
            CaseEvent::Withdrawn { .. } => EventKind::Withdrawn,
        }
    }
}
