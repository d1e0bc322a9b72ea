//! A report from a cell list (`tsv`, spec §5): the tables only, in the layouts the keys imply,
//! with the `#agency` and `#year` metadata. Lets the development corpus's expected cell lists (and
//! any tool that writes cell lists) be rendered in the official layout.

use gongkai_model::tsv::CellList;
use gongkai_model::{Layout, Localized, Msg, Report, Spanned, Table, TableId, TableLayout};

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
    use gongkai_model::tsv::parse_tsv;

    use super::*;

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
            gongkai_testkit::lang::assert_chinese(&e.message(gongkai_model::Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(gongkai_model::Lang::En));
        }
    }
}
