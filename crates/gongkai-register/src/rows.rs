//! Rows of a filled-in template → register records. Every problem is collected with its sheet,
//! row number (as the spreadsheet shows it) and column; nothing is returned half-way.

use std::collections::BTreeMap;

use gongkai_cases::event::EventKind;
use gongkai_cases::fee::FeeMethod;
use gongkai_cases::registers::{
    DecisionTally, Dispute, FeeCollected, NormativeDoc, ProactiveItem, Publication, PublishChannel,
    Review,
};
use gongkai_cases::{
    Answer, ApplicantType, CaseEvent, CaseId, CaseRecord, Channel, Intake, Party, PersonalData,
};
use gongkai_model::Msg;
use jiff::civil::Date;

use crate::RowError;
use crate::parse::{self, Cell, label_key};
use crate::template::{Col, Sheet};
use crate::validate::{self, before};
use crate::vocab::{self, ChannelKind, Ending};

/// One sheet's cells, sparse: only rows and cells that hold something, so a stray cell far away
/// (`XFD1048576`) costs one entry, not a million rows of sixteen thousand columns. The header row
/// is the first row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// The rows that hold a non-empty cell, in order.
    pub rows: Vec<GridRow>,
}

/// One row of a [`Grid`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GridRow {
    /// The row number as the spreadsheet shows it (1-based).
    pub number: usize,
    /// The non-empty cells with their 0-based column, by column.
    pub cells: Vec<(usize, Cell)>,
}

impl GridRow {
    /// A row from cells laid out from column 0 (CSV); empty cells are dropped.
    pub fn dense(number: usize, cells: Vec<Cell>) -> Self {
        GridRow {
            number,
            cells: cells.into_iter().enumerate().filter(|(_, c)| !c.is_empty()).collect(),
        }
    }

    /// The cell in column `col`, if it holds something.
    pub fn get(&self, col: usize) -> Option<&Cell> {
        self.cells.binary_search_by_key(&col, |(i, _)| *i).ok().map(|i| &self.cells[i].1)
    }

    /// The non-empty cells in column order (for [`detect`]).
    pub fn values(&self) -> Vec<Cell> {
        self.cells.iter().map(|(_, c)| c.clone()).collect()
    }
}

/// Everything read from a file, by sheet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Applications.
    pub cases: Vec<CaseRecord>,
    /// Personal data of applicants.
    pub personal: Vec<PersonalData>,
    /// Proactive items.
    pub proactive: Vec<ProactiveItem>,
    /// Documents.
    pub documents: Vec<NormativeDoc>,
    /// Decision tallies.
    pub decisions: Vec<DecisionTally>,
    /// Administrative fees.
    pub fees_collected: Vec<FeeCollected>,
    /// Disputes.
    pub disputes: Vec<Dispute>,
    /// The sheets the file contained.
    pub sheets: Vec<Sheet>,
    /// For each entry of `cases`, the spreadsheet row it was read from.
    pub case_rows: Vec<usize>,
}

/// A data row with its header mapping.
struct Row<'a> {
    sheet: Sheet,
    number: usize,
    cells: &'a GridRow,
    index: &'a BTreeMap<Col, usize>,
    errors: &'a mut Vec<RowError>,
}

impl Row<'_> {
    fn cell(&self, col: Col) -> &Cell {
        self.index.get(&col).and_then(|&i| self.cells.get(i)).unwrap_or(&Cell::Empty)
    }

    fn fail(&mut self, col: Col, reason: Msg) {
        self.errors.push(RowError {
            sheet: self.sheet.name().to_owned(),
            row: self.number,
            column: col.name().to_owned(),
            reason,
        });
    }

    /// A required or optional value parsed by `f`; `None` (and an error when required) if missing.
    fn get<T>(
        &mut self,
        col: Col,
        required: bool,
        f: impl Fn(&Cell) -> Result<T, Msg>,
    ) -> Option<T> {
        let cell = self.cell(col).clone();
        if cell.is_empty() {
            if required {
                self.fail(col, Msg::new("必填项为空", "required but empty"));
            }
            return None;
        }
        match f(&cell) {
            Ok(v) => Some(v),
            Err(reason) => {
                self.fail(col, reason);
                None
            }
        }
    }

    fn text(&mut self, col: Col, required: bool) -> Option<String> {
        self.get(col, required, |c| Ok(c.text()))
    }

    fn date(&mut self, col: Col, required: bool) -> Option<Date> {
        self.get(col, required, parse::date)
    }

    /// `col` must be filled when `when` holds.
    fn need(&mut self, col: Col, when: bool, why: Msg) {
        if when && self.cell(col).is_empty() {
            self.fail(
                col,
                Msg::new(format!("{}，须填写", why.zh), format!("required: {}", why.en)),
            );
        }
    }
}

/// Why a column must be filled: the column `col` is.
fn filled(col: Col) -> Msg {
    let col = col.name();
    Msg::new(format!("已填{col}"), format!("`{col}` is filled"))
}

/// The column of the 依申请公开 sheet that dates an event of the case.
pub(crate) fn event_column(kind: EventKind) -> Col {
    match kind {
        EventKind::Received => Col::Arrived,
        EventKind::CorrectionRequested => Col::CorrectionRequested,
        EventKind::Corrected => Col::Corrected,
        EventKind::ExtensionApproved => Col::ExtensionApproved,
        EventKind::ExtensionNotified => Col::ExtensionNotified,
        EventKind::ConsultationOpened => Col::ConsultationOpened,
        EventKind::ConsultationAnswered => Col::ConsultationAnswered,
        EventKind::FeeNoticeIssued => Col::FeeNotice,
        EventKind::FeePaid => Col::FeePaid,
        EventKind::ReasonsRequested => Col::ReasonsRequested,
        EventKind::ReasonsAccepted => Col::ReasonsAccepted,
        EventKind::Replied
        | EventKind::CorrectionLapsed
        | EventKind::FeeLapsed
        | EventKind::Withdrawn => Col::Closed,
    }
}

/// Maps header cells to template columns; unknown headers are reported, missing required ones too.
fn header(sheet: Sheet, head: &GridRow, errors: &mut Vec<RowError>) -> BTreeMap<Col, usize> {
    let mut index = BTreeMap::new();
    for (i, cell) in head.cells.iter().map(|(i, c)| (*i, c)) {
        if label_key(&cell.text()).is_empty() {
            continue;
        }
        match Col::from_header(sheet, &cell.text()) {
            Some(col) => {
                index.insert(col, i);
            }
            None => errors.push(RowError {
                sheet: sheet.name().to_owned(),
                row: head.number,
                column: cell.text(),
                reason: Msg::new(
                    "不是模板中的列，请核对表头（可用 gongkai register template 重新生成模板）",
                    "not a column of the template; check the header (gongkai register template writes a fresh one)",
                ),
            }),
        }
    }
    for col in sheet.columns().iter().filter(|c| c.required && !index.contains_key(&c.id)) {
        errors.push(RowError {
            sheet: sheet.name().to_owned(),
            row: head.number,
            column: col.name.to_owned(),
            reason: Msg::new("缺少必填列", "a required column is missing"),
        });
    }
    index
}

/// Which sheet a header row belongs to (for CSV files, which carry no sheet name).
pub fn detect(cells: &[Cell]) -> Option<Sheet> {
    let keys: Vec<String> =
        cells.iter().map(|c| label_key(&c.text())).filter(|k| !k.is_empty()).collect();
    Sheet::ALL
        .into_iter()
        .max_by_key(|s| s.columns().iter().filter(|c| keys.contains(&label_key(c.name))).count())
        .filter(|s| {
            s.columns().iter().filter(|c| c.required).all(|c| keys.contains(&label_key(c.name)))
        })
}

/// Reads one sheet (header in its first non-empty row) into `out`, collecting errors.
pub fn read_sheet(sheet: Sheet, grid: &Grid, out: &mut Parsed, errors: &mut Vec<RowError>) {
    let Some((head, body)) = grid.rows.split_first() else { return };
    let index = header(sheet, head, errors);
    out.sheets.push(sheet);
    let read: std::collections::BTreeSet<usize> = index.values().copied().collect();
    for cells in body {
        // A row with nothing under the header's columns (a stray cell far to the right) is empty.
        if !cells.cells.iter().any(|(i, c)| read.contains(i) && !c.is_empty()) {
            continue;
        }
        let mut row = Row { sheet, number: cells.number, cells, index: &index, errors };
        match sheet {
            Sheet::Applications => application(&mut row, out),
            Sheet::Proactive => proactive(&mut row, out),
            Sheet::Documents => document(&mut row, out),
            Sheet::Decisions => decision(&mut row, out),
            Sheet::Fees => fee(&mut row, out),
            Sheet::Disputes => dispute(&mut row, out),
        }
    }
}

fn application(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text(Col::CaseId, true);
    let ty = row
        .get(Col::ApplicantType, true, |c| vocab::APPLICANTS.parse(c))
        .and_then(ApplicantType::new);
    let name = row.text(Col::ApplicantName, false);
    let key = row.text(Col::ApplicantKey, false).or_else(|| name.clone());
    let contact = row.text(Col::Contact, false);
    let channel = row.get(Col::Channel, true, |c| vocab::CHANNELS.parse(c));
    let arrived = row.date(Col::Arrived, true);
    let confirmed = row.date(Col::Confirmed, false);
    if let Some(ch) = channel {
        row.need(
            Col::Confirmed,
            matches!(ch, ChannelKind::Letter | ChannelKind::Online | ChannelKind::Fax),
            Msg::new(
                "平常信函、互联网、传真以确认之日为收到申请之日",
                "for letters, online and fax applications the day of confirmation is the day of receipt",
            ),
        );
    }
    let request = row.text(Col::Request, false).unwrap_or_default();

    let mut events: Vec<CaseEvent> = Vec::new();
    let cr = row.date(Col::CorrectionRequested, false);
    let cd = row.date(Col::CorrectionDeadline, false);
    row.need(Col::CorrectionDeadline, cr.is_some(), filled(Col::CorrectionRequested));
    if let (Some(on), Some(deadline)) = (cr, cd) {
        events.push(CaseEvent::CorrectionRequested { on, deadline, items: String::new() });
    }
    if let Some(on) = row.date(Col::Corrected, false) {
        events.push(CaseEvent::Corrected { on });
    }
    if let Some(on) = row.date(Col::ReasonsRequested, false) {
        events.push(CaseEvent::ReasonsRequested { on });
    }
    if let Some(on) = row.date(Col::ReasonsAccepted, false) {
        let longer_due = row.date(Col::LongerDue, false);
        events.push(CaseEvent::ReasonsAccepted { on, longer_due });
    }
    let party = row.get(Col::PartyKind, false, |c| vocab::PARTIES.parse(c));
    let with = row.text(Col::Party, false).unwrap_or_default();
    if let Some(on) = row.date(Col::ConsultationOpened, false) {
        row.need(Col::PartyKind, party.is_none(), filled(Col::ConsultationOpened));
        events.push(CaseEvent::ConsultationOpened {
            on,
            party: party.unwrap_or(Party::ThirdParty),
            with,
        });
    }
    if let Some(on) = row.date(Col::ConsultationAnswered, false) {
        let answer = row.get(Col::Answer, true, |c| vocab::ANSWERS.parse(c));
        events.push(CaseEvent::ConsultationAnswered {
            on,
            answer: answer.unwrap_or(Answer::Consent),
        });
    }
    if let Some(on) = row.date(Col::ExtensionApproved, false) {
        let approved_by = row.text(Col::ExtensionApprover, true).unwrap_or_default();
        let days = row
            .get(Col::ExtensionDays, false, |c| {
                parse::count(c)
                    .and_then(|n| u32::try_from(n).map_err(|_| Msg::new("过大", "too large")))
            })
            .unwrap_or(20);
        events.push(CaseEvent::ExtensionApproved { on, approved_by, days });
    }
    if let Some(on) = row.date(Col::ExtensionNotified, false) {
        events.push(CaseEvent::ExtensionNotified { on });
    }
    if let Some(on) = row.date(Col::FeeNotice, false) {
        let amount_yuan = row.get(Col::FeeAmount, true, parse::amount).unwrap_or_default();
        let method = row
            .get(Col::FeeMethod, true, |c| vocab::FEE_METHODS.parse(c))
            .unwrap_or(FeeMethod::PerPage);
        events.push(CaseEvent::FeeNoticeIssued { on, amount_yuan, method });
    }
    if let Some(on) = row.date(Col::FeePaid, false) {
        events.push(CaseEvent::FeePaid { on });
    }
    let closed = row.date(Col::Closed, false);
    let end = row.get(Col::Outcome, false, |c| vocab::OUTCOME.parse(c));
    row.need(Col::Outcome, closed.is_some() && end.is_none(), filled(Col::Closed));
    row.need(Col::Closed, end.is_some() && closed.is_none(), filled(Col::Outcome));
    if let (Some(on), Some(end)) = (closed, end) {
        events.push(match end {
            Ending::Reply(outcome) => CaseEvent::Replied { on, outcome },
            Ending::CorrectionLapsed => CaseEvent::CorrectionLapsed { on },
            Ending::FeeLapsed => CaseEvent::FeeLapsed { on },
            Ending::Withdrawn => CaseEvent::Withdrawn { on },
        });
    }
    // Chronological order; on the same day the order above (the order of the procedure) holds.
    events.sort_by_key(CaseEvent::on);

    let (Some(id), Some(ty), Some(ch), Some(arrived)) = (id, ty, channel, arrived) else { return };
    let confirmed_or = confirmed.unwrap_or(arrived);
    let channel = match ch {
        ChannelKind::InPerson => Channel::InPerson { submitted: arrived },
        ChannelKind::Post => Channel::RegisteredPost { signed_for: arrived },
        ChannelKind::Letter => Channel::OrdinaryLetter { arrived, confirmed: confirmed_or },
        ChannelKind::Online => Channel::Online { confirmed: confirmed_or },
        ChannelKind::Fax => Channel::Fax { confirmed: confirmed_or },
        ChannelKind::Oral => Channel::Oral { recorded: arrived },
    };
    if confirmed.is_some_and(|c| c < arrived) {
        row.fail(Col::Confirmed, before(Col::Confirmed, Col::Arrived));
    }
    let case = CaseId(id);
    if name.is_some() || contact.is_some() {
        out.personal.push(PersonalData {
            case: case.clone(),
            name: name.unwrap_or_default(),
            contact: contact.unwrap_or_default(),
            id_document: None,
        });
    }
    out.case_rows.push(row.number);
    out.cases.push(CaseRecord {
        intake: Intake {
            id: case,
            applicant_type: ty,
            applicant_key: key.unwrap_or_default(),
            channel,
            request,
        },
        events,
    });
}

/// The channels of a 发布渠道 cell (or a form's field): separated by 、 (or `,`, `，`, `;`,
/// `；`, `/`); a name not in the vocabulary is kept as its own channel.
pub fn publish_channels(text: &str) -> Vec<PublishChannel> {
    text.split(['、', ',', '，', ';', '；', '/'])
        .filter(|x| !x.trim().is_empty())
        .map(publish_channel)
        .collect()
}

fn publish_channel(s: &str) -> PublishChannel {
    vocab::PUBLISH_CHANNELS
        .parse(&Cell::Text(s.to_owned()))
        .unwrap_or_else(|_| PublishChannel::Other(parse::norm(s)))
}

fn proactive(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text(Col::ItemId, true);
    let title = row.text(Col::ItemTitle, true);
    let cat = row.get(Col::Category, true, |c| vocab::CATEGORY.parse(c));
    let created = row.date(Col::Created, true);
    let reviewed = row.date(Col::Reviewed, false);
    let reviewer = row.text(Col::Reviewer, false).unwrap_or_default();
    let published = row.date(Col::Published, false);
    let channels: Vec<PublishChannel> =
        row.text(Col::PublishChannels, false).map(|s| publish_channels(&s)).unwrap_or_default();
    row.need(
        Col::PublishChannels,
        published.is_some() && channels.is_empty(),
        filled(Col::Published),
    );
    row.need(
        Col::Reviewed,
        published.is_some() && reviewed.is_none(),
        Msg::new(
            "先审后发：已发布的信息须有保密审查记录",
            "review before publication: published information needs a confidentiality review record",
        ),
    );
    let subject = row.text(Col::Subject, false);
    let publisher = row.text(Col::Publisher, false);
    let written = row.date(Col::Written, false);
    let number = row.text(Col::ItemNumber, false);
    let validity = row.get(Col::Validity, false, |c| vocab::VALIDITY.parse(c));
    let text = row.get(Col::FullText, false, |c| Ok(c.text_verbatim()));
    let (Some(id), Some(title), Some(category), Some(created)) = (id, title, cat, created) else {
        return;
    };
    let item = ProactiveItem {
        id,
        title,
        category,
        created,
        review: reviewed.map(|on| Review { on, reviewer }),
        publications: published
            .map(|on| channels.into_iter().map(|channel| Publication { on, channel }).collect())
            .unwrap_or_default(),
        subject,
        publisher,
        written,
        number,
        validity,
        text,
    };
    if let Some(reason) = validate::proactive(&item) {
        row.fail(Col::Published, reason);
        return;
    }
    out.proactive.push(item);
}

fn document(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text(Col::DocId, true);
    let kind = row.get(Col::DocKind, true, |c| vocab::DOC_KINDS.parse(c));
    let title = row.text(Col::DocTitle, true);
    let number = row.text(Col::DocNumber, false).unwrap_or_default();
    let issued = row.date(Col::Issued, true);
    let repealed = row.date(Col::Repealed, false);
    if let (Some(i), Some(r)) = (issued, repealed)
        && r < i
    {
        row.fail(Col::Repealed, before(Col::Repealed, Col::Issued));
        return;
    }
    if let (Some(id), Some(kind), Some(title), Some(issued)) = (id, kind, title, issued) {
        out.documents.push(NormativeDoc { id, kind, title, number, issued, repealed });
    }
}

fn decision(row: &mut Row<'_>, out: &mut Parsed) {
    let kind = row.get(Col::DecisionKind, true, |c| vocab::DECISION_KINDS.parse(c));
    let date = row.date(Col::DecisionDate, true);
    let count = row.get(Col::DecisionCount, true, parse::count);
    if let (Some(kind), Some(date), Some(count)) = (kind, date, count) {
        out.decisions.push(DecisionTally { kind, date, count });
    }
}

fn fee(row: &mut Row<'_>, out: &mut Parsed) {
    let date = row.date(Col::FeeDate, true);
    let item = row.text(Col::FeeItem, true);
    let amount = row.get(Col::FeeYuan, true, parse::amount);
    if let (Some(date), Some(item), Some(amount_yuan)) = (date, item, amount) {
        out.fees_collected.push(FeeCollected { date, item, amount_yuan });
    }
}

fn dispute(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text(Col::DisputeId, true);
    let kind = row.get(Col::DisputeKind, true, |c| vocab::DISPUTE_KINDS.parse(c));
    let filed = row.date(Col::Filed, true);
    let case = row.text(Col::DisputeCase, false);
    let concluded = row.date(Col::Concluded, false);
    let result = row.get(Col::DisputeResult, false, |c| vocab::DISPUTE_RESULTS.parse(c));
    row.need(Col::DisputeResult, concluded.is_some() && result.is_none(), filled(Col::Concluded));
    row.need(Col::Concluded, result.is_some() && concluded.is_none(), filled(Col::DisputeResult));
    if let (Some(f), Some(c)) = (filed, concluded)
        && c < f
    {
        row.fail(Col::Concluded, before(Col::Concluded, Col::Filed));
        return;
    }
    if let (Some(id), Some(kind), Some(filed)) = (id, kind, filed) {
        out.disputes.push(Dispute { id, kind, filed, case, concluded: concluded.zip(result) });
    }
}
