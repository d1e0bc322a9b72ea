//! 收费通知书 (条例第四十二条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》): the amount
//! the case recorded, the standard of its method as the fee schedule states it, and the payment
//! deadline the case computed.

use gongkai_cases::Phase;
use gongkai_cases::fee::{Bands, FeeMethod, FeeSchedule};
use gongkai_model::Msg;

use crate::build::{Body, Facts};
use crate::error::{LetterError, Refusal};
use crate::kind::LetterKind;
use crate::text::{REGULATION, blank, date, received, you};

/// The body of the fee notice; refused unless the fee is awaited.
pub(crate) fn body(facts: &Facts<'_>) -> Result<Body, LetterError> {
    let case = facts.case;
    let kind = LetterKind::FeeNotice;
    let fee = case
        .fee()
        .filter(|_| case.phase() == Phase::AwaitingFee)
        .ok_or_else(|| facts.refuse(kind, Refusal::NotNow))?;
    let schedule = FeeSchedule::official();
    let days = facts.working_days(fee.noticed_on, fee.deadline)?;
    let (due_zh, due_en) = date(fee.deadline);
    let (you_zh, _) = you(case);
    let (how_zh, how_en) = blank("缴费方式、账户", "how and where to pay");
    let amount = fee.amount_yuan.normalize();
    let (std_zh, std_en) = standard(schedule.bands(fee.method), fee.method);
    let paragraphs = vec![
        received(case),
        Msg::new(
            format!(
                "因{you_zh}申请公开政府信息的数量、频次明显超过合理范围，根据{}第四十二条和{}的规定，本机关按照{}标准收取信息处理费。",
                REGULATION.0,
                schedule.source,
                fee.method.zh()
            ),
            format!(
                "Because the number and frequency of the requests clearly exceed a reasonable range, under Article 42 of {} and the Measures on Information Processing Fees for Government Information Disclosure (Guobanhan [2020] No. 109), this agency charges an information processing fee {}.",
                REGULATION.1,
                fee.method.en()
            ),
        ),
        Msg::new(format!("收费标准：{std_zh}。"), format!("The standard: {std_en}.")),
        Msg::new(
            format!("应缴金额：人民币{amount}元。"),
            format!("Amount due: RMB {amount} yuan."),
        ),
        Msg::new(
            format!(
                "请{you_zh}自收到本通知书之次日起{days}个工作日内（{due_zh}前）缴纳，缴费方式：{how_zh}。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
            ),
            format!(
                "Please pay within {days} working days from the day after receiving this notice (by {due_en}); how to pay: {how_en}. If the fee is not paid in time, the application is deemed abandoned and this agency will not process it further."
            ),
        ),
    ];
    Ok(Body {
        title: Msg::new("政府信息公开信息处理费收费通知书", "Notice of Information Processing Fee"),
        recipient: None,
        paragraphs,
        event: fee.noticed_on,
        deadline: Some(fee.deadline),
        outcome: None,
    })
}

/// The bands of a method as the fee schedule states them, in both languages.
fn standard(bands: &Bands, method: FeeMethod) -> (String, String) {
    let unit = bands.unit.as_str();
    let unit_en = method.unit_en();
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for b in &bands.bands {
        let (range_zh, range_en) = match b.to {
            Some(to) => (format!("{}—{}{unit}", b.from, to), format!("{}-{to} {unit_en}", b.from)),
            None => (format!("{}{unit}以上", b.from), format!("{} {unit_en} and more", b.from)),
        };
        if b.yuan == 0 {
            zh.push(format!("{range_zh}免费"));
            en.push(format!("{range_en} free"));
        } else {
            zh.push(format!("{range_zh}每{unit}{}元", b.yuan));
            en.push(format!("{range_en} {} yuan each", b.yuan));
        }
    }
    if let Some(p) = &bands.then {
        zh.push(format!(
            "其后每{}{unit}为一档，第一档每{unit}{}元，每增加一档每{unit}提高{}元",
            p.width, p.first_yuan, p.step_yuan
        ));
        en.push(format!(
            "then bands of {} {unit_en}, the first at {} yuan each, each further band {} yuan dearer",
            p.width, p.first_yuan, p.step_yuan
        ));
    }
    (zh.join("；"), en.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_is_the_schedule() {
        let s = FeeSchedule::official();
        let (zh, en) = standard(s.bands(FeeMethod::PerPage), FeeMethod::PerPage);
        assert_eq!(zh, "1—30页免费；31—100页每页10元；101—200页每页20元；201页以上每页40元");
        assert!(en.starts_with("1-30 pages free; 31-100 pages 10 yuan each"), "{en}");
        let (zh, _) = standard(s.bands(FeeMethod::PerApplication), FeeMethod::PerApplication);
        assert!(zh.ends_with("其后每10件为一档，第一档每件200元，每增加一档每件提高100元"), "{zh}");
    }
}
