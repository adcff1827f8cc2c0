//! The Idempotency-Key header, and how a service's stored answer goes back out (marked when replayed).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::request;
use crate::service::write::{Ran, Write, Written};

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The request's Idempotency-Key, if it sent one.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        request::header_id(&parts.headers, &IDEMPOTENCY_KEY).map(Self)
    }
}

impl IdempotencyKey {
    /// The write a route hands its service: the caller, this key, and the request it fingerprints.
    pub fn write(
        self,
        caller: &Caller,
        method: &'static str,
        path: String,
        body_hash: [u8; 32],
    ) -> Write {
        Write {
            actor: caller.actor(),
            key_id: caller.key.id.clone(),
            idempotency_key: self.0,
            method,
            path,
            body_hash,
            meta: request::meta(),
        }
    }
}

/// The stored or fresh answer as a response.
pub fn respond(written: Written) -> Result<Response, ApiError> {
    let status =
        StatusCode::from_u16(written.answer.status).map_err(|e| ApiError::Internal(Box::new(e)))?;
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        written.answer.body,
    )
        .into_response();
    if written.ran == Ran::Earlier {
        response
            .headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}
