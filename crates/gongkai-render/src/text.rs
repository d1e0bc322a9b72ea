//! The report's running text: the title, the preamble (written from the metadata when the input
//! has none), the section paragraphs classified by their Chinese numbering (一、（一）1.（1）) so
//! that every format can set them in the faces of GB/T 9704, and the closing signature.

use gongkai_model::{Report, SectionId};

/// The numbering level of a paragraph (GB/T 9704 §7.3.3: 一、 黑体; （一） 楷体; 1. 仿宋加粗;
/// （1） 仿宋).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Plain body text.
    Body,
    /// Starts with `一、`: first level, 黑体.
    First,
    /// Starts with `（一）`: second level, 楷体.
    Second,
    /// Starts with `1.`: third level, 仿宋 bold.
    Third,
    /// Starts with `（1）`: fourth level, 仿宋.
    Fourth,
}

/// A paragraph: a lead (the numbered heading, set in the level's face) and the rest (body face).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    /// The numbering level.
    pub level: Level,
    /// The heading part (empty for body text).
    pub lead: String,
    /// The body part.
    pub rest: String,
}

impl Para {
    /// The full text.
    pub fn text(&self) -> String {
        format!("{}{}", self.lead, self.rest)
    }
}

const CN_DIGITS: &str = "一二三四五六七八九十";

fn strip_cn_numeral(s: &str) -> Option<&str> {
    let n = s.chars().take_while(|c| CN_DIGITS.contains(*c)).map(char::len_utf8).sum::<usize>();
    (n > 0).then(|| &s[n..])
}

fn strip_digits(s: &str) -> Option<&str> {
    let n = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(char::len_utf8)
        .sum::<usize>();
    (n > 0).then(|| &s[n..])
}

/// Classifies one paragraph by its numbering and splits off its lead.
pub fn classify(line: &str) -> Para {
    let t = line.trim_start_matches([' ', '\u{3000}']);
    let level = if let Some(r) = strip_cn_numeral(t) {
        if r.starts_with('、') { Level::First } else { Level::Body }
    } else if let Some(r) = t.strip_prefix(['（', '(']) {
        if strip_cn_numeral(r).is_some_and(|x| x.starts_with(['）', ')'])) {
            Level::Second
        } else if strip_digits(r).is_some_and(|x| x.starts_with(['）', ')'])) {
            Level::Fourth
        } else {
            Level::Body
        }
    } else if strip_digits(t).is_some_and(|x| x.starts_with(['.', '．', '、'])) {
        Level::Third
    } else {
        Level::Body
    };
    if level == Level::Body {
        return Para { level, lead: String::new(), rest: t.to_owned() };
    }
    // The lead runs to the first full stop (a run-in heading), or is the whole line.
    let cut = t.find('。').map_or(t.len(), |i| i + '。'.len_utf8());
    Para { level, lead: t[..cut].to_owned(), rest: t[cut..].to_owned() }
}

/// Splits a section text into paragraphs (one per non-empty line).
pub fn paragraphs(text: &str) -> Vec<Para> {
    text.lines().filter(|l| !l.trim().is_empty()).map(classify).collect()
}

/// The report year, when known.
pub fn year(report: &Report) -> Option<i32> {
    report.meta.year.as_ref().map(|y| y.value)
}

/// The title: as given, or `{agency}{year}年政府信息公开工作年度报告`.
pub fn title(report: &Report) -> String {
    if let Some(t) = &report.meta.title {
        return t.value.clone();
    }
    let agency = report.meta.agency.as_ref().map_or("", |a| a.value.as_str());
    match year(report) {
        Some(y) => format!("{agency}{y}年政府信息公开工作年度报告"),
        None => format!("{agency}政府信息公开工作年度报告"),
    }
}

/// The basis document of the format the report follows: 〔2019〕60号 for 2019 and 2020, else
/// 〔2021〕30号.
fn basis(year: Option<i32>) -> &'static str {
    match year {
        Some(2019 | 2020) => {
            "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式（试行）〉的通知》（国办公开办函〔2019〕60号）"
        }
        _ => {
            "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
        }
    }
}

/// The preamble paragraphs: the input's own preamble, or one written from the metadata (basis,
/// parts, statistics period, where published, contact). Facts the input does not give are left
/// out, never invented.
pub fn preamble(report: &Report) -> Vec<String> {
    if let Some(p) = &report.preamble {
        return p.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    }
    let y = year(report);
    let m = &report.meta;
    let mut s = format!(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{}要求编制。",
        basis(y)
    );
    s.push_str("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分组成。");
    if let Some(y) = y {
        s.push_str(&format!("本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"));
    }
    if let Some(url) = &m.url {
        s.push_str(&format!("本报告电子版可在{}查阅或下载。", url.value));
    }
    let c = &m.contact;
    let parts: Vec<String> =
        [("地址", &c.address), ("邮编", &c.postcode), ("电话", &c.phone), ("电子邮箱", &c.email)]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}：{}", v.value)))
            .collect();
    if !parts.is_empty() {
        let who = m.agency.as_ref().map_or("我们", |a| a.value.as_str());
        s.push_str(&format!("如对本报告有疑问，请与{who}联系（{}）。", parts.join("；")));
    }
    vec![s]
}

/// The heading of section `id` as the input printed it, or the official one.
pub fn heading(report: &Report, id: SectionId) -> String {
    report.section(id).map_or_else(|| id.heading().to_owned(), |s| s.heading.value.clone())
}

/// The paragraphs of section `id` (empty when the input has no text for it).
pub fn section_paragraphs(report: &Report, id: SectionId) -> Vec<Para> {
    report.section(id).map(|s| paragraphs(&s.text)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_levels() {
        let levels: Vec<Level> = [
            "一、主动公开",
            "（一）加强组织。我局……",
            "1.规章。",
            "（1）细则",
            "2022年，我镇",
            "十二、其他",
        ]
        .iter()
        .map(|s| classify(s).level)
        .collect();
        assert_eq!(
            levels,
            [Level::First, Level::Second, Level::Third, Level::Fourth, Level::Body, Level::First]
        );
        let p = classify("（一）加强组织领导。我局成立了领导小组。");
        assert_eq!(
            (p.lead.as_str(), p.rest.as_str()),
            ("（一）加强组织领导。", "我局成立了领导小组。")
        );
    }

    #[test]
    fn preamble_uses_only_the_facts_given() {
        let mut r = Report::default();
        r.meta.year = Some(gongkai_model::Spanned::bare(2020));
        let p = preamble(&r).join("");
        assert!(
            p.contains("〔2019〕60号") && p.contains("自2020年1月1日起至2020年12月31日止"),
            "{p}"
        );
        assert!(!p.contains("联系") && !p.contains("查阅"), "{p}");
    }
}
