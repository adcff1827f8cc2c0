//! The shell's status line: which server build and which list snapshot the analyst is working against.

use clearance_api::Health;
use leptos::prelude::*;

/// Shows the server version and each loaded list directory with its date.
#[component]
pub fn HealthSummary(health: Health) -> impl IntoView {
    let lists = health
        .lists
        .into_iter()
        .map(|list| {
            let datetime = list.date.clone();
            view! {
                <li>
                    <span class="list-dir" data-testid="list-directory">{list.directory}</span>
                    " dated "
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
