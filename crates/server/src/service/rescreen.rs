//! Screening stored customers again: on request (`refresh_review`), on EasyOFAC's move back to `safe`,
//! when the lists change (a list update's job), and the deferred half of `processing_method: background`.

use std::collections::HashSet;
use std::sync::Arc;

use clearance_api::{CustomerStatus, EventAction};

use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::domain::screening::{self, Screening};
use crate::lists::Lists;
use crate::service::status::{attach, rescreened_status, screened_status};
use crate::service::{DomainError, existing, memory};
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
    /// Screens `record` now against `lists`. Blocking.
    pub fn of(lists: &Lists, threshold: f64, record: &Record) -> Self {
        Self {
            customer_id: record.id.clone(),
            version: record.version,
            screening: screening::screen(lists, record, threshold),
        }
    }

    /// Whether it was computed for `record` as it is, on the lists in force: the same customer at the same
    /// version, against the same list version (a refresh may have swapped the lists meanwhile).
    fn fits(&self, record: &Record, lists: &Lists) -> bool {
        self.customer_id == record.id
            && self.version == record.version
            && self.screening.watch_list.list_version == lists.version()
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
        let screened = Precomputed::of(&state.lists.load(), state.threshold, &record);
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

/// The `precomputed` screening when it was computed for `record` as it is, on the lists in force, else one
/// computed now. Call inside the write transaction that stores it, which a list swap also takes, so the
/// lists cannot change between this check and the commit.
pub fn fitting(state: &AppState, record: &Record, precomputed: Option<Precomputed>) -> Screening {
    let lists = state.lists.load();
    match precomputed {
        Some(p) if p.fits(record, &lists) => p.screening,
        _ => screening::screen(&lists, record, state.threshold),
    }
}

/// Stores a screening of `record` and attaches it: the `precomputed` one when it was computed for this
/// customer at this version on the lists in force, else one computed now, with the matches an analyst
/// cleared before marked (see `memory`). `job` names the list update that asked for it. The caller writes
/// the record.
pub fn apply_screening(
    state: &AppState,
    conn: &Conn<'_>,
    record: &mut Record,
    precomputed: Option<Precomputed>,
    job: Option<&str>,
    actor: &Actor,
    decide: impl FnOnce(&Screening) -> CustomerStatus,
) -> Result<Screening, DomainError> {
    let mut screening = fitting(state, record, precomputed);
    memory::suppress_cleared(conn, &record.id, &mut screening, actor)?;
    conn.insert_screening(&record.id, &screening, job)?;
    attach(record, &screening, decide);
    Ok(screening)
}

/// Why a stored customer is screened again, which decides what an earlier human decision counts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refresh<'a> {
    /// `refresh_review`: the analyst asked for fresh evidence; every match counts again but the pairs an
    /// analyst cleared (see `memory`).
    Requested,
    /// EasyOFAC's move back to `safe`: screened as if new, so a rejection does not stick.
    Reverify,
    /// The lists changed. An analyst's clearance of a review stands while the matches are the same listed
    /// parties with unchanged entries, so a list update does not send every cleared false positive back to
    /// the queue; a new party, or a changed entry (new names, identifiers or dates), puts the customer in
    /// review.
    ListsChanged(&'a ListUpdate),
}

/// The list update a re-screen is for.
#[derive(Debug, PartialEq, Eq)]
pub struct ListUpdate {
    pub job_id: String,
    /// The new lists' date, which the audit event names.
    pub date: Option<String>,
    /// The entries that differ between the lists the customer was screened on and the new ones (`OFAC SDN
    /// 12345`); empty when those lists were never recorded, where only the parties themselves count.
    pub touched: HashSet<String>,
}

impl ListUpdate {
    /// What the audit event and the review say made the screening.
    pub fn reason(&self) -> String {
        format!(
            "list update {}",
            self.date.as_deref().unwrap_or("(undated)")
        )
    }
}

/// Re-screens a stored customer against the current lists and appends the audit row; returns the updated
/// record. A screening `precomputed` outside the write lock is used when the record is still the version
/// it was computed for.
pub fn refresh(
    state: &AppState,
    conn: &Conn<'_>,
    id: &str,
    actor: &Actor,
    why: Refresh<'_>,
    precomputed: Option<Precomputed>,
) -> Result<Record, DomainError> {
    let mut record = existing(conn, id)?;
    let before = record.status;
    let start = match why {
        Refresh::Reverify if before == CustomerStatus::Inactive => reactivated(conn, id)?,
        Refresh::Reverify => CustomerStatus::Pending,
        _ => before,
    };
    let update = match why {
        Refresh::ListsChanged(update) => Some(update),
        _ => None,
    };
    let cleared = match (&record.review_id, update) {
        (Some(review_id), Some(_)) if before == CustomerStatus::Verified => {
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
            let touched = update.map(|u| &u.touched);
            s.entities()
                .iter()
                .all(|e| known.contains(e) && !touched.is_some_and(|t| t.contains(e)))
        });
        if still_cleared {
            CustomerStatus::Verified
        } else {
            rescreened_status(start, s, config.as_ref())
        }
    };
    let job = update.map(|u| u.job_id.as_str());
    let screening = apply_screening(state, conn, &mut record, precomputed, job, actor, decide)?;
    let mut note = update.map(ListUpdate::reason);
    let carried = cleared
        .filter(|_| record.status == CustomerStatus::Verified && screening.is_hit())
        .and_then(|c| c.decision.map(|d| (c.screening.review_id, d)));
    if let Some((old_review, decision)) = carried {
        let carried = format!(
            "{}: clearance of review {old_review} carried forward: the same listed parties, their \
             entries unchanged ({})",
            note.as_deref().unwrap_or("list update"),
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

/// The background half of `processing_method: background`: screens a customer still `pending` after its
/// create committed, outside the write lock. A customer changed or deleted meanwhile is left alone (its
/// own write screened it). Returns whether it screened the customer.
pub fn screen_in_background(state: &AppState, id: &str, version: i64) -> Result<bool, DomainError> {
    let Some(record) = state.store.read_blocking(|conn| conn.customer(id))? else {
        return Ok(false);
    };
    let precomputed = Precomputed::of(&state.lists.load(), state.threshold, &record);
    state.store.write_blocking(|tx| {
        let Some(mut record) = tx.customer(id)? else {
            return Ok(false);
        };
        if record.version != version || record.status != CustomerStatus::Pending {
            return Ok(false);
        }
        let config = record.profile.config.clone();
        let actor = Actor::system("background screening", uuid::Uuid::new_v4().to_string());
        let screening = apply_screening(
            state,
            tx,
            &mut record,
            Some(precomputed),
            None,
            &actor,
            |s| screened_status(s, config.as_ref()),
        )?;
        record.updated_at = crate::clock::now();
        tx.update_customer(&record)?;
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
        Ok(true)
    })
}
