//! The pre-screen's findings for a name: clear, or each potential match in the review's evidence view.

use clearance_api::WatchListMatch;
use leptos::prelude::*;

use crate::components::evidence::EvidenceView;

#[component]
pub fn PrescreenResult(matches: Vec<WatchListMatch>) -> impl IntoView {
    if matches.is_empty() {
        return view! { <p class="prescreen-clear" role="status" data-testid="prescreen">"No potential match on the lists."</p> }
            .into_any();
    }
    let count = matches.len();
    let items = matches
        .into_iter()
        .map(|m| view! { <EvidenceView m /> })
        .collect_view();
    view! {
        <div class="prescreen-warning" role="alert" data-testid="prescreen">
            <p>
                <strong>"⚠ Potential watchlist match: "</strong>
                {format!("{count} listed part{} resemble this name. Submitting puts the customer in review.", if count == 1 { "y may" } else { "ies" })}
            </p>
            {items}
        </div>
    }
    .into_any()
}
