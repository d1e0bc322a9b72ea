//! The File Information Block at the start of the `WordDocument` stream ([MS-DOC] 2.5): which
//! table stream holds the document's tables, whether the file is encrypted, how long the main
//! text is, and where the piece table and the property tables are.

use crate::Error;
use crate::bytes::{u16_at, u32_at};

/// `wIdent` of a Word 97 or later document.
const WORD_IDENT: u16 = 0xA5EC;
/// The first `nFib` of Word 97; Word 6.0 / 95 files have lower ones.
const NFIB_WORD97: u16 = 0x00C1;

/// `fEncrypted` in `FibBase`'s flags.
const F_ENCRYPTED: u16 = 0x0100;
/// `fWhichTblStm`: the table stream is `1Table` (else `0Table`).
const F_WHICH_TBL_STM: u16 = 0x0200;
/// `fObfuscated`: XOR obfuscation.
const F_OBFUSCATED: u16 = 0x8000;

/// Index of `ccpText` in `FibRgLw97`.
const LW_CCP_TEXT: usize = 3;
/// Index of `ccpTxbx` (the text boxes' story) in `FibRgLw97`.
const LW_CCP_TXBX: usize = 9;
/// Indexes of the `(fc, lcb)` pairs read in `FibRgFcLcb97`.
const FC_PLCF_BTE_CHPX: usize = 12;
const FC_PLCF_BTE_PAPX: usize = 13;
const FC_CLX: usize = 33;

/// What the reader needs from the FIB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fib {
    /// The table stream's name.
    pub(crate) table_stream: &'static str,
    /// Characters of the main document text.
    pub(crate) ccp_text: u32,
    /// Characters of the text boxes' story (not read).
    pub(crate) ccp_txbx: u32,
    /// The piece table (`Clx`) in the table stream: offset and length.
    pub(crate) clx: (u32, u32),
    /// The bin table of character properties in the table stream.
    pub(crate) bte_chpx: (u32, u32),
    /// The bin table of paragraph properties in the table stream.
    pub(crate) bte_papx: (u32, u32),
}

/// Reads the FIB of a `WordDocument` stream.
pub(crate) fn parse(word: &[u8]) -> Result<Fib, Error> {
    let damaged = |zh: &str, en: &str| {
        Error::malformed(
            format!("文件信息块（FIB）{zh}"),
            format!("file information block (FIB) {en}"),
        )
    };
    let ident = u16_at(word, 0).ok_or_else(|| damaged("不完整", "is truncated"))?;
    if ident != WORD_IDENT {
        return Err(Error::malformed(
            "WordDocument 流不是 Word 文档（标识不符）",
            "the WordDocument stream is not a Word document (wrong identifier)",
        ));
    }
    let n_fib = u16_at(word, 2).ok_or_else(|| damaged("不完整", "is truncated"))?;
    let flags = u16_at(word, 0x0A).ok_or_else(|| damaged("不完整", "is truncated"))?;
    if flags & (F_ENCRYPTED | F_OBFUSCATED) != 0 {
        return Err(Error::Encrypted);
    }
    if n_fib < NFIB_WORD97 {
        return Err(Error::UnsupportedVariant(crate::Variant::Word6));
    }
    // FibBase (32 bytes), then csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcbBlob.
    let mut at = 32usize;
    let csw = usize::from(u16_at(word, at).ok_or_else(|| damaged("不完整", "is truncated"))?);
    at = at.checked_add(2 + csw * 2).ok_or_else(|| damaged("长度溢出", "length overflows"))?;
    let cslw = usize::from(u16_at(word, at).ok_or_else(|| damaged("不完整", "is truncated"))?);
    let lw_start = at + 2;
    if cslw <= LW_CCP_TEXT {
        return Err(damaged("缺少正文长度", "has no main text length"));
    }
    let ccp_text = u32_at(word, lw_start + LW_CCP_TEXT * 4)
        .ok_or_else(|| damaged("不完整", "is truncated"))?;
    if i32::try_from(ccp_text).is_err() {
        return Err(damaged("正文长度为负", "has a negative main text length"));
    }
    let ccp_txbx =
        if cslw > LW_CCP_TXBX { u32_at(word, lw_start + LW_CCP_TXBX * 4).unwrap_or(0) } else { 0 };
    at = lw_start + cslw * 4;
    let cb_rg_fc_lcb =
        usize::from(u16_at(word, at).ok_or_else(|| damaged("不完整", "is truncated"))?);
    if cb_rg_fc_lcb <= FC_CLX {
        return Err(damaged("缺少片段表位置", "has no piece table position"));
    }
    let blob = at + 2;
    let pair = |i: usize| -> Result<(u32, u32), Error> {
        let fc = u32_at(word, blob + i * 8).ok_or_else(|| damaged("不完整", "is truncated"))?;
        let lcb =
            u32_at(word, blob + i * 8 + 4).ok_or_else(|| damaged("不完整", "is truncated"))?;
        Ok((fc, lcb))
    };
    Ok(Fib {
        table_stream: if flags & F_WHICH_TBL_STM != 0 { "1Table" } else { "0Table" },
        ccp_text,
        ccp_txbx,
        clx: pair(FC_CLX)?,
        bte_chpx: pair(FC_PLCF_BTE_CHPX)?,
        bte_papx: pair(FC_PLCF_BTE_PAPX)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal Word 97 FIB: csw 14, cslw 22, cbRgFcLcb 93.
    fn fib(flags: u16, ccp_text: u32, clx: (u32, u32)) -> Vec<u8> {
        let mut b = vec![0u8; 32];
        b[0..2].copy_from_slice(&WORD_IDENT.to_le_bytes());
        b[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        b[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
        b.extend_from_slice(&14u16.to_le_bytes());
        b.extend_from_slice(&[0; 28]);
        b.extend_from_slice(&22u16.to_le_bytes());
        let mut lw = [0u32; 22];
        lw[3] = ccp_text;
        for v in lw {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&93u16.to_le_bytes());
        let mut pairs = [(0u32, 0u32); 93];
        pairs[FC_CLX] = clx;
        for (fc, lcb) in pairs {
            b.extend_from_slice(&fc.to_le_bytes());
            b.extend_from_slice(&lcb.to_le_bytes());
        }
        b
    }

    #[test]
    fn reads_the_fields_used() {
        let f = parse(&fib(F_WHICH_TBL_STM, 42, (7, 21))).expect("fib");
        assert_eq!(f.table_stream, "1Table");
        assert_eq!(f.ccp_text, 42);
        assert_eq!(f.clx, (7, 21));
        assert!(matches!(parse(&fib(F_ENCRYPTED, 1, (0, 0))), Err(Error::Encrypted)));
        assert!(matches!(parse(&fib(F_OBFUSCATED, 1, (0, 0))), Err(Error::Encrypted)));
        let mut old = fib(0, 1, (0, 0));
        old[2] = 0x65;
        old[3] = 0;
        assert!(matches!(parse(&old), Err(Error::UnsupportedVariant(crate::Variant::Word6))));
        assert!(matches!(parse(&[0xEC, 0xA5, 0xC1]), Err(Error::Malformed { .. })));
        assert!(matches!(
            parse(b"not a fib at all, not at all....."),
            Err(Error::Malformed { .. })
        ));
    }
}
