-- gongkai-store schema, version 7 (SQLite): findings with stable fingerprints and review
-- decisions. Keep in step with migrations/postgres/0007_findings.sql.

-- Findings attached to a document or to a published report version, by fingerprint (SHA-256 of
-- the rule id, the cell keys and the printed values); `finding` is the checker's JSON.
CREATE TABLE findings (
    id                INTEGER PRIMARY KEY,
    org_id            BIGINT NOT NULL REFERENCES orgs (id),
    document_id       BIGINT REFERENCES documents (id),
    report_version_id BIGINT REFERENCES report_versions (id),
    fingerprint       TEXT NOT NULL,
    rule              TEXT NOT NULL,
    finding           TEXT NOT NULL,
    CHECK ((document_id IS NULL) <> (report_version_id IS NULL))
);
CREATE UNIQUE INDEX findings_per_target ON findings (org_id, coalesce(document_id, 0), coalesce(report_version_id, 0), fingerprint);
CREATE INDEX findings_by_fingerprint ON findings (org_id, fingerprint);

-- Review decisions on a fingerprint of an organisation, appended; the latest is current.
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    fingerprint TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
    note        TEXT NOT NULL,
    decided_by  BIGINT REFERENCES users (id),
    decided_at  BIGINT NOT NULL
);
CREATE INDEX reviews_by_fingerprint ON reviews (org_id, fingerprint, id);

CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END;
CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END;
