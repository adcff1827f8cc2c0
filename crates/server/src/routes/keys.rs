//! GET /v1/api_keys/current: the calling key and what its role allows.

use axum::Json;
use clearance_api::{ApiKeyInfo, Envelope};

use crate::domain::roles::Permission;
use crate::http::auth::Caller;
use crate::http::response;

/// GET /v1/api_keys/current
#[utoipa::path(get, path = "/v1/api_keys/current", tag = "keys",
    responses((status = 200, body = Envelope<ApiKeyInfo>), (status = 401, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn current(caller: Caller) -> Json<Envelope<ApiKeyInfo>> {
    response::object(ApiKeyInfo {
        id: caller.key.id.clone(),
        label: caller.key.label.clone(),
        role: caller.key.role.as_str().to_owned(),
        permissions: Permission::ALL
            .into_iter()
            .filter(|p| caller.may(*p))
            .map(|p| p.as_str().to_owned())
            .collect(),
    })
}
