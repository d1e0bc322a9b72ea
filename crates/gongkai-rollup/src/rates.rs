//! The comparison rates of one report (an agency's, or an office's summary), with a small-sample
//! guard: a rate whose denominator is below [`MIN_COUNT`] is not computed ([`Rate::TooFew`]) —
//! two applications of which one was granted say nothing about an agency's practice.
//!
//! - **予以公开率** (share granted): `t3.granted.total / t3.total_processed.total`;
//! - **不予公开率** (share withheld): the eight （三）不予公开 rows' totals over
//!   `t3.total_processed.total`;
//! - **行政复议纠错率**: `t4.review.corrected / (upheld + corrected + other)` — the concluded
//!   reconsiderations (pending ones have no result yet);
//! - **行政诉讼纠错率**: the same over both litigation blocks together.
//!
//! Every operand must be a number ([`Value::operand`]); a blank, `/` or `?` operand makes the
//! rate [`Rate::Undetermined`] naming the first such cell.

use gongkai_model::{CellKey, Decimal, Msg, Report, T3Col, T3Row, T4Block, T4Col};

/// The smallest denominator a rate is computed over.
pub const MIN_COUNT: u32 = 10;

/// Which rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RateKind {
    /// 予以公开率.
    Granted,
    /// 不予公开率.
    Withheld,
    /// 行政复议纠错率.
    ReviewCorrected,
    /// 行政诉讼纠错率.
    LitigationCorrected,
}

impl RateKind {
    /// Every rate, in the order pages show them.
    pub const ALL: [RateKind; 4] = [
        RateKind::Granted,
        RateKind::Withheld,
        RateKind::ReviewCorrected,
        RateKind::LitigationCorrected,
    ];

    /// A stable key (`granted`, `withheld`, `review_corrected`, `litigation_corrected`).
    pub const fn key(self) -> &'static str {
        match self {
            RateKind::Granted => "granted",
            RateKind::Withheld => "withheld",
            RateKind::ReviewCorrected => "review_corrected",
            RateKind::LitigationCorrected => "litigation_corrected",
        }
    }

    /// Its name, in Chinese and English.
    pub fn label(self) -> Msg {
        match self {
            RateKind::Granted => Msg::new("予以公开率", "share granted"),
            RateKind::Withheld => Msg::new("不予公开率", "share withheld"),
            RateKind::ReviewCorrected => {
                Msg::new("行政复议纠错率", "reconsideration correction rate")
            }
            RateKind::LitigationCorrected => {
                Msg::new("行政诉讼纠错率", "litigation correction rate")
            }
        }
    }

    /// The numerator's and the denominator's cells.
    pub fn operands(self) -> (Vec<CellKey>, Vec<CellKey>) {
        let t3 = |r| CellKey::t3(r, T3Col::Total);
        let concluded =
            |b| [T4Col::Upheld, T4Col::Corrected, T4Col::Other].map(|c| CellKey::t4(b, c));
        match self {
            RateKind::Granted => (vec![t3(T3Row::Granted)], vec![t3(T3Row::TotalProcessed)]),
            RateKind::Withheld => {
                (WITHHELD.iter().map(|&r| t3(r)).collect(), vec![t3(T3Row::TotalProcessed)])
            }
            RateKind::ReviewCorrected => (
                vec![CellKey::t4(T4Block::Review, T4Col::Corrected)],
                concluded(T4Block::Review).to_vec(),
            ),
            RateKind::LitigationCorrected => (
                [T4Block::LitigationDirect, T4Block::LitigationAfterReview]
                    .map(|b| CellKey::t4(b, T4Col::Corrected))
                    .to_vec(),
                [T4Block::LitigationDirect, T4Block::LitigationAfterReview]
                    .into_iter()
                    .flat_map(concluded)
                    .collect(),
            ),
        }
    }
}

/// The eight （三）不予公开 rows (the parts of the share withheld).
pub const WITHHELD: [T3Row; 8] = [
    T3Row::WithheldStateSecret,
    T3Row::WithheldProhibitedByLaw,
    T3Row::WithheldThreeSafeties,
    T3Row::WithheldThirdParty,
    T3Row::WithheldInternalAffairs,
    T3Row::WithheldProcessInfo,
    T3Row::WithheldEnforcementFiles,
    T3Row::WithheldInquiry,
];

/// A rate, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rate {
    /// `numerator / denominator`, with the denominator at least [`MIN_COUNT`].
    Value {
        /// The numerator.
        numerator: Decimal,
        /// The denominator.
        denominator: Decimal,
    },
    /// The denominator is below [`MIN_COUNT`].
    TooFew {
        /// The denominator.
        denominator: Decimal,
    },
    /// An operand is not a number (blank, `/`, `?`, too large, or the cell is absent).
    Undetermined {
        /// The first such cell.
        cell: CellKey,
    },
}

impl Rate {
    /// The rate in percent, rounded to one decimal (`None` when there is no rate).
    pub fn percent(&self) -> Option<Decimal> {
        match self {
            Rate::Value { numerator, denominator } => numerator
                .checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|n| n.checked_div(*denominator))
                .map(|p| p.round_dp(1)),
            _ => None,
        }
    }

    /// As shown: `62.5%`, or `—` when there is no rate.
    pub fn display(&self) -> String {
        self.percent().map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"))
    }

    /// Why there is no rate (`None` when there is one), in Chinese and English.
    pub fn why_none(&self) -> Option<Msg> {
        match self {
            Rate::Value { .. } => None,
            Rate::TooFew { denominator } => Some(Msg::new(
                format!("样本不足：分母 {denominator} 件，少于 {MIN_COUNT} 件不计算比率"),
                format!(
                    "too few: the denominator is {denominator}, below the minimum of {MIN_COUNT}"
                ),
            )),
            Rate::Undetermined { cell } => Some(Msg::new(
                format!("无法计算：{cell} 不是数字"),
                format!("cannot be computed: {cell} is not a number"),
            )),
        }
    }
}

/// The checked sum of `keys` in `report`, or the first cell that is not a usable number.
fn sum(report: &Report, keys: &[CellKey]) -> Result<Decimal, CellKey> {
    let mut total = Decimal::ZERO;
    for &k in keys {
        let v = report.operand(k).ok_or(k)?;
        total = total.checked_add(v).ok_or(k)?;
    }
    Ok(total)
}

/// The rate `kind` of `report`.
pub fn rate(report: &Report, kind: RateKind) -> Rate {
    let (num, den) = kind.operands();
    let (numerator, denominator) = match (sum(report, &num), sum(report, &den)) {
        (Ok(n), Ok(d)) => (n, d),
        (Err(cell), _) | (_, Err(cell)) => return Rate::Undetermined { cell },
    };
    if denominator < Decimal::from(MIN_COUNT) {
        return Rate::TooFew { denominator };
    }
    Rate::Value { numerator, denominator }
}

/// Every rate of `report`, in [`RateKind::ALL`] order.
pub fn rates(report: &Report) -> Vec<(RateKind, Rate)> {
    RateKind::ALL.into_iter().map(|k| (k, rate(report, k))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::{Layout, Table, TableId, Value};

    fn report(t3: &[(T3Row, i64)], t4: &[(T4Block, T4Col, i64)]) -> Report {
        let mut r = Report::default();
        let mut a = Table::filled(TableId::T3, Layout::Format2021, |_| Value::int(0));
        for &(row, n) in t3 {
            a.set(CellKey::t3(row, T3Col::Total), Value::int(n));
        }
        let mut b = Table::filled(TableId::T4, Layout::Format2021, |_| Value::int(0));
        for &(bl, c, n) in t4 {
            b.set(CellKey::t4(bl, c), Value::int(n));
        }
        r.t3 = Some(a);
        r.t4 = Some(b);
        r
    }

    #[test]
    fn shares_of_the_processed_applications() {
        let r = report(
            &[
                (T3Row::Granted, 25),
                (T3Row::WithheldStateSecret, 3),
                (T3Row::WithheldThirdParty, 2),
                (T3Row::TotalProcessed, 40),
            ],
            &[],
        );
        assert_eq!(rate(&r, RateKind::Granted).display(), "62.5%");
        assert_eq!(rate(&r, RateKind::Withheld).display(), "12.5%");
        assert_eq!(rate(&r, RateKind::Granted).why_none(), None);
    }

    #[test]
    fn correction_rates_count_concluded_cases_only() {
        let r = report(
            &[],
            &[
                (T4Block::Review, T4Col::Upheld, 8),
                (T4Block::Review, T4Col::Corrected, 2),
                (T4Block::Review, T4Col::Pending, 50),
                (T4Block::LitigationDirect, T4Col::Upheld, 6),
                (T4Block::LitigationDirect, T4Col::Corrected, 1),
                (T4Block::LitigationAfterReview, T4Col::Other, 2),
                (T4Block::LitigationAfterReview, T4Col::Corrected, 1),
            ],
        );
        assert_eq!(rate(&r, RateKind::ReviewCorrected).display(), "20.0%");
        assert_eq!(rate(&r, RateKind::LitigationCorrected).display(), "20.0%");
    }

    #[test]
    fn small_samples_give_no_rate() {
        let r = report(
            &[(T3Row::Granted, 9), (T3Row::TotalProcessed, 9)],
            &[(T4Block::Review, T4Col::Corrected, 1)],
        );
        let granted = rate(&r, RateKind::Granted);
        assert_eq!(granted, Rate::TooFew { denominator: Decimal::from(9) });
        assert_eq!(granted.display(), "—");
        let why = granted.why_none().map(|m| m.zh).unwrap_or_default();
        assert!(why.contains("少于 10 件"), "{why}");
        // Exactly the minimum is enough.
        let r = report(&[(T3Row::Granted, 1), (T3Row::TotalProcessed, 10)], &[]);
        assert_eq!(rate(&r, RateKind::Granted).display(), "10.0%");
    }

    #[test]
    fn a_non_number_operand_names_its_cell() {
        let mut r = report(&[(T3Row::TotalProcessed, 40)], &[]);
        let key = CellKey::t3(T3Row::WithheldInquiry, T3Col::Total);
        if let Some(t) = r.t3.as_mut() {
            t.set(key, Value::Blank);
        }
        assert_eq!(rate(&r, RateKind::Withheld), Rate::Undetermined { cell: key });
        assert_eq!(rate(&r, RateKind::Granted).display(), "0.0%");
        let en = rate(&r, RateKind::Withheld).why_none().map(|m| m.en).unwrap_or_default();
        assert_eq!(en, "cannot be computed: t3.withheld_inquiry.total is not a number");
        assert_eq!(
            rate(&Report::default(), RateKind::ReviewCorrected),
            Rate::Undetermined { cell: CellKey::t4(T4Block::Review, T4Col::Corrected) }
        );
    }
}
