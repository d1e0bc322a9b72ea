//! The piece table ([MS-DOC] 2.9.38 `Clx`, 2.9.177 `PlcPcd`): where each run of character
//! positions (CPs) of the document text is stored in the `WordDocument` stream, as 8-bit
//! "compressed" characters (Windows-1252) or as UTF-16LE.

use crate::Error;
use crate::bytes::{i16_at, u8_at, u16_at, u32_at};

/// Most pieces accepted (Word documents have a few, fast-saved ones a few thousand).
pub(crate) const MAX_PIECES: usize = 1_000_000;

/// `fCompressed` in a piece's `FcCompressed`.
const F_COMPRESSED: u32 = 0x4000_0000;

/// One piece: the CPs `cp_start..cp_end` are stored from byte `start` of the `WordDocument`
/// stream, one byte per character when `compressed`, else two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub(crate) cp_start: u32,
    pub(crate) cp_end: u32,
    pub(crate) start: u32,
    pub(crate) compressed: bool,
}

/// Reads the `Clx` at `fc..fc + lcb` of the table stream, checking that every piece up to
/// `ccp_text` lies inside a `WordDocument` stream of `word_len` bytes.
pub(crate) fn parse(
    table: &[u8],
    (fc, lcb): (u32, u32),
    word_len: usize,
    ccp_text: u32,
) -> Result<Vec<Piece>, Error> {
    let bad =
        |zh: &str, en: &str| Error::malformed(format!("片段表{zh}"), format!("piece table {en}"));
    let start = usize::try_from(fc).map_err(|_| bad("位置无效", "position is invalid"))?;
    let end = start
        .checked_add(usize::try_from(lcb).map_err(|_| bad("长度无效", "length is invalid"))?)
        .filter(|&e| e <= table.len())
        .ok_or_else(|| bad("超出表流范围", "lies past the end of the table stream"))?;
    let mut at = start;
    // Prc records (property modifiers of fast-saved files) come first; each is at least 3 bytes,
    // so the loop ends.
    let plc = loop {
        match u8_at(table, at).filter(|_| at < end) {
            Some(1) => {
                let cb = i16_at(table, at + 1).ok_or_else(|| bad("不完整", "is truncated"))?;
                let cb =
                    usize::try_from(cb).map_err(|_| bad("长度为负", "has a negative length"))?;
                at = at.checked_add(3 + cb).ok_or_else(|| bad("长度溢出", "length overflows"))?;
            }
            Some(2) => {
                let len = u32_at(table, at + 1).ok_or_else(|| bad("不完整", "is truncated"))?;
                let len = usize::try_from(len).map_err(|_| bad("长度无效", "length is invalid"))?;
                let from = at + 5;
                let to = from
                    .checked_add(len)
                    .filter(|&t| t <= table.len())
                    .ok_or_else(|| bad("超出表流范围", "lies past the end of the table stream"))?;
                break table.get(from..to).unwrap_or_default();
            }
            _ => return Err(bad("缺失或无法识别", "is missing or not recognised")),
        }
    };
    if plc.len() < 16 || (plc.len() - 4) % 12 != 0 {
        return Err(bad("长度不符", "has an inconsistent length"));
    }
    let n = (plc.len() - 4) / 12;
    if n > MAX_PIECES {
        return Err(Error::TooMany { what: crate::Counted::Pieces, count: n, limit: MAX_PIECES });
    }
    let cp = |i: usize| u32_at(plc, i * 4).unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    let mut prev = 0u32;
    if cp(0) != 0 {
        return Err(bad("不从第 0 个字符开始", "does not start at character 0"));
    }
    for i in 0..n {
        let (cp_start, cp_end) = (cp(i), cp(i + 1));
        if cp_start < prev || cp_end < cp_start {
            return Err(bad("字符位置未按顺序排列", "has character positions out of order"));
        }
        prev = cp_end;
        let pcd = (n + 1) * 4 + i * 8;
        let raw = u32_at(plc, pcd + 2).ok_or_else(|| bad("不完整", "is truncated"))?;
        // The property modifier (prm) is read for completeness of the record only.
        let _prm = u16_at(plc, pcd + 6).ok_or_else(|| bad("不完整", "is truncated"))?;
        let compressed = raw & F_COMPRESSED != 0;
        let start = if compressed { (raw & !F_COMPRESSED) / 2 } else { raw };
        let piece = Piece { cp_start, cp_end, start, compressed };
        if cp_start < ccp_text {
            // Only the part of the piece that belongs to the main text is read.
            let chars = u64::from(cp_end.min(ccp_text) - cp_start);
            let bytes = if compressed { chars } else { chars * 2 };
            if u64::from(start) + bytes > word_len as u64 {
                return Err(Error::PieceOutOfBounds {
                    piece: i,
                    start: u64::from(start),
                    bytes,
                    stream: word_len as u64,
                });
            }
        }
        out.push(piece);
    }
    if prev < ccp_text {
        return Err(bad("短于正文长度", "is shorter than the main text"));
    }
    Ok(out)
}

/// Windows-1252 for the compressed pieces' bytes 0x80–0x9F ([MS-DOC] 2.4.1); other bytes are
/// their Latin-1 code points.
fn cp1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// Calls `f(ch, fc)` for each character of the main text (CPs `0..ccp_text`) in order, with the
/// byte offset `fc` in the `WordDocument` stream its properties are keyed by. Unpaired UTF-16
/// surrogates become U+FFFD.
pub(crate) fn for_each_char(
    word: &[u8],
    pieces: &[Piece],
    ccp_text: u32,
    mut f: impl FnMut(char, u32) -> Result<(), Error>,
) -> Result<(), Error> {
    for p in pieces {
        if p.cp_start >= ccp_text {
            break;
        }
        let n = (p.cp_end.min(ccp_text) - p.cp_start) as usize;
        let start = p.start as usize;
        if p.compressed {
            for (i, &b) in word.get(start..start + n).unwrap_or_default().iter().enumerate() {
                f(cp1252(b), p.start.saturating_add(i as u32))?;
            }
        } else {
            let units = word.get(start..start + 2 * n).unwrap_or_default();
            let mut i = 0usize;
            while i < n {
                let fc = p.start.saturating_add((i as u32).saturating_mul(2));
                let u = u16_at(units, 2 * i).unwrap_or(0xFFFD);
                let (ch, used) = match u {
                    0xD800..=0xDBFF => match u16_at(units, 2 * i + 2).filter(|_| i + 1 < n) {
                        Some(lo @ 0xDC00..=0xDFFF) => {
                            let c = 0x10000
                                + ((u32::from(u) - 0xD800) << 10)
                                + (u32::from(lo) - 0xDC00);
                            (char::from_u32(c).unwrap_or('\u{FFFD}'), 2)
                        }
                        _ => ('\u{FFFD}', 1),
                    },
                    0xDC00..=0xDFFF => ('\u{FFFD}', 1),
                    u => (char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'), 1),
                };
                f(ch, fc)?;
                i += used;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clx(pieces: &[(u32, u32, u32)], end: u32) -> Vec<u8> {
        let mut plc = Vec::new();
        for (cp, _, _) in pieces {
            plc.extend_from_slice(&cp.to_le_bytes());
        }
        plc.extend_from_slice(&end.to_le_bytes());
        for (_, fc, _) in pieces {
            plc.extend_from_slice(&0u16.to_le_bytes());
            plc.extend_from_slice(&fc.to_le_bytes());
            plc.extend_from_slice(&0u16.to_le_bytes());
        }
        let mut out = vec![2];
        out.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        out.extend_from_slice(&plc);
        out
    }

    #[test]
    fn compressed_and_utf16_pieces() {
        // "ab" compressed at byte 10, then "中" UTF-16 at byte 20.
        let mut word = vec![0u8; 24];
        word[10] = b'a';
        word[11] = 0x93;
        word[20..22].copy_from_slice(&0x4E2Du16.to_le_bytes());
        let table = clx(&[(0, F_COMPRESSED | 20, 0), (2, 20, 0)], 3);
        let pieces = parse(&table, (0, table.len() as u32), word.len(), 3).expect("pieces");
        let mut got = Vec::new();
        for_each_char(&word, &pieces, 3, |c, fc| {
            got.push((c, fc));
            Ok(())
        })
        .expect("chars");
        assert_eq!(got, vec![('a', 10), ('\u{201C}', 11), ('中', 20)]);
    }

    #[test]
    fn pieces_past_the_stream_are_refused() {
        let table = clx(&[(0, 1000, 0)], 10);
        let e = parse(&table, (0, table.len() as u32), 100, 10).expect_err("out of bounds");
        assert!(matches!(e, Error::PieceOutOfBounds { piece: 0, .. }), "{e:?}");
        let table = clx(&[(0, u32::MAX, 0)], u32::MAX);
        assert!(parse(&table, (0, table.len() as u32), 100, 10).is_err());
        // CPs going backwards.
        let table = clx(&[(0, 0, 0), (5, 0, 0)], 2);
        assert!(matches!(
            parse(&table, (0, table.len() as u32), 100, 2),
            Err(Error::Malformed { .. })
        ));
        // The Clx itself past the table stream.
        assert!(matches!(parse(&table, (4, 1 << 30), 100, 2), Err(Error::Malformed { .. })));
        // A Prc with a negative length.
        assert!(parse(&[1, 0xFF, 0xFF, 2], (0, 4), 100, 2).is_err());
    }
}
