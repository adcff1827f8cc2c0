-- Customers. `profile` holds the nested parts (address, compliance profile, config, device, metadata) as
-- JSON, unmasked: masking happens on the way out. `name_key` is the lower-cased name for sorting and search.
CREATE TABLE customers (
    -- A stable integer key for the text index to point at; `id` is the public one.
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL CHECK (type IN ('individual', 'business')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'review', 'verified', 'inactive', 'rejected')),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    phone TEXT NOT NULL,
    external_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Bumped by every write, so a read-modify-write can tell that it lost a race.
    version INTEGER NOT NULL,
    -- The screening in force; NULL until the first one.
    review_id TEXT,
    -- The strongest match score of that screening, for the review queue's order.
    top_score REAL,
    profile TEXT NOT NULL
) STRICT;
-- The two list orders. Each also covers the status and type filters, so counting a filtered page's total
-- scans the index alone, never the table.
CREATE INDEX customers_created ON customers (created_at, id, status, type);
CREATE INDEX customers_name ON customers (name_key, id, status, type, created_at);
CREATE INDEX customers_status_created ON customers (status, created_at, id);
CREATE INDEX customers_status_name ON customers (status, name_key, id);
CREATE INDEX customers_email ON customers (email_key);
CREATE INDEX customers_external_id ON customers (external_id);

-- Substring search over names and emails (the list's `name` and `search_text` filters): a trigram index
-- answers `%text%` without scanning every customer. Kept in step with `customers` by the triggers.
CREATE VIRTUAL TABLE customers_text USING fts5(
    name_key, email_key, content = 'customers', content_rowid = 'seq', tokenize = 'trigram'
);
CREATE TRIGGER customers_text_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO customers_text (rowid, name_key, email_key) VALUES (new.seq, new.name_key, new.email_key);
END;
CREATE TRIGGER customers_text_delete AFTER DELETE ON customers
BEGIN
    INSERT INTO customers_text (customers_text, rowid, name_key, email_key)
    VALUES ('delete', old.seq, old.name_key, old.email_key);
END;
CREATE TRIGGER customers_text_update AFTER UPDATE OF name_key, email_key ON customers
BEGIN
    INSERT INTO customers_text (customers_text, rowid, name_key, email_key)
    VALUES ('delete', old.seq, old.name_key, old.email_key);
    INSERT INTO customers_text (rowid, name_key, email_key) VALUES (new.seq, new.name_key, new.email_key);
END;

-- One row per screening. The result is the watch_list section of the review, as JSON; it names the
-- customer's own name tokens, so it goes with the customer when the customer is deleted.
CREATE TABLE screenings (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    list_version TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('accept', 'review', 'reject')),
    result TEXT NOT NULL,
    decided_status TEXT CHECK (decided_status IN ('verified', 'rejected')),
    decided_by TEXT,
    decided_at TEXT,
    note TEXT
) STRICT;
CREATE INDEX screenings_customer ON screenings (customer_id, created_at);

-- The audit log: who did what to which customer, when, and the status before and after. It names fields,
-- never their values, so it holds no PII and outlives the customer. Append-only; a row may be deleted only
-- once it is older than the ten years 31 CFR 501.601 requires.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    status_before TEXT,
    status_after TEXT,
    api_request_id TEXT NOT NULL,
    request_id TEXT,
    correlation_id TEXT,
    fields TEXT,
    review_id TEXT,
    entities TEXT,
    note TEXT
) STRICT;
CREATE INDEX events_customer ON events (customer_id, id);
CREATE TRIGGER events_append_only BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER events_retained BEFORE DELETE ON events
WHEN old.at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 years')
BEGIN
    SELECT RAISE(ABORT, 'audit events are kept for 10 years (31 CFR 501.601)');
END;

-- API keys, stored as the SHA-256 of the secret: the secret itself is shown once, when created.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

-- The first response to each Idempotency-Key, per API key, written in the same transaction as the change
-- it answers, so a retry can never apply a change twice. Bodies are the masked responses; they still name
-- the customer, so they go when the customer is deleted.
CREATE TABLE idempotency (
    key_id TEXT NOT NULL,
    customer_id TEXT,
    idempotency_key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body_hash BLOB NOT NULL,
    status INTEGER NOT NULL,
    response BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
) STRICT;
CREATE INDEX idempotency_customer ON idempotency (customer_id);
