//! Reads an annual report published as a Word or WPS `.docx` file into the intermediate
//! [`Document`].
//!
//! The zip container is guarded before anything is inflated: input size, entry count, declared
//! and actual uncompressed sizes, and the compression ratio of each part read (zip bombs) are
//! checked against [`Limits`]; a password-protected file (an OLE compound file holding an
//! `EncryptedPackage`), a legacy `.doc`, and anything that is not a zip get a clear error.
//!
//! The main part (found through `_rels/.rels`, normally `word/document.xml`) is parsed into a small
//! namespace-normalised tree (module `xml`) and walked into blocks (module `body`): body paragraphs in order,
//! tables with `gridSpan`/`vMerge` merged cells placed in the expanded grid, text boxes, tracked
//! changes resolved to the final text, fields showing their results. Core properties (title,
//! author, …) become [`Document::properties`]. Origins are [`Origin::Docx`]: the body paragraph
//! index, or `(table, row, cell)` for table cells.
//!
//! `Err` only when the file cannot be read at all; anything merely odd is a note (`READ-DOCX-…`,
//! kind [`FindingKind::Extraction`]).

mod body;
mod xml;

use std::io::Read;

use gongkai_doc::{Document, DocumentBuilder, Format, Limits, findings, word};
use gongkai_model::{Localized, Msg};

/// Deepest XML element nesting accepted in a part (real documents nest a few dozen levels; text
/// boxes in tables in text boxes stay far below this).
pub const MAX_XML_DEPTH: usize = 512;

/// Most XML elements kept from the body (formatting the reader skips is not counted). The tree
/// costs about 400 bytes an element: a 5.5 MB DOCX of 900,000 table cells (49 MB of XML, within
/// the zip limits) took 1.4 GB before the text limit refused it. A report's body has 5,000 to
/// 10,000 elements; at this bound the tree stays near 200 MB.
pub const MAX_XML_ELEMENTS: usize = 500_000;

/// Why a file could not be read at all. [`Error::message`] says it in one language; the `Display`
/// form gives Chinese and English (`中文 / English`).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum Error {
    /// The input is larger than [`Limits::max_input_bytes`].
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// A password-protected Office file.
    Encrypted,
    /// A legacy binary Word file (`.doc`) or another OLE compound file.
    LegacyFormat,
    /// Not a zip container at all.
    NotZip,
    /// A zip that holds no Word document.
    NoDocument,
    /// The container or a part is damaged (truncated, malformed XML, bad compression), in the
    /// words of the zip or XML parser (English), after the part and position where known.
    Corrupt(String),
    /// A part's XML is damaged in a way the reader finds itself (an end tag without its start,
    /// the part ending inside an element).
    Malformed {
        /// The part.
        part: String,
        /// Byte position in the part.
        at: u64,
        /// What is wrong, in Chinese.
        zh: &'static str,
        /// What is wrong, in English.
        en: &'static str,
    },
    /// More zip entries than [`Limits::max_zip_entries`].
    TooManyEntries {
        /// Entries found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A part inflates beyond [`Limits::max_zip_uncompressed`] or beyond
    /// [`Limits::max_zip_ratio`] times its compressed size (a zip bomb).
    ZipBomb {
        /// The part.
        part: String,
    },
    /// XML nested more deeply than [`MAX_XML_DEPTH`].
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The laid-out text would exceed [`Limits::max_text_bytes`].
    TextTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body has more XML elements than [`MAX_XML_ELEMENTS`].
    TooManyElements {
        /// The limit.
        limit: usize,
    },
}

impl Error {
    /// The message in both languages, and the parser's words (English only) that follow it.
    fn text(&self) -> (Msg, Option<&str>) {
        let text = match self {
            Error::TooLarge { limit } => gongkai_doc::errors::too_large(limit),
            Error::Encrypted => Msg::new(
                "文件已加密（设有打开密码），无法读取；请提供未加密的文件",
                "the file is encrypted with a password and cannot be read; provide an unencrypted copy",
            ),
            Error::LegacyFormat => Msg::new(
                "旧版 Word（.doc）等二进制格式不受支持；请另存为 .docx",
                "legacy binary .doc files are not supported; save as .docx",
            ),
            Error::NotZip => Msg::new(
                "不是 DOCX 文件：内容不是 zip 容器",
                "not a DOCX file: the content is not a zip container",
            ),
            Error::NoDocument => Msg::new(
                "zip 中没有 Word 正文（word/document.xml）",
                "the zip holds no Word document body (word/document.xml)",
            ),
            Error::Corrupt(detail) => {
                return (gongkai_doc::errors::damaged(), Some(detail));
            }
            Error::Malformed { part, at, zh, en } => gongkai_doc::errors::damaged_because(
                format_args!("{part} @{at}：{zh}"),
                format_args!("{part} @{at}: {en}"),
            ),
            Error::TooManyEntries { count, limit } => Msg::new(
                format!("zip 条目过多：{count} 个，上限 {limit} 个"),
                format!("too many zip entries: {count}, limit {limit}"),
            ),
            Error::ZipBomb { part } => Msg::new(
                format!("疑似 zip 炸弹：{part} 解压后过大"),
                format!("suspected zip bomb: {part} inflates too far"),
            ),
            Error::TooDeep { limit } => Msg::new(
                format!("XML 嵌套过深：超过 {limit} 层"),
                format!("XML nested too deeply: more than {limit} levels"),
            ),
            Error::TextTooLarge { limit } => gongkai_doc::errors::text_too_large(limit),
            Error::TooManyElements { limit } => Msg::new(
                format!("Word 正文的 XML 元素过多：超过 {limit} 个"),
                format!("too many XML elements in the Word body: more than {limit}"),
            ),
        };
        (text, None)
    }
}

impl Localized for Error {
    fn words(&self) -> (Msg, Option<String>) {
        let (text, detail) = self.text();
        (text, detail.map(str::to_owned))
    }
}

/// The findings this reader reports its tally with.
const TALLY_FINDINGS: word::TallyFindings = word::TallyFindings {
    tracked: &findings::READ_DOCX_TRACKED,
    hidden: &findings::READ_DOCX_HIDDEN,
    nested_table: &findings::READ_DOCX_NESTED_TABLE,
    merge: &findings::READ_DOCX_MERGE,
    text_boxes: Some(&findings::READ_DOCX_TEXTBOX),
    rows_cut: None,
};

/// Reads the DOCX `bytes` (named `name` for display).
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::TooLarge { limit: limits.max_input_bytes });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let encrypted = bytes.windows(name.len()).any(|w| w == name.as_slice());
        return Err(if encrypted { Error::Encrypted } else { Error::LegacyFormat });
    }
    if !bytes.starts_with(b"PK") {
        return Err(Error::NotZip);
    }
    let mut zip = Container::open(bytes, limits)?;
    let main = zip.main_part()?;
    let xml = zip.read(&main)?.ok_or(Error::NoDocument)?;
    let tree =
        xml::parse(&xml, MAX_XML_DEPTH, MAX_XML_ELEMENTS).map_err(|e| xml_error(&main, e))?;
    drop(xml);
    let body = tree.child("w:document").and_then(|d| d.child("w:body")).ok_or(Error::NoDocument)?;
    let mut walker = body::Walker::new();
    walker.blocks_of(body);
    drop(tree);

    let mut b = DocumentBuilder::new(name, Format::Docx);
    for (k, v) in zip.core_properties() {
        b.property(k, v);
    }
    word::lay_out(&mut b, &walker.blocks, limits.max_text_bytes)
        .map_err(|e| Error::TextTooLarge { limit: e.limit })?;
    word::note(&mut b, &walker.tally, &TALLY_FINDINGS);
    Ok(b.finish())
}

/// Reads a DOCX from a stream, reading at most [`Limits::max_input_bytes`] + 1 bytes.
pub fn read_from(name: &str, input: impl Read, limits: &Limits) -> Result<Document, Error> {
    let mut bytes = Vec::new();
    input
        .take(limits.max_input_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Corrupt(e.to_string()))?;
    read(name, &bytes, limits)
}

fn xml_error(part: &str, e: xml::XmlError) -> Error {
    match e {
        xml::XmlError::TooDeep(limit) => Error::TooDeep { limit },
        xml::XmlError::TooManyElements(limit) => Error::TooManyElements { limit },
        xml::XmlError::Malformed(pos, msg) => Error::Corrupt(format!("{part} @{pos}: {msg}")),
        xml::XmlError::Invalid { at, zh, en } => {
            Error::Malformed { part: part.to_owned(), at, zh, en }
        }
    }
}

/// The zip container, under the shared guard of every zip gongkai opens ([`gongkai_zip`]).
struct Container<'a> {
    zip: gongkai_zip::Archive<'a>,
}

/// A refusal of the shared zip guard, in this reader's terms.
fn zip_error(e: gongkai_zip::ZipError) -> Error {
    use gongkai_zip::ZipError as Z;
    match e {
        Z::Open(detail) => Error::Corrupt(detail),
        Z::TooManyEntries { count, limit } => Error::TooManyEntries { count, limit },
        Z::Encrypted { .. } => Error::Encrypted,
        Z::Ratio { entry, .. } | Z::Total { entry, .. } | Z::EntryTooLarge { entry, .. } => {
            Error::ZipBomb { part: entry }
        }
        Z::Corrupt { entry, detail } => Error::Corrupt(format!("{entry}: {detail}")),
    }
}

impl<'a> Container<'a> {
    fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Self, Error> {
        Ok(Container { zip: gongkai_zip::Archive::open(bytes, limits).map_err(zip_error)? })
    }

    /// The main document part named by `_rels/.rels` (`word/document.xml` when unnamed).
    fn main_part(&mut self) -> Result<String, Error> {
        let rels = self.read("_rels/.rels")?;
        let target = rels.as_deref().and_then(relationship_target);
        Ok(target.map_or_else(
            || "word/document.xml".to_owned(),
            |t| t.trim_start_matches('/').to_owned(),
        ))
    }

    /// Inflates part `name` under the limits; `None` if there is no such part.
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        self.zip.read(name).map_err(zip_error)
    }

    /// Core properties (`docProps/core.xml`): title, subject, author, … in a fixed order.
    fn core_properties(&mut self) -> Vec<(String, String)> {
        let Ok(Some(xml)) = self.read("docProps/core.xml") else { return Vec::new() };
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        let mut current: Option<&'static str> = None;
        let mut found: Vec<(&'static str, String)> = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Start(e)) => {
                    current = match e.local_name().as_ref() {
                        b"title" => Some("title"),
                        b"subject" => Some("subject"),
                        b"creator" => Some("author"),
                        b"lastModifiedBy" => Some("last_modified_by"),
                        b"created" => Some("created"),
                        b"modified" => Some("modified"),
                        b"keywords" => Some("keywords"),
                        b"description" => Some("description"),
                        _ => None,
                    };
                }
                Ok(quick_xml::events::Event::Text(t)) => {
                    if let (Some(key), Ok(text)) = (current, t.decode()) {
                        match found.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, v)) => v.push_str(&text),
                            None => found.push((key, text.into_owned())),
                        }
                    }
                }
                Ok(quick_xml::events::Event::End(_)) => current = None,
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        let order = [
            "title",
            "subject",
            "author",
            "last_modified_by",
            "created",
            "modified",
            "keywords",
            "description",
        ];
        let mut out: Vec<(String, String)> = found
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        out.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
        out
    }
}

/// The target of the `officeDocument` relationship in `_rels/.rels`.
fn relationship_target(rels: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(rels);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let get = |n: &[u8]| {
                    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == n).and_then(
                        |a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        },
                    )
                };
                if get(b"Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    return get(b"Target");
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Lang;

    #[test]
    fn messages_are_in_one_language() {
        let all = [
            Error::TooLarge { limit: 10 },
            Error::Encrypted,
            Error::LegacyFormat,
            Error::NotZip,
            Error::NoDocument,
            Error::Corrupt("EOF".to_owned()),
            Error::Malformed {
                part: "word/document.xml".to_owned(),
                at: 12,
                zh: "部件为空",
                en: "empty part",
            },
            Error::TooManyEntries { count: 20, limit: 10 },
            Error::ZipBomb { part: "word/document.xml".to_owned() },
            Error::TooDeep { limit: 512 },
            Error::TextTooLarge { limit: 10 },
        ];
        for e in &all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert!(e.to_string().starts_with(&e.text().0.zh), "{e}");
        }
        assert_eq!(all[6].message(Lang::Zh), "文件已损坏：word/document.xml @12：部件为空");
        assert_eq!(
            all[6].message(Lang::En),
            "the file is damaged: word/document.xml @12: empty part"
        );
        // The parser's words follow once, in both languages.
        assert_eq!(all[5].message(Lang::Zh), "文件已损坏：EOF");
        assert_eq!(all[5].to_string(), "文件已损坏 / the file is damaged: EOF");
    }
}
