//! T3-ROW-TOTAL: in every row of Table 3, 总计 = the sum of the six applicant columns.

use gongkai_model::identities;
use gongkai_model::{Msg, Report};

use crate::eval::{Undetermined, show, show_diff, total_mismatch, unequal};
use crate::rules::row_zh;
use crate::{Rule, RuleInfo, Scope};

/// The rule.
pub(crate) struct T3RowTotal;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "T3-ROW-TOTAL",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "表三各行：总计 = 自然人 + 五类法人或其他组织",
    title_en: "Table 3, every row: total = the six applicant columns",
    doc_zh: "## 检查内容\n\n表三每一行的“总计”须等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和（“法人或其他组织”只是表头，没有小计列）。\n\n## 原因\n\n总计列按申请人类型汇总；不等说明某类申请人漏计，或总计抄错。\n\n## 示例\n\n“一、本年新收”：自然人 64、社会公益组织 2、其他 4，总计应为 70。\n\n## 如何处理\n\n核对该行各列；空白单元格使该行无法判定（提示）。",
    doc_en: "## What it checks\n\nIn every row of Table 3, the total column must equal the sum of the six applicant columns (法人或其他组织 is a header only, with no subtotal column).\n\n## Why it matters\n\nThe total sums the applicant types; a mismatch means a type was missed or the total mistyped.\n\n## Example\n\nNew received: natural persons 64, social welfare 2, other 4 — the total must be 70.\n\n## How to fix\n\nCheck the row's cells; blank cells make the row undetermined (info).",
};

impl Rule for T3RowTotal {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let Some(t3) = &report.t3 else { return };
        let mut und = Undetermined::default();
        // The row totals of the report's layout, as the recognizer's solver uses them.
        for identity in identities::t3_row_totals(t3.layout()) {
            let (parts, &[total]) = (&identity.lhs, identity.rhs.as_slice()) else { continue };
            let Some((s, t)) = unequal(report, parts, &[total], &mut und) else { continue };
            let label = row_zh(report, total.row);
            let message = Msg::new(
                format!(
                    "「{label}」：总计印为 {}，而六类申请人之和为 {}，相差 {}",
                    show(t),
                    show(s),
                    show_diff(t, s)
                ),
                format!(
                    "row `{}`: total is printed as {}, but the six applicant columns sum to {} (difference {})",
                    total.row.key(),
                    show(t),
                    show(s),
                    show_diff(t, s)
                ),
            );
            out.push(total_mismatch(&INFO, message, report, total, parts, (t, s)));
        }
        out.extend(und.finding(&INFO));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::{CellKey, T3Col, T3Row, Value};

    #[test]
    fn silent_on_a_consistent_report() {
        let mut out = Vec::new();
        T3RowTotal.check(&consistent(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn fires_on_the_row() {
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::Granted, T3Col::Total), Value::int(0));
        }
        let mut out = Vec::new();
        T3RowTotal.check(&r, &mut out);
        assert_eq!(ids(&out), ["T3-ROW-TOTAL"]);
        insta::assert_snapshot!(out[0].message.zh, @"「（一）予以公开」：总计印为 0，而六类申请人之和为 7，相差 -7");
    }
}
