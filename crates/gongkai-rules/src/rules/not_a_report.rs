//! NOT-A-REPORT: the input shows none of an annual report's structure — no table of the three was
//! found and fewer than three of the six section headings were recognised.

use gongkai_model::{Msg, Report, SectionId};

use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct NotAReport;

/// Section headings a report must show, with no table, to count as one: a meeting notice or an
/// article can match one or two generic headings (`一、总体情况`), never three of the six.
pub(crate) const MIN_HEADINGS: usize = 3;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "NOT-A-REPORT",
    severity: gongkai_model::Severity::Error,
    raised: None,
    kind: gongkai_model::FindingKind::Extraction,
    scope: Scope::Report,
    title_zh: "输入不是政府信息公开工作年度报告：未找到任何表格，部分标题也不足三个",
    title_en: "The input is not an annual report: no table found and fewer than three section headings",
    doc_zh: "## 检查内容\n\n年度报告有三张统计表（表二主动公开、表三依申请公开、表四行政复议和行政诉讼）和六个部分（一、总体情况 至 六、其他需要报告的事项）。三张表都没有找到，且六个部分标题识别出的不足三个时，判定输入不是年度报告，报告错误并说明找到了什么。会议通知、其他公文、不是 gongkai 报告的 JSON、没有文字层的扫描件 PDF、只剩封面的残缺文件都属于此类。只要找到任何一张表，或找到三个以上部分标题，就按（可能不完整的）年度报告检查，不作此判定。\n\n## 原因\n\n监督机关依据检查结论工作：不是报告的文件不能得到“0 个错误”的结论。没有表格和部分标题，就没有可以核对的内容。\n\n## 示例\n\n一份会议通知：“未找到年度报告的表格（表二、表三、表四），六个部分标题只识别出 0 个……”—— 错误。",
    doc_en: "## What it checks\n\nAn annual report has three statistical tables (Table 2 proactive disclosure, Table 3 applications, Table 4 reviews and lawsuits) and six sections (一 to 六). When none of the three tables is found and fewer than three of the six section headings are recognised, the input is judged not to be an annual report: an error saying what was looked for and what was found. Meeting notices, other official documents, JSON that is not a gongkai report, scanned PDFs without a text layer and files cut down to a cover page fall here. As soon as one table or three headings are found, the input is checked as a (possibly incomplete) report instead.\n\n## Why it matters\n\nSupervising offices act on the verdict: a file that is not a report must never be given \"0 errors\". Without tables or section headings there is nothing to check.\n\n## Example\n\nA meeting notice: `no table of an annual report found (Tables 2, 3, 4) and 0 of the six section headings recognised …` — error.",
};

impl Rule for NotAReport {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        if !is_not_a_report(report) {
            return;
        }
        let found = headings_found(report);
        out.push(finding(
            &INFO,
            Msg::new(
                format!(
                    "不是政府信息公开工作年度报告：未找到年度报告的表格（表二、表三、表四均未找到），六个部分标题（一、总体情况……六、其他需要报告的事项）只识别出 {found} 个（至少应有 {MIN_HEADINGS} 个）；如是扫描件，请先识别文字"
                ),
                format!(
                    "not an annual report: no table of an annual report found (none of Tables 2, 3, 4) and {found} of the six section headings (overview … other matters) recognised (at least {MIN_HEADINGS} expected); a scanned file needs OCR first"
                ),
            ),
        ));
    }
}

/// How many of the six section headings were recognised.
fn headings_found(report: &Report) -> usize {
    SectionId::ALL.into_iter().filter(|s| report.section(*s).is_some()).count()
}

/// Whether `report` shows none of a report's structure (the rule's condition).
pub(crate) fn is_not_a_report(report: &Report) -> bool {
    report.tables().next().is_none() && headings_found(report) < MIN_HEADINGS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};
    use gongkai_model::{Report, Section};

    fn check(r: &Report) -> Vec<gongkai_model::Finding> {
        let mut out = Vec::new();
        NotAReport.check(r, &mut out);
        out
    }

    #[test]
    fn silent_on_a_report() {
        assert!(check(&consistent()).is_empty());
    }

    #[test]
    fn nothing_found_is_not_a_report() {
        let out = check(&Report::default());
        assert_eq!(ids(&out), ["NOT-A-REPORT"]);
        assert_eq!(out[0].severity, gongkai_model::Severity::Error);
        insta::assert_snapshot!(out[0].message.en, @"not an annual report: no table of an annual report found (none of Tables 2, 3, 4) and 0 of the six section headings (overview … other matters) recognised (at least 3 expected); a scanned file needs OCR first");
    }

    #[test]
    fn two_generic_headings_are_not_enough() {
        let r = Report {
            sections: vec![
                Section::new(SectionId::Overview, "会议于上午九时召开。"),
                Section::new(SectionId::Problems, "请各单位准时参加。"),
            ],
            ..Report::default()
        };
        assert_eq!(ids(&check(&r)), ["NOT-A-REPORT"]);
    }

    #[test]
    fn a_partial_report_is_a_report() {
        // Tables printed as images: the six sections alone make it a report.
        let mut r = consistent();
        r.t2 = None;
        r.t3 = None;
        r.t4 = None;
        assert!(check(&r).is_empty());
        // One table alone, without headings (an excerpt): a report, checked as such.
        let r = Report { t4: consistent().t4, ..Report::default() };
        assert!(check(&r).is_empty());
        // Three headings and no table.
        let mut r = consistent();
        r.t2 = None;
        r.t3 = None;
        r.t4 = None;
        r.sections.truncate(MIN_HEADINGS);
        assert!(check(&r).is_empty());
    }
}
