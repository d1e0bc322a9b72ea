//! Document properties from the `\u{5}SummaryInformation` property set ([MS-OLEPS]): title,
//! subject, author, keywords, comments, last author — the same keys the DOCX reader takes from
//! its core properties. Strings are decoded by the set's code page (GBK for Chinese Word, UTF-16
//! for `VT_LPWSTR`, UTF-8 for code page 65001). Anything unexpected yields no property.

use crate::bytes::{slice, u16_at, u32_at};

/// Property identifiers read, with their keys, in output order.
const KEYS: [(u32, &str); 6] = [
    (2, "title"),
    (3, "subject"),
    (4, "author"),
    (8, "last_modified_by"),
    (5, "keywords"),
    (6, "description"),
];
const PID_CODEPAGE: u32 = 1;
const VT_I2: u16 = 2;
const VT_LPSTR: u16 = 30;
const VT_LPWSTR: u16 = 31;
/// Most properties looked at in one set.
const MAX_PROPERTIES: usize = 1024;

/// The properties found, in a fixed order, empty values left out.
pub(crate) fn properties(stream: &[u8]) -> Vec<(String, String)> {
    let Some(section) = u32_at(stream, 28 + 16).map(|o| o as usize) else { return Vec::new() };
    let count = u32_at(stream, section + 4).map_or(0, |n| (n as usize).min(MAX_PROPERTIES));
    let entry = |i: usize| -> Option<(u32, usize)> {
        let at = section + 8 + i * 8;
        Some((u32_at(stream, at)?, section.checked_add(u32_at(stream, at + 4)? as usize)?))
    };
    let mut codepage = 1252u16;
    for i in 0..count {
        if let Some((PID_CODEPAGE, at)) = entry(i)
            && u16_at(stream, at) == Some(VT_I2)
        {
            codepage = u16_at(stream, at + 4).unwrap_or(1252);
        }
    }
    let mut out = Vec::new();
    for (pid, key) in KEYS {
        let Some(at) = (0..count).filter_map(entry).find(|(p, _)| *p == pid).map(|(_, at)| at)
        else {
            continue;
        };
        if let Some(v) = string(stream, at, codepage) {
            let v = v.trim_matches(|c: char| c == '\0' || c.is_whitespace()).to_owned();
            if !v.is_empty() {
                out.push((key.to_owned(), v));
            }
        }
    }
    out
}

fn string(stream: &[u8], at: usize, codepage: u16) -> Option<String> {
    let vt = u16_at(stream, at)?;
    let len = u32_at(stream, at + 4)? as usize;
    match vt {
        VT_LPSTR if codepage == 1200 => {
            let b = slice(stream, at + 8, len.checked_mul(2)?)?;
            Some(String::from_utf16_lossy(&utf16(b)))
        }
        VT_LPSTR => {
            let b = slice(stream, at + 8, len)?;
            let enc = match codepage {
                65001 => encoding_rs::UTF_8,
                936 => encoding_rs::GBK,
                54936 => encoding_rs::GB18030,
                950 => encoding_rs::BIG5,
                932 => encoding_rs::SHIFT_JIS,
                949 => encoding_rs::EUC_KR,
                _ => encoding_rs::WINDOWS_1252,
            };
            Some(enc.decode_without_bom_handling(b).0.into_owned())
        }
        VT_LPWSTR => {
            let b = slice(stream, at + 8, len.checked_mul(2)?)?;
            Some(String::from_utf16_lossy(&utf16(b)))
        }
        _ => None,
    }
}

fn utf16(b: &[u8]) -> Vec<u16> {
    b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gbk_title() {
        let mut s = vec![0u8; 48];
        s[44..48].copy_from_slice(&48u32.to_le_bytes());
        let title = encoding_rs::GBK.encode("年度报告").0.into_owned();
        let mut sec = Vec::new();
        sec.extend_from_slice(&0u32.to_le_bytes());
        sec.extend_from_slice(&2u32.to_le_bytes());
        sec.extend_from_slice(&1u32.to_le_bytes());
        sec.extend_from_slice(&24u32.to_le_bytes());
        sec.extend_from_slice(&2u32.to_le_bytes());
        sec.extend_from_slice(&32u32.to_le_bytes());
        sec.extend_from_slice(&[2, 0, 0, 0, 0xA8, 0x03, 0, 0]); // VT_I2 936
        sec.extend_from_slice(&[30, 0, 0, 0]);
        sec.extend_from_slice(&(title.len() as u32).to_le_bytes());
        sec.extend_from_slice(&title);
        s.extend_from_slice(&sec);
        assert_eq!(properties(&s), vec![("title".to_owned(), "年度报告".to_owned())]);
        assert!(properties(&s[..50]).is_empty());
        assert!(properties(&[]).is_empty());
    }
}
