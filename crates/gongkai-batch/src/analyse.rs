//! The files a batch reads: directories expanded into the report files they hold. The per-file
//! pipeline (read → recognise → check) and the counting of findings are `gongkai-pipeline`'s,
//! re-exported here.

use std::path::{Path, PathBuf};

use crate::inputs::Given;
pub use crate::inputs::Inputs;

pub use gongkai_pipeline::{
    Analysis, Counts, analyse_bytes, analyse_doc, analyse_path, checked_line, report_cells,
    report_json,
};

/// Extensions of the files read when a directory is given: every format gongkai reads,
/// including gongkai JSON reports, cell lists and scans or photos (read by OCR).
pub const EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "html", "htm", "shtml", "docx", "doc", "wps", "pdf", "xlsx", "json",
    "tsv", "jpg", "jpeg", "png", "tif", "tiff",
];

/// The files found under the inputs, and the directories that held none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    /// Files given by name, and the files found in each directory (sorted), in input order.
    pub files: Vec<PathBuf>,
    /// Directories given that hold no file of the [`EXTENSIONS`] (at any depth).
    pub empty_dirs: Vec<PathBuf>,
}

/// Expands directories (recursively, sorted) into the report files they contain; files given
/// by name are kept whatever their extension. A directory reached twice (through a symbolic
/// link, or a link loop) is listed once: the walk remembers every directory it entered.
///
/// # Errors
/// When a directory cannot be listed.
pub fn expand(inputs: &[PathBuf]) -> std::io::Result<Expanded> {
    let mut out = Expanded::default();
    for input in inputs {
        let mut found = Vec::new();
        let one = std::slice::from_ref(input);
        for_each_file(one, &mut out.empty_dirs, &mut |_, f| found.push(f.to_path_buf()))?;
        found.sort();
        out.files.extend(found);
    }
    Ok(out)
}

/// The files found under the inputs, kept compactly, and the directories that held none: what
/// the streaming batch ([`crate::run_to`]) reads.
#[derive(Debug, Default)]
pub struct Listed {
    /// The files [`expand`] finds, in the order of their names, each once.
    pub files: Inputs,
    /// Directories given that hold no file of the [`EXTENSIONS`] (at any depth).
    pub empty_dirs: Vec<PathBuf>,
}

/// The files [`expand`] finds, listed straight into [`Inputs`]: ≈ 57 bytes a file at the
/// peak, 25 kept, where [`expand`]'s `Vec<PathBuf>` made compact afterwards needs ≈ 108
/// (`tests/memory.rs`) — at two million files ≈ 115 MB for a moment instead of ≈ 215.
///
/// # Errors
/// When a directory cannot be listed.
pub fn list(inputs: &[PathBuf]) -> std::io::Result<Listed> {
    let mut given = Given::default();
    let mut empty_dirs = Vec::new();
    for_each_file(inputs, &mut empty_dirs, &mut |_, f| given.push(f))?;
    Ok(Listed { files: given.sorted(), empty_dirs })
}

/// Calls `found` with each file [`expand`] finds under `inputs` (in no particular order) and
/// the input it was found under; the directories that held none are added to `empty_dirs`.
pub(crate) fn for_each_file(
    inputs: &[PathBuf],
    empty_dirs: &mut Vec<PathBuf>,
    found: &mut dyn FnMut(&Path, &Path),
) -> std::io::Result<()> {
    for p in inputs {
        if p.is_dir() {
            let mut any = false;
            walk(p, &mut |f| {
                any = true;
                found(p, f);
            })?;
            if !any {
                empty_dirs.push(p.clone());
            }
        } else {
            found(p, p);
        }
    }
    Ok(())
}

/// Calls `found` with each report file under `root` (in the order the directories list them),
/// iteratively, entering each directory at most once.
fn walk(root: &Path, found: &mut dyn FnMut(&Path)) -> std::io::Result<()> {
    let mut visited = Visited::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if !visited.first_time(&dir)? {
            continue;
        }
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            // The entry's type needs no `stat`, except for a link (followed, as `is_dir` does).
            let kind = entry.file_type()?;
            let is_dir = if kind.is_symlink() { path.is_dir() } else { kind.is_dir() };
            if is_dir {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                found(&path);
            }
        }
    }
    Ok(())
}

/// The directories a walk entered: by device and inode on Unix (16 bytes each, where an archive
/// of two million files has hundreds of thousands of directories), by canonical path elsewhere.
#[derive(Default)]
struct Visited {
    #[cfg(unix)]
    seen: std::collections::HashSet<(u64, u64)>,
    #[cfg(not(unix))]
    seen: std::collections::HashSet<PathBuf>,
}

impl Visited {
    /// Whether `dir` was not entered before (and it is now).
    fn first_time(&mut self, dir: &Path) -> std::io::Result<bool> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            let meta = std::fs::metadata(dir)?;
            Ok(self.seen.insert((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            Ok(self.seen.insert(std::fs::canonicalize(dir)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(files: &[PathBuf], dir: &Path) -> Vec<String> {
        files.iter().map(|p| p.strip_prefix(dir).unwrap_or(p).display().to_string()).collect()
    }

    #[test]
    fn expands_directories_sorted_and_keeps_named_files() {
        let dir = tempfile::tempdir().expect("tmp");
        for n in [
            "b.txt",
            "a.pdf",
            "skip.bin",
            "sub/c.html",
            "sub/r.json",
            "sub/cells.TSV",
            "scans/p1.JPG",
            "scans/p2.tiff",
        ] {
            let p = dir.path().join(n);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("dir");
            }
            std::fs::write(p, "x").expect("write");
        }
        std::fs::create_dir_all(dir.path().join("empty")).expect("dir");
        let named = dir.path().join("skip.bin");
        let empty = dir.path().join("empty");
        let found =
            expand(&[dir.path().to_path_buf(), named.clone(), empty.clone()]).expect("expand");
        assert_eq!(
            rel(&found.files, dir.path()),
            [
                "a.pdf",
                "b.txt",
                "scans/p1.JPG",
                "scans/p2.tiff",
                "sub/c.html",
                "sub/cells.TSV",
                "sub/r.json",
                "skip.bin"
            ]
        );
        assert_eq!(found.empty_dirs, std::slice::from_ref(&empty));

        // Listed for the streaming batch: the same files, in the order of their names.
        let inputs = [dir.path().to_path_buf(), named, empty.clone()];
        let listed = list(&inputs).expect("list");
        let names = |files: &Inputs| (0..files.len()).map(|i| files.name(i)).collect::<Vec<_>>();
        assert_eq!(names(&listed.files), names(&Inputs::from(found.files)));
        assert_eq!(listed.files.len(), 8);
        assert_eq!(listed.empty_dirs, [empty]);
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_link_loop_is_walked_once() {
        let dir = tempfile::tempdir().expect("tmp");
        let sub = dir.path().join("sub");
        std::fs::create_dir_all(&sub).expect("dir");
        std::fs::write(sub.join("a.txt"), "x").expect("write");
        // sub/up → the root, and a second link to the same directory.
        std::os::unix::fs::symlink(dir.path(), sub.join("up")).expect("link");
        std::os::unix::fs::symlink(&sub, dir.path().join("again")).expect("link");
        let found = expand(&[dir.path().to_path_buf()]).expect("a loop is no error");
        assert_eq!(found.files.len(), 1, "{:?}", found.files);
        assert!(found.files[0].ends_with("a.txt"));
        let listed = list(&[dir.path().to_path_buf()]).expect("a loop is no error");
        assert_eq!(listed.files.len(), 1);
    }
}
