//! A blank is a value and needs evidence like any other.
//!
//! The fixtures are Table 4 as the plain output of PDF-to-text tools prints it (`pdftotext`
//! without `-layout`, compare `fixtures/derived/hongze-2024.pdftotext-raw.txt`): every cell its own
//! line, the header broken across lines with seven empty lines among them, and the values after it.

use gongkai_doc::Limits;
use gongkai_model::{CellKey, Report, T4Block, T4Col, Value};

/// Section 四 with Table 4's header as `pdftotext` prints it (verbatim from the hongze report),
/// then `values`, then section 五.
fn plain_t4(values: &str) -> String {
    format!(
        "四、政府信息公开行政复议、行政诉讼情况
行政复议

行政诉讼
未经复议直接起诉

复议后起诉

结果
维持

结果
纠正

其他
结果

尚未
总 计 结果 结果 其他 尚未
结果 结果 其他 尚未
审结
总 计
维持 纠正 结果 审结
维持 纠正 结果 审结

{values}
五、存在的主要问题及改进情况
无。
"
    )
}

fn read(text: &str) -> (Report, Vec<&'static str>) {
    let doc = gongkai_read_text::read("t.txt", text.as_bytes(), &Limits::default()).expect("text");
    let p = gongkai_parse::parse(&doc);
    (p.report, p.findings.iter().map(|f| f.rule).collect())
}

/// The true table: reconsideration 114 upheld, 64 corrected, total 178; no direct litigation;
/// litigation after reconsideration 2, 0, 1, 0, 3. Blank cells are `None`.
fn truth() -> Vec<(CellKey, Option<i64>)> {
    let rows: [(T4Block, [Option<i64>; 5]); 3] = [
        (T4Block::Review, [Some(114), Some(64), None, None, Some(178)]),
        (T4Block::LitigationDirect, [None; 5]),
        (T4Block::LitigationAfterReview, [Some(2), Some(0), Some(1), Some(0), Some(3)]),
    ];
    let cols = [T4Col::Upheld, T4Col::Corrected, T4Col::Other, T4Col::Pending, T4Col::Total];
    rows.iter()
        .flat_map(|(b, vals)| cols.iter().zip(vals).map(move |(c, v)| (CellKey::t4(*b, *c), *v)))
        .collect()
}

#[test]
fn blanks_the_source_does_not_show_are_never_blank_cells() {
    // The blank cells left no trace: eight numbers for fifteen cells. The only way to make fifteen
    // is to take the header's seven empty lines as blank cells, which shifts every number — a
    // reading whose blocks are all unjudgeable, so it "satisfied" the rules and cells were
    // reported blank where 114, 64 and 178 were printed.
    let (r, findings) = read(&plain_t4("114\n64\n178\n2\n0\n1\n0\n3"));
    for (key, truth) in truth() {
        let got = r.value(key).cloned();
        match (got, truth) {
            (Some(Value::Unknown), _) => {}
            (Some(Value::Number(d)), Some(t)) if d == t.into() => {}
            (got, truth) => panic!("{key}: read {got:?}, printed {truth:?}"),
        }
    }
    assert!(findings.contains(&"READ-AMBIGUOUS"), "{findings:?}");
}

#[test]
fn empty_lines_among_the_values_are_the_blank_cells() {
    // Here every empty cell left an empty line among the values: the one reading that does not
    // take the header's empty lines as cells is the table as printed.
    let (r, _) = read(&plain_t4("114\n64\n\n\n178\n\n\n\n\n\n2\n0\n1\n0\n3"));
    for (key, truth) in truth() {
        let want = truth.map_or(Value::Blank, Value::int);
        assert_eq!(r.value(key), Some(&want), "{key}");
    }
}
