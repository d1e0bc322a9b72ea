//! The files a batch reads: directories expanded into the report files they hold. The per-file
//! pipeline (read → recognise → check) and the counting of findings are `gongkai-pipeline`'s,
//! re-exported here.

use std::path::{Path, PathBuf};

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
/// link, or a link loop) is listed once: the walk keeps the canonical path of every directory
/// it entered.
///
/// # Errors
/// When a directory cannot be listed.
pub fn expand(inputs: &[PathBuf]) -> std::io::Result<Expanded> {
    let mut out = Expanded::default();
    for p in inputs {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            if found.is_empty() {
                out.empty_dirs.push(p.clone());
            }
            out.files.extend(found);
        } else {
            out.files.push(p.clone());
        }
    }
    Ok(out)
}

/// Lists the report files under `root` into `out`, iteratively, entering each directory (by its
/// canonical path) at most once.
fn walk(root: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut visited = std::collections::HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if !visited.insert(std::fs::canonicalize(&dir)?) {
            continue;
        }
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                out.push(path);
            }
        }
    }
    Ok(())
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
        assert_eq!(found.empty_dirs, [empty]);
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
    }
}
