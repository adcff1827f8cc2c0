//! GET /v1/compliance/status/{customerId}, in the reference's camelCase shape; the checks are the
//! service's (`service::compliance`).

use std::sync::Arc;

use axum::extract::{Path, State};
use clearance_api::ComplianceStatusResponse;

use crate::domain::roles::Permission;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::request;
use crate::service::compliance;
use crate::state::AppState;

/// GET /v1/compliance/status/{customerId}
#[utoipa::path(get, path = "/v1/compliance/status/{customerId}", tag = "compliance",
    params(("customerId" = String, Path, description = "Customer id")),
    responses((status = 200, body = ComplianceStatusResponse), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<ComplianceStatusResponse>, ApiError> {
    caller.require(Permission::Read)?;
    Ok(axum::Json(ComplianceStatusResponse {
        message: "Compliance status retrieved successfully".into(),
        data: compliance::get(&state, id).await?,
        trace_id: request::current().api_request_id,
    }))
}
