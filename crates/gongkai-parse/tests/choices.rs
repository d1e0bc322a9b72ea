//! Cells an OCR reader printed as `?` with the numbers they may be ([`gongkai_doc::Choices`]): the
//! table's identities choose among them, a cell is written only when an identity confirms its
//! reading, and otherwise it stays `?` — never the OCR's favourite taken on trust.

use gongkai_doc::{Block, Choices, Document, Limits};
use gongkai_model::{CellKey, Report, T3Col, T3Row, Value};
use proptest::prelude::*;

const COLUMNS: [&str; 7] =
    ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/// A consistent Table 3 (rows, columns and the balance all hold).
const ROWS: &[(T3Row, &str, [u32; 7])] = &[
    (T3Row::NewReceived, "一、本年新收政府信息公开申请数量", [26, 0, 0, 0, 0, 1, 27]),
    (T3Row::CarriedOver, "二、上年结转政府信息公开申请数量", [2, 0, 0, 0, 0, 0, 2]),
    (T3Row::Granted, "三、本年度办理结果 （一）予以公开", [15, 0, 0, 0, 0, 1, 16]),
    (
        T3Row::PartiallyGranted,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        [3, 0, 0, 0, 0, 0, 3],
    ),
    (T3Row::WithheldStateSecret, "（三）不予公开 1.属于国家秘密", [0; 7]),
    (T3Row::WithheldProhibitedByLaw, "2.其他法律行政法规禁止公开", [0; 7]),
    (T3Row::WithheldThreeSafeties, "3.危及“三安全一稳定”", [0; 7]),
    (T3Row::WithheldThirdParty, "4.保护第三方合法权益", [0; 7]),
    (T3Row::WithheldInternalAffairs, "5.属于三类内部事务信息", [0; 7]),
    (T3Row::WithheldProcessInfo, "6.属于四类过程性信息", [0; 7]),
    (T3Row::WithheldEnforcementFiles, "7.属于行政执法案卷", [0; 7]),
    (T3Row::WithheldInquiry, "8.属于行政查询事项", [0; 7]),
    (T3Row::UnableNotHeld, "（四）无法提供 1.本机关不掌握相关政府信息", [6, 0, 0, 0, 0, 0, 6]),
    (T3Row::UnableNeedsCreation, "2.没有现成信息需要另行制作", [0; 7]),
    (T3Row::UnableUnclear, "3.补正后申请内容仍不明确", [0; 7]),
    (T3Row::NotProcessedPetition, "（五）不予处理 1.信访举报投诉类申请", [0; 7]),
    (T3Row::NotProcessedDuplicate, "2.重复申请", [1, 0, 0, 0, 0, 0, 1]),
    (T3Row::NotProcessedPublications, "3.要求提供公开出版物", [0; 7]),
    (T3Row::NotProcessedMassRepetitive, "4.无正当理由大量反复申请", [0; 7]),
    (T3Row::NotProcessedConfirm, "5.要求行政机关确认或重新出具已获取信息", [0; 7]),
    (
        T3Row::OtherOverdueCorrection,
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        [0; 7],
    ),
    (
        T3Row::OtherUnpaidFee,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        [0; 7],
    ),
    (T3Row::OtherOther, "3.其他", [0; 7]),
    (T3Row::TotalProcessed, "（七）总计", [25, 0, 0, 0, 0, 1, 26]),
    (T3Row::CarriedForward, "四、结转下年度继续办理", [3, 0, 0, 0, 0, 0, 3]),
];

/// A cell the OCR reader could not read: its row and column, and the readings it offers.
struct Unsure {
    row: usize,
    col: usize,
    offered: Vec<String>,
}

fn unsure(row: usize, col: usize, offered: &[&str]) -> Unsure {
    Unsure { row, col, offered: offered.iter().map(|s| (*s).to_owned()).collect() }
}

/// Table 3 printed as a grid with `?` in the unsure cells, and their readings attached as an OCR
/// reader attaches them.
fn scan(cells: &[Unsure]) -> Document {
    let mut s = String::from("三、收到和处理政府信息公开申请情况\n");
    s += &format!(
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | {} |\n",
        COLUMNS.join(" | ")
    );
    s += &format!("|---|{}\n", "---|".repeat(7));
    for (r, (_, label, values)) in ROWS.iter().enumerate() {
        let shown: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(c, v)| {
                if cells.iter().any(|u| u.row == r && u.col == c) {
                    "?".to_owned()
                } else {
                    v.to_string()
                }
            })
            .collect();
        s += &format!("| {label} | {} |\n", shown.join(" | "));
    }
    s += "四、政府信息公开行政复议、行政诉讼情况\n";
    let mut doc =
        gongkai_read_text::read("scan.md", s.as_bytes(), &Limits::default()).expect("readable");
    // The `?` cells in printed order are the unsure cells in (row, column) order.
    let mut order: Vec<&Unsure> = cells.iter().collect();
    order.sort_by_key(|u| (u.row, u.col));
    let spans: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Grid(g) => Some(g),
            Block::Para(_) => None,
        })
        .flat_map(|g| g.rows.iter().flatten())
        .filter(|c| doc.slice(c.span) == "?")
        .map(|c| c.span)
        .collect();
    assert_eq!(spans.len(), order.len(), "one `?` per unsure cell");
    doc.choices = spans
        .into_iter()
        .zip(order)
        .filter(|(_, u)| !u.offered.is_empty())
        .map(|(span, u)| Choices { span, values: u.offered.clone() })
        .collect();
    doc
}

fn read(doc: &Document) -> (Report, Vec<gongkai_model::Finding>) {
    let p = gongkai_parse::parse(doc);
    (p.report, p.findings)
}

fn key(row: usize, col: usize) -> CellKey {
    CellKey::t3(ROWS[row].0, T3Col::ALL[col])
}

fn value(r: &Report, row: usize, col: usize) -> String {
    r.value(key(row, col)).map_or_else(|| "-".to_owned(), Value::tsv)
}

fn rules(f: &[gongkai_model::Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.rule).collect()
}

#[test]
fn the_reading_the_identities_confirm_is_written_and_said() {
    // 予以公开 / 自然人 printed 15; OCR hesitated between 15 and 16. The row total (16 = ? + 1)
    // and the column sum both hold only with 15.
    let (r, f) = read(&scan(&[unsure(2, 0, &["16", "15"])]));
    assert_eq!(value(&r, 2, 0), "15");
    let note = f.iter().find(|f| f.rule == "READ-OCR-CHOSEN").expect("READ-OCR-CHOSEN");
    assert_eq!(note.cells, vec![key(2, 0)]);
    assert!(note.message.zh.contains("= 15（OCR 候选 16/15）"), "{}", note.message.zh);
    assert!(note.message.en.contains("= 15 (OCR offered 16/15)"), "{}", note.message.en);
    let cell = r.cell(key(2, 0)).expect("cell");
    assert!(cell.span.is_some(), "the chosen value keeps where its `?` was printed");
    assert!(!rules(&f).contains(&"READ-AMBIGUOUS"));
}

#[test]
fn readings_that_miss_the_printed_number_leave_the_cell_unknown() {
    // Printed 15; OCR offers 18 and 19: no reading satisfies the row total, none is taken.
    let (r, f) = read(&scan(&[unsure(2, 0, &["18", "19"])]));
    assert_eq!(value(&r, 2, 0), "?");
    assert!(!rules(&f).contains(&"READ-OCR-CHOSEN"));
}

#[test]
fn a_single_reading_no_identity_can_check_stays_unknown() {
    // The row total and the column's 总计 are unread as well: nothing can check the 15.
    let cells = [unsure(2, 0, &["15"]), unsure(2, 6, &[]), unsure(23, 0, &[])];
    let (r, f) = read(&scan(&cells));
    assert_eq!(value(&r, 2, 0), "?");
    let amb = f.iter().find(|f| f.rule == "READ-AMBIGUOUS").expect("READ-AMBIGUOUS");
    assert!(amb.cells.contains(&key(2, 0)));
    assert_eq!(r.cell(key(2, 0)).map(|c| c.alternatives.len()), Some(1));
    // The balance of column 自然人 does not involve 予以公开; the other cells read as printed.
    assert_eq!(value(&r, 3, 0), "3");
}

#[test]
fn readings_the_identities_cannot_tell_apart_stay_unknown_with_both_listed() {
    let cells = [unsure(2, 0, &["15", "16"]), unsure(2, 6, &[]), unsure(23, 0, &[])];
    let (r, f) = read(&scan(&cells));
    assert_eq!(value(&r, 2, 0), "?");
    assert_eq!(r.cell(key(2, 0)).map(|c| c.alternatives.len()), Some(2));
    let amb = f.iter().find(|f| f.rule == "READ-AMBIGUOUS").expect("READ-AMBIGUOUS");
    assert!(amb.message.zh.contains("15 或 16"), "{}", amb.message.zh);
    assert!(amb.message.en.contains("15 or 16"), "{}", amb.message.en);
}

#[test]
fn two_unsure_cells_of_one_row_are_settled_through_their_columns() {
    // 予以公开: 自然人 15 or 14, 其他 1 or 2 — both pairs make 16, the columns decide.
    let cells = [unsure(2, 0, &["14", "15"]), unsure(2, 5, &["2", "1"])];
    let (r, f) = read(&scan(&cells));
    assert_eq!(value(&r, 2, 0), "15");
    assert_eq!(value(&r, 2, 5), "1");
    let note = f.iter().find(|f| f.rule == "READ-OCR-CHOSEN").expect("READ-OCR-CHOSEN");
    assert_eq!(note.cells.len(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Whatever cells are unsure and whatever else OCR offers for them, as long as the printed
    /// number is among the readings of a consistent table, every cell reads as printed or `?`.
    #[test]
    fn with_the_printed_number_among_the_readings_nothing_is_wrong(
        picks in proptest::collection::vec((0usize..25, 0usize..7, proptest::collection::vec(0u32..40, 0..3)), 1..6),
    ) {
        let mut cells: Vec<Unsure> = Vec::new();
        for (row, col, others) in picks {
            if cells.iter().any(|u| u.row == row && u.col == col) {
                continue;
            }
            let mut offered = vec![ROWS[row].2[col].to_string()];
            offered.extend(others.iter().map(ToString::to_string));
            offered.dedup();
            cells.push(Unsure { row, col, offered });
        }
        let (r, _) = read(&scan(&cells));
        for (row, (_, _, printed)) in ROWS.iter().enumerate() {
            for (col, v) in printed.iter().enumerate() {
                let got = value(&r, row, col);
                prop_assert!(got == "?" || got == v.to_string(), "row {} column {}: `{}`, printed {}", row, col, got, v);
            }
        }
    }
}
