//! Open data: the cells and findings of published report versions, for any filter, as CSV,
//! XLSX, JSON, Parquet and a zip of year-partitioned Parquet files.
//!
//! - **Only published versions**: the latest version of each agency and year, read through
//!   [`gongkai_store::Store::selected_reports`]; never a draft, a collected upload, a review
//!   decision or note, or any applicant's data (none of it is in a published report).
//! - **The columns are declared once** ([`CELL_COLUMNS`], [`FINDING_COLUMNS`]: name, Chinese
//!   label, English label, type); every format, the `/data` page's dictionary and
//!   `docs/open-data.md` list them from there.
//! - **One row per (agency, year, cell)**, the value kind (`number`, `blank`,
//!   `not_applicable`, `unknown`, as `gongkai batch` says it) and the number; one row per
//!   finding of `gongkai_rules::check` on the published report (rule, severity, kind, message in
//!   both languages, cells, printed and implied values).
//! - **Bounded**: at most [`MAX_REPORTS`] reports per download ([`MAX_XLSX_REPORTS`] for
//!   XLSX); beyond, a `422` naming the count and the limit (narrow the years or the office).
//! - **Cacheable**: the tag ([`tag`]) is derived from the selected versions' SHA-256 and the
//!   agencies' names, so it changes exactly when a new version is published or a name changes.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::ops::RangeInclusive;
use std::sync::Arc;

use gongkai_batch::parquet::{ColumnDef, ColumnType as ParquetType, Values, amount_value};
use gongkai_model::{Decimal, Finding, Report, Value};
use gongkai_store::{OrgId, OrgKind, PublishedReport, ReportVersion, Selection};
use rust_decimal::prelude::ToPrimitive as _;
use serde::Deserialize;

use crate::error::AppError;
use crate::state::AppState;

/// The most reports one download may hold (about 230 cell rows each).
pub const MAX_REPORTS: usize = 500;
/// The most reports one XLSX download may hold (a workbook is built in memory).
pub const MAX_XLSX_REPORTS: usize = 200;

/// The type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text (Parquet STRING).
    Text,
    /// A year (Parquet INT32).
    Year,
    /// An integer (Parquet INT64).
    Integer,
    /// A decimal number (Parquet DECIMAL(18, 6)).
    Decimal,
}

impl ColumnType {
    /// The name the dictionary shows.
    pub const fn key(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Year => "int32",
            ColumnType::Integer => "int64",
            ColumnType::Decimal => "decimal(18,6)",
        }
    }
}

/// One column of a dataset: its stable name, its labels and its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The stable name (CSV header, JSON key, Parquet column).
    pub name: &'static str,
    /// The Chinese label.
    pub zh: &'static str,
    /// The English label.
    pub en: &'static str,
    /// The type.
    pub ty: ColumnType,
    /// Whether every row has a value.
    pub required: bool,
}

/// Declares columns: `name: Type, required, "中文", "English";`.
macro_rules! columns {
    ($($name:ident : $ty:ident, $req:literal, $zh:literal, $en:literal;)*) => {
        [$(Column { name: stringify!($name), zh: $zh, en: $en, ty: ColumnType::$ty, required: $req }),*]
    };
}

/// The columns that say which published version a row comes from (both datasets start with
/// them).
macro_rules! version_columns {
    () => {
        columns! {
            agency_id: Integer, true, "机关编号", "agency id";
            agency: Text, true, "机关", "agency";
            region: Text, true, "行政区划代码", "region code (GB/T 2260)";
            office_id: Integer, false, "上级政务公开办编号", "supervising office id";
            office: Text, false, "上级政务公开办", "supervising office";
            year: Year, true, "年度", "report year";
            version: Integer, true, "版本", "published version (from 1)";
            published_at: Text, true, "发布时间", "published at (RFC 3339, UTC)";
            report_sha256: Text, true, "报告摘要", "SHA-256 of the published report";
        }
    };
}

const VERSION_COLUMNS: [Column; 9] = version_columns!();

const CELL_OWN: [Column; 11] = columns! {
    key: Text, true, "单元格键", "cell key";
    table: Text, true, "表", "table";
    row: Text, true, "行", "row key";
    column: Text, true, "列", "column key";
    row_group: Text, false, "行分组", "row group (as printed)";
    row_label: Text, true, "行标题", "row label (as printed)";
    column_label: Text, true, "列标题", "column label (as printed)";
    layout: Text, true, "格式", "layout (2021 or trial)";
    status: Text, true, "状态", "value kind: number, blank, not_applicable, unknown";
    value: Text, true, "值", "value as printed (tsv: number, empty, / or ?)";
    number: Decimal, false, "数值", "the number (empty unless status is number)";
};

const FINDING_OWN: [Column; 8] = columns! {
    rule: Text, true, "规则", "rule id";
    severity: Text, true, "级别", "severity: error, warning, info";
    kind: Text, true, "类别", "kind: source or extraction";
    message_zh: Text, true, "说明", "message (Chinese)";
    message_en: Text, true, "说明（英文）", "message (English)";
    cells: Text, false, "单元格", "cell keys (space-separated)";
    printed: Decimal, false, "印出值", "value printed";
    implied: Decimal, false, "推算值", "value the arithmetic implies";
};

/// `a` then `b`, in a const context.
const fn concat<const A: usize, const B: usize, const C: usize>(
    a: [Column; A],
    b: [Column; B],
) -> [Column; C] {
    let mut out = [a[0]; C];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    while i < C {
        out[i] = b[i - A];
        i += 1;
    }
    out
}

/// The columns of the cells dataset.
pub const CELL_COLUMNS: [Column; 20] = concat(VERSION_COLUMNS, CELL_OWN);
/// The columns of the findings dataset.
pub const FINDING_COLUMNS: [Column; 17] = concat(VERSION_COLUMNS, FINDING_OWN);

/// The name of the partition column of the zip's Parquet files.
pub const PARTITION: &str = "year";

/// A dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dataset {
    /// One row per (agency, year, cell).
    Cells,
    /// One row per finding.
    Findings,
}

impl Dataset {
    /// Both.
    pub const ALL: [Dataset; 2] = [Dataset::Cells, Dataset::Findings];

    /// `cells` / `findings`.
    pub const fn key(self) -> &'static str {
        match self {
            Dataset::Cells => "cells",
            Dataset::Findings => "findings",
        }
    }

    /// Its columns.
    pub const fn columns(self) -> &'static [Column] {
        match self {
            Dataset::Cells => &CELL_COLUMNS,
            Dataset::Findings => &FINDING_COLUMNS,
        }
    }
}

/// A download format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CSV, UTF-8 (BOM on request).
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// JSON.
    Json,
    /// Parquet.
    Parquet,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Csv, Format::Xlsx, Format::Json, Format::Parquet];

    /// The file extension.
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Parquet => "parquet",
        }
    }

    /// The media type.
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }

    /// The most reports one download may hold.
    pub const fn max_reports(self) -> usize {
        match self {
            Format::Xlsx => MAX_XLSX_REPORTS,
            _ => MAX_REPORTS,
        }
    }
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Datum {
    /// Text shared by many rows (the version's columns).
    Shared(Arc<str>),
    /// A label of the catalogue or a vocabulary key.
    Static(&'static str),
    /// Text of its own.
    Text(String),
    /// An integer.
    Int(i64),
    /// A decimal.
    Dec(Decimal),
    /// No value.
    Null,
}

impl Datum {
    /// The value as CSV text: numbers as printed, nothing for null.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            Datum::Shared(s) => Cow::Borrowed(s),
            Datum::Static(s) => Cow::Borrowed(s),
            Datum::Text(s) => Cow::Borrowed(s),
            Datum::Int(n) => Cow::Owned(n.to_string()),
            Datum::Dec(d) => Cow::Owned(d.to_string()),
            Datum::Null => Cow::Borrowed(""),
        }
    }

    /// The value as JSON: numbers as numbers (a decimal exactly when it has no fraction, else the
    /// nearest double), null for null.
    fn json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Datum::Int(n) => J::from(*n),
            Datum::Dec(d) => match d.to_i64().filter(|_| d.fract().is_zero()) {
                Some(n) => J::from(n),
                None => d.to_f64().map_or(J::Null, J::from),
            },
            Datum::Null => J::Null,
            other => J::String(other.text().into_owned()),
        }
    }
}

/// The rows of a dataset, in its columns' order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// The rows.
    pub rows: Vec<Vec<Datum>>,
}

/// A filter as the query string gives it: every field text, so that an empty form field means
/// "any" and a bad one is named.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DataQuery {
    /// One report year.
    pub year: Option<String>,
    /// The first report year (with or without `to`).
    pub from: Option<String>,
    /// The last report year.
    pub to: Option<String>,
    /// An office: its whole subtree.
    pub office: Option<String>,
    /// A region code or its prefix (`33`, `3301`, `330106`).
    pub region: Option<String>,
    /// One agency.
    pub agency: Option<String>,
    /// `1`: CSV with a UTF-8 byte order mark (for Excel).
    pub bom: Option<String>,
}

/// A checked filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// The report years.
    pub years: RangeInclusive<i16>,
    /// Whether the years were given.
    pub years_given: bool,
    /// An office.
    pub office: Option<OrgId>,
    /// An agency.
    pub agency: Option<OrgId>,
    /// A region code prefix.
    pub region: Option<String>,
    /// CSV with a byte order mark.
    pub bom: bool,
}

/// A non-empty, trimmed field.
fn given(v: Option<&String>) -> Option<&str> {
    v.map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn year_of(field: &'static str, v: &str) -> Result<i16, AppError> {
    v.parse::<i16>().ok().filter(|y| gongkai_store::reports::YEARS.contains(y)).ok_or_else(|| {
        let (a, b) = (gongkai_store::reports::YEARS.start(), gongkai_store::reports::YEARS.end());
        AppError::field(
            field,
            format!("年度应为{a}至{b}之间的整数：{v}"),
            format!("a year is a whole number from {a} to {b}: {v}"),
        )
    })
}

fn id_of(field: &'static str, v: &str) -> Result<OrgId, AppError> {
    v.parse::<i64>().ok().filter(|n| *n > 0).map(OrgId).ok_or_else(|| {
        AppError::field(
            field,
            format!("编号应为正整数：{v}"),
            format!("an id is a positive whole number: {v}"),
        )
    })
}

impl Filter {
    /// Checks a query.
    ///
    /// # Errors
    /// [`AppError::Invalid`] naming the field: a year outside the accepted range, `year` with
    /// `from`/`to`, `from` after `to`, an id that is not a number, a region that is not one to
    /// six digits.
    pub fn parse(q: &DataQuery) -> Result<Filter, AppError> {
        let year = given(q.year.as_ref()).map(|v| year_of("year", v)).transpose()?;
        let from = given(q.from.as_ref()).map(|v| year_of("from", v)).transpose()?;
        let to = given(q.to.as_ref()).map(|v| year_of("to", v)).transpose()?;
        let all = gongkai_store::reports::YEARS;
        let years = match (year, from, to) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(AppError::field(
                    "year",
                    "请填写一个年度，或者起止年度，不要同时填写",
                    "give one year, or a range of years, not both",
                ));
            }
            (Some(y), None, None) => y..=y,
            (None, f, t) => {
                let (f, t) = (f.unwrap_or(*all.start()), t.unwrap_or(*all.end()));
                if f > t {
                    return Err(AppError::field(
                        "from",
                        format!("起始年度{f}晚于截止年度{t}"),
                        format!("the first year {f} is after the last year {t}"),
                    ));
                }
                f..=t
            }
        };
        let region = match given(q.region.as_ref()) {
            Some(r) if (1..=6).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_digit()) => {
                Some(r.to_owned())
            }
            Some(r) => {
                return Err(AppError::field(
                    "region",
                    format!("行政区划代码应为1至6位数字（代码或其开头）：{r}"),
                    format!("a region is one to six digits (a code or its beginning): {r}"),
                ));
            }
            None => None,
        };
        Ok(Filter {
            years_given: year.is_some() || from.is_some() || to.is_some(),
            years,
            office: given(q.office.as_ref()).map(|v| id_of("office", v)).transpose()?,
            agency: given(q.agency.as_ref()).map(|v| id_of("agency", v)).transpose()?,
            region,
            bom: given(q.bom.as_ref()).is_some_and(|v| v == "1" || v == "true"),
        })
    }

    /// The filter as a query string (without `bom`), in a fixed order: for links and tags.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if self.years_given {
            if self.years.start() == self.years.end() {
                parts.push(format!("year={}", self.years.start()));
            } else {
                parts.push(format!("from={}&to={}", self.years.start(), self.years.end()));
            }
        }
        if let Some(o) = self.office {
            parts.push(format!("office={o}"));
        }
        if let Some(r) = &self.region {
            parts.push(format!("region={r}"));
        }
        if let Some(a) = self.agency {
            parts.push(format!("agency={a}"));
        }
        parts.join("&")
    }

    /// The store's selection.
    pub fn selection(&self) -> Selection<'_> {
        Selection {
            years: self.years.clone(),
            office: self.office,
            agency: self.agency,
            region: self.region.as_deref(),
        }
    }
}

/// What a version's rows say about where they come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    agency_id: i64,
    agency: Arc<str>,
    region: Arc<str>,
    office_id: Option<i64>,
    office: Option<Arc<str>>,
}

/// The agencies (and their offices) of selected versions, by id.
pub type Origins = HashMap<OrgId, Origin>;

/// The versions a filter selects, with their agencies.
#[derive(Clone, Debug)]
pub struct Selected {
    /// The latest version of each agency and year, by year then agency.
    pub versions: Vec<(OrgId, ReportVersion)>,
    /// Their agencies.
    pub origins: Origins,
}

/// The versions a filter selects (without their texts): two small queries, plus one per
/// supervising office.
///
/// # Errors
/// `office` that is not an office (422 at `office`); store errors.
pub async fn select(state: &AppState, filter: &Filter) -> Result<Selected, AppError> {
    if let Some(office) = filter.office {
        let found = state.store.org(office).await?;
        if !found.is_some_and(|o| o.kind == OrgKind::Office) {
            return Err(AppError::field(
                "office",
                format!("没有编号为{office}的政务公开办"),
                format!("there is no office with id {office}"),
            ));
        }
    }
    let versions = state.store.selected_versions(&filter.selection()).await?;
    let origins = origins(state, versions.iter().map(|(a, _)| *a)).await?;
    Ok(Selected { versions, origins })
}

/// The agencies of `ids`, with their offices.
async fn origins(state: &AppState, ids: impl Iterator<Item = OrgId>) -> Result<Origins, AppError> {
    let wanted: std::collections::BTreeSet<OrgId> = ids.collect();
    let mut out = Origins::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    let mut offices: BTreeMap<OrgId, Option<Arc<str>>> = BTreeMap::new();
    for org in state.store.agencies().await? {
        if !wanted.contains(&org.id) {
            continue;
        }
        let office = match org.parent {
            Some(p) => match offices.get(&p) {
                Some(name) => name.clone(),
                None => {
                    let name = state.store.org(p).await?.map(|o| Arc::<str>::from(o.name));
                    offices.insert(p, name.clone());
                    name
                }
            },
            None => None,
        };
        out.insert(
            org.id,
            Origin {
                agency_id: org.id.0,
                agency: org.name.into(),
                region: org.region.as_str().into(),
                office_id: org.parent.map(|p| p.0),
                office,
            },
        );
    }
    Ok(out)
}

/// The tag of a download: the dataset, the format, the filter and, for every selected
/// version, its agency, year, number, digest and the agency's names — so a new published
/// version (or a renamed agency) changes it, and nothing else does.
pub fn tag(
    what: &str,
    format: &str,
    filter: &Filter,
    versions: &[(OrgId, ReportVersion)],
    origins: &Origins,
) -> String {
    let mut parts: Vec<String> = vec![
        "open-data".into(),
        what.into(),
        format.into(),
        filter.query(),
        filter.bom.to_string(),
    ];
    for (agency, v) in versions {
        parts.push(format!("{agency}/{}/{}/{}", v.year, v.version, v.sha256));
        if let Some(o) = origins.get(agency) {
            parts.push(format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                o.agency,
                o.region,
                o.office_id.unwrap_or(0),
                o.office.as_deref().unwrap_or("")
            ));
        }
    }
    crate::cache::etag(&parts.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The first columns of every row of a version.
fn head(origin: &Origin, v: &ReportVersion) -> Vec<Datum> {
    vec![
        Datum::Int(origin.agency_id),
        Datum::Shared(origin.agency.clone()),
        Datum::Shared(origin.region.clone()),
        origin.office_id.map_or(Datum::Null, Datum::Int),
        origin.office.clone().map_or(Datum::Null, Datum::Shared),
        Datum::Int(i64::from(v.year)),
        Datum::Int(i64::from(v.version)),
        Datum::Text(v.published_at.to_string()),
        Datum::Text(v.sha256.clone()),
    ]
}

/// The cell rows of one published report, in table order.
pub fn cell_rows(origin: &Origin, v: &ReportVersion, report: &Report, out: &mut Rows) {
    for table in report.tables() {
        let shape = table.shape();
        for cell in table.cells() {
            let row = shape.row(cell.key.row);
            let mut r = head(origin, v);
            r.extend([
                Datum::Text(cell.key.to_string()),
                Datum::Static(table.id().key()),
                Datum::Static(cell.key.row.key()),
                Datum::Static(cell.key.col.key()),
                row.and_then(|r| r.group).map_or(Datum::Null, Datum::Static),
                Datum::Text(row.map(gongkai_model::RowSpec::label).unwrap_or_default()),
                Datum::Static(shape.column(cell.key).map_or("", |c| c.label)),
                Datum::Static(table.layout().key()),
                Datum::Static(gongkai_batch::schema::status(&cell.value)),
                Datum::Text(cell.value.tsv()),
                match &cell.value {
                    Value::Number(d) => Datum::Dec(*d),
                    _ => Datum::Null,
                },
            ]);
            out.rows.push(r);
        }
    }
}

/// The finding rows of one published report.
pub fn finding_rows(origin: &Origin, v: &ReportVersion, findings: &[Finding], out: &mut Rows) {
    for f in findings {
        let cells: Vec<String> = f.cells.iter().map(ToString::to_string).collect();
        let mut r = head(origin, v);
        r.extend([
            Datum::Static(f.rule),
            Datum::Static(f.severity.key()),
            Datum::Static(f.kind.key()),
            Datum::Text(f.message.zh.clone()),
            Datum::Text(f.message.en.clone()),
            if cells.is_empty() { Datum::Null } else { Datum::Text(cells.join(" ")) },
            f.printed.map_or(Datum::Null, Datum::Dec),
            f.implied.map_or(Datum::Null, Datum::Dec),
        ]);
        out.rows.push(r);
    }
}

/// The rows of a dataset over published reports (read and, for findings, checked).
///
/// # Errors
/// A stored report that does not read back (internal).
pub fn rows(
    dataset: Dataset,
    reports: &[PublishedReport],
    origins: &Origins,
) -> Result<Rows, AppError> {
    let mut out = Rows::default();
    for p in reports {
        let Some(origin) = origins.get(&p.agency) else { continue };
        let report = crate::routes::published::report_of(&p.report)?;
        match dataset {
            Dataset::Cells => cell_rows(origin, &p.version, &report, &mut out),
            Dataset::Findings => {
                finding_rows(origin, &p.version, &gongkai_rules::check(&report), &mut out);
            }
        }
    }
    Ok(out)
}

/// The rows as CSV: the stable names as the header; text guarded against formula injection
/// (`gongkai_register::csv_io::guarded`), numbers as printed; a UTF-8 BOM when `bom`.
///
/// # Errors
/// Only if the CSV writer fails on in-memory output.
pub fn csv(columns: &[Column], rows: &Rows, bom: bool) -> Result<Vec<u8>, AppError> {
    use gongkai_register::csv_io::guarded;
    let start: &[u8] = if bom { b"\xEF\xBB\xBF" } else { b"" };
    let mut w = csv::Writer::from_writer(start.to_vec());
    w.write_record(columns.iter().map(|c| c.name)).map_err(AppError::internal)?;
    for row in &rows.rows {
        w.write_record(row.iter().zip(columns).map(|(d, c)| match c.ty {
            ColumnType::Text => guarded(&d.text()).into_owned(),
            _ => d.text().into_owned(),
        }))
        .map_err(AppError::internal)?;
    }
    w.into_inner().map_err(AppError::internal)
}

/// The rows as JSON: `{"format": "gongkai-open-data", "version": 1, "dataset", "columns":
/// [{name, zh, en, type}], "rows": [{name: value}]}`.
///
/// # Errors
/// Only if serialising fails.
pub fn json(dataset: Dataset, rows: &Rows) -> Result<Vec<u8>, AppError> {
    let columns = dataset.columns();
    let mut out = Vec::with_capacity(rows.rows.len().saturating_mul(512));
    let head = serde_json::json!({
        "format": "gongkai-open-data",
        "version": 1,
        "dataset": dataset.key(),
        "columns": columns.iter().map(|c| serde_json::json!({
            "name": c.name, "zh": c.zh, "en": c.en, "type": c.ty.key(),
        })).collect::<Vec<_>>(),
    });
    let head = serde_json::to_string(&head).map_err(AppError::internal)?;
    // `{…}` without its closing brace, then `,"rows":[…]}`.
    out.extend_from_slice(head.trim_end_matches('}').as_bytes());
    out.extend_from_slice(b",\"rows\":[");
    for (i, row) in rows.rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let object: serde_json::Map<String, serde_json::Value> =
            columns.iter().zip(row).map(|(c, d)| (c.name.to_owned(), d.json())).collect();
        serde_json::to_writer(&mut out, &object).map_err(AppError::internal)?;
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

/// The rows as an XLSX workbook: a sheet of rows (the stable names as the header; text as
/// string cells, never formulas; numbers as numbers) and a sheet with the column dictionary.
///
/// # Errors
/// Only if rust_xlsxwriter fails on in-memory output.
pub fn xlsx(dataset: Dataset, rows: &Rows) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as Style, Workbook};
    let columns = dataset.columns();
    let col = |j: usize| u16::try_from(j).unwrap_or(u16::MAX);
    let mut wb = Workbook::new();
    // A fixed creation time keeps the output reproducible.
    let props = DocProperties::new()
        .set_title("gongkai open data")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1).map_err(AppError::internal)?);
    wb.set_properties(&props);
    let bold = Style::new().set_bold().set_background_color("#DDEBF7");
    let ws = wb.add_worksheet();
    ws.set_name(dataset.key()).map_err(AppError::internal)?;
    for (j, c) in columns.iter().enumerate() {
        ws.write_string_with_format(0, col(j), c.name, &bold).map_err(AppError::internal)?;
    }
    for (i, row) in rows.rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(AppError::internal)?;
        for (j, d) in row.iter().enumerate() {
            match d {
                Datum::Null => {}
                Datum::Int(n) => {
                    // Ids, years and versions stay far below 2^53: exact as a float.
                    #[allow(clippy::cast_precision_loss)]
                    ws.write_number(r, col(j), *n as f64).map_err(AppError::internal)?;
                }
                Datum::Dec(x) => match x.to_f64() {
                    Some(f) => {
                        ws.write_number(r, col(j), f).map_err(AppError::internal)?;
                    }
                    None => {
                        ws.write_string(r, col(j), x.to_string()).map_err(AppError::internal)?;
                    }
                },
                other => {
                    ws.write_string(r, col(j), other.text()).map_err(AppError::internal)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(AppError::internal)?;
    let dict = wb.add_worksheet();
    dict.set_name("columns").map_err(AppError::internal)?;
    for (j, h) in ["name", "中文", "English", "type"].iter().enumerate() {
        dict.write_string_with_format(0, col(j), *h, &bold).map_err(AppError::internal)?;
    }
    for (i, c) in columns.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(AppError::internal)?;
        for (j, v) in [c.name, c.zh, c.en, c.ty.key()].iter().enumerate() {
            dict.write_string(r, col(j), *v).map_err(AppError::internal)?;
        }
    }
    wb.save_to_buffer().map_err(AppError::internal)
}

/// The Parquet column of a declared column.
fn parquet_column(c: &Column) -> ColumnDef {
    let ty = match c.ty {
        ColumnType::Text => ParquetType::Text,
        ColumnType::Year => ParquetType::Int32,
        ColumnType::Integer => ParquetType::Int64,
        ColumnType::Decimal => ParquetType::Decimal,
    };
    ColumnDef { name: c.name.to_owned(), ty, required: c.required }
}

/// The rows as Parquet, through `gongkai_batch::parquet::write_table` (Snappy; decimals exact
/// in DECIMAL(18, 6) or null beyond it); without the column [`PARTITION`] when `partition` (a
/// file of a year partition, whose folder names the year).
///
/// # Errors
/// Only if the Parquet writer fails on in-memory output.
pub fn parquet(dataset: Dataset, rows: &Rows, partition: bool) -> Result<Vec<u8>, AppError> {
    let kept: Vec<(usize, &Column)> = dataset
        .columns()
        .iter()
        .enumerate()
        .filter(|(_, c)| !(partition && c.name == PARTITION))
        .collect();
    let defs: Vec<ColumnDef> = kept.iter().map(|(_, c)| parquet_column(c)).collect();
    let mut out = Vec::new();
    let name = format!("gongkai_{}", dataset.key());
    gongkai_batch::parquet::write_table(
        &mut out,
        &name,
        &[
            ("gongkai.format", "gongkai-open-data"),
            ("gongkai.dataset", dataset.key()),
            ("gongkai.version", "1"),
        ],
        &defs,
        rows.rows.len(),
        |index, range| {
            let Some((i, column)) = kept.get(index) else { return Values::Text(Vec::new()) };
            let chunk = rows.rows.get(range).unwrap_or_default();
            let cell = |r: &Vec<Datum>| r.get(*i).cloned().unwrap_or(Datum::Null);
            match column.ty {
                ColumnType::Text => Values::Text(
                    chunk
                        .iter()
                        .map(|r| match cell(r) {
                            Datum::Null => None,
                            d => Some(d.text().into_owned()),
                        })
                        .collect(),
                ),
                ColumnType::Year => Values::Int32(
                    chunk
                        .iter()
                        .map(|r| match cell(r) {
                            Datum::Int(n) => i32::try_from(n).ok(),
                            _ => None,
                        })
                        .collect(),
                ),
                ColumnType::Integer => Values::Int64(
                    chunk
                        .iter()
                        .map(|r| match cell(r) {
                            Datum::Int(n) => Some(n),
                            _ => None,
                        })
                        .collect(),
                ),
                ColumnType::Decimal => Values::Int64(
                    chunk
                        .iter()
                        .map(|r| match cell(r) {
                            Datum::Dec(d) => amount_value(d),
                            _ => None,
                        })
                        .collect(),
                ),
            }
        },
    )
    .map_err(AppError::internal)?;
    Ok(out)
}

/// The year of a row (its [`PARTITION`] column).
fn year_of_row(dataset: Dataset, row: &[Datum]) -> Option<i64> {
    let i = dataset.columns().iter().position(|c| c.name == PARTITION)?;
    match row.get(i) {
        Some(Datum::Int(y)) => Some(*y),
        _ => None,
    }
}

/// The zip of year-partitioned Parquet files (Hive layout): `cells/year=YYYY/part-0.parquet`
/// and `findings/year=YYYY/part-0.parquet` for every year of `years` (a year without findings
/// has a file without rows, so every partition has both), and `README.txt`.
///
/// # Errors
/// Only if writing to memory fails.
pub fn partitioned_zip(
    cells: &Rows,
    findings: &Rows,
    years: &[i16],
    readme: &str,
) -> Result<Vec<u8>, AppError> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Parquet is compressed already; fixed times keep the zip reproducible.
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let text = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("README.txt", text).map_err(AppError::internal)?;
    zip.write_all(readme.as_bytes()).map_err(AppError::internal)?;
    for (dataset, rows) in [(Dataset::Cells, cells), (Dataset::Findings, findings)] {
        for year in years {
            let part = Rows {
                rows: rows
                    .rows
                    .iter()
                    .filter(|r| year_of_row(dataset, r) == Some(i64::from(*year)))
                    .cloned()
                    .collect(),
            };
            let bytes = parquet(dataset, &part, true)?;
            zip.start_file(format!("{}/{PARTITION}={year}/part-0.parquet", dataset.key()), stored)
                .map_err(AppError::internal)?;
            zip.write_all(&bytes).map_err(AppError::internal)?;
        }
    }
    Ok(zip.finish().map_err(AppError::internal)?.into_inner())
}

/// How to read the unzipped folder with DuckDB (shown on `/data` and in the zip's README).
pub const DUCKDB: &str = "SELECT year, agency, number\n\
FROM read_parquet('cells/*/*.parquet', hive_partitioning = true)\n\
WHERE key = 't3.new_received.total'\n\
ORDER BY year, agency;";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_unique_and_labelled() {
        for d in Dataset::ALL {
            let cols = d.columns();
            let mut names: Vec<&str> = cols.iter().map(|c| c.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), cols.len(), "{d:?}");
            assert!(cols.iter().all(|c| !c.zh.is_empty() && !c.en.is_empty()));
            assert!(cols.iter().any(|c| c.name == PARTITION));
        }
    }

    #[test]
    fn the_documentation_lists_every_column() {
        let doc = include_str!("../../../docs/open-data.md");
        for c in CELL_COLUMNS.iter().chain(&FINDING_COLUMNS) {
            let line = format!("| `{}` | {} |", c.name, c.zh);
            assert!(doc.contains(&line), "docs/open-data.md lacks {line}");
            assert!(doc.contains(&format!("| {} |\n", c.ty.key())), "{}", c.ty.key());
        }
    }

    #[test]
    fn chinese_labels_agree_with_the_batch_outputs() {
        // One vocabulary: a column `gongkai batch` also writes has its label.
        for c in CELL_COLUMNS.iter().chain(&FINDING_COLUMNS) {
            if let Some((_, zh)) =
                gongkai_batch::csv::COLUMN_LABELS.iter().find(|(k, _)| *k == c.name)
            {
                assert_eq!(c.zh, *zh, "{}", c.name);
            }
        }
    }

    fn query(pairs: &[(&str, &str)]) -> DataQuery {
        let mut q = DataQuery::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "year" => q.year = v,
                "from" => q.from = v,
                "to" => q.to = v,
                "office" => q.office = v,
                "region" => q.region = v,
                "agency" => q.agency = v,
                "bom" => q.bom = v,
                _ => {}
            }
        }
        q
    }

    #[test]
    fn filters_are_checked_and_written_back_in_one_order() {
        let f = Filter::parse(&query(&[("region", "33"), ("year", "2024"), ("office", "")]))
            .expect("valid");
        assert_eq!(f.years, 2024..=2024);
        assert_eq!(f.office, None, "an empty field is any");
        assert_eq!(f.query(), "year=2024&region=33");
        let f =
            Filter::parse(&query(&[("to", "2023"), ("agency", "7"), ("bom", "1")])).expect("valid");
        assert_eq!(f.years, 2008..=2023);
        assert!(f.bom);
        assert_eq!(f.query(), "from=2008&to=2023&agency=7");
        assert_eq!(Filter::parse(&DataQuery::default()).expect("any").query(), "");
        for bad in [
            vec![("year", "24")],
            vec![("year", "2024"), ("from", "2020")],
            vec![("from", "2024"), ("to", "2020")],
            vec![("region", "33a")],
            vec![("region", "3301061")],
            vec![("office", "x")],
            vec![("agency", "-1")],
        ] {
            assert!(Filter::parse(&query(&bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn csv_guards_text_but_not_numbers() {
        let rows =
            Rows { rows: vec![vec![Datum::Text("=1+1".into()), Datum::Dec(Decimal::from(-3))]] };
        let cols = [CELL_COLUMNS[1], CELL_COLUMNS[19]];
        let out = csv(&cols, &rows, true).expect("csv");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text, "\u{feff}agency,number\n'=1+1,-3\n");
    }
}
