//! Why a file could not be read, grouped into a few kinds for summaries.
//!
//! The full reason (the reader's own message) is kept for `reports.csv`; the kind groups files in
//! the summary (`文件为空 2 份`), so that a thousand failures read as a handful of causes. The kinds
//! are the reading facade's ([`ReadError::kind`]): a panic caught while analysing is `Internal`.

pub use gongkai_extract::ErrorKind as FailureKind;
use gongkai_extract::ReadError;

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
        Failure { kind: e.kind(), reason: e.to_string() }
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
    fn a_failure_keeps_the_kind_and_the_whole_reason() {
        let limits = gongkai_doc::Limits { max_input_bytes: 8, ..gongkai_doc::Limits::default() };
        let e = gongkai_extract::read("x.txt", b"0123456789", &limits).expect_err("refused");
        let f = Failure::of(&e);
        assert_eq!(f.kind, FailureKind::TooLarge);
        assert_eq!(f.reason, e.to_string());
        assert_eq!(Failure::panic("boom").kind, FailureKind::Internal);
    }
}
