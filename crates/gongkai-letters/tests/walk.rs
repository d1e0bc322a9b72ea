//! Any case reachable through `Case::apply` yields, for each kind of letter, either a letter whose
//! dates are the case's own derived dates or a typed refusal — never a panic.
#![allow(clippy::unwrap_used, reason = "tests")]

mod support;

use gongkai_calendar::{Date, date};
use gongkai_cases::fee::FeeMethod;
use gongkai_cases::{Answer, Case, CaseEvent, EventKind, Outcome, Party};
use gongkai_letters::{LetterError, LetterKind, build};
use gongkai_model::Lang;
use proptest::prelude::*;
use rust_decimal::Decimal;
use support::{case, facts};

/// One proposed event: a kind, days after the previous event, and a choice of parameters.
fn event(kind: u8, on: Date, pick: u8) -> CaseEvent {
    let later = |n: i32| on.checked_add(jiff::Span::new().days(n)).unwrap();
    match kind % 12 {
        0 => CaseEvent::CorrectionRequested {
            on,
            deadline: later(7 + i32::from(pick % 20)),
            items: "x".into(),
        },
        1 => CaseEvent::Corrected { on },
        2 => CaseEvent::CorrectionLapsed { on },
        3 => CaseEvent::ExtensionApproved {
            on,
            approved_by: "负责人".into(),
            days: 1 + u32::from(pick % 20),
        },
        4 => CaseEvent::ExtensionNotified { on },
        5 => CaseEvent::ConsultationOpened {
            on,
            party: if pick.is_multiple_of(2) { Party::ThirdParty } else { Party::CoProducer },
            with: "甲".into(),
        },
        6 => CaseEvent::ConsultationAnswered {
            on,
            answer: [Answer::Consent, Answer::Objection, Answer::NoReply][usize::from(pick % 3)],
        },
        7 => CaseEvent::FeeNoticeIssued {
            on,
            amount_yuan: Decimal::from(1 + u32::from(pick)),
            method: if pick.is_multiple_of(2) {
                FeeMethod::PerPage
            } else {
                FeeMethod::PerApplication
            },
        },
        8 => CaseEvent::FeePaid { on },
        9 => CaseEvent::FeeLapsed { on },
        10 => CaseEvent::ReasonsRequested { on },
        _ => {
            CaseEvent::Replied { on, outcome: Outcome::all().nth(usize::from(pick % 21)).unwrap() }
        }
    }
}

/// The case after trying each step; refused steps are skipped (the case stays reachable).
fn walk(steps: &[(u8, u8, u8)]) -> Case {
    let mut c = case(vec![]);
    let mut on = c.received();
    for &(kind, gap, pick) in steps {
        on = on.checked_add(jiff::Span::new().days(i32::from(gap % 30))).unwrap();
        if on > support::TODAY {
            break;
        }
        if let Ok(next) = c.apply(event(kind, on, pick), support::TODAY, support::env()) {
            c = next;
        }
    }
    c
}

/// The deadline the case itself derived for the letter's kind.
fn derived(c: &Case, kind: LetterKind) -> Option<Date> {
    match kind {
        LetterKind::Correction => c.correction().map(|x| x.deadline),
        LetterKind::Extension => c.reply_due(),
        LetterKind::Consultation => c.consultations().last().map(|x| x.answer_due),
        LetterKind::FeeNotice => c.fee().map(|f| f.deadline),
        LetterKind::Reply => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn letters_state_the_case_s_own_dates_or_are_refused(
        steps in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..8),
        late in 0u8..40,
    ) {
        let c = walk(&steps);
        let last = c.events().last().map_or(c.received(), CaseEvent::on);
        let on = last.checked_add(jiff::Span::new().days(i32::from(late))).unwrap();
        for kind in LetterKind::ALL {
            for lang in [Lang::Zh, Lang::En] {
                match build(kind, &facts(&c, None, on), lang) {
                    Ok(l) => {
                        prop_assert_eq!(l.dates.received, c.received());
                        prop_assert_eq!(l.dates.letter, on);
                        prop_assert_eq!(l.dates.deadline, derived(&c, kind));
                        if kind == LetterKind::Reply {
                            prop_assert_eq!(Some(l.dates.event), c.closed_on());
                            prop_assert_eq!(l.outcome, c.outcome());
                        }
                        prop_assert!(l.paragraphs.iter().all(|p| !p.is_empty()));
                    }
                    Err(LetterError::Refused { kind: k, phase, .. }) => {
                        prop_assert_eq!(k, kind);
                        prop_assert_eq!(phase, c.phase());
                    }
                    Err(e) => prop_assert!(false, "unexpected {e}"),
                }
            }
        }
        // The closing event is the reply's event.
        if let Some(cl) = c.closure() {
            prop_assert!(cl.by != EventKind::Received);
        }
    }
}

#[test]
fn before_receipt_is_refused_for_every_kind() {
    let c = walk(&[(11, 10, 0)]);
    for kind in LetterKind::ALL {
        let r = build(kind, &facts(&c, None, date(2025, 1, 1)), Lang::Zh);
        assert!(matches!(r, Err(LetterError::Refused { .. })), "{kind:?}: {r:?}");
    }
}

#[test]
fn walks_reach_every_phase_that_has_a_letter() {
    use gongkai_cases::Phase;
    let phases = [
        (walk(&[(0, 1, 5)]), Phase::AwaitingCorrection),
        (walk(&[(5, 1, 0)]), Phase::Consulting),
        (walk(&[(7, 1, 0)]), Phase::AwaitingFee),
        (walk(&[(3, 1, 4), (11, 2, 0)]), Phase::Closed),
    ];
    for (c, want) in phases {
        assert_eq!(c.phase(), want);
        let on = c.events().last().map_or(c.received(), CaseEvent::on);
        assert_eq!(gongkai_letters::available(&facts(&c, None, on)).len(), 1, "{want:?}");
    }
}
