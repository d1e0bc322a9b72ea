//! One batch over a directory, for the measurements of `docs/batch.md` (peak memory with
//! `/usr/bin/time -v`, time per stage on stderr):
//! `cargo run --release -p gongkai-batch --example batch_run -- stream|memory JOBS OUT_DIR INPUT…`.
//!
//! `stream` is what `gongkai batch` runs ([`gongkai_batch::run_to`]); `memory` is the in-memory
//! batch ([`gongkai_batch::run`] then [`gongkai_batch::write_outputs`]), the baseline;
//! `shard=K/N` is `gongkai batch --shard K/N` ([`gongkai_batch::run_shard_to`]); `merge` is
//! `gongkai batch merge` (the INPUTs are the shards' output directories).
//!
//! Every mode ends with a line `peak-heap=… bytes`: the most bytes allocated at once, counted by
//! the global allocator (`stream` also prints the peak while reading and the peak after). `/usr/bin/time -v`'s peak RSS adds the code, the stacks and what the
//! allocator keeps; the heap figure is exact, so the bytes per file of two runs of different
//! sizes are not lost in the allocator's noise.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a measurement tool prints its figures"
)]

use std::path::PathBuf;
use std::time::Instant;

use gongkai_batch::csv::CsvStyle;
use gongkai_batch::{Options, expand, list, run, run_to, write_outputs};
use gongkai_model::Lang;

#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// `stream`'s peak while the files were read (the allocator's peak is reset after).
static READING_PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let result = measured();
    let reading = READING_PEAK.load(std::sync::atomic::Ordering::SeqCst);
    println!("peak-heap={} bytes", HEAP.peak_usage().max(reading));
    result
}

fn measured() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(jobs), Some(out)) =
        (args.get(1), args.get(2).and_then(|j| j.parse::<usize>().ok()), args.get(3))
    else {
        eprintln!("usage: batch_run stream|memory|shard=K/N|merge JOBS OUT_DIR INPUT…");
        std::process::exit(2);
    };
    let inputs: Vec<PathBuf> = args[4..].iter().map(PathBuf::from).collect();
    let t0 = Instant::now();
    if mode == "merge" {
        let options = Options { jobs: Some(jobs), ..Options::default() };
        let merged = gongkai_batch::merge(&inputs, &options, std::path::Path::new(out))?;
        let secs = t0.elapsed().as_secs_f64();
        let files = merged.streamed.files;
        println!("merge jobs={jobs} files={files} total={secs:.2}s");
        return Ok(());
    }
    if let Some(shard) = mode.strip_prefix("shard=") {
        let shard: gongkai_batch::shard::Shard =
            shard.parse().map_err(|m: gongkai_model::Msg| m.en)?;
        let (listed, archive) = shard.list(&inputs)?;
        let options = Options { jobs: Some(jobs), ..Options::default() };
        let out = PathBuf::from(out);
        let done = gongkai_batch::run_shard_to(
            listed.files,
            shard,
            &archive,
            &options,
            &out,
            Lang::Zh,
            CsvStyle::Plain,
            &|_| {},
        )?;
        let secs = t0.elapsed().as_secs_f64();
        println!("{mode} jobs={jobs} files={} total={secs:.2}s", done.files);
        return Ok(());
    }
    // The in-memory batch takes a list of paths; the streaming one lists into compact names.
    let files = if mode == "memory" { expand(&inputs)?.files } else { Vec::new() };
    let listed = if mode == "memory" { gongkai_batch::Listed::default() } else { list(&inputs)? };
    let count = files.len() + listed.files.len();
    let options = Options { jobs: Some(jobs), ..Options::default() };
    let out = PathBuf::from(out);
    let t1 = Instant::now();
    let (summary, t2) = if mode == "memory" {
        let batch = run(&files, &options, &|_| {})?;
        let t2 = Instant::now();
        write_outputs(&out, &batch, Lang::Zh)?;
        (gongkai_batch::Summary::of(&batch).render(&batch, Lang::En), t2)
    } else {
        // The peak while the files are read, and the peak of the passes after: when the last
        // file is read, only it is held besides the per-file state (size the input so that the
        // last chunk holds one file), so the second peak is what the later passes need.
        let read = std::sync::atomic::AtomicUsize::new(0);
        let progress = |_: &std::path::Path| {
            if read.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == count {
                let peak = HEAP.peak_usage();
                READING_PEAK.store(peak, std::sync::atomic::Ordering::SeqCst);
                println!("peak-heap-reading={peak} bytes");
                HEAP.reset_peak_usage();
            }
        };
        let done = run_to(listed.files, &options, &out, Lang::Zh, CsvStyle::Plain, &progress)?;
        println!("peak-heap-after-reading={} bytes", HEAP.peak_usage());
        (done.render(Lang::En), Instant::now())
    };
    let t3 = Instant::now();
    let secs = (t3 - t0).as_secs_f64();
    println!(
        "{mode} jobs={jobs} files={} expand={:.2}s run={:.2}s write={:.2}s total={secs:.2}s reports/s={:.0}",
        count,
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        count as f64 / secs,
    );
    print!("{}", summary.lines().next().unwrap_or_default());
    println!();
    Ok(())
}
