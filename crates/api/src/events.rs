//! GET /v1/customers/{id}/events: the append-only audit log of one customer. Rows name fields, never their
//! values, so the log holds no PII and outlives the customer's erasure.

use serde::{Deserialize, Serialize};

use crate::CustomerStatus;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    Created,
    Updated,
    Screened,
    Decided,
    Refreshed,
    Unmasked,
    Deleted,
    /// An admin took a rejected customer back into review.
    Reopened,
    /// An analyst dismissed or confirmed one match of a review.
    MatchDecided,
    /// A screening found a listed entry an analyst had cleared for this customer, unchanged, and did not
    /// alert on it.
    Suppressed,
    /// Four-eyes approval: the first of two analysts decided; the customer stays in review.
    FirstApproval,
    /// Four-eyes approval: a second analyst disagreed, and the review went back to the first.
    ApprovalReturned,
    /// The review was assigned to an analyst, or unassigned.
    Assigned,
}

impl EventAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Screened => "screened",
            Self::Decided => "decided",
            Self::Refreshed => "refreshed",
            Self::Unmasked => "unmasked",
            Self::Deleted => "deleted",
            Self::Reopened => "reopened",
            Self::MatchDecided => "match_decided",
            Self::Suppressed => "suppressed",
            Self::FirstApproval => "first_approval",
            Self::ApprovalReturned => "approval_returned",
            Self::Assigned => "assigned",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Created,
            Self::Updated,
            Self::Screened,
            Self::Decided,
            Self::Refreshed,
            Self::Unmasked,
            Self::Deleted,
            Self::Reopened,
            Self::MatchDecided,
            Self::Suppressed,
            Self::FirstApproval,
            Self::ApprovalReturned,
            Self::Assigned,
        ]
        .into_iter()
        .find(|a| a.as_str() == text)
    }
}

/// One audit row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    pub customer_id: String,
    pub at: String,
    pub action: EventAction,
    /// The API key's id and label, or `system` for background screening.
    pub actor: String,
    /// The key's role when it acted.
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_before: Option<CustomerStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_after: Option<CustomerStatus>,
    pub api_request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// The fields a create or update set, or an unmask revealed (names only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_id: Option<String>,
    /// The listed entities (`OFAC SDN 12345`) in the screening or decision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One row of GET /v1/audit/export: the audit row, and for a screening or a decision what an examiner
/// needs beside it, as the database holds it now (a deleted customer's screenings are gone with it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    #[serde(flatten)]
    pub event: AuditEvent,
    /// The lists the screening ran on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_snapshot: Option<ListSnapshotRef>,
    /// The customer's names as screened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<crate::WatchListMatch>,
    /// The review decision, with the first analyst's under four-eyes approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<crate::ReviewDecision>,
}

/// Which list snapshot: its publisher, date and content hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListSnapshotRef {
    pub content_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}
