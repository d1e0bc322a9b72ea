//! Character encoding of a page: BOM, then a `<meta>` prescan, then detection (chardetng with the
//! `.cn` top-level-domain hint, since the pages come from Chinese government sites).
//!
//! A declared encoding that the bytes contradict (a page declaring UTF-8 that is really GBK, a common
//! CMS fault) is overruled when the detector's guess decodes the bytes without error; otherwise the
//! declaration wins and the replacement characters are reported. Every decision is described for a
//! reader note.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use memchr::memmem;

/// How many leading bytes the `<meta>` prescan looks at (WHATWG says 1024; CMS pages often put
/// the declaration after long comment blocks, so a little more is read).
const PRESCAN: usize = 4096;

/// How the encoding was decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum How {
    /// A byte-order mark.
    Bom,
    /// A `<meta charset>` / `http-equiv` declaration, honoured.
    Declared(String),
    /// Detected from the bytes; the declaration, if any, was contradicted by them.
    Detected {
        /// The declared label the bytes contradicted.
        overruled: Option<String>,
    },
}

/// The decoded page.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The text.
    pub(crate) text: String,
    /// The encoding used.
    pub(crate) encoding: &'static Encoding,
    /// How it was chosen.
    pub(crate) how: How,
    /// Whether malformed sequences were replaced by U+FFFD.
    pub(crate) replaced: bool,
    /// For UTF-8 with a few invalid bytes: where they are.
    pub(crate) damage: Option<gongkai_doc::utf8::Utf8Scan>,
}

/// Decodes `bytes`.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, replaced) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Decoded {
            text: text.into_owned(),
            encoding,
            how: How::Bom,
            replaced,
            damage: None,
        };
    }
    let declared = prescan(&bytes[..bytes.len().min(PRESCAN)]);
    if let Some((label, encoding)) = &declared {
        let (text, replaced) = encoding.decode_without_bom_handling(bytes);
        if !replaced {
            return Decoded {
                text: text.into_owned(),
                encoding,
                how: How::Declared(label.clone()),
                replaced,
                damage: None,
            };
        }
        // A page declared UTF-8 that is UTF-8 but for a few bytes stays UTF-8: a legacy decoder
        // would accept the bytes too, as mojibake of the whole page.
        let scan = gongkai_doc::utf8::scan(bytes);
        if *encoding == UTF_8 && scan.is_damaged_utf8() {
            return Decoded {
                text: text.into_owned(),
                encoding,
                how: How::Declared(label.clone()),
                replaced,
                damage: Some(scan),
            };
        }
        let guess = detect(bytes);
        if guess != *encoding {
            let (alt, alt_replaced) = guess.decode_without_bom_handling(bytes);
            if !alt_replaced {
                return Decoded {
                    text: alt.into_owned(),
                    encoding: guess,
                    how: How::Detected { overruled: Some(label.clone()) },
                    replaced: false,
                    damage: None,
                };
            }
        }
        return Decoded {
            text: text.into_owned(),
            encoding,
            how: How::Declared(label.clone()),
            replaced,
            damage: None,
        };
    }
    let scan = gongkai_doc::utf8::scan(bytes);
    if scan.is_damaged_utf8() {
        return Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: UTF_8,
            how: How::Detected { overruled: None },
            replaced: true,
            damage: Some(scan),
        };
    }
    let encoding = detect(bytes);
    let (text, replaced) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding,
        how: How::Detected { overruled: None },
        replaced,
        damage: None,
    }
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(Some(b"cn"), Utf8Detection::Allow)
}

/// Finds a charset declared in a `<meta>` tag: `<meta charset=X>` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=X">`. Comments are skipped.
/// Returns the label as written and the encoding it names (UTF-16 labels mean UTF-8 and
/// `x-user-defined` means windows-1252, as the WHATWG prescan prescribes).
pub(crate) fn prescan(head: &[u8]) -> Option<(String, &'static Encoding)> {
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = lower.get(at..).and_then(|rest| memchr::memchr(b'<', rest)).map(|i| at + i)
    {
        let rest = &lower[i..];
        if rest.starts_with(b"<!--") {
            at = memmem::find(&rest[4..], b"-->").map_or(lower.len(), |j| i + 4 + j + 3);
            continue;
        }
        let end = memchr::memchr(b'>', rest).map_or(lower.len(), |j| i + j);
        if rest.starts_with(b"<meta")
            && rest.get(5).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            let attrs = attributes(&head[i + 5..end]);
            let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
            let label = get("charset").map(str::to_owned).or_else(|| {
                let equiv = get("http-equiv")?;
                if !equiv.eq_ignore_ascii_case("content-type") {
                    return None;
                }
                charset_from_content(get("content")?)
            });
            if let Some(label) = label
                && let Some(encoding) = Encoding::for_label(label.trim().as_bytes())
            {
                let encoding = if encoding == UTF_16LE || encoding == UTF_16BE {
                    UTF_8
                } else if encoding.name() == "x-user-defined" {
                    WINDOWS_1252
                } else {
                    encoding
                };
                return Some((label.trim().to_owned(), encoding));
            }
        }
        at = end + 1;
    }
    None
}

/// Parses `name=value` attributes (quoted or not) of one tag; names lower-cased.
fn attributes(tag: &[u8]) -> Vec<(String, String)> {
    let s = String::from_utf8_lossy(tag);
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace() || *c == '/').is_some() {}
        let Some(&(start, _)) = chars.peek() else { break };
        while chars.next_if(|(_, c)| !c.is_whitespace() && *c != '=' && *c != '/').is_some() {}
        let name_end = chars.peek().map_or(s.len(), |(i, _)| *i);
        let name = s[start..name_end].to_ascii_lowercase();
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if(|(_, c)| *c == '=').is_some() {
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            match chars.peek().map(|(_, c)| *c) {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        if name.is_empty() {
            chars.next();
            continue;
        }
        out.push((name, value));
    }
    out
}

fn charset_from_content(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let i = lower.find("charset")?;
    let rest = lower[i + 7..].trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GBK;

    #[test]
    fn prescan_finds_declarations() {
        let p = |s: &str| prescan(s.as_bytes()).map(|(l, e)| (l, e.name()));
        assert_eq!(p(r#"<meta charset="utf-8" name="viewport">"#), Some(("utf-8".into(), "UTF-8")));
        assert_eq!(
            p(r#"<META http-equiv=Content-Type content="text/html; charset=gb2312">"#),
            Some(("gb2312".into(), "GBK"))
        );
        assert_eq!(
            p(r#"<!-- <meta charset="big5"> --><meta charset='GB18030'>"#),
            Some(("GB18030".into(), "gb18030"))
        );
        assert_eq!(p(r#"<meta charset="utf-16">"#), Some(("utf-16".into(), "UTF-8")));
        assert_eq!(p(r#"<meta name="x" content="charset=gbk">"#), None);
        assert_eq!(p(r#"<metadata charset="gbk">"#), None);
        assert_eq!(p("<meta charset=nonsense>"), None);
        assert_eq!(p("<meta charset=gbk"), Some(("gbk".into(), "GBK")));
        assert_eq!(p("<"), None);
    }

    #[test]
    fn undeclared_gbk_is_detected() {
        let (bytes, _, _) = GBK.encode("<html><body><p>一、总体情况。本年度共收到政府信息公开申请七十件，均已按时答复。</p></body></html>");
        let d = decode(&bytes);
        assert_eq!(d.encoding, GBK);
        assert_eq!(d.how, How::Detected { overruled: None });
        assert!(d.text.contains("一、总体情况"));
    }

    #[test]
    fn contradicted_declaration_is_overruled() {
        let (bytes, _, _) = GBK.encode("<html><head><meta charset=\"utf-8\"></head><body><p>收到和处理政府信息公开申请情况，予以公开。</p></body></html>");
        let d = decode(&bytes);
        assert_eq!(d.encoding, GBK);
        assert_eq!(d.how, How::Detected { overruled: Some("utf-8".into()) });
        assert!(!d.replaced);
        assert!(d.text.contains("予以公开"));
    }

    #[test]
    fn one_bad_byte_keeps_utf8() {
        let page = "<html><body><p>一、总体情况。本年度共收到政府信息公开申请七十件，均已按时答复。</p><p>二、主动公开政府信息情况</p></body></html>";
        for head in ["", "<meta charset=\"utf-8\">"] {
            let page = format!("{head}{page}");
            let at = page.find("二、").unwrap_or_default();
            let mut bytes = page.into_bytes();
            bytes.insert(at, 0xFF);
            let d = decode(&bytes);
            assert_eq!(d.encoding, UTF_8, "{head}");
            assert!(d.replaced);
            assert!(d.text.contains("一、总体情况") && d.text.contains('\u{fffd}'));
            assert_eq!(d.damage.map(|s| s.first_invalid), Some(vec![(at, 1)]));
        }
    }

    #[test]
    fn bom_wins() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("<meta charset=gbk><p>规章</p>".encode_utf16().flat_map(u16::to_le_bytes));
        let d = decode(&bytes);
        assert_eq!((d.encoding, d.how), (UTF_16LE, How::Bom));
        assert!(d.text.contains("规章"));
    }
}
