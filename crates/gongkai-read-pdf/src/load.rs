//! Opening the file: bytes → `lopdf::Document` and its page list, with the checks that decide
//! whether the file can be read at all ([`Error`]).
//!
//! lopdf repairs broken cross-reference data by scanning for objects, bounds every stream's
//! decompressed size and authenticates the empty user password by itself, so owner-password-only
//! files (permissions set, no password to open — common on Chinese government sites) open like
//! any other. A panic inside lopdf is caught and reported as a corrupt file.

use std::panic::{AssertUnwindSafe, catch_unwind};

use gongkai_doc::Limits;
use gongkai_model::{Finding, Localized, Msg};
use lopdf::{Document, LoadOptions, ObjectId};

use crate::notes;
use crate::obj::deref;

/// Why a PDF could not be read at all. [`Error::message`] says it in one language; the `Display`
/// form gives Chinese and English (`中文 / English`).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
#[non_exhaustive]
pub enum Error {
    /// The PDF parser refused the file (not a PDF, or damaged beyond repair).
    Corrupt {
        /// The parser's own words (English).
        reason: String,
    },
    /// The file is not a PDF or is damaged, as the reader finds itself (no `%PDF-` header, the
    /// parser gave up, no pages).
    Malformed {
        /// What is wrong, in Chinese.
        zh: &'static str,
        /// What is wrong, in English.
        en: &'static str,
    },
    /// The file needs a password to open (a user password is set).
    Encrypted,
    /// The file is larger than [`Limits::max_input_bytes`].
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file has more pages than [`Limits::max_pages`].
    TooManyPages {
        /// Its page count.
        pages: usize,
        /// The limit.
        limit: usize,
    },
    /// The text laid out exceeds [`Limits::max_text_bytes`].
    TextTooLarge {
        /// The limit.
        limit: usize,
    },
}

// The head of the message for a file that cannot be read, in Chinese and English.
const UNREADABLE_ZH: &str = "无法读取 PDF 文件（文件损坏或不是 PDF）";
const UNREADABLE_EN: &str = "not a readable PDF";

impl Error {
    /// The message in both languages, and the parser's words (English only) that follow it.
    fn text(&self) -> (Msg, Option<&str>) {
        let text = match self {
            Error::Corrupt { reason } => {
                return (Msg::new(UNREADABLE_ZH, UNREADABLE_EN), Some(reason));
            }
            Error::Malformed { zh, en } => {
                Msg::new(format!("{UNREADABLE_ZH}：{zh}"), format!("{UNREADABLE_EN}: {en}"))
            }
            Error::Encrypted => Msg::new(
                "PDF 文件已加密，需要打开密码",
                "the PDF is encrypted with a user password",
            ),
            Error::TooLarge { size, limit } => Msg::new(
                format!("PDF 文件过大（{size} 字节，上限 {limit} 字节）"),
                format!("the PDF is too large ({size} bytes, limit {limit})"),
            ),
            Error::TooManyPages { pages, limit } => Msg::new(
                format!("PDF 页数过多（{pages} 页，上限 {limit} 页）"),
                format!("the PDF has too many pages ({pages}, limit {limit})"),
            ),
            Error::TextTooLarge { limit } => Msg::new(
                format!("PDF 文字内容过多（上限 {limit} 字节）"),
                format!("the PDF's text exceeds {limit} bytes"),
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

/// An opened PDF.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// The object layer.
    pub(crate) doc: Document,
    /// Page objects in order.
    pub(crate) pages: Vec<ObjectId>,
    /// Document information (`Title`, `Author`, `Creator`, `Producer`, …).
    pub(crate) properties: Vec<(String, String)>,
    /// Notes about opening (repairs, decryption).
    pub(crate) notes: Vec<Finding>,
}

/// Opens a PDF.
pub(crate) fn load(bytes: &[u8], limits: &Limits) -> Result<Loaded, Error> {
    let size = bytes.len() as u64;
    if size > limits.max_input_bytes {
        return Err(Error::TooLarge { size, limit: limits.max_input_bytes });
    }
    // A PDF header may be preceded by junk (up to 1 KiB is accepted by viewers); beyond that the
    // file is not a PDF.
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::Malformed { zh: "缺少 %PDF- 文件头", en: "no %PDF- header" });
    }
    let options = LoadOptions {
        max_decompressed_size: Some(crate::interp::MAX_PAGE_CONTENT),
        ..LoadOptions::default()
    };
    let doc =
        match catch_unwind(AssertUnwindSafe(|| Document::load_mem_with_options(bytes, options))) {
            Ok(Ok(doc)) => doc,
            Ok(Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_))) => {
                return Err(Error::Encrypted);
            }
            Ok(Err(e)) => return Err(Error::Corrupt { reason: e.to_string() }),
            Err(_) => {
                return Err(Error::Malformed {
                    zh: "PDF 解析器无法处理此文件",
                    en: "the PDF parser failed on this file",
                });
            }
        };
    let mut found_notes = Vec::new();
    if doc.encryption_state.is_some() {
        found_notes.push(notes::decrypted());
    } else if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(Error::Encrypted);
    }
    if doc.xref_recovery.is_some() {
        found_notes.push(notes::repaired());
    }
    let pages: Vec<ObjectId> = match catch_unwind(AssertUnwindSafe(|| {
        doc.page_iter().take(limits.max_pages.saturating_add(1)).collect()
    })) {
        Ok(p) => p,
        Err(_) => {
            return Err(Error::Malformed {
                zh: "无法读取页面树",
                en: "the page tree could not be read",
            });
        }
    };
    if pages.len() > limits.max_pages {
        let total = catch_unwind(AssertUnwindSafe(|| doc.page_iter().take(1_000_000).count()))
            .unwrap_or(pages.len());
        return Err(Error::TooManyPages { pages: total, limit: limits.max_pages });
    }
    if pages.is_empty() {
        return Err(Error::Malformed { zh: "文件中没有页面", en: "the PDF has no pages" });
    }
    let properties = info(&doc);
    Ok(Loaded { doc, pages, properties, notes: found_notes })
}

/// The document information dictionary, as text.
fn info(doc: &Document) -> Vec<(String, String)> {
    let Some(dict) =
        doc.trailer.get(b"Info").ok().map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in
        ["Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate"]
    {
        if let Ok(lopdf::Object::String(bytes, _)) = dict.get(key.as_bytes()).map(|o| deref(doc, o))
        {
            let s = text_string(bytes);
            let s = s.trim().to_owned();
            if !s.is_empty() {
                out.push((key.to_ascii_lowercase(), s));
            }
        }
    }
    out
}

/// Decodes a PDF text string: UTF-16 with either byte-order mark (WPS writes little-endian),
/// UTF-8 with or without its mark, else PDFDocEncoding (read as Windows-1252).
fn text_string(b: &[u8]) -> String {
    let (text, _) = if let Some(rest) = b.strip_prefix(b"\xfe\xff") {
        encoding_rs::UTF_16BE.decode_without_bom_handling(rest)
    } else if let Some(rest) = b.strip_prefix(b"\xff\xfe") {
        encoding_rs::UTF_16LE.decode_without_bom_handling(rest)
    } else if let Some(rest) = b.strip_prefix(b"\xef\xbb\xbf") {
        encoding_rs::UTF_8.decode_without_bom_handling(rest)
    } else if std::str::from_utf8(b).is_ok() {
        encoding_rs::UTF_8.decode_without_bom_handling(b)
    } else {
        encoding_rs::WINDOWS_1252.decode_without_bom_handling(b)
    };
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Lang;

    #[test]
    fn text_strings_in_every_encoding() {
        assert_eq!(text_string(b"\xff\xfe\x3f\x65"), "政");
        assert_eq!(text_string(b"\xfe\xff\x65\x3f"), "政");
        assert_eq!(text_string("政".as_bytes()), "政");
        assert_eq!(text_string(b"caf\xe9"), "café");
    }

    #[test]
    fn messages_are_in_one_language() {
        let all = [
            Error::Corrupt { reason: "EOF".to_owned() },
            Error::Malformed { zh: "缺少 %PDF- 文件头", en: "no %PDF- header" },
            Error::Encrypted,
            Error::TooLarge { size: 20, limit: 10 },
            Error::TooManyPages { pages: 20, limit: 10 },
            Error::TextTooLarge { limit: 10 },
        ];
        for e in &all {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
        assert_eq!(
            all[1].message(Lang::Zh),
            "无法读取 PDF 文件（文件损坏或不是 PDF）：缺少 %PDF- 文件头"
        );
        assert_eq!(all[1].message(Lang::En), "not a readable PDF: no %PDF- header");
        // The parser's words follow once, in both languages.
        assert_eq!(all[0].message(Lang::En), "not a readable PDF: EOF");
        assert_eq!(
            all[0].to_string(),
            "无法读取 PDF 文件（文件损坏或不是 PDF） / not a readable PDF: EOF"
        );
    }
}
