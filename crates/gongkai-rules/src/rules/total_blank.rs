//! TOTAL-BLANK: a total of Table 3 or 4 left blank beside printed parts.
//!
//! A blank operand makes the sum rules undetermined (T3-ROW-TOTAL, T3-RESULTS-SUM, T4-SUM only
//! say so as information). A blank *total* beside printed parts is different: the parts say what
//! the total is, and the agency did not print it. Parts summing to non-zero make it an error (the
//! table says nothing where it must say a number); printed zero parts a warning.

use gongkai_model::catalogue::t4_block_label;
use gongkai_model::identities::{self, Identity, IdentityKind};
use gongkai_model::{ColId, Decimal, Msg, Report, RowId, Severity, Value};

use crate::eval::{checked_sum, show, span};
use crate::rules::{row_zh, t3_col_zh};
use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct TotalBlank;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "TOTAL-BLANK",
    severity: Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "表三、表四：各项已填而总计空白",
    title_en: "Tables 3 and 4: a total left blank beside printed parts",
    doc_zh: "## 检查内容\n\n表三每行的总计、每列的（七）总计，表四每栏的总计：其组成各项印有数字而总计空白。\n\n各项之和不为 0 时为错误（总计必须是一个数）；各项均印为 0 时为警告（总计应印 0）。\n\n## 原因\n\n空白的组成项只能使勾稽关系无法判定；而空白的总计旁边有数字，是报告本身漏填，不应当作“无法判定”放过。\n\n## 示例\n\n表四行政复议：维持 2、纠正 1，总计空白 —— 总计应为 3。\n\n## 如何处理\n\n补填总计。",
    doc_en: "## What it checks\n\nThe totals of Table 3 (each row's total, each column's （七）总计) and Table 4 (each block's total): its parts hold printed numbers while the total is blank.\n\nAn error when the parts sum to non-zero (the total must be a number); a warning when the parts are printed zeros.\n\n## Why it matters\n\nBlank parts only make an identity undetermined; a blank total beside printed numbers is a gap in the report itself and must not pass as undetermined.\n\n## Example\n\nTable 4, reconsideration: upheld 2, corrected 1, total blank — the total must be 3.\n\n## How to fix\n\nFill in the total.",
};

/// The sum identities (one total on the right) of the report's Tables 3 and 4.
fn sums(report: &Report) -> Vec<Identity> {
    let mut out = Vec::new();
    if let Some(t3) = &report.t3 {
        out.extend(identities::t3(t3.layout()).into_iter().filter(|i| i.rhs.len() == 1));
    }
    if report.t4.is_some() {
        out.extend(identities::t4());
    }
    out
}

/// Where the total is, in Chinese (`「（一）予以公开」行的总计`).
fn place_zh(report: &Report, id: &Identity) -> String {
    let total = id.rhs[0];
    match (id.kind, total.row, total.col) {
        (IdentityKind::T3RowTotal, row, _) => format!("表三「{}」行的总计", row_zh(report, row)),
        (_, _, ColId::T3(c)) => format!("表三「{}」列的（七）总计", t3_col_zh(c)),
        (_, RowId::T4(b), _) => format!("表四「{}」栏的总计", t4_block_label(b)),
        _ => total.to_string(),
    }
}

impl Rule for TotalBlank {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        for id in sums(report) {
            let total = id.rhs[0];
            if report.value(total) != Some(&Value::Blank) {
                continue;
            }
            let printed: Vec<Decimal> = id.lhs.iter().filter_map(|&k| report.number(k)).collect();
            if printed.is_empty() {
                continue;
            }
            let nonzero = printed.iter().any(|d| !d.is_zero());
            let implied = checked_sum(report, &id.lhs);
            let shown = implied.map_or_else(|| "?".to_owned(), show);
            let mut f = finding(
                &INFO,
                Msg::new(
                    format!(
                        "{}空白，而其各项印有数字（{}，之和 {shown}）",
                        place_zh(report, &id),
                        printed.iter().map(|d| show(*d)).collect::<Vec<_>>().join("、")
                    ),
                    format!(
                        "`{total}` is blank beside printed parts ({}; they sum to {shown})",
                        printed.iter().map(|d| show(*d)).collect::<Vec<_>>().join(", ")
                    ),
                ),
            )
            .with_cells(std::iter::once(total).chain(id.lhs.iter().copied()))
            .with_values(None, implied)
            .with_label(span(report, total), Msg::new("总计空白", "blank total"));
            if !nonzero {
                f.severity = Severity::Warning;
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::{CellKey, T3Col, T3Row, T4Block, T4Col};

    fn run(r: &Report) -> Vec<gongkai_model::Finding> {
        let mut out = Vec::new();
        TotalBlank.check(r, &mut out);
        out
    }

    #[test]
    fn silent_on_a_consistent_report_and_on_blank_parts() {
        assert!(run(&consistent()).is_empty());
        let mut r = consistent();
        if let Some(t) = r.t4.as_mut() {
            t.set(CellKey::t4(T4Block::Review, T4Col::Corrected), Value::Blank);
        }
        assert!(run(&r).is_empty());
    }

    #[test]
    fn a_blank_total_beside_non_zero_parts_is_an_error() {
        let mut r = consistent();
        let key = CellKey::t4(T4Block::Review, T4Col::Total);
        if let Some(t) = r.t4.as_mut() {
            t.set(key, Value::Blank);
        }
        let out = run(&r);
        assert_eq!(ids(&out), ["TOTAL-BLANK"]);
        assert_eq!(out[0].severity, Severity::Error);
        assert_eq!(out[0].cells[0], key);
        assert_eq!(out[0].implied, Some(3.into()));
        insta::assert_snapshot!(out[0].message.zh, @"表四「行政复议」栏的总计空白，而其各项印有数字（2、0、0、1，之和 3）");
    }

    #[test]
    fn a_blank_total_beside_zeros_is_a_warning() {
        let mut r = consistent();
        let key = CellKey::t3(T3Row::WithheldInquiry, T3Col::Total);
        if let Some(t) = r.t3.as_mut() {
            t.set(key, Value::Blank);
        }
        let out = run(&r);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].severity, Severity::Warning);
        assert_eq!(out[0].implied, Some(0.into()));
    }

    #[test]
    fn the_sum_rules_alone_leave_it_undetermined() {
        // Before this rule the blank total only drew T4-SUM's information finding.
        let mut r = consistent();
        if let Some(t) = r.t4.as_mut() {
            t.set(CellKey::t4(T4Block::Review, T4Col::Total), Value::Blank);
        }
        let all = crate::check(&r);
        assert!(all.iter().any(|f| f.rule == "TOTAL-BLANK" && f.severity == Severity::Error));
    }
}
