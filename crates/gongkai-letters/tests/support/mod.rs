//! Shared by the letters' integration tests: a calendar, cases built through `Case::apply`, the
//! facts of a letter and the letter as plain text.
#![allow(dead_code, reason = "each test binary uses a part")]
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::OnceLock;

use gongkai_calendar::{Calendar, Date, date};
use gongkai_cases::{
    ApplicantType, Case, CaseEvent, CaseId, Channel, Env, Intake, PersonalData, Policy,
};
use gongkai_letters::{Facts, Letter};

pub const AGENCY: &str = "某县自然资源局";
pub const TODAY: Date = date(2025, 12, 31);

pub fn calendar() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(Calendar::official)
}

pub fn env() -> Env<'static> {
    Env { calendar: calendar(), policy: &Policy::CONSERVATIVE }
}

/// An application received in person on Monday 3 March 2025.
pub fn intake() -> Intake {
    Intake {
        id: CaseId("YSQ-2025-00007".into()),
        applicant_type: ApplicantType::NATURAL_PERSON,
        applicant_key: "A-1".into(),
        channel: Channel::InPerson { submitted: date(2025, 3, 3) },
        request: "2024年本县土地征收补偿安置方案".into(),
    }
}

pub fn personal() -> PersonalData {
    PersonalData {
        case: CaseId("YSQ-2025-00007".into()),
        name: "张三".into(),
        contact: "13800000000".into(),
        id_document: None,
    }
}

/// The case after `events`, each accepted by `Case::apply`.
pub fn case_with(intake: Intake, events: Vec<CaseEvent>) -> Case {
    let mut case = Case::open(intake, TODAY, env()).unwrap();
    for e in events {
        case = case.apply(e, TODAY, env()).unwrap_or_else(|err| panic!("{err}"));
    }
    case
}

pub fn case(events: Vec<CaseEvent>) -> Case {
    case_with(intake(), events)
}

pub fn facts<'a>(case: &'a Case, personal: Option<&'a PersonalData>, on: Date) -> Facts<'a> {
    Facts { case, personal, agency: AGENCY, calendar: calendar(), date: on }
}

/// The letter as plain text, one block per line, as a person reads it.
pub fn text(l: &Letter) -> String {
    let mut out = vec![l.title.clone(), l.doc_number.clone(), l.recipient.clone()];
    out.extend(l.paragraphs.iter().cloned());
    out.extend(l.signature.iter().cloned());
    out.join("\n")
}
