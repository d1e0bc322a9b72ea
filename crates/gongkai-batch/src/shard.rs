//! Shards: `gongkai batch --shard K/N` reads the inputs whose shard is K of N, so that N
//! machines can share an archive.
//!
//! A file's shard is the 64-bit FNV-1a hash of its path **relative to the input it was found
//! under** (`/`-separated; for a file named directly, the path as given), modulo N. It does not
//! depend on the order of the inputs, on the other files, or on where the archive is mounted:
//! `gongkai batch /data/archive --shard 2/8` and `gongkai batch archive --shard 2/8` pick the
//! same files. Every file is in exactly one shard.

use std::path::{Path, PathBuf};

use crate::inputs::{Given, Inputs};

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

/// 64-bit FNV-1a's starting value.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a of what `hash` covered, then `bytes`.
fn fnv1a_on(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// 64-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_on(FNV_START, bytes)
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

    /// The files of `inputs` (found as [`crate::analyse::list`] finds them) in this shard, the
    /// directories that held no report file, and the [`Archive`] of all the files.
    ///
    /// # Errors
    /// When a directory cannot be listed.
    pub fn list(self, inputs: &[PathBuf]) -> std::io::Result<(crate::analyse::Listed, Archive)> {
        let (mut all, mut mine) = (Given::default(), Given::default());
        let mut empty_dirs = Vec::new();
        crate::analyse::for_each_file(inputs, &mut empty_dirs, &mut |input, file| {
            if self.holds(&key(input, file)) {
                mine.push(file);
            }
            all.push(file);
        })?;
        let archive = Archive::of(&all.sorted());
        Ok((crate::analyse::Listed { files: mine.sorted(), empty_dirs }, archive))
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
    /// The archive of `files` (the inputs listed, before the shard picks its part).
    pub fn of(files: &Inputs) -> Self {
        let mut h = FNV_START;
        for name in files.names().iter() {
            h = fnv1a_on(fnv1a_on(fnv1a_on(h, name.dir.as_bytes()), name.file.as_bytes()), b"\n");
        }
        Archive { files: files.len() as u64, fingerprint: format!("{h:016x}") }
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

    #[test]
    fn every_listed_file_is_in_one_shard_and_every_shard_sees_the_archive() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("archive");
        for i in 0..60 {
            let dir = root.join(format!("a{}", i / 3));
            std::fs::create_dir_all(&dir).expect("dir");
            std::fs::write(dir.join(format!("{}.txt", 2021 + i % 3)), "x").expect("write");
        }
        let named = tmp.path().join("named.bin");
        std::fs::write(&named, "x").expect("write");
        let inputs = [root.clone(), named];
        let all = crate::analyse::list(&inputs).expect("list").files;
        let names = |files: &Inputs| (0..files.len()).map(|i| files.name(i)).collect::<Vec<_>>();
        let mut seen = Vec::new();
        for index in 1..=3 {
            let shard = Shard { index, count: 3 };
            let (listed, archive) = shard.list(&inputs).expect("list");
            assert_eq!(archive, Archive::of(&all));
            assert_eq!(archive.files, 61);
            for name in names(&listed.files) {
                let path = Path::new(&name);
                let input = if path.starts_with(&root) { root.as_path() } else { path };
                assert!(shard.holds(&key(input, path)), "{name} in shard {index}");
                seen.push(name);
            }
        }
        seen.sort();
        assert_eq!(seen, names(&all));
    }
}
