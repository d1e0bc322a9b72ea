//! Hostile text input: a clear error or a bounded result, never a panic or a hang, and the
//! recognizer survives whatever the reader lets through.

use gongkai_doc::Limits;
use gongkai_read_text::{Error, read};
use proptest::prelude::*;

#[test]
fn a_100_mb_line_is_refused_before_decoding() {
    let mut bytes = "一、总体情况\n".as_bytes().to_vec();
    bytes.resize(bytes.len() + 100 * 1024 * 1024, b'7');
    match read("huge.txt", &bytes, &Limits::default()) {
        Err(Error::LineTooLong { line: 2, .. }) => {}
        other => panic!("expected LineTooLong, got {other:?}"),
    }
}

#[test]
fn binary_junk_is_not_text() {
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    assert!(matches!(read("junk.bin", &junk, &Limits::default()), Err(Error::Binary { .. })));
}

#[test]
fn text_above_the_limit_is_refused() {
    let limits = Limits { max_text_bytes: 1000, ..Limits::default() };
    let text = "规章\t0\n".repeat(200);
    assert!(matches!(read("big.txt", text.as_bytes(), &limits), Err(Error::TextTooLarge { .. })));
}

#[test]
fn invalid_utf8_is_decoded_with_a_note_not_a_panic() {
    let mut bytes = "一、总体情况\n本年新收政府信息公开申请数量 ".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, 0xC3, 0x28, 0xA0, 0xA1]);
    bytes.extend_from_slice("12\n".as_bytes());
    let doc = read("bad.txt", &bytes, &Limits::default()).expect("mostly text");
    assert!(doc.notes.iter().any(|n| n.rule == "READ-ENCODING"));
}

fn parse_does_not_panic(text: &str) {
    let doc = read("t.md", text.as_bytes(), &Limits::default()).expect("readable");
    let _ = gongkai_parse::parse(&doc);
}

#[test]
fn deeply_nested_markdown_and_huge_tables_are_bounded() {
    parse_does_not_panic(&format!("{}一、总体情况\n", ">".repeat(200_000)));
    parse_does_not_panic(
        &(0..50_000).map(|i| format!("{}- 项{i}\n", "  ".repeat(i % 64))).collect::<String>(),
    );
    let wide = format!("|{}\n|{}\n", "规章|".repeat(20_000), "0|".repeat(20_000));
    parse_does_not_panic(&format!(
        "二、主动公开政府信息情况\n{wide}三、收到和处理政府信息公开申请情况\n"
    ));
}

#[test]
fn pathological_glued_digits_and_repeated_labels_are_bounded() {
    let digits: String = (0..3000).map(|i| char::from(b'1' + (i % 9) as u8)).collect();
    parse_does_not_panic(&format!(
        "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量{digits}二、上年结转政府信息公开申请数量{digits}（七）总计{digits}四、结转下年度继续办理{digits}"
    ));
    let many = "一、本年新收政府信息公开申请数量 1 2 3 4 5 6 21\n（七）总计 1 1 1 1 1 1 6\n"
        .repeat(20_000);
    parse_does_not_panic(&format!("三、收到和处理政府信息公开申请情况\n{many}"));
    parse_does_not_panic(
        &"一、总体情况二、主动公开政府信息情况三、收到和处理政府信息公开申请情况\n".repeat(30_000),
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        if let Ok(doc) = read("x", &bytes, &Limits::default()) {
            let _ = gongkai_parse::parse(&doc);
        }
    }

    #[test]
    fn arbitrary_report_like_text_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("一、总体情况".to_owned()), Just("三、收到和处理政府信息公开申请情况".to_owned()),
        Just("（七）总计".to_owned()), Just("1.属于国家秘密".to_owned()), Just("|".to_owned()), Just("\n".to_owned()),
        Just("\t".to_owned()), Just("（其中".to_owned()), Just("）".to_owned()), Just("-".to_owned()), Just("—".to_owned()),
        "[0-9]{1,12}", "[0-9]{1,4}\\.[0-9]{1,3}", "[\\u{4e00}-\\u{4e20}]{1,6}",
    ], 0..200)) {
        let text = parts.concat();
        if let Ok(doc) = read("x.txt", text.as_bytes(), &Limits::default()) {
            let _ = gongkai_parse::parse(&doc);
        }
    }
}
