//! The body of a word-processing document as the DOCX and `.doc` readers resolve it — paragraphs
//! and tables of placed cells, in reading order, with a tally of what was odd — and its layout
//! into a [`Document`](crate::Document): the one place where both formats become the same
//! document, so that a `.doc` and the DOCX saved from it read to the same cells.

use gongkai_model::Msg;

use crate::findings::ReaderFinding;
use crate::{DocumentBuilder, Origin};

/// A block of the body.
#[derive(Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph: its text (may contain line breaks) and its body paragraph index.
    Para {
        /// Its text.
        text: String,
        /// 0-based index among the body's paragraphs.
        index: u32,
    },
    /// A table.
    Table(Table),
}

/// A table: rows of printed cells.
#[derive(Debug, PartialEq, Eq)]
pub struct Table {
    /// 0-based index among the document's tables.
    pub index: u32,
    /// Rows of printed cells (merged-away positions are not cells).
    pub rows: Vec<Vec<Cell>>,
}

/// A printed cell.
#[derive(Debug, PartialEq, Eq)]
pub struct Cell {
    /// Its text: its paragraphs joined by [`crate::join_lines`].
    pub text: String,
    /// Index of the cell in its row as stored (0-based, counting merged-away cells).
    pub source_index: u32,
    /// First column in the table's grid.
    pub col: u32,
    /// Columns spanned.
    pub col_span: u32,
    /// Rows spanned.
    pub row_span: u32,
}

/// What the reader met that is odd but readable, reported as findings by [`note`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Tracked insertions kept.
    pub insertions: u32,
    /// Tracked deletions dropped.
    pub deletions: u32,
    /// Text boxes read.
    pub text_boxes: u32,
    /// Runs of hidden text left out.
    pub hidden_runs: u32,
    /// Tables nested in a cell, flattened into its text.
    pub nested_tables: u32,
    /// Vertical merges continuing no starting cell (read as cells of their own).
    pub orphan_continues: u32,
    /// Merged-away cells whose text was left out.
    pub merged_text_dropped: u32,
    /// Fields met (their results read, their codes not).
    pub fields: u32,
    /// Table rows beyond the reader's bound, left out.
    pub cut_rows: u32,
}

/// Which reader findings a format reports its [`Tally`] with.
#[derive(Debug)]
pub struct TallyFindings {
    /// Tracked changes read as the final text.
    pub tracked: &'static ReaderFinding,
    /// Hidden text left out.
    pub hidden: &'static ReaderFinding,
    /// Nested tables flattened.
    pub nested_table: &'static ReaderFinding,
    /// Irregular merged cells.
    pub merge: &'static ReaderFinding,
    /// Text boxes read, for a format whose reader reads them.
    pub text_boxes: Option<&'static ReaderFinding>,
    /// Rows left out, for a format whose reader bounds the rows of a table.
    pub rows_cut: Option<&'static ReaderFinding>,
}

/// The laid-out text outgrew its bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextTooLarge {
    /// The bound, in bytes.
    pub limit: usize,
}

/// Lays the blocks out into the builder: each paragraph line as a paragraph, each table as a
/// grid, with its [`Origin::Docx`] (paragraph, or table, row and stored cell index). Stops with
/// [`TextTooLarge`] as soon as the text exceeds `max_text_bytes`.
pub fn lay_out(
    b: &mut DocumentBuilder,
    blocks: &[Block],
    max_text_bytes: usize,
) -> Result<(), TextTooLarge> {
    let check = |b: &DocumentBuilder| {
        if b.text().len() > max_text_bytes {
            Err(TextTooLarge { limit: max_text_bytes })
        } else {
            Ok(())
        }
    };
    for block in blocks {
        match block {
            Block::Para { text, index } => {
                b.origin(Origin::Docx { paragraph: Some(*index), cell: None });
                for line in text.split('\n') {
                    b.para(line.trim_matches(|c: char| c.is_ascii_whitespace()));
                }
            }
            Block::Table(t) => {
                for (r, row) in t.rows.iter().enumerate() {
                    let r = u32::try_from(r).unwrap_or(u32::MAX);
                    b.origin(Origin::Docx { paragraph: None, cell: Some((t.index, r, 0)) });
                    b.row();
                    for cell in row {
                        b.origin(Origin::Docx {
                            paragraph: None,
                            cell: Some((t.index, r, cell.source_index)),
                        });
                        b.cell(&cell.text, cell.row_span, cell.col_span, cell.col);
                    }
                    check(b)?;
                }
                b.end_table();
            }
        }
        check(b)?;
    }
    Ok(())
}

/// Adds a finding for each kind of oddity in the tally, with its count.
pub fn note(b: &mut DocumentBuilder, t: &Tally, findings: &TallyFindings) {
    if t.insertions > 0 || t.deletions > 0 {
        b.note(findings.tracked.finding(Msg::new(
            format!(
                "文件含修订标记（插入 {} 处、删除 {} 处），按接受全部修订后的文字读取",
                t.insertions, t.deletions
            ),
            format!(
                "tracked changes ({} insertions, {} deletions) read as the final text, all changes accepted",
                t.insertions, t.deletions
            ),
        )));
    }
    if let Some(f) = findings.text_boxes
        && t.text_boxes > 0
    {
        b.note(f.finding(Msg::new(
            format!("{} 个文本框的内容已读入，位于其锚定段落之后", t.text_boxes),
            format!(
                "{} text box(es) read, placed after the paragraph anchoring them",
                t.text_boxes
            ),
        )));
    }
    if t.hidden_runs > 0 {
        b.note(findings.hidden.finding(Msg::new(
            format!("{} 处隐藏文字（不打印）未读入", t.hidden_runs),
            format!("{} run(s) of hidden (non-printing) text left out", t.hidden_runs),
        )));
    }
    if t.nested_tables > 0 {
        b.note(findings.nested_table.finding(Msg::new(
            format!("{} 个嵌套在单元格中的表格已按文字并入该单元格", t.nested_tables),
            format!(
                "{} table(s) nested in a cell were flattened into that cell's text",
                t.nested_tables
            ),
        )));
    }
    if t.orphan_continues > 0 || t.merged_text_dropped > 0 {
        b.note(findings.merge.finding(Msg::new(
            format!(
                "合并单元格结构异常：{} 处纵向合并没有起始单元格（按独立单元格读取），{} 处被合并单元格中的文字（Word 不显示）未读入",
                t.orphan_continues, t.merged_text_dropped
            ),
            format!(
                "irregular merged cells: {} vertical merge(s) without a starting cell (read as separate cells), {} merged-away cell text(s) Word does not show left out",
                t.orphan_continues, t.merged_text_dropped
            ),
        )));
    }
    if let Some(f) = findings.rows_cut
        && t.cut_rows > 0
    {
        b.note(f.finding(Msg::new(
            format!("表格行数过多，{} 行未读入", t.cut_rows),
            format!("a table has too many rows: {} row(s) left out", t.cut_rows),
        )));
    }
}

#[cfg(test)]
mod tests {
    use gongkai_model::Severity;

    use super::*;
    use crate::findings::{
        READ_DOC_HIDDEN, READ_DOC_MERGE, READ_DOC_NESTED_TABLE, READ_DOC_ROWS_CUT, READ_DOC_TRACKED,
    };
    use crate::{Format, dump};

    const DOC: TallyFindings = TallyFindings {
        tracked: &READ_DOC_TRACKED,
        hidden: &READ_DOC_HIDDEN,
        nested_table: &READ_DOC_NESTED_TABLE,
        merge: &READ_DOC_MERGE,
        text_boxes: None,
        rows_cut: Some(&READ_DOC_ROWS_CUT),
    };

    fn cell(text: &str, col: u32, col_span: u32) -> Cell {
        Cell { text: text.into(), source_index: col, col, col_span, row_span: 1 }
    }

    #[test]
    fn paragraphs_and_tables_are_laid_out_with_their_origin() {
        let blocks = vec![
            Block::Para { text: "一、总体情况\n 第二行 ".into(), index: 0 },
            Block::Table(Table {
                index: 0,
                rows: vec![vec![cell("规章", 0, 1), cell("12", 1, 2)], vec![cell("x", 0, 1)]],
            }),
        ];
        let mut b = DocumentBuilder::new("a.doc", Format::Doc);
        lay_out(&mut b, &blocks, 1 << 20).expect("small");
        let doc = b.finish();
        insta::assert_snapshot!(dump(&doc), @r"
        P 一、总体情况
        P 第二行
        T 2 rows × 3 cols
          | @0 规章 | @1[1x2] 12
          | @0 x
        ");
        let at = u32::try_from(doc.text.find("12").expect("laid out")).expect("small");
        assert_eq!(
            doc.origin_at(at),
            Some(&Origin::Docx { paragraph: None, cell: Some((0, 0, 1)) })
        );
    }

    #[test]
    fn the_text_bound_stops_the_layout() {
        let blocks: Vec<Block> =
            (0..100).map(|i| Block::Para { text: "政府信息公开".repeat(10), index: i }).collect();
        let mut b = DocumentBuilder::new("a.doc", Format::Doc);
        assert_eq!(lay_out(&mut b, &blocks, 1000), Err(TextTooLarge { limit: 1000 }));
    }

    #[test]
    fn each_oddity_is_one_finding_of_the_formats_kind() {
        let mut b = DocumentBuilder::new("a.doc", Format::Doc);
        let t = Tally {
            deletions: 2,
            text_boxes: 3,
            orphan_continues: 1,
            cut_rows: 5,
            ..Tally::default()
        };
        note(&mut b, &t, &DOC);
        let doc = b.finish();
        let got: Vec<(&str, Severity)> = doc.notes.iter().map(|f| (f.rule, f.severity)).collect();
        assert_eq!(
            got,
            [
                ("READ-DOC-TRACKED", Severity::Info),
                ("READ-DOC-MERGE", Severity::Warning),
                ("READ-DOC-ROWS-CUT", Severity::Warning),
            ]
        );
        assert!(doc.notes[2].message.zh.contains("5 行未读入"));
    }
}
