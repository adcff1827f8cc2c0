//! The shell's status line: which server build and which list snapshot the analyst is working against.

use clearance_api::Health;
use leptos::prelude::*;

/// Shows the server version and each list in force by name and date ("OFAC SDN, 2024-05-03"): what an
/// analyst needs to know, not where the server keeps it.
#[component]
pub fn HealthSummary(health: Health) -> impl IntoView {
    let lists = health
        .lists
        .into_iter()
        .map(|list| {
            let datetime = list.date.clone();
            view! {
                <li>
                    <span class="list-name" data-testid="list-name">{list.name}</span>
                    ", "
                    <time data-testid="list-date" datetime=datetime>{list.date}</time>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="health" aria-label="Server status">
            <p>
                "Server version "
                <span data-testid="server-version">{health.version}</span>
            </p>
            <h2>"List snapshot"</h2>
            <ul>{lists}</ul>
        </section>
    }
}
