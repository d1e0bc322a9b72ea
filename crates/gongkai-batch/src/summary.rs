//! The summary of a batch: files read and failed (reasons grouped), tables by layout, findings by
//! rule, and the series found. Its last line is [`crate::checked_line`], the line
//! `gongkai check` prints for the same files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use gongkai_model::{Lang, Severity, TableId};
use gongkai_rules::Verdict;

use crate::analyse::{Counts, checked_line};
use crate::failure::FailureKind;
use crate::runner::{Batch, BatchFinding, Record};
use crate::series::SeriesPlan;
use std::borrow::Cow;

/// Entries listed per kind of note before `… and N more`.
const LIST_LIMIT: usize = 10;

/// What a batch found, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files in the batch.
    pub files: usize,
    /// Files read.
    pub read: usize,
    /// Files not read.
    pub unreadable: usize,
    /// Files not read, by kind of failure (paths in order).
    pub failures: BTreeMap<FailureKind, Vec<String>>,
    /// Files read that are not reports, by verdict (paths in order).
    pub not_reports: BTreeMap<Verdict, Vec<String>>,
    /// Findings of the single-report checks (what `gongkai check` counts).
    pub own: Counts,
    /// Findings of the cross-year rules.
    pub cross_year: Counts,
    /// For Tables 2, 3, 4: reports by layout (`2021`, `trial`, `missing`).
    pub layouts: [BTreeMap<&'static str, usize>; 3],
    /// Findings by rule id (single-report and cross-year).
    pub rules: BTreeMap<&'static str, Counts>,
}

impl Summary {
    /// Counts `batch`.
    pub fn of(batch: &Batch) -> Self {
        let mut s = Summary::default();
        for record in &batch.records {
            s.add(record);
        }
        s
    }

    /// Counts one more file: its outcome and the findings it holds (a streaming batch adds its
    /// cross-year findings later with [`Summary::add_cross_year`]).
    pub fn add(&mut self, record: &Record) {
        match record.read() {
            None => self.add_unreadable(&record.name, record.failure().map(|f| f.kind)),
            Some(r) => {
                let layouts = [TableId::T2, TableId::T3, TableId::T4]
                    .map(|t| r.report.table(t).map_or("missing", |t| t.layout().key()));
                self.add_read(&record.name, r.verdict, r.own, layouts);
                self.cross_year.add(r.cross_year);
                for f in &r.findings {
                    self.rules.entry(f.finding.rule).or_default().count(&f.finding);
                }
            }
        }
    }

    /// Counts one more file that could not be read, of failure `kind`.
    pub(crate) fn add_unreadable(&mut self, name: &str, kind: Option<FailureKind>) {
        self.files += 1;
        self.unreadable += 1;
        if let Some(kind) = kind {
            self.failures.entry(kind).or_default().push(name.to_owned());
        }
    }

    /// Counts one more file read: its verdict, its own findings' counts and its tables'
    /// layouts (`2021`, `trial`, `missing`). Its findings by rule are added with
    /// [`Summary::add_rule`] (or by [`Summary::add`]).
    pub(crate) fn add_read(
        &mut self,
        name: &str,
        verdict: Verdict,
        own: Counts,
        layouts: [&'static str; 3],
    ) {
        self.files += 1;
        self.read += 1;
        if verdict != Verdict::Report {
            self.not_reports.entry(verdict).or_default().push(name.to_owned());
        }
        self.own.add(own);
        for (i, layout) in layouts.into_iter().enumerate() {
            *self.layouts[i].entry(layout).or_default() += 1;
        }
    }

    /// Counts findings of `rule`.
    pub(crate) fn add_rule(&mut self, rule: &'static str, counts: Counts) {
        self.rules.entry(rule).or_default().add(counts);
    }

    /// Adds the counts of `other`, a summary of other files; the paths listed stay in path
    /// order when both summaries' files are.
    pub(crate) fn absorb(&mut self, other: Summary) {
        self.files += other.files;
        self.read += other.read;
        self.unreadable += other.unreadable;
        for (kind, paths) in other.failures {
            let mine = self.failures.entry(kind).or_default();
            mine.extend(paths);
            mine.sort();
        }
        for (verdict, paths) in other.not_reports {
            let mine = self.not_reports.entry(verdict).or_default();
            mine.extend(paths);
            mine.sort();
        }
        self.own.add(other.own);
        self.cross_year.add(other.cross_year);
        for (i, layouts) in other.layouts.into_iter().enumerate() {
            for (k, n) in layouts {
                *self.layouts[i].entry(k).or_default() += n;
            }
        }
        for (rule, c) in other.rules {
            self.add_rule(rule, c);
        }
    }

    /// Counts cross-year findings attributed to a file already added.
    pub fn add_cross_year<'a>(&mut self, findings: impl IntoIterator<Item = &'a BatchFinding>) {
        for f in findings {
            self.cross_year.count(&f.finding);
            self.rules.entry(f.finding.rule).or_default().count(&f.finding);
        }
    }

    /// The summary as printed by `gongkai batch`.
    pub fn render(&self, batch: &Batch, lang: Lang) -> String {
        self.render_plan(&batch.plan, &|i| Cow::Borrowed(batch.records[i].name.as_str()), lang)
    }

    /// The summary of a batch whose series are `plan`, `name(i)` the name of file `i` — asked
    /// only for the [`SeriesPlan::named_reports`].
    pub fn render_plan<'a>(
        &self,
        plan: &SeriesPlan,
        name: &dyn Fn(usize) -> Cow<'a, str>,
        lang: Lang,
    ) -> String {
        let zh = lang == Lang::Zh;
        let t = |a: &'static str, b: &'static str| if zh { a } else { b };
        let mut out = String::new();
        let _ = if zh {
            writeln!(
                out,
                "共 {} 个文件：读取 {} 份，无法读取 {} 份",
                self.files, self.read, self.unreadable
            )
        } else {
            writeln!(
                out,
                "{} file(s): {} read, {} unreadable",
                self.files, self.read, self.unreadable
            )
        };

        if !self.failures.is_empty() {
            let _ = writeln!(out, "{}", t("无法读取（按原因）：", "unreadable, by reason:"));
            for (kind, paths) in &self.failures {
                let _ = writeln!(
                    out,
                    "  {} {}{}{}",
                    kind.describe(lang),
                    paths.len(),
                    t("：", ": "),
                    bounded(paths.iter().map(String::as_str), lang)
                );
            }
        }

        if !self.not_reports.is_empty() {
            let _ =
                writeln!(out, "{}", t("不是年度报告（已读取）：", "read, but not annual reports:"));
            for (verdict, paths) in &self.not_reports {
                let _ = writeln!(
                    out,
                    "  {} {}{}{}",
                    verdict.describe(lang),
                    paths.len(),
                    t("：", ": "),
                    bounded(paths.iter().map(String::as_str), lang)
                );
            }
        }

        if self.read > 0 {
            let _ = writeln!(out, "{}", t("表格格式：", "table layouts:"));
            for (i, table) in ["表二", "表三", "表四"].into_iter().enumerate() {
                let n = |k: &str| self.layouts[i].get(k).copied().unwrap_or(0);
                let _ = if zh {
                    writeln!(
                        out,
                        "  {table}：2021 年格式 {}，试行格式 {}，未找到 {}",
                        n("2021"),
                        n("trial"),
                        n("missing")
                    )
                } else {
                    writeln!(
                        out,
                        "  table {}: 2021 format {}, trial format {}, not found {}",
                        i + 2,
                        n("2021"),
                        n("trial"),
                        n("missing")
                    )
                };
            }
        }

        if !self.rules.is_empty() {
            let _ = writeln!(out, "{}", t("问题（按规则）：", "findings by rule:"));
            let width = self.rules.keys().map(|k| k.len()).max().unwrap_or(0);
            for (rule, c) in self.rules_in_catalogue_order() {
                let parts: Vec<String> = [
                    (Severity::Error, c.errors),
                    (Severity::Warning, c.warnings),
                    (Severity::Info, c.infos),
                ]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(
                    |(s, n)| {
                        if zh { format!("{} {n}", s.zh()) } else { format!("{} {n}", s.key()) }
                    },
                )
                .collect();
                let _ = if zh {
                    writeln!(out, "  {rule:<width$}  {}（{}）", c.total(), parts.join("，"))
                } else {
                    writeln!(out, "  {rule:<width$}  {} ({})", c.total(), parts.join(", "))
                };
            }
        }

        self.render_series(&mut out, plan, name, lang);
        let not_reports = self.not_reports.values().map(Vec::len).sum();
        let _ = writeln!(
            out,
            "{}",
            checked_line(self.read, self.unreadable, not_reports, self.own, lang)
        );
        out
    }

    /// Rules in the catalogue's order, then any other id alphabetically.
    fn rules_in_catalogue_order(&self) -> Vec<(&'static str, Counts)> {
        let catalogue = gongkai_rules::catalogue();
        let rank = |id: &str| catalogue.iter().position(|r| r.id == id).unwrap_or(usize::MAX);
        let mut v: Vec<(&'static str, Counts)> = self.rules.iter().map(|(k, c)| (*k, *c)).collect();
        v.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then(a.0.cmp(b.0)));
        v
    }

    fn render_series<'a>(
        &self,
        out: &mut String,
        p: &SeriesPlan,
        name: &dyn Fn(usize) -> Cow<'a, str>,
        lang: Lang,
    ) {
        let zh = lang == Lang::Zh;
        let key = |s: usize| p.series[s].key.as_str();
        let multi = p.series.iter().filter(|s| s.years.len() > 1).count();
        let _ = if zh {
            writeln!(
                out,
                "跨年：{} 个机关序列，其中 {multi} 个跨多个年度；相邻年度 {} 对，跨年检查：{}",
                p.series.len(),
                p.pairs.len(),
                self.cross_year.describe(lang)
            )
        } else {
            writeln!(
                out,
                "cross-year: {} agency series, {multi} spanning several years; {} consecutive-year pair(s) checked: {}",
                p.series.len(),
                p.pairs.len(),
                self.cross_year.describe(lang)
            )
        };
        let section = |out: &mut String, title: &str, items: Vec<String>| {
            if !items.is_empty() {
                let _ = writeln!(
                    out,
                    "  {title}{}{}",
                    if zh { "：" } else { ": " },
                    bounded(items.iter().map(String::as_str), lang)
                );
            }
        };
        section(
            out,
            if zh { "缺少年度" } else { "missing years" },
            p.gaps
                .iter()
                .map(|g| {
                    let missing = if g.before - g.after == 2 {
                        (g.after + 1).to_string()
                    } else {
                        format!("{}–{}", g.after + 1, g.before - 1)
                    };
                    if zh {
                        format!("{} 缺 {missing}", key(g.series))
                    } else {
                        format!("{} lacks {missing}", key(g.series))
                    }
                })
                .collect(),
        );
        section(
            out,
            if zh {
                "同一年度多份报告（与次年比对时以第一份为准）"
            } else {
                "several reports for one year (the first is compared with the next year)"
            },
            p.duplicates
                .iter()
                .map(|d| {
                    let files: Vec<Cow<'_, str>> = d.reports.iter().map(|&i| name(i)).collect();
                    format!("{} {} [{}]", key(d.series), d.year, files.join(", "))
                })
                .collect(),
        );
        section(
            out,
            if zh {
                "序列断点（可能的机构调整，未合并，未做跨年检查）"
            } else {
                "series breaks (possible reorganisation; not joined, not checked across)"
            },
            p.breaks
                .iter()
                .map(|b| {
                    let (a, c) = (&p.series[b.ended], &p.series[b.started]);
                    format!(
                        "{} {} → {} {}",
                        a.key,
                        a.last_year().unwrap_or_default(),
                        c.key,
                        c.first_year().unwrap_or_default()
                    )
                })
                .collect(),
        );
        section(
            out,
            if zh {
                "名称仅差一字、年度不重叠（可能为 OCR 误识，未合并）"
            } else {
                "names one character apart, years not overlapping (possible OCR error; not joined)"
            },
            p.variants.iter().map(|v| format!("{} / {}", key(v.a), key(v.b))).collect(),
        );
        section(
            out,
            if zh {
                "简称对应多个机关（未合并）"
            } else {
                "short names matching several agencies (not joined)"
            },
            p.ambiguous
                .iter()
                .map(|(short, full)| {
                    format!("{short} → {}", full.join(if zh { "、" } else { ", " }))
                })
                .collect(),
        );
        section(
            out,
            if zh {
                "未识别机关或年度（不属于任何序列）"
            } else {
                "agency or year not recognised (in no series)"
            },
            p.unattributed.iter().map(|&i| name(i).into_owned()).collect(),
        );
    }
}

/// Up to [`LIST_LIMIT`] items, then how many more.
fn bounded<'a>(items: impl ExactSizeIterator<Item = &'a str>, lang: Lang) -> String {
    let n = items.len();
    let sep = if lang == Lang::Zh { "，" } else { ", " };
    let mut shown: Vec<&str> = items.take(LIST_LIMIT).collect();
    let more;
    if n > LIST_LIMIT {
        more = match lang {
            Lang::Zh => format!("……另有 {} 项", n - LIST_LIMIT),
            Lang::En => format!("… and {} more", n - LIST_LIMIT),
        };
        shown.push(&more);
    }
    shown.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_bounded() {
        let items: Vec<String> = (0..13).map(|i| format!("f{i}")).collect();
        let s = bounded(items.iter().map(String::as_str), Lang::En);
        assert!(s.starts_with("f0, f1,"), "{s}");
        assert!(s.ends_with("f9, … and 3 more"), "{s}");
        assert_eq!(bounded(["a", "b"].into_iter(), Lang::Zh), "a，b");
    }
}
