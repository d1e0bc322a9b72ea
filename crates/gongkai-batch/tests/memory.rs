//! What the streaming batch keeps per file, measured by counting the heap (one test in this
//! binary, so no other test allocates meanwhile). `docs/batch.md` has the figures of whole runs;
//! this test fails if the per-file state grows back.

use gongkai_batch::names::Names;
use gongkai_batch::series::{Entry, Member, plan, plan_entries};

#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// `agencies` agencies × 5 years, as `generate_corpus` names them.
fn agencies(agencies: usize) -> Vec<String> {
    (0..agencies).map(|a| format!("测试省第{a}县人民政府")).collect()
}

/// Heap bytes per item kept by `make` and at most while it ran.
fn measure<T>(items: usize, make: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let made = make();
    let kept = HEAP.current_usage().saturating_sub(before) / items;
    let peak = HEAP.peak_usage().saturating_sub(before) / items;
    (made, kept, peak)
}

// One test: the heap is counted for the whole binary, so nothing else may run meanwhile.
#[test]
fn the_per_file_state_stays_small() {
    // 4,000 agencies × 5 years, named as `generate_corpus` names them.
    let agencies = agencies(4000);
    let members: Vec<Option<Member<'_>>> = agencies
        .iter()
        .flat_map(|n| (2019..2024).map(move |y| Some(Member { agency: Some(n), year: Some(y) })))
        .collect();
    let n = members.len();
    let (p, kept, peak) = measure(n, || plan(&members, |_| 0));
    assert_eq!(p.pairs.len(), 4 * 4000);
    // Through `plan` (the in-memory batch and `check`): the names interned on the way.
    // Measured: 27 kept, 75 at most (51 and 102 before the series lost their printed names,
    // `series_of` its `Option` and a pair its series).
    assert!(kept <= 30, "the series plan keeps {kept} bytes per report");
    assert!(peak <= 84, "the series plan needs {peak} bytes per report while planning");
    drop(p);

    // As the streaming batch plans: each name once, the reports as indices into them (its
    // 16-byte compact summaries, here a `Vec` of entries, are not counted).
    let entries: Vec<Option<Entry>> = (0..n)
        .map(|i| Some(Entry { agency: Some((i / 5) as u32), year: Some(2019 + (i % 5) as i32) }))
        .collect();
    let (q, kept, peak) = measure(n, || plan_entries(&agencies, n, |i| entries[i], |_| 0));
    assert_eq!(q.pairs, plan(&members, |_| 0).pairs);
    // Measured: 27 bytes kept per report (series_of 4, a pair 8, a fifth of the series' key
    // and years), 56 at most while planning. It was 51 and 83 with a copy of the names printed
    // in each series (read by nothing), `series_of` as `Option<u32>` and each pair's series
    // (while planning, most of it is a fifth of what each series key costs while the series
    // are built). Before that the peak was 133: a copy of every report's agency and year, an
    // entry for every name in the short-form resolutions (nearly all their own key) and a map
    // of `Vec`s to find reorganisations. Before the first slimming the plan kept 194 and needed
    // 495 (a map of reports per year in each series, a masked copy of every key).
    assert!(kept <= 30, "the series plan keeps {kept} bytes per report");
    assert!(peak <= 64, "the series plan needs {peak} bytes per report while planning");
    drop(q);

    // The same files' names as a batch over `/data/archive` sees them.
    let paths: Vec<String> = (0..n)
        .map(|i| format!("/data/archive/g{:03}/a{:06}/{}.txt", i / 5000, i / 5, 2019 + i % 5))
        .collect();
    let (names, kept, _) = measure(n, || {
        let mut names = Names::with_capacity(n);
        paths.iter().for_each(|p| names.push(p));
        names.shrink_to_fit();
        names
    });
    assert_eq!(names.get(7).text(), paths[7]);
    // Measured: 24 bytes per name (8 for its end, `2021.txt`, a fifth of a directory run);
    // a `String` each took 24 + 37.
    assert!(kept <= 32, "a name takes {kept} bytes");
    drop(names);

    // An archive on disk listed for the streaming batch: 2,000 agencies' directories of five
    // reports each.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("archive");
    let files = 10_000;
    for i in 0..files {
        let dir = root.join(format!("g{:03}/a{:06}", i / 5000, i / 5));
        if i % 5 == 0 {
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(dir.join(format!("{}.txt", 2019 + i % 5)), "")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let inputs = [root];
    let (listed, kept, peak) =
        measure(files, || gongkai_batch::list(&inputs).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(listed.files.len(), files);
    // Measured: kept 25, peak 57 bytes per file (the names as found, the order of the sort,
    // the names sorted); 80 before the names as found gave back what their growth reserved
    // and the sorted names were given their room at once.
    assert!(kept <= 32, "the listed files keep {kept} bytes each");
    assert!(peak <= 64, "listing needs {peak} bytes a file");
    drop(listed);
    // What the streaming batch was given before: `expand`'s list of paths, made compact by
    // the batch. Measured: 108 bytes per file at the peak (≈ 215 MB for two million files of
    // these short names).
    let (before, _, before_peak) = measure(files, || {
        gongkai_batch::Inputs::from(
            gongkai_batch::expand(&inputs).unwrap_or_else(|e| panic!("{e}")).files,
        )
    });
    assert_eq!(before.len(), files);
    assert!(before_peak > peak * 3 / 2, "expand {before_peak} against list {peak} bytes a file");
}
