//! The audit export for examiners: every decision and re-screen in a window, as NDJSON or CSV, saved
//! from the browser. The key travels in the request's header, never in a URL, so the file is fetched
//! and handed to the browser's download as the blob the browser holds.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::infra::session::use_session;

/// How long the saved file's object URL lives: long enough for any browser to start the download.
const KEEP_URL: std::time::Duration = std::time::Duration::from_secs(60);

/// Saves `blob` as `file_name` through a temporary object URL.
fn save(blob: &web_sys::Blob, file_name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "the browser could not offer the export".to_owned())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link")?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    set_timeout(
        move || {
            web_sys::Url::revoke_object_url(&url).ok();
        },
        KEEP_URL,
    );
    Ok(())
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let format = RwSignal::new("ndjson".to_owned());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let export = Action::new_local(move |(): &()| {
        let client = session.client();
        let mut query = vec![format!("format={}", format.get_untracked())];
        for (name, value) in [("from", from.get_untracked()), ("to", to.get_untracked())] {
            if !value.trim().is_empty() {
                query.push(format!("{name}={}", value.trim()));
            }
        }
        let csv = format.get_untracked() == "csv";
        async move {
            let name = if csv {
                "clearance-audit.csv"
            } else {
                "clearance-audit.ndjson"
            };
            let result = match client.audit_export(&query.join("&")).await {
                Ok(blob) => {
                    save(&blob, name).map(|()| format!("Saved {name}: {} bytes.", blob.size()))
                }
                Err(e) => Err(e.to_string()),
            };
            outcome.set(Some(result));
        }
    });
    view! {
        <section class="audit-page">
            <h2>"Audit export"</h2>
            <p class="hint">
                "Every decision and re-screen in the window, with who, when, the list snapshot, the names "
                "screened, each match with its evidence, the decision, the note and the four-eyes approvers."
            </p>
            {move || (!session.may_export()).then(|| view! {
                <p class="hint">"Only an admin key may export; the server refuses other keys."</p>
            })}
            <form on:submit=move |ev| { ev.prevent_default(); export.dispatch(()); }>
                <label for="export-from">"From (inclusive)"</label>
                <input id="export-from" type="date" prop:value=move || from.get()
                    on:input=move |ev| from.set(event_target_value(&ev)) />
                <label for="export-to">"To (the whole day included)"</label>
                <input id="export-to" type="date" prop:value=move || to.get()
                    on:input=move |ev| to.set(event_target_value(&ev)) />
                <label for="export-format">"Format"</label>
                <select id="export-format" on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="ndjson" selected=move || format.get() == "ndjson">"NDJSON (one record a line)"</option>
                    <option value="csv" selected=move || format.get() == "csv">"CSV"</option>
                </select>
                <button type="submit" disabled=move || export.pending().get()>"Download export"</button>
            </form>
            {move || outcome.get().map(|o| match o {
                Ok(message) => view! { <p class="notice" role="status" data-testid="export-outcome">{message}</p> }.into_any(),
                Err(message) => view! { <p class="error" role="alert" data-testid="export-outcome">{message}</p> }.into_any(),
            })}
        </section>
    }
}
