//! Ad-hoc search: any name, screened at once against the in-browser index, in the review's evidence view.

use leptos::prelude::*;

use crate::lists::ListsPanel;
use crate::new_customer::{PrescreenResult, use_index};
use crate::prescreen;

#[component]
pub fn SearchPage() -> impl IntoView {
    let index = use_index();
    let name = RwSignal::new(String::new());
    let results = move || {
        let name = name.get();
        index.get().map(|loaded| match loaded.as_ref() {
            Ok(loaded) if name.trim().is_empty() => view! {
                <p class="hint">{format!("Screens against the lists dated {} in this browser.", loaded.list_date.clone().unwrap_or_default())}</p>
            }
            .into_any(),
            Ok(loaded) => view! { <PrescreenResult matches=prescreen::screen(&loaded.index, &name) /> }.into_any(),
            Err(e) => view! { <p class="error" role="alert">"The list index could not load: " {e.clone()}</p> }.into_any(),
        })
    };
    view! {
        <section class="search-page">
            <h2>"Search the lists"</h2>
            <label for="adhoc-name">"Name"</label>
            <input id="adhoc-name" type="search" autocomplete="off"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev)) />
            <div aria-live="polite">
                <Suspense fallback=|| view! { <p class="loading">"Loading the list index…"</p> }>
                    {results}
                </Suspense>
            </div>
            <ListsPanel />
        </section>
    }
}
