//! CELL-INTEGER: counts are integers ≥ 0 (本年增/减 may be negative); amounts are decimals ≥ 0.

use gongkai_model::{Msg, Report, Value, ValueKind};

use crate::eval::show;
use crate::rules::row_zh;
use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct CellInteger;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "CELL-INTEGER",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "件数为非负整数，金额为非负数",
    title_en: "Counts are integers ≥ 0; amounts are decimals ≥ 0",
    doc_zh: "## 检查内容\n\n表二至表四中的件数（申请数、决定数量、案件数等）须为非负整数；试行格式的“本年增/减”可为负整数；“本年收费金额（单位：万元）”与“采购总金额”须为非负数，可有小数。\n\n超过 10^15 的数值大得不可能（多为表格外的长数字或乱码被读入），报告为错误，且不参与其他勾稽关系的计算。\n\n## 原因\n\n件数不会是小数或负数；出现时多为录入错误（例如把金额填入件数栏）。\n\n## 示例\n\n“行政许可 本年处理决定数量”印为 12.5 —— 报告此项。\n\n## 如何处理\n\n核对原始数据。",
    doc_en: "## What it checks\n\nCounts in Tables 2–4 must be non-negative integers; the trial format's 本年增/减 may be a negative integer; the fee amount (万元) and procurement amount must be non-negative decimals. A value above 10^15 is impossibly large (usually a long number or garbage read into the table): it is an error and takes no part in the other rules' arithmetic.\n\n## Why it matters\n\nA count is never fractional or negative; such a value is usually a typing error.\n\n## Example\n\nLicensing decisions printed as 12.5 — reported.\n\n## How to fix\n\nCheck the source data.",
};

impl Rule for CellInteger {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        for table in report.tables() {
            for cell in table.cells() {
                let Value::Number(d) = &cell.value else { continue };
                let Some(col) = table.shape().column(cell.key) else { continue };
                if cell.value.is_absurd() {
                    out.push(absurd(report, cell, col.label));
                    continue;
                }
                let problem = match col.kind {
                    ValueKind::Count if d.is_sign_negative() && !d.is_zero() => {
                        Some(("负数", "negative"))
                    }
                    ValueKind::Count | ValueKind::SignedCount if !d.fract().is_zero() => {
                        Some(("小数", "not an integer"))
                    }
                    ValueKind::Amount if d.is_sign_negative() && !d.is_zero() => {
                        Some(("负数", "negative"))
                    }
                    _ => None,
                };
                if let Some((zh, en)) = problem {
                    let label = row_zh(report, cell.key.row);
                    out.push(
                        finding(
                            &INFO,
                            Msg::new(
                                format!(
                                    "「{label}」「{}」印为 {}：{}不应为{zh}",
                                    col.label,
                                    show(*d),
                                    if col.kind == ValueKind::Amount { "金额" } else { "件数" }
                                ),
                                format!("`{}` is printed as {}: {en}", cell.key, show(*d)),
                            ),
                        )
                        .with_cells([cell.key])
                        .with_values(Some(*d), None)
                        .with_label(cell.span, Msg::new("", "")),
                    );
                }
            }
        }
    }
}

/// A value too large to be a count or an amount; it takes no part in the other rules' arithmetic.
fn absurd(report: &Report, cell: &gongkai_model::Cell, col: &str) -> gongkai_model::Finding {
    let shown = cell.value.tsv();
    finding(
        &INFO,
        Msg::new(
            format!(
                "「{}」「{col}」印为 {shown}：数值大得不可能（超过 10^15），不参与勾稽关系的计算",
                row_zh(report, cell.key.row)
            ),
            format!(
                "`{}` is printed as {shown}: impossibly large (above 10^15); left out of every sum",
                cell.key
            ),
        ),
    )
    .with_cells([cell.key])
    .with_values(cell.value.number(), None)
    .with_label(cell.span, Msg::new("数值过大", "too large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::{CellKey, T2Col, T2Row};

    #[test]
    fn silent_on_a_consistent_report() {
        let mut out = Vec::new();
        CellInteger.check(&consistent(), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn absurd_magnitudes() {
        let mut r = consistent();
        let key = CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan);
        if let Some(t) = r.t2.as_mut() {
            t.set(key, Value::Number("1234567890123456789012345678".parse().unwrap_or_default()));
        }
        let mut out = Vec::new();
        CellInteger.check(&r, &mut out);
        assert_eq!(ids(&out), ["CELL-INTEGER"]);
        assert_eq!(out[0].cells, [key]);
        insta::assert_snapshot!(out[0].message.zh, @"「行政事业性收费」「本年收费金额（单位：万元）」印为 1234567890123456789012345678：数值大得不可能（超过 10^15），不参与勾稽关系的计算");
    }

    #[test]
    fn fractions_and_negatives() {
        let mut r = consistent();
        if let Some(t) = r.t2.as_mut() {
            t.set(
                CellKey::t2(T2Row::Licensing, T2Col::Decisions),
                Value::Number("12.5".parse().unwrap_or_default()),
            );
            t.set(CellKey::t2(T2Row::Penalty, T2Col::Decisions), Value::int(-1));
            t.set(
                CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan),
                Value::Number("0.35".parse().unwrap_or_default()),
            );
        }
        let mut out = Vec::new();
        CellInteger.check(&r, &mut out);
        assert_eq!(ids(&out), ["CELL-INTEGER", "CELL-INTEGER"]);
        insta::assert_snapshot!(out[0].message.zh, @"「行政许可」「本年处理决定数量」印为 12.5：件数不应为小数");
    }
}
