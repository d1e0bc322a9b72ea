//! Series: the reports of one agency over the years, and what the cross-year rules can be run on.
//!
//! [`plan`] is pure: given each report's printed agency and year, it groups the reports by series
//! key ([`crate::agency`]) and lists
//!
//! - the **pairs** of consecutive years the cross-year rules run on (every report of year N
//!   against the *primary* report of year N−1: the one the reader read best, then the first by
//!   path — a collection often holds one report in two formats);
//! - **gaps**: a year missing inside a series (no rule runs across it);
//! - **duplicates**: several reports of one agency for one year;
//! - **breaks**: a series that ends the year before another one starts where the two names are the
//!   same place at another level (`洪泽县` 2015 → `淮安市洪泽区` 2016, 撤县设区) — a
//!   reorganisation the normaliser does not join, reported so it is not hidden;
//! - **possible OCR variants**: names one character apart whose years do not overlap
//!   (`沭阳县` / `沐阳县`) — reported, never joined;
//! - **ambiguous short forms** (`鼓楼区` beside `南京市鼓楼区` and `徐州市鼓楼区`);
//! - reports that name no agency or no year, which belong to no series.
//!
//! Everything is ordered by series key, year and input order, so the plan does not depend on
//! thread scheduling.

use std::collections::BTreeMap;

use crate::agency::{self, Resolution};

/// What the planner needs to know about one report that was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member<'a> {
    /// The agency as printed, if the reader found one.
    pub agency: Option<&'a str>,
    /// The report year, if the reader found one.
    pub year: Option<i32>,
}

/// The reports of one agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// The series key (the normalised agency name, short forms resolved).
    pub key: String,
    /// The names as printed, sorted and without repeats.
    pub names: Vec<String>,
    /// Report indices by year, in input order.
    pub years: BTreeMap<i32, Vec<usize>>,
}

impl Series {
    /// The first year.
    pub fn first_year(&self) -> Option<i32> {
        self.years.keys().next().copied()
    }

    /// The last year.
    pub fn last_year(&self) -> Option<i32> {
        self.years.keys().next_back().copied()
    }
}

/// Two consecutive years of one series the cross-year rules run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Index of the series in [`SeriesPlan::series`].
    pub series: usize,
    /// The report of the earlier year.
    pub previous: usize,
    /// The report of the later year (findings are attributed to it).
    pub current: usize,
}

/// A run of missing years inside a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// Index of the series.
    pub series: usize,
    /// The last year present before the gap.
    pub after: i32,
    /// The first year present after the gap.
    pub before: i32,
}

/// Several reports of one agency for one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// Index of the series.
    pub series: usize,
    /// The year.
    pub year: i32,
    /// The reports, the primary first.
    pub reports: Vec<usize>,
}

/// A series ending the year before another begins, whose names are one place at another level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Break {
    /// The series that ends.
    pub ended: usize,
    /// The series that begins the next year.
    pub started: usize,
}

/// Two series whose keys differ in one character and whose years do not overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    /// One series.
    pub a: usize,
    /// The other (its key sorts after `a`'s).
    pub b: usize,
}

/// The series of a collection and what follows from them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeriesPlan {
    /// The series, sorted by key.
    pub series: Vec<Series>,
    /// For each report: its series, if it has an agency and a year.
    pub series_of: Vec<Option<usize>>,
    /// Consecutive-year pairs, by series then year.
    pub pairs: Vec<Pair>,
    /// Missing years.
    pub gaps: Vec<Gap>,
    /// Several reports for one year.
    pub duplicates: Vec<Duplicate>,
    /// Possible reorganisations.
    pub breaks: Vec<Break>,
    /// Possible OCR variants of one name.
    pub variants: Vec<Variant>,
    /// Short forms left alone because several full names end with them: `(short, candidates)`.
    pub ambiguous: Vec<(String, Vec<String>)>,
    /// Reports without an agency or a year.
    pub unattributed: Vec<usize>,
}

/// Plans the series of a collection. `members[i]` is report `i` (`None` for a file that could
/// not be read); `quality(i)` ranks the reports of one year (lower is better) to choose the
/// primary report that the next year is compared with.
pub fn plan(members: &[Option<Member<'_>>], quality: impl Fn(usize) -> u32) -> SeriesPlan {
    let normalised: Vec<Option<(String, i32)>> = members
        .iter()
        .map(|m| {
            let (agency, year) = (m.and_then(|m| m.agency)?, m.and_then(|m| m.year)?);
            let key = agency::normalize(agency);
            (!key.is_empty()).then_some((key, year))
        })
        .collect();
    let resolutions = agency::resolve(normalised.iter().flatten().map(|(k, _)| k.as_str()));

    let mut plan = SeriesPlan { series_of: vec![None; members.len()], ..SeriesPlan::default() };
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, n) in normalised.iter().enumerate() {
        match n {
            Some((key, _)) => {
                by_key.entry(agency::series_key(key, &resolutions)).or_default().push(i)
            }
            None => {
                if members[i].is_some() {
                    plan.unattributed.push(i);
                }
            }
        }
    }
    for (key, reports) in by_key {
        let s = plan.series.len();
        let mut names: Vec<String> = Vec::new();
        let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for &i in &reports {
            if let (Some(agency), Some((_, year))) =
                (members[i].and_then(|m| m.agency), &normalised[i])
            {
                names.push(agency.to_owned());
                years.entry(*year).or_default().push(i);
            }
            plan.series_of[i] = Some(s);
        }
        names.sort();
        names.dedup();
        for reports in years.values_mut() {
            // Primary first: best read, then input order (stable sort keeps it).
            reports.sort_by_key(|&i| quality(i));
        }
        plan.series.push(Series { key: key.to_owned(), names, years });
    }

    for (s, series) in plan.series.iter().enumerate() {
        let mut prev: Option<(i32, usize)> = None;
        for (&year, reports) in &series.years {
            if reports.len() > 1 {
                plan.duplicates.push(Duplicate { series: s, year, reports: reports.clone() });
            }
            if let Some((py, primary)) = prev {
                if year == py + 1 {
                    for &current in reports {
                        plan.pairs.push(Pair { series: s, previous: primary, current });
                    }
                } else {
                    plan.gaps.push(Gap { series: s, after: py, before: year });
                }
            }
            prev = Some((year, reports[0]));
        }
    }

    plan.breaks = breaks(&plan.series);
    plan.variants = variants(&plan.series);
    plan.ambiguous = resolutions
        .into_iter()
        .filter_map(|(k, r)| match r {
            Resolution::Ambiguous(c) => Some((k, c)),
            _ => None,
        })
        .collect();
    plan
}

/// Place-level endings dropped to compare two names as one place (撤县设区, 撤县设市, 撤乡设镇,
/// 撤镇设街道), longest first.
const LEVEL_ENDINGS: &[&str] = &["街道办事处", "街道", "县", "区", "市", "旗", "镇", "乡"];

/// The place a key names without its level (`淮安市洪泽区` → `淮安市洪泽`), when it is a local
/// government's name with a place of at least two characters.
fn place_stem(key: &str) -> Option<&str> {
    LEVEL_ENDINGS.iter().find_map(|e| key.strip_suffix(e)).filter(|stem| stem.chars().count() >= 2)
}

/// Whether two stems name one place (`洪泽` and `淮安市洪泽`).
fn same_place(a: &str, b: &str) -> bool {
    let higher = |long: &str, short: &str| {
        long.strip_suffix(short)
            .and_then(|p| p.chars().last())
            .is_some_and(|c| matches!(c, '省' | '市' | '州' | '盟' | '县' | '区' | '旗'))
    };
    a == b || higher(a, b) || higher(b, a)
}

/// The suffixes of `stem` after a higher-level place (`淮安市洪泽` → `洪泽`): the `short` with
/// `same_place(stem, short)` other than `stem` itself.
fn higher_stems(stem: &str) -> impl Iterator<Item = &str> {
    stem.char_indices()
        .filter(|(_, c)| matches!(c, '省' | '市' | '州' | '盟' | '县' | '区' | '旗'))
        .filter_map(move |(i, c)| stem.get(i + c.len_utf8()..))
        .filter(|rest| !rest.is_empty())
}

/// Series `a` ending the year before `b` begins, one place at two levels: for each `a` (in
/// order), the `b` (in order). Indexed by stem, so linear in the number of series rather than
/// quadratic.
fn breaks(series: &[Series]) -> Vec<Break> {
    let stems: Vec<Option<&str>> = series.iter().map(|s| place_stem(&s.key)).collect();
    // Series by stem, and by each higher-level suffix of their stem.
    let mut by_stem: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_suffix: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (b, stem) in stems.iter().enumerate() {
        if let Some(stem) = stem {
            by_stem.entry(stem).or_default().push(b);
            for suffix in higher_stems(stem) {
                by_suffix.entry(suffix).or_default().push(b);
            }
        }
    }
    let mut out = Vec::new();
    for (a, sa) in series.iter().enumerate() {
        let (Some(stem_a), Some(last)) = (stems[a], sa.last_year()) else { continue };
        let mut candidates: Vec<usize> = by_stem.get(stem_a).cloned().unwrap_or_default();
        candidates.extend(by_suffix.get(stem_a).into_iter().flatten());
        for suffix in higher_stems(stem_a) {
            candidates.extend(by_stem.get(suffix).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        for b in candidates {
            let Some(first) = series[b].first_year() else { continue };
            if a != b && first == last + 1 && stems[b].is_some_and(|sb| same_place(stem_a, sb)) {
                out.push(Break { ended: a, started: b });
            }
        }
    }
    out
}

/// Keys one character apart whose years do not overlap, by length then index. Keys of one
/// length that differ in position `p` share the key with `p` masked: indexed by those masks,
/// so linear in the number of series (times the key length) rather than quadratic.
fn variants(series: &[Series]) -> Vec<Variant> {
    let chars: Vec<Vec<char>> = series.iter().map(|s| s.key.chars().collect()).collect();
    let mut masked: BTreeMap<(usize, Vec<char>), Vec<usize>> = BTreeMap::new();
    for (i, c) in chars.iter().enumerate() {
        if c.len() >= 3 {
            for p in 0..c.len() {
                let mut m = c.clone();
                m[p] = '\u{0}';
                masked.entry((p, m)).or_default().push(i);
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for group in masked.values() {
        for (x, &a) in group.iter().enumerate() {
            for &b in &group[x + 1..] {
                let differ = chars[a].iter().zip(&chars[b]).filter(|(p, q)| p != q).count();
                let overlap = series[a].years.keys().any(|y| series[b].years.contains_key(y));
                if differ == 1 && !overlap {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs.sort_unstable_by_key(|&(a, b)| (chars[a].len(), a, b));
    pairs.dedup();
    pairs.into_iter().map(|(a, b)| Variant { a, b }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(agency: &str, year: i32) -> Option<Member<'_>> {
        Some(Member { agency: Some(agency), year: Some(year) })
    }

    fn keys(p: &SeriesPlan) -> Vec<&str> {
        p.series.iter().map(|s| s.key.as_str()).collect()
    }

    #[test]
    fn groups_full_short_and_bare_forms_and_pairs_consecutive_years() {
        let members = [
            m("淮安市洪泽区人民政府", 2024),
            m("洪泽区人民政府", 2023),
            m("洪泽区政府", 2021),
            m("大张楼镇", 2022),
            None,
        ];
        let p = plan(&members, |_| 0);
        assert_eq!(keys(&p), ["大张楼镇", "淮安市洪泽区"]);
        assert_eq!(p.series_of, [Some(1), Some(1), Some(1), Some(0), None]);
        assert_eq!(p.pairs, [Pair { series: 1, previous: 1, current: 0 }]);
        assert_eq!(p.gaps, [Gap { series: 1, after: 2021, before: 2023 }]);
        assert_eq!(p.series[1].names, ["洪泽区人民政府", "洪泽区政府", "淮安市洪泽区人民政府"]);
        assert!(p.duplicates.is_empty() && p.breaks.is_empty() && p.unattributed.is_empty());
    }

    #[test]
    fn duplicates_compare_with_the_best_read_report() {
        // Reports 0 and 1 are one agency's 2021 report in two formats; 1 was read better.
        let members =
            [m("平潭综合实验区", 2021), m("平潭综合实验区", 2021), m("平潭综合实验区", 2022)];
        let p = plan(&members, |i| if i == 1 { 0 } else { 5 });
        assert_eq!(p.duplicates, [Duplicate { series: 0, year: 2021, reports: vec![1, 0] }]);
        assert_eq!(p.pairs, [Pair { series: 0, previous: 1, current: 2 }]);
    }

    #[test]
    fn reorganisations_are_breaks_not_joins() {
        let members = [
            m("洪泽县人民政府", 2014),
            m("洪泽县人民政府", 2015),
            m("淮安市洪泽区人民政府", 2016),
            m("淮安市洪泽区人民政府", 2017),
            // Another county's series ending the same year is not a candidate.
            m("金湖县人民政府", 2015),
        ];
        let p = plan(&members, |_| 0);
        assert_eq!(keys(&p), ["洪泽县", "淮安市洪泽区", "金湖县"]);
        assert_eq!(p.breaks, [Break { ended: 0, started: 1 }]);
        // No rule runs across the break.
        assert!(p.pairs.iter().all(|pr| p.series_of[pr.previous] == p.series_of[pr.current]));
        assert_eq!(p.pairs.len(), 2);
    }

    #[test]
    fn ocr_variants_are_reported_not_joined() {
        let members =
            [m("沭阳县人民政府", 2023), m("沭阳县人民政府", 2024), m("沐阳县人民政府", 2025)];
        let p = plan(&members, |_| 0);
        assert_eq!(keys(&p), ["沐阳县", "沭阳县"]);
        assert_eq!(p.variants, [Variant { a: 0, b: 1 }]);
        // Two towns one character apart with overlapping years are simply two towns.
        let p = plan(&[m("大张楼镇", 2022), m("大王楼镇", 2022)], |_| 0);
        assert!(p.variants.is_empty());
    }

    #[test]
    fn ambiguous_short_forms_and_unattributed_reports() {
        let members = [m("南京市鼓楼区", 2022), m("徐州市鼓楼区", 2022), m("鼓楼区", 2023)];
        let mut p = plan(&members, |_| 0);
        assert_eq!(keys(&p), ["南京市鼓楼区", "徐州市鼓楼区", "鼓楼区"]);
        assert!(p.pairs.is_empty());
        assert_eq!(p.ambiguous.len(), 1);
        assert_eq!(p.ambiguous.remove(0).0, "鼓楼区");
        let no_year = Some(Member { agency: Some("大张楼镇"), year: None });
        let p = plan(&[m("  ", 2022), no_year, None], |_| 0);
        assert_eq!(p.unattributed, [0, 1]);
        assert!(p.series.is_empty());
    }

    /// The quadratic definitions the indexed plan replaced.
    fn naive_breaks(series: &[Series]) -> Vec<Break> {
        let mut out = Vec::new();
        for (a, sa) in series.iter().enumerate() {
            let (Some(stem_a), Some(last)) = (place_stem(&sa.key), sa.last_year()) else {
                continue;
            };
            for (b, sb) in series.iter().enumerate() {
                let (Some(stem_b), Some(first)) = (place_stem(&sb.key), sb.first_year()) else {
                    continue;
                };
                if a != b && first == last + 1 && same_place(stem_a, stem_b) {
                    out.push(Break { ended: a, started: b });
                }
            }
        }
        out
    }

    fn naive_variants(series: &[Series]) -> Vec<Variant> {
        let chars: Vec<Vec<char>> = series.iter().map(|s| s.key.chars().collect()).collect();
        let mut by_len: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, c) in chars.iter().enumerate() {
            if c.len() >= 3 {
                by_len.entry(c.len()).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        for group in by_len.values() {
            for (x, &a) in group.iter().enumerate() {
                for &b in &group[x + 1..] {
                    let differ = chars[a].iter().zip(&chars[b]).filter(|(p, q)| p != q).count();
                    let overlap = series[a].years.keys().any(|y| series[b].years.contains_key(y));
                    if differ == 1 && !overlap {
                        out.push(Variant { a, b });
                    }
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_indexed_plan_finds_what_the_quadratic_one_did(
            names in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!['淮', '安', '洪', '泽', '沭', '沐', '阳', '市', '县', '区', '镇', '省']),
                    2..7,
                ),
                1..40,
            ),
            years in proptest::collection::vec(2015i32..2022, 40),
        ) {
            let names: Vec<String> = names.into_iter().map(|c| c.into_iter().collect()).collect();
            let members: Vec<Option<Member<'_>>> = names
                .iter()
                .zip(&years)
                .map(|(n, &y)| Some(Member { agency: Some(n.as_str()), year: Some(y) }))
                .collect();
            let p = plan(&members, |_| 0);
            proptest::prop_assert_eq!(&p.breaks, &naive_breaks(&p.series));
            proptest::prop_assert_eq!(&p.variants, &naive_variants(&p.series));
        }
    }
}
