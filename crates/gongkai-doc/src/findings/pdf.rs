//! Findings of the PDF reader (`gongkai-read-pdf`).

use super::reader_finding;

reader_finding!(
    READ_SCANNED,
    "READ-SCANNED",
    Warning,
    "PDF 页面没有文字层（扫描件）",
    "PDF page without a text layer (scanned)",
    "## 含义\n\nPDF 的某页只有覆盖整页的图像、没有文字层，是扫描件。gongkai 用 OCR 识别这样的页面（见 READ-OCR）；本项只在无法识别时出现（本机未安装 Tesseract 或中文模型、图像编码无法解码、超出 OCR 上限）：该页上的表格无法读取，相应单元格为 `?`。请向发布机关索取文字版。",
    "## Meaning\n\nA PDF page is an image covering the page with no text layer (a scan). gongkai reads such pages by OCR (see READ-OCR); this note remains only when it cannot (Tesseract or its Chinese model missing, an image encoding it does not decode, the OCR limits reached): tables on that page cannot be read and their cells are `?`."
);

reader_finding!(
    READ_UNMAPPED_GLYPHS,
    "READ-UNMAPPED-GLYPHS",
    Warning,
    "PDF 中有无法映射为文字的字形",
    "PDF glyphs with no text mapping",
    "## 含义\n\nPDF 字体没有 ToUnicode 映射，且编码无法识别，部分字形无法转为文字（显示为 U+FFFD）。涉及的标签或数字可能无法识别。",
    "## Meaning\n\nA PDF font has no ToUnicode map and an encoding that cannot be decoded; some glyphs have no text (shown as U+FFFD). Labels or numbers there may not be recognised."
);

reader_finding!(
    READ_PAGE_CONTENT,
    "READ-PAGE-CONTENT",
    Warning,
    "PDF 页面内容流损坏",
    "Damaged PDF page content",
    "## 含义\n\n某页的内容流损坏，只读取到损坏处为止；该页后续内容可能缺失。",
    "## Meaning\n\nA page's content stream is damaged; it was read up to the damage and later content may be missing."
);

reader_finding!(
    READ_WORK_LIMIT,
    "READ-WORK-LIMIT",
    Warning,
    "PDF 页面内容超出处理上限",
    "PDF page exceeds the work limit",
    "## 含义\n\n某页（或整份文件）的绘制指令数超过上限（防止恶意文件耗尽时间），超出部分未读取。页面上的线条构成的格子过多（一张表超过 4096 格，如坐标纸、网纹底图）或过于复杂时，这些格子不按表格读取，其中的文字按文字行读取。",
    "## Meaning\n\nA page (or the file) has more drawing operations than the work limit that protects against hostile files; the rest was not read. When the lines of a page form too many boxes (a grid of more than 4,096, such as graph paper or a screened background) or too complex a drawing, they are not read as a table; their text is read as lines."
);

reader_finding!(
    READ_PAGE_FAILED,
    "READ-PAGE-FAILED",
    Warning,
    "PDF 页面读取失败，已跳过",
    "A PDF page failed and was skipped",
    "## 含义\n\n读取某页时底层库出错，该页已跳过，其余页面照常读取。",
    "## Meaning\n\nReading a page failed inside a dependency; the page was skipped and the others read."
);

reader_finding!(
    READ_CLIPPED,
    "READ-CLIPPED",
    Warning,
    "PDF 页面上有内容超出可见区域（被页边截断）",
    "PDF content beyond the visible page (cut off at the edge)",
    "## 含义\n\n某页有文字或表格单元格位于页面可见区域（裁剪框）之外或跨越页面边缘——常见于过宽的表格导出 PDF 时右侧几列被截断。这些内容没有完整印出，不予读取；被截断的表格列记为 `?`（见 READ-COLUMNS-MISSING）。",
    "## Meaning\n\nText or table cells of a page lie outside the visible page (the crop box) or across its edge — typically the right-hand columns of a table too wide for the page. They are not (wholly) printed and are not read; the cut-off table columns are `?` (see READ-COLUMNS-MISSING)."
);

reader_finding!(
    READ_DECRYPTED,
    "READ-DECRYPTED",
    Info,
    "PDF 设有权限密码，已用空密码打开",
    "PDF with an owner password opened with the empty password",
    "## 含义\n\n许多政府网站发布的 PDF 设置了权限（所有者）密码、用户密码为空。这类文件可以正常打开阅读，gongkai 同样读取。只有需要用户密码的文件才无法读取。",
    "## Meaning\n\nMany government PDFs set permissions with an owner password and an empty user password; they open normally and are read. Only files needing a user password cannot be read."
);

reader_finding!(
    READ_REPAIRED,
    "READ-REPAIRED",
    Info,
    "PDF 交叉引用表已重建",
    "PDF cross-reference table rebuilt",
    "## 含义\n\nPDF 的交叉引用表损坏，已扫描全文件重建后读取。",
    "## Meaning\n\nThe PDF's cross-reference table was damaged and was rebuilt by scanning the file."
);
