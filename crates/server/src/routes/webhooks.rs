//! /v1/webhooks: an admin registers a webhook and reads its delivery log.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use clearance_api::{Envelope, Webhook, WebhookDelivery, WebhookRequest};

use crate::domain::roles::Permission;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::idempotency::{IdempotencyKey, respond};
use crate::http::request::JsonBody;
use crate::http::response;
use crate::service::webhooks;
use crate::state::AppState;

/// POST /v1/webhooks
#[utoipa::path(post, path = "/v1/webhooks", tag = "webhooks",
    request_body = WebhookRequest,
    responses(
        (status = 201, description = "Registered; `secret` signs its messages and is shown this once (a retry under the same Idempotency-Key answers without it)", body = Envelope<Webhook>),
        (status = 403, description = "Only an admin registers webhooks", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    body: JsonBody<WebhookRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Operate)?;
    let write = key.write(&caller, "POST", "/v1/webhooks".to_owned(), body.hash);
    respond(webhooks::create(&state, write, body.value).await?)
}

/// GET /v1/webhooks/{id}/deliveries
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The newest 1,000 deliveries, newest first", body = Envelope<Vec<WebhookDelivery>>),
        (status = 403, description = "Only an admin reads deliveries", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn deliveries(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<Envelope<Vec<WebhookDelivery>>>, ApiError> {
    caller.require(Permission::Operate)?;
    Ok(response::object(webhooks::deliveries(&state, id).await?))
}
