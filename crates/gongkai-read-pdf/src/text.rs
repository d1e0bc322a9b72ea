//! From glyphs to text: grouping glyphs into lines along their writing direction and joining
//! them without spurious spaces between CJK characters.

use gongkai_doc::is_wide;

use crate::geom::{Dir, Rect};
use crate::interp::Glyph;

/// A line of glyphs: one visual line (or one column of vertical text).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    /// The text, with gaps turned into single spaces.
    pub(crate) text: String,
    /// The box around its glyphs.
    pub(crate) bbox: Rect,
    /// The median glyph size.
    pub(crate) size: f32,
    /// Its direction.
    pub(crate) dir: Dir,
    /// Pieces separated by wide gaps (≥ [`CHUNK_GAP`] em), with their boxes: candidate columns
    /// of a table laid out by alignment alone.
    pub(crate) chunks: Vec<(String, Rect)>,
}

/// A gap, in em, wide enough to separate the columns of an unruled table.
pub(crate) const CHUNK_GAP: f32 = 1.8;

/// Coordinates of a glyph along its line (`advance`) and across lines (`key`): lines are read
/// in increasing `key`, glyphs in increasing `advance`.
fn axes(g: &Glyph) -> (f32, f32, f32, f32) {
    let b = &g.bbox;
    let (cx, cy) = b.center();
    match g.dir {
        Dir::Right => (cy, b.x0, b.x1, cx),
        // Vertical writing: columns run right to left.
        Dir::Down => (-cx, b.y0, b.y1, cy),
        Dir::Up => (cx, -b.y1, -b.y0, -cy),
        Dir::Left => (-cy, -b.x1, -b.x0, -cx),
    }
}

/// Groups glyphs into lines, in reading order. Glyphs of different directions never share a
/// line; horizontal lines come first, then vertical ones.
pub(crate) fn lines(glyphs: &[&Glyph]) -> Vec<Line> {
    let mut out = Vec::new();
    for dir in [Dir::Right, Dir::Down, Dir::Up, Dir::Left] {
        let mut gs: Vec<&Glyph> = glyphs.iter().copied().filter(|g| g.dir == dir).collect();
        if gs.is_empty() {
            continue;
        }
        gs.sort_by(|a, b| axes(a).0.total_cmp(&axes(b).0));
        let mut current: Vec<&Glyph> = Vec::new();
        let mut key_sum = 0.0f32;
        for g in gs {
            let key = axes(g).0;
            if let Some(first) = current.first() {
                let mean = key_sum / current.len() as f32;
                let tol = 0.5 * first.size.min(g.size).max(1.0);
                if (key - mean).abs() > tol {
                    out.push(make_line(std::mem::take(&mut current), dir));
                    key_sum = 0.0;
                }
            }
            key_sum += key;
            current.push(g);
        }
        if !current.is_empty() {
            out.push(make_line(current, dir));
        }
    }
    out
}

fn make_line(mut gs: Vec<&Glyph>, dir: Dir) -> Line {
    gs.sort_by(|a, b| axes(a).1.total_cmp(&axes(b).1));
    let mut sizes: Vec<f32> = gs.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0);
    let mut bbox = gs[0].bbox;
    let mut chunks: Vec<(String, Rect)> = Vec::new();
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    let mut pending_space = false;
    for g in &gs {
        bbox = bbox.union(&g.bbox);
        if g.space {
            pending_space = true;
            continue;
        }
        if let Some(p) = prev {
            let gap = axes(g).1 - axes(p).2;
            let em = size.max(1.0);
            let (pc, gc) =
                (p.text.chars().last().unwrap_or(' '), g.text.chars().next().unwrap_or(' '));
            if gap > CHUNK_GAP * em {
                chunks.push((String::new(), g.bbox));
                text.push(' ');
            } else if pending_space || gap > gap_for_space(pc, gc) * em {
                text.push(' ');
                if let Some(c) = chunks.last_mut() {
                    c.0.push(' ');
                }
            }
        } else {
            chunks.push((String::new(), g.bbox));
        }
        text.push_str(&g.text);
        if let Some(c) = chunks.last_mut() {
            c.0.push_str(&g.text);
            c.1 = c.1.union(&g.bbox);
        }
        prev = Some(g);
        pending_space = false;
    }
    Line { text: text.trim().to_owned(), bbox, size, dir, chunks }
}

/// The gap, in em, that reads as a space between two characters: a fifth of an em between Latin
/// letters or digits; more where CJK text meets (typesetters widen CJK/Latin boundaries and
/// justify CJK lines without meaning a space).
fn gap_for_space(a: char, b: char) -> f32 {
    match (is_wide(a), is_wide(b)) {
        (true, true) => 1.0,
        (false, false) => 0.2,
        _ => 0.6,
    }
}

/// Joins lines of one cell or paragraph by the readers' one rule ([`gongkai_doc::join_lines`]):
/// directly where two wide characters meet the break, with a space elsewhere.
pub(crate) fn join(parts: &[&str]) -> String {
    gongkai_doc::join_lines(parts.iter().copied(), ' ')
}

/// The text of a set of glyphs (a table cell): lines in reading order, joined.
///
/// Upright glyphs stacked one or two per line (a vertical label typeset as `tbRl` with upright
/// characters, as LibreOffice and WPS do) are read as vertical columns, right to left.
pub(crate) fn text_of(glyphs: &[&Glyph]) -> String {
    let ls = lines(glyphs);
    if let Some(text) = stacked(glyphs, &ls) {
        return text;
    }
    let parts: Vec<&str> = ls.iter().map(|l| l.text.as_str()).collect();
    join(&parts)
}

/// Reads upright glyphs stacked in narrow columns, columns right to left, if the lines look like
/// that: at least three lines, none of more than three glyphs, two or fewer on average.
fn stacked(glyphs: &[&Glyph], ls: &[Line]) -> Option<String> {
    let printed: Vec<&Glyph> =
        glyphs.iter().copied().filter(|g| !g.space && g.dir == Dir::Right).collect();
    if ls.len() < 3 || ls.iter().any(|l| l.dir != Dir::Right) || printed.len() < 3 {
        return None;
    }
    let per_line: Vec<usize> =
        ls.iter().map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count()).collect();
    if per_line.iter().any(|n| *n > 3) || printed.len() > 2 * ls.len() {
        return None;
    }
    let mut gs = printed;
    gs.sort_by(|a, b| b.bbox.center().0.total_cmp(&a.bbox.center().0));
    let mut columns: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match columns.last_mut() {
            Some(col)
                if (col[0].bbox.center().0 - g.bbox.center().0).abs() <= 0.5 * g.size.max(1.0) =>
            {
                col.push(g)
            }
            _ => columns.push(vec![g]),
        }
    }
    if columns.len() > 3 {
        return None;
    }
    let mut out = String::new();
    for mut col in columns {
        col.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0));
        for g in col {
            out.push_str(&g.text);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str, x: f32, y: f32, dir: Dir) -> Glyph {
        let bbox = match dir {
            Dir::Down => Rect { x0: x, y0: y, x1: x + 10.0, y1: y + 10.0 },
            _ => Rect {
                x0: x,
                y0: y,
                x1: x + if text.is_ascii() { 5.0 } else { 10.0 },
                y1: y + 10.0,
            },
        };
        Glyph { text: text.to_owned(), bbox, size: 10.0, dir, space: text == " " }
    }

    #[test]
    fn joins_cjk_without_spaces_and_latin_with_one() {
        let gs = [
            g("部", 0.0, 0.0, Dir::Right),
            g("分", 10.0, 0.0, Dir::Right),
            g("公", 0.0, 12.0, Dir::Right),
            g("开", 10.0, 12.0, Dir::Right),
        ];
        let refs: Vec<&Glyph> = gs.iter().collect();
        assert_eq!(text_of(&refs), "部分公开");
        let gs = [
            g("1", 0.0, 0.0, Dir::Right),
            g("2", 5.0, 0.0, Dir::Right),
            g("3", 0.0, 12.0, Dir::Right),
        ];
        let refs: Vec<&Glyph> = gs.iter().collect();
        assert_eq!(text_of(&refs), "12 3");
    }

    #[test]
    fn upright_stacked_columns_read_right_to_left() {
        let mut gs = Vec::new();
        for (i, c) in ["三", "、", "本", "年"].iter().enumerate() {
            gs.push(g(c, 20.0, i as f32 * 12.0, Dir::Right));
        }
        gs.push(g("结", 8.0, 0.0, Dir::Right));
        gs.push(g("果", 8.0, 12.0, Dir::Right));
        let refs: Vec<&Glyph> = gs.iter().collect();
        assert_eq!(text_of(&refs), "三、本年结果");
    }

    #[test]
    fn vertical_text_reads_top_down_and_gaps_split_chunks() {
        let gs = [
            g("结", 0.0, 20.0, Dir::Down),
            g("三", 0.0, 0.0, Dir::Down),
            g("果", 0.0, 30.0, Dir::Down),
            g("、", 0.0, 10.0, Dir::Down),
        ];
        let refs: Vec<&Glyph> = gs.iter().collect();
        assert_eq!(text_of(&refs), "三、结果");
        let gs = [
            g("规", 0.0, 0.0, Dir::Right),
            g("章", 10.0, 0.0, Dir::Right),
            g("0", 100.0, 0.0, Dir::Right),
        ];
        let refs: Vec<&Glyph> = gs.iter().collect();
        let l = lines(&refs);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].text, "规章 0");
        assert_eq!(l[0].chunks.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["规章", "0"]);
    }
}
