//! Findings: what a rule or a reader reports about a report.
//!
//! Findings are data, never errors: reading and checking always finish and return every finding.

use rust_decimal::Decimal;

use crate::keys::CellKey;
use crate::span::Span;

/// The language of user-facing text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Parses `zh` / `en` (and `zh-CN`, `en-US`, …).
    pub fn from_tag(s: &str) -> Option<Self> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A user-facing message in Chinese and English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

impl Msg {
    /// A message in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Msg { zh: zh.into(), en: en.into() }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// For information (layout detected, undetermined checks).
    Info,
    /// Probably wrong; a person should look.
    Warning,
    /// Certainly wrong: a 勾稽关系 or a value constraint is violated.
    Error,
}

impl Severity {
    /// `error` / `warning` / `info`.
    pub const fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }

    /// Parses [`Severity::key`].
    pub fn from_key(s: &str) -> Option<Self> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Whose doubt a finding expresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// The agency printed numbers or text that disagree (or left cells blank).
    Source,
    /// The reader is unsure what was printed.
    Extraction,
}

impl FindingKind {
    /// `source` / `extraction`.
    pub const fn key(self) -> &'static str {
        match self {
            FindingKind::Source => "source",
            FindingKind::Extraction => "extraction",
        }
    }
}

/// A place a finding points at, with a short note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there (may be empty).
    pub note: Msg,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable id (`T3-BALANCE`).
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Source inconsistency or extraction doubt.
    pub kind: FindingKind,
    /// What is wrong, in both languages.
    pub message: Msg,
    /// The cells involved, the suspect ones first.
    pub cells: Vec<CellKey>,
    /// Where to look: the first label is the primary location.
    pub labels: Vec<Label>,
    /// The value printed, when the finding is about one value.
    pub printed: Option<Decimal>,
    /// The value the arithmetic implies, when there is one.
    pub implied: Option<Decimal>,
    /// How to fix it or what to check.
    pub help: Option<Msg>,
}

impl Finding {
    /// A finding with a message and nothing else.
    pub fn new(rule: &'static str, severity: Severity, kind: FindingKind, message: Msg) -> Self {
        Finding {
            rule,
            severity,
            kind,
            message,
            cells: Vec::new(),
            labels: Vec::new(),
            printed: None,
            implied: None,
            help: None,
        }
    }

    /// Adds cells.
    #[must_use]
    pub fn with_cells(mut self, cells: impl IntoIterator<Item = CellKey>) -> Self {
        self.cells.extend(cells);
        self
    }

    /// Adds a label.
    #[must_use]
    pub fn with_label(mut self, span: Option<Span>, note: Msg) -> Self {
        if let Some(span) = span {
            self.labels.push(Label { span, note });
        }
        self
    }

    /// Sets printed and implied values.
    #[must_use]
    pub fn with_values(mut self, printed: Option<Decimal>, implied: Option<Decimal>) -> Self {
        self.printed = printed;
        self.implied = implied;
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }

    /// The primary location, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// The order in which findings are listed, in every output (terminal, JSON, CSV): by
    /// position in the input (findings without one last), then by severity (errors first), then
    /// by rule id.
    pub fn listing_order(&self, other: &Finding) -> std::cmp::Ordering {
        let at = |f: &Finding| f.primary_span().map_or(u32::MAX, |s| s.start);
        at(self)
            .cmp(&at(other))
            .then(other.severity.cmp(&self.severity))
            .then(self.rule.cmp(other.rule))
    }
}

/// Sorts findings into their listing order ([`Finding::listing_order`]); stable, so findings
/// equal in that order keep the order in which they were found.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(Finding::listing_order);
}

#[cfg(test)]
mod order_tests {
    use super::*;

    fn at(rule: &'static str, severity: Severity, start: Option<u32>) -> Finding {
        let f = Finding::new(rule, severity, FindingKind::Source, Msg::new("", ""));
        f.with_label(start.map(|s| Span::new(s, s + 1)), Msg::new("", ""))
    }

    #[test]
    fn listed_by_position_then_severity_then_rule() {
        let mut v = vec![
            at("A", Severity::Info, None),
            at("Z", Severity::Info, Some(5)),
            at("B", Severity::Error, None),
            at("Y", Severity::Warning, Some(5)),
            at("C", Severity::Warning, Some(5)),
            at("D", Severity::Info, Some(1)),
        ];
        sort(&mut v);
        let order: Vec<_> = v.iter().map(|f| f.rule).collect();
        assert_eq!(order, ["D", "C", "Y", "Z", "B", "A"]);
    }
}
