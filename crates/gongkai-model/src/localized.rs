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
    fn one_language_or_both() {
        assert_eq!(E.message(Lang::Zh), "坏了：EOF");
        assert_eq!(E.message(Lang::En), "broken: EOF");
        assert_eq!(E.bilingual(), "坏了 / broken: EOF");
    }
}
