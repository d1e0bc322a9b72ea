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
        "## 含义\n\n文件未声明编码（例如无 BOM、无 `<meta charset>` 的 GBK 文本或网页），按检测结果解码；或者文件中有按该编码无效的字节，已替换为 U+FFFD。后者为警告：相关内容可能缺失，涉及的单元格可能无法确定。",
        "## Meaning\n\nThe file declared no encoding and was decoded with the detected one (info), or contained bytes invalid in its encoding that were replaced by U+FFFD (warning: some content may be lost)."
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
        "连写数字有多种拆分，无法唯一确定",
        "Glued digits allow several readings",
        "## 含义\n\n一行的数字连写、没有分隔（如网页抓取文本“693665”），可拆分为多种读法；用表格的勾稽关系（行合计、列合计、平衡关系）筛选后仍不止一种。各读法一致的单元格照常给出，不一致的记为 `?`，并列出可能的读法。绝不擅自选择其一。\n\n## 示例\n\n“行政规范性文件693665”：可读作 69|3|665，也可读作 6|93|665 等，表二无勾稽关系可用，三个单元格均为 `?`。",
        "## Meaning\n\nA row's digits were printed glued (crawler text `693665`) and, after filtering by the table's rules (row totals, column sums, the balance), more than one reading remains. Cells on which all readings agree are given; the others are `?` with the readings listed. Never a silent choice."
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
        "READ-STRAY",
        Info,
        "表格中有不属于任何一行的数字",
        "Numbers that belong to no row",
        "## 含义\n\n两行之间出现不属于任何一行的数字（例如页码、表头中的编号、批注），已忽略，不计入任何单元格。",
        "## Meaning\n\nNumbers between two rows belong to no row (page numbers, numbered headers, notes) and were ignored."
    ),
];
