//! The typed, versioned result of checking reports (`gongkai-check`, version 1): what
//! `gongkai check --format json` prints and what the web API's `POST /api/v1/check` answers.
//!
//! A consumer checks `format == "gongkai-check"` and `version == 1`. The JSON Schema
//! `schema/check.schema.json` is generated from these types ([`schema`]); a test keeps the
//! committed file current and another validates the CLI's output against it.

use gongkai_model::json::{FindingJson, Location, ReportJson};
use gongkai_model::{Finding, Lang, TableId};
use gongkai_rules::Verdict;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Analysis;

/// The value of the `format` field.
pub const FORMAT: &str = "gongkai-check";
/// The current version.
pub const VERSION: u32 = 1;

/// The result of checking one or more files, one entry per file in the order given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckJson {
    /// Always `gongkai-check`.
    pub format: String,
    /// Always 1 for this version.
    pub version: u32,
    /// One entry per file.
    pub files: Vec<FileCheck>,
}

impl CheckJson {
    /// The result for `files`, with the current format and version.
    pub fn new(files: Vec<FileCheck>) -> Self {
        CheckJson { format: FORMAT.to_owned(), version: VERSION, files }
    }
}

/// One file: checked, or unreadable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum FileCheck {
    /// The file was read, recognised and checked.
    Checked(Box<CheckResult>),
    /// The file could not be read at all.
    Unreadable(Unreadable),
}

/// A file that was read, recognised and checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckResult {
    /// The file as named by the caller (a path, or an uploaded file's name).
    pub path: String,
    /// The agency as printed, when recognised.
    pub agency: Option<String>,
    /// The report year, when recognised.
    pub year: Option<i32>,
    /// Whether the input is an annual report at all: `report`, `not_a_report` (NOT-A-REPORT) or
    /// `report_empty` (REPORT-EMPTY). Anything but `report` is never a pass.
    #[schemars(schema_with = "verdict_schema")]
    pub verdict: String,
    /// The layout of each table (`2021`, `trial`), `null` for a table not found.
    pub layout: Layouts,
    /// The findings, in their listing order; cross-year findings last, naming the earlier report.
    pub findings: Vec<CheckFinding>,
    /// The report recognised, in gongkai's JSON form, when the producer includes it (the web API
    /// does; `gongkai check` does not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportJson>,
}

/// The layout of each table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layouts {
    /// Table 2 (主动公开).
    pub t2: Option<String>,
    /// Table 3 (依申请公开).
    pub t3: Option<String>,
    /// Table 4 (行政复议、行政诉讼).
    pub t4: Option<String>,
}

/// A finding, and for a cross-year finding the report it compares with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckFinding {
    /// The finding.
    #[serde(flatten)]
    pub finding: FindingJson,
    /// For a cross-year finding: the earlier report's file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<String>,
}

/// A file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unreadable {
    /// The file as named by the caller.
    pub path: String,
    /// Why, in the requested language.
    pub error: String,
}

impl CheckResult {
    /// The result for `analysis` of the file named `path`, listing `findings` (all of the
    /// analysis's, or a selection of them, e.g. errors and warnings only) with their messages in
    /// `lang`. The report itself is not included (see [`CheckResult::with_report`]).
    pub fn new<'a>(
        path: impl Into<String>,
        analysis: &Analysis,
        findings: impl IntoIterator<Item = &'a Finding>,
        lang: Lang,
    ) -> Self {
        let locate = |s| analysis.locate(s, lang);
        let report = &analysis.report;
        let layout = |t| report.table(t).map(|x| x.layout().key().to_owned());
        CheckResult {
            path: path.into(),
            agency: report.meta.agency.as_ref().map(|x| x.value.clone()),
            year: report.meta.year.as_ref().map(|x| x.value),
            verdict: analysis.verdict().key().to_owned(),
            layout: Layouts {
                t2: layout(TableId::T2),
                t3: layout(TableId::T3),
                t4: layout(TableId::T4),
            },
            findings: findings
                .into_iter()
                .map(|f| CheckFinding {
                    finding: FindingJson::from_finding(f, lang, &locate),
                    compared_with: None,
                })
                .collect(),
            report: None,
        }
    }

    /// The result for `analysis` with every finding and the report recognised.
    pub fn full(path: impl Into<String>, analysis: &Analysis, lang: Lang) -> Self {
        Self::new(path, analysis, &analysis.findings, lang).with_report(analysis, lang)
    }

    /// Includes the report recognised (cells located in the input, messages in `lang`).
    #[must_use]
    pub fn with_report(mut self, analysis: &Analysis, lang: Lang) -> Self {
        let locate = |s| analysis.locate(s, lang);
        self.report = Some(ReportJson::from_report(&analysis.report, &locate));
        self
    }

    /// Whether the input is an annual report without error findings: the only "pass".
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Report.key()
            && self.findings.iter().all(|f| f.finding.severity != "error")
    }
}

impl CheckFinding {
    /// A cross-year finding of the later report, located by `locate`, naming the earlier
    /// report's file.
    pub fn cross_year(
        f: &Finding,
        lang: Lang,
        locate: &dyn Fn(gongkai_model::Span) -> Location,
        compared_with: impl Into<String>,
    ) -> Self {
        CheckFinding {
            finding: FindingJson::from_finding(f, lang, locate),
            compared_with: Some(compared_with.into()),
        }
    }
}

fn verdict_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let keys: Vec<&str> =
        [Verdict::Report, Verdict::NotAReport, Verdict::Empty].iter().map(|v| v.key()).collect();
    schemars::json_schema!({ "type": "string", "enum": keys })
}

/// The JSON Schema of [`CheckJson`] (committed as `schema/check.schema.json`).
pub fn schema() -> String {
    let schema = schemars::schema_for!(CheckJson);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_doc::Limits;

    fn analysis(text: &str) -> Analysis {
        crate::analyse_bytes("r.txt", text.as_bytes(), &Limits::default()).expect("read")
    }

    #[test]
    fn a_non_report_never_passes() {
        let a = analysis("今天天气很好。\n");
        let r = CheckResult::new("r.txt", &a, &a.findings, Lang::Zh);
        assert_ne!(r.verdict, "report");
        assert!(!r.passed());
    }

    #[test]
    fn round_trips_through_json() {
        let a = analysis("一、总体情况\n本机关 2023 年度报告。\n");
        let one = CheckResult::full("r.txt", &a, Lang::En);
        assert!(one.report.is_some());
        let all = CheckJson::new(vec![
            FileCheck::Checked(Box::new(one)),
            FileCheck::Unreadable(Unreadable { path: "x.pdf".into(), error: "damaged".into() }),
        ]);
        let text = serde_json::to_string(&all).expect("json");
        let back: CheckJson = serde_json::from_str(&text).expect("parse");
        assert_eq!(back, all);
    }
}
