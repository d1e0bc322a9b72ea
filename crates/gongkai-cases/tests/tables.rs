//! Tables from records: any random register yields tables that satisfy every rule of the
//! catalogue (no error-severity finding from `gongkai_rules`), and the carry-over chains across
//! years (X-CARRY).
//!
//! The rules are those of the catalogue (`gongkai_rules::check` and `check_pair`): no finding of
//! error severity is allowed. The carry-over equality is also asserted directly, per column.

use gongkai_calendar::{Calendar, date};
use gongkai_cases::synth::{self, Plan};
use gongkai_cases::tables::annual;
use gongkai_cases::{Env, Policy};
use gongkai_model::{CellKey, Report, T3Col, T3Row};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[path = "support/rules.rs"]
mod rules;
use rules::{check_rules, n};

fn years(seed: u64, cases: usize, policy: &Policy) -> Vec<Report> {
    let cal = Calendar::official();
    let env = Env { calendar: &cal, policy };
    let plan = Plan {
        agency: "某县某局".into(),
        from: date(2021, 11, 1),
        as_of: date(2024, 12, 31),
        cases,
        proactive_items: cases / 4,
        every_outcome: false,
        other_registers: true,
    };
    let reg = synth::register(seed, &plan, env);
    let replayed = reg.replay(plan.as_of, env).unwrap_or_else(|e| panic!("{e:?}"));
    let records = reg.records(&replayed);
    (2021..=2024).map(|y| annual(&records, y, &cal).report).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn random_registers_give_consistent_tables_that_chain_across_years(
        seed in any::<u64>(),
        cases in 0usize..400,
        fee_pauses in any::<bool>(),
    ) {
        let policy = Policy { fee_pauses_reply_clock: fee_pauses, ..Policy::CONSERVATIVE };
        let reports = years(seed, cases, &policy);
        for (i, r) in reports.iter().enumerate() {
            let errors = check_rules(r, i.checked_sub(1).map(|p| &reports[p]));
            prop_assert!(errors.is_empty(), "{:?}: {errors:?}", r.meta.year);
        }
        for pair in reports.windows(2) {
            for &c in T3Col::ALL {
                prop_assert_eq!(
                    n(&pair[1], CellKey::t3(T3Row::CarriedOver, c)),
                    n(&pair[0], CellKey::t3(T3Row::CarriedForward, c)),
                    "X-CARRY {}", c
                );
            }
        }
        // Every application received in the covered years is counted as new exactly once.
        let received: Decimal = reports.iter().map(|r| n(r, CellKey::t3(T3Row::NewReceived, T3Col::Total))).sum();
        let first_carried = n(&reports[0], CellKey::t3(T3Row::CarriedOver, T3Col::Total));
        prop_assert!(received + first_carried <= Decimal::from(cases));
    }
}

/// Every cell key of the three tables [`annual`] fills (2021 layout).
fn filled_keys() -> Vec<CellKey> {
    use gongkai_model::catalogue::TableLayout;
    use gongkai_model::{Layout, TableId};
    [TableId::T2, TableId::T3, TableId::T4]
        .into_iter()
        .flat_map(|t| TableLayout::get(t, Layout::Format2021).keys())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    /// The drill-down of every cell adds up to the cell: the records `contributors` lists for a
    /// count cell are exactly as many as the count (a tally by its number of decisions, a fee by
    /// its amount).
    #[test]
    fn every_cell_is_the_sum_of_its_contributors(seed in any::<u64>(), cases in 0usize..200) {
        let cal = Calendar::official();
        let policy = Policy::CONSERVATIVE;
        let env = Env { calendar: &cal, policy: &policy };
        let plan = Plan {
            agency: "某县某局".into(),
            from: date(2022, 6, 1),
            as_of: date(2024, 6, 30),
            cases,
            proactive_items: cases / 4,
            every_outcome: cases % 2 == 0,
            other_registers: true,
        };
        let reg = synth::register(seed, &plan, env);
        let replayed = reg.replay(plan.as_of, env).unwrap_or_else(|e| panic!("{e:?}"));
        let records = reg.records(&replayed);
        for year in 2022..=2024 {
            let report = annual(&records, year, &cal).report;
            for key in filled_keys() {
                let listed = gongkai_cases::contributors(&records, year, key);
                let sum: Decimal = listed.iter().map(gongkai_cases::Contributor::amount).sum();
                prop_assert_eq!(sum, n(&report, key), "{} in {}", key, year);
                if matches!(key.row, gongkai_model::RowId::T3(_)) {
                    prop_assert_eq!(Decimal::from(listed.len()), n(&report, key), "{}", key);
                }
            }
        }
    }
}

#[test]
fn granted_lists_the_cases_granted_in_the_year_and_nothing_else() {
    let cal = Calendar::official();
    let policy = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &policy };
    let plan = Plan {
        agency: "某县某局".into(),
        from: date(2023, 1, 1),
        as_of: date(2024, 3, 31),
        cases: 120,
        proactive_items: 10,
        every_outcome: true,
        other_registers: true,
    };
    let reg = synth::register(7, &plan, env);
    let replayed = reg.replay(plan.as_of, env).unwrap_or_else(|e| panic!("{e:?}"));
    let records = reg.records(&replayed);
    let key = CellKey::t3(T3Row::Granted, T3Col::Total);
    let listed = gongkai_cases::contributors(&records, 2023, key);
    assert!(!listed.is_empty(), "every_outcome grants some");
    for c in &listed {
        let gongkai_cases::Contributor::Case(case) = c else { panic!("{c:?} is not a case") };
        let closure = case.closure().expect("closed");
        assert_eq!(closure.outcome.row(), T3Row::Granted);
        assert_eq!(closure.on.year(), 2023);
    }
    let expected = replayed
        .iter()
        .filter(|c| {
            c.closure().is_some_and(|cl| cl.outcome.row() == T3Row::Granted && cl.on.year() == 2023)
        })
        .count();
    assert_eq!(listed.len(), expected);
    // A trial-layout key is not filled by `annual`: nothing is listed.
    let trial = CellKey::t3(T3Row::OtherMerged, T3Col::Total);
    assert!(gongkai_cases::contributors(&records, 2023, trial).is_empty());
}
