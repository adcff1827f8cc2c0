//! A list update's job: finds the customers whose result the new lists can change, then re-screens them
//! in batches, recording its progress on the job.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use clearance_api::{CustomerStatus, JobState};
use clearance_screening::{Index, MAX_RAISE, Memo, Query};

use crate::delta::{self, Delta};
use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::lists::Lists;
use crate::service::DomainError;
use crate::service::rescreen::{ListUpdate, Precomputed, Refresh, refresh};
use crate::state::AppState;
use crate::store::customers::Scanned;
use crate::store::{Conn, StoreError};

/// Customers the scan reads per read transaction.
const SCAN_BATCH: usize = 5_000;
/// Customers re-screened per write transaction.
pub(super) const RESCREEN_BATCH: usize = 200;

/// How a run ended.
pub(super) enum Ended {
    Done(Progress),
    /// A newer update or the shutdown stopped it.
    Stopped,
}

#[derive(Clone, Copy, Default)]
pub(super) struct Progress {
    pub(super) done: usize,
    pub(super) moved_to_review: usize,
}

/// What a customer screened on one earlier list version must be checked for.
pub(super) struct Plan {
    pub(super) update: ListUpdate,
    /// The entries added or changed since that version, indexed alone: a customer whose names reach
    /// none of them at the lowest score a full query could lift to the threshold cannot gain a match.
    /// None when that version was never recorded: its customers are all re-screened.
    reach: Option<Index>,
}

impl Plan {
    pub(super) fn new(
        conn: &Conn<'_>,
        version: &str,
        lists: &Lists,
        job_id: &str,
    ) -> Result<Self, StoreError> {
        let Some(old) = conn.version_digests(version)? else {
            return Ok(Self {
                update: update_for(job_id, lists, HashSet::new()),
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
            update: update_for(job_id, lists, delta.touched()),
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

/// What the job `job_id` tells a re-screen for `lists`, with the entries `touched` since the customer's
/// lists.
fn update_for(job_id: &str, lists: &Lists, touched: HashSet<String>) -> ListUpdate {
    ListUpdate {
        job_id: job_id.to_owned(),
        date: lists.watchlists.date.clone(),
        touched,
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

pub(super) fn run(
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
            &rows,
            &plans,
            &mut memos,
            lists.version(),
            state.threshold,
        )?);
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
            Ok(Some(moved)) => moved,
            Ok(None) => return Ok(Ended::Stopped),
            Err(error) => {
                tracing::warn!(job = %id, %error, "a batch failed; re-screening it one customer at a time");
                let mut moved = 0;
                for one in batch.chunks(1) {
                    match rescreen_batch(state, &lists, &plans, &actor, id, one) {
                        Ok(Some(m)) => moved += m,
                        Ok(None) => return Ok(Ended::Stopped),
                        Err(error) => {
                            tracing::error!(job = %id, customer = %one[0].id, %error, "re-screening a customer failed");
                            // The error's own text stays in the log: a driver's message can quote a value.
                            let message = format!(
                                "customer {} could not be re-screened; the server log has the cause",
                                one[0].id
                            );
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
    let errors = state
        .store
        .read_blocking(|conn| conn.job(id))?
        .map_or(0, |j| j.job.errors);
    if errors > 0 {
        // Those customers are still on the lists before; the next start resumes the job for them.
        return Err(DomainError::Inconsistent(format!(
            "{errors} customers could not be re-screened"
        )));
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

/// `work` over `items` on one thread per entry of `states`, each thread with its own state and a share of
/// the items in order; the results in item order. A worker that panicked fails the job (recorded, and
/// resumed at the next start) instead of taking the job's thread down with it.
fn on_every_core<T: Sync, S: Send, R: Send>(
    items: &[T],
    states: &mut [S],
    work: impl Fn(&mut S, &[T]) -> Vec<R> + Sync,
) -> Result<Vec<R>, DomainError> {
    let chunk = items.len().div_ceil(states.len()).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .zip(states.iter_mut())
            .map(|(part, state)| scope.spawn(move || work(state, part)))
            .collect();
        let mut results = Vec::with_capacity(items.len());
        for worker in workers {
            let part = worker
                .join()
                .map_err(|_| DomainError::Inconsistent("a list update worker panicked".into()))?;
            results.extend(part);
        }
        Ok(results)
    })
}

/// The rows the new lists can concern, checked on every core; each core keeps its own memos, one per
/// plan, across batches.
fn concerned(
    rows: &[Named],
    plans: &HashMap<String, Plan>,
    memos: &mut [HashMap<String, Memo>],
    version: &str,
    threshold: f64,
) -> Result<Vec<Candidate>, DomainError> {
    on_every_core(rows, memos, |memos, part| {
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
            .collect()
    })
}

/// Re-screens one batch: screened on every core outside the write lock, then written in one transaction
/// that skips a customer deleted or already screened on the new lists since the scan. Returns how many
/// moved into review, or none when the job no longer runs: a newer update swapped other lists in (in the
/// same transaction that superseded this job, so the check here is exact), or another process ended it.
fn rescreen_batch(
    state: &AppState,
    lists: &Lists,
    plans: &HashMap<String, Plan>,
    actor: &Actor,
    job_id: &str,
    batch: &[Candidate],
) -> Result<Option<usize>, DomainError> {
    let records = state.store.read_blocking(|conn| {
        batch
            .iter()
            .filter_map(|c| conn.customer(&c.id).transpose())
            .collect::<Result<Vec<Record>, StoreError>>()
    })?;
    let mut screened = screen_all(lists, state.threshold, &records)?;
    // A customer screened since the scan on lists this job knows no plan for (another process's): only
    // the parties themselves count for its clearance.
    let unplanned = update_for(job_id, lists, HashSet::new());
    state.store.write_blocking(|tx| {
        let running = tx
            .job(job_id)?
            .is_some_and(|j| j.job.state == JobState::Running);
        if !running || state.lists.load().version() != lists.version() {
            return Ok(None);
        }
        let mut moved = 0;
        for candidate in batch {
            let Some(record) = tx.customer(&candidate.id)? else {
                continue;
            };
            let current = match &record.review_id {
                Some(review) if *review != candidate.review_id => tx.screening_version(review)?,
                _ => Some(candidate.list_version.clone()),
            };
            let Some(current) = current.filter(|v| v != lists.version()) else {
                continue;
            };
            let update = plans.get(&current).map_or(&unplanned, |p| &p.update);
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
        Ok(Some(moved))
    })
}

/// Screens records on every core against `lists`, each keyed by its customer's id.
fn screen_all(
    lists: &Lists,
    threshold: f64,
    records: &[Record],
) -> Result<HashMap<String, Precomputed>, DomainError> {
    let screened = on_every_core(records, &mut vec![(); workers()], |(), part| {
        part.iter()
            .map(|r| (r.id.clone(), Precomputed::of(lists, threshold, r)))
            .collect()
    })?;
    Ok(screened.into_iter().collect())
}
