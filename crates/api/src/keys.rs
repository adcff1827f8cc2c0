//! GET /v1/api_keys/current: which key is calling and what it may do, so a client shows only the controls
//! the key's role allows (a Clearance extension; the console does without it on other backends).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyInfo {
    pub id: String,
    pub label: String,
    /// `viewer`, `analyst` or `admin`.
    pub role: String,
    /// What the role allows: `read`, `write`, `decide`, `unmask`, `delete`.
    pub permissions: Vec<String>,
}
