//! `gongkai batch merge`: N shard runs merged are one run over all the files, byte for byte —
//! including the cross-year rules for series whose years fell into different shards — and shard
//! outputs that do not belong together are refused with a reason.

mod support;

use std::path::{Path, PathBuf};

use gongkai_batch::csv::CsvStyle;
use gongkai_batch::merge::{MANIFEST, SHARD_SPILL};
use gongkai_batch::shard::{Shard, key};
use gongkai_batch::{MergeError, OUTPUT_FILES, Options, merge, run_shard_to, run_to};
use gongkai_doc::Limits;
use gongkai_model::{Lang, Localized};
use support::{files, fixture_set, read};

fn options(jobs: usize) -> Options {
    Options { jobs: Some(jobs), limits: Limits::default() }
}

/// Runs every shard of `count` over `root` into `tmp/name-K`; returns the directories.
fn shards(
    root: &Path,
    tmp: &Path,
    name: &str,
    count: u32,
    lang: Lang,
    style: CsvStyle,
) -> Vec<PathBuf> {
    (1..=count)
        .map(|index| {
            let shard = Shard { index, count };
            let (listed, archive) =
                shard.list(&[root.to_path_buf()]).unwrap_or_else(|e| panic!("{e}"));
            let out = tmp.join(format!("{name}-{index}"));
            run_shard_to(listed.files, shard, &archive, &options(2), &out, lang, style, &|_| {})
                .unwrap_or_else(|e| panic!("shard {index}/{count}: {e}"));
            out
        })
        .collect()
}

#[test]
fn merged_shards_are_one_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    fixture_set(&root);
    let all = files(&root);
    for (count, lang, style) in [(3, Lang::En, CsvStyle::Plain), (2, Lang::Zh, CsvStyle::Excel)] {
        let single = tmp.path().join(format!("single-{count}"));
        let done = run_to(all.clone(), &options(2), &single, lang, style, &|_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        // The test means something only if a series crosses shards.
        let shard_of = |i: usize| {
            let k = key(&root, &all[i]);
            (1..=count).find(|&index| Shard { index, count }.holds(&k))
        };
        let crossing = done
            .plan
            .pairs
            .iter()
            .filter(|p| shard_of(p.previous as usize) != shard_of(p.current as usize))
            .count();
        assert!(crossing > 0, "no consecutive-year pair crosses the {count} shards");

        let dirs = shards(&root, tmp.path(), &format!("shard-{count}"), count, lang, style);
        let mut reversed = dirs.clone();
        reversed.reverse();
        let out = tmp.path().join(format!("merged-{count}"));
        let merged = merge(&reversed, &options(2), &out).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((merged.lang, merged.style, merged.shards), (lang, style, count));
        for name in OUTPUT_FILES {
            assert!(
                read(&out.join(name)) == read(&single.join(name)),
                "{name} differs: {count} shards merged vs one run ({lang:?}, {style:?})"
            );
        }
        let (merged_parts, single_parts) =
            (tree(&out.join("reports")), tree(&single.join("reports")));
        assert!(single_parts.len() > 2, "{single_parts:?}");
        assert_eq!(
            merged_parts.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            single_parts.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            "the same partitions"
        );
        for ((path, a), (_, b)) in merged_parts.iter().zip(&single_parts) {
            assert!(a == b, "{path} differs");
        }
        assert_eq!(merged.streamed.render(lang), done.render(lang), "summary");
        let left: Vec<_> = std::fs::read_dir(&out)
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|e| e.unwrap_or_else(|e| panic!("{e}")).file_name())
            .collect();
        assert_eq!(left.len(), 5, "only the four outputs and reports/: {left:?}");
        // A shard keeps its manifest and spill; a single run does not.
        assert!(dirs[0].join(MANIFEST).is_file() && dirs[0].join(SHARD_SPILL).is_file());
        assert!(!single.join(MANIFEST).exists() && !single.join(SHARD_SPILL).exists());
    }
}

/// Every file under `dir`: relative path and bytes, in path order.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{e}")) {
            let p = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap_or(&p).display().to_string();
                out.push((rel, read(&p)));
            }
        }
    }
    out.sort();
    out
}

fn refused(dirs: &[PathBuf], tmp: &Path) -> MergeError {
    match merge(dirs, &options(1), &tmp.join("refused")) {
        Ok(_) => panic!("merged shards that do not belong together: {dirs:?}"),
        Err(e) => e,
    }
}

#[test]
fn shards_that_do_not_belong_together_are_refused() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    support::write_corpus(&root, 12);
    let plain = shards(&root, tmp.path(), "a", 3, Lang::Zh, CsvStyle::Plain);

    let e = refused(&plain[..2], tmp.path());
    assert!(matches!(e, MergeError::Missing { ref missing, shards: 3 } if missing == &[3]), "{e}");
    assert!(e.message(Lang::Zh).contains("缺少分片"), "{e}");
    assert!(e.message(Lang::En).contains("shards missing (of 3): 3"), "{e}");

    let e = refused(&[plain[0].clone(), plain[1].clone(), plain[1].clone()], tmp.path());
    assert!(matches!(e, MergeError::Duplicate { shard: 2, .. }), "{e}");

    let english = shards(&root, tmp.path(), "en", 3, Lang::En, CsvStyle::Plain);
    let e = refused(&[plain[0].clone(), plain[1].clone(), english[2].clone()], tmp.path());
    assert!(matches!(e, MergeError::Mismatch { .. }), "{e}");
    assert!(e.message(Lang::En).contains("output language"), "{e}");

    let halves = shards(&root, tmp.path(), "halves", 2, Lang::Zh, CsvStyle::Plain);
    let e = refused(&[plain[0].clone(), plain[1].clone(), halves[1].clone()], tmp.path());
    assert!(e.message(Lang::En).contains("shard count"), "{e}");

    // Shards of another archive (one more file).
    support::write(&root.join("extra.txt"), b"x");
    let other = shards(&root, tmp.path(), "other", 3, Lang::Zh, CsvStyle::Plain);
    let e = refused(&[plain[0].clone(), plain[1].clone(), other[2].clone()], tmp.path());
    assert!(e.message(Lang::En).contains("input files"), "{e}");
    assert!(e.message(Lang::Zh).contains("输入文件集合"), "{e}");

    // Not a shard's output: a single run.
    let single = tmp.path().join("single");
    run_to(files(&root), &options(1), &single, Lang::Zh, CsvStyle::Plain, &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let e = refused(&[single], tmp.path());
    assert!(matches!(e, MergeError::NotAShard { .. }), "{e}");
    assert!(e.message(Lang::En).contains("not the output of a sharded batch"), "{e}");

    // A truncated spill.
    let spill = plain[0].join(SHARD_SPILL);
    let text = String::from_utf8(read(&spill)).unwrap_or_else(|e| panic!("{e}"));
    let first_line = text.split_inclusive('\n').next().unwrap_or_default().to_owned();
    support::write(&spill, first_line.as_bytes());
    let e = refused(&plain, tmp.path());
    assert!(matches!(e, MergeError::Count { expected, found: 1, .. } if expected > 1), "{e}");

    // Another version's manifest.
    let manifest = plain[1].join(MANIFEST);
    let text = String::from_utf8(read(&manifest)).unwrap_or_else(|e| panic!("{e}"));
    let old = text.replace("\"spill_version\": 1", "\"spill_version\": 0");
    support::write(&manifest, old.as_bytes());
    let e = refused(&plain, tmp.path());
    assert!(matches!(e, MergeError::Version { .. }), "{e}");
}
