-- gongkai-store schema, version 8 (SQLite): reports an office collects (published elsewhere),
-- read in the background through a job queue. Keep in step with
-- migrations/postgres/0008_collected_reports.sql.

-- One upload of one or more files (the API's job id).
CREATE TABLE read_batches (
    id        INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES orgs (id),
    queued_by BIGINT REFERENCES users (id),
    queued_at BIGINT NOT NULL
);

-- One file to read: queued → running → done | failed. `document_id` is null for a file that could
-- not even be stored (e.g. a zip entry over the limits): such a job is failed from the start.
-- `attempts` counts the times a worker claimed it; the reason of a failure is in both languages.
CREATE TABLE read_jobs (
    id          INTEGER PRIMARY KEY,
    batch_id    BIGINT NOT NULL REFERENCES read_batches (id),
    office_id   BIGINT NOT NULL REFERENCES orgs (id),
    document_id BIGINT REFERENCES documents (id),
    file_name   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts    BIGINT NOT NULL CHECK (attempts >= 0),
    reason_zh   TEXT,
    reason_en   TEXT,
    queued_at   BIGINT NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT
);
CREATE INDEX read_jobs_by_status ON read_jobs (status, id);
CREATE INDEX read_jobs_by_batch ON read_jobs (batch_id, id);
CREATE INDEX read_jobs_by_office ON read_jobs (office_id, id);

-- What was read from a collected document (the latest reading): the year and agency name as
-- printed, the agency matched in the office's subtree and how (`agency_id` null unless matched
-- exactly, after normalising or by a reviewer), the gongkai-report JSON (cells with their
-- origins) and the counts of errors and warnings.
CREATE TABLE collected_reports (
    document_id  BIGINT PRIMARY KEY REFERENCES documents (id),
    office_id    BIGINT NOT NULL REFERENCES orgs (id),
    year         BIGINT,
    agency_name  TEXT,
    agency_id    BIGINT REFERENCES orgs (id),
    matched_by   TEXT NOT NULL CHECK (matched_by IN ('exact', 'normalised', 'proposed', 'confirmed', 'none')),
    report       TEXT NOT NULL,
    errors       BIGINT NOT NULL CHECK (errors >= 0),
    warnings     BIGINT NOT NULL CHECK (warnings >= 0),
    read_at      BIGINT NOT NULL,
    confirmed_by BIGINT REFERENCES users (id),
    confirmed_at BIGINT,
    CHECK ((agency_id IS NULL) = (matched_by IN ('proposed', 'none')))
);
CREATE INDEX collected_by_agency ON collected_reports (agency_id, year, read_at);

-- The agencies proposed for a document whose name matched none exactly (for a reviewer to
-- confirm one).
CREATE TABLE collected_candidates (
    document_id BIGINT NOT NULL REFERENCES collected_reports (document_id),
    agency_id   BIGINT NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (document_id, agency_id)
);
