//! Deadline cases, table-driven: a receipt, a history, a policy → the reply deadline and the
//! status on a given day. Expected dates are worked out by hand from the 2024 notice (国庆节
//! 10-01…10-07 off, 09-29 and 10-12 worked; 中秋节 09-15…17 off, 09-14 worked).

use gongkai_calendar::{Calendar, Date, date};
use gongkai_cases::fee::FeeMethod;
use gongkai_cases::{
    Answer, ApplicantType, Case, CaseEvent, CaseId, Channel, Env, Intake, Outcome, Party, Policy,
    Timeliness, Waiting,
};
use rust_decimal::Decimal;

fn intake(channel: Channel) -> Intake {
    Intake {
        id: CaseId("D-1".into()),
        applicant_type: ApplicantType::NATURAL_PERSON,
        applicant_key: "A".into(),
        channel,
        request: "x".into(),
    }
}

fn run(channel: Channel, events: Vec<CaseEvent>, policy: &Policy) -> Case {
    let cal = Calendar::official();
    let env = Env { calendar: &cal, policy };
    let mut case = Case::open(intake(channel), date(2025, 12, 31), env).expect("opens");
    for e in events {
        case = case.apply(e, date(2025, 12, 31), env).unwrap_or_else(|err| panic!("{err}"));
    }
    case
}

/// (name, channel, events, policy, expected reply deadline).
type Row<'a> = (&'a str, Channel, Vec<CaseEvent>, &'a Policy, Option<Date>);

const IN_PERSON: fn(Date) -> Channel = |d| Channel::InPerson { submitted: d };

#[test]
fn reply_deadlines() {
    let fee_pauses = Policy { fee_pauses_reply_clock: true, ..Policy::CONSERVATIVE };
    let c = Policy::CONSERVATIVE;
    let fee = |on| CaseEvent::FeeNoticeIssued {
        on,
        amount_yuan: Decimal::from(100),
        method: FeeMethod::PerPage,
    };
    let cases: Vec<Row<'_>> = vec![
        (
            "plain, across 国庆节",
            IN_PERSON(date(2024, 9, 27)),
            vec![],
            &c,
            Some(date(2024, 10, 30)),
        ),
        (
            "ordinary letter confirmed three days late: the clock runs from confirmation",
            Channel::OrdinaryLetter { arrived: date(2024, 9, 24), confirmed: date(2024, 9, 27) },
            vec![],
            &c,
            Some(date(2024, 10, 30)),
        ),
        (
            "extension of 20 working days",
            IN_PERSON(date(2024, 9, 27)),
            vec![CaseEvent::ExtensionApproved {
                on: date(2024, 10, 21),
                approved_by: "主任".into(),
                days: 20,
            }],
            &c,
            Some(date(2024, 11, 27)),
        ),
        (
            "correction restarts the clock from the day the corrected request arrives",
            IN_PERSON(date(2024, 9, 2)),
            vec![
                CaseEvent::CorrectionRequested {
                    on: date(2024, 9, 4),
                    deadline: date(2024, 9, 20),
                    items: "文号".into(),
                },
                CaseEvent::Corrected { on: date(2024, 9, 27) },
            ],
            &c,
            Some(date(2024, 10, 30)),
        ),
        (
            "consultation time is excluded: opened 10-08, answered 10-15 (6 working days, make-up 10-12 included)",
            IN_PERSON(date(2024, 9, 27)),
            vec![
                CaseEvent::ConsultationOpened {
                    on: date(2024, 10, 8),
                    party: Party::ThirdParty,
                    with: "某公司".into(),
                },
                CaseEvent::ConsultationAnswered {
                    on: date(2024, 10, 15),
                    answer: Answer::Objection,
                },
            ],
            &c,
            Some(date(2024, 11, 7)),
        ),
        (
            "fee period does not stop the clock (conservative policy)",
            IN_PERSON(date(2024, 9, 27)),
            vec![fee(date(2024, 10, 8)), CaseEvent::FeePaid { on: date(2024, 10, 15) }],
            &c,
            Some(date(2024, 10, 30)),
        ),
        (
            "fee period stops the clock (policy setting)",
            IN_PERSON(date(2024, 9, 27)),
            vec![fee(date(2024, 10, 8)), CaseEvent::FeePaid { on: date(2024, 10, 15) }],
            &fee_pauses,
            Some(date(2024, 11, 7)),
        ),
        (
            "a pause after the deadline does not extend it",
            IN_PERSON(date(2024, 9, 2)),
            vec![
                CaseEvent::ConsultationOpened {
                    on: date(2024, 10, 8),
                    party: Party::CoProducer,
                    with: "某局".into(),
                },
                CaseEvent::ConsultationAnswered { on: date(2024, 10, 15), answer: Answer::Consent },
            ],
            &c,
            Some(date(2024, 9, 30)),
        ),
        (
            "a longer reasonable period under 第三十五条 replaces the deadline",
            IN_PERSON(date(2024, 9, 2)),
            vec![
                CaseEvent::ReasonsRequested { on: date(2024, 9, 3) },
                CaseEvent::ReasonsAccepted {
                    on: date(2024, 9, 10),
                    longer_due: Some(date(2024, 12, 31)),
                },
            ],
            &c,
            Some(date(2024, 12, 31)),
        ),
        // 01-29…02-02 (5), 02-04 (6), 02-05…02-09 (11), 02-18 (12), 02-19…02-23 (17), 02-26…02-28 (20).
        (
            "across 春节 2024 (02-10…02-17 off, 02-04 and 02-18 worked)",
            IN_PERSON(date(2024, 1, 26)),
            vec![],
            &c,
            Some(date(2024, 2, 28)),
        ),
    ];
    for (name, channel, events, policy, want) in cases {
        let case = run(channel, events, policy);
        assert_eq!(case.reply_due(), want, "{name}");
    }
}

#[test]
fn statuses_on_a_given_day() {
    let cal = Calendar::official();
    let p = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &p };
    let case = run(IN_PERSON(date(2024, 9, 27)), vec![], &p);
    // (today, working days left, timeliness)
    let rows = [
        (date(2024, 9, 27), 20, Timeliness::OnTrack),
        (date(2024, 10, 25), 3, Timeliness::DueSoon),
        (date(2024, 10, 30), 0, Timeliness::DueSoon),
        (date(2024, 10, 31), -1, Timeliness::Overdue),
        (date(2024, 11, 13), -10, Timeliness::Overdue),
        (date(2024, 11, 14), -11, Timeliness::VeryOverdue),
    ];
    for (today, left, t) in rows {
        let s = case.status(today, env).expect("covered").expect("open");
        assert_eq!(
            (s.working_days_left, s.timeliness, s.waiting),
            (left, t, Waiting::Reply),
            "{today}"
        );
    }
    // Waiting for a consultation answer: the consulted party's 15 working days.
    let case = run(
        IN_PERSON(date(2024, 9, 2)),
        vec![CaseEvent::ConsultationOpened {
            on: date(2024, 9, 10),
            party: Party::ThirdParty,
            with: "某公司".into(),
        }],
        &p,
    );
    let s = case.status(date(2024, 9, 10), env).expect("covered").expect("open");
    assert_eq!(
        (s.waiting, s.deadline, s.reply_due),
        (Waiting::ConsultationAnswer, date(2024, 10, 8), None)
    );
    // Waiting for reasons (第三十五条): the reply clock keeps running [U]; the wait is named.
    let case = run(
        IN_PERSON(date(2024, 9, 2)),
        vec![CaseEvent::ReasonsRequested { on: date(2024, 9, 3) }],
        &p,
    );
    let s = case.status(date(2024, 9, 3), env).expect("covered").expect("open");
    assert_eq!((s.waiting, s.deadline), (Waiting::Reasons, date(2024, 9, 30)));
}

#[test]
fn replies_are_judged_against_the_deadline_then_in_force() {
    let p = Policy::CONSERVATIVE;
    let on_time = run(
        IN_PERSON(date(2024, 9, 27)),
        vec![CaseEvent::Replied { on: date(2024, 10, 30), outcome: Outcome::GRANTED }],
        &p,
    );
    assert_eq!(on_time.replied_on_time(), Some(true));
    let late = run(
        IN_PERSON(date(2024, 9, 27)),
        vec![CaseEvent::Replied { on: date(2024, 10, 31), outcome: Outcome::GRANTED }],
        &p,
    );
    assert_eq!(late.replied_on_time(), Some(false));
    let withdrawn = run(
        IN_PERSON(date(2024, 9, 27)),
        vec![CaseEvent::Withdrawn { on: date(2024, 10, 31) }],
        &p,
    );
    assert_eq!((withdrawn.replied_on_time(), withdrawn.outcome()), (None, Some(Outcome::OTHER)));
}

#[test]
fn date_rules_are_enforced_with_bilingual_messages() {
    let cal = Calendar::official();
    let p = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &p };
    let today = date(2024, 12, 31);
    let case = Case::open(intake(IN_PERSON(date(2024, 9, 27))), today, env).expect("opens");
    let attempts = [
        CaseEvent::Replied { on: date(2025, 1, 2), outcome: Outcome::GRANTED },
        CaseEvent::Replied { on: date(2024, 9, 26), outcome: Outcome::GRANTED },
        CaseEvent::ExtensionApproved {
            on: date(2024, 10, 31),
            approved_by: "主任".into(),
            days: 20,
        },
        CaseEvent::ExtensionApproved { on: date(2024, 10, 8), approved_by: " ".into(), days: 20 },
        CaseEvent::ExtensionApproved {
            on: date(2024, 10, 8),
            approved_by: "主任".into(),
            days: 21,
        },
    ];
    let messages: Vec<String> = attempts
        .into_iter()
        .map(|e| case.apply(e, today, env).expect_err("refused").to_string())
        .collect();
    insta::assert_snapshot!(messages.join("\n"));
    // Lapses only after the deadline.
    let waiting = case
        .apply(
            CaseEvent::CorrectionRequested {
                on: date(2024, 9, 30),
                deadline: date(2024, 10, 15),
                items: "x".into(),
            },
            today,
            env,
        )
        .expect("ok");
    assert!(
        waiting.apply(CaseEvent::CorrectionLapsed { on: date(2024, 10, 15) }, today, env).is_err()
    );
    let closed = waiting
        .apply(CaseEvent::CorrectionLapsed { on: date(2024, 10, 16) }, today, env)
        .expect("lapses");
    assert_eq!(closed.outcome(), Some(Outcome::OVERDUE_CORRECTION));
    // 7 working days after receipt on 2024-09-27 is 2024-10-11: a notice on 10-14 is late.
    let late = case
        .apply(
            CaseEvent::CorrectionRequested {
                on: date(2024, 10, 14),
                deadline: date(2024, 10, 30),
                items: "x".into(),
            },
            today,
            env,
        )
        .expect("recorded");
    assert!(late.correction().is_some_and(|c| c.notice_late));
}

/// The position on any day: the register as it stood at the end of day D replays as of D (no
/// event "after today"), keeps exactly the applications received by then, and every open case has
/// a status on D — for any D in the calendar's range, before, inside and after the records.
mod as_of {
    use gongkai_calendar::{Calendar, date};
    use gongkai_cases::synth::{self, Plan};
    use gongkai_cases::{Env, Policy};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn any_day_in_the_calendar_shows_the_position_on_that_day(
            seed in any::<u64>(),
            offset in 0i64..2400,
        ) {
            let cal = Calendar::official();
            let policy = Policy::CONSERVATIVE;
            let env = Env { calendar: &cal, policy: &policy };
            let plan = Plan {
                agency: "某县某局".into(),
                from: date(2023, 3, 1),
                as_of: date(2024, 12, 31),
                cases: 120,
                proactive_items: 0,
                every_outcome: false,
                other_registers: false,
            };
            let reg = synth::register(seed, &plan, env);
            // 2019-06-01 … 2025-12-22: every day the official calendar can count 20 working days on.
            let day = date(2019, 6, 1).checked_add(jiff::Span::new().days(offset)).expect("in range");
            let then = reg.as_of(day);
            let cases = then.replay(day, env).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let received = reg.cases.iter().filter(|c| c.intake.received() <= day).count();
            prop_assert_eq!(cases.len(), received);
            for c in &cases {
                prop_assert!(c.events().iter().all(|e| e.on() <= day));
                c.status(day, env).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
        }
    }
}
