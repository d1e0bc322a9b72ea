//! Restoring a backup ([`Store::backup_to`]'s SQLite copy) into a new data directory, after
//! checking it: what `gongkai admin restore BACKUP DIR` runs.
//!
//! [`Store::backup_to`] writes beside the copy its SHA-256 digest, `FILE.sha256` (the
//! `sha256sum` format): SQLite's integrity check sees a damaged page structure, but not a
//! flipped byte inside a stored value; the digest does.
//!
//! The backup is never trusted: its digest must match (when the digest file is there; a backup
//! without one is said to be unverified), its header must be SQLite's, its length the page count its
//! header states (a truncated copy is refused before SQLite reads it), `PRAGMA integrity_check`
//! must answer `ok` on a private copy, and its applied migrations must be this program's (none
//! newer, none edited). Only then is the checked copy linked into place as
//! `DIR/gongkai.sqlite3` — a hard link, which fails rather than replace a file: an existing
//! store is never overwritten, even by a restore racing another. The missing migrations are
//! applied when the restored store is first opened.

use std::path::{Path, PathBuf};

use gongkai_model::Msg;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions as _, Connection as _, Row as _};

use crate::{SQLITE_FILE, StoreError, migrate};

/// What a restore installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    /// The database file now in place.
    pub file: PathBuf,
    /// The schema version of the backup (the newest migration applied to it).
    pub schema_version: i64,
    /// Its size in bytes.
    pub bytes: u64,
    /// Whether its digest file was there and matched (false: there was none).
    pub digest_checked: bool,
}

/// The digest file of a backup: `FILE.sha256`.
pub fn digest_file(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// Lower-case hex SHA-256 of bytes.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    migrate::hex(&sha2::Sha256::digest(bytes))
}

/// Writes the digest file of the backup `backup` (`HEX  NAME`, as `sha256sum` prints it).
pub(crate) fn write_digest(backup: &Path) -> Result<(), StoreError> {
    let bytes = std::fs::read(backup).map_err(|e| io(backup, &e))?;
    let name = backup.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let file = digest_file(backup);
    std::fs::write(&file, format!("{}  {name}\n", sha256_hex(&bytes))).map_err(|e| io(&file, &e))
}

/// Checks `bytes` against the digest file of `backup`: `Ok(false)` when there is none.
fn check_digest(backup: &Path, bytes: &[u8]) -> Result<bool, StoreError> {
    let file = digest_file(backup);
    let Ok(text) = std::fs::read_to_string(&file) else { return Ok(false) };
    let expected = text.split_whitespace().next().unwrap_or("");
    if expected != sha256_hex(bytes) {
        return Err(refused(
            format!("内容与其摘要文件 {} 不符，已损坏或被改动", file.display()),
            format!(
                "its content does not match its digest file {}: damaged or altered",
                file.display()
            ),
        ));
    }
    Ok(true)
}

/// The first 16 bytes of every SQLite database file.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refusal of a backup, in both languages.
fn refused(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Invalid(Msg::new(
        format!("备份无法恢复：{}", zh.into()),
        format!("the backup cannot be restored: {}", en.into()),
    ))
}

/// Checks the header of a SQLite file of `len` bytes: the magic, a valid page size, and a length
/// that holds every page the header counts.
pub(crate) fn check_header(header: &[u8], len: u64) -> Result<(), StoreError> {
    if header.len() < 100 || header.get(..16) != Some(MAGIC.as_slice()) {
        return Err(refused("不是 SQLite 数据库文件", "it is not a SQLite database file"));
    }
    let raw = u16::from_be_bytes([header[16], header[17]]);
    // 1 stands for 65536; otherwise a power of two from 512 to 32768.
    let page_size = if raw == 1 { 65_536 } else { u64::from(raw) };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(refused(
            "文件头已损坏（页大小无效）",
            "its header is damaged (invalid page size)",
        ));
    }
    // The in-header page count is valid when the change counter equals "version valid for".
    let counter = &header[24..28];
    let valid_for = &header[92..96];
    let pages = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    let expected = pages.checked_mul(page_size);
    if counter == valid_for && pages > 0 && expected != Some(len) {
        let expected = expected.unwrap_or(u64::MAX);
        return Err(refused(
            format!("文件不完整（应为 {expected} 字节，实有 {len} 字节），可能已被截断"),
            format!("it is incomplete ({len} bytes where {expected} were written): truncated?"),
        ));
    }
    if !len.is_multiple_of(page_size) {
        return Err(refused(
            format!("文件长度 {len} 不是页大小 {page_size} 的整数倍，可能已被截断"),
            format!("its length {len} is not a multiple of its page size {page_size}: truncated?"),
        ));
    }
    Ok(())
}

/// Restores the backup file `backup` into the data directory `dir` (created when missing), which
/// must not hold a database yet. See the module documentation for what is checked.
///
/// # Errors
/// [`StoreError::Invalid`] (in both languages) for a backup that is not a SQLite file, is
/// truncated, fails the integrity check, is not a gongkai database, or comes from a newer
/// program; [`StoreError::Exists`]-like refusal when `dir` already holds a store; I/O and
/// database errors otherwise. Nothing is left in `dir` when it fails.
pub async fn restore(backup: &Path, dir: &Path) -> Result<Restored, StoreError> {
    let target = dir.join(SQLITE_FILE);
    let taken = [target.clone(), dir.join(format!("{SQLITE_FILE}-wal"))];
    if taken.iter().any(|p| p.exists()) {
        return Err(StoreError::Invalid(Msg::new(
            format!("{} 中已有数据库，恢复不会覆盖它；请指定一个新的数据目录", dir.display()),
            format!(
                "{} already holds a database, which a restore never overwrites: name a new data \
                 directory",
                dir.display()
            ),
        )));
    }
    let bytes = std::fs::read(backup).map_err(|e| {
        refused(
            format!("无法读取 {}：{e}", backup.display()),
            format!("{} cannot be read: {e}", backup.display()),
        )
    })?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let digest_checked = check_digest(backup, &bytes)?;
    check_header(&bytes, len)?;
    std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    // A private copy beside the target (same file system, so the final link is atomic).
    let staging = dir.join(format!(".{SQLITE_FILE}.restoring-{}", std::process::id()));
    let result = async {
        std::fs::write(&staging, &bytes).map_err(|e| io(&staging, &e))?;
        let schema_version = verify(&staging).await?;
        std::fs::File::open(&staging).and_then(|f| f.sync_all()).map_err(|e| io(&staging, &e))?;
        std::fs::hard_link(&staging, &target).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Invalid(Msg::new(
                    format!("{} 中已有数据库，恢复不会覆盖它", dir.display()),
                    format!(
                        "{} already holds a database, which a restore never overwrites",
                        dir.display()
                    ),
                ))
            } else {
                io(&target, &e)
            }
        })?;
        Ok::<_, StoreError>(schema_version)
    }
    .await;
    let _ = std::fs::remove_file(&staging);
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(
            dir.join(format!(".{SQLITE_FILE}.restoring-{}{suffix}", std::process::id())),
        );
    }
    let schema_version = result?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(Restored { file: target, schema_version, bytes: len, digest_checked })
}

/// Opens the private copy and checks its integrity and schema: the schema version.
async fn verify(file: &Path) -> Result<i64, StoreError> {
    let options = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete);
    let mut conn = options
        .connect()
        .await
        .map_err(|e| refused(format!("无法打开：{e}"), format!("it cannot be opened: {e}")))?;
    let checked = async {
        let rows =
            sqlx::query("PRAGMA integrity_check").fetch_all(&mut conn).await.map_err(|e| {
                refused(
                    format!("完整性检查无法进行：{e}"),
                    format!("the integrity check could not run: {e}"),
                )
            })?;
        let problems: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>(0).ok())
            .filter(|s| s != "ok")
            .collect();
        if !problems.is_empty() || rows.is_empty() {
            let first = problems.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
            return Err(refused(
                format!("完整性检查未通过（{} 处问题）：{first}", problems.len()),
                format!("it fails the integrity check ({} problems): {first}", problems.len()),
            ));
        }
        let applied =
            sqlx::query("SELECT version, sha256 FROM gongkai_migrations ORDER BY version")
                .fetch_all(&mut conn)
                .await
                .map_err(|_| {
                    refused(
                        "其中没有 gongkai 的数据（缺少迁移记录）",
                        "it is not a gongkai database (no migration record)",
                    )
                })?;
        let mut done = Vec::with_capacity(applied.len());
        for row in &applied {
            done.push((row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?));
        }
        if done.is_empty() {
            return Err(refused(
                "其中没有 gongkai 的数据（迁移记录为空）",
                "it is not a gongkai database (no migration applied)",
            ));
        }
        migrate::check_applied(&done, crate::Backend::Sqlite)?;
        Ok(done.iter().map(|(v, _)| *v).max().unwrap_or(0))
    }
    .await;
    let _ = conn.close().await;
    checked
}

fn io(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Invalid(Msg::new(
        format!("无法写入 {}：{e}", path.display()),
        format!("{} cannot be written: {e}", path.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(page_size: u16, pages: u32) -> Vec<u8> {
        let mut h = vec![0u8; 100];
        h[..16].copy_from_slice(MAGIC);
        h[16..18].copy_from_slice(&page_size.to_be_bytes());
        h[24..28].copy_from_slice(&7u32.to_be_bytes());
        h[28..32].copy_from_slice(&pages.to_be_bytes());
        h[92..96].copy_from_slice(&7u32.to_be_bytes());
        h
    }

    #[test]
    fn headers_of_whole_files_pass_and_truncated_ones_fail() {
        assert!(check_header(&header(4096, 3), 3 * 4096).is_ok());
        let cut = check_header(&header(4096, 3), 2 * 4096).unwrap_err().to_string();
        assert!(cut.contains("截断") && cut.contains("truncated"), "{cut}");
        assert!(check_header(&header(4096, 3), 3 * 4096 - 100).is_err());
        assert!(check_header(&header(1000, 3), 3000).is_err(), "not a power of two");
        assert!(check_header(b"not a database", 14).is_err());
        let mut flipped = header(4096, 1);
        flipped[3] ^= 0x20;
        assert!(check_header(&flipped, 4096).is_err());
    }
}
