//! List updates without downtime. New lists are parsed and indexed beside the ones in force, recorded,
//! and swapped in at once; then a job re-screens only the customers whose result the change can reach:
//! those screened on lists whose entries their names could now match, and those whose matched entries
//! changed or went. Everyone else keeps a screening that a full re-screen would give again.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use clearance_api::{CustomerStatus, JobState, JobTrigger, ListJob, RefreshOutcome};
use clearance_screening::{Index, MAX_RAISE, Query};

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

/// Swaps `lists` in and starts the job for them. The swap happens inside the write transaction that
/// records the job, so every write commits either wholly before it (and the job sees that customer) or
/// wholly after it (and screened on the new lists).
fn bring_into_force(
    state: &Arc<AppState>,
    lists: Lists,
    trigger: JobTrigger,
) -> Result<ListJob, DomainError> {
    let id = uuid::Uuid::now_v7().to_string();
    let lists = Arc::new(lists);
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
    start(Arc::clone(state), id.clone());
    let job = state.store.read_blocking(|conn| conn.job(&id))?;
    job.map(|j| j.job)
        .ok_or_else(|| DomainError::Inconsistent(format!("job {id} vanished")))
}

/// At start-up, with the loaded lists recorded: resumes the job a stop interrupted when it is for these
/// lists, else starts one when the lists differ from the ones in force before (or are the first recorded
/// while customers exist, screened on lists never recorded). Returns the job's id.
pub fn resume_or_start(
    conn: &Conn<'_>,
    lists: &Lists,
    before: Option<&str>,
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
        trigger: JobTrigger::Start,
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
        .spawn(move || match run(&state, &id, &stop) {
            Ok(Ended::Done(summary)) => tracing::info!(
                job = %id,
                rescreened = summary.done,
                now_in_review = summary.moved_to_review,
                "list update re-screening done"
            ),
            Ok(Ended::Stopped) => tracing::info!(job = %id, "list update job stopped"),
            Err(error) => {
                tracing::error!(job = %id, %error, "list update job failed; the next start resumes it");
                let message = error.to_string();
                let failed = state.store.write_blocking(|conn| {
                    conn.finish_job(&id, JobState::Failed, Some(&message))
                });
                if let Err(error) = failed {
                    tracing::error!(job = %id, %error, "recording the job's failure failed");
                }
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "no thread for the list update job; the next start resumes it");
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

    /// Whether the new lists can change the result of a customer with these names and matches.
    fn concerns(&self, names: &[String], matched: &[String], threshold: f64) -> bool {
        let Some(reach) = &self.reach else {
            return true;
        };
        matched.iter().any(|m| self.update.touched.contains(m))
            || names.iter().any(|name| {
                !reach
                    .search(&Query::name(name.as_str()), threshold - MAX_RAISE, 1)
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

fn run(state: &AppState, id: &str, stop: &AtomicBool) -> Result<Ended, DomainError> {
    let lists = state.lists.load_full();
    let Some(stored) = state.store.read_blocking(|conn| conn.job(id))? else {
        return Err(DomainError::Inconsistent(format!("no job {id}")));
    };
    if stored.job.to_version != lists.version() || stored.job.state != JobState::Running {
        return Ok(Ended::Stopped);
    }
    let mut plans: HashMap<String, Plan> = HashMap::new();
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
        candidates.extend(concerned(rows, &plans, lists.version(), state.threshold));
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

/// The rows the new lists can concern, checked on every core.
fn concerned(
    rows: Vec<Named>,
    plans: &HashMap<String, Plan>,
    version: &str,
    threshold: f64,
) -> Vec<Candidate> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = rows.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter(|n| n.row.list_version != version)
                        .filter(|n| {
                            plans.get(&n.row.list_version).is_none_or(|plan| {
                                plan.concerns(&n.names, &n.row.matched, threshold)
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
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = records.len().div_ceil(threads).max(1);
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
