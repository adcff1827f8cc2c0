//! How a rule can refuse: the services' one error type. The HTTP layer maps it to Straddle's error
//! envelope in one place (`From<DomainError> for ApiError`).

use clearance_api::{CustomerStatus, ErrorItem};

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("no customer with id {0}")]
    NotFound(String),
    #[error("no match {0} in the customer's current review")]
    NoSuchMatch(String),
    #[error("no webhook with id {0}")]
    NoSuchWebhook(String),
    #[error("no list update job with id {0}")]
    NoSuchJob(String),
    #[error("no entry {entry} in list version {version}")]
    NoSuchEntry { version: String, entry: String },
    /// Every invalid field at once, each named as Straddle's error items name them.
    #[error("the request has invalid fields")]
    Validation(Vec<ErrorItem>),
    /// The request is well formed but the customer's state does not allow it.
    #[error("{0}")]
    InvalidState(String),
    /// A racing decision won; says who, so the loser knows whom to ask.
    #[error("this review was already decided: {} by {by} at {at}", .status.as_str())]
    AlreadyDecided {
        status: CustomerStatus,
        by: String,
        at: String,
    },
    /// A well-formed request that the stored state refuses, field by field: a PUT's profile against the
    /// stored type, an email another customer has.
    #[error("the request conflicts with stored customers")]
    Conflicts(Vec<ErrorItem>),
    /// The customer moved on under the request (a refresh replaced the review, or a write got there first).
    #[error("{0}")]
    Conflict(String),
    #[error("this Idempotency-Key was first used with a different request")]
    IdempotencyMismatch,
    /// Stored data that breaks an invariant the server keeps; a bug, not a client error.
    #[error("inconsistent state: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

impl DomainError {
    /// The unique fields of a customer that others already hold, as a conflict.
    pub fn taken(fields: &[&str]) -> Self {
        Self::Conflicts(
            fields
                .iter()
                .map(|field| ErrorItem {
                    reference: (*field).to_owned(),
                    detail: "another customer already has this value".to_owned(),
                })
                .collect(),
        )
    }

    /// A validation error on one field.
    pub fn field(reference: &str, detail: impl Into<String>) -> Self {
        Self::Validation(vec![ErrorItem {
            reference: reference.to_owned(),
            detail: detail.into(),
        }])
    }
}
