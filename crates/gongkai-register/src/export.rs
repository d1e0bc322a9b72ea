//! Register → rows of the template (header first), for writing a filled-in register back out.

use gongkai_cases::registers::PublishChannel;
use gongkai_cases::{CaseEvent, Channel, Register};

use crate::template::{Col, Sheet};
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
    let mut push = |values: &[(Col, String)]| {
        let row = cols
            .iter()
            .map(|c| {
                values.iter().find(|(k, _)| *k == c.id).map(|(_, v)| v.clone()).unwrap_or_default()
            })
            .collect();
        out.push(row);
    };
    match sheet {
        Sheet::Applications => {
            for rec in &register.cases {
                let i = &rec.intake;
                let person = register.personal.iter().find(|p| p.case == i.id);
                let mut v: Vec<(Col, String)> = vec![
                    (Col::CaseId, i.id.0.clone()),
                    (
                        Col::ApplicantType,
                        vocab::APPLICANTS.label(&i.applicant_type.col()).to_owned(),
                    ),
                    (Col::ApplicantKey, i.applicant_key.clone()),
                    (Col::ApplicantName, person.map(|p| p.name.clone()).unwrap_or_default()),
                    (Col::Contact, person.map(|p| p.contact.clone()).unwrap_or_default()),
                    (Col::Request, i.request.clone()),
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
                v.push((Col::Channel, vocab::CHANNELS.label(&kind).to_owned()));
                v.push((Col::Arrived, arrived.to_string()));
                v.push((Col::Confirmed, confirmed.map(|d| d.to_string()).unwrap_or_default()));
                for e in &rec.events {
                    match e {
                        CaseEvent::CorrectionRequested { on, deadline, .. } => {
                            v.push((Col::CorrectionRequested, on.to_string()));
                            v.push((Col::CorrectionDeadline, deadline.to_string()));
                        }
                        CaseEvent::Corrected { on } => v.push((Col::Corrected, on.to_string())),
                        CaseEvent::ExtensionApproved { on, approved_by, days } => {
                            v.push((Col::ExtensionApproved, on.to_string()));
                            v.push((Col::ExtensionApprover, approved_by.clone()));
                            v.push((Col::ExtensionDays, days.to_string()));
                        }
                        CaseEvent::ExtensionNotified { on } => {
                            v.push((Col::ExtensionNotified, on.to_string()))
                        }
                        CaseEvent::ConsultationOpened { on, party, with } => {
                            v.push((Col::ConsultationOpened, on.to_string()));
                            v.push((Col::PartyKind, vocab::PARTIES.label(party).to_owned()));
                            v.push((Col::Party, with.clone()));
                        }
                        CaseEvent::ConsultationAnswered { on, answer } => {
                            v.push((Col::ConsultationAnswered, on.to_string()));
                            v.push((Col::Answer, vocab::ANSWERS.label(answer).to_owned()));
                        }
                        CaseEvent::FeeNoticeIssued { on, amount_yuan, method } => {
                            v.push((Col::FeeNotice, on.to_string()));
                            v.push((Col::FeeAmount, amount_yuan.to_string()));
                            v.push((Col::FeeMethod, vocab::FEE_METHODS.label(method).to_owned()));
                        }
                        CaseEvent::FeePaid { on } => v.push((Col::FeePaid, on.to_string())),
                        CaseEvent::ReasonsRequested { on } => {
                            v.push((Col::ReasonsRequested, on.to_string()))
                        }
                        CaseEvent::ReasonsAccepted { on, longer_due } => {
                            v.push((Col::ReasonsAccepted, on.to_string()));
                            v.push((
                                Col::LongerDue,
                                longer_due.map(|d| d.to_string()).unwrap_or_default(),
                            ));
                        }
                        CaseEvent::Replied { on, outcome } => {
                            v.push((Col::Closed, on.to_string()));
                            v.push((Col::Outcome, vocab::outcome_label(*outcome)));
                        }
                        CaseEvent::CorrectionLapsed { on } => {
                            v.push((Col::Closed, on.to_string()));
                            v.push((
                                Col::Outcome,
                                vocab::ending_label(Ending::CorrectionLapsed).into(),
                            ));
                        }
                        CaseEvent::FeeLapsed { on } => {
                            v.push((Col::Closed, on.to_string()));
                            v.push((Col::Outcome, vocab::ending_label(Ending::FeeLapsed).into()));
                        }
                        CaseEvent::Withdrawn { on } => {
                            v.push((Col::Closed, on.to_string()));
                            v.push((Col::Outcome, vocab::ending_label(Ending::Withdrawn).into()));
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
                    (Col::ItemId, p.id.clone()),
                    (Col::ItemTitle, p.title.clone()),
                    (Col::Category, p.category.to_string()),
                    (Col::Created, p.created.to_string()),
                    (
                        Col::Reviewed,
                        p.review.as_ref().map(|r| r.on.to_string()).unwrap_or_default(),
                    ),
                    (
                        Col::Reviewer,
                        p.review.as_ref().map(|r| r.reviewer.clone()).unwrap_or_default(),
                    ),
                    (
                        Col::Published,
                        p.first_published().map(|d| d.to_string()).unwrap_or_default(),
                    ),
                    (Col::PublishChannels, channels.join("、")),
                    (Col::Subject, p.subject.clone().unwrap_or_default()),
                    (Col::Publisher, p.publisher.clone().unwrap_or_default()),
                    (Col::Written, p.written.map(|d| d.to_string()).unwrap_or_default()),
                    (Col::ItemNumber, p.number.clone().unwrap_or_default()),
                    (
                        Col::Validity,
                        p.validity.map(|v| vocab::VALIDITY.label(&v)).unwrap_or_default().into(),
                    ),
                    (Col::FullText, p.text.clone().unwrap_or_default()),
                ]);
            }
        }
        Sheet::Documents => {
            for d in &register.documents {
                push(&[
                    (Col::DocId, d.id.clone()),
                    (Col::DocKind, vocab::DOC_KINDS.label(&d.kind).into()),
                    (Col::DocTitle, d.title.clone()),
                    (Col::DocNumber, d.number.clone()),
                    (Col::Issued, d.issued.to_string()),
                    (Col::Repealed, d.repealed.map(|x| x.to_string()).unwrap_or_default()),
                ]);
            }
        }
        Sheet::Decisions => {
            for d in &register.decisions {
                let kind = vocab::DECISION_KINDS.label(&d.kind);
                push(&[
                    (Col::DecisionKind, kind.into()),
                    (Col::DecisionDate, d.date.to_string()),
                    (Col::DecisionCount, d.count.to_string()),
                ]);
            }
        }
        Sheet::Fees => {
            for f in &register.fees_collected {
                push(&[
                    (Col::FeeDate, f.date.to_string()),
                    (Col::FeeItem, f.item.clone()),
                    (Col::FeeYuan, f.amount_yuan.to_string()),
                ]);
            }
        }
        Sheet::Disputes => {
            for d in &register.disputes {
                let kind = vocab::DISPUTE_KINDS.label(&d.kind);
                let result = d.concluded.map(|(_, r)| vocab::DISPUTE_RESULTS.label(&r));
                push(&[
                    (Col::DisputeId, d.id.clone()),
                    (Col::DisputeKind, kind.into()),
                    (Col::Filed, d.filed.to_string()),
                    (Col::DisputeCase, d.case.clone().unwrap_or_default()),
                    (Col::Concluded, d.concluded.map(|(x, _)| x.to_string()).unwrap_or_default()),
                    (Col::DisputeResult, result.unwrap_or_default().into()),
                ]);
            }
        }
    }
    out
}
