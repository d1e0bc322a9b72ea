//! Pipe tables (Markdown and `|`-separated crawler text).

use gongkai_doc::{Grid, GridCell};
use gongkai_model::Span;

/// Whether the text looks like Markdown (headings or pipe-table rules).
pub(crate) fn looks_like_markdown(text: &str) -> bool {
    text.lines().take(400).any(|l| {
        let t = l.trim_start();
        t.starts_with("# ") || t.starts_with("## ") || t.starts_with("### ") || is_rule(t)
    })
}

fn is_pipe_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.len() > 1 && t[1..].contains('|')
}

/// `|---|:--:|` and similar.
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '—' | '－'))
}

/// How many lines from the start of `lines` form one pipe table (0 or 1 when none).
pub(crate) fn table_run(text: &str, lines: &[Span]) -> usize {
    lines.iter().take_while(|s| is_pipe_line(&text[s.range()])).count()
}

/// Splits the pipe lines into a grid, dropping rule lines. Cells keep their spans in `text`.
pub(crate) fn grid(text: &str, lines: &[Span]) -> Grid {
    let mut rows = Vec::new();
    for line in lines {
        let s = &text[line.range()];
        if is_rule(s) {
            continue;
        }
        let mut cells = Vec::new();
        let base = line.start as usize;
        let trimmed_start = s.len() - s.trim_start().len();
        let body = s.trim();
        // Drop the leading and trailing bars.
        let inner_start = trimmed_start + 1;
        let inner_end =
            trimmed_start + body.len() - usize::from(body.ends_with('|') && body.len() > 1);
        let inner = &s[inner_start..inner_end.max(inner_start)];
        let mut col = 0u32;
        let mut cell_start = inner_start;
        let bytes = inner.as_bytes();
        let mut i = 0;
        while i <= bytes.len() {
            let at_end = i == bytes.len();
            let is_bar = !at_end && bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\');
            if at_end || is_bar {
                let raw = &s[cell_start..inner_start + i];
                let lead = raw.len() - raw.trim_start().len();
                let content = raw.trim();
                let start = base + cell_start + lead;
                cells.push(GridCell {
                    span: Span::from_range(start..start + content.len()),
                    row_span: 1,
                    col_span: 1,
                    col,
                });
                col += 1;
                cell_start = inner_start + i + 1;
            }
            i += 1;
        }
        rows.push(cells);
    }
    let span = match (lines.first(), lines.last()) {
        (Some(f), Some(l)) => Span::new(f.start, l.end),
        _ => Span::default(),
    };
    Grid { rows, span }
}
