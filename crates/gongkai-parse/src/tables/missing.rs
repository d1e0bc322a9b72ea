//! Columns a grid does not print (a wide table cut off at the page edge): their cells are `?`,
//! gathered over a table into one `READ-COLUMNS-MISSING` finding.

use gongkai_doc::findings;
use gongkai_model::{CellKey, Finding, Layout, Msg, Span, TableId, TableLayout};

use super::table_no;

/// Cells of columns that a grid does not print, gathered over a table for one finding.
#[derive(Default)]
pub(super) struct MissingColumns {
    /// Column labels (template wording) and keys, in first-seen order.
    columns: Vec<(&'static str, &'static str)>,
    cells: Vec<CellKey>,
    /// The first row's printed values, to point at.
    span: Option<Span>,
}

impl MissingColumns {
    pub(super) fn add(
        &mut self,
        k: CellKey,
        table: TableId,
        layout: Layout,
        first: Option<&crate::lex::Tok>,
    ) {
        let label = TableLayout::get(table, layout)
            .rows
            .iter()
            .find(|r| r.id == k.row)
            .and_then(|r| r.columns.iter().find(|c| c.id == k.col))
            .map_or("", |c| c.label);
        if !self.columns.iter().any(|(_, key)| *key == k.col.key()) {
            self.columns.push((label, k.col.key()));
        }
        self.cells.push(k);
        self.span = self.span.or(first.map(|t| t.span));
    }

    /// `READ-COLUMNS-MISSING`: the columns are not printed, so their cells are `?`.
    pub(super) fn finding(self, table: TableId) -> Option<Finding> {
        if self.cells.is_empty() {
            return None;
        }
        let zh: Vec<String> = self.columns.iter().map(|(l, _)| format!("「{l}」")).collect();
        let en: Vec<String> = self.columns.iter().map(|(_, k)| format!("`{k}`")).collect();
        Some(
            findings::READ_COLUMNS_MISSING.finding(Msg::new(
                    format!(
                        "表{}的{}列没有印出（表格在页面边缘被截断，或表中没有这些列），这些列的 {} 个单元格无法确定（?）",
                        table_no(table),
                        zh.join(""),
                        self.cells.len()
                    ),
                    format!(
                        "{table}: column(s) {} are not printed (the table is cut off at the page edge, or lacks them); their {} cells are undetermined (?)",
                        en.join(", "),
                        self.cells.len()
                    ),
                ),
            )
            .with_cells(self.cells)
            .with_label(self.span, Msg::new("此行右侧的列未印出", "the columns to the right of this row are not printed")),
        )
    }
}
