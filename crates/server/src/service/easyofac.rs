//! EasyOFAC's vocabulary over Clearance's state, for integrations written against EasyOFAC.
//!
//! | Clearance status | EasyOFAC status |
//! |---|---|
//! | `pending` (not screened yet), `review` | `inspect` |
//! | `verified` by screening with no match | `safe` |
//! | `verified` by an analyst's decision on a match | `exception` |
//! | `rejected`, `inactive` | `unsafe` |
//!
//! Updates: `exception` decides an `inspect` customer as verified; `unsafe` rejects an `inspect`, `safe` or
//! `exception` one; `safe` moves an `unsafe` or `exception` customer back and re-screens it, which may
//! land it in `inspect` again, as EasyOFAC does.

use std::sync::Arc;

use clearance_api::{
    CustomerStatus, EasyOfacCustomer, EasyOfacStatus, EasyOfacUpdate, ReviewRequest,
};

use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::domain::screening;
use crate::service::DomainError;
use crate::service::rescreen::{self, Precomputed, Refresh};
use crate::service::review;
use crate::service::write::{self, Answer, Write, Written};
use crate::state::AppState;
use crate::store::Conn;

fn status_of(conn: &Conn<'_>, record: &Record) -> Result<EasyOfacStatus, DomainError> {
    Ok(match record.status {
        CustomerStatus::Pending | CustomerStatus::Review => EasyOfacStatus::Inspect,
        CustomerStatus::Rejected | CustomerStatus::Inactive => EasyOfacStatus::Unsafe,
        CustomerStatus::Verified => {
            let decided = match &record.review_id {
                Some(id) => conn.screening(id)?.and_then(|s| s.decision).is_some(),
                None => false,
            };
            if decided {
                EasyOfacStatus::Exception
            } else {
                EasyOfacStatus::Safe
            }
        }
    })
}

fn view(conn: &Conn<'_>, record: &Record) -> Result<EasyOfacCustomer, DomainError> {
    Ok(EasyOfacCustomer {
        id: record
            .external_id
            .clone()
            .unwrap_or_else(|| record.id.clone()),
        customer_datetime: record.created_at.clone(),
        customer_status: status_of(conn, record)?,
        customer_kyc: u8::from(screening::kyc_complete(record)),
    })
}

/// The EasyOFAC view of the customer a caller refers to by its external_id or Clearance's id.
pub async fn get(state: &AppState, reference: String) -> Result<EasyOfacCustomer, DomainError> {
    state
        .store
        .read(move |conn| {
            let record = conn
                .customer_by_reference(&reference)?
                .ok_or(DomainError::NotFound(reference))?;
            view(conn, &record)
        })
        .await
}

/// Moves a customer to an EasyOFAC status, by the moves EasyOFAC allows (see the table above); an
/// idempotent write answered in Straddle's envelope.
pub async fn update(
    state: &Arc<AppState>,
    write: Write,
    update: EasyOfacUpdate,
) -> Result<Written, DomainError> {
    let precomputed = screen_if_safe(state, &update).await?;
    write::run(state, write, move |state, tx, actor, meta| {
        let record = apply(state, tx, actor, &update, precomputed)?;
        Answer::object(write::OK, &record.id, view(tx, &record)?, meta)
    })
    .await
}

/// [`update`] as EasyOFAC's own `api/updateCustomerStatus` answers it: the bare customer object.
pub async fn update_bare(
    state: &Arc<AppState>,
    actor: Actor,
    update: EasyOfacUpdate,
) -> Result<EasyOfacCustomer, DomainError> {
    let precomputed = screen_if_safe(state, &update).await?;
    let app = Arc::clone(state);
    state
        .store
        .write(move |tx| {
            let record = apply(&app, tx, &actor, &update, precomputed)?;
            view(tx, &record)
        })
        .await
}

/// Moving back to safe screens again: done outside the write lock.
async fn screen_if_safe(
    state: &Arc<AppState>,
    update: &EasyOfacUpdate,
) -> Result<Option<Precomputed>, DomainError> {
    if update.status != EasyOfacStatus::Safe {
        return Ok(None);
    }
    let reference = update.id.clone();
    rescreen::screen_stored(state, move |conn| conn.customer_by_reference(&reference)).await
}

/// Applies one move inside a write transaction; returns the customer as it leaves it.
fn apply(
    state: &AppState,
    tx: &Conn<'_>,
    actor: &Actor,
    update: &EasyOfacUpdate,
    precomputed: Option<Precomputed>,
) -> Result<Record, DomainError> {
    let record = tx
        .customer_by_reference(&update.id)?
        .ok_or_else(|| DomainError::NotFound(update.id.clone()))?;
    let current = status_of(tx, &record)?;
    let note = format!("EasyOFAC status {:?} requested", update.status).to_lowercase();
    let record = match (current, update.status) {
        (_, EasyOfacStatus::Inspect) => {
            return Err(DomainError::field(
                "status",
                "must be safe, unsafe or exception: inspect is set by screening",
            ));
        }
        (from, to) if from == to => record,
        (EasyOfacStatus::Inspect, EasyOfacStatus::Exception | EasyOfacStatus::Unsafe)
            if record.status == CustomerStatus::Review =>
        {
            let decided = if update.status == EasyOfacStatus::Exception {
                CustomerStatus::Verified
            } else {
                CustomerStatus::Rejected
            };
            review::decide(
                tx,
                &record.id,
                &ReviewRequest {
                    status: decided,
                    note: Some(note),
                    review_id: None,
                },
                actor,
                state.four_eyes,
            )?
        }
        (EasyOfacStatus::Safe | EasyOfacStatus::Exception, EasyOfacStatus::Unsafe) => {
            let Some(stored) = tx.current_screening(&record)? else {
                return Err(DomainError::InvalidState(
                    "this customer has no screening to reject".into(),
                ));
            };
            review::record_decision(
                tx,
                record,
                &stored.screening,
                CustomerStatus::Rejected,
                actor,
                Some(&note),
            )?
        }
        (EasyOfacStatus::Unsafe | EasyOfacStatus::Exception, EasyOfacStatus::Safe) => {
            rescreen::refresh(state, tx, &record.id, actor, Refresh::Reverify, precomputed)?
        }
        (from, to) => {
            return Err(DomainError::InvalidState(
                format!("EasyOFAC does not move a customer from {from:?} to {to:?}",)
                    .to_lowercase(),
            ));
        }
    };
    Ok(record)
}
