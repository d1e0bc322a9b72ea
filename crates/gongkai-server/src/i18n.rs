//! The language of a request and the texts of each page.
//!
//! **Language.** Chinese by default; `?lang=en` (or `?lang=zh`) on any URL switches and is
//! remembered in the `lang` cookie ([`remember`] sets it); otherwise the cookie decides.
//!
//! **Texts.** Each page module declares its own texts once, both languages side by side, with
//! [`texts!`]: a struct with one `&'static str` field per text and a constructor for a language.
//! Templates read the fields (`{{ t.title }}`); nothing else holds page text, and no shared file
//! grows with every page.
//!
//! ```ignore
//! texts! {
//!     /// The dashboard's texts.
//!     pub struct DashboardText {
//!         title: "工作台" | "Dashboard",
//!     }
//! }
//! let t = DashboardText::of(lang);
//! ```

use axum::extract::{FromRequestParts, Request};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
pub use gongkai_model::Lang;

/// The name of the cookie that remembers the language.
pub const LANG_COOKIE: &str = "lang";

/// Declares a page's texts: `name: "中文" | "English",` per field.
#[macro_export]
macro_rules! texts {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($field:ident : $zh:literal | $en:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug)]
        #[allow(missing_docs, reason = "each field is its own text")]
        $vis struct $name { $(pub $field: &'static str),* }

        impl $name {
            /// The texts in `lang`.
            pub const fn of(lang: $crate::i18n::Lang) -> $name {
                match lang {
                    $crate::i18n::Lang::Zh => $name { $($field: $zh),* },
                    $crate::i18n::Lang::En => $name { $($field: $en),* },
                }
            }

            /// Every text in both languages (for tests: none is empty).
            #[allow(dead_code, reason = "used by tests")]
            pub const ALL: &'static [(&'static str, &'static str)] = &[$(($zh, $en)),*];
        }
    };
}

/// The language a request asks for: the `lang` query parameter, else the `lang` cookie, else
/// Chinese.
pub fn lang_of(query: Option<&str>, headers: &HeaderMap) -> Lang {
    query_lang(query)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::from_tag))
        .unwrap_or_default()
}

/// The `lang` parameter of a query string, if it names a language.
fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?.split('&').find_map(|kv| match kv.split_once('=') {
        Some(("lang", v)) => Lang::from_tag(v),
        _ => None,
    })
}

/// The value of a cookie in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| match kv.trim().split_once('=') {
            Some((k, v)) if k == name => Some(v),
            _ => None,
        })
}

/// The BCP 47 tag of a language (for `<html lang>`).
pub const fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}

/// Picks the text of a language.
pub const fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A date as people read it: `2025年1月31日`, or `2025-01-31` in English.
pub fn date(lang: Lang, d: jiff::civil::Date) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.to_string(),
    }
}

/// A reply deadline that falls after `last`, the last day the loaded calendar covers
/// ([`gongkai_cases::Case::reply_due_after_calendar`]): what is known of the day, and, in place
/// of a timeliness, the standing. Used by the case page, the listing and the dashboard alike,
/// after the reply deadline's name ([`due_line`]).
pub fn due_after_calendar(lang: Lang, last: jiff::civil::Date) -> (String, &'static str) {
    let next = i32::from(last.year()) + 1;
    let when = match lang {
        Lang::Zh => format!("{}之后（载入{next}年节假日安排后确定）", date(lang, last)),
        Lang::En => {
            format!("after {} (set once the {next} holiday notice is loaded)", date(lang, last))
        }
    };
    (when, pick(lang, "期限待定", "to be determined"))
}

/// A deadline with its name, as every page prints it: `答复期限：2026年1月5日`.
pub fn due_line(lang: Lang, waiting: gongkai_cases::Waiting, when: &str) -> String {
    format!("{}：{when}", pick(lang, waiting.zh(), waiting.en()))
}

/// A moment as people read it, in China time (UTC+8): `2025年1月31日 09:30`, or
/// `2025-01-31 09:30` in English.
pub fn datetime(lang: Lang, at: jiff::Timestamp) -> String {
    let zoned = at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8)));
    format!("{} {:02}:{:02}", date(lang, zoned.date()), zoned.hour(), zoned.minute())
}

/// The request's language as an extractor: `Ui(lang): Ui`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ui(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Ui, Self::Rejection> {
        Ok(Ui(lang_of(parts.uri.query(), &parts.headers)))
    }
}

/// Middleware: a request that switches the language (`?lang=…`) gets the `lang` cookie set for
/// a year.
pub async fn remember(request: Request, next: Next) -> Response {
    let switched = query_lang(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(lang) = switched {
        let code = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        let value = format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_prose() {
        let d = jiff::civil::date(2025, 1, 31);
        assert_eq!(date(Lang::Zh, d), "2025年1月31日");
        assert_eq!(date(Lang::En, d), "2025-01-31");
    }

    #[test]
    fn moments_in_china_time() {
        let at: jiff::Timestamp = "2026-03-16T02:05:00Z".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(datetime(Lang::Zh, at), "2026年3月16日 10:05");
        assert_eq!(datetime(Lang::En, at), "2026-03-16 10:05");
    }

    #[test]
    fn the_query_wins_over_the_cookie_and_chinese_is_the_default() {
        let mut headers = HeaderMap::new();
        assert_eq!(lang_of(None, &headers), Lang::Zh);
        headers.insert(COOKIE, HeaderValue::from_static("a=b; lang=en"));
        assert_eq!(lang_of(None, &headers), Lang::En);
        assert_eq!(lang_of(Some("x=1&lang=zh"), &headers), Lang::Zh);
        assert_eq!(lang_of(Some("lang=fr"), &headers), Lang::En, "an unknown tag is ignored");
    }
}
