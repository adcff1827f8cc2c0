//! Straddle's error envelope: `{error: {status, type, title, detail, items}, meta, response_type: "error"}`.
//! Straddle's client libraries read `error.type` and `error.items[].reference`, so every failure, from a bad
//! field to a rate limit, leaves in this shape.

use serde::{Deserialize, Serialize};

use crate::ResponseMeta;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
    pub meta: ResponseMeta,
    pub response_type: crate::ResponseType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The HTTP status, repeated for clients that only keep the body.
    pub status: u16,
    /// A stable machine-readable kind: `validation_error`, `unauthorized`, `forbidden`, `not_found`,
    /// `conflict`, `idempotency_conflict`, `rate_limited`, `invalid_request`, `internal_error`.
    #[serde(rename = "type")]
    pub error_type: String,
    pub title: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ErrorItem>,
}

/// One field's problem: `reference` is the field's path in the request (`compliance_profile.ssn`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorItem {
    pub reference: String,
    pub detail: String,
}
