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

mod held;

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

/// Rows per row group (at most; see [`HELD_BYTES`]). Every row group adds its metadata to the
/// footer, which the writer keeps until the file is closed (≈ 460 KB for the 470 column chunks
/// of `reports.parquet`, ≈ 7 bytes a row at this size); a [`ReportsWriter`] holds the group's
/// rows compressed column by column (≈ 270 bytes a row on the generated corpus), measured in
/// `docs/batch.md`.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// Compressed bytes a [`ReportsWriter`] holds at most before it writes a row group, however
/// little its rows compress (the group is then shorter than [`ROW_GROUP_ROWS`]).
pub const HELD_BYTES: usize = 24 << 20;

/// Rows a [`ReportsWriter`] holds as rows (`HeldRow`, ≈ 1.9 KB each) before it compresses them
/// into the group's columns.
const BATCH_ROWS: usize = 1_024;

/// Scale of the DECIMAL amount columns.
pub const AMOUNT_SCALE: u32 = 6;
/// Precision of the DECIMAL amount columns (fits an INT64).
pub const AMOUNT_PRECISION: u32 = 18;

/// Suffix of the text column of a cell key.
pub const TEXT_SUFFIX: &str = ":tsv";

/// Where a column's values come from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
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

/// The type of a column of a [`write_table`] file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text (BYTE_ARRAY, logical type STRING).
    Text,
    /// INT32.
    Int32,
    /// INT64.
    Int64,
    /// DECIMAL([`AMOUNT_PRECISION`], [`AMOUNT_SCALE`]) stored as an unscaled INT64
    /// (see [`amount_value`]).
    Decimal,
}

/// One column of a [`write_table`] file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: ColumnType,
    /// Whether every row has a value (no definition levels).
    pub required: bool,
}

/// The values of one column for a run of rows (`None`: null); the variant matches the
/// column's [`ColumnType`] (`Int64` for [`ColumnType::Decimal`]: unscaled values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Values {
    /// Text values.
    Text(Vec<Option<String>>),
    /// INT32 values.
    Int32(Vec<Option<i32>>),
    /// INT64 values (or unscaled decimals).
    Int64(Vec<Option<i64>>),
}

fn field_type(def: &ColumnDef) -> Result<TypePtr, WriteError> {
    let repetition = if def.required { Repetition::REQUIRED } else { Repetition::OPTIONAL };
    let t = match def.ty {
        ColumnType::Text => Type::primitive_type_builder(&def.name, Physical::BYTE_ARRAY)
            .with_logical_type(Some(LogicalType::String)),
        ColumnType::Int32 => Type::primitive_type_builder(&def.name, Physical::INT32),
        ColumnType::Int64 => Type::primitive_type_builder(&def.name, Physical::INT64),
        ColumnType::Decimal => Type::primitive_type_builder(&def.name, Physical::INT64)
            .with_logical_type(Some(LogicalType::decimal(
                to_i32(AMOUNT_SCALE),
                to_i32(AMOUNT_PRECISION),
            )))
            .with_precision(to_i32(AMOUNT_PRECISION))
            .with_scale(to_i32(AMOUNT_SCALE)),
    };
    Ok(Arc::new(t.with_repetition(repetition).build()?))
}

/// The Parquet schema (a message named `name`) of `columns`.
///
/// # Errors
/// A parquet error if a column were malformed.
pub fn table_schema(name: &str, columns: &[ColumnDef]) -> Result<TypePtr, WriteError> {
    let fields = columns.iter().map(field_type).collect::<Result<Vec<_>, WriteError>>()?;
    Ok(Arc::new(Type::group_type_builder(name).with_fields(fields).build()?))
}

/// Writes a Parquet file of `rows` rows with `columns` (schema message `name`), Snappy
/// compression and the key-value `metadata`, in row groups of at most [`ROW_GROUP_ROWS`]:
/// `values(i, range)` gives column `i`'s values for the rows of `range`. The one column writer
/// of every Parquet output (`reports.parquet` here, the server's open data); [`TableWriter`]
/// writes the same file a row group at a time.
///
/// # Errors
/// When writing fails, or `values` gives a variant that does not match the column's type or the
/// wrong number of values.
pub fn write_table<W, F>(
    out: W,
    name: &str,
    metadata: &[(&str, &str)],
    columns: &[ColumnDef],
    rows: usize,
    mut values: F,
) -> Result<(), WriteError>
where
    W: Write + Send,
    F: FnMut(usize, std::ops::Range<usize>) -> Values,
{
    let mut writer = TableWriter::new(out, name, metadata, columns)?;
    let mut start = 0;
    while start < rows {
        let end = rows.min(start.saturating_add(ROW_GROUP_ROWS));
        writer.write_group(end - start, |index, range| {
            Ok(values(index, range.start + start..range.end + start))
        })?;
        start = end;
    }
    writer.close()
}

/// A Parquet file written a row group at a time (see [`write_table`]).
pub struct TableWriter<'c, W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: &'c [ColumnDef],
}

impl<'c, W: Write + Send> TableWriter<'c, W> {
    /// Starts a file with `columns` (schema message `name`), Snappy compression and the
    /// key-value `metadata`.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(
        out: W,
        name: &str,
        metadata: &[(&str, &str)],
        columns: &'c [ColumnDef],
    ) -> Result<Self, WriteError> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_key_value_metadata(Some(
                metadata
                    .iter()
                    .map(|(k, v)| KeyValue::new((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ))
            .build();
        let writer = SerializedFileWriter::new(out, table_schema(name, columns)?, Arc::new(props))?;
        Ok(TableWriter { writer, columns })
    }

    /// Writes one row group of `rows` rows: `values(i, 0..rows)` gives column `i`'s values.
    ///
    /// # Errors
    /// As [`write_table`], and the errors of `values`.
    pub fn write_group<F>(&mut self, rows: usize, mut values: F) -> Result<(), WriteError>
    where
        F: FnMut(usize, std::ops::Range<usize>) -> Result<Values, WriteError>,
    {
        let columns = self.columns;
        let mut group = self.writer.next_row_group()?;
        let mut index = 0;
        while let Some(mut col) = group.next_column()? {
            let Some(def) = columns.get(index) else { break };
            let data = values(index, 0..rows)?;
            index += 1;
            let mismatch = || {
                ::parquet::errors::ParquetError::General(format!(
                    "column {}: values do not match its type or the row count",
                    def.name
                ))
            };
            match (def.ty, data) {
                (ColumnType::Text, Values::Text(v)) if v.len() == rows => {
                    let mut c = Column::new(v.len());
                    for x in v {
                        c.push(x.map(|s| ByteArray::from(s.into_bytes())));
                    }
                    let defs = (!def.required).then_some(c.defs.as_slice());
                    col.typed::<ByteArrayType>().write_batch(&c.values, defs, None)?;
                }
                (ColumnType::Int32, Values::Int32(v)) if v.len() == rows => {
                    let mut c = Column::new(v.len());
                    v.into_iter().for_each(|x| c.push(x));
                    let defs = (!def.required).then_some(c.defs.as_slice());
                    col.typed::<Int32Type>().write_batch(&c.values, defs, None)?;
                }
                (ColumnType::Int64 | ColumnType::Decimal, Values::Int64(v)) if v.len() == rows => {
                    let mut c = Column::new(v.len());
                    v.into_iter().for_each(|x| c.push(x));
                    let defs = (!def.required).then_some(c.defs.as_slice());
                    col.typed::<Int64Type>().write_batch(&c.values, defs, None)?;
                }
                _ => return Err(mismatch().into()),
            }
            col.close()?;
        }
        group.close()?;
        Ok(())
    }

    /// Writes the footer.
    ///
    /// # Errors
    /// When writing fails.
    pub fn close(self) -> Result<(), WriteError> {
        self.writer.close()?;
        Ok(())
    }
}

/// The column definitions of `reports.parquet`.
fn definitions(columns: &[(String, Source)]) -> Vec<ColumnDef> {
    columns
        .iter()
        .map(|(name, source)| {
            let (ty, required) = match *source {
                // `path` and `status` are always present.
                Source::Text(i) => (ColumnType::Text, i < 2),
                Source::CellText(_) => (ColumnType::Text, false),
                Source::Year => (ColumnType::Int32, false),
                Source::Number(_, ValueKind::Amount) => (ColumnType::Decimal, false),
                Source::Count(_) | Source::CrossYear | Source::Number(_, _) => {
                    (ColumnType::Int64, false)
                }
            };
            ColumnDef { name: name.clone(), ty, required }
        })
        .collect()
}

/// The Parquet schema of `reports.parquet`.
///
/// # Errors
/// Never in practice (the schema is fixed); a parquet error if a column were malformed.
pub fn schema() -> Result<TypePtr, WriteError> {
    table_schema("gongkai_reports", &definitions(&columns()))
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
pub fn count_value(d: Decimal) -> Option<i64> {
    if d.fract().is_zero() { i64::try_from(d.trunc()).ok() } else { None }
}

/// An amount cell as the unscaled INT64 of DECIMAL(18, 6): exact values only.
pub fn amount_value(d: Decimal) -> Option<i64> {
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
        "status" => Some(row.status.to_string()),
        "reason_kind" => row.reason_kind.as_deref().map(str::to_owned),
        "reason" => row.reason.clone(),
        "format" => row.format.as_deref().map(str::to_owned),
        "agency" => row.agency.clone(),
        "agency_normalized" => row.agency_normalized.clone(),
        "title" => row.title.clone(),
        "layout_t2" => row.layouts[0].as_deref().map(str::to_owned),
        "layout_t3" => row.layouts[1].as_deref().map(str::to_owned),
        "layout_t4" => row.layouts[2].as_deref().map(str::to_owned),
        _ => None,
    }
}

/// Writes `reports.parquet`.
///
/// # Errors
/// When writing fails.
pub fn write_reports<W: Write + Send>(out: W, batch: &Batch) -> Result<(), WriteError> {
    let columns = columns();
    let defs = definitions(&columns);
    let mut w = ReportsWriter::new(out, &columns, &defs)?;
    for (i, r) in batch.records.iter().enumerate() {
        w.push(ReportRow::new(r, batch.series_key(i)))?;
    }
    w.finish()
}

/// `reports.parquet` written as the rows come: a row group every [`ROW_GROUP_ROWS`] rows (or
/// [`HELD_BYTES`]), its rows held compressed column by column until it is written
/// (`held.rs`), so that at most one row group is in memory and row groups are few.
pub struct ReportsWriter<'c, W: Write + Send> {
    table: TableWriter<'c, W>,
    columns: &'c [(String, Source)],
    /// The last rows, not yet compressed (fewer than [`BATCH_ROWS`]).
    rows: Vec<HeldRow>,
    /// The open row group's rows before them (every column but the cells' numbers).
    held: held::HeldColumns,
    /// Where each column is in `held` ([`held_indexes`]).
    held_index: Vec<usize>,
}

/// A row held until it is compressed with its batch: the cells as their `tsv` texts in one string
/// rather than a [`Value`] each (≈ 1.9 KB a row with its strings, instead of ≈ 7 KB); the Parquet
/// columns take nothing else from a cell (its number, and its `tsv` text).
struct HeldRow {
    /// The row, without its cells.
    row: ReportRow,
    /// Each cell: nothing for no cell, else `=` and the `tsv` text.
    cells: String,
    /// Where each cell ends in `cells`.
    ends: Vec<u32>,
}

impl HeldRow {
    fn new(mut row: ReportRow) -> Self {
        let mut cells = String::new();
        let mut ends = Vec::with_capacity(row.cells.len());
        for cell in std::mem::take(&mut row.cells) {
            if let Some(v) = cell {
                cells.push('=');
                cells.push_str(&v.tsv());
            }
            ends.push(u32::try_from(cells.len()).unwrap_or(u32::MAX));
        }
        cells.shrink_to_fit();
        HeldRow { row, cells, ends }
    }

    /// The `tsv` text of cell `i`, if the row has the cell.
    fn cell(&self, i: usize) -> Option<&str> {
        let to = |e: u32| usize::try_from(e).unwrap_or(usize::MAX);
        let end = to(*self.ends.get(i)?);
        let start = i.checked_sub(1).and_then(|p| self.ends.get(p)).map_or(0, |&e| to(e));
        self.cells.get(start..end)?.strip_prefix('=')
    }

    /// The number in cell `i`, if it holds one.
    fn number(&self, i: usize) -> Option<Decimal> {
        tsv_number(self.cell(i)?)
    }
}

/// The directory of the partitioned copy of `reports.parquet` in the output directory:
/// `reports/year=2023/province=江苏省/part-0.parquet` (Hive's layout).
pub const PARTITIONS: &str = "reports";
/// The file in each partition's directory.
pub const PARTITION_FILE: &str = "part-0.parquet";
/// Hive's name for a null partition value (no year, or no province in the agency's name).
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// The columns of a partition's file and their definitions: those of `reports.parquet` without
/// `year`, which the partition's directory gives (Spark refuses a column that is both in the
/// files and in the directory names).
pub fn partition_columns() -> (Vec<(String, Source)>, Vec<ColumnDef>) {
    let columns: Vec<_> =
        columns().into_iter().filter(|(_, s)| !matches!(s, Source::Year)).collect();
    let defs = definitions(&columns);
    (columns, defs)
}

/// The directory of a partition, relative to [`PARTITIONS`].
pub fn partition_dir(year: Option<i32>, province: Option<&str>) -> std::path::PathBuf {
    let year = year.map_or_else(|| NULL_PARTITION.to_owned(), |y| y.to_string());
    std::path::Path::new(&format!("year={year}"))
        .join(format!("province={}", province.unwrap_or(NULL_PARTITION)))
}

/// The columns of `reports.parquet` and their definitions, for [`ReportsWriter::new`].
pub fn report_columns() -> (Vec<(String, Source)>, Vec<ColumnDef>) {
    let columns = columns();
    let defs = definitions(&columns);
    (columns, defs)
}

impl<'c, W: Write + Send> ReportsWriter<'c, W> {
    /// Starts `reports.parquet` on `out` (`columns` and `defs` from [`report_columns`]).
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(
        out: W,
        columns: &'c [(String, Source)],
        defs: &'c [ColumnDef],
    ) -> Result<Self, WriteError> {
        let table = TableWriter::new(
            out,
            "gongkai_reports",
            &[("gongkai.format", "gongkai-reports"), ("gongkai.version", "1")],
            defs,
        )?;
        Ok(ReportsWriter {
            table,
            columns,
            rows: Vec::with_capacity(BATCH_ROWS),
            held: held::HeldColumns::default(),
            held_index: held_indexes(columns),
        })
    }

    /// Adds the next row.
    ///
    /// # Errors
    /// When writing fails.
    pub fn push(&mut self, row: ReportRow) -> Result<(), WriteError> {
        self.rows.push(HeldRow::new(row));
        if self.rows.len() == BATCH_ROWS {
            self.hold()?;
            if self.held.rows() >= ROW_GROUP_ROWS || self.held.bytes() >= HELD_BYTES {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Compresses the rows not yet compressed into the open group's columns.
    fn hold(&mut self) -> Result<(), WriteError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = &self.rows;
        let n = rows.len();
        // The cells' numbers are not held: they are their texts parsed again (`flush`).
        let held = self.columns.iter().filter(|(_, s)| !matches!(s, Source::Number(..)));
        self.held.push(n, held.map(|(_, source)| column_values(rows, Some(*source), 0..n)))?;
        self.rows.clear();
        Ok(())
    }

    /// Writes the open row group.
    fn flush(&mut self) -> Result<(), WriteError> {
        self.hold()?;
        if self.held.rows() == 0 {
            return Ok(());
        }
        let (held, columns, held_index) = (&self.held, self.columns, &self.held_index);
        self.table.write_group(held.rows(), |index, _| {
            let values = held.column(held_index.get(index).copied().unwrap_or(usize::MAX))?;
            Ok(match columns.get(index) {
                Some((_, Source::Number(_, kind))) => numbers_of_texts(values, *kind),
                _ => values,
            })
        })?;
        self.held.clear();
        Ok(())
    }

    /// Writes the last row group and the footer.
    ///
    /// # Errors
    /// When writing fails.
    pub fn finish(mut self) -> Result<(), WriteError> {
        self.flush()?;
        self.table.close()
    }
}

fn column_values(
    rows: &[HeldRow],
    source: Option<Source>,
    range: std::ops::Range<usize>,
) -> Values {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let chunk = rows.get(range).unwrap_or_default();
    match source {
        Some(Source::Text(i)) => Values::Text(chunk.iter().map(|r| text(&r.row, i)).collect()),
        Some(Source::CellText(i)) => {
            Values::Text(chunk.iter().map(|r| r.cell(i).map(str::to_owned)).collect())
        }
        Some(Source::Year) => Values::Int32(chunk.iter().map(|r| r.row.year).collect()),
        Some(Source::Count(f)) => {
            Values::Int64(chunk.iter().map(|r| r.row.counts.map(|n| count(f(n)))).collect())
        }
        Some(Source::CrossYear) => {
            Values::Int64(chunk.iter().map(|r| r.row.cross_year.map(count)).collect())
        }
        Some(Source::Number(i, kind)) => {
            Values::Int64(chunk.iter().map(|r| typed_number(r.number(i), kind)).collect())
        }
        None => Values::Text(Vec::new()),
    }
}

/// The number a cell's `tsv` text holds, if any.
fn tsv_number(text: &str) -> Option<Decimal> {
    Value::from_tsv(text)?.number()
}

/// The value of a number column for a cell's number (`None`: null).
fn typed_number(number: Option<Decimal>, kind: ValueKind) -> Option<i64> {
    number.and_then(|d| match kind {
        ValueKind::Amount => amount_value(d),
        ValueKind::Count | ValueKind::SignedCount => count_value(d),
    })
}

/// The number column of a cell from its text column's values (what [`column_values`] gives
/// for [`Source::Number`], from [`Source::CellText`]'s).
fn numbers_of_texts(texts: Values, kind: ValueKind) -> Values {
    match texts {
        Values::Text(v) => Values::Int64(
            v.iter().map(|t| typed_number(t.as_deref().and_then(tsv_number), kind)).collect(),
        ),
        other => other,
    }
}

/// Where each column of `columns` is held by a [`ReportsWriter`]: the held index of its own
/// values, or for a cell's number column that of the cell's text column (numbers are not held:
/// they are the texts parsed again). A number column without its text column gets an index
/// that is not held, so writing it fails rather than writing another column's values.
fn held_indexes(columns: &[(String, Source)]) -> Vec<usize> {
    let held: Vec<usize> =
        (0..columns.len()).filter(|&j| !matches!(columns[j].1, Source::Number(..))).collect();
    let position = |j: usize| held.binary_search(&j).unwrap_or(usize::MAX);
    columns
        .iter()
        .enumerate()
        .map(|(j, (_, source))| match source {
            Source::Number(i, _) => columns
                .iter()
                .position(|(_, s)| matches!(s, Source::CellText(k) if k == i))
                .map_or(usize::MAX, position),
            _ => position(j),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest::proptest! {
        /// A held row gives back each cell's `tsv` text and number, and no cell where the row
        /// had none.
        #[test]
        fn held_rows_give_back_their_cells(
            cells in proptest::collection::vec(
                proptest::option::of(proptest::prop_oneof![
                    (any::<i64>(), 0u32..8).prop_map(|(m, s)| Value::Number(Decimal::new(m, s))),
                    proptest::strategy::Just(Value::Blank),
                    proptest::strategy::Just(Value::Unknown),
                    proptest::strategy::Just(Value::NotApplicable("无".to_owned())),
                ]),
                0..40,
            ),
        ) {
            let mut row = ReportRow::unreadable("a.txt", None, "io".into(), String::new());
            row.cells = cells.clone();
            let held = HeldRow::new(row);
            for (i, cell) in cells.iter().enumerate() {
                proptest::prop_assert_eq!(held.cell(i).map(str::to_owned), cell.as_ref().map(Value::tsv));
                proptest::prop_assert_eq!(held.number(i), cell.as_ref().and_then(Value::number));
            }
            proptest::prop_assert_eq!(held.cell(cells.len()), None);
        }
    }

    /// Row `r` of a generated file: every cell filled in a pattern of numbers (integers and
    /// amounts), blanks, `/`, `?` and absent cells; counts, a year and an agency on most rows.
    pub(super) fn generated_row(r: usize) -> ReportRow {
        let mut row =
            ReportRow::unreadable(&format!("dir/{r:06}.pdf"), None, "io".into(), String::new());
        row.year = i32::try_from(2019 + r % 6).ok();
        row.agency = (!r.is_multiple_of(5)).then(|| format!("某县第{}局", r % 97));
        row.counts = (!r.is_multiple_of(3)).then(|| Counts {
            errors: r % 4,
            warnings: r % 11,
            ..Counts::default()
        });
        row.cells = (0..cell_keys().len())
            .map(|i| match (r * 31 + i * 7) % 23 {
                0 => None,
                1 => Some(Value::Blank),
                2 => Some(Value::Unknown),
                3 => Some(Value::NotApplicable("/".to_owned())),
                4 => {
                    Some(Value::Number(Decimal::new(i64::try_from((r % 100) * i).unwrap_or(0), 2)))
                }
                k => Some(Value::Number(Decimal::from(k * (r % 50)))),
            })
            .collect();
        row
    }

    /// Rows pushed one by one (compressed in batches, held column by column) make the same
    /// file, byte for byte, as the same rows written column by column at once in the same row
    /// groups — groups of whole batches, each within both bounds, over a part-filled batch.
    #[test]
    fn held_rows_write_the_file_of_their_columns() {
        let n = ROW_GROUP_ROWS + BATCH_ROWS + 17;
        let (columns, defs) = report_columns();
        let mut pushed = Vec::new();
        let mut w =
            ReportsWriter::new(&mut pushed, &columns, &defs).unwrap_or_else(|e| panic!("{e}"));
        for r in 0..n {
            w.push(generated_row(r)).unwrap_or_else(|e| panic!("{e}"));
        }
        w.finish().unwrap_or_else(|e| panic!("{e}"));

        let mut file = tempfile::tempfile().unwrap_or_else(|e| panic!("{e}"));
        file.write_all(&pushed).unwrap_or_else(|e| panic!("{e}"));
        let reader = ::parquet::file::reader::SerializedFileReader::new(file)
            .unwrap_or_else(|e| panic!("{e}"));
        use ::parquet::file::reader::FileReader as _;
        let groups: Vec<usize> = reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| usize::try_from(g.num_rows()).unwrap_or(0))
            .collect();
        assert_eq!(groups.iter().sum::<usize>(), n);
        assert!(groups.len() >= 2, "{groups:?}");
        let (last, full) = groups.split_last().unwrap_or_else(|| panic!("no group"));
        assert!(full.iter().all(|&g| g <= ROW_GROUP_ROWS && g % BATCH_ROWS == 0), "{groups:?}");
        assert!(*last <= ROW_GROUP_ROWS);

        let rows: Vec<HeldRow> = (0..n).map(|r| HeldRow::new(generated_row(r))).collect();
        let mut direct = Vec::new();
        let mut table = TableWriter::new(
            &mut direct,
            "gongkai_reports",
            &[("gongkai.format", "gongkai-reports"), ("gongkai.version", "1")],
            &defs,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut start = 0;
        for g in groups {
            table
                .write_group(g, |index, range| {
                    let source = columns.get(index).map(|(_, s)| *s);
                    Ok(column_values(&rows, source, range.start + start..range.end + start))
                })
                .unwrap_or_else(|e| panic!("{e}"));
            start += g;
        }
        table.close().unwrap_or_else(|e| panic!("{e}"));
        assert!(pushed == direct, "the same bytes ({} and {})", pushed.len(), direct.len());
    }

    /// A cell's number column reads its text column's held values; the other columns their
    /// own, in order; a number column without its text column reads nothing held.
    #[test]
    fn number_columns_read_their_text_columns() {
        let (columns, _) = report_columns();
        let at = held_indexes(&columns);
        let held = columns.iter().filter(|(_, s)| !matches!(s, Source::Number(..))).count();
        for (j, (_, source)) in columns.iter().enumerate() {
            if let Source::Number(i, _) = source {
                let text =
                    columns.iter().position(|(_, s)| matches!(s, Source::CellText(k) if k == i));
                assert_eq!(Some(at[j]), text.map(|t| at[t]));
            }
        }
        let own: Vec<usize> = columns
            .iter()
            .zip(&at)
            .filter(|((_, s), _)| !matches!(s, Source::Number(..)))
            .map(|(_, &h)| h)
            .collect();
        assert_eq!(own, (0..held).collect::<Vec<_>>());
        let orphan = [("n".to_owned(), Source::Number(0, ValueKind::Count))];
        assert_eq!(held_indexes(&orphan), [usize::MAX]);
    }

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
