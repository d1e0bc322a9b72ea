//! OCR readings of uncertain cells, chosen by the tables' own identities.
//!
//! An OCR reader prints a number it is not sure of as `?` and offers the numbers the cell may be
//! ([`gongkai_doc::Choices`]: Tesseract's rival digits, the Chinese engine's reading). Here each
//! such cell of a row reading becomes one reading per choice (every combination, within
//! [`MAX_EXPANDED`]); the row's own constraints and then the solver ([`crate::solve`]) keep the
//! combinations that satisfy the table's identities, exactly as for glued digits.
//!
//! A value chosen this way is written only when it is **confirmed** ([`confirmed`]): every
//! surviving reading has it, and some identity over it holds with every one of its cells known.
//! A single choice that no identity can check, or choices the identities cannot tell apart, stay
//! `?` (READ-AMBIGUOUS, with the choices as the cell's alternatives). When the printed number is
//! not among the choices, no combination satisfies the identities and the cell stays `?`: a
//! choice is never taken because it is the OCR's favourite.

use std::collections::HashSet;

use gongkai_doc::Choices;
use gongkai_model::Value;

use crate::rows::Ctx;
use crate::solve::{CellRef, Constraint, int};
use crate::split::{Part, Readings, exact};

/// Most readings one row reading may expand into; beyond, its `?` cells stay `?`.
pub(crate) const MAX_EXPANDED: usize = 256;

/// Most readings all of a row's readings may expand into together; beyond, the row is left as
/// read (its `?` cells stay `?`). A row read many ways (glued digits) each expanding 256 ways
/// made 409,000 readings and 500 MB from a fuzzed document of 400 bytes.
pub(crate) const MAX_EXPANDED_ROW: usize = 4 * MAX_EXPANDED;

/// `r` with every `?` cell that has OCR choices replaced by each choice in turn. The
/// combinations `accept` (the row's constraints) rejects are dropped; when it rejects all of a
/// reading's, that reading is kept as it was (its cells `?`).
pub(crate) fn expand(ctx: &Ctx<'_>, mut r: Readings, accept: &dyn Fn(&[Part]) -> bool) -> Readings {
    if ctx.choices.is_empty() || r.truncated {
        return r;
    }
    // Each reading's options and how many combinations it expands into (`None`: it stays as
    // read — no choice among its cells, or more than MAX_EXPANDED combinations).
    let plans: Vec<(Vec<Vec<Part>>, Option<usize>)> = r
        .list
        .iter()
        .map(|reading| {
            let options: Vec<Vec<Part>> = reading.iter().map(|p| options(ctx.choices, p)).collect();
            let count = options
                .iter()
                .try_fold(1usize, |n, o| n.checked_mul(o.len()).filter(|&n| n <= MAX_EXPANDED))
                .filter(|_| options.iter().any(|o| o.iter().any(|p| p.chosen)));
            (options, count)
        })
        .collect();
    let total = plans
        .iter()
        .try_fold(0usize, |sum, (_, count)| sum.checked_add(count.unwrap_or(1)))
        .filter(|&t| t <= MAX_EXPANDED_ROW);
    if total.is_none() {
        return r;
    }
    let mut out = Distinct::default();
    for (reading, (options, count)) in std::mem::take(&mut r.list).into_iter().zip(plans) {
        let Some(count) = count else {
            out.push(reading);
            continue;
        };
        let mut kept = false;
        for i in 0..count {
            if !ctx.work.spend(1) {
                break;
            }
            let cand = combination(&options, i);
            if accept(&cand) {
                r.total += 1;
                kept = true;
                out.push(cand);
            }
        }
        if !kept {
            out.push(reading);
        }
    }
    r.list = out.list;
    r
}

/// Readings without repeats (by their values), in the order first seen. A set beside the list:
/// a row may expand into thousands of readings, and comparing each with every one kept was
/// quadratic (a fuzzed document took seconds).
#[derive(Default)]
struct Distinct {
    list: Vec<Vec<Part>>,
    seen: HashSet<Vec<Value>>,
}

impl Distinct {
    fn push(&mut self, reading: Vec<Part>) {
        if self.seen.insert(reading.iter().map(|p| p.value.clone()).collect()) {
            self.list.push(reading);
        }
    }
}

/// A cell's options: its OCR choices as numbers ([`Part::chosen`]), or the cell itself.
fn options(choices: &[Choices], p: &Part) -> Vec<Part> {
    let offered = p
        .span
        .filter(|_| p.value == Value::Unknown && p.unreadable.is_some())
        .and_then(|s| Choices::find(choices, s.start).map(|v| (s, v)));
    if let Some((span, values)) = offered {
        let parts: Vec<Part> = values
            .iter()
            .filter_map(|v| exact(v))
            .map(|d| Part { chosen: true, ..Part::new(Value::Number(d), Some(span)) })
            .collect();
        if !parts.is_empty() {
            return parts;
        }
    }
    vec![p.clone()]
}

/// The `i`-th combination of `options` (mixed radix, the first cell varying slowest).
fn combination(options: &[Vec<Part>], mut i: usize) -> Vec<Part> {
    let mut picks = vec![0; options.len()];
    for (pick, o) in picks.iter_mut().zip(options).rev() {
        let n = o.len().max(1);
        *pick = i % n;
        i /= n;
    }
    options.iter().zip(picks).filter_map(|(o, k)| o.get(k).cloned()).collect()
}

/// The cells holding a chosen OCR reading that an identity confirms. `cands[g]` are the readings
/// of group `g` the solver kept; `row` are the constraints within one group (in column indexes,
/// row 0), `global` those across groups (group, column). Confirmed: some identity over the cell
/// holds with every one of its cells an integer on which all of its group's readings agree.
pub(crate) fn confirmed(
    cands: &[Vec<Vec<Part>>],
    row: &[Constraint],
    global: &[Constraint],
) -> Vec<CellRef> {
    let chosen = |(g, c): CellRef| {
        cands.get(g).is_some_and(|rs| rs.iter().any(|r| r.get(c).is_some_and(|p| p.chosen)))
    };
    if !(0..cands.len()).any(|g| cands[g].iter().any(|r| r.iter().any(|p| p.chosen))) {
        return Vec::new();
    }
    let agreed = |(g, c): CellRef| -> Option<i128> {
        let rs = cands.get(g)?;
        let v = rs.first()?.get(c).and_then(int)?;
        rs.iter().all(|r| r.get(c).and_then(int) == Some(v)).then_some(v)
    };
    let holds = |k: &Constraint| -> bool {
        let mut sum: Option<i128> = Some(0);
        for &x in &k.lhs {
            sum = sum.and_then(|s| s.checked_add(agreed(x)?));
        }
        for &x in &k.rhs {
            sum = sum.and_then(|s| s.checked_sub(agreed(x)?));
        }
        sum == Some(0)
    };
    let in_group = |g: usize, k: &Constraint| Constraint {
        lhs: k.lhs.iter().map(|&(_, c)| (g, c)).collect(),
        rhs: k.rhs.iter().map(|&(_, c)| (g, c)).collect(),
    };
    let all = (0..cands.len()).flat_map(|g| row.iter().map(move |k| in_group(g, k)));
    let mut out: Vec<CellRef> = Vec::new();
    for k in all.chain(global.iter().cloned()) {
        if !k.lhs.iter().chain(&k.rhs).any(|&x| chosen(x)) || !holds(&k) {
            continue;
        }
        for &x in k.lhs.iter().chain(&k.rhs) {
            if chosen(x) && !out.contains(&x) {
                out.push(x);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Decimal;

    fn num(v: i64) -> Part {
        Part::new(Value::Number(Decimal::from(v)), None)
    }

    fn chosen(v: i64) -> Part {
        Part { chosen: true, ..num(v) }
    }

    #[test]
    fn distinct_keeps_the_first_of_equal_values_in_order() {
        let mut d = Distinct::default();
        d.push(vec![num(1), num(2)]);
        d.push(vec![chosen(1), num(2)]); // the same values: not kept
        d.push(vec![num(2), num(1)]);
        d.push(vec![num(1), num(2)]);
        let values: Vec<Vec<Value>> =
            d.list.iter().map(|r| r.iter().map(|p| p.value.clone()).collect()).collect();
        let v =
            |a: i64, b: i64| vec![Value::Number(Decimal::from(a)), Value::Number(Decimal::from(b))];
        assert_eq!(values, vec![v(1, 2), v(2, 1)]);
        assert!(!d.list[0][0].chosen, "the first one seen is kept");
    }

    fn unknown() -> Part {
        Part::new(Value::Unknown, None)
    }

    /// `a + b = total` within a row.
    fn row_sum() -> Vec<Constraint> {
        vec![Constraint { lhs: vec![(0, 0), (0, 1)], rhs: vec![(0, 2)] }]
    }

    #[test]
    fn a_choice_an_identity_checks_is_confirmed() {
        let cands = vec![vec![vec![num(3), chosen(4), num(7)]]];
        assert_eq!(confirmed(&cands, &row_sum(), &[]), vec![(0, 1)]);
    }

    #[test]
    fn a_choice_no_identity_can_check_is_not() {
        // The total is unknown: 3 + 4 = ? confirms nothing.
        let cands = vec![vec![vec![num(3), chosen(4), unknown()]]];
        assert!(confirmed(&cands, &row_sum(), &[]).is_empty());
        // Two readings left that disagree on the cell.
        let cands = vec![vec![vec![num(3), chosen(4), num(7)], vec![num(3), chosen(5), num(7)]]];
        assert!(confirmed(&cands, &row_sum(), &[]).is_empty());
    }

    #[test]
    fn a_column_identity_across_groups_confirms() {
        let global = vec![Constraint { lhs: vec![(0, 0), (1, 0)], rhs: vec![(2, 0)] }];
        let cands = vec![vec![vec![chosen(2)]], vec![vec![num(5)]], vec![vec![num(7)]]];
        assert_eq!(confirmed(&cands, &[], &global), vec![(0, 0)]);
        let wrong = vec![vec![vec![chosen(2)]], vec![vec![num(5)]], vec![vec![num(8)]]];
        assert!(confirmed(&wrong, &[], &global).is_empty());
    }

    #[test]
    fn combinations_cover_every_pick_once() {
        let options = vec![vec![num(1), num(2)], vec![num(3)], vec![num(4), num(5), num(6)]];
        let all: Vec<Vec<i128>> =
            (0..6).map(|i| combination(&options, i).iter().filter_map(int).collect()).collect();
        assert_eq!(all[0], [1, 3, 4]);
        assert_eq!(all[5], [2, 3, 6]);
        let mut sorted = all.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 6);
    }
}
