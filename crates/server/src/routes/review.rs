//! /v1/customers/{id}/review and /refresh_review: the screening evidence, the analyst's decision, and a
//! re-screen against the current lists.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use clearance_api::{
    AssignRequest, Customer, CustomerReview, Envelope, MatchDecisionRequest, ReopenRequest,
    ReviewRequest,
};

use crate::domain::roles::Permission;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::idempotency::{IdempotencyKey, respond};
use crate::http::request::JsonBody;
use crate::http::response;
use crate::service::{assign, matches, review};
use crate::state::AppState;

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
    let detail = if caller.may(Permission::Decide) {
        review::Detail::Full
    } else {
        review::Detail::WithoutBirthDate
    };
    Ok(response::object(review::get(&state, id, detail).await?))
}

/// PATCH /v1/customers/{id}/review
#[utoipa::path(patch, path = "/v1/customers/{id}/review", tag = "review",
    request_body = ReviewRequest,
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 200, body = Envelope<Customer>),
        (status = 403, description = "The key's role may not decide reviews", body = clearance_api::ErrorEnvelope),
        (status = 409, description = "Not in review, already decided, or the review was replaced by a refresh", body = clearance_api::ErrorEnvelope),
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
    let write = key.write(
        &caller,
        "PATCH",
        format!("/v1/customers/{id}/review"),
        body.hash,
    );
    respond(review::decide_review(&state, write, id, body.value).await?)
}

/// PUT /v1/customers/{id}/refresh_review
#[utoipa::path(put, path = "/v1/customers/{id}/refresh_review", tag = "review",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, description = "Re-screened against the current lists", body = Envelope<Customer>),
        (status = 403, description = "The key's role may not change customers", body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Write)?;
    let write = key.write(
        &caller,
        "PUT",
        format!("/v1/customers/{id}/refresh_review"),
        [0; 32],
    );
    respond(review::refresh(&state, write, id).await?)
}

/// POST /v1/customers/{id}/reopen
#[utoipa::path(post, path = "/v1/customers/{id}/reopen", tag = "review",
    request_body = ReopenRequest,
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, description = "Back in review, screened against the current lists", body = Envelope<Customer>),
        (status = 403, description = "Only an admin reopens", body = clearance_api::ErrorEnvelope),
        (status = 409, description = "The customer is not rejected", body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn reopen(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<ReopenRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Reopen)?;
    let write = key.write(
        &caller,
        "POST",
        format!("/v1/customers/{id}/reopen"),
        body.hash,
    );
    respond(review::reopen(&state, write, id, body.value).await?)
}

/// PATCH /v1/customers/{id}/review/matches/{match_id}
#[utoipa::path(patch, path = "/v1/customers/{id}/review/matches/{match_id}", tag = "review",
    request_body = MatchDecisionRequest,
    params(("id" = String, Path, description = "Customer id"),
        ("match_id" = String, Path, description = "A match of the customer's current review")),
    responses(
        (status = 200, description = "The review with the decision recorded", body = Envelope<CustomerReview>),
        (status = 403, description = "The key's role may not decide reviews", body = clearance_api::ErrorEnvelope),
        (status = 409, description = "Not in review, or awaiting a second analyst's approval", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn decide_match(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path((id, match_id)): Path<(String, String)>,
    body: JsonBody<MatchDecisionRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Decide)?;
    let write = key.write(
        &caller,
        "PATCH",
        format!("/v1/customers/{id}/review/matches/{match_id}"),
        body.hash,
    );
    respond(matches::decide(&state, write, id, match_id, body.value).await?)
}

/// POST /v1/customers/{id}/review/assign
#[utoipa::path(post, path = "/v1/customers/{id}/review/assign", tag = "review",
    request_body = AssignRequest,
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 200, description = "Assigned, or unassigned", body = Envelope<Customer>),
        (status = 403, description = "The key's role may not decide reviews", body = clearance_api::ErrorEnvelope),
        (status = 409, description = "The customer is not in review, or the assignee is not a live analyst or admin key", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn assign(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<AssignRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Decide)?;
    let write = key.write(
        &caller,
        "POST",
        format!("/v1/customers/{id}/review/assign"),
        body.hash,
    );
    let me = caller.key.id.clone();
    respond(assign::assign(&state, write, id, body.value, me).await?)
}
