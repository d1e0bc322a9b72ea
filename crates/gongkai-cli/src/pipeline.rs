//! The read → recognise → check pipeline shared by the commands: the one in `gongkai-batch`
//! (so that `check`, `extract`, `explain`, `demo` and `batch` read and count alike), with default
//! limits.

use std::path::Path;

use gongkai_doc::{Document, Limits};
use gongkai_model::Span;
use gongkai_model::json::Location;

pub(crate) use gongkai_batch::{Analysis, expand};

/// Reads, recognises and checks `bytes` named `name`: a published report in any format, or a report
/// in gongkai's JSON form (the shared pipeline of `gongkai-batch`, default limits).
pub(crate) fn analyse_bytes(
    name: &str,
    bytes: &[u8],
) -> Result<Analysis, gongkai_extract::ReadError> {
    gongkai_batch::analyse_bytes(name, bytes, &Limits::default())
}

/// Reads, recognises and checks the file at `path` (see [`analyse_bytes`]).
pub(crate) fn analyse_path(path: &Path) -> Result<Analysis, gongkai_extract::ReadError> {
    gongkai_batch::analyse_path(path, &Limits::default())
}

/// A span located for people (line, column, page, origin).
pub(crate) fn locate(doc: &Document, span: Span, lang: gongkai_model::Lang) -> Location {
    let (line, column) = doc.line_col(span.start);
    let origin = doc.origin_at(span.start);
    Location {
        line: Some(line),
        column: Some(column),
        page: origin.and_then(gongkai_doc::Origin::page),
        origin: origin.map(|o| match lang {
            gongkai_model::Lang::Zh => o.describe_zh(),
            gongkai_model::Lang::En => o.describe_en(),
        }),
    }
}
