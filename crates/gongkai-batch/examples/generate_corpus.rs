//! Writes a generated archive for the scale measurements of `docs/batch.md`:
//! `cargo run --release -p gongkai-batch --example generate_corpus -- OUT_DIR N [DEV_DIR]`.
//!
//! N reports from `gongkai_testkit`: N / 5 agencies, each with five consecutive years chained
//! so that the cross-year rules run (every fifth agency's last year breaks the chain, so X-CARRY
//! fires), printed in every flattening style in turn (cell per line, pipes, Markdown, Markdown
//! mini-tables, glued crawler text) and as an HTML page, in `OUT_DIR/<group>/<agency>/<year>.*`.
//! The files of `DEV_DIR` (the dev corpus) are copied into `OUT_DIR/dev/`.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a measurement tool prints what it wrote"
)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};

use gongkai_model::T3Col;
use gongkai_testkit::{Cosmetics, Style, print};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse::<usize>().ok()))
    else {
        eprintln!("usage: generate_corpus OUT_DIR N [DEV_DIR]");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    let agencies = n.div_ceil(5);
    let bases = support::reports(agencies.clamp(1, 500));
    let mut written = 0usize;
    for a in 0..agencies {
        let name = format!("测试省第{a}县人民政府");
        let dir = out.join(format!("g{:03}", a / 1000)).join(format!("a{a:06}"));
        std::fs::create_dir_all(&dir)?;
        let mut report = support::next_year(&bases[a % bases.len()], &name);
        for y in 0..5 {
            if written == n {
                break;
            }
            if y > 0 {
                report = support::next_year(&report, &name);
                if y == 4 && a % 5 == 0 {
                    support::break_chain(&mut report, T3Col::Commercial);
                }
            }
            let year = report.meta.year.as_ref().map_or(0, |y| y.value);
            let kind = (a + y) % 6;
            let (ext, body) = match Style::ALL.get(kind) {
                Some(&style) => ("txt", print(&report, style, Cosmetics::default())),
                None => ("html", support::html(&report)),
            };
            std::fs::write(dir.join(format!("{year}.{ext}")), body)?;
            written += 1;
        }
    }
    if let Some(dev) = args.get(3) {
        let target = out.join("dev");
        std::fs::create_dir_all(&target)?;
        for entry in std::fs::read_dir(Path::new(dev))? {
            let path = entry?.path();
            if let Some(file) = path.file_name() {
                std::fs::copy(&path, target.join(file))?;
                written += 1;
            }
        }
    }
    println!("{written} files in {}", out.display());
    Ok(())
}
