//! Register → rows of the template (header first), for writing a filled-in register back out.

use gongkai_cases::registers::PublishChannel;
use gongkai_cases::{CaseEvent, Channel, Register};

use crate::template::Sheet;
use crate::vocab::{self, ChannelKind, Ending};

/// The header row: column names, required ones marked with `*`.
pub fn header(sheet: Sheet) -> Vec<String> {
    sheet
        .columns()
        .iter()
        .map(|c| if c.required { format!("{}*", c.name) } else { c.name.to_owned() })
        .collect()
}

/// The sheet's rows for `register`, header first; every value as text.
pub fn rows(register: &Register, sheet: Sheet) -> Vec<Vec<String>> {
    let cols = sheet.columns();
    let mut out = vec![header(sheet)];
    let mut push = |values: &[(&str, String)]| {
        let row = cols
            .iter()
            .map(|c| {
                values
                    .iter()
                    .find(|(k, _)| *k == c.name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        out.push(row);
    };
    match sheet {
        Sheet::Applications => {
            for rec in &register.cases {
                let i = &rec.intake;
                let person = register.personal.iter().find(|p| p.case == i.id);
                let mut v: Vec<(&str, String)> = vec![
                    ("登记编号", i.id.0.clone()),
                    ("申请人类型", vocab::APPLICANTS.label(&i.applicant_type.col()).to_owned()),
                    ("申请人编号", i.applicant_key.clone()),
                    ("申请人姓名或名称", person.map(|p| p.name.clone()).unwrap_or_default()),
                    ("联系方式", person.map(|p| p.contact.clone()).unwrap_or_default()),
                    ("申请内容", i.request.clone()),
                ];
                let (kind, arrived, confirmed) = match i.channel {
                    Channel::InPerson { submitted } => (ChannelKind::InPerson, submitted, None),
                    Channel::RegisteredPost { signed_for } => (ChannelKind::Post, signed_for, None),
                    Channel::OrdinaryLetter { arrived, confirmed } => {
                        (ChannelKind::Letter, arrived, Some(confirmed))
                    }
                    Channel::Online { confirmed } => {
                        (ChannelKind::Online, confirmed, Some(confirmed))
                    }
                    Channel::Fax { confirmed } => (ChannelKind::Fax, confirmed, Some(confirmed)),
                    Channel::Oral { recorded } => (ChannelKind::Oral, recorded, None),
                };
                v.push(("提交方式", vocab::CHANNELS.label(&kind).to_owned()));
                v.push(("到达日期", arrived.to_string()));
                v.push(("确认日期", confirmed.map(|d| d.to_string()).unwrap_or_default()));
                for e in &rec.events {
                    match e {
                        CaseEvent::CorrectionRequested { on, deadline, .. } => {
                            v.push(("补正告知日期", on.to_string()));
                            v.push(("补正期限", deadline.to_string()));
                        }
                        CaseEvent::Corrected { on } => v.push(("补正收到日期", on.to_string())),
                        CaseEvent::ExtensionApproved { on, approved_by, days } => {
                            v.push(("延期批准日期", on.to_string()));
                            v.push(("延期批准人", approved_by.clone()));
                            v.push(("延期工作日数", days.to_string()));
                        }
                        CaseEvent::ExtensionNotified { on } => {
                            v.push(("延期告知日期", on.to_string()))
                        }
                        CaseEvent::ConsultationOpened { on, party, with } => {
                            v.push(("征求意见日期", on.to_string()));
                            v.push(("征求意见对象类型", vocab::PARTIES.label(party).to_owned()));
                            v.push(("征求意见对象", with.clone()));
                        }
                        CaseEvent::ConsultationAnswered { on, answer } => {
                            v.push(("意见答复日期", on.to_string()));
                            v.push(("答复意见", vocab::ANSWERS.label(answer).to_owned()));
                        }
                        CaseEvent::FeeNoticeIssued { on, amount_yuan, method } => {
                            v.push(("收费通知日期", on.to_string()));
                            v.push(("收费金额（元）", amount_yuan.to_string()));
                            v.push(("收费方式", vocab::FEE_METHODS.label(method).to_owned()));
                        }
                        CaseEvent::FeePaid { on } => v.push(("缴费日期", on.to_string())),
                        CaseEvent::ReasonsRequested { on } => {
                            v.push(("要求说明理由日期", on.to_string()))
                        }
                        CaseEvent::ReasonsAccepted { on, longer_due } => {
                            v.push(("认可理由日期", on.to_string()));
                            v.push((
                                "延迟答复期限",
                                longer_due.map(|d| d.to_string()).unwrap_or_default(),
                            ));
                        }
                        CaseEvent::Replied { on, outcome } => {
                            v.push(("办结日期", on.to_string()));
                            v.push(("办理结果", vocab::outcome_label(*outcome)));
                        }
                        CaseEvent::CorrectionLapsed { on } => {
                            v.push(("办结日期", on.to_string()));
                            v.push((
                                "办理结果",
                                vocab::ending_label(Ending::CorrectionLapsed).into(),
                            ));
                        }
                        CaseEvent::FeeLapsed { on } => {
                            v.push(("办结日期", on.to_string()));
                            v.push(("办理结果", vocab::ending_label(Ending::FeeLapsed).into()));
                        }
                        CaseEvent::Withdrawn { on } => {
                            v.push(("办结日期", on.to_string()));
                            v.push(("办理结果", vocab::ending_label(Ending::Withdrawn).into()));
                        }
                    }
                }
                push(&v);
            }
        }
        Sheet::Proactive => {
            for p in &register.proactive {
                let channels: Vec<&str> = p
                    .publications
                    .iter()
                    .map(|x| match &x.channel {
                        PublishChannel::Other(name) => name.as_str(),
                        c => vocab::PUBLISH_CHANNELS.label(c),
                    })
                    .collect();
                push(&[
                    ("编号", p.id.clone()),
                    ("标题", p.title.clone()),
                    ("类别", p.category.to_string()),
                    ("形成日期", p.created.to_string()),
                    (
                        "保密审查日期",
                        p.review.as_ref().map(|r| r.on.to_string()).unwrap_or_default(),
                    ),
                    ("审查人", p.review.as_ref().map(|r| r.reviewer.clone()).unwrap_or_default()),
                    ("发布日期", p.first_published().map(|d| d.to_string()).unwrap_or_default()),
                    ("发布渠道", channels.join("、")),
                ]);
            }
        }
        Sheet::Documents => {
            for d in &register.documents {
                push(&[
                    ("编号", d.id.clone()),
                    ("类型", vocab::DOC_KINDS.label(&d.kind).into()),
                    ("标题", d.title.clone()),
                    ("文号", d.number.clone()),
                    ("印发日期", d.issued.to_string()),
                    ("废止日期", d.repealed.map(|x| x.to_string()).unwrap_or_default()),
                ]);
            }
        }
        Sheet::Decisions => {
            for d in &register.decisions {
                let kind = vocab::DECISION_KINDS.label(&d.kind);
                push(&[
                    ("类型", kind.into()),
                    ("日期", d.date.to_string()),
                    ("数量", d.count.to_string()),
                ]);
            }
        }
        Sheet::Fees => {
            for f in &register.fees_collected {
                push(&[
                    ("日期", f.date.to_string()),
                    ("收费项目", f.item.clone()),
                    ("金额（元）", f.amount_yuan.to_string()),
                ]);
            }
        }
        Sheet::Disputes => {
            for d in &register.disputes {
                let kind = vocab::DISPUTE_KINDS.label(&d.kind);
                let result = d.concluded.map(|(_, r)| vocab::DISPUTE_RESULTS.label(&r));
                push(&[
                    ("编号", d.id.clone()),
                    ("类型", kind.into()),
                    ("受理日期", d.filed.to_string()),
                    ("关联申请编号", d.case.clone().unwrap_or_default()),
                    ("审结日期", d.concluded.map(|(x, _)| x.to_string()).unwrap_or_default()),
                    ("结果", result.unwrap_or_default().into()),
                ]);
            }
        }
    }
    out
}
