//! Every DOCX fixture read to a document, snapshotted as the block dump, the reader's notes and the
//! core properties; the filled official template reads back to exactly the cells written into it.

use std::path::{Path, PathBuf};

use gongkai_doc::{Block, Limits, dump};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn read(path: &Path) -> gongkai_doc::Document {
    let bytes = std::fs::read(path).expect("fixture exists");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("doc");
    gongkai_read_docx::read(name, &bytes, &Limits::default()).expect("readable")
}

/// The dump, notes and properties of `path`, as one reviewable text.
fn render(path: &Path) -> String {
    let doc = read(path);
    let mut out = dump(&doc);
    out.push_str("--- notes\n");
    for n in &doc.notes {
        out.push_str(&format!("{} [{}] {}\n", n.rule, n.severity.key(), n.message.zh));
    }
    out.push_str("--- properties\n");
    for (k, v) in &doc.properties {
        if !matches!(k.as_str(), "created" | "modified") {
            out.push_str(&format!("{k} = {v}\n"));
        }
    }
    out
}

#[test]
fn blank_official_template() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/corpus/dev/raw/template-2021-blank.docx");
    insta::assert_snapshot!(render(&path));
}

#[test]
fn filled_template() {
    insta::assert_snapshot!(render(&fixture("template-filled.docx")));
}

#[test]
fn filled_template_resaved_by_libreoffice() {
    insta::assert_snapshot!(render(&fixture("template-filled-lo.docx")));
}

#[test]
fn split_runs_fields_tabs_symbols() {
    insta::assert_snapshot!(render(&fixture("split-runs.docx")));
}

#[test]
fn merged_cells_gridspan_vmerge_gridbefore() {
    insta::assert_snapshot!(render(&fixture("merged-cells.docx")));
}

#[test]
fn text_boxes_one_branch() {
    insta::assert_snapshot!(render(&fixture("text-boxes.docx")));
}

#[test]
fn tracked_changes_final_text() {
    insta::assert_snapshot!(render(&fixture("tracked-changes.docx")));
}

/// Both producers' copies of the filled template lay out the same grids.
#[test]
fn producers_agree_on_the_grids() {
    let grids = |doc: &gongkai_doc::Document| -> Vec<String> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Grid(g) => Some(
                    g.rows
                        .iter()
                        .map(|r| {
                            r.iter()
                                .map(|c| {
                                    format!(
                                        "{}:{}x{}:{}",
                                        c.col,
                                        c.row_span,
                                        c.col_span,
                                        doc.slice(c.span)
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join("|")
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                Block::Para(_) => None,
            })
            .collect()
    };
    assert_eq!(
        grids(&read(&fixture("template-filled.docx"))),
        grids(&read(&fixture("template-filled-lo.docx")))
    );
}

#[test]
fn origins_name_table_row_and_cell() {
    let doc = read(&fixture("template-filled.docx"));
    let Some(Block::Grid(t3)) = doc.blocks.iter().filter(|b| matches!(b, Block::Grid(_))).nth(1)
    else {
        panic!("table 3 expected");
    };
    let first_value = t3.rows[3].iter().find(|c| c.col == 3).expect("value cell");
    assert_eq!(doc.slice(first_value.span), "1000");
    assert_eq!(
        doc.origin_at(first_value.span.start).map(|o| o.describe_en()),
        Some("table 2 row 4 cell 2".to_owned())
    );
}
