//! A scanned PDF page's image, as the PDF stores it, decoded to grey: a `DCTDecode` stream is a
//! JPEG file; `FlateDecode` (or unfiltered) samples are 1- or 8-bit grey, RGB or CMYK.

use gongkai_read_pdf::scan::{ImageData, ScanImage};

use crate::raster::{Grey, Scan};

/// Why a page image was not decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// More pixels than the limit (the count).
    TooLarge(u64),
    /// An encoding not decoded, or damaged data (what, in English).
    Encoding(String),
}

/// Decodes a page image to grey (red ink dropped).
pub(crate) fn decode(image: &ScanImage, max_pixels: u64) -> Result<Scan, Problem> {
    match &image.data {
        ImageData::Jpeg(bytes) => {
            crate::file::decode_format(bytes, Some(image::ImageFormat::Jpeg), max_pixels).map_err(
                |e| match e {
                    crate::Error::TooManyPixels { pixels, .. } => Problem::TooLarge(pixels),
                    other => Problem::Encoding(other.to_string()),
                },
            )
        }
        ImageData::Raw { width, height, components, bits, samples } => {
            raw(*width, *height, *components, *bits, samples, max_pixels)
        }
        ImageData::Unsupported(filter) => Err(Problem::Encoding(filter.clone())),
    }
}

fn raw(
    width: u32,
    height: u32,
    components: u8,
    bits: u8,
    samples: &[u8],
    max_pixels: u64,
) -> Result<Scan, Problem> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(Problem::TooLarge(pixels));
    }
    let (w, h, n) = (width as usize, height as usize, usize::from(components));
    let short = || Problem::Encoding("image data shorter than its size".to_owned());
    match (bits, components) {
        (8, 1 | 3 | 4) => {
            let need = w.checked_mul(h).and_then(|p| p.checked_mul(n)).ok_or_else(short)?;
            let data = samples.get(..need).ok_or_else(short)?;
            Ok(match components {
                1 => Scan::grey(Grey { width, height, px: data.to_vec() }),
                3 => Scan::from_rgb(width, height, data),
                _ => {
                    let rgb: Vec<u8> = data
                        .chunks_exact(4)
                        .flat_map(|p| {
                            let k = u16::from(p[3]);
                            let ch =
                                |c: u8| 255u16.saturating_sub((u16::from(c) + k).min(255)) as u8;
                            [ch(p[0]), ch(p[1]), ch(p[2])]
                        })
                        .collect();
                    Scan::from_rgb(width, height, &rgb)
                }
            })
        }
        (1, 1) => {
            let row = w.div_ceil(8);
            let need = row.checked_mul(h).ok_or_else(short)?;
            let data = samples.get(..need).ok_or_else(short)?;
            let mut px = Vec::with_capacity(w * h);
            for r in data.chunks_exact(row) {
                px.extend((0..w).map(|x| if r[x / 8] & (0x80 >> (x % 8)) != 0 { 255 } else { 0 }));
            }
            Ok(Scan::grey(Grey { width, height, px }))
        }
        _ => Err(Problem::Encoding(format!("{bits}-bit samples with {components} components"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilevel_and_grey_samples() {
        let g = raw(9, 1, 1, 1, &[0b1000_0000, 0b1000_0000], 100).unwrap();
        assert_eq!(g.grey.px, [255, 0, 0, 0, 0, 0, 0, 0, 255]);
        assert_eq!(
            raw(2, 2, 1, 8, &[1, 2, 3], 100),
            Err(Problem::Encoding("image data shorter than its size".to_owned()))
        );
        assert_eq!(raw(100, 100, 1, 8, &[], 10), Err(Problem::TooLarge(10_000)));
    }
}
