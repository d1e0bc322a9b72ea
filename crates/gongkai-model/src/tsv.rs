//! The cell list (`tsv`, spec §5): one `key<TAB>value` line per cell in table order, metadata on
//! lines starting with `#`. A stable interface: the development corpus's expected files use it.

use std::fmt::Write as _;

use crate::catalogue::{Layout, TableLayout};
use crate::keys::{CellKey, TableId};
use crate::report::Report;
use crate::value::Value;

/// The layout a missing table is listed in: the trial layout for 2019/2020 reports, else 2021.
pub fn default_layout(year: Option<i32>) -> Layout {
    match year {
        Some(2019 | 2020) => Layout::Trial2019,
        _ => Layout::Format2021,
    }
}

/// Writes the cell list of `report`. A table that was not found is listed with every cell `?` in
/// the layout its year implies: the reader could not determine those values.
pub fn to_tsv(report: &Report) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let year = report.meta.year.as_ref().map(|y| y.value);
    if let Some(agency) = &report.meta.agency {
        let _ = writeln!(out, "#agency\t{}", one_line(&agency.value));
    }
    if let Some(y) = year {
        let _ = writeln!(out, "#year\t{y}");
    }
    let layouts: Vec<String> = [TableId::T2, TableId::T3, TableId::T4]
        .into_iter()
        .map(|t| match report.table(t) {
            Some(table) => format!("{t}={}", table.layout().key()),
            None => format!("{t}=missing"),
        })
        .collect();
    let _ = writeln!(out, "#layout\t{}", layouts.join(" "));
    for t in [TableId::T2, TableId::T3, TableId::T4] {
        match report.table(t) {
            Some(table) => {
                for cell in table.cells() {
                    let _ = writeln!(out, "{}\t{}", cell.key, cell.value.tsv());
                }
            }
            None => {
                for key in TableLayout::get(t, default_layout(year)).keys() {
                    let _ = writeln!(out, "{key}\t?");
                }
            }
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// A parsed cell list: metadata lines and cells, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CellList {
    /// `#name<TAB>value` metadata lines.
    pub meta: Vec<(String, String)>,
    /// The cells.
    pub cells: Vec<(CellKey, Value)>,
}

/// An error in a cell list, with its 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct TsvError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Parses a cell list.
pub fn parse_tsv(text: &str) -> Result<CellList, TsvError> {
    let mut list = CellList::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if let Some(meta) = line.strip_prefix('#') {
            let (k, v) = meta.split_once('\t').unwrap_or((meta, ""));
            list.meta.push((k.trim().to_owned(), v.trim().to_owned()));
            continue;
        }
        let (k, v) = line.split_once('\t').unwrap_or((line, ""));
        let key = k
            .trim()
            .parse::<CellKey>()
            .map_err(|e| TsvError { line: i + 1, reason: e.to_string() })?;
        let value = Value::from_tsv(v)
            .ok_or_else(|| TsvError { line: i + 1, reason: format!("not a cell value: `{v}`") })?;
        list.cells.push((key, value));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Table;

    #[test]
    fn round_trips_a_report() {
        let r = Report {
            t2: Some(Table::filled(TableId::T2, Layout::Format2021, |_| Value::int(3))),
            t3: Some(Table::filled(TableId::T3, Layout::Trial2019, |_| Value::Blank)),
            ..Report::default()
        };
        let text = to_tsv(&r);
        let list = parse_tsv(&text).expect("valid");
        assert_eq!(list.cells.len(), 10 + 161 + 15);
        assert!(list.cells[..10].iter().all(|(_, v)| *v == Value::int(3)));
        assert!(list.cells[10..171].iter().all(|(_, v)| *v == Value::Blank));
        assert!(list.cells[171..].iter().all(|(_, v)| *v == Value::Unknown));
        assert_eq!(
            list.meta.last(),
            Some(&("layout".to_owned(), "t2=2021 t3=trial t4=missing".to_owned()))
        );
    }

    #[test]
    fn reports_the_bad_line() {
        let err = parse_tsv("t2.regulations.issued\t1\nt3.nope.total\t2\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
