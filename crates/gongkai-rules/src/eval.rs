//! Evaluating sums of cells for the arithmetic rules.

use gongkai_model::{CellKey, Decimal, Report, Span, Value};

/// An operand that is not a number.
#[derive(Clone, Debug)]
pub(crate) struct NotNumber {
    /// The cell.
    pub key: CellKey,
    /// Why: blank, not applicable or undetermined.
    pub value: Value,
}

/// The sum of `keys`, or the cells that stop it from being computed. `None` when a key's table is
/// absent or does not have the cell (the rule does not apply). A number too large to compute with
/// ([`Value::operand`]; `CELL-INTEGER` reports it) stops the sum like a blank does; the addition is
/// checked all the same.
pub(crate) fn sum(report: &Report, keys: &[CellKey]) -> Option<Result<Decimal, Vec<NotNumber>>> {
    let mut total = Some(Decimal::ZERO);
    let mut bad = Vec::new();
    for &k in keys {
        let cell = report.cell(k)?;
        match cell.value.operand() {
            Some(d) => total = total.and_then(|t| t.checked_add(d)),
            None => bad.push(NotNumber { key: k, value: cell.value.clone() }),
        }
    }
    let Some(total) = total else {
        return Some(Err(keys
            .iter()
            .map(|&k| NotNumber { key: k, value: Value::Unknown })
            .collect()));
    };
    Some(if bad.is_empty() { Ok(total) } else { Err(bad) })
}

/// The sum of `keys` when every cell is a number and the sum is in range.
pub(crate) fn checked_sum(report: &Report, keys: &[CellKey]) -> Option<Decimal> {
    sum(report, keys)?.ok()
}

/// Checks `Σ lhs = Σ rhs`. Returns the two sums when both are computable and differ; records an
/// undetermined check in `und` when an operand is not a number; `None` otherwise (including when
/// the report's layout lacks a cell, so the check does not apply).
pub(crate) fn unequal(
    report: &Report,
    lhs: &[CellKey],
    rhs: &[CellKey],
    und: &mut Undetermined,
) -> Option<(Decimal, Decimal)> {
    match (sum(report, lhs)?, sum(report, rhs)?) {
        (Ok(a), Ok(b)) => (a != b).then_some((a, b)),
        (a, b) => {
            let bad: Vec<NotNumber> = a.err().into_iter().chain(b.err()).flatten().collect();
            und.add(&bad);
            None
        }
    }
}

/// The span of a cell, if it was read from a document.
pub(crate) fn span(report: &Report, key: CellKey) -> Option<Span> {
    report.cell(key).and_then(|c| c.span)
}

/// A finding that a printed total disagrees with the sum of its parts: names the total and the
/// parts (the total first), carries the printed total `t` and the implied sum `s`, and underlines
/// the total and every non-zero part.
pub(crate) fn total_mismatch(
    info: &'static crate::RuleInfo,
    message: gongkai_model::Msg,
    report: &Report,
    total: CellKey,
    parts: &[CellKey],
    (t, s): (Decimal, Decimal),
) -> gongkai_model::Finding {
    use gongkai_model::Msg;
    let mut f = crate::finding(info, message)
        .with_cells(std::iter::once(total).chain(parts.iter().copied()))
        .with_values(Some(t), Some(s))
        .with_label(
            span(report, total),
            Msg::new(format!("总计 {}", show(t)), format!("total {}", show(t))),
        );
    for &k in parts {
        if report.operand(k).is_some_and(|d| !d.is_zero()) {
            f = f.with_label(span(report, k), Msg::new("", ""));
        }
    }
    f
}

/// Collects the operands that made checks undetermined, for one summary finding per rule.
#[derive(Default)]
pub(crate) struct Undetermined {
    cells: Vec<CellKey>,
    unknown: bool,
    checks: usize,
}

impl Undetermined {
    /// Records one undetermined check.
    pub(crate) fn add(&mut self, bad: &[NotNumber]) {
        self.checks += 1;
        for b in bad {
            if !self.cells.contains(&b.key) {
                self.cells.push(b.key);
            }
            if b.value == Value::Unknown {
                self.unknown = true;
            }
        }
    }

    /// The summary finding, if any check was undetermined.
    pub(crate) fn finding(self, info: &'static crate::RuleInfo) -> Option<gongkai_model::Finding> {
        if self.checks == 0 {
            return None;
        }
        let shown: Vec<String> = self.cells.iter().take(6).map(ToString::to_string).collect();
        let more = if self.cells.len() > 6 {
            format!(" 等 {} 个", self.cells.len())
        } else {
            String::new()
        };
        let more_en = if self.cells.len() > 6 {
            format!(" and {} more", self.cells.len() - 6)
        } else {
            String::new()
        };
        let kind = if self.unknown {
            gongkai_model::FindingKind::Extraction
        } else {
            gongkai_model::FindingKind::Source
        };
        let mut f = gongkai_model::Finding::new(
            info.id,
            gongkai_model::Severity::Info,
            kind,
            gongkai_model::Msg::new(
                format!(
                    "{} 项检查无法判定：单元格为空白、“/”或无法确定（{}{more}）",
                    self.checks,
                    shown.join("、")
                ),
                format!(
                    "{} check(s) undetermined: blank, not-applicable or undetermined cells ({}{more_en})",
                    self.checks,
                    shown.join(", ")
                ),
            ),
        );
        f.cells = self.cells;
        Some(f)
    }
}

/// Formats a value for a message.
pub(crate) fn show(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Formats `a − b` for a message; a difference beyond the decimal range is shown as `a − b`.
pub(crate) fn show_diff(a: Decimal, b: Decimal) -> String {
    a.checked_sub(b).map_or_else(|| format!("{} − {}", show(a), show(b)), show)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::consistent;
    use gongkai_model::{CellKey, Decimal, T3Col, T3Row, T4Block, T4Col, Value};

    #[test]
    fn sums_beyond_the_decimal_range_are_undetermined_not_a_panic() {
        let mut r = consistent();
        let huge = Value::Number(Decimal::MAX);
        if let Some(t) = r.t3.as_mut() {
            t.set(CellKey::t3(T3Row::Granted, T3Col::NaturalPerson), huge.clone());
            t.set(CellKey::t3(T3Row::Granted, T3Col::Commercial), huge.clone());
            t.set(CellKey::t3(T3Row::NewReceived, T3Col::Total), huge.clone());
        }
        if let Some(t) = r.t4.as_mut() {
            t.set(CellKey::t4(T4Block::Review, T4Col::Upheld), huge.clone());
            t.set(CellKey::t4(T4Block::Review, T4Col::Other), huge);
        }
        let findings = crate::check(&r);
        // The overflowing row total is undetermined (information), not an error or a panic.
        assert!(
            findings
                .iter()
                .any(|f| f.rule == "T3-ROW-TOTAL" && f.severity == gongkai_model::Severity::Info)
        );
    }
}
