//! Runs a change in one write transaction with its Idempotency-Key: a retry with the same key and body gets
//! the stored first response and changes nothing; the same key with another body gets 422. The lookup, the
//! change and the stored response commit together, so a crash or a racing retry can never apply it twice.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::Transaction;
use serde::Serialize;

use crate::app::AppState;
use crate::auth::Caller;
use crate::customer::Record;
use crate::db::audit::Actor;
use crate::db::idempotency::{self, Stored};
use crate::error::ApiError;
use crate::{request, response};

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The request's Idempotency-Key, if it sent one.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get(&IDEMPOTENCY_KEY) {
            None => Ok(Self(None)),
            Some(value) => match value.to_str() {
                Ok(key) if !key.is_empty() && key.len() <= 255 => Ok(Self(Some(key.to_owned()))),
                _ => Err(ApiError::BadRequest(
                    "the Idempotency-Key header must be 1 to 255 visible ASCII characters".into(),
                )),
            },
        }
    }
}

/// A JSON response ready to store and send.
pub struct Reply {
    pub status: StatusCode,
    pub body: Vec<u8>,
    /// The customer the response is about, so its stored copy goes when the customer is erased.
    pub customer_id: Option<String>,
}

impl Reply {
    pub fn json<T: Serialize>(
        status: StatusCode,
        customer_id: &str,
        value: &T,
    ) -> Result<Self, ApiError> {
        let body =
            serde_json::to_vec(value).map_err(|e| ApiError::Internal(format!("encoding: {e}")))?;
        Ok(Self {
            status,
            body,
            customer_id: Some(customer_id.to_owned()),
        })
    }

    fn into_response(self, replayed: bool) -> Response {
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            self.body,
        )
            .into_response();
        if replayed {
            response
                .headers_mut()
                .insert(REPLAYED, HeaderValue::from_static("true"));
        }
        response
    }
}

/// What the request asked for, to tell a retry from a different request under the same key.
pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub body_hash: [u8; 32],
}

/// Whether the change ran now or an earlier response was replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ran {
    Now,
    Earlier,
}

/// Runs `change` in a write transaction under the request's idempotency key.
pub async fn run<F>(
    state: &Arc<AppState>,
    caller: &Caller,
    key: IdempotencyKey,
    request: Request,
    change: F,
) -> Result<(Response, Ran), ApiError>
where
    F: FnOnce(&AppState, &Transaction<'_>) -> Result<Reply, ApiError> + Send + 'static,
{
    let state = Arc::clone(state);
    let key_id = caller.key.id.clone();
    let (reply, ran) = tokio::task::spawn_blocking(move || {
        state.db.write(|tx| {
            if let Some(key) = &key.0
                && let Some(stored) = idempotency::get(tx, &key_id, key)?
            {
                let same = stored.method == request.method
                    && stored.path == request.path
                    && stored.body_hash == request.body_hash;
                if !same {
                    return Err(ApiError::IdempotencyMismatch);
                }
                let status = StatusCode::from_u16(stored.status)
                    .map_err(|e| ApiError::Internal(format!("stored status: {e}")))?;
                return Ok((
                    Reply {
                        status,
                        body: stored.response,
                        customer_id: stored.customer_id,
                    },
                    Ran::Earlier,
                ));
            }
            let reply = change(&state, tx)?;
            if let Some(key) = &key.0 {
                idempotency::put(
                    tx,
                    &key_id,
                    key,
                    &Stored {
                        customer_id: reply.customer_id.clone(),
                        method: request.method.to_owned(),
                        path: request.path,
                        body_hash: request.body_hash.to_vec(),
                        status: reply.status.as_u16(),
                        response: reply.body.clone(),
                    },
                )?;
            }
            Ok((reply, Ran::Now))
        })
    })
    .await??;
    Ok((reply.into_response(ran == Ran::Earlier), ran))
}

/// A change answered with the customer it leaves, masked: updates, deletes, decisions and refreshes.
pub async fn change_customer<F>(
    state: &Arc<AppState>,
    caller: &Caller,
    key: IdempotencyKey,
    request: Request,
    change: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&AppState, &Transaction<'_>, &Actor) -> Result<Record, ApiError> + Send + 'static,
{
    let actor = caller.actor();
    let meta = request::meta();
    let (response, _) = run(state, caller, key, request, move |state, tx| {
        let record = change(state, tx, &actor)?;
        Reply::json(
            StatusCode::OK,
            &record.id,
            &response::envelope(record.masked(), meta),
        )
    })
    .await?;
    Ok(response)
}
