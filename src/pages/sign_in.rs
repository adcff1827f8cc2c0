//! Sign in with an API key. The backend's base URL is a field too, so the console can work against any
//! Straddle-compatible backend; empty means the server that served the console.

use leptos::prelude::*;

use crate::infra::api::{ApiError, Client};
use crate::infra::session::{Credentials, use_session};

#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let key = RwSignal::new(String::new());
    let base_url = RwSignal::new(session.base_url());
    let error = RwSignal::new(None::<String>);
    let check = Action::new_local(move |credentials: &Credentials| {
        let credentials = credentials.clone();
        async move {
            let client = Client::new(credentials.base_url.clone(), Some(credentials.key.clone()));
            match client.customers("page_size=1").await {
                Ok(_) => {
                    let key = client.current_key().await.ok();
                    session.sign_in(Credentials {
                        role: key.as_ref().map(|k| k.role.clone()),
                        key_id: key.map(|k| k.id),
                        ..credentials
                    });
                }
                Err(ApiError::Unauthorized) => error.set(Some("That key was not accepted.".into())),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = key.get_untracked().trim().to_owned();
        if typed.is_empty() {
            error.set(Some("Enter an API key.".into()));
            return;
        }
        check.dispatch(Credentials {
            base_url: base_url.get_untracked().trim().to_owned(),
            key: typed,
            role: None,
            key_id: None,
        });
    };
    view! {
        <section class="sign-in">
            <h2>"Sign in"</h2>
            <form on:submit=submit>
                <label for="api-key">"API key"</label>
                <input id="api-key" type="password" autocomplete="off" aria-describedby="sign-in-error"
                    prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev)) />
                <label for="base-url">"Backend URL (empty: this server)"</label>
                <input id="base-url" type="url" placeholder="https://clearance.example.com"
                    prop:value=move || base_url.get() on:input=move |ev| base_url.set(event_target_value(&ev)) />
                <p id="sign-in-error" class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" disabled=move || check.pending().get()>"Sign in"</button>
            </form>
        </section>
    }
}
