//! Drafting next year's report from the previous year's (`gongkai render --draft YEAR PREVIOUS`).
//!
//! - The metadata (agency, contact, where published) is kept; the year is set and the title's
//!   year replaced; the publication date is cleared.
//! - Each column's `t3.carried_forward` becomes the new `t3.carried_over` (the 结转 rule X-CARRY).
//! - Every other cell is left blank for the agency to fill (a blank is not a zero).
//! - The text is kept as a starting point: years are moved on by one, and every other figure is
//!   followed by [`REVIEW_MARK`] so that nobody publishes last year's numbers by mistake.
//! - The tables use the layout of the new year (2021 format from 2021 on).

use gongkai_model::{CellKey, Layout, Report, Spanned, T3Col, T3Row, Table, TableId, Value};

/// The marker put after every carried-over figure in the text.
pub const REVIEW_MARK: &str = "【待核】";

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
            let mut n =
                gongkai_model::Section::new(s.id, shift_years(&s.text, prev_year, year, true));
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
/// previous report year `from` (or the year before it) moves on by `to - from`; with `mark`,
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
            (Some(y), Some(f)) if is_year_word && (y == f || y == f - 1) => {
                out.push_str(&(y + (to - f)).to_string());
            }
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
            "2023年，我镇共收到申请12【待核】件，办结11【待核】件，较2022年增长8.5【待核】%。"
        );
        assert_eq!(shift_years("2019年度", Some(2022), 2023, true), "2019年度");
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
