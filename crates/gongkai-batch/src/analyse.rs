//! The per-file pipeline every command shares: read → recognise → check, and the counting of
//! findings that every summary uses (`gongkai check`, `gongkai batch`, `gongkai demo`).

use std::path::{Path, PathBuf};

use gongkai_doc::{Document, Limits};
use gongkai_model::{Finding, FindingKind, Lang, Report, Severity};

/// A report read from one input and checked.
#[derive(Debug)]
pub struct Analysis {
    /// The document read.
    pub doc: Document,
    /// The report recognised.
    pub report: Report,
    /// Extraction and rule findings, sorted for display.
    pub findings: Vec<Finding>,
}

/// Reads, recognises and checks `bytes` named `name`: a published report in any format, or a
/// report in gongkai's JSON form (as written by `gongkai extract --format json` or
/// `gongkai register tables --json`), which is checked as it stands (its document is empty and has
/// no format).
///
/// # Errors
/// When the input cannot be read at all (see [`gongkai_extract::ReadError`]).
pub fn analyse_bytes(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Analysis, gongkai_extract::ReadError> {
    if let Some(report) = report_json(bytes).transpose()? {
        let mut findings = gongkai_rules::check(&report);
        gongkai_diagnostics::sort(&mut findings);
        let mut doc = Document::new(name, gongkai_doc::Format::Text, String::new(), Vec::new());
        doc.format = None;
        return Ok(Analysis { doc, report, findings });
    }
    let doc = gongkai_extract::read(name, bytes, limits)?;
    Ok(analyse_doc(doc))
}

/// Reads, recognises and checks the file at `path` (see [`analyse_bytes`]); a file above the
/// input limit is refused before it is read.
///
/// # Errors
/// When the file cannot be opened or read at all.
pub fn analyse_path(path: &Path, limits: &Limits) -> Result<Analysis, gongkai_extract::ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > limits.max_input_bytes {
        return Err(gongkai_extract::ReadError::TooLarge {
            size: meta.len(),
            limit: limits.max_input_bytes,
        });
    }
    let bytes = std::fs::read(path)?;
    analyse_bytes(&path.display().to_string(), &bytes, limits)
}

/// The report, when `bytes` are gongkai's JSON form (`"format": "gongkai-report"` near the start);
/// `None` for any other input. An invalid JSON report is an error naming the field.
pub fn report_json(bytes: &[u8]) -> Option<Result<Report, gongkai_extract::ReadError>> {
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
        return Some(Err(gongkai_extract::ReadError::InvalidJson(
            gongkai_model::json::JsonError {
                field: String::new(),
                reason: gongkai_model::Msg::new("不是 UTF-8 编码的文本", "not UTF-8 text"),
                detail: None,
            },
        )));
    };
    Some(
        gongkai_model::json::ReportJson::parse(text)
            .and_then(gongkai_model::json::ReportJson::into_report)
            .map_err(gongkai_extract::ReadError::InvalidJson),
    )
}

/// Recognises and checks a document already read.
pub fn analyse_doc(doc: Document) -> Analysis {
    let parsed = gongkai_parse::parse(&doc);
    let mut findings = parsed.findings;
    findings.extend(gongkai_rules::check(&parsed.report));
    gongkai_diagnostics::sort(&mut findings);
    Analysis { doc, report: parsed.report, findings }
}

/// Extensions of the files read when a directory is given.
pub const EXTENSIONS: &[&str] =
    &["txt", "md", "markdown", "html", "htm", "shtml", "docx", "pdf", "xlsx"];

/// Expands directories (recursively, sorted) into the report files they contain; files given
/// by name are kept whatever their extension.
///
/// # Errors
/// When a directory cannot be listed.
pub fn expand(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
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

/// Counts of findings by severity and by kind. The one counting every summary uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Findings about what the agency printed.
    pub source: usize,
    /// Findings about what the reader could not determine.
    pub extraction: usize,
}

impl Counts {
    /// Counts `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut c = Counts::default();
        for f in findings {
            c.count(f);
        }
        c
    }

    /// Counts one finding.
    pub fn count(&mut self, f: &Finding) {
        match f.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        match f.kind {
            FindingKind::Source => self.source += 1,
            FindingKind::Extraction => self.extraction += 1,
        }
    }

    /// Adds another count.
    pub fn add(&mut self, o: Counts) {
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.infos += o.infos;
        self.source += o.source;
        self.extraction += o.extraction;
    }

    /// Number of findings counted.
    pub fn total(self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// `3 个错误，1 个警告，0 个提示` / `3 error(s), 1 warning(s), 0 info`.
    pub fn describe(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => {
                format!("{} 个错误，{} 个警告，{} 个提示", self.errors, self.warnings, self.infos)
            }
            Lang::En => format!(
                "{} error(s), {} warning(s), {} info",
                self.errors, self.warnings, self.infos
            ),
        }
    }
}

/// The closing line of a multi-report check: how many reports were read, how many were not, and
/// the findings of the single-report checks. `gongkai check` and `gongkai batch` print the same
/// line for the same files.
pub fn checked_line(read: usize, unreadable: usize, total: Counts, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            format!("共检查 {read} 份报告（{unreadable} 份无法读取）：{}", total.describe(lang))
        }
        Lang::En => {
            format!("checked {read} report(s) ({unreadable} unreadable): {}", total.describe(lang))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Msg;

    #[test]
    fn counts_by_severity_and_kind() {
        let f = |s, k| Finding::new("X", s, k, Msg::new("", ""));
        let c = Counts::of(&[
            f(Severity::Error, FindingKind::Source),
            f(Severity::Warning, FindingKind::Extraction),
            f(Severity::Info, FindingKind::Source),
            f(Severity::Error, FindingKind::Source),
        ]);
        assert_eq!(c, Counts { errors: 2, warnings: 1, infos: 1, source: 3, extraction: 1 });
        assert_eq!(c.total(), 4);
        assert_eq!(c.describe(Lang::Zh), "2 个错误，1 个警告，1 个提示");
        assert_eq!(
            checked_line(3, 1, c, Lang::En),
            "checked 3 report(s) (1 unreadable): 2 error(s), 1 warning(s), 1 info"
        );
    }

    #[test]
    fn expands_directories_sorted_and_keeps_named_files() {
        let dir = tempfile::tempdir().expect("tmp");
        for n in ["b.txt", "a.pdf", "skip.bin", "sub/c.html"] {
            let p = dir.path().join(n);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("dir");
            }
            std::fs::write(p, "x").expect("write");
        }
        let named = dir.path().join("skip.bin");
        let files = expand(&[dir.path().to_path_buf(), named.clone()]).expect("expand");
        let rel: Vec<_> = files
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap_or(p).display().to_string())
            .collect();
        assert_eq!(rel, ["a.pdf", "b.txt", "sub/c.html", "skip.bin"]);
    }
}
