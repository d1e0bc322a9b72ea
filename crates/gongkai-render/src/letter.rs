//! An official letter (告知书, 答复书, 函) laid out once, independently of the output format: the
//! title, the document number (文号), the recipient line, the body paragraphs and the signature
//! block (agency and date, right-aligned), in the conventions of GB/T 9704. The DOCX and PDF
//! writers of the annual report write it with the same faces, sizes and margins.
//!
//! What a letter *says* is decided elsewhere (`gongkai-letters` builds it from a case); this
//! module only lays it out.

use gongkai_model::Lang;

/// A letter ready to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterDoc {
    /// The language (sets hyphenation and line breaking in PDF).
    pub lang: Lang,
    /// The title (小标宋 二号, centred).
    pub title: String,
    /// The document number (发文字号), centred under the title; empty for none.
    pub doc_number: String,
    /// The recipient line (主送), flush left, e.g. `张三：`.
    pub recipient: String,
    /// The body paragraphs (仿宋 三号, two-character first-line indent).
    pub paragraphs: Vec<String>,
    /// The signature block, right-aligned: the agency, then the date.
    pub signature: Vec<String>,
}
