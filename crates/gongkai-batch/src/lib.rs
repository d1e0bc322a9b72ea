//! Collections of annual reports at corpus scale.
//!
//! - [`analyse`]: the per-file pipeline every command shares (read → recognise → check) and the
//!   one counting of findings that every summary uses;
//! - [`runner`]: the parallel batch (rayon): every file through the pipeline, failures recorded
//!   and never fatal, results in path order whatever the scheduling, then the cross-year rules
//!   over each agency's consecutive years;
//! - [`agency`] and [`series`]: the agency-name normaliser and the series plan (pairs, gaps,
//!   duplicates, breaks, possible OCR variants) — pure functions;
//! - [`schema`]: the row schema shared by the outputs; [`csv`] (`reports.csv`, `findings.csv`,
//!   `cells.csv`) and [`parquet`] (`reports.parquet`), one module per output format;
//! - [`summary`]: the counts printed at the end of a batch;
//! - [`stream`]: the batch written as it goes, in bounded memory; [`shard`] and [`merge`](mod@merge): one
//!   batch split across machines and merged back, byte for byte.
//!
//! ```no_run
//! use gongkai_batch::{Options, run, write_outputs};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let files = gongkai_batch::expand(&["reports/".into()])?.files;
//! let batch = run(&files, &Options::default(), &|_| {})?;
//! write_outputs(std::path::Path::new("out"), &batch, gongkai_model::Lang::Zh)?;
//! print!("{}", gongkai_batch::Summary::of(&batch).render(&batch, gongkai_model::Lang::Zh));
//! # Ok(()) }
//! ```

pub mod agency;
pub mod analyse;
pub mod csv;
pub mod failure;
mod inputs;
pub mod locate;
pub mod merge;
pub mod names;
pub mod parquet;
pub mod runner;
pub mod schema;
pub mod series;
pub mod shard;
pub mod stream;
pub mod summary;

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

pub use analyse::{
    Analysis, Counts, Expanded, Inputs, Listed, analyse_bytes, analyse_doc, analyse_path,
    checked_line, expand, list,
};
pub use failure::{Failure, FailureKind};
pub use gongkai_rules::Verdict;
pub use merge::{MergeError, Merged, merge, run_shard_to};
pub use runner::{
    Batch, BatchError, BatchFinding, Options, Outcome, ReadReport, Record, pair_findings, run,
    series_plan,
};
pub use stream::{StreamError, Streamed, run_to};
pub use summary::Summary;

/// Why an output could not be written. [`gongkai_model::Localized::message`] says it in one
/// language; the `Display` form gives both, then the system's or the writer's words.
#[derive(Debug, thiserror::Error)]
#[error("{}", gongkai_model::Localized::bilingual(self))]
pub enum WriteError {
    /// A file could not be created or written.
    File {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing failed.
    Io(#[from] std::io::Error),
    /// The CSV writer failed.
    Csv(#[from] ::csv::Error),
    /// The Parquet writer failed.
    Parquet(#[from] ::parquet::errors::ParquetError),
}

impl gongkai_model::Localized for WriteError {
    fn words(&self) -> (gongkai_model::Msg, Option<String>) {
        use gongkai_model::Msg;
        match self {
            WriteError::File { path, source } => (
                Msg::new(
                    format!("无法写入 {}", path.display()),
                    format!("cannot write {}", path.display()),
                ),
                Some(source.to_string()),
            ),
            WriteError::Io(e) => (Msg::new("写入失败", "write failed"), Some(e.to_string())),
            WriteError::Csv(e) => {
                (Msg::new("CSV 写入失败", "CSV writer failed"), Some(e.to_string()))
            }
            WriteError::Parquet(e) => {
                (Msg::new("Parquet 写入失败", "Parquet writer failed"), Some(e.to_string()))
            }
        }
    }
}

impl Batch {
    /// The series key of record `i`, when it belongs to a series.
    pub fn series_key(&self, i: usize) -> Option<&str> {
        self.plan.key_of(i)
    }
}

/// The files [`write_outputs`] writes, in that order.
pub const OUTPUT_FILES: [&str; 4] = ["reports.csv", "reports.parquet", "findings.csv", "cells.csv"];

/// Writes every output into `dir` (created if needed): `reports.csv`, `reports.parquet`,
/// `findings.csv` (messages in `lang`) and `cells.csv`. Returns the paths written.
///
/// # Errors
/// When the directory or a file cannot be written.
pub fn write_outputs(
    dir: &Path,
    batch: &Batch,
    lang: gongkai_model::Lang,
) -> Result<Vec<PathBuf>, WriteError> {
    write_outputs_as(dir, batch, lang, csv::CsvStyle::Plain)
}

/// [`write_outputs`], with `findings.csv` and `cells.csv` written in `style` (for Excel: a BOM
/// and Chinese column labels).
///
/// # Errors
/// When the directory or a file cannot be written.
pub fn write_outputs_as(
    dir: &Path,
    batch: &Batch,
    lang: gongkai_model::Lang,
    style: csv::CsvStyle,
) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(dir)
        .map_err(|source| WriteError::File { path: dir.to_owned(), source })?;
    let mut written = Vec::new();
    for name in OUTPUT_FILES {
        let path = dir.join(name);
        let file = File::create(&path)
            .map_err(|source| WriteError::File { path: path.clone(), source })?;
        let mut out = BufWriter::new(file);
        match name {
            "reports.csv" => csv::write_reports(&mut out, batch)?,
            "reports.parquet" => parquet::write_reports(&mut out, batch)?,
            "findings.csv" => csv::write_findings(&mut out, batch, lang, style)?,
            _ => csv::write_cells(&mut out, batch, style)?,
        }
        out.flush().map_err(|source| WriteError::File { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod error_tests {
    use gongkai_model::{Lang, Localized};

    use super::*;

    fn io() -> std::io::Error {
        std::io::Error::other("EOF")
    }

    #[test]
    fn errors_are_said_in_one_language() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .spawn_handler(|_| Err(io()))
            .build()
            .expect_err("the spawn handler fails");
        let all: [Box<dyn Localized>; 5] = [
            Box::new(WriteError::File { path: "out/reports.csv".into(), source: io() }),
            Box::new(WriteError::Io(io())),
            Box::new(WriteError::Csv(::csv::Error::from(io()))),
            Box::new(WriteError::Parquet(::parquet::errors::ParquetError::General("EOF".into()))),
            Box::new(BatchError::Pool(pool)),
        ];
        for e in &all {
            let zh = e.message(Lang::Zh);
            // The system's words follow the Chinese text as they are.
            let ours = zh.split('：').next().unwrap_or_default();
            gongkai_testkit::lang::assert_chinese(ours);
            assert!(zh.contains("EOF"), "{zh}");
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
        assert_eq!(all[1].message(Lang::En), "write failed: EOF");
    }
}
