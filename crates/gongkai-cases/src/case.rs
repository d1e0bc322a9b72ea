//! The application case: its history and the one transition function, [`Case::apply`].
//!
//! A case is an [`Intake`] plus the events that happened to it ([`CaseRecord`], the form a
//! database or a spreadsheet stores). Everything else — the phase, the reply deadline, whether the
//! reply was on time — is derived by replaying the events, so it is always consistent with them.
//! The clock and the calendar are parameters: `today` and [`Env`].

use gongkai_calendar::{Calendar, CalendarError};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Reason, TransitionError};
use crate::event::{Answer, CaseEvent, EventKind, Party};
use crate::fee::FeeMethod;
use crate::intake::{ApplicantType, CaseId, Intake, Outcome};

/// Working days to reply (第三十三条).
pub const REPLY_WORKING_DAYS: u32 = 20;
/// Maximum extension (第三十三条).
pub const MAX_EXTENSION_WORKING_DAYS: u32 = 20;
/// Working days a consulted party has to answer (第三十二条, 第三十四条).
pub const CONSULTATION_WORKING_DAYS: u32 = 15;
/// Working days within which a correction must be requested (第三十条).
pub const CORRECTION_NOTICE_WORKING_DAYS: u32 = 7;

/// Settings where the law is unconfirmed or practice varies. No `Default`: choose deliberately.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Whether the fee payment period stops the reply clock [U]. `false` is the conservative
    /// reading (earlier deadlines).
    pub fee_pauses_reply_clock: bool,
    /// Working days the applicant has to pay after receiving the fee notice.
    pub fee_payment_working_days: u32,
    /// A deadline this many working days away or fewer is "due soon".
    pub due_soon_working_days: u32,
    /// A deadline missed by more than this many working days is "very overdue".
    pub very_overdue_working_days: u32,
}

impl Policy {
    /// The conservative settings: the fee period does not stop the reply clock; 20 working days to
    /// pay; due soon within 3 working days; very overdue after 10.
    pub const CONSERVATIVE: Policy = Policy {
        fee_pauses_reply_clock: false,
        fee_payment_working_days: 20,
        due_soon_working_days: 3,
        very_overdue_working_days: 10,
    };
}

/// What a transition needs besides the case: the calendar and the policy.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    /// The working-day calendar.
    pub calendar: &'a Calendar,
    /// The policy settings.
    pub policy: &'a Policy,
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Being handled; the reply clock runs.
    Processing,
    /// Waiting for the applicant's correction; the reply clock will restart when it arrives.
    AwaitingCorrection,
    /// Waiting for a consulted party; the reply clock is stopped.
    Consulting,
    /// Waiting for the fee; the reply clock runs or stops as the policy says.
    AwaitingFee,
    /// Waiting for the applicant's reasons (第三十五条); the reply clock runs [U].
    AwaitingReasons,
    /// Closed with an outcome.
    Closed,
}

impl Phase {
    /// Every phase.
    pub const ALL: [Phase; 6] = [
        Phase::Processing,
        Phase::AwaitingCorrection,
        Phase::Consulting,
        Phase::AwaitingFee,
        Phase::AwaitingReasons,
        Phase::Closed,
    ];

    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Phase::Processing => "办理中",
            Phase::AwaitingCorrection => "等待补正",
            Phase::Consulting => "征求意见中",
            Phase::AwaitingFee => "等待缴费",
            Phase::AwaitingReasons => "等待说明理由",
            Phase::Closed => "已办结",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            Phase::Processing => "processing",
            Phase::AwaitingCorrection => "awaiting correction",
            Phase::Consulting => "consulting",
            Phase::AwaitingFee => "awaiting the fee",
            Phase::AwaitingReasons => "awaiting reasons",
            Phase::Closed => "closed",
        }
    }
}

/// The stored form of a case: what arrived and what happened, nothing derived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRecord {
    /// The application as registered.
    pub intake: Intake,
    /// The events in the order they happened.
    pub events: Vec<CaseEvent>,
}

impl CaseRecord {
    /// The record as it stood at the end of `date`: `None` when the application had not been
    /// received yet, otherwise the intake and the events up to that day (the first later event
    /// and everything after it left out).
    pub fn as_of(&self, date: Date) -> Option<CaseRecord> {
        (self.intake.received() <= date).then(|| CaseRecord {
            intake: self.intake.clone(),
            events: self.events.iter().take_while(|e| e.on() <= date).cloned().collect(),
        })
    }
}

/// The correction (补正) of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// Day of the notice.
    pub requested_on: Date,
    /// The applicant's deadline.
    pub deadline: Date,
    /// Day the corrected request arrived.
    pub corrected_on: Option<Date>,
    /// Whether the notice went out later than 7 working days after receipt (第三十条).
    pub notice_late: bool,
}

/// The extension of the reply period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Extension {
    /// Day of approval.
    pub approved_on: Date,
    /// Who approved it.
    pub approved_by: String,
    /// Working days added.
    pub days: u32,
    /// Day the applicant was told.
    pub notified_on: Option<Date>,
}

/// A consultation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consultation {
    /// Day opened.
    pub opened: Date,
    /// Whom.
    pub party: Party,
    /// Name of the party.
    pub with: String,
    /// The party's answer deadline (15 working days).
    pub answer_due: Date,
    /// The answer and its day, once answered.
    pub answer: Option<(Date, Answer)>,
}

/// The fee procedure of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fee {
    /// Day the applicant received the notice.
    pub noticed_on: Date,
    /// Amount in yuan.
    pub amount_yuan: Decimal,
    /// Method.
    pub method: FeeMethod,
    /// Last day to pay.
    pub deadline: Date,
    /// Day paid.
    pub paid_on: Option<Date>,
}

/// How a case was closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Closure {
    /// Day closed.
    pub on: Date,
    /// The outcome (Table 3 row).
    pub outcome: Outcome,
    /// The event that closed it.
    pub by: EventKind,
    /// For a reply: the reply deadline then in force and whether the reply met it.
    pub reply_due: Option<Date>,
    /// Whether a reply was on time; `None` when the case closed without a reply.
    pub on_time: Option<bool>,
}

/// What the case waits for next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// The agency's reply.
    Reply,
    /// The applicant's correction.
    Correction,
    /// A consulted party's answer.
    ConsultationAnswer,
    /// The applicant's payment.
    FeePayment,
    /// The applicant's reasons.
    Reasons,
}

impl Waiting {
    /// Chinese name of the deadline.
    pub const fn zh(self) -> &'static str {
        match self {
            Waiting::Reply => "答复期限",
            Waiting::Correction => "补正期限",
            Waiting::ConsultationAnswer => "征求意见答复期限",
            Waiting::FeePayment => "缴费期限",
            Waiting::Reasons => "答复期限（等待说明理由）",
        }
    }

    /// English name of the deadline.
    pub const fn en(self) -> &'static str {
        match self {
            Waiting::Reply => "reply due",
            Waiting::Correction => "correction due",
            Waiting::ConsultationAnswer => "consultation answer due",
            Waiting::FeePayment => "payment due",
            Waiting::Reasons => "reply due (awaiting reasons)",
        }
    }
}

/// How a deadline stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Missed by more than the policy's "very overdue" margin.
    VeryOverdue,
    /// Missed.
    Overdue,
    /// Due within the policy's "due soon" margin (or today).
    DueSoon,
    /// Comfortably ahead.
    OnTrack,
}

impl Timeliness {
    /// Working days from `today` to `deadline` (negative when passed) and how that stands under
    /// the policy: what [`Case::status`] reports, for a deadline known without its case (e.g. a
    /// listing's cached [`Case::next_deadline`]).
    ///
    /// # Errors
    /// When the calendar cannot count the working days between the two dates.
    pub fn of(
        deadline: Date,
        today: Date,
        env: Env<'_>,
    ) -> Result<(i64, Timeliness), CalendarError> {
        let cal = env.calendar;
        let left = if deadline >= today {
            i64::from(cal.working_days_between(today, deadline)?)
        } else {
            -i64::from(cal.working_days_between(deadline, today)?)
        };
        let p = env.policy;
        let timeliness = if left < -i64::from(p.very_overdue_working_days) {
            Timeliness::VeryOverdue
        } else if left < 0 {
            Timeliness::Overdue
        } else if left <= i64::from(p.due_soon_working_days) {
            Timeliness::DueSoon
        } else {
            Timeliness::OnTrack
        };
        Ok((left, timeliness))
    }

    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Timeliness::VeryOverdue => "严重超期",
            Timeliness::Overdue => "已超期",
            Timeliness::DueSoon => "即将到期",
            Timeliness::OnTrack => "正常",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            Timeliness::VeryOverdue => "very overdue",
            Timeliness::Overdue => "overdue",
            Timeliness::DueSoon => "due soon",
            Timeliness::OnTrack => "on track",
        }
    }
}

/// An open case's deadline on a given day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Status {
    /// What the case waits for.
    pub waiting: Waiting,
    /// The deadline of that wait.
    pub deadline: Date,
    /// The reply deadline, when the reply clock is running.
    pub reply_due: Option<Date>,
    /// Working days from today to the deadline (negative when passed).
    pub working_days_left: i64,
    /// Classification of `working_days_left` under the policy.
    pub timeliness: Timeliness,
}

/// A stretch during which the reply clock stood still and that moved the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Pause {
    /// The day the clock stopped (not counted in the pause).
    pub from: Date,
    /// The day it ran again.
    pub to: Date,
    /// Working days in `(from, to]`, added to the deadline.
    pub working_days: u32,
    /// The deadline after adding them.
    pub due_after: Date,
}

/// How a reply deadline was reached (第三十三条: 20 working days from receipt, plus an approved
/// extension, plus the pauses of correction and consultation; or the longer period of 第三十五条).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyDueBasis {
    /// Day 0 of the reply clock: receipt, or the day the corrected request arrived.
    pub clock_start: Date,
    /// Working days allowed: 20 plus the extension.
    pub working_days: u32,
    /// Of which the approved extension.
    pub extension_days: u32,
    /// The calendar's count of `working_days` from `clock_start`, day by day (`None` when a
    /// longer period under 第三十五条 replaced it).
    pub count: Option<gongkai_calendar::Explanation>,
    /// The longer period set under 第三十五条, when there is one.
    pub longer_due: Option<Date>,
    /// The pauses that moved the deadline, in order.
    pub pauses: Vec<Pause>,
    /// The deadline.
    pub due: Date,
}

/// An application with its history and everything derived from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Case {
    intake: Intake,
    events: Vec<CaseEvent>,
    phase: Phase,
    /// Day 0 of the reply clock: receipt, or the day the corrected request arrived.
    clock_start: Date,
    /// Stretches `(from, to]` during which the reply clock stood still, in order.
    pauses: Vec<(Date, Date)>,
    correction: Option<Correction>,
    extension: Option<Extension>,
    consultations: Vec<Consultation>,
    fee: Option<Fee>,
    reasons_requested: Option<Date>,
    longer_due: Option<Date>,
    /// The reply deadline when the reply clock is running.
    reply_due: Option<Date>,
    /// While the reply clock runs but its deadline falls after the last day the loaded calendar
    /// covers (a period counted in December): that day. The deadline is determined once the next
    /// year's holiday notice is loaded; it is never guessed.
    reply_due_after: Option<Date>,
    closure: Option<Closure>,
}

/// The reply deadline as far as the loaded calendar can count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Due {
    /// The clock stands still (or the case is closed).
    Stopped,
    /// The deadline.
    On(Date),
    /// Later than this day, the last one the calendar covers.
    AfterCalendar(Date),
}

impl Case {
    /// Opens a case for a newly registered application.
    ///
    /// # Errors
    /// When the receipt date is after `today`, or the calendar cannot compute the deadline.
    pub fn open(intake: Intake, today: Date, env: Env<'_>) -> Result<Case, TransitionError> {
        let received = intake.received();
        let refuse = |reason| TransitionError {
            phase: Phase::Processing,
            event: EventKind::Received,
            reason,
        };
        if received > today {
            return Err(refuse(Reason::InFuture { on: received, today }));
        }
        let mut case = Case {
            intake,
            events: Vec::new(),
            phase: Phase::Processing,
            clock_start: received,
            pauses: Vec::new(),
            correction: None,
            extension: None,
            consultations: Vec::new(),
            fee: None,
            reasons_requested: None,
            longer_due: None,
            reply_due: None,
            reply_due_after: None,
            closure: None,
        };
        let due = case.compute_reply_due(env).map_err(|e| refuse(Reason::Calendar(e)))?;
        case.set_due(due);
        Ok(case)
    }

    /// Rebuilds a case from its stored record by applying every event in order.
    ///
    /// # Errors
    /// The first refused event, with its index in `record.events`.
    pub fn replay(
        record: CaseRecord,
        today: Date,
        env: Env<'_>,
    ) -> Result<Case, (usize, TransitionError)> {
        let mut case = Case::open(record.intake, today, env).map_err(|e| (0, e))?;
        for (i, e) in record.events.into_iter().enumerate() {
            case = case.apply(e, today, env).map_err(|err| (i, err))?;
        }
        Ok(case)
    }

    /// The one transition function: the case after `event`, or why `event` cannot happen now.
    ///
    /// `today` bounds event dates (no event in the future); `env` supplies the calendar and policy.
    ///
    /// # Errors
    /// [`TransitionError`] naming the phase, the event and the reason, in Chinese and English.
    pub fn apply(
        &self,
        event: CaseEvent,
        today: Date,
        env: Env<'_>,
    ) -> Result<Case, TransitionError> {
        let kind = event.kind();
        let refuse = |reason| TransitionError { phase: self.phase, event: kind, reason };
        let cal_err = |e: CalendarError| refuse(Reason::Calendar(e));
        if self.phase == Phase::Closed {
            return Err(refuse(Reason::Closed));
        }
        let on = event.on();
        if on > today {
            return Err(refuse(Reason::InFuture { on, today }));
        }
        let previous = self.events.last().map_or(self.intake.received(), CaseEvent::on);
        if on < previous {
            return Err(refuse(Reason::BeforePrevious { on, previous }));
        }
        let wrong =
            |zh: &'static str, en: &'static str| refuse(Reason::WrongPhase { hint: (zh, en) });
        let cal = env.calendar;
        let mut next = self.clone();
        match &event {
            CaseEvent::CorrectionRequested { deadline, .. } => {
                if self.phase != Phase::Processing {
                    return Err(wrong(
                        "只有办理中的申请才能告知补正",
                        "a correction can be requested only while processing",
                    ));
                }
                if self.correction.is_some() {
                    return Err(refuse(Reason::CorrectionAlreadyRequested));
                }
                if *deadline <= on {
                    return Err(refuse(Reason::DeadlineNotAfter { deadline: *deadline }));
                }
                let limit = cal
                    .add_working_days_within(self.intake.received(), CORRECTION_NOTICE_WORKING_DAYS)
                    .map_err(cal_err)?;
                let notice_late = match limit {
                    Some(limit) => on > limit,
                    // The limit falls after the calendar's last day, so a notice within it is
                    // on time; a notice after it cannot be judged.
                    None if on <= cal.last_day() => false,
                    None => return Err(cal_err(out_of_range(cal, on))),
                };
                next.correction = Some(Correction {
                    requested_on: on,
                    deadline: *deadline,
                    corrected_on: None,
                    notice_late,
                });
                next.phase = Phase::AwaitingCorrection;
            }
            CaseEvent::Corrected { .. } => {
                if self.phase != Phase::AwaitingCorrection {
                    return Err(wrong(
                        "只有等待补正时才能记录收到补正",
                        "a correction can be received only while awaiting it",
                    ));
                }
                if let Some(c) = next.correction.as_mut() {
                    c.corrected_on = Some(on);
                }
                // 第三十条: the reply period runs from the day the corrected request is received.
                next.clock_start = on;
                next.pauses.clear();
                next.phase = Phase::Processing;
            }
            CaseEvent::CorrectionLapsed { .. } => {
                let Some(c) =
                    self.correction.as_ref().filter(|_| self.phase == Phase::AwaitingCorrection)
                else {
                    return Err(wrong(
                        "只有等待补正时才能认定逾期未补正",
                        "a correction can lapse only while awaited",
                    ));
                };
                if on <= c.deadline {
                    return Err(refuse(Reason::NotYetLapsed { deadline: c.deadline }));
                }
                next.close(on, Outcome::OVERDUE_CORRECTION, kind, false);
            }
            CaseEvent::ExtensionApproved { approved_by, days, .. } => {
                if self.phase == Phase::AwaitingCorrection {
                    return Err(wrong(
                        "等待补正期间答复期限尚未起算，不能延期",
                        "the reply period has not started while a correction is awaited",
                    ));
                }
                if self.extension.is_some() {
                    return Err(refuse(Reason::ExtensionAlreadyApproved));
                }
                if !(1..=MAX_EXTENSION_WORKING_DAYS).contains(days) {
                    return Err(refuse(Reason::ExtensionLength { days: *days }));
                }
                if approved_by.trim().is_empty() {
                    return Err(refuse(Reason::ExtensionApproverMissing));
                }
                if let Some(due) = self.reply_due
                    && on > due
                {
                    return Err(refuse(Reason::ExtensionAfterDue { due }));
                }
                next.extension = Some(Extension {
                    approved_on: on,
                    approved_by: approved_by.trim().to_owned(),
                    days: *days,
                    notified_on: None,
                });
            }
            CaseEvent::ExtensionNotified { .. } => match next.extension.as_mut() {
                Some(x) if x.notified_on.is_none() => x.notified_on = Some(on),
                _ => return Err(refuse(Reason::ExtensionNotPending)),
            },
            CaseEvent::ConsultationOpened { party, with, .. } => {
                if self.phase != Phase::Processing {
                    return Err(wrong(
                        "只有办理中的申请才能征求意见",
                        "a consultation can be opened only while processing",
                    ));
                }
                let answer_due =
                    cal.add_working_days(on, CONSULTATION_WORKING_DAYS).map_err(cal_err)?;
                next.consultations.push(Consultation {
                    opened: on,
                    party: *party,
                    with: with.clone(),
                    answer_due,
                    answer: None,
                });
                next.phase = Phase::Consulting;
            }
            CaseEvent::ConsultationAnswered { answer, .. } => {
                let open =
                    next.consultations.last_mut().filter(|_| self.phase == Phase::Consulting);
                let Some(c) = open else {
                    return Err(wrong("没有正在进行的征求意见", "no consultation is open"));
                };
                if *answer == Answer::NoReply && on <= c.answer_due {
                    return Err(refuse(Reason::NotYetLapsed { deadline: c.answer_due }));
                }
                c.answer = Some((on, *answer));
                // 第三十三条第三款: consultation time does not count.
                let opened = c.opened.max(self.clock_start);
                next.pauses.push((opened, on));
                next.phase = Phase::Processing;
            }
            CaseEvent::FeeNoticeIssued { amount_yuan, method, .. } => {
                if self.phase != Phase::Processing {
                    return Err(wrong(
                        "只有办理中的申请才能发出收费通知",
                        "a fee notice can be issued only while processing",
                    ));
                }
                if self.fee.is_some() {
                    return Err(refuse(Reason::FeeAlreadyNoticed));
                }
                if *amount_yuan <= Decimal::ZERO {
                    return Err(refuse(Reason::FeeNotPositive));
                }
                let deadline = cal
                    .add_working_days(on, env.policy.fee_payment_working_days)
                    .map_err(cal_err)?;
                next.fee = Some(Fee {
                    noticed_on: on,
                    amount_yuan: *amount_yuan,
                    method: *method,
                    deadline,
                    paid_on: None,
                });
                next.phase = Phase::AwaitingFee;
            }
            CaseEvent::FeePaid { .. } => {
                let Some(f) = next.fee.as_mut().filter(|_| self.phase == Phase::AwaitingFee) else {
                    return Err(wrong("没有待缴的费用", "no fee is awaited"));
                };
                if on > f.deadline {
                    return Err(refuse(Reason::PaidAfterDeadline { deadline: f.deadline }));
                }
                f.paid_on = Some(on);
                if env.policy.fee_pauses_reply_clock {
                    let from = f.noticed_on.max(self.clock_start);
                    next.pauses.push((from, on));
                }
                next.phase = Phase::Processing;
            }
            CaseEvent::FeeLapsed { .. } => {
                let Some(f) = self.fee.as_ref().filter(|_| self.phase == Phase::AwaitingFee) else {
                    return Err(wrong("没有待缴的费用", "no fee is awaited"));
                };
                if on <= f.deadline {
                    return Err(refuse(Reason::NotYetLapsed { deadline: f.deadline }));
                }
                next.close(on, Outcome::UNPAID_FEE, kind, false);
            }
            CaseEvent::ReasonsRequested { .. } => {
                if self.phase != Phase::Processing {
                    return Err(wrong(
                        "只有办理中的申请才能要求说明理由",
                        "reasons can be requested only while processing",
                    ));
                }
                if self.reasons_requested.is_some() {
                    return Err(refuse(Reason::ReasonsAlreadyRequested));
                }
                next.reasons_requested = Some(on);
                next.phase = Phase::AwaitingReasons;
            }
            CaseEvent::ReasonsAccepted { longer_due, .. } => {
                if self.phase != Phase::AwaitingReasons {
                    return Err(wrong(
                        "只有等待说明理由时才能认可理由",
                        "reasons can be accepted only while awaited",
                    ));
                }
                if let Some(d) = longer_due {
                    if *d <= on {
                        return Err(refuse(Reason::DeadlineNotAfter { deadline: *d }));
                    }
                    next.longer_due = Some(*d);
                }
                next.phase = Phase::Processing;
            }
            CaseEvent::Replied { outcome, .. } => {
                let outcome = *outcome;
                for (o, ev) in [
                    (Outcome::OVERDUE_CORRECTION, EventKind::CorrectionLapsed),
                    (Outcome::UNPAID_FEE, EventKind::FeeLapsed),
                ] {
                    if outcome == o {
                        return Err(refuse(Reason::OutcomeNeedsEvent { outcome, event: ev }));
                    }
                }
                match self.phase {
                    Phase::Processing if outcome == Outcome::MASS_REPETITIVE => {
                        return Err(refuse(Reason::MassRepetitiveWithoutReasons));
                    }
                    Phase::Processing => {}
                    Phase::AwaitingReasons if outcome == Outcome::MASS_REPETITIVE => {}
                    Phase::AwaitingReasons => return Err(refuse(Reason::ReasonsPendingOutcome)),
                    Phase::AwaitingCorrection => {
                        return Err(wrong(
                            "等待补正期间不能答复：先记录收到补正或逾期未补正",
                            "record the correction or its lapse first",
                        ));
                    }
                    Phase::Consulting => {
                        return Err(wrong(
                            "征求意见期间不能答复：先记录收到意见",
                            "record the consultation's answer first",
                        ));
                    }
                    Phase::AwaitingFee => {
                        return Err(wrong(
                            "等待缴费期间不能答复：先记录缴费或逾期未缴费",
                            "record the payment or its lapse first",
                        ));
                    }
                    Phase::Closed => return Err(refuse(Reason::Closed)),
                }
                if outcome == Outcome::UNCLEAR
                    && self.correction.as_ref().and_then(|c| c.corrected_on).is_none()
                {
                    return Err(refuse(Reason::UnclearWithoutCorrection));
                }
                next.close(on, outcome, kind, true);
            }
            CaseEvent::Withdrawn { .. } => next.close(on, Outcome::OTHER, kind, false),
        }
        next.events.push(event);
        let due = next.compute_reply_due(env).map_err(cal_err)?;
        next.set_due(due);
        Ok(next)
    }

    /// Closes the case on `on`; `replied` when by a reply, which is then judged against the reply
    /// deadline in force (a deadline after the calendar's last day is met by a reply up to that
    /// day).
    fn close(&mut self, on: Date, outcome: Outcome, by: EventKind, replied: bool) {
        let (reply_due, on_time) = match (replied, self.reply_due, self.reply_due_after) {
            (false, ..) => (None, None),
            (true, Some(due), _) => (Some(due), Some(on <= due)),
            (true, None, Some(last)) if on <= last => (None, Some(true)),
            (true, None, _) => (None, None),
        };
        self.closure = Some(Closure { on, outcome, by, reply_due, on_time });
        self.phase = Phase::Closed;
    }

    fn set_due(&mut self, due: Due) {
        (self.reply_due, self.reply_due_after) = match due {
            Due::Stopped => (None, None),
            Due::On(d) => (Some(d), None),
            Due::AfterCalendar(last) => (None, Some(last)),
        };
    }

    /// The reply deadline while the reply clock runs: 20 working days from the clock's start, plus
    /// the extension, plus every pause that began before the deadline; or the longer period set
    /// under 第三十五条. `None` while the clock stands still or the case is closed.
    fn compute_reply_due(&self, env: Env<'_>) -> Result<Due, CalendarError> {
        let stopped = match self.phase {
            Phase::Closed | Phase::AwaitingCorrection | Phase::Consulting => true,
            Phase::AwaitingFee => env.policy.fee_pauses_reply_clock,
            Phase::Processing | Phase::AwaitingReasons => false,
        };
        if stopped {
            return Ok(Due::Stopped);
        }
        Ok(match self.reply_clock(env, false)? {
            Some(b) => Due::On(b.due),
            None => Due::AfterCalendar(env.calendar.last_day()),
        })
    }

    /// The reply deadline counted from the clock's start, with the count explained day by day
    /// when `explain` (the count itself is the same either way); `None` when the count runs past
    /// the calendar's last day.
    fn reply_clock(
        &self,
        env: Env<'_>,
        explain: bool,
    ) -> Result<Option<ReplyDueBasis>, CalendarError> {
        let cal = env.calendar;
        let extension_days = self.extension.as_ref().map_or(0, |x| x.days);
        let working_days = REPLY_WORKING_DAYS + extension_days;
        let (mut due, count) = match self.longer_due {
            Some(d) => (d, None),
            None => {
                let Some(end) = cal.add_working_days_within(self.clock_start, working_days)? else {
                    return Ok(None);
                };
                let count = if explain {
                    Some(cal.explain_add(self.clock_start, working_days)?)
                } else {
                    None
                };
                (end, count)
            }
        };
        let mut pauses = Vec::new();
        for &(from, to) in &self.pauses {
            if from < due {
                let days = cal.working_days_between(from, to)?;
                let Some(after) = cal.add_working_days_within(due, days)? else { return Ok(None) };
                due = after;
                pauses.push(Pause { from, to, working_days: days, due_after: due });
            }
        }
        Ok(Some(ReplyDueBasis {
            clock_start: self.clock_start,
            working_days,
            extension_days,
            count,
            longer_due: self.longer_due,
            pauses,
            due,
        }))
    }

    /// How the current reply deadline ([`Case::reply_due`]) was reached — day 0, the working days
    /// allowed, the calendar's day-by-day count, the pauses that moved it — or `None` while the
    /// reply clock stands still or the case is closed.
    ///
    /// # Errors
    /// When the calendar does not cover the days counted.
    pub fn reply_due_basis(&self, env: Env<'_>) -> Result<Option<ReplyDueBasis>, CalendarError> {
        if self.reply_due.is_none() {
            return Ok(None);
        }
        self.reply_clock(env, true)
    }

    /// The case's register number.
    pub fn id(&self) -> &CaseId {
        &self.intake.id
    }

    /// The application as registered.
    pub fn intake(&self) -> &Intake {
        &self.intake
    }

    /// The applicant's type.
    pub fn applicant_type(&self) -> ApplicantType {
        self.intake.applicant_type
    }

    /// Day 0: the day the application counts as received.
    pub fn received(&self) -> Date {
        self.intake.received()
    }

    /// The events so far.
    pub fn events(&self) -> &[CaseEvent] {
        &self.events
    }

    /// The stored form.
    pub fn record(&self) -> CaseRecord {
        CaseRecord { intake: self.intake.clone(), events: self.events.clone() }
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The reply deadline, while the reply clock runs.
    pub fn reply_due(&self) -> Option<Date> {
        self.reply_due
    }

    /// While the reply clock runs but the deadline falls after the last day the loaded calendar
    /// covers: that day (the deadline is later; [`Case::reply_due`] is then `None`). Loading the
    /// next year's holiday notice determines it.
    pub fn reply_due_after_calendar(&self) -> Option<Date> {
        self.reply_due_after
    }

    /// The closure, once closed.
    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }

    /// The day the case closed.
    pub fn closed_on(&self) -> Option<Date> {
        self.closure.as_ref().map(|c| c.on)
    }

    /// The outcome, once closed.
    pub fn outcome(&self) -> Option<Outcome> {
        self.closure.as_ref().map(|c| c.outcome)
    }

    /// Whether the reply met its deadline; `None` when not (yet) closed by a reply.
    pub fn replied_on_time(&self) -> Option<bool> {
        self.closure.as_ref().and_then(|c| c.on_time)
    }

    /// The correction, if one was requested.
    pub fn correction(&self) -> Option<&Correction> {
        self.correction.as_ref()
    }

    /// The extension, if one was approved.
    pub fn extension(&self) -> Option<&Extension> {
        self.extension.as_ref()
    }

    /// The consultations, in order.
    pub fn consultations(&self) -> &[Consultation] {
        &self.consultations
    }

    /// The fee procedure, if a notice was issued.
    pub fn fee(&self) -> Option<&Fee> {
        self.fee.as_ref()
    }

    /// Whether the case was open at the end of `date` (received by then and not closed by then).
    pub fn open_at(&self, date: Date) -> bool {
        self.received() <= date && self.closed_on().is_none_or(|c| c > date)
    }

    /// The deadline to act on next and what it is for: the earliest of what the case waits for
    /// and the reply deadline (on a tie, what the case waits for); `None` once closed or while no
    /// clock runs. Needs no `today`: [`Case::status`] adds how it stands on a day.
    pub fn next_deadline(&self) -> Option<(Waiting, Date)> {
        let wait = match self.phase {
            Phase::Closed => return None,
            Phase::Processing => None,
            Phase::AwaitingReasons => self.reply_due.map(|d| (Waiting::Reasons, d)),
            Phase::AwaitingCorrection => {
                self.correction.as_ref().map(|c| (Waiting::Correction, c.deadline))
            }
            Phase::Consulting => {
                self.consultations.last().map(|c| (Waiting::ConsultationAnswer, c.answer_due))
            }
            Phase::AwaitingFee => self.fee.as_ref().map(|f| (Waiting::FeePayment, f.deadline)),
        };
        let candidates = wait.into_iter().chain(self.reply_due.map(|d| (Waiting::Reply, d)));
        candidates.min_by_key(|&(_, d)| d)
    }

    /// What the open case waits for and how that deadline stands on `today`; `None` once closed.
    ///
    /// # Errors
    /// When the calendar cannot count the working days between `today` and the deadline.
    pub fn status(&self, today: Date, env: Env<'_>) -> Result<Option<Status>, CalendarError> {
        let Some((waiting, deadline)) = self.next_deadline() else { return Ok(None) };
        let (left, timeliness) = Timeliness::of(deadline, today, env)?;
        Ok(Some(Status {
            waiting,
            deadline,
            reply_due: self.reply_due,
            working_days_left: left,
            timeliness,
        }))
    }
}

/// The calendar's error for a day after its last covered year.
fn out_of_range(cal: &Calendar, date: Date) -> CalendarError {
    let (first, last) = cal.years();
    CalendarError::OutOfRange { date, first, last }
}
