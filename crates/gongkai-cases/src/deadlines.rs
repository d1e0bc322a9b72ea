//! The deadline listing (`gongkai register deadlines`, the web application's 工作台): the open
//! applications on a day, soonest deadline first, overdue ones leading, each with how its reply
//! deadline was reached; and the year's replies made after their deadline.

use gongkai_calendar::CalendarError;
use gongkai_model::{Localized, Msg};
use jiff::civil::Date;

use crate::case::{Case, Env, Phase, ReplyDueBasis, Status};
use crate::intake::CaseId;
use crate::register::{RecordErrors, Register};

/// The day by which an agency publishes its annual report on `year`: 31 January of the next year
/// (《政府信息公开条例》第五十条: 每年1月31日前 … 上一年度政府信息公开工作年度报告). Publishing on that day
/// is on time. `None` only for a year past the calendar's range.
pub fn report_due(year: i16) -> Option<Date> {
    Date::new(year.checked_add(1)?, 1, 31).ok()
}

/// The report year whose deadline ([`report_due`]) falls in `today`'s year: the most recent year
/// whose deadline has passed or is coming (on 10 January 2026 and on 16 March 2026 alike, 2025).
pub fn due_report_year(today: Date) -> i16 {
    today.year().saturating_sub(1)
}

/// The deadlines on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadlines {
    /// The day.
    pub today: Date,
    /// Open applications, by working days left (overdue first), then deadline, then number.
    pub open: Vec<OpenCase>,
    /// Open applications with no deadline to show: their reply deadline falls after the
    /// calendar's last day (received late in its last year; determined once the next year's
    /// notice is loaded), by number. Not in `open`.
    pub pending: Vec<PendingCase>,
    /// Replies in `today`'s year made after their deadline (up to `today`), by deadline, then
    /// number.
    pub late_replies: Vec<LateReply>,
}

/// An open application and its deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenCase {
    /// The register number.
    pub id: CaseId,
    /// Day 0.
    pub received: Date,
    /// Its phase.
    pub phase: Phase,
    /// The deadline to act on and how it stands.
    pub status: Status,
    /// How the reply deadline was reached, while the reply clock runs.
    pub reply_due: Option<ReplyDueBasis>,
}

/// An open application whose reply deadline falls after the calendar's last day
/// ([`Case::reply_due_after_calendar`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingCase {
    /// The register number.
    pub id: CaseId,
    /// Day 0.
    pub received: Date,
    /// Its phase.
    pub phase: Phase,
    /// The calendar's last day: the deadline is later.
    pub after: Date,
}

/// A reply made after its deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateReply {
    /// The register number.
    pub id: CaseId,
    /// Day 0.
    pub received: Date,
    /// The reply deadline then in force.
    pub due: Date,
    /// The day of the reply.
    pub replied: Date,
    /// Working days after the deadline.
    pub working_days_late: u32,
}

impl Deadlines {
    /// The open applications whose deadline has passed.
    pub fn overdue(&self) -> impl Iterator<Item = &OpenCase> {
        self.open.iter().filter(|c| c.status.working_days_left < 0)
    }

    /// The open applications due today or within `n` working days.
    pub fn due_within(&self, n: u32) -> impl Iterator<Item = &OpenCase> {
        self.open.iter().filter(move |c| (0..=i64::from(n)).contains(&c.status.working_days_left))
    }
}

/// Why no listing was made. [`Localized::message`] says it in one language.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum DeadlinesError {
    /// Records of the register do not replay (every failing record).
    Records(RecordErrors),
    /// The calendar does not cover a day counted.
    Calendar(CalendarError),
}

impl Localized for DeadlinesError {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            DeadlinesError::Records(errors) => errors.words(),
            DeadlinesError::Calendar(e) => e.words(),
        }
    }
}

impl From<CalendarError> for DeadlinesError {
    fn from(e: CalendarError) -> Self {
        DeadlinesError::Calendar(e)
    }
}

/// The listing of `register` on `today`: the register as it stood at the end of that day
/// ([`Register::as_of`]), replayed.
///
/// # Errors
/// Every record that does not replay, or a day the calendar does not cover.
pub fn listing(
    register: &Register,
    today: Date,
    env: Env<'_>,
) -> Result<Deadlines, DeadlinesError> {
    let cases = register
        .as_of(today)
        .replay(today, env)
        .map_err(|e| DeadlinesError::Records(RecordErrors(e)))?;
    Ok(deadlines(&cases, today, env)?)
}

/// The listing of replayed `cases` on `today`.
///
/// # Errors
/// A day the calendar does not cover.
pub fn deadlines(cases: &[Case], today: Date, env: Env<'_>) -> Result<Deadlines, CalendarError> {
    let mut open = Vec::new();
    let mut pending = Vec::new();
    for c in cases {
        let status = c.status(today, env)?;
        if let (None, Some(after)) = (&status, c.reply_due_after_calendar()) {
            pending.push(PendingCase {
                id: c.id().clone(),
                received: c.received(),
                phase: c.phase(),
                after,
            });
        }
        if let Some(status) = status {
            open.push(OpenCase {
                id: c.id().clone(),
                received: c.received(),
                phase: c.phase(),
                status,
                reply_due: c.reply_due_basis(env)?,
            });
        }
    }
    open.sort_by(|a, b| {
        (a.status.working_days_left, a.status.deadline, &a.id).cmp(&(
            b.status.working_days_left,
            b.status.deadline,
            &b.id,
        ))
    });
    let mut late_replies = Vec::new();
    for c in cases {
        let Some(closure) = c.closure() else { continue };
        let Some(due) = closure.reply_due else { continue };
        if closure.on_time == Some(false) && closure.on.year() == today.year() {
            late_replies.push(LateReply {
                id: c.id().clone(),
                received: c.received(),
                due,
                replied: closure.on,
                working_days_late: env.calendar.working_days_between(due, closure.on)?,
            });
        }
    }
    late_replies.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    pending.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Deadlines { today, open, pending, late_replies })
}

#[cfg(test)]
mod tests {
    use gongkai_calendar::{Calendar, date};
    use proptest::prelude::*;

    use super::*;
    use crate::case::{Policy, Timeliness};
    use crate::event::CaseEvent;
    use crate::synth::{self, Plan};

    fn register(seed: u64, cases: usize, env: Env<'_>) -> Register {
        let plan = Plan {
            agency: "某局".into(),
            from: date(2024, 1, 1),
            as_of: date(2024, 12, 31),
            cases,
            proactive_items: 0,
            every_outcome: false,
            other_registers: false,
        };
        synth::register(seed, &plan, env)
    }

    #[test]
    fn open_cases_late_replies_and_the_reply_due_explained() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let today = date(2024, 12, 20);
        let d = listing(&register(9, 200, env), today, env).unwrap_or_else(|e| panic!("{e}"));
        assert!(!d.open.is_empty() && !d.late_replies.is_empty(), "{d:?}");
        let overdue = d.overdue().count();
        let soon = d.due_within(Policy::CONSERVATIVE.due_soon_working_days).count();
        let by_status =
            |t: &[Timeliness]| d.open.iter().filter(|c| t.contains(&c.status.timeliness)).count();
        assert_eq!(overdue, by_status(&[Timeliness::Overdue, Timeliness::VeryOverdue]));
        assert_eq!(soon, by_status(&[Timeliness::DueSoon]));
        let basis =
            d.open.iter().find_map(|c| c.reply_due.as_ref()).unwrap_or_else(|| panic!("{d:?}"));
        let count = basis.count.as_ref().unwrap_or_else(|| panic!("{basis:?}"));
        assert_eq!(count.start, basis.clock_start);
        assert_eq!(count.n, basis.working_days);
        for r in &d.late_replies {
            assert!(
                r.replied > r.due && r.replied.year() == 2024 && r.working_days_late > 0,
                "{r:?}"
            );
        }
    }

    #[test]
    fn a_corrupt_register_names_every_bad_record() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let mut reg = register(9, 20, env);
        for rec in reg.cases.iter_mut().take(3) {
            let on = rec.intake.received();
            rec.events.insert(0, CaseEvent::FeePaid { on });
        }
        let Err(DeadlinesError::Records(e)) = listing(&reg, date(2025, 1, 10), env) else {
            panic!("a register that does not replay has no listing");
        };
        assert_eq!(e.0.len(), 3);
        gongkai_testkit::lang::assert_chinese(
            &DeadlinesError::Records(e).message(gongkai_model::Lang::Zh),
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// On any day: the open cases are sorted by working days left, each explained reply
        /// deadline is the deadline the case runs to, and every pause moved it forward.
        #[test]
        fn the_listing_is_ordered_and_explains_each_reply_deadline(
            seed in any::<u64>(),
            day in 0i32..400,
        ) {
            let cal = Calendar::official();
            let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
            let reg = register(seed, 60, env);
            let today = date(2024, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap_or(date(2024, 1, 1));
            let d = listing(&reg, today, env).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for pair in d.open.windows(2) {
                prop_assert!(pair[0].status.working_days_left <= pair[1].status.working_days_left);
            }
            for c in &d.open {
                prop_assert_eq!(c.reply_due.as_ref().map(|b| b.due), c.status.reply_due);
                if let Some(b) = &c.reply_due {
                    let start = b.count.as_ref().map(|e| e.end).or(b.longer_due);
                    prop_assert!(start.is_some());
                    let mut due = start.unwrap_or(b.due);
                    for p in &b.pauses {
                        prop_assert!(p.due_after >= due);
                        due = p.due_after;
                    }
                    prop_assert_eq!(due, b.due);
                }
            }
        }
    }

    #[test]
    fn the_annual_report_is_due_on_31_january_of_the_next_year() {
        assert_eq!(report_due(2025), Some(date(2026, 1, 31)));
        assert_eq!(report_due(i16::MAX), None);
        assert_eq!(due_report_year(date(2026, 1, 10)), 2025);
        assert_eq!(due_report_year(date(2026, 3, 16)), 2025);
        assert_eq!(due_report_year(date(2026, 12, 31)), 2025);
        let due = report_due(due_report_year(date(2026, 1, 10))).expect("in range");
        assert!(due >= date(2026, 1, 10), "upcoming");
    }
}
