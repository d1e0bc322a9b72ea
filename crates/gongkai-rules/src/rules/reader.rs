//! Ids of findings emitted by the readers and the recognizer (documented here so that
//! `gongkai rules ID` explains every finding a user can see).

use gongkai_model::{FindingKind, Severity};

use crate::{RuleInfo, Scope};

macro_rules! reader_id {
    ($id:literal, $sev:ident, $tzh:literal, $ten:literal, $dzh:literal, $den:literal) => {
        RuleInfo {
            id: $id,
            severity: Severity::$sev,
            kind: FindingKind::Extraction,
            scope: Scope::Reader,
            title_zh: $tzh,
            title_en: $ten,
            doc_zh: $dzh,
            doc_en: $den,
        }
    };
}

/// Reader findings.
pub static READER_IDS: &[RuleInfo] = &[
    reader_id!(
        "READ-ENCODING",
        Info,
        "文件编码为检测所得或含有无法解码的字节",
        "Encoding detected, or bytes that could not be decoded",
        "## 含义\n\n文件未声明编码（例如无 BOM、无 `<meta charset>` 的 GBK 文本或网页，或无 BOM 的 UTF-16），按检测结果解码；或者文件中有按该编码无效的字节，已替换为 U+FFFD。后者为警告，并列出无效字节所在的行与字节位置：相关内容可能缺失，涉及的单元格可能无法确定。基本为 UTF-8 的文件中个别无效字节不会改变整个文件的解码。`gongkai extract` 也在标准错误输出中给出此警告。",
        "## Meaning\n\nThe file declared no encoding and was decoded with the detected one (info; GBK text, UTF-16 without a byte-order mark), or contained bytes invalid in its encoding that were replaced by U+FFFD (warning, naming the lines and byte offsets: some content may be lost). A few invalid bytes in a file that is otherwise UTF-8 do not change the decoding of the whole file. `gongkai extract` prints the warning on stderr too."
    ),
    reader_id!(
        "READ-TABLE-MISSING",
        Warning,
        "未找到某张表",
        "A table was not found",
        "## 含义\n\n在相应部分（或全文）中找不到该表的行标签。该表全部单元格在单元格清单中记为 `?`，不作任何推测。常见原因：表格以图片发布、扫描件、表格被拆散到无法识别。",
        "## Meaning\n\nNo row label of the table was found in its section (or anywhere). All its cells are listed as `?`; nothing is guessed. Common causes: the table is an image, a scan, or too fragmented to recognise."
    ),
    reader_id!(
        "READ-ROW-MISSING",
        Warning,
        "未找到表格中的某一行",
        "A table row was not found",
        "## 含义\n\n表格已识别，但其中一行的标签（含容错匹配）与位置都无法确定。该行单元格记为 `?`。",
        "## Meaning\n\nThe table was found but one row could not be located by its label (even approximately) or by its place. Its cells are `?`."
    ),
    reader_id!(
        "READ-LABEL",
        Info,
        "行标签为近似匹配或按位置确定",
        "Row label matched approximately or by position",
        "## 含义\n\n行标签与模板不完全一致（错别字、OCR 误识、漏字，如“其他法律行政止公开”），按近似匹配识别；或标签无法识别，但前后两行之间恰有一组数字，按位置确定。数值本身照印刷值读取。",
        "## Meaning\n\nThe row label differs from the template (typos, OCR swaps, missing characters) and was matched approximately, or could not be read but the row's values were identified by their place between the neighbouring rows. Values are read as printed."
    ),
    reader_id!(
        "READ-VALUES",
        Warning,
        "一行的数值个数不对，无法确定",
        "Wrong number of values in a row",
        "## 含义\n\n某行印出的数值多于该行单元格数，或少于单元格数且无法拆分（不是连写数字）。无法确定哪个数值属于哪个单元格，该行单元格记为 `?`。",
        "## Meaning\n\nA row printed more values than it has cells, or fewer that cannot be split. Which value belongs to which cell cannot be determined; the row's cells are `?`."
    ),
    reader_id!(
        "READ-AMBIGUOUS",
        Warning,
        "数值有多种读法，无法唯一确定",
        "Printed values allow several readings",
        "## 含义\n\n一行的数字连写、没有分隔（如网页抓取文本“693665”），可拆分为多种读法；或者印出的数值少于单元格，哪些空行是空白单元格无法确定。用表格的勾稽关系（行合计、列合计、平衡关系）筛选后仍不止一种。各读法一致的单元格照常给出，不一致的记为 `?`，并列出可能的读法。绝不擅自选择其一。\n\n空白也是一个值，需要证据：表头中间的空行不是空白单元格；只有所有读法都为空白、且原文在该处显示了空白单元格时才记为空白，否则为 `?`。\n\n读法的枚举有工作量上限（每份文件共用）；达到上限时，尚未确定的行记为 `?` 并给出本提示，而不是长时间运行。\n\n## 示例\n\n“行政规范性文件693665”：可读作 69|3|665，也可读作 6|93|665 等，表二无勾稽关系可用，三个单元格均为 `?`。",
        "## Meaning\n\nA row's digits were printed glued (crawler text `693665`), or fewer values than cells were printed and which empty lines are blank cells is unclear, and after filtering by the table's rules (row totals, column sums, the balance) more than one reading remains. Cells on which all readings agree are given; the others are `?` with the readings listed. Never a silent choice.\n\nA blank is a value and needs evidence: the empty lines inside a header are not blank cells; a cell is blank only when every reading has it blank and the source shows a blank cell there, otherwise `?`.\n\nThe enumeration of readings has a work bound shared by the whole file; when it is reached, the rows not yet decided are `?` with this finding instead of reading for a long time."
    ),
    reader_id!(
        "READ-SPLIT",
        Info,
        "连写数字已依据勾稽关系唯一拆分",
        "Glued digits split uniquely",
        "## 含义\n\n一行或多行数字连写无分隔，但只有一种拆分满足位数规则与表格的勾稽关系，已据此给出各单元格。例如“640020470”只能读作 64|0|0|2|0|4|70（前六列之和等于总计且各列之和相符）。",
        "## Meaning\n\nDigits were printed glued, but only one split satisfies the digit rules and the table's 勾稽关系; the cells are given accordingly. E.g. `640020470` can only be 64|0|0|2|0|4|70."
    ),
    reader_id!(
        "READ-CELL-TEXT",
        Warning,
        "表格单元格中印的不是数字",
        "A table cell holds text instead of a number",
        "## 含义\n\n表格某行的数值单元格中印的是文字而非数字（例如 OCR 把 0 识别成字母 O，或印了“若干”）。该单元格记为 `?`，不作猜测；常见的 OCR 混淆会作为可能值列出（如 O → 0）。",
        "## Meaning\n\nA value cell of a table row holds text rather than a number (OCR turned 0 into the letter O, or the agency printed 若干). The cell is `?`, never guessed; common OCR confusions are listed as alternatives (O → 0)."
    ),
    reader_id!(
        "READ-RESIDUE",
        Info,
        "已从正文中略去不属于报告的内容",
        "Reader residue left out of the report's text",
        "## 含义\n\n读取器、转换工具或网页抓取程序在报告周围留下的内容不是报告本身，已从各部分正文和前言中略去，并逐处注明位置：表格边框线（`| | |`、`+----+`、制表符线）和非统计表格行中的竖线；页码（`-1-`、`— 2 —`、`第1页 共5页`）；网站导出文本的抓取页眉（`发布时间:`、`原文链接:`、`本地目录:`、`links.tsv`、`==== 正文 ====`）、导航（`当前位置：首页 > 政务公开 > …`）及其后的页面控件（`来源：`、`时间：`、`微信 微博`、`相关链接：`、字号、打印），以及页脚（`附件下载`、`打印本页 关闭窗口`）。表格和元数据照常从全文读取（如发布时间）。拿不准的行一律保留。",
        "## Meaning\n\nWhat a reader, converter or crawler left around the report is not the report: it is left out of the sections and the preamble, and each piece is listed with its position — table-border lines and the bars of non-statistical table rows; page numbers (`-1-`, `第1页 共5页`); the crawler header of a CMS text export (`发布时间:`, `原文链接:`, `本地目录:`, `links.tsv`, `==== 正文 ====`), breadcrumbs with the page widgets after them, and footers (`附件下载`, `打印本页 关闭窗口`). Tables and metadata are still read from the whole text. A line in doubt is kept."
    ),
    reader_id!(
        "READ-STRAY",
        Info,
        "表格中有不属于任何一行的数字",
        "Numbers that belong to no row",
        "## 含义\n\n两行之间出现不属于任何一行的数字（例如页码、表头中的编号、批注），已忽略，不计入任何单元格。",
        "## Meaning\n\nNumbers between two rows belong to no row (page numbers, numbered headers, notes) and were ignored."
    ),
    reader_id!(
        "READ-COLUMNS-MISSING",
        Warning,
        "表格的某些列没有印出（如被页边截断）",
        "Columns of a table are not printed (e.g. cut off at the page edge)",
        "## 含义\n\n表格按单元格结构读取（PDF 表格线、Word/WPS 表格、网页表格），按表头确定每个单元格属于哪一列。某些列既没有表头也没有单元格——常见于过宽的 Word/WPS 表格导出 PDF 时右侧的「其他」「总计」列被页面边缘截断。这些列的单元格记为 `?`，绝不把相邻列的数值挪过来填补，也不把一个单元格里的数字拆到几列。\n\n## 处理\n\n核对原始文件（Word/WPS 文档或网页），或请发布机关提供完整的表格。",
        "## Meaning\n\nThe table was read with its cell structure (PDF rulings, Word/WPS tables, HTML tables), each cell placed under its column header. Some columns have neither a header nor cells — typically the right-hand columns 其他 and 总计 of a Word/WPS table too wide for the page, cut off at the page edge when exported to PDF. Their cells are `?`; values are never shifted from neighbouring columns, and a number printed in one cell is never split across cells.\n\n## What to do\n\nCheck the original document (Word/WPS file or web page), or ask the agency for the complete table."
    ),
    reader_id!(
        "READ-SCANNED",
        Warning,
        "PDF 页面没有文字层（扫描件）",
        "PDF page without a text layer (scanned)",
        "## 含义\n\nPDF 的某页只有覆盖整页的图像、没有文字层，是扫描件。gongkai 不做 OCR，不会从图像中猜测数字：该页上的表格无法读取，相应单元格为 `?`。请向发布机关索取文字版，或先用 OCR 工具转换。",
        "## Meaning\n\nA PDF page is an image covering the page with no text layer (a scan). gongkai does no OCR and never guesses numbers from images: tables on that page cannot be read and their cells are `?`."
    ),
    reader_id!(
        "READ-UNMAPPED-GLYPHS",
        Warning,
        "PDF 中有无法映射为文字的字形",
        "PDF glyphs with no text mapping",
        "## 含义\n\nPDF 字体没有 ToUnicode 映射，且编码无法识别，部分字形无法转为文字（显示为 U+FFFD）。涉及的标签或数字可能无法识别。",
        "## Meaning\n\nA PDF font has no ToUnicode map and an encoding that cannot be decoded; some glyphs have no text (shown as U+FFFD). Labels or numbers there may not be recognised."
    ),
    reader_id!(
        "READ-PAGE-CONTENT",
        Warning,
        "PDF 页面内容流损坏",
        "Damaged PDF page content",
        "## 含义\n\n某页的内容流损坏，只读取到损坏处为止；该页后续内容可能缺失。",
        "## Meaning\n\nA page's content stream is damaged; it was read up to the damage and later content may be missing."
    ),
    reader_id!(
        "READ-WORK-LIMIT",
        Warning,
        "PDF 页面内容超出处理上限",
        "PDF page exceeds the work limit",
        "## 含义\n\n某页（或整份文件）的绘制指令数超过上限（防止恶意文件耗尽时间），超出部分未读取。",
        "## Meaning\n\nA page (or the file) has more drawing operations than the work limit that protects against hostile files; the rest was not read."
    ),
    reader_id!(
        "READ-PAGE-FAILED",
        Warning,
        "PDF 页面读取失败，已跳过",
        "A PDF page failed and was skipped",
        "## 含义\n\n读取某页时底层库出错，该页已跳过，其余页面照常读取。",
        "## Meaning\n\nReading a page failed inside a dependency; the page was skipped and the others read."
    ),
    reader_id!(
        "READ-CLIPPED",
        Warning,
        "PDF 页面上有内容超出可见区域（被页边截断）",
        "PDF content beyond the visible page (cut off at the edge)",
        "## 含义\n\n某页有文字或表格单元格位于页面可见区域（裁剪框）之外或跨越页面边缘——常见于过宽的表格导出 PDF 时右侧几列被截断。这些内容没有完整印出，不予读取；被截断的表格列记为 `?`（见 READ-COLUMNS-MISSING）。",
        "## Meaning\n\nText or table cells of a page lie outside the visible page (the crop box) or across its edge — typically the right-hand columns of a table too wide for the page. They are not (wholly) printed and are not read; the cut-off table columns are `?` (see READ-COLUMNS-MISSING)."
    ),
    reader_id!(
        "READ-DECRYPTED",
        Info,
        "PDF 设有权限密码，已用空密码打开",
        "PDF with an owner password opened with the empty password",
        "## 含义\n\n许多政府网站发布的 PDF 设置了权限（所有者）密码、用户密码为空。这类文件可以正常打开阅读，gongkai 同样读取。只有需要用户密码的文件才无法读取。",
        "## Meaning\n\nMany government PDFs set permissions with an owner password and an empty user password; they open normally and are read. Only files needing a user password cannot be read."
    ),
    reader_id!(
        "READ-REPAIRED",
        Info,
        "PDF 交叉引用表已重建",
        "PDF cross-reference table rebuilt",
        "## 含义\n\nPDF 的交叉引用表损坏，已扫描全文件重建后读取。",
        "## Meaning\n\nThe PDF's cross-reference table was damaged and was rebuilt by scanning the file."
    ),
    reader_id!(
        "READ-HTML-ENCODING",
        Info,
        "网页编码的判定",
        "How the page's encoding was decided",
        "## 含义\n\n说明网页按何种编码解码：BOM、`<meta charset>` 声明，或（无声明时）检测结果。声明与实际字节不符而被纠正、或有无法解码的字节时为警告。",
        "## Meaning\n\nHow the page was decoded: BOM, `<meta charset>`, or detection when undeclared. A warning when a wrong declaration was overruled or bytes could not be decoded."
    ),
    reader_id!(
        "READ-HTML-CONTENT-ROOT",
        Info,
        "网页正文所在位置",
        "Where the report sits in the page",
        "## 含义\n\n政府网站页面常带完整的导航、页眉页脚。读取器只读入容纳报告的元素（绝不越过数据表格、报告正文或章节标题），并说明该元素的路径与未读入的文字量。",
        "## Meaning\n\nGovernment CMS pages carry full site navigation. The reader keeps the element holding the report (never cutting a data table, report text or a section heading) and says where it is and how much text was left out."
    ),
    reader_id!(
        "READ-HTML-HIDDEN-KEPT",
        Warning,
        "导航或隐藏元素中含有表格或正文，已保留",
        "Navigation or hidden element kept",
        "## 含义\n\n某个看似导航或隐藏的元素含有表格或较多正文，为免丢失报告内容而保留。",
        "## Meaning\n\nAn element that looks like navigation or is hidden holds a table or much text and was kept so that no report content is lost."
    ),
    reader_id!(
        "READ-HTML-LAYOUT-TABLE",
        Info,
        "用于排版的嵌套表格",
        "Layout tables",
        "## 含义\n\n表格中又嵌套表格时，外层视为页面排版，内层按数据表格读取。",
        "## Meaning\n\nA table holding other tables is treated as page layout; the inner tables are read as data tables."
    ),
    reader_id!(
        "READ-HTML-DEEP",
        Info,
        "网页嵌套过深，已展平",
        "Deep nesting flattened",
        "## 含义\n\n元素嵌套层数超过上限，更深的内容并入所在段落（防止恶意页面耗尽资源）。",
        "## Meaning\n\nElements nested beyond the limit were flattened into their paragraph (protection against hostile pages)."
    ),
    reader_id!(
        "READ-HTML-SPAN-CLAMPED",
        Info,
        "表格合并单元格的跨度被修正",
        "Table spans clamped",
        "## 含义\n\n`rowspan`/`colspan` 超出表格或相互重叠，已按浏览器的方式修正。",
        "## Meaning\n\nA `rowspan`/`colspan` ran past the table or overlapped; it was clamped as browsers do."
    ),
    reader_id!(
        "READ-HTML-EMPTY",
        Warning,
        "网页没有正文文字",
        "Page without text",
        "## 含义\n\n网页中没有可读的正文（常见于由脚本动态加载内容的页面）。",
        "## Meaning\n\nThe page has no readable text (often a page whose content is loaded by scripts)."
    ),
    reader_id!(
        "READ-DOCX-TRACKED",
        Info,
        "Word 修订痕迹按最终文本读取",
        "Tracked changes read as final text",
        "## 含义\n\n文档含有修订痕迹：删除的文字不读入，插入的文字读入，即按接受全部修订后的文本读取。",
        "## Meaning\n\nThe document has tracked changes: deletions are dropped and insertions kept, i.e. the text with all changes accepted."
    ),
    reader_id!(
        "READ-DOCX-TEXTBOX",
        Info,
        "文本框内容已读入",
        "Text boxes read",
        "## 含义\n\n文档中的文本框内容已按所在段落读入（兼容内容只取一份）。",
        "## Meaning\n\nText box content was read with its anchoring paragraph (one branch of alternate content only)."
    ),
    reader_id!(
        "READ-DOCX-HIDDEN",
        Info,
        "隐藏文字未读入",
        "Hidden text left out",
        "## 含义\n\n设为隐藏（不打印）的文字未读入。",
        "## Meaning\n\nText formatted as hidden (not printed) was left out."
    ),
    reader_id!(
        "READ-DOCX-NESTED-TABLE",
        Info,
        "单元格内嵌套的表格已展平",
        "Nested table flattened",
        "## 含义\n\n单元格内的嵌套表格并入该单元格的文字。",
        "## Meaning\n\nA table nested in a cell was flattened into the cell's text."
    ),
    reader_id!(
        "READ-DOCX-MERGE",
        Info,
        "合并单元格结构不规范，已按显示效果处理",
        "Irregular merged cells",
        "## 含义\n\n`vMerge`/`gridSpan` 等合并标记不规范（例如续接没有起点），已按 Word 的显示效果处理。",
        "## Meaning\n\nMerge markup (`vMerge`, `gridSpan`) was irregular (e.g. a continuation without a start) and was resolved as Word displays it."
    ),
    reader_id!(
        "READ-DOC-TRACKED",
        Info,
        "旧版 Word（.doc）修订痕迹按最终文本读取",
        "Tracked changes in a .doc read as final text",
        "## 含义\n\n.doc 文件含有修订痕迹：删除的文字（包括删除的段落标记）不读入，插入的文字读入，即按接受全部修订后的文本读取。",
        "## Meaning\n\nThe .doc file has tracked changes: deleted text (and deleted paragraph marks) is dropped and inserted text kept, i.e. the text with all changes accepted."
    ),
    reader_id!(
        "READ-DOC-HIDDEN",
        Info,
        "旧版 Word（.doc）中的隐藏文字未读入",
        "Hidden text in a .doc left out",
        "## 含义\n\n.doc 文件中设为隐藏（不打印）的文字未读入。",
        "## Meaning\n\nText of the .doc file formatted as hidden (not printed) was left out."
    ),
    reader_id!(
        "READ-DOC-NESTED-TABLE",
        Warning,
        "旧版 Word（.doc）单元格内嵌套的表格已展平",
        "Nested table in a .doc flattened",
        "## 含义\n\n.doc 文件单元格内的嵌套表格按行并入该单元格的文字（同一行的单元格以空格分隔）。",
        "## Meaning\n\nA table nested in a cell of the .doc file was flattened into the cell's text, row by row (the cells of a row separated by spaces)."
    ),
    reader_id!(
        "READ-DOC-MERGE",
        Warning,
        "旧版 Word（.doc）合并单元格结构不规范，已按显示效果处理",
        "Irregular merged cells in a .doc",
        "## 含义\n\n.doc 文件中纵向合并的续接单元格没有起始单元格（按独立单元格读取），或被合并掉的单元格中有 Word 不显示的文字（未读入）。",
        "## Meaning\n\nIn the .doc file a vertically merged cell continues no starting cell (it is read as a cell of its own), or a merged-away cell holds text Word does not show (left out)."
    ),
    reader_id!(
        "READ-DOC-ROWS-CUT",
        Warning,
        "旧版 Word（.doc）表格行数过多，部分行未读入",
        "Rows of a .doc table left out",
        "## 含义\n\n.doc 文件中一张表格超过 100000 行，超出部分未读入。",
        "## Meaning\n\nA table of the .doc file has more than 100,000 rows; the rows beyond were left out."
    ),
    reader_id!(
        "READ-DOC-TEXTBOX",
        Warning,
        "旧版 Word（.doc）文本框中的文字未读入",
        "Text boxes of a .doc not read",
        "## 含义\n\n.doc 文件的文本框文字单独存放（不在正文中），本读取器不读取。若报告的表格或数字放在文本框中，请用 Word 或 WPS 另存为 .docx 后再读取（DOCX 读取器读取文本框）。",
        "## Meaning\n\nThe text boxes of a .doc file are stored apart from the main text and are not read. If the report's tables or numbers are in text boxes, save the file as .docx with Word or WPS and read that (the DOCX reader reads text boxes)."
    ),
];
