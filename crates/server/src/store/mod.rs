//! Storage: every SQL statement the server runs, behind [`Store`] and the [`Conn`] it lends to services.
//! Services never see SQL or a driver type, so a second engine is one more implementation of this module.
//!
//! The SQLite file is the system of record. Every schema change is a numbered migration applied in a
//! transaction, so a database from any earlier version opens and upgrades in place.
//!
//! One connection writes, behind a lock, so transactions never contend for SQLite's write lock; readers
//! take pooled connections of their own and, under WAL, never wait for the writer. The writer commits with
//! `synchronous=FULL` (an acknowledged write survives a power cut) and groups the requests that queue
//! while it commits into the next commit, each in a savepoint of its own, so durability costs one sync
//! per group rather than one per request. Checkpoints (copying the WAL back into the database, with a
//! sync of its own) run on a thread of their own, so a commit never waits for one.

pub mod audit;
pub mod customers;
pub mod idempotency;
pub mod jobs;
pub mod keyring;
pub mod keys;
pub mod matches;
pub mod screenings;
pub mod versions;
pub mod webhooks;

pub use customers::{Filter, Page};
pub use idempotency::Stored as StoredReply;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, Transaction};

pub use keyring::{KeySource, Keyring};

/// `value` as the JSON text a column holds.
fn to_json<T: serde::Serialize>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// Each entry is one migration; its position is its version. Never edit or reorder a released entry: append.
const MIGRATIONS: &[&str] = &[
    // 1: which list snapshot was in force from when, so any past screening can be traced to its lists.
    include_str!("schema/1_list_loads.sql"),
    // 2: customers, their screenings, the audit log, API keys and idempotency records.
    include_str!("schema/2_customers.sql"),
    // 3: the compliance profile sealed with a data key.
    include_str!("schema/3_pii_sealed.sql"),
    // 4: publishable keys and their origins.
    include_str!("schema/4_publishable_keys.sql"),
    // 5: the substring index filled in batches.
    include_str!("schema/5_text_index_batched.sql"),
    // 6: list versions with their entries' content, and list updates' re-screening jobs.
    include_str!("schema/6_list_versions.sql"),
    // 7: per-match decisions, false-positive memory, four-eyes approval, assignment and time in review.
    include_str!("schema/7_review_workflow.sql"),
    // 8: webhooks and their outbox.
    include_str!("schema/8_webhooks.sql"),
    // 9: the review queue's strongest matched party.
    include_str!("schema/9_queue_columns.sql"),
];

/// New customers the substring index takes at once while writes queue (see `Conn::index_new_customers`);
/// until then a search scans them directly. A quiet writer adds each group's customers as it commits them.
const TEXT_INDEX_BATCH: i64 = 256;
/// A group of this many writes means requests are queueing for the writer.
const BUSY_GROUP: usize = 4;
/// The writer's page cache, in KiB. Reads come from the memory map, so the cache mostly holds pages
/// being written; and ending each transaction walks the cache (a profile shows SQLite's page-cache
/// truncation at every commit), so a large one costs more than it saves. Creates a second with `FULL` at
/// 100,000 customers: 2 MiB 1,271; 4 MiB 1,333 and 1,287; 16 MiB 1,172; 64 MiB 1,202. Readers keep
/// SQLite's 2 MiB: each write empties their caches.
const WRITER_CACHE_KIB: i64 = 4 * 1024;
/// How much of the database file each connection maps into memory.
const MMAP_BYTES: i64 = 1 << 30;
/// Rows the writer changes between two requests for a background checkpoint: a few hundred creates, a
/// WAL of some megabytes.
const CHECKPOINT_AFTER_CHANGES: u64 = 1_000;
/// The writer's own automatic checkpoint (SQLite's default is 1,000 pages), left on only as a backstop
/// that bounds the WAL should the checkpoint thread fall behind.
const BACKSTOP_CHECKPOINT_PAGES: i64 = 10_000;

/// Opens (creating when needed) and migrates the database. WAL keeps readers from blocking the writer; the
/// writer's `synchronous` setting is the server's `Durability` (`FULL` unless asked otherwise).
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = connect(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Reads served from a memory map rather than copied into each connection's cache.
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
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

/// How far a commit is flushed before the write is acknowledged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// Synced to disk: an acknowledged write survives a power cut (the default).
    Full,
    /// Written to the OS: survives a killed process, not a power cut; for comparison in benchmarks.
    Normal,
}

impl Durability {
    fn pragma(self) -> &'static str {
        match self {
            Self::Full => "FULL",
            Self::Normal => "NORMAL",
        }
    }
}

/// Why storage failed, with the driver's error as its source.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("storage worker: {0}")]
    Worker(#[from] tokio::task::JoinError),
    #[error("no randomness for a key: {0}")]
    Randomness(getrandom::Error),
    #[error("data key: {0}")]
    DataKey(String),
    #[error("the group commit failed: {0}")]
    Commit(Arc<rusqlite::Error>),
    #[error("the write was dropped before it ran: its group could not begin")]
    Abandoned,
    /// Its message never includes the parser's, which can quote the stored value.
    #[error("a stored compliance profile does not parse")]
    Profile(#[source] serde_json::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// One connection, lent to a service for the length of a read or a write transaction, with the data keys.
/// Its methods, one module per table, are the only way services touch storage.
pub struct Conn<'a>(&'a Connection, &'a Keyring);

impl Conn<'_> {
    /// Records that a list directory was loaded now, as part of the version `content_hash`.
    pub fn record_list_load(
        &self,
        directory: &str,
        snapshot_date: &str,
        content_hash: &str,
    ) -> StoreResult<()> {
        self.0.execute(
            "INSERT INTO list_loads (loaded_at, directory, snapshot_date, content_hash)
             VALUES (?1, ?2, ?3, ?4)",
            (crate::clock::now(), directory, snapshot_date, content_hash),
        )?;
        Ok(())
    }

    /// The last load that brought a list version into force, by any process: its row id and the version;
    /// none before the first recorded one.
    pub fn last_load(&self) -> StoreResult<Option<(i64, String)>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT id, content_hash FROM list_loads WHERE content_hash IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?)
    }
}

/// The async face of the database: each call runs its closure on the blocking pool, once, so no handler
/// or service repeats that glue.
#[derive(Clone)]
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens (creating and migrating when needed) the database file, and seals any compliance profile a
    /// version before encryption at rest left in the clear.
    pub fn open(path: &Path, keyring: Keyring, durability: Durability) -> StoreResult<Self> {
        let store = Self {
            db: Db::open(path, keyring)?,
        };
        lock(&store.db.inner.writer).pragma_update(None, "synchronous", durability.pragma())?;
        let sealed = store.write_blocking(|conn| conn.seal_legacy_profiles())?;
        if sealed > 0 {
            tracing::info!(
                sealed,
                "compliance profiles stored in the clear were encrypted"
            );
            store.db.checkpoint()?;
        }
        Ok(store)
    }

    /// Runs `f` in one write transaction, committed when it returns `Ok`.
    pub async fn write<T, E>(
        &self,
        f: impl FnOnce(&Conn<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.on_blocking_pool(move |db| db.write_grouped(f)).await
    }

    /// Runs `f` on a reader connection.
    pub async fn read<T, E>(
        &self,
        f: impl FnOnce(&Conn<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.on_blocking_pool(move |db| db.read(|conn| f(&Conn(conn, &db.inner.keyring))))
            .await
    }

    /// The one place storage work leaves the async runtime: SQLite blocks, so it runs on the blocking pool.
    async fn on_blocking_pool<T, E>(
        &self,
        f: impl FnOnce(&Db) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(|e| E::from(StoreError::from(e)))?
    }

    /// [`Store::write`] for callers already off the async runtime (start-up, background screening).
    pub fn write_blocking<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Conn<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.db.write(|tx| f(&Conn(tx, &self.db.inner.keyring)))
    }

    /// [`Store::read`] for callers already off the async runtime.
    pub fn read_blocking<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Conn<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.db.read(|conn| f(&Conn(conn, &self.db.inner.keyring)))
    }

    /// Copies the WAL into the database and empties it; see [`Db::checkpoint`].
    pub async fn checkpoint(&self) -> StoreResult<bool> {
        self.on_blocking_pool(|db| Ok(db.checkpoint()?)).await
    }
}

/// Runs one command-line action (`clearance keys ...`) in a write transaction of its own connection, with
/// `keyring`; a running server's writer waits for it at most briefly.
pub fn with_conn<T>(
    path: &Path,
    keyring: &Keyring,
    f: impl FnOnce(&Conn<'_>) -> StoreResult<T>,
) -> StoreResult<T> {
    let mut conn = open(path)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let value = f(&Conn(&tx, keyring))?;
    tx.commit()?;
    Ok(value)
}

/// The writer and a pool of readers over one database file. Cheap to clone.
#[derive(Clone)]
struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    keyring: Keyring,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Writes waiting for the next group commit.
    queue: Mutex<Vec<Job>>,
    /// Wakes the checkpoint thread; it ends when this is dropped.
    checkpoints: SyncSender<()>,
    /// Held by whichever checkpoint runs: SQLite lets one run at a time and refuses a second at once, so
    /// an erasure's checkpoint waits here for a background one instead of failing.
    checkpointing: Arc<Mutex<()>>,
    /// The writer's `total_changes` when it last asked for a checkpoint.
    changes_at_checkpoint: AtomicU64,
}

/// One queued write: runs in its savepoint and returns what to hand its caller once the group's commit
/// has succeeded or failed.
type Job = Box<dyn FnOnce(&Connection, &Keyring) -> Deliver + Send>;
type Deliver = Box<dyn FnOnce(Result<(), Arc<rusqlite::Error>>) + Send>;

/// Runs `f` in a savepoint: kept when it returns `Ok`, rolled back when it returns `Err`.
fn savepoint<T, E: From<StoreError>>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T, E>,
) -> Result<T, E> {
    conn.execute_batch("SAVEPOINT job")
        .map_err(StoreError::from)?;
    let result = f(conn);
    let end = if result.is_ok() {
        "RELEASE job"
    } else {
        "ROLLBACK TO job; RELEASE job"
    };
    conn.execute_batch(end).map_err(StoreError::from)?;
    result
}

/// The checkpoint thread: a passive checkpoint (it never blocks the writer or a reader) each time the
/// writer asks, until the database is dropped.
fn checkpoint_when_asked(conn: &Connection, wake: &Receiver<()>, running: &Mutex<()>) {
    while wake.recv().is_ok() {
        let _running = lock(running);
        if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(%error, "a background checkpoint failed; the next one retries");
        }
    }
}

/// A poisoned lock means a panic mid-transaction; SQLite rolled that transaction back, so the connection
/// is still sound to use.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Db {
    fn open(path: &Path, keyring: Keyring) -> rusqlite::Result<Self> {
        let writer = open(path)?;
        writer.pragma_update(None, "wal_autocheckpoint", BACKSTOP_CHECKPOINT_PAGES)?;
        writer.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        // Each grouped write runs in a savepoint, whose undo copies of the pages it changes go to a
        // sub-journal: a temporary file unless temporary storage is memory.
        writer.pragma_update(None, "temp_store", "MEMORY")?;
        let checkpointer = connect(path)?;
        let (checkpoints, wake) = std::sync::mpsc::sync_channel(1);
        let checkpointing = Arc::new(Mutex::new(()));
        let running = Arc::clone(&checkpointing);
        std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || checkpoint_when_asked(&checkpointer, &wake, &running))
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                keyring,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                queue: Mutex::new(Vec::new()),
                checkpoints,
                checkpointing,
                changes_at_checkpoint: AtomicU64::new(0),
            }),
        })
    }

    /// Asks for a background checkpoint once the writer has changed enough rows since the last request.
    /// Call with the writer held, after a commit.
    fn committed(&self, writer: &Connection) {
        let total = writer.total_changes();
        let last = self.inner.changes_at_checkpoint.load(Ordering::Relaxed);
        if total.saturating_sub(last) >= CHECKPOINT_AFTER_CHANGES {
            self.inner
                .changes_at_checkpoint
                .store(total, Ordering::Relaxed);
            // A full channel means a checkpoint is already asked for, and it copies these frames too.
            self.inner.checkpoints.try_send(()).ok();
        }
    }

    /// Runs `f` in one write transaction, committed when it returns `Ok`. Blocking: call from
    /// `spawn_blocking` or a synchronous context.
    fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = lock(&self.inner.writer);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        self.committed(&conn);
        Ok(value)
    }

    /// Runs `f` in the next group commit, in a savepoint of its own: an `Err` rolls back `f`'s changes
    /// alone. Returns once the group is durable. Blocking, like [`Db::write`].
    fn write_grouped<T, E>(
        &self,
        f: impl FnOnce(&Conn<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<T, E>>(1);
        let job: Job = Box::new(move |conn, keyring| {
            let result = savepoint(conn, |conn| f(&Conn(conn, keyring)));
            Box::new(move |committed| {
                let result = match committed {
                    Ok(()) => result,
                    Err(error) => Err(E::from(StoreError::Commit(error))),
                };
                sender.send(result).ok();
            })
        });
        lock(&self.inner.queue).push(job);
        let writer = lock(&self.inner.writer);
        // A leader delivers its whole group before it lets the writer go, so a job another leader took
        // has its answer by now; only a caller whose job is still queued leads the next group.
        match receiver.try_recv() {
            Ok(result) => return result,
            Err(TryRecvError::Empty) => self.commit_queued(writer),
            Err(TryRecvError::Disconnected) => {}
        }
        receiver
            .recv()
            .unwrap_or_else(|_| Err(E::from(StoreError::Abandoned)))
    }

    /// Commits whatever is queued, the caller's job among it, on the writer it holds.
    fn commit_queued(&self, mut conn: MutexGuard<'_, Connection>) {
        let jobs = std::mem::take(&mut *lock(&self.inner.queue));
        if jobs.is_empty() {
            return;
        }
        let tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(error) => {
                // Dropping the jobs unblocks their callers with `Abandoned`.
                tracing::error!(%error, dropped = jobs.len(), "a group of writes could not begin");
                return;
            }
        };
        let batch = if jobs.len() >= BUSY_GROUP {
            TEXT_INDEX_BATCH
        } else {
            1
        };
        let mut deliveries: Vec<Deliver> = Vec::with_capacity(jobs.len());
        let mut ended = false;
        for job in jobs {
            if ended {
                // Not run: dropping it tells its caller the write was abandoned.
                continue;
            }
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                job(&tx, &self.inner.keyring)
            }));
            match ran {
                Ok(deliver) => deliveries.push(deliver),
                Err(_) => {
                    // Its caller learns it was abandoned; its own changes are undone.
                    tracing::error!("a write panicked; its changes were rolled back");
                    ended |= tx.execute_batch("ROLLBACK TO job; RELEASE job").is_err();
                }
            }
            // Some failures (a full disk, an I/O error) end the whole transaction, not one statement.
            ended |= tx.is_autocommit();
        }
        if !ended {
            let indexed = savepoint(&tx, |tx| {
                Conn(tx, &self.inner.keyring).index_new_customers(batch)
            });
            if let Err(error) = indexed {
                // Searches scan what the index lacks, so this costs speed, not results; the next group retries.
                tracing::warn!(%error, "adding new customers to the substring index failed");
            }
            ended |= tx.is_autocommit();
        }
        let committed = if ended {
            drop(tx);
            Err(Arc::new(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
                Some("the group's transaction ended before its commit".into()),
            )))
        } else {
            tx.commit().map_err(Arc::new)
        };
        self.committed(&conn);
        for deliver in deliveries {
            deliver(committed.clone());
        }
    }

    /// Copies the WAL into the database and empties it, so pages an erasure overwrote leave no older copy
    /// in the log. Returns whether every frame was copied (a reader in the middle of a read can hold some
    /// back until the next checkpoint).
    fn checkpoint(&self) -> rusqlite::Result<bool> {
        let conn = lock(&self.inner.writer);
        let _running = lock(&self.inner.checkpointing);
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(busy == 0)
    }

    /// Runs `f` on a reader connection. Blocking, like [`Db::write`].
    fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let pooled = lock(&self.inner.readers).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => connect(&self.inner.path).map_err(StoreError::from)?,
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
        Conn(&conn, &Keyring::load(KeySource::None).unwrap())
            .record_list_load("lists", "2024-05-03", "v1")
            .unwrap();
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
    fn audit_rows_cannot_be_changed_or_deleted_for_ten_years() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("clearance.db")).unwrap();
        let event_at = |customer: &str, age: &str| {
            conn.execute(
                "INSERT INTO events (customer_id, at, action, actor, role, api_request_id)
                 VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2), 'created', 'k', 'admin', 'r')",
                [customer, age],
            )
            .unwrap();
        };
        event_at("young", "-0 days");
        event_at("nearly", "-3651 days");
        event_at("old", "-3654 days");
        let update = conn.execute("UPDATE events SET action = 'deleted'", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        for young in ["young", "nearly"] {
            let delete = conn.execute("DELETE FROM events WHERE customer_id = ?1", [young]);
            assert!(
                delete.unwrap_err().to_string().contains("10 years"),
                "{young} is under 10 years old"
            );
        }
        assert_eq!(
            conn.execute("DELETE FROM events WHERE customer_id = 'old'", [])
                .unwrap(),
            1,
            "a row past 10 years may go"
        );
    }

    #[test]
    fn a_failed_or_panicking_write_rolls_back_alone_in_its_group() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clearance.db");
        let db = Db::open(&path, Keyring::load(KeySource::None).unwrap()).unwrap();
        let results: Vec<Result<(), StoreError>> = std::thread::scope(|scope| {
            let writers: Vec<_> = (0..16)
                .map(|i| {
                    let db = db.clone();
                    scope.spawn(move || {
                        db.write_grouped(move |conn| {
                            conn.record_list_load(&format!("dir-{i}"), "2024-05-03", "v1")?;
                            if i % 4 == 0 {
                                return Err(StoreError::Abandoned);
                            }
                            assert_ne!(i, 5, "a write that panics after writing");
                            Ok(())
                        })
                    })
                })
                .collect();
            writers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        let failed = results.iter().filter(|r| r.is_err()).count();
        assert_eq!(failed, 5, "four errors and one panic");
        let kept: i64 = open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM list_loads", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 11, "each failed write undid only its own row");
    }
}
