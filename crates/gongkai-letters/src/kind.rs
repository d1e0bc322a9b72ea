//! The kinds of letters, declared once: their keys (URLs, JSON), names and the article each is
//! issued under.

use gongkai_model::{Lang, Msg};
use serde::{Deserialize, Serialize};

/// A kind of letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// 补正告知书 (第三十条).
    Correction,
    /// 延长答复期限告知书 (第三十三条).
    Extension,
    /// 征求意见函 (第三十二条, 第三十四条).
    Consultation,
    /// 收费通知书 (第四十二条).
    FeeNotice,
    /// 答复书 / 告知书 of a closed case (第三十六条 and the outcome's article).
    Reply,
}

impl LetterKind {
    /// Every kind, in the order a case meets them.
    pub const ALL: [LetterKind; 5] = [
        LetterKind::Correction,
        LetterKind::Extension,
        LetterKind::Consultation,
        LetterKind::FeeNotice,
        LetterKind::Reply,
    ];

    /// The key used in URLs and JSON (`correction`, `extension`, `consultation`, `fee_notice`,
    /// `reply`).
    pub const fn key(self) -> &'static str {
        match self {
            LetterKind::Correction => "correction",
            LetterKind::Extension => "extension",
            LetterKind::Consultation => "consultation",
            LetterKind::FeeNotice => "fee_notice",
            LetterKind::Reply => "reply",
        }
    }

    /// Parses [`LetterKind::key`].
    pub fn from_key(s: &str) -> Option<Self> {
        LetterKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// The kind's name in both languages.
    pub fn name(self) -> Msg {
        let (zh, en) = match self {
            LetterKind::Correction => ("补正告知书", "notice to correct the application"),
            LetterKind::Extension => {
                ("延长答复期限告知书", "notice of extension of the reply period")
            }
            LetterKind::Consultation => ("征求意见函", "request for opinion"),
            LetterKind::FeeNotice => ("收费通知书", "fee notice"),
            LetterKind::Reply => ("答复书", "reply"),
        };
        Msg::new(zh, en)
    }

    /// The kind's name in `lang`.
    pub fn label(self, lang: Lang) -> String {
        self.name().get(lang).to_owned()
    }

    /// When a letter of this kind can be issued (shown with a refusal).
    pub(crate) fn when(self) -> Msg {
        let (zh, en) = match self {
            LetterKind::Correction => (
                "补正告知书在记录「告知补正」之后、收到补正或逾期之前出具",
                "a notice to correct is issued after `correction_requested` is recorded and before the correction arrives or lapses",
            ),
            LetterKind::Extension => (
                "延长答复期限告知书在记录「批准延期」之后、答复之前出具",
                "a notice of extension is issued after `extension_approved` is recorded and before the reply",
            ),
            LetterKind::Consultation => (
                "征求意见函在记录「征求意见」之后、收到意见之前出具",
                "a request for opinion is issued after `consultation_opened` is recorded and before the answer",
            ),
            LetterKind::FeeNotice => (
                "收费通知书在记录「发出收费通知」之后、缴费或逾期之前出具",
                "a fee notice is issued after `fee_notice_issued` is recorded and before payment or lapse",
            ),
            LetterKind::Reply => (
                "答复书在案件办结（答复、逾期未补正、逾期未缴费或撤回）之后出具",
                "a reply is issued once the case is closed (replied, lapsed or withdrawn)",
            ),
        };
        Msg::new(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for k in LetterKind::ALL {
            assert_eq!(LetterKind::from_key(k.key()), Some(k));
            let json = serde_json::to_string(&k).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", k.key()));
        }
        assert_eq!(LetterKind::from_key("memo"), None);
    }
}
