//! Registers (登记台账) as spreadsheets: the template, import and export.
//!
//! - [`template`]: the sheets and Chinese column headers (the single source for reading and writing);
//! - [`vocab`]: the values of every enumerated column, declared once for template, import and export;
//! - [`parse`]: tolerant cell values (dates in every usual form and Excel serials, full-width digits);
//! - [`rows`]: rows → records, every problem collected with its row number;
//! - [`xlsx`] and [`csv_io`]: the two file formats;
//! - [`import`]: a whole file → a validated [`Register`] part, or every error (nothing half-way);
//! - [`validate`]: every problem of a register's records (imported rows, a form, a register in
//!   memory) with its sheet, row and column;
//! - [`draft`]: a year's annual report drafted from a register.
//!
//! Persistence between commands is decided at the CLI edge: `gongkai register import` validates a
//! spreadsheet and writes the normalized register file (`gongkai-register.json`, the
//! [`Register`] JSON); the other commands read that file.

pub mod csv_io;
pub mod draft;
pub mod export;
pub mod parse;
pub mod rows;
pub mod template;
pub mod validate;
pub mod vocab;
pub mod xlsx;

use std::fmt;

use gongkai_cases::{Env, Register};
use gongkai_model::{Lang, Localized, Msg};
use jiff::civil::Date;

use crate::rows::Parsed;
use crate::template::{Col, Sheet};

/// A problem in one cell or row of an imported file. The sheet and column are named as the
/// template names them (in Chinese, in either language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The sheet's name.
    pub sheet: String,
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column header (empty for a problem with the whole row).
    pub column: String,
    /// What is wrong.
    pub reason: Msg,
}

impl Localized for RowError {
    fn words(&self) -> (Msg, Option<String>) {
        let (sheet, row, col, why) = (&self.sheet, self.row, &self.column, &self.reason);
        let text = if col.is_empty() {
            Msg::new(
                format!("「{sheet}」第{row}行：{}", why.zh),
                format!("`{sheet}` row {row}: {}", why.en),
            )
        } else {
            Msg::new(
                format!("「{sheet}」第{row}行「{col}」：{}", why.zh),
                format!("`{sheet}` row {row}, column `{col}`: {}", why.en),
            )
        };
        (text, None)
    }
}

impl RowError {
    /// The column the problem is in, when it is one of the template's.
    pub fn col(&self) -> Option<Col> {
        let sheet = Sheet::ALL.into_iter().find(|s| s.name() == self.sheet)?;
        Col::from_header(sheet, &self.column)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.bilingual())
    }
}

/// Why a file could not be imported. [`Localized::message`] says it in one language; the
/// `Display` form gives both (the rows one per line).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum ImportError {
    /// The file could not be read as a spreadsheet at all.
    Unreadable {
        /// The file name.
        file: String,
        /// Why.
        reason: Msg,
        /// The spreadsheet or CSV library's words, if it found the problem.
        detail: Option<String>,
    },
    /// The file exceeds a limit (size, zip entries, uncompressed size).
    TooLarge {
        /// The file name.
        file: String,
        /// Which limit.
        reason: Msg,
    },
    /// Rows have problems; nothing was imported.
    Rows(Vec<RowError>),
}

impl Localized for ImportError {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            ImportError::Unreadable { file, reason, detail } => (
                Msg::new(
                    format!("无法读取文件 {file}：{}", reason.zh),
                    format!("cannot read file {file}: {}", reason.en),
                ),
                detail.clone(),
            ),
            ImportError::TooLarge { file, reason } => (
                Msg::new(
                    format!("文件 {file} 超出限制：{}", reason.zh),
                    format!("file {file} exceeds a limit: {}", reason.en),
                ),
                None,
            ),
            ImportError::Rows(rows) => {
                let n = rows.len();
                let text = Msg::new(
                    format!("{n} 处错误，未导入任何数据：\n{}", shown(rows, Lang::Zh)),
                    format!("{n} error(s), nothing imported:\n{}", shown(rows, Lang::En)),
                );
                (text, None)
            }
        }
    }

    fn bilingual(&self) -> String {
        match self {
            ImportError::Rows(_) => {
                let (text, _) = self.words();
                format!("{}\n{}", text.zh, text.en)
            }
            _ => {
                let (text, detail) = self.words();
                text.bilingual(detail.as_deref())
            }
        }
    }
}

/// How many rows of one kind of problem (same sheet, column and reason) an [`ImportError::Rows`]
/// message lists before it only counts the rest: a file with a million bad rows is a few dozen
/// lines, not a million. [`all_errors`] gives the full list.
pub const ROWS_SHOWN_PER_PROBLEM: usize = 5;

/// The errors as the message shows them: per kind of problem, in order of first appearance, the
/// first [`ROWS_SHOWN_PER_PROBLEM`] rows and then how many more.
fn shown(rows: &[RowError], lang: Lang) -> String {
    let mut kinds: Vec<(String, Vec<&RowError>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in rows {
        let kind = problem_kind(r);
        let i = *index.entry(kind.clone()).or_insert_with(|| {
            kinds.push((kind, Vec::new()));
            kinds.len() - 1
        });
        kinds[i].1.push(r);
    }
    let mut lines = Vec::new();
    for (_, group) in &kinds {
        lines.extend(group.iter().take(ROWS_SHOWN_PER_PROBLEM).map(|r| r.message(lang)));
        if let (Some(first), Some(last)) = (group.get(ROWS_SHOWN_PER_PROBLEM), group.last()) {
            let more = group.len() - ROWS_SHOWN_PER_PROBLEM;
            let (sheet, column) = (&first.sheet, &first.column);
            let (a, b) = (first.row, last.row);
            lines.push(match lang {
                Lang::Zh if column.is_empty() => {
                    format!("……「{sheet}」同类错误另有 {more} 处（第{a}–{b}行）")
                }
                Lang::Zh => {
                    format!("……「{sheet}」「{column}」同类错误另有 {more} 处（第{a}–{b}行）")
                }
                Lang::En if column.is_empty() => {
                    format!("… {more} more of the same in `{sheet}` (rows {a}–{b})")
                }
                Lang::En => {
                    format!(
                        "… {more} more of the same in `{sheet}`, column `{column}` (rows {a}–{b})"
                    )
                }
            });
        }
    }
    lines.join("\n")
}

/// The kind of a row's problem: its sheet, column and reason with the quoted values and numbers
/// left out (`「未知」不是日期` and `「明天」不是日期` are one kind).
fn problem_kind(r: &RowError) -> String {
    let mut kind = format!("{}\u{1f}{}\u{1f}", r.sheet, r.column);
    let mut quoted = 0usize;
    for c in r.reason.zh.chars() {
        match c {
            '「' => quoted += 1,
            '」' => quoted = quoted.saturating_sub(1),
            _ if quoted > 0 || c.is_ascii_digit() => {}
            _ => kind.push(c),
        }
    }
    kind
}

/// Every error of an [`ImportError::Rows`], one line each in `lang` (for the file
/// `gongkai register import --errors FILE` writes); empty for the other errors.
pub fn all_errors(e: &ImportError, lang: Lang) -> String {
    match e {
        ImportError::Rows(rows) => {
            let mut s = rows.iter().map(|r| r.message(lang)).collect::<Vec<_>>().join("\n");
            s.push('\n');
            s
        }
        _ => String::new(),
    }
}

/// The result of reading a file: the records and which sheets they replace.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The records read.
    pub parsed: Parsed,
}

/// What an import did to one sheet's records in the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SheetChange {
    /// The sheet.
    pub sheet: Sheet,
    /// Records of this kind in the register before the import.
    pub before: usize,
    /// Records read from the file.
    pub read: usize,
    /// Records after the import.
    pub after: usize,
}

impl SheetChange {
    /// Records that were in the register and are no longer (replaced by the file's).
    pub fn replaced(&self) -> usize {
        self.before.saturating_sub(self.after.saturating_sub(self.read))
    }
}

impl Imported {
    /// Merges into `register`: every sheet the file contained replaces the same kind of records.
    /// Returns, per sheet, how many records were there before and are there now.
    pub fn merge_into(self, register: &mut Register) -> Vec<SheetChange> {
        self.apply(register, false)
    }

    /// Adds the file's records to those already in `register` (nothing is replaced).
    pub fn append_to(self, register: &mut Register) -> Vec<SheetChange> {
        self.apply(register, true)
    }

    fn apply(self, register: &mut Register, append: bool) -> Vec<SheetChange> {
        fn put<T: Clone>(to: &mut Vec<T>, from: &[T], append: bool) -> (usize, usize) {
            let before = to.len();
            if !append {
                to.clear();
            }
            to.extend_from_slice(from);
            (before, to.len())
        }
        let p = self.parsed;
        let mut changes = Vec::new();
        for &sheet in &p.sheets {
            let ((before, after), read) = match sheet {
                Sheet::Applications => {
                    put(&mut register.personal, &p.personal, append);
                    (put(&mut register.cases, &p.cases, append), p.cases.len())
                }
                Sheet::Proactive => {
                    (put(&mut register.proactive, &p.proactive, append), p.proactive.len())
                }
                Sheet::Documents => {
                    (put(&mut register.documents, &p.documents, append), p.documents.len())
                }
                Sheet::Decisions => {
                    (put(&mut register.decisions, &p.decisions, append), p.decisions.len())
                }
                Sheet::Fees => (
                    put(&mut register.fees_collected, &p.fees_collected, append),
                    p.fees_collected.len(),
                ),
                Sheet::Disputes => {
                    (put(&mut register.disputes, &p.disputes, append), p.disputes.len())
                }
            };
            changes.push(SheetChange { sheet, before, read, after });
        }
        changes
    }
}

/// Reads `bytes` (named `file`; `.xlsx` or `.csv`), checks every row and replays every application
/// through the state machine, as of `today`.
///
/// # Errors
/// [`ImportError::Rows`] with every problem found, or an unreadable / oversized file.
pub fn import(
    file: &str,
    bytes: &[u8],
    today: Date,
    env: Env<'_>,
    limits: &gongkai_doc::Limits,
) -> Result<Imported, ImportError> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ImportError::TooLarge {
            file: file.to_owned(),
            reason: Msg::new(
                format!("{} 字节，上限 {}", bytes.len(), limits.max_input_bytes),
                format!("{} bytes (limit {})", bytes.len(), limits.max_input_bytes),
            ),
        });
    }
    let lower = file.to_lowercase();
    let grids = if lower.ends_with(".csv") {
        vec![csv_io::read(file, bytes)?]
    } else {
        xlsx::read(file, bytes, limits)?
    };
    let (parsed, mut errors) = validate::read(&grids);
    if grids.is_empty() {
        errors.push(RowError {
            sheet: file.to_owned(),
            row: 1,
            column: String::new(),
            reason: Msg::new(
                "没有找到模板中的任何工作表（表头不符）",
                "no sheet of the template found (the headers do not match)",
            ),
        });
    }
    validate::cases(&parsed.cases, &parsed.case_rows, today, env, &mut errors);
    if errors.is_empty() {
        Ok(Imported { parsed })
    } else {
        validate::sort(&mut errors);
        Err(ImportError::Rows(errors))
    }
}

#[cfg(test)]
mod error_tests {
    use super::*;
    use crate::parse::Cell;

    #[test]
    fn errors_are_said_in_one_language() {
        let row = |column: &str, reason: Msg| RowError {
            sheet: "Sheet1".into(),
            row: 3,
            column: column.into(),
            reason,
        };
        let bad_date = parse::date(&Cell::Text("x".into())).unwrap_err();
        let all = [
            ImportError::Unreadable {
                file: "a.xlsx".into(),
                reason: Msg::new("不是有效的 xlsx 文件", "not a valid xlsx file"),
                detail: Some("EOF".into()),
            },
            ImportError::TooLarge {
                file: "a.xlsx".into(), reason: Msg::new("过大", "too large")
            },
            ImportError::Rows(vec![
                row("", Msg::new("必填项为空", "required but empty")),
                row("D", bad_date),
            ]),
        ];
        for e in &all {
            let zh = e.message(Lang::Zh);
            gongkai_testkit::lang::assert_chinese(zh.trim_end_matches("：EOF"));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
        assert_eq!(all[2].message(Lang::En).lines().count(), 3);
        assert_eq!(all_errors(&all[2], Lang::En).lines().count(), 2);
        assert_eq!(
            all[2].message(Lang::En).lines().nth(1),
            Some("`Sheet1` row 3: required but empty")
        );
    }
}

#[cfg(test)]
mod cap_tests {
    use super::*;

    fn bad_date(row: usize) -> RowError {
        RowError {
            sheet: "依申请公开".into(),
            row,
            column: "收到日期".into(),
            reason: Msg::new(
                format!("「未知{row}」不是日期"),
                format!("`unknown{row}` is not a date"),
            ),
        }
    }

    #[test]
    fn a_million_bad_rows_are_a_few_lines() {
        let mut rows: Vec<RowError> = (2..1_000_002).map(bad_date).collect();
        rows.push(RowError {
            sheet: "依申请公开".into(),
            row: 7,
            column: String::new(),
            reason: Msg::new("必填项为空", "required but empty"),
        });
        let e = ImportError::Rows(rows);
        let zh = e.message(Lang::Zh);
        assert_eq!(zh.lines().count(), 1 + ROWS_SHOWN_PER_PROBLEM + 1 + 1, "{zh}");
        assert!(zh.starts_with("1000001 处错误"), "{zh}");
        assert!(
            zh.contains("……「依申请公开」「收到日期」同类错误另有 999995 处（第7–1000001行）"),
            "{zh}"
        );
        let en = e.message(Lang::En);
        assert!(
            en.contains("… 999995 more of the same in `依申请公开`, column `收到日期`"),
            "{en}"
        );
        assert_eq!(all_errors(&e, Lang::En).lines().count(), 1_000_001);
    }
}
