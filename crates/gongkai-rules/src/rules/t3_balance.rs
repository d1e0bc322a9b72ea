//! T3-BALANCE: in every column of Table 3, new + carried over = total processed + carried forward.

use gongkai_model::identities::{self, IdentityKind};
use gongkai_model::{ColId, Layout, Msg, Report};

use crate::eval::{Undetermined, show, show_diff, span, unequal};
use crate::rules::t3_col_zh;
use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct T3Balance;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "T3-BALANCE",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "表三各列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
    title_en: "Table 3, every column: new + carried over = total processed + carried forward",
    doc_zh: "## 检查内容\n\n表三（收到和处理政府信息公开申请情况）的每一列（自然人、五类法人或其他组织、总计）都须满足表头注明的勾稽关系：\n\n    一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理\n\n## 原因\n\n这是格式文件在表三左上角写明的关系（“第一项加第二项之和，等于第三项加第四项之和”）：每件申请要么在本年办结，要么结转下年。不相等说明有申请被漏计或重复计数。\n\n## 示例\n\n自然人列：本年新收 64、上年结转 0，办理结果总计 62、结转下年度 1 —— 64 + 0 ≠ 62 + 1，差 1 件。\n\n## 如何处理\n\n核对登记台账：找出漏计的办理结果或结转件。空白、“/”或无法确定的单元格使该列无法判定（提示）。",
    doc_en: "## What it checks\n\nEvery column of Table 3 (natural persons, the five kinds of organisation, total) must satisfy the relation printed in the table's corner:\n\n    new received + carried over = total processed + carried forward\n\n## Why it matters\n\nIt is the table's own 勾稽关系: every application is either closed this year or carried forward. A difference means an application was missed or counted twice.\n\n## Example\n\nNatural persons: new 64, carried over 0, total processed 62, carried forward 1 — 64 + 0 ≠ 62 + 1.\n\n## How to fix\n\nCheck the register for the missing outcome or carry-over. Blank, `/` or undetermined cells make the column undetermined (info).",
};

impl Rule for T3Balance {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let mut und = Undetermined::default();
        // The balance is the same in both layouts; a report without Table 3 still has its
        // operands listed as undetermined.
        let layout = report.t3.as_ref().map_or(Layout::Format2021, |t| t.layout());
        let balances = identities::t3_columns(layout)
            .into_iter()
            .filter(|i| i.kind == IdentityKind::T3Balance);
        for identity in balances {
            let (&[new, over], &[total, fwd]) = (identity.lhs.as_slice(), identity.rhs.as_slice())
            else {
                continue;
            };
            let ColId::T3(c) = total.col else { continue };
            let Some((a, b)) = unequal(report, &[new, over], &[total, fwd], &mut und) else {
                continue;
            };
            let n = |k| report.number(k).map(show).unwrap_or_default();
            let implied = a.checked_sub(report.operand(fwd).unwrap_or_default());
            let col = t3_col_zh(c);
            out.push(
                finding(
                    &INFO,
                    Msg::new(
                        format!(
                            "「{col}」列：本年新收 {} + 上年结转 {} = {}，而办理结果总计 {} + 结转下年度 {} = {}，相差 {}",
                            n(new), n(over), show(a), n(total), n(fwd), show(b), show_diff(a, b)
                        ),
                        format!(
                            "column `{}`: new {} + carried over {} = {}, but total processed {} + carried forward {} = {} (difference {})",
                            c.key(), n(new), n(over), show(a), n(total), n(fwd), show(b), show_diff(a, b)
                        ),
                    ),
                )
                .with_cells([total, fwd, new, over])
                .with_values(report.number(total), implied)
                .with_label(span(report, total), Msg::new(format!("总计 {}", n(total)), format!("total {}", n(total))))
                .with_label(span(report, fwd), Msg::new("结转下年度", "carried forward"))
                .with_label(span(report, new), Msg::new("本年新收", "new"))
                .with_label(span(report, over), Msg::new("上年结转", "carried over")),
            );
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
        T3Balance.check(&consistent(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn fires_on_the_right_column_with_printed_and_implied() {
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::TotalProcessed, T3Col::Commercial), Value::int(5));
        }
        let mut out = Vec::new();
        T3Balance.check(&r, &mut out);
        assert_eq!(ids(&out), ["T3-BALANCE"]);
        assert_eq!(out[0].cells[0], CellKey::t3(T3Row::TotalProcessed, T3Col::Commercial));
        assert_eq!(out[0].printed, Some(5.into()));
        assert_eq!(out[0].implied, Some(2.into()));
        insta::assert_snapshot!(out[0].message.zh, @"「商业企业」列：本年新收 2 + 上年结转 0 = 2，而办理结果总计 5 + 结转下年度 0 = 5，相差 -3");
    }

    #[test]
    fn blank_operands_are_undetermined_not_failed() {
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::CarriedOver, T3Col::Research), Value::Blank);
        }
        let mut out = Vec::new();
        T3Balance.check(&r, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].severity, gongkai_model::Severity::Info);
        assert_eq!(out[0].cells, [CellKey::t3(T3Row::CarriedOver, T3Col::Research)]);
    }
}
