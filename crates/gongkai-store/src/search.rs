//! The one tokenizer of Chinese full-text search, pure Rust, so that SQLite and PostgreSQL
//! search the same tokens (the disclosure column's catalogue, [`crate::column`]).
//!
//! Text is normalised first — full-width ASCII (`２０２４`, `ＡＢＣ`) to ASCII, the ideographic
//! space to a space, letters to lower case — then cut into runs:
//! - a run of ASCII letters and digits is one **word** (`2024`, `pdf`, `gb`), at most
//!   [`MAX_WORD_CHARS`] characters;
//! - a run of CJK ideographs gives, for indexing ([`index_tokens`]), every **character** and
//!   every **bigram** (two adjacent characters): `部门预算` → 部 门 预 算 部门 门预 预算;
//!   a query ([`query_tokens`]) asks for the bigrams of each run (a one-character run asks for
//!   the character), so `预算` finds `2024年部门预算公开`, and `部门预算` needs 部门, 门预 and 预算.
//!
//! Everything else (punctuation, symbols, spaces, other scripts) separates runs. A token holds
//! only ASCII letters and digits or ideographs — never a quote, space, operator or combining
//! mark — so the stores put it into an FTS5 phrase or a tsquery lexeme as it is, and SQLite's
//! unicode61 tokenizer and PostgreSQL's lexemes see exactly the same terms.

use std::collections::BTreeSet;

/// The longest word kept (longer runs are cut, so that a pasted blob makes one bounded token).
pub const MAX_WORD_CHARS: usize = 32;

/// The most tokens a query uses (the rest are ignored: a query is a few words, not a document).
pub const MAX_QUERY_TOKENS: usize = 32;

/// Whether `c` is a CJK ideograph (the unified blocks, extension A, the compatibility block
/// and the supplementary ideographic plane's extensions).
pub fn is_ideograph(c: char) -> bool {
    matches!(
        u32::from(c),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF
    )
}

/// `c` with full-width ASCII forms and the ideographic space folded to ASCII.
fn narrow(c: char) -> char {
    match u32::from(c) {
        0x3000 => ' ',
        n @ 0xFF01..=0xFF5E => char::from_u32(n - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A run of the normalised text.
#[derive(Debug, PartialEq, Eq)]
enum Run {
    /// ASCII letters and digits (lower case).
    Word(String),
    /// CJK ideographs.
    Han(Vec<char>),
}

/// The runs of `text`, in order.
fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut han: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<Run>| {
        if !word.is_empty() {
            let kept: String = word.chars().take(MAX_WORD_CHARS).collect();
            out.push(Run::Word(kept));
            word.clear();
        }
    };
    let flush_han = |han: &mut Vec<char>, out: &mut Vec<Run>| {
        if !han.is_empty() {
            out.push(Run::Han(std::mem::take(han)));
        }
    };
    for c in text.chars().map(narrow) {
        if is_ideograph(c) {
            flush_word(&mut word, &mut out);
            han.push(c);
        } else if c.is_ascii_alphanumeric() {
            flush_han(&mut han, &mut out);
            word.push(c.to_ascii_lowercase());
        } else {
            flush_word(&mut word, &mut out);
            flush_han(&mut han, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_han(&mut han, &mut out);
    out
}

/// The tokens a document is indexed under: each distinct word, ideograph and bigram, sorted.
pub fn index_tokens(text: &str) -> Vec<String> {
    let mut set = BTreeSet::new();
    for run in runs(text) {
        match run {
            Run::Word(w) => {
                set.insert(w);
            }
            Run::Han(chars) => {
                for c in &chars {
                    set.insert(c.to_string());
                }
                for pair in chars.windows(2) {
                    set.insert(pair.iter().collect());
                }
            }
        }
    }
    set.into_iter().collect()
}

/// The tokens a query asks for, every one of them required: each word, the bigrams of each run
/// of ideographs (the ideograph of a one-character run), each once, in order of appearance, at
/// most [`MAX_QUERY_TOKENS`]. Empty when the query has nothing to search for.
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !out.contains(&t) && out.len() < MAX_QUERY_TOKENS {
            out.push(t);
        }
    };
    for run in runs(query) {
        match run {
            Run::Word(w) => push(w),
            Run::Han(chars) if chars.len() == 1 => push(chars.iter().collect()),
            Run::Han(chars) => {
                for pair in chars.windows(2) {
                    push(pair.iter().collect());
                }
            }
        }
    }
    out
}

/// Whether a document's text matches a query by these tokens (what both stores compute with
/// their indexes): every query token is one of the document's.
pub fn matches(text: &str, query: &str) -> bool {
    let doc = index_tokens(text);
    query_tokens(query).iter().all(|t| doc.binary_search(t).is_ok())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn chinese_is_cut_into_characters_and_bigrams() {
        assert_eq!(index_tokens("部门预算"), ["算", "部", "部门", "门", "门预", "预", "预算"]);
        assert_eq!(query_tokens("部门预算"), ["部门", "门预", "预算"]);
        assert_eq!(query_tokens("税"), ["税"]);
    }

    #[test]
    fn a_two_character_query_finds_a_longer_title() {
        assert!(matches("2024年部门预算公开", "预算"));
        assert!(matches("2024年部门预算公开", "2024 预算"));
        assert!(matches("2024年部门预算公开", "部门预算"));
        assert!(!matches("2024年部门预算公开", "决算"));
        assert!(!matches("2024年部门预算公开", "2023"));
        // Bigrams, not characters: 预 and 算 apart are not 预算.
        assert!(!matches("预先计算", "预算"));
    }

    #[test]
    fn widths_and_cases_are_folded() {
        assert_eq!(query_tokens("２０２４ ＰＤＦ"), ["2024", "pdf"]);
        assert!(matches("附件：GB/T 9704 格式", "gb ９７０４"));
        assert_eq!(query_tokens("　预算\u{3000}"), ["预算"]);
    }

    #[test]
    fn punctuation_separates_and_is_never_a_token() {
        assert_eq!(query_tokens("\"预算\" OR (x) AND -y*"), ["预算", "or", "x", "and", "y"]);
        assert_eq!(query_tokens("！？、。…"), Vec::<String>::new());
        assert_eq!(query_tokens(""), Vec::<String>::new());
    }

    #[test]
    fn words_are_bounded() {
        let long = "a".repeat(100);
        assert_eq!(index_tokens(&long), ["a".repeat(MAX_WORD_CHARS)]);
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(query_tokens(&many).len(), MAX_QUERY_TOKENS);
    }

    proptest! {
        /// Any piece of a text, searched for, finds the text (whatever its width and case).
        #[test]
        fn every_substring_is_found(
            text in "[部门预算公开教育财政年度报告a-zA-Z0-9，。 ]{0,40}",
            from in any::<prop::sample::Index>(),
            len in 0usize..12,
        ) {
            let chars: Vec<char> = text.chars().collect();
            let start = if chars.is_empty() { 0 } else { from.index(chars.len()) };
            let end = (start + len).min(chars.len());
            let piece: String = chars[start..end].iter().collect();
            // A word cut in the middle is another word; search whole words only.
            let cut_word = |i: usize| i > 0 && i < chars.len()
                && chars[i - 1].is_ascii_alphanumeric() && chars[i].is_ascii_alphanumeric();
            prop_assume!(!cut_word(start) && !cut_word(end));
            prop_assert!(matches(&text, &piece), "`{piece}` in `{text}`");
            prop_assert!(matches(&text.to_uppercase(), &piece.to_lowercase()));
        }

        /// Tokens hold only letters, digits and ideographs: safe in an FTS5 phrase and a tsquery.
        #[test]
        fn tokens_are_plain(text in "\\PC{0,60}") {
            for t in index_tokens(&text).into_iter().chain(query_tokens(&text)) {
                prop_assert!(!t.is_empty());
                prop_assert!(
                    t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || is_ideograph(c)),
                    "{t:?}"
                );
                prop_assert!(t.chars().count() <= MAX_WORD_CHARS);
            }
        }
    }
}
