//! T3-CELL: when a row identity and a column identity of Table 3 fail and cross at one cell, that
//! cell is named, with the value that would make all of them hold.
//!
//! One mistyped cell makes its row's total (T3-ROW-TOTAL) and its column's sum or balance
//! (T3-RESULTS-SUM, T3-BALANCE) fail; each of those findings names a total, not the cell. This rule
//! looks for the one cell that explains every failing Table 3 identity: every identity through it
//! is computable and fails, they all imply the same value for it, and no failing identity passes
//! elsewhere. Only when exactly one cell does so is it reported — as a suspect (warning), with the
//! printed value and the implied one; the printed value is never changed.

use gongkai_model::identities::{self, Identity, IdentityKind};
use gongkai_model::{CellKey, ColId, Decimal, Msg, Report, RowId, Severity};

use crate::eval::{checked_sum, show, span};
use crate::rules::{row_zh, t3_col_zh};
use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct T3Cell;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "T3-CELL",
    severity: Severity::Warning,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "表三：行与列的勾稽关系交叉指向的单元格",
    title_en: "Table 3: the cell where a failing row and a failing column cross",
    doc_zh: "## 检查内容\n\n表三某一行的总计（T3-ROW-TOTAL）与某一列的合计或平衡关系（T3-RESULTS-SUM、T3-BALANCE）同时不成立，且它们交叉于同一个单元格时，指出这个单元格，并给出使这些关系全部成立的数值。\n\n只有当恰好一个单元格能同时解释表三所有不成立的关系（经过它的每条关系都可计算、都不成立、且都指向同一个数值）时才报告。\n\n## 原因\n\n抄错一个单元格，会使它所在行的总计和所在列的合计同时出错；这两条错误各自指向的是总计，而出错的是它们交叉处的单元格。\n\n## 示例\n\n“（一）予以公开”行“自然人”列印为 8：该行总计为 7、该列（七）总计比各项之和少 2；两条关系都在该单元格为 6 时成立。\n\n## 如何处理\n\n核对该单元格；若它确实无误，则是两处以上同时出错。印刷值不作改动。",
    doc_en: "## What it checks\n\nWhen a row total of Table 3 (T3-ROW-TOTAL) and a column sum or balance (T3-RESULTS-SUM, T3-BALANCE) fail and cross at one cell, that cell is named with the value that would make all of them hold.\n\nIt is reported only when exactly one cell explains every failing Table 3 identity (every identity through it is computable, fails, and implies the same value).\n\n## Why it matters\n\nOne mistyped cell breaks its row's total and its column's sum; those findings point at the totals, while the culprit is the cell where they cross.\n\n## Example\n\nRow 予以公开, natural persons printed 8: the row total says 7 and the column's total is 2 short; both hold when the cell is 6.\n\n## How to fix\n\nCheck that cell; if it is right, more than one cell is wrong. The printed value is kept.",
};

/// `Σ lhs − Σ rhs` of an identity, when every cell is a number (and the sums do not overflow).
fn residual(report: &Report, id: &Identity) -> Option<Decimal> {
    let l = checked_sum(report, &id.lhs)?;
    let r = checked_sum(report, &id.rhs)?;
    l.checked_sub(r)
}

/// The cell that explains every failing identity, with the value that makes them all hold.
pub(crate) fn crossing(report: &Report) -> Option<(CellKey, Decimal, Vec<&'static str>)> {
    let t3 = report.t3.as_ref()?;
    let ids = identities::t3(t3.layout());
    let res: Vec<Option<Decimal>> = ids.iter().map(|i| residual(report, i)).collect();
    let failing: Vec<usize> =
        (0..ids.len()).filter(|&i| res[i].is_some_and(|r| !r.is_zero())).collect();
    if failing.is_empty() {
        return None;
    }
    let mut found: Option<(CellKey, Decimal, Vec<&'static str>)> = None;
    for key in t3.shape().keys() {
        let Some(value) = report.number(key) else { continue };
        let through: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].sign(key) != 0).collect();
        let row = through.iter().any(|&i| ids[i].kind == IdentityKind::T3RowTotal);
        let column = through.iter().any(|&i| ids[i].kind != IdentityKind::T3RowTotal);
        if !row || !column || !failing.iter().all(|f| through.contains(f)) {
            continue;
        }
        // Each identity through the cell, changed by `d` at the cell, holds when
        // residual + sign·d = 0: they must all be failing and agree on `d`.
        let mut delta: Option<Decimal> = None;
        let agree = through.iter().all(|&i| {
            let (Some(r), sign) = (res[i], ids[i].sign(key)) else { return false };
            let d = if sign > 0 { -r } else { r };
            !r.is_zero() && *delta.get_or_insert(d) == d
        });
        let Some(implied) = delta.filter(|_| agree).and_then(|d| value.checked_add(d)) else {
            continue;
        };
        if found.is_some() {
            return None;
        }
        let mut rules: Vec<&'static str> = Vec::new();
        for &i in &through {
            if !rules.contains(&ids[i].kind.rule()) {
                rules.push(ids[i].kind.rule());
            }
        }
        found = Some((key, implied, rules));
    }
    found
}

impl Rule for T3Cell {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let Some((key, implied, rules)) = crossing(report) else { return };
        let (RowId::T3(_), ColId::T3(col)) = (key.row, key.col) else { return };
        let printed = report.number(key).unwrap_or_default();
        let row = row_zh(report, key.row);
        out.push(
            finding(
                &INFO,
                Msg::new(
                    format!(
                        "「{row}」行「{}」列印为 {}：{} 都经过此单元格且都不成立，若此单元格为 {} 则全部成立",
                        t3_col_zh(col),
                        show(printed),
                        rules.join("、"),
                        show(implied)
                    ),
                    format!(
                        "row `{}`, column `{}` is printed as {}: {} all pass through this cell and all fail; with {} they would all hold",
                        key.row.key(),
                        col.key(),
                        show(printed),
                        rules.join(", "),
                        show(implied)
                    ),
                ),
            )
            .with_cells([key])
            .with_values(Some(printed), Some(implied))
            .with_label(
                span(report, key),
                Msg::new(format!("应为 {}？", show(implied)), format!("{}?", show(implied))),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::consistent;
    use gongkai_model::{T3Col, T3Row, Value};

    fn run(r: &Report) -> Vec<gongkai_model::Finding> {
        let mut out = Vec::new();
        T3Cell.check(r, &mut out);
        out
    }

    #[test]
    fn silent_on_a_consistent_report() {
        assert!(run(&consistent()).is_empty());
    }

    #[test]
    fn names_the_crossing_cell_with_the_value_that_satisfies_both() {
        let mut r = consistent();
        let key = CellKey::t3(T3Row::Granted, T3Col::NaturalPerson);
        if let Some(t) = r.t3.as_mut() {
            t.set(key, Value::int(8));
        }
        let out = run(&r);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].cells, [key]);
        assert_eq!(out[0].printed, Some(8.into()));
        assert_eq!(out[0].implied, Some(6.into()));
        insta::assert_snapshot!(out[0].message.zh, @"「（一）予以公开」行「自然人」列印为 8：T3-ROW-TOTAL、T3-RESULTS-SUM 都经过此单元格且都不成立，若此单元格为 6 则全部成立");
    }

    #[test]
    fn two_wrong_cells_are_not_blamed_on_one() {
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::Granted, T3Col::NaturalPerson), Value::int(8));
            t.set(CellKey::t3(T3Row::UnableNotHeld, T3Col::Commercial), Value::int(3));
        }
        assert!(run(&r).is_empty());
    }

    #[test]
    fn an_undetermined_identity_blames_nothing() {
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::Granted, T3Col::NaturalPerson), Value::int(8));
            t.set(CellKey::t3(T3Row::Granted, T3Col::Research), Value::Blank);
        }
        assert!(run(&r).is_empty());
    }
}
