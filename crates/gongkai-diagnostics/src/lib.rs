//! Compiler-style rendering of findings:
//!
//! ```text
//! 错误[T3-BALANCE]: 「自然人」列：本年新收 64 + 上年结转 0 = 64，而办理结果总计 63 + 结转下年度 0 = 63，相差 1
//!   --> report.txt:231:3
//!     |
//! 231 |     （七）总计  63  0  0
//!     |                ^^ 总计 63
//!     = 单元格：t3.total_processed.natural_person, t3.carried_forward.natural_person, …
//! ```
//!
//! Columns are counted in terminal cells (`unicode-width`), so underlines line up under
//! double-width CJK characters and full-width digits. Lines longer than the terminal would show
//! (crawler text often prints a whole report on one line) are cut to a window around the
//! underlined cells, marked with `…`. This renderer is hand-written rather than taken from
//! `codespan-reporting` or `ariadne` because neither can window very long lines.

use std::fmt::Write as _;

use gongkai_doc::Document;
use gongkai_model::{Finding, Lang, Severity, Span};
use unicode_width::UnicodeWidthChar;

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// Language of the fixed words (the finding's message is chosen in this language too).
    pub lang: Lang,
}

/// The widest line excerpt shown, in terminal cells.
const MAX_WIDTH: usize = 100;
/// Context kept on each side of the underlined part of a long line, in terminal cells.
const CONTEXT: usize = 24;

fn paint(s: &str, code: &str, style: Style) -> String {
    if style.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_owned() }
}

/// The severity word (`错误`/`error`) for `lang`.
pub fn severity_word(sev: Severity, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => sev.zh(),
        Lang::En => sev.key(),
    }
}

fn severity_color(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// Where `offset` is, for people: `name:line:col`, plus the original-format origin when known.
pub fn location(doc: &Document, offset: u32, lang: Lang) -> String {
    let (line, col) = doc.line_col(offset);
    let mut s = format!("{}:{line}:{col}", doc.name);
    if let Some(o) = doc.origin_at(offset) {
        let d = match lang {
            Lang::Zh => o.describe_zh(),
            Lang::En => o.describe_en(),
        };
        let _ = write!(s, " ({d})");
    }
    s
}

struct Cell {
    byte: usize,
    text: String,
    width: usize,
}

/// The line as display cells (tabs expanded to 4 spaces).
fn cells(line: &str) -> Vec<Cell> {
    line.char_indices()
        .map(|(i, c)| match c {
            '\t' => Cell { byte: i, text: "    ".to_owned(), width: 4 },
            c if c.is_control() => Cell { byte: i, text: " ".to_owned(), width: 1 },
            c => Cell { byte: i, text: c.to_string(), width: c.width().unwrap_or(0) },
        })
        .collect()
}

/// Display column of byte offset `b` within the line.
fn col_of(cells: &[Cell], b: usize) -> usize {
    cells.iter().take_while(|c| c.byte < b).map(|c| c.width).sum()
}

/// Renders one finding against its document.
pub fn render(doc: &Document, f: &Finding, style: Style) -> String {
    let mut out = String::new();
    let sev = severity_word(f.severity, style.lang);
    let head = format!("{sev}[{}]", f.rule);
    let _ = writeln!(
        out,
        "{}: {}",
        paint(&head, severity_color(f.severity), style),
        paint(f.message.get(style.lang), "1", style)
    );
    let labels: Vec<(Span, &str, bool)> = f
        .labels
        .iter()
        .enumerate()
        .filter(|(_, l)| (l.span.end as usize) <= doc.text.len())
        .map(|(i, l)| (l.span, l.note.get(style.lang), i == 0))
        .collect();
    // Lines to show: those of the labels, primary first, then in order; at most four.
    let mut lines: Vec<usize> = Vec::new();
    for (span, _, _) in &labels {
        let l = doc.line_of(span.start);
        if !lines.contains(&l) {
            lines.push(l);
        }
    }
    let shown_lines: Vec<usize> = {
        let mut v: Vec<usize> = lines.iter().copied().take(4).collect();
        v.sort_unstable();
        v
    };
    let gutter = shown_lines.iter().map(|l| (l + 1).to_string().len()).max().unwrap_or(1);
    let pad = " ".repeat(gutter);
    let bar = paint("|", "1;34", style);
    if let Some((span, _, _)) = labels.first() {
        let _ = writeln!(
            out,
            "{pad}{} {}",
            paint("-->", "1;34", style),
            location(doc, span.start, style.lang)
        );
        let _ = writeln!(out, "{pad} {bar}");
    } else {
        let _ = writeln!(out, "{pad}{} {}", paint("-->", "1;34", style), doc.name);
    }
    for &line in &shown_lines {
        let lspan = doc.line_span(line);
        let text = doc.slice(lspan);
        let cs = cells(text);
        let on_line: Vec<(usize, usize, &str, bool)> = labels
            .iter()
            .filter(|(s, _, _)| doc.line_of(s.start) == line)
            .map(|(s, note, primary)| {
                let a = (s.start - lspan.start) as usize;
                let b = ((s.end.min(lspan.end)) - lspan.start) as usize;
                let ca = col_of(&cs, a);
                let cb = col_of(&cs, b.max(a));
                (ca, cb.max(ca + 1), *note, *primary)
            })
            .collect();
        let total: usize = cs.iter().map(|c| c.width).sum();
        let (mut from, mut to) = (0, total);
        if total > MAX_WIDTH {
            let lo = on_line.iter().map(|l| l.0).min().unwrap_or(0);
            let hi = on_line.iter().map(|l| l.1).max().unwrap_or(0);
            from = lo.saturating_sub(CONTEXT);
            to = (hi + CONTEXT).min(total).max(from);
            if to - from > MAX_WIDTH {
                to = from + MAX_WIDTH;
            }
        }
        // Build the excerpt within [from, to) display columns.
        let mut excerpt = String::new();
        let mut col = 0;
        let mut start_col = None;
        for c in &cs {
            if col >= from && col + c.width <= to {
                if start_col.is_none() {
                    start_col = Some(col);
                }
                excerpt.push_str(&c.text);
            }
            col += c.width;
        }
        let start_col = start_col.unwrap_or(from);
        let left_cut = start_col > 0;
        let right_cut = to < total;
        let lead = if left_cut { "…" } else { "" };
        let lead_w = usize::from(left_cut);
        let _ = writeln!(
            out,
            "{} {bar} {lead}{}{}",
            paint(&format!("{:>gutter$}", line + 1), "1;34", style),
            excerpt.trim_end(),
            if right_cut { "…" } else { "" }
        );
        for (a, b, note, primary) in on_line {
            if a < start_col || a >= to {
                continue;
            }
            let mark = if primary { "^" } else { "-" };
            let under = mark.repeat((b.min(to) - a).max(1));
            let code = if primary { severity_color(f.severity) } else { "1;34" };
            let _ = writeln!(
                out,
                "{pad} {bar} {}{}{}",
                " ".repeat(lead_w + a - start_col),
                paint(&under, code, style),
                if note.is_empty() {
                    String::new()
                } else {
                    format!(" {}", paint(note, code, style))
                }
            );
        }
    }
    if lines.len() > shown_lines.len() {
        let _ = writeln!(
            out,
            "{pad} {bar} {}",
            match style.lang {
                Lang::Zh => format!("……另有 {} 处", lines.len() - shown_lines.len()),
                Lang::En => format!("… and {} more place(s)", lines.len() - shown_lines.len()),
            }
        );
    }
    let eq = paint("=", "1;34", style);
    if let (Some(p), Some(i)) = (f.printed, f.implied)
        && p != i
    {
        let _ = writeln!(
            out,
            "{pad} {eq} {}",
            match style.lang {
                Lang::Zh => format!(
                    "印刷值 {}，按勾稽关系应为 {}（印刷值不作改动）",
                    p.normalize(),
                    i.normalize()
                ),
                Lang::En => format!(
                    "printed {}, the arithmetic implies {} (the printed value is kept)",
                    p.normalize(),
                    i.normalize()
                ),
            }
        );
    }
    if !f.cells.is_empty() {
        let shown: Vec<String> = f.cells.iter().take(6).map(ToString::to_string).collect();
        let more =
            if f.cells.len() > 6 { format!(", …（{}）", f.cells.len()) } else { String::new() };
        let _ = writeln!(
            out,
            "{pad} {eq} {}{}{more}",
            match style.lang {
                Lang::Zh => "单元格：",
                Lang::En => "cells: ",
            },
            shown.join(", ")
        );
    }
    if let Some(h) = &f.help {
        let _ = writeln!(
            out,
            "{pad} {eq} {}{}",
            match style.lang {
                Lang::Zh => "帮助：",
                Lang::En => "help: ",
            },
            h.get(style.lang)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_doc::{Block, Format, Para};
    use gongkai_model::{FindingKind, Msg};

    fn doc(text: &str) -> Document {
        let blocks = vec![Block::Para(Para { span: Span::from_range(0..text.len()) })];
        Document::new("报告.txt", Format::Text, text.to_owned(), blocks)
    }

    fn at(text: &str, needle: &str) -> Span {
        let i = text.find(needle).unwrap_or(0);
        Span::from_range(i..i + needle.len())
    }

    #[test]
    fn underlines_align_under_cjk_and_full_width_digits() {
        let text = "标题\n\t（七）总计　６３　0\n";
        let d = doc(text);
        let f = Finding::new(
            "T3-BALANCE",
            Severity::Error,
            FindingKind::Source,
            Msg::new("「自然人」列不平衡", "unbalanced"),
        )
        .with_label(Some(at(text, "６３")), Msg::new("总计 63", "total 63"))
        .with_label(Some(at(text, "总计")), Msg::new("", ""));
        insta::assert_snapshot!(render(&d, &f, Style { color: false, lang: Lang::Zh }), @r"
        错误[T3-BALANCE]: 「自然人」列不平衡
         --> 报告.txt:2:8
          |
        2 |     （七）总计　６３　0
          |                 ^^^^ 总计 63
          |           ----
        ");
    }

    #[test]
    fn long_lines_are_windowed() {
        let mut text = "甲".repeat(200);
        text.push_str("总计630020469四、结转");
        text.push_str(&"乙".repeat(200));
        let d = doc(&text);
        let f = gongkai_doc::findings::READ_SPLIT
            .finding(Msg::new("连写", "glued"))
            .with_label(Some(at(&text, "630020469")), Msg::new("这里", "here"));
        let out = render(&d, &f, Style { color: false, lang: Lang::Zh });
        insta::assert_snapshot!(out, @r"
        提示[READ-SPLIT]: 连写
         --> 报告.txt:1:203
          |
        1 | …甲甲甲甲甲甲甲甲甲甲总计630020469四、结转乙乙乙乙乙乙乙乙…
          |                          ^^^^^^^^^ 这里
        ");
    }
}
