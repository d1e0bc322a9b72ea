//! 补正告知书 (条例第三十条): what is unclear, the deadline the case recorded, and the
//! consequence of not correcting in time.

use gongkai_cases::{CaseEvent, Phase};
use gongkai_model::Msg;

use crate::build::{Body, Facts};
use crate::error::{LetterError, Refusal};
use crate::kind::LetterKind;
use crate::text::{REGULATION, blank, date, received, you};

/// The body of the notice to correct; refused unless a correction is awaited.
pub(crate) fn body(facts: &Facts<'_>) -> Result<Body, LetterError> {
    let case = facts.case;
    let kind = LetterKind::Correction;
    let correction = case
        .correction()
        .filter(|_| case.phase() == Phase::AwaitingCorrection)
        .ok_or_else(|| facts.refuse(kind, Refusal::NotNow))?;
    let items = case
        .events()
        .iter()
        .rev()
        .find_map(|e| match e {
            CaseEvent::CorrectionRequested { items, .. } => Some(items.trim()),
            _ => None,
        })
        .filter(|i| !i.is_empty());
    let (items_zh, items_en) = match items {
        Some(i) => (i.to_owned(), i.to_owned()),
        None => blank("需要补正的事项", "what must be corrected"),
    };
    let days = facts.working_days(correction.requested_on, correction.deadline)?;
    let (due_zh, due_en) = date(correction.deadline);
    let (you_zh, you_en) = you(case);
    let paragraphs = vec![
        received(case),
        Msg::new(
            format!(
                "经审查，{you_zh}的申请内容不明确，本机关无法据此确定所申请的政府信息。根据{}第三十条的规定，现一次性告知{you_zh}作出补正。需要补正的事项如下：{items_zh}",
                REGULATION.0
            ),
            format!(
                "On review, the application is not clear enough for this agency to identify the information requested. Under Article 30 of {}, this agency asks {you_en}, once and for all, to correct the application as follows: {items_en}",
                REGULATION.1
            ),
        ),
        Msg::new(
            format!(
                "请{you_zh}于{due_zh}前（{days}个工作日内）向本机关提交补正后的申请。答复期限自本机关收到补正后的申请之日起计算。如需说明或者指导，可与本机关联系。"
            ),
            format!(
                "Please submit the corrected application to this agency by {due_en} (within {days} working days). The reply period runs from the day this agency receives the corrected application. This agency will gladly explain or help if asked."
            ),
        ),
        Msg::new(
            format!(
                "{you_zh}无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
            ),
            "If the application is not corrected in time without good reason, it is deemed abandoned and this agency will not process it further (Article 30).".to_owned(),
        ),
    ];
    Ok(Body {
        title: Msg::new(
            "政府信息公开申请补正告知书",
            "Notice to Correct an Application for Disclosure of Government Information",
        ),
        recipient: None,
        paragraphs,
        event: correction.requested_on,
        deadline: Some(correction.deadline),
        outcome: None,
    })
}
