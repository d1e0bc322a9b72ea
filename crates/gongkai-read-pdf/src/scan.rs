//! Scanned pages: the seam through which an OCR reader (`gongkai-read-image`) reads the pages
//! this reader finds without a text layer, so that what it recognises is laid out exactly like a
//! text page — tables continued across pages joined, lines joined into paragraphs, every piece
//! with its page and box.
//!
//! This crate stays free of OCR: it hands the page's image ([`ScanImage`]) to an [`Ocr`] and takes
//! back text lines and table cells in PDF points ([`ScanPage`]). It also lends its ruling-line
//! table finder ([`ruled_cells`]) to the OCR reader, which finds the lines in pixels.

use gongkai_doc::{Document, Format, Limits};
use gongkai_model::Finding;

use crate::geom::{Dir, Rect, Segment};
use crate::page::{Item, Page, TCell, Table};
use crate::text::Line;

pub use crate::ruled::MAX_TABLE_CELLS;

/// The image a scanned page shows (the largest image drawn on it), as stored in the file.
#[derive(Clone, Debug)]
pub struct ScanImage {
    /// The page's display width, points.
    pub width_pt: f32,
    /// The page's display height, points.
    pub height_pt: f32,
    /// The image data.
    pub data: ImageData,
}

/// An embedded image's data.
#[derive(Clone, Debug)]
pub enum ImageData {
    /// A JPEG file (`DCTDecode`).
    Jpeg(Vec<u8>),
    /// Decoded samples (`FlateDecode`, `LZWDecode` or none; predictors undone): rows of `width`
    /// pixels of `components` samples of `bits` bits, each row padded to a whole byte.
    Raw {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Samples per pixel (1 grey, 3 RGB, 4 CMYK).
        components: u8,
        /// Bits per sample (1 or 8).
        bits: u8,
        /// The samples.
        samples: Vec<u8>,
    },
    /// A filter the reader does not decode (JBIG2, JPEG 2000, CCITT fax), by name.
    Unsupported(String),
}

/// A line of text recognised on a scanned page.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanLine {
    /// Its text.
    pub text: String,
    /// Its box, `[x0, top, x1, bottom]` in points from the page's top-left corner.
    pub bbox: [f32; 4],
    /// Its character height, points.
    pub size: f32,
}

/// A table cell recognised on a scanned page.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanCell {
    /// Its box, as [`ScanLine::bbox`].
    pub bbox: [f32; 4],
    /// Its text (`?` for a cell the reader could not read with certainty).
    pub text: String,
    /// For a `?` cell: the numbers it may print, most likely first (empty when the reader has no
    /// idea, or the cell is not a number). The recognizer takes one only when the table's
    /// identities confirm it ([`gongkai_doc::Choices`]).
    pub choices: Vec<String>,
}

/// What an OCR reader recognised on one page.
#[derive(Clone, Debug, Default)]
pub struct ScanPage {
    /// Text outside tables.
    pub lines: Vec<ScanLine>,
    /// Tables, each as its cells (merged cells whole).
    pub tables: Vec<Vec<ScanCell>>,
    /// What the OCR reader noticed (the page was read by OCR, cells left undetermined…).
    pub notes: Vec<Finding>,
}

/// An OCR reader of scanned pages.
pub trait Ocr {
    /// Reads page `page` (1-based) from its image; `None` when it cannot (the page then keeps the
    /// READ-SCANNED note and no content).
    fn page(&mut self, page: u32, image: &ScanImage) -> Option<ScanPage>;
}

/// A ruling line found in an image, in points (as [`ScanLine::bbox`]): horizontal at `y = pos`
/// from `x = lo` to `hi`, or vertical at `x = pos` from `y = lo` to `hi`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ruling {
    /// Horizontal or vertical.
    pub horizontal: bool,
    /// The fixed coordinate.
    pub pos: f32,
    /// Start along the line.
    pub lo: f32,
    /// End along the line.
    pub hi: f32,
}

/// The ruled tables the rulings form (as for a text page): each table's cell boxes
/// `[x0, top, x1, bottom]`, merged cells whole, tables from top to bottom; and how many grids
/// were left out as too large or too complex to be a report's table ([`MAX_TABLE_CELLS`] cells
/// at most).
pub fn ruled_cells(rulings: &[Ruling]) -> (Vec<Vec<[f32; 4]>>, usize) {
    let segs: Vec<Segment> = rulings
        .iter()
        .filter(|r| r.pos.is_finite() && r.lo.is_finite() && r.hi.is_finite())
        .map(|r| Segment { horizontal: r.horizontal, pos: r.pos, lo: r.lo, hi: r.hi })
        .collect();
    let found = crate::ruled::find_tables(&segs);
    let tables = found
        .tables
        .into_iter()
        .map(|t| t.cells.iter().map(|c| [c.x0, c.y0, c.x1, c.y1]).collect())
        .collect();
    (tables, found.too_large)
}

fn rect([x0, y0, x1, y1]: [f32; 4]) -> Rect {
    Rect { x0, y0, x1, y1 }
}

/// A recognised page as the layout's page.
pub(crate) fn to_page(number: u32, height: f32, scan: ScanPage) -> Page {
    let mut items: Vec<Item> = scan
        .lines
        .into_iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| {
            let bbox = rect(l.bbox);
            Item::Line(Line {
                chunks: vec![(l.text.clone(), bbox)],
                text: l.text,
                bbox,
                size: l.size,
                dir: Dir::Right,
            })
        })
        .collect();
    for cells in scan.tables {
        let cells: Vec<TCell> = cells
            .into_iter()
            .map(|c| TCell {
                rect: rect(c.bbox),
                bbox: rect(c.bbox),
                page: number,
                text: c.text,
                choices: c.choices,
            })
            .collect();
        let Some(bbox) = cells.iter().map(|c| c.rect).reduce(|a, c| a.union(&c)) else { continue };
        items.push(Item::Table(Table { cells, bbox, first_page: number, last_page: number }));
    }
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    Page { number, height, items, clipped_cells: 0, too_large_grids: 0 }
}

/// The largest image drawn on a page, as stored (`None` when it has none lopdf can find).
pub(crate) fn page_image(
    doc: &lopdf::Document,
    page: lopdf::ObjectId,
    width_pt: f32,
    height_pt: f32,
    max_bytes: usize,
) -> Option<ScanImage> {
    let images = doc.get_page_images(page).ok()?;
    let img = images.iter().max_by_key(|i| i.width.saturating_mul(i.height))?;
    let filters = img.filters.clone().unwrap_or_default();
    let data = if filters.iter().any(|f| f == "DCTDecode") {
        if filters.len() == 1 {
            ImageData::Jpeg(img.content.to_vec())
        } else {
            ImageData::Unsupported(filters.join(" "))
        }
    } else if let Some(f) =
        filters.iter().find(|f| !matches!(f.as_str(), "FlateDecode" | "LZWDecode"))
    {
        ImageData::Unsupported(f.clone())
    } else {
        let stream = doc.get_object(img.id).ok()?.as_stream().ok()?;
        let samples = if filters.is_empty() {
            img.content.to_vec()
        } else {
            stream.decompressed_content_with_limit(max_bytes).ok()?
        };
        let components = match img.color_space.as_deref() {
            Some("DeviceRGB" | "CalRGB") => 3,
            Some("DeviceCMYK") => 4,
            _ => 1,
        };
        ImageData::Raw {
            width: u32::try_from(img.width).ok()?,
            height: u32::try_from(img.height).ok()?,
            components,
            bits: u8::try_from(img.bits_per_component.unwrap_or(8)).ok()?,
            samples,
        }
    };
    Some(ScanImage { width_pt, height_pt, data })
}

/// Lays out pages recognised from image files (not from a PDF): `pages` are each page's height in
/// points and what was recognised on it.
///
/// # Errors
/// When the text laid out exceeds `limits`.
pub fn layout(
    name: &str,
    format: Format,
    pages: Vec<(f32, ScanPage)>,
    notes: Vec<Finding>,
    limits: &Limits,
) -> Result<Document, crate::Error> {
    let mut b = gongkai_doc::DocumentBuilder::new(name, format);
    for n in notes {
        b.note(n);
    }
    let mut laid = Vec::with_capacity(pages.len());
    for (i, (height, scan)) in pages.into_iter().enumerate() {
        for n in &scan.notes {
            b.note(n.clone());
        }
        laid.push(to_page(u32::try_from(i + 1).unwrap_or(u32::MAX), height, scan));
    }
    crate::page::drop_headers_and_footers(&mut laid);
    let blocks = crate::join_pages(laid);
    crate::emit(&mut b, blocks, limits)?;
    Ok(b.finish())
}
