//! Context shared by all subcommands: the message language.

use gongkai_model::Lang;

/// What every subcommand gets.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    /// Language of user-facing text.
    pub(crate) lang: Lang,
}

impl Ctx {
    pub(crate) fn new(lang: &str) -> Self {
        Ctx { lang: Lang::from_tag(lang).unwrap_or_default() }
    }

    /// Picks the Chinese or English text.
    pub(crate) fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// One line for an error chain: the outermost context and its causes. A reading error is
    /// given in the chosen language, and ends the line (its message holds its causes).
    pub(crate) fn error_text(&self, e: &anyhow::Error) -> String {
        let mut parts = Vec::new();
        for cause in e.chain() {
            if let Some(read) = cause.downcast_ref::<gongkai_extract::ReadError>() {
                parts.push(read.message(self.lang));
                break;
            }
            parts.push(cause.to_string());
        }
        parts.join(self.t("：", ": "))
    }
}
