//! The new-customer form: every field validated as it is typed by the screening crate's own validators
//! (the server runs the same ones), SSN, EIN and date of birth masked on screen, and the name pre-screened
//! in the browser against the downloaded index before anything is sent.

use std::sync::Arc;
use std::time::Duration;

use clearance_api::{
    AddressRequest, ComplianceProfileRequest, CustomerRequest, CustomerType, DeviceRequest,
    WatchListMatch,
};
use clearance_screening::pii::{
    self, DateOfBirth, Ein, Email, Phone, Ssn, validate_ip, validate_state, validate_zip,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::ApiError;
use crate::evidence::EvidenceView;
use crate::prescreen::{self, Loaded};
use crate::session::use_session;

/// The form's inputs, by id.
const FIELDS: [&str; 13] = [
    "name",
    "email",
    "phone",
    "ip_address",
    "address1",
    "city",
    "state",
    "zip",
    "dob",
    "ssn",
    "ein",
    "legal_business_name",
    "external_id",
];

/// Waits this long after the last keystroke before pre-screening.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// Today, for the date-of-birth rule (the validators read no clock).
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// A field's problem, or none. Empty optional fields are fine; empty required ones are not.
pub fn check(field: &str, value: &str, required: bool) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return required.then(|| "Required.".to_owned());
    }
    let result: Result<(), pii::Invalid> = match field {
        "email" => Email::parse(value).map(drop),
        "phone" => Phone::parse(value).map(drop),
        "ssn" => Ssn::parse(value).map(drop),
        "ein" => Ein::parse(value).map(drop),
        "dob" => DateOfBirth::parse(value, &today()).map(drop),
        "state" => validate_state(value),
        "zip" => validate_zip(value),
        "ip_address" => validate_ip(value).map(drop),
        _ => Ok(()),
    };
    result.err().map(|e| {
        let mut message = e.message;
        if let Some(first) = message.get(..1) {
            message = first.to_uppercase() + &message[1..];
        }
        message + "."
    })
}

/// A labelled input with its inline error. `secret` inputs are masked on screen as they are typed.
#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Memo<Option<String>>,
    #[prop(optional)] secret: bool,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] server_error: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let shown = move || {
        server_error
            .and_then(|s| s.get())
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
                    if let Some(s) = server_error { s.set(None) }
                }
                on:blur=move |_| touched.set(true)
            />
            <p id=error_id class="field-error" role="alert">{shown}</p>
        </div>
    }
}

/// The pre-screen's findings for the name being typed.
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

/// The index, loaded once per page view from the Cache API or the server.
pub fn use_index() -> LocalResource<Result<Arc<Loaded>, String>> {
    let session = use_session();
    LocalResource::new(move || {
        let client = session.client();
        async move { prescreen::load(&client).await }
    })
}

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let kind = RwSignal::new(CustomerType::Individual);
    let fields: Vec<(&'static str, RwSignal<String>)> = FIELDS
        .into_iter()
        .map(|f| (f, RwSignal::new(String::new())))
        .collect();
    let fields = StoredValue::new(fields);
    let signal = move |name: &str| {
        fields.with_value(|fields| {
            fields
                .iter()
                .find(|(f, _)| *f == name)
                .map(|(_, s)| *s)
                .expect("a form field")
        })
    };
    let server_errors: Vec<(&'static str, RwSignal<Option<String>>)> = [
        "name",
        "email",
        "phone",
        "device.ip_address",
        "address.state",
        "address.zip",
        "compliance_profile.dob",
        "compliance_profile.ssn",
        "compliance_profile.ein",
    ]
    .into_iter()
    .map(|f| (f, RwSignal::new(None)))
    .collect();
    let server_errors = StoredValue::new(server_errors);
    let server_error = move |reference: &str| {
        server_errors.with_value(|errors| {
            errors
                .iter()
                .find(|(f, _)| *f == reference)
                .map(|(_, s)| *s)
        })
    };
    let required = move |field: &'static str| -> bool {
        let individual = kind.get() == CustomerType::Individual;
        match field {
            "name" | "email" | "phone" | "ip_address" => true,
            "dob" | "ssn" => individual,
            "ein" | "legal_business_name" => !individual,
            _ => false,
        }
    };
    let error_of = move |field: &'static str| {
        let value = signal(field);
        Memo::new(move |_| check(field, &value.get(), required(field)))
    };

    // Pre-screen: debounced, in the browser, against the downloaded index.
    let index = use_index();
    let screened_name = RwSignal::new(String::new());
    let name = signal("name");
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let typed = name.get();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || screened_name.set(typed), DEBOUNCE).ok();
        pending.set_value(handle);
    });
    let prescreen = move || {
        let name = screened_name.get();
        index.get().map(|loaded| match loaded.as_ref() {
            Ok(loaded) => view! { <PrescreenResult matches=prescreen::screen(&loaded.index, &name) /> }.into_any(),
            Err(e) => view! { <p class="error" role="alert">"The list index could not load: " {e.clone()}</p> }.into_any(),
        })
    };

    let submit_error = RwSignal::new(None::<String>);
    let submit = Action::new_local(move |body: &CustomerRequest| {
        let client = session.client();
        let body = body.clone();
        let navigate = navigate.clone();
        async move {
            match client.create_customer(&body).await {
                Ok(customer) => {
                    navigate(&format!("/customers/{}", customer.id), Default::default())
                }
                Err(ApiError::Invalid(items)) => {
                    for item in &items {
                        if let Some(s) = server_error(&item.reference) {
                            s.set(Some(item.detail.clone()));
                        }
                    }
                    submit_error.set(Some(format!("{} field(s) need attention.", items.len())));
                }
                Err(e) => submit_error.set(Some(e.to_string())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let problems = FIELDS
            .iter()
            .filter(|f| check(f, &signal(f).get_untracked(), required(f)).is_some())
            .count();
        if problems > 0 {
            submit_error.set(Some(format!("{problems} field(s) need attention.")));
            return;
        }
        let text =
            |f: &str| Some(signal(f).get_untracked().trim().to_owned()).filter(|v| !v.is_empty());
        let individual = kind.get_untracked() == CustomerType::Individual;
        let address = text("address1").map(|address1| AddressRequest {
            address1: Some(address1),
            city: text("city"),
            state: text("state"),
            zip: text("zip"),
            address2: None,
        });
        let profile = if individual {
            (text("dob").is_some() || text("ssn").is_some()).then(|| ComplianceProfileRequest {
                dob: text("dob"),
                ssn: text("ssn"),
                ..ComplianceProfileRequest::default()
            })
        } else {
            Some(ComplianceProfileRequest {
                ein: text("ein"),
                legal_business_name: text("legal_business_name"),
                ..ComplianceProfileRequest::default()
            })
        };
        submit.dispatch(CustomerRequest {
            customer_type: Some(kind.get_untracked()),
            name: text("name"),
            email: text("email"),
            phone: text("phone"),
            device: Some(DeviceRequest {
                ip_address: text("ip_address"),
            }),
            address,
            compliance_profile: profile,
            external_id: text("external_id"),
            ..CustomerRequest::default()
        });
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      secret: bool,
                      hint: &'static str,
                      reference: &'static str| {
        view! {
            <Field id label value=signal(id) error=error_of(id) secret hint server_error=server_error(reference).unwrap_or_else(|| RwSignal::new(None)) />
        }
    };
    view! {
        <section class="new-customer">
            <h2>"New customer"</h2>
            <form on:submit=on_submit novalidate>
                <fieldset>
                    <legend>"Type"</legend>
                    <label>
                        <input type="radio" name="type" checked=move || kind.get() == CustomerType::Individual
                            on:change=move |_| kind.set(CustomerType::Individual) />
                        "Individual"
                    </label>
                    <label>
                        <input type="radio" name="type" checked=move || kind.get() == CustomerType::Business
                            on:change=move |_| kind.set(CustomerType::Business) />
                        "Business"
                    </label>
                </fieldset>
                {field("name", "Name", false, "", "name")}
                <div class="prescreen" aria-live="polite">
                    <Suspense fallback=|| view! { <p class="loading">"Loading the list index…"</p> }>
                        {prescreen}
                    </Suspense>
                </div>
                {field("email", "Email", false, "name@example.com", "email")}
                {field("phone", "Phone (E.164)", false, "+12125550100", "phone")}
                {field("ip_address", "IP address at sign-up", false, "0.0.0.0 when offline", "device.ip_address")}
                {field("address1", "Address", false, "", "address")}
                {field("city", "City", false, "", "address.city")}
                {field("state", "State", false, "NY", "address.state")}
                {field("zip", "ZIP", false, "12345", "address.zip")}
                {move || if kind.get() == CustomerType::Individual {
                    view! {
                        {field("dob", "Date of birth (YYYY-MM-DD)", true, "", "compliance_profile.dob")}
                        {field("ssn", "SSN", true, "", "compliance_profile.ssn")}
                    }.into_any()
                } else {
                    view! {
                        {field("ein", "EIN", true, "", "compliance_profile.ein")}
                        {field("legal_business_name", "Legal business name", false, "", "compliance_profile.legal_business_name")}
                    }.into_any()
                }}
                {field("external_id", "External id", false, "", "external_id")}
                <p class="form-error" role="alert">{move || submit_error.get()}</p>
                <button type="submit" disabled=move || submit.pending().get()>"Create and screen"</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn empty_fields_are_errors_only_when_required() {
        assert_eq!(check("email", " ", true).as_deref(), Some("Required."));
        assert_eq!(check("email", "", false), None);
    }

    #[test]
    fn the_screening_validators_word_the_errors() {
        let message = check("ssn", "666-12-3456", true).unwrap();
        assert!(message.starts_with("The area number"), "{message}");
        assert!(!message.contains("666-12-3456"), "{message}");
        assert_eq!(check("zip", "12345", false), None);
    }
}
