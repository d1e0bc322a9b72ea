//! The page as pixels: grey with red seals dropped, binarised, deskewed.

/// An 8-bit grey image, rows top to bottom (0 black, 255 white).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grey {
    /// Width in pixels.
    pub(crate) width: u32,
    /// Height in pixels.
    pub(crate) height: u32,
    /// `width × height` samples.
    pub(crate) px: Vec<u8>,
}

/// A decoded page: its grey image and, for a colour scan, where seal ink lies (the same size,
/// dark where a pixel is red).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The grey image, red ink dropped.
    pub(crate) grey: Grey,
    /// Seal ink, for a colour scan.
    pub(crate) seal: Option<Grey>,
}

impl Scan {
    /// A grey scan (no colour, so no seal can be told from print).
    pub(crate) fn grey(grey: Grey) -> Scan {
        Scan { grey, seal: None }
    }

    /// A colour scan from RGB samples.
    pub(crate) fn from_rgb(width: u32, height: u32, rgb: &[u8]) -> Scan {
        let seal = rgb
            .chunks_exact(3)
            .map(|p| {
                let red = i32::from(p[0]) - i32::from(p[1].max(p[2]));
                u8::try_from(255 - (3 * (red - 20)).clamp(0, 255)).unwrap_or(255)
            })
            .collect();
        Scan {
            grey: Grey::from_rgb(width, height, rgb),
            seal: Some(Grey { width, height, px: seal }),
        }
    }
}

/// How much redder than green and blue a pixel must be to count as seal ink.
const RED_MARGIN: i32 = 45;

impl Grey {
    /// A blank (white) image.
    pub(crate) fn white(width: u32, height: u32) -> Grey {
        Grey { width, height, px: vec![255; width as usize * height as usize] }
    }

    /// Grey from RGB samples (`3 × width × height`), dropping red ink: a reddish pixel takes its
    /// red channel as its grey, so a red seal turns light while black print under it (seal ink
    /// over print darkens it in every channel) stays dark.
    pub(crate) fn from_rgb(width: u32, height: u32, rgb: &[u8]) -> Grey {
        let px = rgb
            .chunks_exact(3)
            .map(|p| {
                let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
                if r - g.max(b) > RED_MARGIN {
                    p[0]
                } else {
                    // ITU-R BT.601 luma, in integers.
                    u8::try_from((299 * r + 587 * g + 114 * b) / 1000).unwrap_or(255)
                }
            })
            .collect();
        Grey { width, height, px }
    }

    /// The sample at `(x, y)` (white outside the image).
    pub(crate) fn get(&self, x: i64, y: i64) -> u8 {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return 255;
        }
        self.px[y as usize * self.width as usize + x as usize]
    }

    /// The rectangle `[x0, x1) × [y0, y1)` (clamped to the image).
    pub(crate) fn crop(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> Grey {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let (x0, y0) = (x0.min(x1), y0.min(y1));
        let w = (x1 - x0) as usize;
        let mut px = Vec::with_capacity(w * (y1 - y0) as usize);
        for y in y0..y1 {
            let start = y as usize * self.width as usize + x0 as usize;
            px.extend_from_slice(&self.px[start..start + w]);
        }
        Grey { width: x1 - x0, height: y1 - y0, px }
    }

    /// The image with a white margin of `m` pixels around it (Tesseract reads a character that
    /// touches the image edge poorly).
    pub(crate) fn padded(&self, m: u32) -> Grey {
        let mut out = Grey::white(self.width + 2 * m, self.height + 2 * m);
        for y in 0..self.height {
            let from = y as usize * self.width as usize;
            let to = (y + m) as usize * out.width as usize + m as usize;
            out.px[to..to + self.width as usize]
                .copy_from_slice(&self.px[from..from + self.width as usize]);
        }
        out
    }

    /// The image scaled by `factor` (bilinear).
    pub(crate) fn scaled(&self, factor: f32) -> Grey {
        let w = ((self.width as f32 * factor).round() as u32).max(1);
        let h = ((self.height as f32 * factor).round() as u32).max(1);
        let mut out = Grey::white(w, h);
        let inv = 1.0 / f64::from(factor);
        for y in 0..h {
            let sy = (f64::from(y) + 0.5) * inv - 0.5;
            let (y0, fy) = (sy.floor(), sy - sy.floor());
            for x in 0..w {
                let sx = (f64::from(x) + 0.5) * inv - 0.5;
                let (x0, fx) = (sx.floor(), sx - sx.floor());
                let (x0, y0i) = (x0 as i64, y0 as i64);
                // Edges repeat the border sample rather than fade to white.
                let p = |xx: i64, yy: i64| {
                    let xx = xx.clamp(0, i64::from(self.width) - 1);
                    let yy = yy.clamp(0, i64::from(self.height) - 1);
                    f64::from(self.get(xx, yy))
                };
                let v = p(x0, y0i) * (1.0 - fx) * (1.0 - fy)
                    + p(x0 + 1, y0i) * fx * (1.0 - fy)
                    + p(x0, y0i + 1) * (1.0 - fx) * fy
                    + p(x0 + 1, y0i + 1) * fx * fy;
                out.px[y as usize * w as usize + x as usize] = v.round().clamp(0.0, 255.0) as u8;
            }
        }
        out
    }

    /// Paints `[x0, x1) × [y0, y1)` white.
    pub(crate) fn blank(&mut self, x0: u32, y0: u32, x1: u32, y1: u32) {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        for y in y0.min(y1)..y1 {
            let row = y as usize * self.width as usize;
            for x in x0.min(x1)..x1 {
                self.px[row + x as usize] = 255;
            }
        }
    }

    /// The image smoothed by a 3 × 3 mean: scanner noise and JPEG speckle averaged away before
    /// binarising, while a ruling or a stroke (≥ 1 px of solid ink) stays dark.
    pub(crate) fn smoothed(&self) -> Grey {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut out = self.clone();
        if w < 3 || h < 3 {
            return out;
        }
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let mut sum = 0u32;
                for yy in y - 1..=y + 1 {
                    let row = yy * w;
                    sum += u32::from(self.px[row + x - 1])
                        + u32::from(self.px[row + x])
                        + u32::from(self.px[row + x + 1]);
                }
                out.px[y * w + x] = u8::try_from(sum / 9).unwrap_or(255);
            }
        }
        out
    }

    /// Otsu's threshold: samples at or below it are ink.
    pub(crate) fn otsu(&self) -> u8 {
        let mut hist = [0u64; 256];
        for &p in &self.px {
            hist[p as usize] += 1;
        }
        let total: u64 = hist.iter().sum();
        if total == 0 {
            return 127;
        }
        let sum_all: f64 = hist.iter().enumerate().map(|(i, &n)| i as f64 * n as f64).sum();
        let (mut w0, mut sum0) = (0u64, 0f64);
        let (mut best, mut best_t) = (-1f64, 127u8);
        for (t, &n) in hist.iter().enumerate() {
            w0 += n;
            if w0 == 0 {
                continue;
            }
            let w1 = total - w0;
            if w1 == 0 {
                break;
            }
            sum0 += t as f64 * n as f64;
            let m0 = sum0 / w0 as f64;
            let m1 = (sum_all - sum0) / w1 as f64;
            let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
            if between > best {
                best = between;
                best_t = u8::try_from(t).unwrap_or(127);
            }
        }
        best_t
    }

    /// Ink mask: `true` where the sample is at or below `threshold`.
    pub(crate) fn ink(&self, threshold: u8) -> Vec<bool> {
        self.px.iter().map(|&p| p <= threshold).collect()
    }

    /// The image rotated by `degrees` (counter-clockwise positive, as the page would be turned to
    /// undo a clockwise skew) about its centre, same size, white where nothing maps.
    pub(crate) fn rotated(&self, degrees: f32) -> Grey {
        let (s, c) = f64::from(degrees).to_radians().sin_cos();
        let (cx, cy) = (f64::from(self.width) / 2.0, f64::from(self.height) / 2.0);
        let mut out = Grey::white(self.width, self.height);
        for y in 0..self.height {
            let dy = f64::from(y) + 0.5 - cy;
            for x in 0..self.width {
                let dx = f64::from(x) + 0.5 - cx;
                // Inverse mapping: the source of (x, y).
                let sx = c * dx - s * dy + cx - 0.5;
                let sy = s * dx + c * dy + cy - 0.5;
                let (x0, y0) = (sx.floor(), sy.floor());
                let (fx, fy) = (sx - x0, sy - y0);
                let (x0, y0) = (x0 as i64, y0 as i64);
                let p = |xx, yy| f64::from(self.get(xx, yy));
                let v = p(x0, y0) * (1.0 - fx) * (1.0 - fy)
                    + p(x0 + 1, y0) * fx * (1.0 - fy)
                    + p(x0, y0 + 1) * (1.0 - fx) * fy
                    + p(x0 + 1, y0 + 1) * fx * fy;
                out.px[y as usize * self.width as usize + x as usize] =
                    v.round().clamp(0.0, 255.0) as u8;
            }
        }
        out
    }
}

/// The skew of the page's lines, in degrees (positive: lines fall to the right, i.e. the page was
/// turned clockwise), found as the angle whose horizontal projection of the ink is sharpest
/// (ruling lines and text lines then fall into few rows). Searched within ±`max` degrees.
pub(crate) fn skew(ink: &[bool], width: u32, height: u32, max: f32) -> f32 {
    // Sample the ink: at most about 400,000 points is plenty for the profile.
    let total = ink.iter().filter(|&&b| b).count();
    let step = (total / 400_000).max(1);
    let points: Vec<(f32, f32)> = ink
        .iter()
        .enumerate()
        .filter(|(_, b)| **b)
        .step_by(step)
        .map(|(i, _)| ((i % width as usize) as f32, (i / width as usize) as f32))
        .collect();
    if points.len() < 100 {
        return 0.0;
    }
    let cx = width as f32 / 2.0;
    let rows = height as usize + width as usize;
    let score = |deg: f32| -> f64 {
        let t = deg.to_radians().tan();
        let mut hist = vec![0u32; rows];
        for &(x, y) in &points {
            // The row the point falls in once the page is turned back by `deg`.
            let r = y - (x - cx) * t + width as f32 / 2.0;
            if r >= 0.0 && (r as usize) < rows {
                hist[r as usize] += 1;
            }
        }
        hist.iter().map(|&n| f64::from(n) * f64::from(n)).sum()
    };
    // The middle of the best angles: a short line projects equally sharply over a small range.
    let search = |lo: f32, hi: f32, step: f32| -> f32 {
        let scores: Vec<(f32, f64)> = (0..)
            .map(|i| lo + step * i as f32)
            .take_while(|a| *a <= hi + 1e-6)
            .map(|a| (a, score(a)))
            .collect();
        let best = scores.iter().map(|s| s.1).fold(f64::MIN, f64::max);
        let top: Vec<f32> = scores.iter().filter(|s| s.1 >= best).map(|s| s.0).collect();
        if top.is_empty() { 0.0 } else { top.iter().sum::<f32>() / top.len() as f32 }
    };
    let coarse = search(-max, max, 0.25);
    search(coarse - 0.25, coarse + 0.25, 0.025)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_at(angle: f32) -> Grey {
        let (w, h) = (600u32, 400u32);
        let mut g = Grey::white(w, h);
        let t = angle.to_radians().tan();
        for base in [100.0f32, 200.0, 300.0] {
            for x in 50..550u32 {
                let y = base + (x as f32 - 300.0) * t;
                let yy = y.round() as u32;
                g.px[(yy * w + x) as usize] = 0;
            }
        }
        g
    }

    #[test]
    fn skew_is_found_and_undone() {
        let g = lines_at(1.0);
        let ink = g.ink(g.otsu());
        let a = skew(&ink, g.width, g.height, 3.0);
        assert!((a - 1.0).abs() < 0.06, "found {a}");
        let back = g.rotated(a);
        let ink = back.ink(128);
        // The middle line is now (nearly) one row of ink.
        let rows: Vec<usize> = (0..back.height as usize).filter(|y| ink[y * 600 + 300]).collect();
        assert!(rows.iter().any(|&y| (199..=201).contains(&y)), "{rows:?}");
        assert_eq!(skew(&lines_at(0.0).ink(128), 600, 400, 3.0), 0.0);
    }

    #[test]
    fn red_seal_drops_and_print_under_it_stays() {
        // Red ink alone, black print, and black print under red ink.
        let g = Grey::from_rgb(3, 1, &[220, 40, 40, 0, 0, 0, 10, 0, 0]);
        let t = 128;
        assert_eq!(g.ink(t), [false, true, true]);
    }

    #[test]
    fn otsu_splits_two_levels() {
        let mut g = Grey::white(10, 10);
        for p in g.px.iter_mut().take(30) {
            *p = 20;
        }
        let t = g.otsu();
        assert!((20..255).contains(&t));
    }
}
