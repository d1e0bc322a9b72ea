//! What kind of failure a [`ReadError`] is, for the callers that group or answer by cause (a
//! batch's summary, `reports.csv`, the web server's status codes) without knowing every reader's
//! error type: [`ReadError::kind`] is the one classification.

use gongkai_model::Lang;

use crate::ReadError;

/// A kind of reading failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The file is larger than the input limit.
    TooLarge,
    /// Another limit was reached (pages, text, line length, nesting, zip entries, zip bomb).
    Limit,
    /// The file is empty.
    Empty,
    /// The content is binary but of no format gongkai reads.
    NotText,
    /// The file is password-protected.
    Encrypted,
    /// A format gongkai does not read (a legacy `.xls`, a Word 6 file, a zip that is no Office
    /// document).
    Unsupported,
    /// A gongkai JSON report that does not conform to its schema.
    InvalidJson,
    /// A cell list (`tsv`) that does not parse or does not make a report.
    InvalidCellList,
    /// The container or document is damaged.
    Corrupt,
    /// A reader, the recognizer or a rule failed unexpectedly (a bug).
    Internal,
}

impl ErrorKind {
    /// Every kind, in summary order.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::Io,
        ErrorKind::TooLarge,
        ErrorKind::Limit,
        ErrorKind::Empty,
        ErrorKind::NotText,
        ErrorKind::Encrypted,
        ErrorKind::Unsupported,
        ErrorKind::InvalidJson,
        ErrorKind::InvalidCellList,
        ErrorKind::Corrupt,
        ErrorKind::Internal,
    ];

    /// Stable key (`reason_kind` in `reports.csv`).
    pub const fn key(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Limit => "limit",
            ErrorKind::Empty => "empty",
            ErrorKind::NotText => "not_text",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::InvalidCellList => "invalid_cell_list",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::Internal => "internal",
        }
    }

    /// A short description for people.
    pub const fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ErrorKind::Io, Lang::Zh) => "无法打开或读取",
            (ErrorKind::Io, Lang::En) => "cannot be opened or read",
            (ErrorKind::TooLarge, Lang::Zh) => "文件过大",
            (ErrorKind::TooLarge, Lang::En) => "too large",
            (ErrorKind::Limit, Lang::Zh) => "超出读取限制",
            (ErrorKind::Limit, Lang::En) => "beyond a reading limit",
            (ErrorKind::Empty, Lang::Zh) => "文件为空",
            (ErrorKind::Empty, Lang::En) => "empty",
            (ErrorKind::NotText, Lang::Zh) => "不是可读的文本或文档",
            (ErrorKind::NotText, Lang::En) => "not text nor a readable document",
            (ErrorKind::Encrypted, Lang::Zh) => "已加密",
            (ErrorKind::Encrypted, Lang::En) => "encrypted",
            (ErrorKind::Unsupported, Lang::Zh) => "不支持的格式",
            (ErrorKind::Unsupported, Lang::En) => "unsupported format",
            (ErrorKind::InvalidJson, Lang::Zh) => "gongkai JSON 报告无效",
            (ErrorKind::InvalidJson, Lang::En) => "invalid gongkai JSON report",
            (ErrorKind::InvalidCellList, Lang::Zh) => "单元格清单无效",
            (ErrorKind::InvalidCellList, Lang::En) => "invalid cell list",
            (ErrorKind::Corrupt, Lang::Zh) => "文件已损坏",
            (ErrorKind::Corrupt, Lang::En) => "damaged",
            (ErrorKind::Internal, Lang::Zh) => "内部错误",
            (ErrorKind::Internal, Lang::En) => "internal error",
        }
    }
}

impl ReadError {
    /// The kind of this failure: the one classification of every reader's errors.
    pub fn kind(&self) -> ErrorKind {
        use gongkai_read_doc as doc;
        use gongkai_read_docx as docx;
        match self {
            ReadError::Io(_) => ErrorKind::Io,
            ReadError::TooLarge { .. } => ErrorKind::TooLarge,
            ReadError::Unsupported(_) => ErrorKind::Unsupported,
            ReadError::Internal(_) => ErrorKind::Internal,
            ReadError::InvalidJson(_) => ErrorKind::InvalidJson,
            ReadError::InvalidCellList(_) => ErrorKind::InvalidCellList,
            ReadError::Text(t) => match t {
                gongkai_read_text::Error::TooLarge { .. } => ErrorKind::TooLarge,
                gongkai_read_text::Error::LineTooLong { .. }
                | gongkai_read_text::Error::TextTooLarge { .. } => ErrorKind::Limit,
                gongkai_read_text::Error::Binary { .. } => ErrorKind::NotText,
                gongkai_read_text::Error::Empty => ErrorKind::Empty,
            },
            ReadError::Xlsx(x) => match x {
                gongkai_read_xlsx::XlsxReadError::NotXlsx(_) => ErrorKind::Corrupt,
                gongkai_read_xlsx::XlsxReadError::Limit(_) => ErrorKind::Limit,
            },
            ReadError::Html(h) => match h {
                gongkai_read_html::Error::TooLarge { .. } => ErrorKind::TooLarge,
                gongkai_read_html::Error::TextTooLarge { .. }
                | gongkai_read_html::Error::TooDeep { .. }
                | gongkai_read_html::Error::TooComplex { .. }
                | gongkai_read_html::Error::TooManyElements { .. } => ErrorKind::Limit,
                gongkai_read_html::Error::Binary => ErrorKind::NotText,
                gongkai_read_html::Error::Io(_) => ErrorKind::Io,
            },
            ReadError::Docx(d) => match d {
                docx::Error::TooLarge { .. } => ErrorKind::TooLarge,
                docx::Error::Encrypted => ErrorKind::Encrypted,
                docx::Error::LegacyFormat => ErrorKind::Unsupported,
                docx::Error::NotZip
                | docx::Error::NoDocument
                | docx::Error::Corrupt(_)
                | docx::Error::Malformed { .. } => ErrorKind::Corrupt,
                docx::Error::TooManyEntries { .. }
                | docx::Error::ZipBomb { .. }
                | docx::Error::TooDeep { .. }
                | docx::Error::TooManyElements { .. }
                | docx::Error::TextTooLarge { .. } => ErrorKind::Limit,
            },
            ReadError::Doc(d) => match d {
                doc::Error::TooLarge { .. } => ErrorKind::TooLarge,
                doc::Error::Encrypted => ErrorKind::Encrypted,
                doc::Error::UnsupportedVariant(_) => ErrorKind::Unsupported,
                doc::Error::NotCompoundFile
                | doc::Error::Corrupt(_)
                | doc::Error::Malformed { .. }
                | doc::Error::PieceOutOfBounds { .. } => ErrorKind::Corrupt,
                doc::Error::StreamTooLarge { .. }
                | doc::Error::TooMany { .. }
                | doc::Error::TextTooLarge { .. } => ErrorKind::Limit,
            },
            ReadError::Pdf(p) => match p {
                gongkai_read_pdf::Error::Encrypted => ErrorKind::Encrypted,
                gongkai_read_pdf::Error::TooLarge { .. } => ErrorKind::TooLarge,
                gongkai_read_pdf::Error::TooManyPages { .. }
                | gongkai_read_pdf::Error::TextTooLarge { .. } => ErrorKind::Limit,
                // `Corrupt` and any kind added later.
                _ => ErrorKind::Corrupt,
            },
            ReadError::Image(e) => match e {
                gongkai_read_image::Error::TooManyPixels { .. } => ErrorKind::Limit,
                gongkai_read_image::Error::Unavailable { .. } => ErrorKind::Unsupported,
                gongkai_read_image::Error::Layout(_) => ErrorKind::Limit,
                // `Decode` and any kind added later.
                _ => ErrorKind::Corrupt,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_doc::Limits;

    #[test]
    fn kinds_have_distinct_keys() {
        let mut keys: Vec<_> = ErrorKind::ALL.iter().map(|k| k.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn classifies_reader_errors() {
        let limits = Limits { max_input_bytes: 8, ..Limits::default() };
        let fixture = |p: &str| {
            std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p))
                .expect("fixture")
        };
        let encrypted = fixture("../gongkai-read-docx/tests/fixtures/encrypted.docx");
        // A compound file with no Word stream (here: an Excel workbook's stream name).
        let mut xls = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
        xls.create_stream("/Workbook").expect("stream");
        xls.flush().expect("flush");
        let xls = xls.into_inner().into_inner();
        let legacy = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
        let cases: [(&str, &[u8], &Limits, ErrorKind); 8] = [
            ("x.txt", b"", &limits, ErrorKind::Empty),
            ("x.txt", b"\x00\x01\x02\x03", &limits, ErrorKind::NotText),
            ("x.txt", b"0123456789", &limits, ErrorKind::TooLarge),
            ("x.docx", &encrypted, &Limits::default(), ErrorKind::Encrypted),
            ("x.xls", &xls, &Limits::default(), ErrorKind::Unsupported),
            ("x.wps", b"\x01\x02", &Limits::default(), ErrorKind::Unsupported),
            ("x.doc", &legacy, &Limits::default(), ErrorKind::Corrupt),
            ("x.pdf", b"%PDF-1.7\n", &Limits::default(), ErrorKind::Corrupt),
        ];
        for (name, bytes, limits, kind) in cases {
            let e = crate::read(name, bytes, limits).expect_err("refused");
            assert_eq!(e.kind(), kind, "{name}: {e}");
        }
    }

    #[test]
    fn descriptions_are_in_one_language() {
        for k in ErrorKind::ALL {
            gongkai_testkit::lang::assert_chinese(k.describe(Lang::Zh));
            gongkai_testkit::lang::assert_english(k.describe(Lang::En));
        }
    }
}
