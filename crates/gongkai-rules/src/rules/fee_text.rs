//! FEE-TEXT: applications closed for unpaid fees while section 六 says no fee procedure took place.

use std::sync::LazyLock;

use gongkai_model::{CellKey, Msg, Report, SectionId, T3Col, T3Row};
use regex::Regex;

use crate::eval::show;
use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct FeeText;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "FEE-TEXT",
    severity: gongkai_model::Severity::Warning,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "表三有“逾期未缴费”的申请，而第六部分称未发生收费",
    title_en: "Applications closed for unpaid fees while section 六 says no fee procedure took place",
    doc_zh: "## 检查内容\n\n表三“（六）2.申请人逾期未按收费通知要求缴纳费用”总计大于 0，说明本年发出过收费通知；若第六部分却称未发出收费通知、不涉及或未发生信息处理费，则前后矛盾。（“未收取”本身不矛盾：发出通知而申请人未缴费，也就没有收取。）\n\n## 原因\n\n表格与文字须一致。\n\n## 示例\n\n表三该行总计 2，第六部分写“本年度未涉及信息处理费” —— 提示。",
    doc_en: "## What it checks\n\nIf Table 3's row “（六）2. applicant did not pay the fee in time” totals more than 0, fee notices were issued; section 六 saying no fee notice was issued / fees were not involved contradicts it. (Saying nothing was *collected* is consistent: the applicant did not pay.)\n\n## Why it matters\n\nTable and text must agree.\n\n## Example\n\nThe row totals 2 while section 六 says fees were not involved this year — warned.",
};

#[allow(clippy::unwrap_used, reason = "a constant pattern, exercised by the tests")]
static NO_FEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(未|没有|无|不)(发出|发生|涉及|产生|开展|存在)[^。；]{0,12}(收费|信息处理费|缴费|收费通知)").unwrap()
});

impl Rule for FeeText {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let key = CellKey::t3(T3Row::OtherUnpaidFee, T3Col::Total);
        let Some(n) = report.number(key) else { return };
        if n <= 0.into() {
            return;
        }
        let Some(sec) = report.section(SectionId::Other) else { return };
        let Some(m) = NO_FEE.find(&sec.text) else { return };
        out.push(
            finding(
                &INFO,
                Msg::new(
                    format!("表三有 {} 件申请因逾期未缴费不再处理，而第六部分称「{}」", show(n), m.as_str()),
                    format!("Table 3 closes {} application(s) for unpaid fees, but section 六 says `{}`", show(n), m.as_str()),
                ),
            )
            .with_cells([key])
            .with_label(sec.span_of(m.range()), Msg::new("第六部分", "section 六"))
            .with_label(report.cell(key).and_then(|c| c.span), Msg::new("逾期未缴费", "unpaid fee")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::Value;

    #[test]
    fn contradiction_is_reported_but_not_collected_none() {
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::OtherUnpaidFee, T3Col::Total), Value::int(2));
        }
        let mut out = Vec::new();
        FeeText.check(&r, &mut out);
        assert!(out.is_empty(), "未收取 is consistent with unpaid fees");
        for s in &mut r.sections {
            if s.id == SectionId::Other {
                s.text = "本年度未涉及信息处理费。".into();
            }
        }
        FeeText.check(&r, &mut out);
        assert_eq!(ids(&out), ["FEE-TEXT"]);
    }
}
