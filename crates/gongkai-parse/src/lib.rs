//! Recognises the annual report in a [`Document`]: sections, Tables 2–4 and metadata.
//!
//! Parsing never fails: it returns a [`Report`] with whatever could be recognised and findings
//! (kind `extraction`) for everything the reader is unsure of. Where a cell's printed value cannot
//! be determined it is [`Value::Unknown`](gongkai_model::Value::Unknown) — never a guess.
//!
//! Pipeline: [`lex`] (tokens and a label stream) → [`sections`] (headings by meaning) →
//! [`tables`] (rows by label, values, readings narrowed by the table's rules) → [`meta`].
//! Nothing here knows the input format: the readers lay every format out as a [`Document`].

mod choices;
mod grid;
mod lex;
mod meta;
mod norm;
mod residue;
mod rows;
mod sections;
mod solve;
mod split;
mod tables;
mod work;

use std::ops::Range;

use gongkai_doc::{Document, findings};
use gongkai_model::{Finding, Layout, Msg, Report, Section, SectionId, Span, Spanned, TableId};

use crate::lex::LabelStream;
use crate::norm::letters;
use crate::rows::Ctx;

/// A recognised report and the reader's findings about it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The report.
    pub report: Report,
    /// Extraction findings (and the reader's notes carried over from the document).
    pub findings: Vec<Finding>,
}

/// Recognises the report in `doc`.
pub fn parse(doc: &Document) -> Parsed {
    parse_within(doc, &work::Work::default())
}

/// [`parse`], spending the enumeration of readings from `work`.
fn parse_within(doc: &Document, work: &work::Work) -> Parsed {
    let lexed = lex::lex(doc);
    let stream = LabelStream::build(doc, &lexed);
    let ctx = Ctx { lexed: &lexed, stream: &stream, text: &doc.text, choices: &doc.choices, work };
    let headings = sections::find(doc);
    let mut findings: Vec<Finding> = doc.notes.clone();
    // The first token starting at or after `off`, and the first token ending after it (which
    // includes a token that `off` falls inside: headings glued to the text around them).
    let tok_at = |off: u32| lexed.toks.partition_point(|t| t.span.start < off);
    let tok_from = |off: u32| lexed.toks.partition_point(|t| t.span.end <= off);
    let n_toks = lexed.toks.len();

    // Section boundaries: the start of each found heading; missing ones take their neighbours'.
    let heading = |id: SectionId| headings.iter().find(|h| h.id == id);
    let body_start = |id: SectionId| heading(id).map(|h| h.span.end);
    let next_start = |id: SectionId| {
        SectionId::ALL.iter().filter(|s| **s > id).find_map(|s| heading(*s)).map(|h| h.span.start)
    };
    let prev_end = |id: SectionId| {
        SectionId::ALL
            .iter()
            .rev()
            .filter(|s| **s < id)
            .find_map(|s| heading(*s))
            .map(|h| h.span.end)
    };
    let region = |id: SectionId| -> Range<usize> {
        let s = body_start(id).or_else(|| prev_end(id)).map_or(0, tok_from);
        let e = next_start(id).map_or(n_toks, tok_at);
        s..e.max(s)
    };

    let mut report = Report::default();
    let mut table_spans: Vec<(TableId, Span)> = Vec::new();
    let t2 = tables::read_rows_table(&ctx, TableId::T2, region(SectionId::Proactive));
    let t3 = tables::read_rows_table(&ctx, TableId::T3, region(SectionId::Applications));
    // Table 4 starts after Table 3 when section 四's heading is missing.
    let mut t4_region = region(SectionId::ReviewLitigation);
    if heading(SectionId::ReviewLitigation).is_none()
        && let Some(end) = t3.as_ref().and_then(|t| t.table.span).map(|s| tok_at(s.end))
    {
        t4_region.start = t4_region.start.max(end);
    }
    let t4 = tables::read_t4(&ctx, t4_region.clone());
    for (id, read, anchors) in [
        (TableId::T2, t2, &["第二十条", "信息内容"][..]),
        (TableId::T3, t3, &["本列数据的勾稽关系", "申请人情况"][..]),
        (TableId::T4, t4, &[][..]),
    ] {
        match read {
            Some(mut r) => {
                if let Some(span) = r.table.span {
                    let reg = match id {
                        TableId::T2 => region(SectionId::Proactive),
                        TableId::T3 => region(SectionId::Applications),
                        TableId::T4 => t4_region.clone(),
                    };
                    let start =
                        earliest_anchor(&ctx, reg, anchors, span.start).unwrap_or(span.start);
                    let span = Span::new(start.min(span.start), span.end);
                    r.table.span = Some(span);
                    table_spans.push((id, span));
                }
                findings.append(&mut r.findings);
                *report.table_mut(id) = Some(r.table);
            }
            None => findings.push(findings::READ_TABLE_MISSING.finding(Msg::new(
                format!(
                    "未找到{}（{}），其单元格均记为 ?",
                    table_zh(id),
                    gongkai_model::catalogue::table_title(id)
                ),
                format!(
                    "{id} ({}) not found; its cells are undetermined",
                    gongkai_model::catalogue::table_title(id)
                ),
            ))),
        }
    }

    // Sections: text between headings, minus the tables (with the whole grids they were read
    // from) and minus the reader's residue (kept as notes with their positions).
    let mut left_out: Vec<Span> = table_spans.iter().map(|(_, s)| grid_cover(doc, *s)).collect();
    let mut residue = residue::find(doc);
    residue.retain(|r| !left_out.iter().any(|t| t.start <= r.span.start && r.span.end <= t.end));
    findings.extend(residue::notes(doc, &residue));
    left_out.extend(residue.iter().map(|r| r.span));
    left_out.sort_by_key(|s| (s.start, s.end));
    for (i, h) in headings.iter().enumerate() {
        let end = headings.get(i + 1).map_or(doc.text.len() as u32, |n| n.span.start);
        let (text, start, verbatim) = section_text(doc, h.span.end, end, &left_out);
        report.sections.push(Section {
            id: h.id,
            heading: Spanned::at(doc.slice(h.span).trim().to_owned(), h.span),
            text,
            text_start: Some(start),
            text_is_verbatim: verbatim,
        });
    }
    let preamble_end = headings.first().map_or(doc.text.len() as u32, |h| h.span.start);
    report.meta = meta::extract(doc, preamble_end);
    let pre_start =
        report.meta.title.as_ref().and_then(|t| t.span).map_or(0, |s| s.end).min(preamble_end);
    let (pre, _, _) = section_text(doc, pre_start, preamble_end, &left_out);
    let title = report.meta.title.as_ref().map_or("", |t| t.value.as_str());
    let pre = without_title(&pre, title);
    if !pre.is_empty() {
        report.preamble = Some(pre.to_owned());
    }
    Parsed { report, findings }
}

fn table_zh(id: TableId) -> &'static str {
    match id {
        TableId::T2 => "表二",
        TableId::T3 => "表三",
        TableId::T4 => "表四",
    }
}

/// The layout a report uses for a table, for the year when the table is missing.
pub fn expected_layout(report: &Report, id: TableId) -> Layout {
    report.table(id).map_or_else(
        || gongkai_model::tsv::default_layout(report.meta.year.as_ref().map(|y| y.value)),
        |t| t.layout(),
    )
}

/// Where the earliest of `anchors` occurs in the token range, if before `before`.
fn earliest_anchor(
    ctx: &Ctx<'_>,
    toks: Range<usize>,
    anchors: &[&str],
    before: u32,
) -> Option<u32> {
    let region = ctx.stream_range(&toks);
    let chars = &ctx.stream.chars[region.clone()];
    let mut best: Option<u32> = None;
    for a in anchors {
        let pat: Vec<char> = letters(a).chars().collect();
        if pat.is_empty() || chars.len() < pat.len() {
            continue;
        }
        if let Some(i) = (0..=chars.len() - pat.len()).find(|&i| chars[i..i + pat.len()] == pat[..])
        {
            let off = ctx.stream.span[region.start + i].start;
            if off < before && best.is_none_or(|b| off < b) {
                best = Some(off);
            }
        }
    }
    // Include an opening bracket just before the anchor, or the whole line when only a bracket or
    // numbering precedes it.
    best.map(|b| {
        let text = ctx.text;
        let line_start = text[..b as usize].rfind('\n').map_or(0, |i| i + 1);
        let pre = &text[line_start..b as usize];
        if pre.trim().chars().count() <= 2 {
            return (line_start + (pre.len() - pre.trim_start().len())) as u32;
        }
        let trimmed = pre.trim_end_matches(['（', '(', ' ', '\u{3000}']);
        (line_start + trimmed.len()) as u32
    })
}

/// `table` widened to the grids of the document it overlaps: a table's header rows and the rows
/// after its last label belong to the table, not to the section's text.
fn grid_cover(doc: &Document, table: Span) -> Span {
    doc.blocks.iter().fold(table, |acc, b| match b {
        gongkai_doc::Block::Grid(g) if g.span.start < table.end && g.span.end > table.start => {
            Span::new(acc.start.min(g.span.start), acc.end.max(g.span.end))
        }
        _ => acc,
    })
}

/// The text of `[start, end)` without the spans left out (tables, residue; sorted by start).
fn section_text(doc: &Document, start: u32, end: u32, left_out: &[Span]) -> (String, u32, bool) {
    let inside: Vec<Span> =
        left_out.iter().copied().filter(|s| s.start < end && s.end > start).collect();
    if inside.is_empty() {
        let raw = doc.slice(Span::new(start, end));
        let lead = raw.len() - raw.trim_start().len();
        let text = raw.trim();
        if text == tidy(text) {
            return (text.to_owned(), start + lead as u32, true);
        }
        return (tidy(text), start + lead as u32, false);
    }
    let mut parts = Vec::new();
    let mut cur = start;
    for s in inside {
        if s.start > cur {
            parts.push(doc.slice(Span::new(cur, s.start)).trim().to_owned());
        }
        cur = cur.max(s.end);
    }
    if cur < end {
        parts.push(doc.slice(Span::new(cur, end)).trim().to_owned());
    }
    parts.retain(|p| !p.is_empty());
    (tidy(&parts.join("\n")), start, false)
}

/// `pre` without its first lines when they print the title again (a crawler export gives the
/// title in its header and the page prints it once more, often broken over two lines).
fn without_title<'a>(pre: &'a str, title: &str) -> &'a str {
    let want: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    if want.is_empty() {
        return pre;
    }
    let mut seen = String::new();
    for (i, line) in pre.split('\n').enumerate().take(3) {
        seen.extend(line.chars().filter(|c| !c.is_whitespace()));
        if seen == want {
            let cut: usize = pre.split('\n').take(i + 1).map(|l| l.len() + 1).sum();
            return pre.get(cut.min(pre.len())..).unwrap_or("").trim_start();
        }
        if !want.starts_with(&seen) {
            break;
        }
    }
    pre
}

/// Collapses blank lines and trailing spaces; keeps one paragraph per line.
fn tidy(s: &str) -> String {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Times each stage of [`parse`] over `n` runs (a development aid for the `stages` example).
#[doc(hidden)]
pub fn profile(doc: &Document, n: u32) -> Vec<(&'static str, std::time::Duration)> {
    use std::time::Instant;
    let mut out = Vec::new();
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(lex::lex(doc));
    }
    out.push(("lex", t.elapsed() / n));
    let lexed = lex::lex(doc);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(LabelStream::build(doc, &lexed));
    }
    out.push(("stream", t.elapsed() / n));
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(sections::find(doc));
    }
    out.push(("sections", t.elapsed() / n));
    let stream = LabelStream::build(doc, &lexed);
    let all = 0..lexed.toks.len();
    let t = Instant::now();
    for _ in 0..n {
        let work = work::Work::default();
        let ctx = Ctx {
            lexed: &lexed,
            stream: &stream,
            text: &doc.text,
            choices: &doc.choices,
            work: &work,
        };
        std::hint::black_box(tables::read_rows_table(&ctx, TableId::T3, all.clone()).is_some());
    }
    out.push(("t3 (whole doc)", t.elapsed() / n));
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(meta::extract(doc, u32::try_from(doc.text.len()).unwrap_or(0)));
    }
    out.push(("meta", t.elapsed() / n));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Value;

    fn doc(text: &str) -> Document {
        gongkai_read_text::read("t.txt", text.as_bytes(), &gongkai_doc::Limits::default())
            .expect("readable")
    }

    fn corpus(name: &str) -> String {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw");
        std::fs::read_to_string(dir.join(name)).expect("fixture")
    }

    /// `text` with every run of ASCII digits replaced by `digits` digits.
    fn with_long_numbers(text: &str, digits: usize) -> String {
        let long: String = "1234567890".chars().cycle().take(digits).collect();
        let mut out = String::with_capacity(text.len() * 2);
        let mut in_run = false;
        for c in text.chars() {
            if c.is_ascii_digit() {
                if !in_run {
                    out.push_str(&long);
                }
                in_run = true;
            } else {
                in_run = false;
                out.push(c);
            }
        }
        out
    }

    const CORPUS: [&str; 3] = ["dazhanglou-2022.txt", "pingtan-2021.txt", "shuyang-2025-ocr.txt"];

    #[test]
    fn real_reports_spend_a_small_part_of_the_work_budget() {
        for name in CORPUS {
            let work = work::Work::default();
            let _ = parse_within(&doc(&corpus(name)), &work);
            assert!(work.spent() * 20 < work::DOCUMENT_WORK, "{name}: {}", work.spent());
        }
    }

    #[test]
    fn pathological_numbers_hit_the_bound_and_read_as_ambiguous() {
        // Crawler text whose every number has 64 digits: each glued run can be split in
        // astronomically many ways. Without the shared budget this took ~5 s (release).
        let text = with_long_numbers(&corpus("pingtan-2021.txt"), 64);
        let work = work::Work::default();
        let parsed = parse_within(&doc(&text), &work);
        assert_eq!(work.spent(), work::DOCUMENT_WORK, "the bound is what stopped it");
        assert!(parsed.findings.iter().any(|f| f.rule == "READ-AMBIGUOUS"));
        let t3 = parsed.report.t3.as_ref().map(|t| t.cells().to_vec()).unwrap_or_default();
        assert!(t3.iter().all(|c| c.value == Value::Unknown || c.value.number().is_some()));
    }

    #[test]
    fn numbers_of_25_to_64_digits_never_overflow() {
        for name in CORPUS {
            for digits in [25, 28, 29, 30, 64] {
                let text = with_long_numbers(&corpus(name), digits);
                let parsed = parse(&doc(&text));
                // Every number read is digits printed in the text: nothing wrapped or was cut.
                for cell in parsed.report.cells() {
                    if let Some(d) = cell.value.number() {
                        let printed: String =
                            d.abs().to_string().chars().filter(char::is_ascii_digit).collect();
                        assert!(text.contains(&printed), "{name} {digits}: {} = {d}", cell.key);
                    }
                }
            }
        }
    }
}
