//! The catalogue of table layouts: every row and column with its label as printed in the official
//! templates (2021: 国办公开办函〔2021〕30号; trial: 国办公开办函〔2019〕60号).
//!
//! Readers use the labels (and aliases) to recognise rows, renderers print them character for
//! character, and rules iterate over them. It is the single source of truth for the table shapes.

use crate::keys::{CellKey, ColId, RowId, T2Col, T2Row, T3Col, T3Row, T4Block, T4Col, TableId};

/// Which printed layout a table uses. Detected per table, never from the year (spec §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    /// The 2021 format (国办公开办函〔2021〕30号), used from the 2021 reports on.
    Format2021,
    /// The trial format (国办公开办函〔2019〕60号), used for the 2019 and 2020 reports.
    Trial2019,
}

impl Layout {
    /// The stable short name used in `#layout` metadata and JSON (`2021`, `trial`).
    pub const fn key(self) -> &'static str {
        match self {
            Layout::Format2021 => "2021",
            Layout::Trial2019 => "trial",
        }
    }

    /// Parses [`Layout::key`].
    pub fn from_key(s: &str) -> Option<Self> {
        match s {
            "2021" => Some(Layout::Format2021),
            "trial" | "2019" => Some(Layout::Trial2019),
            _ => None,
        }
    }
}

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A non-negative integer count.
    Count,
    /// An integer that may be negative (the trial format's 本年增/减).
    SignedCount,
    /// A non-negative decimal amount (万元 in the fee column).
    Amount,
}

/// One column of a row.
#[derive(Debug)]
pub struct ColumnSpec {
    /// The column.
    pub id: ColId,
    /// The header label as printed in the template.
    pub label: &'static str,
    /// What the cells of this column hold.
    pub kind: ValueKind,
}

/// One data row of a layout.
#[derive(Debug)]
pub struct RowSpec {
    /// The row.
    pub id: RowId,
    /// The numbering printed before the label (`一、`, `（一）`, `1.`), empty when none.
    pub numbering: &'static str,
    /// The label without numbering, as printed in the template.
    pub body: &'static str,
    /// Other wordings seen in real reports (without numbering).
    pub aliases: &'static [&'static str],
    /// The group label that spans this row in the label column (`（三）不予公开`), or for Table 2
    /// the sub-table caption (`第二十条第（一）项`).
    pub group: Option<&'static str>,
    /// The columns of this row, in printed order.
    pub columns: &'static [ColumnSpec],
}

impl RowSpec {
    /// The label as printed: numbering followed by the body.
    pub fn label(&self) -> String {
        format!("{}{}", self.numbering, self.body)
    }
}

/// The shape of one table in one layout.
#[derive(Debug)]
pub struct TableLayout {
    /// The table.
    pub table: TableId,
    /// The layout.
    pub layout: Layout,
    /// The data rows in printed order.
    pub rows: &'static [RowSpec],
}

/// Layouts are equal when they are the same table in the same layout (they are static singletons).
impl PartialEq for TableLayout {
    fn eq(&self, other: &Self) -> bool {
        self.table == other.table && self.layout == other.layout
    }
}

impl Eq for TableLayout {}

impl TableLayout {
    /// Looks up the layout of `table` in `layout`.
    pub fn get(table: TableId, layout: Layout) -> &'static TableLayout {
        match (table, layout) {
            (TableId::T2, Layout::Format2021) => &T2_2021,
            (TableId::T2, Layout::Trial2019) => &T2_TRIAL,
            (TableId::T3, Layout::Format2021) => &T3_2021,
            (TableId::T3, Layout::Trial2019) => &T3_TRIAL,
            // Table 4 is identical in both formats.
            (TableId::T4, _) => &T4_2021,
        }
    }

    /// Every cell key of the layout, in table order (row by row, column by column).
    pub fn keys(&self) -> impl Iterator<Item = CellKey> + '_ {
        self.rows
            .iter()
            .flat_map(|r| r.columns.iter().map(move |c| CellKey { row: r.id, col: c.id }))
    }

    /// Number of cells in the layout.
    pub fn cell_count(&self) -> usize {
        self.rows.iter().map(|r| r.columns.len()).sum()
    }

    /// The position of `key` in [`TableLayout::keys`], if the layout has that cell.
    pub fn index_of(&self, key: CellKey) -> Option<usize> {
        let mut base = 0;
        for r in self.rows {
            if r.id == key.row {
                return r.columns.iter().position(|c| c.id == key.col).map(|i| base + i);
            }
            base += r.columns.len();
        }
        None
    }

    /// The label of the cell `key` as printed, for a person reading it out of the table:
    /// `表3 （一）予以公开 · 自然人`, `表4 行政复议 · 结果维持` (the official Chinese in every
    /// language, like the report itself). Empty parts when the layout lacks the cell.
    pub fn cell_label(&self, key: CellKey) -> String {
        let row = self.row(key.row).map(|r| match key.row {
            RowId::T4(b) => t4_block_label(b).to_owned(),
            _ => r.label(),
        });
        let col = self.column(key).map(|c| c.label);
        format!(
            "表{} {} · {}",
            key.table().number(),
            row.unwrap_or_default(),
            col.unwrap_or_default()
        )
    }

    /// The row spec of `row`, if the layout has it.
    pub fn row(&self, row: RowId) -> Option<&'static RowSpec> {
        self.rows.iter().find(|r| r.id == row)
    }

    /// The column spec of `key`, if the layout has that cell.
    pub fn column(&self, key: CellKey) -> Option<&'static ColumnSpec> {
        self.row(key.row)?.columns.iter().find(|c| c.id == key.col)
    }
}

/// Title of each table as printed (the section heading that introduces it).
pub const fn table_title(table: TableId) -> &'static str {
    match table {
        TableId::T2 => "主动公开政府信息情况",
        TableId::T3 => "收到和处理政府信息公开申请情况",
        TableId::T4 => "政府信息公开行政复议、行政诉讼情况",
    }
}

/// The note printed in Table 3's top-left header cell.
pub const T3_BALANCE_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// The spanning header over Table 3's applicant columns.
pub const T3_APPLICANT_HEADER: &str = "申请人情况";

/// The header over the five organisation columns of Table 3 (a header only, no subtotal).
pub const T3_ORG_HEADER: &str = "法人或其他组织";

/// Table 3's parent label of the outcome rows.
pub const T3_RESULTS_HEADER: &str = "三、本年度办理结果";

/// Table 4's two top headers.
pub const T4_REVIEW_HEADER: &str = "行政复议";
/// Table 4's litigation header.
pub const T4_LITIGATION_HEADER: &str = "行政诉讼";

/// Label of a Table 4 block as printed.
pub const fn t4_block_label(block: T4Block) -> &'static str {
    match block {
        T4Block::Review => "行政复议",
        T4Block::LitigationDirect => "未经复议直接起诉",
        T4Block::LitigationAfterReview => "复议后起诉",
    }
}

/// Table 2's first header cell.
pub const T2_CONTENT_HEADER: &str = "信息内容";

/// Table 2 sub-table captions.
pub const T2_CAPTION_1: &str = "第二十条第（一）项";
/// Table 2 sub-table caption for (五).
pub const T2_CAPTION_5: &str = "第二十条第（五）项";
/// Table 2 sub-table caption for (六).
pub const T2_CAPTION_6: &str = "第二十条第（六）项";
/// Table 2 sub-table caption for (八).
pub const T2_CAPTION_8: &str = "第二十条第（八）项";
/// Table 2 sub-table caption for (九) (trial only).
pub const T2_CAPTION_9: &str = "第二十条第（九）项";

const fn t2c(col: T2Col, label: &'static str, kind: ValueKind) -> ColumnSpec {
    ColumnSpec { id: ColId::T2(col), label, kind }
}

const T2_DOCS_2021: &[ColumnSpec] = &[
    t2c(T2Col::Issued, "本年制发件数", ValueKind::Count),
    t2c(T2Col::Repealed, "本年废止件数", ValueKind::Count),
    t2c(T2Col::InForce, "现行有效件数", ValueKind::Count),
];
const T2_DECISIONS_2021: &[ColumnSpec] =
    &[t2c(T2Col::Decisions, "本年处理决定数量", ValueKind::Count)];
const T2_FEES_2021: &[ColumnSpec] =
    &[t2c(T2Col::AmountWanYuan, "本年收费金额（单位：万元）", ValueKind::Amount)];

const fn t2row(
    row: T2Row,
    body: &'static str,
    aliases: &'static [&'static str],
    caption: &'static str,
    columns: &'static [ColumnSpec],
) -> RowSpec {
    RowSpec { id: RowId::T2(row), numbering: "", body, aliases, group: Some(caption), columns }
}

static T2_2021: TableLayout = TableLayout {
    table: TableId::T2,
    layout: Layout::Format2021,
    rows: &[
        t2row(T2Row::Regulations, "规章", &[], T2_CAPTION_1, T2_DOCS_2021),
        t2row(
            T2Row::NormativeDocuments,
            "行政规范性文件",
            &["规范性文件"],
            T2_CAPTION_1,
            T2_DOCS_2021,
        ),
        t2row(T2Row::Licensing, "行政许可", &[], T2_CAPTION_5, T2_DECISIONS_2021),
        t2row(T2Row::Penalty, "行政处罚", &[], T2_CAPTION_6, T2_DECISIONS_2021),
        t2row(T2Row::Coercion, "行政强制", &[], T2_CAPTION_6, T2_DECISIONS_2021),
        t2row(T2Row::Fees, "行政事业性收费", &["行政事业收费"], T2_CAPTION_8, T2_FEES_2021),
    ],
};

const T2_DOCS_TRIAL: &[ColumnSpec] = &[
    t2c(T2Col::Made, "本年新制作数量", ValueKind::Count),
    t2c(T2Col::Published, "本年新公开数量", ValueKind::Count),
    t2c(T2Col::TotalPublic, "对外公开总数量", ValueKind::Count),
];
const T2_ITEMS_TRIAL: &[ColumnSpec] = &[
    t2c(T2Col::PrevItems, "上一年项目数量", ValueKind::Count),
    t2c(T2Col::Change, "本年增/减", ValueKind::SignedCount),
    t2c(T2Col::Decisions, "处理决定数量", ValueKind::Count),
];
const T2_FEES_TRIAL: &[ColumnSpec] = &[
    t2c(T2Col::PrevItems, "上一年项目数量", ValueKind::Count),
    t2c(T2Col::Change, "本年增/减", ValueKind::SignedCount),
];
const T2_PROCUREMENT_TRIAL: &[ColumnSpec] = &[
    t2c(T2Col::Items, "采购项目数量", ValueKind::Count),
    t2c(T2Col::Amount, "采购总金额", ValueKind::Amount),
];

static T2_TRIAL: TableLayout = TableLayout {
    table: TableId::T2,
    layout: Layout::Trial2019,
    rows: &[
        t2row(T2Row::Regulations, "规章", &[], T2_CAPTION_1, T2_DOCS_TRIAL),
        t2row(
            T2Row::NormativeDocuments,
            "规范性文件",
            &["行政规范性文件"],
            T2_CAPTION_1,
            T2_DOCS_TRIAL,
        ),
        t2row(T2Row::Licensing, "行政许可", &[], T2_CAPTION_5, T2_ITEMS_TRIAL),
        t2row(T2Row::OtherServices, "其他对外管理服务事项", &[], T2_CAPTION_5, T2_ITEMS_TRIAL),
        t2row(T2Row::Penalty, "行政处罚", &[], T2_CAPTION_6, T2_ITEMS_TRIAL),
        t2row(T2Row::Coercion, "行政强制", &[], T2_CAPTION_6, T2_ITEMS_TRIAL),
        t2row(T2Row::Fees, "行政事业性收费", &["行政事业收费"], T2_CAPTION_8, T2_FEES_TRIAL),
        t2row(T2Row::Procurement, "政府集中采购", &[], T2_CAPTION_9, T2_PROCUREMENT_TRIAL),
    ],
};

const fn t3c(col: T3Col, label: &'static str) -> ColumnSpec {
    ColumnSpec { id: ColId::T3(col), label, kind: ValueKind::Count }
}

/// Table 3's columns, in printed order.
pub const T3_COLUMNS: &[ColumnSpec] = &[
    t3c(T3Col::NaturalPerson, "自然人"),
    t3c(T3Col::Commercial, "商业企业"),
    t3c(T3Col::Research, "科研机构"),
    t3c(T3Col::SocialWelfare, "社会公益组织"),
    t3c(T3Col::LegalService, "法律服务机构"),
    t3c(T3Col::OtherOrg, "其他"),
    t3c(T3Col::Total, "总计"),
];

const fn t3row(
    row: T3Row,
    numbering: &'static str,
    body: &'static str,
    aliases: &'static [&'static str],
    group: Option<&'static str>,
) -> RowSpec {
    RowSpec { id: RowId::T3(row), numbering, body, aliases, group, columns: T3_COLUMNS }
}

const G3: Option<&str> = Some("（三）不予公开");
const G4: Option<&str> = Some("（四）无法提供");
const G5: Option<&str> = Some("（五）不予处理");
const G6: Option<&str> = Some("（六）其他处理");

macro_rules! t3_rows {
    ($($other:expr),* $(,)?) => {
        &[
            t3row(T3Row::NewReceived, "一、", "本年新收政府信息公开申请数量", &["本年新收申请数量", "本年新收政府信息公开申请"], None),
            t3row(T3Row::CarriedOver, "二、", "上年结转政府信息公开申请数量", &["上年结转申请数量", "上年结转政府信息公开申请"], None),
            t3row(T3Row::Granted, "（一）", "予以公开", &[], None),
            t3row(T3Row::PartiallyGranted, "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）", &["部分公开"], None),
            t3row(T3Row::WithheldStateSecret, "1.", "属于国家秘密", &[], G3),
            t3row(T3Row::WithheldProhibitedByLaw, "2.", "其他法律行政法规禁止公开", &["其他法律、行政法规禁止公开", "法律行政法规禁止公开"], G3),
            t3row(T3Row::WithheldThreeSafeties, "3.", "危及“三安全一稳定”", &["危及三安全一稳定", "危及国家安全、公共安全、经济安全、社会稳定"], G3),
            t3row(T3Row::WithheldThirdParty, "4.", "保护第三方合法权益", &[], G3),
            t3row(T3Row::WithheldInternalAffairs, "5.", "属于三类内部事务信息", &["三类内部事务信息"], G3),
            t3row(T3Row::WithheldProcessInfo, "6.", "属于四类过程性信息", &["四类过程性信息"], G3),
            t3row(T3Row::WithheldEnforcementFiles, "7.", "属于行政执法案卷", &["行政执法案卷"], G3),
            t3row(T3Row::WithheldInquiry, "8.", "属于行政查询事项", &["行政查询事项"], G3),
            t3row(T3Row::UnableNotHeld, "1.", "本机关不掌握相关政府信息", &["本机关不掌握相关信息"], G4),
            t3row(T3Row::UnableNeedsCreation, "2.", "没有现成信息需要另行制作", &[], G4),
            t3row(T3Row::UnableUnclear, "3.", "补正后申请内容仍不明确", &[], G4),
            t3row(T3Row::NotProcessedPetition, "1.", "信访举报投诉类申请", &[], G5),
            t3row(T3Row::NotProcessedDuplicate, "2.", "重复申请", &[], G5),
            t3row(T3Row::NotProcessedPublications, "3.", "要求提供公开出版物", &[], G5),
            t3row(T3Row::NotProcessedMassRepetitive, "4.", "无正当理由大量反复申请", &[], G5),
            t3row(T3Row::NotProcessedConfirm, "5.", "要求行政机关确认或重新出具已获取信息", &[], G5),
            $($other,)*
            t3row(T3Row::TotalProcessed, "（七）", "总计", &[], None),
            t3row(T3Row::CarriedForward, "四、", "结转下年度继续办理", &["结转下年度继续办理申请", "结转下年度"], None),
        ]
    };
}

static T3_2021: TableLayout = TableLayout {
    table: TableId::T3,
    layout: Layout::Format2021,
    rows: t3_rows![
        t3row(
            T3Row::OtherOverdueCorrection,
            "1.",
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            &["申请人无正当理由逾期不补正"],
            G6
        ),
        t3row(
            T3Row::OtherUnpaidFee,
            "2.",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            &["申请人逾期未按收费通知要求缴纳费用"],
            G6
        ),
        t3row(T3Row::OtherOther, "3.", "其他", &[], G6),
    ],
};

static T3_TRIAL: TableLayout = TableLayout {
    table: TableId::T3,
    layout: Layout::Trial2019,
    rows: t3_rows![t3row(T3Row::OtherMerged, "（六）", "其他处理", &[], None)],
};

const fn t4c(col: T4Col, label: &'static str) -> ColumnSpec {
    ColumnSpec { id: ColId::T4(col), label, kind: ValueKind::Count }
}

/// Each Table 4 block's columns, in printed order.
pub const T4_COLUMNS: &[ColumnSpec] = &[
    t4c(T4Col::Upheld, "结果维持"),
    t4c(T4Col::Corrected, "结果纠正"),
    t4c(T4Col::Other, "其他结果"),
    t4c(T4Col::Pending, "尚未审结"),
    t4c(T4Col::Total, "总计"),
];

const fn t4row(block: T4Block, body: &'static str) -> RowSpec {
    RowSpec {
        id: RowId::T4(block),
        numbering: "",
        body,
        aliases: &[],
        group: None,
        columns: T4_COLUMNS,
    }
}

static T4_2021: TableLayout = TableLayout {
    table: TableId::T4,
    layout: Layout::Format2021,
    rows: &[
        t4row(T4Block::Review, "行政复议"),
        t4row(T4Block::LitigationDirect, "未经复议直接起诉"),
        t4row(T4Block::LitigationAfterReview, "复议后起诉"),
    ],
};

/// The Table 3 outcome rows that `total_processed` sums, for a layout.
pub fn t3_outcome_rows(layout: Layout) -> impl Iterator<Item = T3Row> {
    TableLayout::get(TableId::T3, layout).rows.iter().filter_map(|r| match r.id {
        RowId::T3(
            T3Row::NewReceived | T3Row::CarriedOver | T3Row::TotalProcessed | T3Row::CarriedForward,
        ) => None,
        RowId::T3(row) => Some(row),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_counts_match_the_spec() {
        assert_eq!(TableLayout::get(TableId::T2, Layout::Format2021).cell_count(), 10);
        assert_eq!(TableLayout::get(TableId::T2, Layout::Trial2019).cell_count(), 22);
        assert_eq!(TableLayout::get(TableId::T3, Layout::Format2021).cell_count(), 175);
        assert_eq!(TableLayout::get(TableId::T3, Layout::Trial2019).cell_count(), 161);
        assert_eq!(TableLayout::get(TableId::T4, Layout::Format2021).cell_count(), 15);
    }

    #[test]
    fn cells_are_labelled_as_printed() {
        let t3 = TableLayout::get(TableId::T3, Layout::Format2021);
        assert_eq!(
            t3.cell_label(CellKey::t3(T3Row::Granted, T3Col::NaturalPerson)),
            "表3 （一）予以公开 · 自然人"
        );
        let t4 = TableLayout::get(TableId::T4, Layout::Format2021);
        assert_eq!(
            t4.cell_label(CellKey::t4(T4Block::Review, T4Col::Upheld)),
            "表4 行政复议 · 结果维持"
        );
        let t2 = TableLayout::get(TableId::T2, Layout::Format2021);
        let label = t2.cell_label(CellKey::t2(T2Row::Fees, T2Col::AmountWanYuan));
        assert!(label.starts_with("表2 行政事业性收费 · "), "{label}");
    }

    #[test]
    fn outcome_rows_are_21_in_2021_and_19_in_trial() {
        assert_eq!(t3_outcome_rows(Layout::Format2021).count(), 21);
        // 18 rows shared with 2021 plus `other_merged` (23 rows × 7 = 161 cells).
        assert_eq!(t3_outcome_rows(Layout::Trial2019).count(), 19);
    }

    #[test]
    fn index_of_agrees_with_keys() {
        for table in [TableId::T2, TableId::T3, TableId::T4] {
            for layout in [Layout::Format2021, Layout::Trial2019] {
                let l = TableLayout::get(table, layout);
                for (i, k) in l.keys().enumerate() {
                    assert_eq!(l.index_of(k), Some(i), "{k}");
                }
            }
        }
    }
}
