//! Replays the committed corpus of every fuzz target (`fuzz/corpus/<target>/`) on stable: no
//! input may panic or exceed its target's bounds (wall time, bytes allocated). One test, so
//! that the counting allocator sees one input at a time.

use std::path::Path;
use std::time::Duration;

use gongkai_fuzz_targets::TARGETS;

/// Debug builds (opt-level 1) are slower than the release builds the bounds are stated for.
const DEBUG_SLACK: u32 = 10;

#[test]
fn every_committed_input_stays_within_its_bounds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut summary = Vec::new();
    for target in TARGETS {
        let dir = root.join(target.name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{}: no committed corpus", target.name);
        let (mut slowest, mut most) = (Duration::ZERO, 0u64);
        for file in &files {
            let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let run = std::panic::catch_unwind(|| target.check(&data, DEBUG_SLACK));
            let (took, peak) =
                run.unwrap_or_else(|_| panic!("{} failed on {}", target.name, file.display()));
            slowest = slowest.max(took);
            most = most.max(peak);
        }
        summary.push(format!(
            "{:14} {:4} inputs  slowest {:>8.1} ms  peak {:>7.1} MiB (bound {} MiB)",
            target.name,
            files.len(),
            slowest.as_secs_f64() * 1000.0,
            most as f64 / 1048576.0,
            target.peak_bytes() >> 20
        ));
    }
    // Shown with --nocapture: the figures docs/reliability.md quotes.
    eprintln!("{}", summary.join("\n"));
}

/// `scripts/fuzz` passes each target's bounds to libFuzzer from its own table: it must name
/// every target, with the same seconds and memory bound, and only dictionaries that exist.
#[test]
fn the_fuzz_script_knows_every_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = std::fs::read_to_string(root.join("scripts/fuzz")).expect("scripts/fuzz");
    let (_, table) = script.split_once("TARGETS=\"\n").expect("the TARGETS table");
    let (table, _) = table.split_once("\"\n").expect("the end of the table");
    let rows: Vec<Vec<&str>> = table.lines().map(|l| l.split_whitespace().collect()).collect();
    let names: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    let expected: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    assert_eq!(names, expected);
    for (row, target) in rows.iter().zip(TARGETS) {
        assert_eq!(row[1], target.seconds.to_string(), "{}: seconds", target.name);
        assert_eq!(row[2], (target.peak_bytes() >> 20).to_string(), "{}: MiB", target.name);
        for dict in &row[3..] {
            let path = root.join(format!("fuzz/dicts/{dict}.dict"));
            assert!(*dict == "-" || path.is_file(), "{}: no dictionary {dict}", target.name);
        }
        let binary = root.join(format!("fuzz/fuzz_targets/{}.rs", target.name));
        assert!(binary.is_file(), "{}: no fuzz/fuzz_targets/{}.rs", target.name, target.name);
    }
}
