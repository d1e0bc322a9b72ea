//! The column vocabulary round-trips: every header the template writes is read back as its
//! column, in any order, and a register written out (every sheet, every column it fills) imports
//! back to the same records — except what a correction notice asks for (`CorrectionRequested::
//! items`), which no column of the template carries.

use gongkai_calendar::{Calendar, date};
use gongkai_cases::synth::{self, Plan};
use gongkai_cases::tables::annual;
use gongkai_cases::{CaseEvent, Env, Policy, Register};
use gongkai_doc::Limits;
use gongkai_register::template::{Col, Sheet};
use gongkai_register::{export, import, xlsx};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The template's header, shuffled, maps back to the same columns.
    #[test]
    fn every_header_reads_back_as_its_column(
        sheet in prop::sample::select(Sheet::ALL.to_vec()),
        order in any::<u64>(),
    ) {
        let mut header: Vec<(String, Col)> =
            export::header(sheet).into_iter().zip(sheet.columns().iter().map(|c| c.id)).collect();
        let n = header.len();
        for i in 0..n {
            header.swap(i, (order as usize).wrapping_add(i * 7) % n);
        }
        for (text, col) in &header {
            prop_assert_eq!(Col::from_header(sheet, text), Some(*col));
            prop_assert_eq!(col.sheet(), sheet);
        }
    }

    /// A synthetic register written as a workbook imports back to the same records: the same
    /// tables, and a second round trip changes nothing (import normalizes text by NFKC, so a
    /// full-width bracket in a title comes back ASCII — the only change the first trip makes).
    #[test]
    fn a_register_written_out_imports_back_the_same(seed in any::<u64>()) {
        let cal = Calendar::official();
        let policy = Policy::CONSERVATIVE;
        let env = Env { calendar: &cal, policy: &policy };
        let plan = Plan {
            agency: "某局".into(),
            from: date(2024, 1, 1),
            as_of: date(2024, 12, 31),
            cases: 40,
            proactive_items: 10,
            every_outcome: false,
            other_registers: true,
        };
        let mut reg = synth::register(seed, &plan, env);
        // The one field no column carries: what a correction notice asks for (known gap).
        for rec in &mut reg.cases {
            for e in &mut rec.events {
                if let CaseEvent::CorrectionRequested { items, .. } = e {
                    items.clear();
                }
            }
        }
        let once = round_trip(&reg, env)?;
        let twice = round_trip(&once, env)?;
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(once.cases.len(), reg.cases.len());
        prop_assert_eq!(once.proactive.len(), reg.proactive.len());
        prop_assert_eq!(once.documents.len(), reg.documents.len());
        prop_assert_eq!(once.decisions.len(), reg.decisions.len());
        prop_assert_eq!(once.fees_collected.len(), reg.fees_collected.len());
        prop_assert_eq!(once.disputes.len(), reg.disputes.len());
        let today = date(2025, 1, 10);
        let table = |r: &Register| {
            let cases = r.replay(today, env).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            Ok::<_, TestCaseError>(annual(&r.records(&cases), 2024, &cal).report)
        };
        prop_assert_eq!(table(&once)?, table(&reg)?);
    }
}

/// The register written as a workbook and imported into an empty register.
fn round_trip(reg: &Register, env: Env<'_>) -> Result<Register, TestCaseError> {
    let bytes = xlsx::register(reg).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let imported = import("r.xlsx", &bytes, date(2025, 1, 10), env, &Limits::default())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut back = Register::new(reg.agency.clone());
    imported.merge_into(&mut back);
    Ok(back)
}
