//! The files of a streaming batch, in path order, kept compactly while they are read.
//!
//! A list of two million `PathBuf`s and their names as `String`s is ≈ 150 bytes per file; the
//! streaming batch keeps the names in [`Names`] (≈ 24 bytes per file, see `tests/memory.rs`)
//! and opens each file by its name. A path that is not valid Unicode (its name, the path as
//! displayed, is not the path) is kept aside as given.
//!
//! [`crate::analyse::list`] lists directories straight into an [`Inputs`] (through
//! [`Given`]), so that no list of `PathBuf`s of the whole archive exists even for a moment.

use std::path::{Path, PathBuf};

use crate::names::Names;

/// The inputs of a streaming batch ([`crate::run_to`]), sorted by name, each name once.
/// Made by [`crate::analyse::list`], or from a list of paths (`From<Vec<PathBuf>>`).
#[derive(Debug, Default)]
pub struct Inputs {
    names: Names,
    /// The files whose name is not their path, by index in `names` (sorted).
    odd: Vec<(u32, PathBuf)>,
}

/// Files as they are found, in any order, kept compactly; [`Given::sorted`] makes them the
/// [`Inputs`] of a batch.
#[derive(Debug, Default)]
pub(crate) struct Given {
    names: Names,
    /// The files whose name is not their path, by index in `names` (sorted).
    odd: Vec<(u32, PathBuf)>,
}

impl Given {
    /// Adds the next file.
    pub(crate) fn push(&mut self, path: &Path) {
        let name = path.display().to_string();
        if path.to_str() != Some(name.as_str()) {
            self.odd.push((index(self.names.len()), path.to_path_buf()));
        }
        self.names.push(&name);
    }

    /// The files in the order of their names (as the in-memory batch orders them: by the path
    /// as displayed, byte for byte; of files with one name, the first given is kept).
    pub(crate) fn sorted(self) -> Inputs {
        let Given { names: mut given, odd: mut odd_given } = self;
        // What the listing reserved beyond the names would be held through the sort.
        given.shrink_to_fit();
        // A stable sort: of equal names the first given comes first, and is the one kept.
        let mut order: Vec<u32> = (0..given.len()).map(index).collect();
        order.sort_by(|&a, &b| given.get(a as usize).cmp_text(&given.get(b as usize)));
        order.dedup_by(|a, b| given.get(*a as usize) == given.get(*b as usize));
        let mut names = Names::with_capacity_of(&given);
        let mut odd = Vec::new();
        for (k, &i) in order.iter().enumerate() {
            names.push(&given.get(i as usize).text());
            if let Ok(j) = odd_given.binary_search_by_key(&i, |(x, _)| *x) {
                odd.push((index(k), std::mem::take(&mut odd_given[j].1)));
            }
        }
        names.shrink_to_fit();
        Inputs { names, odd }
    }
}

impl From<Vec<PathBuf>> for Inputs {
    /// `files` in the order of their names ([`Given::sorted`]); the paths are freed as they are
    /// copied.
    fn from(files: Vec<PathBuf>) -> Inputs {
        let mut given = Given { names: Names::with_capacity(files.len()), odd: Vec::new() };
        for path in files {
            given.push(&path);
        }
        given.sorted()
    }
}

impl Inputs {
    /// How many files.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The names, in order.
    pub(crate) fn names(&self) -> &Names {
        &self.names
    }

    /// The name of file `i` (its path as written in the outputs).
    pub(crate) fn name(&self, i: usize) -> String {
        self.names.get(i).text()
    }

    /// The path of file `i`, to open it.
    pub(crate) fn path(&self, i: usize) -> PathBuf {
        match self.odd.binary_search_by_key(&index(i), |(x, _)| *x) {
            Ok(j) => self.odd[j].1.clone(),
            Err(_) => PathBuf::from(self.name(i)),
        }
    }
}

/// A file index as kept here (a batch of more than four billion files is not a batch).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_by_name_without_repeats_as_the_in_memory_batch() {
        let given: Vec<PathBuf> =
            ["b/2.txt", "a/z.txt", "b/1.txt", "a/z.txt", "a/y/1.txt", "c.doc"]
                .into_iter()
                .map(PathBuf::from)
                .collect();
        let expected: Vec<String> =
            crate::runner::ordered(&given).into_iter().map(|(name, _)| name).collect();
        let inputs = Inputs::from(given);
        let names: Vec<String> = (0..inputs.len()).map(|i| inputs.name(i)).collect();
        assert_eq!(names, expected);
        assert_eq!(names, ["a/y/1.txt", "a/z.txt", "b/1.txt", "b/2.txt", "c.doc"]);
        assert_eq!(inputs.path(2), PathBuf::from("b/1.txt"));
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_unicode_is_opened_as_given() {
        use std::os::unix::ffi::OsStrExt as _;
        let odd = PathBuf::from(std::ffi::OsStr::from_bytes(b"dir/\xff\xfe.txt"));
        let inputs = Inputs::from(vec![PathBuf::from("dir/b.txt"), odd.clone()]);
        assert_eq!(inputs.len(), 2);
        let at = (0..2).find(|&i| inputs.name(i) != "dir/b.txt").expect("the odd file");
        assert_eq!(inputs.name(at), odd.display().to_string());
        assert_eq!(inputs.path(at), odd);
        assert_eq!(inputs.path(1 - at), PathBuf::from("dir/b.txt"));
    }
}
