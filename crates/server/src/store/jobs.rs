//! The `list_jobs` table: list updates' re-screening jobs and their progress.

use clearance_api::{DeltaCounts, JobState, JobTrigger, ListJob};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, Row, params};

use super::{Conn, StoreResult};

/// A job to record.
pub struct NewJob<'a> {
    pub id: &'a str,
    pub trigger: JobTrigger,
    pub from_version: Option<&'a str>,
    pub to_version: &'a str,
    pub seq_bound: i64,
    pub delta: DeltaCounts,
}

/// A stored job, with what resuming it needs beyond what the API shows.
pub struct StoredJob {
    pub job: ListJob,
    pub seq_bound: i64,
}

/// The job's columns and its new lists' date, from `list_jobs j` joined to `list_versions v`.
const COLUMNS: &str = "j.id, j.trigger, j.state, j.from_version, j.to_version, j.seq_bound, j.added,
     j.removed, j.changed, j.to_rescreen, j.scanned, j.done, j.moved_to_review, j.errors, j.last_error,
     j.started_at, j.finished_at, v.date";
const FROM: &str = "list_jobs j LEFT JOIN list_versions v ON v.content_hash = j.to_version";

fn parsed<T>(column: usize, text: &str, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            Type::Text,
            format!("unknown value {text:?}").into(),
        )
    })
}

fn count(row: &Row<'_>, column: usize) -> rusqlite::Result<usize> {
    Ok(row.get::<_, i64>(column)?.max(0) as usize)
}

fn stored(row: &Row<'_>) -> rusqlite::Result<StoredJob> {
    Ok(StoredJob {
        job: ListJob {
            id: row.get(0)?,
            trigger: parsed(1, &row.get::<_, String>(1)?, JobTrigger::parse)?,
            state: parsed(2, &row.get::<_, String>(2)?, JobState::parse)?,
            from_version: row.get(3)?,
            to_version: row.get(4)?,
            list_date: row.get(17)?,
            delta: DeltaCounts {
                added: count(row, 6)?,
                removed: count(row, 7)?,
                changed: count(row, 8)?,
            },
            to_rescreen: count(row, 9)?,
            scanned: row.get(10)?,
            done: count(row, 11)?,
            moved_to_review: count(row, 12)?,
            errors: count(row, 13)?,
            last_error: row.get(14)?,
            started_at: row.get(15)?,
            finished_at: row.get(16)?,
        },
        seq_bound: row.get(5)?,
    })
}

impl Conn<'_> {
    /// The highest customer `seq` so far: customers above it are created from now on.
    pub fn last_customer_seq(&self) -> StoreResult<i64> {
        Ok(self
            .0
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM customers")?
            .query_row([], |row| row.get(0))?)
    }

    /// Records a new job, running.
    pub fn insert_job(&self, job: &NewJob<'_>) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "INSERT INTO list_jobs (id, trigger, state, from_version, to_version, seq_bound, added,
                     removed, changed, started_at)
                 VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                job.id,
                job.trigger.as_str(),
                job.from_version,
                job.to_version,
                job.seq_bound,
                job.delta.added as i64,
                job.delta.removed as i64,
                job.delta.changed as i64,
                crate::clock::now(),
            ])?;
        Ok(())
    }

    /// Marks every unfinished job superseded, as a newer update's job takes over its customers.
    pub fn supersede_jobs(&self) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE list_jobs SET state = 'superseded', finished_at = ?1
                 WHERE state IN ('running', 'failed')",
            )?
            .execute([crate::clock::now()])?;
        Ok(())
    }

    /// Records how many customers the job found to re-screen once it has looked at all of them.
    pub fn job_scanned(&self, id: &str, to_rescreen: usize) -> StoreResult<()> {
        self.0
            .prepare_cached("UPDATE list_jobs SET to_rescreen = ?2, scanned = 1 WHERE id = ?1")?
            .execute(params![id, to_rescreen as i64])?;
        Ok(())
    }

    /// Adds a batch's progress to the job.
    pub fn job_progress(&self, id: &str, done: usize, moved_to_review: usize) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE list_jobs SET done = done + ?2, moved_to_review = moved_to_review + ?3
                 WHERE id = ?1",
            )?
            .execute(params![id, done as i64, moved_to_review as i64])?;
        Ok(())
    }

    /// Counts a customer the job could not re-screen as done with an error, keeping the message.
    pub fn job_error(&self, id: &str, message: &str) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE list_jobs SET done = done + 1, errors = errors + 1, last_error = ?2 WHERE id = ?1",
            )?
            .execute(params![id, message])?;
        Ok(())
    }

    /// Ends the job as `state`, keeping `error`'s message when there is one.
    pub fn finish_job(&self, id: &str, state: JobState, error: Option<&str>) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE list_jobs SET state = ?2, finished_at = ?3, last_error = coalesce(?4, last_error)
                 WHERE id = ?1 AND state = 'running'",
            )?
            .execute(params![id, state.as_str(), crate::clock::now(), error])?;
        Ok(())
    }

    /// A failed job starts running again when the server resumes it. The customers it could not re-screen
    /// are still on the lists before, so its scan finds them again: they no longer count as done.
    pub fn resume_job(&self, id: &str) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE list_jobs SET state = 'running', finished_at = NULL, done = done - errors,
                     errors = 0, last_error = NULL
                 WHERE id = ?1 AND state = 'failed'",
            )?
            .execute([id])?;
        Ok(())
    }

    /// The job `id`, when there is one.
    pub fn job(&self, id: &str) -> StoreResult<Option<StoredJob>> {
        Ok(self
            .0
            .prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE j.id = ?1"))?
            .query_row([id], stored)
            .optional()?)
    }

    /// The newest job, whatever its state.
    pub fn latest_job(&self) -> StoreResult<Option<StoredJob>> {
        Ok(self
            .0
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM {FROM} ORDER BY j.started_at DESC, j.rowid DESC LIMIT 1"
            ))?
            .query_row([], stored)
            .optional()?)
    }
}
