//! Lines and pages of a document, kept after the document itself is dropped.
//!
//! A batch holds thousands of reports until the cross-year rules have run; it keeps each report's
//! tables but not its document. The [`Locator`] keeps just enough (line starts, page starts) to
//! give any finding — including a cross-year finding made later — its line and page.

use gongkai_doc::Document;
use gongkai_model::Span;

/// Line and page lookup for one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Locator {
    /// Byte offset of each line's start (the first is 0).
    line_starts: Vec<u32>,
    /// `(offset, page)` where the page changes, sorted by offset.
    pages: Vec<(u32, u32)>,
}

/// Where a span is, for people: 1-based line and, for paged inputs, 1-based page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// 1-based line in the document text.
    pub line: Option<u32>,
    /// 1-based page.
    pub page: Option<u32>,
}

impl Locator {
    /// The locator of `doc`.
    pub fn new(doc: &Document) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            memchr::memchr_iter(b'\n', doc.text.as_bytes())
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        let mut pages: Vec<(u32, u32)> = Vec::new();
        for (offset, origin) in &doc.origins {
            let page = origin.page();
            match (pages.last(), page) {
                (Some(&(_, last)), Some(p)) if last == p => {}
                (_, Some(p)) => pages.push((*offset, p)),
                // An origin without a page ends the previous page's range.
                (Some(&(_, last)), None) if last != 0 => pages.push((*offset, 0)),
                _ => {}
            }
        }
        Locator { line_starts, pages }
    }

    /// The place of the start of `span`.
    pub fn place(&self, span: Span) -> Place {
        let line = match self.line_starts.binary_search(&span.start) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let i = self.pages.partition_point(|(o, _)| *o <= span.start);
        let page = i.checked_sub(1).map(|i| self.pages[i].1).filter(|&p| p != 0);
        Place { line: u32::try_from(line + 1).ok(), page }
    }

    /// The place of an optional span (nowhere when there is none).
    pub fn place_of(&self, span: Option<Span>) -> Place {
        span.map(|s| self.place(s)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_doc::{Block, DocumentBuilder, Format, Origin, Para};

    #[test]
    fn agrees_with_the_document_on_lines() {
        let text = "一\n二三\n\n四五六\n".to_owned();
        let doc = Document::new(
            "t",
            Format::Text,
            text.clone(),
            vec![Block::Para(Para { span: Span::from_range(0..text.len()) })],
        );
        let loc = Locator::new(&doc);
        for (i, _) in text.char_indices() {
            let offset = u32::try_from(i).expect("small");
            let (line, _) = doc.line_col(offset);
            assert_eq!(loc.place(Span::new(offset, offset)).line, Some(line), "offset {i}");
        }
    }

    #[test]
    fn finds_pages() {
        let mut b = DocumentBuilder::new("p.pdf", Format::Pdf);
        b.origin(Origin::Pdf { page: 1, bbox: None });
        b.para("第一页");
        b.origin(Origin::Pdf { page: 2, bbox: None });
        b.para("第二页");
        let doc = b.finish();
        let loc = Locator::new(&doc);
        let second = doc.text.find("第二页").expect("laid out");
        let second = u32::try_from(second).expect("small");
        assert_eq!(loc.place(Span::new(0, 1)).page, Some(1));
        assert_eq!(loc.place(Span::new(second, second + 3)).page, Some(2));
        assert_eq!(loc.place(Span::new(second, second + 3)).line, Some(2));
    }
}
