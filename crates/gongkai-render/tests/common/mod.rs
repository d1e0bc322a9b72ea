//! Shared helpers of gongkai-render's integration tests: fixtures, the renderer, structural
//! dumps of DOCX and XLSX, hashed references, and the grid-level read-back check.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "tests")]

pub mod random;

use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongkai_doc::{Block, Document};
use gongkai_model::Report;
use gongkai_model::json::ReportJson;
use gongkai_render::grid::PrintedTable;
use gongkai_render::{FontSet, Renderer, ReportDoc};

/// The crate's directory.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample report from `tests/data`.
pub fn sample(name: &str) -> Report {
    let text = std::fs::read_to_string(crate_dir().join("tests/data").join(name)).unwrap();
    ReportJson::parse(&text).and_then(ReportJson::into_report).unwrap()
}

/// The development corpus's expected cell lists as reports, by file name.
pub fn corpus() -> Vec<(String, Report)> {
    let dir = crate_dir().join("../../fixtures/corpus/dev/expected");
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let list = gongkai_model::tsv::parse_tsv(&text).unwrap();
            let r = gongkai_render::cells::report_from_cells(&list).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), r)
        })
        .collect()
}

/// The font files the tests use: exactly those of the Debian packages `fonts-noto-cjk` and
/// `fonts-arphic-ukai` (scripts/install-deps), whatever else the machine has, so that the hashed
/// references are the same everywhere.
pub const TEST_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
];

/// One renderer with the test fonts, shared by all tests of a binary.
pub fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| {
        let paths: Vec<PathBuf> = TEST_FONTS.iter().map(PathBuf::from).collect();
        let fonts = FontSet::from_paths(&paths);
        assert_eq!(
            fonts.files.len(),
            TEST_FONTS.len(),
            "install fonts-noto-cjk and fonts-arphic-ukai (scripts/install-deps)"
        );
        Renderer::new(fonts)
    })
}

/// Writes live output to `target/render-store/` for people to look at.
pub fn store(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../../target"))
        .join("render-store");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A stable 128-bit hash (SipHash-1-3 with fixed keys), hex.
pub fn hash(bytes: &[u8]) -> String {
    let mut h = siphasher::sip128::SipHasher13::new_with_keys(0x676f_6e67, 0x6b61_6931);
    h.write(bytes);
    format!("{:032x}", siphasher::sip128::Hasher128::finish128(&h).as_u128())
}

/// Compares `bytes` with the committed hash `tests/refs/NAME.hash` (typst-style hashed
/// references); `GONGKAI_UPDATE_REFS=1` rewrites the reference. The live output is stored.
pub fn check_ref(name: &str, bytes: &[u8]) {
    let live = store(name, bytes);
    let path = crate_dir().join("tests/refs").join(format!("{name}.hash"));
    let got = hash(bytes);
    if std::env::var_os("GONGKAI_UPDATE_REFS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{got}\n")).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        want.trim(),
        got,
        "{name} changed: look at {} and, if it is right, rerun with GONGKAI_UPDATE_REFS=1",
        live.display()
    );
}

/// The members of a zip file, by name.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.push((f.name().unwrap_or_default().into_owned(), data));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A structural dump of a DOCX body: paragraphs with their faces and sizes, tables with their
/// grid, spans and merges. Not bytes: ids and packaging do not show.
pub fn docx_dump(bytes: &[u8]) -> String {
    use quick_xml::events::Event;
    let files = unzip(bytes);
    let xml = files
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .unwrap();
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut depth_tbl = 0;
    let mut text = String::new();
    let mut props: Vec<String> = Vec::new();
    let mut cell_props: Vec<String> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut in_t = false;
    let mut pic = false;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if true => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let attr = |k: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == k.as_bytes())
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                match name.as_str() {
                    "w:tbl" => {
                        depth_tbl += 1;
                        let _ = writeln!(out, "TABLE");
                    }
                    "w:gridCol" => {
                        let _ = writeln!(out, "  grid {}", attr("w:w").unwrap_or_default());
                    }
                    "w:tr" => row.clear(),
                    "w:tc" => cell_props.clear(),
                    "w:gridSpan" => {
                        cell_props.push(format!("span{}", attr("w:val").unwrap_or_default()))
                    }
                    "w:vMerge" => cell_props.push(format!(
                        "vmerge:{}",
                        attr("w:val").unwrap_or_else(|| "continue".into())
                    )),
                    "w:shd" if depth_tbl > 0 => {
                        cell_props.push(format!("fill:{}", attr("w:fill").unwrap_or_default()))
                    }
                    "w:p" => {
                        text.clear();
                        props.clear();
                        pic = false;
                    }
                    "w:rFonts" => {
                        if let Some(f) = attr("w:eastAsia")
                            && !props.contains(&f)
                        {
                            props.push(f);
                        }
                    }
                    "w:sz" => {
                        let s = format!("sz{}", attr("w:val").unwrap_or_default());
                        if !props.contains(&s) {
                            props.push(s);
                        }
                    }
                    "w:jc" if depth_tbl == 0 => {
                        props.push(format!("jc:{}", attr("w:val").unwrap_or_default()))
                    }
                    "w:drawing" => pic = true,
                    "w:t" => in_t = true,
                    _ => {}
                }
            }
            Event::Text(t) if in_t => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(g) if in_t => {
                let s = match &*g {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    _ => "'",
                };
                text.push_str(s);
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_t = false,
                b"w:p" if depth_tbl == 0 => {
                    if pic {
                        let _ = writeln!(out, "PICTURE");
                    } else if !text.is_empty() {
                        let _ = writeln!(out, "P [{}] {text}", props.join(","));
                    }
                }
                b"w:tc" => {
                    let p = if cell_props.is_empty() {
                        String::new()
                    } else {
                        format!("{{{}}}", cell_props.join(","))
                    };
                    row.push(format!("{p}{text}"));
                    text.clear();
                }
                b"w:tr" => {
                    let _ = writeln!(out, "  | {}", row.join(" | "));
                }
                b"w:tbl" => depth_tbl -= 1,
                _ => {}
            },
            _ => {}
        }
    }
    out
}

/// A structural dump of an XLSX workbook: sheet by sheet, as gongkai reads it back.
pub fn xlsx_document(bytes: &[u8]) -> Document {
    gongkai_read_xlsx::read("report.xlsx", bytes, &gongkai_doc::Limits::default()).unwrap()
}

/// Checks that every printed table of `doc` appears in `read` as a grid with the same merged
/// cells and the same text in every cell (the grid-level read-back, independent of the parser).
pub fn assert_grids_read_back(doc: &ReportDoc, read: &Document) {
    let grids: Vec<&gongkai_doc::Grid> = read
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Grid(g) => Some(g),
            Block::Para(_) => None,
        })
        .collect();
    for t in doc.tables() {
        let want = printed_cells(t);
        let found = grids.iter().any(|g| grid_cells(read, g) == want);
        if !found {
            // Name the first differing cell of the most similar grid, not the whole grids.
            let best = grids
                .iter()
                .map(|g| grid_cells(read, g))
                .max_by_key(|g| g.iter().zip(&want).filter(|(a, b)| a == b).count())
                .unwrap_or_default();
            let none: CellSig = (0, 0, 0, 0, String::new());
            let diff =
                want.iter().zip(best.iter().chain(std::iter::repeat(&none))).find(|(a, b)| a != b);
            panic!("{} not read back identically: first difference (want, read) {diff:?}", t.title);
        }
    }
}

type CellSig = (usize, usize, usize, usize, String);

fn printed_cells(t: &PrintedTable) -> Vec<CellSig> {
    t.cells().map(|c| (c.row, c.col, c.row_span, c.col_span, normal(&c.text))).collect()
}

fn grid_cells(doc: &Document, g: &gongkai_doc::Grid) -> Vec<CellSig> {
    let mut out = Vec::new();
    for (r, row) in g.rows.iter().enumerate() {
        for c in row {
            out.push((
                r,
                c.col as usize,
                c.row_span as usize,
                c.col_span as usize,
                normal(doc.slice(c.span)),
            ));
        }
    }
    out
}

/// Numbers compared by value (a spreadsheet stores `471431.0` as the number 471431).
fn normal(s: &str) -> String {
    match s.parse::<gongkai_model::Decimal>() {
        Ok(d) => d.normalize().to_string(),
        Err(_) => s.to_owned(),
    }
}

/// Whether a command exists on this machine.
pub fn have(cmd: &str) -> bool {
    std::process::Command::new(cmd).arg("-v").output().is_ok()
}

/// The text of a PDF by poppler's `pdftotext -layout`.
pub fn pdftotext(bytes: &[u8], name: &str) -> String {
    let p = store(name, bytes);
    let out =
        std::process::Command::new("pdftotext").arg("-layout").arg(&p).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed (install poppler-utils)");
    String::from_utf8(out.stdout).unwrap()
}

/// The path of a file under the crate.
pub fn path(rel: &str) -> PathBuf {
    crate_dir().join(rel)
}

/// Whether `p` exists.
pub fn exists(p: &Path) -> bool {
    p.exists()
}
