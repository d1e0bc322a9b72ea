//! DOCX output (docx-rs): the report as a Word document in the conventions of GB/T 9704 and the
//! official template's tables.
//!
//! - A4, margins 37/35/28/26 mm (top/bottom/left/right), body 三号 (16 pt) with a fixed 28 pt
//!   line pitch and a two-character first-line indent.
//! - Faces are *named* as the official ones (eastAsia 方正小标宋简体, 仿宋_GB2312, 黑体,
//!   楷体_GB2312, tables 宋体; Latin digits in Times New Roman) so Word and WPS use them where
//!   installed and substitute otherwise.
//! - Tables are the template's: same grid widths (twips), `gridSpan` and `vMerge` merges, the
//!   caption rows shaded C6D9F1 as in the template, 10 pt 宋体.
//! - Page numbers `— 1 —` in 四号 宋体, odd pages right and even pages left (GB/T 9704 §7.5).
//! - Charts as PNG pictures (rasterised from the same SVG as HTML) with a caption `图N　…`.

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Pic, Run, RunFonts, Shading, SpecialIndentType, Table,
    TableAlignmentType, TableCell, TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

use crate::RenderError;
use crate::doc::{Block, ReportDoc};
use crate::fonts::names;
use crate::grid::{PrintedTable, Role};
use crate::html::caption;
use crate::letter::LetterDoc;
use crate::png::Rasterizer;
use crate::text::{Level, Para};

/// Half-points: 二号 22 pt (title).
const SIZE_TITLE: usize = 44;
/// Half-points: 三号 16 pt (body).
const SIZE_BODY: usize = 32;
/// Half-points: 四号 14 pt (page numbers).
const SIZE_PAGE: usize = 28;
/// Half-points: 五号-ish 10 pt (tables, as in the template).
const SIZE_TABLE: usize = 20;
/// Half-points: 小四 12 pt (captions, notices).
const SIZE_SMALL: usize = 24;
/// Fixed line pitch of the body, twips (28 pt).
const LINE_BODY: i32 = 560;
/// Two-character first-line indent at 16 pt, twips.
const INDENT_2CH: i32 = 640;
/// Chart width in EMU (15.5 cm).
const CHART_WIDTH_EMU: u32 = 5_580_000;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(names::LATIN)
        .hi_ansi(names::LATIN)
        .cs(names::LATIN)
        .hint("eastAsia")
}

fn run(text: &str, face: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(face)).size(size)
}

fn body_spacing() -> LineSpacing {
    LineSpacing::new().line(LINE_BODY).line_rule(LineSpacingType::Exact).before(0).after(0)
}

fn para(p: &Para) -> Paragraph {
    let lead_face = match p.level {
        Level::First => names::HEI,
        Level::Second => names::KAI,
        Level::Body | Level::Third | Level::Fourth => names::BODY,
    };
    let mut out = Paragraph::new()
        .line_spacing(body_spacing())
        .indent(None, Some(SpecialIndentType::FirstLine(INDENT_2CH)), None, None)
        .align(AlignmentType::Both);
    if !p.lead.is_empty() {
        let mut r = run(&p.lead, lead_face, SIZE_BODY);
        if p.level == Level::Third {
            r = r.bold();
        }
        out = out.add_run(r);
    }
    if !p.rest.is_empty() {
        out = out.add_run(run(&p.rest, names::BODY, SIZE_BODY));
    }
    out
}

fn table(t: &PrintedTable) -> Table {
    let coverage = t.coverage();
    let cells: Vec<_> = t.cells().collect();
    let mut rows = Vec::new();
    for (r, line) in coverage.iter().enumerate() {
        let mut out = Vec::new();
        let mut c = 0;
        while c < line.len() {
            let Some(i) = line[c] else {
                c += 1;
                continue;
            };
            let cell = cells[i];
            let width: u32 = t.widths[cell.col..cell.col + cell.col_span].iter().sum();
            let mut tc = TableCell::new()
                .width(width as usize, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if cell.col_span > 1 {
                tc = tc.grid_span(cell.col_span);
            }
            if cell.row_span > 1 {
                tc = tc.vertical_merge(if cell.row == r {
                    VMergeType::Restart
                } else {
                    VMergeType::Continue
                });
            }
            if cell.role == Role::Caption {
                tc = tc.shading(Shading::new().fill("C6D9F1"));
            }
            let align = match cell.role {
                Role::Caption | Role::Label => AlignmentType::Left,
                _ => AlignmentType::Center,
            };
            // Keeping every row with the next keeps the table on one page in Word and WPS.
            let mut p =
                Paragraph::new().keep_next(r + 1 < coverage.len()).align(align).line_spacing(
                    LineSpacing::new()
                        .line(240)
                        .line_rule(LineSpacingType::Auto)
                        .before(0)
                        .after(0),
                );
            if cell.row == r && !cell.text.is_empty() {
                p = p.add_run(run(&cell.text, names::SONG, SIZE_TABLE));
            }
            out.push(tc.add_paragraph(p));
            c += cell.col_span;
        }
        rows.push(TableRow::new(out).row_height(340.0).cant_split());
    }
    let total: u32 = t.widths.iter().sum();
    Table::new(rows)
        .set_grid(t.widths.iter().map(|w| *w as usize).collect())
        .layout(TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
        .width(total as usize, WidthType::Dxa)
}

fn centered(text: &str, face: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(body_spacing())
        .add_run(run(text, face, size))
}

fn page_number(align: AlignmentType) -> Paragraph {
    let num = Run::new()
        .fonts(fonts(names::SONG))
        .size(SIZE_PAGE)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::default()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let indent = match align {
        AlignmentType::Right => (None, Some(280)),
        _ => (Some(280), None),
    };
    Paragraph::new()
        .align(align)
        .indent(indent.0, None, indent.1, None)
        .add_run(run("— ", names::SONG, SIZE_PAGE))
        .add_run(num)
        .add_run(run(" —", names::SONG, SIZE_PAGE))
}

/// The page of every document: A4 with the margins of GB/T 9704, the body face and size.
fn page() -> Docx {
    Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new().top(2098).bottom(1984).left(1588).right(1474).header(851).footer(992),
        )
        .default_fonts(fonts(names::BODY))
        .default_size(SIZE_BODY)
        .custom_property("generator", "gongkai")
}

fn title(t: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new().line(700).line_rule(LineSpacingType::Exact).before(0).after(560),
        )
        .add_run(run(t, names::TITLE, SIZE_TITLE))
}

fn signature(d: Docx, lines: &[String]) -> Docx {
    let mut d = d.add_paragraph(Paragraph::new().line_spacing(body_spacing()));
    for l in lines {
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .indent(None, None, Some(INDENT_2CH * 2), None)
                .line_spacing(body_spacing())
                .add_run(run(l, names::BODY, SIZE_BODY)),
        );
    }
    d
}

fn pack(d: Docx) -> Result<Vec<u8>, RenderError> {
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// Renders a letter as a DOCX file: title, 文号 centred under it, the recipient flush left, the
/// body paragraphs, then agency and date at the right.
///
/// # Errors
/// [`RenderError::Docx`] when the package cannot be written.
pub fn render_letter(doc: &LetterDoc) -> Result<Vec<u8>, RenderError> {
    let mut d = page().add_paragraph(title(&doc.title));
    if !doc.doc_number.is_empty() {
        d = d.add_paragraph(centered(&doc.doc_number, names::BODY, SIZE_BODY));
        d = d.add_paragraph(Paragraph::new().line_spacing(body_spacing()));
    }
    if !doc.recipient.is_empty() {
        d = d.add_paragraph(Paragraph::new().line_spacing(body_spacing()).add_run(run(
            &doc.recipient,
            names::BODY,
            SIZE_BODY,
        )));
    }
    for p in &doc.paragraphs {
        d = d.add_paragraph(para(&Para {
            level: Level::Body,
            lead: String::new(),
            rest: p.clone(),
        }));
    }
    pack(signature(d, &doc.signature))
}

/// Renders the report as a DOCX file.
///
/// # Errors
/// [`RenderError::NoFonts`] / [`RenderError::Image`] when a chart cannot be rasterised,
/// [`RenderError::Docx`] when the package cannot be written.
pub fn render(doc: &ReportDoc, raster: Option<&Rasterizer>) -> Result<Vec<u8>, RenderError> {
    let mut d = page()
        .footer(Footer::new().add_paragraph(page_number(AlignmentType::Right)))
        .even_footer(Footer::new().add_paragraph(page_number(AlignmentType::Left)));
    for b in &doc.blocks {
        match b {
            Block::Notice(n) => {
                d = d.add_paragraph(
                    Paragraph::new()
                        .line_spacing(body_spacing())
                        .add_run(run(&n.title, names::HEI, SIZE_SMALL).bold()),
                );
                for l in &n.lines {
                    d = d.add_paragraph(Paragraph::new().add_run(run(l, names::HEI, SIZE_SMALL)));
                }
            }
            Block::Title(t) => d = d.add_paragraph(title(t)),
            Block::Heading(_, t) => {
                d = d.add_paragraph(
                    Paragraph::new()
                        .line_spacing(body_spacing())
                        .indent(None, Some(SpecialIndentType::FirstLine(INDENT_2CH)), None, None)
                        .keep_next(true)
                        .add_run(run(t, names::HEI, SIZE_BODY)),
                );
            }
            Block::Para(p) => d = d.add_paragraph(para(p)),
            Block::Table(t) => {
                d = d.add_paragraph(centered(&caption(t), names::HEI, SIZE_SMALL).keep_next(true));
                d = d.add_table(table(t));
                d = d.add_paragraph(Paragraph::new().line_spacing(body_spacing()));
            }
            Block::Chart(i, n) => {
                let chart = &doc.charts[*i];
                let raster = raster.ok_or(RenderError::NoFonts)?;
                let (png, w, h) = raster.png(&chart.svg(), 2.0)?;
                let height =
                    u32::try_from(u64::from(CHART_WIDTH_EMU) * u64::from(h) / u64::from(w.max(1)))
                        .unwrap_or(u32::MAX);
                let pic = Pic::new_with_dimensions(png, w, h)
                    .size(CHART_WIDTH_EMU, height)
                    .id(format!("gongkai-chart-{}", chart.id));
                d = d.add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .add_run(Run::new().add_image(pic)),
                );
                d = d.add_paragraph(centered(
                    &format!("图{n}　{}", chart.title),
                    names::BODY,
                    SIZE_SMALL,
                ));
            }
            Block::Signature(lines) => d = signature(d, lines),
        }
    }
    pack(d)
}
