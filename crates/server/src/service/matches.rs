//! Per-match decisions: an analyst dismisses or confirms one match of a review at a time. A dismissal is
//! remembered (see `memory`); a confirmation means the review can only be rejected. The customer's status
//! changes only by the review decision itself.

use std::sync::Arc;

use clearance_api::{
    EventAction, MatchDecision, MatchDecisionRequest, MatchReview, PreviouslyCleared,
};

use crate::domain::actor::Actor;
use crate::domain::screening::entity_key;
use crate::service::review::{self, Detail};
use crate::service::write::{self, Answer, Write, Written};
use crate::service::{DomainError, existing, memory};
use crate::state::AppState;
use crate::store::Conn;
use crate::store::audit::Entry;

/// PATCH .../review/matches/{match_id}: records the decision and answers with the review as it now reads.
pub async fn decide(
    state: &Arc<AppState>,
    write: Write,
    id: String,
    match_id: String,
    request: MatchDecisionRequest,
) -> Result<Written, DomainError> {
    write::run(state, write, move |_, tx, actor, meta| {
        decide_in(tx, &id, &match_id, &request, actor)?;
        let review = review::read(tx, &id, Detail::Full)?;
        Answer::object(write::OK, &id, review, meta)
    })
    .await
}

fn decide_in(
    conn: &Conn<'_>,
    id: &str,
    match_id: &str,
    request: &MatchDecisionRequest,
    actor: &Actor,
) -> Result<(), DomainError> {
    if let Some(note) = &request.note {
        review::check_note(note)?;
    }
    let record = existing(conn, id)?;
    if record.status != clearance_api::CustomerStatus::Review {
        return Err(DomainError::InvalidState(format!(
            "only the matches of a customer in review can be decided; this one is {}",
            record.status.as_str()
        )));
    }
    let Some(stored) = conn.current_screening(&record)? else {
        return Err(DomainError::NoSuchMatch(match_id.to_owned()));
    };
    if stored.awaiting_approval().is_some() {
        return Err(DomainError::InvalidState(
            "this review awaits a second analyst's approval; its matches can no longer change"
                .into(),
        ));
    }
    let Some(found) = stored
        .screening
        .watch_list
        .matches
        .iter()
        .find(|m| m.match_id.as_deref() == Some(match_id))
    else {
        return Err(DomainError::NoSuchMatch(match_id.to_owned()));
    };
    let review_id = &stored.screening.review_id;
    let decision = MatchReview {
        decision: request.decision,
        decided_by: actor.actor.clone(),
        decided_at: crate::clock::now(),
        note: request.note.clone(),
    };
    let before = conn.match_decisions(review_id)?.remove(match_id);
    conn.decide_match(review_id, match_id, &decision)?;
    let now = decision.decided_at.clone();
    match request.decision {
        MatchDecision::Dismissed => {
            memory::remember(
                conn,
                id,
                &stored.screening.watch_list.list_version,
                found,
                &PreviouslyCleared {
                    cleared_by: decision.decided_by,
                    cleared_at: decision.decided_at,
                    note: decision.note,
                    match_id: match_id.to_owned(),
                },
            )?;
        }
        MatchDecision::Confirmed => {
            conn.forget_cleared(id, &entity_key(found), None, &now)?;
        }
    }
    let note = format!(
        "{} {}{}{}",
        request.decision.as_str(),
        match_id,
        before
            .map(|b| format!(" (was {} by {})", b.decision.as_str(), b.decided_by))
            .unwrap_or_default(),
        request
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default()
    );
    conn.append_event(
        actor,
        &Entry {
            review_id: Some(review_id),
            entities: vec![entity_key(found)],
            note: Some(&note),
            ..Entry::new(id, EventAction::MatchDecided)
        },
    )?;
    Ok(())
}
