//! A year's annual report drafted from a register (`gongkai register tables`, the web
//! application's 年度报告 page): Tables 2–4 counted by [`gongkai_cases::tables::annual`], the
//! generated section texts with the figures of section 一, the sections the agency wrote itself,
//! and what only last year's published report knows.
//!
//! **Carry-over.** Table 3's 上年结转 is counted from the register (the applications still open on
//! 31 December of the year before), never copied from the previous report: a published value is
//! never overwritten, and the tables stay consistent by construction. When the previous year's
//! published report printed another 结转下年度, `gongkai_rules::check_pair(previous, &draft.report)`
//! reports the difference (X-CARRY) with both values. From the previous report the draft takes
//! what a register does not hold: the agency's contact details.

use gongkai_cases::register::RecordErrors;
use gongkai_cases::{Env, Figures, Register, tables::annual};
use gongkai_model::{Localized, Msg, Report, Section, SectionId, Spanned};
use jiff::civil::Date;

/// The report years a draft can be made for.
pub const YEARS: std::ops::RangeInclusive<i16> = 1950..=2150;

/// A year's report drafted from a register, and the figures its texts quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// The report: metadata, section texts, Tables 2–4 (2021 layout).
    pub report: Report,
    /// The figures of section 一 (and 六).
    pub figures: Figures,
}

/// Why no draft was made. [`Localized::message`] says it in one language.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum DraftError {
    /// The year is outside [`YEARS`].
    Year(i16),
    /// Records of the register do not replay (every failing record).
    Records(RecordErrors),
    /// The register has no record concerning the year: its tables would be all zeros.
    NoRecords(i16),
    /// The previous report is not of the year before.
    PreviousYear {
        /// The year drafted.
        year: i16,
        /// The year of the report given as the previous one.
        previous: i32,
    },
}

impl Localized for DraftError {
    fn words(&self) -> (Msg, Option<String>) {
        let text = match self {
            DraftError::Year(year) => Msg::new(
                format!("年度 {year} 不在 1950–2150 之间"),
                format!("the year {year} is not between 1950 and 2150"),
            ),
            DraftError::Records(errors) => return errors.words(),
            DraftError::NoRecords(year) => Msg::new(
                format!(
                    "台账中没有 {year} 年的记录（没有当年收到、办结或结转的申请，也没有当年的其他台账记录），不生成全为零的统计表"
                ),
                format!(
                    "the register has no records for {year} (no application received, closed or carried over, nor any other record in that year); no tables of zeros are printed"
                ),
            ),
            DraftError::PreviousYear { year, previous } => Msg::new(
                format!("上一年度报告应为 {} 年的，给出的是 {previous} 年的", year - 1),
                format!("the previous report should be of {}, not of {previous}", year - 1),
            ),
        };
        (text, None)
    }
}

/// Drafts the report for `year` from `register`: its applications replayed as of `today`, the
/// tables and figures counted, `sections` (the agency's own texts, e.g. section 五) put in place
/// of the generated ones, and the contact details of `previous` — the previous year's published
/// report — when given (see the module docs on carry-over).
///
/// # Errors
/// A year outside [`YEARS`], records that do not replay, a register with no record of the year,
/// or a `previous` report of another year than `year - 1`.
pub fn report(
    register: &Register,
    year: i16,
    previous: Option<&Report>,
    sections: &[(SectionId, String)],
    today: Date,
    env: Env<'_>,
) -> Result<Draft, DraftError> {
    if !YEARS.contains(&year) {
        return Err(DraftError::Year(year));
    }
    let previous_year = previous.and_then(|p| p.meta.year.as_ref()).map(|y| y.value);
    if let Some(p) = previous_year.filter(|&p| p != i32::from(year) - 1) {
        return Err(DraftError::PreviousYear { year, previous: p });
    }
    let cases = register.replay(today, env).map_err(|e| DraftError::Records(RecordErrors(e)))?;
    let records = register.records(&cases);
    if !records.any_in(year) {
        return Err(DraftError::NoRecords(year));
    }
    let mut a = annual(&records, year, env.calendar);
    for (id, text) in sections {
        set_section(&mut a.report, *id, text);
    }
    if let Some(p) = previous {
        a.report.meta.contact = bare_contact(&p.meta.contact);
    }
    Ok(Draft { report: a.report, figures: a.figures })
}

/// Puts `text` as section `id` of `report`, replacing the section's text (generated or written
/// before), keeping the sections in their order.
pub fn set_section(report: &mut Report, id: SectionId, text: &str) {
    report.sections.retain(|s| s.id != id);
    report.sections.push(Section::new(id, text));
    report.sections.sort_by_key(|s| s.id.number());
}

/// The contact details without their positions in the previous report's document.
fn bare_contact(c: &gongkai_model::Contact) -> gongkai_model::Contact {
    let bare = |s: &Option<Spanned<String>>| s.as_ref().map(|s| Spanned::bare(s.value.clone()));
    gongkai_model::Contact {
        address: bare(&c.address),
        phone: bare(&c.phone),
        postcode: bare(&c.postcode),
        email: bare(&c.email),
    }
}

#[cfg(test)]
mod tests {
    use gongkai_calendar::{Calendar, date};
    use gongkai_cases::synth::{self, Plan};
    use gongkai_cases::{CaseEvent, Policy};
    use gongkai_model::{CellKey, Lang, T3Col, T3Row, Value};

    use super::*;

    fn register(env: Env<'_>) -> Register {
        let plan = Plan {
            agency: "某县某局".into(),
            from: date(2023, 1, 1),
            as_of: date(2024, 12, 31),
            cases: 80,
            proactive_items: 20,
            every_outcome: false,
            other_registers: true,
        };
        synth::register(11, &plan, env)
    }

    const TODAY: Date = date(2025, 1, 10);

    #[test]
    fn the_draft_is_the_annual_report_with_the_agencys_sections() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let reg = register(env);
        let cases = reg.replay(TODAY, env).unwrap_or_else(|e| panic!("{e:?}"));
        let expected = annual(&reg.records(&cases), 2024, &cal);
        let plain = report(&reg, 2024, None, &[], TODAY, env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plain.report, expected.report);
        assert_eq!(plain.figures, expected.figures);

        let own = [(SectionId::Problems, "问题一。".to_owned())];
        let d = report(&reg, 2024, None, &own, TODAY, env).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<u8> = d.report.sections.iter().map(|s| s.id.number()).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
        assert_eq!(
            d.report.section(SectionId::Problems).map(|s| s.text.as_str()),
            Some("问题一。")
        );
        assert_eq!(d.report.t3, expected.report.t3);
    }

    #[test]
    fn what_cannot_be_drafted_is_said() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let mut reg = register(env);
        assert_eq!(report(&reg, 1949, None, &[], TODAY, env), Err(DraftError::Year(1949)));
        assert_eq!(report(&reg, 2019, None, &[], TODAY, env), Err(DraftError::NoRecords(2019)));
        let mut old = Report::default();
        old.meta.year = Some(Spanned::bare(2022));
        assert_eq!(
            report(&reg, 2024, Some(&old), &[], TODAY, env),
            Err(DraftError::PreviousYear { year: 2024, previous: 2022 })
        );
        // Every record that does not replay is named, not only the first.
        for rec in reg.cases.iter_mut().take(2) {
            rec.events.push(CaseEvent::Withdrawn { on: date(2030, 1, 1) });
        }
        let Err(DraftError::Records(errors)) = report(&reg, 2024, None, &[], TODAY, env) else {
            panic!("records that do not replay must be refused");
        };
        assert_eq!(errors.0.len(), 2);
        for e in [DraftError::Year(1949), DraftError::Records(errors), DraftError::NoRecords(2019)]
        {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
    }

    #[test]
    fn carry_over_is_counted_and_a_different_published_figure_is_a_finding() {
        let cal = Calendar::official();
        let env = Env { calendar: &cal, policy: &Policy::CONSERVATIVE };
        let reg = register(env);
        let mut previous =
            report(&reg, 2023, None, &[], TODAY, env).unwrap_or_else(|e| panic!("{e}")).report;
        previous.meta.contact.phone = Some(Spanned::bare("0000-1234567".into()));
        let d =
            report(&reg, 2024, Some(&previous), &[], TODAY, env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.report.meta.contact, previous.meta.contact);
        let carried_over = CellKey::t3(T3Row::CarriedOver, T3Col::Total);
        let carried_forward = CellKey::t3(T3Row::CarriedForward, T3Col::Total);
        let counted = d.report.t3.as_ref().and_then(|t| t.value(carried_over)).cloned();
        assert!(counted.is_some());
        assert!(gongkai_rules::check_pair(&previous, &d.report).is_empty());

        // The published report printed one more: the draft keeps its count, the rule says so.
        if let Some(t3) = previous.t3.as_mut()
            && let Some(Value::Number(n)) = t3.value(carried_forward).cloned()
        {
            t3.set(carried_forward, Value::Number(n + rust_decimal::Decimal::ONE));
        }
        let d =
            report(&reg, 2024, Some(&previous), &[], TODAY, env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.report.t3.as_ref().and_then(|t| t.value(carried_over)).cloned(), counted);
        let findings = gongkai_rules::check_pair(&previous, &d.report);
        assert!(findings.iter().any(|f| f.rule == "X-CARRY"), "{findings:?}");
    }
}
