//! Screening stored customers again: on request (`refresh_review`), on EasyOFAC's move back to `safe`,
//! when the lists change (the start-up sweep), and the deferred half of `processing_method: background`.

use std::collections::HashMap;
use std::sync::Arc;

use clearance_api::{CustomerStatus, EventAction};

use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::domain::screening::{self, Screening};
use crate::service::status::{attach, rescreened_status, screened_status};
use crate::service::{DomainError, existing};
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::{Conn, StoreError};

/// A screening computed before the write lock was taken, for one customer at one version.
pub struct Precomputed {
    customer_id: String,
    version: i64,
    pub screening: Screening,
}

impl Precomputed {
    /// Screens `record` now. Blocking.
    fn of(state: &AppState, record: &Record) -> Self {
        Self {
            customer_id: record.id.clone(),
            version: record.version,
            screening: screening::screen(&state.lists, record, state.threshold),
        }
    }

    /// Whether it was computed for `record` as it is: the same customer at the same version.
    fn fits(&self, record: &Record) -> bool {
        self.customer_id == record.id && self.version == record.version
    }
}

/// The status a reactivated customer's screening starts from: `pending`, to be screened as new, unless it
/// was deactivated while in review, which it comes back to, since only a person takes a customer out.
pub fn reactivated(conn: &Conn<'_>, id: &str) -> Result<CustomerStatus, DomainError> {
    Ok(match conn.status_before_deactivation(id)? {
        Some(CustomerStatus::Review) => CustomerStatus::Review,
        _ => CustomerStatus::Pending,
    })
}

/// Screens `record` as it is now on the blocking pool, outside the write lock, so screenings run on every
/// core while writes queue for the one writer.
pub async fn screen_outside(
    state: &Arc<AppState>,
    record: Record,
) -> Result<Precomputed, DomainError> {
    // The screening holds its slot until it ends, even if the request that asked is dropped first.
    let slot = Arc::clone(&state.screening_slots)
        .acquire_owned()
        .await
        .map_err(|_| DomainError::Inconsistent("the screening slots were closed".into()))?;
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let screened = Precomputed::of(&state, &record);
        drop(slot);
        screened
    })
    .await
    .map_err(|e| DomainError::Storage(StoreError::from(e)))
}

/// The stored customer `find` reads, screened as it is now, outside the write lock; none when there is
/// no such customer (the write that follows says so).
pub async fn screen_stored(
    state: &Arc<AppState>,
    find: impl FnOnce(&Conn<'_>) -> Result<Option<Record>, StoreError> + Send + 'static,
) -> Result<Option<Precomputed>, DomainError> {
    match state.store.read(find).await? {
        Some(record) => Ok(Some(screen_outside(state, record).await?)),
        None => Ok(None),
    }
}

/// Stores a screening of `record` and attaches it: the `precomputed` one when it was computed for this
/// customer at this version, else one computed now. The caller writes the record.
pub fn apply_screening(
    state: &AppState,
    conn: &Conn<'_>,
    record: &mut Record,
    precomputed: Option<Precomputed>,
    decide: impl FnOnce(&Screening) -> CustomerStatus,
) -> Result<Screening, DomainError> {
    let screening = match precomputed {
        Some(p) if p.fits(record) => p.screening,
        _ => screening::screen(&state.lists, record, state.threshold),
    };
    conn.insert_screening(&record.id, &screening)?;
    attach(record, &screening, decide);
    Ok(screening)
}

/// Why a stored customer is screened again, which decides what an earlier human decision counts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// `refresh_review`: the analyst asked for fresh evidence; every match counts again.
    Requested,
    /// EasyOFAC's move back to `safe`: screened as if new, so a rejection does not stick.
    Reverify,
    /// The lists changed. An analyst's clearance of a review stands while the matches are the same listed
    /// parties, so a list update does not send every cleared false positive back to the queue; a new party
    /// puts the customer in review.
    ListsChanged,
}

/// Re-screens a stored customer against the current lists and appends the audit row; returns the updated
/// record. A screening `precomputed` outside the write lock is used when the record is still the version
/// it was computed for.
pub fn refresh(
    state: &AppState,
    conn: &Conn<'_>,
    id: &str,
    actor: &Actor,
    why: Refresh,
    precomputed: Option<Precomputed>,
) -> Result<Record, DomainError> {
    let mut record = existing(conn, id)?;
    let before = record.status;
    let start = match why {
        Refresh::Reverify if before == CustomerStatus::Inactive => reactivated(conn, id)?,
        Refresh::Reverify => CustomerStatus::Pending,
        _ => before,
    };
    let cleared = match (&record.review_id, why) {
        (Some(review_id), Refresh::ListsChanged) if before == CustomerStatus::Verified => {
            conn.screening(review_id)?.filter(|s| {
                s.decision
                    .as_ref()
                    .is_some_and(|d| d.status == CustomerStatus::Verified)
            })
        }
        _ => None,
    };
    let config = record.profile.config.clone();
    let decide = |s: &Screening| {
        let still_cleared = cleared.as_ref().is_some_and(|c| {
            let known = c.screening.entities();
            s.entities().iter().all(|e| known.contains(e))
        });
        if still_cleared {
            CustomerStatus::Verified
        } else {
            rescreened_status(start, s, config.as_ref())
        }
    };
    let screening = apply_screening(state, conn, &mut record, precomputed, decide)?;
    let mut note = None;
    let carried = cleared
        .filter(|_| record.status == CustomerStatus::Verified && screening.is_hit())
        .and_then(|c| c.decision.map(|d| (c.screening.review_id, d)));
    if let Some((old_review, decision)) = carried {
        let carried = format!(
            "clearance of review {old_review} carried forward: the same listed parties ({})",
            decision.note.as_deref().unwrap_or("no note")
        );
        conn.decide_screening(
            &screening.review_id,
            CustomerStatus::Verified,
            &decision.decided_by,
            &crate::clock::now(),
            Some(&carried),
        )?;
        note = Some(carried);
    }
    record.updated_at = crate::clock::now();
    conn.update_customer(&record)?;
    record.version += 1;
    conn.append_event(
        actor,
        &Entry {
            status_before: Some(before),
            status_after: Some(record.status),
            review_id: Some(&screening.review_id),
            entities: screening.entities(),
            note: note.as_deref(),
            ..Entry::new(id, EventAction::Refreshed)
        },
    )?;
    Ok(record)
}

/// What a start-up sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    pub rescreened: usize,
    pub now_in_review: usize,
}

/// Customers screened per write transaction by the sweep.
const SWEEP_BATCH: usize = 200;

/// Re-screens every customer whose screening is against other lists than the ones loaded, and every
/// `background` customer whose screening a stop interrupted. Runs at start-up, before the server accepts a
/// request, so no customer is ever served on results from lists no longer in force; an interrupted sweep
/// resumes at the next start.
pub fn rescreen_stale(state: &AppState) -> Result<Sweep, DomainError> {
    let version = state.lists.watchlists.content_hash.clone();
    let actor = Actor::system("list update", uuid::Uuid::new_v4().to_string());
    let mut sweep = Sweep::default();
    let mut after = 0;
    loop {
        let stale = state.store.read_blocking(|conn| {
            let ids = conn.stale_customers(&version, after, SWEEP_BATCH)?;
            ids.into_iter()
                .filter_map(|(seq, id)| conn.customer(&id).transpose().map(|r| r.map(|r| (seq, r))))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        let Some((last, _)) = stale.last() else {
            return Ok(sweep);
        };
        after = *last;
        let records: Vec<Record> = stale.into_iter().map(|(_, r)| r).collect();
        let mut screened = screen_all(state, &records)?;
        state.store.write_blocking(|tx| {
            for record in &records {
                let precomputed = screened.remove(&record.id).ok_or_else(|| {
                    DomainError::Inconsistent(format!("no screening came back for {}", record.id))
                })?;
                let before = record.status;
                let after = refresh(
                    state,
                    tx,
                    &record.id,
                    &actor,
                    Refresh::ListsChanged,
                    Some(precomputed),
                )?;
                if after.status == CustomerStatus::Review && before != CustomerStatus::Review {
                    sweep.now_in_review += 1;
                }
            }
            Ok::<_, DomainError>(())
        })?;
        sweep.rescreened += records.len();
    }
}

/// Screens records on every core; each screening keyed by its customer's id. A worker that dies fails the
/// sweep, which the next start resumes.
fn screen_all(
    state: &AppState,
    records: &[Record],
) -> Result<HashMap<String, Precomputed>, DomainError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = records.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = records
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|r| (r.id.clone(), Precomputed::of(state, r)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut screened = HashMap::with_capacity(records.len());
        for worker in workers {
            let part = worker.join().map_err(|_| {
                DomainError::Inconsistent("a screening worker panicked during the sweep".into())
            })?;
            screened.extend(part);
        }
        Ok(screened)
    })
}

/// The background half of `processing_method: background`: screens a customer still `pending` after its
/// create committed, outside the write lock. A customer changed or deleted meanwhile is left alone (its
/// own write screened it).
pub fn screen_in_background(state: &AppState, id: &str, version: i64) -> Result<(), DomainError> {
    let Some(record) = state.store.read_blocking(|conn| conn.customer(id))? else {
        return Ok(());
    };
    let precomputed = Precomputed::of(state, &record);
    state.store.write_blocking(|tx| {
        let Some(mut record) = tx.customer(id)? else {
            return Ok(());
        };
        if record.version != version || record.status != CustomerStatus::Pending {
            return Ok(());
        }
        let config = record.profile.config.clone();
        let screening = apply_screening(state, tx, &mut record, Some(precomputed), |s| {
            screened_status(s, config.as_ref())
        })?;
        record.updated_at = crate::clock::now();
        tx.update_customer(&record)?;
        let actor = Actor::system("background screening", uuid::Uuid::new_v4().to_string());
        tx.append_event(
            &actor,
            &Entry {
                status_before: Some(CustomerStatus::Pending),
                status_after: Some(record.status),
                review_id: Some(&screening.review_id),
                entities: screening.entities(),
                ..Entry::new(id, EventAction::Screened)
            },
        )?;
        Ok(())
    })
}
