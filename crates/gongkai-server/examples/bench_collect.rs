//! Collected reports read in the background, against `gongkai batch` on the same files: N files
//! (default 1,000: the dev corpus's reports in PDF, HTML and text, each copy made distinct by a
//! trailing comment so that the store keeps every one) are read and checked
//!
//! 1. by `gongkai_batch::run` — what `gongkai batch` does, one reader thread per core — the
//!    baseline, run before and after;
//! 2. by the server: uploaded through the API (`POST /api/v1/offices/{id}/documents`, 100 files
//!    per request), stored, queued and read by the background reader until no job is left.
//!
//! ```text
//! cargo run --release -p gongkai-server --example bench_collect -- [DB_URL] [N]
//! ```
//!
//! Without `DB_URL`, a temporary SQLite store. Prints one Markdown table row per run and the
//! server's throughput as a share of the batch's.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use axum::body::Body;
use axum::http::Request;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use gongkai_server::{AppState, Clock, Config};
use gongkai_store::{Ctx, JobStatus, Level, NewOrg, NewUser, OrgKind, RegionCode, Role, Store};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// The dev corpus's reports the files are copies of.
const SOURCES: [&str; 5] = [
    "hongze-2024.pdf",
    "pingtan-2021.html",
    "pingtan-2021.txt",
    "dazhanglou-2022.txt",
    "shuyang-2025-ocr.txt",
];
/// Files per upload request.
const PER_REQUEST: usize = 100;
const BOUNDARY: &str = "gongkai-bench-boundary";

#[allow(clippy::print_stdout, reason = "the figures are what the program prints")]
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, rest) = common::leading_url(&args);
    let n: usize = rest.first().map_or(Ok(1_000), |s| s.parse()).context("N")?;
    if n == 0 {
        bail!("usage: bench_collect [DB_URL] [N ≥ 1]");
    }
    let files_dir = tempfile::tempdir()?;
    let files = write_files(files_dir.path(), n)?;

    println!("| run | files | seconds | files/s |");
    println!("|---|---|---|---|");
    let before = batch(&files)?;
    println!("| baseline: gongkai batch | {n} | {:.2} | {:.1} |", secs(before), rate(n, before));
    let server = collect(url.as_deref(), &files).await?;
    println!(
        "| server: upload + background read | {n} | {:.2} | {:.1} |",
        secs(server),
        rate(n, server)
    );
    let reading = read_stored(url.as_deref(), &files).await?;
    println!(
        "| server: background read of files already uploaded | {n} | {:.2} | {:.1} |",
        secs(reading),
        rate(n, reading)
    );
    let after = batch(&files)?;
    println!(
        "| baseline again: gongkai batch | {n} | {:.2} | {:.1} |",
        secs(after),
        rate(n, after)
    );
    let baseline = (secs(before) + secs(after)) / 2.0;
    println!(
        "\nserver throughput / batch throughput: upload + read {:.0} %, read alone {:.0} %",
        100.0 * baseline / secs(server),
        100.0 * baseline / secs(reading)
    );
    Ok(())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

#[allow(clippy::cast_precision_loss, reason = "a count of files")]
fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// N distinct copies of the dev corpus's reports.
fn write_files(dir: &Path, n: usize) -> anyhow::Result<Vec<PathBuf>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/corpus/dev/raw");
    let sources = SOURCES
        .iter()
        .map(|name| Ok((*name, std::fs::read(corpus.join(name))?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (name, bytes) = &sources[i % sources.len()];
        let (stem, ext) = name.rsplit_once('.').context("an extension")?;
        let mut bytes = bytes.clone();
        let mark = match ext {
            "pdf" => format!("\n%copy {i}\n"),
            "html" => format!("\n<!-- copy {i} -->\n"),
            _ => format!("\n\n（副本{i}）\n"),
        };
        bytes.extend_from_slice(mark.as_bytes());
        let path = dir.join(format!("{stem}-{i:05}.{ext}"));
        std::fs::write(&path, bytes)?;
        out.push(path);
    }
    Ok(out)
}

/// `gongkai batch` over the files: reading, checking, the series plan and cross-year rules.
fn batch(files: &[PathBuf]) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let done = gongkai_batch::run(files, &gongkai_batch::Options::default(), &|_| {})?;
    let took = started.elapsed();
    ensure!(done.records.len() == files.len(), "every file is a record");
    Ok(took)
}

/// The server: upload every file through the API, then wait until the background reader has
/// read them all.
#[allow(clippy::print_stdout, reason = "the figures are what the program prints")]
async fn collect(url: Option<&str>, files: &[PathBuf]) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let store = match url {
        Some(url) => Store::open(url).await?,
        None => Store::open_data_dir(dir.path()).await?,
    };
    let now: jiff::Timestamp = "2026-03-16T02:00:00Z".parse()?;
    let office = seed(&store, now).await?;
    let state = AppState::new(store, Config::default()).with_clock(Clock::Fixed(now));
    let router = gongkai_server::router(state.clone());
    let login = Request::post("/api/v1/login").header(CONTENT_TYPE, "application/json").body(
        Body::from(json!({"username": "bench-reviewer", "password": "bench-password"}).to_string()),
    )?;
    let answer = router.clone().oneshot(login).await?.into_body().collect().await?.to_bytes();
    let token =
        serde_json::from_slice::<Value>(&answer)?["token"].as_str().context("no token")?.to_owned();
    let parts = files
        .iter()
        .map(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).context("a file name")?;
            Ok((name.to_owned(), std::fs::read(p)?))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

    let started = Instant::now();
    for chunk in parts.chunks(PER_REQUEST) {
        let request = Request::post(format!("/api/v1/offices/{}/documents", office.0))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(multipart(chunk)))?;
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        ensure!(status.is_success(), "upload: {status}");
    }
    let uploaded = started.elapsed();
    while state.store.pending_reads().await? > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    println!("| (of which the uploads' answers) | {} | {:.2} | |", files.len(), secs(uploaded));
    let jobs = state.store.read_jobs(office, u32::try_from(files.len() + 10)?).await?;
    let read = jobs.iter().filter(|j| j.status == JobStatus::Done).count();
    ensure!(read == files.len(), "{read} of {} files read", files.len());
    Ok(took)
}

/// The background reader alone: the files are stored and queued first (as an upload does),
/// then the reader is started (with the router) and timed until no job is left.
async fn read_stored(url: Option<&str>, files: &[PathBuf]) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let store = match url {
        Some(url) => Store::open(url).await?,
        None => Store::open_data_dir(dir.path()).await?,
    };
    let now: jiff::Timestamp = "2026-03-16T02:00:00Z".parse()?;
    let office = seed(&store, now).await?;
    let ctx = Ctx { user: None, at: now, origin: "bench".into() };
    let mut reads = Vec::with_capacity(files.len());
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).context("a file name")?;
        let bytes = std::fs::read(path)?;
        let format = gongkai_server::collect::format_of(name);
        let upload = gongkai_store::Upload::new(&bytes, format, name);
        let stored = store.upload_document(&ctx, office, &upload, u64::MAX).await?;
        reads.push(gongkai_store::NewRead {
            file_name: name.to_owned(),
            document: Ok(stored.document.id),
        });
    }
    store.queue_reads(&ctx, office, &reads).await?;
    let state = AppState::new(store, Config::default()).with_clock(Clock::Fixed(now));
    let started = Instant::now();
    let _router = gongkai_server::router(state.clone());
    while state.store.pending_reads().await? > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(started.elapsed())
}

fn multipart(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// An office with a reviewer.
async fn seed(store: &Store, now: jiff::Timestamp) -> anyhow::Result<gongkai_store::OrgId> {
    let ctx = Ctx { user: None, at: now, origin: "bench".into() };
    let office = store
        .create_org(
            &ctx,
            &NewOrg {
                parent: None,
                kind: OrgKind::Office,
                name: "基准县政务公开办".into(),
                level: Level::County,
                region: RegionCode::parse("330106")?,
            },
        )
        .await?;
    let user = store
        .create_user(
            &ctx,
            &NewUser {
                username: "bench-reviewer".into(),
                display_name: "基准审核人".into(),
                password: "bench-password".into(),
            },
        )
        .await?;
    store.grant(&ctx, user.id, office.id, Role::OfficeReviewer).await?;
    Ok(office.id)
}
