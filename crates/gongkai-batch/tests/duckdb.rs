//! DuckDB (the PyPI wheel `scripts/install-deps` puts in its tools venv) reads the partitioned
//! Parquet of a batch (`reports/year=…/province=…/part-0.parquet`) directly, as an analyst
//! would, and finds the same reports, years and sums as `reports.csv`.
//!
//! Skipped, saying so, only when the venv is absent outside the whole suite; under
//! `scripts/test-all` (which sets `GONGKAI_TEST_ALL`, after `scripts/install-deps` installed the
//! venv) or `CI`, a missing venv fails the test.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use gongkai_batch::csv::CsvStyle;
use gongkai_batch::{Options, run_to};
use gongkai_model::{Decimal, Lang};

/// The version `scripts/install-deps` pins.
const DUCKDB_VERSION: &str = "2.0.0";

fn python() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let python = cache.join(format!("gongkai-tools/duckdb-{DUCKDB_VERSION}/bin/python"));
    python.is_file().then_some(python)
}

/// Reads the partitions with DuckDB: one line per year (`year<TAB>reports`), then `total`,
/// the sum of a count column, of an amount column, and the undetermined cells of one key.
const QUERY: &str = r#"
import sys, duckdb
con = duckdb.connect()
src = f"read_parquet('{sys.argv[1]}/reports/**/*.parquet', hive_partitioning = true)"
for year, n in con.sql(f"select year, count(*) from {src} group by year order by year").fetchall():
    print(f"year\t{'' if year is None else year}\t{n}")
n, received, fees, unknown, provinces = con.sql(f"""
    select count(*), sum("t3.new_received.total"), sum("t2.fees.amount_wan_yuan"),
           count(*) filter (where "t3.new_received.total:tsv" = '?'),
           count(distinct province)
    from {src}""").fetchall()[0]
print(f"total\t{n}\t{received}\t{fees}\t{unknown}\t{provinces}")
"#;

#[test]
fn duckdb_reads_the_partitioned_parquet() {
    let Some(python) = python() else {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("GONGKAI_TEST_ALL").is_none(),
            "the DuckDB venv is missing under scripts/test-all or CI: scripts/install-deps installs it"
        );
        eprintln!(
            "SKIPPED duckdb_reads_the_partitioned_parquet: no DuckDB venv (run scripts/install-deps)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("in");
    support::fixture_set(&root);
    let out = tmp.path().join("out");
    let files = support::files(&root);
    run_to(files.clone(), &Options::default(), &out, Lang::Zh, CsvStyle::Plain, &|_| {})
        .unwrap_or_else(|e| panic!("{e}"));

    // What reports.csv says.
    let text = String::from_utf8(support::read(&out.join("reports.csv")))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    };
    let (year, received, fees) =
        (col("year"), col("t3.new_received.total"), col("t2.fees.amount_wan_yuan"));
    let mut by_year: BTreeMap<String, u64> = BTreeMap::new();
    let (mut total, mut received_sum, mut fees_sum, mut unknown) =
        (0u64, Decimal::ZERO, Decimal::ZERO, 0u64);
    for row in reader.records() {
        let row = row.unwrap_or_else(|e| panic!("{e}"));
        total += 1;
        *by_year.entry(row[year].to_owned()).or_default() += 1;
        received_sum += row[received].parse::<Decimal>().unwrap_or(Decimal::ZERO);
        fees_sum += row[fees].parse::<Decimal>().unwrap_or(Decimal::ZERO);
        unknown += u64::from(&row[received] == "?");
    }
    assert!(total > 50 && by_year.len() > 2 && received_sum > Decimal::ZERO, "{by_year:?}");

    let output = Command::new(&python)
        .args(["-c", QUERY])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));

    let mut duck_years = BTreeMap::new();
    let mut totals = None;
    for line in stdout.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f[..] {
            ["year", y, n] => {
                duck_years.insert(y.to_owned(), n.parse::<u64>().unwrap_or(0));
            }
            ["total", n, r, fee, u, p] => totals = Some((n, r, fee, u, p.to_owned())),
            _ => panic!("unexpected line {line:?}"),
        }
    }
    assert_eq!(duck_years, by_year, "reports per year (the partition key)");
    let (n, r, fee, u, provinces) = totals.unwrap_or_else(|| panic!("no total in {stdout}"));
    assert_eq!(n.parse::<u64>().ok(), Some(total), "reports");
    assert_eq!(r.parse::<Decimal>().ok(), Some(received_sum), "sum of t3.new_received.total");
    assert_eq!(fee.parse::<Decimal>().ok(), Some(fees_sum), "sum of t2.fees.amount_wan_yuan");
    assert_eq!(u.parse::<u64>().ok(), Some(unknown), "undetermined t3.new_received.total");
    // Null provinces do not count: the fixture set names one province (江苏省).
    assert_eq!(provinces, "1", "distinct provinces");
}
