//! List updates without downtime. New lists are parsed and indexed beside the ones in force, recorded,
//! and swapped in at once; then a job re-screens only the customers whose result the change can reach:
//! those screened on lists whose entries their names could now match, and those whose matched entries
//! changed or went. Everyone else keeps a screening that a full re-screen would give again.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use clearance_api::{CustomerStatus, JobState, JobTrigger, ListJob, RefreshOutcome};
use clearance_screening::{Index, MAX_RAISE, Memo, Query};

use crate::delta::{self, Delta};
use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::lists::{self, Lists};
use crate::service::DomainError;
use crate::service::rescreen::{ListUpdate, Precomputed, Refresh, refresh};
use crate::state::AppState;
use crate::store::customers::Scanned;
use crate::store::jobs::NewJob;
use crate::store::versions::NewVersion;
use crate::store::{Conn, StoreError};

/// Customers the scan reads per read transaction.
const SCAN_BATCH: usize = 5_000;
/// Customers re-screened per write transaction.
const RESCREEN_BATCH: usize = 200;
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
        let current = state.lists.load().version().to_owned();
        let version = state
            .store
            .read_blocking(|conn| conn.versions(&current))?
            .into_iter()
            .find(|v| v.in_force)
            .ok_or_else(|| {
                DomainError::Inconsistent("the lists in force are not recorded".into())
            })?;
        return Ok(RefreshOutcome {
            changed: false,
            version,
            job: None,
        });
    }
    let (lists, entries) = lists::serving_state(snapshot, described);
    record(state, &lists, &entries)?;
    let job = bring_into_force(state, lists, trigger)?;
    let to = job.to_version.clone();
    let version = state
        .store
        .read_blocking(|conn| conn.versions(&to))?
        .into_iter()
        .find(|v| v.in_force)
        .ok_or_else(|| DomainError::Inconsistent("the new lists are not recorded".into()))?;
    Ok(RefreshOutcome {
        changed: true,
        version,
        job: Some(job),
    })
}

/// Records the lists' version with its entries, and the load of each directory.
pub fn record(
    state: &AppState,
    lists: &Lists,
    entries: &[delta::Entry],
) -> Result<(), DomainError> {
    state
        .store
        .write_blocking(|conn| record_in(conn, lists, entries))
}

/// [`record`] in a transaction the caller holds.
pub fn record_in(
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
    let id = uuid::Uuid::now_v7().to_string();
    let previous = state.lists.load_full();
    let delta = Delta::between(&previous.digests, &lists.digests);
    let swapped = state.store.write_blocking(|conn| {
        conn.supersede_jobs()?;
        conn.insert_job(&NewJob {
            id: &id,
            trigger,
            from_version: Some(previous.version()),
            to_version: lists.version(),
            seq_bound: conn.last_customer_seq()?,
            delta: delta.counts(),
        })?;
        state.lists.store(Arc::clone(&lists));
        Ok::<_, DomainError>(())
    });
    if let Err(error) = swapped {
        // The job was not recorded: the lists before stay in force.
        state.lists.store(previous);
        return Err(error);
    }
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
    let seq_bound = conn.last_customer_seq()?;
    let needed = match before {
        Some(before) => before != lists.version(),
        None => seq_bound > 0,
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
    let id = uuid::Uuid::now_v7().to_string();
    conn.supersede_jobs()?;
    conn.insert_job(&NewJob {
        id: &id,
        trigger,
        from_version: before,
        to_version: lists.version(),
        seq_bound,
        delta,
    })?;
    Ok(Some(id))
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

/// How a run ended.
enum Ended {
    Done(Progress),
    /// A newer update or the shutdown stopped it.
    Stopped,
}

#[derive(Clone, Copy, Default)]
struct Progress {
    done: usize,
    moved_to_review: usize,
}

/// What a customer screened on one earlier list version must be checked for.
struct Plan {
    update: ListUpdate,
    /// The entries added or changed since that version, indexed alone: a customer whose names reach
    /// none of them at the lowest score a full query could lift to the threshold cannot gain a match.
    /// None when that version was never recorded: its customers are all re-screened.
    reach: Option<Index>,
}

impl Plan {
    fn new(
        conn: &Conn<'_>,
        version: &str,
        lists: &Lists,
        job_id: &str,
    ) -> Result<Self, StoreError> {
        let date = lists.watchlists.date.clone();
        let Some(old) = conn.version_digests(version)? else {
            return Ok(Self {
                update: ListUpdate {
                    job_id: job_id.to_owned(),
                    date,
                    touched: HashSet::new(),
                },
                reach: None,
            });
        };
        let delta = Delta::between(&old, &lists.digests);
        let reachable: HashSet<&String> = delta.added.iter().chain(&delta.changed).collect();
        let entities = lists
            .index
            .entities()
            .iter()
            .filter(|e| reachable.contains(&delta::key(e)))
            .cloned()
            .collect();
        Ok(Self {
            update: ListUpdate {
                job_id: job_id.to_owned(),
                date,
                touched: delta.touched(),
            },
            reach: Some(Index::build(entities)),
        })
    }

    /// Whether the new lists can change the result of a customer with these names and matches. `memo`
    /// is this plan's, kept across customers.
    fn concerns(
        &self,
        names: &[String],
        matched: &[String],
        threshold: f64,
        memo: &mut Memo,
    ) -> bool {
        let Some(reach) = &self.reach else {
            return true;
        };
        matched.iter().any(|m| self.update.touched.contains(m))
            || names.iter().any(|name| {
                let query = Query::name(name.as_str());
                !reach
                    .search_remembering(&query, threshold - MAX_RAISE, 1, memo)
                    .is_empty()
            })
    }
}

/// A customer the job re-screens, with the screening it was found on.
struct Candidate {
    id: String,
    review_id: String,
    list_version: String,
}

/// One scanned customer with every name it is screened by.
struct Named {
    row: Scanned,
    names: Vec<String>,
}

fn run(
    state: &AppState,
    id: &str,
    stop: &AtomicBool,
    observe: &(dyn Fn(usize, usize) + Sync),
) -> Result<Ended, DomainError> {
    let lists = state.lists.load_full();
    let Some(stored) = state.store.read_blocking(|conn| conn.job(id))? else {
        return Err(DomainError::Inconsistent(format!("no job {id}")));
    };
    if stored.job.to_version != lists.version() || stored.job.state != JobState::Running {
        return Ok(Ended::Stopped);
    }
    let mut plans: HashMap<String, Plan> = HashMap::new();
    let mut memos: Vec<HashMap<String, Memo>> = (0..workers()).map(|_| HashMap::new()).collect();
    let mut candidates = Vec::new();
    let mut after = 0;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(Ended::Stopped);
        }
        let rows = state.store.read_blocking(|conn| {
            let rows = conn.scan_screened(after, stored.seq_bound, SCAN_BATCH)?;
            for row in &rows {
                if row.list_version != lists.version() && !plans.contains_key(&row.list_version) {
                    let plan = Plan::new(conn, &row.list_version, &lists, id)?;
                    plans.insert(row.list_version.clone(), plan);
                }
            }
            with_names(conn, rows)
        })?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.row.seq;
        candidates.extend(concerned(
            rows,
            &plans,
            &mut memos,
            lists.version(),
            state.threshold,
        ));
    }
    let before = Progress {
        done: stored.job.done,
        moved_to_review: stored.job.moved_to_review,
    };
    state
        .store
        .write_blocking(|conn| conn.job_scanned(id, before.done + candidates.len()))?;
    let actor = Actor::system("list update", id.to_owned());
    let mut progress = before;
    let total = before.done + candidates.len();
    observe(progress.done, total);
    for batch in candidates.chunks(RESCREEN_BATCH) {
        if stop.load(Ordering::Relaxed) || state.lists.load().version() != lists.version() {
            return Ok(Ended::Stopped);
        }
        let moved = match rescreen_batch(state, &lists, &plans, &actor, id, batch) {
            Ok(moved) => moved,
            Err(error) => {
                tracing::warn!(job = %id, %error, "a batch failed; re-screening it one customer at a time");
                let mut moved = 0;
                for one in batch.chunks(1) {
                    match rescreen_batch(state, &lists, &plans, &actor, id, one) {
                        Ok(m) => moved += m,
                        Err(error) => {
                            tracing::error!(job = %id, customer = %one[0].id, %error, "re-screening a customer failed");
                            let message = format!("customer {}: {error}", one[0].id);
                            state
                                .store
                                .write_blocking(|conn| conn.job_error(id, &message))?;
                        }
                    }
                }
                moved
            }
        };
        progress.done += batch.len();
        progress.moved_to_review += moved;
        observe(progress.done, total);
    }
    state
        .store
        .write_blocking(|conn| conn.finish_job(id, JobState::Done, None))?;
    Ok(Ended::Done(progress))
}

/// The scanned rows with every name each is screened by; a business's other names are in its sealed
/// profile, so only those rows are read whole.
fn with_names(conn: &Conn<'_>, rows: Vec<Scanned>) -> Result<Vec<Named>, StoreError> {
    rows.into_iter()
        .map(|row| {
            let names = if row.business {
                match conn.customer(&row.id)? {
                    Some(record) => record
                        .screened_names()
                        .into_iter()
                        .map(|(_, n)| n)
                        .collect(),
                    None => vec![row.name.clone()],
                }
            } else {
                vec![row.name.clone()]
            };
            Ok(Named { row, names })
        })
        .collect()
}

/// Threads a job screens on: one per core.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The rows the new lists can concern, checked on every core; each core keeps its own memos, one per
/// plan, across batches.
fn concerned(
    rows: Vec<Named>,
    plans: &HashMap<String, Plan>,
    memos: &mut [HashMap<String, Memo>],
    version: &str,
    threshold: f64,
) -> Vec<Candidate> {
    let chunk = rows.len().div_ceil(memos.len()).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = rows
            .chunks(chunk)
            .zip(memos.iter_mut())
            .map(|(part, memos)| {
                scope.spawn(move || {
                    part.iter()
                        .filter(|n| n.row.list_version != version)
                        .filter(|n| {
                            plans.get(&n.row.list_version).is_none_or(|plan| {
                                let memo = memos.entry(n.row.list_version.clone()).or_default();
                                plan.concerns(&n.names, &n.row.matched, threshold, memo)
                            })
                        })
                        .map(|n| Candidate {
                            id: n.row.id.clone(),
                            review_id: n.row.review_id.clone(),
                            list_version: n.row.list_version.clone(),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Re-screens one batch: screened on every core outside the write lock, then written in one transaction
/// that skips a customer screened again or deleted since the scan. Returns how many moved into review.
fn rescreen_batch(
    state: &AppState,
    lists: &Lists,
    plans: &HashMap<String, Plan>,
    actor: &Actor,
    job_id: &str,
    batch: &[Candidate],
) -> Result<usize, DomainError> {
    let records = state.store.read_blocking(|conn| {
        batch
            .iter()
            .filter_map(|c| conn.customer(&c.id).transpose())
            .collect::<Result<Vec<Record>, StoreError>>()
    })?;
    let mut screened = screen_all(lists, state.threshold, &records);
    let unknown = ListUpdate {
        job_id: job_id.to_owned(),
        date: lists.watchlists.date.clone(),
        touched: HashSet::new(),
    };
    state.store.write_blocking(|tx| {
        let mut moved = 0;
        for candidate in batch {
            let Some(record) = tx.customer(&candidate.id)? else {
                continue;
            };
            if record.review_id.as_deref() != Some(candidate.review_id.as_str()) {
                continue;
            }
            let update = plans
                .get(&candidate.list_version)
                .map_or(&unknown, |p| &p.update);
            let after = refresh(
                state,
                tx,
                &candidate.id,
                actor,
                Refresh::ListsChanged(update),
                screened.remove(&candidate.id),
            )?;
            if after.status == CustomerStatus::Review && record.status != CustomerStatus::Review {
                moved += 1;
            }
        }
        tx.job_progress(job_id, batch.len(), moved)?;
        Ok(moved)
    })
}

/// Screens records on every core against `lists`, each keyed by its customer's id.
fn screen_all(lists: &Lists, threshold: f64, records: &[Record]) -> HashMap<String, Precomputed> {
    let chunk = records.len().div_ceil(workers()).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = records
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|r| (r.id.clone(), Precomputed::of(lists, threshold, r)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::LazyLock;

    use clearance_api::CustomerType;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    use std::sync::atomic::AtomicUsize;

    use super::*;
    use crate::domain::customer::Profile;
    use crate::domain::screening;
    use crate::domain::validate::Mode;
    use crate::http::ratelimit::Limiter;
    use crate::service::status::{attach, screened_status};
    use crate::store::{Durability, KeySource, Keyring, Store};

    const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists/");

    fn lists_of(dir: &str) -> Arc<Lists> {
        let (snapshot, described) = lists::load(&[PathBuf::from(SHARED).join(dir)]).unwrap();
        Arc::new(lists::serving_state(snapshot, described).0)
    }

    /// OFAC's real 2021-07-07 → 2022-01-31 update, and names to draw customers from: the parties of
    /// either list as a customer writes them, and clean names.
    struct Update {
        old: Arc<Lists>,
        new: Arc<Lists>,
        parties: Vec<String>,
    }

    static UPDATE: LazyLock<Update> = LazyLock::new(|| {
        let (old, new) = (
            lists_of("ofac-sdn-2021-07-07"),
            lists_of("ofac-sdn-2022-01-31"),
        );
        let mut parties: Vec<String> = [&old, &new]
            .iter()
            .flat_map(|l| l.index.entities())
            .filter(|e| e.kind == clearance_screening::EntityKind::Individual)
            .map(|e| match e.name.split_once(", ") {
                Some((last, first)) => format!("{first} {last}"),
                None => e.name.clone(),
            })
            .collect();
        parties.sort();
        parties.dedup();
        Update { old, new, parties }
    });

    const CLEAN: [&str; 6] = [
        "Ron Swanson",
        "Leslie Knope",
        "Ann Perkins",
        "Tom Haverford",
        "April Ludgate",
        "Andy Dwyer",
    ];

    fn state(dir: &Path, lists: &Arc<Lists>) -> AppState {
        AppState {
            lists: arc_swap::ArcSwap::new(Arc::clone(lists)),
            sources: Vec::new(),
            jobs: Jobs::default(),
            refresh_every: None,
            store: Store::open(
                &dir.join("clearance.db"),
                Keyring::load(KeySource::None).unwrap(),
                Durability::Normal,
            )
            .unwrap(),
            limiter: Limiter::new(0.0, 1),
            auth_failures: Limiter::new(0.0, 1),
            publishable_per_address: Limiter::new(0.0, 1),
            mode: Mode::Production,
            threshold: clearance_screening::DEFAULT_THRESHOLD,
            screening_slots: Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }

    /// One customer to create: a name, and whether an analyst clears it if it goes to review.
    #[derive(Clone, Debug)]
    struct Customer {
        name: String,
        cleared: bool,
    }

    /// A name drawn from the parties (as listed, or with one letter dropped, as a typo) or the clean ones.
    fn customer() -> impl Strategy<Value = Customer> {
        (0..3usize, any::<prop::sample::Index>(), any::<bool>()).prop_map(|(kind, at, cleared)| {
            let parties = &UPDATE.parties;
            let name = match kind {
                0 => parties[at.index(parties.len())].clone(),
                1 => {
                    let mut name: Vec<char> = parties[at.index(parties.len())].chars().collect();
                    name.remove(name.len() / 2);
                    name.into_iter().collect()
                }
                _ => CLEAN[at.index(CLEAN.len())].to_owned(),
            };
            Customer { name, cleared }
        })
    }

    /// Creates the customers on the old lists, as the server does; returns their ids.
    fn create(state: &AppState, customers: &[Customer]) -> Vec<String> {
        let entries = delta::entries(UPDATE.old.index.entities());
        state
            .store
            .write_blocking(|conn| {
                record_in(conn, &UPDATE.old, &entries)?;
                let mut ids = Vec::new();
                for (i, c) in customers.iter().enumerate() {
                    let mut record = Record {
                        id: format!("customer-{i}"),
                        customer_type: CustomerType::Individual,
                        status: CustomerStatus::Pending,
                        name: c.name.clone(),
                        email: format!("c{i}@example.com"),
                        phone: "+12128675309".into(),
                        external_id: None,
                        created_at: crate::clock::now(),
                        updated_at: crate::clock::now(),
                        version: 1,
                        review_id: None,
                        top_score: None,
                        profile: Profile::default(),
                    };
                    let screening = screening::screen(&UPDATE.old, &record, state.threshold);
                    attach(&mut record, &screening, |s| screened_status(s, None));
                    let clear = c.cleared && record.status == CustomerStatus::Review;
                    if clear {
                        record.status = CustomerStatus::Verified;
                    }
                    conn.insert_customer(&record)?;
                    conn.insert_screening(&record.id, &screening, None)?;
                    if clear {
                        let now = crate::clock::now();
                        conn.decide_screening(
                            &screening.review_id,
                            CustomerStatus::Verified,
                            "analyst",
                            &now,
                            None,
                        )?;
                    }
                    ids.push(record.id);
                }
                Ok::<_, DomainError>(ids)
            })
            .unwrap()
    }

    /// Each customer's status and matched entries.
    fn outcome(state: &AppState, ids: &[String]) -> Vec<(CustomerStatus, Vec<String>)> {
        state
            .store
            .read_blocking(|conn| {
                ids.iter()
                    .map(|id| {
                        let record = conn.customer(id)?.expect("the customer exists");
                        let review = record.review_id.as_deref().expect("screened");
                        let stored = conn.screening(review)?.expect("its screening exists");
                        Ok((record.status, stored.screening.entities()))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            })
            .unwrap()
    }

    /// For random customers and OFAC's real 2021-07-07 → 2022-01-31 update, the job ends with exactly the
    /// statuses and matches that re-screening every customer for the update gives, and re-screens far
    /// fewer of them.
    #[test]
    fn the_job_ends_as_a_full_rescreen_does() {
        let config = Config {
            cases: 6,
            rng_seed: RngSeed::Fixed(0x5EED_1DE7),
            failure_persistence: None,
            ..Config::default()
        };
        let (rescreened, customers_seen) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let result =
            TestRunner::new(config).run(&prop::collection::vec(customer(), 40..80), |customers| {
                let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
                let (delta, full) = (state(a.path(), &UPDATE.old), state(b.path(), &UPDATE.old));
                let ids = create(&delta, &customers);
                create(&full, &customers);

                let entries = delta::entries(UPDATE.new.index.entities());
                for side in [&delta, &full] {
                    record(side, &UPDATE.new, &entries).unwrap();
                }
                let id = swap_in(&delta, Arc::clone(&UPDATE.new), JobTrigger::Refresh).unwrap();
                let ended = run(&delta, &id, &AtomicBool::new(false), &|_, _| {}).unwrap();
                let Ended::Done(progress) = ended else {
                    panic!("the job stopped");
                };

                // The same update, with every customer re-screened.
                let id = swap_in(&full, Arc::clone(&UPDATE.new), JobTrigger::Refresh).unwrap();
                let actor = Actor::system("list update", id.clone());
                let plan = full
                    .store
                    .read_blocking(|conn| Plan::new(conn, UPDATE.old.version(), &UPDATE.new, &id))
                    .unwrap();
                for customer in &ids {
                    full.store
                        .write_blocking(|tx| {
                            refresh(
                                &full,
                                tx,
                                customer,
                                &actor,
                                Refresh::ListsChanged(&plan.update),
                                None,
                            )
                        })
                        .unwrap();
                }
                prop_assert_eq!(outcome(&delta, &ids), outcome(&full, &ids));
                rescreened.fetch_add(progress.done, Ordering::Relaxed);
                customers_seen.fetch_add(ids.len(), Ordering::Relaxed);
                Ok(())
            });
        if let Err(failure) = result {
            panic!("{failure}");
        }
        let (rescreened, customers_seen) = (rescreened.into_inner(), customers_seen.into_inner());
        assert!(
            rescreened * 2 < customers_seen,
            "the job re-screened {rescreened} of {customers_seen} customers"
        );
    }
}
