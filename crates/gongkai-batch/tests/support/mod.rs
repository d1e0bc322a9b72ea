//! Generated collections for the batch tests and benchmarks: consistent reports from
//! `gongkai_testkit`, chained into series, printed as text or as an HTML page.

#![allow(dead_code, reason = "each test binary uses a part")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gongkai_model::{
    CellKey, Report, Section, SectionId, Spanned, T2Col, T2Row, T3Col, T3Row, Value,
};
use gongkai_testkit::{Cosmetics, Style, arb_report, print};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// `n` consistent reports, the same for every run.
pub fn reports(n: usize) -> Vec<Report> {
    let mut runner = TestRunner::deterministic();
    (0..n)
        .map(|_| match arb_report().new_tree(&mut runner) {
            Ok(tree) => tree.current(),
            Err(e) => panic!("strategy: {e}"),
        })
        .collect()
}

fn set(r: &mut Report, key: CellKey, v: Value) {
    if let Some(t) = r.table_mut(key.table()).as_mut() {
        t.set(key, v);
    }
}

fn int(r: &Report, key: CellKey) -> i64 {
    r.number(key).and_then(|d| i64::try_from(d).ok()).unwrap_or(0)
}

/// The next year's report of the same agency, chained to `prev`: every column's 上年结转 is
/// `prev`'s 结转下年度 and Table 2's stock follows on, so no rule (single or cross-year) fires.
/// The agency is printed as `agency`; the overview prose states no numbers.
pub fn next_year(prev: &Report, agency: &str) -> Report {
    let mut r = prev.clone();
    let year = prev.meta.year.as_ref().map_or(2022, |y| y.value) + 1;
    r.meta.year = Some(Spanned::bare(year));
    r.meta.agency = Some(Spanned::bare(agency.to_owned()));
    r.meta.title = Some(Spanned::bare(format!("{agency}{year}年政府信息公开工作年度报告")));
    for &c in T3Col::ALL {
        let fwd = int(prev, CellKey::t3(T3Row::CarriedForward, c));
        let processed = int(prev, CellKey::t3(T3Row::TotalProcessed, c));
        // new + over = processed + forward, with over = last year's forward.
        set(&mut r, CellKey::t3(T3Row::CarriedOver, c), Value::int(fwd));
        set(&mut r, CellKey::t3(T3Row::NewReceived, c), Value::int(processed));
    }
    for row in [T2Row::Regulations, T2Row::NormativeDocuments] {
        let k = |c| CellKey::t2(row, c);
        if prev.number(k(T2Col::InForce)).is_some() {
            set(&mut r, k(T2Col::Issued), Value::int(0));
            set(&mut r, k(T2Col::Repealed), Value::int(0));
        }
    }
    r.sections = SectionId::ALL
        .into_iter()
        .map(|id| {
            let text = match id {
                SectionId::Overview => "本机关认真贯彻《条例》，做好政府信息公开工作。",
                SectionId::Problems => {
                    "（一）存在问题：政策解读形式较为单一。\n（二）改进措施：丰富解读形式。"
                }
                SectionId::Other => "本年度未收取信息处理费。",
                _ => "",
            };
            Section::new(id, text)
        })
        .collect();
    r
}

/// Breaks the chain at column `c`: one more application carried over (and carried forward, so
/// the report itself stays consistent). X-CARRY must fire on `t3.carried_over.<c>` and
/// `t3.carried_over.total`, nothing else.
pub fn break_chain(r: &mut Report, c: T3Col) {
    for row in [T3Row::CarriedOver, T3Row::CarriedForward] {
        for col in [c, T3Col::Total] {
            let k = CellKey::t3(row, col);
            let v = int(r, k) + 1;
            set(r, k, Value::int(v));
        }
    }
}

/// The report as a Markdown text file.
pub fn text(r: &Report) -> String {
    print(r, Style::Markdown, Cosmetics::default())
}

/// The report as an HTML page: Markdown tables become `<table>`s, other lines paragraphs.
pub fn html(r: &Report) -> String {
    let md = text(r);
    let mut out = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>年度报告</title></head><body>\n",
    );
    let mut in_table = false;
    for line in md.lines() {
        let line = line.trim();
        if line.starts_with('|') {
            if line.starts_with("|---") {
                continue;
            }
            if !in_table {
                out.push_str("<table>\n");
                in_table = true;
            }
            out.push_str("<tr>");
            for cell in line.trim_matches('|').split('|') {
                let _ = write!(out, "<td>{}</td>", escape(cell.trim()));
            }
            out.push_str("</tr>\n");
            continue;
        }
        if in_table {
            out.push_str("</table>\n");
            in_table = false;
        }
        if !line.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(line.trim_start_matches('#').trim()));
        }
    }
    if in_table {
        out.push_str("</table>\n");
    }
    out.push_str("</body></html>\n");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Writes `n` generated reports into `dir`, alternately as `.txt` and `.html`.
pub fn write_corpus(dir: &Path, n: usize) -> Vec<PathBuf> {
    reports(n)
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (name, body) = if i % 2 == 0 {
                (format!("r{i:04}.txt"), text(r))
            } else {
                (format!("r{i:04}.html"), html(r))
            };
            let path = dir.join(name);
            if let Err(e) = std::fs::write(&path, body) {
                panic!("{}: {e}", path.display());
            }
            path
        })
        .collect()
}

pub fn dev_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw")
}

pub fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixture set, under `root`.
pub fn fixture_set(root: &Path) {
    for entry in std::fs::read_dir(dev_dir()).unwrap_or_else(|e| panic!("{e}")) {
        let from = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let to = root.join("dev").join(from.file_name().unwrap_or_default());
        write(&to, &read(&from));
    }
    std::fs::create_dir_all(root.join("gen")).unwrap_or_else(|e| panic!("{e}"));
    write_corpus(&root.join("gen"), 40);
    let base = reports(1).remove(0);
    let y1 = next_year(&base, "江苏省某某县人民政府");
    let y2 = next_year(&y1, "某某县政府");
    let mut y3 = next_year(&y2, "某某县人民政府");
    break_chain(&mut y3, T3Col::Commercial);
    write(&root.join("series/a-1.txt"), text(&y1).as_bytes());
    write(&root.join("series/a-2.html"), html(&y2).as_bytes());
    write(&root.join("series/a-2-copy.txt"), text(&y2).as_bytes());
    write(&root.join("series/a-3.txt"), text(&y3).as_bytes());
    write(&root.join("bad/empty.txt"), b"");
    let junk: Vec<u8> = (0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    write(&root.join("bad/junk.txt"), &junk);
    write(&root.join("bad/corrupt.pdf"), b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n");
    write(&root.join("bad/corrupt.docx"), b"PK\x03\x04word/document.xml\x00\x00garbage");
    write(&root.join("bad/not-a-report.txt"), "会议通知\n请各单位准时参加。\n".as_bytes());
}

pub fn files(root: &Path) -> Vec<PathBuf> {
    gongkai_batch::expand(&[root.to_path_buf()]).unwrap_or_else(|e| panic!("{e}")).files
}
