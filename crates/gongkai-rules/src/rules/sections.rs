//! SECTIONS: all six sections present in order; section 五 not empty; section 六 states the
//! 信息处理费 position.

use gongkai_model::{Msg, Report, SectionId};

use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct Sections;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "SECTIONS",
    severity: gongkai_model::Severity::Warning,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "六个部分齐全且有序；第五部分不为空；第六部分说明信息处理费收取情况",
    title_en: "All six sections present in order; section 五 not empty; section 六 states the 信息处理费 position",
    doc_zh: "## 检查内容\n\n年度报告应依次包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。标题措辞可以不同（按含义识别）。第五部分不应为空；2021 年及以后的报告，第六部分应说明依《政府信息公开信息处理费管理办法》收取信息处理费的情况（包括未收取）。\n\n## 原因\n\n内容与顺序由国办公开办函〔2021〕30号统一规定；信息处理费情况按格式模板要求在第六部分报告。\n\n## 示例\n\n第六部分只写“没有需要报告的其他事项”，未提信息处理费 —— 提示。",
    doc_en: "## What it checks\n\nThe report must contain, in order, the six sections 一 to 六 (headings matched by meaning). Section 五 must not be empty; from 2021 on, section 六 must state the fees collected under the 信息处理费 rules (including none).\n\n## Why it matters\n\nContent and order are fixed nationally; the template asks for the fee statement in section 六.\n\n## Example\n\nSection 六 only says there is nothing else to report and never mentions 信息处理费 — warned.",
};

impl Rule for Sections {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        let missing: Vec<SectionId> =
            SectionId::ALL.into_iter().filter(|s| report.section(*s).is_none()).collect();
        if !missing.is_empty() {
            let zh: Vec<&str> = missing.iter().map(|s| s.heading()).collect();
            let en: Vec<String> = missing.iter().map(|s| s.key().to_owned()).collect();
            out.push(finding(
                &INFO,
                Msg::new(
                    format!("未找到以下部分：{}", zh.join("；")),
                    format!("sections not found: {}", en.join(", ")),
                ),
            ));
        }
        if let Some(s) = report.section(SectionId::Problems)
            && s.text.trim().is_empty()
        {
            out.push(
                finding(
                    &INFO,
                    Msg::new(
                        "第五部分“存在的主要问题及改进情况”没有内容",
                        "section 五 (problems and improvements) is empty",
                    ),
                )
                .with_label(s.heading.span, Msg::new("", "")),
            );
        }
        let year = report.meta.year.as_ref().map(|y| y.value);
        if let Some(s) = report.section(SectionId::Other)
            && year.is_none_or(|y| y >= 2021)
            && !(s.text.contains("处理费")
                || s.text.contains("收费")
                || s.text.contains("收取费用"))
        {
            out.push(
                finding(
                    &INFO,
                    Msg::new(
                        "第六部分未说明信息处理费收取情况（格式模板要求在此报告，未收取也应说明）",
                        "section 六 does not state the 信息处理费 collected (the template asks for it, even when none)",
                    ),
                )
                .with_label(s.heading.span, Msg::new("", "")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};

    #[test]
    fn silent_on_a_complete_report() {
        let mut out = Vec::new();
        Sections.check(&consistent(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn missing_empty_and_fee() {
        let mut r = consistent();
        r.sections.retain(|s| s.id != SectionId::ReviewLitigation);
        for s in &mut r.sections {
            if s.id == SectionId::Problems || s.id == SectionId::Other {
                s.text = String::new();
            }
        }
        let mut out = Vec::new();
        Sections.check(&r, &mut out);
        assert_eq!(ids(&out), ["SECTIONS", "SECTIONS", "SECTIONS"]);
        insta::assert_snapshot!(out[0].message.zh, @"未找到以下部分：四、政府信息公开行政复议、行政诉讼情况");
    }
}
