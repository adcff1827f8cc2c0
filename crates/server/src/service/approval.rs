//! Four-eyes approval (`clearance serve --four-eyes`): a decision on a review whose strongest alerting
//! match reaches the configured correlation needs two analysts. The first decision is recorded and the
//! customer stays in `review`, awaiting a second; the same decision from another key completes it, a
//! different one sends the review back to the first analyst, and the first key again is refused.

use clearance_api::{Approval, CustomerStatus, EventAction, ReviewRequest};

use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::service::{DomainError, save};
use crate::store::Conn;
use crate::store::audit::Entry;
use crate::store::screenings::Stored;

/// Where a decision under four-eyes approval leaves the review.
pub enum Outcome {
    /// Recorded, or sent back; the customer stays in review.
    Pending(Record),
    /// A second analyst agreed with the first: the decision applies.
    Agreed(Record),
}

/// Takes `request` as the first or the second of the two decisions `stored` needs.
pub fn second(
    conn: &Conn<'_>,
    mut record: Record,
    stored: &Stored,
    request: &ReviewRequest,
    actor: &Actor,
) -> Result<Outcome, DomainError> {
    let Some(key) = actor.key_id.clone() else {
        return Err(DomainError::InvalidState(
            "four-eyes approval needs an analyst's key".into(),
        ));
    };
    let review_id = &stored.screening.review_id;
    let now = crate::clock::now();
    let because = request
        .note
        .as_deref()
        .map(|n| format!(": {n}"))
        .unwrap_or_default();
    let event = |action: EventAction, note: &str| {
        conn.append_event(
            actor,
            &Entry {
                status_before: Some(CustomerStatus::Review),
                status_after: Some(CustomerStatus::Review),
                review_id: Some(review_id),
                entities: stored.screening.entities(),
                note: Some(note),
                ..Entry::new(&record.id, action)
            },
        )
    };
    match &stored.first {
        None => {
            let approval = Approval {
                status: request.status,
                decided_by: actor.actor.clone(),
                decided_at: now,
                note: request.note.clone(),
            };
            conn.record_first_approval(review_id, &approval, &key)?;
            event(
                EventAction::FirstApproval,
                &format!(
                    "{}, awaiting a second analyst{because}",
                    request.status.as_str()
                ),
            )?;
            Ok(Outcome::Pending(record))
        }
        Some((_, first_key)) if *first_key == key => Err(DomainError::Conflict(
            "this key made the first decision on this review: four-eyes approval needs a second \
             analyst"
                .into(),
        )),
        Some((first, _)) if first.status == request.status => Ok(Outcome::Agreed(record)),
        Some((first, first_key)) => {
            conn.clear_first_approval(review_id)?;
            event(
                EventAction::ApprovalReturned,
                &format!(
                    "{} decided {}, {} decided {}: back to {}{because}",
                    first.decided_by,
                    first.status.as_str(),
                    actor.actor,
                    request.status.as_str(),
                    first.decided_by
                ),
            )?;
            record.assignee = Some(first_key.clone());
            record.updated_at = crate::clock::now();
            save(conn, &mut record, "deciding")?;
            Ok(Outcome::Pending(record))
        }
    }
}
