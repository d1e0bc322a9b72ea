//! The CSV outputs: `reports.csv` (one row per report, one column per cell key), `findings.csv`
//! (one row per finding) and `cells.csv` (one row per cell, long form).
//!
//! UTF-8 without BOM, comma-separated, RFC 4180 quoting, `\n` line ends; rows in path order.
//! [`CsvStyle::Excel`] (`--excel`) writes `findings.csv` and `cells.csv` for people instead: a
//! UTF-8 BOM (so Excel on a Chinese Windows system reads UTF-8, not GBK) and the Chinese column
//! labels of [`COLUMN_LABELS`] as the header.
//! Cell values are written exactly as in the `tsv` cell list: the number as printed (`7730.28`),
//! empty for a blank cell, `/` for not applicable, `?` for undetermined. In `reports.csv` a cell
//! the report's layout does not have is empty as well: the `layout_t*` columns tell the two
//! apart (and `cells.csv` lists only the cells a report has, with their status).

use std::io::Write;

use gongkai_model::{Decimal, Lang, TableId};

use crate::WriteError;
use crate::locate::Locator;
use crate::runner::{Batch, BatchFinding};
use crate::schema::{REPORT_COLUMNS, ReportRow, cell_keys, status};

/// Columns of `findings.csv`.
pub const FINDING_COLUMNS: &[&str] = &[
    "path",
    "agency",
    "year",
    "rule",
    "severity",
    "kind",
    "message",
    "cells",
    "printed",
    "implied",
    "line",
    "page",
    "compared_with",
];

/// Columns of `cells.csv`.
pub const CELL_COLUMNS: &[&str] = &[
    "path",
    "agency",
    "year",
    "key",
    "table",
    "row",
    "column",
    "layout",
    "value",
    "status",
    "annotation",
    "line",
    "page",
];

/// How a CSV file meant to be opened by people is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvStyle {
    /// For programs: no BOM, the column keys as the header.
    #[default]
    Plain,
    /// For Excel: a UTF-8 BOM and the Chinese column labels as the header.
    Excel,
}

/// The Chinese label of every column key of the CSV outputs (`findings.csv`, `cells.csv`, and
/// `gongkai extract --format csv`), declared once.
pub const COLUMN_LABELS: &[(&str, &str)] = &[
    ("path", "文件"),
    ("agency", "机关"),
    ("year", "年度"),
    ("rule", "规则"),
    ("severity", "级别"),
    ("kind", "类别"),
    ("message", "说明"),
    ("cells", "单元格"),
    ("printed", "印出值"),
    ("implied", "推算值"),
    ("line", "行号"),
    ("page", "页码"),
    ("compared_with", "对比报告"),
    ("key", "单元格键"),
    ("table", "表"),
    ("row", "行"),
    ("column", "列"),
    ("row_label", "行标题"),
    ("column_label", "列标题"),
    ("layout", "格式"),
    ("value", "值"),
    ("status", "状态"),
    ("annotation", "批注"),
];

/// The header for `columns` in `style`: the keys, or their Chinese labels (a key without a label
/// stays as it is).
pub fn header<'a>(columns: &[&'a str], style: CsvStyle) -> Vec<&'a str> {
    columns
        .iter()
        .map(|&key| match style {
            CsvStyle::Plain => key,
            CsvStyle::Excel => {
                COLUMN_LABELS.iter().find(|(k, _)| *k == key).map_or(key, |(_, label)| label)
            }
        })
        .collect()
}

/// Starts a CSV file in `style`: the UTF-8 BOM for Excel, nothing otherwise.
///
/// # Errors
/// When writing fails.
pub fn start<W: Write>(out: &mut W, style: CsvStyle) -> std::io::Result<()> {
    match style {
        CsvStyle::Plain => Ok(()),
        CsvStyle::Excel => out.write_all(b"\xEF\xBB\xBF"),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The CSV writer of every output: RFC 4180 quoting, `\n` line ends.
pub fn writer<W: Write>(out: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(out)
}

/// The fields of `row` in `reports.csv`: the metadata columns, then one per cell key.
pub fn report_fields(row: &ReportRow) -> Vec<String> {
    let c = row.counts;
    let mut fields: Vec<String> = vec![
        row.path.clone(),
        row.status.to_string(),
        opt(row.reason_kind.as_deref()),
        opt(row.reason.as_deref()),
        opt(row.format.as_deref()),
        opt(row.agency.as_deref()),
        opt(row.agency_normalized.as_deref()),
        opt(row.year),
        opt(row.title.as_deref()),
        opt(row.layouts[0].as_deref()),
        opt(row.layouts[1].as_deref()),
        opt(row.layouts[2].as_deref()),
        opt(c.map(|c| c.errors)),
        opt(c.map(|c| c.warnings)),
        opt(c.map(|c| c.infos)),
        opt(c.map(|c| c.source)),
        opt(c.map(|c| c.extraction)),
        opt(row.cross_year),
    ];
    debug_assert_eq!(fields.len(), REPORT_COLUMNS.len());
    fields.extend(
        row.cells.iter().map(|v| v.as_ref().map(gongkai_model::Value::tsv).unwrap_or_default()),
    );
    fields
}

/// Writes `reports.csv`.
///
/// # Errors
/// When writing fails.
pub fn write_reports<W: Write>(out: W, batch: &Batch) -> Result<(), WriteError> {
    let mut w = writer(out);
    let header: Vec<String> = REPORT_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(cell_keys().iter().map(ToString::to_string))
        .collect();
    w.write_record(&header)?;
    for (i, record) in batch.records.iter().enumerate() {
        w.write_record(report_fields(&ReportRow::new(record, batch.series_key(i))))?;
    }
    w.flush()?;
    Ok(())
}

fn decimal(d: Option<Decimal>) -> String {
    opt(d)
}

/// Writes one row of `findings.csv`: `finding` of the report `name` with metadata `meta`,
/// compared with the report named `compared_with` (empty for its own findings).
///
/// # Errors
/// When writing fails.
pub fn write_finding<W: Write>(
    w: &mut ::csv::Writer<W>,
    name: &str,
    meta: &gongkai_model::Metadata,
    f: &BatchFinding,
    lang: Lang,
    compared_with: &str,
) -> Result<(), WriteError> {
    let agency = opt(meta.agency.as_ref().map(|a| a.value.as_str()));
    let year = opt(meta.year.as_ref().map(|y| y.value));
    let cells: Vec<String> = f.finding.cells.iter().map(ToString::to_string).collect();
    w.write_record([
        name,
        &agency,
        &year,
        f.finding.rule,
        f.finding.severity.key(),
        f.finding.kind.key(),
        f.finding.message.get(lang),
        &cells.join(" "),
        &decimal(f.finding.printed),
        &decimal(f.finding.implied),
        &opt(f.place.line),
        &opt(f.place.page),
        compared_with,
    ])?;
    Ok(())
}

/// Writes `findings.csv`, messages in `lang`, in `style`.
///
/// # Errors
/// When writing fails.
pub fn write_findings<W: Write>(
    mut out: W,
    batch: &Batch,
    lang: Lang,
    style: CsvStyle,
) -> Result<(), WriteError> {
    start(&mut out, style)?;
    let mut w = writer(out);
    w.write_record(header(FINDING_COLUMNS, style))?;
    for record in &batch.records {
        let Some(r) = record.read() else { continue };
        for f in &r.findings {
            let compared = f.previous.map_or("", |p| batch.records[p].name.as_str());
            write_finding(&mut w, &record.name, &r.report.meta, f, lang, compared)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes the rows of `cells.csv` for one report named `name`, read from the document `locator`
/// locates in.
///
/// # Errors
/// When writing fails.
pub fn write_cell_rows<W: Write>(
    w: &mut ::csv::Writer<W>,
    name: &str,
    report: &gongkai_model::Report,
    locator: &Locator,
) -> Result<(), WriteError> {
    let meta = &report.meta;
    let agency = opt(meta.agency.as_ref().map(|a| a.value.as_str()));
    let year = opt(meta.year.as_ref().map(|y| y.value));
    for t in [TableId::T2, TableId::T3, TableId::T4] {
        let Some(table) = report.table(t) else { continue };
        for cell in table.cells() {
            let place = locator.place_of(cell.span);
            w.write_record([
                name,
                &agency,
                &year,
                &cell.key.to_string(),
                t.key(),
                cell.key.row.key(),
                cell.key.col.key(),
                table.layout().key(),
                &cell.value.tsv(),
                status(&cell.value),
                cell.annotation.as_deref().unwrap_or(""),
                &opt(place.line),
                &opt(place.page),
            ])?;
        }
    }
    Ok(())
}

/// Writes `cells.csv`: every cell of every table found, in table order, in `style`.
///
/// # Errors
/// When writing fails.
pub fn write_cells<W: Write>(mut out: W, batch: &Batch, style: CsvStyle) -> Result<(), WriteError> {
    start(&mut out, style)?;
    let mut w = writer(out);
    w.write_record(header(CELL_COLUMNS, style))?;
    for record in &batch.records {
        let Some(r) = record.read() else { continue };
        write_cell_rows(&mut w, &record.name, &r.report, &r.locator)?;
    }
    w.flush()?;
    Ok(())
}
