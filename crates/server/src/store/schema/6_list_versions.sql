-- Every list snapshot the server has loaded, so an auditor can see what the lists said when a customer was
-- screened: screenings name a version by `content_hash`.
CREATE TABLE list_versions (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    publisher TEXT NOT NULL,
    date TEXT,
    loaded_at TEXT NOT NULL,
    -- The per-list counts and dates, as `GET /v1/watchlists` shows them (JSON).
    lists TEXT NOT NULL,
    entities INTEGER NOT NULL
) STRICT;

-- Each version's entries, keyed as screenings name them ("OFAC SDN 12345"), with the SHA-256 of the
-- entry's content: two versions differ on an entry exactly when these differ.
CREATE TABLE list_version_entities (
    version_id INTEGER NOT NULL REFERENCES list_versions (id),
    entity_key TEXT NOT NULL,
    content_hash BLOB NOT NULL,
    PRIMARY KEY (version_id, entity_key)
) STRICT, WITHOUT ROWID;

-- Entry contents by hash (zlib-compressed JSON): an entry unchanged across versions is stored once, and
-- every version keeps what each of its entries said.
CREATE TABLE list_entity_contents (
    content_hash BLOB PRIMARY KEY,
    content BLOB NOT NULL
) STRICT, WITHOUT ROWID;

-- List updates' re-screening jobs. A job that a stop interrupted is still `running` and resumes at the
-- next start.
CREATE TABLE list_jobs (
    id TEXT PRIMARY KEY,
    trigger TEXT NOT NULL CHECK (trigger IN ('start', 'refresh', 'schedule', 'cli')),
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'superseded')),
    from_version TEXT,
    to_version TEXT NOT NULL REFERENCES list_versions (content_hash),
    -- Customers with a higher `seq` were created after the new lists took effect and screened on them.
    seq_bound INTEGER NOT NULL,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    to_rescreen INTEGER NOT NULL DEFAULT 0,
    scanned INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    moved_to_review INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT
) STRICT;
CREATE INDEX list_jobs_started ON list_jobs (started_at);

-- The list update job that made a screening, if one did.
ALTER TABLE screenings ADD COLUMN job_id TEXT REFERENCES list_jobs (id);

-- The version each load brought into force, so the server knows what was in force before it.
ALTER TABLE list_loads ADD COLUMN content_hash TEXT;
