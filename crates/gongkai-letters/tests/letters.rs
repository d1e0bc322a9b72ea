//! Each kind of letter from a case built through `Case::apply`: the facts appear (dates computed
//! by the calendar, the article cited, the outcome's wording), the letters a phase does not allow
//! are refused, and each letter's text is a snapshot.
#![allow(clippy::unwrap_used, reason = "tests")]

mod support;

use gongkai_calendar::date;
use gongkai_cases::fee::FeeMethod;
use gongkai_cases::{Answer, CaseEvent, Outcome, Party, Phase};
use gongkai_letters::{LetterError, LetterKind, Refusal, available, build, format_date};
use gongkai_model::{Lang, Localized, T3Row};
use rust_decimal::Decimal;
use support::{case, facts, personal, text};

fn correction_requested() -> CaseEvent {
    CaseEvent::CorrectionRequested {
        on: date(2025, 3, 5),
        deadline: date(2025, 3, 19),
        items: "请写明所需方案的名称、文号或者批准机关".into(),
    }
}

fn reply(outcome: Outcome) -> CaseEvent {
    CaseEvent::Replied { on: date(2025, 3, 25), outcome }
}

fn row(r: T3Row) -> Outcome {
    Outcome::new(r).unwrap()
}

#[test]
fn correction_states_items_deadline_and_consequence() {
    let c = case(vec![correction_requested()]);
    let p = personal();
    let l =
        build(LetterKind::Correction, &facts(&c, Some(&p), date(2025, 3, 5)), Lang::Zh).unwrap();
    let t = text(&l);
    assert_eq!(l.recipient, "张三：");
    assert_eq!(l.dates.deadline, Some(date(2025, 3, 19)));
    assert_eq!(l.dates.deadline, c.correction().map(|x| x.deadline));
    for want in [
        "第三十条",
        "请写明所需方案的名称",
        "2025年3月19日前（10个工作日内）",
        "视为放弃申请",
        "2025年3月3日",
    ] {
        assert!(t.contains(want), "{want} not in\n{t}");
    }
    insta::assert_snapshot!("correction_zh", t);
    let en =
        build(LetterKind::Correction, &facts(&c, Some(&p), date(2025, 3, 5)), Lang::En).unwrap();
    insta::assert_snapshot!("correction_en", text(&en));
}

#[test]
fn extension_states_the_new_deadline_from_the_calendar() {
    let c = case(vec![CaseEvent::ExtensionApproved {
        on: date(2025, 3, 25),
        approved_by: "李主任".into(),
        days: 20,
    }]);
    // 40 working days from 3 March 2025: 清明 (4 April) off, Sunday 27 April worked.
    let due = support::calendar().add_working_days(date(2025, 3, 3), 40).unwrap();
    assert_eq!(due, date(2025, 4, 28));
    assert_eq!(c.reply_due(), Some(due));
    let l = build(LetterKind::Extension, &facts(&c, None, date(2025, 3, 25)), Lang::Zh).unwrap();
    let t = text(&l);
    assert_eq!(l.dates.deadline, Some(due));
    for want in [
        "第三十三条第二款",
        "延长20个工作日",
        "2025年4月28日前",
        "【请填写：申请人姓名或者名称】：",
    ] {
        assert!(t.contains(want), "{want} not in\n{t}");
    }
    insta::assert_snapshot!("extension_zh", t);
    let en = build(LetterKind::Extension, &facts(&c, None, date(2025, 3, 25)), Lang::En).unwrap();
    insta::assert_snapshot!("extension_en", text(&en));
}

#[test]
fn consultation_gives_15_working_days_and_hides_the_applicant() {
    let c = case(vec![CaseEvent::ConsultationOpened {
        on: date(2025, 3, 10),
        party: Party::ThirdParty,
        with: "某房地产开发有限公司".into(),
    }]);
    let p = personal();
    let l =
        build(LetterKind::Consultation, &facts(&c, Some(&p), date(2025, 3, 10)), Lang::Zh).unwrap();
    let t = text(&l);
    assert_eq!(l.recipient, "某房地产开发有限公司：");
    assert_eq!(l.dates.deadline, Some(date(2025, 3, 31)));
    assert_eq!(l.dates.deadline, c.consultations().last().map(|x| x.answer_due));
    for want in ["第三十二条", "15个工作日内（2025年3月31日前）", "不同意公开且有合理理由"]
    {
        assert!(t.contains(want), "{want} not in\n{t}");
    }
    assert!(!t.contains("张三") && !t.contains("13800000000"), "personal data in\n{t}");
    insta::assert_snapshot!("consultation_zh", t);
    let en =
        build(LetterKind::Consultation, &facts(&c, Some(&p), date(2025, 3, 10)), Lang::En).unwrap();
    insta::assert_snapshot!("consultation_en", text(&en));
}

#[test]
fn co_producer_consultation_cites_article_34() {
    let c = case(vec![CaseEvent::ConsultationOpened {
        on: date(2025, 3, 10),
        party: Party::CoProducer,
        with: "某县财政局".into(),
    }]);
    let l = build(LetterKind::Consultation, &facts(&c, None, date(2025, 3, 11)), Lang::Zh).unwrap();
    let t = text(&l);
    assert!(t.contains("第三十四条") && t.contains("视为同意公开"), "{t}");
}

#[test]
fn fee_notice_states_amount_standard_and_window() {
    let c = case(vec![CaseEvent::FeeNoticeIssued {
        on: date(2025, 3, 10),
        amount_yuan: Decimal::from(5500),
        method: FeeMethod::PerApplication,
    }]);
    let p = personal();
    let l =
        build(LetterKind::FeeNotice, &facts(&c, Some(&p), date(2025, 3, 10)), Lang::Zh).unwrap();
    let t = text(&l);
    // 20 working days from 10 March 2025, 清明 (4 April) off.
    assert_eq!(l.dates.deadline, Some(date(2025, 4, 8)));
    assert_eq!(l.dates.deadline, c.fee().map(|f| f.deadline));
    for want in [
        "第四十二条",
        "国办函〔2020〕109号",
        "按件计收",
        "人民币5500元",
        "20个工作日内（2025年4月8日前）",
        "11—30件每件100元",
    ] {
        assert!(t.contains(want), "{want} not in\n{t}");
    }
    insta::assert_snapshot!("fee_zh", t);
    let en =
        build(LetterKind::FeeNotice, &facts(&c, Some(&p), date(2025, 3, 10)), Lang::En).unwrap();
    insta::assert_snapshot!("fee_en", text(&en));
}

/// Every outcome a reply can record, with the article its letter must cite.
const REPLY_ARTICLES: &[(T3Row, &str)] = &[
    (T3Row::Granted, "第三十六条第（二）项"),
    (T3Row::PartiallyGranted, "第三十七条"),
    (T3Row::WithheldStateSecret, "第十四条和第三十六条第（三）项"),
    (T3Row::WithheldProhibitedByLaw, "第十四条和第三十六条第（三）项"),
    (T3Row::WithheldThreeSafeties, "第十四条和第三十六条第（三）项"),
    (T3Row::WithheldThirdParty, "第十五条和第三十六条第（三）项"),
    (T3Row::WithheldInternalAffairs, "第十六条第一款"),
    (T3Row::WithheldProcessInfo, "第十六条第二款"),
    (T3Row::WithheldEnforcementFiles, "第十六条第二款"),
    (T3Row::WithheldInquiry, "第三十六条第（七）项"),
    (T3Row::UnableNotHeld, "第三十六条第（四）项"),
    (T3Row::UnableNeedsCreation, "第三十八条"),
    (T3Row::NotProcessedPetition, "第三十九条第一款"),
    (T3Row::NotProcessedDuplicate, "第三十六条第（六）项"),
    (T3Row::NotProcessedPublications, "第三十九条第二款"),
    (T3Row::NotProcessedConfirm, "不作为政府信息公开申请处理"),
    (T3Row::OtherOther, "【请填写：处理情况及依据】"),
];

#[test]
fn each_reply_cites_its_outcome_row_and_the_remedies() {
    let p = personal();
    let mut all = String::new();
    for (r, article) in REPLY_ARTICLES {
        let c = case(vec![reply(row(*r))]);
        let l =
            build(LetterKind::Reply, &facts(&c, Some(&p), date(2025, 3, 25)), Lang::Zh).unwrap();
        let t = text(&l);
        assert_eq!(l.outcome, Some(row(*r)));
        assert_eq!(l.title, "政府信息公开申请答复书");
        for want in [*article, "60日内", "行政复议", "6个月内", "行政诉讼", "第五十一条"]
        {
            assert!(t.contains(want), "{r:?}: {want} not in\n{t}");
        }
        let en =
            build(LetterKind::Reply, &facts(&c, Some(&p), date(2025, 3, 25)), Lang::En).unwrap();
        assert!(text(&en).contains("60 days") && text(&en).contains("6 months"), "{r:?}");
        all.push_str(&format!("## {}\n{}\n\n{}\n\n", r.key(), l.paragraphs[1], en.paragraphs[1]));
    }
    insta::assert_snapshot!("reply_decisions", all);
}

#[test]
fn special_replies_follow_their_history() {
    let p = personal();
    let f = |c| facts(c, Some(&p), date(2025, 12, 1));
    // 补正后仍不明确 (第三十条), after the correction arrived.
    let c = case(vec![
        correction_requested(),
        CaseEvent::Corrected { on: date(2025, 3, 10) },
        reply(Outcome::UNCLEAR),
    ]);
    let t = text(&build(LetterKind::Reply, &f(&c), Lang::Zh).unwrap());
    assert!(t.contains("于2025年3月10日收到补正后的申请") && t.contains("第三十条"), "{t}");
    // 无正当理由大量反复申请 (第三十五条), after reasons were requested.
    let c = case(vec![
        CaseEvent::ReasonsRequested { on: date(2025, 3, 6) },
        reply(Outcome::MASS_REPETITIVE),
    ]);
    let t = text(&build(LetterKind::Reply, &f(&c), Lang::Zh).unwrap());
    assert!(t.contains("于2025年3月6日要求您说明理由") && t.contains("第三十五条"), "{t}");
    // 逾期不补正: a notice, no remedies needed for the lapse itself.
    let c =
        case(vec![correction_requested(), CaseEvent::CorrectionLapsed { on: date(2025, 3, 20) }]);
    let l = build(LetterKind::Reply, &f(&c), Lang::Zh).unwrap();
    assert_eq!(l.title, "政府信息公开申请告知书");
    assert!(text(&l).contains("补正期限至2025年3月19日") && text(&l).contains("第三十条"));
    // 逾期未缴费 (第四十二条).
    let c = case(vec![
        CaseEvent::FeeNoticeIssued {
            on: date(2025, 3, 10),
            amount_yuan: Decimal::from(100),
            method: FeeMethod::PerPage,
        },
        CaseEvent::FeeLapsed { on: date(2025, 4, 9) },
    ]);
    let t = text(&build(LetterKind::Reply, &f(&c), Lang::Zh).unwrap());
    assert!(t.contains("缴费期限至2025年4月8日") && t.contains("第四十二条"), "{t}");
    // A withheld reply after a third party objected tells of the consultation, not who it was.
    let c = case(vec![
        CaseEvent::ConsultationOpened {
            on: date(2025, 3, 10),
            party: Party::ThirdParty,
            with: "某房地产开发有限公司".into(),
        },
        CaseEvent::ConsultationAnswered { on: date(2025, 3, 20), answer: Answer::Objection },
        reply(row(T3Row::WithheldThirdParty)),
    ]);
    let t = text(&build(LetterKind::Reply, &f(&c), Lang::Zh).unwrap());
    assert!(t.contains("征求了第三方的意见") && !t.contains("某房地产"), "{t}");
    // Withdrawn.
    let c = case(vec![CaseEvent::Withdrawn { on: date(2025, 3, 12) }]);
    let t = text(&build(LetterKind::Reply, &f(&c), Lang::Zh).unwrap());
    assert!(t.contains("于2025年3月12日撤回"), "{t}");
}

#[test]
fn letters_a_phase_does_not_allow_are_refused() {
    let on = date(2025, 12, 1);
    let consulting = vec![
        CaseEvent::ExtensionApproved {
            on: date(2025, 3, 5),
            approved_by: "李主任".into(),
            days: 5,
        },
        CaseEvent::ConsultationOpened {
            on: date(2025, 3, 10),
            party: Party::ThirdParty,
            with: "甲公司".into(),
        },
    ];
    let fee = CaseEvent::FeeNoticeIssued {
        on: date(2025, 3, 10),
        amount_yuan: Decimal::from(10),
        method: FeeMethod::PerPage,
    };
    let rows: Vec<(Vec<CaseEvent>, Phase, Vec<LetterKind>)> = vec![
        (vec![], Phase::Processing, vec![]),
        (vec![correction_requested()], Phase::AwaitingCorrection, vec![LetterKind::Correction]),
        (
            vec![correction_requested(), CaseEvent::Corrected { on: date(2025, 3, 10) }],
            Phase::Processing,
            vec![],
        ),
        (consulting, Phase::Consulting, vec![LetterKind::Consultation]),
        (vec![fee], Phase::AwaitingFee, vec![LetterKind::FeeNotice]),
        (
            vec![
                CaseEvent::ExtensionApproved {
                    on: date(2025, 3, 5),
                    approved_by: "李主任".into(),
                    days: 5,
                },
                reply(Outcome::GRANTED),
            ],
            Phase::Closed,
            vec![LetterKind::Reply],
        ),
        (vec![correction_requested(), reply_lapse()], Phase::Closed, vec![LetterKind::Reply]),
    ];
    for (events, phase, want) in rows {
        let c = case(events);
        assert_eq!(c.phase(), phase);
        let f = facts(&c, None, on);
        assert_eq!(available(&f), want, "{phase:?}");
        for k in LetterKind::ALL.into_iter().filter(|k| !want.contains(k)) {
            let e = build(k, &f, Lang::Zh).unwrap_err();
            assert!(matches!(e, LetterError::Refused { kind, .. } if kind == k), "{e}");
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
    }
}

fn reply_lapse() -> CaseEvent {
    CaseEvent::CorrectionLapsed { on: date(2025, 3, 20) }
}

#[test]
fn extension_while_consulting_names_the_stopped_clock() {
    let c = case(vec![
        CaseEvent::ExtensionApproved {
            on: date(2025, 3, 5),
            approved_by: "李主任".into(),
            days: 5,
        },
        CaseEvent::ConsultationOpened {
            on: date(2025, 3, 10),
            party: Party::ThirdParty,
            with: "甲".into(),
        },
    ]);
    let e =
        build(LetterKind::Extension, &facts(&c, None, date(2025, 3, 10)), Lang::Zh).unwrap_err();
    assert!(matches!(e, LetterError::Refused { reason: Refusal::ClockStopped, .. }), "{e}");
    assert!(e.message(Lang::Zh).contains("暂停"), "{e}");
}

#[test]
fn extension_with_a_deadline_past_the_calendar_says_it_is_pending() {
    let y = support::calendar().years().1;
    let today = date(y, 12, 1);
    let intake = gongkai_cases::Intake {
        channel: gongkai_cases::Channel::InPerson { submitted: date(y, 11, 20) },
        ..support::intake()
    };
    let opened = gongkai_cases::Case::open(intake, today, support::env()).unwrap();
    let extended =
        CaseEvent::ExtensionApproved { on: today, approved_by: "李主任".into(), days: 20 };
    let c = opened.apply(extended, today, support::env()).unwrap();
    let e = build(LetterKind::Extension, &facts(&c, None, today), Lang::Zh).unwrap_err();
    let after = date(y, 12, 31);
    assert!(
        matches!(e, LetterError::Refused { reason: Refusal::DeadlinePending { after: a }, .. } if a == after),
        "{e}"
    );
    assert!(e.message(Lang::Zh).contains(&format!("载入{}年节假日安排", y + 1)), "{e}");
    assert!(e.message(Lang::En).contains(&format!("the {} holiday notice", y + 1)), "{e}");
}

#[test]
fn a_letter_dated_before_its_event_is_refused() {
    let c = case(vec![correction_requested()]);
    let e =
        build(LetterKind::Correction, &facts(&c, None, date(2025, 3, 4)), Lang::Zh).unwrap_err();
    assert_eq!(
        e,
        LetterError::Refused {
            kind: LetterKind::Correction,
            phase: Phase::AwaitingCorrection,
            reason: Refusal::BeforeEvent { event_on: date(2025, 3, 5) },
        }
    );
    assert!(e.message(Lang::Zh).contains(&format_date(date(2025, 3, 5), Lang::Zh)));
}

#[test]
fn personal_data_of_another_case_is_refused() {
    let c = case(vec![correction_requested()]);
    let mut p = personal();
    p.case = gongkai_cases::CaseId("YSQ-2025-00008".into());
    let e = build(LetterKind::Correction, &facts(&c, Some(&p), date(2025, 3, 5)), Lang::Zh);
    assert!(matches!(e, Err(LetterError::PersonalDataMismatch { .. })), "{e:?}");
}

#[test]
fn english_letters_are_english_apart_from_the_facts() {
    let mut intake = support::intake();
    intake.request = "the 2024 compensation plan".into();
    let mut p = personal();
    p.name = "Zhang San".into();
    let cases = [
        (
            LetterKind::Correction,
            vec![CaseEvent::CorrectionRequested {
                on: date(2025, 3, 5),
                deadline: date(2025, 3, 19),
                items: "the title or number of the plan".into(),
            }],
        ),
        (
            LetterKind::Extension,
            vec![CaseEvent::ExtensionApproved {
                on: date(2025, 3, 5),
                approved_by: "Li".into(),
                days: 5,
            }],
        ),
        (
            LetterKind::Consultation,
            vec![CaseEvent::ConsultationOpened {
                on: date(2025, 3, 10),
                party: Party::ThirdParty,
                with: "Company A".into(),
            }],
        ),
        (
            LetterKind::FeeNotice,
            vec![CaseEvent::FeeNoticeIssued {
                on: date(2025, 3, 10),
                amount_yuan: Decimal::from(10),
                method: FeeMethod::PerPage,
            }],
        ),
    ];
    let mut all: Vec<(LetterKind, Vec<CaseEvent>)> = cases.into_iter().collect();
    for (r, _) in REPLY_ARTICLES {
        all.push((LetterKind::Reply, vec![reply(row(*r))]));
    }
    for (kind, events) in all {
        let c = support::case_with(intake.clone(), events);
        let f =
            gongkai_letters::Facts { agency: "Agency A", ..facts(&c, Some(&p), date(2025, 12, 1)) };
        let l = build(kind, &f, Lang::En).unwrap();
        for line in text(&l).lines() {
            gongkai_testkit::lang::assert_english(line);
        }
    }
}

#[test]
fn an_edited_letter_round_trips_through_json() {
    let c = case(vec![correction_requested()]);
    let mut l =
        build(LetterKind::Correction, &facts(&c, None, date(2025, 3, 5)), Lang::Zh).unwrap();
    assert_eq!(l.placeholders(), ["【请填写：申请人姓名或者名称】"]);
    l.recipient = "李四：".into();
    l.doc_number = "某自然资源公开〔2025〕12号".into();
    l.paragraphs.push("联系人：王五，电话：0000-0000000。".into());
    assert!(l.placeholders().is_empty());
    let json = serde_json::to_string(&l).unwrap();
    let back: gongkai_letters::Letter = serde_json::from_str(&json).unwrap();
    assert_eq!(back, l);
    assert!(json.contains("\"kind\":\"correction\"") && json.contains("\"lang\":\"zh\""), "{json}");
}
