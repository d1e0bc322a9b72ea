//! The reader's notes: what it noticed about a file that is readable but odd. Each is a
//! [`Finding`] of kind [`gongkai_model::FindingKind::Extraction`] with a `READ-…` id and a message in Chinese and
//! English that names the page.
//!
//! Their ids, severities and documentation are declared in `gongkai_doc::findings` (`pdf.rs`).

use gongkai_doc::findings::{self, ReaderFinding};
use gongkai_model::{Finding, Msg};

use crate::interp::PageContent;

/// Share of a page an image must cover for a text-less page to count as scanned.
const SCAN_COVER: f32 = 0.3;

fn note(kind: &ReaderFinding, zh: String, en: String) -> Finding {
    kind.finding(Msg::new(zh, en))
}

/// Notes about one page's content.
pub(crate) fn page_notes(page: u32, c: &PageContent) -> Vec<Finding> {
    let mut out = Vec::new();
    let printed = c.glyphs.iter().filter(|g| !g.space).count();
    let area = (c.width * c.height).max(1.0);
    let covered =
        c.images.iter().map(|r| (r.width() * r.height()).abs().min(area)).fold(0.0f32, f32::max);
    if printed == 0 && covered >= SCAN_COVER * area {
        out.push(
            note(
                &findings::READ_SCANNED,
                format!("第{page}页是扫描图像，没有文字层，无法读取其中的文字和表格（需要 OCR）"),
                format!("page {page} is a scanned image without a text layer; its text and tables cannot be read (OCR needed)"),
            )
            .with_help(Msg::new("请向发布机关索取带文字层的版本，或先做 OCR 再读取", "ask the agency for a text PDF, or OCR the page first")),
        );
    }
    if c.unmapped > 0 {
        let fonts: Vec<&str> = c.unmapped_fonts.iter().map(String::as_str).collect();
        out.push(note(
            &findings::READ_UNMAPPED_GLYPHS,
            format!("第{page}页有 {} 个字符无法解码（字体 {} 没有字符映射），显示为 �", c.unmapped, fonts.join("、")),
            format!("page {page}: {} glyphs could not be decoded (font {} has no character map); shown as U+FFFD", c.unmapped, fonts.join(", ")),
        ));
    }
    if !c.problems.is_empty() {
        out.push(note(
            &findings::READ_PAGE_CONTENT,
            format!("第{page}页的内容流有损坏，只读取了损坏之前的部分：{}", c.problems.join("；")),
            format!(
                "page {page}: the content stream is damaged; read up to the damage: {}",
                c.problems.join("; ")
            ),
        ));
    }
    if c.budget_exhausted {
        out.push(note(
            &findings::READ_WORK_LIMIT,
            format!("第{page}页内容过于复杂，超出读取上限，其余部分未读取"),
            format!("page {page} is too complex: the reader's work limit was reached and the rest was not read"),
        ));
    }
    out
}

/// Text or table cells beyond the visible page: cut off, so not read.
pub(crate) fn clipped(page: u32, cells: usize, glyphs: usize) -> Option<Finding> {
    if cells == 0 && glyphs == 0 {
        return None;
    }
    Some(
        note(
            &findings::READ_CLIPPED,
            format!("第{page}页有内容超出页面可见区域（如表格过宽、右侧被页边截断）：{cells} 个表格单元格、{glyphs} 个字符未完整印出，未读取"),
            format!("page {page}: content lies beyond the visible page (e.g. a table too wide, cut off at the edge): {cells} table cells and {glyphs} characters are not (wholly) printed and were not read"),
        )
        .with_help(Msg::new("被截断的表格列记为 ?；请核对原始文件（如 Word/WPS 文档）", "the cut-off table columns are undetermined (?); check the original document (e.g. the Word/WPS file)")),
    )
}

/// Ruled grids of a page not read as tables: too many cells, or too complex to search.
pub(crate) fn too_large_grids(page: u32, grids: usize) -> Option<Finding> {
    if grids == 0 {
        return None;
    }
    let most = crate::ruled::MAX_TABLE_CELLS;
    Some(note(
        &findings::READ_WORK_LIMIT,
        format!(
            "第{page}页有 {grids} 处线条格子超过 {most} 格或线条过于复杂，未按表格读取，其中文字按文字行读取"
        ),
        format!(
            "page {page}: {grids} ruled grid(s) of more than {most} boxes, or lines too complex to search, were not read as tables; their text is read as lines"
        ),
    ))
}

/// Reading a page failed altogether.
pub(crate) fn page_failed(page: u32) -> Finding {
    note(
        &findings::READ_PAGE_FAILED,
        format!("第{page}页无法读取，已跳过"),
        format!("page {page} could not be read and was skipped"),
    )
}

/// The file was encrypted with an owner password only.
pub(crate) fn decrypted() -> Finding {
    note(
        &findings::READ_DECRYPTED,
        "PDF 文件设置了权限密码（无打开密码），已按空密码解密读取".to_owned(),
        "the PDF has an owner password only (no password to open); it was decrypted with the empty password".to_owned(),
    )
}

/// The cross-reference table was rebuilt.
pub(crate) fn repaired() -> Finding {
    note(
        &findings::READ_REPAIRED,
        "PDF 文件的交叉引用表损坏，已重建后读取；个别对象可能缺失".to_owned(),
        "the PDF's cross-reference table was damaged and has been rebuilt; some objects may be missing".to_owned(),
    )
}
