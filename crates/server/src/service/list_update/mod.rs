//! List updates without downtime. New lists are parsed and indexed beside the ones in force, recorded,
//! and swapped in at once; then a job re-screens only the customers whose result the change can reach:
//! those screened on lists whose entries their names could now match, and those whose matched entries
//! changed or went. Everyone else keeps a screening that a full re-screen would give again.

mod job;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use clearance_api::{DeltaCounts, JobState, JobTrigger, ListJob, ListVersion, RefreshOutcome};

use crate::delta::{self, Delta};
use crate::lists::{self, Lists};
use crate::service::DomainError;
use crate::state::AppState;
use crate::store::jobs::NewJob;
use crate::store::versions::NewVersion;
use crate::store::{Conn, StoreError};
use job::{Ended, RESCREEN_BATCH, run};

/// How often a long job logs how far it has got.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// The job in progress, if any. A newer update or the server's shutdown stops it between two batches;
/// what it has not done, the next job (or the next start) does.
#[derive(Default)]
pub struct Jobs {
    running: Mutex<Option<Arc<AtomicBool>>>,
    /// Held by a refresh from reading the sources to starting its job, so two refreshes never interleave.
    refreshing: Mutex<()>,
}

impl Jobs {
    /// Stops the running job at its next batch.
    pub fn stop(&self) {
        if let Some(stop) = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            stop.store(true, Ordering::Relaxed);
        }
    }

    fn replace(&self, stop: Arc<AtomicBool>) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = running.replace(stop) {
            old.store(true, Ordering::Relaxed);
        }
    }
}

/// Why a refresh brought nothing into force.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// A list file does not parse: the lists in force stay.
    #[error(transparent)]
    Lists(#[from] lists::ListsError),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<StoreError> for RefreshError {
    fn from(e: StoreError) -> Self {
        Self::Domain(e.into())
    }
}

/// Re-reads the configured list sources and, when they hold other lists than the ones in force, records
/// them, swaps them in and starts the job that re-screens for them. Blocking: it parses and indexes.
pub fn refresh_lists(
    state: &Arc<AppState>,
    trigger: JobTrigger,
) -> Result<RefreshOutcome, RefreshError> {
    let _one = state
        .jobs
        .refreshing
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let (snapshot, described) = lists::load(&state.sources)?;
    if snapshot.content_hash == state.lists.load().version() {
        return Ok(RefreshOutcome {
            changed: false,
            version: in_force(state)?,
            job: None,
        });
    }
    let (lists, entries) = lists::serving_state(snapshot, described);
    state
        .store
        .write_blocking(|conn| record_version_in(conn, &lists, &entries))?;
    let job = bring_into_force(state, lists, trigger)?;
    Ok(RefreshOutcome {
        changed: true,
        version: in_force(state)?,
        job: Some(job),
    })
}

/// The recorded version of the lists in force.
fn in_force(state: &AppState) -> Result<ListVersion, DomainError> {
    let current = state.lists.load().version().to_owned();
    state
        .store
        .read_blocking(|conn| conn.versions(&current))?
        .into_iter()
        .find(|v| v.in_force)
        .ok_or_else(|| DomainError::Inconsistent("the lists in force are not recorded".into()))
}

/// Records the lists' version with its entries, and the load of each directory, which says the version
/// is in force.
pub fn record_in(
    conn: &Conn<'_>,
    lists: &Lists,
    entries: &[delta::Entry],
) -> Result<(), DomainError> {
    record_version_in(conn, lists, entries)?;
    record_loads_in(conn, lists)
}

/// Records the lists' version with its entries, unless it is recorded already.
fn record_version_in(
    conn: &Conn<'_>,
    lists: &Lists,
    entries: &[delta::Entry],
) -> Result<(), DomainError> {
    let w = &lists.watchlists;
    conn.record_version(&NewVersion {
        content_hash: &w.content_hash,
        publisher: &w.publisher,
        date: w.date.as_deref(),
        lists: &w.lists,
        entries,
    })?;
    Ok(())
}

/// Records the load of each directory: from now on, the lists' version is the one in force. Written in
/// the transaction that swaps the lists in, so a stop between the two never leaves the version recorded
/// as in force with no job for it.
fn record_loads_in(conn: &Conn<'_>, lists: &Lists) -> Result<(), DomainError> {
    let w = &lists.watchlists;
    for snapshot in &w.directories {
        let directory = snapshot.directory.as_deref().unwrap_or_default();
        conn.record_list_load(directory, &snapshot.date, &w.content_hash)?;
    }
    Ok(())
}

/// Swaps `lists` in and starts the job for them.
fn bring_into_force(
    state: &Arc<AppState>,
    lists: Lists,
    trigger: JobTrigger,
) -> Result<ListJob, DomainError> {
    let id = swap_in(state, Arc::new(lists), trigger)?;
    start(Arc::clone(state), id.clone());
    let job = state.store.read_blocking(|conn| conn.job(&id))?;
    job.map(|j| j.job)
        .ok_or_else(|| DomainError::Inconsistent(format!("job {id} vanished")))
}

/// Records the job for `lists` and swaps them in, inside one write transaction, so every write commits
/// either wholly before the swap (and the job sees that customer) or wholly after it (and screened on the
/// new lists). Returns the job's id.
fn swap_in(
    state: &AppState,
    lists: Arc<Lists>,
    trigger: JobTrigger,
) -> Result<String, DomainError> {
    let previous = state.lists.load_full();
    let delta = Delta::between(&previous.digests, &lists.digests);
    let swapped = state.store.write_blocking(|conn| {
        record_loads_in(conn, &lists)?;
        let id = open_job(
            conn,
            trigger,
            Some(previous.version()),
            &lists,
            delta.counts(),
        )?;
        state.lists.store(Arc::clone(&lists));
        Ok::<_, DomainError>(id)
    });
    let id = match swapped {
        Ok(id) => id,
        Err(error) => {
            // The job was not recorded: the lists before stay in force.
            state.lists.store(previous);
            return Err(error);
        }
    };
    tracing::info!(
        job = %id,
        added = delta.added.len(),
        removed = delta.removed.len(),
        changed = delta.changed.len(),
        "new lists in force; re-screening the customers the change can reach"
    );
    Ok(id)
}

/// At start-up, with the loaded lists recorded: resumes the job a stop interrupted when it is for these
/// lists, else starts one when the lists differ from the ones in force before (or are the first recorded
/// while customers exist, screened on lists never recorded). Returns the job's id.
pub fn resume_or_start(
    conn: &Conn<'_>,
    lists: &Lists,
    before: Option<&str>,
    trigger: JobTrigger,
) -> Result<Option<String>, DomainError> {
    if let Some(latest) = conn.latest_job()?
        && matches!(latest.job.state, JobState::Running | JobState::Failed)
        && latest.job.to_version == lists.version()
    {
        conn.resume_job(&latest.job.id)?;
        return Ok(Some(latest.job.id));
    }
    let needed = match before {
        Some(before) => before != lists.version(),
        None => conn.last_customer_seq()? > 0,
    };
    if !needed {
        return Ok(None);
    }
    let delta = match before {
        Some(before) => conn
            .version_digests(before)?
            .map(|old| Delta::between(&old, &lists.digests).counts())
            .unwrap_or_default(),
        None => Default::default(),
    };
    Ok(Some(open_job(conn, trigger, before, lists, delta)?))
}

/// Records a new job bringing `lists` into force after `from`, superseding any unfinished one, whose
/// customers it covers. Returns its id.
fn open_job(
    conn: &Conn<'_>,
    trigger: JobTrigger,
    from: Option<&str>,
    lists: &Lists,
    delta: DeltaCounts,
) -> Result<String, DomainError> {
    let id = uuid::Uuid::now_v7().to_string();
    conn.supersede_jobs()?;
    conn.insert_job(&NewJob {
        id: &id,
        trigger,
        from_version: from,
        to_version: lists.version(),
        seq_bound: conn.last_customer_seq()?,
        delta,
    })?;
    Ok(id)
}

/// Runs the job `id` on a thread of its own, stopping any job still running.
pub fn start(state: Arc<AppState>, id: String) {
    let stop = Arc::new(AtomicBool::new(false));
    state.jobs.replace(Arc::clone(&stop));
    let spawned = std::thread::Builder::new()
        .name("list-update".into())
        .spawn(move || {
            let reported = Mutex::new(Instant::now());
            let log = |done: usize, of: usize| {
                let mut reported = reported.lock().unwrap_or_else(PoisonError::into_inner);
                if reported.elapsed() >= PROGRESS_EVERY {
                    tracing::info!(job = %id, done, of, "list update re-screening");
                    *reported = Instant::now();
                }
            };
            run_recording_failure(&state, &id, &stop, &log).ok();
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "no thread for the list update job; the next start resumes it");
    }
}

/// Runs the job `id` in this thread to its end (`clearance lists update`), telling `observe` how many
/// customers of how many it has re-screened after each batch. Returns the job as it ended.
pub fn run_here(
    state: &AppState,
    id: &str,
    observe: &(dyn Fn(usize, usize) + Sync),
) -> Result<ListJob, DomainError> {
    run_recording_failure(state, id, &AtomicBool::new(false), observe)?;
    state
        .store
        .read_blocking(|conn| conn.job(id))?
        .map(|j| j.job)
        .ok_or_else(|| DomainError::Inconsistent(format!("job {id} vanished")))
}

/// Runs the job, logs how it ended, and records a failure on the job, which the next start resumes.
fn run_recording_failure(
    state: &AppState,
    id: &str,
    stop: &AtomicBool,
    observe: &(dyn Fn(usize, usize) + Sync),
) -> Result<(), DomainError> {
    match run(state, id, stop, observe) {
        Ok(Ended::Done(summary)) => {
            tracing::info!(
                job = %id,
                rescreened = summary.done,
                now_in_review = summary.moved_to_review,
                "list update re-screening done"
            );
            Ok(())
        }
        Ok(Ended::Stopped) => {
            tracing::info!(job = %id, "list update job stopped");
            Ok(())
        }
        Err(error) => {
            tracing::error!(job = %id, %error, "list update job failed; the next start resumes it");
            let message = error.to_string();
            let failed = state
                .store
                .write_blocking(|conn| conn.finish_job(id, JobState::Failed, Some(&message)));
            if let Err(error) = failed {
                tracing::error!(job = %id, %error, "recording the job's failure failed");
            }
            Err(error)
        }
    }
}

/// How often the server looks for lists another process brought into force.
const WATCH_EVERY: Duration = Duration::from_secs(5);

/// Refreshes the lists when another process (`clearance lists update`) recorded a version other than the
/// one in force, and every `--refresh-every`. Runs on a thread of its own for the life of the process.
pub fn watch(state: Arc<AppState>) {
    let spawned = std::thread::Builder::new()
        .name("lists-watch".into())
        .spawn(move || {
            let last_load = || state.store.read_blocking(|conn| conn.last_load());
            let mut seen = last_load().ok().flatten().map_or(0, |(id, _)| id);
            let mut refreshed = Instant::now();
            let pause = state.refresh_every.map_or(WATCH_EVERY, |e| e.min(WATCH_EVERY));
            loop {
                std::thread::sleep(pause);
                let elsewhere = match last_load() {
                    Ok(Some((id, version))) if id > seen => {
                        seen = id;
                        version != state.lists.load().version()
                    }
                    Ok(_) => false,
                    Err(error) => {
                        tracing::warn!(%error, "looking for lists brought into force elsewhere failed");
                        false
                    }
                };
                let due = state.refresh_every.is_some_and(|e| refreshed.elapsed() >= e);
                let trigger = match (elsewhere, due) {
                    (true, _) => JobTrigger::Cli,
                    (false, true) => JobTrigger::Schedule,
                    (false, false) => continue,
                };
                refreshed = Instant::now();
                match refresh_lists(&state, trigger) {
                    Ok(outcome) if outcome.changed => tracing::info!(
                        version = %outcome.version.content_hash,
                        trigger = trigger.as_str(),
                        "lists refreshed"
                    ),
                    Ok(_) if elsewhere => tracing::warn!(
                        "another process brought other lists into force than this server's \
                         directories hold; this server keeps its own (give both the same directories)"
                    ),
                    Ok(_) => tracing::debug!(trigger = trigger.as_str(), "the lists are unchanged"),
                    Err(error) => {
                        tracing::error!(%error, "refreshing the lists failed; the lists in force stay")
                    }
                }
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "no thread to watch for list updates");
    }
}

/// Screens the `background` customers whose screening a stop interrupted, so none stays `pending`
/// forever. Runs at start-up on a thread of its own.
pub fn screen_interrupted(state: &AppState) -> Result<usize, DomainError> {
    let mut screened = 0;
    loop {
        let pending = state
            .store
            .read_blocking(|conn| conn.unscreened_background(RESCREEN_BATCH))?;
        if pending.is_empty() {
            return Ok(screened);
        }
        let before = screened;
        for (id, version) in pending {
            if crate::service::rescreen::screen_in_background(state, &id, version)? {
                screened += 1;
            }
        }
        if screened == before {
            return Ok(screened);
        }
    }
}
