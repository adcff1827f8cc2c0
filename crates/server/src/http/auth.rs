//! Who is calling, and whether they may. Every customer endpoint takes a [`Caller`]: a live API key from the
//! `Authorization: Bearer` header, within its rate limit.

use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use crate::domain::actor::Actor;
use crate::domain::roles::Permission;
use crate::http::error::ApiError;
use crate::http::listener::ClientAddr;
use crate::http::request;
use crate::service::keys;
use crate::state::AppState;
use crate::store::keys::Key;

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub key: Key,
}

impl Caller {
    pub fn may(&self, permission: Permission) -> bool {
        self.key.role >= permission.least_role()
    }

    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.may(permission) {
            Ok(())
        } else {
            let role = self.key.role.as_str();
            let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            Err(ApiError::Forbidden(format!(
                "{article} {role} key may not {}; it needs the {} role",
                permission.describe(),
                permission.least_role().as_str()
            )))
        }
    }

    /// The audit row's "who", with the current request's ids.
    pub fn actor(&self) -> Actor {
        let ctx = request::current();
        Actor {
            actor: format!("{} ({})", self.key.id, self.key.label),
            role: self.key.role.as_str().to_owned(),
            api_request_id: ctx.api_request_id,
            request_id: ctx.request_id,
            correlation_id: ctx.correlation_id,
        }
    }
}

/// A public endpoint's caller: nobody without an Authorization header, else a key that must hold, so a
/// wrong key is refused (and counted against its address) rather than quietly treated as nobody.
impl OptionalFromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Option<Self>, Self::Rejection> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(None);
        }
        <Self as FromRequestParts<_>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let secret = bearer(parts);
        Self::admit(state, secret, parts.extensions.get::<ClientAddr>().copied()).await
    }
}

impl Caller {
    /// The caller a secret names, within its key's rate limit. Failures are limited per client address:
    /// an address that has spent its failures is refused before its key is even looked at, so a guesser
    /// can neither keep guessing nor tell a right guess from a wrong one.
    pub async fn admit(
        state: &AppState,
        secret: Result<String, ApiError>,
        peer: Option<ClientAddr>,
    ) -> Result<Self, ApiError> {
        let address = peer.map(|ClientAddr(peer)| peer.ip().to_string());
        if let Some(address) = &address {
            state.auth_failures.allows(address)?;
        }
        let found = match secret {
            Ok(secret) => keys::find(state, secret)
                .await?
                .ok_or(ApiError::Unauthorized("the API key is not valid")),
            Err(refused) => Err(refused),
        };
        match found {
            Ok(key) => {
                state.limiter.check(&key.id)?;
                Ok(Self { key })
            }
            Err(refused) => {
                if let Some(address) = &address {
                    state.auth_failures.check(address)?;
                }
                Err(refused)
            }
        }
    }
}

/// The secret of the request's `Authorization: Bearer` header.
fn bearer(parts: &Parts) -> Result<String, ApiError> {
    let header = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized(
            "send an API key as Authorization: Bearer <key>",
        ))?;
    header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or(ApiError::Unauthorized(
            "the Authorization header must be Bearer <key>",
        ))
}
