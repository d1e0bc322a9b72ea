//! Every finding the readers and the recognizer emit, declared once: its id, its severity, its
//! titles and its documentation. The emitting code builds its findings from these declarations
//! ([`ReaderFinding::finding`]), and `gongkai rules` documents the same declarations
//! (`gongkai_rules::catalogue`), so what `check` prints and what `gongkai rules ID` explains cannot
//! disagree.
//!
//! One file per input format (`text`, `pdf`, `ocr`, `html`, `docx`, `doc`), and `recognizer` for what
//! `gongkai-parse` finds whatever the format. [`ALL`] lists them in the order `gongkai rules`
//! shows them.

mod doc;
mod docx;
mod html;
mod ocr;
mod pdf;
mod recognizer;
mod text;

use gongkai_model::{Finding, FindingKind, Lang, Msg, Severity};

pub use doc::*;
pub use docx::*;
pub use html::*;
pub use ocr::*;
pub use pdf::*;
pub use recognizer::*;
pub use text::*;

/// A kind of finding a reader or the recognizer emits (kind [`FindingKind::Extraction`]).
#[derive(Debug)]
pub struct ReaderFinding {
    /// Stable id (`READ-AMBIGUOUS`).
    pub id: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The higher severity it takes in the case its documentation names, if any (READ-ENCODING is
    /// information about how a file was decoded, and a warning when bytes could not be decoded).
    pub raised: Option<Severity>,
    /// One-line title, Chinese.
    pub title_zh: &'static str,
    /// One-line title, English.
    pub title_en: &'static str,
    /// Documentation in Markdown, Chinese.
    pub doc_zh: &'static str,
    /// Documentation in Markdown, English.
    pub doc_en: &'static str,
}

impl ReaderFinding {
    /// A finding of this kind, at its severity.
    pub fn finding(&self, message: Msg) -> Finding {
        Finding::new(self.id, self.severity, FindingKind::Extraction, message)
    }

    /// A finding of this kind at its raised severity (its severity when it declares none).
    pub fn raised_finding(&self, message: Msg) -> Finding {
        Finding::new(
            self.id,
            self.raised.unwrap_or(self.severity),
            FindingKind::Extraction,
            message,
        )
    }

    /// The title in `lang`.
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }
}

/// Declares one [`ReaderFinding`] as a `pub static`: name, id, severity (`Info`, or `Info /
/// Warning` for one that can be raised), Chinese and English titles, Chinese and English docs.
macro_rules! reader_finding {
    ($name:ident, $id:literal, $sev:ident $(/ $raised:ident)?, $tzh:literal, $ten:literal, $dzh:literal, $den:literal) => {
        #[doc = concat!("`", $id, "`: ", $ten, ".")]
        pub static $name: $crate::findings::ReaderFinding = $crate::findings::ReaderFinding {
            id: $id,
            severity: gongkai_model::Severity::$sev,
            raised: reader_finding!(@raised $($raised)?),
            title_zh: $tzh,
            title_en: $ten,
            doc_zh: $dzh,
            doc_en: $den,
        };
    };
    (@raised) => { None };
    (@raised $raised:ident) => { Some(gongkai_model::Severity::$raised) };
}
use reader_finding;

/// Every reader finding, in the order `gongkai rules` lists them.
pub static ALL: &[&ReaderFinding] = &[
    &READ_ENCODING,
    &READ_TABLE_MISSING,
    &READ_ROW_MISSING,
    &READ_LABEL,
    &READ_VALUES,
    &READ_AMBIGUOUS,
    &READ_SPLIT,
    &READ_OCR_CHOSEN,
    &READ_CELL_TEXT,
    &READ_RESIDUE,
    &READ_STRAY,
    &READ_COLUMNS_MISSING,
    &READ_SCANNED,
    &READ_UNMAPPED_GLYPHS,
    &READ_PAGE_CONTENT,
    &READ_WORK_LIMIT,
    &READ_PAGE_FAILED,
    &READ_CLIPPED,
    &READ_DECRYPTED,
    &READ_REPAIRED,
    &READ_OCR,
    &READ_OCR_UNAVAILABLE,
    &READ_OCR_LIMIT,
    &READ_OCR_IMAGE,
    &READ_HTML_ENCODING,
    &READ_HTML_CONTENT_ROOT,
    &READ_HTML_HIDDEN_KEPT,
    &READ_HTML_LAYOUT_TABLE,
    &READ_HTML_DEEP,
    &READ_HTML_SPAN_CLAMPED,
    &READ_HTML_EMPTY,
    &READ_DOCX_TRACKED,
    &READ_DOCX_TEXTBOX,
    &READ_DOCX_HIDDEN,
    &READ_DOCX_NESTED_TABLE,
    &READ_DOCX_MERGE,
    &READ_DOC_TRACKED,
    &READ_DOC_HIDDEN,
    &READ_DOC_NESTED_TABLE,
    &READ_DOC_MERGE,
    &READ_DOC_ROWS_CUT,
    &READ_DOC_TEXTBOX,
];

/// Looks an id up among [`ALL`].
pub fn lookup(id: &str) -> Option<&'static ReaderFinding> {
    ALL.iter().copied().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for f in ALL {
            assert!(seen.insert(f.id), "{} declared twice", f.id);
            assert!(f.id.starts_with("READ-"), "{}", f.id);
            assert!(f.id.chars().all(|c| c.is_ascii_uppercase() || c == '-'), "{}", f.id);
        }
    }

    #[test]
    fn raised_is_above_the_severity() {
        for f in ALL {
            if let Some(r) = f.raised {
                assert!(r > f.severity, "{}: raised {:?} is not above {:?}", f.id, r, f.severity);
            }
        }
    }

    #[test]
    fn findings_carry_the_declared_severity() {
        let m = || Msg::new("甲", "a");
        assert_eq!(READ_DOCX_MERGE.finding(m()).severity, Severity::Warning);
        assert_eq!(READ_ENCODING.finding(m()).severity, Severity::Info);
        assert_eq!(READ_ENCODING.raised_finding(m()).severity, Severity::Warning);
        assert_eq!(READ_DECRYPTED.raised_finding(m()).severity, Severity::Info);
        assert_eq!(READ_SPLIT.finding(m()).kind, FindingKind::Extraction);
    }

    #[test]
    fn every_finding_is_documented_in_both_languages() {
        for f in ALL {
            for s in [f.title_zh, f.title_en, f.doc_zh, f.doc_en] {
                assert!(!s.trim().is_empty(), "{} lacks a text", f.id);
            }
            assert!(f.doc_zh.contains("## "), "{}: the Chinese docs have no heading", f.id);
            assert!(f.doc_en.contains("## "), "{}: the English docs have no heading", f.id);
        }
        assert_eq!(lookup("READ-SPLIT").map(|f| f.id), Some("READ-SPLIT"));
        assert!(lookup("T3-BALANCE").is_none());
    }
}
