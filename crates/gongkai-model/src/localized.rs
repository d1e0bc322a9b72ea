//! Errors said in one language: everything a user reads is Chinese by default and English on
//! request. An error gives its own words in both languages ([`Localized::words`]); the words of a
//! system call or a third-party parser follow as they are, in neither language's translation.

use crate::{Lang, Msg};

/// An error a user may read, in the language they chose.
pub trait Localized {
    /// Our words in both languages, and the words that are not ours (an I/O error, a parser's
    /// reason) that follow them.
    fn words(&self) -> (Msg, Option<String>);

    /// The message in `lang` only (then the words that are not ours).
    fn message(&self, lang: Lang) -> String {
        let (text, detail) = self.words();
        text.with_detail(lang, detail.as_deref())
    }

    /// `中文 / English` (then the words that are not ours): the `Display` form.
    fn bilingual(&self) -> String {
        let (text, detail) = self.words();
        text.bilingual(detail.as_deref())
    }
}

/// An I/O error in our words: the common kinds (no such file, permission denied, a directory, a
/// disk full) said in both languages; the system's words follow only for the others.
pub fn io_words(e: &std::io::Error) -> (Msg, Option<String>) {
    use std::io::ErrorKind as K;
    let ours = |zh: &str, en: &str| (Msg::new(zh, en), None);
    match e.kind() {
        K::NotFound => ours("文件或目录不存在", "no such file or directory"),
        K::PermissionDenied => ours("没有访问权限", "permission denied"),
        K::IsADirectory => ours("是目录，不是文件", "is a directory, not a file"),
        K::NotADirectory => ours("不是目录", "not a directory"),
        K::StorageFull => ours("磁盘已满", "no space left on the disk"),
        K::AlreadyExists => ours("文件已存在", "the file already exists"),
        K::InvalidData => {
            (Msg::new("文件内容无法读取", "the file's content cannot be read"), Some(e.to_string()))
        }
        _ => (Msg::new("读写出错", "input/output error"), Some(e.to_string())),
    }
}

impl Msg {
    /// The text in `lang`, then `detail` after a colon of that language.
    pub fn with_detail(&self, lang: Lang, detail: Option<&str>) -> String {
        match (detail, lang) {
            (None, _) => self.get(lang).to_owned(),
            (Some(d), Lang::Zh) => format!("{}：{d}", self.zh),
            (Some(d), Lang::En) => format!("{}: {d}", self.en),
        }
    }

    /// `中文 / English`, then `detail` after a colon.
    pub fn bilingual(&self, detail: Option<&str>) -> String {
        match detail {
            None => format!("{} / {}", self.zh, self.en),
            Some(d) => format!("{} / {}: {d}", self.zh, self.en),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct E;
    impl Localized for E {
        fn words(&self) -> (Msg, Option<String>) {
            (Msg::new("坏了", "broken"), Some("EOF".into()))
        }
    }

    #[test]
    fn io_errors_in_our_words() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_words(&e), (Msg::new("文件或目录不存在", "no such file or directory"), None));
        let (_, detail) = io_words(&std::io::Error::other("x"));
        assert!(detail.is_some());
    }

    #[test]
    fn one_language_or_both() {
        assert_eq!(E.message(Lang::Zh), "坏了：EOF");
        assert_eq!(E.message(Lang::En), "broken: EOF");
        assert_eq!(E.bilingual(), "坏了 / broken: EOF");
    }
}
