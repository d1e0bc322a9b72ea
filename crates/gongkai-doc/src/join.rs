//! The one rule every reader follows when two lines of printed text meet: Chinese is written
//! without spaces, so a line break between two wide characters is no break at all — a header
//! printed as `商业` / `企业` on two lines reads `商业企业` — while anywhere else the break separates,
//! so that digits on separate lines never run together (`1` / `2` is never `12`) and a number
//! never glues to the label beside it.

use unicode_width::UnicodeWidthChar;

/// Whether a character is wide: East Asian wide or full-width (ideographs, kana, CJK and
/// full-width punctuation), or one of the ambiguous-width marks Chinese text prints full-width
/// (`“ ” ‘ ’ — … ·`).
pub fn is_wide(c: char) -> bool {
    c.width() == Some(2) || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Whether a line ending in `before` and the next line starting with `after` join directly,
/// without a separator: when both are wide.
pub fn joins_directly(before: char, after: char) -> bool {
    is_wide(before) && is_wide(after)
}

/// Joins lines by [`joins_directly`], with `separator` where they do not join. Lines are trimmed
/// of ASCII whitespace (a full-width space is text); empty lines are dropped. Word-processor
/// table cells join with a line break, PDF lines of one cell or paragraph with a space.
pub fn join_lines<'a>(lines: impl Iterator<Item = &'a str>, separator: char) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim_matches(|c: char| c.is_ascii_whitespace());
        let Some(first) = line.chars().next() else { continue };
        match out.chars().next_back() {
            None => {}
            Some(last) if joins_directly(last, first) => {}
            Some(_) => out.push(separator),
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn wide_characters_join_and_nothing_else_does() {
        assert_eq!(join_lines(["商业", "企业"].into_iter(), '\n'), "商业企业");
        assert_eq!(
            join_lines(["22", "（其中修订16件）"].into_iter(), '\n'),
            "22\n（其中修订16件）"
        );
        assert_eq!(join_lines(["1", "2", ""].into_iter(), '\n'), "1\n2");
        assert_eq!(join_lines(["本年收到申请", "52件"].into_iter(), ' '), "本年收到申请 52件");
        assert_eq!(join_lines(["“放管服”", "改革"].into_iter(), ' '), "“放管服”改革");
        assert_eq!(join_lines(["Open", "Government"].into_iter(), ' '), "Open Government");
        assert_eq!(join_lines(["  ", "\u{3000}甲 ", "乙"].into_iter(), ' '), "\u{3000}甲乙");
    }

    #[test]
    fn wide_is_east_asian_width() {
        for c in ['政', '，', '（', '１', 'ア', '“', '—'] {
            assert!(is_wide(c), "{c}");
        }
        for c in ['a', '1', '(', ',', ' ', '\u{a0}'] {
            assert!(!is_wide(c), "{c}");
        }
    }

    proptest! {
        /// Digits on separate lines never run together, whatever surrounds them.
        #[test]
        fn digits_never_glue(lines in proptest::collection::vec("[0-9政府a-c（）]{0,4}", 0..6)) {
            let joined = join_lines(lines.iter().map(String::as_str), '\n');
            let kept: Vec<&str> = lines.iter().map(|l| l.as_str()).filter(|l| !l.is_empty()).collect();
            prop_assert_eq!(joined.replace('\n', ""), kept.concat());
            for w in kept.windows(2) {
                let (a, b) = (w[0].chars().next_back(), w[1].chars().next());
                if let (Some(a), Some(b)) = (a, b) && (a.is_ascii_digit() || b.is_ascii_digit()) {
                    let apart = format!("{}\n{}", w[0], w[1]);
                    prop_assert!(joined.contains(&apart), "{:?} glued in {:?}", w, joined);
                }
            }
        }
    }
}
