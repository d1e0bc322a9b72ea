//! Fonts as far as text extraction needs them: how a shown string splits into codes, the text of
//! each code, its advance width and whether the font writes vertically.
//!
//! Font *programs* (embedded TrueType, CFF, Type 1) are never parsed: text comes from
//! `/ToUnicode`, from the predefined CJK CMap the font names (decoded through its legacy encoding,
//! see [`crate::cmap`]) or from a simple font's `/Encoding`; widths come from the font dictionary.
//! So a font program that is broken or hostile cannot fail the read.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use crate::cmap::{Codespace, Predefined, ToUnicode};
use crate::obj::{deref, dict_of, name_of, num, stream_bytes};

/// One decoded code of a shown string.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Code {
    /// Its text, when the font says (`None`: unmapped).
    pub(crate) text: Option<String>,
    /// Horizontal advance in text space units per unit of font size (1000 glyph units = 1.0).
    pub(crate) width: f32,
    /// Whether it is the single byte 32 (word spacing applies).
    pub(crate) is_space_byte: bool,
}

/// A font of a page's resources.
#[derive(Clone, Debug)]
pub(crate) struct Font {
    /// The base font name (for notes).
    pub(crate) name: String,
    codespace: Codespace,
    to_unicode: Option<ToUnicode>,
    predefined: Option<Predefined>,
    simple: Option<Vec<Option<String>>>,
    /// Whether the font writes vertically (`-V` CMaps).
    pub(crate) vertical: bool,
    widths: Widths,
    default_width: f32,
    /// Vertical advance (negative: downwards), for vertical fonts, per unit of font size.
    pub(crate) vertical_advance: f32,
    /// Ascent above the baseline, per unit of font size.
    pub(crate) ascent: f32,
    /// Descent below the baseline (negative), per unit of font size.
    pub(crate) descent: f32,
    identity_cids: bool,
    scale: f32,
}

#[derive(Clone, Debug, Default)]
struct Widths {
    single: HashMap<u32, f32>,
    ranges: Vec<(u32, u32, f32)>,
}

impl Widths {
    fn get(&self, cid: u32) -> Option<f32> {
        self.single.get(&cid).copied().or_else(|| {
            self.ranges.iter().find(|(lo, hi, _)| *lo <= cid && cid <= *hi).map(|r| r.2)
        })
    }
}

/// Most width entries read from one font (hostile files).
const MAX_WIDTHS: usize = 100_000;

impl Font {
    /// A fallback font for a missing or unreadable font resource: one byte per code, Latin-1 text.
    pub(crate) fn fallback(name: &str) -> Self {
        Font {
            name: name.to_owned(),
            codespace: Codespace::one_byte(),
            to_unicode: None,
            predefined: None,
            simple: Some(latin_table(Base::WinAnsi)),
            vertical: false,
            widths: Widths::default(),
            default_width: 500.0,
            vertical_advance: -1.0,
            ascent: 0.85,
            descent: -0.15,
            identity_cids: false,
            scale: 0.001,
        }
    }

    /// Reads a font dictionary.
    pub(crate) fn load(doc: &Document, dict: &Dictionary) -> Self {
        let subtype = dict.get(b"Subtype").ok().and_then(|o| name_of(doc, o)).unwrap_or_default();
        let base = dict.get(b"BaseFont").ok().and_then(|o| name_of(doc, o)).unwrap_or_default();
        let name = String::from_utf8_lossy(&base).into_owned();
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o))
            .map(|b| ToUnicode::parse(&b))
            .filter(|m| !m.is_empty());
        let mut font = Font::fallback(&name);
        font.to_unicode = to_unicode;
        if subtype == b"Type0" {
            font.load_type0(doc, dict);
        } else {
            font.load_simple(doc, dict, &subtype);
        }
        font
    }

    fn load_type0(&mut self, doc: &Document, dict: &Dictionary) {
        self.simple = None;
        self.default_width = 1000.0;
        self.codespace = Codespace::two_byte();
        match dict.get(b"Encoding").ok().map(|o| deref(doc, o)) {
            Some(Object::Name(n)) => {
                if let Some((p, vertical)) = Predefined::from_name(n) {
                    self.codespace = p.codespace();
                    self.predefined = Some(p);
                    self.vertical = vertical;
                    self.identity_cids = p == Predefined::Identity;
                }
            }
            Some(enc @ Object::Stream(s)) => {
                // An embedded CMap: take its codespace; its `/CMapName` or `/UseCMap` may name a
                // predefined CMap whose encoding gives the text when there is no `/ToUnicode`.
                let cmap_name =
                    s.dict.get(b"CMapName").ok().and_then(|o| name_of(doc, o)).unwrap_or_default();
                let use_cmap =
                    s.dict.get(b"UseCMap").ok().and_then(|o| name_of(doc, o)).unwrap_or_default();
                if let Some((p, vertical)) =
                    Predefined::from_name(&cmap_name).or_else(|| Predefined::from_name(&use_cmap))
                {
                    self.codespace = p.codespace();
                    self.predefined = Some(p);
                    self.vertical = vertical;
                }
                if let Some(bytes) = stream_bytes(doc, enc)
                    && let Some(cs) = ToUnicode::parse(&bytes).declared_codespace()
                {
                    self.codespace = cs;
                }
                if s.dict.get(b"WMode").ok().and_then(|o| num(doc, o)) == Some(1.0) {
                    self.vertical = true;
                }
            }
            _ => {}
        }
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| dict_of(doc, o));
        let Some(cid) = descendant else { return };
        if let Some(dw) = cid.get(b"DW").ok().and_then(|o| num(doc, o)) {
            self.default_width = dw;
        }
        if let Some(w) = cid.get(b"W").ok().map(|o| deref(doc, o)).and_then(|o| o.as_array().ok()) {
            self.widths = read_cid_widths(doc, w);
        }
        if let Some(dw2) =
            cid.get(b"DW2").ok().map(|o| deref(doc, o)).and_then(|o| o.as_array().ok())
            && let Some(v) = dw2.get(1).and_then(|o| num(doc, o))
        {
            self.vertical_advance = v / 1000.0;
        }
        self.read_descriptor(doc, cid);
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary, subtype: &[u8]) {
        self.codespace = Codespace::one_byte();
        if subtype == b"Type3"
            && let Some(m) =
                dict.get(b"FontMatrix").ok().map(|o| deref(doc, o)).and_then(|o| o.as_array().ok())
            && let Some(a) = m.first().and_then(|o| num(doc, o))
            && a.is_finite()
            && a != 0.0
        {
            self.scale = a.abs().min(1.0);
        }
        let courier = self.name.contains("Courier");
        self.default_width = if courier { 600.0 } else { 500.0 };
        let first = dict.get(b"FirstChar").ok().and_then(|o| num(doc, o)).unwrap_or(0.0);
        if let Some(w) =
            dict.get(b"Widths").ok().map(|o| deref(doc, o)).and_then(|o| o.as_array().ok())
        {
            let first = first.clamp(0.0, 255.0) as u32;
            for (i, o) in w.iter().take(256).enumerate() {
                if let Some(v) = num(doc, o) {
                    self.widths.single.insert(first + i as u32, v);
                }
            }
        }
        self.read_descriptor(doc, dict);
        let mut table =
            latin_table(if self.name.contains("Symbol") || self.name.contains("Dingbats") {
                Base::Standard
            } else {
                Base::WinAnsi
            });
        match dict.get(b"Encoding").ok().map(|o| deref(doc, o)) {
            Some(Object::Name(n)) => table = latin_table(Base::from_name(n)),
            Some(Object::Dictionary(enc)) => {
                if let Some(n) = enc.get(b"BaseEncoding").ok().and_then(|o| name_of(doc, o)) {
                    table = latin_table(Base::from_name(&n));
                }
                if let Some(diffs) = enc
                    .get(b"Differences")
                    .ok()
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_array().ok())
                {
                    let mut code = 0usize;
                    for item in diffs {
                        match deref(doc, item) {
                            Object::Integer(i) => code = usize::try_from(*i).unwrap_or(256),
                            Object::Name(n) => {
                                if let Some(slot) = table.get_mut(code) {
                                    *slot = glyph_name_text(n);
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        self.simple = Some(table);
    }

    fn read_descriptor(&mut self, doc: &Document, dict: &Dictionary) {
        let Some(desc) = dict.get(b"FontDescriptor").ok().and_then(|o| dict_of(doc, o)) else {
            return;
        };
        if let Some(mw) = desc.get(b"MissingWidth").ok().and_then(|o| num(doc, o))
            && mw > 0.0
            && self.simple.is_some()
        {
            self.default_width = mw;
        }
        let ascent = desc.get(b"Ascent").ok().and_then(|o| num(doc, o)).map(|v| v * self.scale);
        let descent = desc.get(b"Descent").ok().and_then(|o| num(doc, o)).map(|v| v * self.scale);
        if let (Some(a), Some(d)) = (ascent, descent)
            && (0.3..=1.5).contains(&a)
            && (-0.8..=0.0).contains(&d)
            && a - d > 0.5
        {
            self.ascent = a;
            self.descent = d;
        }
    }

    /// Splits a shown string into codes with their text and width.
    pub(crate) fn decode(&self, bytes: &[u8]) -> Vec<Code> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut rest = bytes;
        while !rest.is_empty() {
            let (code, len) = self.codespace.next_code(rest);
            rest = &rest[len.min(rest.len())..];
            let text = self
                .to_unicode
                .as_ref()
                .and_then(|m| m.get(code, len))
                .filter(|t| {
                    !t.is_empty()
                        && !t.chars().all(|c| c == '\u{fffd}' || (c.is_control() && c != '\t'))
                })
                .or_else(|| self.predefined.and_then(|p| p.decode(code, len)))
                .or_else(|| {
                    self.simple.as_ref().and_then(|t| t.get(code as usize).cloned().flatten())
                });
            let width = self.width_of(code, len, text.as_deref());
            out.push(Code { text, width, is_space_byte: len == 1 && code == 32 });
        }
        out
    }

    fn width_of(&self, code: u32, len: usize, text: Option<&str>) -> f32 {
        let w = if self.simple.is_some() || self.identity_cids {
            self.widths.get(code).unwrap_or(self.default_width)
        } else {
            // A predefined CMap other than Identity: the CID is unknown without the Adobe CMap
            // tables, so take half width for single-byte and ASCII codes, the default otherwise.
            let narrow = len == 1 || text.is_some_and(str::is_ascii);
            if narrow { self.default_width / 2.0 } else { self.default_width }
        };
        let w = if w.is_finite() { w.clamp(0.0, 10_000.0) } else { self.default_width };
        w * self.scale
    }
}

fn read_cid_widths(doc: &Document, w: &[Object]) -> Widths {
    let mut widths = Widths::default();
    let mut i = 0;
    let mut entries = 0usize;
    while i < w.len() && entries < MAX_WIDTHS {
        let Some(first) = num(doc, &w[i]) else { break };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    if let Some(v) = num(doc, o) {
                        widths.single.insert(first.saturating_add(k as u32), v);
                        entries += 1;
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(v)) =
                    (num(doc, last), w.get(i + 2).and_then(|o| num(doc, o)))
                else {
                    break;
                };
                widths.ranges.push((first, last.max(0.0) as u32, v));
                entries += 1;
                i += 3;
            }
            None => break,
        }
    }
    widths
}

#[derive(Clone, Copy)]
enum Base {
    WinAnsi,
    MacRoman,
    Standard,
}

impl Base {
    fn from_name(n: &[u8]) -> Self {
        match n {
            b"MacRomanEncoding" => Base::MacRoman,
            b"StandardEncoding" => Base::Standard,
            _ => Base::WinAnsi,
        }
    }
}

fn latin_table(base: Base) -> Vec<Option<String>> {
    (0u8..=255)
        .map(|b| {
            if b < 32 {
                return None;
            }
            let s = match base {
                Base::WinAnsi => {
                    encoding_rs::WINDOWS_1252.decode_without_bom_handling(&[b]).0.into_owned()
                }
                Base::MacRoman => {
                    encoding_rs::MACINTOSH.decode_without_bom_handling(&[b]).0.into_owned()
                }
                Base::Standard => match b {
                    b'\'' => "’".to_owned(),
                    b'`' => "‘".to_owned(),
                    0x20..=0x7e => char::from(b).to_string(),
                    _ => encoding_rs::WINDOWS_1252.decode_without_bom_handling(&[b]).0.into_owned(),
                },
            };
            (!s.starts_with('\u{fffd}')).then_some(s)
        })
        .collect()
}

/// The values of a string of ASCII hex digits, or `None` when any character is not one.
fn hex_digits(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok())).collect()
}

/// The text of a glyph name (Adobe Glyph List conventions, the common subset).
fn glyph_name_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let name = name.split('.').next().unwrap_or(name);
    if name.len() == 1 && name.as_bytes()[0].is_ascii_alphabetic() {
        return Some(name.to_owned());
    }
    // Glyph names are input: the hex forms are checked digit by digit (never sliced by byte
    // index, which panics inside a multi-byte character such as `uni中中AB`).
    if let Some(hex) = name.strip_prefix("uni")
        && let Some(digits) = hex_digits(hex)
        && !digits.is_empty()
        && digits.len() % 4 == 0
    {
        let units =
            digits.chunks(4).map(|c| c.iter().fold(0u16, |acc, d| (acc << 4) | u16::from(*d)));
        return Some(char::decode_utf16(units).map(|r| r.unwrap_or('\u{fffd}')).collect());
    }
    if let Some(hex) = name.strip_prefix('u')
        && let Some(digits) = hex_digits(hex)
        && (4..=6).contains(&digits.len())
    {
        let v = digits.iter().fold(0u32, |acc, d| (acc << 4) | u32::from(*d));
        return char::from_u32(v).map(String::from);
    }
    const NAMES: &[(&str, &str)] = &[
        ("space", " "),
        ("exclam", "!"),
        ("quotedbl", "\""),
        ("numbersign", "#"),
        ("dollar", "$"),
        ("percent", "%"),
        ("ampersand", "&"),
        ("quotesingle", "'"),
        ("quoteright", "’"),
        ("quoteleft", "‘"),
        ("parenleft", "("),
        ("parenright", ")"),
        ("asterisk", "*"),
        ("plus", "+"),
        ("comma", ","),
        ("hyphen", "-"),
        ("period", "."),
        ("slash", "/"),
        ("zero", "0"),
        ("one", "1"),
        ("two", "2"),
        ("three", "3"),
        ("four", "4"),
        ("five", "5"),
        ("six", "6"),
        ("seven", "7"),
        ("eight", "8"),
        ("nine", "9"),
        ("colon", ":"),
        ("semicolon", ";"),
        ("less", "<"),
        ("equal", "="),
        ("greater", ">"),
        ("question", "?"),
        ("at", "@"),
        ("bracketleft", "["),
        ("backslash", "\\"),
        ("bracketright", "]"),
        ("asciicircum", "^"),
        ("underscore", "_"),
        ("grave", "`"),
        ("braceleft", "{"),
        ("bar", "|"),
        ("braceright", "}"),
        ("asciitilde", "~"),
        ("quotedblleft", "“"),
        ("quotedblright", "”"),
        ("endash", "–"),
        ("emdash", "—"),
        ("bullet", "•"),
        ("ellipsis", "…"),
        ("fi", "fi"),
        ("fl", "fl"),
        ("periodcentered", "·"),
        ("nbspace", "\u{a0}"),
        ("minus", "−"),
        ("multiply", "×"),
        ("degree", "°"),
    ];
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| (*t).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_text(b"uni653F").as_deref(), Some("政"));
        assert_eq!(glyph_name_text(b"u2F00").as_deref(), Some("\u{2f00}"));
        assert_eq!(glyph_name_text(b"seven.oldstyle").as_deref(), Some("7"));
        assert_eq!(glyph_name_text(b"g123"), None);
        assert_eq!(glyph_name_text(b"Q").as_deref(), Some("Q"));
        assert_eq!(glyph_name_text(b"uni4E2D6587").as_deref(), Some("中文"));
        assert_eq!(glyph_name_text(b"uniD835DC00").as_deref(), Some("\u{1d400}"));
    }

    #[test]
    fn glyph_names_with_non_ascii_characters_are_not_hex() {
        // 3 + 3 + 2 bytes after `uni`: a byte slice at 4 would cut the second 中.
        assert_eq!(glyph_name_text("uni中中AB".as_bytes()), None);
        assert_eq!(glyph_name_text("uni中".as_bytes()), None);
        assert_eq!(glyph_name_text("u中AB".as_bytes()), None);
        assert_eq!(glyph_name_text("uni+12A".as_bytes()), None);
        assert_eq!(glyph_name_text(b"u+123"), None);
        assert_eq!(glyph_name_text(b"uni"), None);
    }

    #[test]
    fn fallback_font_reads_latin1() {
        let f = Font::fallback("X");
        let codes = f.decode(b"A 1");
        let text: Vec<_> = codes.iter().map(|c| c.text.clone().unwrap_or_default()).collect();
        assert_eq!(text, ["A", " ", "1"]);
        assert!(codes[1].is_space_byte);
        assert!((codes[0].width - 0.5).abs() < 1e-6);
    }
}
