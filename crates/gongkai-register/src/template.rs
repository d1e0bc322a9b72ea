//! The register template: the sheets, their Chinese column headers and what each column takes.
//! The single source for writing the template and for reading filled-in registers; the values of
//! enumerated columns come from [`crate::vocab`].

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

/// One column of a sheet.
#[derive(Debug)]
pub struct Column {
    /// The header as printed in the template (without the `*` of required columns).
    pub name: &'static str,
    /// Whether every row must fill it.
    pub required: bool,
    /// What it takes, for the instructions sheet (before the list of values, if it has one).
    pub note: &'static str,
    /// The values an enumerated column takes (import reads it with the same vocabulary).
    pub values: Option<&'static dyn Values>,
}

impl Column {
    /// The instructions line for the column: its note, then the values it takes.
    pub fn instructions(&self) -> String {
        match self.values {
            None => self.note.to_owned(),
            Some(v) => format!("{}{}", self.note, v.shown().join("、")),
        }
    }
}

const fn c(name: &'static str, required: bool, note: &'static str) -> Column {
    Column { name, required, note, values: None }
}

/// An enumerated column: `note` introduces the values of `values`.
const fn e(
    name: &'static str,
    required: bool,
    note: &'static str,
    values: &'static dyn Values,
) -> Column {
    Column { name, required, note, values: Some(values) }
}

/// Accepted dates, for notes.
const DATE: &str = "日期：2024-09-27、2024/9/27、2024年9月27日或Excel日期";

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
    pub const fn columns(self) -> &'static [Column] {
        match self {
            Sheet::Applications => APPLICATIONS,
            Sheet::Proactive => PROACTIVE,
            Sheet::Documents => DOCUMENTS,
            Sheet::Decisions => DECISIONS,
            Sheet::Fees => FEES,
            Sheet::Disputes => DISPUTES,
        }
    }
}

const APPLICATIONS: &[Column] = &[
    c("登记编号", true, "本机关登记台账中的编号，不得重复"),
    e("申请人类型", true, "", &vocab::APPLICANTS),
    c("申请人编号", false, "同一申请人每次填写相同编号（用于按件计收信息处理费）；不填则按姓名计"),
    c("申请人姓名或名称", false, "个人信息：仅办理机构可见，不进入统计表"),
    c("联系方式", false, "个人信息：电话、地址或电子邮箱"),
    e("提交方式", true, "邮寄须签收；可填：", &vocab::CHANNELS),
    c(
        "到达日期",
        true,
        "当面提交之日、邮件签收之日、信函到达之日、网上或传真提交之日、口头申请记录之日。日期格式见说明",
    ),
    c(
        "确认日期",
        false,
        "平常信函、互联网、传真必填：与申请人确认之日（第三十一条），即收到申请之日",
    ),
    c("申请内容", false, "所申请信息的名称、文号或特征描述"),
    c("补正告知日期", false, DATE),
    c("补正期限", false, "补正告知中给出的期限（日期）"),
    c("补正收到日期", false, "收到补正后申请之日；答复期限自此重新起算"),
    c("延期批准日期", false, DATE),
    c("延期批准人", false, "政府信息公开工作机构负责人"),
    c("延期工作日数", false, "1至20，不填为20"),
    c("延期告知日期", false, DATE),
    e("征求意见对象类型", false, "", &vocab::PARTIES),
    c("征求意见对象", false, "名称"),
    c("征求意见日期", false, DATE),
    c("意见答复日期", false, "收到意见之日，或认定逾期未答复之日"),
    e("答复意见", false, "", &vocab::ANSWERS),
    c("收费通知日期", false, "申请人收到收费通知之日"),
    c("收费金额（元）", false, "数字"),
    e("收费方式", false, "", &vocab::FEE_METHODS),
    c("缴费日期", false, DATE),
    c("要求说明理由日期", false, "第三十五条"),
    c("认可理由日期", false, "认为理由合理之日"),
    c("延迟答复期限", false, "认为理由合理但无法按期答复时确定的期限（日期）"),
    c("办结日期", false, "答复、撤回或认定逾期之日；未办结不填"),
    e(
        "办理结果",
        false,
        "《年度报告》表三的一项，每件只填一项；未办结不填。可填：",
        &vocab::OUTCOME,
    ),
];

const PROACTIVE: &[Column] = &[
    c("编号", true, "不得重复"),
    c("标题", true, ""),
    e("类别", true, "条例第二十条第几项或第二十一条，如：", &vocab::CATEGORY),
    c("形成日期", true, "信息形成或变更之日（第二十六条：20个工作日内公开）"),
    c("保密审查日期", false, "先审后发：发布前须有审查记录"),
    c("审查人", false, ""),
    c("发布日期", false, "未发布不填"),
    e("发布渠道", false, "多个用顿号分隔；其他渠道填其名称。常用：", &vocab::PUBLISH_CHANNELS),
];

const DOCUMENTS: &[Column] = &[
    c("编号", true, "不得重复"),
    e("类型", true, "", &vocab::DOC_KINDS),
    c("标题", true, ""),
    c("文号", false, ""),
    c("印发日期", true, DATE),
    c("废止日期", false, "废止或失效之日；现行有效不填"),
];

const DECISIONS: &[Column] = &[
    e("类型", true, "", &vocab::DECISION_KINDS),
    c("日期", true, "决定日期，或月度汇总的月末日期"),
    c("数量", true, "决定件数（整数）"),
];

const FEES: &[Column] = &[
    c("日期", true, DATE),
    c("收费项目", true, ""),
    c("金额（元）", true, "数字，单位元（统计表按万元填报）"),
];

const DISPUTES: &[Column] = &[
    c("编号", true, "不得重复"),
    e("类型", true, "直接起诉指未经复议直接起诉。可填：", &vocab::DISPUTE_KINDS),
    c("受理日期", true, DATE),
    c("关联申请编号", false, "依申请公开登记编号"),
    c("审结日期", false, "未审结不填"),
    e("结果", false, "未审结不填。可填：", &vocab::DISPUTE_RESULTS),
];

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
