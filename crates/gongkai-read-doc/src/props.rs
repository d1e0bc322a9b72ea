//! Character and paragraph properties ([MS-DOC] 2.9.33 `PlcBteChpx`, 2.9.34 `PlcBtePapx`, 2.9.42
//! `ChpxFkp`, 2.9.44 `PapxFkp`, 2.6 single property modifiers): only what decides the text as
//! printed and the table structure — hidden and deleted text, special characters and symbols,
//! table depth, cell and row-end marks, cell boundaries and merges.

use crate::Error;
use crate::bytes::{i16_at, slice, u8_at, u16_at, u32_at};

/// Size of a formatted disk page.
const PAGE: usize = 512;
/// Most property runs kept (each page holds at most ~100; a 200 MB file has ~400 000 pages).
pub(crate) const MAX_RUNS: usize = 2_000_000;

// Character sprms.
const SPRM_CF_RMARK_DEL: u16 = 0x0800;
const SPRM_CF_RMARK_INS: u16 = 0x0801;
const SPRM_CF_VANISH: u16 = 0x083C;
const SPRM_CF_SPEC: u16 = 0x0855;
const SPRM_C_SYMBOL: u16 = 0x6A09;
// Paragraph sprms.
const SPRM_PF_IN_TABLE: u16 = 0x2416;
const SPRM_PF_TTP: u16 = 0x2417;
const SPRM_PF_INNER_TABLE_CELL: u16 = 0x244B;
const SPRM_PF_INNER_TTP: u16 = 0x244C;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_P_DTAP: u16 = 0x664A;
const SPRM_P_HUGE_PAPX: u16 = 0x6646;
const SPRM_PCHG_TABS: u16 = 0xC615;
// Table sprms (in the row-end paragraph's properties).
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_T_DEF_TABLE10: u16 = 0xD606;
const SPRM_T_VERT_MERGE: u16 = 0xD62B;
const SPRM_T_MERGE: u16 = 0x5624;

/// Character properties that matter to the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Chp {
    /// Hidden (`fVanish`): not printed.
    pub(crate) vanish: bool,
    /// Deleted with revision marking.
    pub(crate) deleted: bool,
    /// Inserted with revision marking.
    pub(crate) inserted: bool,
    /// A special character (`fSpec`): picture, footnote reference, field mark, symbol…
    pub(crate) special: bool,
    /// The character of a symbol (`sprmCSymbol`).
    pub(crate) symbol: Option<char>,
}

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

/// One cell's definition in a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TcDef {
    /// Merged into the cell before it (legacy horizontal merge).
    pub(crate) merged: bool,
    pub(crate) vmerge: VMerge,
}

/// A table row's definition: cell boundaries (twips) and cell flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tap {
    pub(crate) boundaries: Vec<i16>,
    pub(crate) cells: Vec<TcDef>,
}

/// Paragraph properties that matter to the structure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pap {
    pub(crate) in_table: bool,
    /// The row-end mark of a table at depth 1.
    pub(crate) ttp: bool,
    /// Table depth.
    pub(crate) itap: i32,
    /// The end of a cell of a nested table.
    pub(crate) inner_cell: bool,
    /// The row-end mark of a nested table.
    pub(crate) inner_ttp: bool,
    /// The row's definition (on row-end marks).
    pub(crate) tap: Option<Tap>,
}

/// Property runs keyed by byte offsets (`fc`) in the `WordDocument` stream, sorted.
#[derive(Debug)]
pub(crate) struct Runs<T> {
    runs: Vec<(u32, u32, T)>,
}

impl<T> Runs<T> {
    /// The properties of the character at `fc`.
    pub(crate) fn at(&self, fc: u32) -> Option<&T> {
        let i = self.runs.partition_point(|r| r.1 <= fc);
        self.runs.get(i).filter(|r| r.0 <= fc).map(|r| &r.2)
    }
}

/// Calls `f(sprm, operand)` for each property modifier of `grpprl`, stopping at the first one
/// that does not fit.
pub(crate) fn each_sprm(g: &[u8], mut f: impl FnMut(u16, &[u8])) {
    let mut at = 0usize;
    while let Some(op) = u16_at(g, at) {
        let after = at + 2;
        let (skip, len) = match op >> 13 {
            0 | 1 => (0, 1),
            2 | 4 | 5 => (0, 2),
            3 => (0, 4),
            7 => (0, 3),
            _ => match op {
                // The operand's own length field is 2 bytes and counts one byte too many.
                SPRM_T_DEF_TABLE | SPRM_T_DEF_TABLE10 => match u16_at(g, after) {
                    Some(cb) => (2, usize::from(cb).saturating_sub(1)),
                    None => return,
                },
                _ => match u8_at(g, after) {
                    // sprmPChgTabs with length 255 has a layout of its own; nothing after it
                    // is needed.
                    Some(255) if op == SPRM_PCHG_TABS => return,
                    Some(cb) => (1, usize::from(cb)),
                    None => return,
                },
            },
        };
        let Some(operand) = slice(g, after + skip, len) else { return };
        f(op, operand);
        at = after + skip + len;
    }
}

fn apply_chp(chp: &mut Chp, op: u16, v: &[u8]) {
    let flag = |v: &[u8]| match v.first() {
        Some(0) | None => false,
        Some(1) => true,
        // 0x80: as the style says (styles are not read: not set); 0x81: the opposite.
        Some(0x80) => false,
        Some(_) => true,
    };
    match op {
        SPRM_CF_RMARK_DEL => chp.deleted = flag(v),
        SPRM_CF_RMARK_INS => chp.inserted = flag(v),
        SPRM_CF_VANISH => chp.vanish = flag(v),
        SPRM_CF_SPEC => chp.special = flag(v),
        SPRM_C_SYMBOL => {
            chp.symbol = u16_at(v, 2).and_then(|c| char::from_u32(u32::from(c)));
        }
        _ => {}
    }
}

fn apply_pap(pap: &mut Pap, op: u16, v: &[u8], data: &[u8], depth: u8) {
    let flag = v.first().is_some_and(|b| *b != 0);
    let int = || u32_at(v, 0).map(|x| i32::from_le_bytes(x.to_le_bytes())).unwrap_or(0);
    match op {
        SPRM_PF_IN_TABLE => pap.in_table = flag,
        SPRM_PF_TTP => pap.ttp = flag,
        SPRM_PF_INNER_TABLE_CELL => pap.inner_cell = flag,
        SPRM_PF_INNER_TTP => pap.inner_ttp = flag,
        SPRM_P_ITAP => pap.itap = int().clamp(0, 64),
        SPRM_P_DTAP => pap.itap = pap.itap.saturating_add(int()).clamp(0, 64),
        SPRM_P_HUGE_PAPX if depth == 0 => {
            // The properties are in the Data stream: a 2-byte length, then the grpprl.
            let Some(fc) = u32_at(v, 0).and_then(|f| usize::try_from(f).ok()) else { return };
            let Some(cb) = u16_at(data, fc) else { return };
            if let Some(g) = slice(data, fc + 2, usize::from(cb)) {
                each_sprm(g, |op, v| apply_pap(pap, op, v, data, 1));
            }
        }
        SPRM_T_DEF_TABLE | SPRM_T_DEF_TABLE10 => {
            let n = usize::from(u8_at(v, 0).unwrap_or(0));
            let boundaries: Vec<i16> = (0..=n).map_while(|i| i16_at(v, 1 + 2 * i)).collect();
            if boundaries.len() != n + 1 {
                return;
            }
            let tc_start = 1 + 2 * (n + 1);
            let cells = (0..n)
                .map(|i| {
                    let flags = u16_at(v, tc_start + 20 * i).unwrap_or(0);
                    TcDef {
                        merged: flags & 0x0002 != 0,
                        vmerge: match (flags & 0x0020 != 0, flags & 0x0040 != 0) {
                            (true, true) => VMerge::Restart,
                            (true, false) => VMerge::Continue,
                            _ => VMerge::None,
                        },
                    }
                })
                .collect();
            pap.tap = Some(Tap { boundaries, cells });
        }
        SPRM_T_VERT_MERGE => {
            let (Some(itc), Some(flags)) = (u8_at(v, 0), u8_at(v, 1)) else { return };
            if let Some(cell) = pap.tap.as_mut().and_then(|t| t.cells.get_mut(usize::from(itc))) {
                cell.vmerge = match flags {
                    1 => VMerge::Continue,
                    3 => VMerge::Restart,
                    _ => VMerge::None,
                };
            }
        }
        SPRM_T_MERGE => {
            let (Some(first), Some(lim)) = (u8_at(v, 0), u8_at(v, 1)) else { return };
            if let Some(t) = pap.tap.as_mut() {
                for i in usize::from(first) + 1..usize::from(lim) {
                    if let Some(c) = t.cells.get_mut(i) {
                        c.merged = true;
                    }
                }
            }
        }
        _ => {}
    }
}

/// The FKP pages named by the bin table at `bte` in the table stream, each once.
fn pages<'a>(table: &[u8], (fc, lcb): (u32, u32), word: &'a [u8]) -> Result<Vec<&'a [u8]>, Error> {
    if lcb == 0 {
        return Ok(Vec::new());
    }
    let bad = || {
        Error::malformed(
            "属性索引表（PlcBte）超出表流范围或长度不符",
            "property bin table (PlcBte) lies past the table stream or has an inconsistent length",
        )
    };
    let plc = slice(table, fc as usize, lcb as usize).ok_or_else(bad)?;
    if plc.len() < 12 || (plc.len() - 4) % 8 != 0 {
        return Err(bad());
    }
    let n = (plc.len() - 4) / 8;
    let mut pns: Vec<u32> = (0..n)
        .filter_map(|i| u32_at(plc, (n + 1) * 4 + i * 4))
        .map(|pn| pn & 0x003F_FFFF)
        .collect();
    pns.sort_unstable();
    pns.dedup();
    pns.iter()
        .map(|&pn| {
            let at = (pn as usize).checked_mul(PAGE).ok_or_else(bad)?;
            slice(word, at, PAGE).ok_or_else(|| {
                Error::malformed(
                    "属性页超出 WordDocument 流范围",
                    "a property page lies past the end of the WordDocument stream",
                )
            })
        })
        .collect()
}

/// The FC boundaries of an FKP page with `count` runs, checked to fit the page.
fn fkp_fcs(page: &[u8], entry_size: usize) -> Option<(usize, Vec<u32>)> {
    let count = usize::from(*page.last()?);
    if (count + 1) * 4 + count * entry_size > PAGE - 1 {
        return None;
    }
    Some((count, (0..=count).filter_map(|i| u32_at(page, i * 4)).collect()))
}

fn push<T>(runs: &mut Vec<(u32, u32, T)>, start: u32, end: u32, value: T) -> Result<(), Error> {
    if runs.len() >= MAX_RUNS {
        return Err(Error::TooMany {
            what: crate::Counted::PropertyRuns,
            count: runs.len() + 1,
            limit: MAX_RUNS,
        });
    }
    if start < end {
        runs.push((start, end, value));
    }
    Ok(())
}

fn finish<T>(mut runs: Vec<(u32, u32, T)>) -> Runs<T> {
    runs.sort_by_key(|r| r.0);
    // Overlapping runs (a damaged file) are cut so that lookups stay well defined.
    let mut prev_end = 0u32;
    runs.retain_mut(|r| {
        r.0 = r.0.max(prev_end);
        prev_end = prev_end.max(r.1);
        r.0 < r.1
    });
    Runs { runs }
}

/// Character properties from the `PlcBteChpx` at `bte`.
pub(crate) fn chpx(table: &[u8], bte: (u32, u32), word: &[u8]) -> Result<Runs<Chp>, Error> {
    let mut runs = Vec::new();
    for page in pages(table, bte, word)? {
        let Some((count, fcs)) = fkp_fcs(page, 1) else { continue };
        for i in 0..count {
            let (Some(&start), Some(&end)) = (fcs.get(i), fcs.get(i + 1)) else { break };
            let mut chp = Chp::default();
            let off = usize::from(u8_at(page, (count + 1) * 4 + i).unwrap_or(0)) * 2;
            if off != 0
                && let Some(cb) = u8_at(page, off)
                && let Some(g) = slice(page, off + 1, usize::from(cb))
            {
                each_sprm(g, |op, v| apply_chp(&mut chp, op, v));
            }
            push(&mut runs, start, end, chp)?;
        }
    }
    Ok(finish(runs))
}

/// Paragraph properties from the `PlcBtePapx` at `bte`; `data` is the `Data` stream (empty if
/// there is none).
pub(crate) fn papx(
    table: &[u8],
    bte: (u32, u32),
    word: &[u8],
    data: &[u8],
) -> Result<Runs<Pap>, Error> {
    let mut runs = Vec::new();
    for page in pages(table, bte, word)? {
        let Some((count, fcs)) = fkp_fcs(page, 13) else { continue };
        for i in 0..count {
            let (Some(&start), Some(&end)) = (fcs.get(i), fcs.get(i + 1)) else { break };
            let mut pap = Pap::default();
            let off = usize::from(u8_at(page, (count + 1) * 4 + i * 13).unwrap_or(0)) * 2;
            let grpprl_and_istd = match u8_at(page, off) {
                _ if off == 0 => None,
                Some(0) => {
                    u8_at(page, off + 1).and_then(|cb| slice(page, off + 2, 2 * usize::from(cb)))
                }
                Some(cb) => slice(page, off + 1, (2 * usize::from(cb)).saturating_sub(1)),
                None => None,
            };
            if let Some(g) = grpprl_and_istd.and_then(|g| g.get(2..)) {
                each_sprm(g, |op, v| apply_pap(&mut pap, op, v, data, 0));
            }
            if pap.itap == 0 && pap.in_table {
                pap.itap = 1;
            }
            push(&mut runs, start, end, pap)?;
        }
    }
    Ok(finish(runs))
}

#[cfg(test)]
pub(crate) mod tests_support {
    /// Property runs from a list, for tests.
    pub(crate) fn runs<T>(v: Vec<(u32, u32, T)>) -> super::Runs<T> {
        super::finish(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprm_sizes() {
        let mut g = Vec::new();
        g.extend_from_slice(&SPRM_CF_VANISH.to_le_bytes());
        g.push(1);
        g.extend_from_slice(&SPRM_C_SYMBOL.to_le_bytes());
        g.extend_from_slice(&[0, 0, 0x2D, 0x4E]);
        g.extend_from_slice(&0xCA47u16.to_le_bytes()); // a variable-length sprm
        g.extend_from_slice(&[2, 9, 9]);
        g.extend_from_slice(&SPRM_CF_RMARK_DEL.to_le_bytes());
        g.push(0x81);
        let mut chp = Chp::default();
        let mut seen = Vec::new();
        each_sprm(&g, |op, v| {
            seen.push(op);
            apply_chp(&mut chp, op, v);
        });
        assert_eq!(seen, vec![SPRM_CF_VANISH, SPRM_C_SYMBOL, 0xCA47, SPRM_CF_RMARK_DEL]);
        assert_eq!(
            chp,
            Chp {
                vanish: true,
                deleted: true,
                inserted: false,
                special: false,
                symbol: Some('中')
            }
        );
        // A truncated operand stops the walk.
        let mut n = 0;
        each_sprm(&[0x08, 0xD6, 0xFF, 0xFF, 1], |_, _| n += 1);
        assert_eq!(n, 0);
    }

    #[test]
    fn table_definition_and_merges() {
        // Three cells: boundaries 0, 100, 200, 300; the second continues a vertical merge.
        let mut op = vec![3u8];
        for b in [0i16, 100, 200, 300] {
            op.extend_from_slice(&b.to_le_bytes());
        }
        for flags in [0u16, 0x0020, 0x0002] {
            let mut tc = [0u8; 20];
            tc[0..2].copy_from_slice(&flags.to_le_bytes());
            op.extend_from_slice(&tc);
        }
        let mut g = SPRM_T_DEF_TABLE.to_le_bytes().to_vec();
        g.extend_from_slice(&(op.len() as u16 + 1).to_le_bytes());
        g.extend_from_slice(&op);
        g.extend_from_slice(&SPRM_PF_TTP.to_le_bytes());
        g.push(1);
        let mut pap = Pap::default();
        each_sprm(&g, |o, v| apply_pap(&mut pap, o, v, &[], 0));
        assert!(pap.ttp);
        let tap = pap.tap.expect("tap");
        assert_eq!(tap.boundaries, vec![0, 100, 200, 300]);
        assert_eq!(tap.cells[1].vmerge, VMerge::Continue);
        assert!(tap.cells[2].merged);
    }

    #[test]
    fn runs_lookup() {
        let r = finish(vec![(10, 20, 'b'), (0, 10, 'a'), (15, 30, 'c')]);
        assert_eq!(r.at(0), Some(&'a'));
        assert_eq!(r.at(19), Some(&'b'));
        assert_eq!(r.at(20), Some(&'c'));
        assert_eq!(r.at(30), None);
    }
}
