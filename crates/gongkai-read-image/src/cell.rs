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

/// The resolution cells are read at (lower-resolution scans are enlarged to it).
const READ_DPI: f32 = 300.0;

/// Mean confidence below which a label is not trusted (and no symbol may fall below half of it).
const MIN_LABEL_CONF: f32 = 70.0;

/// Whether a non-numeric cell holds digits beyond a leading item number (`1.`, `（一）` has none):
/// a number run into garbage, as a seal or a stain makes it.
fn stray_digits(compact: &str) -> bool {
    let after_digits = compact.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = after_digits.trim_start_matches(['.', '．', '、']);
    let numbered = after_digits.len() < compact.len() && rest.len() < after_digits.len();
    let digits_after = rest.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    digits_after || (!numbered && compact.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// A symbol is certain when Tesseract gives it at least this confidence (0–100)…
const MIN_CONF: f32 = 75.0;
/// …and no other choice comes within this factor of the best choice's confidence.
const RIVAL: f32 = 0.25;

/// Most readings offered for one uncertain number: beyond, the cell is too unsure to offer any.
const MAX_CHOICES: usize = 8;
/// A rival choice of the digits engine is offered when its confidence is at least this share of
/// the best choice's.
const OFFERED: f32 = 0.05;

/// A cell's reading.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CellRead {
    /// The text to lay out.
    pub(crate) text: String,
    /// Whether the reading is uncertain (then `text` is `?`).
    pub(crate) uncertain: bool,
    /// For an uncertain number, the numbers it may be ([`gongkai_read_pdf::scan::ScanCell`]).
    pub(crate) choices: Vec<String>,
}

impl CellRead {
    /// A cell that could not be read (`?`).
    pub(crate) fn unknown() -> CellRead {
        CellRead { text: "?".to_owned(), uncertain: true, choices: Vec::new() }
    }

    /// A cell read with certainty.
    fn certain(text: String) -> CellRead {
        CellRead { text, uncertain: false, choices: Vec::new() }
    }
}

/// The deskewed page a cell is cut from.
#[derive(Clone, Copy)]
pub(crate) struct Sheet<'a> {
    /// The page, as Tesseract reads it.
    pub(crate) page: &'a Grey,
    /// The page smoothed, where ink is told from paper.
    pub(crate) smooth: &'a Grey,
    /// Seal ink, for a colour scan.
    pub(crate) seal: Option<&'a Grey>,
    /// Ink is at or below this grey.
    pub(crate) threshold: u8,
    /// The page's resolution.
    pub(crate) dpi: f32,
}

/// Reads the cell `[x0, y0, x1, y1]` (pixels) of the sheet.
pub(crate) fn read(
    text_engine: &mut Engine,
    digits_engine: &mut Engine,
    sheet: &Sheet<'_>,
    [x0, y0, x1, y1]: [u32; 4],
    deadline: Deadline,
) -> CellRead {
    let Sheet { page, smooth, seal, threshold, dpi } = *sheet;
    // Inside the borders (the cell's box runs along the rulings' middles); what is left of a
    // thick or blurred ruling is cleared below. Any more would cut the glyphs of a tight row.
    let inset = (0.01 * dpi).ceil() as u32 + 1;
    if x1 <= x0 + 2 * inset + 2 || y1 <= y0 + 2 * inset + 2 {
        return CellRead::certain(String::new());
    }
    let (cx0, cy0, cx1, cy1) = (x0 + inset, y0 + inset, x1 - inset, y1 - inset);
    let mut crop = page.crop(cx0, cy0, cx1, cy1);
    let mut ink_crop = smooth.crop(cx0, cy0, cx1, cy1);
    let cleared = clear_rulings(&mut ink_crop, threshold);
    for &(row, y) in &cleared {
        let w = crop.width as usize;
        if row {
            crop.px[y * w..(y + 1) * w].fill(255);
        } else {
            for yy in 0..crop.height as usize {
                crop.px[yy * w + y] = 255;
            }
        }
    }
    let sealed = seal.is_some_and(|seal| {
        let red = seal.crop(x0, y0, x1, y1);
        red.px.iter().filter(|&&p| p < 128).count() * 100 > red.px.len()
    });
    let ink = ink_crop.px.iter().filter(|&&p| p <= threshold).count();
    // Blank: no more ink than a few specks of noise.
    let area = crop.px.len();
    if ink < (area / 400).max((dpi * dpi / 4000.0) as usize) {
        if sealed {
            return CellRead::unknown();
        }
        return CellRead::certain(String::new());
    }
    // Tesseract reads best at about 300 dpi: a lower-resolution cell is enlarged first.
    let (crop, dpi) =
        if dpi < READ_DPI * 0.9 { (crop.scaled(READ_DPI / dpi), READ_DPI) } else { (crop, dpi) };
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
        // A label (or ink that reads as nothing: a mark the engine cannot name). A label read
        // with little confidence is not offered to the recognizer, whose approximate label
        // matching could take a garbled label for another row's; nor is a digit mixed with
        // other characters outside a label's numbering (`1.`), which would be read as a value.
        let symbols: Vec<&Symbol> = lines.iter().flat_map(|l| &l.symbols).collect();
        let mean = symbols.iter().map(|s| s.conf).sum::<f32>() / symbols.len().max(1) as f32;
        let weak = symbols.iter().any(|s| s.conf < MIN_LABEL_CONF / 2.0);
        if compact.is_empty() || mean < MIN_LABEL_CONF || weak || stray_digits(&compact) {
            return CellRead::unknown();
        }
        // A bar is never printed in a label: it is a ruling's remnant or a misread 1/l.
        return CellRead::certain(text.replace('|', ""));
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
    let number: String = symbols.iter().map(|s| s.text.as_str()).collect();
    // Every character certain, and the Chinese engine's count of characters agrees (a digit lost
    // or doubled is a guess). Under seal ink a digit may have faded with the red and be missed
    // altogether, which no confidence shows: such a number is never certain, and its readings
    // are left to the table's rules.
    if !sealed
        && !symbols.is_empty()
        && symbols.iter().all(|s| certain(s))
        && number.chars().count() == compact.chars().count()
    {
        return CellRead::certain(number);
    }
    CellRead { choices: choices(&symbols, &compact), ..CellRead::unknown() }
}

/// The numbers an uncertain cell may print, most likely first: every combination of each
/// character's digit choices the digits engine offered (its best, and rivals with at least
/// [`OFFERED`] of its confidence), and the Chinese engine's reading with OCR confusions taken as
/// the digits they resemble. None when there are more than [`MAX_CHOICES`] — too unsure to help.
/// These are only candidates: the recognizer takes one when the table's identities confirm it.
fn choices(symbols: &[&Symbol], compact: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for s in symbols {
        let floor = OFFERED * s.conf.max(1.0);
        let mut options: Vec<&str> = Vec::new();
        let offered = std::iter::once((s.text.as_str(), s.conf))
            .chain(s.choices.iter().map(|(t, c)| (t.as_str(), *c)));
        for (t, c) in offered {
            let digit = t.chars().count() == 1 && t.chars().all(|c| DIGITS.contains(c));
            if digit && c >= floor && !options.contains(&t) {
                options.push(t);
            }
        }
        if options.is_empty() || out.len() * options.len() > MAX_CHOICES {
            return Vec::new();
        }
        out = out.iter().flat_map(|p| options.iter().map(move |o| format!("{p}{o}"))).collect();
    }
    if symbols.is_empty() {
        out.clear();
    }
    if let Some(mapped) = compact.chars().map(digit_like).collect::<Option<String>>()
        && !out.contains(&mapped)
    {
        out.push(mapped);
    }
    out.retain(|n| well_formed(n));
    if out.len() > MAX_CHOICES { Vec::new() } else { out }
}

/// The digit an OCR'd character is commonly mistaken for (O for 0, l for 1), or the digit itself.
fn digit_like(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' | '.' => c,
        'O' | 'o' | 'D' | 'Q' | '〇' | '口' => '0',
        'l' | 'I' | 'i' | '|' | '!' | '丨' | '工' => '1',
        'Z' | 'z' | '乙' => '2',
        'S' | 's' => '5',
        'b' => '6',
        'B' => '8',
        'g' | 'q' => '9',
        _ => return None,
    })
}

/// Whether `n` is how a number is printed: digits with at most one inner decimal point and no
/// leading zero (`0` and `0.5` are numbers, `05` and `1.` are not).
fn well_formed(n: &str) -> bool {
    let (int, frac) = match n.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (n, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    digits(int) && (int == "0" || !int.starts_with('0')) && frac.is_none_or(digits)
}

/// Whether a symbol's best reading is a digit Tesseract is sure of.
fn certain(s: &Symbol) -> bool {
    let digit = s.text.chars().count() == 1 && s.text.chars().all(|c| DIGITS.contains(c));
    let rival =
        s.choices.iter().filter(|(t, _)| *t != s.text).any(|(_, c)| *c >= RIVAL * s.conf.max(1.0));
    digit && s.conf >= MIN_CONF && !rival
}

/// Whitens rows and columns of a cell crop that are mostly ink: what is left of a ruling.
/// Returns them (`true` for a row, and its index).
fn clear_rulings(crop: &mut Grey, threshold: u8) -> Vec<(bool, usize)> {
    let (w, h) = (crop.width as usize, crop.height as usize);
    if w == 0 || h == 0 {
        return Vec::new();
    }
    let rows: Vec<usize> = (0..h)
        .filter(|&y| {
            crop.px[y * w..(y + 1) * w].iter().filter(|&&p| p <= threshold).count() * 10 >= w * 7
        })
        .collect();
    let cols: Vec<usize> = (0..w)
        .filter(|&x| (0..h).filter(|&y| crop.px[y * w + x] <= threshold).count() * 10 >= h * 7)
        .collect();
    for &y in &rows {
        crop.px[y * w..(y + 1) * w].fill(255);
    }
    for &x in &cols {
        for y in 0..h {
            crop.px[y * w + x] = 255;
        }
    }
    rows.into_iter().map(|y| (true, y)).chain(cols.into_iter().map(|x| (false, x))).collect()
}

/// A text line's symbols as text: words separated by one space, except between characters that
/// join directly (CJK), where Tesseract's spaces are not printed.
pub(crate) fn line_text(symbols: &[Symbol]) -> String {
    let mut out = String::new();
    for s in symbols.iter().filter(|s| s.text != "|") {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(text: &str, conf: f32, rivals: &[(&str, f32)]) -> Symbol {
        let mut choices = vec![(text.to_owned(), conf)];
        choices.extend(rivals.iter().map(|(t, c)| ((*t).to_owned(), *c)));
        Symbol { text: text.to_owned(), conf, choices, word_start: false }
    }

    #[test]
    fn an_uncertain_number_offers_each_characters_rivals_and_the_chinese_reading() {
        let one = sym("1", 96.0, &[]);
        let five = sym("5", 60.0, &[("6", 30.0), ("8", 1.0)]);
        // 8 is below 5 % of 60: not offered. The Chinese engine read `1S`: 15, already there.
        assert_eq!(choices(&[&one, &five], "1S"), ["15", "16"]);
        // A digit the digits engine lost: the Chinese engine's three characters are a reading.
        assert_eq!(choices(&[&one, &five], "1O5"), ["15", "16", "105"]);
        // Nothing read by the digits engine: only the Chinese reading, if it maps to digits.
        assert_eq!(choices(&[], "l2"), ["12"]);
        assert!(choices(&[], "十二").is_empty());
    }

    #[test]
    fn too_many_readings_or_malformed_numbers_are_not_offered() {
        let unsure = sym("3", 40.0, &[("8", 35.0), ("9", 30.0)]);
        // 3 × 3 = 9 readings > 8.
        assert!(choices(&[&unsure, &unsure], "").is_empty());
        let zero = sym("0", 50.0, &[("6", 40.0)]);
        let seven = sym("7", 99.0, &[]);
        // `07` has a leading zero; `67` is a number.
        assert_eq!(choices(&[&zero, &seven], ""), ["67"]);
        assert!(well_formed("0") && well_formed("0.5") && well_formed("120"));
        assert!(!well_formed("05") && !well_formed("1.") && !well_formed("1.2.3"));
        assert!(!well_formed("") && !well_formed("."));
    }

    #[test]
    fn digits_outside_an_item_number_are_stray() {
        assert!(!stray_digits("1.属于国家秘密"));
        assert!(!stray_digits("（一）予以公开"));
        assert!(!stray_digits("行政许可"));
        assert!(stray_digits("2Ps形"));
        assert!(stray_digits("2293，人末"));
        assert!(stray_digits("行政2许可"));
    }
}
