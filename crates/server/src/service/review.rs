//! Reviews: the screening evidence of a customer, the analyst's decision on it, and a re-screen on request.
//! Screening never moves a customer out of `review`: a person's decision does. A customer deactivated while
//! in review comes back to review when reactivated.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use clearance_api::{
    Breakdown, Correlation, CustomerReview, CustomerStatus, Decision, EventAction, IdentityDetails,
    MatchDecision, MatchReview, PreviouslyCleared, ReopenRequest, ReviewRequest,
};

use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::domain::screening::{self, Screening};
use crate::service::rescreen::{self, Refresh};
use crate::service::write::{self, Write, Written};
use crate::service::{DomainError, approval, existing, memory, save};
use crate::state::AppState;
use crate::store::Conn;
use crate::store::audit::Entry;

/// The review of a stored customer.
fn review_of(conn: &Conn<'_>, record: &Record) -> Result<CustomerReview, DomainError> {
    let mut stored = conn.current_screening(record)?;
    if let Some(stored) = &mut stored {
        conn.attach_decisions(
            &stored.screening.review_id,
            &mut stored.screening.watch_list,
        )?;
    }
    let identity_details = stored.map(|stored| {
        let awaiting_approval = stored.awaiting_approval().cloned();
        let watch_list = stored.screening.watch_list;
        let decision = match stored.decision.as_ref().map(|d| d.status) {
            Some(CustomerStatus::Verified) => Decision::Accept,
            Some(CustomerStatus::Rejected) => Decision::Reject,
            _ => watch_list.decision,
        };
        let mut messages = BTreeMap::new();
        messages.insert(
            "watch_list".to_owned(),
            match watch_list.matches.len() {
                0 if record.status == CustomerStatus::Review => format!(
                    "no match at or above {} on the latest screening ({}); the customer stays in review \
                     until an analyst decides",
                    watch_list.threshold, stored.screening.created_at
                ),
                0 => format!("no match at or above {}", watch_list.threshold),
                1 => format!("1 potential match at or above {}", watch_list.threshold),
                n => format!("{n} potential matches at or above {}", watch_list.threshold),
            },
        );
        if let Some(mark) = &stored.list_update {
            let date = mark.list_date.as_deref().unwrap_or("(undated)");
            messages.insert(
                "list_update".to_owned(),
                if watch_list.matches.is_empty() && record.status == CustomerStatus::Review {
                    format!(
                        "list update {date}: the party matched before is no longer listed or no longer \
                         matches; the customer stays in review until an analyst clears it"
                    )
                } else {
                    format!("list update {date}: screened again because the lists changed")
                },
            );
        }
        IdentityDetails {
            review_id: stored.screening.review_id,
            updated_at: stored.decision.as_ref().map_or_else(
                || stored.screening.created_at.clone(),
                |d| d.decided_at.clone(),
            ),
            created_at: stored.screening.created_at,
            decision,
            breakdown: Breakdown {},
            kyc: screening::kyc(record),
            watch_list,
            messages,
            awaiting_approval,
            review_decision: stored.decision,
            list_update: stored.list_update,
        }
    });
    Ok(CustomerReview {
        customer_details: record.masked(),
        identity_details,
    })
}

/// How much of the evidence a reader sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Everything: analysts and admins, who decide.
    Full,
    /// Without whether the customer's date of birth agrees with the list's: the read-only role does not
    /// need a fact derived from unmasked PII.
    WithoutBirthDate,
}

/// The review of the customer `id`.
pub async fn get(
    state: &AppState,
    id: String,
    detail: Detail,
) -> Result<CustomerReview, DomainError> {
    state.store.read(move |conn| read(conn, &id, detail)).await
}

/// The review of the customer `id` as `conn` sees it.
pub fn read(conn: &Conn<'_>, id: &str, detail: Detail) -> Result<CustomerReview, DomainError> {
    let record = existing(conn, id)?;
    let mut review = review_of(conn, &record)?;
    if detail == Detail::WithoutBirthDate
        && let Some(details) = &mut review.identity_details
    {
        for found in &mut details.watch_list.matches {
            found.field_checks.retain(|check| check.field != "dob");
        }
    }
    Ok(review)
}

/// Applies an analyst's decision inside a write transaction. Exactly one of two racing decisions applies:
/// the second finds the review already decided. A confirmed match allows only a rejection; verifying
/// dismisses the matches nobody decided, and remembers them. Under four-eyes approval (`four_eyes`), a
/// review whose strongest match (suppressed or not) reaches that level needs the same decision from two
/// keys.
pub fn decide(
    conn: &Conn<'_>,
    id: &str,
    request: &ReviewRequest,
    actor: &Actor,
    four_eyes: Option<Correlation>,
) -> Result<Record, DomainError> {
    if !matches!(
        request.status,
        CustomerStatus::Verified | CustomerStatus::Rejected
    ) {
        return Err(DomainError::field("status", "must be verified or rejected"));
    }
    if let Some(note) = &request.note {
        check_note(note)?;
    }
    let record = existing(conn, id)?;
    let stored = conn.current_screening(&record)?;
    if let (Some(wanted), Some(current)) = (&request.review_id, &record.review_id)
        && wanted != current
    {
        return Err(DomainError::Conflict(format!(
            "review {wanted} is no longer current: the customer was re-screened as review {current}; \
             read the new evidence and decide again"
        )));
    }
    let mut record = record;
    if record.status != CustomerStatus::Review {
        if let Some(done) = stored.as_ref().and_then(|s| s.decision.as_ref()) {
            return Err(DomainError::AlreadyDecided {
                status: done.status,
                by: done.decided_by.clone(),
                at: done.decided_at.clone(),
            });
        }
        return Err(DomainError::InvalidState(format!(
            "only a customer in review can be decided; this one is {}",
            record.status.as_str()
        )));
    }
    let Some(stored) = stored else {
        return Err(DomainError::Inconsistent(format!(
            "customer {id} is in review without a screening"
        )));
    };
    let decisions = conn.match_decisions(&stored.screening.review_id)?;
    let confirmed = decisions
        .values()
        .any(|d| d.decision == MatchDecision::Confirmed);
    if confirmed && request.status == CustomerStatus::Verified {
        return Err(DomainError::InvalidState(
            "a match of this review is confirmed: the customer can only be rejected".into(),
        ));
    }
    // Every match counts here, those an earlier clearance suppresses too: one analyst's dismissal must not
    // take a review out of four-eyes approval.
    let strongest = stored
        .screening
        .watch_list
        .matches
        .iter()
        .map(|m| m.correlation)
        .max();
    if four_eyes.is_some_and(|level| strongest.is_some_and(|c| c >= level)) {
        match approval::second(conn, record, &stored, request, actor)? {
            approval::Outcome::Pending(record) => return Ok(record),
            approval::Outcome::Agreed(done) => record = done,
        }
    }
    if request.status == CustomerStatus::Verified {
        dismiss_undecided(conn, &record.id, &stored.screening, &decisions, actor)?;
    }
    record_decision(
        conn,
        record,
        &stored.screening,
        request.status,
        actor,
        request.note.as_deref(),
    )
}

/// Verifying a customer dismisses every match nobody decided, and remembers each as cleared.
fn dismiss_undecided(
    conn: &Conn<'_>,
    customer_id: &str,
    screening: &Screening,
    decided: &HashMap<String, MatchReview>,
    actor: &Actor,
) -> Result<(), DomainError> {
    let now = crate::clock::now();
    for found in &screening.watch_list.matches {
        let Some(match_id) = &found.match_id else {
            continue;
        };
        if decided.contains_key(match_id) || found.previously_cleared.is_some() {
            continue;
        }
        let review = MatchReview {
            decision: MatchDecision::Dismissed,
            decided_by: actor.actor.clone(),
            decided_at: now.clone(),
            note: Some("dismissed by verifying the customer".to_owned()),
        };
        conn.decide_match(&screening.review_id, match_id, &review)?;
        memory::remember(
            conn,
            customer_id,
            &screening.watch_list.list_version,
            found,
            &PreviouslyCleared {
                cleared_by: review.decided_by,
                cleared_at: review.decided_at,
                note: review.note,
                match_id: match_id.clone(),
            },
        )?;
    }
    Ok(())
}

/// Sets a decided status and records it on the screening and in the audit log; a rejection voids the
/// customer's cleared pairs. The guards are the caller's.
pub fn record_decision(
    conn: &Conn<'_>,
    mut record: Record,
    screening: &Screening,
    status: CustomerStatus,
    actor: &Actor,
    note: Option<&str>,
) -> Result<Record, DomainError> {
    let before = record.status;
    let now = crate::clock::now();
    conn.decide_screening(&screening.review_id, status, &actor.actor, &now, note)?;
    if status == CustomerStatus::Rejected {
        // A rejection says the customer may be a listed party after all: what was cleared no longer holds.
        conn.void_cleared(&record.id, &now)?;
    }
    record.status = status;
    record.updated_at = now;
    save(conn, &mut record, "deciding")?;
    conn.append_event(
        actor,
        &Entry {
            status_before: Some(before),
            status_after: Some(record.status),
            review_id: Some(&screening.review_id),
            entities: screening.entities(),
            note,
            ..Entry::new(&record.id, EventAction::Decided)
        },
    )?;
    Ok(record)
}

/// Longest note kept with a decision or a reopen: the audit log keeps it for 10 years.
pub const MAX_NOTE: usize = 4000;

/// A note is bounded text: at most [`MAX_NOTE`] characters, and no control characters but newlines.
pub fn check_note(note: &str) -> Result<(), DomainError> {
    if note.chars().count() > MAX_NOTE {
        return Err(DomainError::field(
            "note",
            format!("must be at most {MAX_NOTE} characters"),
        ));
    }
    if note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DomainError::field(
            "note",
            "must not contain control characters other than newlines",
        ));
    }
    Ok(())
}

/// POST .../reopen: an admin takes a rejected customer back into review, screened afresh against the
/// current lists, with the reason in the audit log. The only way out of `rejected`.
pub async fn reopen(
    state: &Arc<AppState>,
    write: Write,
    id: String,
    request: ReopenRequest,
) -> Result<Written, DomainError> {
    if request.note.trim().is_empty() {
        return Err(DomainError::field("note", "is required: say why"));
    }
    check_note(&request.note)?;
    let precomputed = rescreen::screen_stored(state, {
        let id = id.clone();
        move |conn| conn.customer(&id)
    })
    .await?;
    write::change_customer(state, write, move |state, tx, actor| {
        let mut record = existing(tx, &id)?;
        if record.status != CustomerStatus::Rejected {
            return Err(DomainError::InvalidState(format!(
                "only a rejected customer can be reopened; this one is {}",
                record.status.as_str()
            )));
        }
        let screening =
            rescreen::apply_screening(state, tx, &mut record, precomputed, None, actor, |_| {
                CustomerStatus::Review
            })?;
        record.updated_at = crate::clock::now();
        save(tx, &mut record, "reopening")?;
        tx.append_event(
            actor,
            &Entry {
                status_before: Some(CustomerStatus::Rejected),
                status_after: Some(CustomerStatus::Review),
                review_id: Some(&screening.review_id),
                entities: screening.entities(),
                note: Some(&request.note),
                ..Entry::new(&record.id, EventAction::Reopened)
            },
        )?;
        Ok(record)
    })
    .await
}

/// PATCH .../review: the analyst's decision, idempotent.
pub async fn decide_review(
    state: &Arc<AppState>,
    write: Write,
    id: String,
    review: ReviewRequest,
) -> Result<Written, DomainError> {
    write::change_customer(state, write, move |state, tx, actor| {
        decide(tx, &id, &review, actor, state.four_eyes)
    })
    .await
}

/// PUT .../refresh_review: screens the customer again against the current lists.
pub async fn refresh(
    state: &Arc<AppState>,
    write: Write,
    id: String,
) -> Result<Written, DomainError> {
    let precomputed = rescreen::screen_stored(state, {
        let id = id.clone();
        move |conn| conn.customer(&id)
    })
    .await?;
    write::change_customer(state, write, move |state, tx, actor| {
        rescreen::refresh(state, tx, &id, actor, Refresh::Requested, precomputed)
    })
    .await
}
