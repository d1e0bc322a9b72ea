//! Image files — JPEG, PNG, TIFF — decoded by the `image` crate (only those three decoders are
//! built) within the pixel limit.

use std::io::Cursor;

use image::{ImageFormat, ImageReader};

use crate::Error;
use crate::raster::Scan;

/// Whether `bytes` start like a JPEG, PNG or TIFF file.
pub fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
}

/// Decodes an image file to grey (red ink dropped).
pub(crate) fn decode(bytes: &[u8], max_pixels: u64) -> Result<Scan, Error> {
    decode_format(bytes, None, max_pixels)
}

/// Decodes an image of `format` (guessed from the content when `None`).
pub(crate) fn decode_format(
    bytes: &[u8],
    format: Option<ImageFormat>,
    max_pixels: u64,
) -> Result<Scan, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Decode { reason: e.to_string() };
    let reader = || -> Result<ImageReader<Cursor<&[u8]>>, Error> {
        let r = ImageReader::new(Cursor::new(bytes));
        let mut r = match format {
            Some(f) => {
                let mut r = r;
                r.set_format(f);
                r
            }
            None => r.with_guessed_format().map_err(|e| fail(&e))?,
        };
        let mut l = image::Limits::default();
        l.max_alloc = Some(max_pixels.saturating_mul(4));
        r.limits(l);
        Ok(r)
    };
    let (w, h) = reader()?.into_dimensions().map_err(|e| fail(&e))?;
    let pixels = u64::from(w) * u64::from(h);
    if pixels > max_pixels {
        return Err(Error::TooManyPixels { pixels, limit: max_pixels });
    }
    let img = reader()?.decode().map_err(|e| fail(&e))?;
    let rgb = img.to_rgb8();
    Ok(Scan::from_rgb(rgb.width(), rgb.height(), rgb.as_raw()))
}

/// The resolution an image file is read at: a scan carries no page size gongkai trusts, so a
/// page of A4 proportions (portrait or landscape) is taken as A4, anything else as 200 dpi.
pub(crate) fn dpi(width: u32, height: u32) -> f32 {
    let (w, h) = (width as f32, height.max(1) as f32);
    let ratio = h / w.max(1.0);
    if (1.3..=1.5).contains(&ratio) {
        w / 8.27
    } else if (1.3..=1.5).contains(&(1.0 / ratio)) {
        w / 11.69
    } else {
        200.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_three_formats_only() {
        assert!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(sniff(b"\x89PNG\r\n\x1a\n...."));
        assert!(sniff(b"II*\0...."));
        assert!(sniff(b"MM\0*...."));
        assert!(!sniff(b"%PDF-1.7"));
        assert!(!sniff(b"GIF89a"));
    }

    #[test]
    fn a4_at_150_dpi() {
        assert!((dpi(1241, 1754) - 150.0).abs() < 0.5);
        assert!((dpi(1754, 1241) - 150.0).abs() < 0.5);
        assert_eq!(dpi(500, 500), 200.0);
    }

    #[test]
    fn damaged_and_oversized_images_are_errors() {
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\nbroken", 1_000_000), Err(Error::Decode { .. })));
        let mut png = Vec::new();
        image::GrayImage::new(100, 100)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(matches!(decode(&png, 5_000), Err(Error::TooManyPixels { pixels: 10_000, .. })));
        assert_eq!(decode(&png, 10_000).unwrap().grey.px.len(), 10_000);
    }
}
