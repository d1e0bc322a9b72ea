//! Agency names: the normaliser that decides which reports belong to one series.
//!
//! Two steps, both pure:
//!
//! 1. [`normalize`] maps one printed name to a key: Unicode compatibility form (full-width letters,
//!    digits and brackets become half-width), every space removed (ASCII, U+3000, U+00A0,
//!    zero-width), and a trailing `人民政府` / `政府` dropped — `洪泽区人民政府`, `洪泽区政府` and
//!    `洪泽区 人民政府` are one body, the district government.
//! 2. [`resolve`] unifies *short forms* within a collection: `洪泽区` is the short form of
//!    `淮安市洪泽区` when the latter is the only name in the collection that ends with it after a
//!    higher-level place (`…市`, `…省`, `…县`, …). Where two different full names end with it
//!    (`南京市鼓楼区`, `徐州市鼓楼区`), the short form stays on its own and the ambiguity is
//!    reported: the normaliser never joins two agencies it cannot tell apart.
//!
//! What it deliberately does **not** do: join names that differ in a character (the OCR swap
//! `沭阳县` / `沐阳县` may be two counties for all the name says; [`crate::series`] reports such
//! pairs without joining them), or join a body with its office (`洪泽区人民政府办公室` is not
//! `洪泽区`).

use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::UnicodeNormalization as _;

/// Suffixes naming the people's government itself, longest first.
const GOVERNMENT_SUFFIXES: &[&str] = &["人民政府", "政府"];

/// Characters that end an administrative place name (the level of the place).
const LEVELS: &[char] = &['省', '市', '州', '盟', '县', '区', '旗', '镇', '乡'];

/// Levels a *higher* place in front of a short form may end with (a township is never the
/// prefix of another agency's name).
const HIGHER_LEVELS: &[char] = &['省', '市', '州', '盟', '县', '区', '旗'];

/// The 31 provincial-level divisions of the mainland, by their full names, and the short forms
/// the five autonomous regions are often printed with.
const PROVINCES: &[(&str, &str)] = &[
    ("北京市", "北京市"),
    ("天津市", "天津市"),
    ("河北省", "河北省"),
    ("山西省", "山西省"),
    ("内蒙古自治区", "内蒙古自治区"),
    ("内蒙古", "内蒙古自治区"),
    ("辽宁省", "辽宁省"),
    ("吉林省", "吉林省"),
    ("黑龙江省", "黑龙江省"),
    ("上海市", "上海市"),
    ("江苏省", "江苏省"),
    ("浙江省", "浙江省"),
    ("安徽省", "安徽省"),
    ("福建省", "福建省"),
    ("江西省", "江西省"),
    ("山东省", "山东省"),
    ("河南省", "河南省"),
    ("湖北省", "湖北省"),
    ("湖南省", "湖南省"),
    ("广东省", "广东省"),
    ("广西壮族自治区", "广西壮族自治区"),
    ("广西", "广西壮族自治区"),
    ("海南省", "海南省"),
    ("重庆市", "重庆市"),
    ("四川省", "四川省"),
    ("贵州省", "贵州省"),
    ("云南省", "云南省"),
    ("西藏自治区", "西藏自治区"),
    ("西藏", "西藏自治区"),
    ("陕西省", "陕西省"),
    ("甘肃省", "甘肃省"),
    ("青海省", "青海省"),
    ("宁夏回族自治区", "宁夏回族自治区"),
    ("宁夏", "宁夏回族自治区"),
    ("新疆维吾尔自治区", "新疆维吾尔自治区"),
    ("新疆", "新疆维吾尔自治区"),
];

/// The province (full name) a normalised agency name begins with, when it names one:
/// `江苏省淮安市洪泽区` → `江苏省`, `广西南宁市…` → `广西壮族自治区`. A name that does not
/// begin with its province (`淮安市洪泽区`, `平潭综合实验区`) gives `None`: no gazetteer guesses.
pub fn province(normalized: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(prefix, _)| normalized.starts_with(prefix)).map(|(_, full)| *full)
}

/// The series key of one printed agency name (step 1 above). Returns an empty string for a name
/// that is empty once spaces are removed.
pub fn normalize(name: &str) -> String {
    let mut s: String = name
        .nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}'))
        .collect();
    // The longest suffix that matches decides; a name that is nothing but the suffix is kept.
    if let Some(stem) = GOVERNMENT_SUFFIXES.iter().find_map(|suffix| s.strip_suffix(suffix))
        && !stem.is_empty()
    {
        s.truncate(stem.len());
    }
    s
}

/// Whether `short` may stand for a longer name: it starts with a place name of at least two
/// characters followed by its level (`洪泽区…`, `大张楼镇`), so that a bare department name
/// (`教育局`, `市场监督管理局`) or a one-character county (`泗县`) is never unified with some
/// longer name by accident.
fn is_place_led(short: &str) -> bool {
    short.chars().enumerate().any(|(i, c)| i >= 2 && LEVELS.contains(&c))
}

/// Whether `long` is `short` with a higher-level place in front (`淮安市` + `洪泽区`).
fn extends(long: &str, short: &str) -> bool {
    long.len() > short.len()
        && long
            .strip_suffix(short)
            .and_then(|prefix| prefix.chars().last())
            .is_some_and(|c| HIGHER_LEVELS.contains(&c))
}

/// How one normalised name that is not its own series key was resolved in a collection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A short form of exactly one longer name (through a chain such as `洪泽区` → `淮安市洪泽区`
    /// → `江苏省淮安市洪泽区`): the series key is the longest.
    ShortFormOf(String),
    /// A short form of several different longer names: kept on its own, the candidates listed.
    Ambiguous(Vec<String>),
}

/// Resolves short forms among the normalised `names` of a collection (step 2 above). The names
/// that are their own series key are left out of the result (at national scale, nearly all of
/// them): [`series_key`] of a name not in it is the name.
pub fn resolve<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, Resolution> {
    let names: BTreeSet<&str> = names.into_iter().filter(|n| !n.is_empty()).collect();
    // Each place-led name under the names that [`extends`] it: `extending[n]`, in name order —
    // one pass over each name's characters instead of a scan of every name per name (quadratic
    // at national scale: 150,000 agencies).
    let mut extending: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &m in &names {
        for suffix in higher_suffixes(m) {
            if let Some(&n) = names.get(suffix)
                && is_place_led(n)
            {
                extending.entry(n).or_default().push(m);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (n, longer) in extending {
        // The candidates are unambiguous when they form one chain, each extending the next
        // shorter one; the longest is then the full form.
        let mut chain = longer.clone();
        chain.sort_by_key(|m| m.len());
        let is_chain = chain.windows(2).all(|w| extends(w[1], w[0]));
        let resolution = match chain.last() {
            None => continue,
            Some(longest) if is_chain => Resolution::ShortFormOf((*longest).to_owned()),
            Some(_) => Resolution::Ambiguous(longer.iter().map(|m| (*m).to_owned()).collect()),
        };
        out.insert(n.to_owned(), resolution);
    }
    out
}

/// The non-empty suffixes of `long` that follow a higher-level place character: every `short`
/// with [`extends`]`(long, short)`.
pub(crate) fn higher_suffixes(long: &str) -> impl Iterator<Item = &str> {
    long.char_indices()
        .filter(|(_, c)| HIGHER_LEVELS.contains(c))
        .filter_map(move |(i, c)| long.get(i + c.len_utf8()..))
        .filter(|rest| !rest.is_empty())
}

/// The series key of a normalised name given its resolution.
pub fn series_key<'a>(name: &'a str, resolutions: &'a BTreeMap<String, Resolution>) -> &'a str {
    match resolutions.get(name) {
        Some(Resolution::ShortFormOf(full)) => full,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_only_from_the_name() {
        for (name, p) in [
            ("江苏省淮安市洪泽区", Some("江苏省")),
            ("广西南宁市青秀区", Some("广西壮族自治区")),
            ("内蒙古自治区呼和浩特市", Some("内蒙古自治区")),
            ("北京市东城区", Some("北京市")),
            ("淮安市洪泽区", None),
            ("平潭综合实验区", None),
            ("", None),
        ] {
            assert_eq!(province(&normalize(name)), p, "{name}");
        }
    }

    /// The normaliser's table of examples: printed name → series key.
    const NORMALIZE: &[(&str, &str)] = &[
        ("淮安市洪泽区人民政府", "淮安市洪泽区"),
        ("洪泽区人民政府", "洪泽区"),
        ("洪泽区政府", "洪泽区"),
        ("洪泽区 人民政府", "洪泽区"),
        ("洪泽区\u{3000}人民政府", "洪泽区"),
        ("\u{a0}洪泽区人民政府\u{200b}", "洪泽区"),
        ("大张楼镇", "大张楼镇"),
        ("大张楼镇人民政府", "大张楼镇"),
        ("沭阳县人民政府", "沭阳县"),
        // An OCR swap is not undone: it may be another county for all the name says.
        ("沐阳县人民政府", "沐阳县"),
        // Full-width letters, digits and brackets.
        ("ＸＸ市第１中学（本部）", "XX市第1中学(本部)"),
        // The government's office is another agency.
        ("洪泽区人民政府办公室", "洪泽区人民政府办公室"),
        ("某某市生态环境局", "某某市生态环境局"),
        ("平潭综合实验区", "平潭综合实验区"),
        // Only a suffix is dropped, and never the whole name.
        ("人民政府", "人民政府"),
        ("政府", "政府"),
        ("人民政府办公厅", "人民政府办公厅"),
        ("", ""),
        ("   ", ""),
    ];

    #[test]
    fn normalizes_the_table_of_examples() {
        for (printed, key) in NORMALIZE {
            assert_eq!(normalize(printed), *key, "{printed}");
        }
    }

    #[test]
    fn normalizing_is_idempotent() {
        for (printed, _) in NORMALIZE {
            let once = normalize(printed);
            assert_eq!(normalize(&once), once, "{printed}");
        }
    }

    /// The resolver's table: a collection of normalised names → (name, series key).
    #[test]
    fn resolves_short_forms_only_when_unambiguous() {
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let cases: &[Case<'_>] = &[
            // The brief's example: full, short and bare forms of one district government.
            (
                &["淮安市洪泽区", "洪泽区"],
                &[("淮安市洪泽区", "淮安市洪泽区"), ("洪泽区", "淮安市洪泽区")],
            ),
            // A chain resolves to the longest.
            (
                &["江苏省淮安市洪泽区", "淮安市洪泽区", "洪泽区"],
                &[
                    ("洪泽区", "江苏省淮安市洪泽区"),
                    ("淮安市洪泽区", "江苏省淮安市洪泽区"),
                    ("江苏省淮安市洪泽区", "江苏省淮安市洪泽区"),
                ],
            ),
            // Two districts of the same name in two cities: the bare form stays alone.
            (
                &["南京市鼓楼区", "徐州市鼓楼区", "鼓楼区"],
                &[
                    ("鼓楼区", "鼓楼区"),
                    ("南京市鼓楼区", "南京市鼓楼区"),
                    ("徐州市鼓楼区", "徐州市鼓楼区"),
                ],
            ),
            // Departments with a place in front.
            (&["淮安市洪泽区教育局", "洪泽区教育局"], &[("洪泽区教育局", "淮安市洪泽区教育局")]),
            // A bare department name is never a short form.
            (&["淮安市教育局", "教育局"], &[("教育局", "教育局")]),
            (&["淮安市市场监督管理局", "市场监督管理局"], &[("市场监督管理局", "市场监督管理局")]),
            // A one-character county is too short to tell.
            (&["宿州市泗县", "泗县"], &[("泗县", "泗县")]),
            // The prefix must end with a higher level: `大洪泽区` is not `洪泽区` with a place in front.
            (&["大洪泽区", "洪泽区"], &[("洪泽区", "洪泽区")]),
            // A township under a county.
            (&["郓城县大张楼镇", "大张楼镇"], &[("大张楼镇", "郓城县大张楼镇")]),
        ];
        for (names, expected) in cases {
            let r = resolve(names.iter().copied());
            for (name, key) in *expected {
                assert_eq!(series_key(name, &r), *key, "{name} in {names:?}");
            }
        }
        let r = resolve(["南京市鼓楼区", "徐州市鼓楼区", "鼓楼区"]);
        assert_eq!(
            r.get("鼓楼区"),
            Some(&Resolution::Ambiguous(vec![
                "南京市鼓楼区".to_owned(),
                "徐州市鼓楼区".to_owned()
            ]))
        );
    }

    proptest::proptest! {
        /// Whatever the spacing and width, a printed name and its variants share a key.
        #[test]
        fn spacing_and_suffix_variants_share_a_key(
            stem in "[\u{4e00}-\u{4e20}]{2,6}[区县市镇]",
            spaces in proptest::collection::vec(proptest::sample::select(vec![" ", "\u{3000}", "\u{a0}", ""]), 3),
        ) {
            let full = format!("{}{}人民{}政府", spaces[0], stem, spaces[1]);
            let short = format!("{stem}{}政府{}", spaces[2], spaces[0]);
            proptest::prop_assert_eq!(normalize(&full), normalize(&short));
            proptest::prop_assert_eq!(normalize(&stem), normalize(&full));
        }
    }

    proptest::proptest! {
        #[test]
        fn indexed_suffixes_are_the_names_that_extend(
            names in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!['淮', '安', '洪', '泽', '市', '县', '区', '镇', '省']),
                    1..7,
                ),
                1..30,
            ),
        ) {
            let names: Vec<String> = names.into_iter().map(|c| c.into_iter().collect()).collect();
            for m in &names {
                for n in &names {
                    let indexed = higher_suffixes(m).any(|s| s == n.as_str());
                    proptest::prop_assert_eq!(indexed, extends(m, n), "{} / {}", m, n);
                }
            }
        }
    }
}
