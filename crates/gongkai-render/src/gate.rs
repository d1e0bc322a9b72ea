//! The gate: a report that breaks an error-level rule is not written, unless the caller allows it;
//! then the output carries a visible notice listing the errors.
//!
//! The findings come from the caller (the CLI runs `gongkai_rules::check`), so this crate does
//! not depend on the rules.

use gongkai_model::{Finding, Lang, Localized, Msg, Severity};

/// Whether to write a report that has error-level findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorPolicy {
    /// Refuse (the default).
    Refuse,
    /// Write it, with a visible notice.
    AllowWithNotice,
}

/// The error-level findings of a report that was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub struct GateError {
    /// The error-level findings.
    pub findings: Vec<Finding>,
}

impl Localized for GateError {
    fn words(&self) -> (Msg, Option<String>) {
        let mut rules: Vec<&str> = self.findings.iter().map(|f| f.rule).collect();
        rules.dedup();
        let n = self.findings.len();
        let text = Msg::new(
            format!("报告未通过校验：{n} 项错误（{}）", rules.join("、")),
            format!("the report fails the checks: {n} error(s) ({})", rules.join(", ")),
        );
        (text, None)
    }
}

/// The notice printed at the top of a report written despite errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The heading line.
    pub title: String,
    /// One line per error.
    pub lines: Vec<String>,
}

/// Applies the gate to `findings`: `Ok(None)` when there is no error, `Ok(Some(notice))` when
/// errors are allowed, `Err` with the errors otherwise.
pub fn gate(findings: &[Finding], policy: ErrorPolicy) -> Result<Option<Notice>, GateError> {
    let errors: Vec<Finding> =
        findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    if errors.is_empty() {
        return Ok(None);
    }
    match policy {
        ErrorPolicy::Refuse => Err(GateError { findings: errors }),
        ErrorPolicy::AllowWithNotice => Ok(Some(Notice {
            title: format!("注意：本报告未通过校验，存在{}项错误，请核实后再发布。", errors.len()),
            lines: errors.iter().map(|f| line(f, Lang::Zh)).collect(),
        })),
    }
}

/// One finding as a line of text: `[RULE] message（cells）`.
pub fn line(f: &Finding, lang: Lang) -> String {
    let cells: Vec<String> = f.cells.iter().map(ToString::to_string).collect();
    if cells.is_empty() {
        format!("[{}] {}", f.rule, f.message.get(lang))
    } else {
        format!("[{}] {}（{}）", f.rule, f.message.get(lang), cells.join("，"))
    }
}

#[cfg(test)]
mod tests {
    use gongkai_model::FindingKind;

    use super::*;

    #[test]
    fn the_gate_error_is_said_in_one_language() {
        let e = GateError {
            findings: vec![Finding::new(
                "T3-BALANCE",
                Severity::Error,
                FindingKind::Source,
                Msg::new("不平衡", "unbalanced"),
            )],
        };
        assert_eq!(e.message(Lang::Zh), "报告未通过校验：1 项错误（T3-BALANCE）");
        gongkai_testkit::lang::assert_english(&e.message(Lang::En));
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
        assert_eq!(gate(std::slice::from_ref(&warn), ErrorPolicy::Refuse), Ok(None));
        let e = gate(&[warn.clone(), err.clone()], ErrorPolicy::Refuse).unwrap_err();
        assert_eq!(e.findings, vec![err.clone()]);
        assert_eq!(e.message(Lang::Zh), "报告未通过校验：1 项错误（T3-BALANCE）");
        let n = gate(&[warn, err], ErrorPolicy::AllowWithNotice).ok().flatten().map(|n| n.lines);
        assert_eq!(n, Some(vec!["[T3-BALANCE] 不平衡".to_owned()]));
    }
}
