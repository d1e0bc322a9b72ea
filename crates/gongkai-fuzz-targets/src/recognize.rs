//! The recognizer on structured documents: paragraphs and tables made of the words a report is
//! made of (section heads, row and column labels, numbers), which random bytes would almost never
//! spell.

use arbitrary::Arbitrary;
use gongkai_doc::DocumentBuilder;
use gongkai_model::Lang;

/// Words and labels of the annual reports (sections, Tables 1–4), as the recognizer looks for them.
pub const LABELS: &[&str] = &[
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "行政规范性文件",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "处理决定数量",
    "本年收费金额（单位：万元）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "（五）不予处理",
    "（六）其他处理",
    "（七）总计",
    "四、结转下年度继续办理",
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "年度报告",
    "政府信息公开工作年度报告",
    "人民政府",
    "2023年",
    "本机关",
    "收到",
    "件",
    "0",
    "-",
    "/",
    "—",
    "",
];

/// A piece of text: a label, a number, or anything.
#[derive(Arbitrary, Debug)]
pub enum Word {
    /// One of [`LABELS`] (index taken modulo its length).
    Label(u8),
    /// A number as printed.
    Number(u32),
    /// A decimal with two places.
    Decimal(u32),
    /// Any text.
    Free(String),
}

impl Word {
    fn push_to(&self, out: &mut String) {
        match self {
            Word::Label(i) => out.push_str(LABELS[usize::from(*i) % LABELS.len()]),
            Word::Number(n) => out.push_str(&n.to_string()),
            Word::Decimal(n) => out.push_str(&format!("{}.{:02}", n / 100, n % 100)),
            Word::Free(s) => out.push_str(s),
        }
    }
}

fn text(words: &[Word]) -> String {
    let mut out = String::new();
    for w in words.iter().take(16) {
        w.push_to(&mut out);
    }
    out
}

/// A cell: its words and spans (each 1–4); or, when `unsure` is given, a `?` with the numbers an
/// OCR reader offers for it (at most 8, as the OCR reader offers).
#[derive(Arbitrary, Debug)]
pub struct CellPart {
    words: Vec<Word>,
    row_span: u8,
    col_span: u8,
    unsure: Option<Vec<u32>>,
}

/// A block of the document.
#[derive(Arbitrary, Debug)]
pub enum Part {
    /// A paragraph.
    Para(Vec<Word>),
    /// A table: rows of cells.
    Table(Vec<Vec<CellPart>>),
}

/// Lays `parts` out in `b` (at most 200 blocks, 60 rows, 20 cells a row).
pub fn lay_out(b: &mut DocumentBuilder, parts: &[Part]) {
    for part in parts.iter().take(200) {
        match part {
            Part::Para(words) => b.para(&text(words)),
            Part::Table(rows) => {
                for row in rows.iter().take(60) {
                    b.row();
                    let mut col = 0u32;
                    for cell in row.iter().take(20) {
                        let (rs, cs) =
                            (u32::from(cell.row_span % 4) + 1, u32::from(cell.col_span % 4) + 1);
                        match &cell.unsure {
                            Some(offered) => {
                                b.cell("?", rs, cs, col);
                                b.choices(offered.iter().take(8).map(u32::to_string).collect());
                            }
                            None => b.cell(&text(&cell.words), rs, cs, col),
                        }
                        col += cs;
                    }
                }
                b.end_table();
            }
        }
    }
}

/// Recognises and checks the document the bytes describe, and writes the check result in both
/// languages.
pub fn run(data: &[u8]) {
    let Some(parts) = crate::structured::<Vec<Part>>(data) else { return };
    let doc = crate::build(&parts);
    let analysis = gongkai_pipeline::analyse_doc(doc);
    for lang in [Lang::Zh, Lang::En] {
        let _ = gongkai_pipeline::CheckResult::full("fuzz.txt", &analysis, lang);
    }
}
