//! /v1/easyofac: EasyOFAC's vocabulary over Clearance's state, for integrations written against EasyOFAC.
//! The mapping is the service's (`service::easyofac`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use clearance_api::{EasyOfacCustomer, EasyOfacUpdate, Envelope};

use crate::domain::roles::Permission;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::idempotency::{IdempotencyKey, respond};
use crate::http::request::JsonBody;
use crate::http::response;
use crate::service::easyofac;
use crate::state::AppState;

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
    Ok(response::object(easyofac::get(&state, id).await?))
}

/// POST /v1/easyofac/updateCustomerStatus
#[utoipa::path(post, path = "/v1/easyofac/updateCustomerStatus", tag = "easyofac",
    request_body = EasyOfacUpdate,
    params(crate::http::openapi::WriteHeaders),
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
    let write = key.write(
        &caller,
        "POST",
        "/v1/easyofac/updateCustomerStatus".into(),
        body.hash,
    );
    respond(easyofac::update(&state, write, body.value).await?)
}
