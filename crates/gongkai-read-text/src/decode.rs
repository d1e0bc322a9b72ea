//! Bytes to text: BOM, UTF-8, or a detected legacy encoding (GBK/GB18030 for Chinese pages).

use gongkai_doc::findings;
use gongkai_model::{Finding, Msg};

use crate::Error;

/// Decoded text and, when the encoding had to be guessed or the bytes were damaged, a note.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding used (WHATWG name).
    pub encoding: &'static str,
    /// A reader note about the decision, if it is worth telling.
    pub note: Option<Finding>,
}

/// Decodes `bytes`: a UTF-8/UTF-16 BOM wins; UTF-16 without a BOM is recognised by its shape
/// ([`utf16_without_bom`]); valid UTF-8 is UTF-8, and so is UTF-8 with a few invalid bytes
/// ([`gongkai_doc::utf8::Utf8Scan::is_damaged_utf8`]: they are replaced and their positions noted);
/// otherwise the encoding is detected (chardetng, with the `.cn` hint) and decoded with replacement
/// characters where the bytes are invalid — which is then noted.
///
/// # Errors
/// [`Error::Binary`] when the bytes are not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Error> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let text = text.into_owned();
        check_text(&text)?;
        let note = had_errors.then(|| damaged(enc.name()));
        return Ok(Decoded { text, encoding: enc.name(), note });
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let how = Msg::new(
            format!("文件没有字节顺序标记，按内容识别为 {} 解码", enc.name()),
            format!("no byte-order mark; recognised as {} from the content", enc.name()),
        );
        return undeclared(enc, bytes, how);
    }
    looks_binary(bytes)?;
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: s.to_owned(), encoding: "UTF-8", note: None });
    }
    let scan = gongkai_doc::utf8::scan(bytes);
    if scan.is_damaged_utf8() {
        let text = String::from_utf8_lossy(bytes).into_owned();
        check_text(&text)?;
        return Ok(Decoded { text, encoding: "UTF-8", note: Some(damaged_utf8(&scan)) });
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let how = Msg::new(
        format!("文件未声明编码，按检测结果以 {} 解码", enc.name()),
        format!("no encoding declared; decoded as {} (detected)", enc.name()),
    );
    undeclared(enc, bytes, how)
}

/// Decodes `bytes` (no byte-order mark) as `enc`, an encoding chosen from the content; the note says
/// `how` it was chosen, or that bytes were replaced.
fn undeclared(
    enc: &'static encoding_rs::Encoding,
    bytes: &[u8],
    how: Msg,
) -> Result<Decoded, Error> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    check_text(&text)?;
    let note = chosen(enc.name(), had_errors, how);
    Ok(Decoded { text, encoding: enc.name(), note: Some(note) })
}

/// UTF-16 without a byte-order mark: the first 64 KiB hold NUL bytes (ASCII and line breaks in
/// UTF-16 have a zero byte), decode without error in one byte order, contain a line break, and
/// are at least 90% characters a report prints (ASCII, CJK, CJK and full-width punctuation). The
/// wrong byte order turns line breaks into U+0A00 and ASCII into rare blocks, so it fails.
pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(64 * 1024) & !1];
    if head.len() < 4 || !head.contains(&0) {
        return None;
    }
    [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE].into_iter().find(|enc| {
        let (text, had_errors) = enc.decode_without_bom_handling(head);
        let (mut n, mut plausible, mut breaks) = (0usize, 0usize, 0usize);
        for c in text.chars() {
            n += 1;
            plausible += usize::from(printed_in_reports(c));
            breaks += usize::from(c == '\n' || c == '\r');
        }
        !had_errors && breaks > 0 && plausible.saturating_mul(10) >= n.saturating_mul(9)
    })
}

/// Characters a report prints: ASCII text, CJK ideographs, CJK and full-width punctuation,
/// general punctuation, box drawing.
fn printed_in_reports(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{ff}' | '\u{2000}'..='\u{206f}'
        | '\u{2460}'..='\u{24ff}' | '\u{2500}'..='\u{257f}' | '\u{3000}'..='\u{303f}'
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

fn damaged_utf8(scan: &gongkai_doc::utf8::Utf8Scan) -> Finding {
    let at = scan.positions();
    findings::READ_ENCODING.raised_finding(Msg::new(
            format!(
                "文件为 UTF-8 编码，但有 {} 处无效字节（{}），已替换为 U+FFFD，相关内容可能缺失",
                scan.invalid, at.zh
            ),
            format!(
                "UTF-8 with {} invalid byte sequence(s) ({}), replaced by U+FFFD; some content may be lost",
                scan.invalid, at.en
            ),
        ),
    )
}

/// The note on an encoding chosen without a declaration: that bytes were replaced, or else `how`
/// it was chosen (info).
fn chosen(enc: &str, had_errors: bool, how: Msg) -> Finding {
    if had_errors {
        return damaged(enc);
    }
    findings::READ_ENCODING.finding(how)
}

fn damaged(enc: &str) -> Finding {
    findings::READ_ENCODING.raised_finding(Msg::new(
        format!("文件含有无法按 {enc} 解码的字节，已替换为 U+FFFD，相关内容可能缺失"),
        format!("bytes invalid in {enc} were replaced by U+FFFD; some content may be lost"),
    ))
}

/// Rejects obviously binary input: NUL bytes or many control characters in the first 64 KiB.
fn looks_binary(bytes: &[u8]) -> Result<(), Error> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.contains(&0) {
        return Err(Error::Binary { zh: "含有 NUL 字节", en: "contains NUL bytes" });
    }
    let controls =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    if controls * 20 > head.len().max(1) {
        return Err(Error::Binary { zh: "控制字符过多", en: "too many control characters" });
    }
    Ok(())
}

fn check_text(text: &str) -> Result<(), Error> {
    let (mut n, mut bad) = (0usize, 0usize);
    for c in text.chars().take(16 * 1024) {
        n += 1;
        if c == '\u{fffd}' || (c < ' ' && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) {
            bad += 1;
        }
    }
    if n > 0 && bad * 4 > n {
        return Err(Error::Binary {
            zh: "解码后大部分为无效字符",
            en: "mostly invalid characters after decoding",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Severity;

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "一、总体情况".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).expect("text");
        assert_eq!(d.text, "一、总体情况");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn gbk_is_detected() {
        let text = "大张楼镇2022年政府信息公开工作年度报告\n一、总体情况\n本年新收政府信息公开申请数量为零。";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let d = decode(&bytes).expect("text");
        assert_eq!(d.text, text);
        assert!(d.encoding == "GBK" || d.encoding == "gb18030", "{}", d.encoding);
        assert!(d.note.is_some());
    }

    /// A report of several lines (UTF-8), for the damage tests.
    fn report() -> String {
        "大张楼镇2022年政府信息公开工作年度报告\n一、总体情况\n本年新收政府信息公开申请7件，办结7件。\n二、主动公开政府信息情况\n".repeat(4)
    }

    #[test]
    fn one_bad_byte_keeps_utf8() {
        let text = report();
        let mut bytes = text.clone().into_bytes();
        let at = text.find("办结").unwrap_or(0);
        bytes.insert(at, 0xFF);
        let d = decode(&bytes).expect("text");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, format!("{}\u{fffd}{}", &text[..at], &text[at..]));
        let note = d.note.expect("a note");
        assert_eq!(note.severity, Severity::Warning);
        assert!(note.message.zh.contains(&format!("第 3 行（字节 {at}）")), "{}", note.message.zh);
        // Any legacy decoding of these bytes is mojibake.
        assert!(!encoding_rs::GB18030.decode(&bytes).0.contains("办结"));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = report();
        for (enc, bytes) in [
            ("UTF-16LE", text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()),
            ("UTF-16BE", text.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>()),
        ] {
            let d = decode(&bytes).expect("text");
            assert_eq!(d.encoding, enc);
            assert_eq!(d.text, text);
            assert!(d.note.is_some_and(|n| n.message.en.contains("no byte-order mark")));
        }
        // Binary data with NUL bytes is still binary.
        assert!(matches!(
            decode(b"\x00\x01\x02\x03binary\x00\x00\x00junk\x00"),
            Err(Error::Binary { .. })
        ));
    }

    #[test]
    fn utf8_is_plain() {
        let d = decode("规章\t0".as_bytes()).expect("text");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.note.is_none());
    }
}
