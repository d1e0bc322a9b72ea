//! Finding the six section headings by meaning, not by exact wording.
//!
//! A heading is a Chinese ordinal (`一` … `六`) followed by `、`/`.`/`，`/`：` (or a line start and
//! nothing) and, within a few characters, a keyword of that section (`总体`, `主动公开`, `申请`,
//! `复议`/`诉讼`, `问题`/`改进`, `其他`). Table 3's own rows (`一、本年新收…`, `四、结转下年度…`) have
//! the ordinals but not the keywords. The chosen headings are the best-scoring sequence in
//! increasing order of both position and section number, so a stray match cannot reorder them.
//! Glued crawler text (a whole report on one line) works the same way.

use std::sync::LazyLock;

use gongkai_doc::Document;
use gongkai_model::{SectionId, Span};

use crate::norm::{Class, chinese_numeral, class};

/// A heading found in the document.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Heading {
    /// Which section.
    pub id: SectionId,
    /// The heading as printed (from the ordinal to the end of the heading phrase).
    pub span: Span,
    score: f32,
}

const KEYWORDS: [&[&str]; 6] = [
    &["总体情况", "总体", "概述", "概况", "基本情况", "总述"],
    &["主动公开"],
    &["收到和处理", "申请"],
    &["行政复议", "行政诉讼", "复议", "诉讼"],
    &["存在的主要问题", "问题", "改进", "不足", "整改"],
    &["其他需要报告", "其他", "其它", "需要报告"],
];

/// The official headings without their ordinals, as characters.
static OFFICIAL: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    SectionId::ALL
        .iter()
        .map(|id| id.heading().split_once('、').map_or("", |(_, t)| t).chars().collect())
        .collect()
});

struct HChar {
    c: char,
    cl: Class,
    off: u32,
    end: u32,
    line_start: bool,
    line_len: u32,
}

fn heading_chars(doc: &Document) -> Vec<HChar> {
    let mut out = Vec::with_capacity(doc.text.len() / 2);
    for line_no in 0..doc.line_count() {
        let span = doc.line_span(line_no);
        let line = doc.slice(span);
        // Only lines with an ordinal, or short enough to be a bare heading, can hold a heading.
        let has_ordinal =
            line.chars().any(|c| matches!(c, '一' | '二' | '三' | '四' | '五' | '六'));
        if !has_ordinal && line.trim().chars().nth(16).is_some() {
            continue;
        }
        let first = out.len();
        let mut at_start = true;
        for (i, c) in line.char_indices() {
            let cl = class(c);
            if cl == Class::Space {
                continue;
            }
            if at_start && matches!(c, '#' | '>' | '*' | '|') {
                continue;
            }
            let off = span.start + u32::try_from(i).unwrap_or(0);
            out.push(HChar {
                c,
                cl,
                off,
                end: off + u32::try_from(c.len_utf8()).unwrap_or(1),
                line_start: at_start,
                line_len: 0,
            });
            at_start = false;
        }
        let n = u32::try_from(out.len() - first).unwrap_or(u32::MAX);
        for h in &mut out[first..] {
            h.line_len = n;
        }
    }
    out
}

fn starts_with(chars: &[HChar], at: usize, word: &str) -> bool {
    let mut k = at;
    for w in word.chars() {
        match chars.get(k) {
            Some(h) if h.c == w => k += 1,
            _ => return false,
        }
    }
    true
}

/// Most candidate headings kept per section.
const MAX_PER_SECTION: usize = 32;

/// Finds the section headings.
pub(crate) fn find(doc: &Document) -> Vec<Heading> {
    let chars = heading_chars(doc);
    let mut cands: Vec<(usize, Heading)> = Vec::new();
    for i in 0..chars.len() {
        let Some(n) = chinese_numeral(chars[i].c) else { continue };
        let Some(id) = (n <= 6).then(|| SectionId::from_number(n)).flatten() else { continue };
        if i > 0 && matches!(chars[i - 1].cl, Class::Punct('(')) {
            continue;
        }
        // Also `第一部分`.
        let di_part = i > 0 && chars[i - 1].c == '第' && starts_with(&chars, i + 1, "部分");
        // A numeral followed by 是 (一是…) is an enumeration in prose.
        if chars.get(i + 1).is_some_and(|h| h.c == '是') {
            continue;
        }
        let sep = match chars.get(i + 1).map(|h| h.cl) {
            Some(Class::Punct('、' | '.' | ',' | ':')) => 1,
            _ if di_part => 2,
            Some(Class::Letter(_)) if chars[i].line_start => 0,
            _ => continue,
        };
        let body = i + 1 + sep;
        let window_end = (body..chars.len().min(body + 24))
            .find(|&k| {
                matches!(chars[k].cl, Class::Punct('。' | ',' | ';' | ':'))
                    || (k > body && chars[k].line_start)
            })
            .unwrap_or(chars.len().min(body + 24));
        let mut best: Option<(usize, usize)> = None;
        for kw in KEYWORDS[usize::from(n - 1)] {
            for k in body..window_end {
                if starts_with(&chars, k, kw) {
                    let len = kw.chars().count();
                    if k + len <= window_end && best.is_none_or(|(bk, _)| k < bk) {
                        best = Some((k, len));
                    }
                    break;
                }
            }
        }
        let Some((kpos, klen)) = best else { continue };
        let d = kpos - body;
        if d > 16 {
            continue;
        }
        let line_start = chars[i].line_start || (di_part && i > 0 && chars[i - 1].line_start);
        let short_line = line_start && chars[i].line_len <= 40;
        // Where the heading phrase ends.
        let mut end = kpos + klen;
        if short_line {
            while end < chars.len() && !chars[end].line_start {
                end += 1;
            }
        } else {
            let limit = chars.len().min(kpos + klen + 20);
            if let Some(k) = (kpos + klen.saturating_sub(2)..limit)
                .find(|&k| starts_with(&chars, k, "情况") || starts_with(&chars, k, "事项"))
            {
                end = k + 2;
            }
        }
        let mut score = 3.0 - d as f32 / 10.0;
        if line_start {
            score += 2.0;
        }
        if short_line {
            score += 1.0;
        }
        let start_off = if di_part { chars[i - 1].off } else { chars[i].off };
        let end_off = chars[end.saturating_sub(1).max(i)].end;
        cands.push((end, Heading { id, span: Span::new(start_off, end_off), score }));
    }
    // Unnumbered headings: a short line that is exactly the official heading text.
    for (i, h) in chars.iter().enumerate() {
        if !h.line_start || h.line_len > 16 || chinese_numeral(h.c).is_some() {
            continue;
        }
        let line = &chars[i..i + h.line_len as usize];
        for (id, official) in SectionId::ALL.into_iter().zip(OFFICIAL.iter()) {
            if official.len() == line.len() && official.iter().zip(line).all(|(a, b)| *a == b.c) {
                let end = i + line.len() - 1;
                cands.push((
                    end + 1,
                    Heading { id, span: Span::new(h.off, chars[end].end), score: 2.5 },
                ));
            }
        }
    }
    // Hostile text repeating a heading thousands of times: keep the best few per section.
    let mut kept: Vec<Heading> = Vec::new();
    for id in SectionId::ALL {
        let mut of: Vec<Heading> =
            cands.iter().filter(|(_, h)| h.id == id).map(|(_, h)| h.clone()).collect();
        of.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.span.start.cmp(&b.span.start)));
        of.truncate(MAX_PER_SECTION);
        kept.extend(of);
    }
    kept.sort_by_key(|h| h.span.start);
    choose(kept)
}

/// The best sequence increasing in position and section number.
fn choose(cands: Vec<Heading>) -> Vec<Heading> {
    let n = cands.len();
    let mut best = vec![0.0f32; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        best[i] = cands[i].score;
        for j in 0..i {
            if cands[j].id < cands[i].id
                && cands[j].span.end <= cands[i].span.start
                && best[j] + cands[i].score > best[i]
            {
                best[i] = best[j] + cands[i].score;
                prev[i] = j;
            }
        }
    }
    let Some(mut i) = (0..n).max_by(|&a, &b| best[a].total_cmp(&best[b]).then(b.cmp(&a))) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    loop {
        out.push(cands[i].clone());
        if prev[i] == usize::MAX {
            break;
        }
        i = prev[i];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(text: &str) -> Vec<String> {
        let doc =
            gongkai_read_text::read("t.txt", text.as_bytes(), &gongkai_doc::Limits::default())
                .expect("text");
        find(&doc).iter().map(|h| format!("{}:{}", h.id.number(), doc.slice(h.span))).collect()
    }

    #[test]
    fn line_headings() {
        let t = "报告\n一、总体情况\n正文\n二、主动公开政府信息情况\n表\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n四、结转下年度继续办理\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n无";
        assert_eq!(
            headings(t),
            [
                "1:一、总体情况",
                "2:二、主动公开政府信息情况",
                "3:三、收到和处理政府信息公开申请情况",
                "4:四、政府信息公开行政复议、行政诉讼情况",
                "5:五、存在的主要问题及改进情况",
                "6:六、其他需要报告的事项"
            ]
        );
    }

    #[test]
    fn glued_headings() {
        let t = "本报告包括总体情况、主动公开政府信息情况等六个部分。一、总体情况2021年，我区以…（一）主动公开方面。二、主动公开政府信息情况 第二十条第（一）项信息内容三、收到和处理政府信息公开申请情况（本列数据…）一、本年新收政府信息公开申请数量640020470二、上年结转 四、结转下年度继续办理1000001 四、政府信息公开行政复议、行政诉讼情况 行政复议…五、存在的主要问题及改进情况（一）存在的主要问题:政策…六、其他需要报告的事项2021年，无收取信息处理费情况。";
        assert_eq!(
            headings(t),
            [
                "1:一、总体情况",
                "2:二、主动公开政府信息情况",
                "3:三、收到和处理政府信息公开申请情况",
                "4:四、政府信息公开行政复议、行政诉讼情况",
                "5:五、存在的主要问题及改进情况",
                "6:六、其他需要报告的事项"
            ]
        );
    }

    #[test]
    fn markdown_and_variants() {
        let t = "# 标题\n## 一、总体情况\n### (一) 系统化推进主动公开。\n一是拓宽主动公开渠道。\n## 二、主动公开政府信息情况\n## 五、政府信息公开工作存在的主要问题及改进情况\n六、其他需要报告的事项\n";
        assert_eq!(
            headings(t),
            [
                "1:一、总体情况",
                "2:二、主动公开政府信息情况",
                "5:五、政府信息公开工作存在的主要问题及改进情况",
                "6:六、其他需要报告的事项"
            ]
        );
    }
}
