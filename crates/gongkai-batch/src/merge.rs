//! Merging the outputs of a sharded batch: `gongkai batch merge OUT-1 … OUT-N --out DIR`.
//!
//! A shard run (`gongkai batch --shard K/N`, [`run_shard_to`]) writes, beside its four outputs,
//! [`MANIFEST`] (which shard of which archive, read how, by which version) and keeps its spill
//! as [`SHARD_SPILL`] (one JSON line per file: metadata, every cell's printed value and place,
//! the file's own `findings.csv` rows, the length of its `cells.csv` rows). [`merge`] checks
//! that the shards belong together, reads the spills' compact part in each shard's order,
//! orders the files by path as a single run does, then runs the single run's passes 2–4
//! (series plan, cross-year rules across shard boundaries, `reports.csv`, `reports.parquet`,
//! `findings.csv`) with `cells.csv` copied row range by row range from the shards. The result
//! is byte for byte the outputs of one run over all the files (`tests/merge.rs`), in the same
//! bounded memory: the compact summaries, one chunk of pairs, one Parquet row group.

use std::path::{Path, PathBuf};

use gongkai_model::{Lang, Localized, Msg};
use serde::{Deserialize, Serialize};

use crate::csv::CsvStyle;
use crate::names::Names;
use crate::runner::Options;
use crate::shard::{Archive, Shard};
use crate::stream::{
    At, Compact, Source, Spilled, StreamError, Streamed, cells_header, counts_of, finish, run_kept,
};
use crate::{OUTPUT_FILES, Summary, Verdict, WriteError};

/// The manifest a shard run writes into its output directory.
pub const MANIFEST: &str = "gongkai-shard.json";
/// The spill a shard run keeps in its output directory, for the merge.
pub const SHARD_SPILL: &str = "gongkai-shard.jsonl";
/// The version of the spill's format (one JSON line per file); a merge refuses others.
pub const SPILL_VERSION: u32 = 1;
const FORMAT: &str = "gongkai-batch-shard";

/// What a shard run says about its outputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `gongkai-batch-shard`.
    pub format: String,
    /// [`SPILL_VERSION`].
    pub spill_version: u32,
    /// The version of gongkai that wrote it (the rules and readers of that version).
    pub gongkai: String,
    /// This shard (1-based).
    pub shard: u32,
    /// Of how many.
    pub shards: u32,
    /// The whole input: how many files.
    pub archive_files: u64,
    /// The whole input: the fingerprint of the names ([`Archive`]).
    pub archive_fingerprint: String,
    /// Files in this shard.
    pub files: u64,
    /// The language of `findings.csv` (`zh` or `en`).
    pub lang: String,
    /// `findings.csv` and `cells.csv` written for Excel.
    pub excel: bool,
    /// The reading limits (as printed by Rust's `Debug`): different limits read differently.
    pub limits: String,
}

impl Manifest {
    /// The manifest of shard `shard` of `archive`, read with `options` and written in `lang`
    /// and `style`.
    pub fn new(
        shard: Shard,
        archive: &Archive,
        options: &Options,
        lang: Lang,
        style: CsvStyle,
    ) -> Self {
        Manifest {
            format: FORMAT.to_owned(),
            spill_version: SPILL_VERSION,
            gongkai: env!("CARGO_PKG_VERSION").to_owned(),
            shard: shard.index,
            shards: shard.count,
            archive_files: archive.files,
            archive_fingerprint: archive.fingerprint.clone(),
            files: 0,
            lang: match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            }
            .to_owned(),
            excel: style == CsvStyle::Excel,
            limits: format!("{:?}", options.limits),
        }
    }

    pub(crate) fn write(&self, path: &Path) -> Result<(), WriteError> {
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(path, text)
            .map_err(|source| WriteError::File { path: path.to_owned(), source })
    }
}

/// Runs shard `shard` of a batch over `files` (the shard's files; `archive` all of them) into
/// `dir`, as [`crate::run_to`] does, and keeps what [`merge`] needs ([`MANIFEST`],
/// [`SHARD_SPILL`]); `Streamed::written` lists them after the four outputs.
///
/// # Errors
/// As [`crate::run_to`].
#[allow(clippy::too_many_arguments, reason = "run_to's arguments and the shard's")]
pub fn run_shard_to(
    files: impl Into<crate::analyse::Inputs>,
    shard: Shard,
    archive: &Archive,
    options: &Options,
    dir: &Path,
    lang: Lang,
    style: CsvStyle,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Streamed, StreamError> {
    let manifest = Manifest::new(shard, archive, options, lang, style);
    run_kept(files.into(), options, dir, lang, style, progress, Some(&manifest))
}

/// Why shard outputs could not be merged. [`Localized::message`] says it in one language; the
/// `Display` form gives both.
#[derive(Debug, thiserror::Error)]
#[error("{}", gongkai_model::Localized::bilingual(self))]
pub enum MergeError {
    /// No output directory was given.
    NoShards,
    /// A directory is not the output of a shard run (no manifest), or its manifest or spill
    /// cannot be read.
    NotAShard {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A manifest or a spill line is not what this version writes.
    Damaged {
        /// The file.
        path: PathBuf,
        /// The parser's words.
        detail: String,
    },
    /// A shard was written by another version (or another spill format).
    Version {
        /// The directory.
        dir: PathBuf,
        /// Its version.
        found: String,
        /// Ours.
        ours: String,
    },
    /// Two shards differ in what must be the same (the archive, the shard count, the language,
    /// the CSV style, the reading limits).
    Mismatch {
        /// What differs: Chinese and English.
        what: Msg,
        /// The first shard given.
        first: PathBuf,
        /// The shard that differs.
        other: PathBuf,
    },
    /// The same shard given twice.
    Duplicate {
        /// Which.
        shard: u32,
        /// One directory.
        first: PathBuf,
        /// The other.
        other: PathBuf,
    },
    /// Shards missing.
    Missing {
        /// Which (1-based).
        missing: Vec<u32>,
        /// Of how many.
        shards: u32,
    },
    /// A file in two shards.
    Overlap {
        /// The file.
        name: String,
    },
    /// A shard's spill does not hold the files its manifest counts, or the shards together do
    /// not hold the archive's files.
    Count {
        /// The directory (or, for the archive, the first one).
        dir: PathBuf,
        /// Files expected.
        expected: u64,
        /// Files found.
        found: u64,
    },
    /// Writing the merged outputs failed.
    Stream(#[from] StreamError),
}

impl Localized for MergeError {
    fn words(&self) -> (Msg, Option<String>) {
        let d = |p: &Path| p.display().to_string();
        match self {
            MergeError::NoShards => (
                Msg::new("没有给出要合并的分片输出目录", "no shard output directory to merge"),
                None,
            ),
            MergeError::NotAShard { dir, source } => {
                let (why, detail) = gongkai_model::localized::io_words(source);
                (
                    Msg::new(
                        format!(
                            "{} 不是分片批处理（--shard K/N）的输出，或其 {MANIFEST}、{SHARD_SPILL} 无法读取：{}",
                            d(dir),
                            why.zh
                        ),
                        format!(
                            "{} is not the output of a sharded batch (gongkai batch --shard K/N), or its {MANIFEST} or {SHARD_SPILL} cannot be read: {}",
                            d(dir),
                            why.en
                        ),
                    ),
                    detail,
                )
            }
            MergeError::Damaged { path, detail } => (
                Msg::new(
                    format!("{} 已损坏或不是本版本写出的", d(path)),
                    format!("{} is damaged or was not written by this version", d(path)),
                ),
                Some(detail.clone()),
            ),
            MergeError::Version { dir, found, ours } => (
                Msg::new(
                    format!(
                        "{} 由另一版本写出（{found}，本程序为 {ours}）：请用同一版本重新运行所有分片",
                        d(dir)
                    ),
                    format!(
                        "{} was written by another version ({found}; this is {ours}): run every shard again with one version",
                        d(dir)
                    ),
                ),
                None,
            ),
            MergeError::Mismatch { what, first, other } => (
                Msg::new(
                    format!(
                        "分片输出不属于同一次批处理：{} 与 {} 的{}不同",
                        d(first),
                        d(other),
                        what.zh
                    ),
                    format!(
                        "the shard outputs are not of one batch: {} and {} differ in {}",
                        d(first),
                        d(other),
                        what.en
                    ),
                ),
                None,
            ),
            MergeError::Duplicate { shard, first, other } => (
                Msg::new(
                    format!("第 {shard} 个分片给出了两次：{} 与 {}", d(first), d(other)),
                    format!("shard {shard} is given twice: {} and {}", d(first), d(other)),
                ),
                None,
            ),
            MergeError::Missing { missing, shards } => {
                let list: Vec<String> = missing.iter().map(u32::to_string).collect();
                (
                    Msg::new(
                        format!("缺少分片（共 {shards} 个）：第 {} 个", list.join("、")),
                        format!("shards missing (of {shards}): {}", list.join(", ")),
                    ),
                    None,
                )
            }
            MergeError::Overlap { name } => (
                Msg::new(
                    format!("文件 {name} 出现在两个分片中（输入中同一文件写了两次？）"),
                    format!(
                        "the file {name} is in two shards (one file given twice in the inputs?)"
                    ),
                ),
                None,
            ),
            MergeError::Count { dir, expected, found } => (
                Msg::new(
                    format!("{} 应有 {expected} 个文件，实有 {found} 个：分片输出不完整", d(dir)),
                    format!(
                        "{} should hold {expected} file(s) but holds {found}: the shard output is incomplete",
                        d(dir)
                    ),
                ),
                None,
            ),
            MergeError::Stream(e) => e.words(),
        }
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest, MergeError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|source| MergeError::NotAShard { dir: dir.to_owned(), source })?;
    let m: Manifest = serde_json::from_str(&text)
        .map_err(|e| MergeError::Damaged { path: path.clone(), detail: e.to_string() })?;
    if m.format != FORMAT {
        return Err(MergeError::Damaged { path, detail: format!("format {}", m.format) });
    }
    Ok(m)
}

/// The shards of `dirs`, checked to be all the shards of one batch, in shard order.
fn check(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, Manifest)>, MergeError> {
    let mut shards = Vec::with_capacity(dirs.len());
    for dir in dirs {
        shards.push((dir.clone(), read_manifest(dir)?));
    }
    let ours = format!("{} / spill {SPILL_VERSION}", env!("CARGO_PKG_VERSION"));
    for (dir, m) in &shards {
        let found = format!("{} / spill {}", m.gongkai, m.spill_version);
        if found != ours {
            return Err(MergeError::Version { dir: dir.clone(), found, ours });
        }
    }
    let Some((first, m0)) = shards.first().cloned() else { return Err(MergeError::NoShards) };
    for (dir, m) in &shards[1..] {
        let differs = [
            (
                m.archive_fingerprint != m0.archive_fingerprint
                    || m.archive_files != m0.archive_files,
                Msg::new("输入文件集合", "input files"),
            ),
            (m.shards != m0.shards, Msg::new("分片数", "shard count")),
            (m.lang != m0.lang, Msg::new("输出语言（--lang）", "output language (--lang)")),
            (m.excel != m0.excel, Msg::new("CSV 样式（--excel）", "CSV style (--excel)")),
            (
                m.limits != m0.limits,
                Msg::new("读取限制（--max-input-mb）", "reading limits (--max-input-mb)"),
            ),
        ];
        if let Some((_, what)) = differs.into_iter().find(|(d, _)| *d) {
            return Err(MergeError::Mismatch { what, first, other: dir.clone() });
        }
    }
    shards.sort_by_key(|(_, m)| m.shard);
    for w in shards.windows(2) {
        if w[0].1.shard == w[1].1.shard {
            return Err(MergeError::Duplicate {
                shard: w[0].1.shard,
                first: w[0].0.clone(),
                other: w[1].0.clone(),
            });
        }
    }
    let missing: Vec<u32> =
        (1..=m0.shards).filter(|k| !shards.iter().any(|(_, m)| m.shard == *k)).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing, shards: m0.shards });
    }
    Ok(shards)
}

/// The parts of one spill line the first pass of a merge reads (the cells are skipped).
#[derive(Deserialize)]
struct Head {
    name: String,
    status: String,
    reason_kind: Option<String>,
    read: Option<ReadHead>,
}

#[derive(Deserialize)]
struct ReadHead {
    agency: Option<String>,
    year: Option<i32>,
    own: [usize; 5],
    quality: u32,
    rules: Vec<(String, [usize; 5])>,
    tables: Vec<TableHead>,
}

#[derive(Deserialize)]
struct TableHead {
    table: u8,
    trial: bool,
}

/// The static id of a rule named in a spill (every id the rules emit is in the catalogue; an
/// unknown one, from a damaged spill, is kept once).
fn rule_id(
    id: &str,
    unknown: &mut std::collections::BTreeMap<String, &'static str>,
) -> &'static str {
    if let Some(r) = gongkai_rules::lookup(id) {
        return r.id;
    }
    unknown.entry(id.to_owned()).or_insert_with(|| Box::leak(id.to_owned().into_boxed_str()))
}

/// What a merge returns: as a streaming batch, and the shards' common settings.
#[derive(Clone, Debug)]
pub struct Merged {
    /// As [`crate::run_to`] returns.
    pub streamed: Streamed,
    /// The language of `findings.csv` (the shards').
    pub lang: Lang,
    /// The CSV style (the shards').
    pub style: CsvStyle,
    /// How many shards.
    pub shards: u32,
}

/// Merges the outputs of every shard of one batch (`dirs`, in any order) into `out`: the four
/// outputs a single run over all the files writes, byte for byte, with the cross-year rules run
/// across shard boundaries (see the module docs).
///
/// # Errors
/// [`MergeError`]: shards that do not belong together, a shard missing or given twice, an
/// output that cannot be written.
pub fn merge(dirs: &[PathBuf], options: &Options, out: &Path) -> Result<Merged, MergeError> {
    let shards = check(dirs)?;
    let m0 = &shards[0].1;
    let lang = Lang::from_tag(&m0.lang).unwrap_or_default();
    let style = if m0.excel { CsvStyle::Excel } else { CsvStyle::Plain };
    let header_len = cells_header(style).map_err(StreamError::from)?.len() as u64;

    // Pass 1 of a merge: the shards' spills, each in its order, one after the other.
    let total = usize::try_from(m0.archive_files).unwrap_or(0);
    let mut spilled = Spilled::default();
    let mut names = Names::with_capacity(total);
    spilled.compact.reserve(total);
    spilled.at.reserve(total);
    let mut unknown = std::collections::BTreeMap::new();
    for (k, (dir, m)) in shards.iter().enumerate() {
        let spill = dir.join(SHARD_SPILL);
        let cells = dir.join(OUTPUT_FILES[3]);
        let file = std::fs::File::open(&spill)
            .map_err(|source| MergeError::NotAShard { dir: dir.clone(), source })?;
        let mut reader = std::io::BufReader::new(file);
        let mut line = Vec::new();
        let mut start = 0u64;
        let mut summary = Summary::default();
        let mut count = 0u64;
        loop {
            line.clear();
            let n = std::io::BufRead::read_until(&mut reader, b'\n', &mut line)
                .map_err(|source| MergeError::NotAShard { dir: dir.clone(), source })?;
            if n == 0 {
                break;
            }
            let head: Head = serde_json::from_slice(&line)
                .map_err(|e| MergeError::Damaged { path: spill.clone(), detail: e.to_string() })?;
            let compact = match &head.read {
                None => {
                    let kind = crate::failure::FailureKind::ALL
                        .into_iter()
                        .find(|k| Some(k.key()) == head.reason_kind.as_deref());
                    summary.add_unreadable(&head.name, kind);
                    Compact::OUTSIDE
                }
                Some(r) => {
                    let verdict = [Verdict::NotAReport, Verdict::Empty]
                        .into_iter()
                        .find(|v| v.key() == head.status)
                        .unwrap_or(Verdict::Report);
                    let mut layouts = ["missing"; 3];
                    for t in &r.tables {
                        layouts[usize::from(t.table).min(2)] = if t.trial {
                            gongkai_model::Layout::Trial2019.key()
                        } else {
                            gongkai_model::Layout::Format2021.key()
                        };
                    }
                    summary.add_read(&head.name, verdict, counts_of(r.own), layouts);
                    for (rule, c) in &r.rules {
                        summary.add_rule(rule_id(rule, &mut unknown), counts_of(*c));
                    }
                    Compact::new(
                        r.agency.as_deref().map(|a| spilled.agencies.intern(a)),
                        r.year,
                        r.quality,
                        verdict == Verdict::Report,
                    )
                }
            };
            spilled.at.push(At::new(k, start).map_err(StreamError::from)?);
            start += n as u64;
            count += 1;
            names.push(&head.name);
            spilled.compact.push(compact);
        }
        if count != m.files {
            return Err(MergeError::Count { dir: dir.clone(), expected: m.files, found: count });
        }
        spilled.summary.absorb(summary);
        spilled.sources.push(Source { spill, cells: Some((cells.clone(), header_len)) });
        check_cells_header(&cells, style)?;
    }
    // Path order, as a single run: each shard's files are in that order already; the files
    // are put in it through a permutation (4 bytes per file) rather than sorted as tuples.
    let mut order: Vec<u32> =
        (0..names.len()).map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect();
    order.sort_by(|&a, &b| names.get(a as usize).cmp_text(&names.get(b as usize)));
    if let Some(w) = order.windows(2).find(|w| names.get(w[0] as usize) == names.get(w[1] as usize))
    {
        return Err(MergeError::Overlap { name: names.get(w[0] as usize).text() });
    }
    if order.len() as u64 != m0.archive_files {
        return Err(MergeError::Count {
            dir: shards[0].0.clone(),
            expected: m0.archive_files,
            found: order.len() as u64,
        });
    }
    // The names are in the spills; only the order is kept.
    drop(names);
    spilled.compact = order.iter().map(|&i| spilled.compact[i as usize]).collect();
    spilled.at = order.iter().map(|&i| spilled.at[i as usize]).collect();
    drop(order);

    let pool = crate::runner::pool(options).map_err(StreamError::from)?;
    std::fs::create_dir_all(out)
        .map_err(|source| StreamError::from(WriteError::File { path: out.to_owned(), source }))?;
    let written: Vec<PathBuf> = OUTPUT_FILES.iter().map(|n| out.join(n)).collect();
    let cross_path = out.join(".gongkai-batch-cross.csv");
    let result = finish(spilled, &pool, &written, &cross_path, lang, style);
    let _ = std::fs::remove_file(&cross_path);
    Ok(Merged { streamed: result?, lang, style, shards: m0.shards })
}

/// A shard's `cells.csv` must begin with the header the merge writes.
fn check_cells_header(cells: &Path, style: CsvStyle) -> Result<(), MergeError> {
    let expected = cells_header(style).map_err(StreamError::from)?;
    let mut found = vec![0; expected.len()];
    let read =
        std::fs::File::open(cells).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut found));
    match read {
        Err(source) => {
            Err(MergeError::NotAShard { dir: cells.parent().unwrap_or(cells).to_owned(), source })
        }
        Ok(()) if found != expected => {
            Err(MergeError::Damaged { path: cells.to_owned(), detail: "header".to_owned() })
        }
        Ok(()) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_said_in_one_language() {
        let all = [
            MergeError::NoShards,
            MergeError::NotAShard {
                dir: "out-1".into(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            MergeError::Damaged { path: "out-1/gongkai-shard.json".into(), detail: "EOF".into() },
            MergeError::Version { dir: "out-1".into(), found: "0.1".into(), ours: "0.2".into() },
            MergeError::Mismatch {
                what: Msg::new("分片数", "shard count"),
                first: "out-1".into(),
                other: "out-2".into(),
            },
            MergeError::Duplicate { shard: 2, first: "a".into(), other: "b".into() },
            MergeError::Missing { missing: vec![2, 3], shards: 3 },
            MergeError::Overlap { name: "a.txt".into() },
            MergeError::Count { dir: "out-1".into(), expected: 3, found: 2 },
        ];
        for e in &all {
            let zh = e.message(Lang::Zh);
            let ours: String = zh.split('：').next().unwrap_or_default().to_owned();
            gongkai_testkit::lang::assert_chinese(&ours);
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
    }
}
