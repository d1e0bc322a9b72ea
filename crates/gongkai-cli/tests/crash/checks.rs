//! What must hold after every restart, read straight from the database (SQLite file or
//! PostgreSQL) while the restarted server runs.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};
use sqlx::AnyPool;

use crate::server::Db;
use crate::workload::{Ledger, Session, Uploaded, YEAR};

type Checked = Result<(), String>;

/// Waits until the restarted server has finished every read job, then checks the invariants.
pub fn after_restart(db: &Db, session: &Session, ledger: &Ledger) -> Checked {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&db.url())
            .await
            .map_err(|e| format!("cannot open the store: {e}"))?;
        let checked = check(&pool, db, session, ledger).await;
        pool.close().await;
        checked
    })
}

async fn count(pool: &AnyPool, sql: &str, binds: &[&str]) -> Result<i64, String> {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_one(pool).await.map_err(|e| format!("{sql}: {e}"))
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Checked {
    if ok { Ok(()) } else { Err(what()) }
}

async fn check(pool: &AnyPool, db: &Db, session: &Session, ledger: &Ledger) -> Checked {
    let agency = session.agency.to_string();
    let office = session.office.to_string();
    if matches!(db, Db::Data(_)) {
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(pool)
            .await
            .map_err(|e| e.to_string())?;
        ensure(ok == "ok", || format!("integrity_check: {ok}"))?;
        let broken = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(pool)
            .await
            .map_err(|e| e.to_string())?;
        ensure(broken.is_empty(), || format!("{} foreign keys broken", broken.len()))?;
    }

    // Background reads: resumed after the restart and finished, or failed with a reason.
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let pending = count(
            pool,
            "SELECT count(*) FROM read_jobs WHERE status IN ('queued', 'running')",
            &[],
        )
        .await?;
        if pending == 0 {
            break;
        }
        ensure(Instant::now() < deadline, || {
            format!("{pending} read jobs still queued or running 180 s after the restart")
        })?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let unexplained = count(
        pool,
        "SELECT count(*) FROM read_jobs WHERE status = 'failed' AND (reason_zh IS NULL OR \
         reason_en IS NULL OR reason_zh = '' OR reason_en = '')",
        &[],
    )
    .await?;
    ensure(unexplained == 0, || format!("{unexplained} read jobs failed without a reason"))?;
    let unread = count(
        pool,
        "SELECT count(*) FROM read_jobs j WHERE j.status = 'done' AND NOT EXISTS \
         (SELECT 1 FROM collected_reports c WHERE c.document_id = j.document_id)",
        &[],
    )
    .await?;
    ensure(unread == 0, || format!("{unread} read jobs done without their reading stored"))?;
    let orphans = count(
        pool,
        "SELECT count(*) FROM documents d WHERE d.org_id = CAST($1 AS BIGINT) AND NOT EXISTS \
         (SELECT 1 FROM read_jobs j WHERE j.document_id = d.id)",
        &[&office],
    )
    .await?;
    ensure(orphans == 0, || format!("{orphans} uploaded documents have no read job"))?;

    // Register imports: all rows of an import or none; every acknowledged one whole.
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT case_key FROM cases WHERE agency_id = $1 AND case_key LIKE 'CR-%'",
    )
    .bind(session.agency)
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    let mut per_import: BTreeMap<u64, i64> = BTreeMap::new();
    for key in &keys {
        let seq = key.split('-').nth(1).and_then(|s| s.parse().ok());
        *per_import.entry(seq.ok_or_else(|| format!("unexpected key {key}"))?).or_default() += 1;
    }
    let mut present = 0;
    for import in &ledger.imports {
        let n = per_import.get(&import.seq).copied().unwrap_or(0);
        let rows = i64::try_from(import.rows).unwrap_or(i64::MAX);
        ensure(n == 0 || n == rows, || {
            format!("import {} is partial: {n} of its {rows} applications", import.seq)
        })?;
        ensure(!import.acknowledged || n == rows, || {
            format!("acknowledged import {} lost ({n} of {rows} applications)", import.seq)
        })?;
        present += i64::from(n > 0);
    }
    ensure(per_import.len() == usize::try_from(present).unwrap_or(0), || {
        "applications of an import the harness never sent".to_owned()
    })?;
    let audited = count(
        pool,
        "SELECT count(*) FROM audit_log WHERE action = 'register_imported' AND \
         org_id = CAST($1 AS BIGINT) AND user_id IS NOT NULL",
        &[&agency],
    )
    .await?;
    ensure(audited == present, || {
        format!("{present} imports stored but {audited} in the audit log")
    })?;
    let stateless = count(
        pool,
        "SELECT count(*) FROM cases c WHERE c.agency_id = CAST($1 AS BIGINT) AND NOT EXISTS \
         (SELECT 1 FROM case_state s WHERE s.case_id = c.id)",
        &[&agency],
    )
    .await?;
    ensure(stateless == 0, || format!("{stateless} applications without their listing state"))?;
    let uneven = count(
        pool,
        "SELECT count(*) FROM cases c WHERE c.agency_id = CAST($1 AS BIGINT) AND c.version <> \
         (SELECT count(*) FROM case_events e WHERE e.case_id = c.id)",
        &[&agency],
    )
    .await?;
    ensure(uneven == 0, || format!("{uneven} applications whose version is not their events"))?;

    // Publications: whole versions 1..n, each with its digest, lock and audit entry.
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT version, report, sha256 FROM report_versions WHERE agency_id = $1 AND year = $2 \
         ORDER BY version",
    )
    .bind(session.agency)
    .bind(i64::from(YEAR))
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    for (i, (version, report, sha)) in rows.iter().enumerate() {
        ensure(*version == i64::try_from(i).unwrap_or(0) + 1, || {
            format!("published versions are not 1..n: {version} at {i}")
        })?;
        let digest = Sha256::digest(report.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        ensure(&hex == sha, || format!("version {version}: the report does not match its digest"))?;
        serde_json::from_str::<serde_json::Value>(report)
            .map_err(|e| format!("version {version}: the report is not JSON: {e}"))?;
    }
    let latest = i64::try_from(rows.len()).unwrap_or(0);
    for v in &ledger.published {
        ensure(*v <= latest, || format!("acknowledged version {v} lost (latest {latest})"))?;
    }
    let year = YEAR.to_string();
    let locked = count(
        pool,
        "SELECT count(*) FROM year_locks WHERE agency_id = CAST($1 AS BIGINT) AND \
         year = CAST($2 AS BIGINT)",
        &[&agency, &year],
    )
    .await?;
    ensure(locked == i64::from(latest > 0), || {
        format!("year lock {locked} for {latest} versions")
    })?;
    let versions = count(
        pool,
        "SELECT count(*) FROM report_versions WHERE agency_id = CAST($1 AS BIGINT)",
        &[&agency],
    )
    .await?;
    let audited = count(
        pool,
        "SELECT count(*) FROM audit_log WHERE action = 'report_published' AND \
         org_id = CAST($1 AS BIGINT)",
        &[&agency],
    )
    .await?;
    ensure(audited == versions, || {
        format!("{versions} versions published but {audited} in the audit log")
    })?;

    // Uploads: acknowledged ones present (and read, when the answer said so); audited.
    let read: BTreeSet<i64> = sqlx::query_scalar("SELECT document_id FROM collected_reports")
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    let batches: BTreeSet<i64> = sqlx::query_scalar("SELECT DISTINCT batch_id FROM read_jobs")
        .fetch_all(pool)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    for upload in &ledger.uploads {
        match upload {
            Uploaded::Read(ids) => {
                for id in ids {
                    ensure(read.contains(id), || {
                        format!("acknowledged reading of document {id} lost")
                    })?;
                }
            }
            Uploaded::Queued(batch) => {
                ensure(batches.contains(batch), || format!("acknowledged batch {batch} lost"))?;
            }
        }
    }
    let documents =
        count(pool, "SELECT count(*) FROM documents WHERE org_id = CAST($1 AS BIGINT)", &[&office])
            .await?;
    let audited = count(
        pool,
        "SELECT count(*) FROM audit_log WHERE action = 'document_uploaded' AND \
         org_id = CAST($1 AS BIGINT)",
        &[&office],
    )
    .await?;
    ensure(audited == documents, || {
        format!("{documents} documents stored but {audited} uploads in the audit log")
    })?;
    let batches = count(
        pool,
        "SELECT count(*) FROM read_batches WHERE office_id = CAST($1 AS BIGINT)",
        &[&office],
    )
    .await?;
    let audited = count(
        pool,
        "SELECT count(*) FROM audit_log WHERE action = 'reads_queued' AND \
         org_id = CAST($1 AS BIGINT)",
        &[&office],
    )
    .await?;
    ensure(audited == batches, || format!("{batches} batches but {audited} in the audit log"))?;

    // Review decisions: acknowledged ones present; audited.
    let notes: BTreeSet<String> =
        sqlx::query_scalar("SELECT note FROM reviews WHERE note LIKE 'crash-review-%'")
            .fetch_all(pool)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .collect();
    for note in &ledger.reviews {
        ensure(notes.contains(note), || format!("acknowledged review decision {note} lost"))?;
    }
    let reviews =
        count(pool, "SELECT count(*) FROM reviews WHERE org_id = CAST($1 AS BIGINT)", &[&office])
            .await?;
    let audited = count(
        pool,
        "SELECT count(*) FROM audit_log WHERE action = 'finding_reviewed' AND \
         org_id = CAST($1 AS BIGINT)",
        &[&office],
    )
    .await?;
    ensure(audited == reviews, || format!("{reviews} reviews but {audited} in the audit log"))?;
    Ok(())
}
