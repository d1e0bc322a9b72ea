//! The rules, one per file. The registry is the two ordered lists below: adding a rule is adding
//! its file and one line here.

pub(crate) mod cell_integer;
pub(crate) mod fee_text;
pub(crate) mod layout;
pub(crate) mod not_a_report;
pub(crate) mod reader;
pub(crate) mod report_empty;
pub(crate) mod sections;
pub(crate) mod t2_fee_magnitude;
pub(crate) mod t2_stock_flow;
pub(crate) mod t3_balance;
pub(crate) mod t3_cell;
pub(crate) mod t3_results_sum;
pub(crate) mod t3_row_total;
pub(crate) mod t4_sum;
pub(crate) mod text_table;
pub(crate) mod total_blank;
pub(crate) mod x_carry;

use crate::{PairRule, Rule};

/// Single-report rules, in catalogue order.
pub(crate) static REPORT_RULES: &[&dyn Rule] = &[
    &not_a_report::NotAReport,
    &report_empty::ReportEmpty,
    &t3_balance::T3Balance,
    &t3_results_sum::T3ResultsSum,
    &t3_row_total::T3RowTotal,
    &t3_cell::T3Cell,
    &t4_sum::T4Sum,
    &total_blank::TotalBlank,
    &cell_integer::CellInteger,
    &t2_fee_magnitude::T2FeeMagnitude,
    &text_table::TextTable,
    &sections::Sections,
    &fee_text::FeeText,
    &layout::LayoutRule,
];

/// Cross-year rules.
pub(crate) static PAIR_RULES: &[&dyn PairRule] = &[&x_carry::XCarry, &t2_stock_flow::T2StockFlow];

/// Chinese label of a Table 3 column.
pub(crate) fn t3_col_zh(c: gongkai_model::T3Col) -> &'static str {
    gongkai_model::catalogue::T3_COLUMNS
        .iter()
        .find(|s| s.id == gongkai_model::ColId::T3(c))
        .map_or("", |s| s.label)
}

/// Chinese label of a row in a report's layout (`（七）总计`).
pub(crate) fn row_zh(report: &gongkai_model::Report, row: gongkai_model::RowId) -> String {
    report
        .table(row.table())
        .and_then(|t| t.shape().row(row))
        .map_or_else(|| row.key().to_owned(), gongkai_model::RowSpec::label)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Building reports for rule tests.

    use gongkai_model::{CellKey, Layout, Report, Section, SectionId, Table, TableId, Value};

    /// A consistent 2021-format report: every Table 3 and 4 cell satisfies every rule.
    pub(crate) fn consistent() -> Report {
        let mut r = Report::default();
        r.meta.year = Some(gongkai_model::Spanned::bare(2024));
        r.t2 = Some(Table::filled(TableId::T2, Layout::Format2021, |_| Value::int(2)));
        let mut t3 = Table::filled(TableId::T3, Layout::Format2021, |_| Value::int(0));
        use gongkai_model::{T3Col as C, T3Row as R};
        for (row, np, co) in [
            (R::NewReceived, 10, 2),
            (R::CarriedOver, 1, 0),
            (R::Granted, 6, 1),
            (R::UnableNotHeld, 4, 1),
            (R::TotalProcessed, 10, 2),
            (R::CarriedForward, 1, 0),
        ] {
            t3.set(CellKey::t3(row, C::NaturalPerson), Value::int(np));
            t3.set(CellKey::t3(row, C::Commercial), Value::int(co));
            t3.set(CellKey::t3(row, C::Total), Value::int(np + co));
        }
        r.t3 = Some(t3);
        let mut t4 = Table::filled(TableId::T4, Layout::Format2021, |_| Value::int(0));
        use gongkai_model::{T4Block as B, T4Col as K};
        t4.set(CellKey::t4(B::Review, K::Upheld), Value::int(2));
        t4.set(CellKey::t4(B::Review, K::Pending), Value::int(1));
        t4.set(CellKey::t4(B::Review, K::Total), Value::int(3));
        r.t4 = Some(t4);
        r.sections = vec![
            Section::new(
                SectionId::Overview,
                "2024年，本机关共收到政府信息公开申请12件，办结12件，结转下年度1件。行政复议3件。",
            ),
            Section::new(SectionId::Proactive, ""),
            Section::new(SectionId::Applications, ""),
            Section::new(SectionId::ReviewLitigation, ""),
            Section::new(SectionId::Problems, "存在问题：解读形式单一。改进措施：丰富解读形式。"),
            Section::new(SectionId::Other, "本年度未收取信息处理费。"),
        ];
        r
    }

    /// The ids of `findings` with severity at least warning.
    pub(crate) fn ids(findings: &[gongkai_model::Finding]) -> Vec<&'static str> {
        findings
            .iter()
            .filter(|f| f.severity >= gongkai_model::Severity::Warning)
            .map(|f| f.rule)
            .collect()
    }
}
