-- Publishable keys, for the onboarding widget in a public web page, and an index to expire stored answers.
-- Publishable keys: a fourth role, and the web origins each
-- key may be used from (a JSON array of "https://host[:port]"; empty for the staff roles). SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE api_keys_4 (
    id TEXT PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('publishable', 'viewer', 'analyst', 'admin')),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    origins TEXT NOT NULL DEFAULT '[]'
) STRICT;
INSERT INTO api_keys_4 (id, hash, role, label, created_at, revoked_at)
    SELECT id, hash, role, label, created_at, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_4 RENAME TO api_keys;
-- Stored answers are forgotten after 24 hours on every delete too, not only at start-up: a delete's own
-- answer names the erased customer.
CREATE INDEX idempotency_created ON idempotency (created_at);
