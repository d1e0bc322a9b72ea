//! 征求意见函: to a third party whose rights disclosure may harm (条例第三十二条) or to an agency
//! that co-produced the information (第三十四条), with the 15-working-day answer deadline the
//! case computed. The letter names the information, never the applicant (personal data stays
//! with the agency).

use gongkai_cases::case::CONSULTATION_WORKING_DAYS;
use gongkai_cases::{Party, Phase};
use gongkai_model::Msg;

use crate::build::{Body, Facts};
use crate::error::{LetterError, Refusal};
use crate::kind::LetterKind;
use crate::text::{REGULATION, date};

/// The body of the request for opinion; refused unless a consultation is open.
pub(crate) fn body(facts: &Facts<'_>) -> Result<Body, LetterError> {
    let case = facts.case;
    let kind = LetterKind::Consultation;
    let c = case
        .consultations()
        .last()
        .filter(|c| case.phase() == Phase::Consulting && c.answer.is_none())
        .ok_or_else(|| facts.refuse(kind, Refusal::NotNow))?;
    let (rec_zh, rec_en) = date(case.received());
    let (due_zh, due_en) = date(c.answer_due);
    let request = case.intake().request.trim();
    let days = CONSULTATION_WORKING_DAYS;
    let first = Msg::new(
        format!(
            "本机关于{rec_zh}收到一件政府信息公开申请（登记编号：{}），申请获取“{request}”。",
            case.id()
        ),
        format!(
            "On {rec_en} this agency received an application for disclosure of government information (register number {}) requesting \"{request}\".",
            case.id()
        ),
    );
    let (ask, silence) = match c.party {
        Party::ThirdParty => (
            Msg::new(
                format!(
                    "经审查，该信息的公开可能损害你方的合法权益。根据{}第三十二条的规定，现书面征求你方意见。",
                    REGULATION.0
                ),
                format!(
                    "On review, disclosing this information may harm your lawful rights and interests. Under Article 32 of {}, this agency asks for your opinion in writing.",
                    REGULATION.1
                ),
            ),
            Msg::new(
                "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。你方不同意公开的，请说明理由；不同意公开且有合理理由的，本机关不予公开，但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知你方。",
                "If no opinion is received in time, this agency will decide on disclosure under the Regulations. If you object, please give your reasons; information is withheld on a reasoned objection, unless this agency finds that withholding it would seriously affect the public interest, in which case it may disclose it and will tell you in writing what is disclosed and why.",
            ),
        ),
        Party::CoProducer => (
            Msg::new(
                format!(
                    "该信息由本机关牵头与贵机关共同制作。根据{}第三十四条的规定，现征求贵机关意见。",
                    REGULATION.0
                ),
                format!(
                    "This information was produced jointly, led by this agency, with your agency. Under Article 34 of {}, this agency asks for your agency's opinion.",
                    REGULATION.1
                ),
            ),
            Msg::new(
                "逾期未提出意见的，视为同意公开。",
                "If no opinion is received in time, your agency is deemed to consent to disclosure.",
            ),
        ),
    };
    let deadline = Msg::new(
        format!("请于收到本函之日起{days}个工作日内（{due_zh}前）书面提出意见。"),
        format!(
            "Please give your opinion in writing within {days} working days of receiving this letter (by {due_en})."
        ),
    );
    let with = c.with.trim();
    let recipient = if with.is_empty() {
        Msg::new("【请填写：被征求意见方】：", "[to fill in: the party consulted]:")
    } else {
        Msg::new(format!("{with}："), format!("{with}:"))
    };
    Ok(Body {
        title: Msg::new(
            format!("政府信息公开{}意见征求函", c.party.zh()),
            match c.party {
                Party::ThirdParty => {
                    "Request for the Opinion of a Third Party on Disclosure of Government Information"
                }
                Party::CoProducer => {
                    "Request for the Opinion of a Co-producing Agency on Disclosure of Government Information"
                }
            },
        ),
        recipient: Some(recipient),
        paragraphs: vec![first, ask, deadline, silence],
        event: c.opened,
        deadline: Some(c.answer_due),
        outcome: None,
    })
}
