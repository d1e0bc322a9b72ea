//! T3-RESULTS-SUM: in every column of Table 3, （七）总计 = the sum of the outcome rows.

use gongkai_model::identities::{self, IdentityKind};
use gongkai_model::{CellKey, ColId, Msg, Report};

use crate::eval::{Undetermined, show, show_diff, total_mismatch, unequal};
use crate::rules::{row_zh, t3_col_zh};
use crate::{Rule, RuleInfo, Scope};

/// The rule.
pub(crate) struct T3ResultsSum;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "T3-RESULTS-SUM",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "表三各列：（七）总计 = 各项办理结果之和",
    title_en: "Table 3, every column: total processed = sum of the outcome rows",
    doc_zh: "## 检查内容\n\n表三每一列的“（七）总计”须等于“三、本年度办理结果”下各项之和：2021 年格式为（一）至（六）的 21 行，2019 年试行格式为 18 行加“（六）其他处理”一行。\n\n## 原因\n\n每件办结的申请恰好计入一种办理结果（部分公开的只计“部分公开”）。总计与各项之和不等，说明有结果漏计、重计，或总计抄错。\n\n## 示例\n\n自然人列：予以公开 27、部分公开 5、不予公开 8、无法提供 22、其他 1，合计 63；若总计印为 64，则报告此项。\n\n## 如何处理\n\n逐项核对办理结果；不要为凑平而改动总计。",
    doc_en: "## What it checks\n\nIn every column of Table 3, `（七）总计` must equal the sum of the outcome rows under 三、本年度办理结果: the 21 rows of the 2021 format, or 18 rows plus `（六）其他处理` in the trial format.\n\n## Why it matters\n\nEach closed application counts under exactly one outcome. A mismatch means an outcome was missed, counted twice, or the total mistyped.\n\n## Example\n\nNatural persons: granted 27, partially 5, withheld 8, unable 22, other 1 — 63; a printed total of 64 is reported.\n\n## How to fix\n\nCheck the outcomes one by one; do not change the total to force a match.",
};

impl Rule for T3ResultsSum {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let Some(t3) = &report.t3 else { return };
        let mut und = Undetermined::default();
        // The column sums of the report's layout, as the recognizer's solver uses them.
        let sums = identities::t3_columns(t3.layout())
            .into_iter()
            .filter(|i| i.kind == IdentityKind::T3ResultsSum);
        for identity in sums {
            let (parts, &[total]) = (&identity.lhs, identity.rhs.as_slice()) else { continue };
            let ColId::T3(c) = total.col else { continue };
            let Some((s, t)) = unequal(report, parts, &[total], &mut und) else { continue };
            let col = t3_col_zh(c);
            let nonzero: Vec<CellKey> = parts
                .iter()
                .copied()
                .filter(|&k| report.number(k).is_some_and(|d| !d.is_zero()))
                .collect();
            let listed: Vec<String> = nonzero
                .iter()
                .map(|&k| {
                    format!(
                        "{} {}",
                        row_zh(report, k.row),
                        report.number(k).map(show).unwrap_or_default()
                    )
                })
                .collect();
            let message = Msg::new(
                format!(
                    "「{col}」列：（七）总计印为 {}，而各项办理结果之和为 {}（{}），相差 {}",
                    show(t),
                    show(s),
                    if listed.is_empty() {
                        "各项均为 0".to_owned()
                    } else {
                        listed.join("、")
                    },
                    show_diff(t, s)
                ),
                format!(
                    "column `{}`: total processed is printed as {}, but the outcome rows sum to {} (difference {})",
                    c.key(),
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
        T3ResultsSum.check(&consistent(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn fires_when_an_outcome_is_off() {
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::WithheldInquiry, T3Col::NaturalPerson), Value::int(2));
        }
        let mut out = Vec::new();
        T3ResultsSum.check(&r, &mut out);
        assert_eq!(ids(&out), ["T3-RESULTS-SUM"]);
        assert_eq!(out[0].printed, Some(10.into()));
        assert_eq!(out[0].implied, Some(12.into()));
        insta::assert_snapshot!(out[0].message.zh, @"「自然人」列：（七）总计印为 10，而各项办理结果之和为 12（（一）予以公开 6、8.属于行政查询事项 2、1.本机关不掌握相关政府信息 4），相差 -2");
    }
}
