//! The traps of real reports (spec §6), one small fixture each.

use gongkai_doc::Limits;
use gongkai_model::{CellKey, Report, T2Col, T2Row, T3Col, T3Row, T4Block, T4Col, Value};

fn read(text: &str) -> (Report, Vec<&'static str>) {
    let doc =
        gongkai_read_text::read("t.md", text.as_bytes(), &Limits::default()).expect("readable");
    let p = gongkai_parse::parse(&doc);
    (p.report, p.findings.iter().map(|f| f.rule).collect())
}

fn v(r: &Report, k: CellKey) -> String {
    r.value(k).map_or_else(|| "-".to_owned(), Value::tsv)
}

const T3_2021_MD: &str = "三、收到和处理政府信息公开申请情况
| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
|---|---|---|---|---|---|---|---|
| 一、本年新收政府信息公开申请数量 | 10 | 2 | 0 | 0 | 0 | 0 | 12 |
| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 三、本年度办理结果 （一）予以公开 | 6 | O | 0 | 0 | 0 | 0 | 7 |
| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （三）不予公开 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.其他法律行政止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （四）无法提供 1.本机关不掌握相关政府信息 | 4件 | 1 | 0 | 0 | 0 | 0 | 5 |
| 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （五）不予处理 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （七）总计 | 10 | 2 | 0 | 0 | 0 | 0 | 12 |
| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
四、政府信息公开行政复议、行政诉讼情况
";

#[test]
fn ocr_letter_in_a_cell_is_unknown_with_the_digit_as_alternative_and_the_row_is_kept() {
    let (r, findings) = read(T3_2021_MD);
    let k = CellKey::t3(T3Row::Granted, T3Col::Commercial);
    assert_eq!(v(&r, k), "?");
    assert_eq!(r.cell(k).map(|c| c.alternatives.clone()), Some(vec![0.into()]));
    // The rest of the row is read as printed.
    assert_eq!(v(&r, CellKey::t3(T3Row::Granted, T3Col::NaturalPerson)), "6");
    assert_eq!(v(&r, CellKey::t3(T3Row::Granted, T3Col::Total)), "7");
    assert!(findings.contains(&"READ-CELL-TEXT"), "{findings:?}");
}

#[test]
fn unit_suffixed_cells_and_typos_in_labels() {
    let (r, findings) = read(T3_2021_MD);
    assert_eq!(v(&r, CellKey::t3(T3Row::UnableNotHeld, T3Col::NaturalPerson)), "4");
    assert_eq!(v(&r, CellKey::t3(T3Row::WithheldProhibitedByLaw, T3Col::Total)), "0");
    assert!(findings.contains(&"READ-LABEL"), "{findings:?}");
}

#[test]
fn trial_table_3_in_cell_per_line_text() {
    let mut t = String::from("三、收到和处理政府信息公开申请情况\n");
    let rows: [(&str, [u32; 7]); 23] = [
        ("一、本年新收政府信息公开申请数量", [3, 0, 0, 0, 0, 0, 3]),
        ("二、上年结转政府信息公开申请数量", [0; 7]),
        ("（一）予以公开", [2, 0, 0, 0, 0, 0, 2]),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [0; 7]),
        ("1.属于国家秘密", [0; 7]),
        ("2.其他法律行政法规禁止公开", [0; 7]),
        ("3.危及“三安全一稳定”", [0; 7]),
        ("4.保护第三方合法权益", [0; 7]),
        ("5.属于三类内部事务信息", [0; 7]),
        ("6.属于四类过程性信息", [0; 7]),
        ("7.属于行政执法案卷", [0; 7]),
        ("8.属于行政查询事项", [0; 7]),
        ("1.本机关不掌握相关政府信息", [0; 7]),
        ("2.没有现成信息需要另行制作", [0; 7]),
        ("3.补正后申请内容仍不明确", [0; 7]),
        ("1.信访举报投诉类申请", [0; 7]),
        ("2.重复申请", [0; 7]),
        ("3.要求提供公开出版物", [0; 7]),
        ("4.无正当理由大量反复申请", [0; 7]),
        ("5.要求行政机关确认或重新出具已获取信息", [0; 7]),
        ("（六）其他处理", [1, 0, 0, 0, 0, 0, 1]),
        ("（七）总计", [3, 0, 0, 0, 0, 0, 3]),
        ("四、结转下年度继续办理", [0; 7]),
    ];
    for (label, vals) in rows {
        t.push_str(&format!("\t{label}\n"));
        for x in vals {
            t.push_str(&format!("\t {x}\n"));
        }
        t.push('\n');
    }
    t.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
    let (r, _) = read(&t);
    assert_eq!(
        r.t3.as_ref().map(gongkai_model::Table::layout),
        Some(gongkai_model::Layout::Trial2019)
    );
    assert_eq!(v(&r, CellKey::t3(T3Row::OtherMerged, T3Col::Total)), "1");
    assert_eq!(v(&r, CellKey::t3(T3Row::TotalProcessed, T3Col::Total)), "3");
}

#[test]
fn annotations_and_not_applicable_marks_in_table_2() {
    let t = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 / / /\n行政规范性文件 22（其中修订16件） 0 35\n第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 1,234\n第二十条第（六）项\n信息内容 本年处理决定数量\n行政处罚 —\n行政强制 0\n第二十条第（八）项\n信息内容 本年收费金额（单位：万元）\n行政事业性收费 7730.280\n三、收到和处理政府信息公开申请情况\n";
    let (r, _) = read(t);
    assert_eq!(v(&r, CellKey::t2(T2Row::Regulations, T2Col::Issued)), "/");
    let k = CellKey::t2(T2Row::NormativeDocuments, T2Col::Issued);
    assert_eq!(v(&r, k), "22");
    assert_eq!(r.cell(k).and_then(|c| c.annotation.clone()).as_deref(), Some("其中修订16件"));
    assert_eq!(v(&r, CellKey::t2(T2Row::NormativeDocuments, T2Col::InForce)), "35");
    assert_eq!(v(&r, CellKey::t2(T2Row::Licensing, T2Col::Decisions)), "1234");
    assert_eq!(v(&r, CellKey::t2(T2Row::Penalty, T2Col::Decisions)), "/");
    assert_eq!(v(&r, CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan)), "7730.280");
}

#[test]
fn table_4_as_three_labelled_rows_with_page_number_between() {
    let t = "四、政府信息公开行政复议、行政诉讼情况\n行政复议 结果维持 结果纠正 其他结果 尚未审结 总计\n1 0 2 0 3\n- 7 -\n行政诉讼（未经复议直接起诉） 结果维持 结果纠正 其他结果 尚未审结 总计\n0 0 0 1 1\n复议后起诉 结果维持 结果纠正 其他结果 尚未审结 总计\n0 0 0 0 0\n五、存在的主要问题及改进情况\n无\n";
    let (r, _) = read(t);
    assert_eq!(v(&r, CellKey::t4(T4Block::Review, T4Col::Total)), "3");
    assert_eq!(v(&r, CellKey::t4(T4Block::LitigationDirect, T4Col::Pending)), "1");
    assert_eq!(v(&r, CellKey::t4(T4Block::LitigationAfterReview, T4Col::Total)), "0");
}

/// Table 4 as a grid, with its two header rows, the second with `second_header` where the
/// first 其他结果 of the lawsuits is printed.
fn t4_grid(second_header: &str) -> String {
    let row = |cells: &[&str]| format!("| {} |\n", cells.join(" | "));
    let cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut second = cols.to_vec();
    second.splice(2..3, [second_header]);
    let mut s = String::from("四、政府信息公开行政复议、行政诉讼情况\n");
    s += &row(&["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""]);
    s += &row(&["---"; 15]);
    s +=
        &row(&[&cols[..], &["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]]
            .concat());
    s += &row(&[&["", "", "", "", ""][..], &second, &cols].concat());
    s += &row(&["1", "0", "2", "0", "3", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]);
    s + "五、存在的主要问题及改进情况\n无\n"
}

#[test]
fn table_4_with_an_unread_header_cell_reads_its_values() {
    // An OCR reader prints `?` for a header cell it could not read: a `?` among headers is not a
    // value (it would make 16 values for 15 cells).
    for header in ["其他结果", "?"] {
        let (r, findings) = read(&t4_grid(header));
        assert_eq!(
            v(&r, CellKey::t4(T4Block::Review, T4Col::Other)),
            "2",
            "{header}: {findings:?}"
        );
        assert_eq!(v(&r, CellKey::t4(T4Block::Review, T4Col::Total)), "3", "{header}");
        assert_eq!(v(&r, CellKey::t4(T4Block::LitigationDirect, T4Col::Total)), "1", "{header}");
        assert_eq!(
            v(&r, CellKey::t4(T4Block::LitigationAfterReview, T4Col::Total)),
            "0",
            "{header}"
        );
        assert!(!findings.contains(&"READ-VALUES"), "{header}: {findings:?}");
    }
}

#[test]
fn a_source_inconsistency_in_glued_text_is_kept_not_repaired() {
    // Row total printed as 9 beside parts summing to 8: one split only (all single digits), kept.
    let t = "四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计123491000110000五、存在的主要问题";
    let (r, _) = read(t);
    assert_eq!(v(&r, CellKey::t4(T4Block::Review, T4Col::Total)), "9");
    assert_eq!(v(&r, CellKey::t4(T4Block::Review, T4Col::Pending)), "4");
}
