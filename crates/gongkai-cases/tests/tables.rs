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
