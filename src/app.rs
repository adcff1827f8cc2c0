//! The console's shell.

use leptos::prelude::*;

use crate::api::Client;
use crate::health::HealthSummary;

#[component]
pub fn App() -> impl IntoView {
    let client = Client::default();
    let health = LocalResource::new(move || {
        let client = client.clone();
        async move { client.health().await }
    });
    let fallback = |errors: ArcRwSignal<Errors>| {
        let messages = move || {
            errors
                .get()
                .into_iter()
                .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                .collect_view()
        };
        view! {
            <div class="error" role="alert">
                <h2>"The server is unavailable"</h2>
                <ul>{messages}</ul>
            </div>
        }
    };
    view! {
        <header class="top">
            <h1>"Clearance"</h1>
        </header>
        <main>
            <Transition fallback=|| view! { <p class="loading">"Connecting to the server…"</p> }>
                <ErrorBoundary fallback>
                    {move || Suspend::new(async move {
                        health.await.map(|health| view! { <HealthSummary health /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </main>
    }
}
