//! 年报汇总, the supervising office's status board for a report year: for every agency of the
//! office's subtree, whether its report is published (in gongkai, or elsewhere and collected by
//! the office), only drafted or missing, against the 条例第五十条 deadline, with its error and
//! warning counts and its cross-year check against the year before.
//!
//! - [`Status`]: the one vocabulary of the board (keys and zh/en labels), read by the page, the
//!   CSV and XLSX exports and the API.
//! - [`Facts`] → [`Row`]: what the store knows of one agency, and the board's line for it; pure.
//! - [`checked`]: the error/warning counts and the cross-year result of the published reports,
//!   by `gongkai_rules`, kept in memory by the SHA-256 of the texts (published versions never
//!   change, so a result is computed once per text and process; see `docs/server.md` for the
//!   figures of a cold and a warm board).
//! - [`Board::table`]: the rows as the exports write them (one header, one vocabulary).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use gongkai_model::{Lang, Report, Severity};
use gongkai_store::{CollectedSummary, Level, Org, OrgId, ReportVersion};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::AppError;
use crate::i18n;
use crate::state::AppState;

/// Where an agency's report for the year stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Published in gongkai (a published version of the year).
    Published,
    /// Published elsewhere; the office collected it (uploaded and read it).
    Collected,
    /// Not published; a draft of the year is saved in gongkai.
    Draft,
    /// Nothing: neither published nor drafted.
    Missing,
}

impl Status {
    /// Every status, in the board's order.
    pub const ALL: [Status; 4] =
        [Status::Published, Status::Collected, Status::Draft, Status::Missing];

    /// The stable key (API, CSV, filters).
    pub const fn key(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Collected => "collected",
            Status::Draft => "draft",
            Status::Missing => "missing",
        }
    }

    /// The label in Chinese.
    pub const fn zh(self) -> &'static str {
        match self {
            Status::Published => "已在本平台发布",
            Status::Collected => "已在其他渠道发布（已收集）",
            Status::Draft => "草稿未发布",
            Status::Missing => "未发布",
        }
    }

    /// The label in English.
    pub const fn en(self) -> &'static str {
        match self {
            Status::Published => "published in gongkai",
            Status::Collected => "published elsewhere (collected)",
            Status::Draft => "draft, not published",
            Status::Missing => "nothing published",
        }
    }

    /// The label in `lang`.
    pub const fn label(self, lang: Lang) -> &'static str {
        i18n::pick(lang, self.zh(), self.en())
    }

    /// The status of a key.
    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether the agency has published the year's report (here or elsewhere).
    pub const fn is_published(self) -> bool {
        matches!(self, Status::Published | Status::Collected)
    }
}

/// The cross-year check (X-CARRY, T2-STOCK-FLOW, …: `gongkai_rules::check_pair`) of the year's
/// report against the year before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrossYear {
    /// No report for the year: nothing to check.
    NoReport,
    /// No report of the year before (published in gongkai or collected).
    NoPrevious,
    /// Every cross-year rule holds.
    Ok,
    /// The rules that fail (ids, each once, in catalogue order).
    Failing(Vec<&'static str>),
}

impl CrossYear {
    /// The stable key.
    pub const fn key(&self) -> &'static str {
        match self {
            CrossYear::NoReport => "no_report",
            CrossYear::NoPrevious => "no_previous_year",
            CrossYear::Ok => "ok",
            CrossYear::Failing(_) => "failing",
        }
    }

    /// As the board shows it.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            CrossYear::NoReport => "—".to_owned(),
            CrossYear::NoPrevious => i18n::pick(lang, "无上年报告", "no previous year").to_owned(),
            CrossYear::Ok => i18n::pick(lang, "一致", "ok").to_owned(),
            CrossYear::Failing(rules) => {
                format!("{}{}", i18n::pick(lang, "未通过：", "failing: "), rules.join(", "))
            }
        }
    }
}

/// The checks of one report: its findings by severity and its cross-year result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// Findings of severity error.
    pub errors: u32,
    /// Findings of severity warning.
    pub warnings: u32,
    /// Against the year before.
    pub cross: CrossYear,
}

/// A report the office has of an agency for the year: published in gongkai or collected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filed {
    /// When it was published (a collected report: when the agency published it, if known).
    pub published_at: Option<Timestamp>,
    /// Its checks.
    pub checked: Checked,
}

/// What the store knows of one agency for the year.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    /// The agency.
    pub agency: &'a Org,
    /// The office directly above it.
    pub office: &'a Org,
    /// Its latest published version in gongkai.
    pub published: Option<Filed>,
    /// Its report collected by the office (published elsewhere).
    pub collected: Option<Filed>,
    /// Whether it saved a draft of the year.
    pub drafted: bool,
}

/// One agency on the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The agency.
    pub agency_id: OrgId,
    /// Its name.
    pub agency: String,
    /// Its level.
    pub level: Level,
    /// The office directly above it.
    pub office_id: OrgId,
    /// That office's name.
    pub office: String,
    /// Where its report stands.
    pub status: Status,
    /// The deadline (条例第五十条).
    pub due: Date,
    /// When the report was published (China date), if it was and the date is known.
    pub published_on: Option<Date>,
    /// The moment it was published, if known.
    pub published_at: Option<Timestamp>,
    /// Calendar days past the deadline: of the publication, or until today while unpublished;
    /// 0 when on time or not yet due.
    pub days_late: i64,
    /// The published report's checks (none without one).
    pub checked: Option<Checked>,
}

impl Row {
    /// The line of an agency on `today`, for a report year due on `due`. A report in gongkai
    /// wins over a collected one (it is the agency's own publication).
    pub fn of(facts: &Facts<'_>, due: Date, today: Date) -> Row {
        let (status, filed) = match (&facts.published, &facts.collected) {
            (Some(p), _) => (Status::Published, Some(p)),
            (None, Some(c)) => (Status::Collected, Some(c)),
            (None, None) if facts.drafted => (Status::Draft, None),
            (None, None) => (Status::Missing, None),
        };
        let published_at = filed.and_then(|f| f.published_at);
        let published_on = published_at.map(china_date);
        let late_until = match (status.is_published(), published_on) {
            (true, Some(day)) => Some(day),
            // Published elsewhere on an unknown day: not counted late.
            (true, None) => None,
            (false, _) => Some(today),
        };
        let days_late = late_until.map_or(0, |day| days_between(due, day).max(0));
        Row {
            agency_id: facts.agency.id,
            agency: facts.agency.name.clone(),
            level: facts.agency.level,
            office_id: facts.office.id,
            office: facts.office.name.clone(),
            status,
            due,
            published_on,
            published_at,
            days_late,
            checked: filed.map(|f| f.checked.clone()),
        }
    }

    /// Errors of the report (0 without one).
    pub fn errors(&self) -> u32 {
        self.checked.as_ref().map_or(0, |c| c.errors)
    }

    /// The cross-year result.
    pub fn cross(&self) -> CrossYear {
        self.checked.as_ref().map_or(CrossYear::NoReport, |c| c.cross.clone())
    }
}

/// The day of a moment in China (UTC+8).
pub fn china_date(at: Timestamp) -> Date {
    at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8))).date()
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    from.until((jiff::Unit::Day, to)).map_or(0, |span| i64::from(span.get_days()))
}

/// The filters of the board.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this level.
    pub level: Option<Level>,
    /// Only agencies past the deadline (published late, or still unpublished after it).
    pub late: bool,
    /// Only reports with errors.
    pub errors: bool,
}

impl Filter {
    /// Whether a row passes.
    pub fn keeps(&self, row: &Row) -> bool {
        self.status.is_none_or(|s| row.status == s)
            && self.level.is_none_or(|l| row.level == l)
            && (!self.late || row.days_late > 0)
            && (!self.errors || row.errors() > 0)
    }
}

/// The counts at the top of the board.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Agencies in the subtree.
    pub agencies: usize,
    /// Per status, in [`Status::ALL`] order.
    pub by_status: [usize; 4],
    /// Agencies past the deadline.
    pub late: usize,
    /// Reports with errors.
    pub with_errors: usize,
    /// Reports whose cross-year check fails.
    pub cross_failing: usize,
}

impl Summary {
    /// The counts of `rows`.
    pub fn of(rows: &[Row]) -> Summary {
        let mut s = Summary { agencies: rows.len(), ..Summary::default() };
        for row in rows {
            if let Some(i) = Status::ALL.iter().position(|&x| x == row.status) {
                s.by_status[i] += 1;
            }
            s.late += usize::from(row.days_late > 0);
            s.with_errors += usize::from(row.errors() > 0);
            s.cross_failing += usize::from(matches!(row.cross(), CrossYear::Failing(_)));
        }
        s
    }
}

/// The board of an office for a year: every agency of its subtree, grouped by level then by the
/// office directly above (the subtree's order: level, then name).
#[derive(Clone, Debug)]
pub struct Board {
    /// The report year.
    pub year: i16,
    /// Its deadline.
    pub due: Date,
    /// Every agency's row.
    pub rows: Vec<Row>,
}

/// The columns of the exports, declared once: the header in the language asked for, then each
/// row's cells.
const COLUMNS: [(&str, &str); 13] = [
    ("机关编号", "agency_id"),
    ("机关", "agency"),
    ("层级", "level"),
    ("上级政务公开办", "office"),
    ("状态代码", "status"),
    ("状态", "status_label"),
    ("发布期限", "due"),
    ("发布日期", "published_on"),
    ("逾期天数", "days_late"),
    ("错误", "errors"),
    ("警告", "warnings"),
    ("跨年检查", "cross_year"),
    ("跨年未通过规则", "cross_year_rules"),
];

/// A cell of an export: text or a number (never a formula).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Number(i64),
    /// Nothing.
    Empty,
}

impl Cell {
    /// As CSV text.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

impl Board {
    /// The rows a filter keeps.
    pub fn filtered<'a>(&'a self, filter: &'a Filter) -> impl Iterator<Item = &'a Row> {
        self.rows.iter().filter(|r| filter.keeps(r))
    }

    /// The header of the exports.
    pub fn header(lang: Lang) -> Vec<String> {
        COLUMNS.iter().map(|&(zh, en)| i18n::pick(lang, zh, en).to_owned()).collect()
    }

    /// A row as the exports write it, in [`Board::header`]'s order.
    pub fn cells(row: &Row, lang: Lang) -> Vec<Cell> {
        let checked = row.checked.as_ref();
        let count = |n: Option<u32>| n.map_or(Cell::Empty, |n| Cell::Number(i64::from(n)));
        let cross = row.cross();
        let rules = match &cross {
            CrossYear::Failing(rules) => rules.join(" "),
            _ => String::new(),
        };
        vec![
            Cell::Number(row.agency_id.0),
            Cell::Text(row.agency.clone()),
            Cell::Text(level_label(row.level, lang).to_owned()),
            Cell::Text(row.office.clone()),
            Cell::Text(row.status.key().to_owned()),
            Cell::Text(row.status.label(lang).to_owned()),
            Cell::Text(row.due.to_string()),
            row.published_on.map_or(Cell::Empty, |d| Cell::Text(d.to_string())),
            Cell::Number(row.days_late),
            count(checked.map(|c| c.errors)),
            count(checked.map(|c| c.warnings)),
            Cell::Text(cross.key().to_owned()),
            Cell::Text(rules),
        ]
    }

    /// The header and the rows a filter keeps, as text (for CSV).
    pub fn table(&self, filter: &Filter, lang: Lang) -> Vec<Vec<String>> {
        let mut out = vec![Board::header(lang)];
        out.extend(
            self.filtered(filter).map(|r| Board::cells(r, lang).iter().map(Cell::text).collect()),
        );
        out
    }

    /// The rows a filter keeps as an XLSX workbook: one sheet, every value a string or a number
    /// cell, never a formula.
    ///
    /// # Errors
    /// Only if rust_xlsxwriter fails on in-memory output.
    pub fn xlsx(&self, filter: &Filter, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
        let mut wb = Workbook::new();
        // A fixed creation time keeps the output reproducible.
        let props = DocProperties::new()
            .set_title(i18n::pick(lang, "年报汇总", "Annual report status"))
            .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1)?);
        wb.set_properties(&props);
        let head = Format::new().set_bold().set_background_color("#DDEBF7");
        let text = Format::new().set_num_format("@");
        let ws = wb.add_worksheet();
        ws.set_name(format!("{}{}", self.year, i18n::pick(lang, "年度", "")))?;
        for (j, h) in Board::header(lang).iter().enumerate() {
            ws.write_string_with_format(0, col(j), h, &head)?;
        }
        for (i, row) in self.filtered(filter).enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            for (j, cell) in Board::cells(row, lang).iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        ws.write_string_with_format(r, col(j), s, &text)?;
                    }
                    Cell::Number(n) => {
                        // Counts and ids stay far below 2^53: exact as a float.
                        #[allow(clippy::cast_precision_loss)]
                        ws.write_number(r, col(j), *n as f64)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        for j in 0..COLUMNS.len() {
            ws.set_column_width(col(j), 16)?;
        }
        ws.set_freeze_panes(1, 0)?;
        wb.save_to_buffer()
    }
}

/// A column index for rust_xlsxwriter (the board has 13 columns).
fn col(j: usize) -> u16 {
    u16::try_from(j).unwrap_or(u16::MAX)
}

/// A level's label in `lang`.
pub fn level_label(level: Level, lang: Lang) -> &'static str {
    let en = match level {
        Level::National => "national",
        Level::Provincial => "provincial",
        Level::Municipal => "municipal",
        Level::County => "county",
        Level::Township => "township",
    };
    i18n::pick(lang, level.zh(), en)
}

/// The checks of the reports of one year of a subtree, by agency: `current` and `previous` are
/// the latest versions of the year and of the year before ([`gongkai_store::Store::latest_versions`]).
/// A result is kept in memory under the SHA-256 of the texts it was computed from; only the
/// texts of reports not yet checked are read from the store (one query per year, and only when
/// one is missing) and checked off the async runtime.
///
/// # Errors
/// Store errors; a stored report that does not read back (internal).
pub async fn checked(
    state: &AppState,
    office: OrgId,
    year: i16,
    current: &[(OrgId, ReportVersion)],
    previous: &[(OrgId, ReportVersion)],
) -> Result<HashMap<OrgId, Checked>, AppError> {
    let prev_sha: HashMap<OrgId, &str> =
        previous.iter().map(|(a, v)| (*a, v.sha256.as_str())).collect();
    let key = |agency: &OrgId, v: &ReportVersion| CacheKey {
        current: v.sha256.clone(),
        previous: prev_sha.get(agency).map(|s| (*s).to_owned()),
    };
    let mut out = HashMap::with_capacity(current.len());
    let mut missing = Vec::new();
    {
        let cache = cache().lock().map_err(|_| AppError::internal("check cache poisoned"))?;
        for (agency, v) in current {
            let k = key(agency, v);
            match cache.get(&k) {
                Some(c) => {
                    out.insert(*agency, c.clone());
                }
                None => missing.push((*agency, k)),
            }
        }
    }
    if missing.is_empty() {
        return Ok(out);
    }
    // Read the texts of the year (and of the year before when a pair is to be checked).
    let texts = |reports: Vec<gongkai_store::PublishedReport>| -> BTreeMap<OrgId, String> {
        reports.into_iter().map(|r| (r.agency, r.report)).collect()
    };
    let now = texts(state.store.latest_reports(office, year).await?);
    let before = if missing.iter().any(|(_, k)| k.previous.is_some()) {
        texts(state.store.latest_reports(office, year.saturating_sub(1)).await?)
    } else {
        BTreeMap::new()
    };
    let computed = tokio::task::spawn_blocking(move || {
        let mut done = Vec::with_capacity(missing.len());
        for (agency, k) in missing {
            // A version published between the two reads is checked on the next view.
            let Some(text) = now.get(&agency) else { continue };
            let report = crate::routes::published::report_of(text)?;
            let previous = match before.get(&agency) {
                Some(t) if k.previous.is_some() => Some(crate::routes::published::report_of(t)?),
                _ => None,
            };
            done.push((agency, k, check(&report, previous.as_ref())));
        }
        Ok::<_, AppError>(done)
    })
    .await
    .map_err(AppError::internal)??;
    out.extend(remember(computed)?);
    Ok(out)
}

/// One year's report of an agency, as the board counts it: its version published in gongkai,
/// or else the latest reading of a report the office collected.
#[derive(Clone, Copy, Debug)]
pub enum Side<'a> {
    /// A version published in gongkai.
    Published(&'a ReportVersion),
    /// A collected report.
    Collected(&'a CollectedSummary),
}

impl<'a> Side<'a> {
    /// Each agency's report of a year as the board counts it: its published version, else its
    /// collected report.
    pub fn by_agency(
        published: &'a [(OrgId, ReportVersion)],
        collected: &'a [CollectedSummary],
    ) -> BTreeMap<OrgId, Side<'a>> {
        let mut sides: BTreeMap<OrgId, Side<'a>> =
            collected.iter().map(|c| (c.agency, Side::Collected(c))).collect();
        sides.extend(published.iter().map(|(a, v)| (*a, Side::Published(v))));
        sides
    }

    /// What a check of it is kept under: the SHA-256 of a published text (which never changes),
    /// or a collected document and the time it was read (a new reading has a new time).
    fn key(&self) -> String {
        match self {
            Side::Published(v) => v.sha256.clone(),
            Side::Collected(c) => {
                format!("collected:{}:{}", c.document.0, c.read_at.as_millisecond())
            }
        }
    }
}

/// The cross-year results of the pairs [`checked`] leaves out: for every agency whose report of
/// `year` or of the year before is a collected one ([`Side`]; a published version wins over a
/// collected one on each side), `check_pair` of the two. Results are kept in the same memory
/// as [`checked`]'s; the texts are read only for pairs not checked yet (one query per kind and
/// year, and only when needed).
///
/// # Errors
/// Store errors; a stored report that does not read back (internal).
pub async fn collected_cross(
    state: &AppState,
    office: OrgId,
    year: i16,
    now: &BTreeMap<OrgId, Side<'_>>,
    before: &BTreeMap<OrgId, Side<'_>>,
) -> Result<BTreeMap<OrgId, CrossYear>, AppError> {
    let mut out = BTreeMap::new();
    let mut missing = Vec::new();
    {
        let cache = cache().lock().map_err(|_| AppError::internal("check cache poisoned"))?;
        for (agency, side) in now {
            let Some(prev) = before.get(agency) else { continue };
            if matches!((side, prev), (Side::Published(_), Side::Published(_))) {
                continue;
            }
            let k = CacheKey { current: side.key(), previous: Some(prev.key()) };
            match cache.get(&k) {
                Some(c) => {
                    out.insert(*agency, c.cross.clone());
                }
                None => missing.push((
                    *agency,
                    matches!(side, Side::Published(_)),
                    matches!(prev, Side::Published(_)),
                    k,
                )),
            }
        }
    }
    if missing.is_empty() {
        return Ok(out);
    }
    let last = year.saturating_sub(1);
    // Which texts the missing pairs need: published or collected, this year or the last.
    let needs = |now_side: bool, published_side: bool| {
        missing
            .iter()
            .any(|(_, n, b, _)| if now_side { *n == published_side } else { *b == published_side })
    };
    let published = |y: i16, needed: bool| async move {
        if !needed {
            return Ok::<_, AppError>(BTreeMap::new());
        }
        let reports = state.store.latest_reports(office, y).await?;
        Ok(reports.into_iter().map(|r| (r.agency, r.report)).collect::<BTreeMap<OrgId, String>>())
    };
    let collected = |y: i16, needed: bool| async move {
        if !needed {
            return Ok::<_, AppError>(BTreeMap::new());
        }
        let reports = state.store.collected_texts(office, y).await?;
        Ok(reports.into_iter().map(|(c, t)| (c.agency, t)).collect::<BTreeMap<OrgId, String>>())
    };
    let now_published = published(year, needs(true, true)).await?;
    let now_collected = collected(year, needs(true, false)).await?;
    let before_published = published(last, needs(false, true)).await?;
    let before_collected = collected(last, needs(false, false)).await?;
    let computed = tokio::task::spawn_blocking(move || {
        let mut done = Vec::with_capacity(missing.len());
        for (agency, n, b, k) in missing {
            let text = if n { now_published.get(&agency) } else { now_collected.get(&agency) };
            let prev =
                if b { before_published.get(&agency) } else { before_collected.get(&agency) };
            // A version published or read between the reads is checked on the next view.
            let (Some(text), Some(prev)) = (text, prev) else { continue };
            let report = crate::routes::published::report_of(text)?;
            let previous = crate::routes::published::report_of(prev)?;
            done.push((agency, k, check(&report, Some(&previous))));
        }
        Ok::<_, AppError>(done)
    })
    .await
    .map_err(AppError::internal)??;
    out.extend(remember(computed)?.into_iter().map(|(agency, c)| (agency, c.cross)));
    Ok(out)
}

/// Keeps checks just computed in memory under the texts they were computed from (emptied
/// first when full); returns them by agency.
fn remember(computed: Vec<(OrgId, CacheKey, Checked)>) -> Result<Vec<(OrgId, Checked)>, AppError> {
    let mut cache = cache().lock().map_err(|_| AppError::internal("check cache poisoned"))?;
    if cache.len() + computed.len() > CACHE_LIMIT {
        cache.clear();
    }
    Ok(computed
        .into_iter()
        .map(|(agency, k, c)| {
            cache.insert(k, c.clone());
            (agency, c)
        })
        .collect())
}

/// A report's checks: its own rules, and the cross-year rules against `previous`.
pub fn check(report: &Report, previous: Option<&Report>) -> Checked {
    let findings = gongkai_rules::check(report);
    let count = |s: Severity| {
        u32::try_from(findings.iter().filter(|f| f.severity == s).count()).unwrap_or(u32::MAX)
    };
    let cross = match previous {
        None => CrossYear::NoPrevious,
        Some(prev) => {
            let mut rules: Vec<&'static str> = gongkai_rules::check_pair(prev, report)
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .map(|f| f.rule)
                .collect();
            rules.sort_unstable();
            rules.dedup();
            if rules.is_empty() { CrossYear::Ok } else { CrossYear::Failing(rules) }
        }
    };
    Checked { errors: count(Severity::Error), warnings: count(Severity::Warning), cross }
}

/// The texts a result was computed from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CacheKey {
    current: String,
    previous: Option<String>,
}

/// The most results kept (a few MB); past it the cache starts again.
const CACHE_LIMIT: usize = 200_000;

/// The checks of published texts, by their digests. Shared by every store of the process: a
/// result depends on the texts only, which the digests name.
fn cache() -> &'static Mutex<HashMap<CacheKey, Checked>> {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, Checked>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

#[cfg(test)]
mod tests {
    use gongkai_store::{OrgKind, RegionCode};
    use jiff::civil::date;

    use super::*;

    fn org(id: i64, kind: OrgKind, name: &str) -> Org {
        Org {
            id: OrgId(id),
            parent: Some(OrgId(1)),
            kind,
            name: name.into(),
            level: Level::County,
            region: RegionCode::parse("110101").expect("region"),
        }
    }

    fn filed(on: Option<&str>, errors: u32) -> Filed {
        Filed {
            published_at: on.map(|t| t.parse().expect("timestamp")),
            checked: Checked { errors, warnings: 1, cross: CrossYear::NoPrevious },
        }
    }

    #[test]
    fn every_status_and_its_lateness() {
        let office = org(1, OrgKind::Office, "县政务公开办");
        let agency = org(2, OrgKind::Agency, "县教育局");
        let due = date(2026, 1, 31);
        let today = date(2026, 3, 16);
        let facts = |published, collected, drafted| Facts {
            agency: &agency,
            office: &office,
            published,
            collected,
            drafted,
        };
        // Published on 31 January at 23:30 in China (15:30 UTC): on time.
        let on_time =
            Row::of(&facts(Some(filed(Some("2026-01-31T15:30:00Z"), 0)), None, true), due, today);
        assert_eq!((on_time.status, on_time.days_late), (Status::Published, 0));
        assert_eq!(on_time.published_on, Some(date(2026, 1, 31)));
        // 1 February 00:30 in China is a day late.
        let late =
            Row::of(&facts(Some(filed(Some("2026-01-31T16:30:00Z"), 2)), None, false), due, today);
        assert_eq!((late.days_late, late.errors()), (1, 2));
        // Gongkai wins over a collected copy; a collected one stands alone otherwise.
        let both = facts(Some(filed(Some("2026-01-20T00:00:00Z"), 0)), Some(filed(None, 5)), false);
        assert_eq!(Row::of(&both, due, today).errors(), 0);
        let collected = Row::of(&facts(None, Some(filed(None, 5)), true), due, today);
        assert_eq!(
            (collected.status, collected.days_late, collected.errors()),
            (Status::Collected, 0, 5)
        );
        let draft = Row::of(&facts(None, None, true), due, today);
        assert_eq!(
            (draft.status, draft.days_late, draft.cross()),
            (Status::Draft, 44, CrossYear::NoReport)
        );
        let missing = Row::of(&facts(None, None, false), due, today);
        assert_eq!((missing.status, missing.days_late), (Status::Missing, 44));
        let early = Row::of(&facts(None, None, false), due, date(2026, 1, 10));
        assert_eq!(early.days_late, 0, "not yet due");

        let rows = vec![on_time, late, collected, draft, missing];
        let s = Summary::of(&rows);
        assert_eq!((s.agencies, s.by_status, s.late, s.with_errors), (5, [2, 1, 1, 1], 3, 2));
        let board = Board { year: 2025, due, rows };
        let keep = |f: Filter| board.filtered(&f).count();
        assert_eq!(keep(Filter::default()), 5);
        assert_eq!(keep(Filter { status: Some(Status::Missing), ..Filter::default() }), 1);
        assert_eq!(keep(Filter { late: true, ..Filter::default() }), 3);
        assert_eq!(keep(Filter { errors: true, ..Filter::default() }), 2);
        assert_eq!(keep(Filter { late: true, errors: true, ..Filter::default() }), 1);
        assert_eq!(keep(Filter { level: Some(Level::Township), ..Filter::default() }), 0);
    }

    #[test]
    fn the_vocabulary_is_complete_and_round_trips() {
        for s in Status::ALL {
            assert_eq!(Status::from_key(s.key()), Some(s));
            assert!(!s.zh().is_empty() && !s.en().is_empty());
        }
        assert_eq!(Board::header(Lang::Zh).len(), COLUMNS.len());
    }
}
