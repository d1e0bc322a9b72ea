//! The letter as built and as edited: a serialisable value the web page shows in a form, and its
//! rendering as DOCX or PDF.

use gongkai_cases::{CaseId, Outcome};
use gongkai_model::Lang;
use gongkai_render::{LetterDoc, Output, OutputFormat, RenderError, Renderer};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::kind::LetterKind;
use crate::text::{PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN};

/// The dates a letter states, as the case derived them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    /// The date of the letter (printed under the signature).
    pub letter: Date,
    /// The day the application was received (day 0, 第三十一条).
    pub received: Date,
    /// The day of the event the letter documents (notice, approval, consultation, closure).
    pub event: Date,
    /// The deadline the letter announces: the correction deadline, the new reply deadline, the
    /// consulted party's answer deadline or the payment deadline; `None` for a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
}

/// A letter: built from a case by [`crate::build`], edited by the clerk, rendered by [`render`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// The kind.
    pub kind: LetterKind,
    /// The language of the text.
    #[serde(with = "lang_key")]
    pub lang: Lang,
    /// The case it belongs to.
    pub case: CaseId,
    /// For a reply: the case's outcome (Table 3 row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The sending agency.
    pub agency: String,
    /// The document number (文号); generated with the year only, the clerk completes it.
    pub doc_number: String,
    /// The recipient line (主送), e.g. `张三：`.
    pub recipient: String,
    /// The title.
    pub title: String,
    /// The body paragraphs.
    pub paragraphs: Vec<String>,
    /// The dates stated, as the case derived them.
    pub dates: Dates,
    /// The signature block: the agency, then the date, right-aligned.
    pub signature: Vec<String>,
}

impl Letter {
    /// The placeholders still to be filled (`【请填写：…】` / `[to fill in: …]`), in order, from
    /// every field a clerk edits.
    pub fn placeholders(&self) -> Vec<String> {
        let fields = [&self.doc_number, &self.recipient, &self.title]
            .into_iter()
            .chain(&self.paragraphs)
            .chain(&self.signature);
        let mut out = Vec::new();
        for f in fields {
            out.extend(spans(f, PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE));
            out.extend(spans(f, '[', ']').into_iter().filter(|s| s.starts_with("[to fill in")));
        }
        out
    }

    /// The letter laid out for the official-document writers.
    pub fn doc(&self) -> LetterDoc {
        LetterDoc {
            lang: self.lang,
            title: self.title.clone(),
            doc_number: self.doc_number.clone(),
            recipient: self.recipient.clone(),
            paragraphs: self.paragraphs.clone(),
            signature: self.signature.clone(),
        }
    }
}

/// Every `open…close` span of `s` (by characters, never by byte index).
fn spans(s: &str, open: char, close: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for c in s.chars() {
        if let Some(buf) = current.as_mut() {
            buf.push(c);
            if c == close {
                out.extend(current.take());
            }
        } else if c == open {
            current = Some(c.to_string());
        }
    }
    out
}

/// Writes `letter` (as built or as edited) as DOCX or PDF in the official look.
///
/// # Errors
/// [`RenderError::Unsupported`] for formats other than DOCX and PDF; the writers' errors.
pub fn render(
    renderer: &Renderer,
    letter: &Letter,
    format: OutputFormat,
) -> Result<Output, RenderError> {
    renderer.render_letter(&letter.doc(), format)
}

mod lang_key {
    use gongkai_model::Lang;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        })
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let s = String::deserialize(d)?;
        Lang::from_tag(&s).ok_or_else(|| serde::de::Error::custom(format!("not a language: `{s}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_by_characters() {
        assert_eq!(spans("甲【请填写：理由】乙【x】", '【', '】'), ["【请填写：理由】", "【x】"]);
        assert_eq!(spans("unclosed 【abc", '【', '】'), Vec::<String>::new());
        assert_eq!(spans("[to fill in: a] [b]", '[', ']'), ["[to fill in: a]", "[b]"]);
    }
}
