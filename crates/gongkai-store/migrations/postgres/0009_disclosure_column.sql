-- gongkai-store schema, version 9 (PostgreSQL): the public disclosure column (信息公开专栏) of each
-- agency — its catalogue of reviewed and published proactive items with a full-text index,
-- their attachments and 索引号 serials — and its disclosure guide (政府信息公开指南).
-- Keep in step with migrations/sqlite/0009_disclosure_column.sql.

-- The guide's contact details and the catalogue code (the 索引号 prefix), edited by the agency.
CREATE TABLE disclosure_guides (
    agency_id  BIGINT PRIMARY KEY REFERENCES orgs (id),
    code       TEXT NOT NULL,
    office     TEXT NOT NULL,
    address    TEXT NOT NULL,
    hours      TEXT NOT NULL,
    phone      TEXT NOT NULL,
    fax        TEXT NOT NULL,
    website    TEXT NOT NULL,
    email      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

-- The serial of each item's 索引号, given once, the first time the item is public, and kept
-- whatever happens to the register afterwards: `year` is the year of its first publication then.
CREATE TABLE column_serials (
    agency_id BIGINT NOT NULL REFERENCES orgs (id),
    item_key  TEXT NOT NULL,
    year      BIGINT NOT NULL,
    serial    BIGINT NOT NULL CHECK (serial >= 1),
    PRIMARY KEY (agency_id, item_key),
    UNIQUE (agency_id, year, serial)
);

-- The public catalogue: one row per item of the 主动公开 register that is reviewed and published
-- (先审后发), rebuilt from the register in the transaction of every change to it. `entry` is the
-- item's JSON, `published` its first publication day (ISO, so it sorts), `year` that day's year,
-- `tokens` the search tokens (gongkai_store::search), space-joined.
CREATE TABLE column_items (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES orgs (id),
    item_key  TEXT NOT NULL,
    year      BIGINT NOT NULL,
    published TEXT NOT NULL,
    subject   TEXT NOT NULL,
    entry     TEXT NOT NULL,
    tokens    TEXT NOT NULL,
    UNIQUE (agency_id, item_key)
);
CREATE INDEX column_items_browse ON column_items (agency_id, year, published);

-- The full-text index (SQLite's is the FTS5 table column_fts): the tokens as a tsvector whose
-- lexemes are taken literally (array_to_tsvector: the 'simple' configuration without its
-- parser, which would drop CJK characters under a C locale), searched with a tsquery of the
-- query's tokens.
CREATE INDEX column_items_search ON column_items USING GIN (array_to_tsvector(string_to_array(tokens, ' ')));

-- An item's attachment: the bytes in `blobs` (once per content), keyed by the item's register
-- number, so that a re-import of the register keeps it.
CREATE TABLE column_attachments (
    agency_id   BIGINT NOT NULL REFERENCES orgs (id),
    item_key    TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES blobs (sha256),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    PRIMARY KEY (agency_id, item_key)
);
