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

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use clearance_api::{CustomerStatus, EasyOfacCustomer, EasyOfacStatus, EasyOfacUpdate, Envelope};
use rusqlite::Connection;

use crate::app::AppState;
use crate::auth::{Caller, Permission};
use crate::customer::Record;
use crate::db::{customers, screenings};
use crate::error::ApiError;
use crate::mutation::{self, IdempotencyKey, Reply};
use crate::request::{self, JsonBody};
use crate::response;
use crate::routes::review;
use crate::screen;
use crate::workflow;

fn status_of(conn: &Connection, record: &Record) -> Result<EasyOfacStatus, ApiError> {
    Ok(match record.status {
        CustomerStatus::Pending | CustomerStatus::Review => EasyOfacStatus::Inspect,
        CustomerStatus::Rejected | CustomerStatus::Inactive => EasyOfacStatus::Unsafe,
        CustomerStatus::Verified => {
            let decided = match &record.review_id {
                Some(id) => screenings::get(conn, id)?
                    .and_then(|s| s.decision)
                    .is_some(),
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

fn view(conn: &Connection, record: &Record) -> Result<EasyOfacCustomer, ApiError> {
    Ok(EasyOfacCustomer {
        id: record
            .external_id
            .clone()
            .unwrap_or_else(|| record.id.clone()),
        customer_datetime: record.created_at.clone(),
        customer_status: status_of(conn, record)?,
        customer_kyc: u8::from(screen::kyc_complete(record)),
    })
}

/// GET /v1/easyofac/customers/{id}
#[utoipa::path(get, path = "/v1/easyofac/customers/{id}", tag = "easyofac",
    params(("id" = String, Path, description = "The customer's external_id, or Clearance's id")),
    responses((status = 200, body = Envelope<EasyOfacCustomer>), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<Envelope<EasyOfacCustomer>>, ApiError> {
    caller.require(Permission::Read)?;
    let db = state.db.clone();
    let customer = tokio::task::spawn_blocking(move || {
        db.read(|conn| {
            let record =
                customers::get_by_reference(conn, &id)?.ok_or_else(|| ApiError::not_found(&id))?;
            view(conn, &record)
        })
    })
    .await??;
    Ok(response::object(customer))
}

/// POST /v1/easyofac/updateCustomerStatus
#[utoipa::path(post, path = "/v1/easyofac/updateCustomerStatus", tag = "easyofac",
    request_body = EasyOfacUpdate,
    params(crate::openapi::WriteHeaders),
    responses((status = 200, body = Envelope<EasyOfacCustomer>),
        (status = 422, description = "A move EasyOFAC does not allow, or `inspect`", body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    body: JsonBody<EasyOfacUpdate>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Decide)?;
    let actor = caller.actor();
    let meta = request::meta();
    let update = body.value;
    let (response, _) = mutation::run(
        &state,
        &caller,
        key,
        mutation::Request {
            method: "POST",
            path: "/v1/easyofac/updateCustomerStatus".into(),
            body_hash: body.hash,
        },
        move |state, tx| {
            let record = customers::get_by_reference(tx, &update.id)?
                .ok_or_else(|| ApiError::not_found(&update.id))?;
            let current = status_of(tx, &record)?;
            let note = format!("EasyOFAC status {:?} requested", update.status).to_lowercase();
            let record = match (current, update.status) {
                (from, to) if from == to => record,
                (_, EasyOfacStatus::Inspect) => {
                    return Err(ApiError::field(
                        "status",
                        "must be safe, unsafe or exception: inspect is set by screening",
                    ));
                }
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
                        &clearance_api::ReviewRequest {
                            status: decided,
                            note: Some(note),
                            review_id: None,
                        },
                        &actor,
                    )?
                }
                (EasyOfacStatus::Safe | EasyOfacStatus::Exception, EasyOfacStatus::Unsafe) => {
                    let Some(stored) = record
                        .review_id
                        .as_deref()
                        .map(|id| screenings::get(tx, id))
                        .transpose()?
                        .flatten()
                    else {
                        return Err(ApiError::Unprocessable(
                            "this customer has no screening to reject".into(),
                        ));
                    };
                    review::record_decision(
                        tx,
                        record,
                        &stored.screening,
                        CustomerStatus::Rejected,
                        &actor,
                        Some(&note),
                    )?
                }
                (EasyOfacStatus::Unsafe | EasyOfacStatus::Exception, EasyOfacStatus::Safe) => {
                    workflow::refresh(state, tx, &record.id, &actor, workflow::Refresh::Reverify)?
                }
                (from, to) => {
                    return Err(ApiError::Unprocessable(
                        format!("EasyOFAC does not move a customer from {from:?} to {to:?}",)
                            .to_lowercase(),
                    ));
                }
            };
            Reply::json(
                StatusCode::OK,
                &record.id,
                &response::envelope(view(tx, &record)?, meta),
            )
        },
    )
    .await?;
    Ok(response)
}
