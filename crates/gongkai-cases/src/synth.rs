//! Synthetic registers: reproducible, realistic-looking years of casework for examples,
//! benchmarks and property tests. Every record is produced through [`Case::apply`] and
//! [`ProactiveItem::publish`], so a synthetic register is valid by construction.
//!
//! The generator is a small seeded SplitMix64: the same seed gives the same register on every
//! platform. Names and contacts are obviously fake (`申请人0001`).

use gongkai_model::T3Row;
use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::case::{Case, Env, Phase};
use crate::event::{Answer, CaseEvent, Party};
use crate::fee::FeeMethod;
use crate::intake::{ApplicantType, CaseId, Channel, Intake, Outcome, PersonalData};
use crate::register::Register;
use crate::registers::{
    Category, DecisionKind, DecisionTally, Dispute, DisputeKind, DisputeResult, DocKind,
    FeeCollected, NormativeDoc, ProactiveItem, PublishChannel,
};

/// A seeded SplitMix64 generator.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An index chosen with the given weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The agency.
    pub agency: String,
    /// First day applications may arrive.
    pub from: Date,
    /// The register's "today": no event happens after it, so cases still running stay open.
    pub as_of: Date,
    /// Number of applications.
    pub cases: usize,
    /// Number of proactive items.
    pub proactive_items: usize,
    /// Whether the first closed cases cycle through all 21 outcomes (so every row is exercised).
    pub every_outcome: bool,
    /// Whether to include records other than applications (documents, decisions, fees, disputes).
    pub other_registers: bool,
}

impl Plan {
    /// Days from `from` to `as_of` (at least 1).
    fn days(&self) -> u64 {
        let d = self.from.until(self.as_of).map(|s| s.get_days()).unwrap_or(0).max(1);
        u64::try_from(d).unwrap_or(1)
    }
}

/// Outcome weights for replies, by Table 3 row (realistic proportions for a county department).
const REPLY_OUTCOMES: &[(T3Row, u64)] = &[
    (T3Row::Granted, 380),
    (T3Row::PartiallyGranted, 90),
    (T3Row::WithheldStateSecret, 3),
    (T3Row::WithheldProhibitedByLaw, 5),
    (T3Row::WithheldThreeSafeties, 4),
    (T3Row::WithheldThirdParty, 12),
    (T3Row::WithheldInternalAffairs, 10),
    (T3Row::WithheldProcessInfo, 20),
    (T3Row::WithheldEnforcementFiles, 8),
    (T3Row::WithheldInquiry, 10),
    (T3Row::UnableNotHeld, 220),
    (T3Row::UnableNeedsCreation, 30),
    (T3Row::NotProcessedPetition, 30),
    (T3Row::NotProcessedDuplicate, 25),
    (T3Row::NotProcessedPublications, 5),
    (T3Row::NotProcessedConfirm, 8),
];

/// Generates a register under `plan`, replaying every event through the state machine.
pub fn register(seed: u64, plan: &Plan, env: Env<'_>) -> Register {
    let mut rng = Rng::new(seed);
    let mut reg = Register::new(plan.agency.clone());
    let days = plan.days();
    let mut forced =
        if plan.every_outcome { Outcome::all().collect::<Vec<_>>() } else { Vec::new() };
    forced.reverse();
    // A few frequent applicants make per-application fees plausible.
    let applicants = (plan.cases / 3).max(1) as u64;
    for i in 0..plan.cases {
        let received = add_days(plan.from, rng.below(days));
        let Some(received) = next_working(env, received).filter(|d| *d <= plan.as_of) else {
            continue;
        };
        let ty = ApplicantType::all()
            .nth(rng.weighted(&[820, 90, 10, 20, 40, 20]))
            .unwrap_or(ApplicantType::NATURAL_PERSON);
        let applicant = rng.below(applicants);
        let channel = match rng.weighted(&[30, 15, 5, 45, 3, 2]) {
            0 => Channel::InPerson { submitted: received },
            1 => Channel::RegisteredPost { signed_for: received },
            2 => Channel::OrdinaryLetter { arrived: received, confirmed: received },
            3 => Channel::Online { confirmed: received },
            4 => Channel::Fax { confirmed: received },
            _ => Channel::Oral { recorded: received },
        };
        let id = CaseId(format!("YSQ-{}-{:05}", received.year(), i + 1));
        let intake = Intake {
            id: id.clone(),
            applicant_type: ty,
            applicant_key: format!("A{applicant:05}"),
            channel,
            request: format!(
                "申请公开{}相关政府信息",
                ["征地补偿", "项目审批", "行政处罚", "财政预算", "规划许可", "房屋征收"]
                    [rng.below(6) as usize]
            ),
        };
        let Ok(case) = Case::open(intake, plan.as_of, env) else { continue };
        let want = forced.last().copied();
        let case = run(&mut rng, case, plan.as_of, env, want);
        if want.is_some() && case.outcome() == want {
            forced.pop();
        }
        reg.personal.push(PersonalData {
            case: id,
            name: format!("申请人{applicant:04}"),
            contact: format!("138****{:04}", applicant % 10_000),
            id_document: None,
        });
        reg.cases.push(case.record());
    }
    items(&mut rng, plan, env, &mut reg);
    if plan.other_registers {
        others(&mut rng, plan, &mut reg);
    }
    reg
}

fn add_days(d: Date, n: u64) -> Date {
    d.checked_add(jiff::Span::new().days(i64::try_from(n).unwrap_or(0))).unwrap_or(d)
}

fn next_working(env: Env<'_>, d: Date) -> Option<Date> {
    let cal = env.calendar;
    if cal.is_working_day(d).ok()? { Some(d) } else { cal.add_working_days(d, 1).ok() }
}

/// Drives one case: a random, mostly legal walk. Events that would fall after `as_of` are not
/// generated, so the case stays open.
fn run(rng: &mut Rng, mut case: Case, as_of: Date, env: Env<'_>, want: Option<Outcome>) -> Case {
    let cal = env.calendar;
    let later = |rng: &mut Rng, case: &Case, lo: u64, hi: u64| -> Option<Date> {
        let last = case.events().last().map_or(case.received(), CaseEvent::on);
        let n = lo + rng.below(hi - lo + 1);
        cal.add_working_days(last, u32::try_from(n).unwrap_or(1)).ok().filter(|d| *d <= as_of)
    };
    if want == Some(Outcome::OTHER) {
        // The `other_other` row: a withdrawal.
        if let Some(on) = later(rng, &case, 1, 3)
            && let Ok(c) = case.apply(CaseEvent::Withdrawn { on }, as_of, env)
        {
            return c;
        }
    }
    for _step in 0..16 {
        let event = match case.phase() {
            Phase::Closed => break,
            Phase::Processing => {
                let first = case.events().is_empty();
                let r = rng.below(100);
                if first && r < 9 {
                    let Some(on) = later(rng, &case, 1, 6) else { break };
                    let deadline = cal.add_working_days(on, 15).unwrap_or(on);
                    CaseEvent::CorrectionRequested {
                        on,
                        deadline,
                        items: "请明确所需信息的名称或文号".into(),
                    }
                } else if first && r < 12 {
                    let Some(on) = later(rng, &case, 1, 5) else { break };
                    CaseEvent::ReasonsRequested { on }
                } else if r < 18 && case.consultations().is_empty() {
                    let Some(on) = later(rng, &case, 2, 8) else { break };
                    let party = if rng.chance(70) { Party::ThirdParty } else { Party::CoProducer };
                    CaseEvent::ConsultationOpened { on, party, with: "相关企业".into() }
                } else if r < 22 && case.extension().is_none() {
                    let Some(on) = later(rng, &case, 10, 18) else { break };
                    CaseEvent::ExtensionApproved {
                        on, approved_by: "办公室主任".into(), days: 20
                    }
                } else if r < 25 && case.fee().is_none() {
                    let Some(on) = later(rng, &case, 3, 10) else { break };
                    let method =
                        if rng.chance(50) { FeeMethod::PerPage } else { FeeMethod::PerApplication };
                    CaseEvent::FeeNoticeIssued {
                        on,
                        amount_yuan: Decimal::from(100 * (1 + rng.below(20))),
                        method,
                    }
                } else if r < 27 {
                    let Some(on) = later(rng, &case, 1, 10) else { break };
                    CaseEvent::Withdrawn { on }
                } else {
                    // Mostly on time; a few late.
                    let Some(on) = (if rng.chance(93) {
                        later(rng, &case, 1, 19)
                    } else {
                        later(rng, &case, 21, 35)
                    }) else {
                        break;
                    };
                    let corrected = case.correction().and_then(|c| c.corrected_on).is_some();
                    let outcome = match want {
                        Some(o)
                            if o != Outcome::OVERDUE_CORRECTION
                                && o != Outcome::UNPAID_FEE
                                && o != Outcome::MASS_REPETITIVE
                                && o != Outcome::OTHER
                                && (o != Outcome::UNCLEAR || corrected) =>
                        {
                            o
                        }
                        _ if corrected && rng.chance(20) => Outcome::UNCLEAR,
                        _ => {
                            let weights: Vec<u64> = REPLY_OUTCOMES.iter().map(|x| x.1).collect();
                            Outcome::new(REPLY_OUTCOMES[rng.weighted(&weights)].0)
                                .unwrap_or(Outcome::GRANTED)
                        }
                    };
                    CaseEvent::Replied { on, outcome }
                }
            }
            Phase::AwaitingCorrection => {
                let deadline = case.correction().map(|c| c.deadline);
                if rng.chance(if want == Some(Outcome::OVERDUE_CORRECTION) { 0 } else { 70 }) {
                    let Some(on) = later(rng, &case, 1, 12) else { break };
                    CaseEvent::Corrected { on }
                } else {
                    let Some(on) = deadline
                        .and_then(|d| cal.add_working_days(d, 1).ok())
                        .filter(|d| *d <= as_of)
                    else {
                        break;
                    };
                    CaseEvent::CorrectionLapsed { on }
                }
            }
            Phase::Consulting => {
                let answer =
                    [Answer::Consent, Answer::Objection, Answer::NoReply][rng.below(3) as usize];
                let on = if answer == Answer::NoReply {
                    case.consultations()
                        .last()
                        .and_then(|c| cal.add_working_days(c.answer_due, 1).ok())
                        .filter(|d| *d <= as_of)
                } else {
                    later(rng, &case, 2, 14)
                };
                let Some(on) = on else { break };
                CaseEvent::ConsultationAnswered { on, answer }
            }
            Phase::AwaitingFee => {
                let deadline = case.fee().map(|f| f.deadline);
                if rng.chance(if want == Some(Outcome::UNPAID_FEE) { 0 } else { 60 }) {
                    let Some(on) =
                        later(rng, &case, 1, 10).filter(|d| deadline.is_some_and(|x| *d <= x))
                    else {
                        break;
                    };
                    CaseEvent::FeePaid { on }
                } else {
                    let Some(on) = deadline
                        .and_then(|d| cal.add_working_days(d, 1).ok())
                        .filter(|d| *d <= as_of)
                    else {
                        break;
                    };
                    CaseEvent::FeeLapsed { on }
                }
            }
            Phase::AwaitingReasons => {
                let Some(on) = later(rng, &case, 2, 10) else { break };
                if want == Some(Outcome::MASS_REPETITIVE) || rng.chance(50) {
                    CaseEvent::Replied { on, outcome: Outcome::MASS_REPETITIVE }
                } else {
                    CaseEvent::ReasonsAccepted { on, longer_due: cal.add_working_days(on, 30).ok() }
                }
            }
        };
        // An illegal choice (e.g. an extension after the deadline) is skipped: choose again.
        if let Ok(c) = case.apply(event, as_of, env) {
            case = c;
        }
    }
    case
}

fn items(rng: &mut Rng, plan: &Plan, env: Env<'_>, reg: &mut Register) {
    let days = plan.days();
    let categories = [1u8, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14];
    for i in 0..plan.proactive_items {
        let created = add_days(plan.from, rng.below(days));
        let Some(created) = next_working(env, created).filter(|d| *d <= plan.as_of) else {
            continue;
        };
        let category = Category::art20(categories[rng.below(categories.len() as u64) as usize])
            .unwrap_or(Category::Art21);
        let item = ProactiveItem::new(
            format!("ZD-{}-{:04}", created.year(), i + 1),
            format!("主动公开信息{:04}", i + 1),
            category,
            created,
        );
        // The catalogue's fields, on every other item (no random draw: the rest of the
        // register stays as it was).
        let item = if i % 2 == 0 {
            ProactiveItem {
                subject: Some(["财政预决算", "教育", "综合政务"][i % 3].to_owned()),
                written: Some(created),
                number: Some(format!("某发〔{}〕{}号", created.year(), i + 1)),
                validity: Some(crate::registers::Validity::InForce),
                text: Some(format!("主动公开信息{:04}的正文。", i + 1)),
                ..item
            }
        } else {
            item
        };
        let cal = env.calendar;
        let Some(reviewed) = cal
            .add_working_days(created, 1 + rng.below(5) as u32)
            .ok()
            .filter(|d| *d <= plan.as_of)
        else {
            continue;
        };
        let Ok(mut item) = item.reviewed(reviewed, "保密审查员") else { continue };
        let Some(on) =
            cal.add_working_days(reviewed, rng.below(8) as u32).ok().filter(|d| *d <= plan.as_of)
        else {
            continue;
        };
        let channels: &[PublishChannel] = match rng.weighted(&[55, 30, 10, 5]) {
            0 => &[PublishChannel::Portal],
            1 => &[PublishChannel::Wechat],
            2 => &[PublishChannel::Portal, PublishChannel::Wechat],
            _ => &[PublishChannel::Bulletin],
        };
        for ch in channels {
            if let Ok(x) = item.clone().publish(on, ch.clone()) {
                item = x;
            }
        }
        reg.proactive.push(item);
    }
}

fn others(rng: &mut Rng, plan: &Plan, reg: &mut Register) {
    let days = plan.days();
    for i in 0..(6 + rng.below(6)) {
        let issued = add_days(plan.from, rng.below(days));
        let repealed = if rng.chance(15) {
            Some(add_days(issued, 30 + rng.below(200))).filter(|d| *d <= plan.as_of)
        } else {
            None
        };
        reg.documents.push(NormativeDoc {
            id: format!("GF-{:03}", i + 1),
            kind: if i == 0 { DocKind::Regulation } else { DocKind::NormativeDocument },
            title: format!("关于加强某项管理工作的通知（{}）", i + 1),
            number: format!("某政规〔{}〕{}号", issued.year(), i + 1),
            issued,
            repealed,
        });
    }
    let mut month = plan.from.first_of_month();
    while month <= plan.as_of {
        for (kind, max) in [
            (DecisionKind::Licensing, 120),
            (DecisionKind::Penalty, 30),
            (DecisionKind::Coercion, 4),
        ] {
            reg.decisions.push(DecisionTally {
                kind,
                date: month.last_of_month(),
                count: rng.below(max),
            });
        }
        reg.fees_collected.push(FeeCollected {
            date: month.last_of_month(),
            item: "不动产登记费".into(),
            amount_yuan: Decimal::new(i64::try_from(rng.below(5_000_000)).unwrap_or(0), 2),
        });
        let Ok(next) = month.checked_add(jiff::Span::new().months(1)) else { break };
        month = next;
    }
    for i in 0..(3 + rng.below(5)) {
        let filed = add_days(plan.from, rng.below(days));
        let kind = [
            DisputeKind::Review,
            DisputeKind::LitigationDirect,
            DisputeKind::LitigationAfterReview,
        ][rng.weighted(&[6, 3, 1])];
        let concluded_on = add_days(filed, 40 + rng.below(120));
        let result = [DisputeResult::Upheld, DisputeResult::Corrected, DisputeResult::Other]
            [rng.weighted(&[6, 2, 2])];
        reg.disputes.push(Dispute {
            id: format!("FY-{:03}", i + 1),
            kind,
            filed,
            case: None,
            concluded: (concluded_on <= plan.as_of).then_some((concluded_on, result)),
        });
    }
}
