-- gongkai-store schema, version 1 (SQLite). Keep in step with migrations/postgres/0001_initial.sql:
-- the same tables, columns and constraints; only the dialect differs (identity columns, triggers).
-- Times are unix milliseconds (BIGINT); dates inside stored JSON are ISO 8601.

CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES orgs (id),
    kind        TEXT NOT NULL CHECK (kind IN ('office', 'agency')),
    name        TEXT NOT NULL CHECK (name <> ''),
    level       TEXT NOT NULL CHECK (level IN ('national', 'provincial', 'municipal', 'county', 'township')),
    region_code TEXT NOT NULL CHECK (length(region_code) = 6)
);
CREATE UNIQUE INDEX orgs_sibling_name ON orgs (coalesce(parent_id, 0), name);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT NOT NULL REFERENCES users (id),
    org_id  BIGINT NOT NULL REFERENCES orgs (id),
    role    TEXT NOT NULL CHECK (role IN ('clerk', 'approver', 'office_reviewer', 'admin')),
    PRIMARY KEY (user_id, org_id, role)
);

-- Sessions and API tokens: only the SHA-256 of the secret is stored (hex).
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    secret_sha256 TEXT NOT NULL UNIQUE,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    secret_sha256 TEXT NOT NULL UNIQUE,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT
);

-- Case records: the intake (JSON of gongkai_cases::Intake) and its events, appended.
-- `version` is the number of events: an append names the version it saw.
CREATE TABLE cases (
    id        INTEGER PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES orgs (id),
    case_key  TEXT NOT NULL,
    intake    TEXT NOT NULL,
    version   BIGINT NOT NULL CHECK (version >= 0),
    UNIQUE (agency_id, case_key)
);

CREATE TABLE case_events (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq     BIGINT NOT NULL CHECK (seq >= 1),
    event   TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- Applicants' personal data, apart from the case record (reachable only with the owning agency).
CREATE TABLE personal_data (
    case_id     BIGINT PRIMARY KEY REFERENCES cases (id),
    name        TEXT NOT NULL,
    contact     TEXT NOT NULL,
    id_document TEXT
);

-- Who did what, when, from where. Never personal data.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      BIGINT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    org_id  BIGINT REFERENCES orgs (id),
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    origin  TEXT NOT NULL
);

-- Append-only, enforced by the database too: events, the intake and the audit log are never
-- changed or removed.
CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER cases_intake_immutable BEFORE UPDATE OF intake, case_key, agency_id ON cases
BEGIN SELECT RAISE(ABORT, 'a case intake is never changed'); END;
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
