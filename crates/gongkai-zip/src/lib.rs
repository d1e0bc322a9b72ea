//! One guard for every zip container gongkai opens: DOCX parts, XLSX workbooks (the reader and
//! register import), and the zip archives uploaded to the server.
//!
//! The bounds are those of [`Limits`]: at most [`Limits::max_zip_entries`] entries; every entry
//! inflates to at most [`Limits::max_zip_ratio`] times its compressed size (entries up to
//! [`RATIO_FLOOR`] are exempt: tiny parts compress arbitrarily well without being a threat); all
//! entries together inflate to at most [`Limits::max_zip_uncompressed`] bytes; and, when the
//! caller says so, one entry to at most a given size ([`Archive::with_max_entry`]).
//!
//! The sizes a zip declares may lie, so each bound is enforced twice: an entry that *declares*
//! more than its cap is refused before anything is inflated, and the bytes actually inflated are
//! read through a counter that stops one byte past the cap. No entry can make gongkai inflate
//! more than its cap, whatever its directory says. Readers that hand the zip to another library
//! (calamine for XLSX) first call [`Archive::check_all`], which inflates every entry under the
//! same bounds into nothing.

use std::io::{Cursor, Read};

use gongkai_doc::Limits;
use gongkai_model::{Localized, Msg};

/// Entries that inflate to at most this many bytes are not held to the ratio limit.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// Why a zip container, or one of its entries, was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.bilingual())]
pub enum ZipError {
    /// Not a zip container (or its central directory is unreadable): the zip library's words.
    Open(String),
    /// More entries than [`Limits::max_zip_entries`].
    TooManyEntries {
        /// Entries found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// An encrypted entry.
    Encrypted {
        /// The entry.
        entry: String,
    },
    /// An entry inflates (or declares it will) beyond [`Limits::max_zip_ratio`] times its
    /// compressed size: a zip bomb.
    Ratio {
        /// The entry.
        entry: String,
        /// The limit.
        limit: u64,
    },
    /// The entries together inflate beyond [`Limits::max_zip_uncompressed`] bytes.
    Total {
        /// The entry at which the total was exceeded.
        entry: String,
        /// The limit.
        limit: u64,
    },
    /// One entry inflates beyond the per-entry limit the caller set ([`Archive::with_max_entry`]).
    EntryTooLarge {
        /// The entry.
        entry: String,
        /// The limit.
        limit: u64,
    },
    /// An entry cannot be inflated (bad compression, unsupported method, truncated): the zip
    /// library's words.
    Corrupt {
        /// The entry.
        entry: String,
        /// The library's words.
        detail: String,
    },
}

impl ZipError {
    /// Whether this is a bound of [`Limits`] (entry count, ratio, total or entry size) rather
    /// than a damaged or encrypted container.
    pub fn is_limit(&self) -> bool {
        matches!(
            self,
            ZipError::TooManyEntries { .. }
                | ZipError::Ratio { .. }
                | ZipError::Total { .. }
                | ZipError::EntryTooLarge { .. }
        )
    }
}

impl Localized for ZipError {
    fn words(&self) -> (Msg, Option<String>) {
        match self {
            ZipError::Open(d) => (
                Msg::new("不是可读取的 zip 压缩包", "not a readable zip container"),
                Some(d.clone()),
            ),
            ZipError::TooManyEntries { count, limit } => (
                Msg::new(
                    format!("压缩包条目过多：{count} 个，上限 {limit} 个"),
                    format!("too many zip entries: {count} (limit {limit})"),
                ),
                None,
            ),
            ZipError::Encrypted { entry } => (
                Msg::new(
                    format!("压缩包条目 {entry} 已加密"),
                    format!("zip entry {entry} is encrypted"),
                ),
                None,
            ),
            ZipError::Ratio { entry, limit } => (
                Msg::new(
                    format!("压缩包条目 {entry} 的压缩比超过 {limit}，疑似压缩炸弹"),
                    format!(
                        "zip entry {entry} inflates more than {limit} times its size: a suspected zip bomb"
                    ),
                ),
                None,
            ),
            ZipError::Total { entry, limit } => (
                Msg::new(
                    format!("解压到 {entry} 时总量超过 {limit} 字节，疑似压缩炸弹"),
                    format!(
                        "the zip inflates to more than {limit} bytes (at {entry}): a suspected zip bomb"
                    ),
                ),
                None,
            ),
            ZipError::EntryTooLarge { entry, limit } => (
                Msg::new(
                    format!("压缩包条目 {entry} 解压后超过 {limit} 字节"),
                    format!("zip entry {entry} inflates to more than {limit} bytes"),
                ),
                None,
            ),
            ZipError::Corrupt { entry, detail } => (
                Msg::new(
                    format!("压缩包条目 {entry} 无法解压"),
                    format!("zip entry {entry} cannot be inflated"),
                ),
                Some(detail.clone()),
            ),
        }
    }
}

/// One entry of an archive, inflated ([`Archive::entry`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name as stored (bytes: UTF-8, or a legacy code page such as GB 18030).
    pub name_raw: Vec<u8>,
    /// The name as the zip library decodes it.
    pub name: String,
    /// Whether the entry is a directory (then `data` is empty: nothing was inflated).
    pub is_dir: bool,
    /// The inflated bytes.
    pub data: Vec<u8>,
}

/// A zip container opened under [`Limits`], with the running total of bytes inflated.
pub struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: &'a Limits,
    max_entry: u64,
    inflated: u64,
}

impl std::fmt::Debug for Archive<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("entries", &self.zip.len())
            .field("max_entry", &self.max_entry)
            .field("inflated", &self.inflated)
            .finish()
    }
}

impl<'a> Archive<'a> {
    /// Opens `bytes` as a zip container: its central directory is read and the entry count
    /// checked; nothing is inflated yet.
    ///
    /// # Errors
    /// [`ZipError::Open`] when `bytes` are not a zip container, [`ZipError::TooManyEntries`].
    pub fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Self, ZipError> {
        let zip =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ZipError::Open(e.to_string()))?;
        if zip.len() > limits.max_zip_entries {
            return Err(ZipError::TooManyEntries {
                count: zip.len(),
                limit: limits.max_zip_entries,
            });
        }
        Ok(Archive { zip, limits, max_entry: u64::MAX, inflated: 0 })
    }

    /// The same archive with no entry inflating beyond `max_entry` bytes (an uploaded archive's
    /// entries are uploads: at most [`Limits::max_input_bytes`] each).
    #[must_use]
    pub fn with_max_entry(mut self, max_entry: u64) -> Self {
        self.max_entry = max_entry;
        self
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.zip.len()
    }

    /// Whether the archive has no entry.
    pub fn is_empty(&self) -> bool {
        self.zip.len() == 0
    }

    /// Whether an entry is named `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Bytes inflated so far (all entries read).
    pub fn inflated(&self) -> u64 {
        self.inflated
    }

    /// The stored name of entry `index` (bytes) and whether it is a directory, without inflating
    /// anything.
    ///
    /// # Errors
    /// [`ZipError::Corrupt`] when the entry's header is unreadable (or `index` is out of range).
    pub fn peek(&mut self, index: usize) -> Result<(Vec<u8>, bool), ZipError> {
        let file = self.zip.by_index_raw(index).map_err(|e| ZipError::Corrupt {
            entry: format!("#{}", index.saturating_add(1)),
            detail: e.to_string(),
        })?;
        Ok((file.name_raw().to_vec(), file.is_dir()))
    }

    /// Inflates entry `name` under the limits; `None` when there is no such entry.
    ///
    /// # Errors
    /// A bound exceeded, an encrypted or damaged entry.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ZipError> {
        match self.zip.index_for_name(name) {
            Some(i) => self.entry(i).map(|e| Some(e.data)),
            None => Ok(None),
        }
    }

    /// Inflates entry number `index` under the limits (a directory is not inflated).
    ///
    /// # Errors
    /// A bound exceeded, an encrypted or damaged entry (also when `index` is out of range).
    pub fn entry(&mut self, index: usize) -> Result<Entry, ZipError> {
        let mut data = Vec::new();
        let (name_raw, name, is_dir) = self.inflate(index, Some(&mut data))?;
        Ok(Entry { name_raw, name, is_dir, data })
    }

    /// Inflates every entry under the limits, keeping nothing: for readers that hand the zip to
    /// another library afterwards, which then cannot be made to inflate more than these bounds.
    ///
    /// # Errors
    /// The first entry that exceeds a bound, is encrypted or damaged.
    pub fn check_all(&mut self) -> Result<(), ZipError> {
        for i in 0..self.zip.len() {
            self.inflate(i, None)?;
        }
        Ok(())
    }

    /// Inflates entry `index` into `out` (or into nothing), at most its cap.
    fn inflate(
        &mut self,
        index: usize,
        out: Option<&mut Vec<u8>>,
    ) -> Result<(Vec<u8>, String, bool), ZipError> {
        let corrupt = |entry: String, e: &dyn std::fmt::Display| ZipError::Corrupt {
            entry,
            detail: e.to_string(),
        };
        let mut file = match self.zip.by_index(index) {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(msg))
                if msg.to_ascii_lowercase().contains("password") =>
            {
                return Err(ZipError::Encrypted { entry: format!("#{}", index.saturating_add(1)) });
            }
            Err(e) => return Err(corrupt(format!("#{}", index.saturating_add(1)), &e)),
        };
        let name_raw = file.name_raw().to_vec();
        let name = file
            .name()
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_else(|_| String::from_utf8_lossy(&name_raw).into_owned());
        if file.is_dir() {
            return Ok((name_raw, name, true));
        }
        if file.encrypted() {
            return Err(ZipError::Encrypted { entry: name });
        }
        let (cap, bound) = cap(self.limits, self.inflated, self.max_entry, file.compressed_size());
        let refuse = |entry: String| match bound {
            Bound::Ratio => ZipError::Ratio { entry, limit: self.limits.max_zip_ratio },
            Bound::Total => ZipError::Total { entry, limit: self.limits.max_zip_uncompressed },
            Bound::Entry => ZipError::EntryTooLarge { entry, limit: self.max_entry },
        };
        let file_size = file.size();
        if file_size > cap {
            return Err(refuse(name));
        }
        // The declared size may lie: read at most one byte past the cap.
        let mut limited = (&mut file).take(cap.saturating_add(1));
        let got = match out {
            Some(buf) => {
                // Reserve what is declared, never more than the floor up front: the vector grows
                // with what is actually inflated.
                let declared = file_size.min(cap).min(RATIO_FLOOR);
                buf.reserve(usize::try_from(declared).unwrap_or(0));
                limited.read_to_end(buf).map(|n| n as u64)
            }
            None => std::io::copy(&mut limited, &mut std::io::sink()),
        }
        .map_err(|e| corrupt(name.clone(), &e))?;
        if got > cap {
            return Err(refuse(name));
        }
        self.inflated = self.inflated.saturating_add(got);
        Ok((name_raw, name, false))
    }
}

/// The cap of one entry of `compressed` bytes: the per-entry limit, the ratio (above the floor)
/// and what is left of the total after `inflated` bytes, whichever is smallest; and which bound
/// it is.
fn cap(limits: &Limits, inflated: u64, max_entry: u64, compressed: u64) -> (u64, Bound) {
    let remaining = limits.max_zip_uncompressed.saturating_sub(inflated);
    let by_ratio = compressed.max(1).saturating_mul(limits.max_zip_ratio).max(RATIO_FLOOR);
    [(by_ratio, Bound::Ratio), (remaining, Bound::Total), (max_entry, Bound::Entry)]
        .into_iter()
        .min_by_key(|(cap, _)| *cap)
        .unwrap_or((remaining, Bound::Total))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Ratio,
    Total,
    Entry,
}

/// Whether `bytes` start like a zip container (local header or empty archive).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

#[cfg(test)]
mod tests;
