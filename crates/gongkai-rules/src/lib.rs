//! The rule catalogue: every check of spec §4, one rule per file under `rules/`, each with a stable
//! id, a severity, a Chinese and English title and its documentation.
//!
//! - [`check`] runs every single-report rule over a [`Report`] and returns the findings;
//! - [`check_pair`] runs the cross-year rules over two consecutive reports of one agency;
//! - [`Verdict`] says whether the input is a report at all (NOT-A-REPORT, REPORT-EMPTY);
//! - [`catalogue`] lists every documented id, including the ids that readers emit (`READ-…`), so
//!   `gongkai rules ID` can explain any finding a user sees.
//!
//! Rules see only the [`Report`], never the input format. They never change a value: a finding
//! reports what was printed and what the arithmetic implies. An operand that is blank, not
//! applicable or undetermined makes a check *undetermined*, reported once per rule as information
//! naming the cells.

mod eval;
mod rules;

use gongkai_model::{Finding, FindingKind, Lang, Msg, Report, Severity};

pub use rules::reader::READER_IDS;

/// Who produces a catalogue entry's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A check of one report ([`check`]).
    Report,
    /// A check of two consecutive years of one agency ([`check_pair`]).
    CrossYear,
    /// Emitted by the readers while recognising the report.
    Reader,
}

/// The description of one rule.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable id (`T3-BALANCE`).
    pub id: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The higher severity its findings take in the case its documentation names, if any
    /// (READ-ENCODING: information, or a warning when bytes could not be decoded).
    pub raised: Option<Severity>,
    /// What its findings usually are.
    pub kind: FindingKind,
    /// Where its findings come from.
    pub scope: Scope,
    /// One-line title, Chinese.
    pub title_zh: &'static str,
    /// One-line title, English.
    pub title_en: &'static str,
    /// Documentation in Markdown, Chinese: what it checks, why, an example.
    pub doc_zh: &'static str,
    /// Documentation in Markdown, English.
    pub doc_en: &'static str,
}

impl RuleInfo {
    /// The title in `lang`.
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }

    /// The documentation in `lang`.
    pub fn doc(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.doc_zh,
            Lang::En => self.doc_en,
        }
    }
}

/// A check of one report.
pub trait Rule: Sync {
    /// Its description.
    fn info(&self) -> &'static RuleInfo;
    /// Appends its findings about `report` to `out`.
    fn check(&self, report: &Report, out: &mut Vec<Finding>);
}

/// A check of two consecutive reports of the same agency.
pub trait PairRule: Sync {
    /// Its description.
    fn info(&self) -> &'static RuleInfo;
    /// Appends its findings about `current` given the previous year's report.
    fn check(&self, previous: &Report, current: &Report, out: &mut Vec<Finding>);
}

/// Runs every single-report rule, in catalogue order.
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules::REPORT_RULES {
        rule.check(report, &mut out);
    }
    out
}

/// Runs the cross-year rules on `current` against `previous` (the same agency, the year before).
pub fn check_pair(previous: &Report, current: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules::PAIR_RULES {
        rule.check(previous, current, &mut out);
    }
    out
}

/// Every documented id: report rules, cross-year rules, then reader findings.
pub fn catalogue() -> Vec<&'static RuleInfo> {
    rules::REPORT_RULES
        .iter()
        .map(|r| r.info())
        .chain(rules::PAIR_RULES.iter().map(|r| r.info()))
        .chain(rules::reader::READER_IDS.iter())
        .collect()
}

/// Looks up an id (case-insensitive).
pub fn lookup(id: &str) -> Option<&'static RuleInfo> {
    catalogue().into_iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// What an input is, judged by the rules: a report, or one of the two kinds of input that is not
/// (NOT-A-REPORT, REPORT-EMPTY). Every command takes it from the findings, so `check`, `batch`
/// and the server agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// An annual report (perhaps incomplete, perhaps with errors).
    Report,
    /// No table and too few section headings: not an annual report (NOT-A-REPORT).
    NotAReport,
    /// The form of a report with nothing filled in (REPORT-EMPTY).
    Empty,
}

impl Verdict {
    /// The verdict the findings about one input carry.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut v = Verdict::Report;
        for f in findings {
            if f.rule == rules::not_a_report::INFO.id {
                return Verdict::NotAReport;
            }
            if f.rule == rules::report_empty::INFO.id {
                v = Verdict::Empty;
            }
        }
        v
    }

    /// Stable key: `report`, `not_a_report`, `report_empty`.
    pub const fn key(self) -> &'static str {
        match self {
            Verdict::Report => "report",
            Verdict::NotAReport => "not_a_report",
            Verdict::Empty => "report_empty",
        }
    }

    /// A short description for people.
    pub const fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Report, Lang::Zh) => "年度报告",
            (Verdict::Report, Lang::En) => "annual report",
            (Verdict::NotAReport, Lang::Zh) => "不是年度报告",
            (Verdict::NotAReport, Lang::En) => "not an annual report",
            (Verdict::Empty, Lang::Zh) => "未填写的报告模板",
            (Verdict::Empty, Lang::En) => "unfilled report template",
        }
    }
}

/// A finding from a rule's info with its default severity and kind.
pub(crate) fn finding(info: &'static RuleInfo, message: Msg) -> Finding {
    Finding::new(info.id, info.severity, info.kind, message)
}

#[cfg(test)]
mod verdict_tests {
    use super::*;

    #[test]
    fn the_verdict_follows_the_findings() {
        let consistent = rules::test_support::consistent();
        assert_eq!(Verdict::of(&check(&consistent)), Verdict::Report);
        assert_eq!(Verdict::of(&check(&Report::default())), Verdict::NotAReport);
        let mut blank = consistent;
        for t in
            [gongkai_model::TableId::T2, gongkai_model::TableId::T3, gongkai_model::TableId::T4]
        {
            *blank.table_mut(t) =
                Some(gongkai_model::Table::blank(t, gongkai_model::Layout::Format2021));
        }
        for s in &mut blank.sections {
            s.text = "（文字描述）".into();
        }
        let found = check(&blank);
        assert_eq!(Verdict::of(&found), Verdict::Empty);
        assert!(has_errors(&found));
        let keys = [Verdict::Report, Verdict::NotAReport, Verdict::Empty].map(Verdict::key);
        assert_eq!(keys, ["report", "not_a_report", "report_empty"]);
    }
}
