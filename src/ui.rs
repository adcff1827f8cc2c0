//! Small pieces every screen uses.

use clearance_api::{Address, CustomerStatus};
use leptos::prelude::*;

/// A status as a word with a shape, so it never relies on colour alone.
#[component]
pub fn StatusBadge(status: CustomerStatus) -> impl IntoView {
    let symbol = match status {
        CustomerStatus::Pending => "○",
        CustomerStatus::Review => "◆",
        CustomerStatus::Verified => "✓",
        CustomerStatus::Inactive => "–",
        CustomerStatus::Rejected => "✕",
    };
    view! {
        <span class=format!("status status-{}", status.as_str())>
            <span aria-hidden="true">{symbol}" "</span>
            {status.as_str()}
        </span>
    }
}

/// An ErrorBoundary's fallback: what failed, in words.
#[component]
pub fn ErrorNotice(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, e)| view! { <li>{e.to_string()}</li> })
            .collect_view()
    };
    view! {
        <div class="error" role="alert">
            <p>"Something went wrong:"</p>
            <ul>{messages}</ul>
        </div>
    }
}

/// `2026-11-21T10:00:43.379Z` as `2026-11-21 10:00 UTC`.
pub fn local_time(stamp: &str) -> String {
    match (stamp.get(..10), stamp.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => stamp.to_owned(),
    }
}

/// An address on one line, or "not given".
pub fn address_line(address: Option<&Address>) -> String {
    address
        .map(|a| format!("{}, {}, {} {}", a.address1, a.city, a.state, a.zip))
        .unwrap_or_else(|| "not given".to_owned())
}
