//! The Parquet output: `reports.parquet`, one row per report, the same rows as `reports.csv`
//! with typed columns.
//!
//! ## Schema (version 1)
//!
//! - the metadata columns of [`crate::schema::REPORT_COLUMNS`]: strings (`path`, `status` are
//!   required; the rest nullable), `year` INT32, the finding counts INT64 (null for a file not
//!   read);
//! - for each cell key (`t3.granted.natural_person`, 226 keys, see [`crate::schema`]) **two**
//!   columns:
//!   - `<key>`: the number, typed — INT64 for counts, DECIMAL(18, 6) for amounts (the fee in
//!     万元, the trial format's procurement amount). Null unless the cell holds a number that
//!     the type represents exactly (a non-integer count or an amount with more than six decimals
//!     stays in the text column only; `CELL-INTEGER` reports such cells anyway).
//!   - `<key>:tsv`: the value exactly as in the `tsv` cell list and `reports.csv` — `12`,
//!     `7730.28`, empty string for blank, `/` for not applicable, `?` for undetermined — and null
//!     when the report's layout has no such cell (or the file was not read).
//!
//! Why both: an analyst sums `"t3.new_received.total"` directly (blank, `/` and `?` are null,
//! never a silent zero), and filters `"t3.new_received.total:tsv" = '?'` to see which reports the
//! reader could not determine; the text column keeps the printed form (scale, marks) that a
//! numeric type would lose. Blank, not applicable, undetermined and absent stay four different
//! things, as in the model.
//!
//! The file carries key-value metadata `gongkai.format = gongkai-reports`,
//! `gongkai.version = 1`. Snappy compression, dictionary encoding, rows in path order in row
//! groups of at most [`ROW_GROUP_ROWS`].

use std::io::Write;
use std::sync::Arc;

use ::parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use ::parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use ::parquet::file::metadata::KeyValue;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::{Type, TypePtr};
use gongkai_model::{Decimal, Value, ValueKind};

use crate::WriteError;
use crate::analyse::Counts;
use crate::runner::Batch;
use crate::schema::{REPORT_COLUMNS, ReportRow, cell_keys, value_kind};

/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 8192;

/// Scale of the DECIMAL amount columns.
pub const AMOUNT_SCALE: u32 = 6;
/// Precision of the DECIMAL amount columns (fits an INT64).
pub const AMOUNT_PRECISION: u32 = 18;

/// Suffix of the text column of a cell key.
pub const TEXT_SUFFIX: &str = ":tsv";

/// Where a column's values come from.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// A string metadata column (index into [`REPORT_COLUMNS`]).
    Text(usize),
    /// `year`.
    Year,
    /// A count column.
    Count(fn(Counts) -> usize),
    /// `cross_year`.
    CrossYear,
    /// The number in cell `i` of [`cell_keys`].
    Number(usize, ValueKind),
    /// The tsv text of cell `i`.
    CellText(usize),
}

fn columns() -> Vec<(String, Source)> {
    let mut out = Vec::new();
    for (i, name) in REPORT_COLUMNS.iter().enumerate() {
        let source = match *name {
            "year" => Source::Year,
            "errors" => Source::Count(|c| c.errors),
            "warnings" => Source::Count(|c| c.warnings),
            "infos" => Source::Count(|c| c.infos),
            "source" => Source::Count(|c| c.source),
            "extraction" => Source::Count(|c| c.extraction),
            "cross_year" => Source::CrossYear,
            _ => Source::Text(i),
        };
        out.push(((*name).to_owned(), source));
    }
    for (i, key) in cell_keys().iter().enumerate() {
        out.push((key.to_string(), Source::Number(i, value_kind(*key))));
        out.push((format!("{key}{TEXT_SUFFIX}"), Source::CellText(i)));
    }
    out
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn field(name: &str, source: Source) -> Result<TypePtr, WriteError> {
    let t = match source {
        Source::Text(i) => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
            .with_logical_type(Some(LogicalType::String))
            // `path` and `status` are always present.
            .with_repetition(if i < 2 { Repetition::REQUIRED } else { Repetition::OPTIONAL }),
        Source::CellText(_) => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
            .with_logical_type(Some(LogicalType::String))
            .with_repetition(Repetition::OPTIONAL),
        Source::Year => Type::primitive_type_builder(name, Physical::INT32)
            .with_repetition(Repetition::OPTIONAL),
        Source::Count(_) | Source::CrossYear | Source::Number(_, _) => {
            let b = Type::primitive_type_builder(name, Physical::INT64)
                .with_repetition(Repetition::OPTIONAL);
            match source {
                Source::Number(_, ValueKind::Amount) => b
                    .with_logical_type(Some(LogicalType::decimal(
                        to_i32(AMOUNT_SCALE),
                        to_i32(AMOUNT_PRECISION),
                    )))
                    .with_precision(to_i32(AMOUNT_PRECISION))
                    .with_scale(to_i32(AMOUNT_SCALE)),
                _ => b,
            }
        }
    };
    Ok(Arc::new(t.build()?))
}

/// The Parquet schema of `reports.parquet`.
///
/// # Errors
/// Never in practice (the schema is fixed); a parquet error if a column were malformed.
pub fn schema() -> Result<TypePtr, WriteError> {
    let fields =
        columns().iter().map(|(n, s)| field(n, *s)).collect::<Result<Vec<_>, WriteError>>()?;
    Ok(Arc::new(Type::group_type_builder("gongkai_reports").with_fields(fields).build()?))
}

/// The schema as text (Parquet message syntax), for documentation and snapshot tests.
///
/// # Errors
/// As [`schema`].
pub fn schema_text() -> Result<String, WriteError> {
    let mut out = Vec::new();
    ::parquet::schema::printer::print_schema(&mut out, schema()?.as_ref());
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A count cell as INT64: integers only.
fn count_value(d: Decimal) -> Option<i64> {
    if d.fract().is_zero() { i64::try_from(d.trunc()).ok() } else { None }
}

/// An amount cell as the unscaled INT64 of DECIMAL(18, 6): exact values only.
fn amount_value(d: Decimal) -> Option<i64> {
    if d.scale() > AMOUNT_SCALE {
        return None;
    }
    let mut x = d;
    x.rescale(AMOUNT_SCALE);
    let m = x.mantissa();
    (m.unsigned_abs() < 10u128.pow(AMOUNT_PRECISION)).then(|| i64::try_from(m).ok()).flatten()
}

/// Values and definition levels of one optional column.
struct Column<T> {
    values: Vec<T>,
    defs: Vec<i16>,
}

impl<T> Column<T> {
    fn new(n: usize) -> Self {
        Column { values: Vec::with_capacity(n), defs: Vec::with_capacity(n) }
    }

    fn push(&mut self, v: Option<T>) {
        match v {
            Some(v) => {
                self.values.push(v);
                self.defs.push(1);
            }
            None => self.defs.push(0),
        }
    }
}

fn text(row: &ReportRow, i: usize) -> Option<String> {
    match REPORT_COLUMNS[i] {
        "path" => Some(row.path.clone()),
        "status" => Some(row.status.to_owned()),
        "reason_kind" => row.reason_kind.map(str::to_owned),
        "reason" => row.reason.clone(),
        "format" => row.format.map(str::to_owned),
        "agency" => row.agency.clone(),
        "agency_normalized" => row.agency_normalized.clone(),
        "title" => row.title.clone(),
        "layout_t2" => row.layouts[0].map(str::to_owned),
        "layout_t3" => row.layouts[1].map(str::to_owned),
        "layout_t4" => row.layouts[2].map(str::to_owned),
        _ => None,
    }
}

/// Writes `reports.parquet`.
///
/// # Errors
/// When writing fails.
pub fn write_reports<W: Write + Send>(out: W, batch: &Batch) -> Result<(), WriteError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![
            KeyValue::new("gongkai.format".to_owned(), "gongkai-reports".to_owned()),
            KeyValue::new("gongkai.version".to_owned(), "1".to_owned()),
        ]))
        .build();
    let columns = columns();
    let mut writer = SerializedFileWriter::new(out, schema()?, Arc::new(props))?;
    let rows: Vec<ReportRow> = batch
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| ReportRow::new(r, batch.series_key(i)))
        .collect();
    for chunk in rows.chunks(ROW_GROUP_ROWS) {
        let mut group = writer.next_row_group()?;
        let mut index = 0;
        while let Some(mut col) = group.next_column()? {
            let Some((_, source)) = columns.get(index) else { break };
            index += 1;
            match *source {
                Source::Text(i) => {
                    let mut c = Column::new(chunk.len());
                    for row in chunk {
                        c.push(text(row, i).map(|s| ByteArray::from(s.into_bytes())));
                    }
                    // `path` and `status` are required: no definition levels.
                    let defs = (i >= 2).then_some(c.defs.as_slice());
                    col.typed::<ByteArrayType>().write_batch(&c.values, defs, None)?;
                }
                Source::CellText(i) => {
                    let mut c = Column::new(chunk.len());
                    for row in chunk {
                        c.push(
                            row.cells[i].as_ref().map(|v| ByteArray::from(v.tsv().into_bytes())),
                        );
                    }
                    col.typed::<ByteArrayType>().write_batch(&c.values, Some(&c.defs), None)?;
                }
                Source::Year => {
                    let mut c = Column::new(chunk.len());
                    for row in chunk {
                        c.push(row.year);
                    }
                    col.typed::<Int32Type>().write_batch(&c.values, Some(&c.defs), None)?;
                }
                Source::Count(f) => {
                    let mut c = Column::new(chunk.len());
                    for row in chunk {
                        c.push(row.counts.map(|n| i64::try_from(f(n)).unwrap_or(i64::MAX)));
                    }
                    col.typed::<Int64Type>().write_batch(&c.values, Some(&c.defs), None)?;
                }
                Source::CrossYear => {
                    let mut c = Column::new(chunk.len());
                    for row in chunk {
                        c.push(row.cross_year.map(|n| i64::try_from(n).unwrap_or(i64::MAX)));
                    }
                    col.typed::<Int64Type>().write_batch(&c.values, Some(&c.defs), None)?;
                }
                Source::Number(i, kind) => {
                    let mut c = Column::new(chunk.len());
                    for row in chunk {
                        c.push(row.cells[i].as_ref().and_then(Value::number).and_then(
                            |d| match kind {
                                ValueKind::Amount => amount_value(d),
                                ValueKind::Count | ValueKind::SignedCount => count_value(d),
                            },
                        ));
                    }
                    col.typed::<Int64Type>().write_batch(&c.values, Some(&c.defs), None)?;
                }
            }
            col.close()?;
        }
        group.close()?;
    }
    writer.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_exact_or_null() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(count_value(d("12")), Some(12));
        assert_eq!(count_value(d("12.0")), Some(12));
        assert_eq!(count_value(d("-3")), Some(-3));
        assert_eq!(count_value(d("1.5")), None);
        assert_eq!(amount_value(d("7730.28")), Some(7_730_280_000));
        assert_eq!(amount_value(d("0.000001")), Some(1));
        assert_eq!(amount_value(d("0.0000001")), None);
        assert_eq!(amount_value(d("999999999999.999999")), Some(999_999_999_999_999_999));
        assert_eq!(amount_value(d("1000000000000")), None);
    }
}
