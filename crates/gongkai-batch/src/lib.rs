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
//! - [`summary`]: the counts printed at the end of a batch.
//!
//! ```no_run
//! use gongkai_batch::{Options, run, write_outputs};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let files = gongkai_batch::expand(&["reports/".into()])?;
//! let batch = run(&files, &Options::default(), &|_| {})?;
//! write_outputs(std::path::Path::new("out"), &batch, gongkai_model::Lang::Zh)?;
//! print!("{}", gongkai_batch::Summary::of(&batch).render(&batch, gongkai_model::Lang::Zh));
//! # Ok(()) }
//! ```

pub mod agency;
pub mod analyse;
pub mod csv;
pub mod failure;
pub mod locate;
pub mod parquet;
pub mod runner;
pub mod schema;
pub mod series;
pub mod summary;

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

pub use analyse::{
    Analysis, Counts, analyse_bytes, analyse_doc, analyse_path, checked_line, expand,
};
pub use failure::{Failure, FailureKind};
pub use runner::{Batch, BatchError, BatchFinding, Options, Outcome, ReadReport, Record, run};
pub use summary::Summary;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file could not be created or written.
    #[error("无法写入 / cannot write {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing failed.
    #[error("写入失败 / write failed: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// The Parquet writer failed.
    #[error("Parquet: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
}

impl Batch {
    /// The series key of record `i`, when it belongs to a series.
    pub fn series_key(&self, i: usize) -> Option<&str> {
        self.plan.series_of.get(i).copied().flatten().map(|s| self.plan.series[s].key.as_str())
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
            "findings.csv" => csv::write_findings(&mut out, batch, lang)?,
            _ => csv::write_cells(&mut out, batch)?,
        }
        out.flush().map_err(|source| WriteError::File { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}
