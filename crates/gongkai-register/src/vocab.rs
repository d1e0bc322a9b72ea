//! The vocabulary of every enumerated column, declared once: what the template documents, what
//! import accepts and what export writes all come from these tables, so they cannot drift.
//!
//! Each [`Vocab`] lists its values with their spellings; the first spelling is the one the
//! template documents and export writes, the others are what clerks also type. Columns whose
//! values are not a short list ([`CATEGORY`], [`OUTCOME`]) implement [`Values`] themselves.

use std::fmt;

use gongkai_cases::fee::FeeMethod;
use gongkai_cases::registers::{
    Category, DecisionKind, DisputeKind, DisputeResult, DocKind, PublishChannel, Validity,
};
use gongkai_cases::{Answer, Outcome, Party};
use gongkai_model::{Msg, T3Col};

use crate::parse::{Cell, label_key};
use crate::template::Choice;

/// What an enumerated column takes, as the template documents it and as import reads it.
pub trait Values: Sync + fmt::Debug {
    /// Every value the template documents (each must import).
    fn documented(&self) -> Vec<String>;
    /// What the template's note lists (by default every documented value).
    fn shown(&self) -> Vec<String> {
        self.documented()
    }
    /// Whether `text` is accepted, or why not — the very check import makes.
    ///
    /// # Errors
    /// The reason import gives.
    fn accepts(&self, text: &str) -> Result<(), Msg>;
    /// The values a form offers: each documented spelling once, with its English label.
    fn choices(&self) -> Vec<Choice>;
}

/// A closed list of values, each with its spellings (the first is the documented one) and its
/// English label.
pub struct Vocab<T: 'static> {
    /// The values: their spellings, English label and value.
    pub choices: &'static [(&'static [&'static str], &'static str, T)],
}

impl<T> fmt::Debug for Vocab<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first: Vec<&str> =
            self.choices.iter().filter_map(|(l, _, _)| l.first().copied()).collect();
        f.debug_struct("Vocab").field("choices", &first).finish()
    }
}

impl<T: Clone + PartialEq> Vocab<T> {
    /// Reads a cell: any spelling of any value, compared by [`label_key`].
    ///
    /// # Errors
    /// A reason (Chinese and English) listing the documented values.
    pub fn parse(&self, cell: &Cell) -> Result<T, Msg> {
        let key = label_key(&cell.text());
        for (labels, _, v) in self.choices {
            if labels.iter().any(|l| label_key(l) == key) {
                return Ok(v.clone());
            }
        }
        let accepted = self.first_labels().join("、");
        Err(Msg::new(
            format!("无法识别「{}」，可填：{accepted}", cell.text()),
            format!("unrecognised `{}`; accepted: {}", cell.text(), self.first_labels().join(", ")),
        ))
    }

    /// The documented spelling of `value` (what export writes).
    pub fn label(&self, value: &T) -> &'static str {
        self.choices
            .iter()
            .find(|(_, _, v)| v == value)
            .and_then(|(l, _, _)| l.first().copied())
            .unwrap_or_default()
    }

    /// The English label of `value`.
    pub fn en(&self, value: &T) -> &'static str {
        self.choices.iter().find(|(_, _, v)| v == value).map(|(_, en, _)| *en).unwrap_or_default()
    }

    fn first_labels(&self) -> Vec<&'static str> {
        self.choices.iter().filter_map(|(l, _, _)| l.first().copied()).collect()
    }
}

impl<T: Clone + PartialEq + Sync> Values for Vocab<T> {
    fn documented(&self) -> Vec<String> {
        self.first_labels().into_iter().map(str::to_owned).collect()
    }

    fn accepts(&self, text: &str) -> Result<(), Msg> {
        self.parse(&Cell::Text(text.to_owned())).map(|_| ())
    }

    fn choices(&self) -> Vec<Choice> {
        self.choices
            .iter()
            .filter_map(|(l, en, _)| {
                l.first().map(|v| Choice { value: (*v).to_owned(), en: (*en).to_owned() })
            })
            .collect()
    }
}

/// 申请人类型: the Table 3 applicant columns.
pub static APPLICANTS: Vocab<T3Col> = Vocab {
    choices: &[
        (&["自然人", "个人", "公民"], "natural person", T3Col::NaturalPerson),
        (&["商业企业", "企业", "公司"], "commercial enterprise", T3Col::Commercial),
        (&["科研机构"], "research institution", T3Col::Research),
        (&["社会公益组织", "公益组织"], "social welfare organisation", T3Col::SocialWelfare),
        (&["法律服务机构", "律师事务所"], "legal service institution", T3Col::LegalService),
        (&["其他", "其他组织", "法人或其他组织"], "other organisation", T3Col::OtherOrg),
    ],
};

/// How an application was submitted (提交方式), before its dates make it a `Channel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    /// 当面.
    InPerson,
    /// 邮寄 (signed for).
    Post,
    /// 平常信函.
    Letter,
    /// 互联网.
    Online,
    /// 传真.
    Fax,
    /// 口头.
    Oral,
}

/// 提交方式.
pub static CHANNELS: Vocab<ChannelKind> = Vocab {
    choices: &[
        (&["当面", "当面提交", "现场", "窗口"], "in person", ChannelKind::InPerson),
        (
            &["邮寄", "邮寄（需签收）", "挂号信", "EMS", "快递"],
            "by post (signed for)",
            ChannelKind::Post,
        ),
        (&["平常信函", "信函", "平信"], "ordinary letter", ChannelKind::Letter),
        (
            &["互联网", "网上", "网络", "在线", "网上申请", "电子邮件"],
            "online",
            ChannelKind::Online,
        ),
        (&["传真"], "fax", ChannelKind::Fax),
        (&["口头"], "oral", ChannelKind::Oral),
    ],
};

/// 征求意见对象类型.
pub static PARTIES: Vocab<Party> = Vocab {
    choices: &[
        (&["第三方"], "third party", Party::ThirdParty),
        (&["共同制作机关", "其他机关", "行政机关"], "co-producing agency", Party::CoProducer),
    ],
};

/// 答复意见.
pub static ANSWERS: Vocab<Answer> = Vocab {
    choices: &[
        (&["同意公开", "同意"], "consents", Answer::Consent),
        (&["不同意公开", "不同意", "反对"], "objects", Answer::Objection),
        (&["逾期未答复", "未答复", "逾期"], "no answer in time", Answer::NoReply),
    ],
};

/// 收费方式.
pub static FEE_METHODS: Vocab<FeeMethod> = Vocab {
    choices: &[
        (&["按件计收", "按件"], "per application", FeeMethod::PerApplication),
        (&["按量计收", "按量", "按页"], "per page", FeeMethod::PerPage),
    ],
};

/// 发布渠道 (one of several, separated by 、). A channel not in the list is kept by its name.
pub static PUBLISH_CHANNELS: Vocab<PublishChannel> = Vocab {
    choices: &[
        (
            &["政府门户网站", "门户网站", "政府网站", "网站"],
            "government portal",
            PublishChannel::Portal,
        ),
        (
            &["政务微信公众号", "微信公众号", "微信"],
            "government WeChat account",
            PublishChannel::Wechat,
        ),
        (&["政务微博", "微博"], "government Weibo account", PublishChannel::Weibo),
        (&["政府公报", "公报"], "government gazette", PublishChannel::Gazette),
        (&["新闻发布会", "发布会"], "press conference", PublishChannel::PressConference),
        (
            &["信息公告栏", "公告栏", "公示栏", "电子信息屏"],
            "notice board",
            PublishChannel::Bulletin,
        ),
    ],
};

/// 规章和规范性文件 · 类型.
pub static DOC_KINDS: Vocab<DocKind> = Vocab {
    choices: &[
        (&["规章"], "regulation", DocKind::Regulation),
        (&["行政规范性文件", "规范性文件"], "normative document", DocKind::NormativeDocument),
    ],
};

/// 行政许可处罚强制 · 类型.
pub static DECISION_KINDS: Vocab<DecisionKind> = Vocab {
    choices: &[
        (&["行政许可", "许可"], "licensing", DecisionKind::Licensing),
        (&["行政处罚", "处罚"], "penalty", DecisionKind::Penalty),
        (&["行政强制", "强制"], "coercion", DecisionKind::Coercion),
    ],
};

/// 复议诉讼 · 类型.
pub static DISPUTE_KINDS: Vocab<DisputeKind> = Vocab {
    choices: &[
        (&["行政复议", "复议"], "administrative reconsideration", DisputeKind::Review),
        (
            &["直接起诉", "未经复议直接起诉", "行政诉讼"],
            "litigation without reconsideration",
            DisputeKind::LitigationDirect,
        ),
        (
            &["复议后起诉", "经复议后起诉"],
            "litigation after reconsideration",
            DisputeKind::LitigationAfterReview,
        ),
    ],
};

/// 复议诉讼 · 结果.
pub static DISPUTE_RESULTS: Vocab<DisputeResult> = Vocab {
    choices: &[
        (&["维持", "结果维持", "驳回"], "upheld", DisputeResult::Upheld),
        (&["纠正", "结果纠正", "撤销", "确认违法"], "corrected", DisputeResult::Corrected),
        (&["其他", "其他结果"], "other result", DisputeResult::Other),
    ],
};

/// 主动公开 · 时效.
pub static VALIDITY: Vocab<Validity> = Vocab {
    choices: &[
        (&["有效", "现行有效"], "in force", Validity::InForce),
        (&["失效"], "expired", Validity::Expired),
        (&["废止", "已废止"], "repealed", Validity::Repealed),
    ],
};

/// 主动公开 · 类别: 第二十条第（一）…（十五）项 (or `20.1`…`20.15`), 第二十一条 (or `21`).
#[derive(Debug)]
pub struct Categories;

/// The [`Categories`] vocabulary.
pub static CATEGORY: Categories = Categories;

const NUMERALS: [&str; 15] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五",
];

impl Categories {
    /// Reads a category.
    ///
    /// # Errors
    /// A reason (Chinese and English) quoting the text and giving examples.
    pub fn parse(&self, cell: &Cell) -> Result<Category, Msg> {
        let t = cell.text();
        let k = label_key(&t);
        // The numeric forms are read from the text itself: `label_key` drops leading numbering.
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if k == "第二十一条" || k == "二十一条" || compact == "21" {
            return Ok(Category::Art21);
        }
        let n = match k.strip_prefix("第二十条第").and_then(|r| r.strip_suffix('项')) {
            Some(item) => NUMERALS.iter().position(|n| *n == item).map(|i| i + 1),
            None => compact.strip_prefix("20.").and_then(|x| x.parse::<usize>().ok()),
        };
        n.and_then(|n| Category::art20(u8::try_from(n).ok()?)).ok_or_else(|| {
            let eg = Values::shown(self);
            Msg::new(
                format!("无法识别的类别「{t}」（如：{}）", eg.join("、")),
                format!("unrecognised category `{t}` (e.g. {})", eg.join(", ")),
            )
        })
    }
}

impl Values for Categories {
    fn shown(&self) -> Vec<String> {
        let art20 = Category::Art20(1);
        vec![art20.to_string(), "20.1".into(), Category::Art21.to_string()]
    }

    fn documented(&self) -> Vec<String> {
        let items = (1..=15u8).filter_map(Category::art20);
        let mut v: Vec<String> = items.clone().map(|c| c.to_string()).collect();
        v.extend(items.filter_map(|c| match c {
            Category::Art20(n) => Some(format!("20.{n}")),
            Category::Art21 => None,
        }));
        v.push(Category::Art21.to_string());
        v.push("21".into());
        v
    }

    fn accepts(&self, text: &str) -> Result<(), Msg> {
        self.parse(&Cell::Text(text.to_owned())).map(|_| ())
    }

    fn choices(&self) -> Vec<Choice> {
        let art20 = (1..=15u8).filter_map(Category::art20);
        art20
            .chain([Category::Art21])
            .map(|c| {
                let en = match c {
                    Category::Art20(n) => format!("Article 20, item {n}"),
                    Category::Art21 => "Article 21".to_owned(),
                };
                Choice { value: c.to_string(), en }
            })
            .collect()
    }
}

/// How a case ends, as the 办理结果 column says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// A reply with its Table 3 outcome.
    Reply(Outcome),
    /// 逾期不补正.
    CorrectionLapsed,
    /// 逾期未缴费.
    FeeLapsed,
    /// 撤回.
    Withdrawn,
}

/// 办理结果: a Table 3 outcome row (by its printed body, with or without its group), or one of
/// the endings recorded through their own events.
#[derive(Debug)]
pub struct Outcomes;

/// The [`Outcomes`] vocabulary.
pub static OUTCOME: Outcomes = Outcomes;

/// The endings that are events of their own, with their spellings.
static SPECIAL_ENDINGS: Vocab<Ending> = Vocab {
    choices: &[
        (&["撤回", "申请人撤回", "撤回申请"], "withdrawn", Ending::Withdrawn),
        (
            &["逾期不补正", "逾期未补正", "申请人无正当理由逾期不补正", "other_overdue_correction"],
            "correction not made in time",
            Ending::CorrectionLapsed,
        ),
        (
            &["逾期未缴费", "逾期不缴费", "申请人逾期未按收费通知要求缴纳费用", "other_unpaid_fee"],
            "fee not paid in time",
            Ending::FeeLapsed,
        ),
    ],
};

/// The documented spelling of an ending recorded through its own event.
pub fn ending_label(e: Ending) -> &'static str {
    SPECIAL_ENDINGS.label(&e)
}

/// The outcome as a clerk writes it: the printed row label without its group.
pub fn outcome_label(o: Outcome) -> String {
    let label = o.label();
    label.split_once('：').map_or(label.clone(), |(_, body)| body.to_owned())
}

impl Outcomes {
    /// Reads a 办理结果 cell.
    ///
    /// # Errors
    /// A reason (Chinese and English) quoting the text.
    pub fn parse(&self, cell: &Cell) -> Result<Ending, Msg> {
        if let Ok(e) = SPECIAL_ENDINGS.parse(cell) {
            return Ok(e);
        }
        let key = label_key(&cell.text());
        // Exact match on the key, the printed body, the grouped label or an alias; then a unique
        // suffix match (labels typed with their group, e.g. `不予公开-属于国家秘密`).
        let layout = gongkai_model::TableLayout::get(
            gongkai_model::TableId::T3,
            gongkai_model::Layout::Format2021,
        );
        let names = |o: Outcome| -> Vec<String> {
            let mut v = vec![o.row().key().to_owned(), label_key(&o.label())];
            if let Some(spec) = layout.row(gongkai_model::RowId::T3(o.row())) {
                v.push(label_key(spec.body));
                v.extend(spec.aliases.iter().map(|a| label_key(a)));
            }
            v
        };
        if let Some(o) = Outcome::all().find(|&o| names(o).contains(&key)) {
            return Ok(Ending::Reply(o));
        }
        let suffix: Vec<Outcome> = Outcome::all()
            .filter(|&o| {
                names(o).iter().any(|n| n.chars().count() >= 3 && key.ends_with(n.as_str()))
            })
            .collect();
        match suffix.as_slice() {
            [o] => Ok(Ending::Reply(*o)),
            _ => Err(Msg::new(
                format!(
                    "无法识别的办理结果「{}」：请按年度报告表三的项目填写，如“予以公开”“部分公开”“属于国家秘密”，或“撤回”“逾期不补正”“逾期未缴费”",
                    cell.text()
                ),
                format!(
                    "unrecognised outcome `{}`: use the rows of Table 3 of the annual report (e.g. 予以公开, 部分公开, 属于国家秘密) or 撤回, 逾期不补正, 逾期未缴费",
                    cell.text()
                ),
            )),
        }
    }
}

impl Values for Outcomes {
    fn documented(&self) -> Vec<String> {
        // The lapses are outcome rows too, but recorded through their own endings.
        let lapses = [Outcome::OVERDUE_CORRECTION, Outcome::UNPAID_FEE];
        let mut v: Vec<String> =
            Outcome::all().filter(|o| !lapses.contains(o)).map(outcome_label).collect();
        v.extend(SPECIAL_ENDINGS.documented());
        v
    }

    fn accepts(&self, text: &str) -> Result<(), Msg> {
        self.parse(&Cell::Text(text.to_owned())).map(|_| ())
    }

    /// The replies' outcomes in English by their Table 3 row keys (`granted`, as `--lang en`
    /// names the rows), then the endings recorded through their own events.
    fn choices(&self) -> Vec<Choice> {
        let lapses = [Outcome::OVERDUE_CORRECTION, Outcome::UNPAID_FEE];
        let mut v: Vec<Choice> = Outcome::all()
            .filter(|o| !lapses.contains(o))
            .map(|o| Choice { value: outcome_label(o), en: o.row().key().replace('_', " ") })
            .collect();
        v.extend(SPECIAL_ENDINGS.choices());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_in_every_documented_form() {
        let c = |s: &str| CATEGORY.parse(&Cell::Text(s.into()));
        assert_eq!(c("20.1"), Ok(Category::Art20(1)));
        assert_eq!(c("２０.１５"), Ok(Category::Art20(15)));
        assert_eq!(c("第二十条第（三）项"), Ok(Category::Art20(3)));
        assert_eq!(c("第二十一条"), Ok(Category::Art21));
        assert!(c("20.16").is_err());
        assert!(c("第二十条第（十六）项").is_err());
    }

    #[test]
    fn export_labels_are_the_documented_ones() {
        assert_eq!(CHANNELS.label(&ChannelKind::Post), "邮寄");
        assert_eq!(DISPUTE_RESULTS.label(&DisputeResult::Other), "其他");
        assert!(CHANNELS.documented().contains(&"邮寄".to_owned()));
    }
}
