//! The official working-day calendar of the People's Republic of China, for statutory deadlines.
//!
//! Periods in the 政府信息公开条例 count **working days** (工作日): weekends and public holidays are
//! off, and the make-up working days (调休上班) announced each year by 国务院办公厅 are working days.
//! This crate holds that calendar as data — one TOML file per year citing the notice it comes from
//! ([`data`] describes the format) — compiled in for 2019 through 2026 and extendable at run time
//! with further files (next year's notice, local holidays) through [`CalendarBuilder`].
//!
//! A date outside the years the loaded tables cover is an error ([`CalendarError::OutOfRange`]),
//! never a guess: a weekday in a year without a table may well be a holiday.
//!
//! The crate is pure: no I/O and no clock. Callers read files and pass their text.
//!
//! ```
//! use gongkai_calendar::{Calendar, date};
//!
//! let cal = Calendar::official();
//! // 20 working days from a receipt on Friday 2024-09-27, across 国庆节 with two make-up days.
//! assert_eq!(cal.add_working_days(date(2024, 9, 27), 20)?, date(2024, 10, 30));
//! # Ok::<(), gongkai_calendar::CalendarError>(())
//! ```

pub mod data;

use std::collections::BTreeMap;
use std::fmt;

pub use gongkai_model::Localized;
use gongkai_model::{Lang, Msg};
pub use jiff::civil::{Date, Weekday};

pub use crate::data::Notice;
use crate::data::{BUILTIN, CalendarFile};

/// Builds a [`Date`] from literal parts; panics on an impossible date, so use it for constants only.
///
/// ```
/// assert_eq!(gongkai_calendar::date(2024, 10, 1).to_string(), "2024-10-01");
/// ```
pub const fn date(year: i16, month: i8, day: i8) -> Date {
    jiff::civil::date(year, month, day)
}

/// Everything that can go wrong with the calendar.
/// [`Localized::message`] says it in one language; the `Display` form gives both.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
#[non_exhaustive]
pub enum CalendarError {
    /// The date (or a date a computation reached) lies in a year no loaded table covers.
    #[error(
        "{date} 超出已载入的节假日数据范围（{first}–{last} 年），无法确定是否为工作日；请载入该年的国务院办公厅节假日安排 / {date} is outside the loaded calendar ({first}–{last}); load that year's holiday notice"
    )]
    OutOfRange {
        /// The date that could not be classified.
        date: Date,
        /// First covered year.
        first: i16,
        /// Last covered year.
        last: i16,
    },
    /// A calendar file is malformed.
    Data {
        /// The file's label (path or built-in name).
        file: String,
        /// What is wrong, in our words.
        reason: Msg,
        /// The TOML parser's or the date library's words, if one of them found the problem.
        detail: Option<String>,
    },
    /// The year tables loaded do not form one unbroken run of years.
    Gap {
        /// The first missing year.
        missing: i16,
        /// First covered year.
        first: i16,
        /// Last covered year.
        last: i16,
    },
    /// No year table was loaded at all.
    Empty,
}

impl Localized for CalendarError {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            CalendarError::OutOfRange { date, first, last } => (
                Msg::new(
                    format!(
                        "{date} 超出已载入的节假日数据范围（{first}–{last} 年），无法确定是否为工作日；请载入该年的国务院办公厅节假日安排"
                    ),
                    format!(
                        "{date} is outside the loaded calendar ({first}–{last}); load that year's holiday notice"
                    ),
                ),
                None,
            ),
            CalendarError::Data { file, reason, detail } => (
                Msg::new(
                    format!("节假日数据文件 {file} 有误：{}", reason.zh),
                    format!("calendar file {file} is invalid: {}", reason.en),
                ),
                detail.clone(),
            ),
            CalendarError::Gap { missing, first, last } => (
                Msg::new(
                    format!("节假日数据缺少 {missing} 年（已有 {first}–{last} 年中的部分年份）"),
                    format!("calendar years are not contiguous: {missing} is missing"),
                ),
                None,
            ),
            CalendarError::Empty => {
                (Msg::new("未载入任何年度节假日数据", "no year table loaded"), None)
            }
        }
    }
}

/// Where a special day comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file's label: `data/2024.toml` for built-in data, else the path given.
    pub file: String,
    /// The notice the entry cites, if any (local files need not cite one).
    pub notice: Option<Notice>,
}

/// What kind of day a date is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday working day.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A public holiday (or a weekend day inside a holiday period), with the holiday's name.
    Holiday(String),
    /// A Saturday or Sunday declared a working day (调休上班), with the holiday it makes up for.
    MakeupWorkday(String),
}

impl DayKind {
    /// Whether the day counts as a working day.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeupWorkday(_))
    }

    /// A short Chinese description (`周末`, `国庆节假期`, `调休上班（国庆节）`, `工作日`).
    pub fn describe_zh(&self) -> String {
        match self {
            DayKind::Workday => "工作日".to_owned(),
            DayKind::Weekend => "周末".to_owned(),
            DayKind::Holiday(n) => format!("{n}假期"),
            DayKind::MakeupWorkday(n) => format!("调休上班（{n}）"),
        }
    }

    /// A short description in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.describe_zh(),
            Lang::En => self.describe_en(),
        }
    }

    /// A short English description.
    pub fn describe_en(&self) -> String {
        match self {
            DayKind::Workday => "working day".to_owned(),
            DayKind::Weekend => "weekend".to_owned(),
            DayKind::Holiday(n) => format!("holiday: {}", holiday_en(n)),
            DayKind::MakeupWorkday(n) => format!("make-up working day ({})", holiday_en(n)),
        }
    }
}

/// One classified day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// The date.
    pub date: Date,
    /// Its kind.
    pub kind: DayKind,
    /// Where a holiday or make-up working day was declared; `None` for ordinary days.
    pub source: Option<Source>,
}

/// The Chinese name of a weekday (`星期一` … `星期日`).
pub const fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "星期一",
        Weekday::Tuesday => "星期二",
        Weekday::Wednesday => "星期三",
        Weekday::Thursday => "星期四",
        Weekday::Friday => "星期五",
        Weekday::Saturday => "星期六",
        Weekday::Sunday => "星期日",
    }
}

/// The English name of a weekday.
pub const fn weekday_en(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// The name of a weekday in `lang`.
pub const fn weekday_name(w: Weekday, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => weekday_zh(w),
        Lang::En => weekday_en(w),
    }
}

/// A holiday's name in English: the national holidays the notices name are translated (also
/// when joined, `中秋节、国庆节`); a local holiday keeps the name its file gives it.
pub fn holiday_en(name: &str) -> String {
    const NAMES: [(&str, &str); 8] = [
        ("元旦", "New Year's Day"),
        ("春节", "Spring Festival"),
        ("清明节", "Qingming Festival"),
        ("劳动节", "Labour Day"),
        ("端午节", "Dragon Boat Festival"),
        ("中秋节", "Mid-Autumn Festival"),
        ("国庆节", "National Day"),
        ("（延长）", " (extended)"),
    ];
    let mut out = name.replace('、', " and ");
    for (zh, en) in NAMES {
        out = out.replace(zh, en);
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Special {
    working: bool,
    name: String,
    file: usize,
    notice: Option<usize>,
}

/// Accumulates calendar files; later files override earlier ones.
///
/// A *year table* (a file with `year = Y`) replaces any table loaded before for the same year. A
/// *supplementary* file (no `year`) adds or changes single days on top of all year tables, in load
/// order: that is how local holidays are added.
///
/// ```
/// use gongkai_calendar::{CalendarBuilder, date};
///
/// let local = r#"
/// [[holiday]]
/// name = "三月三"
/// from = "2024-04-11"
/// to = "2024-04-12"
/// "#;
/// let cal = CalendarBuilder::official().add_toml("local.toml", local)?.build()?;
/// assert!(!cal.is_working_day(date(2024, 4, 11))?);
/// # Ok::<(), gongkai_calendar::CalendarError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CalendarBuilder {
    files: Vec<CalendarFile>,
}

impl CalendarBuilder {
    /// An empty builder (no years covered).
    pub fn new() -> Self {
        CalendarBuilder::default()
    }

    /// A builder holding the built-in official tables (2019–2026).
    pub fn official() -> Self {
        let mut b = CalendarBuilder::new();
        for (label, text) in BUILTIN {
            match CalendarFile::parse(label, text) {
                Ok(f) => b.files.push(f),
                // Invariant: the built-in files are tested to parse (`data::tests`).
                Err(e) => unreachable!("built-in calendar data is invalid: {e}"),
            }
        }
        b
    }

    /// Adds the calendar file `text`, named `label` in errors and explanations.
    ///
    /// # Errors
    /// [`CalendarError::Data`] when the file is not valid TOML of the [`data`] format.
    pub fn add_toml(mut self, label: &str, text: &str) -> Result<Self, CalendarError> {
        self.files.push(CalendarFile::parse(label, text)?);
        Ok(self)
    }

    /// Builds the calendar.
    ///
    /// # Errors
    /// [`CalendarError::Empty`] when no year table was added, [`CalendarError::Gap`] when the
    /// years covered are not contiguous.
    pub fn build(self) -> Result<Calendar, CalendarError> {
        let mut tables: BTreeMap<i16, usize> = BTreeMap::new();
        for (i, f) in self.files.iter().enumerate() {
            if let Some(y) = f.year {
                tables.insert(y, i);
            }
        }
        let (Some((&first, _)), Some((&last, _))) =
            (tables.first_key_value(), tables.last_key_value())
        else {
            return Err(CalendarError::Empty);
        };
        if let Some(missing) = (first..=last).find(|y| !tables.contains_key(y)) {
            return Err(CalendarError::Gap { missing, first, last });
        }
        let mut special = BTreeMap::new();
        let winners: Vec<usize> = tables.values().copied().collect();
        let supplementary =
            self.files.iter().enumerate().filter(|(_, f)| f.year.is_none()).map(|(i, _)| i);
        for i in winners.into_iter().chain(supplementary) {
            for e in &self.files[i].entries {
                special.insert(
                    e.date,
                    Special { working: e.working, name: e.name.clone(), file: i, notice: e.notice },
                );
            }
        }
        Ok(Calendar::index(self.files, special, first, last))
    }
}

/// The working-day calendar. Cheap to query: every query is O(1) after construction.
#[derive(Clone, Debug)]
pub struct Calendar {
    files: Vec<CalendarFile>,
    special: BTreeMap<Date, Special>,
    first: i16,
    last: i16,
    /// Day index of 1 January of each covered year, relative to 1 January of `first`.
    year_start: Vec<u32>,
    /// `prefix[i]` = number of working days among the first `i` days of the covered range.
    prefix: Vec<u32>,
    /// The working days of the covered range, in order.
    working: Vec<Date>,
}

impl Calendar {
    /// The official calendar compiled into this build (2019–2026).
    pub fn official() -> Calendar {
        match CalendarBuilder::official().build() {
            Ok(c) => c,
            // Invariant: the built-in years are contiguous and parse (tested).
            Err(e) => unreachable!("built-in calendar is invalid: {e}"),
        }
    }

    fn index(
        files: Vec<CalendarFile>,
        special: BTreeMap<Date, Special>,
        first: i16,
        last: i16,
    ) -> Calendar {
        let mut year_start = Vec::new();
        let mut prefix = vec![0];
        let mut working = Vec::new();
        let mut n = 0u32;
        for y in first..=last {
            year_start.push(u32::try_from(prefix.len() - 1).unwrap_or(u32::MAX));
            let mut d = date(y, 1, 1);
            while d.year() == y {
                let is_working = match special.get(&d) {
                    Some(s) => s.working,
                    None => !is_weekend(d),
                };
                if is_working {
                    working.push(d);
                    n += 1;
                }
                prefix.push(n);
                match d.tomorrow() {
                    Ok(t) => d = t,
                    Err(_) => break,
                }
            }
        }
        Calendar { files, special, first, last, year_start, prefix, working }
    }

    /// The first and last year covered.
    pub fn years(&self) -> (i16, i16) {
        (self.first, self.last)
    }

    /// The notices behind each covered year's table, with the file they were loaded from.
    pub fn year_sources(&self) -> Vec<(i16, &str, &[Notice])> {
        let mut out = Vec::new();
        for y in self.first..=self.last {
            if let Some(f) = self.files.iter().rev().find(|f| f.year == Some(y)) {
                out.push((y, f.label.as_str(), f.notices.as_slice()));
            }
        }
        out
    }

    /// Labels of the supplementary (local) files loaded.
    pub fn supplementary_files(&self) -> Vec<&str> {
        self.files.iter().filter(|f| f.year.is_none()).map(|f| f.label.as_str()).collect()
    }

    fn out_of_range(&self, date: Date) -> CalendarError {
        CalendarError::OutOfRange { date, first: self.first, last: self.last }
    }

    /// Position of `d` in the covered range.
    fn offset(&self, d: Date) -> Result<usize, CalendarError> {
        let y = d.year();
        if y < self.first || y > self.last {
            return Err(self.out_of_range(d));
        }
        let start =
            self.year_start[usize::try_from(y - self.first).map_err(|_| self.out_of_range(d))?];
        let doy = u32::try_from(d.day_of_year() - 1).map_err(|_| self.out_of_range(d))?;
        Ok((start + doy) as usize)
    }

    /// Number of working days in the covered range up to and including `d`.
    fn rank(&self, d: Date) -> Result<u32, CalendarError> {
        Ok(self.prefix[self.offset(d)? + 1])
    }

    /// Classifies `date`.
    ///
    /// ```
    /// use gongkai_calendar::{Calendar, DayKind, date};
    /// let cal = Calendar::official();
    /// assert_eq!(cal.day(date(2024, 10, 12))?.kind, DayKind::MakeupWorkday("国庆节".into()));
    /// # Ok::<(), gongkai_calendar::CalendarError>(())
    /// ```
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when `date` is not in a covered year.
    pub fn day(&self, date: Date) -> Result<Day, CalendarError> {
        self.offset(date)?;
        Ok(match self.special.get(&date) {
            Some(s) => {
                let file = &self.files[s.file];
                Day {
                    date,
                    kind: if s.working {
                        DayKind::MakeupWorkday(s.name.clone())
                    } else {
                        DayKind::Holiday(s.name.clone())
                    },
                    source: Some(Source {
                        file: file.label.clone(),
                        notice: s.notice.map(|i| file.notices[i].clone()),
                    }),
                }
            }
            None => Day {
                date,
                kind: if is_weekend(date) { DayKind::Weekend } else { DayKind::Workday },
                source: None,
            },
        })
    }

    /// Whether `date` is a working day.
    ///
    /// ```
    /// use gongkai_calendar::{Calendar, date};
    /// let cal = Calendar::official();
    /// assert!(!cal.is_working_day(date(2024, 10, 1))?); // 国庆节
    /// assert!(cal.is_working_day(date(2024, 9, 29))?);  // a Sunday, 调休上班
    /// # Ok::<(), gongkai_calendar::CalendarError>(())
    /// ```
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when `date` is not in a covered year.
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        let i = self.offset(date)?;
        Ok(self.prefix[i + 1] > self.prefix[i])
    }

    /// The `n`-th working day after `start` (`start` itself is day 0 and never counts), the way
    /// 条例 periods run: "within 20 working days of receipt" ends on `add_working_days(receipt, 20)`.
    /// With `n == 0` the result is `start`.
    ///
    /// ```
    /// use gongkai_calendar::{Calendar, date};
    /// let cal = Calendar::official();
    /// assert_eq!(cal.add_working_days(date(2024, 2, 9), 1)?, date(2024, 2, 18)); // across 春节
    /// # Ok::<(), gongkai_calendar::CalendarError>(())
    /// ```
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when `start` or the result is not in a covered year.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Date, CalendarError> {
        let k = self.rank(start)?;
        if n == 0 {
            return Ok(start);
        }
        let target = k.saturating_add(n - 1) as usize;
        match self.working.get(target) {
            Some(d) => Ok(*d),
            None => {
                let past = date(self.last, 12, 31).tomorrow().unwrap_or(start);
                Err(self.out_of_range(past))
            }
        }
    }

    /// The last day the loaded tables cover: 31 December of the last year.
    pub fn last_day(&self) -> Date {
        date(self.last, 12, 31)
    }

    /// A reminder, from November of the last covered year on, that the next year's State Council
    /// notice is not loaded (it is usually issued in November or December): periods running
    /// into that year stay undetermined until it is. `None` otherwise.
    ///
    /// ```
    /// use gongkai_calendar::{Calendar, date};
    /// let cal = Calendar::official();
    /// let (_, last) = cal.years();
    /// assert!(cal.next_year_missing(date(last, 12, 4)).is_some());
    /// assert!(cal.next_year_missing(date(last, 10, 31)).is_none());
    /// ```
    pub fn next_year_missing(&self, today: Date) -> Option<Msg> {
        let next = i32::from(today.year()) + 1;
        (today.month() >= 11 && self.last <= today.year()).then(|| {
            Msg::new(
                format!(
                    "尚未载入{next}年的节假日安排：跨入{next}年的期限暂为“待定”。国务院办公厅通知发布后请载入（--calendar）。"
                ),
                format!(
                    "the {next} holiday notice is not loaded: deadlines running into {next} are “to be determined” until it is. Load it (--calendar) once the State Council publishes it."
                ),
            )
        })
    }

    /// [`Calendar::add_working_days`], except that a count running past the last covered day is
    /// not an error but `None`: the result is then only known to be later than
    /// [`Calendar::last_day`], until the next year's holiday notice is loaded. A period counted
    /// in December from a calendar that ends that year is the common case.
    ///
    /// ```
    /// use gongkai_calendar::{Calendar, date};
    /// let cal = Calendar::official();
    /// let (_, last) = cal.years();
    /// assert_eq!(cal.add_working_days_within(date(last, 12, 24), 20)?, None);
    /// assert_eq!(cal.add_working_days_within(date(last, 12, 24), 1)?, Some(date(last, 12, 25)));
    /// # Ok::<(), gongkai_calendar::CalendarError>(())
    /// ```
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when `start` is not in a covered year.
    pub fn add_working_days_within(
        &self,
        start: Date,
        n: u32,
    ) -> Result<Option<Date>, CalendarError> {
        let k = self.rank(start)?;
        if n == 0 {
            return Ok(Some(start));
        }
        Ok(self.working.get(k.saturating_add(n - 1) as usize).copied())
    }

    /// The number of working days after `from` up to and including `to` (0 when `to <= from`).
    ///
    /// ```
    /// use gongkai_calendar::{Calendar, date};
    /// let cal = Calendar::official();
    /// assert_eq!(cal.working_days_between(date(2024, 9, 27), date(2024, 10, 30))?, 20);
    /// # Ok::<(), gongkai_calendar::CalendarError>(())
    /// ```
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when either date is not in a covered year.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, CalendarError> {
        let (a, b) = (self.rank(from)?, self.rank(to)?);
        Ok(b.saturating_sub(a))
    }

    /// Explains [`Calendar::add_working_days`]: every day from `start` to the result, with its kind
    /// and, for working days, its count.
    ///
    /// # Errors
    /// As [`Calendar::add_working_days`].
    pub fn explain_add(&self, start: Date, n: u32) -> Result<Explanation, CalendarError> {
        let end = self.add_working_days(start, n)?;
        let mut steps = Vec::new();
        let mut count = 0;
        let mut d = start;
        while d < end {
            d = d.tomorrow().map_err(|_| self.out_of_range(d))?;
            let day = self.day(d)?;
            let counted = if day.kind.is_working() {
                count += 1;
                Some(count)
            } else {
                None
            };
            steps.push(Step { day, counted });
        }
        Ok(Explanation { start, n, end, steps })
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// One day of an [`Explanation`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The day and its kind.
    pub day: Day,
    /// For a working day, its number in the count (1-based); `None` for a skipped day.
    pub counted: Option<u32>,
}

/// The day-by-day reasoning behind a computed date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// Day 0.
    pub start: Date,
    /// Working days added.
    pub n: u32,
    /// The result.
    pub end: Date,
    /// Every day after `start` up to and including `end`.
    pub steps: Vec<Step>,
}

impl Explanation {
    /// The days skipped (not counted), with their reasons.
    pub fn skipped(&self) -> impl Iterator<Item = &Day> {
        self.steps.iter().filter(|s| s.counted.is_none()).map(|s| &s.day)
    }

    /// The make-up working days that were counted.
    pub fn makeup_days(&self) -> impl Iterator<Item = &Day> {
        self.steps.iter().map(|s| &s.day).filter(|d| matches!(d.kind, DayKind::MakeupWorkday(_)))
    }
}

impl Explanation {
    /// The explanation in `lang`, one line per day (the [`fmt::Display`] form is Chinese).
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.to_string(),
            Lang::En => self.english(),
        }
    }

    fn english(&self) -> String {
        let day = |d: Date| format!("{d} {}", weekday_en(d.weekday()));
        let mut out = format!("day 0: {} (not counted)\n", day(self.start));
        for s in &self.steps {
            let d = &s.day;
            let basis = d
                .source
                .as_ref()
                .map(|src| match &src.notice {
                    Some(n) => format!(", per {}", n.number),
                    None => format!(", per {}", src.file),
                })
                .unwrap_or_default();
            let counted = match s.counted {
                Some(k) => format!("working day {k}"),
                None => "not counted".to_owned(),
            };
            out.push_str(&format!("{} {}{basis}  {counted}\n", day(d.date), d.kind.describe_en()));
        }
        out.push_str(&format!("working day {} is {}", self.n, day(self.end)));
        out
    }
}

impl fmt::Display for Explanation {
    /// The explanation in Chinese, one line per day.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "起算日 {}（{}），当日不计入", self.start, weekday_zh(self.start.weekday()))?;
        for s in &self.steps {
            let d = &s.day;
            let notice = d
                .source
                .as_ref()
                .map(|src| match &src.notice {
                    Some(n) => format!("，依据{}", n.number),
                    None => format!("，依据{}", src.file),
                })
                .unwrap_or_default();
            match s.counted {
                Some(k) => writeln!(
                    f,
                    "{} {} {}{notice}  第{k}个工作日",
                    d.date,
                    weekday_zh(d.date.weekday()),
                    d.kind.describe_zh()
                )?,
                None => writeln!(
                    f,
                    "{} {} {}{notice}  不计",
                    d.date,
                    weekday_zh(d.date.weekday()),
                    d.kind.describe_zh()
                )?,
            }
        }
        write!(f, "第{}个工作日为 {}（{}）", self.n, self.end, weekday_zh(self.end.weekday()))
    }
}

#[cfg(test)]
mod error_tests {
    use gongkai_model::Lang;

    use super::*;

    #[test]
    fn errors_are_said_in_one_language() {
        let all = [
            CalendarError::OutOfRange { date: date(2040, 1, 2), first: 2020, last: 2026 },
            CalendarError::Data {
                file: "x.toml".into(),
                reason: Msg::new("无法解析", "cannot be parsed"),
                detail: Some("EOF".into()),
            },
            CalendarError::Gap { missing: 2022, first: 2020, last: 2026 },
            CalendarError::Empty,
        ];
        for e in &all {
            gongkai_testkit::lang::assert_chinese(e.message(Lang::Zh).trim_end_matches("：EOF"));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert!(e.to_string().contains(" / "), "{e}");
        }
        assert_eq!(
            all[1].message(Lang::En),
            "calendar file x.toml is invalid: cannot be parsed: EOF"
        );
    }

    #[test]
    fn data_errors_are_said_in_one_language() {
        let n =
            "[[notice]]\nnumber = \"N1\"\ntitle = \"t\"\nissued = \"2023-10-25\"\nurl = \"u\"\n";
        let h = |from: &str, to: &str, notice: &str| {
            format!("[[holiday]]\nname = \"x\"\nfrom = \"{from}\"\n{to}{notice}")
        };
        let bad = [
            "year = 1000\n".to_owned(),
            format!("year = 2024\n{}", h("2024-01-01", "", "")),
            h("2024-01-01", "", "notice = \"N9\"\n"),
            h("2024-01-03", "to = \"2024-01-01\"\n", ""),
            h("2024-01-01", "to = \"2024-12-01\"\n", ""),
            format!(
                "{}[[workday]]\nname = \"y\"\ndates = [\"2024-01-01\"]\n",
                h("2024-01-01", "", "")
            ),
            format!("year = 2024\n{n}{}", h("2030-01-01", "", "notice = \"N1\"\n")),
        ];
        for text in &bad {
            let Err(e) = CalendarBuilder::new().add_toml("x.toml", text) else {
                panic!("accepted: {text}");
            };
            assert!(matches!(e, CalendarError::Data { detail: None, .. }), "{e}: {text}");
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
    }
}
