//! Versioned migrations, one SQL file per version and backend under `migrations/<backend>/`,
//! applied in order, each in its own transaction, at open and by `gongkai admin migrate`.
//!
//! The table `gongkai_migrations` records each applied version with the SHA-256 of its text: a
//! migration edited after it was applied, or a database migrated by a newer program, is an error
//! rather than a silent mismatch. On PostgreSQL an advisory lock keeps two servers starting at
//! once from migrating twice.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Backend, Store, StoreError};

/// One migration: its version, its name and its SQL for each backend.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Every migration, oldest first. Add new ones at the end; never edit an applied one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sqlite: include_str!("../migrations/sqlite/0001_initial.sql"),
        postgres: include_str!("../migrations/postgres/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "published_reports",
        sqlite: include_str!("../migrations/sqlite/0002_published_reports.sql"),
        postgres: include_str!("../migrations/postgres/0002_published_reports.sql"),
    },
    Migration {
        version: 3,
        name: "case_state",
        sqlite: include_str!("../migrations/sqlite/0003_case_state.sql"),
        postgres: include_str!("../migrations/postgres/0003_case_state.sql"),
    },
    Migration {
        version: 4,
        name: "registers",
        sqlite: include_str!("../migrations/sqlite/0004_registers.sql"),
        postgres: include_str!("../migrations/postgres/0004_registers.sql"),
    },
    Migration {
        version: 5,
        name: "drafts_and_locks",
        sqlite: include_str!("../migrations/sqlite/0005_drafts_and_locks.sql"),
        postgres: include_str!("../migrations/postgres/0005_drafts_and_locks.sql"),
    },
    Migration {
        version: 6,
        name: "documents",
        sqlite: include_str!("../migrations/sqlite/0006_documents.sql"),
        postgres: include_str!("../migrations/postgres/0006_documents.sql"),
    },
    Migration {
        version: 7,
        name: "findings",
        sqlite: include_str!("../migrations/sqlite/0007_findings.sql"),
        postgres: include_str!("../migrations/postgres/0007_findings.sql"),
    },
    Migration {
        version: 8,
        name: "collected_reports",
        sqlite: include_str!("../migrations/sqlite/0008_collected_reports.sql"),
        postgres: include_str!("../migrations/postgres/0008_collected_reports.sql"),
    },
    Migration {
        version: 9,
        name: "disclosure_column",
        sqlite: include_str!("../migrations/sqlite/0009_disclosure_column.sql"),
        postgres: include_str!("../migrations/postgres/0009_disclosure_column.sql"),
    },
];

/// Key of the PostgreSQL advisory lock held while migrating ("gongkai" in ASCII).
const PG_LOCK_KEY: i64 = 0x0067_6f6e_676b_6169;

impl Migration {
    fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// A migration applied by this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Its version.
    pub version: i64,
    /// Its name.
    pub name: &'static str,
}

/// The newest schema version this program knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Connects to the database at `url` and applies the migrations it lacks (what
/// `gongkai admin migrate` runs). Returns those applied now, oldest first.
///
/// # Errors
/// See [`Store::open`].
pub async fn migrate(url: &str) -> Result<Vec<Applied>, StoreError> {
    let store = Store::connect(url).await?;
    let applied = run(&store).await;
    store.close().await;
    applied
}

/// Applies the migrations `store` lacks.
pub(crate) async fn run(store: &Store) -> Result<Vec<Applied>, StoreError> {
    let backend = store.backend();
    let mut tx = store.write().await?;
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(PG_LOCK_KEY).execute(&mut *tx).await?;
    }
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS gongkai_migrations \
         (version BIGINT PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query("SELECT version, sha256 FROM gongkai_migrations ORDER BY version")
        .fetch_all(&mut *tx)
        .await?;
    let mut done = Vec::with_capacity(rows.len());
    for row in rows {
        done.push((row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?));
    }
    check_applied(&done, backend)?;
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !done.iter().any(|(v, _)| *v == m.version)) {
        let fail = |source| StoreError::Migration { version: m.version, name: m.name, source };
        sqlx::raw_sql(m.sql(backend)).execute(&mut *tx).await.map_err(fail)?;
        sqlx::query("INSERT INTO gongkai_migrations (version, name, sha256) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(digest(m.sql(backend)))
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
        applied.push(Applied { version: m.version, name: m.name });
    }
    tx.commit().await?;
    Ok(applied)
}

/// Refuses a database whose applied migrations this program does not carry unchanged: first a
/// database from a newer program (the useful thing to say then), then an edited migration.
pub(crate) fn check_applied(done: &[(i64, String)], backend: Backend) -> Result<(), StoreError> {
    if let Some(found) = done.iter().map(|(v, _)| *v).filter(|v| *v > latest()).max() {
        return Err(StoreError::TooNew { found, known: latest() });
    }
    for (version, sha) in done {
        let known = MIGRATIONS.iter().find(|m| m.version == *version);
        if known.is_none_or(|m| digest(m.sql(backend)) != *sha) {
            return Err(StoreError::MigrationChanged { version: *version });
        }
    }
    Ok(())
}

/// Lower-case hex SHA-256 of a text.
pub(crate) fn digest(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_from_one_without_gaps() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i64::try_from(i).unwrap_or(-1) + 1, "{}", m.name);
        }
    }

    #[test]
    fn both_backends_create_the_same_tables_and_columns() {
        for m in MIGRATIONS {
            let (lite, pg) = (tables(m.sqlite), tables(m.postgres));
            assert!(!lite.is_empty(), "migration {} creates no table", m.version);
            assert_eq!(lite, pg, "migration {}", m.version);
        }
    }

    /// The same indexes, but full-text indexes, which differ by nature: an FTS5 virtual table on
    /// SQLite, a GIN index on PostgreSQL (migration 9).
    #[test]
    fn both_backends_create_the_same_indexes() {
        let indexes = |sql: &'static str| -> Vec<&'static str> {
            sql.lines()
                .filter(|l| l.contains("CREATE INDEX") || l.contains("CREATE UNIQUE INDEX"))
                .filter(|l| !l.contains("USING GIN"))
                .collect()
        };
        for m in MIGRATIONS {
            assert_eq!(indexes(m.sqlite), indexes(m.postgres), "migration {}", m.version);
        }
    }

    /// Each `CREATE TABLE` with its columns and constraints, one entry per line of its body
    /// (the first word of a column line; a constraint line whole), in order.
    fn tables(sql: &str) -> Vec<(&str, Vec<&str>)> {
        sql.split("CREATE TABLE ")
            .skip(1)
            .filter_map(|rest| {
                let (name, body) = rest.split_once('(')?;
                let body = body.split("\n);").next()?;
                let parts = body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| match l.split_whitespace().next() {
                        Some("UNIQUE" | "PRIMARY" | "CHECK") => l.trim_end_matches(','),
                        Some(column) => column,
                        None => l,
                    })
                    .collect();
                Some((name.trim(), parts))
            })
            .collect()
    }

    #[test]
    fn a_changed_or_unknown_migration_is_refused() {
        let good = vec![(1, digest(MIGRATIONS[0].sqlite))];
        assert!(check_applied(&good, Backend::Sqlite).is_ok());
        let changed = vec![(1, digest("something else"))];
        assert!(matches!(
            check_applied(&changed, Backend::Sqlite),
            Err(StoreError::MigrationChanged { version: 1 })
        ));
        let newer = vec![(1, digest(MIGRATIONS[0].sqlite)), (99, String::new())];
        assert!(matches!(
            check_applied(&newer, Backend::Sqlite),
            Err(StoreError::TooNew { found: 99, .. })
        ));
    }
}
