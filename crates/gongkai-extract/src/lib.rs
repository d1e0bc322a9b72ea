//! The reading facade: detects an input's format from its content (magic bytes first, the file
//! name only as a fallback) and hands it to that format's reader, which returns the intermediate
//! [`Document`]. Nothing after this point knows the input format. A failure is a [`ReadError`],
//! classified by [`ReadError::kind`] ([`ErrorKind`]), so that callers need not know the readers.

mod detect;
mod kind;

use std::path::Path;

pub use detect::{InputFormat, detect};
use gongkai_doc::{Document, Limits};
use gongkai_model::{Lang, Localized, Msg};
pub use kind::ErrorKind;

/// Why an input could not be read. [`ReadError::message`] says it in one language; the `Display`
/// form gives Chinese and English (`中文 / English`), a reader's error as that reader shows it.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(#[from] std::io::Error),
    /// The file is larger than the input limit.
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The format is recognised but not supported by this build.
    Unsupported(InputFormat),
    /// The text reader refused the input.
    #[error(transparent)]
    Text(#[from] gongkai_read_text::Error),
    /// The XLSX reader refused the input.
    #[error(transparent)]
    Xlsx(#[from] gongkai_read_xlsx::XlsxReadError),
    /// The HTML reader refused the input.
    #[error(transparent)]
    Html(#[from] gongkai_read_html::Error),
    /// The DOCX reader refused the input.
    #[error(transparent)]
    Docx(#[from] gongkai_read_docx::Error),
    /// The `.doc` reader refused the input (also for every other compound file — an encrypted
    /// OOXML package, a legacy Excel file — and for a `.wps` file in another format).
    #[error(transparent)]
    Doc(#[from] gongkai_read_doc::Error),
    /// The PDF reader refused the input.
    #[error(transparent)]
    Pdf(#[from] gongkai_read_pdf::Error),
    /// The OCR reader refused an image file (JPEG, PNG, TIFF).
    #[error(transparent)]
    Image(#[from] gongkai_read_image::Error),
    /// A gongkai JSON report that does not conform to the schema (the error names the field).
    InvalidJson(gongkai_model::json::JsonError),
    /// A cell list (`tsv`) that does not parse or does not make a report (the words name the line
    /// or the key).
    InvalidCellList(Msg),
    /// A reader failed unexpectedly (a bug); the input is reported as unreadable, the batch goes on.
    Internal(String),
}

impl Localized for ReadError {
    /// A reader's error as that reader says it; for this crate's variants, our words and then the
    /// system's or parser's (I/O errors, the JSON reason, a panic message) as they are.
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            ReadError::Text(e) => e.words(),
            ReadError::Xlsx(e) => e.words(),
            ReadError::Html(e) => e.words(),
            ReadError::Docx(e) => e.words(),
            ReadError::Doc(e) => e.words(),
            ReadError::Pdf(e) => e.words(),
            ReadError::Image(e) => e.words(),
            ReadError::Io(e) => {
                let (why, detail) = gongkai_model::localized::io_words(e);
                (
                    Msg::new(
                        format!("无法读取文件：{}", why.zh),
                        format!("cannot read file: {}", why.en),
                    ),
                    detail,
                )
            }
            ReadError::TooLarge { size, limit } => (
                Msg::new(
                    format!("文件过大：{size} 字节，上限 {limit} 字节"),
                    format!("file too large: {size} bytes (limit {limit})"),
                ),
                None,
            ),
            ReadError::Unsupported(f) => (
                Msg::new(
                    format!("不支持的格式：{}", f.label(Lang::Zh)),
                    format!("unsupported format: {}", f.label(Lang::En)),
                ),
                None,
            ),
            ReadError::InvalidJson(e) => {
                let (why, detail) = e.words();
                let text = Msg::new(
                    format!("gongkai JSON 报告无效：{}", why.zh),
                    format!("invalid gongkai JSON report: {}", why.en),
                );
                (text, detail)
            }
            ReadError::InvalidCellList(why) => (
                Msg::new(
                    format!("单元格清单无效：{}", why.zh),
                    format!("invalid cell list: {}", why.en),
                ),
                None,
            ),
            ReadError::Internal(what) => {
                (Msg::new("读取器内部错误", "internal reader error"), Some(what.clone()))
            }
        }
    }
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
        // A scan or photo is read by OCR.
        InputFormat::Image => Ok(gongkai_read_image::read_image(name, bytes, limits)?),
        // A `.wps` whose content is no compound file is one of WPS's own older formats: the
        // `.doc` reader says so, rather than the text reader reading its bytes as text.
        InputFormat::Text | InputFormat::Binary if gongkai_read_doc::is_wps_name(name) => {
            Ok(gongkai_read_doc::read(name, bytes, limits)?)
        }
        // Binary junk goes to the text reader too: it says precisely why it is not text.
        InputFormat::Text | InputFormat::Binary => {
            Ok(gongkai_read_text::read(name, bytes, limits)?)
        }
        InputFormat::Xlsx => Ok(gongkai_read_xlsx::read(name, bytes, limits)?),
        InputFormat::Html => Ok(gongkai_read_html::read(name, bytes, limits)?),
        InputFormat::Docx => Ok(gongkai_read_docx::read(name, bytes, limits)?),
        // Every compound file goes to the `.doc` reader, which reads a Word document and tells
        // an encrypted package or another Office format from it by its streams.
        InputFormat::Doc | InputFormat::Cfb => Ok(gongkai_read_doc::read(name, bytes, limits)?),
        // Text pages as the PDF reader reads them, scanned pages by OCR.
        InputFormat::Pdf => Ok(gongkai_read_image::read_pdf(name, bytes, limits)?),
        other => Err(ReadError::Unsupported(other)),
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
        let encrypted = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../gongkai-read-docx/tests/fixtures/encrypted.docx"),
        )
        .expect("fixture");
        let err = read("report.docx", &encrypted, &limits).expect_err("refused");
        assert!(matches!(err, ReadError::Doc(gongkai_read_doc::Error::Encrypted)), "{err}");
        let doc = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../gongkai-read-doc/tests/fixtures/template-filled.doc"),
        )
        .expect("fixture");
        let read_doc = read("named.pdf", &doc, &limits).expect(".doc read");
        assert_eq!(read_doc.format, Some(gongkai_doc::Format::Doc));
        let err = read("old.wps", b"\xFF\x00WPS\x00\x01", &limits).expect_err("refused");
        assert!(
            matches!(
                err,
                ReadError::Doc(gongkai_read_doc::Error::UnsupportedVariant(
                    gongkai_read_doc::Variant::WpsNative
                ))
            ),
            "{err}"
        );
    }

    #[test]
    fn messages_are_in_one_language() {
        // The words that follow (the system's, a parser's) are English in both languages: here
        // an acronym, so that the whole Chinese message can be checked.
        let own = [
            ReadError::Io(std::io::Error::other("EOF")),
            ReadError::TooLarge { size: 20, limit: 10 },
            ReadError::Unsupported(InputFormat::Zip),
            ReadError::Unsupported(InputFormat::Cfb),
            ReadError::InvalidJson(gongkai_model::json::JsonError {
                field: String::new(),
                reason: Msg::new("JSON 内容不符合 gongkai 报告格式", "not a gongkai JSON report"),
                detail: Some("EOF".to_owned()),
            }),
            ReadError::InvalidCellList(Msg::new("第 2 行：不是单元格键", "line 2: not a cell key")),
            ReadError::Internal("EOF".to_owned()),
        ];
        for e in &own {
            gongkai_testkit::lang::assert_chinese(&e.message(Lang::Zh));
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
        }
        assert_eq!(own[0].message(Lang::Zh), "无法读取文件：读写出错：EOF");
        assert_eq!(
            own[0].to_string(),
            "无法读取文件：读写出错 / cannot read file: input/output error: EOF"
        );
        let missing = ReadError::Io(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(missing.message(Lang::Zh), "无法读取文件：文件或目录不存在");
        assert_eq!(missing.message(Lang::En), "cannot read file: no such file or directory");
        assert_eq!(own[2].message(Lang::En), "unsupported format: ZIP");
        assert_eq!(own[2].to_string(), "不支持的格式：ZIP / unsupported format: ZIP");
    }

    #[test]
    fn a_readers_error_is_that_readers_message() {
        let limits = Limits::default();
        for (name, bytes) in [
            ("x.txt", &b"\x00\x01\x02\x03binary\x00\x00"[..]),
            ("x.pdf", b"%PDF-1.7\n"),
            ("x.doc", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]),
        ] {
            let e = read(name, bytes, &limits).expect_err("refused");
            let inner: &dyn Fn(Lang) -> String = match &e {
                ReadError::Text(r) => &|l| r.message(l),
                ReadError::Pdf(r) => &|l| r.message(l),
                ReadError::Docx(r) => &|l| r.message(l),
                ReadError::Doc(r) => &|l| r.message(l),
                other => panic!("{name}: {other:?}"),
            };
            for lang in [Lang::Zh, Lang::En] {
                assert_eq!(e.message(lang), inner(lang), "{name}");
            }
            gongkai_testkit::lang::assert_english(&e.message(Lang::En));
            assert!(e.to_string().contains(" / "), "{e}");
        }
    }
}
