//! T2-STOCK-FLOW (cross-year): in force (N) ≈ in force (N−1) + issued (N) − repealed (N).

use gongkai_model::{CellKey, Decimal, Layout, Msg, Report, T2Col, T2Row};

use crate::eval::show;
use crate::rules::row_zh;
use crate::{PairRule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct T2StockFlow;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "T2-STOCK-FLOW",
    severity: gongkai_model::Severity::Warning,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::CrossYear,
    title_zh: "跨年：现行有效件数 ≈ 上年现行有效 + 本年制发 − 本年废止",
    title_en: "Cross-year: in force (N) ≈ in force (N−1) + issued (N) − repealed (N)",
    doc_zh: "## 检查内容\n\n表二“规章”“行政规范性文件”两行（2021 年格式）：本年现行有效件数应约等于上年现行有效件数 + 本年制发 − 本年废止。修订、失效、清理会使其不严格相等，因此相差超过 2 件且超过 10% 时才提示。\n\n## 原因\n\n存量与流量须大体衔接；差距过大往往是统计口径变化或填错行列。\n\n## 示例\n\n上年现行有效 30，本年制发 6、废止 1，本年现行有效印为 60 —— 提示（应约为 35）。",
    doc_en: "## What it checks\n\nFor the 规章 and 行政规范性文件 rows (2021 layout): in force this year should be about in force last year + issued − repealed. Revisions and expiry make it inexact, so only a difference above 2 and above 10% is warned.\n\n## Why it matters\n\nStock and flow should chain; a large gap usually means a change of scope or a misplaced value.\n\n## Example\n\nLast year 30 in force, 6 issued and 1 repealed this year, 60 printed as in force — warned (about 35 expected).",
};

impl PairRule for T2StockFlow {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, previous: &Report, current: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let (Some(pt), Some(ct)) = (&previous.t2, &current.t2) else { return };
        if pt.layout() != Layout::Format2021 || ct.layout() != Layout::Format2021 {
            return;
        }
        for row in [T2Row::Regulations, T2Row::NormativeDocuments] {
            let k = |c| CellKey::t2(row, c);
            let (Some(prev), Some(issued), Some(repealed), Some(now)) = (
                previous.operand(k(T2Col::InForce)),
                current.operand(k(T2Col::Issued)),
                current.operand(k(T2Col::Repealed)),
                current.operand(k(T2Col::InForce)),
            ) else {
                continue;
            };
            let Some(expected) = prev.checked_add(issued).and_then(|x| x.checked_sub(repealed))
            else {
                continue;
            };
            let Some(delta) = now.checked_sub(expected) else { continue };
            let diff = delta.abs();
            if diff > Decimal::from(2)
                && diff.checked_mul(Decimal::from(10)).is_none_or(|d| d > expected.abs())
            {
                out.push(
                    finding(
                        &INFO,
                        Msg::new(
                            format!(
                                "「{}」现行有效件数印为 {}，而上年现行有效 {} + 本年制发 {} − 本年废止 {} = {}，相差 {}（修订、失效可致小幅差异）",
                                row_zh(current, k(T2Col::InForce).row), show(now), show(prev), show(issued), show(repealed), show(expected), show(delta)
                            ),
                            format!("`{}` in force is {}, but last year's {} + issued {} − repealed {} = {}", row.key(), show(now), show(prev), show(issued), show(repealed), show(expected)),
                        ),
                    )
                    .with_cells([k(T2Col::InForce), k(T2Col::Issued), k(T2Col::Repealed)])
                    .with_values(Some(now), Some(expected))
                    .with_label(current.cell(k(T2Col::InForce)).and_then(|c| c.span), Msg::new("现行有效", "in force")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::consistent;
    use gongkai_model::Value;

    #[test]
    fn stock_and_flow() {
        let prev = consistent();
        let mut cur = consistent();
        let mut out = Vec::new();
        // 2 + 2 − 2 = 2: consistent.
        T2StockFlow.check(&prev, &cur, &mut out);
        assert!(out.is_empty());
        if let Some(t) = cur.t2.as_mut() {
            t.set(CellKey::t2(T2Row::NormativeDocuments, T2Col::InForce), Value::int(60));
        }
        T2StockFlow.check(&prev, &cur, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].implied, Some(2.into()));
    }
}
