//! The content-stream interpreter: runs a page's operators and records what layout needs —
//! glyphs with their text and box, axis-aligned ruling segments (table borders) and image boxes.
//!
//! Coordinates are *display space*: PDF points with the origin at the top-left of the visible
//! page (crop box, `/Rotate` applied), `y` growing downwards.
//!
//! Every loop is bounded: a shared work budget counts operators and glyphs, form XObjects nest at
//! most [`MAX_FORM_DEPTH`] deep and never recurse into themselves, and the graphics-state stack is
//! capped.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::font::Font;
use crate::geom::{Dir, Matrix, Rect, Segment};
use crate::obj::{deref, dict_of, name_of, num, numbers};

/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Deepest `q` nesting kept (deeper `q`s are counted but not stored).
const MAX_STATE_DEPTH: usize = 256;
/// Work units (operators plus glyphs) one page may spend; a dense real page needs a few
/// thousand.
const PAGE_BUDGET: u64 = 1_000_000;
/// Largest decoded content of one page (all streams and forms together), in bytes.
pub(crate) const MAX_PAGE_CONTENT: usize = 64 * 1024 * 1024;

/// A positioned glyph.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Glyph {
    /// Its text (usually one character; `\u{fffd}` when the font does not say).
    pub(crate) text: String,
    /// Its box in display space.
    pub(crate) bbox: Rect,
    /// Effective font size in points.
    pub(crate) size: f32,
    /// Writing direction.
    pub(crate) dir: Dir,
    /// Whether it is white space.
    pub(crate) space: bool,
}

/// What a page shows.
#[derive(Clone, Debug, Default)]
pub(crate) struct PageContent {
    /// Display width in points.
    pub(crate) width: f32,
    /// Display height in points.
    pub(crate) height: f32,
    /// Glyphs in content order.
    pub(crate) glyphs: Vec<Glyph>,
    /// Ruling segments.
    pub(crate) segments: Vec<Segment>,
    /// Boxes of images drawn.
    pub(crate) images: Vec<Rect>,
    /// Glyphs whose text no font map gave.
    pub(crate) unmapped: usize,
    /// Fonts that produced unmapped glyphs.
    pub(crate) unmapped_fonts: BTreeSet<String>,
    /// Problems met (content that did not parse, budget exhausted).
    pub(crate) problems: Vec<String>,
    /// Whether the work budget ran out on this page.
    pub(crate) budget_exhausted: bool,
    /// Glyphs drawn outside the visible page (beyond the crop box): not printed, not read.
    pub(crate) off_page: usize,
}

#[derive(Clone)]
struct TextState {
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    text: TextState,
    stroke_white: bool,
    fill_white: bool,
}

/// Interprets the pages of one document, caching fonts across pages.
pub(crate) struct Interpreter<'d> {
    doc: &'d Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// Remaining work units for the whole document.
    pub(crate) budget: u64,
}

struct Run<'a> {
    out: &'a mut PageContent,
    gs: GState,
    stack: Vec<GState>,
    overflow: usize,
    tm: Matrix,
    tlm: Matrix,
    path: Vec<Vec<(f32, f32)>>,
    closed: Vec<bool>,
    forms: Vec<ObjectId>,
}

impl<'d> Interpreter<'d> {
    /// An interpreter with a work budget (operators + glyphs).
    pub(crate) fn new(doc: &'d Document, budget: u64) -> Self {
        Interpreter { doc, fonts: HashMap::new(), budget }
    }

    /// Runs one page.
    pub(crate) fn page(&mut self, page_id: ObjectId) -> PageContent {
        let doc = self.doc;
        let mut out = PageContent::default();
        let Ok(page) = doc.get_dictionary(page_id) else {
            out.problems.push("page object is not a dictionary".to_owned());
            return out;
        };
        let bx = inherited(doc, page, b"CropBox")
            .and_then(|o| numbers(doc, o))
            .or_else(|| inherited(doc, page, b"MediaBox").and_then(|o| numbers(doc, o)))
            .filter(|v| v.len() == 4)
            .unwrap_or_else(|| vec![0.0, 0.0, 595.0, 842.0]);
        let (llx, lly, urx, ury) =
            (bx[0].min(bx[2]), bx[1].min(bx[3]), bx[0].max(bx[2]), bx[1].max(bx[3]));
        let rotate =
            inherited(doc, page, b"Rotate").and_then(|o| num(doc, o)).unwrap_or(0.0) as i64;
        let (w, h) = (urx - llx, ury - lly);
        // User space → display space (top-left origin, y down, rotation applied).
        let base = match rotate.rem_euclid(360) {
            90 => {
                out.width = h;
                out.height = w;
                Matrix([0.0, 1.0, 1.0, 0.0, -lly, -llx])
            }
            180 => {
                out.width = w;
                out.height = h;
                Matrix([-1.0, 0.0, 0.0, 1.0, urx, -lly])
            }
            270 => {
                out.width = h;
                out.height = w;
                Matrix([0.0, -1.0, -1.0, 0.0, ury, urx])
            }
            _ => {
                out.width = w;
                out.height = h;
                Matrix([1.0, 0.0, 0.0, -1.0, -llx, ury])
            }
        };
        let resources = inherited(doc, page, b"Resources").and_then(|o| dict_of(doc, o));
        let content = match doc.get_page_content_with_limit(page_id, MAX_PAGE_CONTENT) {
            Ok(c) => c,
            Err(e) => {
                out.problems.push(format!("page content could not be decoded: {e}"));
                return out;
            }
        };
        let gs = GState {
            ctm: base,
            text: TextState {
                font: None,
                size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                hscale: 1.0,
                leading: 0.0,
                rise: 0.0,
            },
            stroke_white: false,
            fill_white: false,
        };
        let mut run = Run {
            out: &mut out,
            gs,
            stack: Vec::new(),
            overflow: 0,
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            path: Vec::new(),
            closed: Vec::new(),
            forms: Vec::new(),
        };
        let total = self.budget;
        self.budget = total.min(PAGE_BUDGET);
        let page_start = self.budget;
        self.run(&mut run, &content, resources, 0);
        self.budget = total - (page_start - self.budget);
        let (pw, ph) = (out.width, out.height);
        // Text placed outside the visible page is not printed.
        let mut off_page = 0;
        out.glyphs.retain(|g| {
            let (cx, cy) = g.bbox.center();
            let on = (-1.0..=pw + 1.0).contains(&cx) && (-1.0..=ph + 1.0).contains(&cy);
            off_page += usize::from(!on && !g.space);
            on
        });
        out.off_page = off_page;
        out
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Rc<Font> {
        let doc = self.doc;
        let entry = resources
            .and_then(|r| r.get(b"Font").ok())
            .and_then(|f| dict_of(doc, f))
            .and_then(|fonts| fonts.get(name).ok());
        let Some(entry) = entry else {
            return Rc::new(Font::fallback(&String::from_utf8_lossy(name)));
        };
        if let Object::Reference(id) = entry
            && let Some(f) = self.fonts.get(id)
        {
            return Rc::clone(f);
        }
        let font = Rc::new(match dict_of(doc, entry) {
            Some(d) => Font::load(doc, d),
            None => Font::fallback(&String::from_utf8_lossy(name)),
        });
        if let Object::Reference(id) = entry {
            self.fonts.insert(*id, Rc::clone(&font));
        }
        font
    }

    fn run(
        &mut self,
        r: &mut Run<'_>,
        content: &[u8],
        resources: Option<&Dictionary>,
        depth: usize,
    ) {
        let doc = self.doc;
        for op in Content::decode_iter(content) {
            let op = match op {
                Ok(op) => op,
                Err(e) => {
                    r.out.problems.push(format!("content stream stops parsing: {e}"));
                    break;
                }
            };
            if self.budget == 0 {
                r.out.budget_exhausted = true;
                return;
            }
            self.budget -= 1;
            let a = &op.operands;
            let f = |i: usize| a.get(i).and_then(|o| num(doc, o)).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" => {
                    if r.stack.len() < MAX_STATE_DEPTH {
                        r.stack.push(r.gs.clone());
                    } else {
                        r.overflow += 1;
                    }
                }
                "Q" => {
                    if r.overflow > 0 {
                        r.overflow -= 1;
                    } else if let Some(g) = r.stack.pop() {
                        r.gs = g;
                    }
                }
                "cm" if a.len() == 6 => {
                    let m = Matrix([f(0), f(1), f(2), f(3), f(4), f(5)]);
                    r.gs.ctm = m.then(&r.gs.ctm);
                }
                "BT" => {
                    r.tm = Matrix::IDENTITY;
                    r.tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    let name = a.first().and_then(|o| name_of(doc, o)).unwrap_or_default();
                    r.gs.text.font = Some(self.font(resources, &name));
                    r.gs.text.size = f(1);
                }
                "Tc" => r.gs.text.char_spacing = f(0),
                "Tw" => r.gs.text.word_spacing = f(0),
                "Tz" => r.gs.text.hscale = f(0) / 100.0,
                "TL" => r.gs.text.leading = f(0),
                "Ts" => r.gs.text.rise = f(0),
                "Td" => r.next_line(f(0), f(1)),
                "TD" => {
                    r.gs.text.leading = -f(1);
                    r.next_line(f(0), f(1));
                }
                "Tm" if a.len() == 6 => {
                    r.tlm = Matrix([f(0), f(1), f(2), f(3), f(4), f(5)]);
                    r.tm = r.tlm;
                }
                "T*" => {
                    let l = r.gs.text.leading;
                    r.next_line(0.0, -l);
                }
                "Tj" => {
                    if let Some(Object::String(s, _)) = a.first() {
                        self.show(r, s);
                    }
                }
                "'" => {
                    let l = r.gs.text.leading;
                    r.next_line(0.0, -l);
                    if let Some(Object::String(s, _)) = a.first() {
                        self.show(r, s);
                    }
                }
                "\"" => {
                    r.gs.text.word_spacing = f(0);
                    r.gs.text.char_spacing = f(1);
                    let l = r.gs.text.leading;
                    r.next_line(0.0, -l);
                    if let Some(Object::String(s, _)) = a.get(2) {
                        self.show(r, s);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = a.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(r, s),
                                Object::Integer(_) | Object::Real(_) => {
                                    let n = num(doc, item).unwrap_or(0.0);
                                    r.adjust(n);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                "m" => {
                    let p = r.gs.ctm.apply(f(0), f(1));
                    r.path.push(vec![p]);
                    r.closed.push(false);
                }
                "l" => {
                    let p = r.gs.ctm.apply(f(0), f(1));
                    match r.path.last_mut() {
                        Some(sp) => sp.push(p),
                        None => {
                            r.path.push(vec![p]);
                            r.closed.push(false);
                        }
                    }
                }
                "c" | "v" | "y" => {
                    // Curves are never rulings: start a new subpath at the end point.
                    let n = a.len();
                    if n >= 2 {
                        let p = r.gs.ctm.apply(f(n - 2), f(n - 1));
                        r.path.push(vec![p]);
                        r.closed.push(false);
                    }
                }
                "h" => {
                    if let Some(c) = r.closed.last_mut() {
                        *c = true;
                    }
                }
                "re" => {
                    let (x, y, w, h) = (f(0), f(1), f(2), f(3));
                    let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
                    r.path.push(pts.iter().map(|&(px, py)| r.gs.ctm.apply(px, py)).collect());
                    r.closed.push(true);
                }
                "S" | "s" => r.paint(true, false, op.operator == "s"),
                "f" | "F" | "f*" => r.paint(false, true, true),
                "B" | "B*" => r.paint(true, true, false),
                "b" | "b*" => r.paint(true, true, true),
                "n" => {
                    r.path.clear();
                    r.closed.clear();
                }
                "RG" | "G" | "K" | "SC" | "SCN" => {
                    r.gs.stroke_white = is_white(doc, a, op.operator.starts_with('K'))
                }
                "rg" | "g" | "k" | "sc" | "scn" => {
                    r.gs.fill_white = is_white(doc, a, op.operator.starts_with('k'))
                }
                "BI" => r.out.images.push(r.gs.ctm.unit_box()),
                "Do" => {
                    let name = a.first().and_then(|o| name_of(doc, o)).unwrap_or_default();
                    self.draw_xobject(r, resources, &name, depth);
                }
                _ => {}
            }
        }
    }

    fn draw_xobject(
        &mut self,
        r: &mut Run<'_>,
        resources: Option<&Dictionary>,
        name: &[u8],
        depth: usize,
    ) {
        let doc = self.doc;
        let entry = resources
            .and_then(|res| res.get(b"XObject").ok())
            .and_then(|x| dict_of(doc, x))
            .and_then(|x| x.get(name).ok());
        let Some(entry) = entry else { return };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Object::Stream(stream) = deref(doc, entry) else { return };
        let subtype =
            stream.dict.get(b"Subtype").ok().and_then(|o| name_of(doc, o)).unwrap_or_default();
        match subtype.as_slice() {
            b"Image" => r.out.images.push(r.gs.ctm.unit_box()),
            b"Form" => {
                if depth >= MAX_FORM_DEPTH || id.is_some_and(|id| r.forms.contains(&id)) {
                    r.out.problems.push("form XObjects nest too deep or recursively".to_owned());
                    return;
                }
                let Ok(content) = stream.decompressed_content_with_limit(MAX_PAGE_CONTENT) else {
                    r.out.problems.push("form XObject content could not be decoded".to_owned());
                    return;
                };
                let saved = (r.gs.clone(), r.tm, r.tlm);
                if let Some(m) = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|o| numbers(doc, o))
                    .filter(|m| m.len() == 6)
                {
                    r.gs.ctm = Matrix([m[0], m[1], m[2], m[3], m[4], m[5]]).then(&r.gs.ctm);
                }
                let form_res =
                    stream.dict.get(b"Resources").ok().and_then(|o| dict_of(doc, o)).or(resources);
                if let Some(id) = id {
                    r.forms.push(id);
                }
                let depth_before = r.stack.len();
                self.run(r, &content, form_res, depth + 1);
                r.stack.truncate(depth_before);
                if id.is_some() {
                    r.forms.pop();
                }
                (r.gs, r.tm, r.tlm) = saved;
            }
            _ => {}
        }
    }

    fn show(&mut self, r: &mut Run<'_>, bytes: &[u8]) {
        let Some(font) = r.gs.text.font.clone() else { return };
        let ts = r.gs.text.clone();
        for code in font.decode(bytes) {
            if self.budget == 0 {
                r.out.budget_exhausted = true;
                return;
            }
            self.budget -= 1;
            let size = ts.size;
            // Glyph space (1 unit = 1 em) → display space.
            let trm = Matrix([size * ts.hscale, 0.0, 0.0, size, 0.0, ts.rise])
                .then(&r.tm)
                .then(&r.gs.ctm);
            let (bbox, dir_vec) = if font.vertical {
                let half = code.width.max(0.5) / 2.0;
                (trm.box_of(-half, -0.88, half, 0.12), r.tm.then(&r.gs.ctm).vector(0.0, -1.0))
            } else {
                (
                    trm.box_of(0.0, font.descent, code.width, font.ascent),
                    r.tm.then(&r.gs.ctm).vector(1.0, 0.0),
                )
            };
            let text = code.text.clone().unwrap_or_else(|| "\u{fffd}".to_owned());
            if code.text.is_none() {
                r.out.unmapped += 1;
                if r.out.unmapped_fonts.len() < 16 {
                    r.out.unmapped_fonts.insert(font.name.clone());
                }
            }
            let space = text.chars().all(char::is_whitespace);
            let eff = trm.scale();
            if eff.is_finite() && eff > 0.01 && bbox.is_finite() {
                r.out.glyphs.push(Glyph { text, bbox, size: eff, dir: Dir::of(dir_vec), space });
            }
            let spacing = ts.char_spacing + if code.is_space_byte { ts.word_spacing } else { 0.0 };
            if font.vertical {
                let ty = font.vertical_advance * size + spacing;
                r.tm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, ty]).then(&r.tm);
            } else {
                let tx = (code.width * size + spacing) * ts.hscale;
                r.tm = Matrix([1.0, 0.0, 0.0, 1.0, tx, 0.0]).then(&r.tm);
            }
        }
    }
}

impl Run<'_> {
    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn adjust(&mut self, n: f32) {
        let ts = &self.gs.text;
        let vertical = ts.font.as_ref().is_some_and(|f| f.vertical);
        let m = if vertical {
            Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -n / 1000.0 * ts.size])
        } else {
            Matrix([1.0, 0.0, 0.0, 1.0, -n / 1000.0 * ts.size * ts.hscale, 0.0])
        };
        self.tm = m.then(&self.tm);
    }

    /// Paints the current path: strokes give their axis-aligned segments, fills give thin
    /// rectangles (borders drawn as filled bars). White paint is ignored.
    fn paint(&mut self, stroke: bool, fill: bool, close: bool) {
        let path = std::mem::take(&mut self.path);
        let closed = std::mem::take(&mut self.closed);
        for (sp, was_closed) in path.iter().zip(closed) {
            if stroke && !self.gs.stroke_white {
                let n = sp.len();
                let mut pairs: Vec<((f32, f32), (f32, f32))> =
                    sp.windows(2).map(|w| (w[0], w[1])).collect();
                if (close || was_closed) && n > 2 {
                    pairs.push((sp[n - 1], sp[0]));
                }
                for (p, q) in pairs {
                    if let Some(s) = Segment::from_points(p, q) {
                        self.out.segments.push(s);
                    }
                }
            }
            if fill && !self.gs.fill_white && !stroke && sp.len() >= 4 {
                let r = Rect::around(sp);
                let is_rect = sp.iter().all(|&(x, y)| {
                    ((x - r.x0).abs() < 0.5 || (x - r.x1).abs() < 0.5)
                        && ((y - r.y0).abs() < 0.5 || (y - r.y1).abs() < 0.5)
                });
                if is_rect && let Some(s) = Segment::from_bar(&r) {
                    self.out.segments.push(s);
                }
            }
        }
    }
}

fn is_white(doc: &Document, operands: &[Object], cmyk: bool) -> bool {
    let v: Vec<f32> = operands.iter().filter_map(|o| num(doc, o)).collect();
    if v.is_empty() {
        return false;
    }
    if cmyk { v.iter().all(|c| *c < 0.02) } else { v.iter().all(|c| *c > 0.98) }
}

/// An inheritable page attribute (`/Resources`, `/MediaBox`, `/CropBox`, `/Rotate`), looked up
/// through at most 32 `/Parent`s.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return Some(v);
        }
        node = node.get(b"Parent").ok().and_then(|p| dict_of(doc, p))?;
    }
    None
}
