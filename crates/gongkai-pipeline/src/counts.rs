//! The one counting of findings that every summary uses (`gongkai check`, `gongkai batch`,
//! `gongkai demo`, the web pages), and the closing line of a multi-report check.

use gongkai_model::{Finding, FindingKind, Lang, Severity};

/// Counts of findings by severity and by kind. The one counting every summary uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Findings about what the agency printed.
    pub source: usize,
    /// Findings about what the reader could not determine.
    pub extraction: usize,
}

impl Counts {
    /// Counts `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut c = Counts::default();
        for f in findings {
            c.count(f);
        }
        c
    }

    /// Counts one finding.
    pub fn count(&mut self, f: &Finding) {
        match f.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        match f.kind {
            FindingKind::Source => self.source += 1,
            FindingKind::Extraction => self.extraction += 1,
        }
    }

    /// Adds another count.
    pub fn add(&mut self, o: Counts) {
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.infos += o.infos;
        self.source += o.source;
        self.extraction += o.extraction;
    }

    /// Number of findings counted.
    pub fn total(self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// `3 个错误，1 个警告，0 个提示` / `3 error(s), 1 warning(s), 0 info`.
    pub fn describe(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => {
                format!("{} 个错误，{} 个警告，{} 个提示", self.errors, self.warnings, self.infos)
            }
            Lang::En => format!(
                "{} error(s), {} warning(s), {} info",
                self.errors, self.warnings, self.infos
            ),
        }
    }
}

/// The closing line of a multi-report check: how many reports were read, how many were not,
/// how many of those read are not reports (said only when some are), and the findings of the
/// single-report checks. `gongkai check` and `gongkai batch` print the same line for the same
/// files.
pub fn checked_line(
    read: usize,
    unreadable: usize,
    not_reports: usize,
    total: Counts,
    lang: Lang,
) -> String {
    match (lang, not_reports) {
        (Lang::Zh, 0) => {
            format!("共检查 {read} 份报告（{unreadable} 份无法读取）：{}", total.describe(lang))
        }
        (Lang::Zh, n) => format!(
            "共检查 {read} 份报告（{unreadable} 份无法读取，{n} 份不是年度报告）：{}",
            total.describe(lang)
        ),
        (Lang::En, 0) => {
            format!("checked {read} report(s) ({unreadable} unreadable): {}", total.describe(lang))
        }
        (Lang::En, n) => format!(
            "checked {read} report(s) ({unreadable} unreadable, {n} not annual report(s)): {}",
            total.describe(lang)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Msg;

    #[test]
    fn counts_by_severity_and_kind() {
        let f = |s, k| Finding::new("X", s, k, Msg::new("", ""));
        let c = Counts::of(&[
            f(Severity::Error, FindingKind::Source),
            f(Severity::Warning, FindingKind::Extraction),
            f(Severity::Info, FindingKind::Source),
            f(Severity::Error, FindingKind::Source),
        ]);
        assert_eq!(c, Counts { errors: 2, warnings: 1, infos: 1, source: 3, extraction: 1 });
        assert_eq!(c.total(), 4);
        assert_eq!(c.describe(Lang::Zh), "2 个错误，1 个警告，1 个提示");
        assert_eq!(
            checked_line(3, 1, 0, c, Lang::En),
            "checked 3 report(s) (1 unreadable): 2 error(s), 1 warning(s), 1 info"
        );
        assert_eq!(
            checked_line(3, 0, 2, c, Lang::Zh),
            "共检查 3 份报告（0 份无法读取，2 份不是年度报告）：2 个错误，1 个警告，1 个提示"
        );
    }
}
