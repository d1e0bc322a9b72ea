//! X-CARRY (cross-year): this year's 上年结转 equals last year's 结转下年度, column by column.

use gongkai_model::{CellKey, Msg, Report, T3Col, T3Row};

use crate::eval::show;
use crate::rules::t3_col_zh;
use crate::{PairRule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct XCarry;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "X-CARRY",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::CrossYear,
    title_zh: "跨年：本年“上年结转”= 上年“结转下年度继续办理”（逐列）",
    title_en: "Cross-year: carried over (N) = carried forward (N−1), column by column",
    doc_zh: "## 检查内容\n\n同一机关相邻两年的报告：本年表三“二、上年结转政府信息公开申请数量”每一列，须等于上一年“四、结转下年度继续办理”的同一列。\n\n## 原因\n\n上一年未办结的申请就是本年的结转件，两份报告必须衔接。格式变更（试行格式改为 2021 年格式）或机构改革造成的断点照常报告并注明原因，不予隐藏。\n\n## 示例\n\n2021 年结转下年度总计 1，2022 年上年结转总计 0 —— 报告此项。\n\n## 如何处理\n\n核对两年的登记台账；如因机构调整而不衔接，在第六部分说明。",
    doc_en: "## What it checks\n\nFor two consecutive reports of the same agency, each column of this year's `carried_over` must equal last year's `carried_forward`.\n\n## Why it matters\n\nApplications open at the end of a year are next year's carry-over; the reports must chain. Breaks at format changes or reorganisations are still reported, with the reason.\n\n## Example\n\n2021 carried forward 1 in total, 2022 carried over 0 — reported.",
};

impl PairRule for XCarry {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, previous: &Report, current: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let (Some(pt), Some(ct)) = (&previous.t3, &current.t3) else { return };
        let format_change = pt.layout() != ct.layout();
        let py =
            previous.meta.year.as_ref().map_or_else(|| "上一".to_owned(), |y| y.value.to_string());
        for &c in T3Col::ALL {
            let fwd = CellKey::t3(T3Row::CarriedForward, c);
            let over = CellKey::t3(T3Row::CarriedOver, c);
            let (Some(a), Some(b)) = (previous.number(fwd), current.number(over)) else { continue };
            if a == b {
                continue;
            }
            let note_zh = if format_change {
                "（两年表三格式不同，可能因格式变更而不衔接）"
            } else {
                ""
            };
            let note_en =
                if format_change { " (the two years use different Table 3 layouts)" } else { "" };
            let mut f = finding(
                &INFO,
                Msg::new(
                    format!("「{}」列：本年上年结转 {}，而 {py} 年结转下年度 {}{note_zh}", t3_col_zh(c), show(b), show(a)),
                    format!("column `{}`: carried over {} this year, but {} was carried forward last year{note_en}", c.key(), show(b), show(a)),
                ),
            )
            .with_cells([over])
            .with_values(Some(b), Some(a))
            .with_label(current.cell(over).and_then(|x| x.span), Msg::new("上年结转", "carried over"));
            if format_change {
                f.severity = gongkai_model::Severity::Warning;
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::consistent;
    use gongkai_model::Value;

    #[test]
    fn chains_and_breaks() {
        let prev = consistent();
        let mut cur = consistent();
        let mut out = Vec::new();
        XCarry.check(&prev, &cur, &mut out);
        // consistent(): carried forward 1/0/…/1, carried over 1/0/…/1.
        assert!(out.is_empty(), "{out:?}");
        if let Some(t) = cur.t3.as_mut() {
            t.set(CellKey::t3(T3Row::CarriedOver, T3Col::Total), Value::int(0));
        }
        XCarry.check(&prev, &cur, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].cells, [CellKey::t3(T3Row::CarriedOver, T3Col::Total)]);
    }
}
