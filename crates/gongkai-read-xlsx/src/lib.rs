//! Reads an XLSX workbook into gongkai's intermediate [`Document`], so that workbooks (gongkai's
//! own XLSX output included) go through the same table recognizer as every other format.
//!
//! Each visible worksheet's cells are read as a stream (calamine's cell reader, never the dense range, so
//! a sheet claiming a million rows cannot exhaust memory). The cells are split into blocks at empty
//! rows: a block whose rows each hold a single cell (a title line, a note) becomes paragraphs; any
//! other block becomes a [`Grid`] with its merged cells. Every piece of text records its
//! [`Origin::Xlsx`] (sheet, row, column). Numbers are written as the shortest decimal that reads
//! back as the stored value (`12846`, `1532.46`).
//!
//! Hostile input is bounded by [`Limits`]: input size, zip entries, uncompressed size and ratio
//! (the shared zip guard, [`gongkai_zip`], inflates every part under those bounds before calamine
//! reads the workbook), text size, and the area of a block.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Seek};

use calamine::{DataRef, Reader, Xlsx};
use gongkai_doc::{Document, DocumentBuilder, Format, Limits, Origin};
use gongkai_model::{Localized, Msg};

/// Why a workbook could not be read. [`XlsxReadError::message`] says it in one language; the
/// `Display` form gives Chinese and English (`中文 / English`).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum XlsxReadError {
    /// Not a zip container, or not a workbook calamine understands (encrypted workbooks are OLE
    /// files, not zips, and land here): the zip or calamine's own words (English).
    NotXlsx(String),
    /// A bound of [`Limits`] was exceeded.
    Limit(LimitExceeded),
}

/// Which bound of [`Limits`] a workbook exceeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitExceeded {
    /// The input is larger than [`Limits::max_input_bytes`].
    InputTooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The zip container exceeds a bound of the shared zip guard ([`gongkai_zip`]): entry count,
    /// compression ratio of a part (a zip bomb), or total inflated size.
    Zip(gongkai_zip::ZipError),
    /// The text read exceeds [`Limits::max_text_bytes`].
    TextTooLarge {
        /// The sheet being read when the limit was reached, if known.
        sheet: Option<String>,
        /// The limit.
        limit: usize,
    },
    /// A merged region spans more than 65 536 rows.
    MergeTooTall {
        /// The sheet.
        sheet: String,
    },
    /// A table would expand to more grid positions than a block may hold.
    TableTooLarge {
        /// The sheet.
        sheet: String,
        /// Grid positions (rows × columns).
        area: u64,
    },
}

impl LimitExceeded {
    /// The message in both languages.
    fn text(&self) -> Msg {
        match self {
            LimitExceeded::InputTooLarge { size, limit } => Msg::new(
                format!("文件 {size} 字节，超过上限 {limit} 字节"),
                format!("{size} bytes > {limit}"),
            ),
            LimitExceeded::Zip(z) => z.words().0,
            LimitExceeded::TextTooLarge { sheet: Some(sheet), limit } => Msg::new(
                format!("工作表 {sheet}：文字超过 {limit} 字节"),
                format!("sheet {sheet}: text > {limit} bytes"),
            ),
            LimitExceeded::TextTooLarge { sheet: None, limit } => {
                Msg::new(format!("文字超过 {limit} 字节"), format!("text > {limit} bytes"))
            }
            LimitExceeded::MergeTooTall { sheet } => Msg::new(
                format!("工作表 {sheet}：合并区域过高"),
                format!("sheet {sheet}: merged region too tall"),
            ),
            LimitExceeded::TableTooLarge { sheet, area } => Msg::new(
                format!("工作表 {sheet}：表格达 {area} 个单元格"),
                format!("sheet {sheet}: a table of {area} cells"),
            ),
        }
    }
}

impl Localized for LimitExceeded {
    fn words(&self) -> (Msg, Option<String>) {
        (self.text(), None)
    }
}

impl std::fmt::Display for LimitExceeded {
    /// `中文 / English`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.bilingual())
    }
}

impl Localized for XlsxReadError {
    /// The zip or calamine's own words follow ours as they are.
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            XlsxReadError::NotXlsx(d) => (Msg::new(NOT_XLSX_ZH, NOT_XLSX_EN), Some(d.to_string())),
            XlsxReadError::Limit(l) => {
                let Msg { zh, en } = l.text();
                (Msg::new(format!("{LIMIT_ZH}：{zh}"), format!("{LIMIT_EN}: {en}")), None)
            }
        }
    }
}

// The heads of the messages, in Chinese and English.
const NOT_XLSX_ZH: &str = "不是可读取的 XLSX 工作簿（可能已加密或损坏）";
const NOT_XLSX_EN: &str = "not a readable XLSX workbook (encrypted or corrupt?)";
const LIMIT_ZH: &str = "XLSX 超出读取限制";
const LIMIT_EN: &str = "XLSX exceeds a reading limit";

/// Largest number of grid positions (rows × columns) one block may expand to.
const MAX_BLOCK_AREA: u64 = 2_000_000;

/// Reads `bytes` (an XLSX file named `name`) into a document.
///
/// # Errors
/// [`XlsxReadError::NotXlsx`] for input that is not a readable workbook,
/// [`XlsxReadError::Limit`] when it exceeds `limits`.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, XlsxReadError> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(XlsxReadError::Limit(LimitExceeded::InputTooLarge {
            size: bytes.len() as u64,
            limit: limits.max_input_bytes,
        }));
    }
    check_zip(bytes, limits)?;
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| XlsxReadError::NotXlsx(e.to_string()))?;
    let mut b = DocumentBuilder::new(name, Format::Xlsx);
    // Hidden sheets are not what a person sees (workbooks keep chart data and lookups there):
    // they are not read, and their names are recorded as a property.
    let (visible, hidden): (Vec<&calamine::Sheet>, Vec<&calamine::Sheet>) =
        wb.sheets_metadata().iter().partition(|s| s.visible == calamine::SheetVisible::Visible);
    let sheets: Vec<String> = visible.iter().map(|s| s.name.clone()).collect();
    let hidden: Vec<String> = hidden.iter().map(|s| s.name.clone()).collect();
    b.property("sheets", sheets.join("\u{1f}"));
    if !hidden.is_empty() {
        b.property("hidden_sheets", hidden.join("\u{1f}"));
    }
    // The workbook's title (docProps/core.xml): gongkai's own XLSX output carries the report's
    // title (agency and year) there and nowhere in the cells.
    if let Some(title) = core_title(bytes, limits) {
        b.property("title", title);
    }
    for sheet in sheets {
        let cells = read_cells(&mut wb, &sheet, limits)?;
        let merges = wb.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
        lay_out(&mut b, &sheet, &cells, &merges, limits)?;
        if b.text().len() > limits.max_text_bytes {
            return Err(XlsxReadError::Limit(LimitExceeded::TextTooLarge {
                sheet: None,
                limit: limits.max_text_bytes,
            }));
        }
    }
    Ok(b.finish())
}

/// Largest `docProps/core.xml` read for the title.
const MAX_CORE_BYTES: u64 = 1024 * 1024;

/// The `dc:title` of the workbook's core properties, when there is a non-empty one. Read only
/// after [`check_zip`] and bounded by [`MAX_CORE_BYTES`]; a missing or broken part is no title.
fn core_title(bytes: &[u8], limits: &Limits) -> Option<String> {
    let mut z = gongkai_zip::Archive::open(bytes, limits).ok()?.with_max_entry(MAX_CORE_BYTES);
    let xml = String::from_utf8(z.read("docProps/core.xml").ok()??).ok()?;
    let (_, rest) = xml.split_once("<dc:title>")?;
    let (raw, _) = rest.split_once("</dc:title>")?;
    let title = raw
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

/// Checks the zip container under the shared guard before calamine reads it: every part is
/// inflated (into nothing) under the entry-count, ratio and total bounds, so that calamine, which
/// inflates on its own, cannot be made to inflate more.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), XlsxReadError> {
    let refused = |e: gongkai_zip::ZipError| {
        if e.is_limit() {
            XlsxReadError::Limit(LimitExceeded::Zip(e))
        } else {
            XlsxReadError::NotXlsx(e.message(gongkai_model::Lang::En))
        }
    };
    gongkai_zip::Archive::open(bytes, limits).and_then(|mut z| z.check_all()).map_err(refused)
}

/// The non-empty cells of a sheet as text, by (row, col).
fn read_cells<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    sheet: &str,
    limits: &Limits,
) -> Result<BTreeMap<(u32, u32), String>, XlsxReadError> {
    let mut out = BTreeMap::new();
    let mut bytes = 0usize;
    let mut reader =
        wb.worksheet_cells_reader(sheet).map_err(|e| XlsxReadError::NotXlsx(e.to_string()))?;
    while let Some(cell) = reader.next_cell().map_err(|e| XlsxReadError::NotXlsx(e.to_string()))? {
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) => float_text(*f),
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => (*s).to_owned(),
            DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            DataRef::DateTime(d) => d.as_f64().to_string(),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(e) => format!("#{e:?}"),
        };
        bytes += text.len();
        if bytes > limits.max_text_bytes {
            return Err(XlsxReadError::Limit(LimitExceeded::TextTooLarge {
                sheet: Some(sheet.to_owned()),
                limit: limits.max_text_bytes,
            }));
        }
        out.insert(cell.get_position(), text);
    }
    Ok(out)
}

/// The shortest decimal text of `f` (integers without a fraction).
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{f:.0}") } else { f.to_string() }
}

/// A merged region, inclusive bounds.
#[derive(Clone, Copy, Debug)]
struct Merge {
    r0: u32,
    c0: u32,
    r1: u32,
    c1: u32,
}

fn lay_out(
    b: &mut DocumentBuilder,
    sheet: &str,
    cells: &BTreeMap<(u32, u32), String>,
    merges: &[calamine::Dimensions],
    limits: &Limits,
) -> Result<(), XlsxReadError> {
    let merges: Vec<Merge> = merges
        .iter()
        .map(|d| Merge { r0: d.start.0, c0: d.start.1, r1: d.end.0, c1: d.end.1 })
        .filter(|m| m.r1 >= m.r0 && m.c1 >= m.c0)
        .collect();
    // Rows that hold something: a non-empty cell or part of a merged region.
    let mut occupied: BTreeMap<u32, ()> = BTreeMap::new();
    for &(r, _) in cells.keys() {
        occupied.insert(r, ());
    }
    for m in &merges {
        if u64::from(m.r1 - m.r0) > u64::from(u16::MAX) {
            return Err(XlsxReadError::Limit(LimitExceeded::MergeTooTall {
                sheet: sheet.to_owned(),
            }));
        }
        for r in m.r0..=m.r1 {
            occupied.insert(r, ());
        }
    }
    // Split into blocks of consecutive occupied rows.
    let rows: Vec<u32> = occupied.keys().copied().collect();
    let mut blocks: Vec<(u32, u32)> = Vec::new();
    for r in rows {
        match blocks.last_mut() {
            Some((_, end)) if *end + 1 == r => *end = r,
            _ => blocks.push((r, r)),
        }
    }
    for (top, bottom) in blocks {
        let in_block = |r: u32| (top..=bottom).contains(&r);
        let block_merges: Vec<Merge> = merges.iter().copied().filter(|m| in_block(m.r0)).collect();
        let block_cells: Vec<(&(u32, u32), &String)> =
            cells.range((top, 0)..=(bottom, u32::MAX)).collect();
        let left = block_cells
            .iter()
            .map(|((_, c), _)| *c)
            .chain(block_merges.iter().map(|m| m.c0))
            .min()
            .unwrap_or(0);
        let right = block_cells
            .iter()
            .map(|((_, c), _)| *c)
            .chain(block_merges.iter().map(|m| m.c1))
            .max()
            .unwrap_or(0);
        let text_block = block_merges.iter().all(|m| m.r0 == m.r1)
            && (top..=bottom).all(|r| cells.range((r, 0)..=(r, u32::MAX)).count() <= 1);
        if text_block {
            for ((r, c), text) in block_cells {
                b.origin(Origin::Xlsx { sheet: sheet.to_owned(), row: *r, col: *c });
                b.para(text);
            }
            continue;
        }
        let area = u64::from(bottom - top + 1) * u64::from(right - left + 1);
        if area > MAX_BLOCK_AREA || area as usize > limits.max_text_bytes {
            return Err(XlsxReadError::Limit(LimitExceeded::TableTooLarge {
                sheet: sheet.to_owned(),
                area,
            }));
        }
        for r in top..=bottom {
            b.row();
            let mut c = left;
            while c <= right {
                if let Some(m) =
                    block_merges.iter().find(|m| m.r0 <= r && r <= m.r1 && m.c0 <= c && c <= m.c1)
                {
                    if m.r0 == r && m.c0 == c {
                        b.origin(Origin::Xlsx { sheet: sheet.to_owned(), row: r, col: c });
                        let text = cells.get(&(r, c)).map_or("", String::as_str);
                        b.cell(text, m.r1 - m.r0 + 1, m.c1 - m.c0 + 1, c - left);
                    }
                    c = m.c1 + 1;
                    continue;
                }
                b.origin(Origin::Xlsx { sheet: sheet.to_owned(), row: r, col: c });
                b.cell(cells.get(&(r, c)).map_or("", String::as_str), 1, 1, c - left);
                c += 1;
            }
        }
        b.end_table();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use gongkai_doc::{Block, dump};
    use gongkai_model::Lang;
    use rust_xlsxwriter::{Format as XFormat, Workbook};

    use super::*;

    fn workbook() -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let _ = ws.set_name("表4");
        let f = XFormat::new();
        let _ = ws.merge_range(0, 0, 0, 3, "标题", &f);
        let _ = ws.merge_range(2, 0, 3, 0, "行政复议", &f);
        let _ = ws.merge_range(2, 1, 2, 3, "行政诉讼", &f);
        for (i, s) in ["结果维持", "结果纠正", "总计"].iter().enumerate() {
            let _ = ws.write_string(3, 1 + i as u16, *s);
        }
        let _ = ws.write_number(4, 0, 3.0);
        let _ = ws.write_number(4, 1, 1532.46);
        let _ = ws.write_string(4, 3, "/");
        wb.save_to_buffer().unwrap_or_default()
    }

    #[test]
    fn reads_grids_paragraphs_merges_and_origins() {
        let doc = read("t.xlsx", &workbook(), &Limits::default()).expect("readable");
        insta::assert_snapshot!(dump(&doc), @r"
        P 标题
        T 3 rows × 4 cols
          | @0[2x1] 行政复议 | @1[1x3] 行政诉讼
          | @1 结果维持 | @2 结果纠正 | @3 总计
          | @0 3 | @1 1532.46 | @2  | @3 /
        ");
        let Some(Block::Grid(g)) = doc.blocks.get(1) else { panic!("grid expected") };
        let at = doc.origin_at(g.rows[2][1].span.start).map(|o| o.describe_zh());
        assert_eq!(at.as_deref(), Some("工作表“表4”B5单元格"));
    }

    #[test]
    fn hidden_sheets_are_not_read() {
        let mut wb = Workbook::new();
        let _ = wb.add_worksheet().set_name("表").map(|ws| ws.write_string(0, 0, "看得见"));
        let _ = wb.add_worksheet().set_name("数据").map(|ws| {
            let _ = ws.write_string(0, 0, "看不见");
            ws.set_hidden(true);
        });
        let doc = read("t.xlsx", &wb.save_to_buffer().unwrap_or_default(), &Limits::default())
            .expect("readable");
        assert_eq!(doc.text, "看得见\n");
        assert!(doc.properties.contains(&("hidden_sheets".to_owned(), "数据".to_owned())));
    }

    #[test]
    fn the_workbook_title_is_a_property() {
        let mut wb = Workbook::new();
        wb.set_properties(
            &rust_xlsxwriter::DocProperties::new()
                .set_title("某县某局2024年政府信息公开工作年度报告 & <附表>"),
        );
        let _ = wb.add_worksheet().write_string(0, 0, "表三");
        let doc = read("t.xlsx", &wb.save_to_buffer().unwrap_or_default(), &Limits::default())
            .expect("readable");
        let title =
            ("title".to_owned(), "某县某局2024年政府信息公开工作年度报告 & <附表>".to_owned());
        assert!(doc.properties.contains(&title), "{:?}", doc.properties);
        // No title, no property.
        let doc = read("t.xlsx", &workbook(), &Limits::default()).expect("readable");
        assert!(doc.properties.iter().all(|(k, _)| k != "title"));
    }

    #[test]
    fn rejects_non_workbooks_and_oversized_input() {
        assert!(matches!(
            read("x.xlsx", b"not a zip", &Limits::default()),
            Err(XlsxReadError::NotXlsx(_))
        ));
        let tiny = Limits { max_input_bytes: 10, ..Limits::default() };
        assert!(matches!(read("x.xlsx", &workbook(), &tiny), Err(XlsxReadError::Limit(_))));
        let few = Limits { max_zip_entries: 2, ..Limits::default() };
        assert!(matches!(
            read("x.xlsx", &workbook(), &few),
            Err(XlsxReadError::Limit(LimitExceeded::Zip(gongkai_zip::ZipError::TooManyEntries {
                limit: 2,
                ..
            })))
        ));
    }

    #[test]
    fn messages_are_in_one_language() {
        let limits = [
            LimitExceeded::InputTooLarge { size: 20, limit: 10 },
            LimitExceeded::Zip(gongkai_zip::ZipError::TooManyEntries { count: 20, limit: 10 }),
            LimitExceeded::Zip(gongkai_zip::ZipError::Ratio {
                entry: "xl/sharedStrings.xml".to_owned(),
                limit: 100,
            }),
            LimitExceeded::Zip(gongkai_zip::ZipError::Total {
                entry: "xl/sharedStrings.xml".to_owned(),
                limit: 10,
            }),
            LimitExceeded::TextTooLarge { sheet: Some("Sheet1".to_owned()), limit: 10 },
            LimitExceeded::TextTooLarge { sheet: None, limit: 10 },
            LimitExceeded::MergeTooTall { sheet: "Sheet1".to_owned() },
            LimitExceeded::TableTooLarge { sheet: "Sheet1".to_owned(), area: 3_000_000 },
        ];
        let all = std::iter::once(XlsxReadError::NotXlsx("EOF".to_owned()))
            .chain(limits.into_iter().map(XlsxReadError::Limit));
        for e in all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
        let e = XlsxReadError::Limit(LimitExceeded::MergeTooTall { sheet: "Sheet1".to_owned() });
        assert_eq!(e.message(Lang::Zh), "XLSX 超出读取限制：工作表 Sheet1：合并区域过高");
        assert_eq!(
            e.message(Lang::En),
            "XLSX exceeds a reading limit: sheet Sheet1: merged region too tall"
        );
        // calamine's words follow once, in both languages.
        let e = XlsxReadError::NotXlsx("EOF".to_owned());
        assert_eq!(e.message(Lang::Zh), "不是可读取的 XLSX 工作簿（可能已加密或损坏）：EOF");
        assert_eq!(
            e.to_string(),
            "不是可读取的 XLSX 工作簿（可能已加密或损坏） / not a readable XLSX workbook (encrypted or corrupt?): EOF"
        );
    }
}
