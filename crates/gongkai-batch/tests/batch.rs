//! The batch end to end: bad files never abort it, outputs are deterministic, cross-year rules
//! run over series, and what users see is snapshotted.

mod support;

use std::path::{Path, PathBuf};

use gongkai_batch::csv::CsvStyle;
use gongkai_batch::{Batch, Options, Summary, run, write_outputs};
use gongkai_doc::Limits;
use gongkai_model::{Lang, T3Col};

fn dev(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw").join(name)
}

fn copy(from: &Path, to: &Path) {
    if let Err(e) = std::fs::copy(from, to) {
        panic!("{} → {}: {e}", from.display(), to.display());
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn batch(inputs: &[PathBuf], jobs: usize, limits: Limits) -> Batch {
    let files = gongkai_batch::expand(inputs).unwrap_or_else(|e| panic!("{e}")).files;
    run(&files, &Options { jobs: Some(jobs), limits }, &|_| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn column(text: &str, name: &str) -> usize {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// A directory of good reports and every kind of bad file.
fn mixed_corpus(dir: &Path) {
    std::fs::create_dir_all(dir.join("good")).unwrap_or_else(|e| panic!("{e}"));
    for name in ["dazhanglou-2022.txt", "pingtan-2021.txt", "hongze-2024.pdf"] {
        copy(&dev(name), &dir.join("good").join(name));
    }
    write(&dir.join("bad/empty.txt"), b"");
    // Binary junk: a fixed pseudo-random sequence with NULs and control bytes.
    let junk: Vec<u8> = (0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    write(&dir.join("bad/junk.txt"), &junk);
    // A PDF cut off after its header and a zip that is no Word document.
    write(&dir.join("bad/corrupt.pdf"), b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n");
    write(&dir.join("bad/corrupt.docx"), b"PK\x03\x04word/document.xml\x00\x00garbage");
    // Larger than the limit the test sets (64 KiB).
    write(&dir.join("bad/huge.txt"), "一、总体情况\n".repeat(8000).as_bytes());
}

const SMALL: u64 = 64 * 1024;

fn small_limits() -> Limits {
    Limits { max_input_bytes: SMALL, ..Limits::default() }
}

#[test]
fn bad_files_are_recorded_and_the_batch_finishes() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    mixed_corpus(&root);
    // The PDF is larger than the small limit: give it its own, larger, run below.
    let b = batch(
        std::slice::from_ref(&root),
        2,
        Limits { max_input_bytes: 1 << 20, ..Limits::default() },
    );
    let out = tmp.path().join("out");
    let written = write_outputs(&out, &b, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(written.len(), 4);
    for p in &written {
        assert!(std::fs::metadata(p).map(|m| m.len() > 0).unwrap_or(false), "{}", p.display());
    }

    let reports = read(&out.join("reports.csv"));
    let (path, status, kind, reason) = (
        column(&reports, "path"),
        column(&reports, "status"),
        column(&reports, "reason_kind"),
        column(&reports, "reason"),
    );
    let rows = csv_rows(&reports);
    let by_name = |n: &str| {
        rows.iter()
            .find(|r| r[path].ends_with(n))
            .unwrap_or_else(|| panic!("no row for {n}"))
            .clone()
    };
    for (name, expected) in [
        ("empty.txt", "empty"),
        ("junk.txt", "not_text"),
        ("corrupt.pdf", "corrupt"),
        ("corrupt.docx", "corrupt"),
    ] {
        let r = by_name(name);
        assert_eq!((&r[status], &r[kind]), ("unreadable", expected), "{name}: {}", &r[reason]);
        assert!(!r[reason].is_empty(), "{name}");
    }
    for name in ["dazhanglou-2022.txt", "pingtan-2021.txt", "hongze-2024.pdf"] {
        assert_eq!(&by_name(name)[status], "ok", "{name}");
    }
    // One heading repeated 8000 times is read, and is no report.
    let huge = by_name("huge.txt");
    assert_eq!((&huge[status], &huge[kind]), ("not_a_report", "NOT-A-REPORT"));
    assert!(huge[reason].contains("不是政府信息公开工作年度报告"), "{}", &huge[reason]);
    assert_eq!(rows.len(), 8);

    // With the small limit the huge file (and the PDF) are refused before being read.
    let b = batch(std::slice::from_ref(&root), 1, small_limits());
    let s = Summary::of(&b);
    assert_eq!(s.unreadable, 6);
    let too_large =
        s.failures.get(&gongkai_batch::FailureKind::TooLarge).cloned().unwrap_or_default();
    assert_eq!(too_large.len(), 2, "{too_large:?}");
    assert!(too_large.iter().any(|p| p.ends_with("huge.txt")));
    let text = Summary::of(&b).render(&b, Lang::Zh).replace(&root.display().to_string(), "[IN]");
    insta::assert_snapshot!("summary-mixed-zh", text);
    let text = Summary::of(&b).render(&b, Lang::En).replace(&root.display().to_string(), "[IN]");
    insta::assert_snapshot!("summary-mixed-en", text);
}

#[test]
fn outputs_do_not_depend_on_the_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    mixed_corpus(&root);
    support::write_corpus(&root, 24);
    let mut outputs = Vec::new();
    for jobs in [1, 2, 4] {
        let b = batch(std::slice::from_ref(&root), jobs, small_limits());
        let out = tmp.path().join(format!("out-{jobs}"));
        write_outputs(&out, &b, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<Vec<u8>> = gongkai_batch::OUTPUT_FILES
            .iter()
            .map(|n| std::fs::read(out.join(n)).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        outputs.push((files, Summary::of(&b).render(&b, Lang::Zh)));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "outputs differ between thread counts");
    // And the rows are in path order.
    let reports = String::from_utf8_lossy(&outputs[0].0[0]).into_owned();
    let paths: Vec<String> = csv_rows(&reports).iter().map(|r| r[0].to_owned()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn x_carry_fires_on_the_broken_cell_of_a_series() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let base = support::reports(1).remove(0);
    let y1 = support::next_year(&base, "江苏省某某县人民政府");
    let y2 = support::next_year(&y1, "某某县政府");
    let mut y3 = support::next_year(&y2, "某某县人民政府");
    support::break_chain(&mut y3, T3Col::Commercial);
    let names = ["a-first.txt", "b-second.html", "c-third.txt"];
    for (r, name) in [&y1, &y2, &y3].into_iter().zip(names) {
        let body = if name.ends_with("html") { support::html(r) } else { support::text(r) };
        write(&tmp.path().join(name), body.as_bytes());
    }
    let b = batch(&[tmp.path().to_path_buf()], 2, Limits::default());
    // One series of three consecutive years, under the full name.
    assert_eq!(b.plan.series.len(), 1, "{:?}", b.plan.series);
    assert_eq!(b.plan.series[0].key, "江苏省某某县");
    assert_eq!(b.plan.pairs.len(), 2);

    let out = tmp.path().join("out");
    write_outputs(&out, &b, Lang::En).unwrap_or_else(|e| panic!("{e}"));
    let findings = read(&out.join("findings.csv"));
    let cols = ["path", "rule", "severity", "cells", "printed", "implied", "compared_with"]
        .map(|c| column(&findings, c));
    let cross: Vec<Vec<String>> = csv_rows(&findings)
        .iter()
        .filter(|r| !r[cols[6]].is_empty())
        .map(|r| cols.iter().map(|&c| r[c].to_owned()).collect())
        .collect();
    let y2_fwd = |c: T3Col| {
        y2.number(gongkai_model::CellKey::t3(gongkai_model::T3Row::CarriedForward, c))
            .unwrap_or_default()
    };
    let third = tmp.path().join(names[2]).display().to_string();
    let second = tmp.path().join(names[1]).display().to_string();
    let expected: Vec<Vec<String>> = [T3Col::Commercial, T3Col::Total]
        .into_iter()
        .map(|c| {
            vec![
                third.clone(),
                "X-CARRY".to_owned(),
                "error".to_owned(),
                format!("t3.carried_over.{}", c.key()),
                (y2_fwd(c) + gongkai_model::Decimal::ONE).to_string(),
                y2_fwd(c).to_string(),
                second.clone(),
            ]
        })
        .collect();
    assert_eq!(cross, expected);
    // The report's counts include them.
    let reports = read(&out.join("reports.csv"));
    let (p, cy) = (column(&reports, "path"), column(&reports, "cross_year"));
    let counts: Vec<(String, String)> =
        csv_rows(&reports).iter().map(|r| (r[p].to_owned(), r[cy].to_owned())).collect();
    assert_eq!(counts[2], (third, "2".to_owned()));
    assert!(counts[..2].iter().all(|(_, n)| n == "0"));
}

#[test]
fn every_finding_is_counted_once() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    mixed_corpus(&root);
    support::write_corpus(&root, 12);
    let b = batch(&[root], 2, small_limits());
    let out = tmp.path().join("out");
    write_outputs(&out, &b, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));
    let findings = csv_rows(&read(&out.join("findings.csv")));
    let reports = read(&out.join("reports.csv"));
    let cols = ["errors", "warnings", "infos"].map(|c| column(&reports, c));
    let counted: usize = csv_rows(&reports)
        .iter()
        .flat_map(|r| cols.map(|c| r[c].parse::<usize>().unwrap_or(0)))
        .sum();
    assert_eq!(counted, findings.len());
    let s = Summary::of(&b);
    assert_eq!(s.own.total() + s.cross_year.total(), findings.len());
    assert_eq!(s.rules.values().map(|c| c.total()).sum::<usize>(), findings.len());
    // Every cell of every table found is in cells.csv.
    let cells = csv_rows(&read(&out.join("cells.csv")));
    let expected: usize =
        b.records.iter().filter_map(|r| r.read()).map(|r| r.report.cells().count()).sum();
    assert_eq!(cells.len(), expected);
}

#[test]
fn csv_headers() {
    let b = batch(&[dev("dazhanglou-2022.txt")], 1, Limits::default());
    let mut headers = String::new();
    for (name, bytes) in [
        ("reports.csv", {
            let mut v = Vec::new();
            gongkai_batch::csv::write_reports(&mut v, &b).unwrap_or_else(|e| panic!("{e}"));
            v
        }),
        ("findings.csv", {
            let mut v = Vec::new();
            gongkai_batch::csv::write_findings(&mut v, &b, Lang::Zh, CsvStyle::Plain)
                .unwrap_or_else(|e| panic!("{e}"));
            v
        }),
        ("cells.csv", {
            let mut v = Vec::new();
            gongkai_batch::csv::write_cells(&mut v, &b, CsvStyle::Plain)
                .unwrap_or_else(|e| panic!("{e}"));
            v
        }),
    ] {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let header = text.lines().next().unwrap_or_default().replace(',', "\n");
        headers.push_str(&format!("## {name}\n{header}\n"));
    }
    insta::assert_snapshot!(headers);
}

/// For Excel: a UTF-8 BOM, the Chinese labels as the header, the same rows as the plain form.
#[test]
fn csv_for_excel_has_a_bom_and_chinese_labels() {
    let b = batch(&[dev("dazhanglou-2022.txt")], 1, Limits::default());
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (plain, excel) = (tmp.path().join("plain"), tmp.path().join("excel"));
    write_outputs(&plain, &b, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));
    gongkai_batch::write_outputs_as(&excel, &b, Lang::Zh, CsvStyle::Excel)
        .unwrap_or_else(|e| panic!("{e}"));
    for (name, columns) in [
        ("findings.csv", gongkai_batch::csv::FINDING_COLUMNS),
        ("cells.csv", gongkai_batch::csv::CELL_COLUMNS),
    ] {
        let p = read(&plain.join(name));
        let e = read(&excel.join(name));
        let e = e.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("{name}: no BOM"));
        let head: Vec<&str> = e.lines().next().unwrap_or_default().split(',').collect();
        assert_eq!(head.len(), columns.len(), "{name}");
        for (label, key) in head.iter().zip(columns) {
            assert!(label.chars().any(|c| c > '\u{2e80}'), "{name}: `{key}` has no label");
        }
        let body = |t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n");
        assert_eq!(body(&p), body(e), "{name}: the rows differ");
        assert!(!p.starts_with('\u{feff}'), "{name}: a BOM in the plain form");
    }
}

#[test]
fn gongkai_json_reports_are_read_and_invalid_ones_recorded() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let source = gongkai_batch::analyse_path(&dev("dazhanglou-2022.txt"), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let json = gongkai_model::json::ReportJson::from_report(&source.report, &|_| {
        gongkai_model::json::Location::default()
    });
    let text = serde_json::to_string_pretty(&json).unwrap_or_else(|e| panic!("{e}"));
    write(&tmp.path().join("a.json"), text.as_bytes());
    write(
        &tmp.path().join("b.json"),
        text.replace("\"t3.new_received.total\"", "\"t3.nope.total\"").as_bytes(),
    );
    let files = [tmp.path().join("a.json"), tmp.path().join("b.json")];
    let b = run(&files, &Options::default(), &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    let a = &b.records[0];
    assert_eq!(a.format, Some("json"));
    let read = a.read().unwrap_or_else(|| panic!("{:?}", a.failure()));
    let cells =
        |r: &gongkai_model::Report| -> Vec<String> { r.cells().map(|c| c.value.tsv()).collect() };
    assert_eq!(cells(&read.report), cells(&source.report));
    let bad = b.records[1].failure().unwrap_or_else(|| panic!("b.json was read"));
    assert_eq!(bad.kind, gongkai_batch::FailureKind::InvalidJson, "{}", bad.reason);
}
