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
    match detect(name, bytes) {
        // Binary junk goes to the text reader too: it says precisely why it is not text.
        InputFormat::Text | InputFormat::Binary => {
            Ok(gongkai_read_text::read(name, bytes, limits)?)
        }
        InputFormat::Xlsx => Ok(gongkai_read_xlsx::read(name, bytes, limits)?),
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
