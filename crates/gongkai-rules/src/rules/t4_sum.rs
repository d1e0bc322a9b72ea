//! T4-SUM: in every block of Table 4, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

use gongkai_model::catalogue::t4_block_label;
use gongkai_model::{Msg, Report, RowId, identities};

use crate::eval::{Undetermined, show, show_diff, span, unequal};
use crate::{RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct T4Sum;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "T4-SUM",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "表四各栏：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    title_en: "Table 4, every block: total = upheld + corrected + other + pending",
    doc_zh: "## 检查内容\n\n表四的行政复议、未经复议直接起诉、复议后起诉三栏，每栏的“总计”须等于结果维持、结果纠正、其他结果、尚未审结四项之和。\n\n## 原因\n\n每个案件恰好处于一种结果或尚未审结。\n\n## 示例\n\n行政复议：维持 1、纠正 0、其他 2、尚未审结 0，总计应为 3。\n\n## 如何处理\n\n核对复议、诉讼案件台账。",
    doc_en: "## What it checks\n\nIn each of Table 4's blocks (reconsideration, litigation filed directly, litigation after reconsideration) the total must equal upheld + corrected + other + pending.\n\n## Why it matters\n\nEvery case has exactly one result or is still pending.\n\n## Example\n\nReconsideration: upheld 1, corrected 0, other 2, pending 0 — the total must be 3.\n\n## How to fix\n\nCheck the register of reconsideration and litigation cases.",
};

impl crate::Rule for T4Sum {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        if report.t4.is_none() {
            return;
        }
        let mut und = Undetermined::default();
        // The block sums, as the recognizer's solver uses them.
        for identity in identities::t4() {
            let (parts, &[total]) = (&identity.lhs, identity.rhs.as_slice()) else { continue };
            let (RowId::T4(b), [p0, p1, p2, p3]) = (total.row, parts.as_slice()) else { continue };
            let Some((s, t)) = unequal(report, parts, &[total], &mut und) else { continue };
            let n = |k| report.number(k).map(show).unwrap_or_default();
            out.push(
                finding(
                    &INFO,
                    Msg::new(
                        format!(
                            "「{}」栏：总计印为 {}，而维持 {} + 纠正 {} + 其他 {} + 尚未审结 {} = {}，相差 {}",
                            t4_block_label(b), show(t), n(*p0), n(*p1), n(*p2), n(*p3), show(s), show_diff(t, s)
                        ),
                        format!("block `{}`: total is printed as {}, but the four results sum to {} (difference {})", b.key(), show(t), show(s), show_diff(t, s)),
                    ),
                )
                .with_cells(std::iter::once(total).chain(parts.iter().copied()))
                .with_values(Some(t), Some(s))
                .with_label(span(report, total), Msg::new(format!("总计 {}", show(t)), format!("total {}", show(t))))
                .with_label(span(report, *p0), Msg::new("", ""))
                .with_label(span(report, *p3), Msg::new("", "")),
            );
        }
        out.extend(und.finding(&INFO));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rule as _;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::{CellKey, T4Block, T4Col, Value};

    #[test]
    fn silent_on_a_consistent_report() {
        let mut out = Vec::new();
        T4Sum.check(&consistent(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn fires_on_the_block() {
        let mut r = consistent();
        if let Some(t) = r.t4.as_mut() {
            t.set(CellKey::t4(T4Block::LitigationDirect, T4Col::Total), Value::int(1));
        }
        let mut out = Vec::new();
        T4Sum.check(&r, &mut out);
        assert_eq!(ids(&out), ["T4-SUM"]);
        assert_eq!(out[0].cells[0], CellKey::t4(T4Block::LitigationDirect, T4Col::Total));
        insta::assert_snapshot!(out[0].message.zh, @"「未经复议直接起诉」栏：总计印为 1，而维持 0 + 纠正 0 + 其他 0 + 尚未审结 0 = 0，相差 1");
    }
}
