//! Bytes to text: BOM, UTF-8, or a detected legacy encoding (GBK/GB18030 for Chinese pages).

use gongkai_model::{Finding, FindingKind, Msg, Severity};

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

/// Decodes `bytes`: a UTF-8/UTF-16 BOM wins; valid UTF-8 is UTF-8; otherwise the encoding is
/// detected (chardetng, with the `.cn` hint) and decoded with replacement characters where the
/// bytes are invalid — which is then noted.
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
    looks_binary(bytes)?;
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: s.to_owned(), encoding: "UTF-8", note: None });
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let (text, _, had_errors) = enc.decode(bytes);
    let text = text.into_owned();
    check_text(&text)?;
    let note = Some(if had_errors {
        damaged(enc.name())
    } else {
        Finding::new(
            "READ-ENCODING",
            Severity::Info,
            FindingKind::Extraction,
            Msg::new(
                format!("文件未声明编码，按检测结果以 {} 解码", enc.name()),
                format!("no encoding declared; decoded as {} (detected)", enc.name()),
            ),
        )
    });
    Ok(Decoded { text, encoding: enc.name(), note })
}

fn damaged(enc: &str) -> Finding {
    Finding::new(
        "READ-ENCODING",
        Severity::Warning,
        FindingKind::Extraction,
        Msg::new(
            format!("文件含有无法按 {enc} 解码的字节，已替换为 U+FFFD，相关内容可能缺失"),
            format!("bytes invalid in {enc} were replaced by U+FFFD; some content may be lost"),
        ),
    )
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

    #[test]
    fn utf8_is_plain() {
        let d = decode("规章\t0".as_bytes()).expect("text");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.note.is_none());
    }
}
