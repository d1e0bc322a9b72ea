//! 延长答复期限告知书 (条例第三十三条第二款): the extension approved by the head of the
//! disclosure office and the new reply deadline, as the case computed it on the calendar.

use gongkai_cases::Phase;
use gongkai_model::Msg;

use crate::build::{Body, Facts};
use crate::error::{LetterError, Refusal};
use crate::kind::LetterKind;
use crate::text::{REGULATION, blank, date, received, you};

/// The body of the notice of extension; refused unless an extension was approved and the case is
/// still open with its reply clock running.
pub(crate) fn body(facts: &Facts<'_>) -> Result<Body, LetterError> {
    let case = facts.case;
    let kind = LetterKind::Extension;
    let extension = case
        .extension()
        .filter(|_| case.phase() != Phase::Closed)
        .ok_or_else(|| facts.refuse(kind, Refusal::NotNow))?;
    let due = case.reply_due().ok_or_else(|| {
        let reason = match case.reply_due_after_calendar() {
            Some(after) => Refusal::DeadlinePending { after },
            None => Refusal::ClockStopped,
        };
        facts.refuse(kind, reason)
    })?;
    let (due_zh, due_en) = date(due);
    let (why_zh, why_en) = blank("延期理由", "the reason for the extension");
    let (you_zh, you_en) = you(case);
    let days = extension.days;
    let paragraphs = vec![
        received(case),
        Msg::new(
            format!(
                "因{why_zh}，本机关无法在法定期限内作出答复。根据{}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{days}个工作日。本机关将于{due_zh}前向{you_zh}作出答复。",
                REGULATION.0
            ),
            format!(
                "Because of {why_en}, this agency cannot reply within the statutory period. Under Article 33(2) of {}, with the consent of the head of this agency's disclosure office, the reply period is extended by {days} working days. This agency will reply to {you_en} by {due_en}.",
                REGULATION.1
            ),
        ),
        Msg::new("特此告知。", "This notice is given accordingly."),
    ];
    Ok(Body {
        title: Msg::new(
            "延长政府信息公开申请答复期限告知书",
            "Notice of Extension of the Period to Reply to an Application for Disclosure of Government Information",
        ),
        recipient: None,
        paragraphs,
        event: extension.approved_on,
        deadline: Some(due),
        outcome: None,
    })
}
