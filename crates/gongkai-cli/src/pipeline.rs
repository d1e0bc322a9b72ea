//! The read → recognise → check pipeline shared by the commands.

use std::path::{Path, PathBuf};

use gongkai_doc::{Document, Limits};
use gongkai_model::json::Location;
use gongkai_model::{Finding, Report, Span};

/// A report read from a file and checked.
pub(crate) struct Analysis {
    /// The document read.
    pub doc: Document,
    /// The report recognised.
    pub report: Report,
    /// Extraction and rule findings, sorted for display.
    pub findings: Vec<Finding>,
}

/// Reads, recognises and checks `bytes` named `name`: a published report in any format, or a report
/// in gongkai's JSON form (as written by `extract --format json` or `register tables --json`).
pub(crate) fn analyse_bytes(
    name: &str,
    bytes: &[u8],
) -> Result<Analysis, gongkai_extract::ReadError> {
    if let Some(report) = report_json(bytes).transpose()? {
        let mut findings = gongkai_rules::check(&report);
        gongkai_diagnostics::sort(&mut findings);
        let mut doc = Document::new(name, gongkai_doc::Format::Text, String::new(), Vec::new());
        doc.format = None;
        return Ok(Analysis { doc, report, findings });
    }
    let doc = gongkai_extract::read(name, bytes, &Limits::default())?;
    Ok(analyse_doc(doc))
}

/// Reads, recognises and checks the file at `path` (see [`analyse_bytes`]).
pub(crate) fn analyse_path(path: &Path) -> Result<Analysis, gongkai_extract::ReadError> {
    let limits = Limits::default();
    let meta = std::fs::metadata(path)?;
    if meta.len() > limits.max_input_bytes {
        return Err(gongkai_extract::ReadError::TooLarge {
            size: meta.len(),
            limit: limits.max_input_bytes,
        });
    }
    let bytes = std::fs::read(path)?;
    analyse_bytes(&path.display().to_string(), &bytes)
}

/// The report, when `bytes` are gongkai's JSON form (`"format": "gongkai-report"` near the start);
/// `None` for any other input. An invalid JSON report is an error naming the field.
pub(crate) fn report_json(bytes: &[u8]) -> Option<Result<Report, gongkai_extract::ReadError>> {
    let head = &bytes[..bytes.len().min(4096)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    if head[start] != b'{'
        || !head
            .windows(gongkai_model::json::FORMAT.len())
            .any(|w| w == gongkai_model::json::FORMAT.as_bytes())
    {
        return None;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some(Err(gongkai_extract::ReadError::InvalidJson("not UTF-8".to_owned())));
    };
    Some(
        gongkai_model::json::ReportJson::parse(text)
            .and_then(gongkai_model::json::ReportJson::into_report)
            .map_err(|e| gongkai_extract::ReadError::InvalidJson(e.to_string())),
    )
}

fn analyse_doc(doc: Document) -> Analysis {
    let parsed = gongkai_parse::parse(&doc);
    let mut findings = parsed.findings;
    findings.extend(gongkai_rules::check(&parsed.report));
    gongkai_diagnostics::sort(&mut findings);
    Analysis { doc, report: parsed.report, findings }
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

/// Extensions of files gongkai reads when given a directory.
const EXTENSIONS: &[&str] =
    &["txt", "md", "markdown", "html", "htm", "shtml", "docx", "pdf", "xlsx"];

/// Expands directories (recursively, sorted) into the report files they contain.
pub(crate) fn expand(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}
