//! Canonical cell keys (`table.row.column`, spec §2–3).
//!
//! These names are the project's stable external interface: the `tsv` cell list, JSON, CSV columns
//! and API paths all use them. Rows and columns of every layout share one namespace per table, so a
//! key such as `t3.granted.natural_person` means the same cell in the 2021 and the trial layout.

use std::fmt;
use std::str::FromStr;

macro_rules! key_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $var:ident => $s:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $var),* }

        impl $name {
            /// Every variant, in table order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// The canonical key fragment.
            pub const fn key(self) -> &'static str {
                match self { $($name::$var => $s),* }
            }

            /// Parses a canonical key fragment.
            pub fn from_key(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$var),)* _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

key_enum! {
    /// The three statistical tables of the report.
    TableId {
        /// Table 2, 主动公开政府信息情况.
        T2 => "t2",
        /// Table 3, 收到和处理政府信息公开申请情况.
        T3 => "t3",
        /// Table 4, 政府信息公开行政复议、行政诉讼情况.
        T4 => "t4",
    }
}

impl TableId {
    /// The table's number as printed (表2, 表3, 表4: the report's sections 二, 三 and 四).
    pub const fn number(self) -> u8 {
        match self {
            TableId::T2 => 2,
            TableId::T3 => 3,
            TableId::T4 => 4,
        }
    }
}

key_enum! {
    /// Rows of Table 2 (both layouts).
    T2Row {
        /// 规章.
        Regulations => "regulations",
        /// 行政规范性文件 (2021) / 规范性文件 (trial).
        NormativeDocuments => "normative_documents",
        /// 行政许可.
        Licensing => "licensing",
        /// 其他对外管理服务事项 (trial only).
        OtherServices => "other_services",
        /// 行政处罚.
        Penalty => "penalty",
        /// 行政强制.
        Coercion => "coercion",
        /// 行政事业性收费.
        Fees => "fees",
        /// 政府集中采购 (trial only).
        Procurement => "procurement",
    }
}

key_enum! {
    /// Columns of Table 2 (both layouts).
    T2Col {
        /// 本年制发件数.
        Issued => "issued",
        /// 本年废止件数.
        Repealed => "repealed",
        /// 现行有效件数.
        InForce => "in_force",
        /// 本年处理决定数量 / 处理决定数量.
        Decisions => "decisions",
        /// 本年收费金额（单位：万元）.
        AmountWanYuan => "amount_wan_yuan",
        /// 本年新制作数量 (trial).
        Made => "made",
        /// 本年新公开数量 (trial).
        Published => "published",
        /// 对外公开总数量 (trial).
        TotalPublic => "total_public",
        /// 上一年项目数量 (trial).
        PrevItems => "prev_items",
        /// 本年增/减 (trial; may be negative).
        Change => "change",
        /// 采购项目数量 (trial).
        Items => "items",
        /// 采购总金额 (trial).
        Amount => "amount",
    }
}

key_enum! {
    /// Rows of Table 3 (both layouts; `OtherMerged` is the trial format's single （六） row).
    T3Row {
        /// 一、本年新收政府信息公开申请数量.
        NewReceived => "new_received",
        /// 二、上年结转政府信息公开申请数量.
        CarriedOver => "carried_over",
        /// （一）予以公开.
        Granted => "granted",
        /// （二）部分公开.
        PartiallyGranted => "partially_granted",
        /// （三）1.属于国家秘密.
        WithheldStateSecret => "withheld_state_secret",
        /// （三）2.其他法律行政法规禁止公开.
        WithheldProhibitedByLaw => "withheld_prohibited_by_law",
        /// （三）3.危及“三安全一稳定”.
        WithheldThreeSafeties => "withheld_three_safeties",
        /// （三）4.保护第三方合法权益.
        WithheldThirdParty => "withheld_third_party",
        /// （三）5.属于三类内部事务信息.
        WithheldInternalAffairs => "withheld_internal_affairs",
        /// （三）6.属于四类过程性信息.
        WithheldProcessInfo => "withheld_process_info",
        /// （三）7.属于行政执法案卷.
        WithheldEnforcementFiles => "withheld_enforcement_files",
        /// （三）8.属于行政查询事项.
        WithheldInquiry => "withheld_inquiry",
        /// （四）1.本机关不掌握相关政府信息.
        UnableNotHeld => "unable_not_held",
        /// （四）2.没有现成信息需要另行制作.
        UnableNeedsCreation => "unable_needs_creation",
        /// （四）3.补正后申请内容仍不明确.
        UnableUnclear => "unable_unclear",
        /// （五）1.信访举报投诉类申请.
        NotProcessedPetition => "not_processed_petition",
        /// （五）2.重复申请.
        NotProcessedDuplicate => "not_processed_duplicate",
        /// （五）3.要求提供公开出版物.
        NotProcessedPublications => "not_processed_publications",
        /// （五）4.无正当理由大量反复申请.
        NotProcessedMassRepetitive => "not_processed_mass_repetitive",
        /// （五）5.要求行政机关确认或重新出具已获取信息.
        NotProcessedConfirm => "not_processed_confirm",
        /// （六）1.申请人无正当理由逾期不补正.
        OtherOverdueCorrection => "other_overdue_correction",
        /// （六）2.申请人逾期未按收费通知要求缴纳费用.
        OtherUnpaidFee => "other_unpaid_fee",
        /// （六）3.其他.
        OtherOther => "other_other",
        /// （六）其他处理 — the trial format's single row.
        OtherMerged => "other_merged",
        /// （七）总计.
        TotalProcessed => "total_processed",
        /// 四、结转下年度继续办理.
        CarriedForward => "carried_forward",
    }
}

key_enum! {
    /// Columns of Table 3: applicant types and the total.
    T3Col {
        /// 自然人.
        NaturalPerson => "natural_person",
        /// 商业企业.
        Commercial => "commercial",
        /// 科研机构.
        Research => "research",
        /// 社会公益组织.
        SocialWelfare => "social_welfare",
        /// 法律服务机构.
        LegalService => "legal_service",
        /// 其他 (法人或其他组织).
        OtherOrg => "other_org",
        /// 总计.
        Total => "total",
    }
}

impl T3Col {
    /// The six applicant columns (everything but `Total`).
    pub const APPLICANTS: &'static [T3Col] = &[
        T3Col::NaturalPerson,
        T3Col::Commercial,
        T3Col::Research,
        T3Col::SocialWelfare,
        T3Col::LegalService,
        T3Col::OtherOrg,
    ];
}

key_enum! {
    /// The three blocks of Table 4.
    T4Block {
        /// 行政复议.
        Review => "review",
        /// 行政诉讼 — 未经复议直接起诉.
        LitigationDirect => "litigation_direct",
        /// 行政诉讼 — 复议后起诉.
        LitigationAfterReview => "litigation_after_review",
    }
}

key_enum! {
    /// Columns of each Table 4 block.
    T4Col {
        /// 结果维持.
        Upheld => "upheld",
        /// 结果纠正.
        Corrected => "corrected",
        /// 其他结果.
        Other => "other",
        /// 尚未审结.
        Pending => "pending",
        /// 总计.
        Total => "total",
    }
}

impl T4Col {
    /// The four result columns summed by `Total`.
    pub const PARTS: &'static [T4Col] =
        &[T4Col::Upheld, T4Col::Corrected, T4Col::Other, T4Col::Pending];
}

/// A row of any table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowId {
    /// A Table 2 row.
    T2(T2Row),
    /// A Table 3 row.
    T3(T3Row),
    /// A Table 4 block (Table 4 has one data row of three blocks; each block is modelled as a row).
    T4(T4Block),
}

impl RowId {
    /// The table the row belongs to.
    pub const fn table(self) -> TableId {
        match self {
            RowId::T2(_) => TableId::T2,
            RowId::T3(_) => TableId::T3,
            RowId::T4(_) => TableId::T4,
        }
    }

    /// The row's key fragment.
    pub const fn key(self) -> &'static str {
        match self {
            RowId::T2(r) => r.key(),
            RowId::T3(r) => r.key(),
            RowId::T4(r) => r.key(),
        }
    }
}

/// A column of any table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ColId {
    /// A Table 2 column.
    T2(T2Col),
    /// A Table 3 column.
    T3(T3Col),
    /// A Table 4 column.
    T4(T4Col),
}

impl ColId {
    /// The column's key fragment.
    pub const fn key(self) -> &'static str {
        match self {
            ColId::T2(c) => c.key(),
            ColId::T3(c) => c.key(),
            ColId::T4(c) => c.key(),
        }
    }
}

/// The canonical name of one cell: `table.row.column`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    /// The row (which also names the table).
    pub row: RowId,
    /// The column.
    pub col: ColId,
}

impl CellKey {
    /// A Table 2 key.
    pub const fn t2(row: T2Row, col: T2Col) -> Self {
        CellKey { row: RowId::T2(row), col: ColId::T2(col) }
    }

    /// A Table 3 key.
    pub const fn t3(row: T3Row, col: T3Col) -> Self {
        CellKey { row: RowId::T3(row), col: ColId::T3(col) }
    }

    /// A Table 4 key.
    pub const fn t4(block: T4Block, col: T4Col) -> Self {
        CellKey { row: RowId::T4(block), col: ColId::T4(col) }
    }

    /// The table the cell belongs to.
    pub const fn table(self) -> TableId {
        self.row.table()
    }
}

impl fmt::Display for CellKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.table(), self.row.key(), self.col.key())
    }
}

/// Error for a string that is not a canonical cell key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::Localized::bilingual(self))]
pub struct ParseKeyError(pub String);

impl crate::Localized for ParseKeyError {
    fn words(&self) -> (crate::Msg, Option<String>) {
        let text = crate::Msg::new(
            format!("不是单元格键：`{}`（应如 `t3.granted.natural_person`）", self.0),
            format!("not a cell key: `{}` (expected e.g. `t3.granted.natural_person`)", self.0),
        );
        (text, None)
    }
}

impl FromStr for CellKey {
    type Err = ParseKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseKeyError(s.to_owned());
        let mut parts = s.split('.');
        let (Some(t), Some(r), Some(c), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        let key = match TableId::from_key(t).ok_or_else(err)? {
            TableId::T2 => CellKey::t2(
                T2Row::from_key(r).ok_or_else(err)?,
                T2Col::from_key(c).ok_or_else(err)?,
            ),
            TableId::T3 => CellKey::t3(
                T3Row::from_key(r).ok_or_else(err)?,
                T3Col::from_key(c).ok_or_else(err)?,
            ),
            TableId::T4 => CellKey::t4(
                T4Block::from_key(r).ok_or_else(err)?,
                T4Col::from_key(c).ok_or_else(err)?,
            ),
        };
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_strings() {
        for &r in T3Row::ALL {
            for &c in T3Col::ALL {
                let k = CellKey::t3(r, c);
                assert_eq!(k.to_string().parse::<CellKey>(), Ok(k));
            }
        }
        assert_eq!(
            "t4.litigation_after_review.pending".parse::<CellKey>(),
            Ok(CellKey::t4(T4Block::LitigationAfterReview, T4Col::Pending))
        );
    }

    #[test]
    fn malformed_keys_are_rejected() {
        for bad in ["", "t3", "t3.granted", "t3.granted.nobody", "t5.a.b", "t3.granted.total.x"] {
            assert!(bad.parse::<CellKey>().is_err(), "{bad}");
        }
    }
}
