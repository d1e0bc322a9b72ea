//! A linear pre-scan that bounds element nesting before the page is handed to html5ever.
//!
//! html5ever's tree builder checks "has an element in scope" by scanning its stack of open
//! elements, so a page of N nested `<div>`s costs O(N²): 16 000 levels take seconds and 100 000
//! take minutes. Real pages nest a few dozen levels. This scan estimates the depth of the open-element
//! stack from the tags alone (skipping comments and raw-text elements such as `<script>`, ignoring
//! void elements and the elements whose end tags are implied, like `<p>` and `<td>`), so that the
//! reader can refuse a hostile page in linear time instead of hanging on it.
//!
//! Depth alone does not bound the time: every tag may make html5ever scan the open elements, so
//! a page 2,500 levels deep followed by a few hundred thousand `<p>`s is quadratic too (a fuzzed
//! page of 31 KB took 0.4 s in a sanitised build; the same shape at 1 MiB, minutes). The scan
//! also sums the depth at every tag — the most html5ever's scope checks can walk — and the
//! reader refuses a page above [`crate::MAX_PARSE_WORK`].

use memchr::memmem;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tags are implied by their next sibling (a stack of them cannot grow).
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "rtc", "html", "head", "body",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// What the scan found: the deepest estimated nesting, the sum of the depth at every tag, and
/// the start tags (each an element of the parsed tree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scan {
    pub(crate) depth: usize,
    pub(crate) work: u64,
    pub(crate) elements: u64,
}

/// The deepest estimated nesting of elements in `html`, stopping early once `stop` is exceeded.
#[cfg(test)]
pub(crate) fn estimate(html: &str, stop: usize) -> usize {
    scan(html, stop, u64::MAX, u64::MAX).depth
}

/// Scans `html`, stopping early once the depth exceeds `stop_depth`, the work `stop_work` or the
/// elements `stop_elements`.
pub(crate) fn scan(html: &str, stop_depth: usize, stop_work: u64, stop_elements: u64) -> Scan {
    let bytes = html.as_bytes();
    let (mut at, mut depth, mut max, mut work, mut elements) = (0usize, 0usize, 0usize, 0u64, 0u64);
    while let Some(i) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            at = memmem::find(&rest[4..], b"-->").map_or(bytes.len(), |j| i + 4 + j + 3);
            continue;
        }
        let end = memchr::memchr(b'>', rest).map_or(bytes.len(), |j| i + j + 1);
        let (closing, name_start) = if rest.get(1) == Some(&b'/') { (true, 2) } else { (false, 1) };
        let name: Vec<u8> = rest[name_start.min(rest.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
            .map(u8::to_ascii_lowercase)
            .collect();
        at = end;
        if name.is_empty() || !name[0].is_ascii_alphabetic() {
            continue;
        }
        work = work.saturating_add(depth as u64);
        if work > stop_work {
            break;
        }
        if !closing {
            elements += 1;
            if elements > stop_elements {
                break;
            }
        }
        let name = String::from_utf8_lossy(&name);
        if VOID.contains(&name.as_ref()) || IMPLIED_END.contains(&name.as_ref()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if RAW_TEXT.contains(&name.as_ref()) {
            at = find_end_tag(bytes, at, name.as_bytes());
            continue;
        }
        depth += 1;
        max = max.max(depth);
        if max > stop_depth {
            break;
        }
    }
    Scan { depth: max, work, elements }
}

/// The offset of the `</name` that ends a raw-text element starting at `from` (case-insensitive), or
/// the end of the input.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(j) = memmem::find(&bytes[at..], b"</").map(|j| at + j) {
        let candidate = &bytes[j + 2..];
        if candidate.len() >= name.len() && candidate[..name.len()].eq_ignore_ascii_case(name) {
            return j;
        }
        at = j + 2;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_real_nesting_only() {
        assert_eq!(estimate("<div><div><span>x</span></div></div>", 100), 3);
        assert_eq!(estimate(&"<p>x".repeat(10_000), 100), 0);
        assert_eq!(estimate(&"<tr><td>1<br>".repeat(1000), 100), 0);
        assert_eq!(estimate("<script>'<div><div><div>'</script><div></div>", 100), 1);
        assert_eq!(estimate("<!-- <div><div> --><b>x</b>", 100), 1);
        assert_eq!(estimate(&"<div>".repeat(100_000), 5000), 5001);
        assert_eq!(estimate(&"<div/>".repeat(50), 100), 50);
    }

    #[test]
    fn counts_start_tags_outside_comments_and_raw_text() {
        let page =
            "<table><tr><td>1<td>2</tr></table><!-- <p><p> --><script>'<b><b>'</script><br/>";
        assert_eq!(scan(page, 100, u64::MAX, u64::MAX).elements, 6);
        // The scan stops just past the bound.
        assert_eq!(scan(&"<td>x".repeat(1_000), 100, u64::MAX, 10).elements, 11);
    }

    #[test]
    fn sums_the_depth_at_every_tag() {
        // Three levels, then two <p> at depth 3: 0 + 1 + 2 + 3 + 3.
        assert_eq!(scan("<div><div><div><p>a<p>b", 100, u64::MAX, u64::MAX).work, 9);
        // Shallow pages cost little whatever their length.
        let flat = "<p>x</p>".repeat(100_000);
        assert!(scan(&flat, 100, u64::MAX, u64::MAX).work <= 100_000);
        // Deep, then many tags: the work crosses the bound and the scan stops there.
        let hostile = format!("{}{}", "<div>".repeat(2_000), "<p>x".repeat(100_000));
        let s = scan(&hostile, 4_096, 1_000_000, u64::MAX);
        assert!(s.work > 1_000_000 && s.work < 1_003_000, "{s:?}");
    }
}
