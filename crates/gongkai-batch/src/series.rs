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
//!
//! A plan over two million reports stays in the memory of a streaming batch until its outputs
//! are written, so it is kept small (27 bytes a report in `tests/memory.rs`): report indices
//! are `u32` (a report's series too, `u32::MAX` for none), a series keeps its key and years —
//! not a map of reports per year, nor the names printed —, a pair only its two reports, and the
//! planning itself keeps each distinct agency name once.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher as _, Hash as _, Hasher as _};

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
    /// The years with a report, ascending (the reports are [`SeriesPlan::series_of`]).
    pub years: Vec<i32>,
}

impl Series {
    /// The first year.
    pub fn first_year(&self) -> Option<i32> {
        self.years.first().copied()
    }

    /// The last year.
    pub fn last_year(&self) -> Option<i32> {
        self.years.last().copied()
    }

    /// Whether the series has a report of `year`.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.binary_search(&year).is_ok()
    }
}

/// Two consecutive years of one series the cross-year rules run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The report of the earlier year.
    pub previous: u32,
    /// The report of the later year (findings are attributed to it).
    pub current: u32,
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
    /// For each report: its series ([`NO_SERIES`] if it has no agency or no year); see
    /// [`SeriesPlan::series_of`]. 4 bytes a report, kept until the outputs are written.
    series_of: Vec<u32>,
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

/// What the planner needs to know about one report, its agency given as an index into a list of
/// names printed (a streaming batch keeps each name once and its files by index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The agency as printed: an index into the planner's `agencies`, if the reader found one.
    pub agency: Option<u32>,
    /// The report year, if the reader found one.
    pub year: Option<i32>,
}

/// In [`SeriesPlan`]'s `series_of`: a report in no series.
const NO_SERIES: u32 = u32::MAX;

impl SeriesPlan {
    /// The series of report `report` (an index into [`SeriesPlan::series`]), if it has an
    /// agency and a year.
    pub fn series_of(&self, report: usize) -> Option<usize> {
        self.series_of.get(report).filter(|&&s| s != NO_SERIES).map(|&s| s as usize)
    }

    /// The series key of report `report`, if it is in a series.
    pub fn key_of(&self, report: usize) -> Option<&str> {
        self.series.get(self.series_of(report)?).map(|s| s.key.as_str())
    }

    /// The reports a summary names one by one ([`crate::Summary::render_plan`]): those of the
    /// duplicated years, then the unattributed ones. A streaming batch keeps the names of these
    /// only.
    pub fn named_reports(&self) -> impl Iterator<Item = usize> + '_ {
        self.duplicates
            .iter()
            .flat_map(|d| d.reports.iter().copied())
            .chain(self.unattributed.iter().copied())
    }
}

/// Plans the series of a collection. `members[i]` is report `i` (`None` for a file that could
/// not be read); `quality(i)` ranks the reports of one year (lower is better) to choose the
/// primary report that the next year is compared with. The same plan as [`plan_entries`] over
/// the distinct names printed.
pub fn plan(members: &[Option<Member<'_>>], quality: impl Fn(usize) -> u32) -> SeriesPlan {
    let mut agencies: Vec<&str> = Vec::new();
    let mut id: HashMap<&str, u32> = HashMap::new();
    let entries: Vec<Option<Entry>> = members
        .iter()
        .map(|m| {
            m.map(|m| Entry {
                agency: m.agency.map(|a| {
                    *id.entry(a).or_insert_with(|| {
                        agencies.push(a);
                        index(agencies.len() - 1)
                    })
                }),
                year: m.year,
            })
        })
        .collect();
    drop(id);
    plan_entries(&agencies, entries.len(), |i| entries[i], quality)
}

/// Plans the series of the reports `0..len`: `entry(i)` is report `i` (`None` for a file that
/// could not be read or is not a report), its agency an index into `agencies`; `quality` as for
/// [`plan`].
///
/// Memory: besides what it returns (the series, `series_of`, the pairs), the planning needs
/// 4 bytes per report and a few per distinct name; it asks `entry` again rather than keeping a
/// copy, so a caller with two million files in a compact array pays no more.
pub fn plan_entries<S: AsRef<str>>(
    agencies: &[S],
    len: usize,
    entry: impl Fn(usize) -> Option<Entry>,
    quality: impl Fn(usize) -> u32,
) -> SeriesPlan {
    // A report in a series: one with an agency (of a non-empty key) and a year.
    let attributed = |i: usize| entry(i).and_then(|e| Some((e.agency?, e.year?)));
    // Each name printed by such a report normalised once, to the index of its key.
    const UNSEEN: u32 = u32::MAX - 1;
    const EMPTY: u32 = u32::MAX;
    let mut key_of: Vec<u32> = vec![UNSEEN; agencies.len()];
    let mut keys: Vec<String> = Vec::new();
    let mut key_index: HashMap<String, u32> = HashMap::new();
    for i in 0..len {
        let Some((a, _)) = attributed(i) else { continue };
        let Some(slot) = key_of.get_mut(a as usize) else { continue };
        if *slot != UNSEEN {
            continue;
        }
        let key = agency::normalize(agencies[a as usize].as_ref());
        *slot = if key.is_empty() {
            EMPTY
        } else {
            *key_index.entry(key).or_insert_with_key(|key| {
                keys.push(key.clone());
                index(keys.len() - 1)
            })
        };
    }
    drop(key_index);
    let resolutions = agency::resolve(keys.iter().map(String::as_str));
    // The series, sorted by key; each key's series.
    let mut series_index: BTreeMap<&str, u32> =
        keys.iter().map(|k| (agency::series_key(k, &resolutions), 0)).collect();
    for (s, v) in series_index.values_mut().enumerate() {
        *v = index(s);
    }
    let key_series: Vec<u32> =
        keys.iter().map(|k| series_index[agency::series_key(k, &resolutions)]).collect();
    let series_of_key = |a: u32| match key_of.get(a as usize) {
        Some(&k) if k != UNSEEN && k != EMPTY => key_series.get(k as usize).copied(),
        _ => None,
    };

    let mut plan = SeriesPlan { series_of: vec![NO_SERIES; len], ..SeriesPlan::default() };
    let mut starts: Vec<usize> = vec![0; series_index.len() + 1];
    for i in 0..len {
        match attributed(i).and_then(|(a, _)| series_of_key(a)) {
            Some(s) => {
                plan.series_of[i] = s;
                starts[s as usize + 1] += 1;
            }
            None => {
                if entry(i).is_some() {
                    plan.unattributed.push(i);
                }
            }
        }
    }
    for s in 1..starts.len() {
        starts[s] += starts[s - 1];
    }
    // Report indices grouped by series, in input order within each (a counting sort).
    let mut order: Vec<u32> = vec![0; starts.last().copied().unwrap_or(0)];
    let mut next = starts.clone();
    for (i, &s) in plan.series_of.iter().enumerate() {
        if s != NO_SERIES {
            order[next[s as usize]] = index(i);
            next[s as usize] += 1;
        }
    }
    drop(next);
    plan.pairs.reserve_exact(order.len());

    let year_of = |i: u32| entry(i as usize).and_then(|e| e.year).unwrap_or(0);
    let mut prev_years: Vec<(i32, u32)> = Vec::new();
    for (s, key) in series_index.keys().enumerate() {
        let reports = &mut order[starts[s]..starts[s + 1]];
        // By year, then primary first: best read, then input order (the sort is stable).
        reports.sort_by_key(|&i| (year_of(i), quality(i as usize)));
        let mut years: Vec<i32> = Vec::new();
        prev_years.clear();
        for same_year in reports.chunk_by(|&a, &b| year_of(a) == year_of(b)) {
            let year = year_of(same_year[0]);
            if same_year.len() > 1 {
                plan.duplicates.push(Duplicate {
                    series: s,
                    year,
                    reports: same_year.iter().map(|&i| i as usize).collect(),
                });
            }
            if let Some(&(py, primary)) = prev_years.last() {
                if year == py + 1 {
                    for &current in same_year {
                        plan.pairs.push(Pair { previous: primary, current });
                    }
                } else {
                    plan.gaps.push(Gap { series: s, after: py, before: year });
                }
            }
            prev_years.push((year, same_year[0]));
            years.push(year);
        }
        years.shrink_to_fit();
        plan.series.push(Series { key: (*key).to_owned(), years });
    }
    plan.pairs.shrink_to_fit();
    // What the planning needed goes before the series are compared with each other.
    drop((order, starts, series_index, key_series, key_of));
    plan.ambiguous = resolutions
        .into_iter()
        .filter_map(|(k, r)| match r {
            Resolution::Ambiguous(c) => Some((k, c)),
            Resolution::ShortFormOf(_) => None,
        })
        .collect();
    drop(keys);

    plan.breaks = breaks(&plan.series);
    plan.variants = variants(&plan.series);
    plan
}

/// A report or series index as kept in a plan.
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
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
    // Series by stem, and by each higher-level suffix of their stem: sorted `(text, series)`
    // (24 bytes each rather than a map entry and a `Vec` per text).
    let mut by_stem: Vec<(&str, u32)> = Vec::new();
    let mut by_suffix: Vec<(&str, u32)> = Vec::new();
    for (b, stem) in stems.iter().enumerate() {
        if let Some(stem) = stem {
            by_stem.push((stem, index(b)));
            by_suffix.extend(higher_stems(stem).map(|suffix| (suffix, index(b))));
        }
    }
    by_stem.sort_unstable();
    by_suffix.sort_unstable();
    let under = |sorted: &[(&str, u32)], text: &str| -> Vec<usize> {
        let from = sorted.partition_point(|(t, _)| *t < text);
        sorted[from..].iter().take_while(|(t, _)| *t == text).map(|&(_, b)| b as usize).collect()
    };
    let mut out = Vec::new();
    for (a, sa) in series.iter().enumerate() {
        let (Some(stem_a), Some(last)) = (stems[a], sa.last_year()) else { continue };
        let mut candidates: Vec<usize> = under(&by_stem, stem_a);
        candidates.extend(under(&by_suffix, stem_a));
        for suffix in higher_stems(stem_a) {
            candidates.extend(under(&by_stem, suffix));
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
/// length that differ in position `p` share the key with `p` masked: grouped, one position at a
/// time, by a hash of the masked key (each candidate pair is then compared character by
/// character, so a collision only costs a comparison), so linear in the number of series (times
/// the key length) rather than quadratic, and in memory of a few bytes per series.
fn variants(series: &[Series]) -> Vec<Variant> {
    let lengths: Vec<usize> = series.iter().map(|s| s.key.chars().count()).collect();
    let longest = lengths.iter().copied().max().unwrap_or(0);
    let hasher =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut masked: Vec<(usize, u64, u32)> = Vec::new();
    for p in 0..longest {
        masked.clear();
        for (i, s) in series.iter().enumerate() {
            if lengths[i] >= 3 && p < lengths[i] {
                let mut h = hasher.build_hasher();
                for (q, c) in s.key.chars().enumerate() {
                    if q != p {
                        c.hash(&mut h);
                    } else {
                        '\u{0}'.hash(&mut h);
                    }
                }
                masked.push((lengths[i], h.finish(), index(i)));
            }
        }
        masked.sort_unstable();
        for group in masked.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            for (x, &(_, _, a)) in group.iter().enumerate() {
                for &(_, _, b) in &group[x + 1..] {
                    let (a, b) = (a as usize, b as usize);
                    let (sa, sb) = (&series[a], &series[b]);
                    let differ = sa.key.chars().zip(sb.key.chars()).filter(|(p, q)| p != q).count();
                    let overlap = sa.years.iter().any(|&y| sb.has_year(y));
                    if differ == 1 && !overlap {
                        pairs.push((a, b));
                    }
                }
            }
        }
    }
    pairs.sort_unstable_by_key(|&(a, b)| (lengths[a], a, b));
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
        let series_of: Vec<_> = (0..members.len()).map(|i| p.series_of(i)).collect();
        assert_eq!(series_of, [Some(1), Some(1), Some(1), Some(0), None]);
        assert_eq!(p.key_of(2), Some("淮安市洪泽区"));
        assert_eq!(p.key_of(4), None);
        assert_eq!(p.pairs, [Pair { previous: 1, current: 0 }]);
        assert_eq!(p.gaps, [Gap { series: 1, after: 2021, before: 2023 }]);
        assert_eq!(p.series[1].years, [2021, 2023, 2024]);
        assert!(p.duplicates.is_empty() && p.breaks.is_empty() && p.unattributed.is_empty());
    }

    #[test]
    fn duplicates_compare_with_the_best_read_report() {
        // Reports 0 and 1 are one agency's 2021 report in two formats; 1 was read better.
        let members =
            [m("平潭综合实验区", 2021), m("平潭综合实验区", 2021), m("平潭综合实验区", 2022)];
        let p = plan(&members, |i| if i == 1 { 0 } else { 5 });
        assert_eq!(p.duplicates, [Duplicate { series: 0, year: 2021, reports: vec![1, 0] }]);
        assert_eq!(p.pairs, [Pair { previous: 1, current: 2 }]);
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
        assert!(
            p.pairs
                .iter()
                .all(|pr| p.series_of(pr.previous as usize) == p.series_of(pr.current as usize))
        );
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
                    let overlap = series[a].years.iter().any(|&y| series[b].has_year(y));
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
