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

/// Rows per row group. A streaming batch holds one row group's rows while it is written (as
/// `HeldRow`s, ≈ 1.5 KB each), and the writer keeps every row group's footer metadata
/// (≈ 560 KB for the 452 column chunks of `reports.parquet`) until the file is closed: 8,192
/// rows cost ≈ 70 bytes of metadata per file, 16,384 rows ≈ 35 (measured, `docs/batch.md`).
/// Over two million rows the sum of the two is lowest near 25,000 rows; 16,384 keeps the
/// buffer of small batches small for nearly the same sum.
pub const ROW_GROUP_ROWS: usize = 16_384;

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
            values(index, range.start + start..range.end + start)
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
    /// As [`write_table`].
    pub fn write_group<F>(&mut self, rows: usize, mut values: F) -> Result<(), WriteError>
    where
        F: FnMut(usize, std::ops::Range<usize>) -> Values,
    {
        let columns = self.columns;
        let mut group = self.writer.next_row_group()?;
        let mut index = 0;
        while let Some(mut col) = group.next_column()? {
            let Some(def) = columns.get(index) else { break };
            let data = values(index, 0..rows);
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

/// `reports.parquet` written as the rows come: a row group every [`ROW_GROUP_ROWS`] rows, so
/// at most one row group is held in memory.
pub struct ReportsWriter<'c, W: Write + Send> {
    table: TableWriter<'c, W>,
    columns: &'c [(String, Source)],
    rows: Vec<HeldRow>,
}

/// A row held until its row group is written: the cells as their `tsv` texts in one string
/// rather than a [`Value`] each (≈ 1.5 KB a row instead of ≈ 7 KB); the Parquet columns take
/// nothing else from a cell (its number, and its `tsv` text).
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
        Value::from_tsv(self.cell(i)?)?.number()
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
        Ok(ReportsWriter { table, columns, rows: Vec::with_capacity(ROW_GROUP_ROWS) })
    }

    /// Adds the next row.
    ///
    /// # Errors
    /// When writing fails.
    pub fn push(&mut self, row: ReportRow) -> Result<(), WriteError> {
        self.rows.push(HeldRow::new(row));
        if self.rows.len() == ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), WriteError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let columns = self.columns;
        self.table.write_group(rows.len(), |index, range| {
            column_values(&rows, columns.get(index).map(|(_, s)| *s), range)
        })?;
        self.rows = rows;
        self.rows.clear();
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
        Some(Source::Number(i, kind)) => Values::Int64(
            chunk
                .iter()
                .map(|r| {
                    r.number(i).and_then(|d| match kind {
                        ValueKind::Amount => amount_value(d),
                        ValueKind::Count | ValueKind::SignedCount => count_value(d),
                    })
                })
                .collect(),
        ),
        None => Values::Text(Vec::new()),
    }
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
