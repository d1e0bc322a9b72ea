//! The annual tables counted from records: Tables 2, 3 and 4 in the 2021 layout, inside a
//! [`Report`], with the figures section 一 quotes.
//!
//! Counting rules (each is exact by construction, so the 勾稽关系 hold):
//!
//! - Table 3, per applicant column: `new_received` = applications received in the year;
//!   `carried_over` = applications received earlier and still open on 31 December of the year
//!   before; each of these is either closed in the year (one outcome row) or still open on
//!   31 December (`carried_forward`). So `new_received + carried_over = total_processed +
//!   carried_forward`, and next year's `carried_over` equals this year's `carried_forward`.
//! - Table 2: documents issued / repealed in the year and in force on 31 December; decisions
//!   tallied in the year; administrative fees collected in the year, in 万元 (exact).
//! - Table 4: disputes filed in the year, by their result on 31 December (`pending` when not
//!   concluded) [U: some agencies also count earlier disputes concluded in the year].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use gongkai_model::{
    CellKey, Layout, Report, Section, SectionId, Spanned, T2Col, T2Row, T3Col, T3Row, T4Block,
    T4Col, Table, TableId, Value,
};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::case::Case;
use crate::registers::{
    DecisionTally, Dispute, DisputeResult, FeeCollected, NormativeDoc, ProactiveItem,
    PublishChannel,
};

/// A record a table cell counts (the drill-down of a cell: "why is 予以公开 70?").
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Contributor<'a> {
    /// An application (Table 3).
    Case(&'a Case),
    /// A regulation or normative document (Table 2, 规章 / 行政规范性文件).
    Document(&'a NormativeDoc),
    /// A tally of decisions (Table 2, 行政许可 / 行政处罚 / 行政强制).
    Decisions(&'a DecisionTally),
    /// An administrative fee collected (Table 2, 行政事业性收费).
    Fee(&'a FeeCollected),
    /// A reconsideration or litigation case (Table 4).
    Dispute(&'a Dispute),
}

impl Contributor<'_> {
    /// What the record adds to its cell, in the cell's unit: 1 for a record counted once, a
    /// tally's number of decisions, a fee's amount in 万元.
    pub fn amount(&self) -> Decimal {
        match self {
            Contributor::Case(_) | Contributor::Document(_) | Contributor::Dispute(_) => {
                Decimal::ONE
            }
            Contributor::Decisions(d) => Decimal::from(d.count),
            Contributor::Fee(f) => f.amount_yuan / Decimal::from(10_000),
        }
    }
}

/// The records the cell `key` of [`annual`]'s tables for `year` counts, in the records' order:
/// the sum of their [`Contributor::amount`]s is the cell's value. Empty for a cell of a layout
/// [`annual`] does not fill (the trial layout's keys). Uses the classification [`annual`] uses, so
/// the drill-down and the table cannot disagree.
pub fn contributors<'a>(records: &Records<'a>, year: i16, key: CellKey) -> Vec<Contributor<'a>> {
    use gongkai_model::{ColId, RowId};
    let (start, end, prev_end) = bounds(year);
    let in_year = |d: Date| start <= d && d <= end;
    match (key.row, key.col) {
        (RowId::T3(row), ColId::T3(col)) => records
            .cases
            .iter()
            .filter(|c| col == T3Col::Total || c.applicant_type().col() == col)
            .filter(|c| t3_rows(c, start, end, prev_end).contains(&row))
            .map(Contributor::Case)
            .collect(),
        (RowId::T2(row @ (T2Row::Regulations | T2Row::NormativeDocuments)), ColId::T2(col)) => {
            records
                .documents
                .iter()
                .filter(|d| d.kind.row() == row && doc_counts(d, col, start, end))
                .map(Contributor::Document)
                .collect()
        }
        (
            RowId::T2(row @ (T2Row::Licensing | T2Row::Penalty | T2Row::Coercion)),
            ColId::T2(T2Col::Decisions),
        ) => records
            .decisions
            .iter()
            .filter(|d| d.kind.row() == row && in_year(d.date))
            .map(Contributor::Decisions)
            .collect(),
        (RowId::T2(T2Row::Fees), ColId::T2(T2Col::AmountWanYuan)) => records
            .fees_collected
            .iter()
            .filter(|f| in_year(f.date))
            .map(Contributor::Fee)
            .collect(),
        (RowId::T4(block), ColId::T4(col)) => records
            .disputes
            .iter()
            .filter(|d| d.kind.block() == block && in_year(d.filed))
            .filter(|d| col == T4Col::Total || dispute_col(d, end) == col)
            .map(Contributor::Dispute)
            .collect(),
        _ => Vec::new(),
    }
}

/// The records one year's tables are counted from.
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    /// The agency.
    pub agency: &'a str,
    /// Applications, replayed.
    pub cases: &'a [Case],
    /// Proactive items.
    pub proactive: &'a [ProactiveItem],
    /// Regulations and normative documents.
    pub documents: &'a [NormativeDoc],
    /// Decision tallies.
    pub decisions: &'a [DecisionTally],
    /// Administrative fees collected.
    pub fees_collected: &'a [FeeCollected],
    /// Disputes.
    pub disputes: &'a [Dispute],
}

impl Records<'_> {
    /// Whether any record concerns `year`: an application received, closed or carried over into
    /// it, a proactive item created or published, a document issued or repealed, a decision, a fee
    /// or a dispute filed or concluded in it. Tables of a year without records are all zeros and
    /// say nothing.
    pub fn any_in(&self, year: i16) -> bool {
        let (start, end, prev_end) = bounds(year);
        let within = |d: Date| start <= d && d <= end;
        self.cases.iter().any(|c| {
            within(c.received()) || c.closed_on().is_some_and(within) || c.open_at(prev_end)
        }) || self
            .proactive
            .iter()
            .any(|p| within(p.created) || p.publications.iter().any(|x| within(x.on)))
            || self.documents.iter().any(|d| within(d.issued) || d.repealed.is_some_and(within))
            || self.decisions.iter().any(|d| within(d.date))
            || self.fees_collected.iter().any(|f| within(f.date))
            || self
                .disputes
                .iter()
                .any(|d| within(d.filed) || d.concluded.is_some_and(|(on, _)| within(on)))
    }
}

/// Items published on one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChannelCount {
    /// The channel's Chinese name.
    pub channel: String,
    /// Items published there in the year.
    pub items: u64,
}

/// The figures section 一 (and 六) quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// The agency.
    pub agency: String,
    /// The year.
    pub year: i16,
    /// Proactive items first published in the year.
    pub items_published: u64,
    /// Items published in the year, per channel (an item on two channels counts on both).
    pub by_channel: Vec<ChannelCount>,
    /// Items first published within 20 working days of creation (第二十六条); `None` when the
    /// calendar does not cover every date involved.
    pub items_published_on_time: Option<u64>,
    /// Applications received in the year.
    pub applications_received: u64,
    /// Applications carried over from the year before.
    pub applications_carried_over: u64,
    /// Applications closed in the year.
    pub applications_closed: u64,
    /// Applications still open on 31 December.
    pub applications_carried_forward: u64,
    /// Applications closed in the year by a reply.
    pub replied: u64,
    /// Of those, replied by the deadline.
    pub replied_on_time: u64,
    /// Information processing fees paid in the year, in yuan.
    pub information_fees_yuan: Decimal,
    /// Applications closed in the year for non-payment.
    pub closed_for_unpaid_fee: u64,
    /// Reconsideration cases filed in the year.
    pub reviews: u64,
    /// Litigation cases filed in the year (direct and after reconsideration).
    pub litigations: u64,
}

/// A year's report computed from records, and its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annual {
    /// The report: metadata, generated section texts, Tables 2–4 (2021 layout).
    pub report: Report,
    /// The figures the texts quote.
    pub figures: Figures,
}

const T3_ROWS: usize = T3Row::ALL.len();
const T3_COLS: usize = T3Col::ALL.len();

/// Table 3 as counts: `[row][column]` indexed by the enums' declaration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct T3Counts(pub [[u64; T3_COLS]; T3_ROWS]);

impl T3Counts {
    /// The count in `row`, `col`.
    pub fn get(&self, row: T3Row, col: T3Col) -> u64 {
        self.0[row as usize][col as usize]
    }

    fn add(&mut self, row: T3Row, col: T3Col) {
        self.0[row as usize][col as usize] += 1;
        self.0[row as usize][T3Col::Total as usize] += 1;
    }
}

/// Counts Table 3 for `year` from replayed cases.
pub fn count_t3(cases: &[Case], year: i16) -> T3Counts {
    let (start, end, prev_end) = bounds(year);
    let mut t = T3Counts([[0; T3_COLS]; T3_ROWS]);
    for case in cases {
        let col = case.applicant_type().col();
        for row in t3_rows(case, start, end, prev_end) {
            t.add(row, col);
        }
    }
    t
}

/// The Table 3 rows a case counts in for the year `start..=end` (in its applicant column and in
/// 总计): how it entered the year (新收 or 上年结转), then its result (an outcome row and 总计) or
/// 结转下年度. Empty when the case does not concern the year. The one classification both
/// [`count_t3`] and [`contributors`] use.
fn t3_rows(case: &Case, start: Date, end: Date, prev_end: Date) -> Vec<T3Row> {
    let received = case.received();
    if received > end {
        return Vec::new();
    }
    let entry = if case.open_at(prev_end) {
        T3Row::CarriedOver
    } else if received >= start {
        T3Row::NewReceived
    } else {
        return Vec::new();
    };
    match case.closure().filter(|c| c.on <= end) {
        Some(c) => vec![entry, c.outcome.row(), T3Row::TotalProcessed],
        None => vec![entry, T3Row::CarriedForward],
    }
}

/// Whether document `d` counts in column `col` of its Table 2 row for the year `start..=end`.
fn doc_counts(d: &NormativeDoc, col: T2Col, start: Date, end: Date) -> bool {
    let in_year = |day: Date| start <= day && day <= end;
    match col {
        T2Col::Issued => in_year(d.issued),
        T2Col::Repealed => d.repealed.is_some_and(in_year),
        T2Col::InForce => d.in_force_at(end),
        _ => false,
    }
}

/// The Table 4 column of a dispute filed in the year: its result on `end`, or 尚未审结.
fn dispute_col(d: &Dispute, end: Date) -> T4Col {
    match d.result_at(end) {
        Some(DisputeResult::Upheld) => T4Col::Upheld,
        Some(DisputeResult::Corrected) => T4Col::Corrected,
        Some(DisputeResult::Other) => T4Col::Other,
        None => T4Col::Pending,
    }
}

fn bounds(year: i16) -> (Date, Date, Date) {
    let start = jiff::civil::date(year, 1, 1);
    let end = jiff::civil::date(year, 12, 31);
    let prev_end = start.yesterday().unwrap_or(start);
    (start, end, prev_end)
}

fn int(n: u64) -> Value {
    Value::Number(Decimal::from(n))
}

/// Computes the year's report and figures. Deterministic: the same records give the same report.
pub fn annual(records: &Records<'_>, year: i16, calendar: &gongkai_calendar::Calendar) -> Annual {
    let (start, end, _) = bounds(year);
    let in_year = |d: Date| start <= d && d <= end;

    // Table 3.
    let t3c = count_t3(records.cases, year);
    let t3 = Table::filled(TableId::T3, Layout::Format2021, |k| match (k.row, k.col) {
        (gongkai_model::RowId::T3(r), gongkai_model::ColId::T3(c)) => int(t3c.get(r, c)),
        _ => Value::Unknown,
    });

    // Table 2.
    let mut t2 = Table::blank(TableId::T2, Layout::Format2021);
    for row in [T2Row::Regulations, T2Row::NormativeDocuments] {
        let docs = records.documents.iter().filter(|d| d.kind.row() == row);
        let (mut issued, mut repealed, mut in_force) = (0, 0, 0);
        for d in docs {
            issued += u64::from(doc_counts(d, T2Col::Issued, start, end));
            repealed += u64::from(doc_counts(d, T2Col::Repealed, start, end));
            in_force += u64::from(doc_counts(d, T2Col::InForce, start, end));
        }
        t2.set(CellKey::t2(row, T2Col::Issued), int(issued));
        t2.set(CellKey::t2(row, T2Col::Repealed), int(repealed));
        t2.set(CellKey::t2(row, T2Col::InForce), int(in_force));
    }
    for row in [T2Row::Licensing, T2Row::Penalty, T2Row::Coercion] {
        let n = records
            .decisions
            .iter()
            .filter(|d| d.kind.row() == row && in_year(d.date))
            .map(|d| d.count)
            .sum();
        t2.set(CellKey::t2(row, T2Col::Decisions), int(n));
    }
    let fees_yuan: Decimal =
        records.fees_collected.iter().filter(|f| in_year(f.date)).map(|f| f.amount_yuan).sum();
    t2.set(
        CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan),
        Value::Number((fees_yuan / Decimal::from(10_000)).normalize()),
    );

    // Table 4.
    let mut t4c: BTreeMap<(T4Block, T4Col), u64> = BTreeMap::new();
    for d in records.disputes.iter().filter(|d| in_year(d.filed)) {
        let col = dispute_col(d, end);
        *t4c.entry((d.kind.block(), col)).or_default() += 1;
        *t4c.entry((d.kind.block(), T4Col::Total)).or_default() += 1;
    }
    let t4 = Table::filled(TableId::T4, Layout::Format2021, |k| match (k.row, k.col) {
        (gongkai_model::RowId::T4(b), gongkai_model::ColId::T4(c)) => {
            int(t4c.get(&(b, c)).copied().unwrap_or(0))
        }
        _ => Value::Unknown,
    });

    let figures =
        figures(records, year, calendar, &t3c, fees_yuan_info(records.cases, start, end), &t4c);
    let report = Report {
        meta: gongkai_model::Metadata {
            agency: Some(Spanned::bare(records.agency.to_owned())),
            year: Some(Spanned::bare(i32::from(year))),
            title: Some(Spanned::bare(format!(
                "{}{}年政府信息公开工作年度报告",
                records.agency, year
            ))),
            ..Default::default()
        },
        preamble: None,
        sections: sections(&figures, &t2),
        t2: Some(t2),
        t3: Some(t3),
        t4: Some(t4),
    };
    Annual { report, figures }
}

/// Information processing fees paid in the year (yuan), and closures for non-payment.
fn fees_yuan_info(cases: &[Case], start: Date, end: Date) -> (Decimal, u64) {
    let mut paid = Decimal::ZERO;
    let mut unpaid = 0;
    for c in cases {
        if let Some(f) = c.fee()
            && f.paid_on.is_some_and(|d| start <= d && d <= end)
        {
            paid += f.amount_yuan;
        }
        if c.closure().is_some_and(|cl| {
            cl.outcome == crate::Outcome::UNPAID_FEE && start <= cl.on && cl.on <= end
        }) {
            unpaid += 1;
        }
    }
    (paid, unpaid)
}

fn channel_rank(c: &PublishChannel) -> (u8, &str) {
    let r = match c {
        PublishChannel::Portal => 0,
        PublishChannel::Wechat => 1,
        PublishChannel::Weibo => 2,
        PublishChannel::Gazette => 3,
        PublishChannel::PressConference => 4,
        PublishChannel::Bulletin => 5,
        PublishChannel::Other(_) => 6,
    };
    (r, c.zh())
}

fn figures(
    records: &Records<'_>,
    year: i16,
    calendar: &gongkai_calendar::Calendar,
    t3: &T3Counts,
    (information_fees_yuan, closed_for_unpaid_fee): (Decimal, u64),
    t4: &BTreeMap<(T4Block, T4Col), u64>,
) -> Figures {
    let (start, end, _) = bounds(year);
    let in_year = |d: Date| start <= d && d <= end;
    let mut items_published = 0;
    let mut on_time = Some(0u64);
    let mut by: BTreeMap<(u8, String), u64> = BTreeMap::new();
    for item in records.proactive {
        if item.first_published().is_some_and(in_year) {
            items_published += 1;
            on_time = match (on_time, item.published_on_time(calendar)) {
                (Some(n), Ok(Some(true))) => Some(n + 1),
                (Some(n), Ok(_)) => Some(n),
                (_, Err(_)) | (None, _) => None,
            };
        }
        for p in item.publications.iter().filter(|p| in_year(p.on)) {
            let (rank, name) = channel_rank(&p.channel);
            *by.entry((rank, name.to_owned())).or_default() += 1;
        }
    }
    let total = |row| t3.get(row, T3Col::Total);
    let (mut replied, mut replied_on_time) = (0, 0);
    for c in records.cases {
        if let Some(cl) = c.closure().filter(|cl| in_year(cl.on))
            && let Some(ok) = cl.on_time
        {
            replied += 1;
            replied_on_time += u64::from(ok);
        }
    }
    let block_total = |b| t4.get(&(b, T4Col::Total)).copied().unwrap_or(0);
    Figures {
        agency: records.agency.to_owned(),
        year,
        items_published,
        by_channel: by
            .into_iter()
            .map(|((_, channel), items)| ChannelCount { channel, items })
            .collect(),
        items_published_on_time: on_time,
        applications_received: total(T3Row::NewReceived),
        applications_carried_over: total(T3Row::CarriedOver),
        applications_closed: total(T3Row::TotalProcessed),
        applications_carried_forward: total(T3Row::CarriedForward),
        replied,
        replied_on_time,
        information_fees_yuan: information_fees_yuan.normalize(),
        closed_for_unpaid_fee,
        reviews: block_total(T4Block::Review),
        litigations: block_total(T4Block::LitigationDirect)
            + block_total(T4Block::LitigationAfterReview),
    }
}

/// The section texts generated from the figures (section 五 is left for the agency to write).
fn sections(f: &Figures, t2: &Table) -> Vec<Section> {
    let mut overview = String::new();
    let _ = write!(overview, "（一）主动公开。本年度主动公开政府信息{}条", f.items_published);
    if !f.by_channel.is_empty() {
        let parts: Vec<String> =
            f.by_channel.iter().map(|c| format!("{}{}条", c.channel, c.items)).collect();
        let _ = write!(overview, "，其中{}", parts.join("、"));
    }
    overview.push('。');
    let _ = write!(
        overview,
        "\n（二）依申请公开。本年度新收政府信息公开申请{}件，上年结转{}件，办结{}件，其中按期答复{}件（作出答复{}件）；结转下年度继续办理{}件。",
        f.applications_received,
        f.applications_carried_over,
        f.applications_closed,
        f.replied_on_time,
        f.replied,
        f.applications_carried_forward
    );
    let n = |r, c| t2.number(CellKey::t2(r, c)).unwrap_or_default();
    let proactive = format!(
        "本年度制发规章{}件、行政规范性文件{}件，作出行政许可决定{}件、行政处罚决定{}件、行政强制决定{}件。",
        n(T2Row::Regulations, T2Col::Issued),
        n(T2Row::NormativeDocuments, T2Col::Issued),
        n(T2Row::Licensing, T2Col::Decisions),
        n(T2Row::Penalty, T2Col::Decisions),
        n(T2Row::Coercion, T2Col::Decisions),
    );
    let applications = format!(
        "本年度新收政府信息公开申请{}件，上年结转{}件，办结{}件，结转下年度继续办理{}件。",
        f.applications_received,
        f.applications_carried_over,
        f.applications_closed,
        f.applications_carried_forward
    );
    let review = format!(
        "本年度因政府信息公开工作被申请行政复议{}件，被提起行政诉讼{}件。",
        f.reviews, f.litigations
    );
    let other = if f.information_fees_yuan.is_zero() {
        "本年度未收取信息处理费。".to_owned()
    } else {
        format!(
            "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{}元。",
            f.information_fees_yuan
        )
    };
    vec![
        Section::new(SectionId::Overview, overview),
        Section::new(SectionId::Proactive, proactive),
        Section::new(SectionId::Applications, applications),
        Section::new(SectionId::ReviewLitigation, review),
        Section::new(SectionId::Problems, ""),
        Section::new(SectionId::Other, other),
    ]
}
