//! Assignment: which analyst works a customer's review. The review queue filters by it, and a review that
//! four-eyes approval sends back goes to its first analyst.

use std::sync::Arc;

use clearance_api::{AssignRequest, CustomerStatus, EventAction};

use crate::domain::roles::Permission;
use crate::service::write::{self, Write, Written};
use crate::service::{DomainError, existing, save};
use crate::state::AppState;
use crate::store::audit::Entry;

/// POST .../review/assign: `me` is the caller's key id.
pub async fn assign(
    state: &Arc<AppState>,
    write: Write,
    id: String,
    request: AssignRequest,
    me: String,
) -> Result<Written, DomainError> {
    let assignee = match request.assignee.as_deref() {
        Some("me") => Some(me),
        Some(key) => Some(key.to_owned()),
        None => None,
    };
    if assignee.as_deref().is_some_and(|key| !is_key_id(key)) {
        return Err(DomainError::field(
            "assignee",
            "must be me, a key id (key_ and 12 hex digits), or null",
        ));
    }
    write::change_customer(state, write, move |_, tx, actor| {
        let mut record = existing(tx, &id)?;
        if let Some(key) = &assignee {
            let decides = tx
                .live_key_role(key)?
                .is_some_and(|role| role.grants(Permission::Decide));
            if !decides {
                return Err(DomainError::Conflict(format!(
                    "{key} is not a live analyst or admin key"
                )));
            }
        }
        if record.status != CustomerStatus::Review {
            return Err(DomainError::InvalidState(format!(
                "only a customer in review is assigned; this one is {}",
                record.status.as_str()
            )));
        }
        let before = std::mem::replace(&mut record.assignee, assignee.clone());
        record.updated_at = crate::clock::now();
        save(tx, &mut record, "assigning")?;
        let note = format!(
            "{} (was {})",
            assignee
                .as_deref()
                .map_or_else(|| "unassigned".to_owned(), |k| format!("assigned to {k}")),
            before.as_deref().unwrap_or("unassigned")
        );
        tx.append_event(
            actor,
            &Entry {
                note: Some(&note),
                ..Entry::new(&record.id, EventAction::Assigned)
            },
        )?;
        Ok(record)
    })
    .await
}

/// Whether `text` has the shape of a key id: `key_` and 12 lower-case hex digits.
pub fn is_key_id(text: &str) -> bool {
    text.strip_prefix("key_").is_some_and(|hex| {
        hex.len() == 12
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}
