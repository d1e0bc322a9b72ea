//! The register template: the sheets, their Chinese column headers and what each column takes.
//! The single source for writing the template and for reading filled-in registers; the values of
//! enumerated columns come from [`crate::vocab`].

use crate::parse::label_key;
use crate::vocab::{self, Values};

/// The sheets of a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sheet {
    /// 依申请公开 (applications).
    Applications,
    /// 主动公开 (proactive disclosure items).
    Proactive,
    /// 规章和规范性文件.
    Documents,
    /// 行政许可处罚强制 (decision tallies).
    Decisions,
    /// 行政事业性收费.
    Fees,
    /// 复议诉讼.
    Disputes,
}

/// Every column of every sheet, in template order. Its labels, kind and whether it is required
/// are declared once, in [`COLUMNS`]; the template, import (header matching), export and the web
/// forms ([`fields`]) all read them from there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs, reason = "each variant is documented by its labels in COLUMNS")]
pub enum Col {
    // 依申请公开
    CaseId,
    ApplicantType,
    ApplicantKey,
    ApplicantName,
    Contact,
    Channel,
    Arrived,
    Confirmed,
    Request,
    CorrectionRequested,
    CorrectionDeadline,
    Corrected,
    ExtensionApproved,
    ExtensionApprover,
    ExtensionDays,
    ExtensionNotified,
    PartyKind,
    Party,
    ConsultationOpened,
    ConsultationAnswered,
    Answer,
    FeeNotice,
    FeeAmount,
    FeeMethod,
    FeePaid,
    ReasonsRequested,
    ReasonsAccepted,
    LongerDue,
    Closed,
    Outcome,
    // 主动公开
    ItemId,
    ItemTitle,
    Category,
    Created,
    Reviewed,
    Reviewer,
    Published,
    PublishChannels,
    Subject,
    Publisher,
    Written,
    ItemNumber,
    Validity,
    FullText,
    // 规章和规范性文件
    DocId,
    DocKind,
    DocTitle,
    DocNumber,
    Issued,
    Repealed,
    // 行政许可处罚强制
    DecisionKind,
    DecisionDate,
    DecisionCount,
    // 行政事业性收费
    FeeDate,
    FeeItem,
    FeeYuan,
    // 复议诉讼
    DisputeId,
    DisputeKind,
    Filed,
    DisputeCase,
    Concluded,
    DisputeResult,
}

/// How many columns there are.
const COUNT: usize = Col::DisputeResult as usize + 1;

/// What a column holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Free text.
    Text,
    /// A date (import reads every usual form, see [`crate::parse::date`]).
    Date,
    /// A whole number.
    Integer,
    /// An amount of money in yuan (decimal).
    Amount,
    /// One value of a closed list.
    OneOf(&'static dyn Values),
    /// Several values separated by 、; a value not in the list is kept by its name.
    Several(&'static dyn Values),
}

impl Kind {
    /// The kind's key (`text`, `date`, `integer`, `amount`, `choice`, `several`), e.g. for the
    /// input type of a web form.
    pub const fn key(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Date => "date",
            Kind::Integer => "integer",
            Kind::Amount => "amount",
            Kind::OneOf(_) => "choice",
            Kind::Several(_) => "several",
        }
    }

    /// The values of an enumerated kind.
    pub fn values(self) -> Option<&'static dyn Values> {
        match self {
            Kind::OneOf(v) | Kind::Several(v) => Some(v),
            Kind::Text | Kind::Date | Kind::Integer | Kind::Amount => None,
        }
    }
}

/// One column of a sheet.
#[derive(Debug)]
pub struct Column {
    /// The column.
    pub id: Col,
    /// Its sheet.
    pub sheet: Sheet,
    /// The header as printed in the template (without the `*` of required columns).
    pub name: &'static str,
    /// Its English name.
    pub en: &'static str,
    /// A stable identifier within the sheet (`arrived`), e.g. a web form's field name.
    pub key: &'static str,
    /// Whether every row must fill it.
    pub required: bool,
    /// What it takes.
    pub kind: Kind,
    /// What it takes, for the instructions sheet (before the list of values, if it has one).
    pub note: &'static str,
}

impl Column {
    /// The values an enumerated column takes (import reads it with the same vocabulary).
    pub fn values(&self) -> Option<&'static dyn Values> {
        self.kind.values()
    }

    /// The instructions line for the column: its note, then the values it takes.
    pub fn instructions(&self) -> String {
        match self.values() {
            None => self.note.to_owned(),
            Some(v) => format!("{}{}", self.note, v.shown().join("、")),
        }
    }
}

/// A column: its id, sheet, Chinese header, English name, key, whether required, kind, note.
#[allow(clippy::too_many_arguments, reason = "one line per column of the table below")]
const fn c(
    id: Col,
    sheet: Sheet,
    name: &'static str,
    en: &'static str,
    key: &'static str,
    required: bool,
    kind: Kind,
    note: &'static str,
) -> Column {
    Column { id, sheet, name, en, key, required, kind, note }
}

/// Accepted dates, for notes.
const DATE: &str = "日期：2024-09-27、2024/9/27、2024年9月27日或Excel日期";

use Kind::{Amount, Date, Integer, OneOf, Several, Text};
use Sheet::{
    Applications as A, Decisions as DE, Disputes as DI, Documents as DO, Fees as F, Proactive as P,
};

/// Every column, in the order of [`Col`] (which is template order, sheet by sheet).
#[rustfmt::skip]
pub static COLUMNS: [Column; COUNT] = [
    c(Col::CaseId, A, "登记编号", "register number", "case_id", true, Text, "本机关登记台账中的编号，不得重复"),
    c(Col::ApplicantType, A, "申请人类型", "applicant type", "applicant_type", true, OneOf(&vocab::APPLICANTS), ""),
    c(Col::ApplicantKey, A, "申请人编号", "applicant number", "applicant_key", false, Text, "同一申请人每次填写相同编号（用于按件计收信息处理费）；不填则按姓名计"),
    c(Col::ApplicantName, A, "申请人姓名或名称", "applicant's name", "applicant_name", false, Text, "个人信息：仅办理机构可见，不进入统计表"),
    c(Col::Contact, A, "联系方式", "contact details", "contact", false, Text, "个人信息：电话、地址或电子邮箱"),
    c(Col::Channel, A, "提交方式", "how submitted", "channel", true, OneOf(&vocab::CHANNELS), "邮寄须签收；可填："),
    c(Col::Arrived, A, "到达日期", "arrived on", "arrived", true, Date, "当面提交之日、邮件签收之日、信函到达之日、网上或传真提交之日、口头申请记录之日。日期格式见说明"),
    c(Col::Confirmed, A, "确认日期", "confirmed on", "confirmed", false, Date, "平常信函、互联网、传真必填：与申请人确认之日（第三十一条），即收到申请之日"),
    c(Col::Request, A, "申请内容", "information requested", "request", false, Text, "所申请信息的名称、文号或特征描述"),
    c(Col::CorrectionRequested, A, "补正告知日期", "correction requested on", "correction_requested", false, Date, DATE),
    c(Col::CorrectionDeadline, A, "补正期限", "correction due", "correction_deadline", false, Date, "补正告知中给出的期限（日期）"),
    c(Col::Corrected, A, "补正收到日期", "correction received on", "corrected", false, Date, "收到补正后申请之日；答复期限自此重新起算"),
    c(Col::ExtensionApproved, A, "延期批准日期", "extension approved on", "extension_approved", false, Date, DATE),
    c(Col::ExtensionApprover, A, "延期批准人", "extension approved by", "extension_approver", false, Text, "政府信息公开工作机构负责人"),
    c(Col::ExtensionDays, A, "延期工作日数", "extension in working days", "extension_days", false, Integer, "1至20，不填为20"),
    c(Col::ExtensionNotified, A, "延期告知日期", "extension notified on", "extension_notified", false, Date, DATE),
    c(Col::PartyKind, A, "征求意见对象类型", "consulted party type", "party_kind", false, OneOf(&vocab::PARTIES), ""),
    c(Col::Party, A, "征求意见对象", "consulted party", "party", false, Text, "名称"),
    c(Col::ConsultationOpened, A, "征求意见日期", "consultation opened on", "consultation_opened", false, Date, DATE),
    c(Col::ConsultationAnswered, A, "意见答复日期", "consultation answered on", "consultation_answered", false, Date, "收到意见之日，或认定逾期未答复之日"),
    c(Col::Answer, A, "答复意见", "answer", "answer", false, OneOf(&vocab::ANSWERS), ""),
    c(Col::FeeNotice, A, "收费通知日期", "fee notice received on", "fee_notice", false, Date, "申请人收到收费通知之日"),
    c(Col::FeeAmount, A, "收费金额（元）", "fee (yuan)", "fee_amount", false, Amount, "数字"),
    c(Col::FeeMethod, A, "收费方式", "fee method", "fee_method", false, OneOf(&vocab::FEE_METHODS), ""),
    c(Col::FeePaid, A, "缴费日期", "fee paid on", "fee_paid", false, Date, DATE),
    c(Col::ReasonsRequested, A, "要求说明理由日期", "reasons requested on", "reasons_requested", false, Date, "第三十五条"),
    c(Col::ReasonsAccepted, A, "认可理由日期", "reasons accepted on", "reasons_accepted", false, Date, "认为理由合理之日"),
    c(Col::LongerDue, A, "延迟答复期限", "later reply due", "longer_due", false, Date, "认为理由合理但无法按期答复时确定的期限（日期）"),
    c(Col::Closed, A, "办结日期", "closed on", "closed", false, Date, "答复、撤回或认定逾期之日；未办结不填"),
    c(Col::Outcome, A, "办理结果", "outcome", "outcome", false, OneOf(&vocab::OUTCOME), "《年度报告》表三的一项，每件只填一项；未办结不填。可填："),
    c(Col::ItemId, P, "编号", "number", "id", true, Text, "不得重复"),
    c(Col::ItemTitle, P, "标题", "title", "title", true, Text, ""),
    c(Col::Category, P, "类别", "category", "category", true, OneOf(&vocab::CATEGORY), "条例第二十条第几项或第二十一条，如："),
    c(Col::Created, P, "形成日期", "created on", "created", true, Date, "信息形成或变更之日（第二十六条：20个工作日内公开）"),
    c(Col::Reviewed, P, "保密审查日期", "reviewed on", "reviewed", false, Date, "先审后发：发布前须有审查记录"),
    c(Col::Reviewer, P, "审查人", "reviewer", "reviewer", false, Text, ""),
    c(Col::Published, P, "发布日期", "published on", "published", false, Date, "未发布不填"),
    c(Col::PublishChannels, P, "发布渠道", "channels", "channels", false, Several(&vocab::PUBLISH_CHANNELS), "多个用顿号分隔；其他渠道填其名称。常用："),
    c(Col::Subject, P, "主题分类", "subject", "subject", false, Text, "政府信息公开目录的主题分类，如：财政预决算、教育"),
    c(Col::Publisher, P, "发布机构", "issued by", "publisher", false, Text, "不填即本机关"),
    c(Col::Written, P, "成文日期", "written on", "written", false, Date, DATE),
    c(Col::ItemNumber, P, "文号", "document number", "number", false, Text, ""),
    c(Col::Validity, P, "时效", "validity", "validity", false, OneOf(&vocab::VALIDITY), "可填："),
    c(Col::FullText, P, "正文", "full text", "text", false, Text, "公开的全文；以附件公开的可不填"),
    c(Col::DocId, DO, "编号", "number", "id", true, Text, "不得重复"),
    c(Col::DocKind, DO, "类型", "kind", "kind", true, OneOf(&vocab::DOC_KINDS), ""),
    c(Col::DocTitle, DO, "标题", "title", "title", true, Text, ""),
    c(Col::DocNumber, DO, "文号", "document number", "number", false, Text, ""),
    c(Col::Issued, DO, "印发日期", "issued on", "issued", true, Date, DATE),
    c(Col::Repealed, DO, "废止日期", "repealed on", "repealed", false, Date, "废止或失效之日；现行有效不填"),
    c(Col::DecisionKind, DE, "类型", "kind", "kind", true, OneOf(&vocab::DECISION_KINDS), ""),
    c(Col::DecisionDate, DE, "日期", "date", "date", true, Date, "决定日期，或月度汇总的月末日期"),
    c(Col::DecisionCount, DE, "数量", "count", "count", true, Integer, "决定件数（整数）"),
    c(Col::FeeDate, F, "日期", "date", "date", true, Date, DATE),
    c(Col::FeeItem, F, "收费项目", "fee item", "item", true, Text, ""),
    c(Col::FeeYuan, F, "金额（元）", "amount (yuan)", "amount", true, Amount, "数字，单位元（统计表按万元填报）"),
    c(Col::DisputeId, DI, "编号", "number", "id", true, Text, "不得重复"),
    c(Col::DisputeKind, DI, "类型", "kind", "kind", true, OneOf(&vocab::DISPUTE_KINDS), "直接起诉指未经复议直接起诉。可填："),
    c(Col::Filed, DI, "受理日期", "filed on", "filed", true, Date, DATE),
    c(Col::DisputeCase, DI, "关联申请编号", "application number", "case", false, Text, "依申请公开登记编号"),
    c(Col::Concluded, DI, "审结日期", "concluded on", "concluded", false, Date, "未审结不填"),
    c(Col::DisputeResult, DI, "结果", "result", "result", false, OneOf(&vocab::DISPUTE_RESULTS), "未审结不填。可填："),
];

impl Col {
    /// Every column, in template order.
    pub fn all() -> impl Iterator<Item = Col> {
        COLUMNS.iter().map(|c| c.id)
    }

    /// The column's declaration.
    pub fn column(self) -> &'static Column {
        // In range: COLUMNS has one entry per variant, in declaration order (tested).
        &COLUMNS[self as usize]
    }

    /// The header as printed in the template (without the `*` of required columns).
    pub fn name(self) -> &'static str {
        self.column().name
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        self.column().en
    }

    /// The sheet the column belongs to.
    pub fn sheet(self) -> Sheet {
        self.column().sheet
    }

    /// The column of `sheet` whose header is `text` (compared by [`label_key`], so spacing,
    /// full-width forms and a `*` do not matter).
    pub fn from_header(sheet: Sheet, text: &str) -> Option<Col> {
        let key = label_key(text);
        if key.is_empty() {
            return None;
        }
        sheet.columns().iter().find(|c| label_key(c.name) == key).map(|c| c.id)
    }
}

/// One value an enumerated field offers: what import reads, and its English label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The documented spelling (the Chinese label; what import accepts and export writes).
    pub value: String,
    /// The English label.
    pub en: String,
}

/// A field of a web form for one record of a sheet: everything a form renders it from.
#[derive(Clone, Debug)]
pub struct Field {
    /// The column.
    pub col: Col,
    /// The field's stable name within the sheet.
    pub key: &'static str,
    /// The Chinese label (the template's header).
    pub zh: &'static str,
    /// The English label.
    pub en: &'static str,
    /// What it takes.
    pub kind: Kind,
    /// Whether it must be filled.
    pub required: bool,
    /// The template's note (Chinese).
    pub note: &'static str,
    /// The values an enumerated field offers (empty for the others).
    pub choices: Vec<Choice>,
}

/// The fields of a form for one record of `sheet`, in template order.
pub fn fields(sheet: Sheet) -> Vec<Field> {
    sheet
        .columns()
        .iter()
        .map(|c| Field {
            col: c.id,
            key: c.key,
            zh: c.name,
            en: c.en,
            kind: c.kind,
            required: c.required,
            note: c.note,
            choices: c.values().map(|v| v.choices()).unwrap_or_default(),
        })
        .collect()
}

impl Sheet {
    /// Every sheet, in template order.
    pub const ALL: [Sheet; 6] = [
        Sheet::Applications,
        Sheet::Proactive,
        Sheet::Documents,
        Sheet::Decisions,
        Sheet::Fees,
        Sheet::Disputes,
    ];

    /// The sheet's name in the workbook (and the CSV file's stem).
    pub const fn name(self) -> &'static str {
        match self {
            Sheet::Applications => "依申请公开",
            Sheet::Proactive => "主动公开",
            Sheet::Documents => "规章和规范性文件",
            Sheet::Decisions => "行政许可处罚强制",
            Sheet::Fees => "行政事业性收费",
            Sheet::Disputes => "复议诉讼",
        }
    }

    /// The sheet's name in English (for `--lang en` output).
    pub const fn en(self) -> &'static str {
        match self {
            Sheet::Applications => "applications",
            Sheet::Proactive => "proactive disclosure",
            Sheet::Documents => "regulations and normative documents",
            Sheet::Decisions => "licensing, penalties and coercion",
            Sheet::Fees => "administrative fees",
            Sheet::Disputes => "reconsideration and litigation",
        }
    }

    /// The columns, in template order.
    pub fn columns(self) -> &'static [Column] {
        // COLUMNS lists each sheet's columns together (tested).
        let start = COLUMNS.iter().position(|c| c.sheet == self).unwrap_or(COLUMNS.len());
        let n = COLUMNS[start..].iter().take_while(|c| c.sheet == self).count();
        &COLUMNS[start..start + n]
    }
}

/// The instructions sheet, line by line.
pub const INSTRUCTIONS: &[&str] = &[
    "政府信息公开工作登记台账 填写说明",
    "",
    "1. 本工作簿每个工作表对应一类台账；带 * 的列必填。第一行为表头，请勿修改；可删去不用的工作表。",
    "2. 日期可填 2024-09-27、2024/9/27、2024.9.27、2024年9月27日，或使用 Excel 日期格式；全角数字亦可。",
    "3. 依申请公开：一行一件申请，按办理经过填写相应日期；未发生的环节留空。答复期限按工作日自动计算（含调休），无需填写。",
    "4. 收到申请之日按条例第三十一条确定：平常信函、互联网、传真须填写“确认日期”。",
    "5. 办理结果按《年度报告》表三填写，每件申请只填一项；部分公开的只填“部分公开”。",
    "6. “申请人姓名或名称”“联系方式”属于个人信息，只保存在本机关台账文件中，不进入统计表和年度报告。",
    "7. 导入：gongkai register import 台账.xlsx。有任何错误时不导入任何数据，并列出每一处错误的行号和原因；改正后重新导入即可。",
    "8. 再次导入会以文件中包含的工作表替换已导入的同类台账（未包含的工作表保持不变），并列出替换的条数；如需追加，请加 --append。",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_declared_once_in_enum_order_and_sheet_by_sheet() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(c.id as usize, i, "{:?} out of order", c.id);
            assert_eq!(c.id.column().name, c.name);
        }
        let mut total = 0;
        for sheet in Sheet::ALL {
            let cols = sheet.columns();
            assert!(!cols.is_empty());
            assert_eq!(
                cols.len(),
                COLUMNS.iter().filter(|c| c.sheet == sheet).count(),
                "{sheet:?}"
            );
            for (i, a) in cols.iter().enumerate() {
                for b in &cols[i + 1..] {
                    assert_ne!(label_key(a.name), label_key(b.name), "{sheet:?}");
                    assert_ne!(a.key, b.key, "{sheet:?}");
                    assert_ne!(a.en, b.en, "{sheet:?}");
                }
                assert_eq!(Col::from_header(sheet, &format!(" {}* ", a.name)), Some(a.id));
            }
            total += cols.len();
        }
        assert_eq!(total, COUNT);
        assert_eq!(Col::all().count(), COUNT);
    }

    #[test]
    fn form_fields_carry_labels_kinds_and_the_values_import_accepts() {
        let f = fields(Sheet::Applications);
        assert_eq!(f.len(), Sheet::Applications.columns().len());
        let arrived = f.iter().find(|x| x.col == Col::Arrived).map(|x| (x.key, x.zh, x.en));
        assert_eq!(arrived, Some(("arrived", "到达日期", "arrived on")));
        for sheet in Sheet::ALL {
            for field in fields(sheet) {
                assert!(!field.en.is_empty() && field.en.is_ascii(), "{:?}", field.col);
                let values = field.kind.values();
                assert_eq!(values.is_some(), !field.choices.is_empty(), "{:?}", field.col);
                for c in &field.choices {
                    assert!(!c.en.is_empty() && c.en.is_ascii(), "{:?}: {c:?}", field.col);
                    let accepted = values.map(|v| v.accepts(&c.value));
                    assert_eq!(accepted, Some(Ok(())), "{:?}: {c:?}", field.col);
                }
            }
        }
        let kinds: Vec<&str> = fields(Sheet::Fees).iter().map(|f| f.kind.key()).collect();
        assert_eq!(kinds, ["date", "text", "amount"]);
    }
}
