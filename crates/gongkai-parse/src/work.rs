//! The work budget of one document's reading enumeration.
//!
//! Glued digit runs and empty lines can be read in exponentially many ways. Each row is bounded
//! on its own ([`crate::split`], [`crate::solve`]), and all rows, layouts and tables of a document
//! share one [`Work`] budget, so that no input — however many pathological numbers it prints —
//! makes reading take more than a bounded amount of work. When the budget is spent, the rows not
//! yet decided are `?` with a `READ-AMBIGUOUS` finding.

use std::cell::Cell;

/// Units of work (search nodes and cells of completed readings) one document may spend. The
/// development corpus needs at most a few thousand per document (glued crawler text included);
/// random glued reports (`tests/roundtrip.rs`) a median of 2.9 M, and at this bound 3.4 % of
/// their Table 3/4 cells are `?`. The crawler report with every number 64 digits long reached
/// 150 M units (~10 s, release) before the bound and now stops here in ~0.3 s on a loaded machine
/// (see DESIGN.md, Performance).
pub(crate) const DOCUMENT_WORK: u64 = 4_000_000;

/// A shared, decreasing work counter.
#[derive(Debug)]
pub(crate) struct Work {
    #[cfg(test)]
    budget: u64,
    left: Cell<u64>,
}

impl Work {
    /// A budget of `units`.
    pub(crate) fn new(units: u64) -> Self {
        Work {
            #[cfg(test)]
            budget: units,
            left: Cell::new(units),
        }
    }

    /// Spends `units`; `false` when the budget is exhausted (nothing more may be done).
    pub(crate) fn spend(&self, units: u64) -> bool {
        let left = self.left.get().checked_sub(units);
        self.left.set(left.unwrap_or(0));
        left.is_some()
    }

    /// Units spent so far.
    #[cfg(test)]
    pub(crate) fn spent(&self) -> u64 {
        self.budget - self.left.get()
    }
}

impl Default for Work {
    fn default() -> Self {
        Work::new(DOCUMENT_WORK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_stops_at_the_bound() {
        let w = Work::new(10);
        assert!(w.spend(4));
        assert!(w.spend(6));
        assert!(!w.spend(1));
        assert!(!w.spend(1));
        assert_eq!(w.spent(), 10);
    }
}
