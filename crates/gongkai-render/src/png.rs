//! Chart images: the charts' SVG rasterised to PNG with resvg, for DOCX (Word has no SVG before
//! Office 2016 and WPS renders SVG poorly). Text is drawn with the CJK sans-serif faces of the
//! [`FontSet`], so the Chinese labels need no font on the reader's machine.

use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use crate::RenderError;
use crate::fonts::FontSet;

/// Rasterises SVG with a fixed font database (built once, reused for every chart).
#[derive(Clone)]
pub struct Rasterizer {
    options: Arc<usvg::Options<'static>>,
}

impl std::fmt::Debug for Rasterizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rasterizer({} faces)", self.options.fontdb.len())
    }
}

impl Rasterizer {
    /// A rasteriser using the sans-serif faces of `fonts`.
    ///
    /// # Errors
    /// [`RenderError::NoFonts`] when `fonts` has no face usable for chart text.
    pub fn new(fonts: &FontSet) -> Result<Self, RenderError> {
        let mut db = fontdb::Database::new();
        for f in &fonts.files {
            let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.contains("Sans") || name.contains("wqy") || name.contains("SourceHan") {
                db.load_font_source(fontdb::Source::Binary(f.data.clone()));
            }
        }
        if db.is_empty() {
            return Err(RenderError::NoFonts);
        }
        let first = db.faces().next().and_then(|f| f.families.first()).map(|(n, _)| n.clone());
        if let Some(family) = first {
            db.set_sans_serif_family(family);
        }
        let options = usvg::Options { fontdb: Arc::new(db), ..usvg::Options::default() };
        Ok(Rasterizer { options: Arc::new(options) })
    }

    /// `svg` with its text turned into outlines (paths), drawn with these fonts. PDF embeds
    /// charts this way: the figures' numbers stay in the tables' text only, so that text
    /// extraction (and gongkai's own PDF reader) does not see chart labels as stray text.
    ///
    /// # Errors
    /// [`RenderError::Image`] when the SVG cannot be parsed.
    pub fn outlined_svg(&self, svg: &str) -> Result<String, RenderError> {
        let tree = usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| RenderError::Image(e.to_string()))?;
        Ok(tree.to_string(&usvg::WriteOptions {
            preserve_text: false,
            ..usvg::WriteOptions::default()
        }))
    }

    /// Rasterises `svg` at `scale` (2.0 gives print quality for a 16 cm wide chart). Returns the
    /// PNG bytes and the pixel size.
    ///
    /// # Errors
    /// [`RenderError::Image`] when the SVG cannot be parsed or the PNG encoded.
    pub fn png(&self, svg: &str, scale: f32) -> Result<(Vec<u8>, u32, u32), RenderError> {
        let tree = usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| RenderError::Image(e.to_string()))?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(scale)
            .ok_or_else(|| RenderError::Image("bad size".into()))?;
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| RenderError::Image("empty image".into()))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        let png = pixmap.encode_png().map_err(|e| RenderError::Image(e.to_string()))?;
        Ok((png, size.width(), size.height()))
    }
}
