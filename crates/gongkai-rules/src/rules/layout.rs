//! LAYOUT: which layout each table uses; a trial-format table in a 2021+ report is reported.

use gongkai_model::{Layout, Msg, Report, TableId};

use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct LayoutRule;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "LAYOUT",
    severity: gongkai_model::Severity::Info,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "各表所用格式（2021 年格式或 2019 年试行格式）",
    title_en: "Which layout each table uses (2021 format or 2019 trial format)",
    doc_zh: "## 检查内容\n\n逐表报告所用格式：国办公开办函〔2021〕30号的 2021 年格式，或国办公开办函〔2019〕60号的试行格式。格式按表识别，不按年份推断：有的 2023、2024 年报告表二用新格式、表三仍用试行格式（“（六）其他处理”合并为一行）。2021 年及以后的报告使用试行格式的表，单独提示。\n\n## 原因\n\n两种格式的行列不同，统计口径须据此比较；跨年比较时格式变化会导致结转数据不可直接衔接。\n\n## 示例\n\n“表三使用 2019 年试行格式，而报告年度为 2024 年。”",
    doc_en: "## What it checks\n\nReports the layout of each table: the 2021 format (国办公开办函〔2021〕30号) or the trial format (国办公开办函〔2019〕60号). Layout is detected per table, not from the year: some 2023–2024 reports print a 2021 Table 2 beside a trial Table 3. A trial-format table in a 2021+ report is reported separately.\n\n## Why it matters\n\nThe layouts have different rows and columns; comparisons across years must account for the change.\n\n## Example\n\n`Table 3 uses the 2019 trial layout in a 2024 report.`",
};

fn name_zh(t: TableId) -> &'static str {
    match t {
        TableId::T2 => "表二",
        TableId::T3 => "表三",
        TableId::T4 => "表四",
    }
}

fn layout_zh(l: Layout) -> &'static str {
    match l {
        Layout::Format2021 => "2021 年格式",
        Layout::Trial2019 => "2019 年试行格式",
    }
}

impl Rule for LayoutRule {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let year = report.meta.year.as_ref().map(|y| y.value);
        let present: Vec<_> = [TableId::T2, TableId::T3]
            .into_iter()
            .filter_map(|t| report.table(t).map(|x| (t, x.layout())))
            .collect();
        if present.is_empty() {
            return;
        }
        let zh: Vec<String> =
            present.iter().map(|(t, l)| format!("{}：{}", name_zh(*t), layout_zh(*l))).collect();
        let en: Vec<String> = present.iter().map(|(t, l)| format!("{t}: {}", l.key())).collect();
        out.push(finding(&INFO, Msg::new(zh.join("；"), en.join("; "))));
        if let Some(y) = year.filter(|y| *y >= 2021) {
            for (t, l) in present {
                if l == Layout::Trial2019 {
                    let span = report.table(t).and_then(|x| x.span);
                    out.push(
                        finding(
                            &INFO,
                            Msg::new(
                                format!("{}使用 2019 年试行格式，而报告年度为 {y} 年（2021 年起应使用国办公开办函〔2021〕30号格式）", name_zh(t)),
                                format!("{t} uses the 2019 trial layout in a {y} report (the 2021 format applies from 2021)"),
                            ),
                        )
                        .with_label(span, Msg::new("", "")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::consistent;
    use gongkai_model::Table;

    #[test]
    fn reports_trial_tables_in_recent_years() {
        let mut r = consistent();
        let mut out = Vec::new();
        LayoutRule.check(&r, &mut out);
        assert_eq!(out.len(), 1);
        r.t3 = Some(Table::blank(TableId::T3, Layout::Trial2019));
        out.clear();
        LayoutRule.check(&r, &mut out);
        assert_eq!(out.len(), 2);
        insta::assert_snapshot!(out[1].message.zh, @"表三使用 2019 年试行格式，而报告年度为 2024 年（2021 年起应使用国办公开办函〔2021〕30号格式）");
    }
}
