//! XLSX output (rust_xlsxwriter): the three tables as sheets laid out like the template (merged
//! headers, the template's relative column widths), a sheet of native Excel charts (their data on
//! a hidden sheet), and a flat sheet of cell keys and values for machines.
//!
//! Sheet layout: the table's title in row 1, an empty row, then the table from row 3. Numbers are
//! written as numbers (so formulas can use them) with a format that keeps the printed scale;
//! blank cells stay empty; not-applicable marks and `?` are written as text. The flat sheet
//! `单元格` lists `key`, `value` (the cell-list form of spec §5, as text), `number`.
//!
//! The workbook's creation date is fixed so that the same report gives the same bytes.

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartPatternFill, ChartPatternFillType, ChartSolidFill,
    ChartType, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use gongkai_model::Value;

use crate::RenderError;
use crate::charts::Chart as GkChart;
use crate::doc::{Block, ReportDoc};
use crate::grid::{PrintedTable, Role};
use crate::html::caption;

/// Name of the flat sheet of cells.
pub const CELLS_SHEET: &str = "单元格";
/// Name of the chart sheet.
pub const CHARTS_SHEET: &str = "图表";
/// Name of the hidden sheet holding the charts' data (hidden so that a reader of the workbook
/// does not take the chart data for a second copy of the report's tables).
pub const CHART_DATA_SHEET: &str = "图表数据";
/// Name of the notice sheet (present only when the report is written despite errors).
pub const NOTICE_SHEET: &str = "校验提示";

fn e(err: XlsxError) -> RenderError {
    RenderError::Xlsx(err.to_string())
}

/// The sheet name of a table: `表3 收到和处理政府信息公开申请情况` (≤ 31 characters).
pub fn sheet_name(t: &PrintedTable) -> String {
    caption(t).replace('　', " ").chars().take(31).collect()
}

struct Formats {
    title: Format,
    head: Format,
    caption: Format,
    label: Format,
    value: Format,
    text: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10)
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            head: base.clone().set_align(FormatAlign::Center),
            caption: base.clone().set_align(FormatAlign::Left).set_background_color("C6D9F1"),
            label: base.clone().set_align(FormatAlign::Left),
            value: base.clone().set_align(FormatAlign::Center).set_num_format("General"),
            text: Format::new().set_font_name("宋体").set_font_size(11),
        }
    }
}

const TABLE_TOP: u32 = 2;

fn table_sheet(
    ws: &mut Worksheet,
    t: &PrintedTable,
    doc: &ReportDoc,
    f: &Formats,
) -> Result<(), RenderError> {
    ws.set_name(sheet_name(t)).map_err(e)?;
    ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    let total: u32 = t.widths.iter().sum();
    let page_chars = 150.0;
    for (i, w) in t.widths.iter().enumerate() {
        let width = (f64::from(*w) / f64::from(total.max(1)) * page_chars).max(6.0);
        ws.set_column_width(u16::try_from(i).unwrap_or(u16::MAX), width).map_err(e)?;
    }
    let last_col = u16::try_from(t.width().saturating_sub(1)).unwrap_or(0);
    ws.merge_range(0, 0, 0, last_col, &caption(t), &f.title).map_err(e)?;
    for c in t.cells() {
        let r0 = TABLE_TOP + u32::try_from(c.row).unwrap_or(0);
        let c0 = u16::try_from(c.col).unwrap_or(0);
        let r1 = r0 + u32::try_from(c.row_span).unwrap_or(1) - 1;
        let c1 = c0 + u16::try_from(c.col_span).unwrap_or(1) - 1;
        let fmt = match c.role {
            Role::Caption => &f.caption,
            Role::Header | Role::Group => &f.head,
            Role::Label => &f.label,
            Role::Value(_) => &f.value,
        };
        if r1 > r0 || c1 > c0 {
            ws.merge_range(r0, c0, r1, c1, "", fmt).map_err(e)?;
        }
        match c.key().and_then(|k| doc.report.cell(k)) {
            Some(cell) => {
                write_value(ws, r0, c0, &cell.value, cell.annotation.as_deref(), &c.text, fmt)?
            }
            None => {
                ws.write_string_with_format(r0, c0, &c.text, fmt).map_err(e)?;
            }
        }
    }
    for r in 0..t.height() {
        let row = TABLE_TOP + u32::try_from(r).unwrap_or(0);
        let tall = t.rows().nth(r).is_some_and(|cells| {
            cells.iter().any(|c| c.text.chars().count() > 24 && c.col_span < 3)
        });
        ws.set_row_height(row, if tall { 30 } else { 18 }).map_err(e)?;
    }
    Ok(())
}

/// Writes a value cell: numbers as numbers (keeping the printed scale through the number format),
/// annotated numbers and marks as text, blanks empty.
fn write_value(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: &Value,
    annotation: Option<&str>,
    printed: &str,
    fmt: &Format,
) -> Result<(), RenderError> {
    match (v, annotation) {
        (Value::Number(d), None) => {
            let scale = d.scale();
            let f = if scale == 0 {
                fmt.clone().set_num_format("0")
            } else {
                fmt.clone().set_num_format(format!("0.{}", "0".repeat(scale as usize)))
            };
            let n: f64 = d.to_string().parse().unwrap_or(0.0);
            ws.write_number_with_format(r, c, n, &f).map_err(e)?;
        }
        (Value::Blank, None) => {
            ws.write_blank(r, c, fmt).map_err(e)?;
        }
        _ => {
            ws.write_string_with_format(r, c, printed, fmt).map_err(e)?;
        }
    }
    Ok(())
}

fn cells_sheet(ws: &mut Worksheet, doc: &ReportDoc, f: &Formats) -> Result<(), RenderError> {
    ws.set_name(CELLS_SHEET).map_err(e)?;
    let bold = f.text.clone().set_bold();
    for (i, h) in ["key", "value", "number", "annotation"].iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(i).unwrap_or(0), *h, &bold).map_err(e)?;
    }
    ws.set_column_width(0, 44).map_err(e)?;
    ws.set_column_width(1, 12).map_err(e)?;
    ws.set_column_width(2, 12).map_err(e)?;
    ws.set_column_width(3, 24).map_err(e)?;
    for (row, cell) in (1u32..).zip(doc.report.cells()) {
        ws.write_string(row, 0, cell.key.to_string()).map_err(e)?;
        ws.write_string(row, 1, cell.value.tsv()).map_err(e)?;
        if let Some(d) = cell.value.number() {
            ws.write_number(row, 2, d.to_string().parse::<f64>().unwrap_or(0.0)).map_err(e)?;
        }
        if let Some(a) = &cell.annotation {
            ws.write_string(row, 3, a).map_err(e)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    Ok(())
}

fn pattern(i: usize) -> ChartFormat {
    let mut f = ChartFormat::new();
    match i % 4 {
        0 => {
            f.set_solid_fill(ChartSolidFill::new().set_color("404040"));
        }
        1 => {
            f.set_pattern_fill(
                ChartPatternFill::new()
                    .set_pattern(ChartPatternFillType::DiagonalStripesWideUpwards)
                    .set_foreground_color("000000")
                    .set_background_color("FFFFFF"),
            );
        }
        2 => {
            f.set_solid_fill(ChartSolidFill::new().set_color("B0B0B0"));
        }
        _ => {
            f.set_pattern_fill(
                ChartPatternFill::new()
                    .set_pattern(ChartPatternFillType::Dotted50Percent)
                    .set_foreground_color("000000")
                    .set_background_color("FFFFFF"),
            );
        }
    }
    f.set_border(rust_xlsxwriter::ChartLine::new().set_color("000000"));
    f
}

/// Writes each chart's data as a small table on the hidden data sheet, and a native bar chart
/// with its caption on the chart sheet.
fn charts_sheets(wb: &mut Workbook, charts: &[&GkChart], f: &Formats) -> Result<(), RenderError> {
    let mut built = Vec::new();
    {
        let data = wb.add_worksheet();
        data.set_name(CHART_DATA_SHEET).map_err(e)?;
        data.set_hidden(true);
        data.set_column_width(0, 28).map_err(e)?;
        let mut top = 0u32;
        for (n, c) in charts.iter().enumerate() {
            data.write_string_with_format(top, 0, format!("图{}　{}", n + 1, c.title), &f.text)
                .map_err(e)?;
            let head = top + 1;
            data.write_string_with_format(head, 0, "类别", &f.head).map_err(e)?;
            for (si, s) in c.series.iter().enumerate() {
                data.write_string_with_format(
                    head,
                    u16::try_from(si + 1).unwrap_or(1),
                    &s.name,
                    &f.head,
                )
                .map_err(e)?;
            }
            for (ci, cat) in c.categories.iter().enumerate() {
                let r = head + 1 + u32::try_from(ci).unwrap_or(0);
                data.write_string_with_format(r, 0, cat, &f.label).map_err(e)?;
                for (si, s) in c.series.iter().enumerate() {
                    let col = u16::try_from(si + 1).unwrap_or(1);
                    match s.values.get(ci).copied().flatten() {
                        Some(d) => data.write_number_with_format(
                            r,
                            col,
                            d.to_string().parse::<f64>().unwrap_or(0.0),
                            &f.value,
                        ),
                        None => data.write_string_with_format(r, col, "—", &f.value),
                    }
                    .map_err(e)?;
                }
            }
            let first = head + 1;
            let last = head + u32::try_from(c.categories.len()).unwrap_or(1);
            let mut chart = Chart::new(ChartType::Bar);
            chart.title().set_name(&c.title);
            for (si, s) in c.series.iter().enumerate() {
                let col = u16::try_from(si + 1).unwrap_or(1);
                chart
                    .add_series()
                    .set_name(&s.name)
                    .set_categories((CHART_DATA_SHEET, first, 0, last, 0))
                    .set_values((CHART_DATA_SHEET, first, col, last, col))
                    .set_format(&mut pattern(si))
                    .set_data_label(ChartDataLabel::new().show_value());
            }
            chart.y_axis().set_reverse();
            if c.series.len() == 1 {
                chart.legend().set_hidden();
            }
            let rows = u32::try_from(c.categories.len() * c.series.len()).unwrap_or(1);
            let height = (140 + rows * 22).clamp(260, 520);
            chart.set_width(620).set_height(height);
            built.push((format!("图{}　{}", n + 1, c.title), chart, height));
            top = last + 3;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(CHARTS_SHEET).map_err(e)?;
    let mut row = 0u32;
    for (caption, chart, height) in &built {
        ws.write_string_with_format(row, 0, caption, &f.text.clone().set_bold()).map_err(e)?;
        ws.insert_chart(row + 1, 0, chart).map_err(e)?;
        // Default rows are 20 px high.
        row += 3 + height / 20;
    }
    Ok(())
}

/// Renders the report as an XLSX workbook.
///
/// # Errors
/// [`RenderError::Xlsx`] when the workbook cannot be written.
pub fn render(doc: &ReportDoc) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2000, 1, 1).map_err(e)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&doc.title)
            .set_author("gongkai")
            .set_creation_datetime(&date),
    );
    let f = Formats::new();
    if let Some(n) = &doc.notice {
        let ws = wb.add_worksheet();
        ws.set_name(NOTICE_SHEET).map_err(e)?;
        ws.set_column_width(0, 120).map_err(e)?;
        ws.write_string_with_format(0, 0, &n.title, &f.text.clone().set_bold()).map_err(e)?;
        for (i, l) in n.lines.iter().enumerate() {
            ws.write_string(u32::try_from(i + 1).unwrap_or(1), 0, l).map_err(e)?;
        }
    }
    for t in doc.tables() {
        let ws = wb.add_worksheet();
        table_sheet(ws, t, doc, &f)?;
    }
    let charts: Vec<&GkChart> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(i, _) => doc.charts.get(*i),
            _ => None,
        })
        .collect();
    if !charts.is_empty() {
        charts_sheets(&mut wb, &charts, &f)?;
    }
    let ws = wb.add_worksheet();
    cells_sheet(ws, doc, &f)?;
    wb.save_to_buffer().map_err(e)
}
