//! Who is calling, and what they may do. Every customer endpoint takes a [`Caller`]: a live API key from the
//! `Authorization: Bearer` header, within its rate limit.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::app::AppState;
use crate::db::audit::Actor;
use crate::db::keys::{self, Key};
use crate::error::ApiError;
use crate::request;

/// A key's role. Each includes the one before: a viewer reads (masked), an analyst also writes customers
/// and decides reviews, an admin also unmasks PII and deletes customers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Role {
    Viewer,
    Analyst,
    Admin,
}

/// What an endpoint needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    Read,
    Write,
    Decide,
    Unmask,
    Delete,
}

impl Permission {
    pub const ALL: [Self; 5] = [
        Self::Read,
        Self::Write,
        Self::Decide,
        Self::Unmask,
        Self::Delete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Decide => "decide",
            Self::Unmask => "unmask",
            Self::Delete => "delete",
        }
    }

    fn least_role(self) -> Role {
        match self {
            Self::Read => Role::Viewer,
            Self::Write | Self::Decide => Role::Analyst,
            Self::Unmask | Self::Delete => Role::Admin,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Read => "read customers",
            Self::Write => "create or change customers",
            Self::Decide => "decide reviews",
            Self::Unmask => "unmask PII",
            Self::Delete => "delete customers",
        }
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Viewer, Self::Analyst, Self::Admin]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

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

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::Unauthorized(
                "send an API key as Authorization: Bearer <key>",
            ))?;
        let secret = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(ApiError::Unauthorized(
                "the Authorization header must be Bearer <key>",
            ))?
            .to_owned();
        let db = state.db.clone();
        let key = tokio::task::spawn_blocking(move || db.read(|conn| keys::find(conn, &secret)))
            .await??
            .ok_or(ApiError::Unauthorized("the API key is not valid"))?;
        state.limiter.check(&key.id)?;
        Ok(Self { key })
    }
}
