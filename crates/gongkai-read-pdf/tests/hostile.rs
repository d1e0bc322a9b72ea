//! Hostile and damaged input: the reader never panics, hangs or exhausts memory. Files are built
//! in the test (hand-written PDF objects) so that each trap is explicit.

use gongkai_doc::{Limits, dump};
use gongkai_read_pdf::read;
use proptest::prelude::*;

/// A one-page A4 PDF with the given extra objects (numbered from 5) and page content.
fn pdf(content: &[u8], resources: &str, extra: &[Vec<u8>]) -> Vec<u8> {
    pdf_sized(content, resources, extra, [595, 842])
}

/// [`pdf`] with a page of `size` points.
fn pdf_sized(content: &[u8], resources: &str, extra: &[Vec<u8>], size: [u32; 2]) -> Vec<u8> {
    let [w, h] = size;
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources {resources} /Contents 4 0 R >>").into_bytes(),
        [format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
    ];
    objects.extend(extra.iter().cloned());
    serialize(&objects)
}

/// The file of `objects` (numbered from 1, the first the catalog), with its cross-reference table.
fn serialize(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

const HELVETICA: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

#[test]
fn a_form_xobject_drawing_itself_stops() {
    let form = b"BT /F1 12 Tf 72 700 Td (loop) Tj ET /Fm1 Do".to_vec();
    let extra = vec![
        [format!("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /Fm1 5 0 R >> /Font << /F1 6 0 R >> >> /Length {} >>\nstream\n", form.len()).as_bytes(), &form, b"\nendstream"].concat(),
        HELVETICA.as_bytes().to_vec(),
    ];
    let bytes = pdf(b"/Fm1 Do", "<< /XObject << /Fm1 5 0 R >> >>", &extra);
    let doc = read("self-drawing form", &bytes, &Limits::default()).expect("readable");
    assert_eq!(dump(&doc), "P loop\n");
    assert!(doc.notes.iter().any(|n| n.rule == "READ-PAGE-CONTENT"));
}

#[test]
fn deeply_nested_objects_and_graphics_states() {
    let deep_array = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let mut content = "q ".repeat(100_000).into_bytes();
    content.extend(b"BT /F1 12 Tf 72 700 Td (deep) Tj ET ");
    content.extend(deep_array.as_bytes());
    content.extend(b" Tj ");
    content.extend("Q ".repeat(100_000).as_bytes());
    let bytes = pdf(
        &content,
        "<< /Font << /F1 5 0 R >> /Deep ARRAY >>".replace("ARRAY", &deep_array).as_str(),
        &[HELVETICA.as_bytes().to_vec()],
    );
    // Whatever lopdf makes of the nesting, the read ends with a document or a clear error.
    if let Ok(doc) = read("deep", &bytes, &Limits::default()) {
        let _ = dump(&doc);
    }
}

#[test]
fn a_content_stream_with_millions_of_operators_hits_the_work_limit() {
    let content = "0 0 m ".repeat(1_200_000).into_bytes();
    let bytes = pdf(&content, "<< >>", &[]);
    let doc = read("busy", &bytes, &Limits::default()).expect("readable");
    assert!(doc.notes.iter().any(|n| n.rule == "READ-WORK-LIMIT"));
}

/// Two rails and 200,000 rungs on a page 1,000 km wide (5 MB; a fraction of that compressed):
/// the ruled-table search scanned every crossing to the right of each crossing — 4 × 10¹⁰
/// steps, hours of CPU for one upload (measured with the release build: 5,000 rungs 0.06 s,
/// 20,000 0.67 s, 40,000 2.6 s, 100,000 18 s). Now a grid of more than 4,096 boxes is not a
/// table: the page says so, and its text is read as lines.
#[test]
fn a_ladder_of_200_000_rungs_is_not_searched_for_hours() {
    let rungs = 200_000u32;
    let mut content = format!("1 w 0 100 m {w} 100 l S 0 200 m {w} 200 l S\n", w = 5 * rungs + 10);
    for i in 0..rungs {
        let x = 5 + 5 * i;
        content.push_str(&format!("{x} 90 m {x} 210 l S\n"));
    }
    content.push_str("BT /F1 12 Tf 20 300 Td (ladder) Tj ET");
    let bytes = pdf_sized(
        content.as_bytes(),
        "<< /Font << /F1 5 0 R >> >>",
        &[HELVETICA.as_bytes().to_vec()],
        [5 * rungs + 20, 400],
    );
    let doc = read("ladder", &bytes, &Limits::default()).expect("readable");
    let note = doc.notes.iter().find(|n| n.rule == "READ-WORK-LIMIT").expect("a work-limit note");
    assert!(note.message.zh.contains("未按表格读取"), "{:?}", note.message);
    assert!(dump(&doc).contains("ladder"), "{}", dump(&doc));
}

/// A grid of 64 × 64 boxes (within the table limit) and 900,000 glyphs along its bottom row
/// (at 0.1 % horizontal scaling): each glyph was tested against the 4,000 boxes before its own
/// — 2.4 × 10⁹ tests, 1.7 s for this page (opt-level 1), against 0.19 s with the glyphs in the
/// first row, and up to 20 such pages in a document's work budget. Placing glyphs has a budget;
/// past it, the page's grids are read as lines.
#[test]
fn a_million_glyphs_in_a_large_grid_are_read_as_lines() {
    let n = 64u32;
    let mut content = String::from("1 w\n");
    for i in 0..=n {
        let p = 10 + 8 * i;
        content.push_str(&format!("10 {p} m {e} {p} l S {p} 10 m {p} {e} l S\n", e = 10 + 8 * n));
    }
    content.push_str(&format!("BT /F1 2 Tf 0.1 Tz 11 12 Td ({}) Tj ET", "A".repeat(900_000)));
    let bytes = pdf_sized(
        content.as_bytes(),
        "<< /Font << /F1 5 0 R >> >>",
        &[HELVETICA.as_bytes().to_vec()],
        [600, 600],
    );
    let doc = read("grid", &bytes, &Limits::default()).expect("readable");
    let note = doc.notes.iter().find(|n| n.rule == "READ-WORK-LIMIT").expect("a work-limit note");
    assert!(note.message.zh.contains("未按表格读取"), "{:?}", note.message);
    assert!(dump(&doc).contains("AAAA"), "the text is kept");
}

/// 2,000 lines of two pieces each, every piece at its own place (a 200 KB file): read as one
/// table aligned by its text, a cell per line and column band — 8 million cells, 32 s and 1.2 GB.
/// More cells than a ruled table may have are lines.
#[test]
fn a_staircase_of_pieces_is_not_a_table_of_millions_of_cells() {
    let n = 2_000u32;
    let mut content = String::new();
    for i in 0..n {
        let (y, x) = (10 + 3 * i, 10 + 40 * i);
        content.push_str(&format!(
            "BT /F1 1 Tf {x} {y} Td (AB) Tj ET BT /F1 1 Tf {} {y} Td (CD) Tj ET\n",
            x + 20
        ));
    }
    let bytes = pdf_sized(
        content.as_bytes(),
        "<< /Font << /F1 5 0 R >> >>",
        &[HELVETICA.as_bytes().to_vec()],
        [40 * n + 40, 3 * n + 20],
    );
    let doc = read("staircase", &bytes, &Limits::default()).expect("readable");
    assert!(!doc.blocks.iter().any(|b| matches!(b, gongkai_doc::Block::Grid(_))), "a table");
    assert_eq!(dump(&doc).matches("AB").count(), 2_000);
}

/// A PDF of one page per content, each `size` points, with Helvetica as `/F1` (object 3).
fn pdf_of_pages(contents: &[String], size: [u32; 2]) -> Vec<u8> {
    let [w, h] = size;
    let kids: Vec<String> = (0..contents.len()).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), contents.len())
            .into_bytes(),
        HELVETICA.as_bytes().to_vec(),
    ];
    for (i, c) in contents.iter().enumerate() {
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 5 + 2 * i).into_bytes());
        objects.push(format!("<< /Length {} >>\nstream\n{c}\nendstream", c.len()).into_bytes());
    }
    serialize(&objects)
}

/// 40 pages each holding a ruled grid of 60 × 60 boxes (3,600 cells), every grid continuing the
/// one before: joined into one table, each page's continuation looked at every cell gathered —
/// a table continued over 300 such pages took 53 s (opt-level 1). A continued table gathers at
/// most four pages' worth of cells; the rest goes on as further tables.
#[test]
fn a_grid_continued_over_forty_pages_is_cut_into_tables() {
    let n = 60;
    let mut grid = String::from("1 w\n");
    for i in 0..=n {
        let q = 10 + 8 * i;
        grid.push_str(&format!("10 {q} m {e} {q} l S {q} 10 m {q} {e} l S\n", e = 10 + 8 * n));
    }
    grid.push_str("BT /F1 4 Tf 12 12 Td (1) Tj ET");
    let bytes = pdf_of_pages(&vec![grid; 40], [600, 600]);
    let doc = read("continued", &bytes, &Limits::default()).expect("readable");
    let tables: Vec<usize> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            gongkai_doc::Block::Grid(g) => Some(g.rows.len()),
            _ => None,
        })
        .collect();
    // 16,384 cells gather four pages (14,400 cells): ten tables of 240 rows.
    assert_eq!(tables, vec![240; 10]);
}

#[test]
fn broken_fonts_and_odd_operands() {
    let content = b"BT /F1 12 Tf 1 0 0 1 72 700 Tm <0041> Tj /F2 1e30 Tf (X) Tj /Missing 12 Tf (Y) Tj [(A) /Name 3 (B)] TJ 0 0 0 0 0 0 Tm (Z) Tj ET 10 10 re f 1 2 3 cm";
    let extra = vec![
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Broken /Encoding /Identity-H /DescendantFonts 99 0 R /ToUnicode 6 0 R >>".to_vec(),
        b"<< /Length 20 /Filter /FlateDecode >>\nstream\nnot deflate data...\nendstream".to_vec(),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /X /Widths [1 2 /x] /FirstChar -5 /FontDescriptor << /FontFile2 99 0 R >> >>".to_vec(),
    ];
    let bytes = pdf(content, "<< /Font << /F1 5 0 R /F2 7 0 R >> >>", &extra);
    let doc = read("broken fonts", &bytes, &Limits::default()).expect("readable");
    assert!(doc.notes.iter().any(|n| n.rule == "READ-UNMAPPED-GLYPHS"));
}

#[test]
fn a_page_tree_cycle_is_not_followed_forever() {
    let mut bytes = pdf(b"", "<< >>", &[]);
    let text = String::from_utf8_lossy(&bytes).replace("/Kids [3 0 R]", "/Kids [2 0 R 3 0 R]");
    bytes = text.into_bytes();
    let _ = read("cycle", &bytes, &Limits::default());
}

#[test]
fn a_glyph_name_with_chinese_characters_loses_nothing_of_the_page() {
    // `/uni中中AB` (UTF-8 bytes in the name): 8 bytes after `uni`, so a 4-byte hex slice would
    // cut a character; the page must still be read, with the other glyphs mapped.
    let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Odd /Encoding << /Type /Encoding /Differences [65 /uni\u{4e2d}\u{4e2d}AB /uni653F /u5E9C] >> >>";
    let bytes = pdf(
        b"BT /F1 12 Tf 72 700 Td (ABC) Tj ET",
        "<< /Font << /F1 5 0 R >> >>",
        &[font.as_bytes().to_vec()],
    );
    let doc = read("glyph names", &bytes, &Limits::default()).expect("readable");
    assert!(!doc.notes.iter().any(|n| n.rule == "READ-PAGE-FAILED"), "{:?}", doc.notes);
    assert!(dump(&doc).contains("政府"), "{}", dump(&doc));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Random damage to a real fixture never panics.
    #[test]
    fn damaged_fixture_never_panics(cuts in proptest::collection::vec((0usize..1648, any::<u8>()), 1..20), len in 0usize..1648) {
        let mut bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gbk_simsun.pdf")).expect("fixture");
        for (at, b) in cuts {
            if at < bytes.len() {
                bytes[at] = b;
            }
        }
        bytes.truncate(len.max(16));
        if let Ok(doc) = read("fuzz", &bytes, &Limits::default()) {
            let _ = dump(&doc);
        }
    }

    /// Arbitrary bytes after a PDF header never panic.
    #[test]
    fn garbage_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.extend(tail);
        let _ = read("garbage", &bytes, &Limits::default());
    }
}
