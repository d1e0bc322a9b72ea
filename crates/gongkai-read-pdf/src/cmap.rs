//! Character maps: how a font's byte string splits into character codes (codespace ranges) and
//! what Unicode text a code stands for (`/ToUnicode` CMaps and the predefined CJK CMaps).
//!
//! Only what text extraction needs is implemented: `begincodespacerange`, `beginbfchar`,
//! `beginbfrange` (both destination forms) and the predefined CMap *names* of Chinese, Japanese and
//! Korean fonts. A predefined CMap is decoded through the legacy encoding it is built on
//! (GBK-EUC-H → GBK, UniGB-UCS2-H → UCS-2, …), which gives the same text as the CID route
//! without shipping the Adobe CMap and CID-to-Unicode tables.

use std::collections::HashMap;

/// One codespace range: codes of `len` bytes whose bytes each lie between `lo` and `hi`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CodeRange {
    len: usize,
    lo: [u8; 4],
    hi: [u8; 4],
}

impl CodeRange {
    fn new(lo: &[u8], hi: &[u8]) -> Option<Self> {
        if lo.is_empty() || lo.len() != hi.len() || lo.len() > 4 {
            return None;
        }
        let mut r = CodeRange { len: lo.len(), lo: [0; 4], hi: [0; 4] };
        r.lo[..lo.len()].copy_from_slice(lo);
        r.hi[..hi.len()].copy_from_slice(hi);
        Some(r)
    }

    fn matches(&self, bytes: &[u8]) -> bool {
        bytes.len() >= self.len
            && (0..self.len).all(|i| self.lo[i] <= bytes[i] && bytes[i] <= self.hi[i])
    }
}

/// How a string of a font splits into codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Codespace {
    ranges: Vec<CodeRange>,
}

impl Codespace {
    /// One byte per code (simple fonts).
    pub(crate) fn one_byte() -> Self {
        Codespace { ranges: vec![CodeRange { len: 1, lo: [0; 4], hi: [0xff, 0, 0, 0] }] }
    }

    /// Two bytes per code (Identity and UCS-2 CMaps).
    pub(crate) fn two_byte() -> Self {
        Codespace { ranges: vec![CodeRange { len: 2, lo: [0; 4], hi: [0xff, 0xff, 0, 0] }] }
    }

    fn from_pairs(pairs: &[(&[u8], &[u8])]) -> Self {
        Codespace { ranges: pairs.iter().filter_map(|(lo, hi)| CodeRange::new(lo, hi)).collect() }
    }

    /// Splits off the next code: `(code, byte length)`. Bytes that match no range are taken one
    /// at a time (or in the shortest length the ranges use), as viewers do.
    pub(crate) fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        let len = self
            .ranges
            .iter()
            .filter(|r| r.matches(bytes))
            .map(|r| r.len)
            .min()
            .or_else(|| self.ranges.iter().map(|r| r.len).min())
            .unwrap_or(1)
            .clamp(1, bytes.len().max(1));
        let len = len.min(bytes.len());
        let code = bytes[..len].iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
        (code, len.max(1))
    }
}

/// The legacy encoding a predefined CJK CMap is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Predefined {
    /// `Identity-H` / `Identity-V`: codes are CIDs, no text without a `/ToUnicode`.
    Identity,
    /// `Uni*-UCS2-*`: codes are UCS-2.
    Ucs2,
    /// `Uni*-UTF16-*`: codes are UTF-16 code units (surrogate pairs as 4-byte codes).
    Utf16,
    /// GB 2312 / GBK / GB 18030 based (`GB-EUC-H`, `GBK-EUC-H`, `GBK2K-H`, `GBpc-EUC-H`, …).
    Gbk,
    /// Big Five based (`B5pc-H`, `ETen-B5-H`, …).
    Big5,
    /// Shift-JIS based (`90ms-RKSJ-H`, …).
    ShiftJis,
    /// EUC-JP based (`EUC-H`).
    EucJp,
    /// EUC-KR based (`KSC-EUC-H`, `KSCms-UHC-H`).
    EucKr,
}

impl Predefined {
    /// Recognises a predefined CMap name. Returns the encoding and whether the writing mode is
    /// vertical (`-V`).
    pub(crate) fn from_name(name: &[u8]) -> Option<(Self, bool)> {
        let name = std::str::from_utf8(name).ok()?;
        let vertical = name.ends_with("-V");
        let kind = if name.starts_with("Identity") {
            Predefined::Identity
        } else if name.starts_with("Uni") && name.contains("UCS2") {
            Predefined::Ucs2
        } else if name.starts_with("Uni") && name.contains("UTF16") {
            Predefined::Utf16
        } else if name.starts_with("GB") {
            Predefined::Gbk
        } else if name.starts_with("B5")
            || name.starts_with("ETen")
            || name.starts_with("HKscs")
            || name.starts_with("ETHK")
        {
            Predefined::Big5
        } else if name.contains("RKSJ") {
            Predefined::ShiftJis
        } else if name.starts_with("EUC") {
            Predefined::EucJp
        } else if name.starts_with("KSC") {
            Predefined::EucKr
        } else {
            return None;
        };
        Some((kind, vertical))
    }

    /// The codespace of the CMap.
    pub(crate) fn codespace(self) -> Codespace {
        match self {
            Predefined::Identity | Predefined::Ucs2 => Codespace::two_byte(),
            Predefined::Utf16 => Codespace::from_pairs(&[
                (&[0x00, 0x00], &[0xd7, 0xff]),
                (&[0xe0, 0x00], &[0xff, 0xff]),
                (&[0xd8, 0x00, 0xdc, 0x00], &[0xdb, 0xff, 0xdf, 0xff]),
            ]),
            Predefined::Gbk => Codespace::from_pairs(&[
                (&[0x00], &[0x80]),
                (&[0x81, 0x40], &[0xfe, 0xfe]),
                (&[0x81, 0x30, 0x81, 0x30], &[0xfe, 0x39, 0xfe, 0x39]),
            ]),
            Predefined::Big5 => {
                Codespace::from_pairs(&[(&[0x00], &[0x80]), (&[0x81, 0x40], &[0xfe, 0xfe])])
            }
            Predefined::ShiftJis => Codespace::from_pairs(&[
                (&[0x00], &[0x80]),
                (&[0xa0], &[0xdf]),
                (&[0x81, 0x40], &[0x9f, 0xfc]),
                (&[0xe0, 0x40], &[0xfc, 0xfc]),
            ]),
            Predefined::EucJp | Predefined::EucKr => {
                Codespace::from_pairs(&[(&[0x00], &[0x80]), (&[0x8e, 0xa0], &[0xfe, 0xfe])])
            }
        }
    }

    /// The text of one code of `len` bytes, if the encoding defines it.
    pub(crate) fn decode(self, code: u32, len: usize) -> Option<String> {
        let bytes = code_bytes(code, len);
        let (text, had_errors) = match self {
            Predefined::Identity => return None,
            Predefined::Ucs2 => {
                return char::from_u32(code)
                    .filter(|c| len == 2 && !c.is_control())
                    .map(String::from);
            }
            Predefined::Utf16 => encoding_rs::UTF_16BE.decode_without_bom_handling(&bytes),
            Predefined::Gbk => encoding_rs::GB18030.decode_without_bom_handling(&bytes),
            Predefined::Big5 => encoding_rs::BIG5.decode_without_bom_handling(&bytes),
            Predefined::ShiftJis => encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes),
            Predefined::EucJp => encoding_rs::EUC_JP.decode_without_bom_handling(&bytes),
            Predefined::EucKr => encoding_rs::EUC_KR.decode_without_bom_handling(&bytes),
        };
        (!had_errors && !text.is_empty()).then(|| text.into_owned())
    }
}

fn code_bytes(code: u32, len: usize) -> Vec<u8> {
    let len = len.clamp(1, 4);
    code.to_be_bytes()[4 - len..].to_vec()
}

/// A parsed `/ToUnicode` CMap (or the codespace of an embedded `/Encoding` CMap).
#[derive(Clone, Debug, Default)]
pub(crate) struct ToUnicode {
    /// The codespace ranges it declares.
    pub(crate) codespace: Vec<CodeRange>,
    single: HashMap<(u8, u32), String>,
    ranges: Vec<BfRange>,
}

#[derive(Clone, Debug)]
struct BfRange {
    len: u8,
    lo: u32,
    hi: u32,
    dest: BfDest,
}

#[derive(Clone, Debug)]
enum BfDest {
    /// The destination of `lo`; later codes increment its last UTF-16 unit.
    Start(Vec<u16>),
    /// One destination per code.
    List(Vec<String>),
}

/// Most entries one CMap may declare (hostile files).
const MAX_ENTRIES: usize = 200_000;

impl ToUnicode {
    /// Parses CMap program text. Unknown or malformed parts are skipped.
    pub(crate) fn parse(data: &[u8]) -> Self {
        let mut map = ToUnicode::default();
        let tokens = tokenize(data);
        let mut i = 0;
        let mut entries = 0usize;
        while i < tokens.len() && entries < MAX_ENTRIES {
            match &tokens[i] {
                Tok::Keyword(k) if k == b"begincodespacerange" => {
                    i += 1;
                    while i + 1 < tokens.len() {
                        let (Tok::Hex(lo), Tok::Hex(hi)) = (&tokens[i], &tokens[i + 1]) else {
                            break;
                        };
                        if let Some(r) = CodeRange::new(lo, hi) {
                            map.codespace.push(r);
                        }
                        i += 2;
                    }
                }
                Tok::Keyword(k) if k == b"beginbfchar" => {
                    i += 1;
                    while i + 1 < tokens.len() {
                        let (Tok::Hex(src), Tok::Hex(dst)) = (&tokens[i], &tokens[i + 1]) else {
                            break;
                        };
                        if let Some((len, code)) = code_of(src) {
                            map.single.insert((len, code), utf16_text(&units(dst)));
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                Tok::Keyword(k) if k == b"beginbfrange" => {
                    i += 1;
                    while i + 2 < tokens.len() {
                        let (Tok::Hex(lo), Tok::Hex(hi)) = (&tokens[i], &tokens[i + 1]) else {
                            break;
                        };
                        let dest = match &tokens[i + 2] {
                            Tok::Hex(d) => Some(BfDest::Start(units(d))),
                            Tok::Array(items) => Some(BfDest::List(
                                items.iter().map(|d| utf16_text(&units(d))).collect(),
                            )),
                            _ => None,
                        };
                        if let (Some((len, lo)), Some((_, hi)), Some(dest)) =
                            (code_of(lo), code_of(hi), dest)
                            && lo <= hi
                        {
                            map.ranges.push(BfRange { len, lo, hi, dest });
                            entries += 1;
                        }
                        i += 3;
                    }
                }
                _ => i += 1,
            }
        }
        map
    }

    /// Whether it maps anything.
    pub(crate) fn is_empty(&self) -> bool {
        self.single.is_empty() && self.ranges.is_empty()
    }

    /// The text of a code of `len` bytes.
    pub(crate) fn get(&self, code: u32, len: usize) -> Option<String> {
        let len = u8::try_from(len).ok()?;
        if let Some(s) = self.single.get(&(len, code)) {
            return Some(s.clone());
        }
        for r in &self.ranges {
            if r.len != len || code < r.lo || code > r.hi {
                continue;
            }
            let offset = code - r.lo;
            return match &r.dest {
                BfDest::List(items) => items.get(offset as usize).cloned(),
                BfDest::Start(start) => {
                    let mut u = start.clone();
                    let last = u.last_mut()?;
                    *last = last.wrapping_add(u16::try_from(offset).ok()?);
                    Some(utf16_text(&u))
                }
            };
        }
        None
    }

    /// The codespace it declares, if any.
    pub(crate) fn declared_codespace(&self) -> Option<Codespace> {
        (!self.codespace.is_empty()).then(|| Codespace { ranges: self.codespace.clone() })
    }
}

fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let code = bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    Some((u8::try_from(bytes.len()).ok()?, code))
}

fn units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| if c.len() == 2 { u16::from_be_bytes([c[0], c[1]]) } else { u16::from(c[0]) })
        .collect()
}

fn utf16_text(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied()).map(|r| r.unwrap_or('\u{fffd}')).collect()
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Keyword(Vec<u8>),
    Other,
}

/// Splits CMap program text into the tokens the parser needs.
fn tokenize(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut array: Option<Vec<Vec<u8>>> = None;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                i += 2;
                out.push(Tok::Other);
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                i += 2;
                out.push(Tok::Other);
            }
            b'<' => {
                let start = i + 1;
                let end =
                    data[start..].iter().position(|&b| b == b'>').map_or(data.len(), |p| start + p);
                let hex = parse_hex(&data[start..end]);
                match &mut array {
                    Some(items) => items.push(hex),
                    None => out.push(Tok::Hex(hex)),
                }
                i = end + 1;
            }
            b'[' => {
                array = Some(Vec::new());
                i += 1;
            }
            b']' => {
                if let Some(items) = array.take() {
                    out.push(Tok::Array(items));
                }
                i += 1;
            }
            b'(' => {
                // Literal strings only occur in the header (names, registry); skip them.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Other);
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !b"<>[]()%/".contains(&data[i])
                {
                    i += 1;
                }
                if i == start {
                    // A lone delimiter such as `/`: skip it.
                    i += 1;
                    out.push(Tok::Other);
                } else if array.is_none() {
                    let word = &data[start..i];
                    if word.first().is_some_and(u8::is_ascii_alphabetic) {
                        out.push(Tok::Keyword(word.to_vec()));
                    } else {
                        out.push(Tok::Other);
                    }
                }
            }
        }
    }
    out
}

fn parse_hex(s: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = s
        .iter()
        .filter_map(|&c| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        })
        .collect();
    digits.chunks(2).map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bfchar_and_both_bfrange_forms() {
        let cmap = ToUnicode::parse(
            b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <04bc> <653F> endbfchar\n\
              2 beginbfrange <0010> <0019> <0030> <0020> <0021> [<FF10> <D840DC00>] endbfrange\nend",
        );
        assert_eq!(cmap.get(0x04bc, 2).as_deref(), Some("政"));
        assert_eq!(cmap.get(0x0003, 2).as_deref(), Some(" "));
        assert_eq!(cmap.get(0x0013, 2).as_deref(), Some("3"));
        assert_eq!(cmap.get(0x0020, 2).as_deref(), Some("０"));
        assert_eq!(cmap.get(0x0021, 2).as_deref(), Some("\u{20000}"));
        assert_eq!(cmap.get(0x0013, 1), None);
        assert_eq!(
            cmap.declared_codespace().map(|c| c.next_code(&[0x04, 0xbc, 0x00])),
            Some((0x04bc, 2))
        );
    }

    #[test]
    fn predefined_cmaps_decode_through_their_legacy_encoding() {
        let (gbk, v) = Predefined::from_name(b"GBK-EUC-H").expect("known");
        assert!(!v);
        let cs = gbk.codespace();
        let bytes = [0xd5, 0xfe, b'1', 0xa3, 0xb1];
        let (c1, l1) = cs.next_code(&bytes);
        assert_eq!((gbk.decode(c1, l1).as_deref(), l1), (Some("政"), 2));
        let (c2, l2) = cs.next_code(&bytes[2..]);
        assert_eq!((gbk.decode(c2, l2).as_deref(), l2), (Some("1"), 1));
        let (c3, l3) = cs.next_code(&bytes[3..]);
        assert_eq!(gbk.decode(c3, l3).as_deref(), Some("１"));
        let (ucs, v) = Predefined::from_name(b"UniGB-UCS2-V").expect("known");
        assert!(v);
        assert_eq!(ucs.decode(0x653f, 2).as_deref(), Some("政"));
        assert_eq!(Predefined::Identity.decode(0x653f, 2), None);
        assert_eq!(Predefined::from_name(b"Nonsense"), None);
    }

    #[test]
    fn hostile_cmaps_do_not_panic() {
        for data in [
            &b"beginbfrange <> <> <> endbfrange"[..],
            b"<<<<[[[(((",
            b"beginbfchar <0001>",
            b"\xff\xfe<zz>",
        ] {
            let m = ToUnicode::parse(data);
            let _ = m.get(1, 2);
        }
        assert_eq!(Codespace::one_byte().next_code(&[]), (0, 1));
    }
}
