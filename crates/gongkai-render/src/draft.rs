//! Drafting next year's report from the previous year's (`gongkai render --draft YEAR PREVIOUS`).
//!
//! - The metadata (agency, contact, where published) is kept; the year is set and the title's
//!   year replaced; the publication date is cleared.
//! - Each column's `t3.carried_forward` becomes the new `t3.carried_over` (the 结转 rule X-CARRY).
//! - Every other cell is left blank for the agency to fill (a blank is not a zero).
//! - The text is kept as a starting point: the report year becomes the new year — and no other
//!   year changes (a comparison `较2023年` or a plan `2025年我们将…` keeps its year) — and every
//!   other figure is followed by [`REVIEW_MARK`] so that nobody publishes last year's numbers by
//!   mistake. Sections 五 and 六 (problems and plans, other matters) are last year's own words:
//!   they open with [`REVIEW_NOTE`], to be rewritten.
//! - The tables use the layout of the new year (2021 format from 2021 on).

use gongkai_model::{
    CellKey, Layout, Report, SectionId, Spanned, T3Col, T3Row, Table, TableId, Value,
};

/// The marker put after every carried-over figure in the text.
pub const REVIEW_MARK: &str = "【待核】";

/// The line that opens the copied sections 五 and 六 of a draft.
pub const REVIEW_NOTE: &str = "【待核】本部分沿用上一年度报告原文，请按本年度情况重写。";

/// The sections whose text is last year's own account and must be rewritten, not updated.
const REWRITE: [SectionId; 2] = [SectionId::Problems, SectionId::Other];

/// Builds the draft report for `year` from `previous`.
pub fn draft(previous: &Report, year: i32) -> Report {
    let prev_year = previous.meta.year.as_ref().map(|y| y.value);
    let mut meta = previous.meta.clone();
    meta.year = Some(Spanned::bare(year));
    meta.published = None;
    meta.title = previous
        .meta
        .title
        .as_ref()
        .map(|t| Spanned::bare(shift_years(&t.value, prev_year, year, false)));
    let layout = if year >= 2021 { Layout::Format2021 } else { Layout::Trial2019 };
    let mut t3 = Table::blank(TableId::T3, layout);
    if let Some(prev) = &previous.t3 {
        for &c in T3Col::APPLICANTS.iter().chain([&T3Col::Total]) {
            let value =
                prev.value(CellKey::t3(T3Row::CarriedForward, c)).cloned().unwrap_or(Value::Blank);
            t3.set(CellKey::t3(T3Row::CarriedOver, c), value);
        }
    }
    let sections = previous
        .sections
        .iter()
        .map(|s| {
            let mut text = shift_years(&s.text, prev_year, year, true);
            if REWRITE.contains(&s.id) {
                text = format!("{REVIEW_NOTE}\n{text}");
            }
            let mut n = gongkai_model::Section::new(s.id, text);
            n.heading = Spanned::bare(s.heading.value.clone());
            n
        })
        .collect();
    Report {
        meta,
        preamble: previous.preamble.as_ref().map(|p| shift_years(p, prev_year, year, true)),
        sections,
        t2: Some(Table::blank(TableId::T2, layout)),
        t3: Some(t3),
        t4: Some(Table::blank(TableId::T4, layout)),
    }
}

/// Rewrites `text` for the new year: a four-digit year followed by 年 (or 年度) that equals the
/// previous report year `from` becomes `to`; every other year is kept as printed; with `mark`,
/// every other run of digits gets [`REVIEW_MARK`] after it.
pub fn shift_years(text: &str, from: Option<i32>, to: i32, mark: bool) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !is_digit(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (is_digit(chars[i])
                || (matches!(chars[i], '.' | '．')
                    && i + 1 < chars.len()
                    && is_digit(chars[i + 1])))
        {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let is_year_word = chars.get(i) == Some(&'年');
        let as_year: Option<i32> =
            if run.chars().count() == 4 && run.chars().all(|c| c.is_ascii_digit()) {
                run.parse().ok()
            } else {
                None
            };
        match (as_year, from) {
            (Some(y), Some(f)) if is_year_word && y == f => out.push_str(&to.to_string()),
            (Some(y), _) if is_year_word && (1990..=2100).contains(&y) => out.push_str(&run),
            _ => {
                out.push_str(&run);
                if mark {
                    out.push_str(REVIEW_MARK);
                }
            }
        }
    }
    out
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_move_on_and_figures_are_marked() {
        let s = shift_years(
            "2022年，我镇共收到申请12件，办结11件，较2021年增长8.5%。",
            Some(2022),
            2023,
            true,
        );
        assert_eq!(
            s,
            "2023年，我镇共收到申请12【待核】件，办结11【待核】件，较2021年增长8.5【待核】%。"
        );
        assert_eq!(shift_years("2019年度", Some(2022), 2023, true), "2019年度");
    }

    #[test]
    fn only_the_report_year_changes() {
        let s = shift_years(
            "2024年，我局办结申请5件。2025年我们将继续深化公开，2026年全面完成。",
            Some(2024),
            2025,
            true,
        );
        assert_eq!(
            s,
            "2025年，我局办结申请5【待核】件。2025年我们将继续深化公开，2026年全面完成。"
        );
        // A draft two years on still changes only the report year.
        assert_eq!(
            shift_years("2024年工作，较2023年", Some(2024), 2026, true),
            "2026年工作，较2023年"
        );
    }

    #[test]
    fn sections_five_and_six_are_marked_for_rewriting() {
        let mut prev = Report::default();
        prev.meta.year = Some(Spanned::bare(2024));
        prev.sections = vec![
            gongkai_model::Section::new(SectionId::Overview, "2024年，我局认真落实。"),
            gongkai_model::Section::new(SectionId::Problems, "2025年我们将加强培训。"),
            gongkai_model::Section::new(SectionId::Other, "本年度未收取信息处理费。"),
        ];
        let d = draft(&prev, 2025);
        let text = |id| d.section(id).map(|s| s.text.clone()).unwrap_or_default();
        assert_eq!(text(SectionId::Overview), "2025年，我局认真落实。");
        assert_eq!(text(SectionId::Problems), format!("{REVIEW_NOTE}\n2025年我们将加强培训。"));
        assert!(text(SectionId::Other).starts_with(REVIEW_NOTE));
    }

    #[test]
    fn carried_forward_becomes_carried_over() {
        let mut prev = Report::default();
        prev.meta.year = Some(Spanned::bare(2022));
        prev.meta.title = Some(Spanned::bare("某镇2022年政府信息公开工作年度报告".to_owned()));
        let mut t3 = Table::blank(TableId::T3, Layout::Format2021);
        t3.set(CellKey::t3(T3Row::CarriedForward, T3Col::NaturalPerson), Value::int(2));
        t3.set(CellKey::t3(T3Row::CarriedForward, T3Col::Total), Value::int(2));
        prev.t3 = Some(t3);
        let d = draft(&prev, 2023);
        assert_eq!(d.t3_number(T3Row::CarriedOver, T3Col::NaturalPerson), Some(2.into()));
        assert_eq!(
            d.value(CellKey::t3(T3Row::CarriedOver, T3Col::Commercial)),
            Some(&Value::Blank)
        );
        assert_eq!(d.value(CellKey::t3(T3Row::CarriedForward, T3Col::Total)), Some(&Value::Blank));
        assert_eq!(
            d.meta.title.map(|t| t.value).as_deref(),
            Some("某镇2023年政府信息公开工作年度报告")
        );
    }

    #[test]
    fn trial_reports_draft_into_the_2021_format() {
        let mut prev = Report::default();
        prev.meta.year = Some(Spanned::bare(2020));
        prev.t3 = Some(Table::blank(TableId::T3, Layout::Trial2019));
        let d = draft(&prev, 2021);
        assert_eq!(d.t3.map(|t| t.layout()), Some(Layout::Format2021));
    }
}
