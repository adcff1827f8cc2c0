//! The SQLite file is the system of record. Every schema change is a numbered migration applied in a
//! transaction, so a database from any earlier version opens and upgrades in place.
//!
//! One connection writes, behind a lock, so transactions never contend for SQLite's write lock; readers
//! take pooled connections of their own and, under WAL, never wait for the writer.

pub mod audit;
pub mod customers;
pub mod idempotency;
pub mod keys;
pub mod screenings;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, Transaction};

/// Each entry is one migration; its position is its version. Never edit or reorder a released entry: append.
const MIGRATIONS: &[&str] = &[
    // 1: which list snapshot was in force from when, so any past screening can be traced to its lists.
    include_str!("schema/1_list_loads.sql"),
    // 2: customers, their screenings, the audit log, API keys and idempotency records.
    include_str!("schema/2_customers.sql"),
];

/// Opens (creating when needed) and migrates the database. WAL keeps readers from blocking the writer, and
/// a committed transaction survives a crash of the process (`synchronous=NORMAL` defers only the fsync,
/// which matters for a power cut, not a killed process).
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = connect(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted rows are overwritten, not just unlinked, so an erased customer's PII is gone from the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
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
        (crate::clock::now(), directory, snapshot_date),
    )?;
    Ok(())
}

/// The writer and a pool of readers over one database file. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

/// A poisoned lock means a panic mid-transaction; SQLite rolled that transaction back, so the connection
/// is still sound to use.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Db {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let writer = open(path)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Runs `f` in one write transaction, committed when it returns `Ok`. Blocking: call from
    /// `spawn_blocking` or a synchronous context.
    pub fn write<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = lock(&self.inner.writer);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Copies the WAL into the database and empties it, so pages an erasure overwrote leave no older copy
    /// in the log. Returns whether every frame was copied (a reader in the middle of a read can hold some
    /// back until the next checkpoint).
    pub fn checkpoint(&self) -> rusqlite::Result<bool> {
        let conn = lock(&self.inner.writer);
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(busy == 0)
    }

    /// Runs `f` on a reader connection. Blocking, like [`Db::write`].
    pub fn read<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let pooled = lock(&self.inner.readers).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => connect(&self.inner.path)?,
        };
        let value = f(&conn);
        lock(&self.inner.readers).push(conn);
        value
    }
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

    #[test]
    fn audit_rows_cannot_be_changed_or_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("clearance.db")).unwrap();
        conn.execute(
            "INSERT INTO events (customer_id, at, action, actor, role, api_request_id)
             VALUES ('c', '2026-11-21T00:00:00.000Z', 'created', 'k', 'admin', 'r')",
            [],
        )
        .unwrap();
        let update = conn.execute("UPDATE events SET action = 'deleted'", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = conn.execute("DELETE FROM events", []);
        assert!(delete.unwrap_err().to_string().contains("10 years"));
    }
}
