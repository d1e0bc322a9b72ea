-- gongkai-store schema, version 3 (SQLite): the case-state cache behind the listing of
-- applications. Keep in step with migrations/postgres/0003_case_state.sql.

-- One row per case: what the caller derived from the case record (Case::apply / replay) at
-- `version`, written in the transaction that created or appended to the case, and rebuildable
-- from the records. A cache, never the truth: rows are replaced, not appended.
-- Days are YYYYMMDD integers, so that they sort alike on both backends; `due_day` is 0 for a row
-- whose state was not derived at its version (`phase` NULL: listed first, as open, until rebuilt)
-- and 99991231 for a case with no deadline running.
CREATE TABLE case_state (
    case_id      BIGINT PRIMARY KEY REFERENCES cases (id),
    agency_id    BIGINT NOT NULL REFERENCES orgs (id),
    case_key     TEXT NOT NULL,
    version      BIGINT NOT NULL CHECK (version >= 0),
    year         BIGINT NOT NULL,
    received_day BIGINT NOT NULL,
    phase        TEXT,
    is_open      BIGINT NOT NULL CHECK (is_open IN (0, 1)),
    waiting      TEXT,
    due_day      BIGINT NOT NULL,
    closed_day   BIGINT,
    outcome      TEXT
);

-- The listing of an agency's cases by due date, with or without each filter: every combination
-- of filters is an equality prefix of one index, which also counts the matches by itself.
CREATE INDEX case_state_by_due ON case_state (agency_id, due_day, case_key);
CREATE INDEX case_state_year_by_due ON case_state (agency_id, year, due_day, case_key);
CREATE INDEX case_state_open_by_due ON case_state (agency_id, is_open, due_day, case_key);
CREATE INDEX case_state_open_year_by_due ON case_state (agency_id, is_open, year, due_day, case_key);
CREATE INDEX case_state_phase_by_due ON case_state (agency_id, phase, due_day, case_key);
CREATE INDEX case_state_phase_year_by_due ON case_state (agency_id, phase, year, due_day, case_key);

-- Cases stored before this version: listed as not derived (year and received day unknown, 0)
-- until Store::rebuild_case_state derives them.
INSERT INTO case_state (case_id, agency_id, case_key, version, year, received_day, is_open, due_day)
SELECT id, agency_id, case_key, version, 0, 0, 1, 0 FROM cases;
