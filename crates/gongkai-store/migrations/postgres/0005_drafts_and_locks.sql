-- gongkai-store schema, version 5 (PostgreSQL): report drafts, year locks and the corrections made
-- under them. Keep in step with migrations/sqlite/0005_drafts_and_locks.sql.

-- Each save of an agency's draft for a year is a new version (from 1): the prose of the editable
-- sections (a JSON object, section → text) and the computed tables (gongkai-report JSON). A save
-- names the version it saw; a stale save is a conflict. Published versions are elsewhere
-- (report_versions) and never touched by a save.
CREATE TABLE report_drafts (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES orgs (id),
    year      BIGINT NOT NULL CHECK (year BETWEEN 2008 AND 2100),
    version   BIGINT NOT NULL CHECK (version >= 1),
    saved_at  BIGINT NOT NULL,
    saved_by  BIGINT REFERENCES users (id),
    prose     TEXT NOT NULL,
    report    TEXT NOT NULL,
    UNIQUE (agency_id, year, version)
);

-- Publishing year Y of an agency locks it: a later change dated in Y or before is a correction
-- with a reason. Written in the publishing transaction; never removed.
CREATE TABLE year_locks (
    agency_id      BIGINT NOT NULL REFERENCES orgs (id),
    year           BIGINT NOT NULL,
    locked_at      BIGINT NOT NULL,
    locked_by      BIGINT REFERENCES users (id),
    PRIMARY KEY (agency_id, year)
);

-- Each change made under a lock, with its reason: the earliest locked year it changes, and the
-- case and the version the change made it, or the register sheet it changed.
CREATE TABLE corrections (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES orgs (id),
    year      BIGINT NOT NULL,
    case_id   BIGINT REFERENCES cases (id),
    version   BIGINT,
    sheet     TEXT,
    reason    TEXT NOT NULL CHECK (reason <> ''),
    at        BIGINT NOT NULL,
    user_id   BIGINT REFERENCES users (id),
    CHECK ((case_id IS NULL) = (sheet IS NOT NULL))
);

CREATE TRIGGER report_drafts_append_only BEFORE UPDATE OR DELETE ON report_drafts
    FOR EACH ROW EXECUTE FUNCTION gongkai_refuse_change();
CREATE TRIGGER year_locks_append_only BEFORE UPDATE OR DELETE ON year_locks
    FOR EACH ROW EXECUTE FUNCTION gongkai_refuse_change();
CREATE TRIGGER corrections_append_only BEFORE UPDATE OR DELETE ON corrections
    FOR EACH ROW EXECUTE FUNCTION gongkai_refuse_change();
