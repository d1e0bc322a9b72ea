//! Writes the example register under `examples/`: a synthetic but realistic year (2024) of a
//! county department, with November–December 2023 applications carried over into 2024 and
//! December 2024 applications carried forward. Reproducible: a fixed seed.
//!
//! ```text
//! cargo run -p gongkai-register --example county_register
//! ```
#![allow(clippy::print_stdout, reason = "an example program reports what it wrote")]

use std::path::Path;

use gongkai_calendar::{Calendar, date};
use gongkai_cases::synth::{self, Plan};
use gongkai_cases::{Env, Policy};
use gongkai_register::template::Sheet;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cal = Calendar::official();
    let policy = Policy::CONSERVATIVE;
    let env = Env { calendar: &cal, policy: &policy };
    let plan = Plan {
        agency: "某县自然资源局".into(),
        from: date(2023, 11, 1),
        as_of: date(2024, 12, 31),
        cases: 380,
        proactive_items: 150,
        every_outcome: true,
        other_registers: true,
    };
    let reg = synth::register(2024, &plan, env);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    std::fs::create_dir_all(&dir)?;
    let xlsx = dir.join("county-register-2024.xlsx");
    std::fs::write(&xlsx, gongkai_register::xlsx::register(&reg)?)?;
    println!("{}", xlsx.display());
    for sheet in Sheet::ALL {
        let csv = dir.join(format!("county-register-2024-{}.csv", sheet.name()));
        std::fs::write(
            &csv,
            gongkai_register::csv_io::write(&gongkai_register::export::rows(&reg, sheet))?,
        )?;
        println!("{}", csv.display());
    }
    Ok(())
}
