//! Open data (`/data`, `/api/v1/data/…`): every format downloads the published cells and
//! findings; the filters select; nothing unpublished ever appears; CSV guards formulas and adds a
//! BOM on request; Parquet reads back to the CSV's numbers; the zip is partitioned by year; tags
//! revalidate and change with a new published version.

use std::collections::BTreeMap;

use axum::body::{Body, Bytes};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, COOKIE, ETAG, IF_NONE_MATCH, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use gongkai_model::json::{Location, ReportJson};
use gongkai_model::{CellKey, Decimal, Report, Value};
use gongkai_store::{Ctx, Level, NewOrg, Org, OrgKind, Publication, RegionCode, Role};
use http_body_util::BodyExt as _;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::json;
use tower::ServiceExt as _;

use crate::support::{App, now};

const REPORT: &str = include_str!("../../../gongkai-render/tests/data/sample-2023.json");
const RECEIVED: &str = "t3.new_received.total";

fn ctx() -> Ctx {
    Ctx { user: None, at: now(), origin: "test".into() }
}

fn sample() -> Report {
    ReportJson::parse(REPORT).and_then(ReportJson::into_report).expect("the sample")
}

fn key(s: &str) -> CellKey {
    s.parse().expect("key")
}

/// `report` with every number multiplied by `k` (still consistent).
fn times(report: &Report, k: i64) -> Report {
    let mut r = report.clone();
    for t in [&mut r.t2, &mut r.t3, &mut r.t4].into_iter().flatten() {
        let keys: Vec<CellKey> = t.cells().iter().map(|c| c.key).collect();
        for key in keys {
            if let Some(d) = t.number(key) {
                t.set(key, Value::Number(d * Decimal::from(k)));
            }
        }
    }
    r
}

/// `report` for `year` with `extra` added to the new applications' total: a Table 3 error.
fn broken(report: &Report, year: i32, extra: i64) -> Report {
    let mut r = report.clone();
    r.meta.year = Some(gongkai_model::Spanned::bare(year));
    let k = key(RECEIVED);
    if let Some(t) = r.t3.as_mut() {
        let n = t.number(k).expect("a number");
        t.set(k, Value::Number(n + Decimal::from(extra)));
    }
    r
}

fn json_of(report: &Report) -> String {
    serde_json::to_string(&ReportJson::from_report(report, &|_| Location::default())).expect("json")
}

async fn publish(app: &App, agency: &Org, year: i16, report: &Report, reason: Option<&str>) {
    let text = json_of(report);
    let p = Publication { year, report: &text, reason };
    app.state.store.publish_report(&ctx(), agency.id, &p).await.expect("published");
}

/// A raw answer (binary bodies intact).
struct Raw {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Raw {
    fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("UTF-8")
    }
}

async fn fetch(app: &App, path: &str, headers: &[(&str, &str)]) -> Raw {
    let mut r = Request::builder().method(Method::GET).uri(path);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let response =
        app.router.clone().oneshot(r.body(Body::empty()).expect("request")).await.expect("answer");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    Raw { status, headers, body }
}

async fn ok(app: &App, path: &str) -> Raw {
    let r = fetch(app, path, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&r.body));
    r
}

/// Agency A: 2023 (the sample) and 2024 (with a Table 3 error); agency B: 2023 (twice the
/// sample).
async fn seed(app: &App) -> Report {
    let base = sample();
    publish(app, &app.a, 2023, &base, None).await;
    publish(app, &app.a, 2024, &broken(&base, 2024, 1000), None).await;
    publish(app, &app.b, 2023, &times(&base, 2), None).await;
    base
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = r.headers().expect("header").iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers.iter().cloned().zip(rec.iter().map(str::to_owned)).collect()
        })
        .collect();
    (headers, rows)
}

/// The sum of the `number` column over the rows of `key`.
fn csv_sum(rows: &[BTreeMap<String, String>], key: &str) -> Decimal {
    rows.iter()
        .filter(|r| r["key"] == key)
        .map(|r| r["number"].parse::<Decimal>().expect("a number"))
        .sum()
}

fn parquet_rows(bytes: &Bytes) -> (Vec<String>, Vec<BTreeMap<String, Field>>) {
    let reader = SerializedFileReader::new(bytes.clone()).expect("a Parquet file");
    let schema = reader.metadata().file_metadata().schema_descr();
    let names = schema.columns().iter().map(|c| c.name().to_owned()).collect();
    let rows = reader
        .get_row_iter(None)
        .expect("rows")
        .map(|r| r.expect("row").get_column_iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .collect();
    (names, rows)
}

fn field_text(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parquet_sum(rows: &[BTreeMap<String, Field>], key: &str) -> Decimal {
    rows.iter()
        .filter(|r| matches!(&r["key"], Field::Str(k) if k == key))
        .map(|r| field_text(&r["number"]).parse::<Decimal>().expect("a decimal"))
        .sum()
}

/// The number of cells of a report.
fn cells_of(r: &Report) -> usize {
    r.tables().map(|t| t.cells().len()).sum()
}

/// Every format downloads the cells (one row per agency, year and cell) and the findings; the
/// Parquet file reads back with the declared schema and the CSV's numbers.
pub async fn every_format_downloads_the_published_cells(app: &App) {
    let base = seed(app).await;
    let received = base.number(key(RECEIVED)).expect("received");
    let csv = ok(app, "/api/v1/data/cells.csv").await;
    assert_eq!(csv.headers[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"].to_str().unwrap().contains("gongkai-cells.csv"));
    let (headers, rows) = csv_rows(&csv.text());
    let names: Vec<&str> = gongkai_server::opendata::CELL_COLUMNS.iter().map(|c| c.name).collect();
    assert_eq!(headers, names);
    assert_eq!(rows.len(), 3 * cells_of(&base));
    let a2023: Vec<_> = rows
        .iter()
        .filter(|r| r["agency_id"] == app.a.id.0.to_string() && r["year"] == "2023")
        .collect();
    let first = a2023.iter().find(|r| r["key"] == RECEIVED).expect("the cell");
    assert_eq!(first["agency"], "县教育局");
    assert_eq!(first["region"], "110101");
    assert_eq!(first["office"], "县政务公开办");
    assert_eq!(first["office_id"], app.office.id.0.to_string());
    assert_eq!(first["version"], "1");
    assert_eq!(first["status"], "number");
    assert_eq!(first["table"], "t3");
    assert_eq!(first["row_label"], "一、本年新收政府信息公开申请数量");
    assert_eq!(first["column_label"], "总计");
    assert_eq!(first["number"], received.to_string());
    assert!(
        rows.iter()
            .all(|r| ["number", "blank", "not_applicable", "unknown"]
                .contains(&r["status"].as_str())),
        "one vocabulary of value kinds"
    );
    let total = csv_sum(&rows, RECEIVED);
    assert_eq!(total, received * Decimal::from(4) + Decimal::from(1000));

    let parquet = ok(app, "/api/v1/data/cells.parquet").await;
    assert_eq!(parquet.headers[CONTENT_TYPE], "application/vnd.apache.parquet");
    let (pnames, prows) = parquet_rows(&parquet.body);
    assert_eq!(pnames, names, "the declared columns, in order");
    assert_eq!(prows.len(), rows.len());
    assert_eq!(parquet_sum(&prows, RECEIVED), total);
    assert!(matches!(prows[0]["year"], Field::Int(2023)), "{:?}", prows[0]["year"]);

    let j = ok(app, "/api/v1/data/cells.json").await;
    let v: serde_json::Value = serde_json::from_slice(&j.body).expect("JSON");
    assert_eq!(v["format"], "gongkai-open-data");
    assert_eq!(v["columns"].as_array().expect("columns").len(), names.len());
    let jrows = v["rows"].as_array().expect("rows");
    assert_eq!(jrows.len(), rows.len());
    let jsum: i64 = jrows
        .iter()
        .filter(|r| r["key"] == RECEIVED)
        .map(|r| r["number"].as_i64().expect("an integer"))
        .sum();
    assert_eq!(Decimal::from(jsum), total);

    let x = ok(app, "/api/v1/data/cells.xlsx").await;
    use calamine::Reader as _;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(x.body.to_vec())).expect("XLSX");
    assert_eq!(wb.sheet_names(), ["cells", "columns"]);
    let sheet = wb.worksheet_range("cells").expect("the sheet");
    assert_eq!(sheet.height(), rows.len() + 1);
    let dict = wb.worksheet_range("columns").expect("the dictionary");
    assert_eq!(dict.height(), names.len() + 1);

    // Findings: the 2024 report's Table 3 error, with its cells and values.
    let f = ok(app, "/api/v1/data/findings.csv").await;
    let (fheaders, frows) = csv_rows(&f.text());
    let fnames: Vec<&str> =
        gongkai_server::opendata::FINDING_COLUMNS.iter().map(|c| c.name).collect();
    assert_eq!(fheaders, fnames);
    let error = frows
        .iter()
        .find(|r| r["severity"] == "error" && r["cells"].contains(RECEIVED))
        .unwrap_or_else(|| panic!("a Table 3 error in {frows:?}"));
    assert_eq!(error["year"], "2024");
    assert_eq!(error["agency_id"], app.a.id.0.to_string());
    assert!(!error["message_zh"].is_empty() && !error["message_en"].is_empty());
    assert!(!error["printed"].is_empty() || !error["implied"].is_empty(), "{error:?}");
    assert!(
        frows.iter().all(|r| r["severity"] != "error" || r["year"] == "2024"),
        "the consistent reports have no errors"
    );
    for format in ["xlsx", "json", "parquet"] {
        ok(app, &format!("/api/v1/data/findings.{format}")).await;
    }
    let fp = ok(app, "/api/v1/data/findings.parquet").await;
    let (fpnames, fprows) = parquet_rows(&fp.body);
    assert_eq!(fpnames, fnames);
    assert_eq!(fprows.len(), frows.len());
}

/// Years, ranges, offices, regions and agencies select; bad filters are named; an office id
/// that is an agency is refused.
pub async fn filters_select_years_offices_regions_and_agencies(app: &App) {
    let base = seed(app).await;
    let n = cells_of(&base);
    let count = |text: String| csv_rows(&text).1.len();
    let rows = |path: String| async move { count(ok(app, &path).await.text()) };
    assert_eq!(rows("/api/v1/data/cells.csv?year=2024".into()).await, n);
    assert_eq!(rows("/api/v1/data/cells.csv?from=2023&to=2023".into()).await, 2 * n);
    assert_eq!(rows("/api/v1/data/cells.csv?from=2024".into()).await, n);
    assert_eq!(rows(format!("/api/v1/data/cells.csv?agency={}", app.b.id)).await, n);
    assert_eq!(rows("/api/v1/data/cells.csv?region=11".into()).await, 3 * n);
    assert_eq!(rows("/api/v1/data/cells.csv?region=110101&year=2023".into()).await, 2 * n);
    assert_eq!(rows("/api/v1/data/cells.csv?region=33".into()).await, 0);
    // Another county's agency is outside the office's subtree, and in its region.
    let store = &app.state.store;
    let org = |parent, kind, name: &str, region: &str| NewOrg {
        parent,
        kind,
        name: name.into(),
        level: Level::County,
        region: RegionCode::parse(region).expect("region"),
    };
    let other = store
        .create_org(&ctx(), &org(None, OrgKind::Office, "邻县政务公开办", "330106"))
        .await
        .expect("office");
    let far = store
        .create_org(&ctx(), &org(Some(other.id), OrgKind::Agency, "邻县财政局", "330106"))
        .await
        .expect("agency");
    publish(app, &far, 2023, &base, None).await;
    assert_eq!(rows(format!("/api/v1/data/cells.csv?office={}", app.office.id)).await, 3 * n);
    assert_eq!(rows(format!("/api/v1/data/cells.csv?office={}", other.id)).await, n);
    assert_eq!(rows("/api/v1/data/cells.csv?region=33".into()).await, n);
    assert_eq!(rows("/api/v1/data/cells.csv".into()).await, 4 * n);
    for (query, field) in [
        ("year=abc", "year"),
        ("year=2023&from=2020", "year"),
        ("from=2024&to=2023", "from"),
        ("region=33x", "region"),
        ("agency=x", "agency"),
    ] {
        let r = fetch(app, &format!("/api/v1/data/cells.csv?{query}"), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let v: serde_json::Value = serde_json::from_slice(&r.body).expect("a JSON error");
        assert_eq!(v["error"]["field"], field, "{query}: {v}");
        assert!(r.headers.get(ETAG).is_none());
        assert_eq!(r.headers[CACHE_CONTROL], "no-store", "an error is never cached");
    }
    let r = fetch(app, &format!("/api/v1/data/cells.csv?office={}", app.a.id), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an agency is no office");
}

/// A draft, a collected upload, its finding's review note: none is in any format.
pub async fn nothing_unpublished_is_in_the_open_data(app: &App) {
    seed(app).await;
    // A draft of agency B for 2024 with a sentinel number.
    let draft = broken(&sample(), 2024, 918_273);
    let prose = BTreeMap::new();
    let text = json_of(&draft);
    let save = gongkai_store::DraftSave::new(2024, 0, &prose, &text);
    app.state.store.save_draft(&ctx(), app.b.id, &save).await.expect("draft");
    // A collected upload of another agency, with a sentinel number, its finding dismissed with a
    // sentinel note.
    let store = &app.state.store;
    let region = RegionCode::parse("110101").expect("region");
    let town = NewOrg {
        parent: Some(app.office.id),
        kind: OrgKind::Agency,
        name: "大张楼镇".into(),
        level: Level::County,
        region,
    };
    store.create_org(&ctx(), &town).await.expect("agency");
    let token = crate::collect::user(app, "reviewer", app.office.id, Role::OfficeReviewer).await;
    let results = crate::collect::upload(
        app,
        &token,
        &[("dazhanglou.txt", &crate::findings::unbalanced(918_274))],
    )
    .await;
    assert_eq!(results[0]["status"], "done", "{results:?}");
    let queue = app
        .send(crate::collect::get_bearer(
            &format!("/api/v1/offices/{}/findings?year=2022", app.office.id),
            &token,
        ))
        .await
        .json();
    let fingerprint = queue[0]["fingerprint"].as_str().expect("a finding").to_owned();
    let review = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/findings/{fingerprint}/review"))
        .header("authorization", format!("Bearer {token}"))
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"office": app.office.id.0, "decision": "dismissed", "note": "SENTINEL-NOTE"})
                .to_string(),
        ))
        .expect("request");
    assert_eq!(app.send(review).await.status, StatusCode::OK);

    for dataset in ["cells", "findings"] {
        for format in ["csv", "json", "xlsx", "parquet"] {
            let r = ok(app, &format!("/api/v1/data/{dataset}.{format}")).await;
            let body = String::from_utf8_lossy(&r.body);
            for sentinel in ["918273", "918274", "SENTINEL-NOTE", "大张楼镇", "2022"] {
                assert!(!body.contains(sentinel), "{sentinel} in {dataset}.{format}");
            }
        }
    }
    let csv = ok(app, "/api/v1/data/cells.csv").await.text();
    let (_, rows) = csv_rows(&csv);
    assert!(
        rows.iter().all(|r| !(r["agency_id"] == app.b.id.0.to_string() && r["year"] == "2024")),
        "B's draft year is not published"
    );
    let zip = ok(app, "/api/v1/data/cells-parquet.zip").await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body.to_vec())).expect("zip");
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).expect("read");
        let body = String::from_utf8_lossy(&bytes);
        assert!(!body.contains("918273") && !body.contains("SENTINEL-NOTE"), "{:?}", f.name());
    }
}

/// Text that a spreadsheet would run as a formula is written as text; `bom=1` adds the BOM.
pub async fn csv_guards_formulas_and_offers_a_bom(app: &App) {
    let store = &app.state.store;
    let hostile = NewOrg {
        parent: Some(app.office.id),
        kind: OrgKind::Agency,
        name: "=HYPERLINK(\"http://x.example\",\"点击\")".into(),
        level: Level::County,
        region: RegionCode::parse("110101").expect("region"),
    };
    let hostile = store.create_org(&ctx(), &hostile).await.expect("agency");
    publish(app, &hostile, 2023, &sample(), None).await;
    let path = format!("/api/v1/data/cells.csv?agency={}", hostile.id);
    let plain = ok(app, &path).await;
    assert!(!plain.body.starts_with(b"\xEF\xBB\xBF"), "no BOM by default");
    assert!(plain.body.starts_with(b"agency_id,"));
    let (_, rows) = csv_rows(&plain.text());
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["agency"] == "'=HYPERLINK(\"http://x.example\",\"点击\")"));
    let bom = ok(app, &format!("{path}&bom=1")).await;
    assert!(bom.body.starts_with(b"\xEF\xBB\xBFagency_id,"));
    assert_eq!(&bom.body[3..], &plain.body[..], "the same rows after the BOM");
    // XLSX writes it as a string cell, never a formula.
    let x = ok(app, &format!("/api/v1/data/cells.xlsx?agency={}", hostile.id)).await;
    use calamine::Reader as _;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(x.body.to_vec())).expect("XLSX");
    let formulas = wb.worksheet_formula("cells").expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula cell");
    let sheet = wb.worksheet_range("cells").expect("cells");
    assert_eq!(
        sheet.get((1, 1)).map(ToString::to_string).as_deref(),
        Some("=HYPERLINK(\"http://x.example\",\"点击\")")
    );
}

/// The zip holds `cells/year=YYYY/part-0.parquet` and `findings/year=YYYY/part-0.parquet` per
/// year, without the year column (the folder names it), with the CSV's rows.
pub async fn the_zip_is_partitioned_by_year(app: &App) {
    let base = seed(app).await;
    let zip = ok(app, "/api/v1/data/cells-parquet.zip").await;
    assert_eq!(zip.headers[CONTENT_TYPE], "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body.to_vec())).expect("zip");
    let mut names: Vec<String> =
        archive.file_names().map(|n| n.expect("name").into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "README.txt",
            "cells/year=2023/part-0.parquet",
            "cells/year=2024/part-0.parquet",
            "findings/year=2023/part-0.parquet",
            "findings/year=2024/part-0.parquet",
        ]
    );
    let read = |archive: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut f = archive.by_name(name).expect(name);
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).expect("read");
        Bytes::from(bytes)
    };
    let csv = ok(app, "/api/v1/data/cells.csv?year=2023").await.text();
    let (_, rows) = csv_rows(&csv);
    let (names, prows) = parquet_rows(&read(&mut archive, "cells/year=2023/part-0.parquet"));
    assert!(!names.iter().any(|n| n == "year"), "the partition names the year");
    assert_eq!(names.len(), gongkai_server::opendata::CELL_COLUMNS.len() - 1);
    assert_eq!(prows.len(), 2 * cells_of(&base));
    assert_eq!(parquet_sum(&prows, RECEIVED), csv_sum(&rows, RECEIVED));
    let (_, f2024) = parquet_rows(&read(&mut archive, "findings/year=2024/part-0.parquet"));
    assert!(f2024.iter().any(|r| matches!(&r["severity"], Field::Str(s) if s == "error")));
    let readme = read(&mut archive, "README.txt");
    assert!(String::from_utf8_lossy(&readme).contains("hive_partitioning = true"));
    // The filter applies to the zip too.
    let one = ok(app, "/api/v1/data/cells-parquet.zip?year=2024").await;
    let archive = zip::ZipArchive::new(std::io::Cursor::new(one.body.to_vec())).expect("zip");
    assert!(archive.file_names().all(|n| !n.expect("name").contains("2023")));
}

/// A download's tag is strong and revalidates to `304`; a new published version changes it.
/// Public pages are tagged by their body for anonymous visitors (never when a cookie is set,
/// never when signed in).
pub async fn tags_revalidate_and_change_with_a_new_version(app: &App) {
    let base = seed(app).await;
    let path = "/api/v1/data/cells.csv?year=2023";
    let first = ok(app, path).await;
    assert!(first.headers.get(SET_COOKIE).is_none(), "an API answer sets no cookie");
    let tag = first.headers[ETAG].to_str().expect("tag").to_owned();
    assert!(tag.starts_with('"'), "a strong tag: {tag}");
    assert_eq!(first.headers[CACHE_CONTROL], "public, max-age=60, must-revalidate");
    assert_eq!(first.headers[VARY], "Cookie");
    let again = fetch(app, path, &[(IF_NONE_MATCH.as_str(), &tag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[ETAG].to_str().unwrap(), tag);
    // Another format or filter is another answer.
    let other =
        fetch(app, "/api/v1/data/cells.json?year=2023", &[(IF_NONE_MATCH.as_str(), &tag)]).await;
    assert_eq!(other.status, StatusCode::OK);
    // Nothing changed: the same tag; a correction of A's 2023: a new tag.
    assert_eq!(ok(app, path).await.headers[ETAG], tag);
    publish(app, &app.a, 2023, &times(&base, 3), Some("更正")).await;
    let corrected = fetch(app, path, &[(IF_NONE_MATCH.as_str(), &tag)]).await;
    assert_eq!(corrected.status, StatusCode::OK);
    assert_ne!(corrected.headers[ETAG].to_str().unwrap(), tag);
    assert!(String::from_utf8_lossy(&corrected.body).contains(",2,"), "version 2");
    // A year the correction did not touch keeps its tag.
    let y2024 = ok(app, "/api/v1/data/cells.csv?year=2024").await.headers[ETAG].clone();
    assert_eq!(ok(app, "/api/v1/data/cells.csv?year=2024").await.headers[ETAG], y2024);

    // The /data page: the first visit sets the CSRF seed cookie, so it is not kept; with the
    // cookie it is tagged by its body and revalidates.
    let visit = fetch(app, "/data", &[]).await;
    assert_eq!(visit.status, StatusCode::OK);
    assert!(visit.headers.get(SET_COOKIE).is_some());
    assert_eq!(visit.headers[CACHE_CONTROL], "no-store");
    assert!(visit.headers.get(ETAG).is_none());
    let seed = visit.headers[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let page = fetch(app, "/data", &[(COOKIE.as_str(), &seed)]).await;
    assert!(page.headers.get(SET_COOKIE).is_none());
    assert_eq!(page.headers[CACHE_CONTROL], "public, max-age=60, must-revalidate");
    let page_tag = page.headers[ETAG].to_str().unwrap().to_owned();
    let page_again =
        fetch(app, "/data", &[(COOKIE.as_str(), &seed), (IF_NONE_MATCH.as_str(), &page_tag)]).await;
    assert_eq!(page_again.status, StatusCode::NOT_MODIFIED);
    // A signed-in visitor's page shows them: private.
    let clerk = app.login("clerk-a").await;
    let own = fetch(app, "/data", &[(COOKIE.as_str(), &clerk.cookies)]).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.headers[CACHE_CONTROL], "private, no-store");
    assert!(own.headers.get(ETAG).is_none());
    // Health is never kept.
    assert_eq!(fetch(app, "/healthz", &[]).await.headers[CACHE_CONTROL], "no-store");
}

/// The page's visible text: tags dropped, whitespace collapsed, one line per block.
pub fn visible_text(html: &str) -> String {
    let body = html.split("<body>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or("");
                if matches!(
                    name,
                    "p" | "h1" | "h2" | "h3" | "tr" | "li" | "div" | "option" | "pre" | "label"
                ) {
                    out.push('\n');
                } else if matches!(name, "td" | "th") && !tag.starts_with('/') {
                    out.push_str(" | ");
                }
            }
            _ if in_tag => tag.push(c),
            _ => out.push(c),
        }
    }
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty() && l != "|")
        .collect::<Vec<_>>()
        .join("\n")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
}

/// The /data page for a filter, in `lang`, as its visible text.
pub async fn data_page(app: &App, lang: &str) -> String {
    seed(app).await;
    let page = app.get(&format!("/data?year=2023&lang={lang}"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("href=\"/api/v1/data/cells.csv?year=2023&#38;bom=1\""),
        "{}",
        page.body
    );
    visible_text(&page.body)
}
