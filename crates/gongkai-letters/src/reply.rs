//! 答复书 / 告知书 of a closed case: the history that shaped the reply (correction, extension,
//! consultation), the decision with the 条例 article of the outcome's Table 3 row, and the
//! remedies (条例第五十一条: 行政复议 within 60 days, 行政诉讼 within 6 months).

use gongkai_cases::{Case, CaseEvent, EventKind, Outcome};
use gongkai_model::{Msg, T3Row};

use crate::build::{Body, Facts};
use crate::error::{LetterError, Refusal};
use crate::kind::LetterKind;
use crate::text::{REGULATION, blank, date, received, you};

/// The body of the reply; refused unless the case is closed.
pub(crate) fn body(facts: &Facts<'_>) -> Result<Body, LetterError> {
    let case = facts.case;
    let closure = case.closure().ok_or_else(|| facts.refuse(LetterKind::Reply, Refusal::NotNow))?;
    let mut paragraphs = vec![received(case)];
    paragraphs.extend(history(case));
    paragraphs.push(decision(case, closure.outcome, closure.by));
    let replied = closure.by == EventKind::Replied;
    if replied {
        paragraphs.push(remedy(case));
    }
    let title = if replied {
        Msg::new(
            "政府信息公开申请答复书",
            "Reply to an Application for Disclosure of Government Information",
        )
    } else {
        Msg::new(
            "政府信息公开申请告知书",
            "Notice on an Application for Disclosure of Government Information",
        )
    };
    Ok(Body {
        title,
        recipient: None,
        paragraphs,
        event: closure.on,
        deadline: None,
        outcome: Some(closure.outcome),
    })
}

/// What happened before the reply that the applicant should read in it.
fn history(case: &Case) -> Vec<Msg> {
    let mut out = Vec::new();
    let (you_zh, you_en) = you(case);
    if let Some(c) = case.correction()
        && let Some(on) = c.corrected_on
    {
        let ((r_zh, r_en), (c_zh, c_en)) = (date(c.requested_on), date(on));
        out.push(Msg::new(
            format!("本机关于{r_zh}告知{you_zh}补正，于{c_zh}收到补正后的申请。"),
            format!(
                "On {r_en} this agency asked {you_en} to correct the application; the corrected application arrived on {c_en}."
            ),
        ));
    }
    if let Some(x) = case.extension() {
        let (a_zh, a_en) = date(x.approved_on);
        out.push(Msg::new(
            format!(
                "经本机关政府信息公开工作机构负责人同意，本机关于{a_zh}将答复期限延长{}个工作日。",
                x.days
            ),
            format!(
                "With the consent of the head of the disclosure office, the reply period was extended on {a_en} by {} working days.",
                x.days
            ),
        ));
    }
    for c in case.consultations() {
        let (o_zh, o_en) = date(c.opened);
        out.push(Msg::new(
            format!(
                "本机关于{o_zh}依法书面征求了{}的意见，征求意见所需时间不计算在答复期限内。",
                c.party.zh()
            ),
            format!(
                "On {o_en} this agency consulted {} in writing; the time taken does not count towards the reply period.",
                match c.party {
                    gongkai_cases::Party::ThirdParty => "a third party",
                    gongkai_cases::Party::CoProducer => "a co-producing agency",
                }
            ),
        ));
    }
    out
}

/// The decision, with the article of the outcome's row.
fn decision(case: &Case, outcome: Outcome, by: EventKind) -> Msg {
    let (you_zh, you_en) = you(case);
    let (reg_zh, reg_en) = REGULATION;
    let art36 = |item: &str, n: u8| {
        (
            format!("根据{reg_zh}第三十六条第（{item}）项的规定"),
            format!("Under Article 36({n}) of {reg_en}"),
        )
    };
    let withheld = |what_zh: &str, what_en: &str, art_zh: &str, art_en: &str| {
        Msg::new(
            format!(
                "经审查，{you_zh}申请获取的信息{what_zh}。根据{reg_zh}{art_zh}和第三十六条第（三）项的规定，本机关决定不予公开。"
            ),
            format!(
                "On review, the information requested {what_en}. Under {art_en} and Article 36(3) of {reg_en}, this agency decides not to disclose it."
            ),
        )
    };
    match outcome.row() {
        T3Row::Granted => {
            let (a_zh, a_en) = art36("二", 2);
            let (how_zh, how_en) =
                blank("提供方式（随本答复书附送，或获取的方式、途径和时间）", "how it is provided");
            Msg::new(
                format!(
                    "经审查，{you_zh}申请获取的政府信息属于可以公开的政府信息。{a_zh}，本机关予以公开，提供方式：{how_zh}。"
                ),
                format!(
                    "On review, the information requested may be disclosed. {a_en}, this agency discloses it; it is provided as follows: {how_en}."
                ),
            )
        }
        T3Row::PartiallyGranted => {
            let (why_zh, why_en) = blank("不予公开的内容及理由", "what is withheld and why");
            Msg::new(
                format!(
                    "经审查，{you_zh}申请获取的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理。根据{reg_zh}第三十七条的规定，本机关向{you_zh}提供可以公开的政府信息内容（见附件），对不予公开的内容说明理由如下：{why_zh}。"
                ),
                format!(
                    "On review, the information requested contains content that may not be disclosed or is not government information, but it can be separated. Under Article 37 of {reg_en}, this agency provides the content that may be disclosed (attached); what is withheld and why: {why_en}."
                ),
            )
        }
        T3Row::WithheldStateSecret => withheld(
            "依法确定为国家秘密",
            "has been lawfully classified as a state secret",
            "第十四条",
            "Article 14",
        ),
        T3Row::WithheldProhibitedByLaw => withheld(
            "属于法律、行政法规禁止公开的政府信息",
            "is government information whose disclosure laws or administrative regulations prohibit",
            "第十四条",
            "Article 14",
        ),
        T3Row::WithheldThreeSafeties => withheld(
            "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
            "could, once disclosed, endanger national security, public security, economic security or social stability",
            "第十四条",
            "Article 14",
        ),
        T3Row::WithheldThirdParty => withheld(
            "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
            "involves trade secrets, personal privacy or the like, and disclosure would harm a third party's lawful rights and interests",
            "第十五条",
            "Article 15",
        ),
        T3Row::WithheldInternalAffairs => withheld(
            "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等）",
            "is internal-affairs information of the agency (personnel, logistics, internal procedures and the like)",
            "第十六条第一款",
            "Article 16(1)",
        ),
        T3Row::WithheldProcessInfo => withheld(
            "属于行政机关在履行行政管理职能过程中形成的过程性信息（讨论记录、过程稿、磋商信函、请示报告等）",
            "is process information formed in the agency's administration (minutes of discussions, drafts, consultation letters, requests for instructions and the like)",
            "第十六条第二款",
            "Article 16(2)",
        ),
        T3Row::WithheldEnforcementFiles => withheld(
            "属于行政执法案卷信息",
            "is administrative enforcement case-file information",
            "第十六条第二款",
            "Article 16(2)",
        ),
        T3Row::WithheldInquiry => {
            let (a_zh, a_en) = art36("七", 7);
            Msg::new(
                format!(
                    "经审查，{you_zh}申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。{a_zh}，请{you_zh}依照有关法律、行政法规的规定办理。"
                ),
                format!(
                    "On review, the information requested is business or real-estate registration material or the like, whose access is specially regulated by laws or administrative regulations. {a_en}, please apply under those laws and regulations."
                ),
            )
        }
        T3Row::UnableNotHeld => {
            let (a_zh, a_en) = art36("四", 4);
            Msg::new(
                format!(
                    "经检索，本机关没有{you_zh}所申请公开的政府信息。{a_zh}，现告知{you_zh}该政府信息不存在。"
                ),
                format!(
                    "After a search, this agency holds no such government information. {a_en}, this agency informs {you_en} that the information does not exist."
                ),
            )
        }
        T3Row::UnableNeedsCreation => Msg::new(
            format!(
                "经审查，{you_zh}申请获取的信息需要本机关对现有政府信息进行加工、分析才能形成。根据{reg_zh}第三十八条的规定，本机关不予提供。"
            ),
            format!(
                "On review, the information requested would have to be created by processing and analysing existing government information. Under Article 38 of {reg_en}, this agency does not provide it."
            ),
        ),
        T3Row::UnableUnclear => Msg::new(
            format!(
                "经补正，{you_zh}的申请内容仍不明确，本机关无法确定{you_zh}所申请的政府信息。根据{reg_zh}第三十条的规定，本机关无法提供。"
            ),
            format!(
                "Even after the correction, the application is not clear enough to identify the information requested. Under Article 30 of {reg_en}, this agency cannot provide it."
            ),
        ),
        T3Row::NotProcessedPetition => {
            let (ch_zh, ch_en) = blank("相应渠道", "the proper channel");
            Msg::new(
                format!(
                    "经审查，{you_zh}以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{reg_zh}第三十九条第一款的规定，本机关不作为政府信息公开申请处理，{you_zh}可以通过{ch_zh}提出。"
                ),
                format!(
                    "On review, the application is in substance a petition, complaint or report. Under Article 39(1) of {reg_en}, this agency does not process it as an application for disclosure; it may be made through {ch_en}."
                ),
            )
        }
        T3Row::NotProcessedDuplicate => {
            let (a_zh, a_en) = art36("六", 6);
            Msg::new(
                format!(
                    "本机关已就{you_zh}提出的政府信息公开申请作出答复，{you_zh}重复申请公开相同政府信息。{a_zh}，本机关不予重复处理。"
                ),
                format!(
                    "This agency has already replied to an application for the same government information. {a_en}, this agency does not process the repeated application."
                ),
            )
        }
        T3Row::NotProcessedPublications => {
            let (ch_zh, ch_en) = blank("获取途径", "where to obtain it");
            Msg::new(
                format!(
                    "{you_zh}申请获取的是政府公报、报刊、书籍等公开出版物。根据{reg_zh}第三十九条第二款的规定，现告知获取途径：{ch_zh}。"
                ),
                format!(
                    "The application asks for public publications (government gazettes, newspapers, books and the like). Under Article 39(2) of {reg_en}, they can be obtained as follows: {ch_en}."
                ),
            )
        }
        T3Row::NotProcessedMassRepetitive => {
            let asked = case.events().iter().find_map(|e| match e {
                CaseEvent::ReasonsRequested { on } => Some(date(*on)),
                _ => None,
            });
            let (asked_zh, asked_en) = match asked {
                Some((zh, en)) => (format!("于{zh}"), format!(" on {en}")),
                None => (String::new(), String::new()),
            };
            Msg::new(
                format!(
                    "{you_zh}申请公开政府信息的数量、频次明显超过合理范围，本机关{asked_zh}要求{you_zh}说明理由。经审查，本机关认为申请理由不合理。根据{reg_zh}第三十五条的规定，本机关不予处理。"
                ),
                format!(
                    "The number and frequency of the requests clearly exceed a reasonable range; this agency asked for the reasons{asked_en}. On review, this agency finds the reasons unreasonable. Under Article 35 of {reg_en}, this agency does not process the application."
                ),
            )
        }
        T3Row::NotProcessedConfirm => Msg::new(
            format!(
                "经审查，{you_zh}的申请系要求本机关确认或者重新出具{you_zh}已获取的信息，不属于{reg_zh}所规定的获取政府信息的申请，本机关不作为政府信息公开申请处理。"
            ),
            format!(
                "On review, the application asks this agency to confirm or reissue information already obtained; it is not a request for government information under {reg_en}, so this agency does not process it as such."
            ),
        ),
        T3Row::OtherOverdueCorrection => {
            let (d_zh, d_en) = case.correction().map(|c| date(c.deadline)).unwrap_or_default();
            Msg::new(
                format!(
                    "本机关已告知{you_zh}补正，补正期限至{d_zh}。{you_zh}无正当理由逾期未补正，根据{reg_zh}第三十条的规定，视为放弃申请，本机关不再处理该政府信息公开申请。"
                ),
                format!(
                    "This agency asked for a correction by {d_en}; none was made in time without good reason. Under Article 30 of {reg_en}, the application is deemed abandoned and this agency will not process it further."
                ),
            )
        }
        T3Row::OtherUnpaidFee => {
            let (d_zh, d_en) = case.fee().map(|f| date(f.deadline)).unwrap_or_default();
            Msg::new(
                format!(
                    "本机关已向{you_zh}发出收费通知，缴费期限至{d_zh}。{you_zh}逾期未缴纳信息处理费，根据{reg_zh}第四十二条和《政府信息公开信息处理费管理办法》的规定，视为放弃申请，本机关不再处理该政府信息公开申请。"
                ),
                format!(
                    "This agency issued a fee notice with payment due by {d_en}; the fee was not paid in time. Under Article 42 of {reg_en} and the Measures on Information Processing Fees, the application is deemed abandoned and this agency will not process it further."
                ),
            )
        }
        _ if by == EventKind::Withdrawn => {
            let (d_zh, d_en) = case.closed_on().map(date).unwrap_or_default();
            Msg::new(
                format!("{you_zh}于{d_zh}撤回了该政府信息公开申请，本机关终止办理。"),
                format!(
                    "The application was withdrawn on {d_en}; this agency has ended its handling."
                ),
            )
        }
        _ => {
            let (what_zh, what_en) =
                blank("处理情况及依据", "how the application was handled and on what basis");
            Msg::new(format!("经审查，{what_zh}。"), format!("On review: {what_en}."))
        }
    }
}

/// The remedies (第五十一条; 行政复议法, 行政诉讼法).
fn remedy(case: &Case) -> Msg {
    let (you_zh, you_en) = you(case);
    Msg::new(
        format!(
            "{you_zh}如对本答复不服，可以依照{}第五十一条的规定，自收到本答复之日起60日内依法申请行政复议，或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。",
            REGULATION.0
        ),
        format!(
            "If {you_en} disagree{} with this reply, under Article 51 of {} {you_en} may apply for administrative reconsideration within 60 days of receiving it, or bring an administrative lawsuit before a people's court within 6 months of receiving it.",
            if you_en == "you" { "" } else { "s" },
            REGULATION.1
        ),
    )
}
