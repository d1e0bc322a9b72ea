//! TEXT-TABLE: numbers stated in the prose agree with the tables.
//!
//! Sentences of sections 一, 三 and 四 are read for counts (`收到申请70件`, `办结69件`,
//! `1件结转下年度`, `行政复议3件`, `未收到…申请`). Only clear statements are compared: the keyword
//! must be in the same clause as the number, and a statement that matches either accepted reading
//! (received = new, or new + carried over) is not reported. When in doubt, say nothing.

use gongkai_model::{
    CellKey, Decimal, Msg, Report, Section, SectionId, T3Col, T3Row, T4Block, T4Col,
};

use crate::eval::{checked_sum, show};
use crate::{Rule, RuleInfo, Scope, finding};

/// The rule.
pub(crate) struct TextTable;

pub(crate) static INFO: RuleInfo = RuleInfo {
    id: "TEXT-TABLE",
    severity: gongkai_model::Severity::Warning,
    raised: None,
    kind: gongkai_model::FindingKind::Source,
    scope: Scope::Report,
    title_zh: "正文所述数字与表格一致",
    title_en: "Numbers stated in the prose agree with the tables",
    doc_zh: "## 检查内容\n\n第一、三、四部分正文中明确陈述的件数，与表格比对：\n\n- “收到（受理、新收）申请 X 件”与表三“本年新收”总计（或本年新收 + 上年结转）；其中“自然人申请 X 件”“法人或其他组织申请 X 件”与相应各列；\n- “办结（办理）X 件”与“（七）总计”；\n- “结转下年度 X 件”与“四、结转下年度继续办理”；\n- “行政复议 X 件”与表四行政复议总计；“行政诉讼 X 件”与两栏诉讼总计之和；同时提到复议和诉讼的“案件 X 件”与三栏总计之和；\n- “未收到……申请”与“本年新收”总计为 0。\n\n只比对关键词与数字在同一分句内的明确表述；含义不明的句子不报告。\n\n## 原因\n\n文字与表格矛盾会使读者无所适从，也常暴露统计口径问题（例如正文只统计本级政府、表格统计全区）。\n\n## 示例\n\n正文“受理政府信息公开申请 17 件”，表三本年新收总计 95 —— 提示。",
    doc_en: "## What it checks\n\nCounts clearly stated in sections 一, 三 and 四 are compared with the tables: applications received (with new received, or new + carried over; natural persons and organisations by column), processed (total processed), carried forward, reconsideration and litigation cases (Table 4 totals), and “no applications received” (new received total 0). Only statements with the keyword and the number in the same clause are compared.\n\n## Why it matters\n\nProse contradicting the tables confuses readers and often reveals a scope problem (the text counts the government office, the table the whole district).\n\n## Example\n\nThe text says 17 applications were received; Table 3 says 95 — warned.",
};

/// What a stated count refers to.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Topic {
    Received,
    ReceivedNatural,
    ReceivedOrgs,
    Processed,
    CarriedForward,
    Review,
    Litigation,
    ReviewAndLitigation,
}

fn t3(report: &Report, row: T3Row, cols: &[T3Col]) -> Option<Decimal> {
    checked_sum(report, &cols.iter().map(|&c| CellKey::t3(row, c)).collect::<Vec<_>>())
}

fn t4(report: &Report, blocks: &[T4Block]) -> Option<Decimal> {
    checked_sum(report, &blocks.iter().map(|&b| CellKey::t4(b, T4Col::Total)).collect::<Vec<_>>())
}

const ORGS: &[T3Col] = &[
    T3Col::Commercial,
    T3Col::Research,
    T3Col::SocialWelfare,
    T3Col::LegalService,
    T3Col::OtherOrg,
];

/// Accepted table values for a topic, the cell to point at, and a Chinese description.
fn expected(report: &Report, topic: Topic) -> Option<(Vec<Decimal>, CellKey, &'static str)> {
    use T3Row::{CarriedForward, CarriedOver, NewReceived, TotalProcessed};
    let both = |cols: &[T3Col]| -> Option<Vec<Decimal>> {
        let new = t3(report, NewReceived, cols)?;
        let over = t3(report, CarriedOver, cols).filter(|o| !o.is_zero());
        Some(std::iter::once(new).chain(over.and_then(|o| new.checked_add(o))).collect())
    };
    Some(match topic {
        Topic::Received => {
            (both(&[T3Col::Total])?, CellKey::t3(NewReceived, T3Col::Total), "表三本年新收申请总计")
        }
        Topic::ReceivedNatural => (
            both(&[T3Col::NaturalPerson])?,
            CellKey::t3(NewReceived, T3Col::NaturalPerson),
            "表三本年新收自然人申请",
        ),
        Topic::ReceivedOrgs => (
            both(ORGS)?,
            CellKey::t3(NewReceived, T3Col::Commercial),
            "表三本年新收法人或其他组织申请之和",
        ),
        Topic::Processed => (
            vec![t3(report, TotalProcessed, &[T3Col::Total])?],
            CellKey::t3(TotalProcessed, T3Col::Total),
            "表三办理结果总计",
        ),
        Topic::CarriedForward => (
            vec![t3(report, CarriedForward, &[T3Col::Total])?],
            CellKey::t3(CarriedForward, T3Col::Total),
            "表三结转下年度总计",
        ),
        Topic::Review => (
            vec![t4(report, &[T4Block::Review])?],
            CellKey::t4(T4Block::Review, T4Col::Total),
            "表四行政复议总计",
        ),
        Topic::Litigation => (
            vec![t4(report, &[T4Block::LitigationDirect, T4Block::LitigationAfterReview])?],
            CellKey::t4(T4Block::LitigationDirect, T4Col::Total),
            "表四行政诉讼总计（两栏之和）",
        ),
        Topic::ReviewAndLitigation => (
            vec![t4(report, T4Block::ALL)?],
            CellKey::t4(T4Block::Review, T4Col::Total),
            "表四复议与诉讼总计之和",
        ),
    })
}

fn classify(clause: &str, sentence: &str) -> Option<Topic> {
    let has = |s: &str, w: &[&str]| w.iter().any(|x| s.contains(x));
    let review = clause.contains("复议");
    let litigation = clause.contains("诉讼");
    if review || litigation || clause.contains("案件") {
        let (r, l) = if review || litigation {
            (review, litigation)
        } else {
            (sentence.contains("复议"), sentence.contains("诉讼"))
        };
        return match (r, l) {
            (true, true) => Some(Topic::ReviewAndLitigation),
            (true, false) => Some(Topic::Review),
            (false, true) => Some(Topic::Litigation),
            (false, false) => None,
        };
    }
    if !sentence.contains("申请")
        || has(
            clause,
            &[
                "主动公开",
                "信息处理费",
                "元",
                "条",
                "同比",
                "增长",
                "下降",
                "%",
                "％",
                "按时",
                "期限",
                "超期",
            ],
        )
    {
        return None;
    }
    if clause.contains("结转") {
        return (has(clause, &["下年", "下一年", "下一年度", "明年"]))
            .then_some(Topic::CarriedForward);
    }
    if has(clause, &["收到", "受理", "新收", "接收", "共收"]) {
        if clause.contains("自然人") {
            return Some(Topic::ReceivedNatural);
        }
        if clause.contains("法人") {
            return Some(Topic::ReceivedOrgs);
        }
        if has(clause, &["其中", "商业企业", "科研", "公益", "法律服务"]) {
            return None;
        }
        return Some(Topic::Received);
    }
    if clause.contains("自然人") && clause.contains("申请") && sentence.contains("其中") {
        return Some(Topic::ReceivedNatural);
    }
    if clause.contains("法人") && clause.contains("申请") && sentence.contains("其中") {
        return Some(Topic::ReceivedOrgs);
    }
    if has(clause, &["办结", "办理完毕", "共办理", "已办理"]) {
        return Some(Topic::Processed);
    }
    None
}

/// `(value, byte range of the number)` for each `N件` in `clause`.
fn counts(clause: &str) -> Vec<(Decimal, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = clause.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].1.is_ascii_digit() || ('０'..='９').contains(&chars[i].1) {
            let start = i;
            let mut digits = String::new();
            while i < chars.len()
                && (chars[i].1.is_ascii_digit() || ('０'..='９').contains(&chars[i].1))
            {
                let c = chars[i].1;
                digits.push(if c.is_ascii_digit() {
                    c
                } else {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0')
                });
                i += 1;
            }
            let end_byte = chars.get(i).map_or(clause.len(), |c| c.0);
            let mut j = i;
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
            let preceded_by_digit_context =
                start > 0 && matches!(chars[start - 1].1, '.' | '第' | '年' | '月');
            if chars.get(j).is_some_and(|c| c.1 == '件')
                && !preceded_by_digit_context
                && let Ok(v) = digits.parse::<Decimal>()
            {
                out.push((v, chars[start].0..end_byte));
            }
        } else {
            i += 1;
        }
    }
    out
}

fn check_section(report: &Report, sec: &Section, out: &mut Vec<gongkai_model::Finding>) {
    let text = &sec.text;
    let mut sentence_start = 0;
    for (sentence_end, _) in text
        .match_indices(['。', '；', ';', '！', '？', '\n'])
        .chain(std::iter::once((text.len(), "")))
    {
        let sentence = &text[sentence_start..sentence_end];
        let mut clause_start = sentence_start;
        for (clause_end, _) in sentence
            .match_indices(['，', ','])
            .map(|(i, s)| (sentence_start + i, s))
            .chain(std::iter::once((sentence_end, "")))
        {
            let clause = &text[clause_start..clause_end];
            no_applications(report, sec, clause, clause_start, out);
            if let Some(topic) = classify(clause, sentence) {
                for (v, range) in counts(clause) {
                    let Some(table) = expected(report, topic) else { continue };
                    if table.0.contains(&v) {
                        continue;
                    }
                    let abs = clause_start + range.start..clause_start + range.end;
                    out.push(differs(report, sec, topic, table, (clause, v, abs)));
                }
            }
            clause_start = clause_end + text[clause_end..].chars().next().map_or(0, char::len_utf8);
        }
        sentence_start =
            sentence_end + text[sentence_end..].chars().next().map_or(0, char::len_utf8);
    }
}

/// Whether the prose's count names exactly the quantity of one table cell: then the table's
/// value and the prose's can be set side by side as printed and stated. 收到/受理 may count new
/// applications or new + carried over, or only part of the agency (区政府办代表区政府受理); sums
/// over several cells are not one quantity either.
fn same_quantity(topic: Topic, accepted: &[Decimal]) -> bool {
    accepted.len() == 1 && matches!(topic, Topic::Processed | Topic::CarriedForward | Topic::Review)
}

/// The finding for a count `v` stated in `clause` (at `abs` in the section) that the table, which
/// accepts `accepted` at `key` (described as `what`), does not give.
fn differs(
    report: &Report,
    sec: &Section,
    topic: Topic,
    (accepted, key, what): (Vec<Decimal>, CellKey, &str),
    (clause, v, abs): (&str, Decimal, std::ops::Range<usize>),
) -> gongkai_model::Finding {
    let same = same_quantity(topic, &accepted);
    let table_zh = accepted.iter().map(|d| show(*d)).collect::<Vec<_>>().join(" 或 ");
    let table_en = accepted.iter().map(|d| show(*d)).collect::<Vec<_>>().join(" or ");
    let clause = clause.trim();
    let message = if same {
        Msg::new(
            format!("正文称「{clause}」，而{what}为 {table_zh}"),
            format!("the text says `{clause}` ({}), but the table gives {table_en}", show(v)),
        )
    } else {
        Msg::new(
            format!(
                "正文与表格不一致：正文称「{clause}」，{what}为 {table_zh}；正文所述未必与表格是同一数量，不据此推定表格应为何值"
            ),
            format!(
                "the prose and the table differ: the text says `{clause}` ({}), the table gives {table_en}; the text may count something else, so no value is implied",
                show(v)
            ),
        )
    };
    // Printed is the table's value; a stated value is set beside it only when the prose names the
    // same quantity — otherwise nothing "should be" anything.
    finding(&INFO, message)
        .with_cells([key])
        .with_values(report.number(key), same.then_some(v))
        .with_label(
            sec.span_of(abs),
            Msg::new(format!("正文：{}", show(v)), format!("text: {}", show(v))),
        )
        .with_label(report.cell(key).and_then(|c| c.span), Msg::new("表格", "table"))
}

/// `未收到……申请` with a non-zero new-received total.
fn no_applications(
    report: &Report,
    sec: &Section,
    clause: &str,
    at: usize,
    out: &mut Vec<gongkai_model::Finding>,
) {
    let Some(pos) = ["未收到", "没有收到", "未接到", "未受理"].iter().find_map(|w| clause.find(w))
    else {
        return;
    };
    if !clause[pos..].contains("申请") || clause[pos..].chars().any(|c| c.is_ascii_digit()) {
        return;
    }
    let key = CellKey::t3(T3Row::NewReceived, T3Col::Total);
    let Some(n) = report.operand(key) else { return };
    if n.is_zero() {
        return;
    }
    out.push(
        finding(
            &INFO,
            Msg::new(
                format!("正文称「{}」，而表三本年新收申请总计为 {}", clause.trim(), show(n)),
                format!(
                    "the text says no applications were received (`{}`), but Table 3 gives {}",
                    clause.trim(),
                    show(n)
                ),
            ),
        )
        .with_cells([key])
        .with_label(sec.span_of(at + pos..at + clause.len()), Msg::new("正文", "text"))
        .with_label(report.cell(key).and_then(|c| c.span), Msg::new("表格", "table")),
    );
}

impl Rule for TextTable {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, report: &Report, out: &mut Vec<gongkai_model::Finding>) {
        for id in [SectionId::Overview, SectionId::Applications, SectionId::ReviewLitigation] {
            if let Some(sec) = report.section(id) {
                check_section(report, sec, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{consistent, ids};

    fn run(text: &str) -> Vec<gongkai_model::Finding> {
        let mut r = consistent();
        r.sections[0].text = text.to_owned();
        let mut out = Vec::new();
        TextTable.check(&r, &mut out);
        out
    }

    #[test]
    fn agreeing_statements_are_silent() {
        assert!(
            run("本年度全区共收到12件申请，及时依法依规办结12件，1件结转下年度继续办理。")
                .is_empty()
        );
        // received = new + carried over is accepted too.
        assert!(run("全年共受理政府信息公开申请 13 件，其中自然人申请 11 件，法人或其他组织申请 2 件；共办理 12 件，结转下一年 1 件。").is_empty());
        assert!(
            run("依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 3 件。")
                .is_empty()
        );
        assert!(run("主动公开政府信息2645条，解读7件。2022年收到表扬信5件。").is_empty());
    }

    #[test]
    fn contradictions_are_reported() {
        let out =
            run("2024年，区政府办代表区政府受理政府信息公开申请 17 件，均已在法定期限内予以答复。");
        assert_eq!(ids(&out), ["TEXT-TABLE"]);
        insta::assert_snapshot!(out[0].message.zh, @"正文与表格不一致：正文称「区政府办代表区政府受理政府信息公开申请 17 件」，表三本年新收申请总计为 12 或 13；正文所述未必与表格是同一数量，不据此推定表格应为何值");
        // 受理 17 件 may be a sub-count: the finding proposes no value for the table.
        assert_eq!(out[0].printed, Some(12.into()));
        assert_eq!(out[0].implied, None);
        assert_eq!(ids(&run("本年度共发生行政复议5件。")), ["TEXT-TABLE"]);
        assert_eq!(ids(&run("本年度我镇未收到政府信息公开申请。")), ["TEXT-TABLE"]);
    }

    #[test]
    fn a_stated_count_is_set_beside_the_table_only_for_the_same_quantity() {
        // 办结 names exactly （七）总计: printed and stated side by side.
        let out = run("本年度共办结政府信息公开申请 13 件。");
        assert_eq!(ids(&out), ["TEXT-TABLE"]);
        assert_eq!((out[0].printed, out[0].implied), (Some(12.into()), Some(13.into())));
        // Even with nothing carried over, 受理 is not proposed as the table's total.
        let mut r = consistent();
        if let Some(t) = r.t3.as_mut() {
            for c in T3Col::ALL {
                t.set(CellKey::t3(T3Row::CarriedOver, *c), gongkai_model::Value::int(0));
            }
        }
        r.sections[0].text = "区政府办代表区政府受理政府信息公开申请 17 件。".to_owned();
        let mut out = Vec::new();
        TextTable.check(&r, &mut out);
        assert_eq!(ids(&out), ["TEXT-TABLE"]);
        assert_eq!(out[0].implied, None);
        assert!(out[0].message.zh.starts_with("正文与表格不一致"), "{}", out[0].message.zh);
    }
}
