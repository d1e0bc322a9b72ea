//! Rows of a filled-in template → register records. Every problem is collected with its sheet,
//! row number (as the spreadsheet shows it) and column; nothing is returned half-way.

use std::collections::BTreeMap;

use gongkai_cases::fee::FeeMethod;
use gongkai_cases::registers::{
    Category, DecisionKind, DecisionTally, Dispute, DisputeKind, DisputeResult, DocKind,
    FeeCollected, NormativeDoc, ProactiveItem, Publication, PublishChannel, Review,
};
use gongkai_cases::{
    Answer, ApplicantType, CaseEvent, CaseId, CaseRecord, Channel, Intake, Outcome, Party,
    PersonalData,
};
use gongkai_model::{Localized, Msg, T3Col};
use jiff::civil::Date;

use crate::RowError;
use crate::parse::{self, Cell, label_key};
use crate::template::Sheet;

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
    index: &'a BTreeMap<&'static str, usize>,
    errors: &'a mut Vec<RowError>,
}

impl Row<'_> {
    fn cell(&self, col: &str) -> &Cell {
        self.index.get(col).and_then(|&i| self.cells.get(i)).unwrap_or(&Cell::Empty)
    }

    fn fail(&mut self, col: &str, reason: Msg) {
        self.errors.push(RowError {
            sheet: self.sheet.name().to_owned(),
            row: self.number,
            column: col.to_owned(),
            reason,
        });
    }

    /// A required or optional value parsed by `f`; `None` (and an error when required) if missing.
    fn get<T>(
        &mut self,
        col: &str,
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

    fn text(&mut self, col: &str, required: bool) -> Option<String> {
        self.get(col, required, |c| Ok(c.text()))
    }

    fn date(&mut self, col: &str, required: bool) -> Option<Date> {
        self.get(col, required, parse::date)
    }

    /// `col` must be filled when `when` holds.
    fn need(&mut self, col: &str, when: bool, why: Msg) {
        if when && self.cell(col).is_empty() {
            self.fail(
                col,
                Msg::new(format!("{}，须填写", why.zh), format!("required: {}", why.en)),
            );
        }
    }
}

/// Why a column must be filled: the column `col` is.
fn filled(col: &str) -> Msg {
    Msg::new(format!("已填{col}"), format!("`{col}` is filled"))
}

/// The date in column `a` is before the one in column `b`.
fn before(a: &str, b: &str) -> Msg {
    Msg::new(format!("{a}早于{b}"), format!("`{a}` is before `{b}`"))
}

/// Maps header cells to template columns; unknown headers are reported, missing required ones too.
fn header(
    sheet: Sheet,
    head: &GridRow,
    errors: &mut Vec<RowError>,
) -> BTreeMap<&'static str, usize> {
    let mut index = BTreeMap::new();
    for (i, cell) in head.cells.iter().map(|(i, c)| (*i, c)) {
        let key = label_key(&cell.text());
        if key.is_empty() {
            continue;
        }
        match sheet.columns().iter().find(|c| label_key(c.name) == key) {
            Some(col) => {
                index.insert(col.name, i);
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
    for col in sheet.columns().iter().filter(|c| c.required && !index.contains_key(c.name)) {
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

const APPLICANTS: &[(&[&str], T3Col)] = &[
    (&["自然人", "个人", "公民"], T3Col::NaturalPerson),
    (&["商业企业", "企业", "公司"], T3Col::Commercial),
    (&["科研机构"], T3Col::Research),
    (&["社会公益组织", "公益组织"], T3Col::SocialWelfare),
    (&["法律服务机构", "律师事务所"], T3Col::LegalService),
    (&["其他", "其他组织", "法人或其他组织"], T3Col::OtherOrg),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum ChannelKind {
    InPerson,
    Post,
    Letter,
    Online,
    Fax,
    Oral,
}

const CHANNELS: &[(&[&str], ChannelKind)] = &[
    (&["当面", "当面提交", "现场", "窗口"], ChannelKind::InPerson),
    (&["邮寄", "邮寄（需签收）", "挂号信", "EMS", "快递"], ChannelKind::Post),
    (&["平常信函", "信函", "平信"], ChannelKind::Letter),
    (&["互联网", "网上", "网络", "在线", "网上申请", "电子邮件"], ChannelKind::Online),
    (&["传真"], ChannelKind::Fax),
    (&["口头"], ChannelKind::Oral),
];

/// How a case ends, as the 办理结果 column says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Reply(Outcome),
    CorrectionLapsed,
    FeeLapsed,
    Withdrawn,
}

fn ending(cell: &Cell) -> Result<Ending, Msg> {
    let key = label_key(&cell.text());
    let special: &[(&[&str], Ending)] = &[
        (&["撤回", "申请人撤回", "撤回申请"], Ending::Withdrawn),
        (
            &["逾期不补正", "逾期未补正", "申请人无正当理由逾期不补正", "other_overdue_correction"],
            Ending::CorrectionLapsed,
        ),
        (
            &["逾期未缴费", "逾期不缴费", "申请人逾期未按收费通知要求缴纳费用", "other_unpaid_fee"],
            Ending::FeeLapsed,
        ),
    ];
    for (labels, e) in special {
        if labels.iter().any(|l| label_key(l) == key) {
            return Ok(*e);
        }
    }
    // Exact match on the key, the printed body, the grouped label or an alias; then a unique
    // suffix match (labels typed with their group, e.g. `不予公开-属于国家秘密`).
    let layout = gongkai_model::TableLayout::get(
        gongkai_model::TableId::T3,
        gongkai_model::Layout::Format2021,
    );
    let names = |o: Outcome| -> Vec<String> {
        let mut v = vec![o.row().key().to_owned(), label_key(&o.label())];
        if let Some(spec) = layout.row(gongkai_model::RowId::T3(o.row())) {
            v.push(label_key(spec.body));
            v.extend(spec.aliases.iter().map(|a| label_key(a)));
        }
        v
    };
    if let Some(o) = Outcome::all().find(|&o| names(o).contains(&key)) {
        return Ok(Ending::Reply(o));
    }
    let suffix: Vec<Outcome> = Outcome::all()
        .filter(|&o| names(o).iter().any(|n| n.chars().count() >= 3 && key.ends_with(n.as_str())))
        .collect();
    match suffix.as_slice() {
        [o] => Ok(Ending::Reply(*o)),
        _ => Err(Msg::new(
            format!(
                "无法识别的办理结果「{}」：请按年度报告表三的项目填写，如“予以公开”“部分公开”“属于国家秘密”，或“撤回”“逾期不补正”“逾期未缴费”",
                cell.text()
            ),
            format!(
                "unrecognised outcome `{}`: use the rows of Table 3 of the annual report (e.g. 予以公开, 部分公开, 属于国家秘密) or 撤回, 逾期不补正, 逾期未缴费",
                cell.text()
            ),
        )),
    }
}

fn application(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text("登记编号", true);
    let ty =
        row.get("申请人类型", true, |c| parse::choice(c, APPLICANTS)).and_then(ApplicantType::new);
    let name = row.text("申请人姓名或名称", false);
    let key = row.text("申请人编号", false).or_else(|| name.clone());
    let contact = row.text("联系方式", false);
    let channel = row.get("提交方式", true, |c| parse::choice(c, CHANNELS));
    let arrived = row.date("到达日期", true);
    let confirmed = row.date("确认日期", false);
    if let Some(ch) = channel {
        row.need(
            "确认日期",
            matches!(ch, ChannelKind::Letter | ChannelKind::Online | ChannelKind::Fax),
            Msg::new(
                "平常信函、互联网、传真以确认之日为收到申请之日",
                "for letters, online and fax applications the day of confirmation is the day of receipt",
            ),
        );
    }
    let request = row.text("申请内容", false).unwrap_or_default();

    let mut events: Vec<CaseEvent> = Vec::new();
    let cr = row.date("补正告知日期", false);
    let cd = row.date("补正期限", false);
    row.need("补正期限", cr.is_some(), filled("补正告知日期"));
    if let (Some(on), Some(deadline)) = (cr, cd) {
        events.push(CaseEvent::CorrectionRequested { on, deadline, items: String::new() });
    }
    if let Some(on) = row.date("补正收到日期", false) {
        events.push(CaseEvent::Corrected { on });
    }
    if let Some(on) = row.date("要求说明理由日期", false) {
        events.push(CaseEvent::ReasonsRequested { on });
    }
    if let Some(on) = row.date("认可理由日期", false) {
        let longer_due = row.date("延迟答复期限", false);
        events.push(CaseEvent::ReasonsAccepted { on, longer_due });
    }
    let party = row.get("征求意见对象类型", false, |c| {
        parse::choice(
            c,
            &[
                (&["第三方"], Party::ThirdParty),
                (&["共同制作机关", "其他机关", "行政机关"], Party::CoProducer),
            ],
        )
    });
    let with = row.text("征求意见对象", false).unwrap_or_default();
    if let Some(on) = row.date("征求意见日期", false) {
        row.need("征求意见对象类型", party.is_none(), filled("征求意见日期"));
        events.push(CaseEvent::ConsultationOpened {
            on,
            party: party.unwrap_or(Party::ThirdParty),
            with,
        });
    }
    if let Some(on) = row.date("意见答复日期", false) {
        let answer = row.get("答复意见", true, |c| {
            parse::choice(
                c,
                &[
                    (&["同意公开", "同意"], Answer::Consent),
                    (&["不同意公开", "不同意", "反对"], Answer::Objection),
                    (&["逾期未答复", "未答复", "逾期"], Answer::NoReply),
                ],
            )
        });
        events.push(CaseEvent::ConsultationAnswered {
            on,
            answer: answer.unwrap_or(Answer::Consent),
        });
    }
    if let Some(on) = row.date("延期批准日期", false) {
        let approved_by = row.text("延期批准人", true).unwrap_or_default();
        let days = row
            .get("延期工作日数", false, |c| {
                parse::count(c)
                    .and_then(|n| u32::try_from(n).map_err(|_| Msg::new("过大", "too large")))
            })
            .unwrap_or(20);
        events.push(CaseEvent::ExtensionApproved { on, approved_by, days });
    }
    if let Some(on) = row.date("延期告知日期", false) {
        events.push(CaseEvent::ExtensionNotified { on });
    }
    if let Some(on) = row.date("收费通知日期", false) {
        let amount_yuan = row.get("收费金额（元）", true, parse::amount).unwrap_or_default();
        let method = row
            .get("收费方式", true, |c| {
                parse::choice(
                    c,
                    &[
                        (&["按件计收", "按件"], FeeMethod::PerApplication),
                        (&["按量计收", "按量", "按页"], FeeMethod::PerPage),
                    ],
                )
            })
            .unwrap_or(FeeMethod::PerPage);
        events.push(CaseEvent::FeeNoticeIssued { on, amount_yuan, method });
    }
    if let Some(on) = row.date("缴费日期", false) {
        events.push(CaseEvent::FeePaid { on });
    }
    let closed = row.date("办结日期", false);
    let end = row.get("办理结果", false, ending);
    row.need("办理结果", closed.is_some() && end.is_none(), filled("办结日期"));
    row.need("办结日期", end.is_some() && closed.is_none(), filled("办理结果"));
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
        row.fail("确认日期", before("确认日期", "到达日期"));
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

const CHANNEL_NAMES: &[(&[&str], u8)] = &[
    (&["政府门户网站", "门户网站", "政府网站", "网站"], 0),
    (&["政务微信公众号", "微信公众号", "微信"], 1),
    (&["政务微博", "微博"], 2),
    (&["政府公报", "公报"], 3),
    (&["新闻发布会", "发布会"], 4),
    (&["信息公告栏", "公告栏", "公示栏", "电子信息屏"], 5),
];

fn publish_channel(s: &str) -> PublishChannel {
    let k = label_key(s);
    match CHANNEL_NAMES.iter().find(|(l, _)| l.iter().any(|x| label_key(x) == k)).map(|x| x.1) {
        Some(0) => PublishChannel::Portal,
        Some(1) => PublishChannel::Wechat,
        Some(2) => PublishChannel::Weibo,
        Some(3) => PublishChannel::Gazette,
        Some(4) => PublishChannel::PressConference,
        Some(_) => PublishChannel::Bulletin,
        None => PublishChannel::Other(parse::norm(s)),
    }
}

fn category(cell: &Cell) -> Result<Category, Msg> {
    let t = cell.text();
    let k = label_key(&t);
    if k.contains("二十一") || k == "21" {
        return Ok(Category::Art21);
    }
    const NUM: [&str; 15] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
        "十五",
    ];
    let item = k.strip_prefix("第二十条第").and_then(|r| r.strip_suffix('项'));
    let n = match item {
        Some(x) => NUM.iter().position(|n| *n == x).map(|i| i + 1),
        None => k.strip_prefix("20.").unwrap_or(&k).parse::<usize>().ok(),
    };
    n.and_then(|n| Category::art20(u8::try_from(n).ok()?)).ok_or_else(|| {
        Msg::new(
            format!("无法识别的类别「{t}」（如“第二十条第（一）项”或“20.1”）"),
            format!("unrecognised category `{t}` (e.g. 第二十条第（一）项 or 20.1)"),
        )
    })
}

fn proactive(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text("编号", true);
    let title = row.text("标题", true);
    let cat = row.get("类别", true, category);
    let created = row.date("形成日期", true);
    let reviewed = row.date("保密审查日期", false);
    let reviewer = row.text("审查人", false).unwrap_or_default();
    let published = row.date("发布日期", false);
    let channels: Vec<PublishChannel> = row
        .text("发布渠道", false)
        .map(|s| {
            s.split(['、', ',', '，', ';', '；', '/'])
                .filter(|x| !x.trim().is_empty())
                .map(publish_channel)
                .collect()
        })
        .unwrap_or_default();
    row.need("发布渠道", published.is_some() && channels.is_empty(), filled("发布日期"));
    row.need(
        "保密审查日期",
        published.is_some() && reviewed.is_none(),
        Msg::new(
            "先审后发：已发布的信息须有保密审查记录",
            "review before publication: published information needs a confidentiality review record",
        ),
    );
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
    };
    if let Err(e) = item.validate() {
        row.fail("发布日期", e.words().0);
        return;
    }
    out.proactive.push(item);
}

fn document(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text("编号", true);
    let kind = row.get("类型", true, |c| {
        parse::choice(
            c,
            &[
                (&["规章"], DocKind::Regulation),
                (&["行政规范性文件", "规范性文件"], DocKind::NormativeDocument),
            ],
        )
    });
    let title = row.text("标题", true);
    let number = row.text("文号", false).unwrap_or_default();
    let issued = row.date("印发日期", true);
    let repealed = row.date("废止日期", false);
    if let (Some(i), Some(r)) = (issued, repealed)
        && r < i
    {
        row.fail("废止日期", before("废止日期", "印发日期"));
        return;
    }
    if let (Some(id), Some(kind), Some(title), Some(issued)) = (id, kind, title, issued) {
        out.documents.push(NormativeDoc { id, kind, title, number, issued, repealed });
    }
}

fn decision(row: &mut Row<'_>, out: &mut Parsed) {
    let kind = row.get("类型", true, |c| {
        parse::choice(
            c,
            &[
                (&["行政许可", "许可"], DecisionKind::Licensing),
                (&["行政处罚", "处罚"], DecisionKind::Penalty),
                (&["行政强制", "强制"], DecisionKind::Coercion),
            ],
        )
    });
    let date = row.date("日期", true);
    let count = row.get("数量", true, parse::count);
    if let (Some(kind), Some(date), Some(count)) = (kind, date, count) {
        out.decisions.push(DecisionTally { kind, date, count });
    }
}

fn fee(row: &mut Row<'_>, out: &mut Parsed) {
    let date = row.date("日期", true);
    let item = row.text("收费项目", true);
    let amount = row.get("金额（元）", true, parse::amount);
    if let (Some(date), Some(item), Some(amount_yuan)) = (date, item, amount) {
        out.fees_collected.push(FeeCollected { date, item, amount_yuan });
    }
}

fn dispute(row: &mut Row<'_>, out: &mut Parsed) {
    let id = row.text("编号", true);
    let kind = row.get("类型", true, |c| {
        parse::choice(
            c,
            &[
                (&["行政复议", "复议"], DisputeKind::Review),
                (&["直接起诉", "未经复议直接起诉", "行政诉讼"], DisputeKind::LitigationDirect),
                (&["复议后起诉", "经复议后起诉"], DisputeKind::LitigationAfterReview),
            ],
        )
    });
    let filed = row.date("受理日期", true);
    let case = row.text("关联申请编号", false);
    let concluded = row.date("审结日期", false);
    let result = row.get("结果", false, |c| {
        parse::choice(
            c,
            &[
                (&["维持", "结果维持", "驳回"], DisputeResult::Upheld),
                (&["纠正", "结果纠正", "撤销", "确认违法"], DisputeResult::Corrected),
                (&["其他", "其他结果"], DisputeResult::Other),
            ],
        )
    });
    row.need("结果", concluded.is_some() && result.is_none(), filled("审结日期"));
    row.need("审结日期", result.is_some() && concluded.is_none(), filled("结果"));
    if let (Some(f), Some(c)) = (filed, concluded)
        && c < f
    {
        row.fail("审结日期", before("审结日期", "受理日期"));
        return;
    }
    if let (Some(id), Some(kind), Some(filed)) = (id, kind, filed) {
        out.disputes.push(Dispute { id, kind, filed, case, concluded: concluded.zip(result) });
    }
}
