//! Writes the 政府信息公开工作年度报告 from gongkai's report model, in the official layout, in every
//! format an agency publishes in: HTML, DOCX, XLSX, PDF and Markdown (and gongkai's JSON).
//!
//! The pipeline: a [`Report`] (from JSON or from any report gongkai can read) is checked by the
//! caller and passed through the [`gate`]; [`ReportDoc::new`] lays it out once, independently of
//! the format (title, preamble, the six sections, Tables 2–4 in the template's shape from
//! [`grid`], charts from [`charts`]); one module per format writes the blocks:
//! [`html`] (also as a fragment of another page: [`html::fragment`]), [`markdown`], `docx`, `xlsx`
//! and `pdf` (the last three behind cargo features, with
//! their heavy dependencies). [`draft`] builds next year's report from the previous year's.
//! [`letter`] lays out an official letter (告知书, 答复书) that DOCX and PDF write in the same
//! official look ([`Renderer::render_letter`]).
//!
//! Table labels come from `gongkai_model::catalogue`, never retyped here.

pub mod cells;
pub mod charts;
pub mod doc;
#[cfg(feature = "docx")]
pub mod docx;
pub mod draft;
pub mod fonts;
pub mod gate;
pub mod grid;
pub mod html;
pub mod letter;
pub mod markdown;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "png")]
pub mod png;
pub mod text;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use std::fmt;
use std::sync::OnceLock;

use gongkai_model::{Localized, Msg, Report, TableId};

pub use crate::doc::{Options, ReportDoc};
pub use crate::fonts::FontSet;
pub use crate::gate::{ErrorPolicy, GateError, Notice, gate};
pub use crate::letter::LetterDoc;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// A self-contained HTML page.
    Html,
    /// A Word document.
    Docx,
    /// An Excel workbook.
    Xlsx,
    /// A PDF with real text.
    Pdf,
    /// Markdown with pipe tables.
    Markdown,
    /// gongkai's JSON form.
    Json,
}

impl OutputFormat {
    /// Every format.
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Html,
        OutputFormat::Docx,
        OutputFormat::Xlsx,
        OutputFormat::Pdf,
        OutputFormat::Markdown,
        OutputFormat::Json,
    ];

    /// The name used on the command line (`html`, `docx`, `xlsx`, `pdf`, `md`, `json`).
    pub const fn key(self) -> &'static str {
        match self {
            OutputFormat::Html => "html",
            OutputFormat::Docx => "docx",
            OutputFormat::Xlsx => "xlsx",
            OutputFormat::Pdf => "pdf",
            OutputFormat::Markdown => "md",
            OutputFormat::Json => "json",
        }
    }

    /// Parses [`OutputFormat::key`] (also `markdown`).
    pub fn from_key(s: &str) -> Option<Self> {
        match s {
            "markdown" => Some(OutputFormat::Markdown),
            _ => OutputFormat::ALL.into_iter().find(|f| f.key() == s),
        }
    }

    /// The usual file extension.
    pub const fn extension(self) -> &'static str {
        self.key()
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Why a report could not be rendered. [`Localized::message`] says it in one language; the
/// `Display` form gives both (`中文 / English`), then the writer's own words.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum RenderError {
    /// The report lacks a table the official layout requires.
    MissingTable(TableId),
    /// This build was made without the format's cargo feature.
    Unsupported(OutputFormat),
    /// No CJK font was found for PDF or chart images.
    NoFonts,
    /// The HTML template failed.
    Template(String),
    /// The DOCX writer failed.
    Docx(String),
    /// The XLSX writer failed.
    Xlsx(String),
    /// typst failed to lay out or export the PDF.
    Pdf(String),
    /// A chart could not be rasterised.
    Image(String),
}

impl Localized for RenderError {
    fn words(&self) -> (Msg, Option<String>) {
        let (zh, en, detail): (String, String, &str) = match self {
            RenderError::MissingTable(t) => (
                format!("报告缺少{}（tables.{t}）", table_name(*t)),
                format!("the report has no {t}"),
                "",
            ),
            RenderError::Unsupported(f) => (
                format!("此版本未包含 {f} 输出（cargo 功能 `{f}`）"),
                format!("this build has no {f} output (cargo feature `{f}`)"),
                "",
            ),
            RenderError::NoFonts => (
                "未找到中文字体（请安装 fonts-noto-cjk，或用 GONGKAI_FONT_DIRS 指定字体目录）"
                    .into(),
                "no CJK font found (install fonts-noto-cjk or set GONGKAI_FONT_DIRS)".into(),
                "",
            ),
            RenderError::Template(d) => ("HTML 模板出错".into(), "HTML template failed".into(), d),
            RenderError::Docx(d) => ("DOCX 生成失败".into(), "DOCX writer failed".into(), d),
            RenderError::Xlsx(d) => ("XLSX 生成失败".into(), "XLSX writer failed".into(), d),
            RenderError::Pdf(d) => ("PDF 排版失败".into(), "PDF typesetting failed".into(), d),
            RenderError::Image(d) => {
                ("图表转换失败".into(), "chart rasterisation failed".into(), d)
            }
        };
        let detail = matches!(
            self,
            RenderError::Template(_)
                | RenderError::Docx(_)
                | RenderError::Xlsx(_)
                | RenderError::Pdf(_)
                | RenderError::Image(_)
        )
        .then(|| detail.to_owned());
        (Msg::new(zh, en), detail)
    }
}

fn table_name(t: TableId) -> &'static str {
    match t {
        TableId::T2 => "表2（主动公开政府信息情况）",
        TableId::T3 => "表3（收到和处理政府信息公开申请情况）",
        TableId::T4 => "表4（政府信息公开行政复议、行政诉讼情况）",
    }
}

/// A rendered report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The number of pages, for paged formats (PDF).
    pub pages: Option<usize>,
}

/// Renders laid-out reports into any format. Holds the fonts (loaded once) and the typesetting
/// engine, so one `Renderer` serves many reports.
#[derive(Debug)]
pub struct Renderer {
    fonts: FontSet,
    #[cfg(feature = "pdf")]
    pdf: OnceLock<Result<pdf::Engine, String>>,
    #[cfg(not(feature = "pdf"))]
    _pdf: OnceLock<()>,
    #[cfg(feature = "png")]
    png: OnceLock<Option<png::Rasterizer>>,
}

impl Renderer {
    /// A renderer using `fonts` for PDF and chart images.
    pub fn new(fonts: FontSet) -> Self {
        Renderer {
            fonts,
            #[cfg(feature = "pdf")]
            pdf: OnceLock::new(),
            #[cfg(not(feature = "pdf"))]
            _pdf: OnceLock::new(),
            #[cfg(feature = "png")]
            png: OnceLock::new(),
        }
    }

    /// The fonts.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// The chart rasteriser, built on first use (`None` without fonts).
    #[cfg(feature = "png")]
    pub fn rasterizer(&self) -> Option<&png::Rasterizer> {
        self.png.get_or_init(|| png::Rasterizer::new(&self.fonts).ok()).as_ref()
    }

    /// Renders `doc` as `format`.
    ///
    /// # Errors
    /// See [`RenderError`].
    pub fn render(&self, doc: &ReportDoc, format: OutputFormat) -> Result<Vec<u8>, RenderError> {
        self.render_output(doc, format).map(|o| o.bytes)
    }

    /// Renders a letter as DOCX or PDF (the formats a letter is sent in).
    ///
    /// # Errors
    /// [`RenderError::Unsupported`] for other formats or a build without the feature; otherwise
    /// see [`RenderError`].
    pub fn render_letter(
        &self,
        doc: &LetterDoc,
        format: OutputFormat,
    ) -> Result<Output, RenderError> {
        match format {
            #[cfg(feature = "docx")]
            OutputFormat::Docx => {
                docx::render_letter(doc).map(|bytes| Output { bytes, pages: None })
            }
            #[cfg(feature = "pdf")]
            OutputFormat::Pdf => match self.pdf_engine() {
                Ok(e) => {
                    e.render_letter(doc).map(|(bytes, pages)| Output { bytes, pages: Some(pages) })
                }
                Err(_) => Err(RenderError::NoFonts),
            },
            other => Err(RenderError::Unsupported(other)),
        }
    }

    /// The typesetting engine, built on first use.
    #[cfg(feature = "pdf")]
    fn pdf_engine(&self) -> &Result<pdf::Engine, String> {
        self.pdf.get_or_init(|| pdf::Engine::new(&self.fonts).map_err(|e| e.to_string()))
    }

    /// Renders `doc` as `format`, with what a caller tells the user about it.
    ///
    /// # Errors
    /// See [`RenderError`].
    pub fn render_output(
        &self,
        doc: &ReportDoc,
        format: OutputFormat,
    ) -> Result<Output, RenderError> {
        let unpaged = |bytes: Vec<u8>| Output { bytes, pages: None };
        match format {
            OutputFormat::Html => html::render(doc).map(|s| unpaged(s.into_bytes())),
            OutputFormat::Markdown => Ok(unpaged(markdown::render(doc).into_bytes())),
            OutputFormat::Json => Ok(unpaged(doc.json().into_bytes())),
            #[cfg(feature = "docx")]
            OutputFormat::Docx => docx::render(doc, self.rasterizer()).map(unpaged),
            #[cfg(feature = "xlsx")]
            OutputFormat::Xlsx => xlsx::render(doc).map(unpaged),
            #[cfg(feature = "pdf")]
            OutputFormat::Pdf => match self.pdf_engine() {
                Ok(e) => e
                    .render_paged(doc, self.rasterizer())
                    .map(|(bytes, pages)| Output { bytes, pages: Some(pages) }),
                Err(_) => Err(RenderError::NoFonts),
            },
            #[allow(unreachable_patterns, reason = "reachable when a format feature is off")]
            other => Err(RenderError::Unsupported(other)),
        }
    }
}

/// Lays out and renders `report` in one call (for tests and one-off use).
///
/// # Errors
/// See [`RenderError`].
pub fn render_report(
    renderer: &Renderer,
    report: &Report,
    format: OutputFormat,
) -> Result<Vec<u8>, RenderError> {
    let doc = ReportDoc::new(report, &[], None, Options::default())?;
    renderer.render(&doc, format)
}

#[cfg(test)]
mod tests {
    use gongkai_model::Lang;

    use super::*;

    #[test]
    fn errors_are_said_in_one_language() {
        let all = [
            RenderError::MissingTable(TableId::T3),
            RenderError::Unsupported(OutputFormat::Pdf),
            RenderError::NoFonts,
            RenderError::Template("EOF".into()),
            RenderError::Docx("EOF".into()),
            RenderError::Xlsx("EOF".into()),
            RenderError::Pdf("EOF".into()),
            RenderError::Image("EOF".into()),
        ];
        for e in &all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert!(e.to_string().contains(" / "), "{e}");
        }
        assert_eq!(all[4].message(Lang::Zh), "DOCX 生成失败：EOF");
        assert_eq!(all[4].message(Lang::En), "DOCX writer failed: EOF");
    }
}
