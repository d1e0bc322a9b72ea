//! REPORT-EMPTY: the form of a report with nothing filled in — no number in any table and no
//! section text beyond the template's bracketed placeholders (`（文字描述）`).

use gongkai_model::{Msg, Report, Value};

use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct ReportEmpty;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "REPORT-EMPTY",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "报告没有填写内容：表格中没有任何数字，各部分只有模板占位文字",
    title_en: "Nothing is filled in: no number in any table, no section text beyond the template's placeholders",
    doc_zh: "## 检查内容\n\n找到了年度报告的结构（表格或部分标题），但没有填写任何内容：已找到的表格中没有一个单元格是数字（空白、“/”或无法确定），各部分的文字去掉括号内的模板说明（如“（文字描述）”“（本列数据的勾稽关系为……）”）和残留的表格行（“| 结果维持 | 结果纠正 |”，表格内容以单元格为准）后什么也不剩。空白的官方格式模板即属此类。只要有一个数字（包括 0），或任一部分有实际文字，就不作此判定。完全没有报告结构的输入由 NOT-A-REPORT 报告。\n\n## 原因\n\n未填写的模板不是年度报告；各项勾稽关系在全部为空时无法判断，不能因此得出“0 个错误”的结论。\n\n## 示例\n\n空白模板：三张表全部为空，第一部分只有“（文字描述）”—— 错误。",
    doc_en: "## What it checks\n\nThe structure of a report was found (tables or section headings) but nothing is filled in: no cell of the tables found holds a number (blank, `/` or undetermined), and every section's text is empty once the template's bracketed instructions (`（文字描述）`, `（本列数据的勾稽关系为……）`) and leftover table rows (`| 结果维持 | 结果纠正 |`: a table's content is judged by its cells) are removed. The blank official template is such a file. One number (0 included) or one section with real text is enough not to fire. Inputs with no report structure at all are reported by NOT-A-REPORT.\n\n## Why it matters\n\nAn unfilled template is not an annual report; every consistency rule is undetermined on blank tables, which must not add up to \"0 errors\".\n\n## Example\n\nThe blank template: all three tables blank, section 一 only `（文字描述）` — error.",
};

impl Rule for ReportEmpty {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        if super::not_a_report::is_not_a_report(report) || is_filled(report) {
            return;
        }
        let tables = report.tables().count();
        let sections = report.sections.len();
        let span = report.tables().find_map(|t| t.span);
        out.push(
            finding(
                &INFO,
                Msg::new(
                    format!(
                        "报告没有填写内容：找到的 {tables} 张表中没有任何数字，{sections} 个部分除模板占位文字（如“（文字描述）”）外没有文字；这是未填写的模板，不是年度报告"
                    ),
                    format!(
                        "nothing is filled in: no number in the {tables} table(s) found, and no text in the {sections} section(s) beyond template placeholders such as （文字描述）; an unfilled template is not an annual report"
                    ),
                ),
            )
            .with_label(span, Msg::new("", "")),
        );
    }
}

/// Whether anything is filled in: a number in a table, or a section with text of its own.
fn is_filled(report: &Report) -> bool {
    report.cells().any(|c| matches!(c.value, Value::Number(_)))
        || report.sections.iter().any(|s| has_own_text(&s.text))
}

/// Whether `text` has a letter or digit outside brackets (the template's placeholders and
/// instructions are bracketed: `（文字描述）`) and outside table rows (`| 结果维持 | … |`, a table's
/// labels left in the section: the table's content is judged by its cells).
fn has_own_text(text: &str) -> bool {
    let mut depth = 0usize;
    for line in text.lines().filter(|l| !l.trim_start().starts_with('|')) {
        for c in line.chars() {
            match c {
                '（' | '(' | '【' => depth += 1,
                '）' | ')' | '】' => depth = depth.saturating_sub(1),
                c if depth == 0 && c.is_alphanumeric() => return true,
                _ => {}
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::{Layout, Section, SectionId, Table, TableId};

    fn check(r: &Report) -> Vec<gongkai_model::Finding> {
        let mut out = Vec::new();
        ReportEmpty.check(r, &mut out);
        out
    }

    /// The blank template: every table blank, every section a placeholder.
    fn template() -> Report {
        let mut r = Report::default();
        for t in [TableId::T2, TableId::T3, TableId::T4] {
            *r.table_mut(t) = Some(Table::blank(t, Layout::Format2021));
        }
        r.sections = SectionId::ALL.into_iter().map(|s| Section::new(s, "（文字描述）")).collect();
        r
    }

    #[test]
    fn silent_on_a_report() {
        assert!(check(&consistent()).is_empty());
    }

    #[test]
    fn the_blank_template_is_empty() {
        let out = check(&template());
        assert_eq!(ids(&out), ["REPORT-EMPTY"]);
        assert_eq!(out[0].severity, gongkai_model::Severity::Error);
        insta::assert_snapshot!(out[0].message.zh, @"报告没有填写内容：找到的 3 张表中没有任何数字，6 个部分除模板占位文字（如“（文字描述）”）外没有文字；这是未填写的模板，不是年度报告");
    }

    #[test]
    fn one_number_or_one_sentence_is_filled_in() {
        let mut r = template();
        if let Some(t) = r.t4.as_mut() {
            t.set("t4.review.upheld".parse().expect("key"), Value::int(0));
        }
        assert!(check(&r).is_empty());
        let mut r = template();
        r.sections[0].text = "（文字描述）本年度未收到申请。".into();
        assert!(check(&r).is_empty());
        // Blank tables beside real prose: a report whose tables were left blank, not a template.
        let mut r = template();
        r.sections[4].text = "无".into();
        assert!(check(&r).is_empty());
    }

    #[test]
    fn unknown_cells_and_nested_placeholders_are_not_content() {
        let mut r = template();
        r.t3 = Some(Table::filled(TableId::T3, Layout::Format2021, |_| Value::Unknown));
        r.sections[2].text =
            "（本列数据的勾稽关系为：第一项加第二项之和（含结转），等于第三项）\n| |".into();
        r.sections[3].text =
            "|\n| 行政诉讼 |\n| 结果维持 | 结果纠正 | 其他结果 |\n|   |   |".into();
        assert_eq!(ids(&check(&r)), ["REPORT-EMPTY"]);
    }

    #[test]
    fn not_a_report_is_left_to_its_rule() {
        assert!(check(&Report::default()).is_empty());
    }
}
