//! Register validation: every problem of a register's records with its sheet, row and column and
//! a reason in both languages. [`crate::import`] runs these checks on the rows it read; the web
//! application runs them on a record entered in a form ([`form`]) and on a register it holds in
//! memory ([`register`]) — the same checks, the same messages.

use std::collections::BTreeSet;

use gongkai_cases::error::Reason;
use gongkai_cases::{Case, CaseRecord, Channel, Env, Register};
use gongkai_model::{Localized, Msg};
use jiff::civil::Date;

use crate::RowError;
use crate::parse::Cell;
use crate::rows::{self, Grid, GridRow, Parsed};
use crate::template::{Col, Sheet};

/// Every problem of `register`'s records, sorted by sheet and row; rows are numbered as the
/// register's export ([`crate::export::rows`], [`crate::xlsx::register`]) prints them: the header
/// is row 1, a sheet's first record row 2. Empty when the register is valid.
pub fn register(register: &Register, today: Date, env: Env<'_>) -> Vec<RowError> {
    let row = |i: usize| i + 2;
    let mut errors = Vec::new();
    let case_rows: Vec<usize> = (0..register.cases.len()).map(row).collect();
    for (rec, &r) in register.cases.iter().zip(&case_rows) {
        required(Col::CaseId, &rec.intake.id.0, r, &mut errors);
        if let Channel::OrdinaryLetter { arrived, confirmed } = rec.intake.channel {
            order(Col::Confirmed, confirmed, Col::Arrived, arrived, r, &mut errors);
        }
    }
    cases(&register.cases, &case_rows, today, env, &mut errors);
    for (i, p) in register.proactive.iter().enumerate() {
        required(Col::ItemId, &p.id, row(i), &mut errors);
        required(Col::ItemTitle, &p.title, row(i), &mut errors);
        if let Some(reason) = proactive(p) {
            errors.push(error(Col::Published, row(i), reason));
        }
    }
    for (i, d) in register.documents.iter().enumerate() {
        required(Col::DocId, &d.id, row(i), &mut errors);
        required(Col::DocTitle, &d.title, row(i), &mut errors);
        if let Some(repealed) = d.repealed {
            order(Col::Repealed, repealed, Col::Issued, d.issued, row(i), &mut errors);
        }
    }
    for (i, f) in register.fees_collected.iter().enumerate() {
        required(Col::FeeItem, &f.item, row(i), &mut errors);
    }
    for (i, d) in register.disputes.iter().enumerate() {
        required(Col::DisputeId, &d.id, row(i), &mut errors);
        if let Some((concluded, _)) = d.concluded {
            order(Col::Concluded, concluded, Col::Filed, d.filed, row(i), &mut errors);
        }
    }
    sort(&mut errors);
    errors
}

/// One record of `sheet` entered in a form, field by field (columns left out are empty), read
/// and checked exactly as an imported row: the records it makes, or every problem (row 2, as if
/// it were the first row under the template's header).
///
/// # Errors
/// Every problem found.
pub fn form(
    sheet: Sheet,
    values: &[(Col, &str)],
    today: Date,
    env: Env<'_>,
) -> Result<Parsed, Vec<RowError>> {
    let head = sheet.columns().iter().map(|c| Cell::Text(c.name.to_owned())).collect();
    let cells = sheet
        .columns()
        .iter()
        .map(|c| {
            let v = values.iter().find(|(k, _)| *k == c.id).map(|(_, v)| *v).unwrap_or_default();
            Cell::Text(v.to_owned())
        })
        .collect();
    let grid = Grid { rows: vec![GridRow::dense(1, head), GridRow::dense(2, cells)] };
    let (parsed, mut errors) = read(&[(sheet, grid)]);
    cases(&parsed.cases, &parsed.case_rows, today, env, &mut errors);
    if let Some(col) = values.iter().map(|(c, _)| *c).find(|c| c.sheet() != sheet) {
        errors.push(RowError {
            sheet: sheet.name().to_owned(),
            row: 2,
            column: col.name().to_owned(),
            reason: Msg::new("不是本台账的列", "not a column of this sheet"),
        });
    }
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

/// Reads the sheets' rows: the records and every problem of their cells (unsorted). The first
/// step of [`crate::import`] and [`form`]; [`cases`] is the second.
pub(crate) fn read(grids: &[(Sheet, Grid)]) -> (Parsed, Vec<RowError>) {
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    for (sheet, grid) in grids {
        rows::read_sheet(*sheet, grid, &mut parsed, &mut errors);
    }
    (parsed, errors)
}

/// The checks of applications as records: register numbers unique, not received after `today`,
/// a history the state machine accepts. `rows[i]` is the row of `cases[i]`.
pub(crate) fn cases(
    cases: &[CaseRecord],
    rows: &[usize],
    today: Date,
    env: Env<'_>,
    errors: &mut Vec<RowError>,
) {
    let mut seen = BTreeSet::new();
    for (c, &row) in cases.iter().zip(rows) {
        if !seen.insert(&c.intake.id) {
            let id = &c.intake.id;
            let reason =
                Msg::new(format!("登记编号 {id} 重复"), format!("duplicate register number {id}"));
            errors.push(error(Col::CaseId, row, reason));
        }
        if let Some((col, reason)) = received_in_future(c, today) {
            errors.push(error(col, row, reason));
            continue;
        }
        if let Err((_, e)) = Case::replay(c.clone(), today, env) {
            let column = rows::event_column(e.event);
            let reason = match e.reason {
                // The real cause is the date in that column, not the step it belongs to.
                Reason::InFuture { on, today } => later_than_today(column, on, today),
                _ => {
                    let (why, _) = e.words();
                    Msg::new(
                        format!("办理经过不合法：{}", why.zh),
                        format!("the history of the case is invalid: {}", why.en),
                    )
                }
            };
            errors.push(error(column, row, reason));
        }
    }
}

/// Why a proactive item breaks 先审后发 (reported at its publication date), if it does.
pub(crate) fn proactive(item: &gongkai_cases::registers::ProactiveItem) -> Option<Msg> {
    item.validate().err().map(|e| e.words().0)
}

/// "`a` is before `b`": the date in column `a` must not be earlier than the one in `b`.
pub(crate) fn before(a: Col, b: Col) -> Msg {
    let (a, b) = (a.name(), b.name());
    Msg::new(format!("{a}早于{b}"), format!("`{a}` is before `{b}`"))
}

/// Errors are listed by sheet, then row (stable: a row's problems keep their order).
pub(crate) fn sort(errors: &mut [RowError]) {
    errors.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
}

fn error(col: Col, row: usize, reason: Msg) -> RowError {
    RowError { sheet: col.sheet().name().to_owned(), row, column: col.name().to_owned(), reason }
}

fn required(col: Col, value: &str, row: usize, errors: &mut Vec<RowError>) {
    if value.trim().is_empty() {
        errors.push(error(col, row, Msg::new("必填项为空", "required but empty")));
    }
}

/// The date of column `later` must not be before the date of column `earlier`.
fn order(later: Col, on: Date, earlier: Col, from: Date, row: usize, errors: &mut Vec<RowError>) {
    if on < from {
        errors.push(error(later, row, before(later, earlier)));
    }
}

/// "`column` is later than today", naming both dates.
fn later_than_today(column: Col, on: Date, today: Date) -> Msg {
    let column = column.name();
    Msg::new(
        format!("{column}晚于今天（{on}，今天是 {today}）"),
        format!("`{column}` is later than today ({on}; today is {today})"),
    )
}

/// An application whose day of receipt is after `today`: the column that says so, and why.
fn received_in_future(c: &CaseRecord, today: Date) -> Option<(Col, Msg)> {
    let on = c.intake.received();
    if on <= today {
        return None;
    }
    let column = match c.intake.channel {
        Channel::OrdinaryLetter { arrived, .. } if arrived > today => Col::Arrived,
        Channel::OrdinaryLetter { .. } | Channel::Online { .. } | Channel::Fax { .. } => {
            Col::Confirmed
        }
        _ => Col::Arrived,
    };
    let shown = match c.intake.channel {
        Channel::OrdinaryLetter { arrived, .. } if arrived > today => arrived,
        _ => on,
    };
    Some((column, later_than_today(column, shown, today)))
}

#[cfg(test)]
mod tests {
    use gongkai_calendar::{Calendar, date};
    use gongkai_cases::registers::{DisputeResult, Publication, PublishChannel};
    use gongkai_cases::synth::{self, Plan};
    use gongkai_cases::{CaseEvent, CaseId, Policy};
    use gongkai_model::Lang;

    use super::*;
    use crate::ImportError;

    const TODAY: Date = date(2025, 1, 10);

    fn valid(env: Env<'_>) -> Register {
        let plan = Plan {
            agency: "某局".into(),
            from: date(2024, 1, 1),
            as_of: date(2024, 12, 31),
            cases: 30,
            proactive_items: 6,
            every_outcome: false,
            other_registers: true,
        };
        synth::register(3, &plan, env)
    }

    /// A register with one problem of each kind the records can have.
    fn broken(env: Env<'_>) -> Register {
        let mut reg = valid(env);
        let first = reg.cases[0].intake.id.clone();
        reg.cases[2].intake.id = first;
        reg.cases[3].intake.channel = Channel::InPerson { submitted: date(2030, 1, 2) };
        reg.cases[3].events.clear();
        let on = reg.cases[4].intake.received();
        reg.cases[4].events.insert(0, CaseEvent::FeePaid { on });
        reg.cases[5].intake.id = CaseId(" ".into());
        reg.proactive[1].review = None;
        reg.proactive[1]
            .publications
            .push(Publication { on: date(2024, 6, 1), channel: PublishChannel::Portal });
        reg.documents[0].repealed = reg.documents[0].issued.yesterday().ok();
        reg.disputes[0].concluded = Some((date(2000, 1, 1), DisputeResult::Upheld));
        reg
    }

    #[test]
    fn a_valid_register_has_no_problem() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        assert_eq!(register(&valid(env), TODAY, env), Vec::<RowError>::new());
    }

    #[test]
    fn every_problem_is_named_with_its_sheet_row_and_column() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let errors = register(&broken(env), TODAY, env);
        let at: Vec<(Option<Col>, usize)> = errors.iter().map(|e| (e.col(), e.row)).collect();
        for expected in [
            (Some(Col::CaseId), 4),
            (Some(Col::Arrived), 5),
            (Some(Col::FeePaid), 6),
            (Some(Col::CaseId), 7),
            (Some(Col::Published), 3),
            (Some(Col::Repealed), 2),
            (Some(Col::Concluded), 2),
        ] {
            assert!(at.contains(&expected), "{expected:?} missing from {at:?}");
        }
        for e in &errors {
            // Sheets and columns are named as the template names them, in Chinese.
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            assert!(e.message(Lang::En).contains(&e.reason.en), "{e:?}");
            assert!(e.reason.en.is_ascii() || e.reason.en.contains('`'), "{e:?}");
        }
    }

    /// The checks of records are import's own: the register written out and imported again
    /// reports the applications' problems in the same rows, columns and words.
    #[test]
    fn import_reports_the_same_problems_of_applications() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let mut reg = broken(env);
        reg.cases[5].intake.id = CaseId("X-5".into());
        let bytes = crate::xlsx::register(&reg).unwrap_or_default();
        let limits = gongkai_doc::Limits::default();
        let Err(ImportError::Rows(imported)) = crate::import("r.xlsx", &bytes, TODAY, env, &limits)
        else {
            panic!("the broken register must be refused");
        };
        let sheet = Sheet::Applications.name();
        let of = |v: Vec<RowError>| v.into_iter().filter(|e| e.sheet == sheet).collect::<Vec<_>>();
        let direct = of(register(&reg, TODAY, env));
        assert!(direct.len() >= 3, "{direct:?}");
        assert_eq!(of(imported), direct);
    }

    #[test]
    fn a_form_is_read_and_checked_like_an_imported_row() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let mut fields = vec![
            (Col::CaseId, "W-1"),
            (Col::ApplicantType, "自然人"),
            (Col::Channel, "当面"),
            (Col::Arrived, "2024-12-02"),
            (Col::Closed, "2024-12-10"),
            (Col::Outcome, "予以公开"),
        ];
        let parsed =
            form(Sheet::Applications, &fields, TODAY, env).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(parsed.cases.len(), 1);
        assert_eq!(parsed.cases[0].events.len(), 1);

        fields[1] = (Col::ApplicantType, "外星人");
        fields[4] = (Col::Closed, "2025-02-01");
        let errors = form(Sheet::Applications, &fields, TODAY, env).err().unwrap_or_default();
        let cols: Vec<Option<Col>> = errors.iter().map(RowError::col).collect();
        assert_eq!(cols, [Some(Col::ApplicantType)], "{errors:?}");

        fields[1] = (Col::ApplicantType, "自然人");
        let errors = form(Sheet::Applications, &fields, TODAY, env).err().unwrap_or_default();
        assert_eq!(errors.iter().map(RowError::col).collect::<Vec<_>>(), [Some(Col::Closed)]);
        assert!(errors[0].reason.zh.contains("晚于今天"), "{errors:?}");

        let errors =
            form(Sheet::Fees, &[(Col::FeeDate, "2024-01-02"), (Col::Arrived, "x")], TODAY, env)
                .err()
                .unwrap_or_default();
        let cols: Vec<Option<Col>> = errors.iter().map(RowError::col).collect();
        assert!(
            cols.contains(&Some(Col::FeeItem)) && cols.contains(&Some(Col::FeeYuan)),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.column == Col::Arrived.name()), "{errors:?}");
    }
}
