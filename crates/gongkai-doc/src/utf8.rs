//! UTF-8 evidence in raw bytes, shared by the readers that decode text (plain text, HTML).
//!
//! One invalid byte in an otherwise UTF-8 file must not flip the decoding of the whole file. "Does
//! another encoding decode it without error?" cannot decide it: GB18030/GBK accept almost every byte
//! sequence, UTF-8 Chinese included (as mojibake). The structure of UTF-8 can: a multi-byte UTF-8
//! sequence (a lead byte followed by exactly the right number of continuation bytes) is rare in
//! other encodings — Chinese text in GBK has about five invalid sequences for every valid one —
//! so bytes with many valid multi-byte sequences and few invalid ones are UTF-8 with damage.

use gongkai_model::Msg;

/// How many invalid positions a [`Utf8Scan`] remembers (it counts them all).
const POSITIONS_KEPT: usize = 5;

/// What a scan of raw bytes found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Utf8Scan {
    /// Valid multi-byte sequences (non-ASCII characters).
    pub multibyte: usize,
    /// Invalid sequences (each is one U+FFFD in a lossy decoding).
    pub invalid: usize,
    /// Byte offsets of the first invalid sequences, with their 1-based line numbers.
    pub first_invalid: Vec<(usize, usize)>,
}

/// Scans `bytes` as UTF-8.
pub fn scan(bytes: &[u8]) -> Utf8Scan {
    let mut out = Utf8Scan::default();
    let (mut rest, mut at, mut line) = (bytes, 0usize, 1usize);
    loop {
        let (good, skip) = match std::str::from_utf8(rest) {
            Ok(_) => (rest.len(), 0),
            Err(e) => (e.valid_up_to(), e.error_len().unwrap_or(rest.len() - e.valid_up_to())),
        };
        let (valid, tail) = rest.split_at(good);
        out.multibyte += valid.iter().filter(|&&b| b >= 0xC0).count();
        line += valid.iter().filter(|&&b| b == b'\n').count();
        if skip == 0 {
            return out;
        }
        out.invalid += 1;
        if out.first_invalid.len() < POSITIONS_KEPT {
            out.first_invalid.push((at + good, line));
        }
        let (bad, tail) = tail.split_at(skip.min(tail.len()));
        line += bad.iter().filter(|&&b| b == b'\n').count();
        at += good + bad.len();
        rest = tail;
    }
}

impl Utf8Scan {
    /// Whether the bytes are UTF-8 with a few invalid sequences: at least one invalid sequence,
    /// and at least four valid multi-byte sequences for each.
    pub fn is_damaged_utf8(&self) -> bool {
        self.invalid > 0 && self.invalid.saturating_mul(4) <= self.multibyte
    }

    /// Where the invalid bytes are: `第 3 行（字节 120）、第 9 行（字节 455）等 7 处` /
    /// `line 3 (byte 120), line 9 (byte 455) and 5 more`.
    pub fn positions(&self) -> Msg {
        let zh: Vec<String> =
            self.first_invalid.iter().map(|(b, l)| format!("第 {l} 行（字节 {b}）")).collect();
        let en: Vec<String> =
            self.first_invalid.iter().map(|(b, l)| format!("line {l} (byte {b})")).collect();
        let more = self.invalid.saturating_sub(self.first_invalid.len());
        if more == 0 {
            Msg::new(zh.join("、"), en.join(", "))
        } else {
            Msg::new(
                format!("{}等 {} 处", zh.join("、"), self.invalid),
                format!("{} and {more} more", en.join(", ")),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bad_byte_in_utf8_is_damage() {
        let mut bytes = "一、总体情况\n本年度新收政府信息公开申请七十件。\n".as_bytes().to_vec();
        bytes.insert(bytes.len() - 4, 0xFF);
        let s = scan(&bytes);
        assert_eq!(s.invalid, 1);
        assert!(s.is_damaged_utf8());
        assert_eq!(s.first_invalid, [(bytes.len() - 5, 2)]);
        assert_eq!(s.positions().en, format!("line 2 (byte {})", bytes.len() - 5));
    }

    #[test]
    fn valid_utf8_and_ascii_are_not_damaged() {
        assert!(!scan("规章 0".as_bytes()).is_damaged_utf8());
        assert!(!scan(b"plain").is_damaged_utf8());
        assert!(!scan(b"").is_damaged_utf8());
    }

    #[test]
    fn gbk_text_is_not_utf8() {
        // 一、总体情况。本年度共收到申请七十件 in GBK.
        let gbk: &[u8] = b"\xd2\xbb\xa1\xa2\xd7\xdc\xcc\xe5\xc7\xe9\xbf\xf6\xa1\xa3\xb1\xbe\xc4\xea\xb6\xc8\xb9\xb2\xca\xd5\xb5\xbd\xc9\xea\xc7\xeb\xc6\xdf\xca\xae\xbc\xfe";
        let s = scan(gbk);
        assert!(s.invalid > 0);
        assert!(!s.is_damaged_utf8(), "{s:?}");
    }

    #[test]
    fn truncated_sequence_at_the_end_and_many_positions() {
        let mut bytes = Vec::new();
        for _ in 0..7 {
            bytes.extend_from_slice("申请公开".as_bytes());
            bytes.push(0x80);
        }
        bytes.extend_from_slice(&[0xE4, 0xB8]);
        let s = scan(&bytes);
        assert_eq!(s.invalid, 8);
        assert_eq!(s.first_invalid.len(), POSITIONS_KEPT);
        assert!(s.positions().zh.ends_with("等 8 处"), "{}", s.positions().zh);
    }
}
