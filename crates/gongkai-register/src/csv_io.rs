//! CSV registers: one sheet per file, recognised by its header row. UTF-8 (with or without BOM)
//! or GB18030 (what Excel on a Chinese system saves).

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
                .map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_owned()) })
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
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        w.write_record(r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
