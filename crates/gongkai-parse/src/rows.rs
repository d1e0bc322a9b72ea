//! Finding the rows of a table layout in a region of the token stream.
//!
//! 1. Every row label (and its aliases) is searched exactly in the label stream of the region.
//! 2. A dynamic programme picks at most one occurrence per row so that rows appear in template
//!    order, maximising the total match quality. Quality falls when letters separate the match
//!    from the next value (`其他` inside `其他处理` is a poor match for the row `3.其他`).
//! 3. Rows still missing are searched approximately (typos such as `其他法律行政止公开`, OCR swaps)
//!    in the gap between their matched neighbours.
//! 4. Each row's values are the value tokens after its label, up to the next text or the next row.
//!    Value tokens left over in a gap are *orphans*; when exactly one row is missing in that gap and
//!    there is exactly one orphan group, the group is that row's (matched by place).

use std::ops::Range;
use std::sync::LazyLock;

use gongkai_model::{Layout, RowSpec, TableId, TableLayout};

use crate::lex::{GAP, Kind, LabelStream, Lexed, NO_ROW};
use crate::norm::{Class, chinese_numeral, class, letters};

/// How a row's label was found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum How {
    /// The template label.
    Exact,
    /// A known alternative wording.
    Alias,
    /// Approximately, with this many edits.
    Fuzzy(u32),
    /// Not found; the row's values were identified by their place between neighbouring rows.
    Position,
}

/// A row label found in the stream.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Hit {
    /// Stream index of the first matched letter.
    pub start: usize,
    /// Stream index after the last matched letter.
    pub end: usize,
    /// Match quality in (0, 1].
    pub quality: f32,
    /// How it was found.
    pub how: How,
}

/// One row's match and its value tokens.
#[derive(Clone, Debug, Default)]
pub(crate) struct RowMatch {
    /// The label, when found.
    pub hit: Option<Hit>,
    /// Token indexes of the row's value tokens.
    pub atoms: Vec<usize>,
    /// Token indexes of value tokens after the row that belong to no row.
    pub orphans: Vec<Vec<usize>>,
}

/// Shared inputs.
pub(crate) struct Ctx<'a> {
    /// Tokens.
    pub lexed: &'a Lexed,
    /// Label stream.
    pub stream: &'a LabelStream,
    /// The document text.
    pub text: &'a str,
    /// Readings an OCR reader offered for cells it printed as `?` ([`crate::choices`]).
    pub choices: &'a [gongkai_doc::Choices],
    /// The work budget that every enumeration of readings spends from.
    pub work: &'a crate::work::Work,
}

impl Ctx<'_> {
    /// The stream range of a token range.
    pub(crate) fn stream_range(&self, toks: &Range<usize>) -> Range<usize> {
        let s = self.stream.tok_start.get(toks.start).map_or(self.stream.len(), |&x| x as usize);
        let e = self.stream.tok_start.get(toks.end).map_or(self.stream.len(), |&x| x as usize);
        s..e
    }

    /// The token holding stream char `i`.
    pub(crate) fn tok_of(&self, i: usize) -> usize {
        self.stream.tok.get(i).map_or(self.lexed.toks.len(), |&t| t as usize)
    }
}

fn patterns(row: &RowSpec) -> Vec<(Vec<char>, How)> {
    let mut out = vec![(letters(row.body).chars().collect::<Vec<_>>(), How::Exact)];
    for a in row.aliases {
        out.push((letters(a).chars().collect(), How::Alias));
    }
    out.retain(|(p, _)| !p.is_empty());
    out
}

/// The patterns of every row of a layout, computed once per layout.
struct LayoutPatterns {
    /// Per row: its patterns.
    rows: Vec<Vec<(Vec<char>, How)>>,
    /// First letter → `(row, pattern)` pairs starting with it, sorted by letter.
    first: Vec<(char, Vec<(usize, usize)>)>,
    /// A 64-bit filter of the first letters (bit `c % 64`), to skip most positions at once.
    filter: u64,
}

impl LayoutPatterns {
    fn starting_with(&self, c: char) -> Option<&[(usize, usize)]> {
        if self.filter & (1 << (c as u32 % 64)) == 0 {
            return None;
        }
        self.first.binary_search_by_key(&c, |(k, _)| *k).ok().map(|i| self.first[i].1.as_slice())
    }
}

fn build_patterns(layout: &TableLayout) -> LayoutPatterns {
    let rows: Vec<Vec<(Vec<char>, How)>> = layout.rows.iter().map(patterns).collect();
    let mut first: Vec<(char, Vec<(usize, usize)>)> = Vec::new();
    let mut filter = 0u64;
    for (r, pats) in rows.iter().enumerate() {
        for (i, (p, _)) in pats.iter().enumerate() {
            if let Some(&c) = p.first() {
                filter |= 1 << (c as u32 % 64);
                match first.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, v)) => v.push((r, i)),
                    None => first.push((c, vec![(r, i)])),
                }
            }
        }
    }
    first.sort_by_key(|(k, _)| *k);
    LayoutPatterns { rows, first, filter }
}

fn layout_patterns(layout: &TableLayout) -> &'static LayoutPatterns {
    static CACHE: [LazyLock<LayoutPatterns>; 5] = [
        LazyLock::new(|| build_patterns(TableLayout::get(TableId::T2, Layout::Format2021))),
        LazyLock::new(|| build_patterns(TableLayout::get(TableId::T2, Layout::Trial2019))),
        LazyLock::new(|| build_patterns(TableLayout::get(TableId::T3, Layout::Format2021))),
        LazyLock::new(|| build_patterns(TableLayout::get(TableId::T3, Layout::Trial2019))),
        LazyLock::new(|| build_patterns(TableLayout::get(TableId::T4, Layout::Format2021))),
    ];
    let i = match (layout.table, layout.layout) {
        (TableId::T2, Layout::Format2021) => 0,
        (TableId::T2, Layout::Trial2019) => 1,
        (TableId::T3, Layout::Format2021) => 2,
        (TableId::T3, Layout::Trial2019) => 3,
        (TableId::T4, _) => 4,
    };
    &CACHE[i]
}

/// Letters between stream index `end` and the next value token, capped.
fn extra_letters(ctx: &Ctx<'_>, end: usize, limit: usize) -> usize {
    let mut n = 0;
    let chars = &ctx.stream.chars;
    let mut i = end;
    while i < chars.len().min(limit) && n < 120 {
        if chars[i] == GAP {
            let t = ctx.tok_of(i);
            if ctx.lexed.toks.get(t).is_some_and(|t| t.kind.is_value()) {
                break;
            }
        } else {
            n += 1;
        }
        i += 1;
    }
    n
}

fn quality(ctx: &Ctx<'_>, start: usize, end: usize, how: How, limit: usize) -> f32 {
    let len = (end - start) as f32;
    let base = match how {
        How::Exact => 1.0,
        How::Alias => 0.85,
        How::Fuzzy(e) => 0.85 * (1.0 - e as f32 / len.max(1.0)),
        How::Position => 0.3,
    };
    let extra = extra_letters(ctx, end, limit) as f32;
    base * len / (len + extra)
}

/// Exact occurrences of every row's patterns in `region` (stream indexes), in one pass.
fn exact_hits(ctx: &Ctx<'_>, layout: &TableLayout, region: &Range<usize>) -> Vec<Vec<Hit>> {
    let chars = &ctx.stream.chars;
    let pats = layout_patterns(layout);
    let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); layout.rows.len()];
    for s in region.clone() {
        let Some(cands) = pats.starting_with(chars[s]) else { continue };
        for &(r, i) in cands {
            let (pat, how) = &pats.rows[r][i];
            let m = pat.len();
            if s + m > region.end || chars[s..s + m] != pat[..] {
                continue;
            }
            let q = quality(ctx, s, s + m, *how, region.end);
            hits[r].push(Hit { start: s, end: s + m, quality: q, how: *how });
        }
    }
    for h in &mut hits {
        // A longer pattern at the same place wins: sorted by start, longest first, a hit inside the
        // previous kept one is dropped.
        h.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<Hit> = Vec::with_capacity(h.len());
        for hit in h.drain(..) {
            if kept.last().is_some_and(|k| hit.end <= k.end) {
                continue;
            }
            kept.push(hit);
        }
        // A label printed hundreds of times is hostile or garbage: keep the best few occurrences so
        // that choosing stays cheap.
        if kept.len() > MAX_HITS {
            kept.sort_by(|a, b| b.quality.total_cmp(&a.quality).then(a.start.cmp(&b.start)));
            kept.truncate(MAX_HITS);
            kept.sort_by_key(|h| h.start);
        }
        *h = kept;
    }
    hits
}

/// Most occurrences of one row's label considered.
const MAX_HITS: usize = 24;
/// Longest stretch searched approximately for a missing label, in letters.
const MAX_FUZZY_GAP: usize = 4000;

/// Picks at most one hit per row, in order, maximising total quality.
fn choose(hits: &[Vec<Hit>]) -> Vec<Option<Hit>> {
    // Nodes: (row, hit index). best[node] = best total ending with this node.
    let mut nodes: Vec<(usize, usize)> = Vec::new();
    for (r, hs) in hits.iter().enumerate() {
        for i in 0..hs.len() {
            nodes.push((r, i));
        }
    }
    let hit = |n: (usize, usize)| &hits[n.0][n.1];
    let mut best = vec![0.0f32; nodes.len()];
    let mut prev = vec![usize::MAX; nodes.len()];
    for a in 0..nodes.len() {
        best[a] = hit(nodes[a]).quality;
        for b in 0..a {
            if nodes[b].0 < nodes[a].0 && hit(nodes[b]).end <= hit(nodes[a]).start {
                let v = best[b] + hit(nodes[a]).quality;
                if v > best[a] + 1e-6 {
                    best[a] = v;
                    prev[a] = b;
                }
            }
        }
    }
    let mut out = vec![None; hits.len()];
    let Some(mut a) = (0..nodes.len()).max_by(|&x, &y| best[x].total_cmp(&best[y]).then(y.cmp(&x)))
    else {
        return out;
    };
    loop {
        out[nodes[a].0] = Some(hit(nodes[a]).clone());
        if prev[a] == usize::MAX {
            break;
        }
        a = prev[a];
    }
    out
}

/// Best approximate occurrence of `pat` in `text[range]`: `(start, end, edits)`.
fn fuzzy_find(
    text: &[char],
    range: Range<usize>,
    pat: &[char],
    max_edits: usize,
) -> Option<(usize, usize, usize)> {
    let m = pat.len();
    if m == 0 || range.is_empty() {
        return None;
    }
    // Sellers' algorithm with start tracking: column over the pattern, one text char at a time.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut start: Vec<usize> = vec![range.start; m + 1];
    let mut best: Option<(usize, usize, usize)> = None;
    for j in range.clone() {
        let c = text[j];
        let mut prev_cost = cost[0];
        let mut prev_start = start[0];
        cost[0] = 0;
        start[0] = j + 1;
        for i in 1..=m {
            let sub = prev_cost + usize::from(pat[i - 1] != c || c == GAP);
            let del = cost[i] + 1; // skip text char
            let ins = cost[i - 1] + 1; // skip pattern char
            let (nc, ns) = if sub <= del && sub <= ins {
                (sub, prev_start)
            } else if del <= ins {
                (del, start[i])
            } else {
                (ins, start[i - 1])
            };
            prev_cost = cost[i];
            prev_start = start[i];
            cost[i] = nc;
            start[i] = ns;
        }
        let s = start[m];
        if cost[m] <= max_edits && best.is_none_or(|b| cost[m] < b.2) {
            best = Some((s.min(j), j + 1, cost[m]));
        }
    }
    best
}

/// Matches the rows of `layout` in the token range `toks`.
pub(crate) fn match_rows(ctx: &Ctx<'_>, layout: &TableLayout, toks: Range<usize>) -> Vec<RowMatch> {
    let region = ctx.stream_range(&toks);
    let hits = exact_hits(ctx, layout, &region);
    let mut chosen = choose(&hits);
    // Approximate search for missing rows between their neighbours.
    for r in 0..chosen.len() {
        if chosen[r].is_some() {
            continue;
        }
        let lo = chosen[..r].iter().rev().flatten().next().map_or(region.start, |h| h.end);
        let hi = chosen[r + 1..].iter().flatten().next().map_or(region.end, |h| h.start);
        let hi = hi.min(lo.saturating_add(MAX_FUZZY_GAP));
        if lo >= hi {
            continue;
        }
        let mut best: Option<Hit> = None;
        for (pat, _) in &layout_patterns(layout).rows[r] {
            if pat.len() < 4 {
                continue;
            }
            let max_edits = pat.len() / 4;
            if let Some((s, e, edits)) = fuzzy_find(&ctx.stream.chars, lo..hi, pat, max_edits)
                && !numbering_contradicts(ctx, s, layout.rows[r].numbering)
            {
                let how = How::Fuzzy(u32::try_from(edits).unwrap_or(u32::MAX));
                let q = quality(ctx, s, e, how, region.end);
                if best.as_ref().is_none_or(|b| q > b.quality) {
                    best = Some(Hit { start: s, end: e, quality: q, how });
                }
            }
        }
        chosen[r] = best;
    }
    let mut out: Vec<RowMatch> =
        chosen.into_iter().map(|hit| RowMatch { hit, ..RowMatch::default() }).collect();
    collect_values(ctx, &mut out, toks.clone());
    assign_by_position(&mut out);
    out
}

/// Row numbering as printed (`一、`, `（一）`, `1.`): its value and its style.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Numbering {
    value: u32,
    chinese: bool,
    bracketed: bool,
}

/// The numbering `text` ends with, past spaces and stray marks after it (`二、- `); `None` when
/// it ends otherwise, or when the numeral closes a word (`统一、`).
fn trailing_numbering(text: &str) -> Option<Numbering> {
    let mut rev = text.chars().rev().map(|c| (c, class(c))).peekable();
    while rev.next_if(|(_, cl)| is_stray(*cl)).is_some() {}
    let (_, closer) = rev.next()?;
    if !matches!(closer, Class::Punct('、' | '.' | ')')) {
        return None;
    }
    let mut numeral: Vec<char> = Vec::new();
    while numeral.len() < 3
        && let Some((c, _)) =
            rev.next_if(|&(c, cl)| chinese_numeral(c).is_some() || matches!(cl, Class::Digit(_)))
    {
        numeral.push(c);
    }
    numeral.reverse();
    let bracketed = closer == Class::Punct(')');
    if bracketed && rev.next().map(|(_, cl)| cl) != Some(Class::Punct('(')) {
        return None;
    }
    if rev.peek().is_some_and(|(_, cl)| matches!(cl, Class::Letter(_) | Class::Digit(_))) {
        return None;
    }
    let chinese = numeral.first().is_some_and(|&c| chinese_numeral(c).is_some());
    let value = if chinese { chinese_value(&numeral)? } else { digits_value(&numeral)? };
    Some(Numbering { value, chinese, bracketed })
}

/// Spaces and marks OCR and typing leave between numbering and label (`-`, `!`, `:`), but not a
/// numbering's own closing mark.
fn is_stray(cl: Class) -> bool {
    match cl {
        Class::Space => true,
        Class::Punct(p) => !matches!(p, '、' | '.' | ')' | '('),
        Class::Letter(_) | Class::Digit(_) => false,
    }
}

/// `一` … `九十九` as a number; `None` for anything else.
fn chinese_value(numeral: &[char]) -> Option<u32> {
    let v: Vec<u32> =
        numeral.iter().map(|&c| chinese_numeral(c).map(u32::from)).collect::<Option<_>>()?;
    match v.as_slice() {
        [a] => Some(*a),
        [10, b] if *b < 10 => Some(10 + b),
        [a, 10] if *a < 10 => Some(a * 10),
        [a, 10, b] if *a < 10 && *b < 10 => Some(a * 10 + b),
        _ => None,
    }
}

fn digits_value(numeral: &[char]) -> Option<u32> {
    if numeral.is_empty() || numeral.iter().any(|c| !c.is_ascii_digit()) {
        return None;
    }
    numeral.iter().collect::<String>().parse().ok()
}

/// Tokens looked back for the numbering before an approximate match.
const LOOK_BACK: usize = 8;

/// Whether the numbering printed just before stream char `s` (in the same cell or line) is of the
/// template's style but another number: `二、` before a label found approximately for the row
/// `一、…` says that the label is another row's.
fn numbering_contradicts(ctx: &Ctx<'_>, s: usize, template: &str) -> bool {
    let Some(want) = trailing_numbering(template) else { return false };
    let Some(at) = ctx.stream.span.get(s).map(|sp| sp.start as usize) else { return false };
    let toks = &ctx.lexed.toks;
    let t = ctx.tok_of(s).min(toks.len().saturating_sub(1));
    let Some(unit) = toks.get(t).map(|tok| tok.unit) else { return false };
    // Numbering sits just before the label: a few tokens back at most (a long line is one unit,
    // so the unit's start is not looked for further).
    let back = t.saturating_sub(LOOK_BACK);
    let first =
        toks[back..t].iter().rposition(|tok| tok.unit != unit).map_or(back, |i| back + i + 1);
    let from = toks.get(first).map_or(at, |tok| tok.span.start as usize).min(at);
    let Some(before) = ctx.text.get(from..at) else { return false };
    trailing_numbering(before).is_some_and(|got| {
        got.chinese == want.chinese && got.bracketed == want.bracketed && got.value != want.value
    })
}

/// Fills each matched row's value tokens and the orphans after it.
fn collect_values(ctx: &Ctx<'_>, rows: &mut [RowMatch], toks: Range<usize>) {
    let starts: Vec<Option<usize>> =
        rows.iter().map(|r| r.hit.as_ref().map(|h| ctx.tok_of(h.start))).collect();
    // Orphans before the first row are header material, not reported.
    for i in 0..rows.len() {
        let Some(hit) = rows[i].hit.clone() else { continue };
        let from = ctx.tok_of(hit.end.saturating_sub(1)) + 1;
        let to = starts[i + 1..].iter().flatten().next().copied().unwrap_or(toks.end).max(from);
        let (atoms, orphans) = scan(ctx, from..to);
        rows[i].atoms = atoms;
        rows[i].orphans = orphans;
    }
}

/// Values after a label. When the label sits in a table row, the values are the following cells
/// of that row ([`row_cells`]); otherwise: skip text until the first value, take values until
/// text, then orphan groups until the end of the range.
fn scan(ctx: &Ctx<'_>, range: Range<usize>) -> (Vec<usize>, Vec<Vec<usize>>) {
    if let Some(atoms) = row_cells(ctx, range.clone()) {
        return (atoms, Vec::new());
    }
    let toks = &ctx.lexed.toks;
    let mut atoms = Vec::new();
    let mut orphans: Vec<Vec<usize>> = Vec::new();
    let mut phase = 0; // 0: before values, 1: in values, 2: after
    let mut group: Vec<usize> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    for t in range {
        let Some(tok) = toks.get(t) else { break };
        match (&tok.kind, phase) {
            (Kind::Punct, _) => {}
            // Empty lines before the first value may be blank cells or layout spacing: they join
            // the row only if a value follows before any text (an empty table cell, in contrast,
            // is a blank cell and starts the values).
            (Kind::Empty, 0) if !tok.cell => pending.push(t),
            (Kind::Text | Kind::Prose(_), 0) => pending.clear(),
            (Kind::Text | Kind::Prose(_), 1) => phase = 2,
            (Kind::Text | Kind::Prose(_), _) => {
                if !group.is_empty() {
                    orphans.push(std::mem::take(&mut group));
                }
            }
            (_, 0 | 1) => {
                if phase == 0 {
                    atoms.append(&mut pending);
                }
                phase = 1;
                atoms.push(t);
            }
            (Kind::Empty, _) => {}
            (_, _) => group.push(t),
        }
    }
    if !group.is_empty() {
        orphans.push(group);
    }
    (atoms, orphans)
}

/// The value cells after a label in its table row: one token per cell — its number or mark, the
/// number of a `5件`-style cell, an empty cell, or (a cell with only text, e.g. an OCR'd `O`) the
/// text token, which becomes an unreadable cell. `None` when the label is not in a table row or
/// nothing follows it in the row (the values are then looked for in the text that follows).
fn row_cells(ctx: &Ctx<'_>, range: Range<usize>) -> Option<Vec<usize>> {
    let toks = &ctx.lexed.toks;
    let label = toks.get(range.start.checked_sub(1)?)?;
    if label.row == NO_ROW {
        return None;
    }
    let mut out = Vec::new();
    let mut t = range.start;
    // The rest of the label's own cell is label text.
    while t < range.end && toks[t].unit == label.unit {
        t += 1;
    }
    while t < range.end && toks[t].row == label.row {
        let unit = toks[t].unit;
        let start = t;
        while t < range.end && toks[t].unit == unit {
            t += 1;
        }
        let cell = start..t;
        let values: Vec<usize> = cell
            .clone()
            .filter(|&i| {
                matches!(toks[i].kind, Kind::Num(_) | Kind::Mark | Kind::Unread | Kind::Prose(_))
            })
            .collect();
        if !values.is_empty() {
            out.extend(values);
        } else if let Some(e) = cell.clone().find(|&i| toks[i].kind == Kind::Empty) {
            out.push(e);
        } else if let Some(text) = cell.clone().find(|&i| toks[i].kind == Kind::Text) {
            out.push(text);
        }
    }
    let any_value = out.iter().any(|&i| !matches!(toks[i].kind, Kind::Text));
    any_value.then_some(out)
}

/// A single missing row between matched rows takes a single orphan group in that gap.
fn assign_by_position(rows: &mut [RowMatch]) {
    let mut i = 0;
    while i < rows.len() {
        if rows[i].hit.is_none() {
            i += 1;
            continue;
        }
        let next = (i + 1..rows.len()).find(|&j| rows[j].hit.is_some());
        let missing_end = next.unwrap_or(rows.len());
        let missing: Vec<usize> = (i + 1..missing_end).collect();
        if missing.len() == 1 && rows[i].orphans.len() == 1 && next.is_some() {
            let group = rows[i].orphans.remove(0);
            let m = missing[0];
            rows[m].atoms = group;
            rows[m].hit = Some(Hit { start: 0, end: 0, quality: 0.3, how: How::Position });
        }
        i = missing_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_numbering_reads_the_printed_styles() {
        let n = |value, chinese, bracketed| Some(Numbering { value, chinese, bracketed });
        assert_eq!(trailing_numbering("二、- "), n(2, true, false));
        assert_eq!(trailing_numbering("（一）"), n(1, true, true));
        assert_eq!(trailing_numbering("(十二) "), n(12, true, true));
        assert_eq!(trailing_numbering("0 0 3."), n(3, false, false));
        assert_eq!(trailing_numbering("一、"), n(1, true, false));
        // A numeral closing a word, a bare numeral, an unclosed bracket: no numbering.
        assert_eq!(trailing_numbering("统一、"), None);
        assert_eq!(trailing_numbering("二"), None);
        assert_eq!(trailing_numbering("一）"), None);
        assert_eq!(trailing_numbering(""), None);
    }

    #[test]
    fn fuzzy_finds_typos() {
        let text: Vec<char> = "属于国家秘密\u{1}其他法律行政止公开\u{1}危及".chars().collect();
        let pat: Vec<char> = "其他法律行政法规禁止公开".chars().collect();
        let (s, e, edits) = fuzzy_find(&text, 0..text.len(), &pat, 3).expect("found");
        assert_eq!(text[s..e].iter().collect::<String>(), "其他法律行政止公开");
        assert_eq!(edits, 3);
        assert!(
            fuzzy_find(&text, 0..text.len(), &"完全不同的内容文字".chars().collect::<Vec<_>>(), 2)
                .is_none()
        );
    }
}
