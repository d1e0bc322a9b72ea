//! 汇总: a supervising office's summary Tables 2–4 for one year over its agencies' reports.
//!
//! [`rollup`] takes each agency's report (its latest published version, chosen by the caller) and
//! the agencies that have none, and sums every cell of Tables 2–4 in the 2021 layout. Each summed
//! cell is a number only when it can be computed exactly; otherwise it is `?` and the [`Rollup`]
//! says which agencies made it so, and why ([`Reason`]). [`Rollup::drill`] lists every agency's
//! value of one cell.
//!
//! The rule for the parts (also in DESIGN.md):
//!
//! - a cell is summed only when **every** part is a number of magnitude at most
//!   [`MAX_OPERAND`]; the addition is checked and a sum above [`MAX_OPERAND`] is `?`
//!   ([`Reason::OutOfRange`]);
//! - a blank is not a zero and a `/` is not a number (spec §4, where a blank or `/` operand makes
//!   a rule undetermined): when every part is blank the sum is blank, when every part is `/` the
//!   sum is `/` — no agency printed a number and none is invented —, and a mix of numbers, blanks
//!   and `/` is `?` naming the agencies that printed the blanks and `/`;
//! - a part that is `?`, a number too large to compute with, a missing report, a missing table,
//!   or a table whose layout lacks the cell (the trial layout's merged （六） row, its Table 2
//!   columns) makes the sum `?`;
//! - keys are shared between layouts (`gongkai_model::keys`): a trial-layout table contributes the
//!   cells it has under the same key, and is a cause for the cells it lacks.
//!
//! Treated so, the sums satisfy every table rule whenever the parts do (a property test), because
//! each identity is linear and a non-number in any part leaves the corresponding sum a non-number.
//!
//! [`rates`] holds the comparison rates (share granted, share withheld, 纠错率) with their
//! small-sample guard.
//!
//! This crate is pure: no I/O, no clock.

pub mod rates;

use std::collections::BTreeMap;

use gongkai_model::{
    CellKey, Decimal, Layout, MAX_OPERAND, Msg, Report, Spanned, Table, TableId, TableLayout, Value,
};

/// The tables an office sums.
pub const TABLES: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];

/// An agency of the office's subtree, as the caller names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    /// The caller's id of the agency (the store's organisation id).
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// Why a summed cell is `?` (or, for [`Reason::NoReport`], why an agency is not included).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// The agency has no report for the year: every cell.
    NoReport,
    /// The agency's report has no such table: every cell of it.
    NoTable,
    /// The agency's table is printed in a layout without this cell (the trial layout).
    LayoutLacksCell(Layout),
    /// The agency printed the cell blank, beside other agencies' numbers or `/`.
    Blank,
    /// The agency printed a not-applicable mark, beside other agencies' numbers or blanks.
    NotApplicable(String),
    /// The agency's value could not be determined (`?`).
    Unknown,
    /// The agency printed a number too large to compute with (above [`MAX_OPERAND`]).
    TooLarge(Decimal),
    /// The sum itself is above [`MAX_OPERAND`] (no agency in particular).
    OutOfRange,
}

impl Reason {
    /// A stable key for machines (`no_report`, `blank`, …).
    pub const fn key(&self) -> &'static str {
        match self {
            Reason::NoReport => "no_report",
            Reason::NoTable => "no_table",
            Reason::LayoutLacksCell(_) => "layout_lacks_cell",
            Reason::Blank => "blank",
            Reason::NotApplicable(_) => "not_applicable",
            Reason::Unknown => "unknown",
            Reason::TooLarge(_) => "too_large",
            Reason::OutOfRange => "out_of_range",
        }
    }

    /// Every key, in the order [`Reason::key`] lists them (for documentation and schemas).
    pub const KEYS: [&'static str; 8] = [
        "no_report",
        "no_table",
        "layout_lacks_cell",
        "blank",
        "not_applicable",
        "unknown",
        "too_large",
        "out_of_range",
    ];

    /// What it means, in Chinese and English.
    pub fn describe(&self) -> Msg {
        match self {
            Reason::NoReport => {
                Msg::new("没有已发布的本年度报告", "no published report for the year")
            }
            Reason::NoTable => Msg::new("报告中没有这张表", "the report has no such table"),
            Reason::LayoutLacksCell(l) => Msg::new(
                format!("该表为{}，没有这一格", layout_zh(*l)),
                format!("the table is in the {} layout, which has no such cell", layout_en(*l)),
            ),
            Reason::Blank => {
                Msg::new("该格空白（空白不是零）", "printed blank (a blank is not a zero)")
            }
            Reason::NotApplicable(m) => Msg::new(
                format!("该格印为“{m}”（不是数字）"),
                format!("printed “{m}” (not a number)"),
            ),
            Reason::Unknown => Msg::new("该格无法确定（?）", "undetermined (?)"),
            Reason::TooLarge(d) => Msg::new(
                format!("该格印为 {d}，大得无法计算"),
                format!("printed {d}, too large to compute with"),
            ),
            Reason::OutOfRange => {
                Msg::new("合计超出可计算的范围", "the sum is beyond the range computed with")
            }
        }
    }
}

fn layout_zh(l: Layout) -> &'static str {
    match l {
        Layout::Format2021 => "2021 年格式",
        Layout::Trial2019 => "试行格式",
    }
}

fn layout_en(l: Layout) -> &'static str {
    match l {
        Layout::Format2021 => "2021",
        Layout::Trial2019 => "trial",
    }
}

/// One cause of a `?` sum: which agency (none for [`Reason::OutOfRange`]) and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cause<'r> {
    /// The agency, an index into [`Rollup::agencies`].
    pub agency: Option<usize>,
    /// Why.
    pub reason: &'r Reason,
}

/// One agency's part in one cell (the drill-down).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartValue<'a> {
    /// The value printed in the agency's report.
    Value(&'a Value),
    /// The agency has no report.
    NoReport,
    /// The report has no such table.
    NoTable,
    /// The table's layout has no such cell.
    LayoutLacksCell(Layout),
}

/// What each agency contributes to one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contribution<'a> {
    /// Index into [`Rollup::agencies`].
    pub agency: usize,
    /// Its part.
    pub part: PartValue<'a>,
}

/// The causes of one agency, grouped: one reason and the cells it affects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CauseGroup<'r> {
    /// Index into [`Rollup::agencies`] (none for [`Reason::OutOfRange`]).
    pub agency: Option<usize>,
    /// Why.
    pub reason: &'r Reason,
    /// The table, for an agency-level reason ([`Reason::NoReport`]: none, every table).
    pub table: Option<TableId>,
    /// The summed cells it makes `?`, in table order (every cell of the table for
    /// [`Reason::NoReport`] and [`Reason::NoTable`]).
    pub cells: Vec<CellKey>,
}

/// A cell-level cause: agency index (`u32::MAX` for none) and reason.
type CellCause = (u32, Reason);

const NO_AGENCY: u32 = u32::MAX;

/// The office's summary for a year.
#[derive(Clone, Debug)]
pub struct Rollup<'a> {
    report: Report,
    agencies: Vec<Agency>,
    /// Each agency's report, `None` when it has none (`agencies[i]` ↔ `parts[i]`).
    parts: Vec<Option<&'a Report>>,
    /// Per table ([`TABLES`] order): agencies whose report lacks the table, or who have none.
    absent: [Vec<CellCause>; 3],
    /// Per table, per summed cell (2021 layout order): the cell-level causes.
    cell_causes: [Vec<Vec<CellCause>>; 3],
}

fn table_index(t: TableId) -> usize {
    match t {
        TableId::T2 => 0,
        TableId::T3 => 1,
        TableId::T4 => 2,
    }
}

fn agency_index(i: u32) -> Option<usize> {
    (i != NO_AGENCY).then_some(i as usize)
}

/// The accumulator of one summed cell.
#[derive(Default)]
struct Acc {
    /// The checked sum of the numbers so far; `None` once it overflowed.
    sum: Option<Decimal>,
    numbers: u32,
    blanks: Vec<u32>,
    marks: Vec<(u32, String)>,
    hard: Vec<CellCause>,
}

impl Acc {
    fn new() -> Self {
        Acc { sum: Some(Decimal::ZERO), ..Acc::default() }
    }

    fn add(&mut self, agency: u32, value: &Value) {
        match value {
            Value::Number(d) if d.abs() <= MAX_OPERAND => {
                // Checked here, bounded in `finish`: fewer than 10^13 parts of at most 10^15 each
                // stay inside `Decimal`'s range, and `checked_add` says so if not.
                self.numbers += 1;
                self.sum = self.sum.and_then(|s| s.checked_add(*d));
            }
            Value::Number(d) => self.hard.push((agency, Reason::TooLarge(*d))),
            Value::Blank => self.blanks.push(agency),
            Value::NotApplicable(m) => self.marks.push((agency, m.clone())),
            Value::Unknown => self.hard.push((agency, Reason::Unknown)),
        }
    }

    /// The summed value and its cell-level causes, given whether some agency lacks the table.
    fn finish(self, absent: bool) -> (Value, Vec<CellCause>) {
        let Acc { sum, numbers, blanks, marks, mut hard } = self;
        let mixed = numbers > 0 && !(blanks.is_empty() && marks.is_empty())
            || !blanks.is_empty() && !marks.is_empty();
        if !absent && hard.is_empty() && !mixed {
            if numbers == 0 && !blanks.is_empty() {
                return (Value::Blank, hard);
            }
            if numbers == 0 && !marks.is_empty() {
                return (Value::NotApplicable("/".to_owned()), hard);
            }
            if let Some(s) = sum.filter(|s| s.abs() <= MAX_OPERAND) {
                return (Value::Number(s), hard);
            }
            hard.push((NO_AGENCY, Reason::OutOfRange));
            return (Value::Unknown, hard);
        }
        hard.extend(blanks.into_iter().map(|a| (a, Reason::Blank)));
        hard.extend(marks.into_iter().map(|(a, m)| (a, Reason::NotApplicable(m))));
        hard.sort_by_key(|(a, _)| *a);
        (Value::Unknown, hard)
    }
}

/// Sums Tables 2–4 (2021 layout) of `parts` — each agency with its report for the year —, with
/// `missing` the agencies of the subtree that have no report. The agencies keep the order given:
/// the parts first, then the missing. `office` and `year` name the summary report.
pub fn rollup<'a>(
    office: &str,
    year: i32,
    parts: impl IntoIterator<Item = (Agency, &'a Report)>,
    missing: impl IntoIterator<Item = Agency>,
) -> Rollup<'a> {
    let mut agencies = Vec::new();
    let mut reports = Vec::new();
    for (a, r) in parts {
        agencies.push(a);
        reports.push(Some(r));
    }
    for a in missing {
        agencies.push(a);
        reports.push(None);
    }
    let mut report = Report::default();
    report.meta.agency = Some(Spanned::bare(office.to_owned()));
    report.meta.year = Some(Spanned::bare(year));
    report.meta.title =
        Some(Spanned::bare(format!("{office}{year}年政府信息公开工作年度报告汇总")));
    let mut absent: [Vec<CellCause>; 3] = Default::default();
    let mut cell_causes: [Vec<Vec<CellCause>>; 3] = Default::default();
    for t in TABLES {
        let layout = TableLayout::get(t, Layout::Format2021);
        let mut acc: Vec<Acc> = (0..layout.cell_count()).map(|_| Acc::new()).collect();
        let ti = table_index(t);
        for (i, part) in reports.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(NO_AGENCY - 1);
            let Some(r) = part else {
                absent[ti].push((i, Reason::NoReport));
                continue;
            };
            let Some(table) = r.table(t) else {
                absent[ti].push((i, Reason::NoTable));
                continue;
            };
            add_table(&mut acc, layout, table, i);
        }
        let blocked = !absent[ti].is_empty();
        let mut causes = Vec::with_capacity(acc.len());
        let summed = Table::filled(t, Layout::Format2021, |_| Value::Blank);
        let mut summed = summed;
        for (k, a) in layout.keys().zip(acc) {
            let (v, c) = a.finish(blocked);
            summed.set(k, v);
            causes.push(c);
        }
        cell_causes[ti] = causes;
        *report.table_mut(t) = Some(summed);
    }
    Rollup { report, agencies, parts: reports, absent, cell_causes }
}

/// Adds one agency's table to the accumulators of the 2021 `layout`.
fn add_table(acc: &mut [Acc], layout: &'static TableLayout, table: &Table, agency: u32) {
    if table.layout() == Layout::Format2021 {
        for (a, c) in acc.iter_mut().zip(table.cells()) {
            a.add(agency, &c.value);
        }
        return;
    }
    for (a, k) in acc.iter_mut().zip(layout.keys()) {
        match table.value(k) {
            Some(v) => a.add(agency, v),
            None => a.hard.push((agency, Reason::LayoutLacksCell(table.layout()))),
        }
    }
}

impl<'a> Rollup<'a> {
    /// The summary: Tables 2–4 in the 2021 layout, named after the office and year.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Every agency: those with a report first, then those without, in the order given.
    pub fn agencies(&self) -> &[Agency] {
        &self.agencies
    }

    /// How many agencies have a report.
    pub fn included(&self) -> usize {
        self.parts.iter().filter(|p| p.is_some()).count()
    }

    /// The agencies without a report.
    pub fn missing(&self) -> impl Iterator<Item = &Agency> {
        self.agencies.iter().zip(&self.parts).filter(|(_, p)| p.is_none()).map(|(a, _)| a)
    }

    /// The summed value of `key` (`None` for a key outside the 2021 layout).
    pub fn value(&self, key: CellKey) -> Option<&Value> {
        self.report.value(key)
    }

    /// Why `key` is `?`: the agencies without its table, then the cell's own causes by agency.
    /// Empty for a computed cell and for a key outside the 2021 layout.
    pub fn causes(&self, key: CellKey) -> Vec<Cause<'_>> {
        let ti = table_index(key.table());
        let Some(i) = TableLayout::get(key.table(), Layout::Format2021).index_of(key) else {
            return Vec::new();
        };
        if self.report.value(key) != Some(&Value::Unknown) {
            return Vec::new();
        }
        let mut out: Vec<Cause<'_>> = self.absent[ti]
            .iter()
            .chain(&self.cell_causes[ti][i])
            .map(|(a, r)| Cause { agency: agency_index(*a), reason: r })
            .collect();
        out.sort_by_key(|c| c.agency.unwrap_or(usize::MAX));
        out
    }

    /// The number of `?` cells of the summary.
    pub fn unknown_cells(&self) -> usize {
        self.report.cells().filter(|c| c.value == Value::Unknown).count()
    }

    /// Every agency's part in `key`, in agency order (empty for a key outside the 2021 layout).
    pub fn drill(&self, key: CellKey) -> Vec<Contribution<'a>> {
        if TableLayout::get(key.table(), Layout::Format2021).index_of(key).is_none() {
            return Vec::new();
        }
        self.parts
            .iter()
            .enumerate()
            .map(|(agency, part)| {
                let part = match part {
                    None => PartValue::NoReport,
                    Some(r) => match r.table(key.table()) {
                        None => PartValue::NoTable,
                        Some(t) => match t.value(key) {
                            Some(v) => PartValue::Value(v),
                            None => PartValue::LayoutLacksCell(t.layout()),
                        },
                    },
                };
                Contribution { agency, part }
            })
            .collect()
    }

    /// Every cause, grouped by agency and reason with the cells it makes `?`: agencies in order
    /// (within one, by table and reason), then the agency-free [`Reason::OutOfRange`].
    pub fn cause_groups(&self) -> Vec<CauseGroup<'_>> {
        let mut groups = Groups::default();
        for t in TABLES {
            let ti = table_index(t);
            let layout = TableLayout::get(t, Layout::Format2021);
            for (a, r) in &self.absent[ti] {
                let table = (*r == Reason::NoTable).then_some(t);
                groups.add(*a, r, table, layout.keys());
            }
            for (k, causes) in layout.keys().zip(&self.cell_causes[ti]) {
                for (a, r) in causes {
                    groups.add(*a, r, None, std::iter::once(k));
                }
            }
        }
        groups.into_sorted()
    }
}

/// Cause groups being collected, keyed by agency, table and reason.
#[derive(Default)]
struct Groups<'r> {
    index: BTreeMap<(u32, Option<TableId>, &'r Reason), usize>,
    out: Vec<CauseGroup<'r>>,
}

impl<'r> Groups<'r> {
    fn add(
        &mut self,
        agency: u32,
        reason: &'r Reason,
        table: Option<TableId>,
        keys: impl Iterator<Item = CellKey>,
    ) {
        let out = &mut self.out;
        let i = *self.index.entry((agency, table, reason)).or_insert_with(|| {
            out.push(CauseGroup { agency: agency_index(agency), reason, table, cells: Vec::new() });
            out.len() - 1
        });
        out[i].cells.extend(keys);
    }

    fn into_sorted(self) -> Vec<CauseGroup<'r>> {
        let mut slots: Vec<Option<CauseGroup<'r>>> = self.out.into_iter().map(Some).collect();
        self.index.into_values().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::{T2Col, T2Row, T3Col, T3Row, T4Block, T4Col};

    /// A 2021-layout report with every cell `v`.
    fn all(v: i64) -> Report {
        let mut r = Report::default();
        for t in TABLES {
            *r.table_mut(t) = Some(Table::filled(t, Layout::Format2021, |_| Value::int(v)));
        }
        r
    }

    fn agency(id: i64) -> Agency {
        Agency { id, name: format!("机关{id}") }
    }

    fn set(r: &mut Report, key: CellKey, v: Value) {
        if let Some(t) = r.table_mut(key.table()).as_mut() {
            t.set(key, v);
        }
    }

    const GRANTED: CellKey = CellKey::t3(T3Row::Granted, T3Col::NaturalPerson);

    #[test]
    fn every_cell_is_the_sum_of_the_parts() {
        let (a, b) = (all(2), all(3));
        let r = rollup("某县政务公开办", 2024, [(agency(1), &a), (agency(2), &b)], []);
        assert!(r.report().cells().all(|c| c.value == Value::int(5)));
        assert_eq!(r.report().cells().count(), 10 + 175 + 15);
        assert_eq!(r.included(), 2);
        assert_eq!(r.unknown_cells(), 0);
        assert!(r.cause_groups().is_empty());
        assert!(r.causes(GRANTED).is_empty());
        assert_eq!(r.report().meta.year.as_ref().map(|y| y.value), Some(2024));
    }

    #[test]
    fn decimals_keep_their_scale() {
        let key = CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan);
        let (mut a, mut b) = (all(0), all(0));
        set(&mut a, key, Value::Number(Decimal::new(773_028, 2)));
        set(&mut b, key, Value::Number(Decimal::new(15, 1)));
        let r = rollup("办", 2024, [(agency(1), &a), (agency(2), &b)], []);
        assert_eq!(r.value(key), Some(&Value::Number(Decimal::new(773_178, 2))));
    }

    #[test]
    fn a_missing_report_makes_every_cell_unknown_and_names_the_agency() {
        let a = all(1);
        let r = rollup("办", 2024, [(agency(1), &a)], [agency(9)]);
        assert!(r.report().cells().all(|c| c.value == Value::Unknown));
        assert_eq!(r.included(), 1);
        assert_eq!(r.missing().map(|a| a.id).collect::<Vec<_>>(), [9]);
        let causes = r.causes(GRANTED);
        assert_eq!(causes, [Cause { agency: Some(1), reason: &Reason::NoReport }]);
        let groups = r.cause_groups();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].cells.len(), 200);
        let drill = r.drill(GRANTED);
        assert_eq!(drill[0].part, PartValue::Value(&Value::int(1)));
        assert_eq!(drill[1].part, PartValue::NoReport);
    }

    #[test]
    fn unknown_and_too_large_parts_are_causes() {
        let (mut a, mut b) = (all(1), all(1));
        set(&mut a, GRANTED, Value::Unknown);
        let huge = MAX_OPERAND + Decimal::ONE;
        set(&mut b, GRANTED, Value::Number(huge));
        let r = rollup("办", 2024, [(agency(1), &a), (agency(2), &b)], []);
        assert_eq!(r.value(GRANTED), Some(&Value::Unknown));
        assert_eq!(
            r.causes(GRANTED),
            [
                Cause { agency: Some(0), reason: &Reason::Unknown },
                Cause { agency: Some(1), reason: &Reason::TooLarge(huge) },
            ]
        );
        assert_eq!(r.unknown_cells(), 1);
        let other = CellKey::t3(T3Row::Granted, T3Col::Commercial);
        assert_eq!(r.value(other), Some(&Value::int(2)));
    }

    #[test]
    fn blanks_and_marks_alone_stay_what_they_are() {
        let key = CellKey::t2(T2Row::Regulations, T2Col::Issued);
        let fee = CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan);
        let (mut a, mut b) = (all(0), all(0));
        set(&mut a, key, Value::Blank);
        set(&mut b, key, Value::Blank);
        set(&mut a, fee, Value::NotApplicable("/".into()));
        set(&mut b, fee, Value::NotApplicable("无".into()));
        let r = rollup("办", 2024, [(agency(1), &a), (agency(2), &b)], []);
        assert_eq!(r.value(key), Some(&Value::Blank));
        assert_eq!(r.value(fee), Some(&Value::NotApplicable("/".into())));
        assert!(r.causes(key).is_empty());
    }

    #[test]
    fn a_blank_or_mark_beside_numbers_is_not_a_zero() {
        let key = CellKey::t4(T4Block::Review, T4Col::Upheld);
        let (mut a, b, mut c) = (all(4), all(4), all(4));
        set(&mut a, key, Value::Blank);
        set(&mut c, key, Value::NotApplicable("—".into()));
        let r = rollup("办", 2024, [(agency(1), &a), (agency(2), &b), (agency(3), &c)], []);
        assert_eq!(r.value(key), Some(&Value::Unknown));
        assert_eq!(
            r.causes(key),
            [
                Cause { agency: Some(0), reason: &Reason::Blank },
                Cause { agency: Some(2), reason: &Reason::NotApplicable("—".into()) },
            ]
        );
        // Blank beside `/` (no number at all) is a mix too.
        let r = rollup("办", 2024, [(agency(1), &a), (agency(3), &c)], []);
        assert_eq!(r.value(key), Some(&Value::Unknown));
        assert_eq!(r.causes(key).len(), 2);
    }

    #[test]
    fn a_trial_table_gives_the_cells_it_has_and_is_a_cause_for_the_others() {
        let mut trial = all(1);
        trial.t3 = Some(Table::filled(TableId::T3, Layout::Trial2019, |_| Value::int(1)));
        trial.t2 = Some(Table::filled(TableId::T2, Layout::Trial2019, |_| Value::int(1)));
        let a = all(2);
        let r = rollup("办", 2024, [(agency(1), &a), (agency(2), &trial)], []);
        assert_eq!(r.value(GRANTED), Some(&Value::int(3)));
        let merged = CellKey::t3(T3Row::OtherOther, T3Col::Total);
        assert_eq!(r.value(merged), Some(&Value::Unknown));
        let lacks = Reason::LayoutLacksCell(Layout::Trial2019);
        assert_eq!(r.causes(merged), [Cause { agency: Some(1), reason: &lacks }]);
        // Table 2: the decisions columns share their keys; the document columns do not.
        assert_eq!(r.value(CellKey::t2(T2Row::Penalty, T2Col::Decisions)), Some(&Value::int(3)));
        assert_eq!(r.value(CellKey::t2(T2Row::Regulations, T2Col::Issued)), Some(&Value::Unknown));
        assert_eq!(r.drill(merged)[1].part, PartValue::LayoutLacksCell(Layout::Trial2019));
        let groups = r.cause_groups();
        assert_eq!(groups.len(), 1, "{groups:?}");
        // 3 rows × 7 columns of Table 3, 7 cells of Table 2 (issued, repealed, in force × 2, fee).
        assert_eq!(groups[0].cells.len(), 21 + 7);
    }

    #[test]
    fn a_report_without_a_table_is_a_cause_for_that_table() {
        let mut a = all(1);
        a.t4 = None;
        let b = all(1);
        let r = rollup("办", 2024, [(agency(1), &a), (agency(2), &b)], []);
        let key = CellKey::t4(T4Block::Review, T4Col::Total);
        assert_eq!(r.value(key), Some(&Value::Unknown));
        assert_eq!(r.value(GRANTED), Some(&Value::int(2)));
        assert_eq!(r.causes(key), [Cause { agency: Some(0), reason: &Reason::NoTable }]);
        assert_eq!(r.drill(key)[0].part, PartValue::NoTable);
        let groups = r.cause_groups();
        assert_eq!(
            (groups.len(), groups[0].table, groups[0].cells.len()),
            (1, Some(TableId::T4), 15)
        );
    }

    #[test]
    fn a_sum_beyond_the_bound_is_unknown_without_an_agency() {
        let (mut a, mut b) = (all(0), all(0));
        set(&mut a, GRANTED, Value::Number(MAX_OPERAND));
        set(&mut b, GRANTED, Value::int(1));
        let r = rollup("办", 2024, [(agency(1), &a), (agency(2), &b)], []);
        assert_eq!(r.value(GRANTED), Some(&Value::Unknown));
        assert_eq!(r.causes(GRANTED), [Cause { agency: None, reason: &Reason::OutOfRange }]);
        let groups = r.cause_groups();
        assert_eq!(groups[0].agency, None);
    }

    #[test]
    fn no_agency_at_all_is_an_empty_sum() {
        let r = rollup("办", 2024, std::iter::empty::<(Agency, &Report)>(), []);
        assert!(r.report().cells().all(|c| c.value == Value::int(0)));
        assert!(r.drill(GRANTED).is_empty());
    }

    #[test]
    fn keys_outside_the_2021_layout_have_no_causes_or_parts() {
        let a = all(1);
        let r = rollup("办", 2024, [(agency(1), &a)], [agency(2)]);
        let merged = CellKey::t3(T3Row::OtherMerged, T3Col::Total);
        assert!(r.causes(merged).is_empty());
        assert!(r.drill(merged).is_empty());
        assert_eq!(r.value(merged), None);
    }

    #[test]
    fn reasons_are_described_in_both_languages() {
        for (r, key) in [
            (Reason::NoReport, "no_report"),
            (Reason::NoTable, "no_table"),
            (Reason::LayoutLacksCell(Layout::Trial2019), "layout_lacks_cell"),
            (Reason::Blank, "blank"),
            (Reason::NotApplicable("/".into()), "not_applicable"),
            (Reason::Unknown, "unknown"),
            (Reason::TooLarge(Decimal::ONE), "too_large"),
            (Reason::OutOfRange, "out_of_range"),
        ] {
            assert_eq!(r.key(), key);
            assert!(Reason::KEYS.contains(&key));
            let m = r.describe();
            gongkai_testkit::lang::assert_chinese(&m.zh);
            gongkai_testkit::lang::assert_english(&m.en);
        }
    }
}
