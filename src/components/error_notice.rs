//! What failed, in words: the fallback of every `ErrorBoundary`.

use leptos::prelude::*;

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
