//! The calendar data file format (one TOML file per year, or a supplementary local file).
//!
//! ```toml
//! year = 2024                      # a year table: declares that 2024 is fully described
//!
//! [[notice]]                       # the notices the entries cite
//! number = "国办发明电〔2023〕7号"
//! title = "国务院办公厅关于2024年部分节假日安排的通知"
//! issued = "2023-10-25"
//! url = "https://www.gov.cn/…"
//!
//! [[holiday]]                      # days off: one day (`from`) or a range (`from`…`to`)
//! name = "国庆节"
//! from = "2024-10-01"
//! to = "2024-10-07"
//! notice = "国办发明电〔2023〕7号"
//!
//! [[workday]]                      # make-up working days (调休上班)
//! name = "国庆节"
//! dates = ["2024-09-29", "2024-10-12"]
//! notice = "国办发明电〔2023〕7号"
//! ```
//!
//! A file without `year` is *supplementary*: it adds or changes days (local holidays, a correction)
//! in years that some year table covers, and its entries need not cite a notice.

use gongkai_model::Msg;
use jiff::civil::Date;
use serde::Deserialize;

use crate::CalendarError;

/// The longest holiday range one entry may give (guards against typos such as a wrong month).
const MAX_RANGE_DAYS: i32 = 31;

/// A notice that calendar entries cite.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The document number (文号), e.g. `国办发明电〔2023〕7号`; entries cite notices by it.
    pub number: String,
    /// The title as published.
    pub title: String,
    /// The date the notice was signed.
    pub issued: Date,
    /// Where it is published.
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    year: Option<i16>,
    #[serde(default)]
    notice: Vec<Notice>,
    #[serde(default)]
    holiday: Vec<HolidayToml>,
    #[serde(default)]
    workday: Vec<WorkdayToml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayToml {
    name: String,
    from: Date,
    to: Option<Date>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkdayToml {
    name: String,
    dates: Vec<Date>,
    notice: Option<String>,
}

/// One day the file declares special.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) date: Date,
    pub(crate) working: bool,
    pub(crate) name: String,
    /// Index into the file's notices.
    pub(crate) notice: Option<usize>,
}

/// A parsed and validated calendar file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CalendarFile {
    pub(crate) label: String,
    pub(crate) year: Option<i16>,
    pub(crate) notices: Vec<Notice>,
    pub(crate) entries: Vec<Entry>,
}

impl CalendarFile {
    /// Parses and validates `text`; `label` names the file in errors and explanations.
    pub(crate) fn parse(label: &str, text: &str) -> Result<Self, CalendarError> {
        let bad =
            |reason: Msg| CalendarError::Data { file: label.to_owned(), reason, detail: None };
        // The TOML parser's or the date library's words follow ours as they are.
        let parser = |e: &dyn std::fmt::Display| CalendarError::Data {
            file: label.to_owned(),
            reason: Msg::new("无法解析", "cannot be parsed"),
            detail: Some(e.to_string()),
        };
        let raw: FileToml = toml::from_str(text).map_err(|e| parser(&e))?;
        if let Some(y) = raw.year
            && !(1900..=2999).contains(&y)
        {
            return Err(bad(Msg::new(
                format!("年份 {y} 超出范围"),
                format!("year {y} is out of range"),
            )));
        }
        let cite = |n: &Option<String>, what: &Msg| -> Result<Option<usize>, CalendarError> {
            match n {
                None if raw.year.is_some() => Err(bad(Msg::new(
                    format!("{}：年度表的条目须注明通知（`notice = \"…\"`）", what.zh),
                    format!(
                        "{}: entries of a year table must cite a notice (`notice = \"…\"`)",
                        what.en
                    ),
                ))),
                None => Ok(None),
                Some(n) => {
                    raw.notice.iter().position(|x| &x.number == n).map(Some).ok_or_else(|| {
                        bad(Msg::new(
                            format!("{}：引用的 `{n}` 未在本文件的 [[notice]] 中定义", what.zh),
                            format!(
                                "{}: cites `{n}`, which no [[notice]] of this file defines",
                                what.en
                            ),
                        ))
                    })
                }
            }
        };
        let mut entries = Vec::new();
        for h in &raw.holiday {
            let what = Msg::new(
                format!("假日「{}」（{} 起）", h.name, h.from),
                format!("holiday `{}` from {}", h.name, h.from),
            );
            let notice = cite(&h.notice, &what)?;
            let to = h.to.unwrap_or(h.from);
            let len = h.from.until(to).map_err(|e| parser(&e))?.get_days() + 1;
            if len < 1 {
                return Err(bad(Msg::new(
                    format!("{}：`to` {to} 早于 `from`", what.zh),
                    format!("{}: `to` {to} is before `from`", what.en),
                )));
            }
            if len > MAX_RANGE_DAYS {
                return Err(bad(Msg::new(
                    format!("{}：{len} 天的区间不合常理", what.zh),
                    format!("{}: a range of {len} days is implausible", what.en),
                )));
            }
            let mut d = h.from;
            loop {
                entries.push(Entry { date: d, working: false, name: h.name.clone(), notice });
                if d >= to {
                    break;
                }
                d = d.tomorrow().map_err(|e| parser(&e))?;
            }
        }
        for w in &raw.workday {
            let what =
                Msg::new(format!("调休上班日「{}」", w.name), format!("workday `{}`", w.name));
            let notice = cite(&w.notice, &what)?;
            for &d in &w.dates {
                entries.push(Entry { date: d, working: true, name: w.name.clone(), notice });
            }
        }
        entries.sort_by_key(|e| e.date);
        for pair in entries.windows(2) {
            if pair[0].date == pair[1].date {
                let d = pair[0].date;
                return Err(bad(Msg::new(
                    format!("{d} 列出了两次"),
                    format!("{d} is listed twice"),
                )));
            }
        }
        if let Some(y) = raw.year
            && let Some(e) = entries.iter().find(|e| (e.date.year() - y).abs() > 1)
        {
            let d = e.date;
            return Err(bad(Msg::new(
                format!("{d} 与本表所述的 {y} 年相距过远"),
                format!("{d} is too far from the year {y} this table describes"),
            )));
        }
        Ok(CalendarFile { label: label.to_owned(), year: raw.year, notices: raw.notice, entries })
    }
}

/// The calendar files compiled into the binary: the official notices for 2019 through 2026.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("data/2019.toml", include_str!("../data/2019.toml")),
    ("data/2020.toml", include_str!("../data/2020.toml")),
    ("data/2021.toml", include_str!("../data/2021.toml")),
    ("data/2022.toml", include_str!("../data/2022.toml")),
    ("data/2023.toml", include_str!("../data/2023.toml")),
    ("data/2024.toml", include_str!("../data/2024.toml")),
    ("data/2025.toml", include_str!("../data/2025.toml")),
    ("data/2026.toml", include_str!("../data/2026.toml")),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_file_parses_as_a_year_table_with_notices() {
        for (label, text) in BUILTIN {
            let f = CalendarFile::parse(label, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(f.year.is_some(), "{label}");
            assert!(!f.notices.is_empty(), "{label}");
            assert!(f.entries.iter().all(|e| e.notice.is_some()), "{label}");
        }
    }

    #[test]
    fn bad_files_are_rejected_with_a_reason() {
        let cases = [
            (
                "year = 2024\n[[holiday]]\nname = \"x\"\nfrom = \"2024-01-01\"\n",
                "must cite a notice",
            ),
            ("[[holiday]]\nname = \"x\"\nfrom = \"2024-01-01\"\nnotice = \"A\"\n", "no [[notice]]"),
            (
                "[[holiday]]\nname = \"x\"\nfrom = \"2024-01-05\"\nto = \"2024-01-01\"\n",
                "before `from`",
            ),
            (
                "[[holiday]]\nname = \"x\"\nfrom = \"2024-01-01\"\nto = \"2024-03-01\"\n",
                "implausible",
            ),
            (
                "[[workday]]\nname = \"x\"\ndates = [\"2024-01-06\", \"2024-01-06\"]\n",
                "listed twice",
            ),
            ("[[holiday]]\nname = \"x\"\nfrom = \"2024-13-01\"\n", "2024-13-01"),
            ("colour = 1\n", "unknown field"),
        ];
        for (text, want) in cases {
            let e = CalendarFile::parse("t.toml", text).expect_err(text).to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }
}
