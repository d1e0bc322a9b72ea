//! Context shared by all subcommands: the message language.

use gongkai_model::{Lang, Localized};

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

    /// The line that says a file cannot be read: `gongkai: PATH：reason` in the chosen language.
    pub(crate) fn unreadable(&self, path: &std::path::Path, e: &dyn Localized) -> String {
        format!("gongkai: {}{}{}", path.display(), self.t("：", ": "), e.message(self.lang))
    }

    /// One line for an error chain: the outermost context and its causes. Every error of ours that
    /// can say itself in one language ([`localized`]) is given in the chosen language and ends the
    /// line (its message holds its causes).
    pub(crate) fn error_text(&self, e: &anyhow::Error) -> String {
        let mut parts = Vec::new();
        for cause in e.chain() {
            if let Some(e) = localized(cause) {
                parts.push(e.message(self.lang));
                break;
            }
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                let (why, detail) = gongkai_model::localized::io_words(io);
                parts.push(why.with_detail(self.lang, detail.as_deref()));
                break;
            }
            parts.push(cause.to_string());
        }
        parts.join(self.t("：", ": "))
    }
}

/// The error as one of ours that can say itself in one language, if it is one.
pub(crate) fn localized<'a>(
    cause: &'a (dyn std::error::Error + 'static),
) -> Option<&'a dyn Localized> {
    macro_rules! known {
        ($($t:ty),* $(,)?) => {
            $(if let Some(e) = cause.downcast_ref::<$t>() {
                return Some(e);
            })*
        };
    }
    known!(
        gongkai_extract::ReadError,
        gongkai_model::json::JsonError,
        gongkai_model::tsv::TsvError,
        gongkai_model::keys::ParseKeyError,
        gongkai_render::RenderError,
        gongkai_render::GateError,
        gongkai_render::cells::CellListError,
        gongkai_calendar::CalendarError,
        gongkai_cases::fee::ScheduleError,
        gongkai_cases::register::RecordError,
        gongkai_cases::registers::PublishError,
        gongkai_cases::error::TransitionError,
        gongkai_batch::WriteError,
        gongkai_batch::BatchError,
        gongkai_batch::StreamError,
        gongkai_batch::MergeError,
        gongkai_register::ImportError,
        gongkai_store::StoreError,
    );
    None
}
