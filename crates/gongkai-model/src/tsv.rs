//! The cell list (`tsv`, spec §5): one `key<TAB>value` line per cell in table order, metadata on
//! lines starting with `#`. A stable interface: the development corpus's expected files use it.

use std::fmt::Write as _;

use crate::catalogue::{Layout, TableLayout};
use crate::keys::{CellKey, TableId};
use crate::report::Report;
use crate::value::Value;
use crate::{Localized, Msg};

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
#[error("{}", self.bilingual())]
pub struct TsvError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: Msg,
}

impl Localized for TsvError {
    fn words(&self) -> (Msg, Option<String>) {
        let text = Msg::new(
            format!("第 {} 行：{}", self.line, self.reason.zh),
            format!("line {}: {}", self.line, self.reason.en),
        );
        (text, None)
    }
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
            .map_err(|e| TsvError { line: i + 1, reason: e.words().0 })?;
        let value = Value::from_tsv(v)
            .ok_or_else(|| TsvError { line: i + 1, reason: crate::json::not_a_value(v) })?;
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

    #[test]
    fn errors_are_said_in_one_language() {
        for text in ["t9.x\t1\n", "t4.review.upheld\tabc\n"] {
            let e = parse_tsv(text).unwrap_err();
            gongkai_testkit::lang::assert_chinese(&e.message(crate::Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(crate::Lang::En));
        }
        let e = parse_tsv("\n t9.x\t1\n").unwrap_err();
        assert!(e.message(crate::Lang::Zh).starts_with("第 2 行："), "{e}");
        let k = "t9.x".parse::<CellKey>().unwrap_err();
        gongkai_testkit::lang::assert_chinese(&k.message(crate::Lang::Zh));
        gongkai_testkit::lang::assert_english(&k.message(crate::Lang::En));
    }
}
