-- gongkai-store schema, version 2 (SQLite): published annual reports, immutable versions.
-- Keep in step with migrations/postgres/0002_published_reports.sql.

-- Each publication of an agency's report for a year is a new version: version 1 has no reason,
-- every later version (a correction) has one. `report` is the report as published (JSON), with
-- its SHA-256; `published_by` is the user who published it.
CREATE TABLE report_versions (
    id           INTEGER PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES orgs (id),
    year         BIGINT NOT NULL CHECK (year BETWEEN 2008 AND 2100),
    version      BIGINT NOT NULL CHECK (version >= 1),
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id),
    reason       TEXT,
    report       TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    UNIQUE (agency_id, year, version),
    CHECK ((version = 1) = (reason IS NULL))
);

CREATE TRIGGER report_versions_append_only_update BEFORE UPDATE ON report_versions
BEGIN SELECT RAISE(ABORT, 'report_versions is append-only'); END;
CREATE TRIGGER report_versions_append_only_delete BEFORE DELETE ON report_versions
BEGIN SELECT RAISE(ABORT, 'report_versions is append-only'); END;
