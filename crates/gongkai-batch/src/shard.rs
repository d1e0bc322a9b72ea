//! Shards: `gongkai batch --shard K/N` reads the inputs whose shard is K of N, so that N
//! machines can share an archive.
//!
//! A file's shard is the 64-bit FNV-1a hash of its path **relative to the input it was found
//! under** (`/`-separated; for a file named directly, the path as given), modulo N. It does not
//! depend on the order of the inputs, on the other files, or on where the archive is mounted:
//! `gongkai batch /data/archive --shard 2/8` and `gongkai batch archive --shard 2/8` pick the
//! same files. Every file is in exactly one shard.

use std::path::{Path, PathBuf};

/// Shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = gongkai_model::Msg;

    /// `K/N` with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            gongkai_model::Msg::new(
                format!("分片应写作 K/N（1 ≤ K ≤ N），而不是 {s}"),
                format!("a shard is K/N (1 ≤ K ≤ N), not {s}"),
            )
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            k.trim().parse::<u32>().map_err(|_| bad())?,
            n.trim().parse::<u32>().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// 64-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The shard key of `file` found under `input`: its relative path, `/`-separated.
pub fn key(input: &Path, file: &Path) -> String {
    // A file named directly is its own input: its key is the path as given.
    let rel = file.strip_prefix(input).ok().filter(|r| !r.as_os_str().is_empty()).unwrap_or(file);
    let parts: Vec<String> =
        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

impl Shard {
    /// Whether the file with shard key `key` is in this shard.
    pub fn holds(self, key: &str) -> bool {
        fnv1a(key.as_bytes()) % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// The files of `inputs` (expanded as [`crate::expand`] does) in this shard, and the
    /// directories that held no report file.
    ///
    /// # Errors
    /// When a directory cannot be listed.
    pub fn expand(self, inputs: &[PathBuf]) -> std::io::Result<crate::Expanded> {
        Ok(self.expand_archive(inputs)?.0)
    }

    /// [`Shard::expand`], and the [`Archive`] of all the files.
    ///
    /// # Errors
    /// When a directory cannot be listed.
    pub fn expand_archive(self, inputs: &[PathBuf]) -> std::io::Result<(crate::Expanded, Archive)> {
        let mut out = crate::Expanded::default();
        let mut all = Vec::new();
        for input in inputs {
            let found = crate::expand(std::slice::from_ref(input))?;
            out.empty_dirs.extend(found.empty_dirs);
            out.files.extend(found.files.iter().filter(|f| self.holds(&key(input, f))).cloned());
            all.extend(found.files);
        }
        Ok((out, Archive::of(&all)))
    }
}

/// The whole input of a sharded batch, as every shard sees it: how many files (after
/// duplicates are dropped) and a fingerprint of their names, so that [`crate::merge()`] can tell
/// shards of one archive from shards of different ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Archive {
    /// Files in all the shards together.
    pub files: u64,
    /// FNV-1a (64 bits, hexadecimal) of the names, sorted, each followed by a line feed.
    pub fingerprint: String,
}

impl Archive {
    /// The archive of `files` (the inputs expanded, before the shard picks its part).
    pub fn of(files: &[PathBuf]) -> Self {
        let names = crate::runner::ordered(files);
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for (name, _) in &names {
            for &b in name.as_bytes().iter().chain(b"\n") {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        Archive { files: names.len() as u64, fingerprint: format!("{h:016x}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let keys: Vec<String> = (0..1000).map(|i| format!("g{}/a{i}/2023.txt", i % 7)).collect();
        let shards: Vec<Shard> = (1..=4).map(|index| Shard { index, count: 4 }).collect();
        for k in &keys {
            assert_eq!(shards.iter().filter(|s| s.holds(k)).count(), 1, "{k}");
        }
        // Every shard gets a fair share.
        for s in &shards {
            let n = keys.iter().filter(|k| s.holds(k)).count();
            assert!((150..350).contains(&n), "{s:?}: {n}");
        }
        assert_eq!(key(Path::new("/data/archive"), Path::new("/data/archive/a/b.txt")), "a/b.txt");
        assert_eq!(key(Path::new("x.txt"), Path::new("x.txt")), "x.txt");
    }
}
