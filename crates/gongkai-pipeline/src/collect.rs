//! The per-file pipeline of the web server's uploads (collected reports, `POST
//! /api/v1/collect/…`): what happens to an uploaded file between the upload and the result
//! stored, outside the server so that the fuzz target `upload` can run it. The server's
//! `collect` module has the same two functions (same names, messages and results) with its own
//! zip checks; switching it to these is the remaining step of the zip guard's unification.
//!
//! - [`expand`]: an uploaded file, or each report inside an uploaded zip — expanded under the
//!   shared zip guard ([`gongkai_zip`]: entry count, total uncompressed size, compression ratio,
//!   and each entry at most [`Limits::max_input_bytes`]); an entry's name is only ever a name
//!   (shown, and used for format detection), never a path; a zip inside the zip is not expanded
//!   (that entry fails, saying so).
//! - [`read`]: one file through the same per-file pipeline as `gongkai check --format json`
//!   ([`crate::analyse_bytes`] and [`CheckResult::full`]): the same cells and the same findings;
//!   a panic while reading becomes a failure of that file only.

use std::panic::{AssertUnwindSafe, catch_unwind};

use gongkai_doc::Limits;
use gongkai_model::json::{CellJson, FindingJson, ReportJson};
use gongkai_model::{Lang, Localized as _, Msg};

use crate::{CheckResult, Counts};

/// One file to store and read: its name as uploaded (inside a zip: `archive.zip/entry`), and
/// its bytes or why there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// The name to show.
    pub name: String,
    /// The name to store and detect the format by (the last component of `name`).
    pub file_name: String,
    /// The bytes, or why the file could not be taken.
    pub bytes: Result<Vec<u8>, Msg>,
}

/// Whether `bytes` are a zip archive of files rather than a document that happens to be a zip
/// container (DOCX, XLSX: those have `[Content_Types].xml`).
pub fn is_archive(bytes: &[u8]) -> bool {
    if !gongkai_zip::looks_like_zip(bytes) {
        return false;
    }
    // Only the directory is read: nothing is inflated.
    let limits = Limits { max_zip_entries: usize::MAX, ..Limits::default() };
    match gongkai_zip::Archive::open(bytes, &limits) {
        Ok(zip) => !zip.contains("[Content_Types].xml"),
        Err(_) => false,
    }
}

/// The files of one uploaded file: itself, or the entries of a zip archive (directories and
/// operating-system litter such as `__MACOSX/` skipped), each within `limits`.
pub fn expand(name: &str, bytes: Vec<u8>, limits: &Limits) -> Vec<Incoming> {
    let shown = clean_name(name);
    if !is_archive(&bytes) {
        return vec![Incoming { file_name: last_component(&shown), name: shown, bytes: Ok(bytes) }];
    }
    let failed = |why: Msg| {
        vec![Incoming { file_name: last_component(&shown), name: shown.clone(), bytes: Err(why) }]
    };
    let mut zip = match gongkai_zip::Archive::open(&bytes, limits) {
        Ok(z) => z.with_max_entry(limits.max_input_bytes),
        Err(e) => return failed(e.words().0),
    };
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let (raw, is_dir) = match zip.peek(i) {
            Ok(p) => p,
            Err(e) => {
                let (name, file_name) = (format!("{shown}/#{}", i + 1), format!("entry-{}", i + 1));
                out.push(Incoming { name, file_name, bytes: Err(e.words().0) });
                continue;
            }
        };
        let entry_name = entry_name(&raw);
        if is_dir || is_litter(&entry_name) {
            continue;
        }
        let name = format!("{shown}/{}", clean_name(&entry_name));
        let file_name = last_component(&entry_name);
        let entry = match zip.entry(i) {
            Ok(e) => e,
            Err(e) => {
                out.push(Incoming { name, file_name, bytes: Err(e.words().0) });
                continue;
            }
        };
        if is_archive(&entry.data) {
            let why = Msg::new(
                "压缩包中的压缩包不予展开，请单独上传",
                "a zip inside the zip is not expanded: upload it on its own",
            );
            out.push(Incoming { name, file_name, bytes: Err(why) });
            continue;
        }
        out.push(Incoming { name, file_name, bytes: Ok(entry.data) });
    }
    if out.is_empty() {
        return failed(Msg::new("压缩包中没有文件", "the zip archive holds no file"));
    }
    out
}

/// A zip entry's name: UTF-8 when it is, else GB 18030 (what Chinese Windows writes).
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}

/// Directories' metadata and the litter of archivers (`__MACOSX/`, `._x`, `.DS_Store`,
/// `Thumbs.db`).
fn is_litter(name: &str) -> bool {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    name.starts_with("__MACOSX/")
        || last.starts_with("._")
        || last == ".DS_Store"
        || last.eq_ignore_ascii_case("thumbs.db")
}

/// A name fit to show: no control characters, at most 300 characters.
fn clean_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).take(300).collect();
    let clean = clean.trim();
    if clean.is_empty() { "unnamed".to_owned() } else { clean.to_owned() }
}

/// The last component of a name (after `/` or `\`): what is stored and detected by.
fn last_component(name: &str) -> String {
    gongkai_model::file_name::sanitise_file_name(name)
}

/// The format key a document is stored under: the extension of its name when it is one of
/// the formats gongkai reads, else `bin` (the reader decides by the content).
pub fn format_of(file_name: &str) -> &'static str {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "pdf",
        "docx" => "docx",
        "doc" => "doc",
        "wps" => "wps",
        "html" | "htm" | "shtml" | "xhtml" => "html",
        "xlsx" => "xlsx",
        "txt" | "text" => "txt",
        "md" | "markdown" => "md",
        "json" => "json",
        "tsv" => "tsv",
        _ => "bin",
    }
}

/// A finding to record: its rule, the cells it names with the values printed in them (the
/// fingerprint's input), and the check's finding object (JSON, Chinese, with `message_en`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectedFinding {
    /// The rule id.
    pub rule: String,
    /// The cells named, with the values printed in them.
    pub cells: Vec<(String, String)>,
    /// The finding object (JSON).
    pub finding: String,
}

/// What reading one file gave.
#[derive(Debug)]
pub struct Reading {
    /// The agency name read.
    pub agency: Option<String>,
    /// The year read.
    pub year: Option<i16>,
    /// The gongkai-report JSON, its `findings` the check's findings in Chinese, in listing order
    /// (exactly `gongkai check --format json`'s).
    pub report: String,
    /// The findings to record (fingerprinted by rule, cells and printed values), each the
    /// check's finding object in Chinese with `message_en`.
    pub findings: Vec<CollectedFinding>,
    /// Errors found.
    pub errors: u32,
    /// Warnings found.
    pub warnings: u32,
}

/// Reads, recognises and checks one file, as `gongkai check --format json` does.
///
/// # Errors
/// Why the file could not be read (both languages); a panic is such a failure too.
pub fn read(file_name: &str, bytes: &[u8], limits: &Limits) -> Result<Reading, Msg> {
    let run = || crate::analyse_bytes(file_name, bytes, limits);
    let analysis = match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => return Err(e.words().0),
        Err(_) => {
            return Err(Msg::new(
                "读取此文件时程序出错，请报告此问题",
                "reading this file failed unexpectedly: please report it",
            ));
        }
    };
    let zh = CheckResult::full(file_name, &analysis, Lang::Zh);
    let en = CheckResult::new(file_name, &analysis, &analysis.findings, Lang::En);
    let counts = Counts::of(&analysis.findings);
    let mut report = zh
        .report
        .clone()
        .ok_or_else(|| Msg::new("读取结果中没有报告", "the reading gave no report"))?;
    report.findings = zh.findings.iter().map(|f| f.finding.clone()).collect();
    let findings = zh
        .findings
        .iter()
        .zip(&en.findings)
        .map(|(z, e)| new_finding(&report, &z.finding, &e.finding.message))
        .collect::<Result<Vec<_>, Msg>>()?;
    let json = serde_json::to_string(&report).map_err(|e| {
        Msg::new(format!("结果无法写成JSON：{e}"), format!("cannot write JSON: {e}"))
    })?;
    Ok(Reading {
        agency: zh.agency.clone(),
        year: zh.year.and_then(|y| i16::try_from(y).ok()),
        report: json,
        findings,
        errors: u32::try_from(counts.errors).unwrap_or(u32::MAX),
        warnings: u32::try_from(counts.warnings).unwrap_or(u32::MAX),
    })
}

/// A finding to record: the check's finding object with its English message beside it, and
/// its cells with the values printed in them (the fingerprint's input).
fn new_finding(
    report: &ReportJson,
    f: &FindingJson,
    message_en: &str,
) -> Result<CollectedFinding, Msg> {
    let cells = f.cells.iter().map(|k| (k.clone(), printed(report, k))).collect();
    let mut value = serde_json::to_value(f).map_err(|e| {
        Msg::new(format!("结果无法写成JSON：{e}"), format!("cannot write JSON: {e}"))
    })?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("message_en".to_owned(), serde_json::Value::String(message_en.to_owned()));
    }
    Ok(CollectedFinding { rule: f.rule.clone(), cells, finding: value.to_string() })
}

/// The value printed in cell `key` of the report (cell-list form), empty when absent.
pub fn printed(report: &ReportJson, key: &str) -> String {
    let t = &report.tables;
    [&t.t2, &t.t3, &t.t4]
        .into_iter()
        .flatten()
        .flat_map(|table| table.cells.0.iter())
        .find(|(k, _)| k == key)
        .map(|(_, c)| match c {
            CellJson::Full(o) => o.value.clone(),
            CellJson::Number(n) => n.to_string(),
            CellJson::Text(s) => s.clone(),
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write as _};

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, bytes) in entries {
                w.start_file(*name, opts).expect("entry");
                w.write_all(bytes).expect("write");
            }
            w.finish().expect("finish");
        }
        out.into_inner()
    }

    #[test]
    fn zips_are_expanded_within_the_limits_and_names_stay_names() {
        let inner = zip_of(&[("x.txt", b"x")]);
        let bomb = vec![b'0'; 3 << 20];
        let zip = zip_of(&[
            ("a/报告.txt", "一、总体情况".as_bytes()),
            ("../../etc/passwd", b"root"),
            ("__MACOSX/._a.txt", b"junk"),
            ("inner.zip", &inner),
            ("bomb.txt", &bomb),
        ]);
        assert!(is_archive(&zip));
        let files = expand("上传.zip", zip, &Limits::default());
        let names: Vec<_> = files.iter().map(|f| (f.name.as_str(), f.file_name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("上传.zip/a/报告.txt", "报告.txt"),
                ("上传.zip/../../etc/passwd", "passwd"),
                ("上传.zip/inner.zip", "inner.zip"),
                ("上传.zip/bomb.txt", "bomb.txt"),
            ]
        );
        assert_eq!(files[0].bytes.as_deref(), Ok("一、总体情况".as_bytes()));
        assert!(files[2].bytes.as_ref().is_err_and(|m| m.en.contains("zip inside")));
        assert!(files[3].bytes.as_ref().is_err_and(|m| m.en.contains("zip bomb")));
        let few = Limits { max_zip_entries: 2, ..Limits::default() };
        let many = zip_of(&[("1.txt", b"1"), ("2.txt", b"2"), ("3.txt", b"3")]);
        let refused = expand("many.zip", many, &few);
        assert_eq!(refused.len(), 1);
        assert!(refused[0].bytes.as_ref().is_err_and(|m| m.en.contains("too many")));
        let total = Limits { max_zip_uncompressed: 3, ..Limits::default() };
        let over = expand("t.zip", zip_of(&[("1.txt", b"12"), ("2.txt", b"34")]), &total);
        assert!(over[0].bytes.is_ok() && over[1].bytes.is_err(), "{over:?}");
    }

    #[test]
    fn documents_that_are_zip_containers_are_not_archives() {
        let docx = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]);
        assert!(!is_archive(&docx));
        assert_eq!(expand("a.docx", docx.clone(), &Limits::default())[0].bytes, Ok(docx));
        assert!(!is_archive(b"PK\x03\x04 damaged"));
        assert_eq!(format_of("报告.PDF"), "pdf");
        assert_eq!(format_of("noext"), "bin");
        assert_eq!(format_of("旧版报告.DOC"), "doc");
        assert_eq!(format_of("报告.wps"), "wps");
    }

    #[test]
    fn a_damaged_file_fails_with_a_reason_in_both_languages() {
        let err = read("x.pdf", b"%PDF-1.7\n", &Limits::default()).expect_err("damaged");
        assert!(!err.zh.is_empty() && !err.en.is_empty());
    }

    #[test]
    fn a_report_is_read_with_its_findings_in_both_languages() {
        let text = "一、总体情况\n本机关依照条例编制本报告。\n";
        let r = read("报告.txt", text.as_bytes(), &Limits::default()).expect("read");
        let report: serde_json::Value = serde_json::from_str(&r.report).expect("json");
        assert_eq!(report["format"], "gongkai-report");
        assert_eq!(r.findings.len(), report["findings"].as_array().map_or(0, Vec::len));
        for f in &r.findings {
            let v: serde_json::Value = serde_json::from_str(&f.finding).expect("finding json");
            assert!(v["message_en"].is_string(), "{v}");
        }
    }
}
