//! Users, their passwords (argon2id hashes in PHC format, never the password) and their roles in
//! organisations ([`Role`], the one list of roles).

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use gongkai_model::Msg;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Action};
use crate::error::exists_or;
use crate::orgs::{OrgId, OrgKind};
use crate::{Ctx, Entity, Store, StoreError};

/// The id of a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a user may do in an organisation. Declared once; the server's policy table is keyed by
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 经办人: registers applications and records what happens to them (an agency's role).
    Clerk,
    /// 审核人: approves and publishes the agency's annual report (an agency's role).
    Approver,
    /// 政务公开办审阅人: reads and reviews the agencies under an office (an office's role).
    OfficeReviewer,
    /// 管理员: manages organisations, users and roles under the organisation.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Clerk, Role::Approver, Role::OfficeReviewer, Role::Admin];

    /// The stored key.
    pub const fn key(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Approver => "approver",
            Role::OfficeReviewer => "office_reviewer",
            Role::Admin => "admin",
        }
    }

    /// Chinese name.
    pub const fn zh(self) -> &'static str {
        match self {
            Role::Clerk => "经办人",
            Role::Approver => "审核人",
            Role::OfficeReviewer => "政务公开办审阅人",
            Role::Admin => "管理员",
        }
    }

    /// English name.
    pub const fn en(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Approver => "approver",
            Role::OfficeReviewer => "office reviewer",
            Role::Admin => "administrator",
        }
    }

    /// The role of a stored key.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Whether the role can be held in an organisation of this kind.
    pub const fn fits(self, kind: OrgKind) -> bool {
        matches!(
            (self, kind),
            (Role::Clerk | Role::Approver, OrgKind::Agency)
                | (Role::OfficeReviewer, OrgKind::Office)
                | (Role::Admin, _)
        )
    }
}

/// A user to create.
#[derive(Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The login name, unique.
    pub username: String,
    /// The name shown.
    pub display_name: String,
    /// The password in clear; only its argon2id hash is stored.
    pub password: String,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .finish_non_exhaustive()
    }
}

/// A stored user (without the password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The login name.
    pub username: String,
    /// The name shown.
    pub display_name: String,
}

/// A role held in an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Membership {
    /// The organisation.
    pub org: OrgId,
    /// The role.
    pub role: Role,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

impl Store {
    /// Creates a user with an argon2id hash of the password.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a password shorter than [`MIN_PASSWORD_CHARS`] or an empty
    /// name; [`StoreError::Exists`] for a taken username.
    pub async fn create_user(&self, ctx: &Ctx, new: &NewUser) -> Result<User, StoreError> {
        if new.username.trim().is_empty() {
            return Err(StoreError::Invalid(Msg::new("用户名不能为空", "the username is empty")));
        }
        if new.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(StoreError::Invalid(Msg::new(
                format!("密码至少{MIN_PASSWORD_CHARS}个字符"),
                format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
            )));
        }
        let hash = hash_password(new.password.clone()).await?;
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3) \
             RETURNING id",
        )
        .bind(&new.username)
        .bind(&new.display_name)
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| exists_or(e, Entity::User, &new.username))?;
        let id = UserId(row.try_get(0)?);
        audit::record(&mut tx, ctx, None, Action::UserCreated, &id.to_string()).await?;
        tx.commit().await?;
        Ok(User { id, username: new.username.clone(), display_name: new.display_name.clone() })
    }

    /// The user with this id.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let row = sqlx::query("SELECT id, username, display_name FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user_of_row).transpose()
    }

    /// The user whose username and password these are, or `None` — the same answer, after the
    /// same work, for an unknown user and a wrong password. A failure is audited.
    ///
    /// # Errors
    /// Database errors, or a stored hash that cannot be read.
    pub async fn check_password(
        &self,
        ctx: &Ctx,
        username: &str,
        password: &str,
    ) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT id, username, display_name, password_hash FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        let (user, hash) = match &row {
            Some(row) => (Some(user_of_row(row)?), row.try_get::<String, _>(3)?),
            None => (None, dummy_hash().await?),
        };
        let ok = verify_password(password.to_owned(), hash).await? && user.is_some();
        if !ok {
            // The subject is the user's id, or nothing: an unknown "username" may well be a
            // password typed into the wrong field.
            let subject = user.map_or_else(|| "unknown user".to_owned(), |u| u.id.to_string());
            let mut tx = self.write().await?;
            audit::record(&mut tx, ctx, None, Action::LoginFailed, &subject).await?;
            tx.commit().await?;
            return Ok(None);
        }
        Ok(user)
    }

    /// Grants a role in an organisation (granting a role held already changes nothing).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown user or organisation; [`StoreError::Invalid`] for
    /// a role the organisation's kind cannot have (see [`Role::fits`]).
    pub async fn grant(
        &self,
        ctx: &Ctx,
        user: UserId,
        org: OrgId,
        role: Role,
    ) -> Result<(), StoreError> {
        let Some(o) = self.org(org).await? else {
            return Err(StoreError::NotFound { what: Entity::Org, key: org.to_string() });
        };
        if !role.fits(o.kind) {
            return Err(StoreError::Invalid(Msg::new(
                format!("「{}」不能在{}中担任", role.zh(), o.name),
                format!("the role `{}` cannot be held in {}", role.en(), o.name),
            )));
        }
        if self.user(user).await?.is_none() {
            return Err(StoreError::NotFound { what: Entity::User, key: user.to_string() });
        }
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(user.0)
        .bind(org.0)
        .bind(role.key())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() > 0 {
            let subject = format!("{user} {}", role.key());
            audit::record(&mut tx, ctx, Some(org), Action::RoleGranted, &subject).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Revokes a role (revoking a role not held changes nothing).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn revoke(
        &self,
        ctx: &Ctx,
        user: UserId,
        org: OrgId,
        role: Role,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let deleted =
            sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND org_id = $2 AND role = $3")
                .bind(user.0)
                .bind(org.0)
                .bind(role.key())
                .execute(&mut *tx)
                .await?;
        if deleted.rows_affected() > 0 {
            let subject = format!("{user} {}", role.key());
            audit::record(&mut tx, ctx, Some(org), Action::RoleRevoked, &subject).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The roles a user holds, by organisation then role.
    ///
    /// # Errors
    /// Database errors, or a stored role this program does not know.
    pub async fn memberships(&self, user: UserId) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query("SELECT org_id, role FROM memberships WHERE user_id = $1")
            .bind(user.0)
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let role: String = row.try_get(1)?;
            let role =
                Role::from_key(&role).ok_or(StoreError::Corrupt { what: "role", detail: role })?;
            out.push(Membership { org: OrgId(row.try_get(0)?), role });
        }
        out.sort();
        Ok(out)
    }
}

fn user_of_row(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.try_get(0)?),
        username: row.try_get(1)?,
        display_name: row.try_get(2)?,
    })
}

/// The argon2id hash (PHC string, random salt) of a password, computed off the async workers.
async fn hash_password(password: String) -> Result<String, StoreError> {
    blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::PasswordHash(e.to_string()))
    })
    .await
}

/// Whether `password` matches the PHC string `hash`.
async fn verify_password(password: String, hash: String) -> Result<bool, StoreError> {
    blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| StoreError::Corrupt { what: "password hash", detail: e.to_string() })?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
}

/// A hash to verify against when the user is unknown, so that the answer takes as long.
async fn dummy_hash() -> Result<String, StoreError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_try_init(|| hash_password("not a password of anyone".to_owned())).await.cloned()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError::PasswordHash(e.to_string()))?
}
