//! Every way a request can fail, each leaving in Straddle's error envelope with a stable `type`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clearance_api::{ErrorBody, ErrorEnvelope, ErrorItem, ResponseType};

use crate::http::request;
use crate::service::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request has invalid fields")]
    Validation(Vec<ErrorItem>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Well-formed fields that stored state refuses, each named.
    #[error("the request conflicts with stored customers")]
    Conflicts(Vec<ErrorItem>),
    /// A valid request that the customer's state does not allow.
    #[error("{0}")]
    InvalidState(String),
    #[error("this Idempotency-Key was first used with a different request")]
    IdempotencyMismatch,
    #[error("rate limit exceeded")]
    RateLimited { retry_after_secs: u64 },
    #[error("the request body is larger than the {0} bytes accepted")]
    PayloadTooLarge(usize),
    /// The cause is logged; the client sees only the request id to quote.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn field(reference: &str, detail: impl Into<String>) -> Self {
        Self::Validation(vec![ErrorItem {
            reference: reference.to_owned(),
            detail: detail.into(),
        }])
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_error",
                "Invalid request",
            ),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "invalid_request", "Bad request"),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", "Not found"),
            Self::Conflict(_) | Self::Conflicts(_) => {
                (StatusCode::CONFLICT, "conflict", "Conflict")
            }
            Self::InvalidState(_) => (
                StatusCode::CONFLICT,
                "invalid_state",
                "Not allowed in the current state",
            ),
            Self::IdempotencyMismatch => (
                StatusCode::CONFLICT,
                "idempotency_conflict",
                "Idempotency-Key reused",
            ),
            Self::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many requests",
            ),
            Self::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Payload too large",
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "Internal error",
            ),
        }
    }
}

/// The one place a rule's refusal becomes an HTTP status.
impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound(_)
            | DomainError::NoSuchJob(_)
            | DomainError::NoSuchEntry { .. }
            | DomainError::NoSuchMatch(_)
            | DomainError::NoSuchWebhook(_) => Self::NotFound(e.to_string()),
            DomainError::Validation(items) => Self::Validation(items),
            DomainError::InvalidState(message) => Self::InvalidState(message),
            DomainError::Conflicts(items) => Self::Conflicts(items),
            DomainError::AlreadyDecided { .. } | DomainError::Conflict(_) => {
                Self::Conflict(e.to_string())
            }
            DomainError::IdempotencyMismatch => Self::IdempotencyMismatch,
            DomainError::Inconsistent(_) | DomainError::Storage(_) => Self::Internal(Box::new(e)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error_type, title) = self.parts();
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        let detail = match &self {
            Self::Validation(items) | Self::Conflicts(items) if items.len() == 1 => {
                format!("{}: {}", items[0].reference, items[0].detail)
            }
            Self::Validation(items) => format!("{} fields are invalid", items.len()),
            Self::Conflicts(items) => {
                format!("{} fields conflict with stored customers", items.len())
            }
            Self::Internal(_) => "the server failed; quote api_request_id to support".to_owned(),
            other => other.to_string(),
        };
        let retry_after = match &self {
            Self::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let items = match self {
            Self::Validation(items) | Self::Conflicts(items) => items,
            _ => Vec::new(),
        };
        let body = ErrorEnvelope {
            error: ErrorBody {
                status: status.as_u16(),
                error_type: error_type.to_owned(),
                title: title.to_owned(),
                detail,
                items,
            },
            meta: request::meta(),
            response_type: ResponseType::Error,
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
