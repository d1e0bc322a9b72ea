//! The per-file pipeline: read → recognise → check. Every front end (the CLI's `check`,
//! `extract`, `explain` and `demo`, `gongkai batch`, the web server) goes through it, so they read
//! and count alike.

use std::path::Path;

use gongkai_doc::{Document, Limits};
use gongkai_extract::ReadError;
use gongkai_model::json::Location;
use gongkai_model::{Finding, Lang, Report, Span};
use gongkai_rules::Verdict;

/// A report read from one input and checked.
#[derive(Debug)]
pub struct Analysis {
    /// The document read.
    pub doc: Document,
    /// The report recognised.
    pub report: Report,
    /// Extraction findings (the reader's notes among them) and rule findings, in their listing
    /// order ([`gongkai_model::finding::sort`]).
    pub findings: Vec<Finding>,
    /// The input format: the document's (`text`, `markdown`, `html`, `docx`, `pdf`, `xlsx`), or
    /// `json` for a report in gongkai's JSON form and `tsv` for a cell list.
    pub format: &'static str,
}

impl Analysis {
    /// Whether the input is a report at all (the NOT-A-REPORT and REPORT-EMPTY findings).
    pub fn verdict(&self) -> Verdict {
        Verdict::of(&self.findings)
    }

    /// Where `span` is in the input, for people (line, column, page, origin in `lang`).
    pub fn locate(&self, span: Span, lang: Lang) -> Location {
        locate(&self.doc, span, lang)
    }
}

/// Reads, recognises and checks `bytes` named `name`: a published report in any format, a
/// report in gongkai's JSON form (as written by `gongkai extract --format json` or
/// `gongkai register tables --json`) or a cell list (`gongkai extract --format tsv`, see
/// [`gongkai_model::tsv::is_cell_list`]); the last two are checked as they stand (their
/// document is empty and has no format).
///
/// # Errors
/// When the input cannot be read at all (see [`ReadError`] and its [`ReadError::kind`]).
pub fn analyse_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Result<Analysis, ReadError> {
    if let Some(report) = report_json(bytes).transpose()? {
        return Ok(analyse_report(name, report, "json"));
    }
    if let Some(report) = report_cells(name, bytes).transpose()? {
        return Ok(analyse_report(name, report, "tsv"));
    }
    let doc = gongkai_extract::read(name, bytes, limits)?;
    Ok(analyse_doc(doc))
}

/// Checks a report that was not read from a document (gongkai JSON, a cell list).
fn analyse_report(name: &str, report: Report, format: &'static str) -> Analysis {
    let mut findings = gongkai_rules::check(&report);
    gongkai_model::finding::sort(&mut findings);
    let mut doc = Document::new(name, gongkai_doc::Format::Text, String::new(), Vec::new());
    doc.format = None;
    Analysis { doc, report, findings, format }
}

/// Reads, recognises and checks the file at `path` (see [`analyse_bytes`]); a file above the
/// input limit is refused before it is read.
///
/// # Errors
/// When the file cannot be opened or read at all.
pub fn analyse_path(path: &Path, limits: &Limits) -> Result<Analysis, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > limits.max_input_bytes {
        return Err(ReadError::TooLarge { size: meta.len(), limit: limits.max_input_bytes });
    }
    let bytes = std::fs::read(path)?;
    analyse_bytes(&path.display().to_string(), &bytes, limits)
}

/// The report, when `bytes` are gongkai's JSON form (`"format": "gongkai-report"` near the start);
/// `None` for any other input. An invalid JSON report is an error naming the field.
pub fn report_json(bytes: &[u8]) -> Option<Result<Report, ReadError>> {
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
        return Some(Err(ReadError::InvalidJson(gongkai_model::json::JsonError {
            field: String::new(),
            reason: gongkai_model::Msg::new("不是 UTF-8 编码的文本", "not UTF-8 text"),
            detail: None,
        })));
    };
    Some(
        gongkai_model::json::ReportJson::parse(text)
            .and_then(gongkai_model::json::ReportJson::into_report)
            .map_err(ReadError::InvalidJson),
    )
}

/// The report, when `bytes` are a UTF-8 cell list ([`gongkai_model::tsv::is_cell_list`]);
/// `None` for any other input. A list that does not parse, or does not make a report, is an
/// error naming the line or the key.
pub fn report_cells(name: &str, bytes: &[u8]) -> Option<Result<Report, ReadError>> {
    use gongkai_model::Localized as _;
    let text = std::str::from_utf8(bytes).ok()?.trim_start_matches('\u{feff}');
    if !gongkai_model::tsv::is_cell_list(name, text) {
        return None;
    }
    let invalid = |why: gongkai_model::Msg| ReadError::InvalidCellList(why);
    Some(gongkai_model::tsv::parse_tsv(text).map_err(|e| invalid(e.words().0)).and_then(|list| {
        gongkai_model::tsv::report_from_cells(&list).map_err(|e| invalid(e.words().0))
    }))
}

/// Recognises and checks a document already read.
pub fn analyse_doc(doc: Document) -> Analysis {
    let parsed = gongkai_parse::parse(&doc);
    let mut findings = parsed.findings;
    findings.extend(gongkai_rules::check(&parsed.report));
    gongkai_model::finding::sort(&mut findings);
    let format = doc.format.map_or("text", gongkai_doc::Format::key);
    Analysis { doc, report: parsed.report, findings, format }
}

/// Where `span` is in `doc`, for people: line, column, page and the origin described in `lang`.
pub fn locate(doc: &Document, span: Span, lang: Lang) -> Location {
    let (line, column) = doc.line_col(span.start);
    let origin = doc.origin_at(span.start);
    Location {
        line: Some(line),
        column: Some(column),
        page: origin.and_then(gongkai_doc::Origin::page),
        origin: origin.map(|o| match lang {
            Lang::Zh => o.describe_zh(),
            Lang::En => o.describe_en(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_list_and_a_json_report_are_checked_as_they_stand() {
        let report = Report::default();
        let json = gongkai_model::json::ReportJson::from_report(&report, &|_| Location::default());
        let text = serde_json::to_string(&json).expect("json");
        let a = analyse_bytes("r.json", text.as_bytes(), &Limits::default()).expect("read");
        assert_eq!(a.format, "json");
        assert_eq!(a.doc.format, None);
        let bad = analyse_bytes(
            "r.json",
            b"{\"format\": \"gongkai-report\", \"version\": 9}",
            &Limits::default(),
        );
        assert_eq!(bad.expect_err("refused").kind(), gongkai_extract::ErrorKind::InvalidJson);
    }

    #[test]
    fn findings_are_in_listing_order() {
        let text = "一、总体情况\n（七）总计 63 0\n";
        let a = analyse_bytes("r.txt", text.as_bytes(), &Limits::default()).expect("read");
        let mut sorted = a.findings.clone();
        sorted.sort_by(Finding::listing_order);
        assert_eq!(a.findings, sorted);
        assert_eq!(a.format, "text");
    }
}
