//! The words every reader's errors share: one message per condition, whatever the format.

use gongkai_model::Msg;

/// A file over the reader's size limit (`Limits::max_input_bytes`).
pub fn too_large(limit: impl std::fmt::Display) -> Msg {
    Msg::new(
        format!("文件过大：超过 {limit} 字节的上限"),
        format!("input too large: more than the limit of {limit} bytes"),
    )
}

/// Laid-out text over the reader's limit (`Limits::max_text_bytes`).
pub fn text_too_large(limit: impl std::fmt::Display) -> Msg {
    Msg::new(
        format!("正文过长：超过 {limit} 字节的上限"),
        format!("text too large: more than the limit of {limit} bytes"),
    )
}

/// A damaged file; the parser's own words (English only) follow it where there are some.
pub fn damaged() -> Msg {
    Msg::new("文件已损坏", "the file is damaged")
}

/// A damaged file, with what is wrong in both languages.
pub fn damaged_because(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> Msg {
    Msg::new(format!("文件已损坏：{zh}"), format!("the file is damaged: {en}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_are_named_in_both_languages() {
        let m = too_large(1024);
        assert_eq!(m.zh, "文件过大：超过 1024 字节的上限");
        assert!(m.en.contains("1024"));
        assert!(text_too_large(7).zh.contains('7'));
        assert_eq!(damaged_because("坏", "bad").en, "the file is damaged: bad");
    }
}
