//! The names of a batch's files, kept compactly: a streaming batch keeps every name until its
//! outputs are written, two million of them in one process.
//!
//! A name is split after its last `/` or `\`: the directory is kept once for a run of files in
//! it (inputs are in path order, so the files of one directory mostly follow each other), the
//! rest in one string for all files. Per file that is 8 bytes and the file's own name
//! (`2021.txt`), instead of a `String` (24 bytes, an allocation, the whole path).

use std::fmt;

/// The names of a batch's files, in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// The directories of the runs, one after the other.
    dirs: String,
    /// Runs of files in one directory: the first file and where the directory ends in `dirs`.
    runs: Vec<(usize, usize)>,
    /// The files' own names, one after the other.
    tails: String,
    /// Where each file's own name ends in `tails`.
    ends: Vec<u64>,
}

/// One name of [`Names`]: its directory (with the separator) and the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name<'a> {
    /// The directory, with its trailing separator; empty for a bare name.
    pub dir: &'a str,
    /// What follows.
    pub file: &'a str,
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dir)?;
        f.write_str(self.file)
    }
}

impl Name<'_> {
    /// Compares two names as their whole texts compare (byte by byte, as `str` does).
    pub fn cmp_text(&self, other: &Name<'_>) -> std::cmp::Ordering {
        let mine = self.dir.bytes().chain(self.file.bytes());
        mine.cmp(other.dir.bytes().chain(other.file.bytes()))
    }

    /// The whole name.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.dir.len() + self.file.len());
        s.push_str(self.dir);
        s.push_str(self.file);
        s
    }
}

impl Names {
    /// Room for `n` names.
    pub fn with_capacity(n: usize) -> Self {
        Names { ends: Vec::with_capacity(n), ..Names::default() }
    }

    /// Room for the names of `other` in another order (their runs of one directory may differ).
    pub fn with_capacity_of(other: &Names) -> Self {
        Names {
            dirs: String::with_capacity(other.dirs.len()),
            runs: Vec::with_capacity(other.runs.len()),
            tails: String::with_capacity(other.tails.len()),
            ends: Vec::with_capacity(other.ends.len()),
        }
    }

    /// Adds the next name.
    pub fn push(&mut self, name: &str) {
        let cut = name.rfind(['/', '\\']).map_or(0, |i| i + 1);
        let (dir, file) = name.split_at(cut);
        let same_dir = self.runs.last().is_some_and(|&(_, end)| {
            let start = self.runs.len().checked_sub(2).map_or(0, |r| self.runs[r].1);
            &self.dirs[start..end] == dir
        });
        if !same_dir {
            self.dirs.push_str(dir);
            self.runs.push((self.ends.len(), self.dirs.len()));
        }
        self.tails.push_str(file);
        self.ends.push(self.tails.len() as u64);
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Name `i`.
    ///
    /// # Panics
    /// When `i` is out of range, as a slice index.
    pub fn get(&self, i: usize) -> Name<'_> {
        let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let end = to_usize(self.ends[i]);
        let start = i.checked_sub(1).map_or(0, |p| to_usize(self.ends[p]));
        let run = self.runs.partition_point(|&(first, _)| first <= i) - 1;
        let dir_start = run.checked_sub(1).map_or(0, |r| self.runs[r].1);
        Name { dir: &self.dirs[dir_start..self.runs[run].1], file: &self.tails[start..end] }
    }

    /// Every name, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Name<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Gives back the room reserved beyond the names held.
    pub fn shrink_to_fit(&mut self) {
        self.dirs.shrink_to_fit();
        self.runs.shrink_to_fit();
        self.tails.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl<'a> FromIterator<&'a str> for Names {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut names = Names::default();
        iter.into_iter().for_each(|n| names.push(n));
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_back_as_given() {
        let given = [
            "archive/g000/a000001/2021.txt",
            "archive/g000/a000001/2022.html",
            "archive/g000/a000001/sub/2023.txt",
            "archive/g000/a000001/z.txt",
            "bare.txt",
            "",
            "C:\\reports\\2021.pdf",
            "dir/",
            "/abs/深圳市/年报.docx",
        ];
        let names: Names = given.iter().copied().collect();
        assert_eq!(names.len(), given.len());
        let back: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        assert_eq!(back, given);
        assert_eq!(names.get(1), Name { dir: "archive/g000/a000001/", file: "2022.html" });
        assert_eq!(names.get(3).text(), "archive/g000/a000001/z.txt");
        // One run per change of directory: the first two share one, `bare.txt` and `` too.
        assert_eq!(names.runs.len(), given.len() - 2);
    }
}
