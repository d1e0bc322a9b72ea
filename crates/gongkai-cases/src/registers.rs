//! The other registers behind the report: proactive disclosure (with its confidentiality review),
//! regulations and normative documents, administrative decisions, administrative fees, and
//! administrative reconsideration and litigation cases.

use std::fmt;

use gongkai_calendar::{Calendar, CalendarError};
use gongkai_model::{Localized, Msg, T2Row, T4Block};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Working days within which proactively disclosed information is published (第二十六条).
pub const PUBLICATION_WORKING_DAYS: u32 = 20;

/// What a proactively disclosed item is, by the 条例's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "article", content = "item")]
pub enum Category {
    /// 第二十条第（n）项, n = 1…15.
    Art20(u8),
    /// 第二十一条 (local matters for city, county and township governments).
    Art21,
}

impl Category {
    /// A 第二十条 item, when `n` is 1…15.
    pub fn art20(n: u8) -> Option<Self> {
        (1..=15).contains(&n).then_some(Category::Art20(n))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NUM: [&str; 15] = [
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
            "十四", "十五",
        ];
        match self {
            Category::Art20(n) => write!(
                f,
                "第二十条第（{}）项",
                NUM.get(usize::from(*n).saturating_sub(1)).unwrap_or(&"?")
            ),
            Category::Art21 => f.write_str("第二十一条"),
        }
    }
}

/// Where an item was published (第二十三条).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishChannel {
    /// 政府门户网站 (the government portal or the agency's website).
    Portal,
    /// 政务微信公众号.
    Wechat,
    /// 政务微博.
    Weibo,
    /// 政府公报.
    Gazette,
    /// 新闻发布会.
    PressConference,
    /// 信息公告栏、电子信息屏 and other physical notice boards.
    Bulletin,
    /// Anything else, by name.
    Other(String),
}

impl PublishChannel {
    /// Chinese name.
    pub fn zh(&self) -> &str {
        match self {
            PublishChannel::Portal => "政府门户网站",
            PublishChannel::Wechat => "政务微信公众号",
            PublishChannel::Weibo => "政务微博",
            PublishChannel::Gazette => "政府公报",
            PublishChannel::PressConference => "新闻发布会",
            PublishChannel::Bulletin => "信息公告栏",
            PublishChannel::Other(s) => s,
        }
    }

    /// English name (a channel named by the user keeps its name).
    pub fn en(&self) -> &str {
        match self {
            PublishChannel::Portal => "the government portal",
            PublishChannel::Wechat => "the government WeChat account",
            PublishChannel::Weibo => "the government Weibo account",
            PublishChannel::Gazette => "the government gazette",
            PublishChannel::PressConference => "a press conference",
            PublishChannel::Bulletin => "the notice board",
            PublishChannel::Other(s) => s,
        }
    }
}

/// The confidentiality review (保密审查) recorded before publication (第十七条: 先审后发).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Day of the review.
    pub on: Date,
    /// Who reviewed it.
    pub reviewer: String,
}

/// One publication of an item on one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// Day published.
    pub on: Date,
    /// Where.
    pub channel: PublishChannel,
}

/// A proactively disclosed item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProactiveItem {
    /// Register number.
    pub id: String,
    /// Title.
    pub title: String,
    /// Category under the 条例.
    pub category: Category,
    /// The day the information was created or changed (第二十六条: publish within 20 working days).
    pub created: Date,
    /// The confidentiality review, once done.
    pub review: Option<Review>,
    /// Publications, in order.
    pub publications: Vec<Publication>,
    /// 主题分类: the catalogue's subject heading (e.g. 财政预决算), free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// 发布机构: who issued it, when not the agency itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// 成文日期: the day the document was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<Date>,
    /// 文号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// 时效: whether it is still in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// 正文: the full text, when published as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// 时效: whether a published document is still in force (政府信息公开目录).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 有效.
    InForce,
    /// 失效 (expired by its own terms).
    Expired,
    /// 废止 (repealed).
    Repealed,
}

impl Validity {
    /// Every value, in the catalogue's order.
    pub const ALL: [Validity; 3] = [Validity::InForce, Validity::Expired, Validity::Repealed];

    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Validity::InForce => "有效",
            Validity::Expired => "失效",
            Validity::Repealed => "废止",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            Validity::InForce => "in force",
            Validity::Expired => "expired",
            Validity::Repealed => "repealed",
        }
    }
}

/// Why an item cannot be published.
/// [`Localized::message`] says it in one language; the `Display` form gives both.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
#[non_exhaustive]
pub enum PublishError {
    /// No confidentiality review recorded.
    NotReviewed(String),
    /// Published before the review.
    BeforeReview {
        /// The item.
        id: String,
        /// The publication day.
        on: Date,
        /// The review day.
        reviewed: Date,
    },
    /// Reviewed or published before the information existed.
    #[error(
        "「{id}」的日期 {on} 早于信息形成日期 {created} / `{id}`: {on} is before the item was created ({created})"
    )]
    BeforeCreated {
        /// The item.
        id: String,
        /// The offending date.
        on: Date,
        /// The creation day.
        created: Date,
    },
    /// Published twice on the same channel.
    Duplicate {
        /// The item.
        id: String,
        /// The channel.
        channel: PublishChannel,
    },
}

impl Localized for PublishError {
    fn words(&self) -> (Msg, Option<String>) {
        let text = match self {
            PublishError::NotReviewed(id) => Msg::new(
                format!("「{id}」未经保密审查，不能发布（第十七条：先审后发）"),
                format!("`{id}` has no recorded confidentiality review"),
            ),
            PublishError::BeforeReview { id, on, reviewed } => Msg::new(
                format!("「{id}」的发布日期 {on} 早于保密审查日期 {reviewed}（先审后发）"),
                format!("`{id}`: published {on} before its review on {reviewed}"),
            ),
            PublishError::BeforeCreated { id, on, created } => Msg::new(
                format!("「{id}」的日期 {on} 早于信息形成日期 {created}"),
                format!("`{id}`: {on} is before the item was created ({created})"),
            ),
            PublishError::Duplicate { id, channel } => Msg::new(
                format!("「{id}」已在{}发布", channel.zh()),
                format!("`{id}` is already published on {}", channel.en()),
            ),
        };
        (text, None)
    }
}

impl ProactiveItem {
    /// A new, unreviewed and unpublished item.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        category: Category,
        created: Date,
    ) -> Self {
        ProactiveItem {
            id: id.into(),
            title: title.into(),
            category,
            created,
            review: None,
            publications: Vec::new(),
            subject: None,
            publisher: None,
            written: None,
            number: None,
            validity: None,
            text: None,
        }
    }

    /// Whether the public may see it: reviewed (先审后发) and published. Every public page, feed
    /// and API answer shows only such items.
    pub fn is_public(&self) -> bool {
        self.review.is_some() && !self.publications.is_empty()
    }

    /// Records the confidentiality review.
    ///
    /// # Errors
    /// [`PublishError::BeforeCreated`] when dated before the information was created.
    pub fn reviewed(mut self, on: Date, reviewer: impl Into<String>) -> Result<Self, PublishError> {
        if on < self.created {
            return Err(PublishError::BeforeCreated { id: self.id, on, created: self.created });
        }
        self.review = Some(Review { on, reviewer: reviewer.into() });
        Ok(self)
    }

    /// Publishes the item on `channel`. Publication without a prior recorded review is refused.
    ///
    /// # Errors
    /// [`PublishError`] when not reviewed, published before the review, or already published there.
    pub fn publish(mut self, on: Date, channel: PublishChannel) -> Result<Self, PublishError> {
        let Some(review) = &self.review else { return Err(PublishError::NotReviewed(self.id)) };
        if on < review.on {
            return Err(PublishError::BeforeReview { id: self.id, on, reviewed: review.on });
        }
        if self.publications.iter().any(|p| p.channel == channel) {
            return Err(PublishError::Duplicate { id: self.id, channel });
        }
        self.publications.push(Publication { on, channel });
        Ok(self)
    }

    /// Checks a stored item against the same rules as [`ProactiveItem::publish`].
    ///
    /// # Errors
    /// The first rule the item breaks.
    pub fn validate(&self) -> Result<(), PublishError> {
        let mut fresh = ProactiveItem { publications: Vec::new(), review: None, ..self.clone() };
        if let Some(r) = &self.review {
            fresh = fresh.reviewed(r.on, r.reviewer.clone())?;
        }
        for p in &self.publications {
            fresh = fresh.publish(p.on, p.channel.clone())?;
        }
        Ok(())
    }

    /// The first publication day.
    pub fn first_published(&self) -> Option<Date> {
        self.publications.iter().map(|p| p.on).min()
    }

    /// Whether it was first published within 20 working days of creation (第二十六条); `None` when
    /// unpublished.
    ///
    /// # Errors
    /// When the calendar does not cover the dates.
    pub fn published_on_time(&self, cal: &Calendar) -> Result<Option<bool>, CalendarError> {
        let Some(first) = self.first_published() else { return Ok(None) };
        Ok(Some(first <= cal.add_working_days(self.created, PUBLICATION_WORKING_DAYS)?))
    }
}

/// 规章 or 行政规范性文件 (Table 2, 第二十条第（一）项).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 规章.
    Regulation,
    /// 行政规范性文件.
    NormativeDocument,
}

impl DocKind {
    /// The Table 2 row.
    pub const fn row(self) -> T2Row {
        match self {
            DocKind::Regulation => T2Row::Regulations,
            DocKind::NormativeDocument => T2Row::NormativeDocuments,
        }
    }
}

/// A regulation or normative document the agency issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormativeDoc {
    /// Register number.
    pub id: String,
    /// Kind.
    pub kind: DocKind,
    /// Title.
    pub title: String,
    /// 文号.
    pub number: String,
    /// Day issued.
    pub issued: Date,
    /// Day repealed (废止) or expired, if it was.
    pub repealed: Option<Date>,
}

impl NormativeDoc {
    /// Whether it was in force at the end of `date`.
    pub fn in_force_at(&self, date: Date) -> bool {
        self.issued <= date && self.repealed.is_none_or(|r| r > date)
    }
}

/// Administrative decisions counted in Table 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// 行政许可.
    Licensing,
    /// 行政处罚.
    Penalty,
    /// 行政强制.
    Coercion,
}

impl DecisionKind {
    /// The Table 2 row.
    pub const fn row(self) -> T2Row {
        match self {
            DecisionKind::Licensing => T2Row::Licensing,
            DecisionKind::Penalty => T2Row::Penalty,
            DecisionKind::Coercion => T2Row::Coercion,
        }
    }
}

/// A number of decisions of one kind made on (or, for a monthly tally, up to) one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTally {
    /// Kind.
    pub kind: DecisionKind,
    /// Day (the tally counts toward this day's year).
    pub date: Date,
    /// How many decisions.
    pub count: u64,
}

/// An administrative fee (行政事业性收费) collected; Table 2 reports the year's sum in 万元.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeCollected {
    /// Day collected.
    pub date: Date,
    /// Fee item.
    pub item: String,
    /// Amount in yuan.
    pub amount_yuan: Decimal,
}

/// 行政复议 or 行政诉讼 (direct, or after 复议).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeKind {
    /// 行政复议.
    Review,
    /// 行政诉讼, 未经复议直接起诉.
    LitigationDirect,
    /// 行政诉讼, 复议后起诉.
    LitigationAfterReview,
}

impl DisputeKind {
    /// The Table 4 block.
    pub const fn block(self) -> T4Block {
        match self {
            DisputeKind::Review => T4Block::Review,
            DisputeKind::LitigationDirect => T4Block::LitigationDirect,
            DisputeKind::LitigationAfterReview => T4Block::LitigationAfterReview,
        }
    }
}

/// The result of a concluded dispute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeResult {
    /// 结果维持.
    Upheld,
    /// 结果纠正.
    Corrected,
    /// 其他结果.
    Other,
}

/// A reconsideration or litigation case about the agency's disclosure work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    /// Register number.
    pub id: String,
    /// Kind.
    pub kind: DisputeKind,
    /// Day filed (accepted).
    pub filed: Date,
    /// The application it concerns, when known.
    pub case: Option<String>,
    /// Conclusion day and result, once concluded.
    pub concluded: Option<(Date, DisputeResult)>,
}

impl Dispute {
    /// The result as of the end of `date`: `None` while pending.
    pub fn result_at(&self, date: Date) -> Option<DisputeResult> {
        self.concluded.filter(|(d, _)| *d <= date).map(|(_, r)| r)
    }
}
