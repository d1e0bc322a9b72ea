//! 机关检索, finding agencies for the public portal: by name — in Chinese, in full pinyin, by
//! pinyin initials, or any mix of them (`hzsjyj`, `HZS`, `hangzhou`, `hangzhoushijyj`, `jyj`,
//! `杭州市jyj` all find 杭州市教育局: the characters matched are consecutive) — and by region
//! (a GB/T 2260 code: its prefix, or the subtree of the offices of that region).
//!
//! The pinyin of every character comes from the `pinyin` crate with every reading of a
//! heteronym (重庆 is `chongqing` and `zhongqing`, 银行 is `yinhang`), computed in memory per
//! search: a few thousand names cost well under a millisecond, so no column, index or
//! migration is needed. A query is split on spaces into terms; every term must match, the
//! agency's own name or (less well ranked) the name of an office above it.
//!
//! [`Directory`] is pure: the organisations in, the hits out.

use std::collections::HashMap;

use gongkai_store::{Org, OrgId, OrgKind};
use pinyin::ToPinyinMulti as _;

/// The most characters of a term that are matched (longer terms are cut).
const MAX_TERM: usize = 64;

/// One character of a name, as matched.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Unit {
    /// A Chinese character with its readings (plain pinyin, every reading of a heteronym).
    Han(char, Vec<&'static str>),
    /// A letter or digit (lower case, half width), or a character without pinyin.
    Other(char),
}

/// A name made ready for matching: its characters with their pinyin; punctuation dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key(Vec<Unit>);

/// A full-width ASCII character as its half-width form, in lower case.
fn fold(c: char) -> char {
    let c = match u32::from(c) {
        0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

impl Key {
    /// The key of a name.
    pub fn of(name: &str) -> Key {
        let mut units = Vec::new();
        for c in name.chars() {
            if let Some(multi) = c.to_pinyin_multi() {
                let mut readings: Vec<&'static str> =
                    multi.into_iter().map(|p| p.plain()).collect();
                readings.dedup();
                units.push(Unit::Han(c, readings));
            } else {
                let c = fold(c);
                if c.is_alphanumeric() {
                    units.push(Unit::Other(c));
                }
            }
        }
        Key(units)
    }

    /// Where `term` (already [`terms`]-normalised) first matches, as the index of the character
    /// it starts at; `None` when it does not. Each Chinese character of the name is matched by
    /// itself, by one of its readings in full, by the first letter of one, or — at the end of
    /// the term only — by the beginning of one (`hangzh` finds 杭州).
    pub fn find(&self, term: &[char]) -> Option<usize> {
        if term.is_empty() {
            return Some(0);
        }
        let term = &term[..term.len().min(MAX_TERM)];
        // Positions (unit, term offset) known not to match: shared by every start.
        let mut failed = vec![0u64; self.0.len() + 1];
        (0..self.0.len()).find(|&start| self.from(start, term, 0, &mut failed))
    }

    /// Whether `term[at..]` matches from unit `unit` on.
    fn from(&self, unit: usize, term: &[char], at: usize, failed: &mut [u64]) -> bool {
        if at == term.len() {
            return true;
        }
        let Some(u) = self.0.get(unit) else { return false };
        let bit = 1u64 << at;
        if failed[unit] & bit != 0 {
            return false;
        }
        let rest = &term[at..];
        let found = match u {
            Unit::Other(c) => *c == rest[0] && self.from(unit + 1, term, at + 1, failed),
            Unit::Han(c, readings) => {
                (*c == rest[0] && self.from(unit + 1, term, at + 1, failed))
                    || readings.iter().any(|r| match syllable(r, rest) {
                        Eaten::All(n) => self.from(unit + 1, term, at + n, failed),
                        Eaten::TermEnds => true,
                        Eaten::No => false,
                    })
                    || readings.iter().any(|r| {
                        r.chars().next().is_some_and(|f| f == rest[0])
                            && self.from(unit + 1, term, at + 1, failed)
                    })
            }
        };
        if !found {
            failed[unit] |= bit;
        }
        found
    }
}

/// How much of a term a reading takes.
enum Eaten {
    /// The whole reading, `n` characters of the term.
    All(usize),
    /// The term ends inside the reading (and agreed so far).
    TermEnds,
    /// They differ.
    No,
}

/// Compares a reading with the start of `rest`; `ü` is typed `v` or `u`.
fn syllable(reading: &str, rest: &[char]) -> Eaten {
    let mut n = 0;
    for r in reading.chars() {
        let Some(&t) = rest.get(n) else { return Eaten::TermEnds };
        let same = t == r || (r == 'ü' && matches!(t, 'v' | 'u'));
        if !same {
            return Eaten::No;
        }
        n += 1;
    }
    Eaten::All(n)
}

/// The terms of a query: split on white space, each full-width letter folded to half width and
/// lower case, punctuation (`'` between syllables, brackets) dropped.
pub fn terms(query: &str) -> Vec<Vec<char>> {
    query
        .split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .map(|t| t.chars().map(fold).filter(|c| c.is_alphanumeric()).collect::<Vec<char>>())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The significant prefix of a region code: `330100` → `3301`, `330000` → `33`, `330106` →
/// itself (trailing `00` pairs are "the whole of").
pub fn region_prefix(code: &str) -> &str {
    let mut p = code;
    while p.len() > 2 && p.ends_with("00") {
        p = &p[..p.len() - 2];
    }
    p
}

/// The suffixes of an office's name that are the office, not the region (longest first).
const OFFICE_SUFFIXES: [&str; 7] = [
    "人民政府政务公开办公室",
    "人民政府政务公开办",
    "政务公开办公室",
    "政务公开办",
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
];

/// The region an office stands for, by its name: `示范县人民政府政务公开办公室` → `示范县`; a
/// name without a known suffix is the region's name as it is.
pub fn region_name(office: &str) -> &str {
    OFFICE_SUFFIXES
        .iter()
        .find_map(|s| office.strip_suffix(s).filter(|r| !r.is_empty()))
        .unwrap_or(office)
}

/// A region offered by the search: a code and its name, from an office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// The six-digit code.
    pub code: String,
    /// Its name (the office's, without the office's suffix).
    pub name: String,
}

/// A found agency.
#[derive(Clone, Debug)]
pub struct Hit<'a> {
    /// The agency.
    pub agency: &'a Org,
    /// The office directly above it.
    pub office: Option<&'a Org>,
    /// The name of its region (of the office above it).
    pub region: String,
    /// How well it matched: lower is better (0: every term at the start of the name).
    pub rank: usize,
}

/// The organisations as the search sees them: every one, with the pinyin key of its name
/// (computed once, when the directory is made).
#[derive(Debug)]
pub struct Directory {
    orgs: Vec<Org>,
    keys: Vec<Key>,
    by_id: HashMap<OrgId, usize>,
}

impl Directory {
    /// The directory of `orgs` (every organisation, offices and agencies).
    pub fn new(orgs: Vec<Org>) -> Directory {
        let keys = orgs.iter().map(|o| Key::of(&o.name)).collect();
        let by_id = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        Directory { orgs, keys, by_id }
    }

    /// Every organisation, by id.
    pub fn orgs(&self) -> &[Org] {
        &self.orgs
    }

    /// The organisation with this id.
    pub fn get(&self, id: OrgId) -> Option<&Org> {
        self.by_id.get(&id).map(|&i| &self.orgs[i])
    }

    /// The key of the organisation with this id.
    fn key(&self, id: OrgId) -> Option<&Key> {
        self.by_id.get(&id).map(|&i| &self.keys[i])
    }

    /// The offices above `org`, nearest first (a corrupt cycle ends).
    fn above(&self, org: &Org) -> Vec<&Org> {
        let mut chain: Vec<&Org> = Vec::new();
        let mut next = org.parent;
        while let Some(id) = next {
            let Some(o) = self.get(id) else { break };
            if chain.iter().any(|c| c.id == o.id) || chain.len() > 64 {
                break;
            }
            chain.push(o);
            next = o.parent;
        }
        chain
    }

    /// The regions of the offices, by code; where several offices share a code, the name of
    /// the highest (then first) of them.
    pub fn regions(&self) -> Vec<Region> {
        let mut offices: Vec<&Org> =
            self.orgs.iter().filter(|o| o.kind == OrgKind::Office).collect();
        offices.sort_by_key(|a| (a.level, a.id));
        let mut regions: Vec<Region> = Vec::new();
        for o in offices {
            if !regions.iter().any(|r| r.code == o.region.as_str()) {
                regions.push(Region {
                    code: o.region.as_str().to_owned(),
                    name: region_name(&o.name).to_owned(),
                });
            }
        }
        regions.sort_by(|a, b| a.code.cmp(&b.code));
        regions
    }

    /// Whether `org` lies in the region `code`: its own code within the code's prefix, or an
    /// office above it of exactly that code.
    fn in_region(&self, org: &Org, code: &str) -> bool {
        org.region.as_str().starts_with(region_prefix(code))
            || self.above(org).iter().any(|o| o.region.as_str() == code)
    }

    /// The agencies matching every term of `query` (see [`terms`]) within `region` (a code),
    /// best first: by rank, then name, then id. No term and no region: nothing.
    pub fn search(&self, query: &str, region: Option<&str>) -> Vec<Hit<'_>> {
        let terms = terms(query);
        if terms.is_empty() && region.is_none() {
            return Vec::new();
        }
        let mut hits = Vec::new();
        for (org, key) in
            self.orgs.iter().zip(&self.keys).filter(|(o, _)| o.kind == OrgKind::Agency)
        {
            if region.is_some_and(|code| !self.in_region(org, code)) {
                continue;
            }
            let above = self.above(org);
            let Some(rank) = self.rank(key, &above, &terms) else { continue };
            let office = above.first().copied();
            hits.push(Hit {
                agency: org,
                office,
                region: office.map_or_else(
                    || org.region.as_str().to_owned(),
                    |o| region_name(&o.name).to_owned(),
                ),
                rank,
            });
        }
        hits.sort_by(|a, b| {
            (a.rank, &a.agency.name, a.agency.id).cmp(&(b.rank, &b.agency.name, b.agency.id))
        });
        hits
    }

    /// How well every term matches the name of `key`: per term 0 at the start of the name, 1
    /// inside it, 2 in the name of an office above; `None` when a term matches nowhere.
    fn rank(&self, key: &Key, above: &[&Org], terms: &[Vec<char>]) -> Option<usize> {
        let mut total = 0;
        for term in terms {
            total += match key.find(term) {
                Some(0) => 0,
                Some(_) => 1,
                None if above
                    .iter()
                    .any(|o| self.key(o.id).is_some_and(|k| k.find(term).is_some())) =>
                {
                    2
                }
                None => return None,
            };
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use gongkai_store::{Level, RegionCode};

    use super::*;

    fn finds(name: &str, query: &str) -> bool {
        let terms = terms(query);
        let key = Key::of(name);
        terms.iter().all(|t| key.find(t).is_some())
    }

    #[test]
    fn initials_full_pinyin_and_mixes_find_the_name() {
        for q in [
            "hzsjyj",
            "HZS",
            "ＨＺＳ",
            "jyj",
            "hangzhou",
            "hangzh",
            "hangzhoushijiaoyuju",
            "hang'zhou",
            "hangzhoushijyj",
            "hzshijiaoyu",
            "杭州sjyj",
            "杭州市jyj",
            "教育局",
            "杭州 教育",
            "jiaoyu hz",
        ] {
            assert!(finds("杭州市教育局", q), "{q}");
        }
        for q in
            ["hzx", "jyjx", "hangzhoux", "hangzhoujyj", "zhouhang", "教育厅", "hz jyt", "shjyj"]
        {
            assert!(!finds("杭州市教育局", q), "{q}");
        }
    }

    #[test]
    fn every_reading_of_a_heteronym_counts() {
        assert!(finds("重庆市财政局", "cqs"));
        assert!(finds("重庆市财政局", "chongqing"));
        assert!(finds("重庆市财政局", "zqs"), "重 is also zhong");
        assert!(finds("中国银行", "zgyh"));
        assert!(finds("中国银行", "yinhang"));
        assert!(finds("绿化委员会", "lvhua") && finds("绿化委员会", "luhua"), "ü as v or u");
    }

    #[test]
    fn letters_digits_and_brackets_in_names() {
        assert!(finds("示范县（开发区）管委会", "kfq"));
        assert!(finds("第2中学", "d2zx"));
        assert!(finds("ABC研究院", "abcyjy"));
        assert!(!finds("第2中学", "d3zx"));
    }

    #[test]
    fn where_a_term_starts() {
        let key = Key::of("杭州市教育局");
        assert_eq!(key.find(&terms("hz")[0]), Some(0));
        assert_eq!(key.find(&terms("jyj")[0]), Some(3));
        assert_eq!(key.find(&terms("育局")[0]), Some(4));
    }

    #[test]
    fn a_long_term_of_repeats_is_quick_and_ends() {
        let name = "阿".repeat(70);
        let term: Vec<char> = "a".repeat(200).chars().collect();
        assert_eq!(Key::of(&name).find(&term), Some(0), "cut at 64 characters, all matched");
        let term: Vec<char> = format!("{}x", "a".repeat(62)).chars().collect();
        assert_eq!(Key::of(&name).find(&term), None);
    }

    #[test]
    fn region_prefixes_and_names() {
        assert_eq!(region_prefix("330106"), "330106");
        assert_eq!(region_prefix("330100"), "3301");
        assert_eq!(region_prefix("330000"), "33");
        assert_eq!(region_name("示范县人民政府政务公开办公室"), "示范县");
        assert_eq!(region_name("杭州市人民政府办公厅"), "杭州市");
        assert_eq!(region_name("县政务公开办"), "县");
        assert_eq!(region_name("政务公开办"), "政务公开办");
        assert_eq!(region_name("某某委员会"), "某某委员会");
    }

    fn org(id: i64, parent: Option<i64>, kind: OrgKind, name: &str, region: &str) -> Org {
        Org {
            id: OrgId(id),
            parent: parent.map(OrgId),
            kind,
            name: name.into(),
            level: Level::County,
            region: RegionCode::parse(region).unwrap_or_else(|e| panic!("{e:?}")),
        }
    }

    #[test]
    fn search_ranks_and_filters_by_region() {
        let orgs = vec![
            org(1, None, OrgKind::Office, "杭州市人民政府办公厅", "330100"),
            org(2, Some(1), OrgKind::Agency, "杭州市教育局", "330100"),
            org(3, Some(1), OrgKind::Office, "西湖区人民政府办公室", "330106"),
            org(4, Some(3), OrgKind::Agency, "西湖区教育局", "330106"),
            org(5, None, OrgKind::Office, "宁波市政务公开办", "330200"),
            org(6, Some(5), OrgKind::Agency, "宁波市教育局", "330200"),
            // Coded elsewhere, but under the Xihu office: in its region all the same.
            org(7, Some(3), OrgKind::Agency, "转塘街道办事处", "330199"),
        ];
        let dir = Directory::new(orgs);
        let names =
            |hits: Vec<Hit<'_>>| hits.iter().map(|h| h.agency.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(dir.search("jyj", None)),
            ["宁波市教育局", "杭州市教育局", "西湖区教育局"]
        );
        assert_eq!(names(dir.search("hzsjyj", None)), ["杭州市教育局"]);
        assert_eq!(names(dir.search("jyj", Some("330100"))), ["杭州市教育局", "西湖区教育局"]);
        assert_eq!(names(dir.search("", Some("330106"))), ["西湖区教育局", "转塘街道办事处"]);
        assert_eq!(
            names(dir.search("xh", None)),
            ["西湖区教育局", "转塘街道办事处"],
            "offices are not results; the office's name finds the agencies below it"
        );
        // A term found only in an office above: ranked after the names that have it.
        assert_eq!(names(dir.search("xihu", None)), ["西湖区教育局", "转塘街道办事处"]);
        assert!(dir.search("", None).is_empty());
        let hit = &dir.search("hzsjyj", None)[0];
        assert_eq!((hit.region.as_str(), hit.office.map(|o| o.id)), ("杭州市", Some(OrgId(1))));
        let regions = dir.regions();
        let got: Vec<(&str, &str)> =
            regions.iter().map(|r| (r.code.as_str(), r.name.as_str())).collect();
        assert_eq!(got, [("330100", "杭州市"), ("330106", "西湖区"), ("330200", "宁波市")]);
    }
}
