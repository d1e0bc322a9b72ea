-- gongkai-store schema, version 4 (PostgreSQL): the other registers of an agency — proactive items
-- (先审后发), normative documents, decision tallies, administrative fees collected, disputes.
-- Keep in step with migrations/sqlite/0004_registers.sql.

-- One row per entry: its JSON in the register file's shape (gongkai_cases::registers), its place
-- in its sheet (`seq`, from 1), the year it counts toward and its register number when the
-- sheet has one. An import replaces a sheet's rows or appends to them, in one transaction.
CREATE TABLE register_entries (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES orgs (id),
    sheet     TEXT NOT NULL CHECK (sheet IN ('proactive', 'documents', 'decisions', 'fees_collected', 'disputes')),
    seq       BIGINT NOT NULL CHECK (seq >= 1),
    year      BIGINT NOT NULL,
    entry_key TEXT,
    entry     TEXT NOT NULL,
    UNIQUE (agency_id, sheet, seq)
);
CREATE INDEX register_entries_by_year ON register_entries (agency_id, sheet, year, seq);
