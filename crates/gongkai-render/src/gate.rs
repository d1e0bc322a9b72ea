//! The gate: a report that breaks an error-level rule, or has cells whose value could not be
//! determined (`?`), is not written unless the caller allows it; then the output carries a visible
//! notice listing the errors and the undetermined cells. An official table never shows a `?`
//! that nobody agreed to.
//!
//! The findings come from the caller (the CLI runs `gongkai_rules::check`), so this crate does
//! not depend on the rules.

use gongkai_model::{CellKey, Finding, Lang, Localized, Msg, Report, Severity, Value};

/// Whether to write a report that has error-level findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorPolicy {
    /// Refuse (the default).
    Refuse,
    /// Write it, with a visible notice.
    AllowWithNotice,
}

/// Why a report was refused: its error-level findings and its undetermined cells.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub struct GateError {
    /// The error-level findings.
    pub findings: Vec<Finding>,
    /// The cells whose value is undetermined (`?`), in table order.
    pub unknown: Vec<CellKey>,
}

impl Localized for GateError {
    fn words(&self) -> (Msg, Option<String>) {
        let mut rules: Vec<&str> = self.findings.iter().map(|f| f.rule).collect();
        rules.dedup();
        let n = self.findings.len();
        let mut zh = Vec::new();
        let mut en = Vec::new();
        if n > 0 {
            zh.push(format!("{n} 项错误（{}）", rules.join("、")));
            en.push(format!("{n} error(s) ({})", rules.join(", ")));
        }
        if !self.unknown.is_empty() {
            let u = unknown_line(&self.unknown, Lang::Zh);
            zh.push(u);
            en.push(unknown_line(&self.unknown, Lang::En));
        }
        let text = Msg::new(
            format!("报告未通过校验：{}", zh.join("；")),
            format!("the report fails the checks: {}", en.join("; ")),
        );
        (text, None)
    }
}

/// Most undetermined cells named in one line.
const MAX_NAMED: usize = 12;

/// `M 个单元格无法确定（?）：t3…，…`.
fn unknown_line(keys: &[CellKey], lang: Lang) -> String {
    let named: Vec<String> = keys.iter().take(MAX_NAMED).map(ToString::to_string).collect();
    let n = keys.len();
    match lang {
        Lang::Zh => {
            let more = if n > MAX_NAMED { format!("等 {n} 个") } else { String::new() };
            format!("{n} 个单元格无法确定（?）：{}{more}", named.join("，"))
        }
        Lang::En => {
            let more =
                if n > MAX_NAMED { format!(" and {} more", n - MAX_NAMED) } else { String::new() };
            format!("{n} undetermined cell(s) (?): {}{more}", named.join(", "))
        }
    }
}

/// The cells of `report` whose value is undetermined (`?`).
pub fn unknown_cells(report: &Report) -> Vec<CellKey> {
    report.cells().filter(|c| matches!(c.value, Value::Unknown)).map(|c| c.key).collect()
}

/// The notice printed at the top of a report written despite errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The heading line.
    pub title: String,
    /// One line per error.
    pub lines: Vec<String>,
}

/// Applies the gate to `report` and its `findings`: `Ok(None)` when there is no error and no
/// undetermined cell, `Ok(Some(notice))` when they are allowed, `Err` naming them otherwise.
pub fn gate(
    report: &Report,
    findings: &[Finding],
    policy: ErrorPolicy,
) -> Result<Option<Notice>, GateError> {
    let errors: Vec<Finding> =
        findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    let unknown = unknown_cells(report);
    if errors.is_empty() && unknown.is_empty() {
        return Ok(None);
    }
    match policy {
        ErrorPolicy::Refuse => Err(GateError { findings: errors, unknown }),
        ErrorPolicy::AllowWithNotice => {
            let mut what = Vec::new();
            if !errors.is_empty() {
                what.push(format!("存在{}项错误", errors.len()));
            }
            if !unknown.is_empty() {
                what.push(format!("有{}个单元格的数值无法确定（表中印为“?”）", unknown.len()));
            }
            let mut lines: Vec<String> = errors.iter().map(|f| line(f, Lang::Zh)).collect();
            if !unknown.is_empty() {
                lines.push(format!("[?] {}", unknown_line(&unknown, Lang::Zh)));
            }
            Ok(Some(Notice {
                title: format!("注意：本报告未通过校验，{}，请核实后再发布。", what.join("，")),
                lines,
            }))
        }
    }
}

/// One finding as a line of text: `[RULE] message（cells）`.
pub fn line(f: &Finding, lang: Lang) -> String {
    let cells: Vec<String> = f.cells.iter().map(ToString::to_string).collect();
    if cells.is_empty() {
        format!("[{}] {}", f.rule, f.message.get(lang))
    } else {
        match lang {
            Lang::Zh => format!("[{}] {}（{}）", f.rule, f.message.get(lang), cells.join("，")),
            Lang::En => format!("[{}] {} ({})", f.rule, f.message.get(lang), cells.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use gongkai_model::{FindingKind, Layout, T3Col, T3Row, Table, TableId};

    use super::*;

    fn report() -> Report {
        let mut r = Report::default();
        for (id, t) in
            [(TableId::T2, &mut r.t2), (TableId::T3, &mut r.t3), (TableId::T4, &mut r.t4)]
        {
            *t = Some(Table::filled(id, Layout::Format2021, |_| Value::int(0)));
        }
        r
    }

    #[test]
    fn the_gate_error_is_said_in_one_language() {
        let e = GateError {
            findings: vec![Finding::new(
                "T3-BALANCE",
                Severity::Error,
                FindingKind::Source,
                Msg::new("不平衡", "unbalanced"),
            )],
            unknown: vec![CellKey::t3(T3Row::Granted, T3Col::Total)],
        };
        assert_eq!(
            e.message(Lang::Zh),
            "报告未通过校验：1 项错误（T3-BALANCE）；1 个单元格无法确定（?）：t3.granted.total"
        );
        gongkai_testkit::lang::assert_english(&e.message(Lang::En));
    }

    #[test]
    fn undetermined_cells_need_consent_and_a_notice() {
        let mut r = report();
        assert_eq!(gate(&r, &[], ErrorPolicy::Refuse), Ok(None));
        let key = CellKey::t3(T3Row::Granted, T3Col::Total);
        if let Some(t) = r.t3.as_mut() {
            t.set(key, Value::Unknown);
        }
        let e = gate(&r, &[], ErrorPolicy::Refuse).unwrap_err();
        assert_eq!((e.findings.len(), e.unknown.as_slice()), (0, &[key][..]));
        let n = gate(&r, &[], ErrorPolicy::AllowWithNotice).ok().flatten().unwrap();
        assert!(n.title.contains("1个单元格的数值无法确定"), "{}", n.title);
        assert_eq!(n.lines, ["[?] 1 个单元格无法确定（?）：t3.granted.total"]);
    }

    #[test]
    fn errors_refuse_or_give_a_notice() {
        let warn = Finding::new(
            "T2-FEE-MAGNITUDE",
            Severity::Warning,
            FindingKind::Source,
            Msg::new("w", "w"),
        );
        let err = Finding::new(
            "T3-BALANCE",
            Severity::Error,
            FindingKind::Source,
            Msg::new("不平衡", "unbalanced"),
        );
        let r = report();
        assert_eq!(gate(&r, std::slice::from_ref(&warn), ErrorPolicy::Refuse), Ok(None));
        let e = gate(&r, &[warn.clone(), err.clone()], ErrorPolicy::Refuse).unwrap_err();
        assert_eq!(e.findings, vec![err.clone()]);
        assert_eq!(e.message(Lang::Zh), "报告未通过校验：1 项错误（T3-BALANCE）");
        let n =
            gate(&r, &[warn, err], ErrorPolicy::AllowWithNotice).ok().flatten().map(|n| n.lines);
        assert_eq!(n, Some(vec!["[T3-BALANCE] 不平衡".to_owned()]));
    }
}
