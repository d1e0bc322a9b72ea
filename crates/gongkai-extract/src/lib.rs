//! The reading facade: detects an input's format from its content (magic bytes first, the file
//! name only as a fallback) and hands it to that format's reader, which returns the intermediate
//! [`Document`]. Nothing after this point knows the input format.

mod detect;

use std::path::Path;

pub use detect::{InputFormat, detect};
use gongkai_doc::{Document, Limits};

/// Why an input could not be read. Each variant names the reason in Chinese and English.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("无法读取文件 / cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is larger than the input limit.
    #[error(
        "文件过大：{size} 字节，上限 {limit} 字节 / file too large: {size} bytes (limit {limit})"
    )]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The format is recognised but not supported by this build.
    #[error("不支持的格式：{0} / unsupported format: {0}")]
    Unsupported(String),
    /// The text reader refused the input.
    #[error(transparent)]
    Text(#[from] gongkai_read_text::Error),
    /// The XLSX reader refused the input.
    #[error(transparent)]
    Xlsx(#[from] gongkai_read_xlsx::XlsxReadError),
    /// The HTML reader refused the input.
    #[error(transparent)]
    Html(#[from] gongkai_read_html::Error),
    /// The DOCX reader refused the input (also for OLE files: encrypted OOXML or legacy `.doc`).
    #[error(transparent)]
    Docx(#[from] gongkai_read_docx::Error),
    /// The PDF reader refused the input.
    #[error(transparent)]
    Pdf(#[from] gongkai_read_pdf::Error),
    /// A gongkai JSON report that does not conform to the schema (the reason names the field).
    #[error("gongkai JSON 报告无效 / invalid gongkai JSON report: {0}")]
    InvalidJson(String),
    /// A reader failed unexpectedly (a bug); the input is reported as unreadable, the batch goes on.
    #[error("读取器内部错误 / internal reader error: {0}")]
    Internal(String),
}

/// Reads `bytes` (named `name`, usually the path) into a document.
///
/// # Errors
/// When the input is too large, of an unsupported format, or unreadable by its format's reader.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_input_bytes,
        });
    }
    // Readers do not panic by design; should one anyway, the input is reported as unreadable
    // rather than bringing down a batch.
    std::panic::catch_unwind(|| dispatch(name, bytes, limits)).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ReadError::Internal(what))
    })
}

fn dispatch(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    match detect(name, bytes) {
        // Binary junk goes to the text reader too: it says precisely why it is not text.
        InputFormat::Text | InputFormat::Binary => {
            Ok(gongkai_read_text::read(name, bytes, limits)?)
        }
        InputFormat::Xlsx => Ok(gongkai_read_xlsx::read(name, bytes, limits)?),
        InputFormat::Html => Ok(gongkai_read_html::read(name, bytes, limits)?),
        // An OLE file goes to the DOCX reader too, which tells an encrypted package from a
        // legacy binary document in its error.
        InputFormat::Docx | InputFormat::Cfb => Ok(gongkai_read_docx::read(name, bytes, limits)?),
        InputFormat::Pdf => Ok(gongkai_read_pdf::read(name, bytes, limits)?),
        other => Err(ReadError::Unsupported(other.name().to_owned())),
    }
}

/// Reads the file at `path`, refusing files above the input limit before reading them.
///
/// # Errors
/// As [`read`], and when the file cannot be opened.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Document, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > limits.max_input_bytes {
        return Err(ReadError::TooLarge { size: meta.len(), limit: limits.max_input_bytes });
    }
    let bytes = std::fs::read(path)?;
    read(&path.display().to_string(), &bytes, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatches_html_and_docx_by_content() {
        let limits = Limits::default();
        let page = "<!DOCTYPE html><html><body><p>一、总体情况</p></body></html>";
        let doc = read("named.docx", page.as_bytes(), &limits).expect("HTML read");
        assert_eq!(doc.format, Some(gongkai_doc::Format::Html));
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let err = read("report.docx", &ole, &limits).expect_err("refused");
        assert!(matches!(err, ReadError::Docx(gongkai_read_docx::Error::Encrypted)), "{err}");
    }
}
