//! The read → recognise → check pipeline shared by the commands: `gongkai-pipeline`'s (so that
//! `check`, `extract`, `explain`, `demo` and `batch` read and count alike), with default limits.

use std::path::Path;

use gongkai_doc::Limits;

pub(crate) use gongkai_batch::expand;
pub(crate) use gongkai_pipeline::{Analysis, locate};

/// Reads, recognises and checks `bytes` named `name`: a published report in any format, or a report
/// in gongkai's JSON form (the shared pipeline, default limits).
pub(crate) fn analyse_bytes(
    name: &str,
    bytes: &[u8],
) -> Result<Analysis, gongkai_extract::ReadError> {
    gongkai_pipeline::analyse_bytes(name, bytes, &Limits::default())
}

/// Reads, recognises and checks the file at `path` (see [`analyse_bytes`]).
pub(crate) fn analyse_path(path: &Path) -> Result<Analysis, gongkai_extract::ReadError> {
    gongkai_pipeline::analyse_path(path, &Limits::default())
}
