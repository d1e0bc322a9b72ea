//! Findings of the recognizer (`gongkai-parse`): what it could not place in the tables, and how it
//! placed what it did, whatever the input format.

use super::reader_finding;

reader_finding!(
    READ_TABLE_MISSING,
    "READ-TABLE-MISSING",
    Warning,
    "未找到某张表",
    "A table was not found",
    "## 含义\n\n在相应部分（或全文）中找不到该表的行标签。该表全部单元格在单元格清单中记为 `?`，不作任何推测。常见原因：表格以图片发布、扫描件、表格被拆散到无法识别。",
    "## Meaning\n\nNo row label of the table was found in its section (or anywhere). All its cells are listed as `?`; nothing is guessed. Common causes: the table is an image, a scan, or too fragmented to recognise."
);

reader_finding!(
    READ_ROW_MISSING,
    "READ-ROW-MISSING",
    Warning,
    "未找到表格中的某一行",
    "A table row was not found",
    "## 含义\n\n表格已识别，但其中一行的标签（含容错匹配）与位置都无法确定。该行单元格记为 `?`。",
    "## Meaning\n\nThe table was found but one row could not be located by its label (even approximately) or by its place. Its cells are `?`."
);

reader_finding!(
    READ_LABEL,
    "READ-LABEL",
    Info,
    "行标签为近似匹配或按位置确定",
    "Row label matched approximately or by position",
    "## 含义\n\n行标签与模板不完全一致（错别字、OCR 误识、漏字，如“其他法律行政止公开”），按近似匹配识别；或标签无法识别，但前后两行之间恰有一组数字，按位置确定。数值本身照印刷值读取。",
    "## Meaning\n\nThe row label differs from the template (typos, OCR swaps, missing characters) and was matched approximately, or could not be read but the row's values were identified by their place between the neighbouring rows. Values are read as printed."
);

reader_finding!(
    READ_VALUES,
    "READ-VALUES",
    Warning,
    "一行的数值个数不对，无法确定",
    "Wrong number of values in a row",
    "## 含义\n\n某行印出的数值多于该行单元格数，或少于单元格数且无法拆分（不是连写数字）。无法确定哪个数值属于哪个单元格，该行单元格记为 `?`。",
    "## Meaning\n\nA row printed more values than it has cells, or fewer that cannot be split. Which value belongs to which cell cannot be determined; the row's cells are `?`."
);

reader_finding!(
    READ_AMBIGUOUS,
    "READ-AMBIGUOUS",
    Warning,
    "数值有多种读法，无法唯一确定",
    "Printed values allow several readings",
    "## 含义\n\n一行的数字连写、没有分隔（如网页抓取文本“693665”），可拆分为多种读法；或者印出的数值少于单元格，哪些空行是空白单元格无法确定。用表格的勾稽关系（行合计、列合计、平衡关系）筛选后仍不止一种。各读法一致的单元格照常给出，不一致的记为 `?`，并列出可能的读法。绝不擅自选择其一。\n\n空白也是一个值，需要证据：表头中间的空行不是空白单元格；只有所有读法都为空白、且原文在该处显示了空白单元格时才记为空白，否则为 `?`。\n\n读法的枚举有工作量上限（每份文件共用）；达到上限时，尚未确定的行记为 `?` 并给出本提示，而不是长时间运行。\n\n## 示例\n\n“行政规范性文件693665”：可读作 69|3|665，也可读作 6|93|665 等，表二无勾稽关系可用，三个单元格均为 `?`。",
    "## Meaning\n\nA row's digits were printed glued (crawler text `693665`), or fewer values than cells were printed and which empty lines are blank cells is unclear, and after filtering by the table's rules (row totals, column sums, the balance) more than one reading remains. Cells on which all readings agree are given; the others are `?` with the readings listed. Never a silent choice.\n\nA blank is a value and needs evidence: the empty lines inside a header are not blank cells; a cell is blank only when every reading has it blank and the source shows a blank cell there, otherwise `?`.\n\nThe enumeration of readings has a work bound shared by the whole file; when it is reached, the rows not yet decided are `?` with this finding instead of reading for a long time."
);

reader_finding!(
    READ_SPLIT,
    "READ-SPLIT",
    Info,
    "连写数字已依据勾稽关系唯一拆分",
    "Glued digits split uniquely",
    "## 含义\n\n一行或多行数字连写无分隔，但只有一种拆分满足位数规则与表格的勾稽关系，已据此给出各单元格。例如“640020470”只能读作 64|0|0|2|0|4|70（前六列之和等于总计且各列之和相符）。",
    "## Meaning\n\nDigits were printed glued, but only one split satisfies the digit rules and the table's 勾稽关系; the cells are given accordingly. E.g. `640020470` can only be 64|0|0|2|0|4|70."
);

reader_finding!(
    READ_OCR_CHOSEN,
    "READ-OCR-CHOSEN",
    Info,
    "OCR 没有把握的数字已依据勾稽关系确定",
    "Digits OCR was unsure of settled by the table's rules",
    "## 含义\n\nOCR 识别扫描件时，对某些数值单元格没有把握（字符置信度低、有相近的其他读法，或两种识别结果位数不同），给出了几种可能的读法（如 15 或 16）。其中只有一种读法使表格的勾稽关系（行合计、列合计、平衡关系）成立，且该关系涉及的其他单元格都已确定，已据此给出该单元格。\n\n只有勾稽关系能确认时才这样确定：只有一种读法但无法核对的、或几种读法都成立的，单元格仍为 `?`（见 READ-AMBIGUOUS）；原件印的数字不在候选读法中时，没有读法成立，单元格同样为 `?`。绝不因为某种读法是 OCR 的首选就采用它。请对照原件核对列出的单元格。",
    "## Meaning\n\nOCR of a scan was unsure of some value cells (a character of low confidence or with a close rival, or the two engines read different numbers of digits) and offered several readings (15 or 16). Exactly one of them makes the table's rules (row totals, column sums, the balance) hold, with every other cell of that rule known; the cell is given that reading.\n\nOnly a rule can settle a cell this way: a single reading no rule can check, or several readings that all fit, leave the cell `?` (see READ-AMBIGUOUS); when the printed number is not among the readings none fits and the cell stays `?`. A reading is never taken because it is OCR's favourite. Check the listed cells against the original."
);

reader_finding!(
    READ_CELL_TEXT,
    "READ-CELL-TEXT",
    Warning,
    "表格单元格中印的不是数字",
    "A table cell holds text instead of a number",
    "## 含义\n\n表格某行的数值单元格中印的是文字而非数字（例如 OCR 把 0 识别成字母 O，或印了“若干”）。该单元格记为 `?`，不作猜测；常见的 OCR 混淆会作为可能值列出（如 O → 0）。",
    "## Meaning\n\nA value cell of a table row holds text rather than a number (OCR turned 0 into the letter O, or the agency printed 若干). The cell is `?`, never guessed; common OCR confusions are listed as alternatives (O → 0)."
);

reader_finding!(
    READ_RESIDUE,
    "READ-RESIDUE",
    Info,
    "已从正文中略去不属于报告的内容",
    "Reader residue left out of the report's text",
    "## 含义\n\n读取器、转换工具或网页抓取程序在报告周围留下的内容不是报告本身，已从各部分正文和前言中略去，并逐处注明位置：表格边框线（`| | |`、`+----+`、制表符线）和非统计表格行中的竖线；页码（`-1-`、`— 2 —`、`第1页 共5页`）；网站导出文本的抓取页眉（`发布时间:`、`原文链接:`、`本地目录:`、`links.tsv`、`==== 正文 ====`）、导航（`当前位置：首页 > 政务公开 > …`）及其后的页面控件（`来源：`、`时间：`、`微信 微博`、`相关链接：`、字号、打印），以及页脚（`附件下载`、`打印本页 关闭窗口`）。表格和元数据照常从全文读取（如发布时间）。拿不准的行一律保留。",
    "## Meaning\n\nWhat a reader, converter or crawler left around the report is not the report: it is left out of the sections and the preamble, and each piece is listed with its position — table-border lines and the bars of non-statistical table rows; page numbers (`-1-`, `第1页 共5页`); the crawler header of a CMS text export (`发布时间:`, `原文链接:`, `本地目录:`, `links.tsv`, `==== 正文 ====`), breadcrumbs with the page widgets after them, and footers (`附件下载`, `打印本页 关闭窗口`). Tables and metadata are still read from the whole text. A line in doubt is kept."
);

reader_finding!(
    READ_STRAY,
    "READ-STRAY",
    Info,
    "表格中有不属于任何一行的数字",
    "Numbers that belong to no row",
    "## 含义\n\n两行之间出现不属于任何一行的数字（例如页码、表头中的编号、批注），已忽略，不计入任何单元格。",
    "## Meaning\n\nNumbers between two rows belong to no row (page numbers, numbered headers, notes) and were ignored."
);

reader_finding!(
    READ_COLUMNS_MISSING,
    "READ-COLUMNS-MISSING",
    Warning,
    "表格的某些列没有印出（如被页边截断）",
    "Columns of a table are not printed (e.g. cut off at the page edge)",
    "## 含义\n\n表格按单元格结构读取（PDF 表格线、Word/WPS 表格、网页表格），按表头确定每个单元格属于哪一列。某些列既没有表头也没有单元格——常见于过宽的 Word/WPS 表格导出 PDF 时右侧的「其他」「总计」列被页面边缘截断。这些列的单元格记为 `?`，绝不把相邻列的数值挪过来填补，也不把一个单元格里的数字拆到几列。\n\n## 处理\n\n核对原始文件（Word/WPS 文档或网页），或请发布机关提供完整的表格。",
    "## Meaning\n\nThe table was read with its cell structure (PDF rulings, Word/WPS tables, HTML tables), each cell placed under its column header. Some columns have neither a header nor cells — typically the right-hand columns 其他 and 总计 of a Word/WPS table too wide for the page, cut off at the page edge when exported to PDF. Their cells are `?`; values are never shifted from neighbouring columns, and a number printed in one cell is never split across cells.\n\n## What to do\n\nCheck the original document (Word/WPS file or web page), or ask the agency for the complete table."
);
