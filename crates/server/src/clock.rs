//! The one place the server reads the clock, in the one format it stores and sends: RFC 3339 UTC with
//! milliseconds, which also sorts as text.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn now() -> String {
    format(Utc::now())
}

/// `at` in the stored format.
pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `YYYY-MM-DD`, for the date-of-birth validator (the screening crate reads no clock).
pub fn today() -> String {
    Utc::now().format("%Y-%m-%d").to_string()
}
