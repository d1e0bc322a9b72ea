//! XLSX registers: read with calamine (after checking the zip container against the limits),
//! written with rust_xlsxwriter (template and filled-in registers).

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use gongkai_cases::Register;
use gongkai_model::{Localized as _, Msg};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::parse::Cell;
use crate::rows::{Grid, GridRow, detect};
use crate::template::{INSTRUCTIONS, Sheet};
use crate::{ImportError, export};

/// Reads every sheet of the workbook that matches a template sheet (by name, else by header).
///
/// # Errors
/// [`ImportError::Unreadable`] for a corrupt or encrypted file, [`ImportError::TooLarge`] for a
/// zip container beyond the limits.
pub fn read(
    file: &str,
    bytes: &[u8],
    limits: &gongkai_doc::Limits,
) -> Result<Vec<(Sheet, Grid)>, ImportError> {
    let unreadable = |reason: Msg, detail: String| ImportError::Unreadable {
        file: file.to_owned(),
        reason,
        detail: Some(detail),
    };
    check_zip(file, bytes, limits)?;
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(not_xlsx(), e.to_string()))?;
    let mut out = Vec::new();
    let mut budget = limits.max_text_bytes;
    for name in wb.sheet_names() {
        let grid = sheet_cells(&mut wb, &name, &mut budget).map_err(|e| match e {
            CellsError::Calamine(e) => unreadable(
                Msg::new(format!("工作表「{name}」无法读取"), format!("sheet `{name}` unreadable")),
                e.to_string(),
            ),
            CellsError::TooLarge => ImportError::TooLarge {
                file: file.to_owned(),
                reason: Msg::new(
                    format!("工作表「{name}」的内容超过 {} 字节", limits.max_text_bytes),
                    format!("sheet `{name}` holds more than {} bytes", limits.max_text_bytes),
                ),
            },
        })?;
        let by_name = Sheet::ALL.into_iter().find(|s| s.name() == name.trim());
        let sheet = by_name.or_else(|| grid.rows.first().and_then(|h| detect(&h.values())));
        if let Some(sheet) = sheet {
            out.push((sheet, grid));
        }
    }
    Ok(out)
}

enum CellsError {
    Calamine(calamine::XlsxError),
    TooLarge,
}

/// The non-empty cells of a sheet, streamed (never calamine's dense range, which allocates every
/// position up to the farthest cell: one stray cell at `XFD1048576` would ask for hundreds of
/// GB). Each cell costs its text plus 16 bytes of the shared `budget`
/// ([`gongkai_doc::Limits::max_text_bytes`]), as in `gongkai-read-xlsx`.
fn sheet_cells<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    sheet: &str,
    budget: &mut usize,
) -> Result<Grid, CellsError> {
    let mut cells: std::collections::BTreeMap<(u32, u32), Cell> = std::collections::BTreeMap::new();
    let mut reader = wb.worksheet_cells_reader(sheet).map_err(CellsError::Calamine)?;
    while let Some(cell) = reader.next_cell().map_err(CellsError::Calamine)? {
        let value = match cell.get_value() {
            DataRef::Empty | DataRef::Error(_) => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                Cell::Text(s.clone())
            }
            DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
            DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        };
        if value.is_empty() {
            continue;
        }
        let cost = 16 + if let Cell::Text(t) = &value { t.len() } else { 8 };
        *budget = budget.checked_sub(cost).ok_or(CellsError::TooLarge)?;
        cells.insert(cell.get_position(), value);
    }
    let mut grid = Grid::default();
    for ((r, c), value) in cells {
        let number = r as usize + 1;
        if grid.rows.last().is_none_or(|row| row.number != number) {
            grid.rows.push(GridRow { number, cells: Vec::new() });
        }
        if let Some(row) = grid.rows.last_mut() {
            row.cells.push((c as usize, value));
        }
    }
    Ok(grid)
}

/// Checks the zip container under the shared guard ([`gongkai_zip`]) before calamine reads it:
/// every part is inflated (into nothing) under the entry-count, ratio and total bounds.
fn check_zip(file: &str, bytes: &[u8], limits: &gongkai_doc::Limits) -> Result<(), ImportError> {
    let refused = |e: gongkai_zip::ZipError| {
        let (reason, detail) = e.words();
        if e.is_limit() {
            ImportError::TooLarge { file: file.to_owned(), reason }
        } else if matches!(e, gongkai_zip::ZipError::Open(_)) {
            ImportError::Unreadable { file: file.to_owned(), reason: not_xlsx(), detail }
        } else {
            ImportError::Unreadable { file: file.to_owned(), reason, detail }
        }
    };
    gongkai_zip::Archive::open(bytes, limits).and_then(|mut z| z.check_all()).map_err(refused)
}

/// The template workbook: an instructions sheet and one empty sheet per register.
///
/// # Errors
/// Only if rust_xlsxwriter fails on in-memory output.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    workbook(None)
}

/// A filled-in register workbook (personal data included: it is the agency's own register).
///
/// # Errors
/// Only if rust_xlsxwriter fails on in-memory output.
pub fn register(register: &Register) -> Result<Vec<u8>, XlsxError> {
    workbook(Some(register))
}

fn workbook(register: Option<&Register>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation time keeps the output byte-for-byte reproducible.
    let props = DocProperties::new()
        .set_title("政府信息公开工作登记台账")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_background_color("#DDEBF7").set_text_wrap();
    let text = Format::new().set_num_format("@");
    let info = wb.add_worksheet();
    info.set_name("说明")?;
    info.set_column_width(0, 110)?;
    for (i, line) in INSTRUCTIONS.iter().enumerate() {
        info.write_string_with_format(i as u32, 0, *line, if i == 0 { &bold } else { &text })?;
    }
    let mut r = INSTRUCTIONS.len() as u32 + 1;
    for sheet in Sheet::ALL {
        info.write_string_with_format(r, 0, format!("【{}】", sheet.name()), &bold)?;
        r += 1;
        for col in sheet.columns() {
            let star = if col.required { "*" } else { "" };
            info.write_string(r, 0, format!("{}{star}：{}", col.name, col.instructions()))?;
            r += 1;
        }
        r += 1;
    }
    for sheet in Sheet::ALL {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name())?;
        let rows = match register {
            Some(reg) => export::rows(reg, sheet),
            None => vec![export::header(sheet)],
        };
        for (i, row) in rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                let (ri, cj) = (i as u32, j as u16);
                if i == 0 {
                    ws.write_string_with_format(ri, cj, v, &head)?;
                } else if !v.is_empty() {
                    ws.write_string_with_format(ri, cj, v, &text)?;
                }
            }
        }
        for j in 0..sheet.columns().len() {
            ws.set_column_width(j as u16, 14)?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}

/// "not a valid xlsx file", in both languages.
fn not_xlsx() -> Msg {
    Msg::new("不是有效的 xlsx 文件", "not a valid xlsx file")
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use gongkai_cases::registers::{Category, ProactiveItem};
    use jiff::civil::date;

    use super::*;

    /// Every value is a string cell, never a formula: a title like `=HYPERLINK(…)` stays text
    /// in the clerk's spreadsheet program, and imports back as written.
    #[test]
    fn values_that_look_like_formulas_are_written_as_text() {
        let mut reg = Register::new("某局");
        let title = "=HYPERLINK(\"http://evil.invalid\",\"x\")";
        let item = ProactiveItem::new("-1", title, Category::Art21, date(2024, 1, 2));
        reg.proactive.push(item);
        let bytes = register(&reg).unwrap_or_default();
        let mut zip =
            zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap_or_else(|e| panic!("{e}"));
        let mut formulas = 0;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap_or_else(|e| panic!("{e}"));
            let mut xml = String::new();
            if entry.name().is_ok_and(|n| n.starts_with("xl/worksheets/")) {
                entry.read_to_string(&mut xml).unwrap_or_default();
                formulas += xml.matches("<f>").count() + xml.matches("<f ").count();
            }
        }
        assert_eq!(formulas, 0);
        let limits = gongkai_doc::Limits::default();
        let grids = read("r.xlsx", &bytes, &limits).unwrap_or_else(|e| panic!("{e}"));
        let (_, grid) = grids.iter().find(|(s, _)| *s == Sheet::Proactive).expect("sheet");
        let cells = grid.rows[1].values();
        assert!(cells.contains(&Cell::Text(title.into())), "{cells:?}");
        assert!(cells.contains(&Cell::Text("-1".into())), "{cells:?}");
    }
}
