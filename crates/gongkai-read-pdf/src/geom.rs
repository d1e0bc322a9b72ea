//! Geometry: affine matrices, boxes, writing directions and ruling segments, in display space
//! (points, origin top-left, `y` down).

/// An affine matrix `[a b c d e f]` in PDF's row-vector convention: `(x, y) · M`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Matrix(pub(crate) [f32; 6]);

impl Matrix {
    /// The identity.
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` followed by `next`.
    pub(crate) fn then(&self, next: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = next.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    /// Transforms a point.
    pub(crate) fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// Transforms a vector (no translation).
    pub(crate) fn vector(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, ..] = self.0;
        (a * x + c * y, b * x + d * y)
    }

    /// The box around the transformed rectangle `(x0, y0)–(x1, y1)`.
    pub(crate) fn box_of(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        Rect::around(&[
            self.apply(x0, y0),
            self.apply(x1, y0),
            self.apply(x1, y1),
            self.apply(x0, y1),
        ])
    }

    /// The box of the unit square (where images are drawn).
    pub(crate) fn unit_box(&self) -> Rect {
        self.box_of(0.0, 0.0, 1.0, 1.0)
    }

    /// The mean linear scale factor (square root of the absolute determinant).
    pub(crate) fn scale(&self) -> f32 {
        let [a, b, c, d, ..] = self.0;
        (a * d - b * c).abs().sqrt()
    }
}

/// An axis-aligned box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    /// Left.
    pub(crate) x0: f32,
    /// Top.
    pub(crate) y0: f32,
    /// Right.
    pub(crate) x1: f32,
    /// Bottom.
    pub(crate) y1: f32,
}

impl Rect {
    /// The box around some points.
    pub(crate) fn around(points: &[(f32, f32)]) -> Rect {
        let mut r = Rect {
            x0: f32::INFINITY,
            y0: f32::INFINITY,
            x1: f32::NEG_INFINITY,
            y1: f32::NEG_INFINITY,
        };
        for &(x, y) in points {
            r.x0 = r.x0.min(x);
            r.y0 = r.y0.min(y);
            r.x1 = r.x1.max(x);
            r.y1 = r.y1.max(y);
        }
        r
    }

    /// Whether all coordinates are finite.
    pub(crate) fn is_finite(&self) -> bool {
        self.x0.is_finite() && self.y0.is_finite() && self.x1.is_finite() && self.y1.is_finite()
    }

    /// Width.
    pub(crate) fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    /// Height.
    pub(crate) fn height(&self) -> f32 {
        self.y1 - self.y0
    }

    /// The centre.
    pub(crate) fn center(&self) -> (f32, f32) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    /// The smallest box covering both.
    pub(crate) fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }

    /// Whether the point lies inside (borders included).
    pub(crate) fn contains(&self, (x, y): (f32, f32)) -> bool {
        self.x0 <= x && x <= self.x1 && self.y0 <= y && y <= self.y1
    }

    /// As the `[x0, top, x1, bottom]` array of `Origin::Pdf`, rounded to 0.1 pt.
    pub(crate) fn to_array(self) -> [f32; 4] {
        let r = |v: f32| (v * 10.0).round() / 10.0;
        [r(self.x0), r(self.y0), r(self.x1), r(self.y1)]
    }
}

/// The direction in which a glyph's line advances on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Left to right (ordinary horizontal text).
    Right,
    /// Top to bottom (vertical writing, or text rotated 90° clockwise).
    Down,
    /// Bottom to top (text rotated 90° counter-clockwise).
    Up,
    /// Right to left (text upside down).
    Left,
}

impl Dir {
    /// The direction of an advance vector in display space.
    pub(crate) fn of((dx, dy): (f32, f32)) -> Dir {
        if dx.abs() >= dy.abs() {
            if dx >= 0.0 { Dir::Right } else { Dir::Left }
        } else if dy > 0.0 {
            Dir::Down
        } else {
            Dir::Up
        }
    }
}

/// An axis-aligned ruling segment (a table border).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Segment {
    /// Horizontal (`pos` is `y`) or vertical (`pos` is `x`).
    pub(crate) horizontal: bool,
    /// The fixed coordinate.
    pub(crate) pos: f32,
    /// Start along the segment.
    pub(crate) lo: f32,
    /// End along the segment.
    pub(crate) hi: f32,
}

/// Thickest filled bar taken as a drawn border, in points.
const MAX_BAR: f32 = 2.5;
/// Shortest segment kept, in points.
const MIN_SEGMENT: f32 = 1.0;

impl Segment {
    /// The segment between two points, if it is (nearly) axis-aligned and not tiny.
    pub(crate) fn from_points((x0, y0): (f32, f32), (x1, y1): (f32, f32)) -> Option<Segment> {
        let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
        let s = if dy < 0.5 && dx >= MIN_SEGMENT {
            Segment { horizontal: true, pos: (y0 + y1) / 2.0, lo: x0.min(x1), hi: x0.max(x1) }
        } else if dx < 0.5 && dy >= MIN_SEGMENT {
            Segment { horizontal: false, pos: (x0 + x1) / 2.0, lo: y0.min(y1), hi: y0.max(y1) }
        } else {
            return None;
        };
        (s.pos.is_finite() && s.lo.is_finite() && s.hi.is_finite()).then_some(s)
    }

    /// The centre line of a thin filled rectangle (a border drawn as a bar).
    pub(crate) fn from_bar(r: &Rect) -> Option<Segment> {
        let (w, h) = (r.width(), r.height());
        if !r.is_finite() {
            return None;
        }
        if h <= MAX_BAR && w >= MIN_SEGMENT && w > h {
            Some(Segment { horizontal: true, pos: (r.y0 + r.y1) / 2.0, lo: r.x0, hi: r.x1 })
        } else if w <= MAX_BAR && h >= MIN_SEGMENT && h > w {
            Some(Segment { horizontal: false, pos: (r.x0 + r.x1) / 2.0, lo: r.y0, hi: r.y1 })
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix([1.0, 0.0, 0.0, 1.0, 10.0, 0.0]);
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 2.0));
        assert_eq!(shift.then(&scale).apply(1.0, 1.0), (22.0, 2.0));
        assert!((scale.scale() - 2.0).abs() < 1e-6);
    }

    #[test]
    fn directions_and_segments() {
        assert_eq!(Dir::of((0.0, 3.0)), Dir::Down);
        assert_eq!(Dir::of((0.0, -3.0)), Dir::Up);
        assert_eq!(Dir::of((-3.0, 0.1)), Dir::Left);
        assert_eq!(Segment::from_points((0.0, 5.0), (10.0, 5.2)).map(|s| s.horizontal), Some(true));
        assert_eq!(Segment::from_points((0.0, 0.0), (10.0, 10.0)), None);
        let bar = Rect { x0: 0.0, y0: 0.0, x1: 100.0, y1: 0.5 };
        assert_eq!(Segment::from_bar(&bar).map(|s| (s.horizontal, s.pos)), Some((true, 0.25)));
        assert_eq!(Segment::from_bar(&Rect { x0: 0.0, y0: 0.0, x1: 100.0, y1: 50.0 }), None);
    }
}
