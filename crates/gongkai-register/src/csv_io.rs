//! CSV registers: one sheet per file, recognised by its header row. UTF-8 (with or without BOM)
//! or GB18030 (what Excel on a Chinese system saves).
//!
//! **Formula injection.** A spreadsheet program opening a CSV file evaluates a cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK(…)` in a
//! request's text would run in the clerk's Excel). [`write`] prefixes such a cell with `'`, which
//! makes it text; [`read`] removes exactly that prefix again, so an exported register imports
//! back unchanged. XLSX needs none of this: [`crate::xlsx`] writes every value as a string cell,
//! never as a formula.

use gongkai_model::Msg;

use crate::ImportError;
use crate::parse::Cell;
use crate::rows::{Grid, GridRow, detect};
use crate::template::Sheet;

/// Reads one CSV file as the sheet its header names.
///
/// # Errors
/// [`ImportError::Unreadable`] when the text is not CSV or the header matches no sheet.
pub fn read(file: &str, bytes: &[u8]) -> Result<(Sheet, Grid), ImportError> {
    let unreadable = |reason: Msg, detail: Option<String>| ImportError::Unreadable {
        file: file.to_owned(),
        reason,
        detail,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(unreadable(
                    Msg::new(
                        "既不是 UTF-8 也不是 GB18030 编码的文本",
                        "text neither UTF-8 nor GB18030",
                    ),
                    None,
                ));
            }
            t.into_owned()
        }
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            unreadable(Msg::new("不是有效的 CSV", "not valid CSV"), Some(e.to_string()))
        })?;
        let number = rows.len() + 1;
        rows.push(GridRow::dense(
            number,
            rec.iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(unguarded(s).to_owned())
                    }
                })
                .collect(),
        ));
    }
    let sheet = rows.first().and_then(|h: &GridRow| detect(&h.values())).ok_or_else(|| {
        unreadable(
            Msg::new("表头与模板的任何工作表都不符", "the header matches no sheet of the template"),
            None,
        )
    })?;
    Ok((sheet, Grid { rows }))
}

/// Writes rows as CSV text (UTF-8 with BOM, so that Excel opens it correctly).
///
/// # Errors
/// Only if the CSV writer fails on in-memory output.
pub fn write(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    write_utf8(rows, true)
}

/// Writes rows as UTF-8 CSV text, with a BOM when `bom` (for Excel) or without (for other
/// programs); every value guarded against formula injection ([`guarded`]).
///
/// # Errors
/// Only if the CSV writer fails on in-memory output.
pub fn write_utf8(rows: &[Vec<String>], bom: bool) -> Result<Vec<u8>, csv::Error> {
    let start: &[u8] = if bom { b"\xEF\xBB\xBF" } else { b"" };
    let mut w = csv::Writer::from_writer(start.to_vec());
    for r in rows {
        w.write_record(r.iter().map(|v| guarded(v).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The first characters that make a spreadsheet program read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The prefix that makes a spreadsheet program read a cell as text.
const TEXT_PREFIX: char = '\'';

/// A value as written to CSV: prefixed with `'` when it would start a formula.
pub fn guarded(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_START) {
        std::borrow::Cow::Owned(format!("{TEXT_PREFIX}{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// A value as read from CSV: the `'` [`guarded`] added removed again.
pub fn unguarded(value: &str) -> &str {
    match value.strip_prefix(TEXT_PREFIX) {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export;

    #[test]
    fn cells_that_would_start_a_formula_are_written_as_text_and_read_back_unchanged() {
        for v in ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guarded(v), format!("'{v}"));
            assert_eq!(unguarded(&guarded(v)), v);
        }
        for v in ["2024-01-02", "'quoted", "a=b", "", "申请"] {
            assert_eq!(guarded(v), v);
            assert_eq!(unguarded(v), v);
        }
        let mut line = vec![String::new(); export::header(Sheet::Fees).len()];
        line[0] = "2024-01-02".into();
        line[1] = "=1+2".into();
        line[2] = "-5".into();
        let bytes = write(&[export::header(Sheet::Fees), line]).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("'=1+2") && text.contains("'-5"), "{text}");
        let (sheet, grid) = read("f.csv", &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sheet, Sheet::Fees);
        let values: Vec<String> = grid.rows[1].values().iter().map(|c| format!("{c:?}")).collect();
        assert!(values.iter().any(|v| v.contains("\"=1+2\"")), "{values:?}");
        assert!(values.iter().any(|v| v.contains("\"-5\"")), "{values:?}");
    }
}
