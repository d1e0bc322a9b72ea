//! Reads scanned reports by OCR into the intermediate [`gongkai_doc::Document`]: image files
//! (JPEG, PNG, TIFF: [`read_image`]) and the scanned pages of a PDF ([`read_pdf`], which reads
//! the PDF's text pages as `gongkai-read-pdf` does and hands it each page without a text layer).
//!
//! A page is read in steps, one module each:
//!
//! 1. `file` / `embedded`: the image decoded (an image file; a PDF page's `DCTDecode` JPEG or
//!    `FlateDecode` samples), within [`gongkai_doc::Limits::max_image_pixels`];
//! 2. `raster`: grey with red seal ink dropped, binarised (Otsu), the skew found from the ink's
//!    horizontal projection and undone;
//! 3. `grid`: ruling lines as long runs of ink, handed to the PDF reader's ruled-table finder;
//! 4. `cell` and `page`: each cell read on its own by Tesseract (`gongkai-tesseract`, its C API) — digits only
//!    where the cell reads as a number, Chinese elsewhere — and the text outside the tables read
//!    line by line.
//!
//! What is recognised is laid out by the PDF reader's layout (tables across pages joined, lines
//! into paragraphs), each piece with `Origin::Pdf { page, bbox }` (for an image file, page 1 and
//! the box in points at the image's resolution). A character Tesseract is unsure of is never
//! guessed: the cell is `?` (READ-OCR says how many).

mod cell;
mod embedded;
mod file;
mod grid;
mod page;
mod raster;

use std::time::{Duration, Instant};

use gongkai_doc::findings::{self, ReaderFinding};
use gongkai_doc::{Document, Limits};
use gongkai_model::{Finding, Localized, Msg};
use gongkai_read_pdf::scan::{Ocr, ScanImage, ScanPage};

pub use file::sniff;

use page::{Deadline, Engines, PageStats};
use raster::Scan;

/// Lowest resolution read: below it a 10.5 pt character has fewer than ~10 pixels.
const MIN_DPI: f32 = 72.0;

/// Why an image file could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
#[non_exhaustive]
pub enum Error {
    /// The image could not be decoded (damaged, or an unsupported variant).
    Decode {
        /// The decoder's words (English).
        reason: String,
    },
    /// The image has more pixels than [`Limits::max_image_pixels`].
    TooManyPixels {
        /// Its pixel count.
        pixels: u64,
        /// The limit.
        limit: u64,
    },
    /// Tesseract or its Chinese model is not installed.
    Unavailable {
        /// What failed (English).
        reason: String,
    },
    /// Laying the recognised content out failed (the text limit).
    #[error(transparent)]
    Layout(#[from] gongkai_read_pdf::Error),
}

impl Localized for Error {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            Error::Decode { reason } => (
                Msg::new(
                    "无法解码图像文件（文件损坏或格式不受支持）",
                    "the image cannot be decoded (damaged or unsupported)",
                ),
                Some(reason.clone()),
            ),
            Error::TooManyPixels { pixels, limit } => (
                Msg::new(
                    format!("图像过大（{pixels} 像素，上限 {limit} 像素）"),
                    format!("the image is too large ({pixels} pixels, limit {limit})"),
                ),
                None,
            ),
            Error::Unavailable { reason } => (
                Msg::new(
                    "无法进行 OCR：未安装 Tesseract 或其简体中文模型（tesseract-ocr-chi-sim）",
                    "OCR unavailable: Tesseract or its Simplified Chinese model (tesseract-ocr-chi-sim) is not installed",
                ),
                Some(reason.clone()),
            ),
            Error::Layout(e) => e.words(),
        }
    }
}

/// The OCR of one document: its engines, its time budget and what it noted.
struct Reader {
    engines: Engines,
    deadline: Deadline,
    max_pixels: u64,
    notes: Vec<Finding>,
    limit_noted: bool,
}

impl Reader {
    fn new(limits: &Limits) -> Reader {
        Reader {
            engines: Engines::default(),
            deadline: Deadline {
                until: Instant::now() + Duration::from_secs(limits.max_ocr_seconds),
            },
            max_pixels: limits.max_image_pixels,
            notes: Vec::new(),
            limit_noted: false,
        }
    }

    fn limit(&mut self, zh: String, en: String) {
        if !self.limit_noted {
            self.limit_noted = true;
            self.notes.push(findings::READ_OCR_LIMIT.finding(Msg::new(zh, en)));
        }
    }

    /// Reads one page image at `dpi`; `None` when OCR is unavailable or out of time.
    fn read(&mut self, number: u32, scan: Scan, dpi: f32) -> Option<ScanPage> {
        if self.deadline.left_ms() == 0 {
            self.limit(
                format!("OCR 用时超过上限，第{number}页起未识别"),
                format!("OCR time limit reached: pages from {number} on were not read"),
            );
            return None;
        }
        let deadline = self.deadline;
        let engines = self.engines.get()?;
        let (mut scan, stats) = page::read(engines, scan, dpi, deadline);
        scan.notes.push(page_note(number, &stats));
        if stats.too_large > 0 {
            let most = grid::MAX_TABLE_CELLS;
            self.notes.push(findings::READ_OCR_LIMIT.finding(Msg::new(
                format!("第{number}页有 {} 处线条格子超过 {most} 格或线条过于复杂，未按表格逐格识别，其中文字按文字行识别", stats.too_large),
                format!("page {number}: {} grid(s) of more than {most} boxes, or lines too complex to search, were not read cell by cell; their text is read as lines", stats.too_large),
            )));
        }
        if stats.out_of_time {
            self.limit(
                format!("OCR 用时超过上限，第{number}页部分单元格未识别（记为 ?）"),
                format!("OCR time limit reached on page {number}: some cells were not read (?)"),
            );
        }
        Some(scan)
    }

    fn finish(mut self, doc: &mut Document) {
        if let Some(reason) = self.engines.unavailable.take() {
            self.notes.push(findings::READ_OCR_UNAVAILABLE.finding(Msg::new(
                format!("扫描页未识别：本机无法进行 OCR（{reason}）"),
                format!("scanned pages not read: OCR is unavailable here ({reason})"),
            )));
        }
        doc.notes.extend(self.notes);
    }
}

fn note(kind: &ReaderFinding, raised: bool, zh: String, en: String) -> Finding {
    if raised { kind.raised_finding(Msg::new(zh, en)) } else { kind.finding(Msg::new(zh, en)) }
}

/// The READ-OCR note of a page.
fn page_note(number: u32, s: &PageStats) -> Finding {
    note(
        &findings::READ_OCR,
        s.uncertain > 0,
        format!(
            "第{number}页由 OCR 识别（倾斜校正 {:.1}°）：表格单元格 {} 个，其中 {} 个无法确定（记为 ?）",
            s.skew, s.cells, s.uncertain
        ),
        format!(
            "page {number} was read by OCR (skew corrected {:.1}°): {} table cells, {} of them undetermined (?)",
            s.skew, s.cells, s.uncertain
        ),
    )
}

impl Ocr for Reader {
    fn page(&mut self, number: u32, image: &ScanImage) -> Option<ScanPage> {
        let decoded = embedded::decode(image, self.max_pixels);
        let scan = match decoded {
            Ok(g) => g,
            Err(embedded::Problem::TooLarge(pixels)) => {
                self.limit(
                    format!("第{number}页的扫描图像过大（{pixels} 像素，上限 {} 像素），未识别", self.max_pixels),
                    format!("page {number}: the scan is too large ({pixels} pixels, limit {}); not read", self.max_pixels),
                );
                return None;
            }
            Err(embedded::Problem::Encoding(what)) => {
                self.notes.push(findings::READ_OCR_IMAGE.finding(Msg::new(
                    format!("第{number}页的扫描图像无法解码（{what}），未识别"),
                    format!("page {number}: the scan cannot be decoded ({what}); not read"),
                )));
                return None;
            }
        };
        // The page's size gives the scan's resolution; a page larger than A3 was most likely
        // made from an image without a recorded resolution (taken as 72 or 96 dpi), and is read
        // as an image file is.
        let a3 = image.width_pt.min(image.height_pt) <= 850.0
            && image.width_pt.max(image.height_pt) <= 1200.0;
        let (w, h) = (scan.grey.width, scan.grey.height);
        let dpi = if a3 { w as f32 / (image.width_pt / 72.0).max(1.0) } else { file::dpi(w, h) };
        if dpi < MIN_DPI {
            self.notes.push(findings::READ_OCR_IMAGE.finding(Msg::new(
                format!("第{number}页的扫描图像分辨率过低（约 {dpi:.0} dpi，至少 {MIN_DPI:.0} dpi），未识别"),
                format!("page {number}: the scan's resolution is too low to read (about {dpi:.0} dpi, at least {MIN_DPI:.0})"),
            )));
            return None;
        }
        self.read(number, scan, dpi)
    }
}

/// Reads a PDF: text pages as `gongkai_read_pdf::read` does, scanned pages by OCR.
///
/// # Errors
/// As [`gongkai_read_pdf::read`].
pub fn read_pdf(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Document, gongkai_read_pdf::Error> {
    let mut reader = Reader::new(limits);
    let mut doc = gongkai_read_pdf::read_with(name, bytes, limits, Some(&mut reader))?;
    reader.finish(&mut doc);
    Ok(doc)
}

/// Reads an image file (JPEG, PNG or TIFF; for a multi-page TIFF, its first page) by OCR.
///
/// # Errors
/// When the image cannot be decoded or is beyond `limits`, when OCR is unavailable, or when the
/// text laid out exceeds `limits`.
pub fn read_image(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    let scan = file::decode(bytes, limits.max_image_pixels)?;
    let dpi = file::dpi(scan.grey.width, scan.grey.height);
    let h_pt = scan.grey.height as f32 * 72.0 / dpi;
    let mut reader = Reader::new(limits);
    let scan = reader.read(1, scan, dpi);
    if let Some(reason) = &reader.engines.unavailable {
        return Err(Error::Unavailable { reason: reason.clone() });
    }
    let pages: Vec<(f32, ScanPage)> = scan.map(|s| (h_pt, s)).into_iter().collect();
    let notes = std::mem::take(&mut reader.notes);
    Ok(gongkai_read_pdf::scan::layout(name, gongkai_doc::Format::Image, pages, notes, limits)?)
}
