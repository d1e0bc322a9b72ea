//! Checking one uploaded file: the function behind the web server's upload handler
//! (`POST /api/v1/check`). The size limit is explicit and checked before anything is read; every
//! other failure is the reading facade's, with its [`ErrorKind`]; a panic anywhere in reading,
//! recognising or checking becomes an `Internal` error, never a dead request.

use std::panic::{AssertUnwindSafe, catch_unwind};

use gongkai_doc::Limits;
use gongkai_extract::{ErrorKind, ReadError};
use gongkai_model::{Lang, Localized, Msg};

use crate::check::CheckResult;

/// Why an uploaded file could not be checked. [`Localized::message`] says it in one language;
/// the `Display` form gives both.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum UploadError {
    /// The upload is larger than the limit (`Limits::max_input_bytes`); nothing was read.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file could not be read (damaged, encrypted, of a format gongkai does not read, …).
    Unreadable(#[source] ReadError),
}

impl UploadError {
    /// The kind of failure (`TooLarge` for an upload above the limit).
    pub fn kind(&self) -> ErrorKind {
        match self {
            UploadError::TooLarge { .. } => ErrorKind::TooLarge,
            UploadError::Unreadable(e) => e.kind(),
        }
    }
}

impl Localized for UploadError {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            UploadError::TooLarge { size, limit } => (
                Msg::new(
                    format!("上传的文件过大：{size} 字节，上限 {limit} 字节"),
                    format!("uploaded file too large: {size} bytes (limit {limit})"),
                ),
                None,
            ),
            UploadError::Unreadable(e) => e.words(),
        }
    }
}

/// Reads, recognises and checks an uploaded file named `name` (its name only serves format
/// detection when the content is not conclusive, and is reported back as `path`): every finding
/// with its message in `lang`, and the report recognised.
///
/// # Errors
/// [`UploadError::TooLarge`] when `bytes` exceed `limits.max_input_bytes` (checked first);
/// [`UploadError::Unreadable`] when the file cannot be read at all, or when reading, recognising
/// or checking it failed unexpectedly (kind `Internal`).
///
/// ```
/// use gongkai_doc::Limits;
/// use gongkai_extract::ErrorKind;
/// use gongkai_model::Lang;
///
/// let limits = Limits { max_input_bytes: 1024 * 1024, ..Limits::default() };
/// let text = "一、总体情况\n本机关依照条例编制本报告。\n";
/// let result = gongkai_pipeline::check_upload("报告.txt", text.as_bytes(), &limits, Lang::Zh)?;
/// assert_eq!(result.path, "报告.txt");
/// assert!(result.report.is_some());
///
/// let big = vec![b'x'; 1024 * 1024 + 1];
/// let err = gongkai_pipeline::check_upload("big.txt", &big, &limits, Lang::Zh).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::TooLarge);
/// # Ok::<(), gongkai_pipeline::UploadError>(())
/// ```
pub fn check_upload(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    lang: Lang,
) -> Result<CheckResult, UploadError> {
    let size = bytes.len() as u64;
    if size > limits.max_input_bytes {
        return Err(UploadError::TooLarge { size, limit: limits.max_input_bytes });
    }
    let run = || {
        let analysis = crate::analyse_bytes(name, bytes, limits)?;
        Ok(CheckResult::full(name, &analysis, lang))
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(result) => result.map_err(UploadError::Unreadable),
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(UploadError::Unreadable(ReadError::Internal(what)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_is_refused_before_reading() {
        let limits = Limits { max_input_bytes: 4, ..Limits::default() };
        // Not even valid text: the size alone decides.
        let err =
            check_upload("x.pdf", b"\x00\x01\x02\x03\x04", &limits, Lang::En).expect_err("refused");
        assert!(matches!(err, UploadError::TooLarge { size: 5, limit: 4 }), "{err}");
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(err.message(Lang::En), "uploaded file too large: 5 bytes (limit 4)");
        gongkai_testkit::lang::assert_chinese(&err.message(Lang::Zh));
        // At the limit it is read.
        let err =
            check_upload("x.txt", b"\x00\x01\x02\x03", &limits, Lang::En).expect_err("binary");
        assert_eq!(err.kind(), ErrorKind::NotText);
    }

    #[test]
    fn an_unreadable_upload_says_why_in_one_language() {
        let err = check_upload("x.pdf", b"%PDF-1.7\n", &Limits::default(), Lang::Zh)
            .expect_err("damaged");
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        gongkai_testkit::lang::assert_english(&err.message(Lang::En));
    }
}
