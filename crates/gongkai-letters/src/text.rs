//! The wording every letter shares: dates as printed (2025年3月20日), the name of the 条例, how
//! the applicant is addressed, the receipt sentence, the placeholders a clerk fills.

use gongkai_cases::{ApplicantType, Case};
use gongkai_model::{Lang, Msg};
use jiff::civil::Date;

/// Opens a placeholder the clerk must fill before sending (`【请填写…】`).
pub const PLACEHOLDER_OPEN: char = '【';
/// Closes a placeholder.
pub const PLACEHOLDER_CLOSE: char = '】';

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as printed in a letter: `2025年3月20日`, or `20 March 2025` in English.
pub fn format_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => {
            let month = usize::try_from(d.month() - 1).ok().and_then(|m| MONTHS.get(m));
            format!("{} {} {}", d.day(), month.copied().unwrap_or(""), d.year())
        }
    }
}

/// Both forms of a date.
pub(crate) fn date(d: Date) -> (String, String) {
    (format_date(d, Lang::Zh), format_date(d, Lang::En))
}

/// A placeholder for the clerk, in both languages.
pub(crate) fn blank(zh: &str, en: &str) -> (String, String) {
    (format!("{PLACEHOLDER_OPEN}请填写：{zh}{PLACEHOLDER_CLOSE}"), format!("[to fill in: {en}]"))
}

/// The regulation's full name, for its first mention in a letter.
pub(crate) const REGULATION: (&str, &str) = (
    "《中华人民共和国政府信息公开条例》",
    "the Regulations of the People's Republic of China on the Disclosure of Government Information",
);

/// How the applicant is addressed: 您 for a natural person, 你单位 for an organisation.
pub(crate) fn you(case: &Case) -> (&'static str, &'static str) {
    if case.applicant_type() == ApplicantType::NATURAL_PERSON {
        ("您", "you")
    } else {
        ("你单位", "your organisation")
    }
}

/// The sentence every letter to the applicant opens with: when the application was received,
/// its register number and what it asked for.
pub(crate) fn received(case: &Case) -> Msg {
    let (you_zh, you_en) = you(case);
    let (d_zh, d_en) = date(case.received());
    let request = case.intake().request.trim();
    Msg::new(
        format!(
            "本机关于{d_zh}收到{you_zh}提出的政府信息公开申请（登记编号：{}），申请获取“{request}”。",
            case.id()
        ),
        format!(
            "On {d_en} this agency received {}application for disclosure of government information (register number {}), requesting \"{request}\".",
            if you_en == "you" { "your ".to_owned() } else { format!("{you_en}'s ") },
            case.id()
        ),
    )
}

/// The document number with the year filled in; the clerk adds the agency's prefix and number.
pub(crate) fn doc_number(d: Date) -> (String, String) {
    (format!("〔{}〕　号", d.year()), format!("[{}] No. ___", d.year()))
}

/// Picks one language of a pair.
pub(crate) fn pick(pair: (String, String), lang: Lang) -> String {
    match lang {
        Lang::Zh => pair.0,
        Lang::En => pair.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_printed_as_in_official_documents() {
        let d: Date = "2025-03-05".parse().unwrap_or_default();
        assert_eq!(format_date(d, Lang::Zh), "2025年3月5日");
        assert_eq!(format_date(d, Lang::En), "5 March 2025");
        let d: Date = "2024-12-31".parse().unwrap_or_default();
        assert_eq!(format_date(d, Lang::En), "31 December 2024");
    }
}
