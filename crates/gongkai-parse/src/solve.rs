//! Choosing among row readings with the table's own arithmetic.
//!
//! Each row has one or more candidate readings ([`crate::split`]). A [`Constraint`] is a linear
//! equality between sums of cells (a row total, a column sum, the balance). The solver finds every
//! combination of readings that satisfies all active constraints and reports, per row, which
//! readings take part in at least one solution. A cell is determined when all those readings agree
//! on it; otherwise it stays undetermined. A constraint with a blank, not-applicable or
//! undetermined operand is inactive: it neither confirms nor refutes anything.

use gongkai_model::Value;

use crate::split::Part;
use crate::work::Work;

/// A cell of the table: `(row, column)` indexes.
pub(crate) type CellRef = (usize, usize);

/// `Σ lhs = Σ rhs`.
#[derive(Clone, Debug)]
pub(crate) struct Constraint {
    /// Left-hand cells.
    pub lhs: Vec<CellRef>,
    /// Right-hand cells.
    pub rhs: Vec<CellRef>,
}

/// What the solver concluded.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    /// Per row: the indexes of the readings that occur in some solution.
    Solved(Vec<Vec<usize>>),
    /// No combination satisfies every active constraint.
    NoSolution,
    /// The search exceeded its budget.
    TooHard,
}

/// The integer value of a part, if it is an integer number.
pub(crate) fn int(p: &Part) -> Option<i128> {
    match &p.value {
        // A mantissa has at most 96 bits, so it fits an `i128` and sums of a table's cells
        // (checked all the same) cannot overflow.
        Value::Number(d) if d.fract().is_zero() => {
            let scale = d.scale();
            let mut m = d.mantissa();
            for _ in 0..scale {
                m /= 10;
            }
            Some(m)
        }
        _ => None,
    }
}

/// Whether the reading `parts` satisfies `c`, when every cell of `c` lies in this one row.
///
/// Unjudgeable is not satisfied: a constraint with a non-number operand passes only when the
/// source shows why it cannot be judged (a blank grid cell, a `/`, an unreadable cell). It fails
/// when an operand is a blank the source does not show ([`Part::unshown`]), and when its total is
/// blank beside non-zero parts — such readings lose to readings without them.
pub(crate) fn row_ok(parts: &[Part], c: &Constraint) -> bool {
    let at = |&(_, col): &CellRef| parts.get(col);
    let operands = || c.lhs.iter().chain(&c.rhs).filter_map(at);
    if let Some(sum) = row_sum(parts, c) {
        return sum == 0;
    }
    if operands().any(|p| p.unshown) {
        return false;
    }
    let blank_total =
        c.rhs.len() == 1 && c.rhs.iter().filter_map(at).all(|p| p.value == Value::Blank);
    let nonzero_part = c.lhs.iter().filter_map(at).any(|p| int(p).is_some_and(|v| v != 0));
    !(blank_total && nonzero_part)
}

/// `Σ lhs − Σ rhs` over one row's reading, when every operand is an integer (and the sums fit).
fn row_sum(parts: &[Part], c: &Constraint) -> Option<i128> {
    let mut sum: i128 = 0;
    for &(_, col) in &c.lhs {
        sum = sum.checked_add(parts.get(col).and_then(int)?)?;
    }
    for &(_, col) in &c.rhs {
        sum = sum.checked_sub(parts.get(col).and_then(int)?)?;
    }
    Some(sum)
}

struct Prepared {
    /// Constant contribution of fixed rows, or `None` when a fixed operand is not an integer.
    constant: Option<i128>,
    /// `(variable position, column, sign)` terms.
    terms: Vec<(usize, usize, i8)>,
    /// The variable position after whose assignment the constraint can be checked.
    complete_at: usize,
}

/// Solves. `rows[r]` are the readings of row `r` (empty: the row is unknown). At most `budget`
/// search nodes, each also spent from the document's shared `work`.
pub(crate) fn solve(
    rows: &[Vec<Vec<Part>>],
    constraints: &[Constraint],
    budget: u64,
    work: &Work,
) -> Outcome {
    let vars: Vec<usize> = (0..rows.len()).filter(|&r| rows[r].len() > 1).collect();
    let var_pos = |r: usize| vars.iter().position(|&v| v == r);
    let mut prepared: Vec<Prepared> = Vec::new();
    'constraints: for c in constraints {
        let mut constant: Option<i128> = Some(0);
        let mut terms = Vec::new();
        for (cells, sign) in [(&c.lhs, 1i8), (&c.rhs, -1i8)] {
            for &(r, col) in cells {
                match rows.get(r).map(Vec::len) {
                    None | Some(0) => continue 'constraints,
                    Some(1) => match rows[r][0].get(col).and_then(int) {
                        Some(v) => {
                            constant = constant.and_then(|k| k.checked_add(i128::from(sign) * v));
                        }
                        None => constant = None,
                    },
                    Some(_) => {
                        if let Some(p) = var_pos(r) {
                            terms.push((p, col, sign));
                        }
                    }
                }
            }
        }
        if terms.is_empty() || constant.is_none() {
            continue;
        }
        let complete_at = terms.iter().map(|t| t.0).max().unwrap_or(0);
        prepared.push(Prepared { constant, terms, complete_at });
    }
    let mut by_depth: Vec<Vec<usize>> = vec![Vec::new(); vars.len()];
    for (i, p) in prepared.iter().enumerate() {
        by_depth[p.complete_at].push(i);
    }
    let mut s = Search {
        rows,
        vars: &vars,
        prepared: &prepared,
        by_depth: &by_depth,
        choice: vec![0; vars.len()],
        survivors: vars.iter().map(|&r| vec![false; rows[r].len()]).collect(),
        nodes: 0,
        budget,
        work,
        solutions: 0,
        over: false,
    };
    if vars.is_empty() {
        return Outcome::Solved(rows.iter().map(|c| (0..c.len()).collect()).collect());
    }
    s.dfs(0);
    if s.over {
        return Outcome::TooHard;
    }
    if s.solutions == 0 {
        return Outcome::NoSolution;
    }
    let mut out: Vec<Vec<usize>> = rows.iter().map(|c| (0..c.len()).collect()).collect();
    for (p, &r) in vars.iter().enumerate() {
        out[r] = s.survivors[p].iter().enumerate().filter(|(_, ok)| **ok).map(|(i, _)| i).collect();
    }
    Outcome::Solved(out)
}

struct Search<'a> {
    rows: &'a [Vec<Vec<Part>>],
    vars: &'a [usize],
    prepared: &'a [Prepared],
    by_depth: &'a [Vec<usize>],
    choice: Vec<usize>,
    survivors: Vec<Vec<bool>>,
    nodes: u64,
    budget: u64,
    work: &'a Work,
    solutions: u64,
    over: bool,
}

impl Search<'_> {
    fn holds(&self, c: &Prepared) -> bool {
        let mut sum = c.constant.unwrap_or(0);
        for &(p, col, sign) in &c.terms {
            let r = self.vars[p];
            match self.rows[r][self.choice[p]].get(col).and_then(int) {
                Some(v) => match sum.checked_add(i128::from(sign) * v) {
                    Some(x) => sum = x,
                    None => return true,
                },
                None => return true,
            }
        }
        sum == 0
    }

    fn dfs(&mut self, depth: usize) {
        if self.over {
            return;
        }
        if depth == self.vars.len() {
            self.solutions += 1;
            for (p, &c) in self.choice.iter().enumerate() {
                self.survivors[p][c] = true;
            }
            return;
        }
        let r = self.vars[depth];
        for k in 0..self.rows[r].len() {
            self.nodes += 1;
            if self.nodes > self.budget || !self.work.spend(1) {
                self.over = true;
                return;
            }
            self.choice[depth] = k;
            if self.by_depth[depth].iter().all(|&ci| self.holds(&self.prepared[ci])) {
                self.dfs(depth + 1);
            }
            if self.over {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(vals: &[i64]) -> Vec<Part> {
        vals.iter().map(|&v| Part::new(Value::int(v), None)).collect()
    }

    #[test]
    fn column_sums_choose_between_row_readings() {
        // Two parts rows and a total row; row 0 is ambiguous, the column sums decide.
        let rows = vec![
            vec![reading(&[27, 0, 27]), reading(&[2, 7, 9])],
            vec![reading(&[3, 0, 3])],
            vec![reading(&[30, 0, 30])],
        ];
        let cons: Vec<Constraint> =
            (0..3).map(|c| Constraint { lhs: vec![(0, c), (1, c)], rhs: vec![(2, c)] }).collect();
        assert_eq!(
            solve(&rows, &cons, 1000, &Work::default()),
            Outcome::Solved(vec![vec![0], vec![0], vec![0]])
        );
    }

    #[test]
    fn undecidable_rows_keep_all_readings_and_contradictions_are_reported() {
        let rows = vec![vec![reading(&[1, 2]), reading(&[2, 1])], vec![reading(&[3, 3])]];
        let sum = Constraint { lhs: vec![(0, 0), (0, 1)], rhs: vec![(1, 0)] };
        assert_eq!(
            solve(&rows, std::slice::from_ref(&sum), 1000, &Work::default()),
            Outcome::Solved(vec![vec![0, 1], vec![0]])
        );
        let rows = vec![vec![reading(&[1, 2]), reading(&[2, 1])], vec![reading(&[4, 4])]];
        assert_eq!(solve(&rows, &[sum], 1000, &Work::default()), Outcome::NoSolution);
    }

    #[test]
    fn blank_operands_make_constraints_inactive() {
        let blank = vec![Part::new(Value::Blank, None)];
        let rows = vec![vec![reading(&[1]), reading(&[2])], vec![blank]];
        let c = Constraint { lhs: vec![(0, 0)], rhs: vec![(1, 0)] };
        assert_eq!(
            solve(&rows, &[c], 1000, &Work::default()),
            Outcome::Solved(vec![vec![0, 1], vec![0]])
        );
    }
}
