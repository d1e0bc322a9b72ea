//! The parallel runner: every file through the shared pipeline on a rayon pool, then the series
//! and the cross-year rules.
//!
//! Invariants:
//! - **Nothing aborts a batch.** A file that cannot be read becomes an [`Outcome::Unreadable`]
//!   with its reason; a panic anywhere in reading, recognising or checking one file is caught and
//!   recorded the same way.
//! - **Deterministic.** Files are sorted by path (as displayed) and duplicates dropped before the
//!   run; results are collected in that order whatever the scheduling; series, pairs and
//!   cross-year findings follow from that order alone.
//! - **Bounded memory.** A report's document is dropped once its findings are located; the batch
//!   keeps each report's metadata and tables (section texts emptied: the cross-year rules read
//!   tables and years only) and a [`Locator`] for later findings.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use gongkai_doc::Limits;
use gongkai_extract::{InputFormat, ReadError};
use gongkai_model::{Finding, Report, Value};
use gongkai_rules::Verdict;
use rayon::prelude::*;

use crate::analyse::{Counts, analyse_path};
use crate::failure::{Failure, FailureKind};
use crate::locate::{Locator, Place};
use crate::series::{Member, SeriesPlan, plan};

/// How to run a batch.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Worker threads; `None` for one per core.
    pub jobs: Option<usize>,
    /// Reading limits applied to every file.
    pub limits: Limits,
}

/// A finding in a batch, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchFinding {
    /// The finding.
    pub finding: Finding,
    /// Its primary location.
    pub place: Place,
    /// For a cross-year finding: the record of the previous year's report it compared with.
    pub previous: Option<usize>,
}

/// A report that was read.
#[derive(Clone, Debug)]
pub struct ReadReport {
    /// Metadata and tables (section texts are dropped after checking; see the module docs).
    pub report: Report,
    /// The report's own findings (reader and rules) in display order, then the cross-year
    /// findings attributed to it.
    pub findings: Vec<BatchFinding>,
    /// Line and page lookup into the document it was read from.
    pub locator: Locator,
    /// Counts of its own findings (the same counting as `gongkai check`).
    pub own: Counts,
    /// Counts of the cross-year findings attributed to it.
    pub cross_year: Counts,
    /// Whether it is a report at all (NOT-A-REPORT, REPORT-EMPTY).
    pub verdict: Verdict,
}

/// What became of one file.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Read, recognised and checked.
    Read(Box<ReadReport>),
    /// Not readable, with the reason.
    Unreadable(Failure),
}

/// One input of a batch.
#[derive(Clone, Debug)]
pub struct Record {
    /// The path as given.
    pub path: PathBuf,
    /// The path as written in every output.
    pub name: String,
    /// The input format: the document's (`text`, `markdown`, `html`, `docx`, `pdf`, `xlsx`, or `json` for
    /// a report in gongkai's JSON form) for a file read, the detected one (`xlsx`, `zip`, `ole`, `binary`, …) for a file not read, none when
    /// the file could not be opened or was too large to look at.
    pub format: Option<&'static str>,
    /// The outcome.
    pub outcome: Outcome,
}

impl Record {
    /// The report, when the file was read.
    pub fn read(&self) -> Option<&ReadReport> {
        match &self.outcome {
            Outcome::Read(r) => Some(r),
            Outcome::Unreadable(_) => None,
        }
    }

    /// The failure, when it was not.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.outcome {
            Outcome::Read(_) => None,
            Outcome::Unreadable(f) => Some(f),
        }
    }
}

/// A finished batch.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Every input, sorted by name.
    pub records: Vec<Record>,
    /// The series and cross-year pairs.
    pub plan: SeriesPlan,
}

/// Why a batch could not start. [`gongkai_model::Localized::message`] says it in one language;
/// the `Display` form gives both, then the system's words.
#[derive(Debug, thiserror::Error)]
#[error("{}", gongkai_model::Localized::bilingual(self))]
pub enum BatchError {
    /// The worker pool could not be built.
    Pool(#[from] rayon::ThreadPoolBuildError),
}

impl gongkai_model::Localized for BatchError {
    fn words(&self) -> (gongkai_model::Msg, Option<String>) {
        match self {
            BatchError::Pool(e) => (
                gongkai_model::Msg::new("无法启动工作线程", "cannot start worker threads"),
                Some(e.to_string()),
            ),
        }
    }
}

/// Runs the batch over `files` (directories already expanded). `progress` is called once per
/// file when it is done, from the worker threads.
///
/// # Errors
/// Only when the worker pool cannot be built; files that cannot be read are recorded, not
/// errors.
pub fn run(
    files: &[PathBuf],
    options: &Options,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Batch, BatchError> {
    let inputs = ordered(files);
    let pool = pool(options)?;
    let limits = &options.limits;
    let mut records: Vec<Record> = pool.install(|| {
        inputs
            .par_iter()
            .map(|(name, path)| {
                let record = one(name, path, limits);
                progress(path);
                record
            })
            .collect()
    });

    // A file that is not a report joins no series.
    let reports: Vec<Option<&Report>> = records
        .iter()
        .map(|r| r.read().filter(|rr| rr.verdict == Verdict::Report).map(|rr| &rr.report))
        .collect();
    let plan = series_plan(&reports);

    let cross: Vec<(usize, Vec<BatchFinding>)> = pool.install(|| {
        plan.pairs
            .par_iter()
            .filter_map(|pair| {
                let (Some(prev), Some(cur)) =
                    (records[pair.previous as usize].read(), records[pair.current as usize].read())
                else {
                    return None;
                };
                let found = pair_findings(&prev.report, &cur.report)
                    .into_iter()
                    .map(|f| BatchFinding {
                        place: cur.locator.place_of(f.primary_span()),
                        finding: f,
                        previous: Some(pair.previous as usize),
                    })
                    .collect();
                Some((pair.current as usize, found))
            })
            .collect()
    });
    for (current, found) in cross {
        if let Outcome::Read(r) = &mut records[current].outcome {
            r.cross_year.add(Counts::of(found.iter().map(|f| &f.finding)));
            r.findings.extend(found);
        }
    }
    Ok(Batch { records, plan })
}

/// The inputs sorted by name (the path as displayed), duplicates dropped.
pub(crate) fn ordered(files: &[PathBuf]) -> Vec<(String, &Path)> {
    let mut inputs: Vec<(String, &Path)> =
        files.iter().map(|p| (p.display().to_string(), p.as_path())).collect();
    inputs.sort_by(|a, b| a.0.cmp(&b.0));
    inputs.dedup_by(|a, b| a.0 == b.0);
    inputs
}

/// The worker pool of `options`.
pub(crate) fn pool(options: &Options) -> Result<rayon::ThreadPool, BatchError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = options.jobs {
        builder = builder.num_threads(jobs.max(1));
    }
    Ok(builder.build()?)
}

/// The series plan of `reports` (in path order; `None` for a file not read): the agency series,
/// consecutive-year pairs, gaps, duplicates (the better-read report of a duplicated year is
/// paired). The one planning `gongkai batch` and `gongkai check` share.
pub fn series_plan(reports: &[Option<&Report>]) -> SeriesPlan {
    let members: Vec<Option<Member<'_>>> = reports
        .iter()
        .map(|r| {
            r.map(|r| Member {
                agency: r.meta.agency.as_ref().map(|a| a.value.as_str()),
                year: r.meta.year.as_ref().map(|y| y.value),
            })
        })
        .collect();
    plan(&members, |i| reports[i].map_or(u32::MAX, quality))
}

/// The cross-year findings of `current` against `previous` (a pair of the plan); a panic in a
/// rule gives none rather than aborting.
pub fn pair_findings(previous: &Report, current: &Report) -> Vec<Finding> {
    guarded(|| gongkai_rules::check_pair(previous, current)).unwrap_or_default()
}

/// How well a report was read, lower is better: undetermined cells and missing tables.
pub(crate) fn quality(report: &Report) -> u32 {
    let unknown = report.cells().filter(|c| c.value == Value::Unknown).count();
    let missing = [&report.t2, &report.t3, &report.t4].iter().filter(|t| t.is_none()).count();
    u32::try_from(unknown + 1000 * missing).unwrap_or(u32::MAX)
}

/// Runs `f`, turning a panic into `Err` with its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

/// Reads, recognises and checks one file.
pub(crate) fn one(name: &str, path: &Path, limits: &Limits) -> Record {
    let outcome = guarded(|| analyse_path(path, limits));
    let (format, outcome) = match outcome {
        Ok(Ok(a)) => {
            let locator = Locator::new(&a.doc);
            let own = Counts::of(&a.findings);
            let verdict = a.verdict();
            let format = a.format;
            let findings = a
                .findings
                .into_iter()
                .map(|f| BatchFinding {
                    place: locator.place_of(f.primary_span()),
                    finding: f,
                    previous: None,
                })
                .collect();
            let read = ReadReport {
                report: slim(a.report),
                findings,
                locator,
                own,
                cross_year: Counts::default(),
                verdict,
            };
            (Some(format), Outcome::Read(Box::new(read)))
        }
        Ok(Err(e)) => (detected_format(path, &e, limits), Outcome::Unreadable(Failure::of(&e))),
        Err(what) => (None, Outcome::Unreadable(Failure::panic(&what))),
    };
    Record { path: path.to_path_buf(), name: name.to_owned(), format, outcome }
}

/// Keeps what the outputs and the cross-year rules need: metadata and tables.
fn slim(mut report: Report) -> Report {
    report.preamble = None;
    for s in &mut report.sections {
        s.text = String::new();
        s.text_start = None;
        s.text_is_verbatim = false;
    }
    report
}

/// The format of a file that could not be read, when its bytes could be looked at.
fn detected_format(path: &Path, e: &ReadError, limits: &Limits) -> Option<&'static str> {
    if matches!(e.kind(), FailureKind::Io | FailureKind::TooLarge) {
        return None;
    }
    let size = std::fs::metadata(path).ok()?.len();
    if size > limits.max_input_bytes {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(match gongkai_extract::detect(&path.display().to_string(), &bytes) {
        InputFormat::Text => "text",
        InputFormat::Html => "html",
        InputFormat::Docx => "docx",
        InputFormat::Xlsx => "xlsx",
        InputFormat::Pdf => "pdf",
        InputFormat::Doc => "doc",
        InputFormat::Cfb => "ole",
        InputFormat::Image => "image",
        InputFormat::Zip => "zip",
        InputFormat::Binary => "binary",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slim_reports_give_the_same_cross_year_findings() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw");
        let a = analyse_path(&dir.join("dazhanglou-2022.txt"), &Limits::default()).expect("read");
        let mut later = a.report.clone();
        later.meta.year = Some(gongkai_model::Spanned::bare(2023));
        let key = "t3.carried_over.total".parse().expect("key");
        if let Some(t) = later.t3.as_mut() {
            t.set(key, Value::int(4));
        }
        let full = gongkai_rules::check_pair(&a.report, &later);
        assert!(!full.is_empty());
        assert_eq!(gongkai_rules::check_pair(&slim(a.report), &slim(later)), full);
    }

    #[test]
    fn a_panic_is_a_failure_not_an_abort() {
        let r = guarded(|| -> u8 { panic!("boom") });
        assert_eq!(r, Err("boom".to_owned()));
    }
}
