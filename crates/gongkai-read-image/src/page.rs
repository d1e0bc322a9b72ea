//! One scanned page, OCR'd: deskewed, its ruled tables found, every cell read on its own (digits
//! for value cells, Chinese for labels), the text outside the tables read line by line.

use std::time::Instant;

use gongkai_read_pdf::scan::{ScanCell, ScanLine, ScanPage};

use crate::cell::{self, CellRead};
use crate::grid;
use crate::raster::{self, Scan};
use gongkai_tesseract::{Engine, Seg};

/// Largest skew searched, degrees.
const MAX_SKEW: f32 = 3.0;
/// Smallest skew corrected, degrees.
const MIN_SKEW: f32 = 0.05;

/// The two engines a document needs, made when first needed.
#[derive(Default)]
pub(crate) struct Engines {
    text: Option<Engine>,
    digits: Option<Engine>,
    /// Set when an engine could not be made (then no page is read).
    pub(crate) unavailable: Option<String>,
}

impl Engines {
    /// Both engines, or `None` when Tesseract or a model is missing.
    pub(crate) fn get(&mut self) -> Option<(&mut Engine, &mut Engine)> {
        if self.unavailable.is_some() {
            return None;
        }
        if self.text.is_none() {
            match Engine::new("chi_sim", None) {
                Ok(e) => self.text = Some(e),
                Err(e) => {
                    self.unavailable = Some(e.to_string());
                    return None;
                }
            }
        }
        if self.digits.is_none() {
            match Engine::new("eng", Some(cell::DIGITS)) {
                Ok(e) => self.digits = Some(e),
                Err(e) => {
                    self.unavailable = Some(e.to_string());
                    return None;
                }
            }
        }
        self.text.as_mut().zip(self.digits.as_mut())
    }
}

/// The time left for OCR in a document.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    /// When the document's OCR must end.
    pub(crate) until: Instant,
}

impl Deadline {
    /// Milliseconds left (0 when past).
    pub(crate) fn left_ms(&self) -> u32 {
        let left = self.until.saturating_duration_since(Instant::now());
        u32::try_from(left.as_millis()).unwrap_or(u32::MAX)
    }
}

/// What reading a page found, besides its content.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PageStats {
    /// Skew corrected, degrees.
    pub(crate) skew: f32,
    /// Cells read.
    pub(crate) cells: usize,
    /// Cells whose reading is uncertain (left `?`).
    pub(crate) uncertain: usize,
    /// Whether the time ran out on this page (cells not read are `?`).
    pub(crate) out_of_time: bool,
    /// Ruled grids left out as too large (more than [`grid::MAX_TABLE_CELLS`] cells) or too
    /// complex to search.
    pub(crate) too_large: usize,
}

/// Reads one page image at `dpi`.
pub(crate) fn read(
    engines: (&mut Engine, &mut Engine),
    scan: Scan,
    dpi: f32,
    deadline: Deadline,
) -> (ScanPage, PageStats) {
    let Scan { grey: page, seal } = scan;
    let (text_engine, digits_engine) = engines;
    let mut stats = PageStats::default();
    // Ink is found on the smoothed page (noise averaged away); Tesseract reads the page itself.
    let smooth = page.smoothed();
    let threshold = smooth.otsu();
    let angle = raster::skew(&smooth.ink(threshold), page.width, page.height, MAX_SKEW);
    let (page, smooth, seal) = if angle.abs() >= MIN_SKEW {
        let p = page.rotated(angle);
        let s = p.smoothed();
        (p, s, seal.map(|r| r.rotated(angle)))
    } else {
        (page, smooth, seal)
    };
    let threshold = smooth.otsu();
    let ink = smooth.ink(threshold);
    stats.skew = angle;
    let scale = dpi / 72.0;
    let to_px = |v: f32| (v * scale).round().max(0.0) as u32;
    let (tables, too_large) = grid::tables(&ink, page.width, page.height, dpi);
    stats.too_large = too_large;
    let mut out = ScanPage::default();
    let mut outside = page.clone();
    for cells in &tables {
        let mut read_cells = Vec::with_capacity(cells.len());
        for &bbox in cells {
            let [x0, y0, x1, y1] = bbox.map(to_px);
            let text = if deadline.left_ms() == 0 {
                stats.out_of_time = true;
                CellRead::unknown()
            } else {
                let sheet = cell::Sheet {
                    page: &page,
                    smooth: &smooth,
                    seal: seal.as_ref(),
                    threshold,
                    dpi,
                };
                let read =
                    cell::read(text_engine, digits_engine, &sheet, [x0, y0, x1, y1], deadline);
                if read.uncertain {
                    stats.uncertain += 1;
                }
                read
            };
            stats.cells += 1;
            read_cells.push(ScanCell { bbox, text: text.text, choices: text.choices });
        }
        out.tables.push(read_cells);
        if let Some([x0, y0, x1, y1]) = cells
            .iter()
            .copied()
            .reduce(|a, c| [a[0].min(c[0]), a[1].min(c[1]), a[2].max(c[2]), a[3].max(c[3])])
        {
            let m = (0.04 * dpi) as u32;
            outside.blank(
                to_px(x0).saturating_sub(m),
                to_px(y0).saturating_sub(m),
                to_px(x1) + m,
                to_px(y1) + m,
            );
        }
    }
    if deadline.left_ms() == 0 {
        stats.out_of_time = true;
        return (out, stats);
    }
    let lines = text_engine.recognise(
        &outside.px,
        outside.width,
        outside.height,
        dpi.round() as u32,
        Seg::Auto,
        deadline.left_ms(),
    );
    for l in lines {
        let text = cell::line_text(&l.symbols);
        let conf = if l.symbols.is_empty() {
            0.0
        } else {
            l.symbols.iter().map(|s| s.conf).sum::<f32>() / l.symbols.len() as f32
        };
        // Specks of noise read as a character or two.
        if text.trim().is_empty() || (conf < 40.0 && text.chars().count() <= 2) {
            continue;
        }
        let bbox = l.bbox.map(|v| v.max(0) as f32 / scale);
        out.lines.push(ScanLine { text, bbox, size: (bbox[3] - bbox[1]) * 0.85 });
    }
    (out, stats)
}
