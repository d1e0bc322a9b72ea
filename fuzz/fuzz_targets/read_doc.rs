#![no_main]
//! Fuzz target `read_doc`: the body and bounds are gongkai_fuzz_targets's (see its TARGETS).

use libfuzzer_sys::fuzz_target;

/// Sanitised, coverage-instrumented builds are slower than release: the time bound is 5 times;
/// unoptimised builds (`scripts/fuzz ci`, `--dev`) 10 times, as in the corpus replay.
const SLACK: u32 = if cfg!(debug_assertions) { 10 } else { 5 };

fuzz_target!(|data: &[u8]| {
    let target = gongkai_fuzz_targets::target("read_doc").expect("a target of gongkai-fuzz-targets");
    target.check(data, SLACK);
});
