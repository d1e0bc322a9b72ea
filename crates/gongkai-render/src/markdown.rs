//! Markdown output: the report as text with pipe tables (CommonMark + GFM tables).
//!
//! Pipe tables have one header row and no merged cells, so the template's tables are flattened
//! deterministically: Table 2 becomes one small table per sub-table under its caption line;
//! Table 3 keeps its rows with the leaf column labels and prefixes grouped rows with their group
//! (`（三）不予公开 1.属于国家秘密`); Table 4 joins its three header levels per column
//! (`行政诉讼：未经复议直接起诉：结果维持`). Charts are left out (no images in plain text).

use std::fmt::Write as _;

use gongkai_model::catalogue::{
    T3_BALANCE_NOTE, T3_COLUMNS, T4_COLUMNS, T4_LITIGATION_HEADER, T4_REVIEW_HEADER, t4_block_label,
};
use gongkai_model::{T4Block, TableId};

use crate::doc::{Block, ReportDoc};
use crate::grid::{PrintedTable, Role};
use crate::html::caption;

fn cell(s: &str) -> String {
    let s = s.replace('|', "\\|").replace('\n', " ");
    if s.is_empty() { " ".to_owned() } else { s }
}

fn row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {} |", cell(c));
    }
    out.push('\n');
}

fn rule(out: &mut String, n: usize) {
    out.push('|');
    for i in 0..n {
        out.push_str(if i == 0 { " --- |" } else { " ---: |" });
    }
    out.push('\n');
}

fn t2(out: &mut String, t: &PrintedTable) {
    for band in &t.bands {
        let mut rows = band.rows.iter();
        if let Some(cap) = rows.next().and_then(|r| r.first()) {
            let _ = writeln!(out, "{}\n", cap.text);
        }
        if let Some(h) = rows.next() {
            let heads: Vec<String> = h.iter().map(|c| c.text.clone()).collect();
            row(out, &heads);
            rule(out, heads.len());
        }
        for r in rows {
            let cells: Vec<String> = r.iter().map(|c| c.text.clone()).collect();
            row(out, &cells);
        }
        out.push('\n');
    }
}

fn t3(out: &mut String, t: &PrintedTable) {
    let mut heads = vec![T3_BALANCE_NOTE.to_owned()];
    heads.extend(T3_COLUMNS.iter().map(|c| c.label.to_owned()));
    row(out, &heads);
    rule(out, heads.len());
    let mut group = String::new();
    for r in t.rows() {
        if r.iter().all(|c| c.is_heading()) && r.iter().all(|c| c.role == Role::Header) {
            continue;
        }
        let mut label = String::new();
        let mut values = Vec::new();
        for c in r {
            match c.role {
                Role::Group if c.col == 1 => group = c.text.clone(),
                Role::Group => {}
                Role::Label => {
                    if c.col < 2 {
                        group.clear();
                    }
                    label = if c.col == 2 { format!("{group} {}", c.text) } else { c.text.clone() };
                }
                Role::Value(_) => values.push(c.text.clone()),
                Role::Caption | Role::Header => {}
            }
        }
        let mut cells = vec![label];
        cells.extend(values);
        row(out, &cells);
    }
    out.push('\n');
}

fn t4(out: &mut String, t: &PrintedTable) {
    let mut heads = Vec::new();
    for (i, b) in [T4Block::Review, T4Block::LitigationDirect, T4Block::LitigationAfterReview]
        .into_iter()
        .enumerate()
    {
        for c in T4_COLUMNS {
            heads.push(if i == 0 {
                format!("{T4_REVIEW_HEADER}：{}", c.label)
            } else {
                format!("{T4_LITIGATION_HEADER}：{}：{}", t4_block_label(b), c.label)
            });
        }
    }
    row(out, &heads);
    rule(out, heads.len());
    let values: Vec<String> =
        t.cells().filter(|c| c.key().is_some()).map(|c| c.text.clone()).collect();
    row(out, &values);
    out.push('\n');
}

/// Renders the report as Markdown.
pub fn render(doc: &ReportDoc) -> String {
    let mut out = String::with_capacity(16 * 1024);
    for b in &doc.blocks {
        match b {
            Block::Notice(n) => {
                let _ = writeln!(out, "> **{}**", n.title);
                for l in &n.lines {
                    let _ = writeln!(out, "> - {l}");
                }
                out.push('\n');
            }
            Block::Title(t) => {
                let _ = writeln!(out, "# {t}\n");
            }
            Block::Heading(_, t) => {
                let _ = writeln!(out, "## {t}\n");
            }
            Block::Para(p) => {
                let _ = writeln!(out, "{}\n", p.text());
            }
            Block::Table(t) => {
                let _ = writeln!(out, "**{}**\n", caption(t));
                match t.id {
                    TableId::T2 => t2(&mut out, t),
                    TableId::T3 => t3(&mut out, t),
                    TableId::T4 => t4(&mut out, t),
                }
            }
            Block::Chart(..) => {}
            Block::Signature(lines) => {
                for l in lines {
                    let _ = writeln!(out, "{l}\n");
                }
            }
        }
    }
    out
}
