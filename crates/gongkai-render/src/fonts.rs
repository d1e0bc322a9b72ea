//! The fonts used for PDF and chart images, and the face names written into DOCX and HTML.
//!
//! Chinese official documents (GB/T 9704) set the title in 小标宋, the body in 仿宋_GB2312 at 三号
//! (16 pt), first-level headings in 黑体 and second-level in 楷体_GB2312. Those fonts are not free;
//! DOCX names them (Word and WPS use them where installed) and PDF and images use free faces from
//! Debian packages with a fallback chain:
//!
//! | role | DOCX (eastAsia) | PDF / PNG, first found |
//! |---|---|---|
//! | title | 方正小标宋简体 | Noto Serif CJK SC (bold) |
//! | body | 仿宋_GB2312 | FandolFang (texlive), Noto Serif CJK SC |
//! | heading 1 | 黑体 | Noto Sans CJK SC |
//! | heading 2 | 楷体_GB2312 | FandolKai, AR PL UKai CN, Noto Serif CJK SC |
//! | tables | 宋体 | Noto Serif CJK SC |
//!
//! Fonts are read from directories (Debian's by default, or `GONGKAI_FONT_DIRS`); this module
//! does file I/O and is the only one that does.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// DOCX/HTML names of the official faces.
pub mod names {
    /// 小标宋 (title).
    pub const TITLE: &str = "方正小标宋简体";
    /// 仿宋 (body).
    pub const BODY: &str = "仿宋_GB2312";
    /// 黑体 (first-level headings).
    pub const HEI: &str = "黑体";
    /// 楷体 (second-level headings).
    pub const KAI: &str = "楷体_GB2312";
    /// 宋体 (tables).
    pub const SONG: &str = "宋体";
    /// The Latin face for digits and Latin text.
    pub const LATIN: &str = "Times New Roman";
}

/// Font family fallback chains for PDF and chart images (family names as the fonts declare them).
pub mod families {
    /// Title.
    pub const TITLE: &[&str] = &["Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"];
    /// Body.
    pub const BODY: &[&str] =
        &["FandolFang", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"];
    /// First-level headings.
    pub const HEI: &[&str] = &["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"];
    /// Second-level headings.
    pub const KAI: &[&str] = &["FandolKai", "AR PL UKai CN", "Noto Serif CJK SC"];
    /// Tables.
    pub const SONG: &[&str] = &["Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"];
}

/// The directories searched when `GONGKAI_FONT_DIRS` is not set (Debian's font packages).
pub const DEFAULT_DIRS: &[&str] = &[
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/arphic",
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/fonts/opentype/fandol",
];

/// File name fragments of the font files used (others in the directories are ignored, to keep
/// memory small: Noto's Japanese and Korean files, light weights…).
const WANTED: &[&str] = &[
    "NotoSerifCJK-Regular",
    "NotoSerifCJK-Bold",
    "NotoSansCJK-Regular",
    "NotoSansCJK-Bold",
    "ukai",
    "uming",
    "wqy-zenhei",
    "FandolFang-Regular",
    "FandolKai-Regular",
    "SourceHan",
];

/// One font file.
#[derive(Clone)]
pub struct FontFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its bytes.
    pub data: Arc<Vec<u8>>,
}

impl std::fmt::Debug for FontFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontFile({}, {} bytes)", self.path.display(), self.data.len())
    }
}

/// The font files available to the PDF engine and the chart rasteriser.
#[derive(Clone, Debug, Default)]
pub struct FontSet {
    /// The files, sorted by path (deterministic order, so output does not depend on the file
    /// system's order).
    pub files: Vec<FontFile>,
}

impl FontSet {
    /// An empty set (PDF and chart images then fail with [`crate::RenderError::NoFonts`]).
    pub fn empty() -> Self {
        FontSet::default()
    }

    /// The directories to search: `GONGKAI_FONT_DIRS` (separated by `:`) when set, else
    /// [`DEFAULT_DIRS`].
    pub fn dirs_from_env() -> Vec<PathBuf> {
        match std::env::var_os("GONGKAI_FONT_DIRS") {
            Some(v) if !v.is_empty() => std::env::split_paths(&v).collect(),
            _ => DEFAULT_DIRS.iter().map(PathBuf::from).collect(),
        }
    }

    /// Reads the wanted font files found in `dirs` (one level deep). Unreadable directories are
    /// skipped: a missing font is a fallback, not an error.
    pub fn from_dirs(dirs: &[PathBuf]) -> Self {
        let mut paths = Vec::new();
        for d in dirs {
            collect(d, &mut paths, 2);
        }
        paths.sort();
        paths.dedup();
        let files = paths
            .into_iter()
            .filter_map(|p| {
                std::fs::read(&p).ok().map(|data| FontFile { path: p, data: Arc::new(data) })
            })
            .collect();
        FontSet { files }
    }

    /// Reads exactly the font files `paths` (unreadable ones are skipped). Tests use this to pin
    /// the fonts, so that hashed references do not depend on what else a machine has installed.
    pub fn from_paths(paths: &[PathBuf]) -> Self {
        let mut paths = paths.to_vec();
        paths.sort();
        paths.dedup();
        let files = paths
            .into_iter()
            .filter_map(|p| {
                std::fs::read(&p).ok().map(|data| FontFile { path: p, data: Arc::new(data) })
            })
            .collect();
        FontSet { files }
    }

    /// [`FontSet::from_dirs`] over [`FontSet::dirs_from_env`].
    pub fn discover() -> Self {
        FontSet::from_dirs(&FontSet::dirs_from_env())
    }

    /// Whether no font was found.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if depth > 0 {
                collect(&p, out, depth - 1);
            }
            continue;
        }
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext_ok =
            [".ttf", ".otf", ".ttc", ".otc"].iter().any(|x| name.to_ascii_lowercase().ends_with(x));
        if ext_ok && WANTED.iter().any(|w| name.contains(w)) {
            out.push(p);
        }
    }
}
