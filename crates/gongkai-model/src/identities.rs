//! The tables' own linear identities (勾稽关系), stated once.
//!
//! Each [`Identity`] says `Σ lhs = Σ rhs` over cells of one table. The recognizer uses them to
//! choose among readings of glued digits, the rules to check a report; both take them from here.

use crate::catalogue::t3_outcome_rows;
use crate::keys::{CellKey, ColId, T3Col, T3Row, T4Block, T4Col};
use crate::{Layout, TableLayout};

/// Which identity of the template an [`Identity`] is (the rule that checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    /// Table 3, one row: 总计 = the six applicant columns (`T3-ROW-TOTAL`).
    T3RowTotal,
    /// Table 3, one column: （七）总计 = the outcome rows (`T3-RESULTS-SUM`).
    T3ResultsSum,
    /// Table 3, one column: new + carried over = total processed + carried forward (`T3-BALANCE`).
    T3Balance,
    /// Table 4, one block: 总计 = the four results (`T4-SUM`).
    T4Sum,
}

impl IdentityKind {
    /// The id of the rule that checks it.
    pub const fn rule(self) -> &'static str {
        match self {
            IdentityKind::T3RowTotal => "T3-ROW-TOTAL",
            IdentityKind::T3ResultsSum => "T3-RESULTS-SUM",
            IdentityKind::T3Balance => "T3-BALANCE",
            IdentityKind::T4Sum => "T4-SUM",
        }
    }
}

/// `Σ lhs = Σ rhs`. In a sum identity `rhs` is the one total cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Which identity.
    pub kind: IdentityKind,
    /// Left-hand cells (the parts).
    pub lhs: Vec<CellKey>,
    /// Right-hand cells (the total; for the balance, total processed and carried forward).
    pub rhs: Vec<CellKey>,
}

impl Identity {
    /// Every cell, left then right.
    pub fn cells(&self) -> impl Iterator<Item = CellKey> + '_ {
        self.lhs.iter().chain(&self.rhs).copied()
    }

    /// The sign of `key` in `Σ lhs − Σ rhs` (`0` when it is not a cell of this identity).
    pub fn sign(&self, key: CellKey) -> i8 {
        if self.lhs.contains(&key) {
            1
        } else if self.rhs.contains(&key) {
            -1
        } else {
            0
        }
    }
}

/// Table 3's row totals (one per row of `layout`).
pub fn t3_row_totals(layout: Layout) -> Vec<Identity> {
    TableLayout::get(crate::TableId::T3, layout)
        .rows
        .iter()
        .map(|spec| Identity {
            kind: IdentityKind::T3RowTotal,
            lhs: T3Col::APPLICANTS
                .iter()
                .map(|&c| CellKey { row: spec.id, col: ColId::T3(c) })
                .collect(),
            rhs: vec![CellKey { row: spec.id, col: ColId::T3(T3Col::Total) }],
        })
        .collect()
}

/// Table 3's column identities: the results sum and the balance of every column.
pub fn t3_columns(layout: Layout) -> Vec<Identity> {
    let outcomes: Vec<T3Row> = t3_outcome_rows(layout).collect();
    let mut out = Vec::with_capacity(T3Col::ALL.len() * 2);
    for &c in T3Col::ALL {
        out.push(Identity {
            kind: IdentityKind::T3ResultsSum,
            lhs: outcomes.iter().map(|&r| CellKey::t3(r, c)).collect(),
            rhs: vec![CellKey::t3(T3Row::TotalProcessed, c)],
        });
        out.push(Identity {
            kind: IdentityKind::T3Balance,
            lhs: vec![CellKey::t3(T3Row::NewReceived, c), CellKey::t3(T3Row::CarriedOver, c)],
            rhs: vec![CellKey::t3(T3Row::TotalProcessed, c), CellKey::t3(T3Row::CarriedForward, c)],
        });
    }
    out
}

/// Every identity of Table 3 in `layout`: row totals, then column identities.
pub fn t3(layout: Layout) -> Vec<Identity> {
    let mut out = t3_row_totals(layout);
    out.extend(t3_columns(layout));
    out
}

/// Table 4's block sums.
pub fn t4() -> Vec<Identity> {
    T4Block::ALL
        .iter()
        .map(|&b| Identity {
            kind: IdentityKind::T4Sum,
            lhs: T4Col::PARTS.iter().map(|&c| CellKey::t4(b, c)).collect(),
            rhs: vec![CellKey::t4(b, T4Col::Total)],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_3_cell_lies_on_a_row_and_a_column_identity() {
        for layout in [Layout::Format2021, Layout::Trial2019] {
            let ids = t3(layout);
            for key in TableLayout::get(crate::TableId::T3, layout).keys() {
                let on = |k: IdentityKind| ids.iter().any(|i| i.kind == k && i.sign(key) != 0);
                assert!(on(IdentityKind::T3RowTotal), "{key}");
                assert!(on(IdentityKind::T3ResultsSum) || on(IdentityKind::T3Balance), "{key}");
            }
        }
    }

    #[test]
    fn table_4_has_three_sums_of_four() {
        let ids = t4();
        assert_eq!(ids.len(), 3);
        assert!(ids.iter().all(|i| i.lhs.len() == 4 && i.rhs.len() == 1));
    }
}
