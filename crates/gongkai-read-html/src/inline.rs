//! Inline text as a browser lays it out: runs of ASCII whitespace collapse to one space, a source
//! line break between two wide (CJK) characters disappears (CSS Text 3 segment-break rule — Word's
//! HTML export wraps long Chinese lines anywhere), and text split across elements
//! (`<span>12</span><font>3</font>`) joins without an invented space. NBSP and U+3000 are text,
//! not collapsible whitespace.

use gongkai_doc::joins_directly;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    None,
    /// Collapsible whitespace; `true` if it contained a segment break.
    Space(bool),
    /// A forced line break (`<br>`, a block boundary inside a table cell).
    Break,
}

/// A run of inline text being collected.
#[derive(Debug)]
pub(crate) struct Inline {
    text: String,
    pending: Pending,
    /// In a table cell a forced break between two wide characters joins them (`商业<br>企业` is the
    /// header 商业企业 printed on two lines); elsewhere breaks are kept.
    join_wide_breaks: bool,
}

impl Inline {
    pub(crate) fn new() -> Self {
        Inline { text: String::new(), pending: Pending::None, join_wide_breaks: false }
    }

    /// Text of a table cell (see `join_wide_breaks`).
    pub(crate) fn cell() -> Self {
        Inline { join_wide_breaks: true, ..Inline::new() }
    }

    /// Whether no visible text has been collected.
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Bytes collected so far.
    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Appends source text (collapsing whitespace).
    pub(crate) fn push(&mut self, s: &str) {
        for c in s.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                let segment = matches!(c, '\n' | '\r');
                self.pending = match self.pending {
                    Pending::Break => Pending::Break,
                    Pending::Space(b) => Pending::Space(b || segment),
                    Pending::None => Pending::Space(segment),
                };
                continue;
            }
            self.resolve(c);
            self.text.push(c);
        }
    }

    /// Appends preformatted text (`<pre>`): spaces kept, line breaks forced.
    pub(crate) fn push_pre(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '\n' => self.line_break(),
                '\r' => {}
                _ => {
                    self.resolve(c);
                    self.text.push(c);
                }
            }
        }
    }

    fn resolve(&mut self, next: char) {
        match self.pending {
            _ if self.text.is_empty() => {}
            Pending::None => {}
            Pending::Break => {
                if !(self.join_wide_breaks && self.joins(next)) {
                    self.text.push('\n');
                }
            }
            Pending::Space(segment) => {
                let drop = segment && self.joins(next);
                if !drop {
                    self.text.push(' ');
                }
            }
        }
        self.pending = Pending::None;
    }

    /// Whether the text so far and `next` join across a break, by the readers' one rule.
    fn joins(&self, next: char) -> bool {
        self.text.chars().next_back().is_some_and(|last| joins_directly(last, next))
    }

    /// A forced line break before the next text (not at the start).
    pub(crate) fn line_break(&mut self) {
        if !self.text.is_empty() {
            self.pending = Pending::Break;
        }
    }

    /// Takes the collected text (trailing whitespace dropped).
    pub(crate) fn take(&mut self) -> String {
        self.pending = Pending::None;
        std::mem::take(&mut self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(parts: &[&str]) -> String {
        let mut i = Inline::new();
        for p in parts {
            i.push(p);
        }
        i.take()
    }

    #[test]
    fn joins_split_numbers_without_spaces() {
        assert_eq!(run(&["1", "2", "3"]), "123");
        assert_eq!(run(&["  本年新收", "政府信息公开申请数量  "]), "本年新收政府信息公开申请数量");
    }

    #[test]
    fn collapses_whitespace_like_a_browser() {
        assert_eq!(run(&["a  \t b", "\n c"]), "a b c");
        assert_eq!(run(&["第二十条\r\n第（一）项"]), "第二十条第（一）项");
        assert_eq!(run(&["规章 ", " 12"]), "规章 12");
        assert_eq!(run(&["收到\n12件"]), "收到 12件");
        assert_eq!(run(&["\u{a0}\u{a0}x\u{3000}"]), "\u{a0}\u{a0}x\u{3000}");
    }

    #[test]
    fn forced_breaks() {
        let mut i = Inline::new();
        i.line_break();
        i.push("商业");
        i.line_break();
        i.push(" 企业 ");
        i.line_break();
        assert_eq!(i.take(), "商业\n企业");
        let mut cell = Inline::cell();
        for part in ["商业", "\n", "企业"] {
            if part == "\n" { cell.line_break() } else { cell.push(part) }
        }
        cell.line_break();
        cell.push("22");
        cell.line_break();
        cell.push("（其中修订16件）");
        assert_eq!(cell.take(), "商业企业\n22\n（其中修订16件）");
        i.push_pre("a  b\nc");
        assert_eq!(i.take(), "a  b\nc");
    }
}
