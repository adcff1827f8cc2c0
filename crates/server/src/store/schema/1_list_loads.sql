CREATE TABLE list_loads (
    id INTEGER PRIMARY KEY,
    loaded_at TEXT NOT NULL,
    directory TEXT NOT NULL,
    snapshot_date TEXT NOT NULL
);
