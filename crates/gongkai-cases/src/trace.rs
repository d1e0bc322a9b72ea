//! Traceability of a published Table 2 to the register entries it counts: for each cell, the
//! value as printed beside the sum of the entries [`contributors`] lists for it, and whether the
//! two agree.
//!
//! The printed value is never changed: a difference is reported, with both numbers, for a
//! reader to see (the register may have changed since publication, or the report may have been
//! typed by hand).

use gongkai_model::{CellKey, Layout, Report, TableId, TableLayout, Value};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::tables::{Contributor, Records, contributors};

/// How a printed cell compares with the entries it counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agreement {
    /// The printed number is the entries' sum, at the printed precision (a fee's 万元 may be
    /// printed rounded); or the cell is printed blank or `/` and nothing counts toward it.
    Agrees,
    /// The printed value is not the entries' sum.
    Differs,
    /// The printed value is unknown (`?`): nothing to compare.
    Unknown,
}

impl Agreement {
    /// The stable key (JSON, CSS classes).
    pub const fn key(self) -> &'static str {
        match self {
            Agreement::Agrees => "agrees",
            Agreement::Differs => "differs",
            Agreement::Unknown => "unknown",
        }
    }
}

/// One traced cell.
#[derive(Clone, Debug, PartialEq)]
pub struct CellTrace<'a> {
    /// The cell.
    pub key: CellKey,
    /// Its value as published.
    pub printed: Value,
    /// The sum of its entries' amounts.
    pub counted: Decimal,
    /// How the two compare.
    pub agreement: Agreement,
    /// The entries counted, in the register's order.
    pub entries: Vec<Contributor<'a>>,
}

/// Every cell of `report`'s Table 2 traced to `records` for `year`, in table order. Empty when
/// the report has no Table 2 or prints it in a layout the annual tables do not count (the 2019
/// trial layout: its rows are not the register's).
pub fn table2<'a>(report: &Report, records: &Records<'a>, year: i16) -> Vec<CellTrace<'a>> {
    let Some(table) = report.table(TableId::T2) else { return Vec::new() };
    if table.layout() != Layout::Format2021 {
        return Vec::new();
    }
    TableLayout::get(TableId::T2, Layout::Format2021)
        .keys()
        .map(|key| {
            let entries = contributors(records, year, key);
            let counted = entries.iter().map(Contributor::amount).sum();
            let printed = report.value(key).cloned().unwrap_or(Value::Blank);
            let agreement = compare(&printed, counted);
            CellTrace { key, printed, counted, agreement, entries }
        })
        .collect()
}

/// Whether `printed` states `counted`.
fn compare(printed: &Value, counted: Decimal) -> Agreement {
    let agrees = match printed {
        Value::Number(p) => {
            counted.round_dp_with_strategy(p.scale(), RoundingStrategy::MidpointAwayFromZero) == *p
        }
        Value::Blank | Value::NotApplicable(_) => counted.is_zero(),
        Value::Unknown => return Agreement::Unknown,
    };
    if agrees { Agreement::Agrees } else { Agreement::Differs }
}

#[cfg(test)]
mod tests {
    use gongkai_model::{T2Col, T2Row, Table};
    use jiff::civil::date;

    use super::*;
    use crate::registers::{DecisionKind, DecisionTally, DocKind, FeeCollected, NormativeDoc};

    fn dec(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    #[test]
    fn a_number_agrees_at_its_printed_precision() {
        assert_eq!(compare(&Value::Number(dec("1.23")), dec("1.2345")), Agreement::Agrees);
        assert_eq!(compare(&Value::Number(dec("1.24")), dec("1.2345")), Agreement::Differs);
        assert_eq!(compare(&Value::Number(dec("1.24")), dec("1.235")), Agreement::Agrees);
        assert_eq!(compare(&Value::int(3), dec("3")), Agreement::Agrees);
        assert_eq!(compare(&Value::int(3), dec("4")), Agreement::Differs);
        // 3.0 printed for 2.96: rounding states it, 3 printed for 3.4 too — but 3 for 3.5 not.
        assert_eq!(compare(&Value::int(3), dec("3.5")), Agreement::Differs);
    }

    #[test]
    fn blank_and_slash_agree_with_nothing_only() {
        assert_eq!(compare(&Value::Blank, Decimal::ZERO), Agreement::Agrees);
        assert_eq!(compare(&Value::NotApplicable("/".into()), Decimal::ZERO), Agreement::Agrees);
        assert_eq!(compare(&Value::Blank, Decimal::ONE), Agreement::Differs);
        assert_eq!(compare(&Value::Unknown, Decimal::ONE), Agreement::Unknown);
    }

    #[test]
    fn every_cell_is_traced_to_its_entries() {
        let documents = vec![
            NormativeDoc {
                id: "GF-1".into(),
                kind: DocKind::NormativeDocument,
                title: "关于规范收费的通知".into(),
                number: "县教发〔2024〕1号".into(),
                issued: date(2024, 3, 1),
                repealed: None,
            },
            NormativeDoc {
                id: "GF-0".into(),
                kind: DocKind::NormativeDocument,
                title: "旧文件".into(),
                number: "县教发〔2020〕9号".into(),
                issued: date(2020, 3, 1),
                repealed: Some(date(2024, 6, 1)),
            },
        ];
        let decisions =
            vec![DecisionTally { kind: DecisionKind::Licensing, date: date(2024, 5, 1), count: 7 }];
        let fees = vec![FeeCollected {
            date: date(2024, 7, 1),
            item: "证书工本费".into(),
            amount_yuan: dec("12345"),
        }];
        let records = Records {
            agency: "县教育局",
            cases: &[],
            proactive: &[],
            documents: &documents,
            decisions: &decisions,
            fees_collected: &fees,
            disputes: &[],
        };
        let layout = TableLayout::get(TableId::T2, Layout::Format2021);
        let nd = |c| CellKey::t2(T2Row::NormativeDocuments, c);
        let printed = |key: CellKey| match key {
            k if k == nd(T2Col::Issued) || k == nd(T2Col::Repealed) => Value::int(1),
            k if k == nd(T2Col::InForce) => Value::int(2), // printed wrong: 1 in force
            k if k == CellKey::t2(T2Row::Licensing, T2Col::Decisions) => Value::int(7),
            k if k == CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan) => Value::Number(dec("1.23")),
            _ => Value::int(0),
        };
        let report = Report {
            t2: Some(Table::filled(TableId::T2, Layout::Format2021, printed)),
            ..Report::default()
        };
        let traced = table2(&report, &records, 2024);
        assert_eq!(traced.len(), layout.cell_count());
        let of = |key: CellKey| traced.iter().find(|t| t.key == key).expect("traced");
        assert_eq!(of(nd(T2Col::Issued)).agreement, Agreement::Agrees);
        assert_eq!(of(nd(T2Col::Issued)).entries, vec![Contributor::Document(&documents[0])]);
        assert_eq!(of(nd(T2Col::Repealed)).entries, vec![Contributor::Document(&documents[1])]);
        let in_force = of(nd(T2Col::InForce));
        assert_eq!((in_force.agreement, in_force.counted), (Agreement::Differs, Decimal::ONE));
        assert_eq!(in_force.printed, Value::int(2), "the printed value is kept");
        let fees_cell = of(CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan));
        assert_eq!((fees_cell.agreement, fees_cell.counted), (Agreement::Agrees, dec("1.2345")));
        assert!(
            traced
                .iter()
                .filter(|t| t.key != nd(T2Col::InForce))
                .all(|t| t.agreement == Agreement::Agrees)
        );
    }

    #[test]
    fn a_report_without_table_2_traces_nothing() {
        let records = Records {
            agency: "县教育局",
            cases: &[],
            proactive: &[],
            documents: &[],
            decisions: &[],
            fees_collected: &[],
            disputes: &[],
        };
        assert!(table2(&Report::default(), &records, 2024).is_empty());
    }
}
