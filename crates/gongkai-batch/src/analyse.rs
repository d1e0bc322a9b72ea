//! The per-file pipeline every command shares: read → recognise → check, and the counting of
//! findings that every summary uses (`gongkai check`, `gongkai batch`, `gongkai demo`).

use std::path::{Path, PathBuf};

use gongkai_doc::{Document, Limits};
use gongkai_model::{Finding, FindingKind, Lang, Report, Severity};
use gongkai_rules::Verdict;

/// A report read from one input and checked.
#[derive(Debug)]
pub struct Analysis {
    /// The document read.
    pub doc: Document,
    /// The report recognised.
    pub report: Report,
    /// Extraction and rule findings, sorted for display.
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
}

/// Reads, recognises and checks `bytes` named `name`: a published report in any format, a
/// report in gongkai's JSON form (as written by `gongkai extract --format json` or
/// `gongkai register tables --json`) or a cell list (`gongkai extract --format tsv`, see
/// [`gongkai_model::tsv::is_cell_list`]); the last two are checked as they stand (their
/// document is empty and has no format).
///
/// # Errors
/// When the input cannot be read at all (see [`gongkai_extract::ReadError`]).
pub fn analyse_bytes(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Analysis, gongkai_extract::ReadError> {
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
    gongkai_diagnostics::sort(&mut findings);
    let mut doc = Document::new(name, gongkai_doc::Format::Text, String::new(), Vec::new());
    doc.format = None;
    Analysis { doc, report, findings, format }
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

/// The report, when `bytes` are a UTF-8 cell list ([`gongkai_model::tsv::is_cell_list`]);
/// `None` for any other input. A list that does not parse, or does not make a report, is an
/// error naming the line or the key.
pub fn report_cells(
    name: &str,
    bytes: &[u8],
) -> Option<Result<Report, gongkai_extract::ReadError>> {
    use gongkai_model::Localized as _;
    let text = std::str::from_utf8(bytes).ok()?.trim_start_matches('\u{feff}');
    if !gongkai_model::tsv::is_cell_list(name, text) {
        return None;
    }
    let invalid = |why: gongkai_model::Msg| gongkai_extract::ReadError::InvalidCellList(why);
    Some(gongkai_model::tsv::parse_tsv(text).map_err(|e| invalid(e.words().0)).and_then(|list| {
        gongkai_model::tsv::report_from_cells(&list).map_err(|e| invalid(e.words().0))
    }))
}

/// Recognises and checks a document already read.
pub fn analyse_doc(doc: Document) -> Analysis {
    let parsed = gongkai_parse::parse(&doc);
    let mut findings = parsed.findings;
    findings.extend(gongkai_rules::check(&parsed.report));
    gongkai_diagnostics::sort(&mut findings);
    let format = doc.format.map_or("text", gongkai_doc::Format::key);
    Analysis { doc, report: parsed.report, findings, format }
}

/// Extensions of the files read when a directory is given: every format gongkai reads,
/// including gongkai JSON reports and cell lists.
pub const EXTENSIONS: &[&str] =
    &["txt", "md", "markdown", "html", "htm", "shtml", "docx", "pdf", "xlsx", "json", "tsv"];

/// The files found under the inputs, and the directories that held none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    /// Files given by name, and the files found in each directory (sorted), in input order.
    pub files: Vec<PathBuf>,
    /// Directories given that hold no file of the [`EXTENSIONS`] (at any depth).
    pub empty_dirs: Vec<PathBuf>,
}

/// Expands directories (recursively, sorted) into the report files they contain; files given
/// by name are kept whatever their extension. A directory reached twice (through a symbolic
/// link, or a link loop) is listed once: the walk keeps the canonical path of every directory
/// it entered.
///
/// # Errors
/// When a directory cannot be listed.
pub fn expand(inputs: &[PathBuf]) -> std::io::Result<Expanded> {
    let mut out = Expanded::default();
    for p in inputs {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            if found.is_empty() {
                out.empty_dirs.push(p.clone());
            }
            out.files.extend(found);
        } else {
            out.files.push(p.clone());
        }
    }
    Ok(out)
}

/// Lists the report files under `root` into `out`, iteratively, entering each directory (by its
/// canonical path) at most once.
fn walk(root: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut visited = std::collections::HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if !visited.insert(std::fs::canonicalize(&dir)?) {
            continue;
        }
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                out.push(path);
            }
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

/// The closing line of a multi-report check: how many reports were read, how many were not,
/// how many of those read are not reports (said only when some are), and the findings of the
/// single-report checks. `gongkai check` and `gongkai batch` print the same line for the same
/// files.
pub fn checked_line(
    read: usize,
    unreadable: usize,
    not_reports: usize,
    total: Counts,
    lang: Lang,
) -> String {
    match (lang, not_reports) {
        (Lang::Zh, 0) => {
            format!("共检查 {read} 份报告（{unreadable} 份无法读取）：{}", total.describe(lang))
        }
        (Lang::Zh, n) => format!(
            "共检查 {read} 份报告（{unreadable} 份无法读取，{n} 份不是年度报告）：{}",
            total.describe(lang)
        ),
        (Lang::En, 0) => {
            format!("checked {read} report(s) ({unreadable} unreadable): {}", total.describe(lang))
        }
        (Lang::En, n) => format!(
            "checked {read} report(s) ({unreadable} unreadable, {n} not annual report(s)): {}",
            total.describe(lang)
        ),
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
            checked_line(3, 1, 0, c, Lang::En),
            "checked 3 report(s) (1 unreadable): 2 error(s), 1 warning(s), 1 info"
        );
        assert_eq!(
            checked_line(3, 0, 2, c, Lang::Zh),
            "共检查 3 份报告（0 份无法读取，2 份不是年度报告）：2 个错误，1 个警告，1 个提示"
        );
    }

    fn rel(files: &[PathBuf], dir: &Path) -> Vec<String> {
        files.iter().map(|p| p.strip_prefix(dir).unwrap_or(p).display().to_string()).collect()
    }

    #[test]
    fn expands_directories_sorted_and_keeps_named_files() {
        let dir = tempfile::tempdir().expect("tmp");
        for n in ["b.txt", "a.pdf", "skip.bin", "sub/c.html", "sub/r.json", "sub/cells.TSV"] {
            let p = dir.path().join(n);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("dir");
            }
            std::fs::write(p, "x").expect("write");
        }
        std::fs::create_dir_all(dir.path().join("empty")).expect("dir");
        let named = dir.path().join("skip.bin");
        let empty = dir.path().join("empty");
        let found =
            expand(&[dir.path().to_path_buf(), named.clone(), empty.clone()]).expect("expand");
        assert_eq!(
            rel(&found.files, dir.path()),
            ["a.pdf", "b.txt", "sub/c.html", "sub/cells.TSV", "sub/r.json", "skip.bin"]
        );
        assert_eq!(found.empty_dirs, [empty]);
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_link_loop_is_walked_once() {
        let dir = tempfile::tempdir().expect("tmp");
        let sub = dir.path().join("sub");
        std::fs::create_dir_all(&sub).expect("dir");
        std::fs::write(sub.join("a.txt"), "x").expect("write");
        // sub/up → the root, and a second link to the same directory.
        std::os::unix::fs::symlink(dir.path(), sub.join("up")).expect("link");
        std::os::unix::fs::symlink(&sub, dir.path().join("again")).expect("link");
        let found = expand(&[dir.path().to_path_buf()]).expect("a loop is no error");
        assert_eq!(found.files.len(), 1, "{:?}", found.files);
        assert!(found.files[0].ends_with("a.txt"));
    }
}
