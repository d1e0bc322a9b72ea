//! The CSV outputs: `reports.csv` (one row per report, one column per cell key), `findings.csv`
//! (one row per finding) and `cells.csv` (one row per cell, long form).
//!
//! UTF-8 without BOM, comma-separated, RFC 4180 quoting, `\n` line ends; rows in path order.
//! Cell values are written exactly as in the `tsv` cell list: the number as printed (`7730.28`),
//! empty for a blank cell, `/` for not applicable, `?` for undetermined. In `reports.csv` a cell
//! the report's layout does not have is empty as well: the `layout_t*` columns tell the two
//! apart (and `cells.csv` lists only the cells a report has, with their status).

use std::io::Write;

use gongkai_model::{Decimal, Lang, TableId};

use crate::WriteError;
use crate::runner::Batch;
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

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn writer<W: Write>(out: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(out)
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
        let row = ReportRow::new(record, batch.series_key(i));
        let c = row.counts;
        let mut fields: Vec<String> = vec![
            row.path,
            row.status.to_owned(),
            opt(row.reason_kind),
            opt(row.reason),
            opt(row.format),
            opt(row.agency),
            opt(row.agency_normalized),
            opt(row.year),
            opt(row.title),
            opt(row.layouts[0]),
            opt(row.layouts[1]),
            opt(row.layouts[2]),
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
        w.write_record(&fields)?;
    }
    w.flush()?;
    Ok(())
}

fn decimal(d: Option<Decimal>) -> String {
    opt(d)
}

/// Writes `findings.csv`, messages in `lang`.
///
/// # Errors
/// When writing fails.
pub fn write_findings<W: Write>(out: W, batch: &Batch, lang: Lang) -> Result<(), WriteError> {
    let mut w = writer(out);
    w.write_record(FINDING_COLUMNS)?;
    for record in &batch.records {
        let Some(r) = record.read() else { continue };
        let meta = &r.report.meta;
        let agency = opt(meta.agency.as_ref().map(|a| a.value.as_str()));
        let year = opt(meta.year.as_ref().map(|y| y.value));
        for f in &r.findings {
            let cells: Vec<String> = f.finding.cells.iter().map(ToString::to_string).collect();
            w.write_record([
                record.name.as_str(),
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
                f.previous.map_or("", |p| batch.records[p].name.as_str()),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes `cells.csv`: every cell of every table found, in table order.
///
/// # Errors
/// When writing fails.
pub fn write_cells<W: Write>(out: W, batch: &Batch) -> Result<(), WriteError> {
    let mut w = writer(out);
    w.write_record(CELL_COLUMNS)?;
    for record in &batch.records {
        let Some(r) = record.read() else { continue };
        let meta = &r.report.meta;
        let agency = opt(meta.agency.as_ref().map(|a| a.value.as_str()));
        let year = opt(meta.year.as_ref().map(|y| y.value));
        for t in [TableId::T2, TableId::T3, TableId::T4] {
            let Some(table) = r.report.table(t) else { continue };
            for cell in table.cells() {
                let place = r.locator.place_of(cell.span);
                w.write_record([
                    record.name.as_str(),
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
    }
    w.flush()?;
    Ok(())
}
