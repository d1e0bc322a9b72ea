//! The store's one error type. Messages a person may read are in both languages
//! ([`Localized`]); database details follow as the words that are not ours, for the log.

use gongkai_model::{Localized, Msg};

use crate::cases::Conflict;
use crate::drafts::DraftConflict;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.bilingual())]
#[non_exhaustive]
pub enum StoreError {
    /// The URL names neither SQLite nor PostgreSQL.
    UnsupportedUrl {
        /// The scheme found (the rest of the URL is not kept: it may hold a password).
        scheme: String,
    },
    /// The database refused or could not be reached.
    Database(#[from] sqlx::Error),
    /// A migration failed; nothing of it was applied.
    Migration {
        /// Its version.
        version: i64,
        /// Its name.
        name: &'static str,
        /// The database's reason.
        source: sqlx::Error,
    },
    /// A migration recorded as applied differs from the one this program carries.
    MigrationChanged {
        /// Its version.
        version: i64,
    },
    /// The database was migrated by a newer program.
    TooNew {
        /// The newest version applied to the database.
        found: i64,
        /// The newest version this program knows.
        known: i64,
    },
    /// A stored value cannot be read back.
    Corrupt {
        /// What it is.
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// An append named a version that is no longer current.
    Conflict(Box<Conflict>),
    /// Nothing with this key (or not in this organisation).
    NotFound {
        /// What was looked for.
        what: Entity,
        /// Its key.
        key: String,
    },
    /// Something with this key exists already.
    Exists {
        /// What it is.
        what: Entity,
        /// Its key.
        key: String,
    },
    /// The input breaks a rule of the store (e.g. an agency under an agency).
    Invalid(Msg),
    /// Hashing a password failed.
    PasswordHash(String),
    /// A draft save named a version that is no longer current.
    DraftConflict(Box<DraftConflict>),
    /// The change alters a published year and carries no correction reason.
    YearLocked {
        /// The earliest published year it alters.
        year: i16,
    },
    /// An upload above the size limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

impl StoreError {
    /// Whether the database could not write because its storage is full or read-only (SQLite:
    /// `SQLITE_FULL`, `SQLITE_READONLY`, `SQLITE_IOERR`, `SQLITE_CANTOPEN` and their extended
    /// codes; PostgreSQL: classes 53 (insufficient resources) and 58 (system error),
    /// `read_only_sql_transaction`; an I/O error). Such a change was not made — the transaction
    /// rolled back — and what was stored before is intact: the caller answers "unavailable",
    /// not "internal error".
    pub fn is_storage_unavailable(&self) -> bool {
        let e = match self {
            StoreError::Database(e) | StoreError::Migration { source: e, .. } => e,
            _ => return false,
        };
        match e {
            sqlx::Error::Io(_) => true,
            sqlx::Error::Database(db) => db.code().is_some_and(|code| storage_code(&code)),
            _ => false,
        }
    }
}

/// Whether a database error code says the storage is full or read-only.
fn storage_code(code: &str) -> bool {
    // PostgreSQL: a five-character SQLSTATE.
    if code.len() == 5 {
        return code.starts_with("53") || code.starts_with("58") || code == "25006";
    }
    // SQLite: a number whose low byte is the primary code.
    code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 8 | 10 | 13 | 14))
}

impl Localized for StoreError {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            StoreError::UnsupportedUrl { scheme } => (
                Msg::new(
                    "不支持的数据库地址（应为 sqlite: 或 postgres:）",
                    "unsupported database URL (expected sqlite: or postgres:)",
                ),
                Some(format!("`{scheme}:`")),
            ),
            StoreError::Database(e) => {
                (Msg::new("数据库操作失败", "the database operation failed"), Some(e.to_string()))
            }
            StoreError::Migration { version, name, source } => (
                Msg::new(
                    format!("数据库迁移 {version}（{name}）失败，未作任何更改"),
                    format!("migration {version} ({name}) failed; nothing of it was applied"),
                ),
                Some(source.to_string()),
            ),
            StoreError::MigrationChanged { version } => (
                Msg::new(
                    format!("数据库中已应用的迁移 {version} 与本程序所带的不一致"),
                    format!(
                        "migration {version} applied to the database differs from this program's"
                    ),
                ),
                None,
            ),
            StoreError::TooNew { found, known } => (
                Msg::new(
                    format!("数据库版本 {found} 比本程序所知的 {known} 更新，请升级程序"),
                    format!(
                        "the database is at version {found}, newer than {known}: upgrade the program"
                    ),
                ),
                None,
            ),
            StoreError::Corrupt { what, detail } => (
                Msg::new(
                    format!("存储的数据无法读取（{what}）"),
                    format!("stored {what} cannot be read"),
                ),
                Some(detail.clone()),
            ),
            StoreError::Conflict(c) => (
                Msg::new(
                    format!(
                        "案件 {} 已被他人修改（当前版本 {}，提交所依据的版本 {}），请刷新后重试",
                        c.current.record.intake.id, c.current.version, c.expected
                    ),
                    format!(
                        "case {} was changed meanwhile (now at version {}, the change was based on {}): reload and try again",
                        c.current.record.intake.id, c.current.version, c.expected
                    ),
                ),
                None,
            ),
            StoreError::NotFound { what, key } => (
                Msg::new(format!("未找到{}", what.zh()), format!("no such {}", what.en())),
                Some(key.clone()),
            ),
            StoreError::Exists { what, key } => (
                Msg::new(
                    format!("{}已存在", what.zh()),
                    format!("the {} exists already", what.en()),
                ),
                Some(key.clone()),
            ),
            StoreError::Invalid(msg) => (msg.clone(), None),
            StoreError::PasswordHash(e) => {
                (Msg::new("密码处理失败", "the password could not be hashed"), Some(e.clone()))
            }
            StoreError::DraftConflict(c) => {
                let now = c.current.as_ref().map_or(0, |d| d.version);
                (
                    Msg::new(
                        format!(
                            "报告草稿已被他人保存（当前版本 {now}，本次保存所依据的版本 {}），请刷新后重试",
                            c.expected
                        ),
                        format!(
                            "the draft was saved meanwhile (now at version {now}, this save was based on {}): reload and try again",
                            c.expected
                        ),
                    ),
                    None,
                )
            }
            StoreError::YearLocked { year } => (
                Msg::new(
                    format!("{year}年度报告已发布，此项更改会改变已发布的报告，须说明更正理由"),
                    format!(
                        "the {year} report is published: this change alters it, so it needs a correction reason"
                    ),
                ),
                None,
            ),
            StoreError::TooLarge { size, limit } => (
                Msg::new(
                    format!("文件过大（{size} 字节，上限 {limit} 字节）"),
                    format!("the file is too large ({size} bytes, the limit is {limit})"),
                ),
                None,
            ),
        }
    }
}

/// A kind of stored thing, as errors name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    /// An organisation.
    Org,
    /// A user.
    User,
    /// A case record.
    Case,
    /// An applicant's personal data.
    PersonalData,
    /// An API token.
    Token,
    /// A published version of an annual report.
    ReportVersion,
    /// An uploaded document.
    Document,
    /// A finding.
    Finding,
    /// A job reading a collected file.
    ReadJob,
}

impl Entity {
    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Entity::Org => "机构",
            Entity::User => "用户",
            Entity::Case => "案件",
            Entity::PersonalData => "申请人个人信息",
            Entity::Token => "令牌",
            Entity::ReportVersion => "年度报告版本",
            Entity::Document => "上传的文件",
            Entity::Finding => "检查结果",
            Entity::ReadJob => "读取任务",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            Entity::Org => "organisation",
            Entity::User => "user",
            Entity::Case => "case",
            Entity::PersonalData => "personal data",
            Entity::Token => "API token",
            Entity::ReportVersion => "published report version",
            Entity::Document => "uploaded document",
            Entity::Finding => "finding",
            Entity::ReadJob => "read job",
        }
    }
}

/// A unique-key violation as [`StoreError::Exists`]; any other error as it is.
pub(crate) fn exists_or(e: sqlx::Error, what: Entity, key: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Exists { what, key: key.to_owned() }
        }
        _ => StoreError::Database(e),
    }
}

#[cfg(test)]
mod storage_tests {
    use super::storage_code;

    #[test]
    fn full_and_read_only_codes_are_storage_errors() {
        for code in ["13", "8", "1032", "10", "3338", "14", "53100", "53000", "58030", "25006"] {
            assert!(storage_code(code), "{code}");
        }
        for code in ["19", "2067", "5", "23505", "40001", "42P01"] {
            assert!(!storage_code(code), "{code}");
        }
    }
}

#[cfg(test)]
mod tests {
    use gongkai_cases::{ApplicantType, CaseId, CaseRecord, Channel, Intake};
    use gongkai_model::Lang;
    use jiff::civil::date;

    use super::*;
    use crate::cases::StoredCase;
    use crate::orgs::OrgId;

    #[test]
    fn a_conflict_says_which_case_and_versions_in_each_language() {
        let intake = Intake {
            id: CaseId("2025-007".into()),
            applicant_type: ApplicantType::NATURAL_PERSON,
            applicant_key: "P".into(),
            channel: Channel::Online { confirmed: date(2025, 3, 3) },
            request: "r".into(),
        };
        let current = StoredCase {
            agency: OrgId(2),
            version: 3,
            record: CaseRecord { intake, events: vec![] },
        };
        let err = StoreError::Conflict(Box::new(Conflict { expected: 2, current }));
        assert_eq!(
            err.message(Lang::Zh),
            "案件 2025-007 已被他人修改（当前版本 3，提交所依据的版本 2），请刷新后重试"
        );
        assert_eq!(
            err.message(Lang::En),
            "case 2025-007 was changed meanwhile (now at version 3, the change was based on 2): reload and try again"
        );
    }

    #[test]
    fn not_found_and_exists_name_the_entity() {
        let nf = StoreError::NotFound { what: Entity::Case, key: "X".into() };
        assert_eq!(nf.message(Lang::Zh), "未找到案件：X");
        assert_eq!(nf.message(Lang::En), "no such case: X");
        let ex = StoreError::Exists { what: Entity::User, key: "li".into() };
        assert_eq!(ex.message(Lang::Zh), "用户已存在：li");
    }
}
