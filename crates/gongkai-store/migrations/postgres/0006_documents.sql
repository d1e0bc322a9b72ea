-- gongkai-store schema, version 6 (PostgreSQL): uploaded source documents. Keep in step with
-- migrations/sqlite/0006_documents.sql.

-- The bytes of uploaded files, once per content, addressed by their SHA-256 (hex).
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   BIGINT NOT NULL CHECK (size >= 0),
    bytes  BYTEA NOT NULL
);

-- An organisation's uploaded document: the same bytes once per organisation. `file_name` is the
-- sanitised original name, for display only.
CREATE TABLE documents (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    sha256      TEXT NOT NULL REFERENCES blobs (sha256),
    format      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    UNIQUE (org_id, sha256)
);
