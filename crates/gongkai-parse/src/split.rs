//! Candidate readings of one row: which printed tokens are which cells.
//!
//! A row's printed material is a list of [`Atom`]s (numbers, marks, empty cells). When there are as
//! many as the row has cells, there is one reading. When there are fewer, some digit runs were
//! printed glued together (`713000074` for 71|3|0|0|0|0|74) or some empty units are blank cells:
//! every way of splitting the runs into valid numbers (no leading zeros) and of taking empty units
//! as blanks that yields exactly the row's cell count is a candidate. The rules later choose among
//! candidates; this module never chooses.

use std::collections::HashSet;

use gongkai_model::{Decimal, Span, Value};

use crate::lex::Num;
use crate::work::Work;

/// One printed item of a row.
#[derive(Clone, Debug)]
pub(crate) enum Atom<'a> {
    /// A digit run (possibly several glued values).
    Num(&'a Num, Span),
    /// A not-applicable mark.
    Mark(String, Span),
    /// An empty unit: a blank cell, or layout spacing. `true` when it is certainly a cell (an
    /// empty grid cell); an empty line may be either.
    Empty(Span, bool),
    /// A table cell holding text that is not a number (an OCR'd `O`, `若干`): one cell whose value
    /// cannot be determined.
    Unreadable(String, Span),
}

/// One cell of a candidate reading.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Part {
    /// The value.
    pub value: Value,
    /// Where it was printed.
    pub span: Option<Span>,
    /// Annotation printed with it.
    pub annotation: Option<String>,
    /// For an unreadable cell, the text printed in it.
    pub unreadable: Option<String>,
    /// A blank the source does not show as a cell: an empty line before the first printed value
    /// (header layout far more often than a blank cell). A reading may use it, but it never makes
    /// a cell blank (the cell is `?`), never satisfies a rule, and loses to readings without it.
    pub unshown: bool,
    /// The value is one of an OCR reader's readings of a `?` cell ([`crate::choices`]): written
    /// only when an identity confirms it.
    pub chosen: bool,
}

impl Part {
    /// A part with a value and where it was printed.
    pub(crate) fn new(value: Value, span: Option<Span>) -> Self {
        Part { value, span, annotation: None, unreadable: None, unshown: false, chosen: false }
    }

    /// A blank cell at an empty unit; `shown` when the source shows a cell there.
    fn blank(span: Span, shown: bool) -> Self {
        Part { unshown: !shown, ..Part::new(Value::Blank, Some(span)) }
    }

    /// A not-applicable mark.
    fn mark(m: &str, span: Span) -> Self {
        Part::new(Value::NotApplicable(m.to_owned()), Some(span))
    }

    /// A cell printed with text that is not a number.
    fn unreadable(text: &str, span: Span) -> Self {
        Part { unreadable: Some(text.to_owned()), ..Part::new(Value::Unknown, Some(span)) }
    }
}

/// The candidate readings of a row.
#[derive(Clone, Debug, Default)]
pub(crate) struct Readings {
    /// Distinct readings (by value) that satisfy the row's own constraints, each with exactly the
    /// row's cell count.
    pub list: Vec<Vec<Part>>,
    /// When no reading satisfies the row's constraints: the first reading found and, per cell,
    /// whether every reading agrees with it (the printed numbers disagree with each other).
    pub unconstrained: Option<(Vec<Part>, Vec<bool>)>,
    /// Number of readings before the row's constraints were applied.
    pub total: usize,
    /// Whether some digit run had to be split (the row was printed glued).
    pub glued: bool,
    /// Whether enumeration stopped at the budget (then the readings are incomplete and must not be
    /// trusted).
    pub truncated: bool,
    /// Printed values beyond the row's cell count.
    pub too_many: bool,
    /// Whether some reading (accepted or not) split a digit run.
    pub split: bool,
}

/// Enumerates the readings of `atoms` as `n` cells that satisfy `accept` (the row's own
/// constraints), keeping at most `budget` and visiting at most `budget * 50` search nodes; every
/// node and every completed reading is also spent from the document's shared `work`.
///
/// Empty lines before the first printed value are header layout far more often than blank cells
/// ([`Part::unshown`]): a reading may take them as blanks, but `accept` decides whether a rule
/// judged through one holds (see [`crate::solve::row_ok`]: it does not), and no cell at or after
/// such a blank is agreed in [`Readings::unconstrained`] — its position is a guess. (Without this,
/// a reading that puts a table's numbers after the header's seven empty lines satisfies its rules
/// only because blanks make them unjudgeable, and reports blank cells where numbers were
/// printed.)
pub(crate) fn readings(
    atoms: &[Atom<'_>],
    n: usize,
    budget: usize,
    work: &Work,
    accept: &dyn Fn(&[Part]) -> bool,
) -> Readings {
    let nonempty = atoms.iter().filter(|a| !matches!(a, Atom::Empty(..))).count();
    let mut r = Readings::default();
    if nonempty > n {
        r.too_many = true;
        return r;
    }
    if nonempty == n {
        let parts = atoms
            .iter()
            .filter_map(|a| match a {
                Atom::Num(num, span) => Some(whole(num, *span)),
                Atom::Mark(m, span) => Some(Some(Part::mark(m, *span))),
                Atom::Unreadable(text, span) => Some(Some(Part::unreadable(text, *span))),
                Atom::Empty(..) => None,
            })
            .collect::<Option<Vec<_>>>();
        if let Some(parts) = parts {
            r.total = 1;
            if accept(&parts) {
                r.list.push(parts);
            } else {
                let agree = vec![true; parts.len()];
                r.unconstrained = Some((parts, agree));
            }
        }
        return r;
    }
    // Digits are glued only where separators vanished; when the printed units can be read as the
    // row's cells without splitting any digit run (empty units taken as blanks), that is the
    // reading, and splitting is not considered.
    let mut st = State {
        atoms,
        n,
        budget,
        nodes: 0,
        work,
        accept,
        out: Vec::new(),
        seen: HashSet::new(),
        first: None,
        values_from: atoms
            .iter()
            .find_map(|a| match a {
                Atom::Empty(..) => None,
                Atom::Num(_, s) | Atom::Mark(_, s) | Atom::Unreadable(_, s) => Some(s.start),
            })
            .unwrap_or(u32::MAX),
        total: 0,
        truncated: false,
        split_any: false,
        allow_split: false,
        certain_blanks: true,
        rest: Vec::new(),
        split_seen: false,
    };
    let mut cur = Vec::with_capacity(n);
    // Most faithful first: empty grid cells are blank cells and digit runs are whole; then empty
    // grid cells may be layout; then digit runs may be split.
    for (certain, split) in [(true, false), (false, false), (false, true)] {
        st.certain_blanks = certain;
        st.allow_split = split;
        st.rest = rest_bounds(atoms, certain);
        st.dfs(0, &mut cur, false);
        if st.total > 0 || st.truncated {
            break;
        }
    }
    r.total = st.total;
    r.truncated = st.truncated;
    r.glued = st.split_any && !st.out.is_empty();
    r.split = st.split_seen;
    if st.out.is_empty() {
        r.unconstrained = st.first;
    }
    r.list = st.out;
    r
}

/// A whole digit run as one value (`None` if it is not a valid number).
fn whole(num: &Num, span: Span) -> Option<Part> {
    let mut d = exact(&num.text)?;
    if num.negative {
        d = -d;
    }
    Some(Part {
        annotation: num.annotation.as_ref().map(|(a, _)| a.clone()),
        ..Part::new(Value::Number(d), Some(span))
    })
}

/// The printed digits `s` as a decimal, only when it holds them exactly: a number beyond the
/// decimal's 28–29 significant digits is not a value we can read (never rounded, never wrapped).
pub(crate) fn exact(s: &str) -> Option<Decimal> {
    let d: Decimal = s.parse().ok()?;
    let fraction = s.split_once('.').map_or(0, |(_, f)| f.len());
    (d.scale() as usize == fraction).then_some(d)
}

struct State<'a, 'b> {
    atoms: &'b [Atom<'a>],
    n: usize,
    budget: usize,
    nodes: usize,
    work: &'b Work,
    accept: &'b dyn Fn(&[Part]) -> bool,
    out: Vec<Vec<Part>>,
    seen: HashSet<Vec<Value>>,
    /// The first reading and per-cell agreement of all readings, accepted or not.
    first: Option<(Vec<Part>, Vec<bool>)>,
    /// Where the first printed value starts: empty units before it are header layout.
    values_from: u32,
    /// Whether some complete reading split a digit run.
    split_seen: bool,
    total: usize,
    truncated: bool,
    split_any: bool,
    allow_split: bool,
    certain_blanks: bool,
    /// For each atom index `i`, the fewest and most cells atoms `i..` can yield.
    rest: Vec<(usize, usize)>,
}

/// For each `i` (and `atoms.len()`), the fewest and most cells `atoms[i..]` can yield: an empty
/// unit yields none or one (exactly one when it is a certain blank), a digit run up to its
/// capacity.
fn rest_bounds(atoms: &[Atom<'_>], certain_blanks: bool) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = vec![(0, 0); atoms.len() + 1];
    for (i, a) in atoms.iter().enumerate().rev() {
        let (lo, hi) = match a {
            Atom::Empty(_, certain) => (usize::from(*certain && certain_blanks), 1),
            Atom::Num(num, _) => (1, capacity(num)),
            _ => (1, 1),
        };
        out[i] = (out[i + 1].0 + lo, out[i + 1].1.saturating_add(hi));
    }
    out
}

/// Longest printed value a split may produce, in characters (a count of a billion has 10 digits;
/// an amount such as `24252.311082` has 12 characters).
const MAX_PART: usize = 12;

/// Fewest values a digit run must hold when split.
fn min_parts(num: &Num) -> usize {
    num.text.len().div_ceil(MAX_PART).max(1)
}

/// Most values a digit run can hold.
fn capacity(num: &Num) -> usize {
    num.text
        .chars()
        .filter(char::is_ascii_digit)
        .count()
        .saturating_sub(usize::from(num.text.contains('.')))
}

impl State<'_, '_> {
    /// Counts one search node; `false` (and the readings truncated) when a budget is spent.
    fn tick(&mut self) -> bool {
        self.nodes += 1;
        if self.nodes > self.budget.saturating_mul(50) || !self.work.spend(1) {
            self.truncated = true;
        }
        !self.truncated
    }

    fn dfs(&mut self, i: usize, cur: &mut Vec<Part>, split: bool) {
        if self.truncated {
            return;
        }
        if !self.tick() {
            return;
        }
        let need = self.n - cur.len();
        if i == self.atoms.len() {
            if need == 0 {
                self.complete(cur, split);
            }
            return;
        }
        // Bounds over the remaining atoms.
        let (rest_min, rest_max) = self.rest[i + 1];
        match &self.atoms[i] {
            Atom::Empty(span, certain) => {
                // As spacing (an empty grid cell only when that reading fails).
                if !(*certain && self.certain_blanks) && need >= rest_min && need <= rest_max {
                    self.dfs(i + 1, cur, split);
                }
                // As a blank cell.
                if need > rest_min && need - 1 <= rest_max {
                    let shown = *certain || span.start >= self.values_from;
                    cur.push(Part::blank(*span, shown));
                    self.dfs(i + 1, cur, split);
                    cur.pop();
                }
            }
            Atom::Mark(..) | Atom::Unreadable(..) => {
                if need > rest_min && need - 1 <= rest_max {
                    cur.push(match &self.atoms[i] {
                        Atom::Mark(m, span) => Part::mark(m, *span),
                        Atom::Unreadable(t, span) => Part::unreadable(t, *span),
                        _ => return,
                    });
                    self.dfs(i + 1, cur, split);
                    cur.pop();
                }
            }
            Atom::Num(num, span) => {
                let cap = if self.allow_split { capacity(num) } else { 1 };
                let lo = need.saturating_sub(rest_max).max(1).max(min_parts(num));
                let hi = need.saturating_sub(rest_min).min(cap);
                for k in lo..=hi {
                    if k == 1 {
                        if let Some(p) = whole(num, *span) {
                            cur.push(p);
                            self.dfs(i + 1, cur, split);
                            cur.pop();
                        }
                    } else {
                        self.split_run(num, 0, k, cur, i);
                    }
                    if self.truncated {
                        return;
                    }
                }
            }
        }
    }

    fn complete(&mut self, cur: &[Part], split: bool) {
        let (first, agree) =
            self.first.get_or_insert_with(|| (cur.to_vec(), vec![true; cur.len()]));
        for (a, (f, c)) in agree.iter_mut().zip(first.iter().zip(cur)) {
            *a &= f.value == c.value;
        }
        // At and behind a blank the source does not show, every cell is a guess.
        if let Some(at) = cur.iter().position(|p| p.unshown) {
            for a in agree.iter_mut().skip(at) {
                *a = false;
            }
        }
        self.total += 1;
        self.split_seen |= split;
        if !self.work.spend(cur.len() as u64) {
            self.truncated = true;
            return;
        }
        if !(self.accept)(cur) {
            return;
        }
        let values: Vec<Value> = cur.iter().map(|p| p.value.clone()).collect();
        if self.seen.insert(values) {
            if self.out.len() >= self.budget {
                self.truncated = true;
                return;
            }
            self.out.push(cur.to_vec());
        }
        if split {
            self.split_any = true;
        }
    }

    /// Splits `num.text[from..]` into `k` more parts, then continues with atom `i + 1`.
    fn split_run(&mut self, num: &Num, from: usize, k: usize, cur: &mut Vec<Part>, i: usize) {
        let text = num.text.as_bytes();
        let len = text.len();
        if k == 1 {
            if let Some(p) = part(num, from, len) {
                let mut p = p;
                p.annotation = num.annotation.as_ref().map(|(a, _)| a.clone());
                cur.push(p);
                self.dfs(i + 1, cur, true);
                cur.pop();
            }
            return;
        }
        // The remaining parts cannot hold more than MAX_PART characters each.
        if len - from > k * MAX_PART {
            return;
        }
        for end in from + 1..len.min(from + MAX_PART + 1) {
            if self.truncated {
                return;
            }
            if !self.tick() {
                return;
            }
            // Parts after this one need at least one digit each.
            if len - end < k - 1 {
                break;
            }
            if let Some(p) = part(num, from, end) {
                cur.push(p);
                self.split_run(num, end, k - 1, cur, i);
                cur.pop();
            }
        }
    }
}

/// `num.text[from..to]` as a value, if it is a valid printed number: no leading zero unless it is
/// `0` or `0.x`, a decimal point with digits on both sides, not starting or ending with `.`.
fn part(num: &Num, from: usize, to: usize) -> Option<Part> {
    let s = num.text.get(from..to)?;
    if s.is_empty() || s.starts_with('.') || s.ends_with('.') {
        return None;
    }
    let int = s.split('.').next().unwrap_or(s);
    if int.len() > 1 && int.starts_with('0') {
        return None;
    }
    // A split part must not take a `.` that belongs to no number on both sides of the cut.
    if from > 0 && num.text.as_bytes().get(from - 1) == Some(&b'.') {
        return None;
    }
    if num.text.as_bytes().get(to) == Some(&b'.') {
        return None;
    }
    let mut d = exact(s)?;
    // A printed minus belongs to the first number of the run (`offs[0]` is the sign's offset).
    if num.negative && from == 0 {
        d = -d;
    }
    Some(Part::new(Value::Number(d), Some(Span::new(num.offs[from], num.offs[to]))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Num {
        let offs = (0..=text.len()).map(|i| u32::try_from(i).unwrap_or(0)).collect();
        Num { text: text.to_owned(), offs, negative: false, annotation: None }
    }

    fn show(r: &Readings) -> Vec<String> {
        r.list
            .iter()
            .map(|c| c.iter().map(|p| p.value.tsv()).collect::<Vec<_>>().join("|"))
            .collect()
    }

    #[test]
    fn exact_counts_need_no_split() {
        let a = num("12");
        let b = num("3");
        let r = readings(
            &[
                Atom::Num(&a, Span::new(0, 2)),
                Atom::Empty(Span::new(3, 3), false),
                Atom::Num(&b, Span::new(4, 5)),
            ],
            2,
            100,
            &Work::default(),
            &|_| true,
        );
        assert_eq!(show(&r), ["12|3"]);
        assert!(!r.glued);
    }

    #[test]
    fn glued_runs_are_enumerated_without_leading_zeros() {
        let a = num("000");
        let r = readings(&[Atom::Num(&a, Span::new(0, 3))], 3, 100, &Work::default(), &|_| true);
        assert_eq!(show(&r), ["0|0|0"]);
        assert!(r.glued);
        let a = num("693665");
        let r = readings(&[Atom::Num(&a, Span::new(0, 6))], 3, 100, &Work::default(), &|_| true);
        assert_eq!(r.list.len(), 10);
        assert!(show(&r).contains(&"69|3|665".to_owned()));
        let a = num("10203");
        let r = readings(&[Atom::Num(&a, Span::new(0, 5))], 5, 100, &Work::default(), &|_| true);
        assert_eq!(show(&r), ["1|0|2|0|3"]);
    }

    #[test]
    fn empties_may_be_blanks() {
        let a = num("5");
        let r = readings(
            &[Atom::Empty(Span::new(0, 0), false), Atom::Num(&a, Span::new(1, 2))],
            2,
            100,
            &Work::default(),
            &|_| true,
        );
        assert_eq!(show(&r), ["|5"]);
        let r = readings(
            &[
                Atom::Empty(Span::new(0, 0), false),
                Atom::Num(&a, Span::new(1, 2)),
                Atom::Empty(Span::new(3, 3), false),
            ],
            2,
            100,
            &Work::default(),
            &|_| true,
        );
        assert_eq!(show(&r), ["5|", "|5"]);
        // The empty line before the first value is not shown as a cell.
        assert!(r.list[1][0].unshown && !r.list[0][1].unshown);
    }

    #[test]
    fn numbers_beyond_the_decimal_range_are_not_values() {
        let n = num("1234567890123456789012345678");
        assert!(whole(&n, Span::new(0, 28)).is_some());
        let n = num("12345678901234567890123456789012");
        assert!(whole(&n, Span::new(0, 32)).is_none());
        // A fraction the decimal would round is not read either.
        let n = num("1234567890123456789012345.1234567");
        assert!(whole(&n, Span::new(0, 33)).is_none());
    }

    #[test]
    fn decimals_split_only_between_numbers() {
        let a = num("12.53");
        let r = readings(&[Atom::Num(&a, Span::new(0, 5))], 2, 100, &Work::default(), &|_| true);
        assert_eq!(show(&r), ["1|2.53", "12.5|3"]);
    }

    #[test]
    fn too_many_and_budget() {
        let a = num("1");
        let r = readings(
            &[Atom::Num(&a, Span::new(0, 1)), Atom::Num(&a, Span::new(2, 3))],
            1,
            100,
            &Work::default(),
            &|_| true,
        );
        assert!(r.too_many);
        let long = num("123456789123456789");
        let r = readings(&[Atom::Num(&long, Span::new(0, 18))], 7, 50, &Work::default(), &|_| true);
        assert!(r.truncated);
    }
}
