//! /v1/easyofac: EasyOFAC's vocabulary over Clearance's state, for integrations written against EasyOFAC.
//! The mapping is the service's (`service::easyofac`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use clearance_api::{EasyOfacCustomer, EasyOfacStatus, EasyOfacUpdate, Envelope, ErrorItem};

use crate::domain::roles::Permission;
use crate::http::auth::{Caller, Source};
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
    responses((status = 200, body = Envelope<EasyOfacCustomer>),
        (status = 403, description = "The key's role may not decide reviews", body = clearance_api::ErrorEnvelope),
        (status = 404, description = "No customer with this id or external_id", body = clearance_api::ErrorEnvelope),
        (status = 409, description = "A move EasyOFAC does not allow from the customer's state", body = clearance_api::ErrorEnvelope)),
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

/// GET /api/updateCustomerStatus: EasyOFAC's own call shape, for clients written against its reference.
/// `api_key`, `id` and `status` come as query parameters, and the answer is the bare customer object. The
/// key is accepted as a parameter here alone; like every parameter, it never reaches the log.
#[utoipa::path(get, path = "/api/updateCustomerStatus", tag = "easyofac",
    params(
        ("api_key" = String, Query, description = "An analyst's or admin's API key"),
        ("id" = String, Query, description = "Clearance's id, else the customer's external_id"),
        ("status" = EasyOfacStatus, Query, description = "safe, unsafe or exception"),
    ),
    responses((status = 200, body = EasyOfacCustomer)))]
pub async fn update_query(
    State(state): State<Arc<AppState>>,
    from: Source,
    RawQuery(query): RawQuery,
) -> Result<axum::Json<EasyOfacCustomer>, ApiError> {
    let params = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    update_params(&state, from, params).await
}

/// POST /api/updateCustomerStatus: as the GET, with the parameters as a form; query parameters are read
/// too, and a form value wins.
#[utoipa::path(post, path = "/api/updateCustomerStatus", tag = "easyofac",
    request_body(content = String, content_type = "application/x-www-form-urlencoded",
        description = "api_key, id and status"),
    responses((status = 200, body = EasyOfacCustomer)))]
pub async fn update_form(
    State(state): State<Arc<AppState>>,
    from: Source,
    RawQuery(query): RawQuery,
    form: Bytes,
) -> Result<axum::Json<EasyOfacCustomer>, ApiError> {
    let mut params = BTreeMap::new();
    for source in [query.unwrap_or_default().as_bytes(), &form[..]] {
        params.extend(form_urlencoded::parse(source).into_owned());
    }
    update_params(&state, from, params).await
}

async fn update_params(
    state: &Arc<AppState>,
    from: Source,
    mut params: BTreeMap<String, String>,
) -> Result<axum::Json<EasyOfacCustomer>, ApiError> {
    let secret = params
        .remove("api_key")
        .filter(|k| !k.is_empty())
        .ok_or(ApiError::Unauthorized(
            "send your API key as the api_key parameter",
        ));
    let caller = Caller::admit(state, secret, &from).await?;
    caller.require(Permission::Decide)?;
    let mut problems = Vec::new();
    let id = params.remove("id").filter(|id| !id.is_empty());
    if id.is_none() {
        problems.push(ErrorItem {
            reference: "id".into(),
            detail: "is required".into(),
        });
    }
    let status = match params.remove("status").as_deref() {
        Some("safe") => Some(EasyOfacStatus::Safe),
        Some("unsafe") => Some(EasyOfacStatus::Unsafe),
        Some("exception") => Some(EasyOfacStatus::Exception),
        _ => None,
    };
    if status.is_none() {
        problems.push(ErrorItem {
            reference: "status".into(),
            detail: "must be safe, unsafe or exception".into(),
        });
    }
    let (Some(id), Some(status)) = (id, status) else {
        return Err(ApiError::Validation(problems));
    };
    let update = EasyOfacUpdate { id, status };
    Ok(axum::Json(
        easyofac::update_bare(state, caller.actor(), update).await?,
    ))
}
