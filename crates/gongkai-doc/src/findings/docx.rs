//! Findings of the DOCX reader (`gongkai-read-docx`).

use super::reader_finding;

reader_finding!(
    READ_DOCX_TRACKED,
    "READ-DOCX-TRACKED",
    Info,
    "Word 修订痕迹按最终文本读取",
    "Tracked changes read as final text",
    "## 含义\n\n文档含有修订痕迹：删除的文字不读入，插入的文字读入，即按接受全部修订后的文本读取。",
    "## Meaning\n\nThe document has tracked changes: deletions are dropped and insertions kept, i.e. the text with all changes accepted."
);

reader_finding!(
    READ_DOCX_TEXTBOX,
    "READ-DOCX-TEXTBOX",
    Info,
    "文本框内容已读入",
    "Text boxes read",
    "## 含义\n\n文档中的文本框内容已按所在段落读入（兼容内容只取一份）。",
    "## Meaning\n\nText box content was read with its anchoring paragraph (one branch of alternate content only)."
);

reader_finding!(
    READ_DOCX_HIDDEN,
    "READ-DOCX-HIDDEN",
    Info,
    "隐藏文字未读入",
    "Hidden text left out",
    "## 含义\n\n设为隐藏（不打印）的文字未读入。",
    "## Meaning\n\nText formatted as hidden (not printed) was left out."
);

reader_finding!(
    READ_DOCX_NESTED_TABLE,
    "READ-DOCX-NESTED-TABLE",
    Warning,
    "单元格内嵌套的表格已展平",
    "Nested table flattened",
    "## 含义\n\n单元格内的嵌套表格并入该单元格的文字。",
    "## Meaning\n\nA table nested in a cell was flattened into the cell's text."
);

reader_finding!(
    READ_DOCX_MERGE,
    "READ-DOCX-MERGE",
    Warning,
    "合并单元格结构不规范，已按显示效果处理",
    "Irregular merged cells",
    "## 含义\n\n`vMerge`/`gridSpan` 等合并标记不规范（例如续接没有起点），已按 Word 的显示效果处理。",
    "## Meaning\n\nMerge markup (`vMerge`, `gridSpan`) was irregular (e.g. a continuation without a start) and was resolved as Word displays it."
);
