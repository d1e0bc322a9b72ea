//! PDF output through typst used as a library: real, searchable and copyable text (subset CID
//! fonts with ToUnicode), the template's merged-cell tables, embedded SVG charts (their text
//! outlined, with the chart's description as alternative text).
//!
//! The typst source is fixed (`templates/report.typ`); the report reaches it only as data
//! (`data.json`), so no report text is ever parsed as typst markup. The virtual files have fixed
//! ids (typst interns file ids for good; reusing them keeps a long-running process bounded), and
//! `comemo::evict` runs after each document so that memoised layouts do not pile up.

use std::collections::HashMap;

use serde_json::{Value as Json, json};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::RenderError;
use crate::doc::{Block, ReportDoc};
use crate::fonts::{FontSet, families};
use crate::grid::{PrintedTable, Role};
use crate::html::caption;
use crate::letter::LetterDoc;
use crate::png::Rasterizer;
use crate::text::Level;

/// The typst template.
const TEMPLATE: &str = include_str!("../templates/report.typ");
/// The typst template of letters ([`LetterDoc`]).
const LETTER_TEMPLATE: &str = include_str!("../templates/letter.typ");

/// The chart ids that may be embedded (each has a fixed virtual file).
const CHART_IDS: [&str; 5] = ["years", "proactive", "applicants", "outcomes", "review"];

fn file_id(path: &str) -> Result<FileId, RenderError> {
    let vpath = VirtualPath::new(path).map_err(|e| RenderError::Pdf(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The typesetting engine: the standard library, the fonts and the fixed file ids, built once.
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    letter: Source,
    data_id: FileId,
    chart_ids: Vec<(&'static str, FileId)>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pdf::Engine({} fonts)", self.fonts.len())
    }
}

impl Engine {
    /// Loads the fonts of `fonts` into typst.
    ///
    /// # Errors
    /// [`RenderError::NoFonts`] when no font could be loaded.
    pub fn new(fonts: &FontSet) -> Result<Self, RenderError> {
        let loaded: Vec<Font> = fonts
            .files
            .iter()
            .flat_map(|f| Font::iter(Bytes::new(f.data.as_ref().clone())))
            .collect();
        if loaded.is_empty() {
            return Err(RenderError::NoFonts);
        }
        let book = FontBook::from_fonts(&loaded);
        let main = Source::new(file_id("main.typ")?, TEMPLATE.to_owned());
        let letter = Source::new(file_id("letter.typ")?, LETTER_TEMPLATE.to_owned());
        let chart_ids = CHART_IDS
            .iter()
            .map(|id| Ok((*id, file_id(&format!("chart-{id}.svg"))?)))
            .collect::<Result<_, RenderError>>()?;
        Ok(Engine {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts: loaded,
            main,
            letter,
            data_id: file_id("data.json")?,
            chart_ids,
        })
    }

    /// Typesets `doc` and exports it as PDF.
    ///
    /// # Errors
    /// [`RenderError::Pdf`] with typst's messages when layout or export fails.
    pub fn render(
        &self,
        doc: &ReportDoc,
        raster: Option<&Rasterizer>,
    ) -> Result<Vec<u8>, RenderError> {
        self.render_paged(doc, raster).map(|(bytes, _)| bytes)
    }

    /// Typesets `doc` and exports it as PDF; also returns the number of pages.
    ///
    /// # Errors
    /// [`RenderError::Pdf`] with typst's messages when layout or export fails.
    pub fn render_paged(
        &self,
        doc: &ReportDoc,
        raster: Option<&Rasterizer>,
    ) -> Result<(Vec<u8>, usize), RenderError> {
        let mut files = HashMap::new();
        files.insert(self.data_id, Bytes::new(data(doc).to_string().into_bytes()));
        for (i, _) in doc.blocks.iter().filter_map(|b| match b {
            Block::Chart(i, n) => Some((i, n)),
            _ => None,
        }) {
            let chart = &doc.charts[*i];
            let id = self
                .chart_ids
                .iter()
                .find(|(name, _)| *name == chart.id)
                .map(|(_, id)| *id)
                .ok_or_else(|| RenderError::Pdf(format!("unknown chart {}", chart.id)))?;
            let svg = raster.ok_or(RenderError::NoFonts)?.outlined_svg(&chart.svg())?;
            files.insert(id, Bytes::new(svg.into_bytes()));
        }
        self.compile(&self.main, files, "gongkai-report")
    }

    /// Typesets a letter and exports it as PDF; also returns the number of pages.
    ///
    /// # Errors
    /// [`RenderError::Pdf`] with typst's messages when layout or export fails.
    pub fn render_letter(&self, doc: &LetterDoc) -> Result<(Vec<u8>, usize), RenderError> {
        let mut files = HashMap::new();
        files.insert(self.data_id, Bytes::new(letter_data(doc).to_string().into_bytes()));
        self.compile(&self.letter, files, "gongkai-letter")
    }

    fn compile(
        &self,
        main: &Source,
        files: HashMap<FileId, Bytes>,
        ident: &str,
    ) -> Result<(Vec<u8>, usize), RenderError> {
        let world = DocWorld { engine: self, main, files };
        let result = typst::compile::<PagedDocument>(&world).output;
        let out = match result {
            Ok(document) => {
                let options = PdfOptions {
                    ident: Smart::Custom(ident.to_owned()),
                    creator: Smart::Custom(Some("gongkai".to_owned())),
                    ..PdfOptions::default()
                };
                typst_pdf::pdf(&document, &options)
                    .map(|bytes| (bytes, document.pages().len()))
                    .map_err(|d| RenderError::Pdf(messages(&d)))
            }
            Err(d) => Err(RenderError::Pdf(messages(&d))),
        };
        // Keep memory bounded in long-running processes (typst memoises every layout).
        typst::comemo::evict(10);
        out
    }
}

fn messages(diags: &[SourceDiagnostic]) -> String {
    diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

struct DocWorld<'a> {
    engine: &'a Engine,
    main: &'a Source,
    files: HashMap<FileId, Bytes>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The output never depends on the clock.
        Datetime::from_ymd(2000, 1, 1)
    }
}

fn table_data(t: &PrintedTable) -> Json {
    let header_rows = if t.bands.len() == 1 { t.bands[0].header_rows } else { 0 };
    let cell = |c: &crate::grid::PCell| {
        let role = match c.role {
            Role::Caption => "caption",
            Role::Header => "header",
            Role::Group => "group",
            Role::Label => "label",
            Role::Value(_) => "value",
        };
        json!({"col": c.col, "row": c.row, "rs": c.row_span, "cs": c.col_span, "role": role, "text": c.text})
    };
    let (header, cells): (Vec<_>, Vec<_>) = t.cells().partition(|c| c.row < header_rows);
    json!({
        "kind": "table",
        "caption": caption(t),
        "widths": t.widths,
        "header": header.into_iter().map(cell).collect::<Vec<_>>(),
        "cells": cells.into_iter().map(cell).collect::<Vec<_>>(),
    })
}

/// The document as the template's data.
fn data(doc: &ReportDoc) -> Json {
    let blocks: Vec<Json> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Notice(n) => json!({"kind": "notice", "title": n.title, "lines": n.lines}),
            Block::Title(t) => json!({"kind": "title", "text": t}),
            Block::Heading(_, t) => json!({"kind": "heading", "text": t}),
            Block::Para(p) => {
                let level = match p.level {
                    Level::Body => 0,
                    Level::First => 1,
                    Level::Second => 2,
                    Level::Third => 3,
                    Level::Fourth => 4,
                };
                json!({"kind": "para", "level": level, "lead": p.lead, "rest": p.rest})
            }
            Block::Table(t) => table_data(t),
            Block::Chart(i, n) => {
                let c = &doc.charts[*i];
                json!({
                    "kind": "chart",
                    "file": format!("chart-{}.svg", c.id),
                    "caption": format!("图{n}　{}", c.title),
                    "alt": c.description(),
                })
            }
            Block::Signature(lines) => json!({"kind": "signature", "lines": lines}),
        })
        .collect();
    json!({
        "title": doc.title,
        "author": doc.report.meta.agency.as_ref().map_or("gongkai", |a| a.value.as_str()),
        "fonts": font_data(),
        "blocks": blocks,
    })
}

fn font_data() -> Json {
    json!({
        "title": families::TITLE,
        "body": families::BODY,
        "hei": families::HEI,
        "kai": families::KAI,
        "song": families::SONG,
    })
}

/// A letter as the letter template's data.
fn letter_data(doc: &LetterDoc) -> Json {
    json!({
        "lang": match doc.lang { gongkai_model::Lang::Zh => "zh", gongkai_model::Lang::En => "en" },
        "title": doc.title,
        "author": doc.signature.first().map_or("gongkai", String::as_str),
        "doc_number": doc.doc_number,
        "recipient": doc.recipient,
        "paragraphs": doc.paragraphs,
        "signature": doc.signature,
        "fonts": font_data(),
    })
}
