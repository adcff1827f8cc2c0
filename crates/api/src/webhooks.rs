//! Signed webhooks: endpoints an admin registers, the messages Clearance sends them (Standard Webhooks,
//! with Straddle's event names), and each message's delivery record.

use serde::{Deserialize, Serialize};

use crate::{CustomerStatus, EventAction};

/// What a webhook subscribes to, as Straddle names its customer events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookEventType {
    /// A customer was created.
    #[serde(rename = "customer.created.v1")]
    CustomerCreated,
    /// Anything else happened to a customer: a status change, a decision, a re-screen.
    #[serde(rename = "customer.event.v1")]
    CustomerEvent,
}

impl WebhookEventType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CustomerCreated => "customer.created.v1",
            Self::CustomerEvent => "customer.event.v1",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::CustomerCreated, Self::CustomerEvent]
            .into_iter()
            .find(|t| t.as_str() == text)
    }

    /// The event type an audited action is announced as; none for a read (`unmasked`).
    pub fn of(action: EventAction) -> Option<Self> {
        match action {
            EventAction::Created => Some(Self::CustomerCreated),
            EventAction::Unmasked => None,
            _ => Some(Self::CustomerEvent),
        }
    }
}

/// The body of POST /v1/webhooks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookRequest {
    /// An `http` or `https` URL, at most 2,000 characters.
    pub url: String,
    /// At least one.
    pub events: Vec<WebhookEventType>,
}

/// A registered webhook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub events: Vec<WebhookEventType>,
    pub created_at: String,
    /// The signing secret, `whsec_` and base64: in the creation response only, never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One message as a receiver gets it. It names the customer by id and says what happened; it carries no
/// other customer data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookMessage {
    /// Also the `webhook-id` header: a receiver drops a message it has seen.
    pub event_id: String,
    pub event_type: WebhookEventType,
    pub created_at: String,
    pub data: WebhookData,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookData {
    pub customer_id: String,
    /// What happened, as the audit log names it.
    pub action: EventAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_before: Option<CustomerStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    /// The screening the event concerns, for GET /v1/customers/{id}/review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_id: Option<String>,
}

/// Where a message's delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not yet accepted by the receiver; retried with exponential backoff.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Not accepted within 24 hours of the event; no more attempts.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One message's delivery to one webhook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub event_id: String,
    pub event_type: WebhookEventType,
    pub customer_id: String,
    pub created_at: String,
    pub state: DeliveryState,
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    /// The receiver's HTTP status on the last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<u16>,
    /// Why the last attempt failed, when it got no answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
}
