//! The queue of read jobs: each file an office collects ([`crate::collected`]) is read in the
//! background by a worker of the server, one job per file, grouped per upload in a batch (the
//! API's job id).
//!
//! A job is `queued`, then `running` once a worker claimed it ([`Store::claim_read_job`]: one
//! statement that moves the oldest queued job to running, so that two workers never take the same
//! job), then `done` ([`Store::finish_read`], with the result) or `failed` with a reason in both
//! languages ([`Store::fail_read`]). Jobs survive restarts: at start the server calls
//! [`Store::requeue_interrupted_reads`], which puts back the jobs a stopped server left running —
//! unless they were already claimed [`MAX_ATTEMPTS`] times, then they fail (a file that stops the
//! server every time is not read for ever). Reading a file again is harmless: the result is
//! replaced and findings are kept by fingerprint.

use std::fmt;

use gongkai_model::Msg;
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Action};
use crate::documents::DocumentId;
use crate::orgs::OrgId;
use crate::{Ctx, Entity, Store, StoreError, from_millis, millis};

/// How many times a job is claimed before a restart gives up on it.
pub const MAX_ATTEMPTS: u32 = 3;

/// The id of a read job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReadJobId(pub i64);

impl fmt::Display for ReadJobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The id of a batch of read jobs: the files of one upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BatchId(pub i64);

impl fmt::Display for BatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a read job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Waiting for a worker.
    Queued,
    /// A worker is reading the file.
    Running,
    /// Read; the result is stored.
    Done,
    /// Could not be read; the reason is kept.
    Failed,
}

impl JobStatus {
    /// Every status.
    pub const ALL: [JobStatus; 4] =
        [JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Failed];

    /// The stored key (also the API's `status`).
    pub const fn key(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    /// The status of a stored key.
    pub fn from_key(key: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether the job is finished (done or failed).
    pub const fn is_finished(self) -> bool {
        matches!(self, JobStatus::Done | JobStatus::Failed)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A file to queue: the document it was stored as, or why it could not be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRead {
    /// The file name as uploaded (inside a zip: `archive.zip/entry.pdf`), for display.
    pub file_name: String,
    /// The stored document, or the reason it was not stored (the job is failed at once).
    pub document: Result<DocumentId, Msg>,
}

/// A collected file to store and queue ([`Store::collect_files`]): its bytes, or the reason
/// it could not even be taken (e.g. a zip entry over the limits).
#[derive(Clone, Debug)]
pub struct NewCollected<'a> {
    /// The file name as uploaded (inside a zip: `archive.zip/entry.pdf`), for display.
    pub file_name: String,
    /// The document to store, or why there is none (the job is failed at once).
    pub upload: Result<crate::documents::Upload<'a>, Msg>,
}

/// A read job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadJob {
    /// Its id.
    pub id: ReadJobId,
    /// The upload it belongs to.
    pub batch: BatchId,
    /// The office that collected the file.
    pub office: OrgId,
    /// The stored document (`None` when the file could not be stored).
    pub document: Option<DocumentId>,
    /// The file name as uploaded.
    pub file_name: String,
    /// Where it is.
    pub status: JobStatus,
    /// How many times a worker claimed it.
    pub attempts: u32,
    /// Why it failed.
    pub reason: Option<Msg>,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// When a worker last claimed it.
    pub started_at: Option<Timestamp>,
    /// When it was done or failed.
    pub finished_at: Option<Timestamp>,
}

/// What [`Store::requeue_interrupted_reads`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Requeued {
    /// Jobs put back in the queue.
    pub requeued: u64,
    /// Jobs failed after [`MAX_ATTEMPTS`] attempts.
    pub failed: u64,
}

const JOB_COLUMNS: &str = "id, batch_id, office_id, document_id, file_name, status, attempts, \
                           reason_zh, reason_en, queued_at, started_at, finished_at";

impl Store {
    /// Queues the files of one upload of `office` as one batch, with its audit entry, in one
    /// transaction. A file that could not be stored is a failed job from the start.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown office or a document that is not the office's.
    pub async fn queue_reads(
        &self,
        ctx: &Ctx,
        office: OrgId,
        files: &[NewRead],
    ) -> Result<(BatchId, Vec<ReadJob>), StoreError> {
        let mut tx = self.write().await?;
        if crate::orgs::org_in(&mut tx, office).await?.is_none() {
            return Err(StoreError::NotFound { what: Entity::Org, key: office.to_string() });
        }
        let queued = queue_in(&mut tx, ctx, office, files).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Stores the files of one upload of `office` as its documents and queues their reads as one
    /// batch, all in one transaction with the audit entries: a server stopped in the middle
    /// leaves neither a document without its read job nor a job without its document. A file
    /// over `max_bytes` or of a malformed format is a failed job with the reason.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown office; database errors.
    pub async fn collect_files(
        &self,
        ctx: &Ctx,
        office: OrgId,
        files: &[NewCollected<'_>],
        max_bytes: u64,
    ) -> Result<(BatchId, Vec<ReadJob>), StoreError> {
        let mut tx = self.write().await?;
        if crate::orgs::org_in(&mut tx, office).await?.is_none() {
            return Err(StoreError::NotFound { what: Entity::Org, key: office.to_string() });
        }
        let mut reads = Vec::with_capacity(files.len());
        for file in files {
            let document = match &file.upload {
                Ok(upload) => {
                    let size = u64::try_from(upload.bytes.len()).unwrap_or(u64::MAX);
                    let checked = if size > max_bytes {
                        Err(StoreError::TooLarge { size, limit: max_bytes })
                    } else {
                        crate::documents::check_format(upload.format)
                    };
                    match checked {
                        Ok(()) => Ok(crate::documents::store_in(&mut tx, ctx, office, upload)
                            .await?
                            .document
                            .id),
                        Err(e) => return_reason(e)?,
                    }
                }
                Err(reason) => Err(reason.clone()),
            };
            reads.push(NewRead { file_name: file.file_name.clone(), document });
        }
        let queued = queue_in(&mut tx, ctx, office, &reads).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Claims the oldest queued job for a worker: it becomes `running`, its attempts counted.
    /// Two workers never claim the same job (the update only succeeds on a job still queued).
    /// `None` when nothing is queued.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn claim_read_job(&self, at: Timestamp) -> Result<Option<ReadJob>, StoreError> {
        loop {
            let row = sqlx::query(&format!(
                "UPDATE read_jobs SET status = 'running', attempts = attempts + 1, \
                 started_at = $1 WHERE status = 'queued' AND id = (SELECT min(id) FROM read_jobs \
                 WHERE status = 'queued') RETURNING {JOB_COLUMNS}"
            ))
            .bind(millis(at))
            .fetch_optional(self.pool())
            .await?;
            if let Some(row) = row {
                return job_of_row(&row).map(Some);
            }
            // Another worker may have taken the job we aimed at: try again while any is queued.
            let left: i64 =
                sqlx::query_scalar("SELECT count(*) FROM read_jobs WHERE status = 'queued'")
                    .fetch_one(self.pool())
                    .await?;
            if left == 0 {
                return Ok(None);
            }
        }
    }

    /// Marks a running job failed with `reason`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when no running job has this id.
    pub async fn fail_read(
        &self,
        at: Timestamp,
        job: ReadJobId,
        reason: &Msg,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE read_jobs SET status = 'failed', reason_zh = $1, reason_en = $2, \
             finished_at = $3 WHERE id = $4 AND status = 'running'",
        )
        .bind(&reason.zh)
        .bind(&reason.en)
        .bind(millis(at))
        .bind(job.0)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: Entity::ReadJob, key: job.to_string() });
        }
        Ok(())
    }

    /// Puts back in the queue the jobs left running by a server that stopped (what the server
    /// runs at start, before its workers claim anything); a job already claimed
    /// [`MAX_ATTEMPTS`] times fails instead, saying so.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn requeue_interrupted_reads(&self, at: Timestamp) -> Result<Requeued, StoreError> {
        let mut tx = self.write().await?;
        let failed = sqlx::query(
            "UPDATE read_jobs SET status = 'failed', reason_zh = $1, reason_en = $2, \
             finished_at = $3 WHERE status = 'running' AND attempts >= $4",
        )
        .bind(format!("读取{MAX_ATTEMPTS}次均未完成（服务在读取时停止）"))
        .bind(format!(
            "not finished after {MAX_ATTEMPTS} attempts (the server stopped while reading)"
        ))
        .bind(millis(at))
        .bind(i64::from(MAX_ATTEMPTS))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let requeued =
            sqlx::query("UPDATE read_jobs SET status = 'queued' WHERE status = 'running'")
                .execute(&mut *tx)
                .await?
                .rows_affected();
        tx.commit().await?;
        Ok(Requeued { requeued, failed })
    }

    /// The job `id` (any office's: the caller checks who may see it).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn read_job(&self, id: ReadJobId) -> Result<Option<ReadJob>, StoreError> {
        let row = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM read_jobs WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(job_of_row).transpose()
    }

    /// The office a batch belongs to, and its jobs in the order queued (`None` for no such batch).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn read_batch(
        &self,
        batch: BatchId,
    ) -> Result<Option<(OrgId, Vec<ReadJob>)>, StoreError> {
        let office: Option<i64> =
            sqlx::query_scalar("SELECT office_id FROM read_batches WHERE id = $1")
                .bind(batch.0)
                .fetch_optional(self.pool())
                .await?;
        let Some(office) = office else { return Ok(None) };
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM read_jobs WHERE batch_id = $1 ORDER BY id"
        ))
        .bind(batch.0)
        .fetch_all(self.pool())
        .await?;
        let jobs = rows.iter().map(job_of_row).collect::<Result<_, _>>()?;
        Ok(Some((OrgId(office), jobs)))
    }

    /// The newest `limit` jobs of `office`, newest first.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn read_jobs(&self, office: OrgId, limit: u32) -> Result<Vec<ReadJob>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLUMNS} FROM read_jobs WHERE office_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(office.0)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(job_of_row).collect()
    }

    /// How many jobs are queued or running, over every office (the worker's backlog).
    ///
    /// # Errors
    /// Database errors only.
    pub async fn pending_reads(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM read_jobs WHERE status IN ('queued', 'running')",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// A refusal of one file (too large, malformed format) as the reason of its failed job; any
/// other error stays an error.
fn return_reason(e: StoreError) -> Result<Result<DocumentId, Msg>, StoreError> {
    match e {
        StoreError::TooLarge { .. } | StoreError::Invalid(_) => {
            use gongkai_model::Localized as _;
            Ok(Err(e.words().0))
        }
        other => Err(other),
    }
}

/// Queues `files` of `office` as one batch inside the caller's transaction, with its audit
/// entry (the office is checked by the caller).
async fn queue_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: &Ctx,
    office: OrgId,
    files: &[NewRead],
) -> Result<(BatchId, Vec<ReadJob>), StoreError> {
    let row = sqlx::query(
        "INSERT INTO read_batches (office_id, queued_by, queued_at) VALUES ($1, $2, $3) \
             RETURNING id",
    )
    .bind(office.0)
    .bind(ctx.user.map(|u| u.0))
    .bind(millis(ctx.at))
    .fetch_one(&mut **tx)
    .await?;
    let batch = BatchId(row.try_get(0)?);
    let mut jobs = Vec::with_capacity(files.len());
    for file in files {
        let (document, status, reason) = match &file.document {
            Ok(id) => {
                let owned: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM documents WHERE id = $1 AND org_id = $2")
                        .bind(id.0)
                        .bind(office.0)
                        .fetch_optional(&mut **tx)
                        .await?;
                if owned.is_none() {
                    return Err(StoreError::NotFound {
                        what: Entity::Document,
                        key: id.to_string(),
                    });
                }
                (Some(*id), JobStatus::Queued, None)
            }
            Err(reason) => (None, JobStatus::Failed, Some(reason.clone())),
        };
        let finished = status.is_finished().then(|| millis(ctx.at));
        let row = sqlx::query(
            "INSERT INTO read_jobs (batch_id, office_id, document_id, file_name, status, \
                 attempts, reason_zh, reason_en, queued_at, finished_at) \
                 VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9) RETURNING id",
        )
        .bind(batch.0)
        .bind(office.0)
        .bind(document.map(|d| d.0))
        .bind(&file.file_name)
        .bind(status.key())
        .bind(reason.as_ref().map(|r| r.zh.clone()))
        .bind(reason.as_ref().map(|r| r.en.clone()))
        .bind(millis(ctx.at))
        .bind(finished)
        .fetch_one(&mut **tx)
        .await?;
        jobs.push(ReadJob {
            id: ReadJobId(row.try_get(0)?),
            batch,
            office,
            document,
            file_name: file.file_name.clone(),
            status,
            attempts: 0,
            reason,
            queued_at: ctx.at,
            started_at: None,
            finished_at: status.is_finished().then_some(ctx.at),
        });
    }
    let subject = format!("batch {batch}: {} files", files.len());
    audit::record(tx, ctx, Some(office), Action::ReadsQueued, &subject).await?;
    Ok((batch, jobs))
}

pub(crate) fn job_of_row(row: &AnyRow) -> Result<ReadJob, StoreError> {
    let status: String = row.try_get(5)?;
    let attempts: i64 = row.try_get(6)?;
    let zh: Option<String> = row.try_get(7)?;
    let en: Option<String> = row.try_get(8)?;
    let opt_time = |i: usize| -> Result<Option<Timestamp>, StoreError> {
        row.try_get::<Option<i64>, _>(i)?.map(from_millis).transpose()
    };
    Ok(ReadJob {
        id: ReadJobId(row.try_get(0)?),
        batch: BatchId(row.try_get(1)?),
        office: OrgId(row.try_get(2)?),
        document: row.try_get::<Option<i64>, _>(3)?.map(DocumentId),
        file_name: row.try_get(4)?,
        status: JobStatus::from_key(&status)
            .ok_or(StoreError::Corrupt { what: "read job status", detail: status })?,
        attempts: u32::try_from(attempts)
            .map_err(|_| StoreError::Corrupt { what: "attempts", detail: attempts.to_string() })?,
        reason: match (zh, en) {
            (Some(zh), Some(en)) => Some(Msg { zh, en }),
            _ => None,
        },
        queued_at: from_millis(row.try_get(9)?)?,
        started_at: opt_time(10)?,
        finished_at: opt_time(11)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_keys() {
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::from_key(s.key()), Some(s));
        }
        assert_eq!(JobStatus::from_key("lost"), None);
        assert!(JobStatus::Failed.is_finished() && !JobStatus::Running.is_finished());
    }
}
