//! /v1/customers/{id}/review and /refresh_review: the screening evidence, the analyst's decision, and a
//! re-screen against the current lists.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use clearance_api::{
    Breakdown, Customer, CustomerReview, CustomerStatus, Decision, Envelope, EventAction,
    IdentityDetails, ReviewRequest,
};
use rusqlite::Connection;

use crate::app::AppState;
use crate::auth::{Caller, Permission};
use crate::customer::Record;
use crate::db::audit::{self, Entry};
use crate::db::{customers, screenings};
use crate::error::ApiError;
use crate::mutation::{self, IdempotencyKey};
use crate::request::JsonBody;
use crate::response;
use crate::screen;
use crate::workflow;

/// The review of a stored customer.
pub fn review_of(conn: &Connection, record: &Record) -> Result<CustomerReview, ApiError> {
    let stored = match &record.review_id {
        Some(review_id) => screenings::get(conn, review_id)?,
        None => None,
    };
    let identity_details = stored.map(|stored| {
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
                0 => format!("no match at or above {}", watch_list.threshold),
                1 => format!("1 potential match at or above {}", watch_list.threshold),
                n => format!("{n} potential matches at or above {}", watch_list.threshold),
            },
        );
        IdentityDetails {
            review_id: stored.screening.review_id,
            updated_at: stored.decision.as_ref().map_or_else(
                || stored.screening.created_at.clone(),
                |d| d.decided_at.clone(),
            ),
            created_at: stored.screening.created_at,
            decision,
            breakdown: Breakdown {},
            kyc: screen::kyc(record),
            watch_list,
            messages,
            review_decision: stored.decision,
        }
    });
    Ok(CustomerReview {
        customer_details: record.masked(),
        identity_details,
    })
}

/// GET /v1/customers/{id}/review
#[utoipa::path(get, path = "/v1/customers/{id}/review", tag = "review",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, body = Envelope<CustomerReview>), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<Envelope<CustomerReview>>, ApiError> {
    caller.require(Permission::Read)?;
    let db = state.db.clone();
    let review = tokio::task::spawn_blocking(move || {
        db.read(|conn| {
            let record = customers::get(conn, &id)?.ok_or_else(|| ApiError::not_found(&id))?;
            review_of(conn, &record)
        })
    })
    .await??;
    Ok(response::object(review))
}

/// Applies an analyst's decision inside a write transaction. Exactly one of two racing decisions applies:
/// the second finds the review already decided and gets 409.
pub fn decide(
    conn: &Connection,
    id: &str,
    request: &ReviewRequest,
    actor: &crate::db::audit::Actor,
) -> Result<Record, ApiError> {
    if !matches!(
        request.status,
        CustomerStatus::Verified | CustomerStatus::Rejected
    ) {
        return Err(ApiError::field("status", "must be verified or rejected"));
    }
    let record = customers::get(conn, id)?.ok_or_else(|| ApiError::not_found(id))?;
    let stored = match &record.review_id {
        Some(review_id) => screenings::get(conn, review_id)?,
        None => None,
    };
    if let (Some(wanted), Some(current)) = (&request.review_id, &record.review_id)
        && wanted != current
    {
        return Err(ApiError::Conflict(format!(
            "review {wanted} is no longer current: the customer was re-screened as review {current}; \
             read the new evidence and decide again"
        )));
    }
    if record.status != CustomerStatus::Review {
        if let Some(done) = stored.as_ref().and_then(|s| s.decision.as_ref()) {
            return Err(ApiError::Conflict(format!(
                "this review was already decided: {} by {} at {}",
                done.status.as_str(),
                done.decided_by,
                done.decided_at
            )));
        }
        return Err(ApiError::Unprocessable(format!(
            "only a customer in review can be decided; this one is {}",
            record.status.as_str()
        )));
    }
    let Some(stored) = stored else {
        return Err(ApiError::Internal(format!(
            "customer {id} is in review without a screening"
        )));
    };
    record_decision(
        conn,
        record,
        &stored.screening,
        request.status,
        actor,
        request.note.as_deref(),
    )
}

/// Sets a decided status and records it on the screening and in the audit log. The guards are the caller's.
pub fn record_decision(
    conn: &Connection,
    mut record: Record,
    screening: &crate::screen::Screening,
    status: CustomerStatus,
    actor: &crate::db::audit::Actor,
    note: Option<&str>,
) -> Result<Record, ApiError> {
    let before = record.status;
    let now = crate::clock::now();
    screenings::decide(conn, &screening.review_id, status, &actor.actor, &now, note)?;
    record.status = status;
    record.updated_at = now;
    if !customers::update(conn, &record)? {
        return Err(ApiError::Conflict(
            "the customer changed while deciding; read it again".into(),
        ));
    }
    record.version += 1;
    audit::append(
        conn,
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

/// PATCH /v1/customers/{id}/review
#[utoipa::path(patch, path = "/v1/customers/{id}/review", tag = "review",
    request_body = ReviewRequest,
    params(("id" = String, Path, description = "Customer id"), crate::openapi::WriteHeaders),
    responses(
        (status = 200, body = Envelope<Customer>),
        (status = 409, description = "Already decided, or the review was replaced by a refresh", body = clearance_api::ErrorEnvelope),
        (status = 422, description = "Not in review, or a status other than verified/rejected", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn patch(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<ReviewRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Decide)?;
    let review = body.value;
    let request = mutation::Request {
        method: "PATCH",
        path: format!("/v1/customers/{id}/review"),
        body_hash: body.hash,
    };
    mutation::change_customer(&state, &caller, key, request, move |_, tx, actor| {
        decide(tx, &id, &review, actor)
    })
    .await
}

/// PUT /v1/customers/{id}/refresh_review
#[utoipa::path(put, path = "/v1/customers/{id}/refresh_review", tag = "review",
    params(("id" = String, Path, description = "Customer id"), crate::openapi::WriteHeaders),
    responses((status = 200, description = "Re-screened against the current lists", body = Envelope<Customer>),
        (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Write)?;
    let request = mutation::Request {
        method: "PUT",
        path: format!("/v1/customers/{id}/refresh_review"),
        body_hash: [0; 32],
    };
    mutation::change_customer(&state, &caller, key, request, move |state, tx, actor| {
        workflow::refresh(state, tx, &id, actor, workflow::Refresh::Requested)
    })
    .await
}
