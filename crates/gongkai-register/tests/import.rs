//! Importing registers: the committed example, CSV and XLSX agreeing, every bad row reported,
//! hostile files refused cleanly.

use gongkai_calendar::{Calendar, date};
use gongkai_cases::tables::annual;
use gongkai_cases::{Env, Outcome, Policy, Register};
use gongkai_doc::Limits;
use gongkai_model::{CellKey, T3Col, T3Row};
use gongkai_model::{Lang, Localized};
use gongkai_register::template::Sheet;
use gongkai_register::{ImportError, import};

#[path = "../../gongkai-cases/tests/support/rules.rs"]
mod rules;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

fn env_parts() -> (Calendar, Policy) {
    (Calendar::official(), Policy::CONSERVATIVE)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{EXAMPLES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_example_register_imports_and_its_tables_pass_the_rules() {
    let (cal, policy) = env_parts();
    let env = Env { calendar: &cal, policy: &policy };
    let today = date(2025, 1, 10);
    let imported = import(
        "county-register-2024.xlsx",
        &read("county-register-2024.xlsx"),
        today,
        env,
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.parsed.sheets, Sheet::ALL.to_vec());
    let mut reg = Register::new("某县自然资源局");
    imported.merge_into(&mut reg);
    assert!(reg.cases.len() >= 300, "a few hundred cases");
    let cases = reg.replay(today, env).unwrap_or_else(|e| panic!("{e:?}"));
    // Every outcome, corrections, extensions, consultations and fees occur.
    for o in Outcome::all() {
        assert!(cases.iter().any(|c| c.outcome() == Some(o)), "no case with outcome {o}");
    }
    assert!(cases.iter().any(|c| c.correction().is_some_and(|x| x.corrected_on.is_some())));
    assert!(cases.iter().any(|c| c.extension().is_some()));
    assert!(cases.iter().any(|c| !c.consultations().is_empty()));
    assert!(cases.iter().any(|c| c.fee().is_some_and(|f| f.paid_on.is_some())));
    let records = reg.records(&cases);
    let y2023 = annual(&records, 2023, &cal).report;
    let y2024 = annual(&records, 2024, &cal).report;
    assert_eq!(rules::check_rules(&y2023, None), Vec::<String>::new());
    assert_eq!(rules::check_rules(&y2024, Some(&y2023)), Vec::<String>::new());
    // Every finding on the 2024 report: only that section 五 (problems and improvements, which
    // the agency writes itself) is empty, and the layout note. The generated prose agrees with
    // the tables (no TEXT-TABLE finding).
    insta::assert_snapshot!(rules::findings(&y2024).join("\n"));
    let carried = |r, row| rules::n(r, CellKey::t3(row, T3Col::Total));
    assert!(carried(&y2024, T3Row::CarriedOver) > 0.into(), "carry-over from 2023");
    assert!(carried(&y2024, T3Row::CarriedForward) > 0.into(), "carry-forward into 2025");
    assert_eq!(carried(&y2024, T3Row::CarriedOver), carried(&y2023, T3Row::CarriedForward));
}

#[test]
fn the_csv_files_import_to_the_same_records_as_the_workbook() {
    let (cal, policy) = env_parts();
    let env = Env { calendar: &cal, policy: &policy };
    let today = date(2025, 1, 10);
    let xlsx = import("r.xlsx", &read("county-register-2024.xlsx"), today, env, &Limits::default())
        .expect("imports");
    let mut from_csv = Register::new("x");
    for sheet in Sheet::ALL {
        let name = format!("county-register-2024-{}.csv", sheet.name());
        import(&name, &read(&name), today, env, &Limits::default())
            .expect("imports")
            .merge_into(&mut from_csv);
    }
    let mut from_xlsx = Register::new("x");
    xlsx.merge_into(&mut from_xlsx);
    assert_eq!(from_csv, from_xlsx);
}

#[test]
fn every_bad_row_is_reported_and_nothing_is_imported() {
    let (cal, policy) = env_parts();
    let env = Env { calendar: &cal, policy: &policy };
    let csv = "登记编号,申请人类型,提交方式,到达日期,确认日期,办结日期,办理结果,延期批准日期,延期批准人\n\
        A1,自然人,当面,2024年9月27日,,2024-10-30,予以公开,,\n\
        A2,外星人,当面,2024-13-01,,,,,\n\
        A3,商业企业,互联网,２０２４/９/２７,,,,,\n\
        A4,自然人,当面,2024-09-27,,2024-10-08,不予公开-属于国家秘密,,\n\
        A5,自然人,当面,2024-09-27,,2024-11-08,予以公开,2024-11-01,主任\n\
        A1,自然人,当面,45562,,,,,\n\
        A7,自然人,当面,2024-09-27,,2024-10-08,大概公开了,,\n";
    let Err(ImportError::Rows(errors)) =
        import("bad.csv", csv.as_bytes(), date(2025, 1, 10), env, &Limits::default())
    else {
        panic!("should be refused");
    };
    let text: Vec<String> = errors.iter().map(|e| e.message(Lang::Zh)).collect();
    insta::assert_snapshot!(text.join("\n"));
    let text: Vec<String> = errors.iter().map(|e| e.message(Lang::En)).collect();
    insta::assert_snapshot!("every_bad_row_is_reported_in_english", text.join("\n"));
}

#[test]
fn hostile_files_are_refused_without_panicking() {
    let (cal, policy) = env_parts();
    let env = Env { calendar: &cal, policy: &policy };
    let today = date(2025, 1, 10);
    for (name, bytes) in [
        ("x.xlsx", b"not a zip at all".to_vec()),
        ("x.xlsx", b"PK\x03\x04 truncated".to_vec()),
        ("x.csv", b"\xff\xfe\x00garbage\xc0\xc1".to_vec()),
        ("x.csv", "完全,无关,的表头\n1,2,3\n".as_bytes().to_vec()),
    ] {
        let r = import(name, &bytes, today, env, &Limits::default());
        assert!(matches!(r, Err(ImportError::Unreadable { .. })), "{name}: {r:?}");
    }
    let tiny = Limits { max_input_bytes: 10, ..Limits::default() };
    let r = import("x.csv", b"0123456789ABCDEF", today, env, &tiny);
    assert!(matches!(r, Err(ImportError::TooLarge { .. })), "{r:?}");
    let few = Limits { max_zip_entries: 3, ..Limits::default() };
    let r =
        import("t.xlsx", &gongkai_register::xlsx::template().expect("template"), today, env, &few);
    assert!(matches!(r, Err(ImportError::TooLarge { .. })), "{r:?}");
}

#[test]
fn the_template_reads_back_as_empty_sheets() {
    let (cal, policy) = env_parts();
    let env = Env { calendar: &cal, policy: &policy };
    let bytes = gongkai_register::xlsx::template().expect("template");
    let imported = import("t.xlsx", &bytes, date(2025, 1, 10), env, &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.parsed.sheets, Sheet::ALL.to_vec());
    assert!(imported.parsed.cases.is_empty());
}
