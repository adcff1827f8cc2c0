//! A customer's status as a word with a shape, so it never relies on colour alone.

use clearance_api::CustomerStatus;
use leptos::prelude::*;

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
