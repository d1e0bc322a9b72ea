//! Findings of the legacy Word reader (`.doc`, `.wps`; `gongkai-read-doc`).

use super::reader_finding;

reader_finding!(
    READ_DOC_TRACKED,
    "READ-DOC-TRACKED",
    Info,
    "旧版 Word（.doc）修订痕迹按最终文本读取",
    "Tracked changes in a .doc read as final text",
    "## 含义\n\n.doc 文件含有修订痕迹：删除的文字（包括删除的段落标记）不读入，插入的文字读入，即按接受全部修订后的文本读取。",
    "## Meaning\n\nThe .doc file has tracked changes: deleted text (and deleted paragraph marks) is dropped and inserted text kept, i.e. the text with all changes accepted."
);

reader_finding!(
    READ_DOC_HIDDEN,
    "READ-DOC-HIDDEN",
    Info,
    "旧版 Word（.doc）中的隐藏文字未读入",
    "Hidden text in a .doc left out",
    "## 含义\n\n.doc 文件中设为隐藏（不打印）的文字未读入。",
    "## Meaning\n\nText of the .doc file formatted as hidden (not printed) was left out."
);

reader_finding!(
    READ_DOC_NESTED_TABLE,
    "READ-DOC-NESTED-TABLE",
    Warning,
    "旧版 Word（.doc）单元格内嵌套的表格已展平",
    "Nested table in a .doc flattened",
    "## 含义\n\n.doc 文件单元格内的嵌套表格按行并入该单元格的文字（同一行的单元格以空格分隔）。",
    "## Meaning\n\nA table nested in a cell of the .doc file was flattened into the cell's text, row by row (the cells of a row separated by spaces)."
);

reader_finding!(
    READ_DOC_MERGE,
    "READ-DOC-MERGE",
    Warning,
    "旧版 Word（.doc）合并单元格结构不规范，已按显示效果处理",
    "Irregular merged cells in a .doc",
    "## 含义\n\n.doc 文件中纵向合并的续接单元格没有起始单元格（按独立单元格读取），或被合并掉的单元格中有 Word 不显示的文字（未读入）。",
    "## Meaning\n\nIn the .doc file a vertically merged cell continues no starting cell (it is read as a cell of its own), or a merged-away cell holds text Word does not show (left out)."
);

reader_finding!(
    READ_DOC_ROWS_CUT,
    "READ-DOC-ROWS-CUT",
    Warning,
    "旧版 Word（.doc）表格行数过多，部分行未读入",
    "Rows of a .doc table left out",
    "## 含义\n\n.doc 文件中一张表格超过 100000 行，超出部分未读入。",
    "## Meaning\n\nA table of the .doc file has more than 100,000 rows; the rows beyond were left out."
);

reader_finding!(
    READ_DOC_TEXTBOX,
    "READ-DOC-TEXTBOX",
    Warning,
    "旧版 Word（.doc）文本框中的文字未读入",
    "Text boxes of a .doc not read",
    "## 含义\n\n.doc 文件的文本框文字单独存放（不在正文中），本读取器不读取。若报告的表格或数字放在文本框中，请用 Word 或 WPS 另存为 .docx 后再读取（DOCX 读取器读取文本框）。",
    "## Meaning\n\nThe text boxes of a .doc file are stored apart from the main text and are not read. If the report's tables or numbers are in text boxes, save the file as .docx with Word or WPS and read that (the DOCX reader reads text boxes)."
);
