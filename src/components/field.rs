//! A labelled form input with its inline error: the browser's own check as the analyst types, or the
//! server's field error for it after a submit. `secret` inputs are masked on screen as they are typed.

use leptos::prelude::*;

#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// The browser's check of the value; shown once the input has been touched.
    error: Signal<Option<String>>,
    /// The server's error for this field, until the analyst edits it.
    server_error: RwSignal<Option<String>>,
    #[prop(optional)] secret: bool,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let shown = move || {
        server_error
            .get()
            .or_else(|| touched.get().then(|| error.get()).flatten())
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=if secret { "password" } else { "text" }
                autocomplete="off"
                aria-invalid=move || if shown().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                placeholder=hint
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                    server_error.set(None);
                }
                on:blur=move |_| touched.set(true)
            />
            <p id=error_id class="field-error" role="alert">{shown}</p>
        </div>
    }
}
