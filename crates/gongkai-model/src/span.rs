//! Source locations.

/// A byte range in the text of the document a report was read from (the `Document` text of
/// `gongkai-doc`: for text inputs the decoded file, for other formats the text the reader laid out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// Start byte offset (inclusive).
    pub start: u32,
    /// End byte offset (exclusive).
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// A span from `usize` offsets, saturating at `u32::MAX` (documents are far smaller; readers
    /// refuse inputs above their size limits before spans are made).
    pub fn from_range(range: std::ops::Range<usize>) -> Self {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Span { start: clamp(range.start), end: clamp(range.end) }
    }

    /// The span as a `usize` range.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span is empty.
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

/// A value with the place it was printed, if it was read from a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was printed.
    pub span: Option<Span>,
}

impl<T> Spanned<T> {
    /// A value read at `span`.
    pub fn at(value: T, span: Span) -> Self {
        Spanned { value, span: Some(span) }
    }

    /// A value with no source location (built from records or JSON).
    pub fn bare(value: T) -> Self {
        Spanned { value, span: None }
    }
}
