//! The per-file pipeline every front end shares — the CLI, `gongkai batch` and the web server —
//! without a thread pool or an output format of its own:
//!
//! - [`analyse`]: bytes (or a path) + a file name + [`Limits`](gongkai_doc::Limits) → the
//!   document read, the report recognised, its findings in listing order, the verdict (report or
//!   not) — [`analyse_bytes`], [`analyse_path`], [`analyse_doc`];
//! - [`counts`]: the one counting of findings every summary uses ([`Counts`], [`checked_line`]);
//! - [`check`]: the typed, versioned check result (`gongkai-check` v1, [`CheckJson`],
//!   [`CheckResult`]) that `gongkai check --format json` prints and the web API returns, with its
//!   JSON Schema ([`check::schema`], committed as `schema/check.schema.json`);
//! - [`collect`]: the web server's collected uploads — an uploaded file or zip expanded
//!   ([`collect::expand`]) and each file read into the report and findings stored
//!   ([`collect::read`]);
//! - [`upload`]: [`check_upload`], one uploaded file → [`CheckResult`], with an explicit size limit
//!   and a typed error ([`UploadError`]).
//!
//! Reading failures are [`ReadError`](gongkai_extract::ReadError)s, classified by
//! [`ReadError::kind`](gongkai_extract::ReadError::kind), so no caller depends on the readers.
//!
//! ```
//! use gongkai_doc::Limits;
//! let text = "一、总体情况\n本机关依照条例编制本报告。\n";
//! let a = gongkai_pipeline::analyse_bytes("报告.txt", text.as_bytes(), &Limits::default())?;
//! let counts = gongkai_pipeline::Counts::of(&a.findings);
//! assert_eq!(counts.total(), a.findings.len());
//! # Ok::<(), gongkai_extract::ReadError>(())
//! ```

pub mod analyse;
pub mod check;
pub mod collect;
pub mod counts;
pub mod upload;

pub use analyse::{
    Analysis, analyse_bytes, analyse_doc, analyse_path, locate, report_cells, report_json,
};
pub use check::{CheckFinding, CheckJson, CheckResult, FileCheck, Layouts, Unreadable};
pub use counts::{Counts, checked_line};
pub use gongkai_extract::{ErrorKind, ReadError};
pub use gongkai_rules::Verdict;
pub use upload::{UploadError, check_upload};
