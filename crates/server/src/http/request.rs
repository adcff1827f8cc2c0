//! What every request carries through the server: its id (the `api_request_id` of the response and the
//! audit row), the caller's Request-Id and Correlation-Id (echoed back), and one log line per request that
//! names the route template, never the path's or query's values, so no PII reaches the log.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{FromRequest, MatchedPath, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use clearance_api::ResponseMeta;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::domain::update::Nulls;
use crate::http::error::ApiError;

/// Longest Request-Id, Correlation-Id or Idempotency-Key accepted; longer ones are refused, not cut.
pub const MAX_HEADER_ID: usize = 255;

/// Largest body accepted (axum's default limit, which the router keeps); larger ones get 413.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct Context {
    pub api_request_id: String,
    pub timestamp: String,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
}

tokio::task_local! {
    static CURRENT: Context;
}

/// The current request's context. Outside a request (background screening) a fresh one.
pub fn current() -> Context {
    CURRENT
        .try_with(Clone::clone)
        .unwrap_or_else(|_| fresh(None, None))
}

fn fresh(request_id: Option<String>, correlation_id: Option<String>) -> Context {
    Context {
        api_request_id: uuid::Uuid::new_v4().to_string(),
        timestamp: crate::clock::now(),
        request_id,
        correlation_id,
    }
}

/// The `meta` of the current response.
pub fn meta() -> ResponseMeta {
    let ctx = current();
    ResponseMeta {
        api_request_id: ctx.api_request_id,
        api_request_timestamp: ctx.timestamp,
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const CORRELATION_ID: HeaderName = HeaderName::from_static("correlation-id");

/// A Request-Id, Correlation-Id or Idempotency-Key header: 1 to [`MAX_HEADER_ID`] visible ASCII
/// characters, spaces only inside (the OpenAPI document's `HEADER_ID` pattern).
pub fn header_id(headers: &HeaderMap, name: &HeaderName) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let bytes = value.as_bytes();
    let visible = |b: &u8| b.is_ascii_graphic();
    let ok = (1..=MAX_HEADER_ID).contains(&bytes.len())
        && bytes.iter().all(|b| visible(b) || *b == b' ')
        && bytes.first().is_some_and(visible)
        && bytes.last().is_some_and(visible);
    match value.to_str() {
        Ok(text) if ok => Ok(Some(text.to_owned())),
        _ => Err(ApiError::BadRequest(format!(
            "the {name} header must be 1 to {MAX_HEADER_ID} visible ASCII characters, spaces only inside"
        ))),
    }
}

/// The outermost layer: sets the context, echoes the ids, logs the request.
pub async fn layer(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(unrouted)", MatchedPath::as_str)
        .to_owned();
    let ids = header_id(req.headers(), &REQUEST_ID)
        .and_then(|r| Ok((r, header_id(req.headers(), &CORRELATION_ID)?)));
    let (ctx, response) = match ids {
        Ok((request_id, correlation_id)) => {
            let ctx = fresh(request_id, correlation_id);
            let response = CURRENT.scope(ctx.clone(), next.run(req)).await;
            (ctx, response)
        }
        Err(error) => {
            let ctx = fresh(None, None);
            let response = CURRENT
                .scope(ctx.clone(), async {
                    axum::response::IntoResponse::into_response(error)
                })
                .await;
            (ctx, response)
        }
    };
    let mut response = response;
    let headers = response.headers_mut();
    for (name, value) in [
        (REQUEST_ID, &ctx.request_id),
        (CORRELATION_ID, &ctx.correlation_id),
    ] {
        if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    }
    if route.starts_with("/v1/") || route.starts_with("/api/") {
        tracing::info!(
            %method,
            route,
            status = response.status().as_u16(),
            ms = started.elapsed().as_secs_f64() * 1000.0,
            api_request_id = ctx.api_request_id,
            "request"
        );
    }
    response
}

/// A JSON body, with the SHA-256 of its parsed form for idempotency (the same JSON formatted differently
/// is the same request) and the fields it set to `null`. A body that does not parse is refused with the
/// path of the offending field, never with its value.
pub struct JsonBody<T> {
    pub value: T,
    pub hash: [u8; 32],
    pub nulls: Nulls,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(MAX_BODY)
            } else {
                ApiError::BadRequest(format!("the request body could not be read: {e}"))
            }
        })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => {
                // It parsed as T, so it is JSON; its canonical form has sorted keys and no spacing.
                let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
                let canonical = serde_json::to_vec(&json).unwrap_or_default();
                Ok(Self {
                    value,
                    hash: Sha256::digest(&canonical).into(),
                    nulls: Nulls::of(&json),
                })
            }
            Err(error) => {
                let path = error.path().to_string();
                let inner = error.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    return Err(ApiError::BadRequest(format!(
                        "the body is not valid JSON (line {}, column {})",
                        inner.line(),
                        inner.column()
                    )));
                }
                let reference = if path == "." { "body".to_owned() } else { path };
                Err(ApiError::field(&reference, describe(&inner)))
            }
        }
    }
}

/// serde_json's message without the offending value, which may be PII.
fn describe(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    if let Some(expected) = message.split("expected ").nth(1) {
        if message.starts_with("unknown variant") {
            return format!("must be one of {expected}");
        }
        return format!("has the wrong type: expected {expected}");
    }
    if message.starts_with("missing field") {
        return message.replacen("missing field", "is missing the field", 1);
    }
    "has the wrong type".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Shape {
        kind: clearance_api::CustomerType,
        count: u32,
    }

    fn message(json: &str) -> String {
        describe(&serde_json::from_str::<Shape>(json).unwrap_err())
    }

    #[test]
    fn messages_never_repeat_the_value() {
        let bad_variant = message(r#"{"kind": "123-45-6789", "count": 1}"#);
        assert!(!bad_variant.contains("6789"), "{bad_variant}");
        assert!(bad_variant.contains("individual"), "{bad_variant}");
        let bad_type = message(r#"{"kind": "individual", "count": "123-45-6789"}"#);
        assert!(!bad_type.contains("6789"), "{bad_type}");
    }
}
