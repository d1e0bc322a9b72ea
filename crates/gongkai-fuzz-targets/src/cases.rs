//! The case state machine on event sequences: [`Case::apply`] never panics, and replaying the
//! events it accepted rebuilds exactly the case reached one event at a time.

use arbitrary::Arbitrary;
use gongkai_cases::case::{Case, CaseRecord};
use gongkai_cases::fee::FeeMethod;
use gongkai_cases::{Answer, ApplicantType, CaseEvent, CaseId, Channel, Intake, Outcome, Party};
use jiff::ToSpan as _;
use jiff::civil::Date;
use rust_decimal::Decimal;

/// An event, its day given as days after the previous event (so that most sequences are in
/// order, and out-of-order ones still occur: `back`).
#[derive(Arbitrary, Debug)]
pub struct Step {
    after: u8,
    back: bool,
    kind: Kind,
}

/// What happens.
#[derive(Arbitrary, Debug)]
pub enum Kind {
    /// 补正告知, with a deadline this many days later.
    CorrectionRequested(u8, String),
    /// Corrected.
    Corrected,
    /// Correction lapsed.
    CorrectionLapsed,
    /// Extension approved, this many working days.
    ExtensionApproved(u8, String),
    /// Extension notified.
    ExtensionNotified,
    /// Consultation opened (third party when true).
    ConsultationOpened(bool, String),
    /// Consultation answered (0 consent, 1 objection, 2 no reply).
    ConsultationAnswered(u8),
    /// Fee notice, amount in fen, per page when true.
    FeeNoticeIssued(u32, bool),
    /// Fee paid.
    FeePaid,
    /// Fee lapsed.
    FeeLapsed,
    /// Reasons requested.
    ReasonsRequested,
    /// Reasons accepted, with a longer deadline this many days later (0: none).
    ReasonsAccepted(u8),
    /// Replied with outcome number (modulo 21).
    Replied(u8),
    /// Withdrawn.
    Withdrawn,
}

/// An application and what happens to it.
#[derive(Arbitrary, Debug)]
pub struct Story {
    received: u16,
    channel: u8,
    applicant: u8,
    steps: Vec<Step>,
}

const FIRST: Date = jiff::civil::date(2023, 1, 1);

fn day(base: Date, days: i64) -> Date {
    base.checked_add(days.days()).unwrap_or(base)
}

fn event(kind: &Kind, on: Date) -> CaseEvent {
    match kind {
        Kind::CorrectionRequested(d, items) => CaseEvent::CorrectionRequested {
            on,
            deadline: day(on, i64::from(*d)),
            items: items.clone(),
        },
        Kind::Corrected => CaseEvent::Corrected { on },
        Kind::CorrectionLapsed => CaseEvent::CorrectionLapsed { on },
        Kind::ExtensionApproved(d, by) => {
            CaseEvent::ExtensionApproved { on, approved_by: by.clone(), days: u32::from(*d % 32) }
        }
        Kind::ExtensionNotified => CaseEvent::ExtensionNotified { on },
        Kind::ConsultationOpened(third, with) => CaseEvent::ConsultationOpened {
            on,
            party: if *third { Party::ThirdParty } else { Party::CoProducer },
            with: with.clone(),
        },
        Kind::ConsultationAnswered(a) => CaseEvent::ConsultationAnswered {
            on,
            answer: [Answer::Consent, Answer::Objection, Answer::NoReply][usize::from(*a % 3)],
        },
        Kind::FeeNoticeIssued(fen, per_page) => CaseEvent::FeeNoticeIssued {
            on,
            amount_yuan: Decimal::new(i64::from(*fen), 2),
            method: if *per_page { FeeMethod::PerPage } else { FeeMethod::PerApplication },
        },
        Kind::FeePaid => CaseEvent::FeePaid { on },
        Kind::FeeLapsed => CaseEvent::FeeLapsed { on },
        Kind::ReasonsRequested => CaseEvent::ReasonsRequested { on },
        Kind::ReasonsAccepted(d) => {
            CaseEvent::ReasonsAccepted { on, longer_due: (*d > 0).then(|| day(on, i64::from(*d))) }
        }
        Kind::Replied(o) => CaseEvent::Replied {
            on,
            outcome: Outcome::all().nth(usize::from(*o) % 21).unwrap_or(Outcome::GRANTED),
        },
        Kind::Withdrawn => CaseEvent::Withdrawn { on },
    }
}

fn intake(story: &Story) -> Intake {
    let received = day(FIRST, i64::from(story.received % 700));
    let channel = match story.channel % 6 {
        0 => Channel::InPerson { submitted: received },
        1 => Channel::RegisteredPost { signed_for: received },
        2 => Channel::OrdinaryLetter {
            arrived: day(received, -i64::from(story.channel % 3)),
            confirmed: received,
        },
        3 => Channel::Online { confirmed: received },
        4 => Channel::Fax { confirmed: received },
        _ => Channel::Oral { recorded: received },
    };
    let applicant = ApplicantType::all()
        .nth(usize::from(story.applicant) % 6)
        .unwrap_or(ApplicantType::NATURAL_PERSON);
    Intake {
        id: CaseId("F-1".into()),
        applicant_type: applicant,
        applicant_key: "A-1".into(),
        channel,
        request: "某文件".into(),
    }
}

/// Applies the story's events one at a time (refused ones leave the case as it was), then
/// replays the accepted ones and compares.
pub fn run(data: &[u8]) {
    let Some(story) = crate::structured::<Story>(data) else { return };
    let env = crate::env();
    let today = crate::today();
    let intake = intake(&story);
    let Ok(mut case) = Case::open(intake.clone(), today, env) else { return };
    let mut accepted = Vec::new();
    let mut on = intake.received();
    for step in story.steps.iter().take(64) {
        let delta = i64::from(step.after % 60);
        on = day(on, if step.back { -delta } else { delta });
        let e = event(&step.kind, on);
        if let Ok(next) = case.apply(e.clone(), today, env) {
            assert_eq!(next.events().last(), Some(&e), "the event applied is the last one");
            accepted.push(e);
            case = next;
        }
        let _ = case.status(today, env);
        let _ = case.next_deadline();
        let _ = case.reply_due_basis(env);
    }
    assert_eq!(case.events(), accepted.as_slice());
    let record = CaseRecord { intake, events: accepted };
    for probe in [record.intake.received(), on, today] {
        let _ = record.as_of(probe);
    }
    let replayed = Case::replay(record, today, env)
        .unwrap_or_else(|(i, e)| panic!("replay refused event {i} that was accepted: {e}"));
    assert_eq!(replayed, case, "replay differs from the case built one event at a time");
}
