//! Sessions (the browser's cookie) and API tokens (`Authorization: Bearer …`): random secrets
//! handed out once, of which the store keeps only the SHA-256 digest, so that a copy of the
//! database opens no account.

use std::fmt;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::accounts::UserId;
use crate::audit::{self, Action};
use crate::migrate::hex;
use crate::{Ctx, Entity, Store, StoreError, millis};

/// A secret in clear, as handed to the client. Its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret the client presented.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The secret, to hand to the client.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn generate(prefix: &str) -> Secret {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Secret(format!("{prefix}{}", hex(&bytes)))
    }

    fn digest(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The id of an API token (to list and revoke it; not the secret).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenId(pub i64);

/// The two kinds of secret, each in its own table.
#[derive(Clone, Copy)]
enum Kind {
    Session,
    Token,
}

impl Kind {
    const fn table(self) -> &'static str {
        match self {
            Kind::Session => "sessions",
            Kind::Token => "api_tokens",
        }
    }

    const fn prefix(self) -> &'static str {
        match self {
            Kind::Session => "gks_",
            Kind::Token => "gkt_",
        }
    }
}

/// Which rows to revoke.
enum Key {
    Digest(String),
    Id(i64),
}

impl Store {
    /// Opens a session for `user`, valid for `ttl` from `ctx.at`; returns its secret.
    ///
    /// # Errors
    /// Database errors (an unknown user breaks a foreign key).
    pub async fn open_session(
        &self,
        ctx: &Ctx,
        user: UserId,
        ttl: SignedDuration,
    ) -> Result<Secret, StoreError> {
        let secret = Secret::generate(Kind::Session.prefix());
        let expires = ctx
            .at
            .checked_add(ttl)
            .map_err(|e| StoreError::Corrupt { what: "session lifetime", detail: e.to_string() })?;
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO sessions (secret_sha256, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(secret.digest())
        .bind(user.0)
        .bind(millis(ctx.at))
        .bind(millis(expires))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        audit::record(&mut tx, ctx, None, Action::SessionOpened, &format!("{user} session {id}"))
            .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// The user of a session that is open at `now`.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn session_user(
        &self,
        secret: &Secret,
        now: Timestamp,
    ) -> Result<Option<UserId>, StoreError> {
        self.user_of(Kind::Session, secret, now).await
    }

    /// Ends a session (logging out). Ending an unknown or ended session changes nothing.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn close_session(&self, ctx: &Ctx, secret: &Secret) -> Result<(), StoreError> {
        self.revoke_where(ctx, Kind::Session, Key::Digest(secret.digest())).await
    }

    /// Creates a named API token for `user`, valid until `expires` (or until revoked); returns its
    /// id and its secret.
    ///
    /// # Errors
    /// Database errors (an unknown user breaks a foreign key).
    pub async fn create_token(
        &self,
        ctx: &Ctx,
        user: UserId,
        name: &str,
        expires: Option<Timestamp>,
    ) -> Result<(TokenId, Secret), StoreError> {
        let secret = Secret::generate(Kind::Token.prefix());
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (secret_sha256, user_id, name, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(secret.digest())
        .bind(user.0)
        .bind(name)
        .bind(millis(ctx.at))
        .bind(expires.map(millis))
        .fetch_one(&mut *tx)
        .await?;
        let id = TokenId(row.try_get(0)?);
        let subject = format!("{user} token {}", id.0);
        audit::record(&mut tx, ctx, None, Action::TokenCreated, &subject).await?;
        tx.commit().await?;
        Ok((id, secret))
    }

    /// The user of an API token that is valid at `now`.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn token_user(
        &self,
        secret: &Secret,
        now: Timestamp,
    ) -> Result<Option<UserId>, StoreError> {
        self.user_of(Kind::Token, secret, now).await
    }

    /// Revokes an API token.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown token (never for one revoked already).
    pub async fn revoke_token(&self, ctx: &Ctx, id: TokenId) -> Result<(), StoreError> {
        let known = sqlx::query("SELECT 1 FROM api_tokens WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound { what: Entity::Token, key: id.0.to_string() });
        }
        self.revoke_where(ctx, Kind::Token, Key::Id(id.0)).await
    }

    async fn user_of(
        &self,
        kind: Kind,
        secret: &Secret,
        now: Timestamp,
    ) -> Result<Option<UserId>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT user_id FROM {} WHERE secret_sha256 = $1 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $2)",
            kind.table()
        ))
        .bind(secret.digest())
        .bind(millis(now))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?.map(UserId))
    }

    /// Marks the rows of `kind` matching `filter` (on `$2`) revoked at `ctx.at`, audited.
    async fn revoke_where(&self, ctx: &Ctx, kind: Kind, key: Key) -> Result<(), StoreError> {
        let filter = match key {
            Key::Digest(_) => "secret_sha256 = $2",
            Key::Id(_) => "id = $2",
        };
        let sql = format!(
            "UPDATE {} SET revoked_at = $1 WHERE {filter} AND revoked_at IS NULL RETURNING id",
            kind.table()
        );
        let query = sqlx::query(&sql).bind(millis(ctx.at));
        let query = match key {
            Key::Digest(d) => query.bind(d),
            Key::Id(id) => query.bind(id),
        };
        let mut tx = self.write().await?;
        let rows = query.fetch_all(&mut *tx).await?;
        let action = match kind {
            Kind::Session => Action::SessionClosed,
            Kind::Token => Action::TokenRevoked,
        };
        for row in rows {
            let id: i64 = row.try_get(0)?;
            audit::record(&mut tx, ctx, None, action, &id.to_string()).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
