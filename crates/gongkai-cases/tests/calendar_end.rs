//! Applications received near the end of the last year the loaded calendar covers: their periods
//! run into a year whose holidays are not known yet. The case is accepted; the reply deadline is
//! "after the calendar's last day", never guessed; a reply within the covered year is on time;
//! loading the next year's table determines the deadline from the same record.

use gongkai_calendar::{Calendar, CalendarBuilder, Date, date};
use gongkai_cases::case::Phase;
use gongkai_cases::{
    ApplicantType, Case, CaseEvent, CaseId, CaseRecord, Channel, Env, Intake, Outcome, Policy,
};
use gongkai_model::T3Row;

fn intake(received: Date) -> Intake {
    Intake {
        id: CaseId("E-1".into()),
        applicant_type: ApplicantType::NATURAL_PERSON,
        applicant_key: "A".into(),
        channel: Channel::InPerson { submitted: received },
        request: "x".into(),
    }
}

/// The last covered year of the built-in calendar (the tests follow it when a year is added).
fn last_year(cal: &Calendar) -> i16 {
    cal.years().1
}

/// The built-in calendar plus a next year with no holiday at all (a made-up table: enough to see
/// the deadline become determined once a table is loaded).
fn extended(cal: &Calendar) -> Calendar {
    let next = last_year(cal) + 1;
    CalendarBuilder::official()
        .add_toml("next.toml", &format!("year = {next}\n"))
        .and_then(CalendarBuilder::build)
        .expect("a year with no special day is a valid table")
}

fn open(received: Date, today: Date, cal: &Calendar) -> Case {
    let env = Env { calendar: cal, policy: &Policy::CONSERVATIVE };
    Case::open(intake(received), today, env).unwrap_or_else(|e| panic!("refused: {e}"))
}

#[test]
fn a_december_application_is_accepted_with_its_deadline_after_the_calendar() {
    let cal = Calendar::official();
    let y = last_year(&cal);
    let case = open(date(y, 12, 10), date(y, 12, 10), &cal);
    assert_eq!(case.phase(), Phase::Processing);
    assert_eq!(case.reply_due(), None);
    assert_eq!(case.reply_due_after_calendar(), Some(date(y, 12, 31)));
    assert_eq!(case.next_deadline(), None);
    let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
    assert_eq!(case.reply_due_basis(env).expect("no calendar error"), None);
    assert_eq!(case.status(date(y, 12, 10), env).expect("no calendar error"), None);
}

#[test]
fn a_deadline_inside_the_calendar_is_unchanged() {
    let cal = Calendar::official();
    let y = last_year(&cal);
    let case = open(date(y, 11, 2), date(y, 11, 2), &cal);
    let due = case.reply_due().expect("20 working days from 2 November end in the year");
    assert!(due.year() == y && due > date(y, 11, 27), "{due}");
    assert_eq!(case.reply_due_after_calendar(), None);
}

#[test]
fn a_reply_within_the_covered_year_is_on_time() {
    let cal = Calendar::official();
    let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
    let y = last_year(&cal);
    let today = date(y, 12, 30);
    let case = open(date(y, 12, 10), today, &cal);
    let replied = CaseEvent::Replied {
        on: date(y, 12, 29),
        outcome: Outcome::new(T3Row::Granted).expect("outcome row"),
    };
    let closed = case.apply(replied, today, env).unwrap_or_else(|e| panic!("{e}"));
    let closure = closed.closure().expect("closed");
    assert_eq!(closure.reply_due, None);
    assert_eq!(closure.on_time, Some(true));
    assert_eq!(closed.reply_due_after_calendar(), None);
}

#[test]
fn a_correction_notice_whose_limit_runs_past_the_calendar_is_on_time() {
    let cal = Calendar::official();
    let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
    let y = last_year(&cal);
    let today = date(y, 12, 31);
    let case = open(date(y, 12, 28), today, &cal);
    let asked = CaseEvent::CorrectionRequested {
        on: date(y, 12, 30),
        deadline: date(y, 12, 31),
        items: "文号".into(),
    };
    let case = case.apply(asked, today, env).unwrap_or_else(|e| panic!("{e}"));
    assert!(!case.correction().expect("requested").notice_late);
    // While the correction is awaited the clock stands still: no deadline, none "after".
    assert_eq!((case.reply_due(), case.reply_due_after_calendar()), (None, None));
    let corrected = CaseEvent::Corrected { on: date(y, 12, 31) };
    let case = case.apply(corrected, today, env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case.reply_due_after_calendar(), Some(date(y, 12, 31)));
}

#[test]
fn an_extension_can_push_a_known_deadline_past_the_calendar() {
    let cal = Calendar::official();
    let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
    let y = last_year(&cal);
    let today = date(y, 12, 1);
    let case = open(date(y, 11, 20), today, &cal);
    assert!(case.reply_due().is_some());
    let extended_by =
        CaseEvent::ExtensionApproved { on: date(y, 12, 1), approved_by: "主任".into(), days: 20 };
    let case = case.apply(extended_by, today, env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case.reply_due(), None);
    assert_eq!(case.reply_due_after_calendar(), Some(date(y, 12, 31)));
}

#[test]
fn loading_the_next_year_determines_the_deadline_from_the_same_record() {
    let cal = Calendar::official();
    let y = last_year(&cal);
    let today = date(y, 12, 10);
    let record = CaseRecord { intake: intake(date(y, 12, 10)), events: vec![] };
    let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
    let before = Case::replay(record.clone(), today, env).expect("replays");
    assert_eq!(before.reply_due(), None);

    let next = extended(&cal);
    let env = Env { calendar: &next, policy: &Policy::CONSERVATIVE };
    let after = Case::replay(record, today, env).expect("replays");
    let due = after.reply_due().expect("determined once the next year is loaded");
    assert_eq!(due.year(), y + 1);
    assert_eq!(Some(due), next.add_working_days(date(y, 12, 10), 20).ok());
    assert_eq!(after.reply_due_after_calendar(), None);
}

#[test]
fn the_deadline_listing_shows_it_as_pending_not_as_open_with_a_date() {
    let cal = Calendar::official();
    let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
    let y = last_year(&cal);
    let today = date(y, 12, 15);
    let december = open(date(y, 12, 10), today, &cal);
    let november =
        Case::open(Intake { id: CaseId("E-2".into()), ..intake(date(y, 11, 16)) }, today, env)
            .expect("opens");
    let listing =
        gongkai_cases::deadlines::deadlines(&[december, november], today, env).expect("listing");
    assert_eq!(listing.open.len(), 1);
    assert_eq!(listing.open[0].id, CaseId("E-2".into()));
    assert_eq!(listing.pending.len(), 1);
    let pending = &listing.pending[0];
    assert_eq!((pending.id.0.as_str(), pending.after), ("E-1", date(y, 12, 31)));
    assert_eq!(pending.phase, Phase::Processing);
}
