//! Ad-hoc search: any name, screened at once in the browser's pre-screen worker, in the review's
//! evidence view; under it, the latest list update.

use clearance_api::WatchListMatch;
use leptos::prelude::*;

use crate::components::error_notice::ErrorNotice;
use crate::components::list_job::ListsPanel;
use crate::components::prescreen_result::PrescreenResult;
use crate::infra::prescreen;
use crate::infra::session::use_session;

/// What the page shows under the name.
#[derive(Clone)]
enum Shown {
    /// No name yet: the date of the lists the browser holds.
    ListDate(Option<String>),
    Matches(Vec<WatchListMatch>),
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let session = use_session();
    prescreen::refresh(untrack(|| session.credentials()));
    let name = RwSignal::new(String::new());
    let results = LocalResource::new(move || {
        let name = name.get();
        let credentials = session.credentials();
        async move {
            if name.trim().is_empty() {
                return prescreen::load(credentials).await.map(Shown::ListDate);
            }
            prescreen::screen(credentials, name)
                .await
                .map(Shown::Matches)
        }
    });
    view! {
        <section class="search-page">
            <h2>"Search the lists"</h2>
            <label for="adhoc-name">"Name"</label>
            <input id="adhoc-name" type="search" autocomplete="off"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev)) />
            <div aria-live="polite">
                <Transition fallback=|| view! { <p class="loading">"Loading the list index…"</p> }>
                    <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                        {move || Suspend::new(async move {
                            results.await.map(|found| match found {
                                Shown::Matches(matches) => view! { <PrescreenResult matches /> }.into_any(),
                                Shown::ListDate(list_date) => view! {
                                    <p class="hint">{format!("Screens against the lists dated {} in this browser.", list_date.unwrap_or_default())}</p>
                                }.into_any(),
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
            </div>
            <ListsPanel />
        </section>
    }
}
