//! Tables printed with cell structure (grids): a number printed inside one cell is never split
//! across cells, and columns the grid does not print (a wide table cut off at the page edge) are
//! `?` — never filled with values shifted from other columns.

use gongkai_doc::Limits;
use gongkai_model::{CellKey, Report, T3Col, T3Row, Value};
use proptest::prelude::*;

const COLUMNS: [&str; 7] =
    ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/// Table 3 as an office suite prints it when most applications come from 自然人: the other
/// applicant columns are left empty (the same data as the PDF fixtures in
/// `gongkai-read-pdf/tests/fixtures/wide`).
const ROWS: &[(T3Row, &str, [&str; 7])] = &[
    (T3Row::NewReceived, "一、本年新收政府信息公开申请数量", ["26", "", "", "", "", "1", "27"]),
    (T3Row::CarriedOver, "二、上年结转政府信息公开申请数量", ["2", "", "", "", "", "", "2"]),
    (T3Row::Granted, "三、本年度办理结果 （一）予以公开", ["15", "", "", "", "", "1", "16"]),
    (
        T3Row::PartiallyGranted,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ["3", "", "", "", "", "", "3"],
    ),
    (
        T3Row::WithheldStateSecret,
        "（三）不予公开 1.属于国家秘密",
        ["0", "0", "0", "0", "0", "0", "0"],
    ),
    (
        T3Row::WithheldProhibitedByLaw,
        "2.其他法律行政法规禁止公开",
        ["0", "0", "0", "0", "0", "0", "0"],
    ),
    (T3Row::WithheldThreeSafeties, "3.危及“三安全一稳定”", ["0", "0", "0", "0", "0", "0", "0"]),
    (T3Row::WithheldThirdParty, "4.保护第三方合法权益", ["0", "0", "0", "0", "0", "0", "0"]),
    (T3Row::WithheldInternalAffairs, "5.属于三类内部事务信息", ["0", "0", "0", "0", "0", "0", "0"]),
    (T3Row::WithheldProcessInfo, "6.属于四类过程性信息", ["0", "0", "0", "0", "0", "0", "0"]),
    (T3Row::WithheldEnforcementFiles, "7.属于行政执法案卷", ["0", "0", "0", "0", "0", "0", "0"]),
    (T3Row::WithheldInquiry, "8.属于行政查询事项", ["0", "0", "0", "0", "0", "0", "0"]),
    (
        T3Row::UnableNotHeld,
        "（四）无法提供 1.本机关不掌握相关政府信息",
        ["6", "", "", "", "", "", "6"],
    ),
    (T3Row::UnableNeedsCreation, "2.没有现成信息需要另行制作", ["", "", "", "", "", "", ""]),
    (T3Row::UnableUnclear, "3.补正后申请内容仍不明确", ["", "", "", "", "", "", ""]),
    (
        T3Row::NotProcessedPetition,
        "（五）不予处理 1.信访举报投诉类申请",
        ["", "", "", "", "", "", ""],
    ),
    (T3Row::NotProcessedDuplicate, "2.重复申请", ["1", "", "", "", "", "", "1"]),
    (T3Row::NotProcessedPublications, "3.要求提供公开出版物", ["", "", "", "", "", "", ""]),
    (T3Row::NotProcessedMassRepetitive, "4.无正当理由大量反复申请", ["", "", "", "", "", "", ""]),
    (
        T3Row::NotProcessedConfirm,
        "5.要求行政机关确认或重新出具已获取信息",
        ["", "", "", "", "", "", ""],
    ),
    (
        T3Row::OtherOverdueCorrection,
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ["", "", "", "", "", "", ""],
    ),
    (
        T3Row::OtherUnpaidFee,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ["", "", "", "", "", "", ""],
    ),
    (T3Row::OtherOther, "3.其他", ["", "", "", "", "", "", ""]),
    (T3Row::TotalProcessed, "（七）总计", ["25", "0", "0", "0", "0", "1", "26"]),
    (T3Row::CarriedForward, "四、结转下年度继续办理", ["3", "", "", "", "", "", "3"]),
];

/// The table as a Markdown pipe table (read as a grid) printing the first `shown` columns, under
/// the given header cells.
fn markdown(shown: usize, header: &[&str]) -> String {
    let values: Vec<Vec<String>> =
        ROWS.iter().map(|(_, _, v)| v.iter().map(|s| (*s).to_owned()).collect()).collect();
    markdown_of(&values, shown, header)
}

/// The table printing `values` (one list per row of [`ROWS`]).
fn markdown_of(values: &[Vec<String>], shown: usize, header: &[&str]) -> String {
    let mut s = String::from("三、收到和处理政府信息公开申请情况\n");
    s += &format!(
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | {} |\n",
        header[..shown].join(" | ")
    );
    s += &format!("|---|{}\n", "---|".repeat(shown));
    for ((_, label, _), row) in ROWS.iter().zip(values) {
        s += &format!("| {label} | {} |\n", row[..shown].join(" | "));
    }
    s + "四、政府信息公开行政复议、行政诉讼情况\n"
}

fn read(text: &str) -> (Report, Vec<&'static str>) {
    let doc =
        gongkai_read_text::read("t.md", text.as_bytes(), &Limits::default()).expect("readable");
    let p = gongkai_parse::parse(&doc);
    (p.report, p.findings.iter().map(|f| f.rule).collect())
}

fn t3(r: &Report, row: T3Row, col: usize) -> String {
    r.value(CellKey::t3(row, T3Col::ALL[col])).map_or_else(|| "-".to_owned(), Value::tsv)
}

#[test]
fn a_whole_table_reads_every_cell_as_printed() {
    let (r, findings) = read(&markdown(7, &COLUMNS));
    for (row, _, values) in ROWS {
        for (c, v) in values.iter().enumerate() {
            assert_eq!(t3(&r, *row, c), *v, "{row:?} column {c}");
        }
    }
    assert!(!findings.contains(&"READ-SPLIT"), "{findings:?}");
    assert!(!findings.contains(&"READ-COLUMNS-MISSING"), "{findings:?}");
}

#[test]
fn a_table_cut_off_at_the_right_reads_the_visible_cells_and_unknown_for_the_rest() {
    // 其他 is on the page, 总计 is cut off: `26` and `1` must not become 2|6 … 1.
    for shown in [5, 6] {
        let (r, findings) = read(&markdown(shown, &COLUMNS));
        for (row, _, values) in ROWS {
            for (c, v) in values.iter().enumerate() {
                let want = if c < shown { *v } else { "?" };
                assert_eq!(t3(&r, *row, c), want, "{shown} columns shown: {row:?} column {c}");
            }
        }
        assert!(findings.contains(&"READ-COLUMNS-MISSING"), "{findings:?}");
        assert!(!findings.contains(&"READ-SPLIT"), "{findings:?}");
    }
}

#[test]
fn without_column_headers_a_short_row_is_unknown_never_split() {
    let (r, findings) = read(&markdown(6, &["", "", "", "", "", "", ""]));
    for (row, _, values) in ROWS {
        for (c, v) in values.iter().enumerate() {
            let got = t3(&r, *row, c);
            assert!(got == "?" || got == *v, "{row:?} column {c}: `{got}`, printed `{v}`");
        }
    }
    assert_eq!(t3(&r, T3Row::NewReceived, 0), "?");
    assert!(findings.contains(&"READ-VALUES"), "{findings:?}");
    assert!(!findings.contains(&"READ-SPLIT"), "{findings:?}");
}

#[test]
fn a_question_mark_cell_is_unknown_and_never_takes_the_next_rows_values() {
    // An OCR reader prints `?` for a cell it could not read: here a whole row of them, and the
    // next row's label unread too. The `?` cells hold their places: the row is `?`, not the next
    // row's numbers.
    let mut values: Vec<Vec<String>> =
        ROWS.iter().map(|(_, _, v)| v.iter().map(|s| (*s).to_owned()).collect()).collect();
    values[2] = vec!["?".to_owned(); 7];
    let text = markdown_of(&values, 7, &COLUMNS)
        .replace("| （二）部分公开（区分处理的，只计这一情形，不计其他情形） |", "| ？ |");
    let (r, _) = read(&text);
    for (i, (row, _, printed)) in ROWS.iter().enumerate() {
        for (c, v) in printed.iter().enumerate() {
            let got = t3(&r, *row, c);
            match i {
                2 => assert_eq!(got, "?", "{row:?} column {c}"),
                3 => assert!(got == "?" || got == *v, "{row:?} column {c}: `{got}`, printed `{v}`"),
                _ => assert_eq!(got, *v, "{row:?} column {c}"),
            }
        }
    }
}

#[test]
fn a_garbled_label_found_approximately_is_not_taken_for_a_row_of_another_number() {
    // OCR at 150 dpi: 「一、本年新收…」 is unreadable, and 「二、上年结转…」 is close enough to the
    // short wording 「本年新收政府信息公开申请」 to be found for row 一 — but it is numbered 二.
    let text = markdown(7, &COLUMNS)
        .replace("一、本年新收政府信息公开申请数量", "一、鸡年盾改政府信息公开与请外革")
        .replace("二、上年结转政府信息公开申请数量", "二、- 上年结 ! 震政府信息公开申请外 ] 上");
    let (r, _) = read(&text);
    for (row, _, printed) in ROWS {
        for (c, v) in printed.iter().enumerate() {
            let got = t3(&r, *row, c);
            assert!(got == "?" || got == *v, "{row:?} column {c}: `{got}`, printed `{v}`");
        }
    }
    assert_eq!(t3(&r, T3Row::CarriedOver, 0), "2", "row 二 is found approximately");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// Whatever is printed and wherever the table is cut off, every visible cell reads as printed
    /// (no split, no shift) and every cut-off cell is `?`.
    #[test]
    fn visible_cells_read_as_printed_and_cut_off_cells_are_unknown(
        values in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![Just(String::new()), (0u32..400).prop_map(|n| n.to_string())], 7),
            ROWS.len(),
        ),
        shown in 1usize..7,
    ) {
        let (r, findings) = read(&markdown_of(&values, shown, &COLUMNS));
        for ((row, _, _), printed) in ROWS.iter().zip(&values) {
            for (c, v) in printed.iter().enumerate() {
                let want = if c < shown { v.as_str() } else { "?" };
                prop_assert_eq!(t3(&r, *row, c), want, "{:?} column {}", row, c);
            }
        }
        prop_assert!(findings.contains(&"READ-COLUMNS-MISSING"));
    }
}
