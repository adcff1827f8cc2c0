//! The customer status machine, in one place so every path that changes a status (create, update, refresh,
//! review decisions, EasyOFAC updates) follows the same rules:
//!
//! - screening with no match at or above the threshold makes a customer `verified`; any match puts it in
//!   `review`;
//! - only an analyst's decision moves a customer out of `review`, to `verified` or `rejected`;
//! - re-screening never overrides a human: a `rejected` or `inactive` customer keeps its status (the new
//!   screening is still recorded);
//! - a sandbox's forced outcome replaces the screening's (sandbox servers only).

use clearance_api::{Config, CustomerStatus, EventAction, ProcessingMethod, SandboxOutcome};
use rusqlite::Connection;

use crate::app::AppState;
use crate::customer::Record;
use crate::db::audit::{self, Actor, Entry};
use crate::db::{customers, screenings};
use crate::error::ApiError;
use crate::screen::{self, Screening};

/// The status a screening leads to, before any human decision.
pub fn screened_status(screening: &Screening, config: Option<&Config>) -> CustomerStatus {
    match config.and_then(|c| c.sandbox_outcome) {
        Some(SandboxOutcome::Verified) => CustomerStatus::Verified,
        Some(SandboxOutcome::Rejected) => CustomerStatus::Rejected,
        Some(SandboxOutcome::Review) => CustomerStatus::Review,
        Some(SandboxOutcome::Standard) | None => {
            if screening.is_hit() {
                CustomerStatus::Review
            } else {
                CustomerStatus::Verified
            }
        }
    }
}

/// The status after re-screening a customer that already has one.
pub fn rescreened_status(
    current: CustomerStatus,
    screening: &Screening,
    config: Option<&Config>,
) -> CustomerStatus {
    match current {
        CustomerStatus::Rejected | CustomerStatus::Inactive => current,
        CustomerStatus::Pending | CustomerStatus::Review | CustomerStatus::Verified => {
            screened_status(screening, config)
        }
    }
}

pub fn processing_method(config: Option<&Config>) -> ProcessingMethod {
    config.and_then(|c| c.processing_method).unwrap_or_default()
}

/// Points the record at a screening and sets the status `decide` picks. The caller stores both.
pub fn attach(
    record: &mut Record,
    screening: &Screening,
    decide: impl FnOnce(&Screening) -> CustomerStatus,
) {
    record.review_id = Some(screening.review_id.clone());
    record.top_score = screening.top_score();
    record.status = decide(screening);
}

/// Screens a stored `record` now, stores the screening and attaches it. The caller writes the record.
pub fn apply_screening(
    state: &AppState,
    conn: &Connection,
    record: &mut Record,
    decide: impl FnOnce(&Screening) -> CustomerStatus,
) -> Result<Screening, ApiError> {
    let screening = screen::screen(&state.lists, record, state.threshold);
    screenings::insert(conn, &record.id, &screening)?;
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

/// Re-screens a stored customer against the current lists and appends the audit row. Returns the updated
/// record.
pub fn refresh(
    state: &AppState,
    conn: &Connection,
    id: &str,
    actor: &Actor,
    why: Refresh,
) -> Result<Record, ApiError> {
    refresh_with(state, conn, id, actor, why, None)
}

/// [`refresh`], with a screening already computed outside the write lock for the record at `version`
/// (used when it is still that version).
fn refresh_with(
    state: &AppState,
    conn: &Connection,
    id: &str,
    actor: &Actor,
    why: Refresh,
    precomputed: Option<(i64, Screening)>,
) -> Result<Record, ApiError> {
    let mut record = customers::get(conn, id)?.ok_or_else(|| ApiError::not_found(id))?;
    let before = record.status;
    let start = if why == Refresh::Reverify {
        CustomerStatus::Pending
    } else {
        before
    };
    let cleared = match (&record.review_id, why) {
        (Some(review_id), Refresh::ListsChanged) if before == CustomerStatus::Verified => {
            screenings::get(conn, review_id)?.filter(|s| {
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
    let screening = match precomputed {
        Some((version, screening)) if version == record.version => {
            screenings::insert(conn, &record.id, &screening)?;
            attach(&mut record, &screening, decide);
            screening
        }
        _ => apply_screening(state, conn, &mut record, decide)?,
    };
    let mut note = None;
    let carried = cleared
        .filter(|_| record.status == CustomerStatus::Verified && screening.is_hit())
        .and_then(|c| c.decision.map(|d| (c.screening.review_id, d)));
    if let Some((old_review, decision)) = carried {
        let carried = format!(
            "clearance of review {old_review} carried forward: the same listed parties ({})",
            decision.note.as_deref().unwrap_or("no note")
        );
        screenings::decide(
            conn,
            &screening.review_id,
            CustomerStatus::Verified,
            &decision.decided_by,
            &crate::clock::now(),
            Some(&carried),
        )?;
        note = Some(carried);
    }
    record.updated_at = crate::clock::now();
    customers::update(conn, &record)?;
    record.version += 1;
    audit::append(
        conn,
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
pub fn rescreen_stale(state: &AppState) -> Result<Sweep, ApiError> {
    let version = state.lists.watchlists.content_hash.clone();
    let actor = Actor {
        actor: "system (list update)".to_owned(),
        role: "system".to_owned(),
        api_request_id: crate::request::current().api_request_id,
        request_id: None,
        correlation_id: None,
    };
    let mut sweep = Sweep::default();
    let mut after = 0;
    loop {
        let stale = state.db.read(|conn| {
            let ids = customers::stale(conn, &version, after, SWEEP_BATCH)?;
            ids.into_iter()
                .filter_map(|(seq, id)| {
                    customers::get(conn, &id)
                        .transpose()
                        .map(|r| r.map(|r| (seq, r)))
                })
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let Some((last, _)) = stale.last() else {
            return Ok(sweep);
        };
        after = *last;
        let records: Vec<Record> = stale.into_iter().map(|(_, r)| r).collect();
        let screened = screen_all(state, &records);
        state.db.write(|tx| {
            for (record, screening) in records.iter().zip(screened) {
                let before = record.status;
                let after = refresh_with(
                    state,
                    tx,
                    &record.id,
                    &actor,
                    Refresh::ListsChanged,
                    Some((record.version, screening)),
                )?;
                if after.status == CustomerStatus::Review && before != CustomerStatus::Review {
                    sweep.now_in_review += 1;
                }
            }
            Ok::<_, ApiError>(())
        })?;
        sweep.rescreened += records.len();
    }
}

/// Screens records on every core, in order.
fn screen_all(state: &AppState, records: &[Record]) -> Vec<Screening> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = records.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = records
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|r| screen::screen(&state.lists, r, state.threshold))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

/// The background half of `processing_method: background`: screens a customer still `pending` after its
/// create committed. A customer changed or deleted meanwhile is left alone (its own write screened it).
pub fn screen_in_background(state: &AppState, id: &str, version: i64) -> Result<(), ApiError> {
    state.db.write(|tx| {
        let Some(mut record) = customers::get(tx, id)? else {
            return Ok(());
        };
        if record.version != version || record.status != CustomerStatus::Pending {
            return Ok(());
        }
        let config = record.profile.config.clone();
        let screening = apply_screening(state, tx, &mut record, |s| {
            screened_status(s, config.as_ref())
        })?;
        record.updated_at = crate::clock::now();
        customers::update(tx, &record)?;
        let ctx = crate::request::current();
        let actor = Actor {
            actor: "system (background screening)".to_owned(),
            role: "system".to_owned(),
            api_request_id: ctx.api_request_id,
            request_id: None,
            correlation_id: None,
        };
        audit::append(
            tx,
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

#[cfg(test)]
mod tests {
    use super::*;
    use clearance_api::{Decision, WatchList};

    fn screening(hit: bool) -> Screening {
        Screening {
            review_id: "r".into(),
            created_at: "t".into(),
            watch_list: WatchList {
                codes: vec![],
                decision: if hit {
                    Decision::Review
                } else {
                    Decision::Accept
                },
                matched: vec![],
                matches: vec![],
                list_version: "v".into(),
                threshold: 0.82,
            },
        }
    }

    #[test]
    fn a_hit_goes_to_review_and_a_clear_result_verifies() {
        assert_eq!(
            screened_status(&screening(true), None),
            CustomerStatus::Review
        );
        assert_eq!(
            screened_status(&screening(false), None),
            CustomerStatus::Verified
        );
    }

    #[test]
    fn rescreening_never_overrides_a_rejection_or_deactivation() {
        for status in [CustomerStatus::Rejected, CustomerStatus::Inactive] {
            assert_eq!(rescreened_status(status, &screening(false), None), status);
        }
        assert_eq!(
            rescreened_status(CustomerStatus::Verified, &screening(true), None),
            CustomerStatus::Review
        );
    }

    #[test]
    fn a_sandbox_outcome_wins() {
        let config = Config {
            processing_method: None,
            sandbox_outcome: Some(SandboxOutcome::Rejected),
        };
        assert_eq!(
            screened_status(&screening(false), Some(&config)),
            CustomerStatus::Rejected
        );
    }
}
