//! One table cell, OCR'd on its own: blank when it holds no ink, else read as Chinese; a cell
//! that reads as a number (digits, or letters OCR confuses with digits) is read again with the
//! digits-only engine, and written only when every character is certain.

use gongkai_doc::joins_directly;

use crate::page::Deadline;
use crate::raster::Grey;
use gongkai_tesseract::{Engine, Seg, Symbol};

/// The characters the digits engine may read.
pub(crate) const DIGITS: &str = "0123456789.";

/// Characters a printed number may be read as by the Chinese engine: digits, and the letters,
/// marks and ideographs OCR confuses with them (0/O/D/Q/〇/口, 1/l/I/|/丨/工, 2/Z/乙, 5/S, 6/b,
/// 8/B, 9/g/q).
const DIGITISH: &str = "0123456789.,OoDQ〇口lIi|!丨工SsBbZz乙gq";

/// A symbol is certain when Tesseract gives it at least this confidence (0–100)…
const MIN_CONF: f32 = 75.0;
/// …and no other choice comes within this factor of the best choice's confidence.
const RIVAL: f32 = 0.25;

/// A cell's reading.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CellRead {
    /// The text to lay out.
    pub(crate) text: String,
    /// Whether the reading is uncertain (then `text` is `?`).
    pub(crate) uncertain: bool,
}

impl CellRead {
    /// A cell that could not be read (`?`).
    pub(crate) fn unknown() -> CellRead {
        CellRead { text: "?".to_owned(), uncertain: true }
    }
}

/// Reads the cell `[x0, y0, x1, y1]` (pixels) of `page`.
pub(crate) fn read(
    text_engine: &mut Engine,
    digits_engine: &mut Engine,
    page: &Grey,
    threshold: u8,
    [x0, y0, x1, y1]: [u32; 4],
    dpi: f32,
    deadline: Deadline,
) -> CellRead {
    // Inside the borders (the cell's box runs along the rulings' middles); what is left of a
    // thick or blurred ruling is cleared below. Any more would cut the glyphs of a tight row.
    let inset = (0.01 * dpi).ceil() as u32 + 1;
    if x1 <= x0 + 2 * inset + 2 || y1 <= y0 + 2 * inset + 2 {
        return CellRead { text: String::new(), uncertain: false };
    }
    let mut crop = page.crop(x0 + inset, y0 + inset, x1 - inset, y1 - inset);
    clear_rulings(&mut crop, threshold);
    let ink = crop.px.iter().filter(|&&p| p <= threshold).count();
    // Blank: no more ink than a few specks of noise.
    let area = crop.px.len();
    if ink < (area / 400).max((dpi * dpi / 4000.0) as usize) {
        return CellRead { text: String::new(), uncertain: false };
    }
    let padded = crop.padded((0.1 * dpi) as u32);
    let ppi = dpi.round() as u32;
    let lines = text_engine.recognise(
        &padded.px,
        padded.width,
        padded.height,
        ppi,
        Seg::Block,
        deadline.left_ms(),
    );
    let parts: Vec<String> = lines.iter().map(|l| line_text(&l.symbols)).collect();
    let text = gongkai_doc::join_lines(parts.iter().map(String::as_str), ' ');
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let numeric = !compact.is_empty() && compact.chars().all(|c| DIGITISH.contains(c));
    if !numeric {
        // A label (or ink that reads as nothing: a mark the engine cannot name).
        if compact.is_empty() {
            return CellRead::unknown();
        }
        return CellRead { text, uncertain: false };
    }
    let lines = digits_engine.recognise(
        &padded.px,
        padded.width,
        padded.height,
        ppi,
        Seg::Line,
        deadline.left_ms(),
    );
    let symbols: Vec<&Symbol> = lines.iter().flat_map(|l| &l.symbols).collect();
    if symbols.is_empty() || !symbols.iter().all(|s| certain(s)) {
        return CellRead::unknown();
    }
    let number: String = symbols.iter().map(|s| s.text.as_str()).collect();
    // The Chinese engine's count of characters must agree (a digit lost or doubled is a guess).
    if number.chars().count() != compact.chars().count() {
        return CellRead::unknown();
    }
    CellRead { text: number, uncertain: false }
}

/// Whether a symbol's best reading is a digit Tesseract is sure of.
fn certain(s: &Symbol) -> bool {
    let digit = s.text.chars().count() == 1 && s.text.chars().all(|c| DIGITS.contains(c));
    let rival =
        s.choices.iter().filter(|(t, _)| *t != s.text).any(|(_, c)| *c >= RIVAL * s.conf.max(1.0));
    digit && s.conf >= MIN_CONF && !rival
}

/// Whitens rows and columns of a cell crop that are mostly ink: what is left of a ruling.
fn clear_rulings(crop: &mut Grey, threshold: u8) {
    let (w, h) = (crop.width as usize, crop.height as usize);
    if w == 0 || h == 0 {
        return;
    }
    let rows: Vec<usize> = (0..h)
        .filter(|&y| {
            crop.px[y * w..(y + 1) * w].iter().filter(|&&p| p <= threshold).count() * 10 >= w * 7
        })
        .collect();
    let cols: Vec<usize> = (0..w)
        .filter(|&x| (0..h).filter(|&y| crop.px[y * w + x] <= threshold).count() * 10 >= h * 7)
        .collect();
    for y in rows {
        crop.px[y * w..(y + 1) * w].fill(255);
    }
    for x in cols {
        for y in 0..h {
            crop.px[y * w + x] = 255;
        }
    }
}

/// A text line's symbols as text: words separated by one space, except between characters that
/// join directly (CJK), where Tesseract's spaces are not printed.
pub(crate) fn line_text(symbols: &[Symbol]) -> String {
    let mut out = String::new();
    for s in symbols {
        if s.word_start
            && let (Some(before), Some(after)) = (out.chars().last(), s.text.chars().next())
            && !joins_directly(before, after)
        {
            out.push(' ');
        }
        out.push_str(&s.text);
    }
    out
}
