//! Who is calling, and whether they may. Every customer endpoint takes a [`Caller`]: a live API key from the
//! `Authorization: Bearer` header, within its rate limit.

use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use crate::domain::actor::Actor;
use crate::domain::origin::Origin;
use crate::domain::roles::{Permission, Role};
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
        self.key.role.grants(permission)
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
            key_id: Some(self.key.id.clone()),
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
        let from = Source::of(parts);
        Self::admit(state, secret, &from).await
    }
}

/// Where a request comes from: the client's address, and for a browser its page's `Origin` and the `Host`
/// it asked for.
pub struct Source {
    peer: Option<ClientAddr>,
    origin: Option<String>,
    host: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}

impl Source {
    pub fn of(parts: &Parts) -> Self {
        let text = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            peer: parts.extensions.get::<ClientAddr>().copied(),
            origin: text(header::ORIGIN),
            host: text(header::HOST),
        }
    }

    /// A publishable key's use is allowed from its own origins, and from Clearance's own pages (the
    /// widget's frame), whose origin is the host the request was sent to.
    fn allows(&self, key: &Key) -> Result<(), ApiError> {
        let Some(origin) = &self.origin else {
            return Err(ApiError::Forbidden(
                "a publishable key is used from a web page, and this request names no Origin"
                    .into(),
            ));
        };
        let listed = Origin::parse(origin).is_ok_and(|o| key.origins.contains(&o));
        let own = self.host.as_deref().is_some_and(|host| {
            origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
        });
        if listed || own {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "this publishable key may not be used from this origin".into(),
            ))
        }
    }
}

impl Caller {
    /// The caller a secret names, within its key's rate limit. Failures are limited per client address:
    /// an address that has spent its failures is refused before its key is even looked at, so a guesser
    /// can neither keep guessing nor tell a right guess from a wrong one.
    /// A publishable key is further held to its origins and to a per-address limit, since it sits in a
    /// public page where anyone can copy it.
    pub async fn admit(
        state: &AppState,
        secret: Result<String, ApiError>,
        from: &Source,
    ) -> Result<Self, ApiError> {
        let address = from.peer.map(|ClientAddr(peer)| peer.ip().to_string());
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
                if key.role == Role::Publishable {
                    from.allows(&key)?;
                    if let Some(address) = &address {
                        state.publishable_per_address.check(address)?;
                    }
                }
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
