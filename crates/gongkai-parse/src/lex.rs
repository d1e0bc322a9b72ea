//! Lexing the document into a flat token stream and a label stream.
//!
//! Every line of a paragraph and every grid cell is a *unit*; whitespace and `|` separate words
//! inside a unit. Inside a word, digit runs become [`Kind::Num`] tokens and everything else text,
//! with the traps of real reports handled here once:
//!
//! - row numbering glued to the digits before it (`00000002.其他法律…`: the `2.` is numbering);
//! - decimals (`24252.311082`), a leading minus (`-2` in the trial format's 本年增/减);
//! - annotations printed with a value (`22（其中修订16件）`);
//! - numbers in prose (`收到申请70件`, a unit follows) are [`Kind::Prose`], never cell values;
//! - not-applicable marks (`/`, `—`, `无`) standing alone;
//! - page numbers (`- 3 -`, `第3页`) are dropped.
//!
//! The [`LabelStream`] is the concatenation of the letters of all text tokens (folded, punctuation
//! and spaces dropped), with one gap character per value token, so labels match across line breaks
//! and odd spacing but never across a value.

use gongkai_doc::{Block, Document};
use gongkai_model::Span;

use crate::norm::{Class, chinese_numeral, class};

/// A token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tok {
    /// What it is.
    pub kind: Kind,
    /// Where it is in the document text.
    pub span: Span,
    /// Index of the unit (line or cell) it belongs to.
    pub unit: u32,
    /// Whether the unit is a grid cell (an empty grid cell is certainly a blank cell; an empty line
    /// may be layout spacing).
    pub cell: bool,
    /// The table row the unit belongs to ([`NO_ROW`] for running text): a grid row, or a line of
    /// `|`-separated fields.
    pub row: u32,
}

/// [`Tok::row`] of tokens outside table rows.
pub(crate) const NO_ROW: u32 = u32::MAX;

/// Token kinds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    /// Text with at least one letter.
    Text,
    /// Punctuation only (brackets, colons, markdown `#`): ignored between labels and values.
    Punct,
    /// A number that may be a cell value.
    Num(Num),
    /// A not-applicable mark standing alone.
    Mark,
    /// A table cell that prints only `?` (or the replacement character U+FFFD): a value that is
    /// there but was not read — an OCR reader's undetermined cell, a mis-encoded digit. It holds
    /// the cell's place (the row's values do not run on into the next row's) and reads as `?`.
    Unread,
    /// An empty cell or a whitespace-only line.
    Empty,
    /// A number in running text (followed by a unit such as 件, 条, 年, %). Inside a table cell
    /// it is the cell's value (`5件`), so the number is kept.
    Prose(Num),
}

impl Kind {
    /// Whether the token can be (part of) a cell value.
    pub(crate) fn is_value(&self) -> bool {
        matches!(self, Kind::Num(_) | Kind::Mark | Kind::Unread | Kind::Empty)
    }
}

/// A run of digits as printed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Num {
    /// ASCII digits with at most one `.` (thousands separators removed).
    pub text: String,
    /// Document byte offset of each char of `text`, plus the end offset (`len + 1` entries). For a
    /// negative number the first offset is the sign's.
    pub offs: Vec<u32>,
    /// Printed with a leading minus.
    pub negative: bool,
    /// Text printed with the value in brackets right after it, and where.
    pub annotation: Option<(String, Span)>,
}

/// The tokens of a document.
#[derive(Debug, Default)]
pub(crate) struct Lexed {
    /// All tokens in reading order.
    pub toks: Vec<Tok>,
    /// Number of units (lines and cells) lexed.
    pub units: u32,
    /// Whether the unit being lexed is a grid cell.
    cell: bool,
    /// The table row being lexed, or [`NO_ROW`].
    row: u32,
    /// Table rows seen so far.
    rows: u32,
    /// Where each grid cell's unit lies in its grid, in unit order ([`crate::grid`]).
    pub cells: Vec<crate::grid::CellAt>,
    /// Grids seen so far.
    grids: u32,
}

/// Lexes every block of `doc`.
pub(crate) fn lex(doc: &Document) -> Lexed {
    let mut out = Lexed::default();
    out.toks.reserve(doc.text.len() / 4);
    let mut scratch: Vec<Ch> = Vec::new();
    out.row = NO_ROW;
    for block in &doc.blocks {
        match block {
            Block::Para(p) => {
                let text = doc.slice(p.span);
                if is_page_number(text) {
                    continue;
                }
                lex_unit(&mut out, text, p.span.start, false, &mut scratch);
            }
            Block::Grid(g) => {
                let grid = out.grids;
                out.grids += 1;
                for (r, row) in g.rows.iter().enumerate() {
                    out.row = out.rows;
                    out.rows += 1;
                    for cell in row {
                        let text = doc.slice(cell.span);
                        out.cells.push(crate::grid::CellAt::new(out.units, grid, r, cell));
                        lex_unit(&mut out, text, cell.span.start, true, &mut scratch);
                    }
                }
                out.row = NO_ROW;
            }
        }
    }
    out
}

/// Whether a line is only a page number (`- 3 -`, `—3—`, `第 3 页`, `第3页 共5页`).
pub(crate) fn is_page_number(line: &str) -> bool {
    // Quick rejection: page numbers are short and contain no letters except 第/页/共.
    let line = line.trim();
    if line.len() > 40
        || line
            .chars()
            .any(|c| matches!(class(c), Class::Letter(l) if !matches!(l, '第' | '页' | '共')))
    {
        return false;
    }
    let s: String = line.chars().filter(|c| class(*c) != Class::Space).collect();
    if s.is_empty() {
        return false;
    }
    let digits = |x: &str| {
        !x.is_empty() && x.len() <= 4 && x.chars().all(|c| matches!(class(c), Class::Digit(_)))
    };
    let dash = |c: char| class(c) == Class::Punct('-');
    // - 3 -
    let inner = s.trim_start_matches(dash);
    let stripped = inner.trim_end_matches(dash);
    if inner.len() < s.len() && stripped.len() < inner.len() && digits(stripped) {
        return true;
    }
    // 第3页 / 第3页共5页 / 第3页，共5页
    if let Some(rest) = s.strip_prefix('第') {
        let mut parts = rest.split('页');
        if let Some(first) = parts.next()
            && digits(first)
        {
            let tail: String = parts.collect::<Vec<_>>().join("页");
            let tail = tail.trim_start_matches([',', '，']);
            return tail.is_empty()
                || tail.strip_prefix('共').is_some_and(|t| digits(t.trim_end_matches('页')));
        }
    }
    false
}

/// Units that follow a number in running text (`70件`, `2022年`, `98%`).
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '条' | '件'
            | '个'
            | '项'
            | '次'
            | '家'
            | '人'
            | '元'
            | '篇'
            | '期'
            | '份'
            | '批'
            | '余'
            | '多'
            | '年'
            | '月'
            | '日'
            | '号'
            | '名'
            | '万'
            | '亿'
            | '千'
            | '百'
            | '页'
            | '天'
            | '起'
            | '场'
            | '类'
            | '户'
            | '位'
            | '所'
            | '座'
            | '张'
            | '部'
            | '套'
            | '台'
            | '宗'
            | '笔'
            | '倍'
            | '届'
            | '轮'
            | '季'
            | '周'
            | '时'
            | '分'
            | '秒'
            | '岁'
            | '亩'
            | '米'
            | '%'
            | '％'
            | '‰'
            | '块'
            | '处'
            | '组'
            | '支'
            | '册'
            | '卷'
            | '幅'
            | '栏'
            | '版'
            | '轴'
            | '点'
            | '级'
            | '度'
    )
}

fn is_mark_word(w: &[Ch]) -> bool {
    if w.is_empty() || w.len() > 3 {
        return false;
    }
    if w.len() == 1 && w[0].c == '无' {
        return true;
    }
    w.iter().all(|c| matches!(c.cl, Class::Punct('-' | '/')) || matches!(c.c, '×' | 'x' | 'X'))
        && w.iter().any(|c| matches!(c.cl, Class::Punct('-' | '/')))
}

/// Whether a word is an unread-value mark: one to three `?`, `？` or U+FFFD and nothing else.
fn is_unread_word(w: &[Ch]) -> bool {
    (1..=3).contains(&w.len()) && w.iter().all(|c| matches!(c.c, '?' | '？' | '\u{fffd}'))
}

struct Ch {
    off: u32,
    c: char,
    cl: Class,
}

fn lex_unit(out: &mut Lexed, text: &str, base: u32, cell: bool, chars: &mut Vec<Ch>) {
    let ui = out.units;
    out.units += 1;
    chars.clear();
    chars.extend(text.char_indices().map(|(i, c)| Ch {
        off: base + u32::try_from(i).unwrap_or(0),
        c,
        cl: class(c),
    }));
    let chars: &[Ch] = chars;
    let end_off = base + u32::try_from(text.len()).unwrap_or(0);
    let before = out.toks.len();
    out.cell = cell;
    // A line with `|` separators is a row of cells: an empty field between bars is a blank cell.
    // (A leading bar opens the row and a trailing bar after a leading one closes it.)
    let bars: Vec<usize> = (0..chars.len()).filter(|&i| chars[i].cl == Class::Punct('|')).collect();
    if !cell && !bars.is_empty() {
        let first = chars.iter().position(|c| c.cl != Class::Space);
        let last = chars.iter().rposition(|c| c.cl != Class::Space);
        let opens = first.is_some_and(|f| chars[f].cl == Class::Punct('|'));
        let mut bounds: Vec<usize> = Vec::with_capacity(bars.len() + 2);
        if !opens {
            bounds.push(usize::MAX); // the field before the first bar
        }
        bounds.extend(bars.iter().copied());
        let closes = opens && last.is_some_and(|l| chars[l].cl == Class::Punct('|'));
        let n_fields = if closes { bounds.len() - 1 } else { bounds.len() };
        out.row = out.rows;
        out.rows += 1;
        for f in 0..n_fields {
            // Each field is a cell of its own.
            let ui = if f == 0 {
                ui
            } else {
                out.units += 1;
                out.units - 1
            };
            let from = bounds[f].wrapping_add(1);
            let to = bounds.get(f + 1).copied().unwrap_or(chars.len());
            let field = &chars[from.min(to)..to];
            if field.iter().all(|c| c.cl == Class::Space) {
                let at = chars.get(to).map_or(end_off, |c| c.off);
                out.toks.push(Tok {
                    kind: Kind::Empty,
                    span: Span::new(at, at),
                    unit: ui,
                    cell: true,
                    row: out.row,
                });
            } else {
                lex_words(out, field, chars.get(to).map_or(end_off, |c| c.off), ui);
            }
        }
        out.cell = cell;
        out.row = NO_ROW;
        return;
    }
    lex_words(out, chars, end_off, ui);
    if out.toks.len() == before {
        out.toks.push(Tok {
            kind: Kind::Empty,
            span: Span::new(base, end_off),
            unit: ui,
            cell,
            row: out.row,
        });
    }
}

/// Splits `chars` into words on whitespace and lexes each.
fn lex_words(out: &mut Lexed, chars: &[Ch], end_off: u32, ui: u32) {
    let off_at = |i: usize| chars.get(i).map_or(end_off, |ch| ch.off);
    let mut i = 0;
    while i < chars.len() {
        if chars[i].cl == Class::Space {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].cl != Class::Space {
            i += 1;
        }
        // What follows the word after spaces: a letter makes `1.` numbering.
        let mut k = i;
        while k < chars.len() && chars[k].cl == Class::Space {
            k += 1;
        }
        let letter_follows =
            chars.get(k).is_some_and(|c| matches!(c.cl, Class::Letter(_) | Class::Punct('"')));
        lex_word(out, &chars[start..i], off_at(i), ui, letter_follows);
    }
}

fn push_text(out: &mut Lexed, w: &[Ch], from: usize, to: usize, end: u32, ui: u32) {
    if from >= to {
        return;
    }
    let span = Span::new(w[from].off, w.get(to).map_or(end, |c| c.off));
    let has_letter = w[from..to].iter().any(|c| matches!(c.cl, Class::Letter(_)));
    // Merge with a preceding text token of the same unit that ends where this starts.
    if let Some(last) = out.toks.last_mut()
        && last.unit == ui
        && last.span.end == span.start
        && matches!(last.kind, Kind::Text | Kind::Punct)
    {
        last.span.end = span.end;
        if has_letter {
            last.kind = Kind::Text;
        }
        return;
    }
    out.toks.push(Tok {
        kind: if has_letter { Kind::Text } else { Kind::Punct },
        span,
        unit: ui,
        cell: out.cell,
        row: out.row,
    });
}

/// Lexes one word (no spaces inside). `end` is the offset just past the word; `letter_follows`
/// says whether the next word starts with a letter.
fn lex_word(out: &mut Lexed, w: &[Ch], end: u32, ui: u32, letter_follows: bool) {
    let unread = out.cell && is_unread_word(w);
    if unread || is_mark_word(w) {
        out.toks.push(Tok {
            kind: if unread { Kind::Unread } else { Kind::Mark },
            span: Span::new(w[0].off, end),
            unit: ui,
            cell: out.cell,
            row: out.row,
        });
        return;
    }
    let n = w.len();
    let mut text_from = 0;
    let mut i = 0;
    while i < n {
        let Class::Digit(_) = w[i].cl else {
            // Parenthesised numbering such as (1) or （2） stays text.
            if w[i].cl == Class::Punct('(') {
                let mut j = i + 1;
                while j < n && matches!(w[j].cl, Class::Digit(_)) {
                    j += 1;
                }
                if j > i + 1 && j - i <= 3 && j < n && w[j].cl == Class::Punct(')') {
                    i = j + 1;
                    continue;
                }
            }
            i += 1;
            continue;
        };
        // A digit run starts at i.
        let num_start = i;
        let mut text = String::new();
        let mut offs = Vec::new();
        let mut j = i;
        let mut seen_dot = false;
        while j < n {
            match w[j].cl {
                Class::Digit(d) => {
                    text.push(char::from(b'0' + d));
                    offs.push(w[j].off);
                    j += 1;
                }
                Class::Punct('.')
                    if !seen_dot
                        && j + 1 < n
                        && matches!(w[j + 1].cl, Class::Digit(_))
                        && !text.is_empty() =>
                {
                    seen_dot = true;
                    text.push('.');
                    offs.push(w[j].off);
                    j += 1;
                }
                Class::Punct(',')
                    if w[j].c == ','
                        && !seen_dot
                        && j + 3 < n + 1
                        && (1..=3).all(|k| {
                            w.get(j + k).is_some_and(|c| matches!(c.cl, Class::Digit(_)))
                        })
                        && !w.get(j + 4).is_some_and(|c| matches!(c.cl, Class::Digit(_))) =>
                {
                    // Thousands separator: skip it.
                    j += 1;
                }
                _ => break,
            }
        }
        let next = w.get(j);
        // Row numbering glued after the digits: `…0002.其他` or `2、`.
        let numbering_follows = !seen_dot
            && next.is_some_and(|c| matches!(c.cl, Class::Punct('.') | Class::Punct('、')))
            && match w.get(j + 1) {
                Some(c) => matches!(c.cl, Class::Letter(_) | Class::Punct('"')),
                // `1.` ending the word, a label after a space: `1. 属于国家秘密`.
                None => letter_follows && text.len() <= 2,
            };
        if numbering_follows {
            let digits = text.len();
            if digits == 1 {
                // Plain numbering: text.
                i = j + 1;
                continue;
            }
            // The last digit is the numbering of the next label.
            text.pop();
            offs.pop();
            j -= 1;
        }
        // A parenthesised number right after a bracket is numbering like (1): already skipped.
        // A minus sign: a hyphen right before the digits (`-2`, or glued `17-1` in the trial
        // format's 本年增/减 column). Dashes such as `—` are marks, not signs.
        let negative = num_start >= 1
            && num_start > text_from
            && w[num_start - 1].cl == Class::Punct('-')
            && matches!(w[num_start - 1].c, '-' | '－' | '−' | '﹣');
        let text_end = if negative { num_start - 1 } else { num_start };
        push_text(out, w, text_from, text_end, end, ui);
        let span_start = if negative { w[num_start - 1].off } else { w[num_start].off };
        if negative && let Some(first) = offs.first_mut() {
            // The first number of the run starts at its sign.
            *first = span_start;
        }
        let span_end = w.get(j).map_or(end, |c| c.off);
        offs.push(span_end);
        // Prose: a unit follows directly. Generic headers such as `数据1` are not values either.
        let header_suffix =
            num_start >= 2 && w[num_start - 2].c == '数' && w[num_start - 1].c == '据';
        let prose = (next.is_some_and(|c| is_unit(c.c)) && !numbering_follows) || header_suffix;
        let num = Num { text, offs, negative, annotation: None };
        let kind = if prose { Kind::Prose(num) } else { Kind::Num(num) };
        out.toks.push(Tok {
            kind,
            span: Span::new(span_start, span_end),
            unit: ui,
            cell: out.cell,
            row: out.row,
        });
        i = j;
        text_from = j;
        // An annotation in brackets right after the number (same word or after spaces).
        if !prose && let Some((ann, ann_span, consumed_in_word)) = annotation_after(w, j, end) {
            if let Some(Tok { kind: Kind::Num(num), .. }) = out.toks.last_mut() {
                num.annotation = Some((ann, ann_span));
            }
            i = consumed_in_word;
            text_from = consumed_in_word;
        }
    }
    push_text(out, w, text_from, n, end, ui);
}

/// An annotation `（…）` starting at word index `j` and closing within the word: returns its text,
/// span, and the word index just after it.
fn annotation_after(w: &[Ch], j: usize, end: u32) -> Option<(String, Span, usize)> {
    if w.get(j)?.cl != Class::Punct('(') {
        return None;
    }
    let mut k = j + 1;
    let mut content = String::new();
    while k < w.len() && k - j <= 60 {
        if w[k].cl == Class::Punct(')') {
            let letters: Vec<char> =
                content.chars().filter(|c| matches!(class(*c), Class::Letter(_))).collect();
            let pure_numeral =
                letters.len() <= 2 && letters.iter().all(|c| chinese_numeral(*c).is_some());
            if letters.is_empty() || pure_numeral {
                return None;
            }
            let span = Span::new(w[j].off, w.get(k + 1).map_or(end, |c| c.off));
            return Some((content, span, k + 1));
        }
        content.push(w[k].c);
        k += 1;
    }
    None
}

/// The folded letters of all text tokens, with a gap character per value token.
#[derive(Debug, Default)]
pub(crate) struct LabelStream {
    /// Folded letters and gaps.
    pub chars: Vec<char>,
    /// For each char: the token index it came from.
    pub tok: Vec<u32>,
    /// For each char: its document byte range.
    pub span: Vec<Span>,
    /// For each token: the stream index of its first char (or the next char after it).
    pub tok_start: Vec<u32>,
}

/// The gap character (never part of a label).
pub(crate) const GAP: char = '\u{1}';

impl LabelStream {
    /// Builds the stream over `lexed` using the document text.
    pub(crate) fn build(doc: &Document, lexed: &Lexed) -> Self {
        let mut s = LabelStream::default();
        let cap = doc.text.len() / 3;
        s.chars.reserve(cap);
        s.tok.reserve(cap);
        s.span.reserve(cap);
        s.tok_start.reserve(lexed.toks.len());
        for (ti, t) in lexed.toks.iter().enumerate() {
            let ti32 = u32::try_from(ti).unwrap_or(u32::MAX);
            s.tok_start.push(u32::try_from(s.chars.len()).unwrap_or(u32::MAX));
            match t.kind {
                Kind::Text => {
                    let text = doc.slice(t.span);
                    for (i, c) in text.char_indices() {
                        if let Class::Letter(l) = class(c) {
                            let o = t.span.start + u32::try_from(i).unwrap_or(0);
                            s.chars.push(l);
                            s.tok.push(ti32);
                            s.span.push(Span::new(o, o + u32::try_from(c.len_utf8()).unwrap_or(1)));
                        }
                    }
                }
                Kind::Punct => {}
                Kind::Num(_) | Kind::Mark | Kind::Unread | Kind::Empty | Kind::Prose(_) => {
                    if s.chars.last() != Some(&GAP) {
                        s.chars.push(GAP);
                        s.tok.push(ti32);
                        s.span.push(t.span);
                    }
                }
            }
        }
        s
    }

    /// Stream length.
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_doc::{Format, Para};

    fn toks(s: &str) -> Vec<String> {
        let doc = Document::new(
            "t",
            Format::Text,
            s.to_owned(),
            vec![Block::Para(Para { span: Span::from_range(0..s.len()) })],
        );
        lex(&doc)
            .toks
            .iter()
            .map(|t| {
                let text = doc.slice(t.span);
                match &t.kind {
                    Kind::Text => format!("T:{text}"),
                    Kind::Punct => format!("P:{text}"),
                    Kind::Num(n) => match &n.annotation {
                        Some((a, _)) => {
                            format!("N:{}{}[{a}]", if n.negative { "-" } else { "" }, n.text)
                        }
                        None => format!("N:{}{}", if n.negative { "-" } else { "" }, n.text),
                    },
                    Kind::Mark => format!("M:{text}"),
                    Kind::Unread => format!("U:{text}"),
                    Kind::Empty => "E".to_owned(),
                    Kind::Prose(_) => format!("R:{text}"),
                }
            })
            .collect()
    }

    #[test]
    fn a_question_mark_is_punctuation_outside_a_table_cell() {
        assert_eq!(toks("是否公开 ? 是"), ["T:是否公开", "P:?", "T:是"]);
    }

    #[test]
    fn glued_numbering_is_split_off() {
        assert_eq!(
            toks("1.属于国家秘密00000002.其他法律"),
            ["T:1.属于国家秘密", "N:0000000", "T:2.其他法律"]
        );
        assert_eq!(
            toks("（七）总计630020469四、结转"),
            ["T:（七）总计", "N:630020469", "T:四、结转"]
        );
    }

    #[test]
    fn decimals_signs_annotations_prose_marks() {
        assert_eq!(
            toks("行政事业性收费24252.311082三、"),
            ["T:行政事业性收费", "N:24252.311082", "T:三、"]
        );
        assert_eq!(toks("规范性文件 -2 5"), ["T:规范性文件", "N:-2", "N:5"]);
        assert_eq!(toks("行政许可17-13"), ["T:行政许可", "N:17", "N:-13"]);
        assert_eq!(toks("行政许可—3"), ["T:行政许可—", "N:3"]);
        assert_eq!(toks("22（其中修订16件） 0"), ["N:22[其中修订16件]", "N:0"]);
        assert_eq!(toks("共收到70件申请"), ["T:共收到", "R:70", "T:件申请"]);
        assert_eq!(toks("| - | / | 无 | —— |"), ["M:-", "M:/", "M:无", "M:——"]);
        assert_eq!(
            toks("其他对外管理服务事项|179|-1|"),
            ["T:其他对外管理服务事项", "N:179", "N:-1", "E"]
        );
        assert_eq!(toks("| 规章 |  | 0 |"), ["T:规章", "E", "N:0"]);
        assert_eq!(toks("0（二）部分公开"), ["N:0", "T:（二）部分公开"]);
        assert_eq!(toks("第二十条第(1)项"), ["T:第二十条第(1)项"]);
        assert_eq!(toks("１２３　４"), ["N:123", "N:4"]);
        assert_eq!(toks("1,234 7"), ["N:1234", "N:7"]);
        assert_eq!(toks("1. 属于国家秘密 | 0"), ["P:1.", "T:属于国家秘密", "N:0"]);
        assert_eq!(
            toks("| 类别 | 数据1 | 数据2 | 总计 |"),
            ["T:类别", "T:数据", "R:1", "T:数据", "R:2", "T:总计"]
        );
    }

    #[test]
    fn page_numbers() {
        for p in
            ["- 3 -", "—3—", "第 3 页", "第3页共5页", " －12－ ", &format!("{}-3-", " ".repeat(80))]
        {
            assert!(is_page_number(p), "{p:?}");
        }
        for p in ["0", " 3", "-3", "第三页", "2022"] {
            assert!(!is_page_number(p), "{p}");
        }
    }
}
