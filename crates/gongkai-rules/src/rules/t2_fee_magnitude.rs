//! T2-FEE-MAGNITUDE: a fee in 万元 implausibly large (probably printed in yuan).

use gongkai_model::{CellKey, Decimal, Msg, Report, T2Col, T2Row};

use crate::eval::show;
use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct T2FeeMagnitude;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "T2-FEE-MAGNITUDE",
    severity: gongkai_model::Severity::Warning,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "行政事业性收费金额（万元）大得不合常理，可能误填为“元”",
    title_en: "Fee amount implausibly large for 万元 (probably yuan)",
    doc_zh: "## 检查内容\n\n表二“行政事业性收费 本年收费金额（单位：万元）”的数值：超过 100 万万元（100 亿元），或乡镇、街道超过 1 万万元（1 亿元）时提示。\n\n## 原因\n\n不少报告把以“元”计的金额直接填入“万元”栏，数值因此放大一万倍。\n\n## 示例\n\n某镇印为 352000 —— 即 35.2 亿元，多半应为 35.2 万元。\n\n## 如何处理\n\n核对单位；如确为万元，可忽略。",
    doc_en: "## What it checks\n\nThe fee amount of Table 2 (unit 万元 = 10,000 yuan): above 1,000,000 万元 (10 billion yuan), or above 10,000 万元 for a township or sub-district.\n\n## Why it matters\n\nMany reports type an amount in yuan into the 万元 column, ten thousand times too large.\n\n## Example\n\nA township prints 352000 — 3.52 billion yuan; probably 35.2 万元 was meant.\n\n## How to fix\n\nCheck the unit; ignore if it really is 万元.",
};

impl Rule for T2FeeMagnitude {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let key = CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan);
        let Some(cell) = report.cell(key) else { return };
        let Some(v) = cell.value.operand() else { return };
        let township = report.meta.agency.as_ref().is_some_and(|a| {
            ["镇", "乡", "街道", "镇人民政府", "乡人民政府", "街道办事处"]
                .iter()
                .any(|s| a.value.ends_with(s))
        });
        let limit = if township { Decimal::from(10_000) } else { Decimal::from(1_000_000) };
        let (Some(yuan), Some(implied)) =
            (v.checked_mul(Decimal::from(10_000)), v.checked_div(Decimal::from(10_000)))
        else {
            return;
        };
        if v > limit {
            out.push(
                finding(
                    &INFO,
                    Msg::new(
                        format!(
                            "行政事业性收费金额印为 {} 万元（即 {} 元），{}，可能误以“元”填写",
                            show(v),
                            show(yuan),
                            if township {
                                "对乡镇、街道而言过大"
                            } else {
                                "大得不合常理"
                            }
                        ),
                        format!(
                            "fee printed as {} 万元 ({} yuan) is implausibly large; probably yuan",
                            show(v),
                            show(yuan)
                        ),
                    ),
                )
                .with_cells([key])
                .with_values(Some(v), Some(implied))
                .with_label(cell.span, Msg::new("单位为万元", "unit is 万元")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::{Spanned, Value};

    #[test]
    fn large_for_a_township() {
        let mut r = consistent();
        let mut out = Vec::new();
        T2FeeMagnitude.check(&r, &mut out);
        assert!(out.is_empty());
        r.meta.agency = Some(Spanned::bare("大张楼镇".into()));
        if let Some(t) = r.t2.as_mut() {
            t.set(CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan), Value::int(352_000));
        }
        T2FeeMagnitude.check(&r, &mut out);
        assert_eq!(ids(&out), ["T2-FEE-MAGNITUDE"]);
        assert_eq!(out[0].implied, Some("35.2".parse().unwrap_or_default()));
    }
}
