//! Tolerant reading of cell values as clerks type them: dates in several forms or as Excel
//! serials, full-width digits and punctuation, stray spaces, labels with or without numbering.
//! Every failure is a reason (Chinese and English) naming what was found.

use gongkai_model::Msg;
use jiff::civil::Date;
use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

/// A cell as a spreadsheet gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Empty.
    Empty,
    /// Text.
    Text(String),
    /// A number (an Excel date is a number too: its serial).
    Number(f64),
}

impl Cell {
    /// Whether the cell is empty or only whitespace.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }

    /// The cell as normalized text (NFKC, trimmed); numbers without a needless `.0`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => norm(s),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }

    /// The cell as written, only trimmed and with `\r\n` as `\n` (a full text keeps its
    /// Chinese punctuation, which NFKC would turn into ASCII).
    pub fn text_verbatim(&self) -> String {
        match self {
            Cell::Text(s) => s.trim().replace("\r\n", "\n"),
            other => other.text(),
        }
    }
}

/// NFKC (full-width digits and letters to ASCII, ideographic space to space), trimmed.
pub fn norm(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_owned()
}

/// A label reduced for matching: normalized, without spaces, numbering, brackets and punctuation.
pub fn label_key(s: &str) -> String {
    let s = norm(s);
    let s = s.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '、' | ' '));
    s.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '*' | ':'
                        | '：'
                        | '、'
                        | '-'
                        | '—'
                        | '('
                        | ')'
                        | '（'
                        | '）'
                        | '“'
                        | '”'
                        | '"'
                        | '·'
                )
        })
        .collect()
}

/// Excel's day zero for serial dates (the 1900 system, with its leap-year bug accounted for by
/// starting at 1899-12-30).
const EXCEL_EPOCH: Date = jiff::civil::date(1899, 12, 30);

/// Reads a date.
///
/// # Errors
/// A reason (Chinese and English) quoting the text.
pub fn date(cell: &Cell) -> Result<Date, Msg> {
    match cell {
        Cell::Number(n) => serial(*n).ok_or_else(|| {
            Msg::new(
                format!("数字 {n} 不是有效的 Excel 日期"),
                format!("the number {n} is not a valid Excel date"),
            )
        }),
        _ => date_text(&cell.text()),
    }
}

/// Reads a date typed as text, in every form [`date`] accepts — the one date parser of the
/// register and the calendar commands.
///
/// # Errors
/// A reason (Chinese and English) quoting the text; a well-formed date that does not exist
/// (`2024-02-30`) is said to be so.
pub fn date_text(text: &str) -> Result<Date, Msg> {
    let t = norm(text);
    text_date(&t).ok_or_else(|| {
        no_such_day(&t).unwrap_or_else(|| {
            Msg::new(
                format!("无法识别的日期「{t}」（应为 2024-09-27、2024/9/27 或 2024年9月27日）"),
                format!("unrecognised date `{t}` (expected 2024-09-27 or 2024/9/27)"),
            )
        })
    })
}

/// When `t` is written as a date (year, month, day) that the calendar does not have, says so.
fn no_such_day(t: &str) -> Option<Msg> {
    let core = t.split(['T', ' ']).next()?.trim_end_matches('日');
    let parts: Vec<i64> =
        core.split(['-', '/', '.', '年', '月']).map(str::parse).collect::<Result<_, _>>().ok()?;
    let [y, m, d] = parts.as_slice() else { return None };
    if !(1950..=2150).contains(y) {
        return None;
    }
    Some(if (1..=12).contains(m) {
        Msg::new(
            format!("日期「{t}」不存在：{y}年{m}月没有{d}日"),
            format!("the date `{t}` does not exist: {y}-{m:02} has no day {d}"),
        )
    } else {
        Msg::new(
            format!("日期「{t}」不存在：没有{m}月"),
            format!("the date `{t}` does not exist: there is no month {m}"),
        )
    })
}

fn serial(n: f64) -> Option<Date> {
    // Serial 1 is 1900-01-01; accept 1950…2150 to catch numbers that are not dates.
    if !(18_264.0..=91_311.0).contains(&n) {
        return None;
    }
    EXCEL_EPOCH.checked_add(jiff::Span::new().days(n.floor() as i64)).ok()
}

fn text_date(t: &str) -> Option<Date> {
    // Drop a time part (`2024-09-27 00:00:00`).
    let t = t.split(['T', ' ']).next()?.trim_end_matches('日');
    if let Ok(n) = t.parse::<f64>()
        && !t.contains(['-', '/', '.'])
        && t.len() != 8
    {
        return serial(n);
    }
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        // `20240927`: eight ASCII digits (checked, so the cuts fall between characters).
        [ymd] if ymd.len() == 8 && ymd.bytes().all(|b| b.is_ascii_digit()) => {
            (ymd.get(..4)?.parse().ok()?, ymd.get(4..6)?.parse().ok()?, ymd.get(6..)?.parse().ok()?)
        }
        _ => return None,
    };
    if !(1950..=2150).contains(&y) {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// Reads a non-negative whole number.
///
/// # Errors
/// A reason (Chinese and English) quoting the text.
pub fn count(cell: &Cell) -> Result<u64, Msg> {
    let t = cell.text().replace([',', '，'], "");
    t.parse::<u64>().map_err(|_| {
        Msg::new(format!("「{t}」不是非负整数"), format!("`{t}` is not a non-negative integer"))
    })
}

/// Reads a non-negative amount (yuan).
///
/// # Errors
/// A reason (Chinese and English) quoting the text.
pub fn amount(cell: &Cell) -> Result<Decimal, Msg> {
    let t = cell.text().replace([',', '，', '元', '¥', '￥'], "");
    match t.trim().parse::<Decimal>() {
        Ok(d) if !d.is_sign_negative() => Ok(d.normalize()),
        _ => Err(Msg::new(format!("「{t}」不是有效金额"), format!("`{t}` is not an amount"))),
    }
}

/// Finds `text` among `(labels, value)` choices by [`label_key`].
///
/// # Errors
/// A reason (Chinese and English) listing the accepted values.
pub fn choice<T: Copy>(cell: &Cell, choices: &[(&[&str], T)]) -> Result<T, Msg> {
    let key = label_key(&cell.text());
    for (labels, v) in choices {
        if labels.iter().any(|l| label_key(l) == key) {
            return Ok(*v);
        }
    }
    let accepted: Vec<&str> = choices.iter().filter_map(|(l, _)| l.first().copied()).collect();
    Err(Msg::new(
        format!("无法识别「{}」，可填：{}", cell.text(), accepted.join("、")),
        format!("unrecognised `{}`; accepted: {}", cell.text(), accepted.join(", ")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Result<Date, Msg> {
        date(&Cell::Text(s.into()))
    }

    #[test]
    fn dates_in_every_form_a_clerk_types() {
        let want = jiff::civil::date(2024, 9, 27);
        for s in [
            "2024-09-27",
            "2024/9/27",
            "2024.9.27",
            "2024年9月27日",
            "２０２４年９月２７日",
            " 2024-9-27 ",
            "2024-09-27 00:00:00",
            "20240927",
            "45562",
        ] {
            assert_eq!(d(s), Ok(want), "{s}");
        }
        assert_eq!(date(&Cell::Number(45562.0)), Ok(want));
        for bad in ["2024-13-01", "2024-02-30", "9/27", "明天", "12", "1900-01-01"] {
            assert!(d(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_date_that_does_not_exist_is_said_to_be_so() {
        let zh = |s: &str| d(s).map_err(|m| m.zh).unwrap_err();
        assert_eq!(zh("2024-02-30"), "日期「2024-02-30」不存在：2024年2月没有30日");
        assert_eq!(zh("2023年2月29日"), "日期「2023年2月29日」不存在：2023年2月没有29日");
        assert_eq!(zh("2024-13-01"), "日期「2024-13-01」不存在：没有13月");
        assert!(zh("明天").starts_with("无法识别的日期"));
        assert!(zh("2024-02").starts_with("无法识别的日期"));
        assert_eq!(date_text(" 2024/2/29 "), Ok(jiff::civil::date(2024, 2, 29)));
    }

    #[test]
    fn text_cut_inside_a_character_is_not_a_date() {
        // Eight bytes, but not eight digits: `未知ab` used to be cut at byte 4, inside 知.
        for bad in ["未知ab", "ab未知", "2024年9月", "２０２４"] {
            assert!(d(bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_a_date_or_a_reason(s in "\\PC{0,12}") {
            let _ = d(&s);
        }
    }

    #[test]
    fn numbers_and_labels() {
        assert_eq!(count(&Cell::Text("１２".into())), Ok(12));
        assert_eq!(count(&Cell::Number(3.0)), Ok(3));
        assert!(count(&Cell::Text("-1".into())).is_err());
        assert_eq!(
            amount(&Cell::Text("1,234.50元".into())).map(|d| d.to_string()),
            Ok("1234.5".into())
        );
        assert_eq!(label_key("（三）1.属于国家秘密"), "三1.属于国家秘密");
        assert_eq!(label_key("1. 属于国家秘密"), "属于国家秘密");
        assert_eq!(
            choice(&Cell::Text(" 是 ".into()), &[(&["是"], true), (&["否"], false)]),
            Ok(true)
        );
    }
}
