//! Why a file could not be read, grouped into a few kinds for summaries.
//!
//! The full reason (the reader's own message) is kept for `reports.csv`; the kind groups files in
//! the summary (`文件为空 2 份`), so that a thousand failures read as a handful of causes.

use gongkai_extract::ReadError;
use gongkai_model::Lang;

/// A kind of failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureKind {
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
    /// A format gongkai does not read (legacy `.doc`, a zip that is no Office document).
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

impl FailureKind {
    /// Every kind, in summary order.
    pub const ALL: [FailureKind; 11] = [
        FailureKind::Io,
        FailureKind::TooLarge,
        FailureKind::Limit,
        FailureKind::Empty,
        FailureKind::NotText,
        FailureKind::Encrypted,
        FailureKind::Unsupported,
        FailureKind::InvalidJson,
        FailureKind::InvalidCellList,
        FailureKind::Corrupt,
        FailureKind::Internal,
    ];

    /// Stable key used in `reports.csv` (`reason_kind`).
    pub const fn key(self) -> &'static str {
        match self {
            FailureKind::Io => "io",
            FailureKind::TooLarge => "too_large",
            FailureKind::Limit => "limit",
            FailureKind::Empty => "empty",
            FailureKind::NotText => "not_text",
            FailureKind::Encrypted => "encrypted",
            FailureKind::Unsupported => "unsupported",
            FailureKind::InvalidJson => "invalid_json",
            FailureKind::InvalidCellList => "invalid_cell_list",
            FailureKind::Corrupt => "corrupt",
            FailureKind::Internal => "internal",
        }
    }

    /// A short description for people.
    pub const fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FailureKind::Io, Lang::Zh) => "无法打开或读取",
            (FailureKind::Io, Lang::En) => "cannot be opened or read",
            (FailureKind::TooLarge, Lang::Zh) => "文件过大",
            (FailureKind::TooLarge, Lang::En) => "too large",
            (FailureKind::Limit, Lang::Zh) => "超出读取限制",
            (FailureKind::Limit, Lang::En) => "beyond a reading limit",
            (FailureKind::Empty, Lang::Zh) => "文件为空",
            (FailureKind::Empty, Lang::En) => "empty",
            (FailureKind::NotText, Lang::Zh) => "不是可读的文本或文档",
            (FailureKind::NotText, Lang::En) => "not text nor a readable document",
            (FailureKind::Encrypted, Lang::Zh) => "已加密",
            (FailureKind::Encrypted, Lang::En) => "encrypted",
            (FailureKind::Unsupported, Lang::Zh) => "不支持的格式",
            (FailureKind::Unsupported, Lang::En) => "unsupported format",
            (FailureKind::InvalidJson, Lang::Zh) => "gongkai JSON 报告无效",
            (FailureKind::InvalidJson, Lang::En) => "invalid gongkai JSON report",
            (FailureKind::InvalidCellList, Lang::Zh) => "单元格清单无效",
            (FailureKind::InvalidCellList, Lang::En) => "invalid cell list",
            (FailureKind::Corrupt, Lang::Zh) => "文件已损坏",
            (FailureKind::Corrupt, Lang::En) => "damaged",
            (FailureKind::Internal, Lang::Zh) => "内部错误",
            (FailureKind::Internal, Lang::En) => "internal error",
        }
    }

    /// The kind of a reading error.
    pub fn of(e: &ReadError) -> Self {
        use gongkai_read_docx as docx;
        match e {
            ReadError::Io(_) => FailureKind::Io,
            ReadError::TooLarge { .. } => FailureKind::TooLarge,
            ReadError::Unsupported(_) => FailureKind::Unsupported,
            ReadError::Internal(_) => FailureKind::Internal,
            ReadError::InvalidJson(_) => FailureKind::InvalidJson,
            ReadError::InvalidCellList(_) => FailureKind::InvalidCellList,
            ReadError::Text(t) => match t {
                gongkai_read_text::Error::TooLarge { .. } => FailureKind::TooLarge,
                gongkai_read_text::Error::LineTooLong { .. }
                | gongkai_read_text::Error::TextTooLarge { .. } => FailureKind::Limit,
                gongkai_read_text::Error::Binary { .. } => FailureKind::NotText,
                gongkai_read_text::Error::Empty => FailureKind::Empty,
            },
            ReadError::Xlsx(x) => match x {
                gongkai_read_xlsx::XlsxReadError::NotXlsx(_) => FailureKind::Corrupt,
                gongkai_read_xlsx::XlsxReadError::Limit(_) => FailureKind::Limit,
            },
            ReadError::Html(h) => match h {
                gongkai_read_html::Error::TooLarge { .. } => FailureKind::TooLarge,
                gongkai_read_html::Error::TextTooLarge { .. }
                | gongkai_read_html::Error::TooDeep { .. } => FailureKind::Limit,
                gongkai_read_html::Error::Binary => FailureKind::NotText,
                gongkai_read_html::Error::Io(_) => FailureKind::Io,
            },
            ReadError::Docx(d) => match d {
                docx::Error::TooLarge { .. } => FailureKind::TooLarge,
                docx::Error::Encrypted => FailureKind::Encrypted,
                docx::Error::LegacyFormat => FailureKind::Unsupported,
                docx::Error::NotZip
                | docx::Error::NoDocument
                | docx::Error::Corrupt(_)
                | docx::Error::Malformed { .. } => FailureKind::Corrupt,
                docx::Error::TooManyEntries { .. }
                | docx::Error::ZipBomb { .. }
                | docx::Error::TooDeep { .. }
                | docx::Error::TextTooLarge { .. } => FailureKind::Limit,
            },
            ReadError::Pdf(p) => match p {
                gongkai_read_pdf::Error::Encrypted => FailureKind::Encrypted,
                gongkai_read_pdf::Error::TooLarge { .. } => FailureKind::TooLarge,
                gongkai_read_pdf::Error::TooManyPages { .. }
                | gongkai_read_pdf::Error::TextTooLarge { .. } => FailureKind::Limit,
                // `Corrupt` and any kind added later.
                _ => FailureKind::Corrupt,
            },
        }
    }
}

/// A file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The kind, for grouping.
    pub kind: FailureKind,
    /// The reason in full (the reader's message, Chinese and English).
    pub reason: String,
}

impl Failure {
    /// The failure for a reading error.
    pub fn of(e: &ReadError) -> Self {
        Failure { kind: FailureKind::of(e), reason: e.to_string() }
    }

    /// The failure for a panic caught while analysing a file.
    pub fn panic(what: &str) -> Self {
        Failure {
            kind: FailureKind::Internal,
            reason: format!("分析时内部错误 / internal error while analysing: {what}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_distinct_keys() {
        let mut keys: Vec<_> = FailureKind::ALL.iter().map(|k| k.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FailureKind::ALL.len());
    }

    #[test]
    fn classifies_reader_errors() {
        let limits = gongkai_doc::Limits { max_input_bytes: 8, ..gongkai_doc::Limits::default() };
        let cases: [(&[u8], FailureKind); 3] = [
            (b"", FailureKind::Empty),
            (b"\x00\x01\x02\x03", FailureKind::NotText),
            (b"0123456789", FailureKind::TooLarge),
        ];
        for (bytes, kind) in cases {
            let e = gongkai_extract::read("x.txt", bytes, &limits).expect_err("refused");
            assert_eq!(Failure::of(&e).kind, kind, "{e}");
        }
    }
}
