//! Candidate readings of one row: which printed tokens are which cells.
//!
//! A row's printed material is a list of [`Atom`]s (numbers, marks, empty cells). When there are as
//! many as the row has cells, there is one reading. When there are fewer, some digit runs were
//! printed glued together (`713000074` for 71|3|0|0|0|0|74) or some empty units are blank cells:
//! every way of splitting the runs into valid numbers (no leading zeros) and of taking empty units
//! as blanks that yields exactly the row's cell count is a candidate. The rules later choose among
//! candidates; this module never chooses.

use gongkai_model::{Decimal, Span, Value};

use crate::lex::Num;

/// One printed item of a row.
#[derive(Clone, Debug)]
pub(crate) enum Atom<'a> {
    /// A digit run (possibly several glued values).
    Num(&'a Num, Span),
    /// A not-applicable mark.
    Mark(String, Span),
    /// An empty unit: a blank cell, or layout spacing.
    Empty(Span),
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
}

/// The candidate readings of a row.
#[derive(Clone, Debug, Default)]
pub(crate) struct Readings {
    /// Distinct readings (by value), each with exactly the row's cell count.
    pub list: Vec<Vec<Part>>,
    /// Whether some digit run had to be split (the row was printed glued).
    pub glued: bool,
    /// Whether enumeration stopped at the budget (then `list` is incomplete and must not be trusted).
    pub truncated: bool,
    /// Printed values beyond the row's cell count.
    pub too_many: bool,
}

/// Enumerates the readings of `atoms` as `n` cells, stopping after `budget` readings.
pub(crate) fn readings(atoms: &[Atom<'_>], n: usize, budget: usize) -> Readings {
    let nonempty = atoms.iter().filter(|a| !matches!(a, Atom::Empty(_))).count();
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
                Atom::Mark(m, span) => Some(Some(Part {
                    value: Value::NotApplicable(m.clone()),
                    span: Some(*span),
                    annotation: None,
                })),
                Atom::Empty(_) => None,
            })
            .collect::<Option<Vec<_>>>();
        if let Some(parts) = parts {
            r.list.push(parts);
        }
        return r;
    }
    let mut st = State {
        atoms,
        n,
        budget,
        out: Vec::new(),
        seen: Vec::new(),
        truncated: false,
        split_any: false,
    };
    let mut cur = Vec::with_capacity(n);
    st.dfs(0, &mut cur, false);
    r.list = st.out;
    r.truncated = st.truncated;
    r.glued = st.split_any;
    r
}

/// A whole digit run as one value (`None` if it is not a valid number).
fn whole(num: &Num, span: Span) -> Option<Part> {
    let mut d: Decimal = num.text.parse().ok()?;
    if num.negative {
        d = -d;
    }
    Some(Part {
        value: Value::Number(d),
        span: Some(span),
        annotation: num.annotation.as_ref().map(|(a, _)| a.clone()),
    })
}

struct State<'a, 'b> {
    atoms: &'b [Atom<'a>],
    n: usize,
    budget: usize,
    out: Vec<Vec<Part>>,
    seen: Vec<Vec<Value>>,
    truncated: bool,
    split_any: bool,
}

/// Most values a digit run can hold.
fn capacity(num: &Num) -> usize {
    if num.negative {
        1
    } else {
        num.text.chars().filter(char::is_ascii_digit).count() - usize::from(num.text.contains('.'))
    }
}

impl State<'_, '_> {
    fn dfs(&mut self, i: usize, cur: &mut Vec<Part>, split: bool) {
        if self.truncated {
            return;
        }
        let need = self.n - cur.len();
        if i == self.atoms.len() {
            if need == 0 {
                let values: Vec<Value> = cur.iter().map(|p| p.value.clone()).collect();
                if !self.seen.contains(&values) {
                    if self.out.len() >= self.budget {
                        self.truncated = true;
                        return;
                    }
                    self.seen.push(values);
                    self.out.push(cur.clone());
                }
                if split {
                    self.split_any = true;
                }
            }
            return;
        }
        // Bounds over the remaining atoms.
        let rest = &self.atoms[i + 1..];
        let rest_min = rest.iter().filter(|a| !matches!(a, Atom::Empty(_))).count();
        let rest_max: usize = rest
            .iter()
            .map(|a| match a {
                Atom::Num(num, _) => capacity(num),
                _ => 1,
            })
            .sum();
        match &self.atoms[i] {
            Atom::Empty(span) => {
                // As spacing.
                if need >= rest_min && need <= rest_max {
                    self.dfs(i + 1, cur, split);
                }
                // As a blank cell.
                if need > rest_min && need - 1 <= rest_max {
                    cur.push(Part { value: Value::Blank, span: Some(*span), annotation: None });
                    self.dfs(i + 1, cur, split);
                    cur.pop();
                }
            }
            Atom::Mark(m, span) => {
                if need > rest_min && need - 1 <= rest_max {
                    cur.push(Part {
                        value: Value::NotApplicable(m.clone()),
                        span: Some(*span),
                        annotation: None,
                    });
                    self.dfs(i + 1, cur, split);
                    cur.pop();
                }
            }
            Atom::Num(num, span) => {
                let cap = capacity(num);
                let lo = need.saturating_sub(rest_max).max(1);
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
        for end in from + 1..len {
            if self.truncated {
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
    let d: Decimal = s.parse().ok()?;
    Some(Part {
        value: Value::Number(d),
        span: Some(Span::new(num.offs[from], num.offs[to])),
        annotation: None,
    })
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
                Atom::Empty(Span::new(3, 3)),
                Atom::Num(&b, Span::new(4, 5)),
            ],
            2,
            100,
        );
        assert_eq!(show(&r), ["12|3"]);
        assert!(!r.glued);
    }

    #[test]
    fn glued_runs_are_enumerated_without_leading_zeros() {
        let a = num("000");
        let r = readings(&[Atom::Num(&a, Span::new(0, 3))], 3, 100);
        assert_eq!(show(&r), ["0|0|0"]);
        assert!(r.glued);
        let a = num("693665");
        let r = readings(&[Atom::Num(&a, Span::new(0, 6))], 3, 100);
        assert_eq!(r.list.len(), 10);
        assert!(show(&r).contains(&"69|3|665".to_owned()));
        let a = num("10203");
        let r = readings(&[Atom::Num(&a, Span::new(0, 5))], 5, 100);
        assert_eq!(show(&r), ["1|0|2|0|3"]);
    }

    #[test]
    fn empties_may_be_blanks() {
        let a = num("5");
        let r = readings(&[Atom::Empty(Span::new(0, 0)), Atom::Num(&a, Span::new(1, 2))], 2, 100);
        assert_eq!(show(&r), ["|5"]);
        let r = readings(
            &[
                Atom::Empty(Span::new(0, 0)),
                Atom::Num(&a, Span::new(1, 2)),
                Atom::Empty(Span::new(3, 3)),
            ],
            2,
            100,
        );
        assert_eq!(show(&r), ["5|", "|5"]);
    }

    #[test]
    fn decimals_split_only_between_numbers() {
        let a = num("12.53");
        let r = readings(&[Atom::Num(&a, Span::new(0, 5))], 2, 100);
        assert_eq!(show(&r), ["1|2.53", "12.5|3"]);
    }

    #[test]
    fn too_many_and_budget() {
        let a = num("1");
        let r = readings(&[Atom::Num(&a, Span::new(0, 1)), Atom::Num(&a, Span::new(2, 3))], 1, 100);
        assert!(r.too_many);
        let long = num("123456789123456789");
        let r = readings(&[Atom::Num(&long, Span::new(0, 18))], 7, 50);
        assert!(r.truncated);
    }
}
