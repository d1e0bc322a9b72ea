//! What an application is when it arrives: who applied (type only — personal data is kept apart),
//! by which channel and so on which day it counts as received (第三十一条), and what was asked.

use std::fmt;

use gongkai_model::{Layout, T3Col, T3Row, catalogue::t3_outcome_rows};
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The register number of an application (登记编号), unique within an agency's register.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub String);

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The applicant's type: one of the six applicant columns of Table 3 (never `total`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicantType(T3Col);

impl ApplicantType {
    /// 自然人.
    pub const NATURAL_PERSON: ApplicantType = ApplicantType(T3Col::NaturalPerson);

    /// The type for a Table 3 column; `None` for `total`.
    pub fn new(col: T3Col) -> Option<Self> {
        (col != T3Col::Total).then_some(ApplicantType(col))
    }

    /// The Table 3 column.
    pub const fn col(self) -> T3Col {
        self.0
    }

    /// All six types, in column order.
    pub fn all() -> impl Iterator<Item = ApplicantType> {
        T3Col::APPLICANTS.iter().map(|&c| ApplicantType(c))
    }

    /// The column label as printed in Table 3 (`自然人`, `商业企业`, …, `其他`).
    pub fn label(self) -> &'static str {
        gongkai_model::catalogue::T3_COLUMNS
            .iter()
            .find(|c| c.id == gongkai_model::ColId::T3(self.0))
            .map_or("", |c| c.label)
    }
}

impl Serialize for ApplicantType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.key())
    }
}

impl<'de> Deserialize<'de> for ApplicantType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        T3Col::from_key(&s)
            .and_then(ApplicantType::new)
            .ok_or_else(|| serde::de::Error::custom(format!("not an applicant type: `{s}`")))
    }
}

/// The outcome of a closed application: one of the 21 outcome rows of Table 3 (2021 layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome(T3Row);

impl Outcome {
    /// 予以公开.
    pub const GRANTED: Outcome = Outcome(T3Row::Granted);
    /// （六）3.其他 — used for withdrawn applications [U].
    pub const OTHER: Outcome = Outcome(T3Row::OtherOther);
    /// （六）1.逾期不补正.
    pub const OVERDUE_CORRECTION: Outcome = Outcome(T3Row::OtherOverdueCorrection);
    /// （六）2.逾期未缴费.
    pub const UNPAID_FEE: Outcome = Outcome(T3Row::OtherUnpaidFee);
    /// （五）4.无正当理由大量反复申请.
    pub const MASS_REPETITIVE: Outcome = Outcome(T3Row::NotProcessedMassRepetitive);
    /// （四）3.补正后申请内容仍不明确.
    pub const UNCLEAR: Outcome = Outcome(T3Row::UnableUnclear);

    /// The outcome for a Table 3 row; `None` unless it is one of the 21 outcome rows.
    pub fn new(row: T3Row) -> Option<Self> {
        t3_outcome_rows(Layout::Format2021).any(|r| r == row).then_some(Outcome(row))
    }

    /// The Table 3 row.
    pub const fn row(self) -> T3Row {
        self.0
    }

    /// All 21 outcomes, in table order.
    pub fn all() -> impl Iterator<Item = Outcome> {
        t3_outcome_rows(Layout::Format2021).map(Outcome)
    }

    /// The row label as printed, with its group (`不予公开：属于国家秘密`).
    pub fn label(self) -> String {
        let layout =
            gongkai_model::TableLayout::get(gongkai_model::TableId::T3, Layout::Format2021);
        match layout.row(gongkai_model::RowId::T3(self.0)) {
            Some(spec) => match spec.group {
                Some(g) => format!(
                    "{}：{}",
                    g.trim_start_matches(|c| c != '）').trim_start_matches('）'),
                    spec.body
                ),
                None => spec.body.split('（').next().unwrap_or(spec.body).to_owned(),
            },
            None => self.0.key().to_owned(),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.key())
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.key())
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        T3Row::from_key(&s)
            .and_then(Outcome::new)
            .ok_or_else(|| serde::de::Error::custom(format!("not an outcome: `{s}`")))
    }
}

/// How the application arrived (第二十九条, 第三十一条), with the dates that fix its receipt day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Channel {
    /// 当面提交: received the day it is handed in.
    InPerson {
        /// The day of submission.
        submitted: Date,
    },
    /// 邮寄（需签收）: received the day the agency signs for it.
    RegisteredPost {
        /// The day the agency signed for it.
        signed_for: Date,
    },
    /// 平常信函: received the day the office confirms with the applicant (due the day it arrives).
    OrdinaryLetter {
        /// The day the letter arrived.
        arrived: Date,
        /// The day the office confirmed receipt with the applicant.
        confirmed: Date,
    },
    /// 互联网渠道: received the day both sides confirm.
    Online {
        /// The day of mutual confirmation.
        confirmed: Date,
    },
    /// 传真: received the day both sides confirm.
    Fax {
        /// The day of mutual confirmation.
        confirmed: Date,
    },
    /// 口头提出, recorded in writing by the office: treated as in person on the day of the record [U].
    Oral {
        /// The day the written record was made.
        recorded: Date,
    },
}

impl Channel {
    /// The day the application counts as received: day 0 of the reply clock.
    pub fn receipt_date(&self) -> Date {
        match *self {
            Channel::InPerson { submitted } => submitted,
            Channel::RegisteredPost { signed_for } => signed_for,
            Channel::OrdinaryLetter { confirmed, .. }
            | Channel::Online { confirmed }
            | Channel::Fax { confirmed } => confirmed,
            Channel::Oral { recorded } => recorded,
        }
    }

    /// The channel's Chinese name.
    pub const fn label(&self) -> &'static str {
        match self {
            Channel::InPerson { .. } => "当面提交",
            Channel::RegisteredPost { .. } => "邮寄",
            Channel::OrdinaryLetter { .. } => "平常信函",
            Channel::Online { .. } => "互联网",
            Channel::Fax { .. } => "传真",
            Channel::Oral { .. } => "口头",
        }
    }

    /// For an ordinary letter: whether it was confirmed later than the day it arrived (第三十一条
    /// requires confirmation that day). The receipt date is still the confirmation day.
    pub fn confirmed_late(&self) -> bool {
        matches!(self, Channel::OrdinaryLetter { arrived, confirmed } if confirmed > arrived)
    }
}

/// An application as registered on arrival. Holds no personal data: see [`PersonalData`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// The register number.
    pub id: CaseId,
    /// The applicant's type (Table 3 column).
    pub applicant_type: ApplicantType,
    /// A stable pseudonymous key for the applicant (e.g. the register's applicant number), used to
    /// count an applicant's applications per month for per-application fees.
    pub applicant_key: String,
    /// How it arrived.
    pub channel: Channel,
    /// What information was requested (title, document number or description; 第二十九条（二）).
    pub request: String,
}

impl Intake {
    /// Day 0 of the reply clock.
    pub fn received(&self) -> Date {
        self.channel.receipt_date()
    }
}

/// **Personal data** (个人信息) of an applicant: name, identity document and contact.
///
/// Kept apart from [`Intake`] so that registers, tables, logs and exports can be produced and
/// shared without it; only the office handling the case should see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalData {
    /// The case it belongs to.
    pub case: CaseId,
    /// The applicant's name (姓名或者名称).
    pub name: String,
    /// Contact (联系方式): phone, address or e-mail.
    pub contact: String,
    /// Identity document (身份证明), when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_document: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_the_21_result_rows() {
        assert_eq!(Outcome::all().count(), 21);
        assert!(Outcome::new(T3Row::TotalProcessed).is_none());
        assert!(Outcome::new(T3Row::OtherMerged).is_none());
        assert_eq!(
            Outcome::new(T3Row::WithheldStateSecret).map(Outcome::label).as_deref(),
            Some("不予公开：属于国家秘密")
        );
        assert_eq!(Outcome::GRANTED.label(), "予以公开");
        assert_eq!(
            Outcome::new(T3Row::PartiallyGranted).map(Outcome::label).as_deref(),
            Some("部分公开")
        );
    }

    #[test]
    fn receipt_dates_follow_article_31() {
        let d = |s: &str| s.parse::<Date>().expect("date");
        let letter =
            Channel::OrdinaryLetter { arrived: d("2024-03-01"), confirmed: d("2024-03-04") };
        assert_eq!(letter.receipt_date(), d("2024-03-04"));
        assert!(letter.confirmed_late());
        assert_eq!(
            Channel::RegisteredPost { signed_for: d("2024-03-05") }.receipt_date(),
            d("2024-03-05")
        );
        assert!(ApplicantType::new(T3Col::Total).is_none());
        assert_eq!(ApplicantType::NATURAL_PERSON.label(), "自然人");
    }
}
