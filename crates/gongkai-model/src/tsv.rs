//! The cell list (`tsv`, spec §5): one `key<TAB>value` line per cell in table order, metadata on
//! lines starting with `#`. A stable interface: the development corpus's expected files use it.

use std::fmt::Write as _;

use crate::catalogue::{Layout, TableLayout};
use crate::keys::{CellKey, TableId};
use crate::report::{Report, Table};
use crate::span::Spanned;
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

/// Whether an input named `name` with text `text` is a cell list: its name ends in `.tsv`, or its
/// first line that is not blank is a cell list's metadata line (`#agency`, `#year`, `#layout`) or
/// a cell line (`t3.granted.total<TAB>…`). The one detection every command uses (`check`,
/// `extract`, `batch`, `render`): a report's own text never starts like that.
pub fn is_cell_list(name: &str, text: &str) -> bool {
    let by_name = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    by_name
        || text
            .trim_start_matches('\u{feff}')
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(is_cell_list_line)
}

fn is_cell_list_line(line: &str) -> bool {
    let Some((head, _)) = line.split_once('\t') else { return false };
    match head.strip_prefix('#') {
        Some(meta) => matches!(meta.trim(), "agency" | "year" | "layout"),
        None => head.trim().parse::<CellKey>().is_ok(),
    }
}

/// Why a cell list does not make a report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub struct CellListError {
    /// The offending key or metadata name.
    pub field: String,
    /// What is wrong.
    pub reason: Msg,
}

impl Localized for CellListError {
    fn words(&self) -> (Msg, Option<String>) {
        let text = Msg::new(
            format!("`{}`：{}", self.field, self.reason.zh),
            format!("`{}`: {}", self.field, self.reason.en),
        );
        (text, None)
    }
}

/// Builds the report the cell list describes. Each table's layout is the one whose keys the list
/// gives (a 2021 Table 3 beside a trial Table 2 is fine); every cell of that layout must be given.
///
/// # Errors
/// A [`CellListError`] naming the table or key: a key that fits no layout, a missing cell, a bad
/// `#year`.
pub fn report_from_cells(list: &CellList) -> Result<Report, CellListError> {
    let mut report = Report::default();
    for (k, v) in &list.meta {
        match k.as_str() {
            "agency" if !v.is_empty() => report.meta.agency = Some(Spanned::bare(v.clone())),
            "year" if !v.is_empty() => {
                let y = v.parse().map_err(|_| CellListError {
                    field: "#year".into(),
                    reason: Msg::new(format!("不是年份：`{v}`"), format!("not a year: `{v}`")),
                })?;
                report.meta.year = Some(Spanned::bare(y));
            }
            _ => {}
        }
    }
    for id in [TableId::T2, TableId::T3, TableId::T4] {
        let cells: Vec<_> = list.cells.iter().filter(|(k, _)| k.table() == id).collect();
        if cells.is_empty() {
            continue;
        }
        let layout = [Layout::Format2021, Layout::Trial2019]
            .into_iter()
            .find(|l| {
                let shape = TableLayout::get(id, *l);
                cells.iter().all(|(k, _)| shape.index_of(*k).is_some())
            })
            .ok_or_else(|| {
                let (bad, _) = cells
                    .iter()
                    .find(|(k, _)| TableLayout::get(id, Layout::Format2021).index_of(*k).is_none())
                    .copied()
                    .unwrap_or(cells[0]);
                CellListError {
                    field: bad.to_string(),
                    reason: Msg::new(
                        format!("{id} 混用了 2021 格式和试行格式"),
                        format!("mixes the 2021 and trial layouts of {id}"),
                    ),
                }
            })?;
        let mut table = Table::blank(id, layout);
        let mut seen = vec![false; table.shape().cell_count()];
        for (k, v) in cells {
            table.set(*k, v.clone());
            if let Some(i) = table.shape().index_of(*k) {
                seen[i] = true;
            }
        }
        if let Some((key, _)) = table.shape().keys().zip(&seen).find(|(_, s)| !**s) {
            return Err(CellListError {
                field: key.to_string(),
                reason: Msg::new("清单中缺少此单元格", "cell missing from the list"),
            });
        }
        *report.table_mut(id) = Some(table);
    }
    Ok(report)
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

#[cfg(test)]
mod cell_list_tests {
    use super::*;

    #[test]
    fn cell_lists_are_detected_by_name_or_first_line() {
        let expected = include_str!("../../../fixtures/corpus/dev/expected/pingtan-2021.txt.tsv");
        assert!(is_cell_list("a.txt", expected));
        assert!(is_cell_list("a.TSV", "anything"));
        assert!(is_cell_list("-", "\u{feff}\n#year\t2024\n"));
        assert!(is_cell_list("-", "t4.review.upheld\t1\n"));
        let report = include_str!("../../../fixtures/corpus/dev/raw/dazhanglou-2022.txt");
        for text in [report, "", "#标题\t2024", "t4.review.upheld 1", "一、总体情况\t1"] {
            assert!(!is_cell_list("a.txt", text), "{text:.40}");
        }
    }

    #[test]
    fn mixed_layouts_per_table_are_read() {
        let text = include_str!("../../../fixtures/corpus/dev/expected/hongze-2024.pdf.tsv");
        let r = report_from_cells(&parse_tsv(text).expect("valid")).expect("report");
        assert_eq!(r.t2.as_ref().map(Table::layout), Some(Layout::Format2021));
        assert_eq!(r.t3.as_ref().map(Table::layout), Some(Layout::Trial2019));
        assert_eq!(r.meta.year, None);
    }

    #[test]
    fn a_missing_cell_is_named() {
        let e = report_from_cells(&parse_tsv("t4.review.upheld\t1\n").expect("valid")).unwrap_err();
        assert_eq!(e.field, "t4.review.corrected");
    }

    #[test]
    fn errors_are_said_in_one_language() {
        for text in ["#year\tx\n", "t4.review.upheld\t1\n", "t3.granted.natural_person\t1\n"] {
            let list = parse_tsv(text).expect("valid");
            let e = report_from_cells(&list).unwrap_err();
            gongkai_testkit::lang::assert_chinese(&e.message(crate::Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(crate::Lang::En));
        }
    }
}
