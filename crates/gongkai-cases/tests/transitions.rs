//! The whole transition table — every reachable state × every event → new state or refusal — in
//! ONE snapshot, so any change in behaviour shows up as one reviewable diff.
//!
//! States are explored breadth-first from a freshly received application. Each event kind is
//! generated with valid timing (the next working day, or just after the relevant deadline for a
//! lapse), so the table shows what the *state* allows; date rules are tested in `deadlines.rs`.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use gongkai_calendar::{Calendar, date};
use gongkai_cases::case::Phase;
use gongkai_cases::fee::FeeMethod;
use gongkai_cases::{
    Answer, ApplicantType, Case, CaseEvent, CaseId, Channel, Env, Intake, Outcome, Party, Policy,
};
use gongkai_model::T3Row;
use rust_decimal::Decimal;

/// The event columns of the table: each kind once, and the reply with the outcomes that have
/// their own rules.
const COLUMNS: &[&str] = &[
    "告知补正",
    "收到补正",
    "逾期未补正",
    "批准延期",
    "告知延期",
    "征求意见",
    "收到意见",
    "发出收费通知",
    "缴费",
    "逾期未缴费",
    "要求说明理由",
    "认可理由",
    "答复：予以公开",
    "答复：补正后申请内容仍不明确",
    "答复：无正当理由大量反复申请",
    "答复：逾期未缴费",
    "撤回申请",
];

fn event(col: &str, case: &Case, cal: &Calendar) -> CaseEvent {
    let last = case.events().last().map_or(case.received(), CaseEvent::on);
    let next = cal.add_working_days(last, 1).expect("covered");
    let after = |d: Option<gongkai_calendar::Date>| {
        d.map_or(next, |d| cal.add_working_days(d, 1).expect("covered").max(next))
    };
    let reply =
        |row| CaseEvent::Replied { on: next, outcome: Outcome::new(row).expect("outcome row") };
    match col {
        "告知补正" => CaseEvent::CorrectionRequested {
            on: next,
            deadline: cal.add_working_days(next, 10).expect("covered"),
            items: "文号".into(),
        },
        "收到补正" => CaseEvent::Corrected { on: next },
        "逾期未补正" => {
            CaseEvent::CorrectionLapsed { on: after(case.correction().map(|c| c.deadline)) }
        }
        "批准延期" => {
            CaseEvent::ExtensionApproved { on: next, approved_by: "主任".into(), days: 20 }
        }
        "告知延期" => CaseEvent::ExtensionNotified { on: next },
        "征求意见" => CaseEvent::ConsultationOpened {
            on: next,
            party: Party::ThirdParty,
            with: "某公司".into(),
        },
        "收到意见" => CaseEvent::ConsultationAnswered { on: next, answer: Answer::Consent },
        "发出收费通知" => CaseEvent::FeeNoticeIssued {
            on: next,
            amount_yuan: Decimal::from(700),
            method: FeeMethod::PerPage,
        },
        "缴费" => CaseEvent::FeePaid { on: next },
        "逾期未缴费" => CaseEvent::FeeLapsed { on: after(case.fee().map(|f| f.deadline)) },
        "要求说明理由" => CaseEvent::ReasonsRequested { on: next },
        "认可理由" => CaseEvent::ReasonsAccepted { on: next, longer_due: None },
        "答复：予以公开" => reply(T3Row::Granted),
        "答复：补正后申请内容仍不明确" => reply(T3Row::UnableUnclear),
        "答复：无正当理由大量反复申请" => reply(T3Row::NotProcessedMassRepetitive),
        "答复：逾期未缴费" => reply(T3Row::OtherUnpaidFee),
        "撤回申请" => CaseEvent::Withdrawn { on: next },
        other => unreachable!("unknown column {other}"),
    }
}

/// The state as the table shows it: the phase and the facts that change what is allowed.
fn label(case: &Case) -> String {
    if case.phase() == Phase::Closed {
        return format!("已办结（{}）", case.outcome().map(|o| o.label()).unwrap_or_default());
    }
    let ext = match case.extension() {
        None => "无",
        Some(x) if x.notified_on.is_none() => "已批准未告知",
        Some(_) => "已告知",
    };
    let corr = match case.correction() {
        None => "无",
        Some(c) if c.corrected_on.is_none() => "已告知",
        Some(_) => "已补正",
    };
    let fee = match case.fee() {
        None => "无",
        Some(f) if f.paid_on.is_none() => "已通知",
        Some(_) => "已缴",
    };
    let reasons = if case.events().iter().any(|e| matches!(e, CaseEvent::ReasonsRequested { .. })) {
        "已要求"
    } else {
        "无"
    };
    format!("{}｜延期:{ext} 补正:{corr} 收费:{fee} 说明理由:{reasons}", case.phase().zh())
}

#[test]
fn transition_table() {
    let cal = Calendar::official();
    let policy = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &policy };
    let today = date(2026, 6, 30);
    let intake = Intake {
        id: CaseId("T-1".into()),
        applicant_type: ApplicantType::NATURAL_PERSON,
        applicant_key: "A1".into(),
        channel: Channel::InPerson { submitted: date(2024, 3, 1) },
        request: "某文件".into(),
    };
    let start = Case::open(intake, today, env).expect("opens");
    let mut seen: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut order = Vec::new();
    let mut queue = VecDeque::from([start]);
    while let Some(case) = queue.pop_front() {
        let key = label(&case);
        if seen.contains_key(&key) {
            continue;
        }
        let mut row = Vec::new();
        for col in COLUMNS {
            let result = match case.apply(event(col, &case, &cal), today, env) {
                Ok(next) => {
                    let l = format!("→ {}", label(&next));
                    queue.push_back(next);
                    l
                }
                Err(e) => format!("✗ {}", e.reason.zh()),
            };
            row.push(((*col).to_owned(), result));
        }
        order.push(key.clone());
        seen.insert(key, row);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{} states × {} events\n", order.len(), COLUMNS.len());
    for key in &order {
        let _ = writeln!(out, "## {key}");
        for (col, result) in &seen[key] {
            let _ = writeln!(out, "  {col}  {result}");
        }
        out.push('\n');
    }
    // Every phase is reachable, and the closed states refuse everything.
    for phase in Phase::ALL {
        assert!(order.iter().any(|k| k.starts_with(phase.zh())), "{} unreachable", phase.zh());
    }
    insta::assert_snapshot!(out);
}
