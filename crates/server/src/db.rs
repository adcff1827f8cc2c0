//! The SQLite file is the system of record. Every schema change is a numbered migration applied in a
//! transaction, so a database from any earlier version opens and upgrades in place.

use std::path::Path;

use rusqlite::Connection;

/// Each entry is one migration; its position is its version. Never edit or reorder a released entry: append.
const MIGRATIONS: &[&str] = &[
    // 1: which list snapshot was in force from when, so any past screening can be traced to its lists.
    "CREATE TABLE list_loads (
        id INTEGER PRIMARY KEY,
        loaded_at TEXT NOT NULL,
        directory TEXT NOT NULL,
        snapshot_date TEXT NOT NULL
    );",
];

/// Opens (creating when needed) and migrates the database. WAL keeps readers from blocking the writer and
/// makes a committed transaction survive a crash of the process.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Records that a snapshot was loaded now.
pub fn record_list_load(
    conn: &Connection,
    directory: &str,
    snapshot_date: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO list_loads (loaded_at, directory, snapshot_date) VALUES (?1, ?2, ?3)",
        (chrono::Utc::now().to_rfc3339(), directory, snapshot_date),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_twice_migrates_once_and_keeps_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clearance.db");
        let conn = open(&path).unwrap();
        record_list_load(&conn, "lists", "2024-05-03").unwrap();
        drop(conn);
        let conn = open(&path).unwrap();
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM list_loads", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
