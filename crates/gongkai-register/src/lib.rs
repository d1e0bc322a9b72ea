//! Registers (登记台账) as spreadsheets: the template, import and export.
//!
//! - [`template`]: the sheets and Chinese column headers (the single source for reading and writing);
//! - [`parse`]: tolerant cell values (dates in every usual form and Excel serials, full-width digits);
//! - [`rows`]: rows → records, every problem collected with its row number;
//! - [`xlsx`] and [`csv_io`]: the two file formats;
//! - [`import`]: a whole file → a validated [`Register`] part, or every error (nothing half-way).
//!
//! Persistence between commands is decided at the CLI edge: `gongkai register import` validates a
//! spreadsheet and writes the normalized register file (`gongkai-register.json`, the
//! [`Register`] JSON); the other commands read that file.

pub mod csv_io;
pub mod export;
pub mod parse;
pub mod rows;
pub mod template;
pub mod xlsx;

use std::fmt;

use gongkai_cases::{Case, Env, Register};
use jiff::civil::Date;

use crate::rows::Parsed;
use crate::template::Sheet;

/// A problem in one cell or row of an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The sheet's name.
    pub sheet: String,
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column header (empty for a problem with the whole row).
    pub column: String,
    /// What is wrong, in Chinese.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "「{}」第{}行：{}", self.sheet, self.row, self.reason)
        } else {
            write!(f, "「{}」第{}行「{}」：{}", self.sheet, self.row, self.column, self.reason)
        }
    }
}

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read as a spreadsheet at all.
    #[error("无法读取文件 {file}：{reason}")]
    Unreadable {
        /// The file name.
        file: String,
        /// Why.
        reason: String,
    },
    /// The file exceeds a limit (size, zip entries, uncompressed size).
    #[error("文件 {file} 超出限制：{reason}")]
    TooLarge {
        /// The file name.
        file: String,
        /// Which limit.
        reason: String,
    },
    /// Rows have problems; nothing was imported.
    #[error("{} 处错误，未导入任何数据：\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<RowError>),
}

/// The result of reading a file: the records and which sheets they replace.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The records read.
    pub parsed: Parsed,
}

impl Imported {
    /// Merges into `register`: every sheet the file contained replaces the same kind of records.
    pub fn merge_into(self, register: &mut Register) {
        let p = self.parsed;
        for sheet in &p.sheets {
            match sheet {
                Sheet::Applications => {
                    register.cases.clone_from(&p.cases);
                    register.personal.clone_from(&p.personal);
                }
                Sheet::Proactive => register.proactive.clone_from(&p.proactive),
                Sheet::Documents => register.documents.clone_from(&p.documents),
                Sheet::Decisions => register.decisions.clone_from(&p.decisions),
                Sheet::Fees => register.fees_collected.clone_from(&p.fees_collected),
                Sheet::Disputes => register.disputes.clone_from(&p.disputes),
            }
        }
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
            reason: format!("{} 字节，上限 {}", bytes.len(), limits.max_input_bytes),
        });
    }
    let lower = file.to_lowercase();
    let grids = if lower.ends_with(".csv") {
        vec![csv_io::read(file, bytes)?]
    } else {
        xlsx::read(file, bytes, limits)?
    };
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    for (sheet, grid) in &grids {
        rows::read_sheet(*sheet, grid, &mut parsed, &mut errors);
    }
    if grids.is_empty() {
        errors.push(RowError {
            sheet: file.to_owned(),
            row: 1,
            column: String::new(),
            reason: "没有找到模板中的任何工作表（表头不符）".into(),
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for (c, &row) in parsed.cases.iter().zip(&parsed.case_rows) {
        let sheet = Sheet::Applications.name().to_owned();
        if !seen.insert(&c.intake.id) {
            let reason = format!("登记编号 {} 重复", c.intake.id);
            errors.push(RowError {
                sheet: sheet.clone(), row, column: "登记编号".into(), reason
            });
        }
        if let Err((_, e)) = Case::replay(c.clone(), today, env) {
            let reason = format!("办理经过不合法：{}", e.zh());
            errors.push(RowError { sheet, row, column: String::new(), reason });
        }
    }
    if errors.is_empty() {
        Ok(Imported { parsed })
    } else {
        errors.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        Err(ImportError::Rows(errors))
    }
}
