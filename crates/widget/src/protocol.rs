//! The frame's messages to the host page, the only way results leave the frame. The host accepts one only
//! from the Clearance origin and only in exactly this shape; anything else is ignored. No message carries
//! PII, not even masked: a customer id, a status, whether the pre-screen found a potential match, or an
//! error code with a sentence written by the widget.

use serde::{Deserialize, Serialize};

/// The status the server gave the new customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Verified,
    Review,
    Pending,
    Rejected,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Prescreen {
    /// Whether the browser's pre-screen found a name at or above the threshold. Never shown to the end
    /// user, who must not learn they resemble a listed person.
    pub potential_match: bool,
}

/// The `detail` of the host's `clearance-complete` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Complete {
    pub customer_id: String,
    pub status: Status,
    pub prescreen: Prescreen,
}

/// What went wrong, for the host's code to branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    InvalidOptions,
    Network,
    NotAllowed,
    RateLimited,
    Refused,
}

/// The `detail` of the host's `clearance-error` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    pub code: Code,
    pub message: String,
}

/// A message from the frame.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Message {
    /// The form's height, so the frame shows it whole with no inner scrollbar.
    #[serde(rename = "clearance:resize")]
    Resize { height: u32 },
    #[serde(rename = "clearance:complete")]
    Complete { detail: Complete },
    #[serde(rename = "clearance:error")]
    Error { detail: Failure },
}

/// The tallest frame a resize may ask for, so a broken or hostile frame cannot take over the page.
const MAX_HEIGHT: u32 = 4000;
const MAX_MESSAGE: usize = 300;

impl Message {
    /// A message the host may act on: from `expected` (the Clearance origin) exactly, of a known shape,
    /// with plausible values. Anything else is `None`, and the host ignores it.
    pub fn accept(origin: &str, expected: &str, data: serde_json::Value) -> Option<Self> {
        if origin != expected {
            return None;
        }
        let message: Self = serde_json::from_value(data).ok()?;
        let plausible = match &message {
            Self::Resize { height } => *height <= MAX_HEIGHT,
            Self::Complete { detail } => {
                (1..=64).contains(&detail.customer_id.len())
                    && detail
                        .customer_id
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b'-')
            }
            Self::Error { detail } => {
                detail.message.len() <= MAX_MESSAGE && !detail.message.chars().any(char::is_control)
            }
        };
        plausible.then_some(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CLEARANCE: &str = "https://clearance.example";

    #[test]
    fn only_well_formed_messages_from_clearance_are_accepted() {
        let complete = json!({
            "type": "clearance:complete",
            "detail": {"customerId": "1f0c-aa", "status": "review", "prescreen": {"potentialMatch": true}},
        });
        assert_eq!(
            Message::accept(CLEARANCE, CLEARANCE, complete.clone()),
            Some(Message::Complete {
                detail: Complete {
                    customer_id: "1f0c-aa".into(),
                    status: Status::Review,
                    prescreen: Prescreen {
                        potential_match: true
                    },
                }
            })
        );
        assert_eq!(
            Message::accept("https://evil.example", CLEARANCE, complete),
            None
        );
        for bad in [
            json!("clearance:complete"),
            json!({"type": "clearance:resize", "height": 99999}),
            json!({"type": "clearance:resize", "height": 10, "extra": 1}),
            json!({"type": "clearance:complete", "detail": {"customerId": "<img>", "status": "review",
                "prescreen": {"potentialMatch": false}}}),
            json!({"type": "clearance:complete", "detail": {"customerId": "ab", "status": "inactive",
                "prescreen": {"potentialMatch": false}}}),
            json!({"type": "clearance:error", "detail": {"code": "teapot", "message": "x"}}),
            json!({"type": "clearance:unknown"}),
        ] {
            assert_eq!(
                Message::accept(CLEARANCE, CLEARANCE, bad.clone()),
                None,
                "{bad}"
            );
        }
    }
}
