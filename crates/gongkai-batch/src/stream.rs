//! The streaming batch: the outputs written as the files are read, in bounded memory.
//!
//! [`run_to`] writes the same four files as [`crate::run`] + [`crate::write_outputs_as`], byte
//! for byte (a test compares them on a fixture set with every kind of input), without keeping
//! the records:
//!
//! 1. **Read** the files in path order, a chunk of [`CHUNK`] files at a time on the worker pool.
//!    The inputs are kept compactly while they are read ([`crate::Inputs`], made by
//!    [`crate::list`] without a list of paths: a name each, its directory kept once) and dropped
//!    after this pass: the spill has every name. Each worker also encodes
//!    its file's `cells.csv` rows, its own `findings.csv` rows and a *spill* line (JSON: name,
//!    status, metadata, tables with each cell's printed value, span and place, the encoded
//!    finding rows) — so the serial part only appends bytes. `cells.csv` is final after this
//!    pass; the spill goes to a temporary file in the output directory. What stays in memory per
//!    file is where its spill line begins (8 bytes) and a compact summary (agency interned,
//!    year, quality, whether it is a report: 16 bytes) for the series plan.
//! 2. **Plan** the series from the compact summaries ([`crate::series::plan_entries`], the
//!    planning of the in-memory batch without a copy of each report's agency and year).
//! 3. **Cross-year rules** over the plan's pairs, a chunk at a time on the pool: both reports
//!    rebuilt from the spill (values and spans; the rules read tables and years only), the
//!    findings located through the current report's cell places and encoded as `findings.csv`
//!    rows into a second temporary file; in memory, per report with findings, its counts and
//!    where its rows are.
//! 4. **Write** `reports.csv`, `reports.parquet` (a row group every
//!    [`crate::parquet::ROW_GROUP_ROWS`] rows) and `findings.csv` (own rows, then cross-year
//!    rows) in one sequential pass over the spill, keeping the names the summary lists.
//! 5. **Partition** `reports.parquet` by year and province, one partition at a time. The
//!    temporary files are removed.
//!
//! Peak memory is the per-file state (the spill position, the series plan's share, the
//! partition index: a few tens of bytes per file; the names while reading), one chunk of records
//! being read, and one Parquet row group (held compressed, column by column) with the footer of the
//! row groups before it (see
//! `docs/batch.md` for the measurements; `tests/memory.rs` keeps them).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Seek as _, SeekFrom, Write};
use std::path::{Path, PathBuf};

use gongkai_model::{Lang, Layout, Report, Span, Spanned, Table, TableId, TableLayout, Value};
use gongkai_rules::Verdict;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analyse::Counts;
use crate::csv::{
    CELL_COLUMNS, CsvStyle, FINDING_COLUMNS, header, report_fields, start, write_cell_rows,
    write_finding, writer,
};
use crate::inputs::Inputs;
use crate::locate::Place;
use crate::parquet::{
    PARTITION_FILE, PARTITIONS, ReportsWriter, partition_columns, partition_dir, report_columns,
};
use crate::runner::{BatchError, BatchFinding, Options, Outcome, Record, one, pair_findings};
use crate::schema::{REPORT_COLUMNS, ReportRow, STATUS_UNREADABLE, cell_keys};
use crate::series::{Entry, SeriesPlan, plan_entries};
use crate::{OUTPUT_FILES, Summary, WriteError};

/// Files read per chunk of the first pass (the records of one chunk are in memory at once).
pub const CHUNK: usize = 256;
/// Pairs per chunk of the cross-year pass.
const PAIR_CHUNK: usize = 1024;
/// The temporary files, in the output directory.
const SPILL: &str = ".gongkai-batch-spill.jsonl";
const CROSS: &str = ".gongkai-batch-cross.csv";

/// Why a streaming batch stopped. [`gongkai_model::Localized::message`] says it in one
/// language; the `Display` form gives both.
#[derive(Debug, thiserror::Error)]
#[error("{}", gongkai_model::Localized::bilingual(self))]
pub enum StreamError {
    /// The worker pool could not be built.
    Batch(#[from] BatchError),
    /// An output (or a temporary file) could not be written or read back.
    Write(#[from] WriteError),
}

impl gongkai_model::Localized for StreamError {
    fn words(&self) -> (gongkai_model::Msg, Option<String>) {
        match self {
            StreamError::Batch(e) => e.words(),
            StreamError::Write(e) => e.words(),
        }
    }
}

/// What a streaming batch leaves in memory: enough to print the summary.
#[derive(Clone, Debug)]
pub struct Streamed {
    /// The counts.
    pub summary: Summary,
    /// The series and cross-year pairs.
    pub plan: SeriesPlan,
    /// How many files (each input once).
    pub files: usize,
    /// The names of the files the summary lists: the plan's duplicates and unattributed
    /// reports (every name is in the outputs; the batch does not keep them all).
    pub listed: BTreeMap<usize, String>,
    /// The files written, in [`OUTPUT_FILES`] order, then the directory of the partitioned
    /// Parquet ([`crate::parquet::PARTITIONS`]), then for a shard its manifest and spill.
    pub written: Vec<PathBuf>,
}

impl Streamed {
    /// The summary as printed by `gongkai batch` (the same text as [`Summary::render`]).
    pub fn render(&self, lang: Lang) -> String {
        // Every file the plan lists was collected into `listed` by the last pass.
        let name = |i: usize| Cow::Borrowed(self.listed.get(&i).map_or("", String::as_str));
        self.summary.render_plan(&self.plan, &name, lang)
    }
}

/// One file in the spill (one JSON line). A sharded batch keeps its spill for
/// [`crate::merge`]: the format is versioned by [`crate::merge::SPILL_VERSION`].
#[derive(Serialize, Deserialize)]
pub(crate) struct Spill {
    /// The path as written in the outputs.
    pub(crate) name: String,
    pub(crate) status: Cow<'static, str>,
    pub(crate) reason_kind: Option<Cow<'static, str>>,
    reason: Option<String>,
    format: Option<Cow<'static, str>>,
    /// Length in bytes of the file's rows in `cells.csv`.
    pub(crate) cells: u64,
    pub(crate) read: Option<ReadSpill>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ReadSpill {
    pub(crate) agency: Option<String>,
    pub(crate) year: Option<i32>,
    title: Option<String>,
    /// Own counts: errors, warnings, infos, source, extraction.
    pub(crate) own: [usize; 5],
    /// [`crate::runner::quality`] of the report (for the series plan).
    pub(crate) quality: u32,
    /// Own findings by rule id, counted as `own` (for the summary of a merge).
    pub(crate) rules: Vec<(String, [usize; 5])>,
    pub(crate) tables: Vec<TableSpill>,
    /// The report's own `findings.csv` rows, encoded.
    findings: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct TableSpill {
    /// 0, 1, 2 for Tables 2, 3, 4.
    pub(crate) table: u8,
    pub(crate) trial: bool,
    /// In the layout's key order.
    cells: Vec<CellSpill>,
}

#[derive(Serialize, Deserialize)]
struct CellSpill {
    /// The value as in the tsv list.
    v: String,
    /// Span.
    s: Option<[u32; 2]>,
    /// Line and page of the span.
    l: Option<u32>,
    p: Option<u32>,
}

const TABLES: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];

fn counts_array(c: Counts) -> [usize; 5] {
    [c.errors, c.warnings, c.infos, c.source, c.extraction]
}

pub(crate) fn counts_of(a: [usize; 5]) -> Counts {
    Counts { errors: a[0], warnings: a[1], infos: a[2], source: a[3], extraction: a[4] }
}

/// What the series plan needs of one file (16 bytes; `tests` keeps it so).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Compact {
    /// Interned agency as printed ([`Compact::NONE`]: none).
    agency: u32,
    /// The year ([`Compact::NONE`]: none; `report` tells a year of `u32::MAX` from none).
    year: i32,
    has_year: bool,
    /// Read, and a report (files that are not reports join no series).
    report: bool,
    quality: u32,
}

impl Compact {
    const NONE: u32 = u32::MAX;

    /// A file that joins no series.
    pub(crate) const OUTSIDE: Compact = Compact {
        agency: Compact::NONE,
        year: 0,
        has_year: false,
        report: false,
        quality: u32::MAX,
    };

    pub(crate) fn new(agency: Option<u32>, year: Option<i32>, quality: u32, report: bool) -> Self {
        Compact {
            agency: agency.unwrap_or(Compact::NONE),
            year: year.unwrap_or(0),
            has_year: year.is_some(),
            report,
            quality,
        }
    }

    fn agency(&self) -> Option<u32> {
        (self.agency != Compact::NONE).then_some(self.agency)
    }

    fn year(&self) -> Option<i32> {
        self.has_year.then_some(self.year)
    }
}

/// Agency names, each kept once (the index is dropped once every file is read).
#[derive(Default)]
pub(crate) struct Interner {
    pub(crate) names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    /// The names, by index (the index by name is dropped).
    pub(crate) fn into_names(self) -> Vec<String> {
        self.names
    }

    /// The index of `name`, added if new. The copies kept are allocated here, on the thread
    /// that keeps them, rather than kept where a worker allocated them among its short-lived
    /// allocations (`docs/batch.md`, *Per-file memory, a fourth time*).
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        match self.index.get(name) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
                self.names.push(name.to_owned());
                self.index.insert(name.to_owned(), i);
                i
            }
        }
    }
}

/// A file of spill lines: one for a batch, one per shard for a merge.
pub(crate) struct Source {
    /// The spill.
    pub(crate) spill: PathBuf,
    /// For a merge: the shard's `cells.csv` and the length of its header; the rows of every
    /// file are copied from it in turn.
    pub(crate) cells: Option<(PathBuf, u64)>,
}

/// Where the spill line of one file begins: its source (the shard, for a merge) in the top
/// [`At::SOURCE_BITS`] bits, its offset in the rest (8 bytes; the line ends at its newline).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct At(u64);

impl At {
    const SOURCE_BITS: u32 = 16;
    const OFFSET_BITS: u32 = 64 - At::SOURCE_BITS;

    /// The line at `start` of source `source`, if both fit (65,536 sources, 256 TB each).
    pub(crate) fn new(source: usize, start: u64) -> Result<At, WriteError> {
        match u64::try_from(source) {
            Ok(k) if k >> At::SOURCE_BITS == 0 && start >> At::OFFSET_BITS == 0 => {
                Ok(At(k << At::OFFSET_BITS | start))
            }
            _ => Err(WriteError::Io(std::io::Error::other(format!(
                "spill position out of range: source {source}, offset {start}"
            )))),
        }
    }

    pub(crate) fn source(self) -> usize {
        usize::try_from(self.0 >> At::OFFSET_BITS).unwrap_or(usize::MAX)
    }

    pub(crate) fn start(self) -> u64 {
        self.0 & ((1 << At::OFFSET_BITS) - 1)
    }
}

/// What the first pass (or a merge's reading of its shards) leaves for the others, in path
/// order.
#[derive(Default)]
pub(crate) struct Spilled {
    pub(crate) compact: Vec<Compact>,
    pub(crate) agencies: Interner,
    pub(crate) at: Vec<At>,
    pub(crate) sources: Vec<Source>,
    /// The files' own counts (the cross-year findings are added by the later passes).
    pub(crate) summary: Summary,
}

/// The cross-year findings of one pair: the current report, its findings, their encoded rows.
type PairDone = (usize, Vec<BatchFinding>, Vec<u8>);

/// Where the cross-year findings of one report are in the temporary file (16 bytes, for each
/// report with cross-year findings only): at `from`, their counts ([`CROSS_COUNTS`] bytes),
/// then `len` bytes of encoded rows.
#[derive(Clone, Copy, Debug)]
struct Cross {
    report: u32,
    len: u32,
    from: u64,
}

/// The counts before a report's cross-year rows in the temporary file: errors, warnings,
/// infos, source, extraction, each a little-endian `u32`.
const CROSS_COUNTS: usize = 20;

/// `c`'s counts as written before its rows.
fn encode_counts(c: Counts) -> Result<[u8; CROSS_COUNTS], WriteError> {
    let mut out = [0u8; CROSS_COUNTS];
    let counts = [c.errors, c.warnings, c.infos, c.source, c.extraction];
    for (slot, n) in out.chunks_exact_mut(4).zip(counts) {
        let n = u32::try_from(n).map_err(|e| WriteError::Io(std::io::Error::other(e)))?;
        slot.copy_from_slice(&n.to_le_bytes());
    }
    Ok(out)
}

/// The counts [`encode_counts`] wrote at the start of `bytes`.
fn decode_counts(bytes: &[u8]) -> Counts {
    let mut a = [0usize; 5];
    for (n, b) in a.iter_mut().zip(bytes.chunks_exact(4)) {
        let word: [u8; 4] = b.try_into().unwrap_or_default();
        *n = u32::from_le_bytes(word) as usize;
    }
    counts_of(a)
}

/// Reads the counts of `c` from the temporary file, and its rows if `rows`.
fn read_cross(
    file: &mut File,
    c: &Cross,
    rows: bool,
    path: &Path,
) -> Result<(Counts, Vec<u8>), WriteError> {
    file.seek(SeekFrom::Start(c.from)).map_err(io_at(path))?;
    let len = if rows { c.len as usize } else { 0 };
    let mut bytes = vec![0; CROSS_COUNTS + len];
    std::io::Read::read_exact(file, &mut bytes).map_err(io_at(path))?;
    let rows = bytes.split_off(CROSS_COUNTS);
    Ok((decode_counts(&bytes), rows))
}

/// The entry of report `i` in `cross` (sorted by report).
fn cross_of(cross: &[Cross], i: usize) -> Option<&Cross> {
    let i = u32::try_from(i).ok()?;
    cross.binary_search_by_key(&i, |c| c.report).ok().map(|k| &cross[k])
}

/// One file of the first pass, prepared on a worker.
struct Prepared {
    record: Record,
    cells: Vec<u8>,
    spill: Vec<u8>,
    year: Option<i32>,
    agency: Option<String>,
    quality: u32,
    report: bool,
}

fn csv_bytes(
    f: impl FnOnce(&mut ::csv::Writer<&mut Vec<u8>>) -> Result<(), WriteError>,
) -> Result<Vec<u8>, WriteError> {
    let mut buf = Vec::new();
    {
        let mut w = writer(&mut buf);
        f(&mut w)?;
        w.flush()?;
    }
    Ok(buf)
}

fn prepare(record: Record, lang: Lang) -> Result<Prepared, WriteError> {
    let (spill, cells, year, agency, quality, report) = match &record.outcome {
        Outcome::Unreadable(f) => (
            Spill {
                name: record.name.clone(),
                cells: 0,
                status: Cow::Borrowed(STATUS_UNREADABLE),
                reason_kind: Some(Cow::Borrowed(f.kind.key())),
                reason: Some(f.reason.clone()),
                format: record.format.map(Cow::Borrowed),
                read: None,
            },
            Vec::new(),
            None,
            None,
            u32::MAX,
            false,
        ),
        Outcome::Read(r) => {
            let row = ReportRow::new(&record, None);
            let cells = csv_bytes(|w| write_cell_rows(w, &record.name, &r.report, &r.locator))?;
            let findings = csv_bytes(|w| {
                r.findings
                    .iter()
                    .try_for_each(|f| write_finding(w, &record.name, &r.report.meta, f, lang, ""))
            })?;
            let tables = TABLES
                .iter()
                .enumerate()
                .filter_map(|(i, &t)| {
                    let table = r.report.table(t)?;
                    let cells = TableLayout::get(t, table.layout())
                        .keys()
                        .map(|k| {
                            let cell = table.cell(k);
                            let span = cell.and_then(|c| c.span);
                            let place = r.locator.place_of(span);
                            CellSpill {
                                v: cell.map(|c| c.value.tsv()).unwrap_or_else(|| "?".to_owned()),
                                s: span.map(|s| [s.start, s.end]),
                                l: place.line,
                                p: place.page,
                            }
                        })
                        .collect();
                    Some(TableSpill {
                        table: u8::try_from(i).unwrap_or(0),
                        trial: table.layout() == Layout::Trial2019,
                        cells,
                    })
                })
                .collect();
            let meta = &r.report.meta;
            let quality = crate::runner::quality(&r.report);
            let mut rules: BTreeMap<&str, Counts> = BTreeMap::new();
            for f in &r.findings {
                rules.entry(f.finding.rule).or_default().count(&f.finding);
            }
            let spill = Spill {
                name: record.name.clone(),
                cells: cells.len() as u64,
                status: row.status,
                reason_kind: row.reason_kind,
                reason: row.reason,
                format: record.format.map(Cow::Borrowed),
                read: Some(ReadSpill {
                    agency: meta.agency.as_ref().map(|a| a.value.clone()),
                    year: meta.year.as_ref().map(|y| y.value),
                    title: meta.title.as_ref().map(|t| t.value.clone()),
                    own: counts_array(r.own),
                    quality,
                    rules: rules
                        .into_iter()
                        .map(|(k, c)| (k.to_owned(), counts_array(c)))
                        .collect(),
                    tables,
                    findings: String::from_utf8(findings).unwrap_or_default(),
                }),
            };
            (
                spill,
                cells,
                meta.year.as_ref().map(|y| y.value),
                meta.agency.as_ref().map(|a| a.value.clone()),
                quality,
                r.verdict == Verdict::Report,
            )
        }
    };
    let mut line = serde_json::to_vec(&spill).map_err(std::io::Error::other)?;
    line.push(b'\n');
    Ok(Prepared { record, cells, spill: line, year, agency, quality, report })
}

/// The report a spill line describes: metadata and tables (values and spans).
fn rebuild(r: &ReadSpill) -> Report {
    let mut report = Report::default();
    report.meta.agency = r.agency.clone().map(Spanned::bare);
    report.meta.year = r.year.map(Spanned::bare);
    report.meta.title = r.title.clone().map(Spanned::bare);
    for t in &r.tables {
        let id = TABLES[usize::from(t.table).min(2)];
        let layout = if t.trial { Layout::Trial2019 } else { Layout::Format2021 };
        let mut values = t.cells.iter();
        let mut table = Table::filled(id, layout, |_| {
            values.next().and_then(|c| Value::from_tsv(&c.v)).unwrap_or(Value::Unknown)
        });
        let keys: Vec<_> = TableLayout::get(id, layout).keys().collect();
        for (key, c) in keys.into_iter().zip(&t.cells) {
            if let Some(cell) = table.cell_mut(key) {
                cell.span = c.s.map(|[start, end]| Span { start, end });
            }
        }
        *report.table_mut(id) = Some(table);
    }
    report
}

/// The place of `span` in the report `r` (a cross-year finding points at one of its cells).
fn place_in(r: &ReadSpill, span: Option<Span>) -> Place {
    let Some(span) = span else { return Place::default() };
    r.tables
        .iter()
        .flat_map(|t| &t.cells)
        .find(|c| c.s == Some([span.start, span.end]))
        .map(|c| Place { line: c.l, page: c.p })
        .unwrap_or_default()
}

fn io_at(path: &Path) -> impl Fn(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::File { path: path.to_owned(), source }
}

fn create(path: &Path) -> Result<BufWriter<File>, WriteError> {
    Ok(BufWriter::new(File::create(path).map_err(io_at(path))?))
}

/// Reads the spill line at `at`.
fn spill_at(files: &mut [BufReader<File>], at: At, buf: &mut Vec<u8>) -> Result<Spill, WriteError> {
    let file = &mut files[at.source()];
    file.seek(SeekFrom::Start(at.start()))?;
    read_line(file, buf)?;
    Ok(serde_json::from_slice(buf).map_err(std::io::Error::other)?)
}

/// Reads one spill line (with its newline) into `buf`; a line cut short is an error.
fn read_line(reader: &mut impl std::io::BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    buf.clear();
    let n = reader.read_until(b'\n', buf)?;
    if buf.last() != Some(&b'\n') {
        return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
    }
    Ok(n)
}

/// The header of `cells.csv` in `style`, as written.
pub(crate) fn cells_header(style: CsvStyle) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::new();
    start(&mut out, style)?;
    out.extend(csv_bytes(|w| Ok(w.write_record(header(CELL_COLUMNS, style))?))?);
    Ok(out)
}

/// Runs the batch over `files` and writes its outputs into `dir` as it goes (see the module
/// docs): `findings.csv` messages in `lang`, `findings.csv` and `cells.csv` in `style`.
/// `progress` is called once per file read, from the worker threads.
///
/// # Errors
/// When the pool cannot be built or an output cannot be written; files that cannot be read are
/// recorded, not errors. `files` ([`crate::analyse::list`]'s, or a `Vec<PathBuf>`) is
/// consumed: the batch keeps the names compactly (see the module docs).
pub fn run_to(
    files: impl Into<Inputs>,
    options: &Options,
    dir: &Path,
    lang: Lang,
    style: CsvStyle,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Streamed, StreamError> {
    run_kept(files.into(), options, dir, lang, style, progress, None)
}

/// [`run_to`], keeping the spill and writing `manifest` beside the outputs when it is given
/// (a shard of a batch, for [`crate::merge`]).
pub(crate) fn run_kept(
    inputs: Inputs,
    options: &Options,
    dir: &Path,
    lang: Lang,
    style: CsvStyle,
    progress: &(dyn Fn(&Path) + Sync),
    manifest: Option<&crate::merge::Manifest>,
) -> Result<Streamed, StreamError> {
    let pool = crate::runner::pool(options)?;
    std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    let written: Vec<PathBuf> = OUTPUT_FILES.iter().map(|n| dir.join(n)).collect();
    // A shard's files left from an earlier run would describe other outputs.
    let manifest_path = dir.join(crate::merge::MANIFEST);
    let kept_path = dir.join(crate::merge::SHARD_SPILL);
    for stale in [&manifest_path, &kept_path] {
        match std::fs::remove_file(stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_at(stale)(e).into());
            }
            _ => {}
        }
    }
    let spill_path = if manifest.is_some() { kept_path } else { dir.join(SPILL) };
    let cross_path = dir.join(CROSS);
    let spilled =
        read_pass(&inputs, options, &pool, &written[3], &spill_path, lang, style, progress);
    // The names are in the spill now.
    drop(inputs);
    let result =
        spilled.and_then(|spilled| finish(spilled, &pool, &written, &cross_path, lang, style));
    let _ = std::fs::remove_file(&cross_path);
    let result = result.and_then(|done| match manifest {
        Some(m) => {
            let mut m = m.clone();
            m.files = done.files as u64;
            m.write(&manifest_path)?;
            Ok(done)
        }
        None => Ok(done),
    });
    if result.is_err() || manifest.is_none() {
        let _ = std::fs::remove_file(&spill_path);
    }
    let mut done = result?;
    if manifest.is_some() {
        done.written.extend([manifest_path, spill_path]);
    }
    Ok(done)
}

/// Pass 1: reads the files; writes `cells.csv` and the spill.
#[allow(clippy::too_many_arguments, reason = "the pass's inputs, named at the one call")]
fn read_pass(
    inputs: &Inputs,
    options: &Options,
    pool: &rayon::ThreadPool,
    cells_path: &Path,
    spill_path: &Path,
    lang: Lang,
    style: CsvStyle,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Spilled, StreamError> {
    let limits = &options.limits;
    let mut cells_out = create(cells_path)?;
    cells_out.write_all(&cells_header(style)?).map_err(io_at(cells_path))?;
    let mut spill_out = create(spill_path)?;
    let mut spilled = Spilled {
        sources: vec![Source { spill: spill_path.to_owned(), cells: None }],
        ..Spilled::default()
    };
    spilled.compact.reserve(inputs.len());
    spilled.at.reserve(inputs.len());
    let mut offset = 0u64;
    for first in (0..inputs.len()).step_by(CHUNK) {
        let chunk: Vec<(String, PathBuf)> = (first..inputs.len().min(first + CHUNK))
            .map(|i| (inputs.name(i), inputs.path(i)))
            .collect();
        let prepared: Vec<Result<Prepared, WriteError>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(name, path)| {
                    let p = prepare(one(name, path, limits), lang);
                    progress(path);
                    p
                })
                .collect()
        });
        for p in prepared {
            let p = p?;
            spilled.summary.add(&p.record);
            cells_out.write_all(&p.cells).map_err(io_at(cells_path))?;
            spill_out.write_all(&p.spill).map_err(io_at(spill_path))?;
            spilled.at.push(At::new(0, offset)?);
            offset += p.spill.len() as u64;
            let agency = p.agency.as_deref().map(|a| spilled.agencies.intern(a));
            spilled.compact.push(Compact::new(agency, p.year, p.quality, p.report));
        }
    }
    cells_out.flush().map_err(io_at(cells_path))?;
    spill_out.flush().map_err(io_at(spill_path))?;
    Ok(spilled)
}

/// Passes 2–4 over spilled files: the series plan, the cross-year rules, and `reports.csv`,
/// `reports.parquet`, `findings.csv` (and, for a merge, `cells.csv` from the shards' rows).
pub(crate) fn finish(
    spilled: Spilled,
    pool: &rayon::ThreadPool,
    written: &[PathBuf],
    cross_path: &Path,
    lang: Lang,
    style: CsvStyle,
) -> Result<Streamed, StreamError> {
    let Spilled { compact, agencies, at, sources, mut summary } = spilled;
    let agencies = agencies.into_names();
    let mut line = Vec::new();

    // Pass 2: the series plan.
    let plan = plan_entries(
        &agencies,
        compact.len(),
        |i| {
            compact[i]
                .report
                .then(|| Entry { agency: compact[i].agency(), year: compact[i].year() })
        },
        |i| if compact[i].report { compact[i].quality } else { u32::MAX },
    );
    drop(compact);
    drop(agencies);

    // Pass 3: the cross-year rules; their rows into the second temporary file.
    let mut cross_out = create(cross_path)?;
    let mut cross: Vec<Cross> = Vec::new();
    let mut cross_offset = 0u64;
    let open_all = || -> Result<Vec<BufReader<File>>, WriteError> {
        sources
            .iter()
            .map(|s| File::open(&s.spill).map(BufReader::new).map_err(io_at(&s.spill)))
            .collect()
    };
    for pairs in plan.pairs.chunks(PAIR_CHUNK) {
        let found: Vec<Result<Option<PairDone>, WriteError>> = pool.install(|| {
            pairs
                .par_iter()
                .map_init(
                    || (open_all(), Vec::new()),
                    |(files, buf), pair| {
                        let (previous, current) = (pair.previous as usize, pair.current as usize);
                        let files = files
                            .as_mut()
                            .map_err(|e| WriteError::Io(std::io::Error::other(e.to_string())))?;
                        let prev = spill_at(files, at[previous], buf)?;
                        let cur = spill_at(files, at[current], buf)?;
                        let (Some(p), Some(c)) = (&prev.read, &cur.read) else {
                            return Ok(None);
                        };
                        let current_report = rebuild(c);
                        let found: Vec<BatchFinding> = pair_findings(&rebuild(p), &current_report)
                            .into_iter()
                            .map(|f| BatchFinding {
                                place: place_in(c, f.primary_span()),
                                finding: f,
                                previous: Some(previous),
                            })
                            .collect();
                        let (name, compared_with) = (&cur.name, &prev.name);
                        let rows = csv_bytes(|w| {
                            found.iter().try_for_each(|f| {
                                write_finding(w, name, &current_report.meta, f, lang, compared_with)
                            })
                        })?;
                        Ok(Some((current, found, rows)))
                    },
                )
                .collect()
        });
        for f in found {
            let Some((current, found, rows)) = f? else { continue };
            summary.add_cross_year(&found);
            if found.is_empty() {
                continue;
            }
            // Each report is the current one of one pair: one entry, its rows contiguous.
            let counts = encode_counts(Counts::of(found.iter().map(|f| &f.finding)))?;
            cross_out.write_all(&counts).map_err(io_at(cross_path))?;
            cross_out.write_all(&rows).map_err(io_at(cross_path))?;
            let too_big = |e| WriteError::Io(std::io::Error::other(e));
            cross.push(Cross {
                report: u32::try_from(current).map_err(too_big)?,
                len: u32::try_from(rows.len()).map_err(too_big)?,
                from: cross_offset,
            });
            cross_offset += (CROSS_COUNTS + rows.len()) as u64;
        }
    }
    cross_out.flush().map_err(io_at(cross_path))?;
    drop(cross_out);
    cross.sort_unstable_by_key(|c| c.report);
    cross.shrink_to_fit();

    // Pass 4: reports.csv, reports.parquet, findings.csv (and cells.csv for a merge).
    let mut reports_out = writer(create(&written[0])?);
    let report_header: Vec<String> = REPORT_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(cell_keys().iter().map(ToString::to_string))
        .collect();
    reports_out.write_record(&report_header).map_err(WriteError::from)?;
    let (columns, defs) = report_columns();
    let mut parquet = ReportsWriter::new(create(&written[1])?, &columns, &defs)?;
    let findings_path = &written[2];
    let mut findings_out = create(findings_path)?;
    start(&mut findings_out, style).map_err(io_at(findings_path))?;
    findings_out
        .write_all(&csv_bytes(|w| Ok(w.write_record(header(FINDING_COLUMNS, style))?))?)
        .map_err(io_at(findings_path))?;
    // Every source is read in order: its files keep their order in the merged order.
    let mut spills_in = Vec::with_capacity(sources.len());
    let mut cells_in = Vec::with_capacity(sources.len());
    for s in &sources {
        spills_in.push((BufReader::new(File::open(&s.spill).map_err(io_at(&s.spill))?), 0u64));
        if let Some((path, header_len)) = &s.cells {
            let mut file = File::open(path).map_err(io_at(path))?;
            file.seek(SeekFrom::Start(*header_len)).map_err(io_at(path))?;
            cells_in.push(Some((BufReader::new(file), path)));
        } else {
            cells_in.push(None);
        }
    }
    let cells_path = &written[3];
    let mut cells_out = match cells_in.iter().any(Option::is_some) {
        true => {
            let mut out = create(cells_path)?;
            out.write_all(&cells_header(style)?).map_err(io_at(cells_path))?;
            Some(out)
        }
        false => None,
    };
    let mut cross_in = File::open(cross_path).map_err(io_at(cross_path))?;
    let mut partitions: BTreeMap<PartitionKey, Vec<u32>> = BTreeMap::new();
    let mut cross_next = cross.iter().peekable();
    // The names the summary lists.
    let wanted: std::collections::BTreeSet<usize> = plan.named_reports().collect();
    let mut listed = BTreeMap::new();
    for (i, &a) in at.iter().enumerate() {
        let source = &sources[a.source()];
        let (reader, pos) = &mut spills_in[a.source()];
        if *pos != a.start() {
            reader.seek(SeekFrom::Start(a.start())).map_err(io_at(&source.spill))?;
        }
        let n = read_line(reader, &mut line).map_err(io_at(&source.spill))?;
        *pos = a.start() + n as u64;
        let spill: Spill = serde_json::from_slice(&line)
            .map_err(|e| io_at(&source.spill)(std::io::Error::other(e)))?;
        if let (Some(out), Some((reader, path))) =
            (cells_out.as_mut(), cells_in[a.source()].as_mut())
        {
            let mut rows = vec![0; usize::try_from(spill.cells).unwrap_or(0)];
            std::io::Read::read_exact(reader, &mut rows).map_err(io_at(path))?;
            out.write_all(&rows).map_err(io_at(cells_path))?;
        }
        let series_key = plan.key_of(i);
        let (cross_counts, cross_rows) = match cross_next.next_if(|c| c.report as usize == i) {
            Some(c) => read_cross(&mut cross_in, c, true, cross_path)?,
            None => (Counts::default(), Vec::new()),
        };
        if let Some(r) = &spill.read {
            findings_out.write_all(r.findings.as_bytes()).map_err(io_at(findings_path))?;
            findings_out.write_all(&cross_rows).map_err(io_at(findings_path))?;
        }
        let row = row_of(&spill.name, &spill, series_key, cross_counts);
        if wanted.contains(&i) {
            listed.insert(i, spill.name);
        }
        partitions
            .entry(partition_of(&row))
            .or_default()
            .push(u32::try_from(i).unwrap_or(u32::MAX));
        reports_out.write_record(report_fields(&row)).map_err(WriteError::from)?;
        parquet.push(row)?;
    }
    reports_out.flush().map_err(io_at(&written[0]))?;
    parquet.finish()?;
    findings_out.flush().map_err(io_at(findings_path))?;
    if let Some(mut out) = cells_out {
        out.flush().map_err(io_at(cells_path))?;
    }
    drop(spills_in);

    // Pass 5: the partitioned copy of reports.parquet, one partition at a time.
    let root = written[0].parent().unwrap_or(Path::new(".")).join(PARTITIONS);
    clear_partitions(&root)?;
    let (columns, defs) = partition_columns();
    let mut files = open_all()?;
    let mut cross_in = File::open(cross_path).map_err(io_at(cross_path))?;
    for ((year, province), members) in &partitions {
        let dir = root.join(partition_dir(*year, *province));
        std::fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        let mut out = ReportsWriter::new(create(&dir.join(PARTITION_FILE))?, &columns, &defs)?;
        for &i in members {
            let i = i as usize;
            let spill = spill_at(&mut files, at[i], &mut line)?;
            let cross_counts = match cross_of(&cross, i) {
                Some(c) => read_cross(&mut cross_in, c, false, cross_path)?.0,
                None => Counts::default(),
            };
            out.push(row_of(&spill.name, &spill, plan.key_of(i), cross_counts))?;
        }
        out.finish()?;
    }
    let mut written = written.to_vec();
    written.push(root);
    Ok(Streamed { summary, plan, files: at.len(), listed, written })
}

/// The `reports.csv` row of a spilled file.
fn row_of(name: &str, spill: &Spill, series_key: Option<&str>, cross_counts: Counts) -> ReportRow {
    match &spill.read {
        None => ReportRow::unreadable(
            name,
            spill.format.clone(),
            spill.reason_kind.clone().unwrap_or(Cow::Borrowed("")),
            spill.reason.clone().unwrap_or_default(),
        ),
        Some(r) => {
            let mut counts = counts_of(r.own);
            counts.add(cross_counts);
            let reason = spill.reason_kind.clone().zip(spill.reason.clone());
            ReportRow::read(
                name,
                spill.format.clone(),
                series_key,
                spill.status.clone(),
                reason,
                &rebuild(r),
                counts,
                cross_counts.total(),
            )
        }
    }
}

/// A partition: the report's year and the province its series key (or, outside any series,
/// its normalised name) begins with.
type PartitionKey = (Option<i32>, Option<&'static str>);

fn partition_of(row: &ReportRow) -> PartitionKey {
    let name = row
        .agency_normalized
        .clone()
        .or_else(|| row.agency.as_deref().map(crate::agency::normalize));
    (row.year, name.as_deref().and_then(crate::agency::province))
}

/// Removes the partitions of an earlier run (`year=…` directories) under `root`.
fn clear_partitions(root: &Path) -> Result<(), WriteError> {
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_at(root)(e)),
    };
    for entry in entries {
        let path = entry.map_err(io_at(root))?.path();
        if path.is_dir()
            && path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("year="))
        {
            std::fs::remove_dir_all(&path).map_err(io_at(&path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kept per file (or per report with cross-year findings) until the outputs are written:
    /// two million of each must fit in memory (`docs/batch.md`; `tests/memory.rs` measures the
    /// names and the series plan). These were 24, 24 and ≈ 80 (a map entry) bytes; a cross-year
    /// entry was 40 with its counts, and was kept for a report without cross-year findings.
    #[test]
    fn the_per_file_records_stay_small() {
        assert_eq!(std::mem::size_of::<At>(), 8);
        assert_eq!(std::mem::size_of::<Compact>(), 16);
        assert_eq!(std::mem::size_of::<Cross>(), 16);
    }

    #[test]
    fn cross_year_counts_come_back_as_written() {
        let c = counts_of([1, 0, 70_000, 3, u32::MAX as usize]);
        let bytes = encode_counts(c).expect("fits");
        assert_eq!(decode_counts(&bytes), c);
        assert!(encode_counts(counts_of([u32::MAX as usize + 1, 0, 0, 0, 0])).is_err());
    }

    #[test]
    fn a_spill_position_keeps_its_source_and_offset() {
        let at = At::new(65_535, (1 << 48) - 1).expect("fits");
        assert_eq!((at.source(), at.start()), (65_535, (1 << 48) - 1));
        assert!(At::new(65_536, 0).is_err());
        assert!(At::new(0, 1 << 48).is_err());
    }
}
