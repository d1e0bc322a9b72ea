//! Character folding for tolerant matching: full-width forms, spaces, brackets, quotes.
//!
//! Matching never looks at the raw characters: it looks at their [`Class`], so that `１２`, `12`,
//! `（一）`, `(一)`, U+3000 and U+00A0 all compare as printed-alike.

use unicode_normalization::UnicodeNormalization as _;

/// The class of one character for matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// A letter (CJK ideograph or Latin letter, folded to its half-width lowercase form).
    Letter(char),
    /// A decimal digit 0–9 (ASCII or full-width).
    Digit(u8),
    /// Whitespace of any kind (including U+3000, U+00A0 and zero-width spaces).
    Space,
    /// Punctuation, folded to a canonical form (`（` → `(`, `．` → `.`, dashes → `-`, quotes → `"`).
    Punct(char),
}

/// Classifies `c`.
#[inline]
pub(crate) fn class(c: char) -> Class {
    // Fast paths: CJK unified ideographs (most of a report) and ASCII letters.
    if ('\u{4e00}'..='\u{9fff}').contains(&c) {
        return Class::Letter(c);
    }
    if c.is_ascii() {
        return ASCII[c as usize];
    }
    class_slow(c)
}

/// Classes of the ASCII characters, computed at compile time.
static ASCII: [Class; 128] = {
    let mut t = [Class::Punct('\0'); 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8 as char;
        t[i] = match c {
            '0'..='9' => Class::Digit(i as u8 - b'0'),
            'a'..='z' => Class::Letter(c),
            'A'..='Z' => Class::Letter((i as u8 + 32) as char),
            ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' => Class::Space,
            '(' | '[' | '{' => Class::Punct('('),
            ')' | ']' | '}' => Class::Punct(')'),
            '.' => Class::Punct('.'),
            ',' => Class::Punct(','),
            ':' => Class::Punct(':'),
            ';' => Class::Punct(';'),
            '"' | '\'' => Class::Punct('"'),
            '-' => Class::Punct('-'),
            '/' | '\\' => Class::Punct('/'),
            '%' => Class::Punct('%'),
            '+' => Class::Punct('+'),
            '|' => Class::Punct('|'),
            c => Class::Punct(c),
        };
        i += 1;
    }
    t
};

fn class_slow(c: char) -> Class {
    match c {
        '0'..='9' => Class::Digit(c as u8 - b'0'),
        '０'..='９' => Class::Digit((c as u32 - '０' as u32) as u8),
        c if c.is_whitespace() => Class::Space,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{3000}' | '\u{a0}' => Class::Space,
        'a'..='z' => Class::Letter(c),
        'A'..='Z' => Class::Letter(c.to_ascii_lowercase()),
        'ａ'..='ｚ' => {
            Class::Letter(char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or(c))
        }
        'Ａ'..='Ｚ' => {
            Class::Letter(char::from_u32(c as u32 - 'Ａ' as u32 + 'a' as u32).unwrap_or(c))
        }
        '(' | '（' | '〔' | '[' | '【' | '［' | '{' | '｛' | '﹙' => Class::Punct('('),
        ')' | '）' | '〕' | ']' | '】' | '］' | '}' | '｝' | '﹚' => Class::Punct(')'),
        '.' | '．' | '·' | '•' => Class::Punct('.'),
        '。' | '｡' => Class::Punct('。'),
        '、' | '､' => Class::Punct('、'),
        ',' | '，' | '﹐' => Class::Punct(','),
        ':' | '：' => Class::Punct(':'),
        ';' | '；' => Class::Punct(';'),
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '＂' | '＇' | '〝'
        | '〞' => Class::Punct('"'),
        '-' | '－' | '—' | '–' | '―' | '‐' | '‑' | '−' | '─' | '━' | '﹣' => {
            Class::Punct('-')
        }
        '/' | '／' | '\\' | '＼' => Class::Punct('/'),
        '%' | '％' => Class::Punct('%'),
        '+' | '＋' => Class::Punct('+'),
        '|' | '｜' | '│' | '┃' => Class::Punct('|'),
        c if is_letter(c) || is_compat_ideograph(c) => Class::Letter(fold_variant(c)),
        c => Class::Punct(c),
    }
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

/// Folds compatibility ideographs (Kangxi radicals and CJK compatibility forms that PDF text
/// layers and OCR emit, e.g. `⼀` U+2F00 for `一`) to their unified form by NFKC.
fn is_compat_ideograph(c: char) -> bool {
    let cp = c as u32;
    (0x2E80..=0x2FDF).contains(&cp) || (0xF900..=0xFAFF).contains(&cp)
}

fn fold_variant(c: char) -> char {
    if !is_compat_ideograph(c) {
        return c;
    }
    let mut it = std::iter::once(c).nfkc();
    match (it.next(), it.next()) {
        (Some(f), None) => f,
        _ => c,
    }
}

/// The letters of `s` folded, everything else dropped — the form labels are compared in.
pub(crate) fn letters(s: &str) -> String {
    s.chars()
        .filter_map(|c| match class(c) {
            Class::Letter(l) => Some(l),
            _ => None,
        })
        .collect()
}

/// Whether `c` is a Chinese ordinal numeral used in headings and row numbering.
pub(crate) fn chinese_numeral(c: char) -> Option<u8> {
    Some(match c {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_table_agrees_with_the_slow_path() {
        for b in 0u8..128 {
            let c = char::from(b);
            if c.is_control() && !c.is_whitespace() {
                continue;
            }
            assert_eq!(class(c), class_slow(c), "{c:?}");
        }
    }

    #[test]
    fn folds_full_width_and_spaces() {
        assert_eq!(class('１'), Class::Digit(1));
        assert_eq!(class('\u{3000}'), Class::Space);
        assert_eq!(class('\u{a0}'), Class::Space);
        assert_eq!(class('（'), Class::Punct('('));
        assert_eq!(class('“'), Class::Punct('"'));
        assert_eq!(class('—'), Class::Punct('-'));
        assert_eq!(class('⼀'), Class::Letter('一'));
        assert_eq!(letters("3.危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(
            letters("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）"),
            "二部分公开区分处理的只计这一情形不计其他情形"
        );
    }
}
