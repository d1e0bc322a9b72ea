//! The row schema shared by the outputs: one row per report, with its metadata, status, layouts,
//! finding counts and one value per cell key.
//!
//! The cell columns are the union of the keys of every layout (2021 and trial), in key order
//! (tables, then rows and columns in catalogue order): 29 Table 2 keys, 182 Table 3 keys
//! (`other_merged` among the （六） rows), 15 Table 4 keys — 226 in all. A report's value for a
//! key is
//!
//! - `None` when the layout its table was printed in has no such cell (or the file was not read);
//! - the cell's value otherwise, exactly as in the `tsv` cell list: a table that was not found is
//!   listed with every cell `?` in the layout its year implies
//!   ([`gongkai_model::tsv::default_layout`]).

use std::borrow::Cow;
use std::sync::LazyLock;

use gongkai_model::tsv::default_layout;
use gongkai_model::{CellKey, Layout, TableId, TableLayout, Value, ValueKind};

use crate::analyse::Counts;
use crate::runner::{Outcome, Record};

/// Every cell key of every layout, in key order.
pub fn cell_keys() -> &'static [CellKey] {
    static KEYS: LazyLock<Vec<CellKey>> = LazyLock::new(|| {
        let mut keys: Vec<CellKey> = [TableId::T2, TableId::T3, TableId::T4]
            .into_iter()
            .flat_map(|t| [Layout::Format2021, Layout::Trial2019].map(|l| TableLayout::get(t, l)))
            .flat_map(TableLayout::keys)
            .collect();
        keys.sort();
        keys.dedup();
        keys
    });
    &KEYS
}

/// What a key's cells hold, from the layout that has it (every layout agrees where two have it).
pub fn value_kind(key: CellKey) -> ValueKind {
    [Layout::Format2021, Layout::Trial2019]
        .into_iter()
        .find_map(|l| TableLayout::get(key.table(), l).column(key))
        .map_or(ValueKind::Count, |c| c.kind)
}

/// The status of a value: `number`, `blank`, `not_applicable` or `unknown` (as in
/// `gongkai extract --format csv`).
pub const fn status(v: &Value) -> &'static str {
    match v {
        Value::Number(_) => "number",
        Value::Blank => "blank",
        Value::NotApplicable(_) => "not_applicable",
        Value::Unknown => "unknown",
    }
}

/// `ok`, `unreadable`, or a verdict that the file read is not a report: `not_a_report`,
/// `report_empty` ([`gongkai_rules::Verdict::key`]).
pub const STATUS_OK: &str = "ok";
/// See [`STATUS_OK`].
pub const STATUS_UNREADABLE: &str = "unreadable";

/// The status of a report read: [`STATUS_OK`], or its verdict's key when it is not a report.
pub const fn verdict_status(v: gongkai_rules::Verdict) -> &'static str {
    match v {
        gongkai_rules::Verdict::Report => STATUS_OK,
        v => v.key(),
    }
}

/// The metadata columns of `reports.csv` / `reports.parquet`, before the cell columns.
pub const REPORT_COLUMNS: &[&str] = &[
    "path",
    "status",
    "reason_kind",
    "reason",
    "format",
    "agency",
    "agency_normalized",
    "year",
    "title",
    "layout_t2",
    "layout_t3",
    "layout_t4",
    "errors",
    "warnings",
    "infos",
    "source",
    "extraction",
    "cross_year",
];

/// One report as a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    /// The path.
    pub path: String,
    /// [`STATUS_OK`], [`STATUS_UNREADABLE`] or a verdict's key (see [`verdict_status`]).
    pub status: Cow<'static, str>,
    /// The failure kind's key when unreadable; the rule id when not a report.
    pub reason_kind: Option<Cow<'static, str>>,
    /// The failure's reason when unreadable; the rule's message when not a report.
    pub reason: Option<String>,
    /// The input format.
    pub format: Option<Cow<'static, str>>,
    /// The agency as printed.
    pub agency: Option<String>,
    /// The series key.
    pub agency_normalized: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// The title as printed.
    pub title: Option<String>,
    /// Layout of Tables 2, 3 and 4: `2021`, `trial` or `missing`.
    pub layouts: [Option<Cow<'static, str>>; 3],
    /// All findings attributed to the report (its own and cross-year), when read.
    pub counts: Option<Counts>,
    /// Of which cross-year.
    pub cross_year: Option<usize>,
    /// One value per [`cell_keys`] entry.
    pub cells: Vec<Option<Value>>,
}

impl ReportRow {
    /// The row of `record`; `series_key` is its series' key.
    pub fn new(record: &Record, series_key: Option<&str>) -> Self {
        match &record.outcome {
            Outcome::Unreadable(f) => ReportRow::unreadable(
                &record.name,
                record.format.map(Cow::Borrowed),
                Cow::Borrowed(f.kind.key()),
                f.reason.clone(),
            ),
            Outcome::Read(r) => {
                let reason = r
                    .findings
                    .iter()
                    .map(|f| &f.finding)
                    .find(|f| {
                        r.verdict != gongkai_rules::Verdict::Report
                            && gongkai_rules::Verdict::of([*f]) == r.verdict
                    })
                    .map(|f| {
                        (Cow::Borrowed(f.rule), format!("{} / {}", f.message.zh, f.message.en))
                    });
                let mut counts = r.own;
                counts.add(r.cross_year);
                ReportRow::read(
                    &record.name,
                    record.format.map(Cow::Borrowed),
                    series_key,
                    Cow::Borrowed(verdict_status(r.verdict)),
                    reason,
                    &r.report,
                    counts,
                    r.cross_year.total(),
                )
            }
        }
    }

    fn empty(path: &str, format: Option<Cow<'static, str>>) -> Self {
        ReportRow {
            path: path.to_owned(),
            status: Cow::Borrowed(STATUS_OK),
            reason_kind: None,
            reason: None,
            format,
            agency: None,
            agency_normalized: None,
            year: None,
            title: None,
            layouts: [None, None, None],
            counts: None,
            cross_year: None,
            cells: vec![None; cell_keys().len()],
        }
    }

    /// The row of a file that could not be read: its failure's kind (key) and reason.
    pub fn unreadable(
        path: &str,
        format: Option<Cow<'static, str>>,
        kind: Cow<'static, str>,
        reason: String,
    ) -> Self {
        let mut row = ReportRow::empty(path, format);
        row.status = Cow::Borrowed(STATUS_UNREADABLE);
        row.reason_kind = Some(kind);
        row.reason = Some(reason);
        row
    }

    /// The row of a file read: `status` ([`verdict_status`]), for a file that is not a report
    /// the rule and its message (`zh / en`), the report's metadata and tables, all the findings
    /// attributed to it counted, of which `cross_year` from the cross-year rules.
    #[allow(clippy::too_many_arguments, reason = "one row's parts, each named at the call")]
    pub fn read(
        path: &str,
        format: Option<Cow<'static, str>>,
        series_key: Option<&str>,
        status: Cow<'static, str>,
        reason: Option<(Cow<'static, str>, String)>,
        report: &gongkai_model::Report,
        counts: Counts,
        cross_year: usize,
    ) -> Self {
        let mut row = ReportRow::empty(path, format);
        row.agency_normalized = series_key.map(str::to_owned);
        row.status = status;
        if let Some((kind, reason)) = reason {
            row.reason_kind = Some(kind);
            row.reason = Some(reason);
        }
        let meta = &report.meta;
        row.agency = meta.agency.as_ref().map(|a| a.value.clone());
        row.year = meta.year.as_ref().map(|y| y.value);
        row.title = meta.title.as_ref().map(|t| t.value.clone());
        row.counts = Some(counts);
        row.cross_year = Some(cross_year);
        for (i, t) in [TableId::T2, TableId::T3, TableId::T4].into_iter().enumerate() {
            match report.table(t) {
                Some(table) => {
                    row.layouts[i] = Some(Cow::Borrowed(table.layout().key()));
                    for cell in table.cells() {
                        row.set(cell.key, cell.value.clone());
                    }
                }
                None => {
                    row.layouts[i] = Some(Cow::Borrowed("missing"));
                    for key in TableLayout::get(t, default_layout(row.year)).keys() {
                        row.set(key, Value::Unknown);
                    }
                }
            }
        }
        row
    }

    fn set(&mut self, key: CellKey, value: Value) {
        if let Ok(i) = cell_keys().binary_search(&key) {
            self.cells[i] = Some(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cell_columns_are_the_union_of_every_layout() {
        let keys = cell_keys();
        assert_eq!(keys.len(), 226);
        let count = |t: TableId| keys.iter().filter(|k| k.table() == t).count();
        assert_eq!((count(TableId::T2), count(TableId::T3), count(TableId::T4)), (29, 182, 15));
        for t in [TableId::T2, TableId::T3, TableId::T4] {
            for l in [Layout::Format2021, Layout::Trial2019] {
                for k in TableLayout::get(t, l).keys() {
                    assert!(keys.binary_search(&k).is_ok(), "{k}");
                    assert_eq!(
                        value_kind(k),
                        TableLayout::get(t, l)
                            .column(k)
                            .map(|c| c.kind)
                            .unwrap_or(ValueKind::Count),
                        "{k}"
                    );
                }
            }
        }
        // `other_merged` sits among the （六） rows, before （七）总计.
        let pos = |s: &str| keys.iter().position(|k| k.to_string() == s);
        assert!(pos("t3.other_other.total") < pos("t3.other_merged.natural_person"));
        assert!(pos("t3.other_merged.total") < pos("t3.total_processed.natural_person"));
    }
}
