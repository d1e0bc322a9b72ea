//! Building a letter from a case: the shared frame (document number, recipient, signature, dates)
//! around the body each kind writes.

use gongkai_calendar::Calendar;
use gongkai_cases::{Case, Outcome, PersonalData};
use gongkai_model::{Lang, Msg};
use jiff::civil::Date;

use crate::error::{LetterError, Refusal};
use crate::kind::LetterKind;
use crate::letter::{Dates, Letter};
use crate::text::{blank, date, doc_number, pick};
use crate::{consultation, correction, extension, fee, reply};

/// What a letter is built from.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The case, as replayed from its record.
    pub case: &'a Case,
    /// The applicant's personal data (name for the recipient line), when the clerk may see it.
    pub personal: Option<&'a PersonalData>,
    /// The sending agency's name.
    pub agency: &'a str,
    /// The working-day calendar (periods are stated in working days).
    pub calendar: &'a Calendar,
    /// The date of the letter.
    pub date: Date,
}

/// What a kind's module writes: the body and the dates it states.
pub(crate) struct Body {
    pub title: Msg,
    /// The recipient when it is not the applicant (a consulted party).
    pub recipient: Option<Msg>,
    pub paragraphs: Vec<Msg>,
    pub event: Date,
    pub deadline: Option<Date>,
    pub outcome: Option<Outcome>,
}

impl Facts<'_> {
    /// The refusal of `kind` for `reason` in the case's phase.
    pub(crate) fn refuse(&self, kind: LetterKind, reason: Refusal) -> LetterError {
        LetterError::Refused { kind, phase: self.case.phase(), reason }
    }

    /// Working days from `from` to `to` on the calendar.
    pub(crate) fn working_days(&self, from: Date, to: Date) -> Result<u32, LetterError> {
        self.calendar.working_days_between(from, to).map_err(LetterError::Calendar)
    }
}

/// Builds the letter of `kind` for the case in `facts`, in `lang`.
///
/// # Errors
/// [`LetterError::Refused`] when the case's state does not support the letter (the event it
/// documents is not recorded or is over, or the letter is dated before it);
/// [`LetterError::PersonalDataMismatch`]; [`LetterError::Calendar`].
pub fn build(kind: LetterKind, facts: &Facts<'_>, lang: Lang) -> Result<Letter, LetterError> {
    if let Some(p) = facts.personal
        && p.case != *facts.case.id()
    {
        return Err(LetterError::PersonalDataMismatch {
            case: facts.case.id().clone(),
            personal: p.case.clone(),
        });
    }
    let body = match kind {
        LetterKind::Correction => correction::body(facts)?,
        LetterKind::Extension => extension::body(facts)?,
        LetterKind::Consultation => consultation::body(facts)?,
        LetterKind::FeeNotice => fee::body(facts)?,
        LetterKind::Reply => reply::body(facts)?,
    };
    if facts.date < body.event {
        return Err(facts.refuse(kind, Refusal::BeforeEvent { event_on: body.event }));
    }
    let recipient = match body.recipient {
        Some(r) => r.get(lang).to_owned(),
        None => applicant(facts.personal, lang),
    };
    let (d_zh, d_en) = date(facts.date);
    Ok(Letter {
        kind,
        lang,
        case: facts.case.id().clone(),
        outcome: body.outcome,
        agency: facts.agency.to_owned(),
        doc_number: pick(doc_number(facts.date), lang),
        recipient,
        title: body.title.get(lang).to_owned(),
        paragraphs: body.paragraphs.iter().map(|p| p.get(lang).to_owned()).collect(),
        dates: Dates {
            letter: facts.date,
            received: facts.case.received(),
            event: body.event,
            deadline: body.deadline,
        },
        signature: vec![facts.agency.to_owned(), pick((d_zh, d_en), lang)],
    })
}

/// The recipient line for the applicant: the name from the personal data, else a placeholder.
fn applicant(personal: Option<&PersonalData>, lang: Lang) -> String {
    let name = match personal.map(|p| p.name.trim()).filter(|n| !n.is_empty()) {
        Some(n) => n.to_owned(),
        None => pick(blank("申请人姓名或者名称", "the applicant's name"), lang),
    };
    match lang {
        Lang::Zh => format!("{name}："),
        Lang::En => format!("{name}:"),
    }
}

/// The kinds of letters the case's state supports on `facts.date`, in [`LetterKind::ALL`] order.
pub fn available(facts: &Facts<'_>) -> Vec<LetterKind> {
    LetterKind::ALL.into_iter().filter(|k| build(*k, facts, Lang::Zh).is_ok()).collect()
}
