//! False-positive memory: a match an analyst dismissed (or a customer verified over it) does not alert
//! again for the same customer while the listed entry reads the same and the customer's names and date of
//! birth are unchanged. It stays in the review, marked "previously cleared", and the audit log says so.

use clearance_api::{EventAction, PreviouslyCleared, WatchListMatch};

use crate::domain::actor::Actor;
use crate::domain::screening::{Screening, entity_key};
use crate::service::DomainError;
use crate::store::Conn;
use crate::store::audit::Entry;
use crate::store::matches::ClearedPair;

/// Marks the matches of a new screening of `customer_id` that an earlier clearance covers, and appends
/// one audit row naming them. Call before the screening is stored and the status decided.
pub fn suppress_cleared(
    conn: &Conn<'_>,
    customer_id: &str,
    screening: &mut Screening,
    actor: &Actor,
) -> Result<(), DomainError> {
    let (mut entities, mut suppressed) = (Vec::new(), Vec::new());
    for index in 0..screening.watch_list.matches.len() {
        let key = entity_key(&screening.watch_list.matches[index]);
        let Some(version) = conn.entity_version(&screening.watch_list.list_version, &key)? else {
            continue;
        };
        conn.forget_cleared(customer_id, &key, Some(&version), &screening.created_at)?;
        if let Some(cleared) = conn.cleared(customer_id, &key, &version)? {
            suppressed.push(format!(
                "{key}: previously cleared by {} on {}{}",
                cleared.cleared_by,
                cleared.cleared_at,
                cleared
                    .note
                    .as_deref()
                    .map(|n| format!(", note: {n}"))
                    .unwrap_or_default()
            ));
            screening.suppress(index, cleared);
            entities.push(key);
        }
    }
    if suppressed.is_empty() {
        return Ok(());
    }
    let note = suppressed.join("\n");
    conn.append_event(
        actor,
        &Entry {
            review_id: Some(&screening.review_id),
            entities,
            note: Some(&note),
            ..Entry::new(customer_id, EventAction::Suppressed)
        },
    )?;
    Ok(())
}

/// Remembers that `found`, a match of the screening on `list_version`, is not the customer. A screening on
/// lists never recorded (stored before list versions were) has no entry version to remember, so its
/// dismissals are decisions only.
pub fn remember(
    conn: &Conn<'_>,
    customer_id: &str,
    list_version: &str,
    found: &WatchListMatch,
    cleared: &PreviouslyCleared,
) -> Result<(), DomainError> {
    let key = entity_key(found);
    let Some(version) = conn.entity_version(list_version, &key)? else {
        return Ok(());
    };
    conn.remember_cleared(
        &ClearedPair {
            customer_id,
            entity_key: &key,
            entity_version: &version,
            match_id: &cleared.match_id,
        },
        &cleared.cleared_by,
        &cleared.cleared_at,
        cleared.note.as_deref(),
    )?;
    Ok(())
}
