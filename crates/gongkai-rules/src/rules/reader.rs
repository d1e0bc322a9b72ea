//! The findings the readers and the recognizer emit, as catalogue entries, so that
//! `gongkai rules ID` explains every finding a user can see. They are declared once, with their
//! severity, in `gongkai_doc::findings`, where the emitting code takes them from.

use std::sync::LazyLock;

use gongkai_doc::findings::{ALL, ReaderFinding};
use gongkai_model::FindingKind;

use crate::{RuleInfo, Scope};

fn entry(f: &ReaderFinding) -> RuleInfo {
    RuleInfo {
        id: f.id,
        severity: f.severity,
        raised: f.raised,
        kind: FindingKind::Extraction,
        scope: Scope::Reader,
        title_zh: f.title_zh,
        title_en: f.title_en,
        doc_zh: f.doc_zh,
        doc_en: f.doc_en,
    }
}

/// Reader findings, in the order of `gongkai_doc::findings::ALL`.
pub static READER_IDS: LazyLock<Vec<RuleInfo>> =
    LazyLock::new(|| ALL.iter().map(|f| entry(f)).collect());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reader_finding_is_in_the_catalogue_as_declared() {
        assert_eq!(READER_IDS.len(), ALL.len());
        for f in ALL {
            let info = crate::lookup(f.id).expect("catalogued");
            assert_eq!(
                (info.severity, info.raised, info.scope),
                (f.severity, f.raised, Scope::Reader)
            );
        }
    }
}
