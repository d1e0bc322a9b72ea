//! `reports.parquet`: the schema (snapshot) and the file read back, row by row, against
//! `reports.csv`.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gongkai_batch::{Options, run, write_outputs};
use gongkai_model::{Decimal, Lang};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

#[test]
fn schema_snapshot() {
    let text = gongkai_batch::parquet::schema_text().unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!(text);
}

/// A field as the text a CSV cell would hold (null → empty).
fn text(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn reads_back_what_reports_csv_says() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw");
    let mut files: Vec<_> = [
        "dazhanglou-2022.txt",
        "pingtan-2021.txt",
        "pingtan-2021.html",
        "hongze-2024.pdf",
        "shuyang-2025-ocr.txt",
    ]
    .iter()
    .map(|n| raw.join(n))
    .collect();
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap_or_else(|e| panic!("{e}"));
    files.push(empty);
    let b = run(&files, &Options::default(), &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    write_outputs(&out, &b, Lang::Zh).unwrap_or_else(|e| panic!("{e}"));

    let file = std::fs::File::open(out.join("reports.parquet")).unwrap_or_else(|e| panic!("{e}"));
    let reader = SerializedFileReader::new(file).unwrap_or_else(|e| panic!("{e}"));
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows(), 6);
    let kv: BTreeMap<String, Option<String>> = meta
        .key_value_metadata()
        .map(|v| v.iter().map(|k| (k.key.clone(), k.value.clone())).collect())
        .unwrap_or_default();
    assert_eq!(kv.get("gongkai.format"), Some(&Some("gongkai-reports".to_owned())));
    assert_eq!(kv.get("gongkai.version"), Some(&Some("1".to_owned())));

    let rows: Vec<BTreeMap<String, Field>> = reader
        .get_row_iter(None)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{e}"))
                .get_column_iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect();

    let csv_text =
        std::fs::read_to_string(out.join("reports.csv")).unwrap_or_else(|e| panic!("{e}"));
    let mut csv_reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = csv_reader.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    let csv_rows: Vec<csv::StringRecord> =
        csv_reader.records().map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect();
    assert_eq!(rows.len(), csv_rows.len());

    let mut numbers = 0;
    for (row, csv_row) in rows.iter().zip(&csv_rows) {
        for (name, csv_value) in headers.iter().zip(csv_row.iter()) {
            if name.starts_with('t') && name.contains('.') {
                // The text column holds the CSV value; null exactly when the CSV cell is empty
                // and the layout lacks the cell.
                let tsv = &row[&format!("{name}:tsv")];
                assert_eq!(text(tsv), csv_value, "{name}");
                // The number column holds the same number, or null for non-numbers.
                match (&row[name], csv_value.parse::<Decimal>()) {
                    (Field::Null, Ok(d)) => panic!("{name}: {d} representable but null"),
                    (Field::Null, Err(_)) => {}
                    (f, Ok(d)) => {
                        numbers += 1;
                        let back: Decimal =
                            text(f).parse().unwrap_or_else(|e| panic!("{name}: {e}"));
                        assert_eq!(back, d, "{name}");
                    }
                    (f, Err(_)) => panic!("{name}: {f} for `{csv_value}`"),
                }
            } else {
                assert_eq!(text(&row[name]), csv_value, "{name}");
            }
        }
    }
    assert!(numbers > 800, "{numbers}");

    // Spot checks: a decimal fee with six places, an undetermined cell, a file not read.
    let by_path = |suffix: &str| {
        rows.iter()
            .find(|r| text(&r["path"]).ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix}"))
    };
    let pingtan = by_path("pingtan-2021.txt");
    assert_eq!(text(&pingtan["t2.fees.amount_wan_yuan"]), "24252.311082");
    assert_eq!(text(&pingtan["t2.normative_documents.issued:tsv"]), "?");
    assert_eq!(pingtan["t2.normative_documents.issued"], Field::Null);
    assert_eq!(text(&pingtan["agency_normalized"]), "平潭综合实验区");
    let hongze = by_path("hongze-2024.pdf");
    assert_eq!(text(&hongze["layout_t3"]), "trial");
    // A trial Table 3 has no （六）1. row: null, not blank.
    assert_eq!(hongze["t3.other_overdue_correction.total:tsv"], Field::Null);
    assert!(matches!(hongze["t3.other_merged.total"], Field::Long(_)));
    assert_eq!(text(&hongze["agency_normalized"]), "淮安市洪泽区");
    let empty = by_path("empty.txt");
    assert_eq!(text(&empty["status"]), "unreadable");
    assert_eq!(text(&empty["reason_kind"]), "empty");
    assert_eq!(empty["errors"], Field::Null);
    assert_eq!(empty["t3.new_received.total:tsv"], Field::Null);
}

fn rows_of(path: &Path) -> Vec<BTreeMap<String, Field>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = SerializedFileReader::new(file).unwrap_or_else(|e| panic!("{e}"));
    reader
        .get_row_iter(None)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{e}"))
                .get_column_iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect()
}

fn part_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            part_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn partitions_hold_every_row_of_reports_csv_once() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    support::fixture_set(&root);
    let out = tmp.path().join("out");
    let files = support::files(&root);
    let csv = gongkai_batch::csv::CsvStyle::Plain;
    gongkai_batch::run_to(files.clone(), &Options::default(), &out, Lang::En, csv, &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    // An earlier run's partition disappears.
    let stale = out.join("reports/year=1999/province=__HIVE_DEFAULT_PARTITION__");
    std::fs::create_dir_all(&stale).unwrap_or_else(|e| panic!("{e}"));
    gongkai_batch::run_to(files.clone(), &Options::default(), &out, Lang::En, csv, &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!stale.exists());

    let csv_text =
        std::fs::read_to_string(out.join("reports.csv")).unwrap_or_else(|e| panic!("{e}"));
    let mut csv_reader = ::csv::Reader::from_reader(csv_text.as_bytes());
    let headers = csv_reader.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    let mut by_path: BTreeMap<String, ::csv::StringRecord> = csv_reader
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .map(|r| (r[0].to_owned(), r))
        .collect();
    let total = by_path.len();

    let mut parts = Vec::new();
    part_files(&out.join("reports"), &mut parts);
    let mut provinces = Vec::new();
    let mut seen = 0;
    for part in &parts {
        let rel = part.strip_prefix(out.join("reports")).unwrap_or_else(|e| panic!("{e}"));
        let dirs: Vec<String> =
            rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        assert_eq!(dirs.len(), 3, "{rel:?}");
        assert_eq!(dirs[2], "part-0.parquet");
        let year = dirs[0].strip_prefix("year=").unwrap_or_else(|| panic!("{rel:?}"));
        let year = if year == "__HIVE_DEFAULT_PARTITION__" { "" } else { year };
        let province = dirs[1].strip_prefix("province=").unwrap_or_else(|| panic!("{rel:?}"));
        provinces.push(province.to_owned());
        for row in rows_of(part) {
            assert!(!row.contains_key("year"), "the year is the directory's");
            let path = text(&row["path"]);
            let csv_row =
                by_path.remove(&path).unwrap_or_else(|| panic!("{path} twice or unknown"));
            seen += 1;
            for (name, value) in headers.iter().zip(csv_row.iter()) {
                if name == "year" {
                    assert_eq!(year, value, "{path}");
                } else if name.starts_with('t') && name.contains('.') {
                    assert_eq!(text(&row[&format!("{name}:tsv")]), value, "{path} {name}");
                } else {
                    assert_eq!(text(&row[name]), value, "{path} {name}");
                }
            }
        }
    }
    assert_eq!(seen, total);
    assert!(provinces.iter().any(|p| p == "江苏省"), "{provinces:?}");
    assert!(provinces.iter().any(|p| p == "__HIVE_DEFAULT_PARTITION__"), "{provinces:?}");
}
