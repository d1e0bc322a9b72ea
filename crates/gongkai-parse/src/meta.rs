//! Metadata: title, agency, year, contact, publication URL and date.
//!
//! Taken from the container's properties when a reader found them (HTML meta tags, PDF/DOCX
//! properties) and otherwise from the text: the title line (`大张楼镇2022年政府信息公开工作年度报告`),
//! the statistics period, the preamble's contact sentence, a `原文链接`/`发布时间` header of crawler
//! output. Every value keeps the span it was read from.

use std::sync::LazyLock;

use gongkai_doc::Document;
use gongkai_model::{Contact, Metadata, Span, Spanned};
use regex::Regex;

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| re(r"([12][0-9０-９]{3}|[１２][0-9０-９]{3})\s*年"));
static PERIOD: LazyLock<Regex> = LazyLock::new(|| re(r"自?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:电话|联系电话|电话/传真|电话及传真|咨询电话)[（(]?[^：:\d]{0,6}[）)]?\s*[：:]?\s*([0-9０-９()（）\-－—、/， ]{7,40})",
    )
});
static ADDRESS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:联系地址|通讯地址|办公地址|地址)\s*[：:]\s*([^，,；;。）)\n]{3,60})"));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| re(r"邮\s*编\s*[：:]?\s*([0-9]{6})"));
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})"));
static URL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]+|www\.[A-Za-z0-9.\-]+\.(?:gov\.cn|cn|com|org)[A-Za-z0-9._~/?#=&%\-]*)",
    )
});
static SOURCE_URL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:原文链接|原文地址|链接|网址|URL)\s*[：:]\s*(https?://\S+)"));
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:发布时间|发布日期|成文日期|时间)\s*[：:]\s*(\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?)")
});
static DATE_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[\s(（]*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)[\s)）]*$"));

#[allow(clippy::unwrap_used, reason = "the patterns are constants and tested")]
fn re(p: &str) -> Regex {
    Regex::new(p).unwrap()
}

fn span_of(base: u32, m: regex::Match<'_>) -> Span {
    Span::new(
        base + u32::try_from(m.start()).unwrap_or(0),
        base + u32::try_from(m.end()).unwrap_or(0),
    )
}

fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn property<'a>(doc: &'a Document, names: &[&str]) -> Option<&'a str> {
    doc.properties
        .iter()
        .find(|(k, v)| names.iter().any(|n| k.eq_ignore_ascii_case(n)) && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

/// Government-body endings that mark an agency line above a title line.
fn looks_like_agency(s: &str) -> bool {
    let s = s.trim();
    let n = s.chars().count();
    (2..=30).contains(&n)
        && !s.contains(['。', '，', ','])
        && [
            "政府",
            "局",
            "委员会",
            "办公室",
            "镇",
            "街道",
            "乡",
            "厅",
            "委",
            "院",
            "中心",
            "所",
            "部",
            "署",
            "办",
            "馆",
            "区",
            "县",
            "市",
            "处",
            "室",
            "会",
        ]
        .iter()
        .any(|e| s.ends_with(e))
}

/// Extracts metadata. `preamble_end` is where section 一 starts (or the document end).
pub(crate) fn extract(doc: &Document, preamble_end: u32) -> Metadata {
    let mut meta = Metadata::default();
    let text = &doc.text;
    let head_end = (preamble_end as usize).min(text.len());
    let head_end = (0..=head_end).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let head = &text[..head_end];

    // Title.
    // The title printed in the text wins: container properties are often generic (a PDF titled
    // just 政府信息公开工作年度报告) or carry site suffixes.
    let mut title: Option<Spanned<String>> = None;
    let mut prev_line: Option<(usize, &str)> = None;
    {
        for (i, line) in head.split('\n').enumerate().take(40) {
            let start = line_start(head, i);
            let raw = line.trim();
            let clean = raw.trim_start_matches(['#', ' ', '\u{3000}']).trim();
            let clean = clean
                .strip_prefix("标题:")
                .or_else(|| clean.strip_prefix("标题："))
                .unwrap_or(clean)
                .trim();
            if clean.is_empty() {
                continue;
            }
            if (clean.contains("年度报告") || clean.contains("年报"))
                && clean.chars().count() <= 80
                && !clean.contains('。')
            {
                let off = start
                    + (line.len() - line.trim_start().len())
                    + (raw.len() - clean.len()).min(raw.len());
                let mut t = clean.to_owned();
                let mut span = Span::from_range(off..off + clean.len());
                // An agency line right above a title that starts with the year, or a title broken
                // over two lines (`大张楼镇2022年政府信息公开` / `工作年度报告`).
                if let Some((pstart, p)) = prev_line {
                    let broken = YEAR.find(clean).is_none()
                        && YEAR.find(p).is_some()
                        && p.chars().count() <= 40
                        && !p.contains(['。', '，', ',', '：', ':']);
                    if (starts_with_year(clean) && looks_like_agency(p)) || broken {
                        t = format!("{}{}", p.trim(), clean);
                        span = Span::from_range(pstart..off + clean.len());
                    }
                }
                title = Some(Spanned::at(t, span));
                break;
            }
            prev_line = Some((start + (line.len() - line.trim_start().len()), raw));
        }
    }
    let from_property = property(doc, &["ArticleTitle", "title", "dc:title"])
        .map(|t| t.split('_').next().unwrap_or(t).trim())
        .filter(|t| t.contains("报告"));
    let specific = |t: &str| YEAR.is_match(t);
    match (&title, from_property) {
        (None, Some(p)) => title = Some(Spanned::bare(p.to_owned())),
        (Some(t), Some(p)) if !specific(&t.value) && specific(p) => {
            title = Some(Spanned::bare(p.to_owned()))
        }
        _ => {}
    }
    // Year and agency from the title.
    if let Some(t) = &title
        && let Some(m) = YEAR.captures(&t.value).and_then(|c| c.get(1))
    {
        {
            let y: i32 = ascii_digits(m.as_str()).parse().unwrap_or(0);
            if (2008..2100).contains(&y) {
                let span = t.span.map(|s| span_of(s.start, m));
                meta.year = Some(Spanned { value: y, span });
                let agency = t.value[..m.start()].trim().trim_end_matches(['（', '(', ' ']).trim();
                if agency.chars().count() >= 2 {
                    let a_span = t.span.map(|s| {
                        Span::new(s.start, s.start + u32::try_from(m.start()).unwrap_or(0))
                    });
                    meta.agency = Some(Spanned { value: agency.to_owned(), span: a_span });
                }
            }
        }
    }
    if meta.year.is_none()
        && let Some(c) = PERIOD.captures(text)
        && let Some(m) = c.get(1)
    {
        let y: i32 = m.as_str().parse().unwrap_or(0);
        if (2008..2100).contains(&y) {
            meta.year = Some(Spanned::at(y, span_of(0, m)));
        }
    }
    if meta.agency.is_none()
        && let Some((start, p)) = prev_line.filter(|(_, p)| looks_like_agency(p))
    {
        meta.agency =
            Some(Spanned::at(p.trim().to_owned(), Span::from_range(start..start + p.trim().len())));
    }
    meta.title = title;

    // Contact, URL and date from the preamble (falling back to the whole text for the phone).
    let first = |r: &Regex, s: &str, base: u32| -> Option<Spanned<String>> {
        let c = r.captures(s)?;
        let m = c.get(1)?;
        let mut v =
            m.as_str().trim().trim_end_matches(['，', ',', '、', '/', '—', '-', '（', '(']).trim();
        // A closing bracket of the surrounding sentence is not part of the value.
        while (v.ends_with('）') && !v.contains('（')) || (v.ends_with(')') && !v.contains('(')) {
            v = v[..v.len() - v.chars().last().map_or(1, char::len_utf8)].trim();
        }
        (!v.is_empty()).then(|| Spanned::at(v.to_owned(), span_of(base, m)))
    };
    let contact_scope = if head.len() > 20 { head } else { prefix(text, 6000) };
    meta.contact = Contact {
        address: first(&ADDRESS, contact_scope, 0),
        phone: first(&PHONE, contact_scope, 0).or_else(|| first(&PHONE, text, 0)),
        postcode: first(&POSTCODE, contact_scope, 0),
        email: first(&EMAIL, contact_scope, 0),
    };
    meta.url = property(doc, &["Url", "og:url", "canonical"])
        .map(|u| Spanned::bare(u.to_owned()))
        .or_else(|| first(&SOURCE_URL, text, 0))
        .or_else(|| first(&URL, head, 0));
    meta.published = property(doc, &["PubDate", "published", "dcterms:created", "created"])
        .map(|d| Spanned::bare(d.split_whitespace().next().unwrap_or(d).to_owned()))
        .or_else(|| {
            let c = PUBLISHED.captures(head)?;
            let m = c.get(1)?;
            Some(Spanned::at(m.as_str().to_owned(), span_of(0, m)))
        })
        .or_else(|| date_line(doc));
    meta
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn starts_with_year(s: &str) -> bool {
    YEAR.find(s).is_some_and(|m| m.start() == 0)
}

fn line_start(text: &str, line: usize) -> usize {
    if line == 0 {
        return 0;
    }
    text.match_indices('\n').nth(line - 1).map_or(text.len(), |(i, _)| i + 1)
}

/// A date alone on a line near the end (the signature date) or the start.
fn date_line(doc: &Document) -> Option<Spanned<String>> {
    let n = doc.line_count();
    let candidates = (0..n.min(12)).chain((n.saturating_sub(12)..n).rev());
    for l in candidates {
        let span = doc.line_span(l);
        let line = doc.slice(span);
        if let Some(c) = DATE_LINE.captures(line)
            && let Some(m) = c.get(1)
        {
            return Some(Spanned::at(m.as_str().to_owned(), span_of(span.start, m)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(text: &str) -> Metadata {
        let doc =
            gongkai_read_text::read("t.txt", text.as_bytes(), &gongkai_doc::Limits::default())
                .expect("text");
        extract(&doc, u32::try_from(text.len()).unwrap_or(0))
    }

    #[test]
    fn title_agency_year_contact() {
        let m = meta(
            "大张楼镇2022年政府信息公开工作年度报告\n嘉祥县大张楼镇人民政府\n本报告……如对本报告有疑问，请与大张楼镇人民政府联系（地址：嘉祥县大张楼镇中心街1号，联系电话：0537-6751301）。\n",
        );
        assert_eq!(m.agency.map(|a| a.value).as_deref(), Some("大张楼镇"));
        assert_eq!(m.year.map(|y| y.value), Some(2022));
        assert_eq!(m.contact.address.map(|a| a.value).as_deref(), Some("嘉祥县大张楼镇中心街1号"));
        assert_eq!(m.contact.phone.map(|a| a.value).as_deref(), Some("0537-6751301"));
    }

    #[test]
    fn agency_on_the_line_above() {
        let m = meta(
            "         淮安市洪泽区人民政府\n    2024 年政府信息公开工作年度报告\n\n（地址：淮安市洪泽区洪泽湖大道 90\n号，邮编：223100，电话：0517-87290606）",
        );
        assert_eq!(m.agency.map(|a| a.value).as_deref(), Some("淮安市洪泽区人民政府"));
        assert_eq!(m.year.map(|y| y.value), Some(2024));
        assert_eq!(m.contact.postcode.map(|a| a.value).as_deref(), Some("223100"));
        assert_eq!(m.contact.phone.map(|a| a.value).as_deref(), Some("0517-87290606"));
    }

    #[test]
    fn title_broken_over_two_lines() {
        let m = meta("大张楼镇2022年政府信息公开\n工作年度报告\n\n正文");
        assert_eq!(
            m.title.map(|a| a.value).as_deref(),
            Some("大张楼镇2022年政府信息公开工作年度报告")
        );
        assert_eq!(m.agency.map(|a| a.value).as_deref(), Some("大张楼镇"));
    }

    #[test]
    fn crawler_headers() {
        let m = meta(
            "标题: 平潭综合实验区2021年度政府信息公开工作年度报告\n发布时间: 2022-02-08 16:34\n原文链接: https://www.pingtan.gov.cn/zwgk/t20220208_80613.htm\n",
        );
        assert_eq!(m.agency.map(|a| a.value).as_deref(), Some("平潭综合实验区"));
        assert_eq!(m.year.map(|y| y.value), Some(2021));
        assert_eq!(m.published.map(|a| a.value).as_deref(), Some("2022-02-08"));
        assert_eq!(
            m.url.map(|a| a.value).as_deref(),
            Some("https://www.pingtan.gov.cn/zwgk/t20220208_80613.htm")
        );
    }
}
