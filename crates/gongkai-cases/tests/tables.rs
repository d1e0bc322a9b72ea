//! Tables from records: any random register yields tables that satisfy the consistency rules of
//! spec §4 (T3-BALANCE, T3-RESULTS-SUM, T3-ROW-TOTAL, T4-SUM, CELL-INTEGER), and the carry-over
//! chains across years (X-CARRY).
//!
//! TODO(lead): switch `check_rules` to `gongkai_rules::check` (no error-severity finding) once
//! `gongkai-rules` is on `main`.

use gongkai_calendar::{Calendar, date};
use gongkai_cases::synth::{self, Plan};
use gongkai_cases::tables::{Records, annual, outcome_rows};
use gongkai_cases::{Env, Policy};
use gongkai_model::{CellKey, Report, T3Col, T3Row, T4Block, T4Col, Value};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn n(r: &Report, key: CellKey) -> Decimal {
    match r.value(key) {
        Some(Value::Number(d)) => *d,
        other => panic!("{key}: {other:?}"),
    }
}

/// The equalities of spec §4, checked directly.
fn check_rules(r: &Report) -> Vec<String> {
    let mut errors = Vec::new();
    for cell in r.cells() {
        if let Value::Number(d) = &cell.value {
            if d.is_sign_negative()
                || (cell.key.table() != gongkai_model::TableId::T2 && !d.fract().is_zero())
            {
                errors.push(format!("CELL-INTEGER {}", cell.key));
            }
        } else {
            errors.push(format!("CELL-INTEGER {} not a number", cell.key));
        }
    }
    for &c in T3Col::ALL {
        let v = |row| n(r, CellKey::t3(row, c));
        if v(T3Row::NewReceived) + v(T3Row::CarriedOver)
            != v(T3Row::TotalProcessed) + v(T3Row::CarriedForward)
        {
            errors.push(format!("T3-BALANCE {c}"));
        }
        let sum: Decimal = outcome_rows().map(v).sum();
        if sum != v(T3Row::TotalProcessed) {
            errors.push(format!("T3-RESULTS-SUM {c}"));
        }
    }
    for &row in T3Row::ALL.iter().filter(|r| **r != T3Row::OtherMerged) {
        let sum: Decimal = T3Col::APPLICANTS.iter().map(|&c| n(r, CellKey::t3(row, c))).sum();
        if sum != n(r, CellKey::t3(row, T3Col::Total)) {
            errors.push(format!("T3-ROW-TOTAL {row}"));
        }
    }
    for &b in T4Block::ALL {
        let sum: Decimal = T4Col::PARTS.iter().map(|&c| n(r, CellKey::t4(b, c))).sum();
        if sum != n(r, CellKey::t4(b, T4Col::Total)) {
            errors.push(format!("T4-SUM {b}"));
        }
    }
    errors
}

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
    let records = Records {
        agency: &reg.agency,
        cases: &replayed,
        proactive: &reg.proactive,
        documents: &reg.documents,
        decisions: &reg.decisions,
        fees_collected: &reg.fees_collected,
        disputes: &reg.disputes,
    };
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
        for r in &reports {
            let errors = check_rules(r);
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
