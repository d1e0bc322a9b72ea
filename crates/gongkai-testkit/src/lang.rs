//! Assertions that a user-facing message is in one language only (for the `message(lang)` methods
//! of the error types).

/// Panics unless `s` reads as Chinese: it holds a CJK ideograph and no English phrase (two or
/// more English words in a row; names such as `gongkai JSON`, `PDF` or `word/document.xml` are
/// fine).
pub fn assert_chinese(s: &str) {
    assert!(s.chars().any(is_ideograph), "no Chinese in {s:?}");
    let longest = longest_phrase(s);
    assert!(longest < 2, "an English phrase of {longest} words in the Chinese message {s:?}");
}

/// Panics unless `s` reads as English: it holds no CJK ideograph and no full-width punctuation.
pub fn assert_english(s: &str) {
    assert!(!s.is_empty(), "empty message");
    let bad = s.chars().find(|&c| is_ideograph(c) || is_full_width_punctuation(c));
    assert!(bad.is_none(), "{bad:?} in the English message {s:?}");
}

fn is_ideograph(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_full_width_punctuation(c: char) -> bool {
    ('\u{3000}'..='\u{303f}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// The most English words (runs of ASCII letters with a lowercase letter; acronyms such as `PDF`
/// do not count) joined by single spaces in `s`.
fn longest_phrase(s: &str) -> usize {
    let mut pieces: Vec<(bool, String)> = Vec::new();
    for c in s.chars() {
        let letter = c.is_ascii_alphabetic();
        match pieces.last_mut() {
            Some((l, text)) if *l == letter => text.push(c),
            _ => pieces.push((letter, c.to_string())),
        }
    }
    let (mut longest, mut run) = (0, 0);
    let mut joined = false;
    for (letter, text) in &pieces {
        if *letter {
            let word = text.chars().any(|c| c.is_ascii_lowercase());
            run = match (word, joined) {
                (false, _) => 0,
                (true, true) => run + 1,
                (true, false) => 1,
            };
            longest = longest.max(run);
        } else {
            joined = text == " " && run > 0;
            if !joined {
                run = 0;
            }
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_counted() {
        assert_eq!(longest_phrase("gongkai JSON 报告无效"), 1);
        assert_eq!(longest_phrase("不是文本文件（not a text file）"), 4);
        assert_eq!(longest_phrase("word/document.xml @12"), 1);
        assert_eq!(longest_phrase("a  b c"), 2);
        assert_eq!(longest_phrase("the PDF has no pages"), 3);
        assert_eq!(longest_phrase(""), 0);
    }

    #[test]
    fn languages_are_told_apart() {
        assert_chinese("无法读取 PDF 文件：缺少 %PDF- 文件头");
        assert_english("not a readable PDF: no %PDF- header");
        assert!(std::panic::catch_unwind(|| assert_chinese("文件为空 / empty file")).is_err());
        assert!(
            std::panic::catch_unwind(|| assert_chinese("不是网页 (not an HTML page)")).is_err()
        );
        assert!(std::panic::catch_unwind(|| assert_english("empty file（空）")).is_err());
        assert!(std::panic::catch_unwind(|| assert_chinese("only English here")).is_err());
    }
}
