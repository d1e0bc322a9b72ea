//! A small element tree of one WordprocessingML part, built with quick-xml's namespace-aware
//! reader: element names are normalised by namespace (`w:` for WordprocessingML, transitional or
//! strict; `mc:` for markup compatibility) whatever prefix the producer chose, only the attributes
//! the reader uses are kept, and only the text of `w:t` elements. Nesting is bounded.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

const W_TRANSITIONAL: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &[u8] = b"http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Attributes kept (by local name).
const KEPT_ATTRS: &[&str] = &["val", "fldCharType", "char", "Requires", "type"];
/// Elements whose whole subtree is formatting the reader never looks at: skipped while parsing, so
/// the tree holds content, not borders and shading.
const SKIPPED: &[&str] = &[
    "w:tblPr",
    "w:tblGrid",
    "w:tblPrEx",
    "w:tcBorders",
    "w:tblBorders",
    "w:tcMar",
    "w:tblCellMar",
    "w:pBdr",
    "w:sectPr",
    "w:rPrChange",
    "w:pPrChange",
    "w:tcPrChange",
    "w:trPrChange",
    "w:tblPrChange",
    "w:numPr",
    "w:tabs",
];

/// Elements whose text content is kept (deleted text and field codes are never shown).
const TEXT_ELEMENTS: &[&str] = &["w:t"];

/// An element.
#[derive(Debug, Default)]
pub(crate) struct El {
    /// Normalised name (`w:p`, `mc:Choice`, `x:…` for other namespaces).
    pub(crate) name: String,
    /// Kept attributes, by local name.
    pub(crate) attrs: Vec<(String, String)>,
    /// Children.
    pub(crate) children: Vec<Child>,
}

/// A child of an element.
#[derive(Debug)]
pub(crate) enum Child {
    /// An element.
    El(El),
    /// Text (only inside `w:t`).
    Text(String),
}

impl El {
    /// The value of attribute `name`.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|c| match c {
            Child::El(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    /// The concatenated text children.
    pub(crate) fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|c| match c {
                Child::Text(t) => Some(t.as_str()),
                Child::El(_) => None,
            })
            .collect()
    }
}

/// Why a part could not be parsed.
#[derive(Debug)]
pub(crate) enum XmlError {
    /// Malformed XML (position, the XML parser's message).
    Malformed(u64, String),
    /// Malformed XML found by this module (position, what is wrong in Chinese and English).
    Invalid {
        /// Byte position.
        at: u64,
        /// What is wrong, in Chinese.
        zh: &'static str,
        /// What is wrong, in English.
        en: &'static str,
    },
    /// Nested more deeply than allowed.
    TooDeep(usize),
    /// More elements than allowed (the limit).
    TooManyElements(usize),
}

/// Parses `xml` into a tree rooted at a synthetic element holding the document element, of at
/// most `max_depth` levels and `max_elements` elements (skipped formatting not counted).
pub(crate) fn parse(xml: &[u8], max_depth: usize, max_elements: usize) -> Result<El, XmlError> {
    let mut reader = NsReader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<El> = vec![El { name: "#root".into(), ..El::default() }];
    let mut buf = Vec::new();
    let mut elements = 0usize;
    loop {
        if elements > max_elements {
            return Err(XmlError::TooManyElements(max_elements));
        }
        let pos = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event_into(&mut buf)
            .map_err(|e| XmlError::Malformed(pos, e.to_string()))?;
        match event {
            Event::Start(e) => {
                if stack.len() > max_depth {
                    return Err(XmlError::TooDeep(max_depth));
                }
                let el = element(&ns, &e);
                if SKIPPED.contains(&el.name.as_str()) {
                    let end = e.to_end().into_owned();
                    buf.clear();
                    reader
                        .read_to_end_into(end.name(), &mut buf)
                        .map_err(|e| XmlError::Malformed(pos, e.to_string()))?;
                } else {
                    elements += 1;
                    stack.push(el);
                }
            }
            Event::Empty(e) => {
                let el = element(&ns, &e);
                elements += 1;
                if let Some(top) = stack.last_mut() {
                    top.children.push(Child::El(el));
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else { break };
                match stack.last_mut() {
                    Some(top) => top.children.push(Child::El(el)),
                    None => {
                        return Err(XmlError::Invalid {
                            at: pos,
                            zh: "结束标签没有对应的开始标签",
                            en: "unbalanced end tag",
                        });
                    }
                }
            }
            Event::Text(t) => push_text(
                &mut stack,
                &t.decode().map_err(|e| XmlError::Malformed(pos, e.to_string()))?,
            ),
            Event::CData(t) => push_text(&mut stack, &String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        b"amp" => "&".into(),
                        b"lt" => "<".into(),
                        b"gt" => ">".into(),
                        b"quot" => "\"".into(),
                        b"apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if stack.len() != 1 {
        return Err(XmlError::Invalid {
            at: reader.buffer_position(),
            zh: "部件意外结束（可能被截断）",
            en: "unexpected end of part (truncated?)",
        });
    }
    stack.pop().ok_or(XmlError::Invalid { at: 0, zh: "部件为空", en: "empty part" })
}

fn element(ns: &ResolveResult<'_>, e: &BytesStart<'_>) -> El {
    let local_name = e.local_name();
    let local = String::from_utf8_lossy(local_name.as_ref());
    let prefix = match ns {
        ResolveResult::Bound(n) if n.as_ref() == W_TRANSITIONAL || n.as_ref() == W_STRICT => "w:",
        ResolveResult::Bound(n) if n.as_ref() == MC => "mc:",
        _ => "x:",
    };
    let mut name = String::with_capacity(prefix.len() + local.len());
    name.push_str(prefix);
    name.push_str(&local);
    let mut attrs = Vec::new();
    for a in e.attributes().flatten() {
        let local = a.key.local_name();
        if let Some(key) = KEPT_ATTRS.iter().find(|k| k.as_bytes() == local.as_ref()) {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default();
            attrs.push(((*key).to_owned(), value));
        }
    }
    El { name, attrs, children: Vec::new() }
}

fn push_text(stack: &mut [El], text: &str) {
    if let Some(top) = stack.last_mut()
        && TEXT_ELEMENTS.contains(&top.name.as_str())
    {
        match top.children.last_mut() {
            Some(Child::Text(t)) => t.push_str(text),
            _ => top.children.push(Child::Text(text.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_prefixes_and_keeps_text() {
        let xml = br#"<d:document xmlns:d="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><d:body><d:p><d:r><d:t xml:space="preserve">A &amp; B&#x4e00;</d:t></d:r><d:tcPr><d:gridSpan d:val="3"/></d:tcPr></d:p></d:body></d:document>"#;
        let root = parse(xml, 64, 1_000).expect("valid");
        let doc = root.child("w:document").expect("document");
        let p = doc.child("w:body").and_then(|b| b.child("w:p")).expect("p");
        let t = p.child("w:r").and_then(|r| r.child("w:t")).expect("t");
        assert_eq!(t.text(), "A & B一");
        assert_eq!(
            p.child("w:tcPr").and_then(|t| t.child("w:gridSpan")).and_then(|g| g.attr("val")),
            Some("3")
        );
    }

    #[test]
    fn refuses_deep_and_truncated() {
        let deep = format!("<a>{}</a>", "<b>".repeat(100));
        assert!(matches!(parse(deep.as_bytes(), 50, 1_000), Err(XmlError::TooDeep(50))));
        let many = format!("<a>{}</a>", "<b/>".repeat(101));
        assert!(matches!(parse(many.as_bytes(), 50, 100), Err(XmlError::TooManyElements(100))));
        assert!(parse(many.as_bytes(), 50, 102).is_ok());
        assert!(matches!(parse(b"<a><b></b>", 50, 1_000), Err(XmlError::Invalid { .. })));
        assert!(matches!(parse(b"<a></b>", 50, 1_000), Err(XmlError::Malformed(..))));
    }
}
