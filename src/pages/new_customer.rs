//! The new-customer form: every field validated as it is typed by the screening crate's own validators
//! (the server runs the same ones, and its field errors land on the same inputs), SSN, EIN and date of
//! birth masked on screen, and the name pre-screened in the browser against the downloaded index before
//! anything is sent.

use std::time::Duration;

use clearance_api::{
    AddressRequest, ComplianceProfileRequest, CustomerRequest, CustomerType, DeviceRequest,
    ErrorItem,
};
use clearance_screening::pii::{
    self, DateOfBirth, Ein, Email, Phone, Ssn, validate_ip, validate_state, validate_zip,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::error_notice::ErrorNotice;
use crate::components::field::Field;
use crate::components::prescreen_result::PrescreenResult;
use crate::infra::api::ApiError;
use crate::infra::prescreen;
use crate::infra::session::use_session;

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

/// Which of the screening crate's validators a field's value must pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Email,
    Phone,
    Ssn,
    Ein,
    DateOfBirth,
    State,
    Zip,
    IpAddress,
    /// Any text.
    Text,
}

/// A field's problem, or none. Empty optional fields are fine; empty required ones are not.
pub fn check(rule: Rule, value: &str, required: bool) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return required.then(|| "Required.".to_owned());
    }
    let result: Result<(), pii::Invalid> = match rule {
        Rule::Email => Email::parse(value).map(drop),
        Rule::Phone => Phone::parse(value).map(drop),
        Rule::Ssn => Ssn::parse(value).map(drop),
        Rule::Ein => Ein::parse(value).map(drop),
        Rule::DateOfBirth => DateOfBirth::parse(value, &today()).map(drop),
        Rule::State => validate_state(value),
        Rule::Zip => validate_zip(value),
        Rule::IpAddress => validate_ip(value).map(drop),
        Rule::Text => Ok(()),
    };
    result.err().map(|e| {
        let mut message = e.message;
        if let Some(first) = message.get(..1) {
            message = first.to_uppercase() + &message[1..];
        }
        message + "."
    })
}

/// When a field must be filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Needed {
    Always,
    Optional,
    ForIndividuals,
    ForBusinesses,
}

impl Needed {
    /// Whether the form shows the field for the customer's type.
    fn shown(self, individual: bool) -> bool {
        match self {
            Self::ForIndividuals => individual,
            Self::ForBusinesses => !individual,
            Self::Always | Self::Optional => true,
        }
    }

    /// Whether the field must be filled in for the customer's type.
    fn holds(self, individual: bool) -> bool {
        match self {
            Self::Always => true,
            Self::Optional => false,
            Self::ForIndividuals => individual,
            Self::ForBusinesses => !individual,
        }
    }
}

/// One input: what is typed, and the server's error for it after a submit.
#[derive(Clone, Copy)]
struct Input {
    value: RwSignal<String>,
    server_error: RwSignal<Option<String>>,
}

impl Input {
    fn new() -> Self {
        Self {
            value: RwSignal::new(String::new()),
            server_error: RwSignal::new(None),
        }
    }

    /// The trimmed value, or none when empty.
    fn text(self) -> Option<String> {
        Some(self.value.get_untracked().trim().to_owned()).filter(|v| !v.is_empty())
    }
}

/// The form, a signal pair per input.
#[derive(Clone, Copy)]
struct Form {
    kind: RwSignal<CustomerType>,
    name: Input,
    email: Input,
    phone: Input,
    ip_address: Input,
    address1: Input,
    city: Input,
    state: Input,
    zip: Input,
    dob: Input,
    ssn: Input,
    ein: Input,
    legal_business_name: Input,
    external_id: Input,
}

impl Form {
    fn new() -> Self {
        Self {
            kind: RwSignal::new(CustomerType::Individual),
            name: Input::new(),
            email: Input::new(),
            phone: Input::new(),
            ip_address: Input::new(),
            address1: Input::new(),
            city: Input::new(),
            state: Input::new(),
            zip: Input::new(),
            dob: Input::new(),
            ssn: Input::new(),
            ein: Input::new(),
            legal_business_name: Input::new(),
            external_id: Input::new(),
        }
    }

    fn individual(self) -> bool {
        self.kind.get() == CustomerType::Individual
    }

    /// Every input with its rule and when it must be filled in, for the checks; the view lays the inputs
    /// out, and [`Form::input_for`] maps the server's field paths to them.
    fn specs(self) -> [(Input, Rule, Needed); 13] {
        [
            (self.name, Rule::Text, Needed::Always),
            (self.email, Rule::Email, Needed::Always),
            (self.phone, Rule::Phone, Needed::Always),
            (self.ip_address, Rule::IpAddress, Needed::Always),
            (self.address1, Rule::Text, Needed::Optional),
            (self.city, Rule::Text, Needed::Optional),
            (self.state, Rule::State, Needed::Optional),
            (self.zip, Rule::Zip, Needed::Optional),
            (self.dob, Rule::DateOfBirth, Needed::ForIndividuals),
            (self.ssn, Rule::Ssn, Needed::ForIndividuals),
            (self.ein, Rule::Ein, Needed::ForBusinesses),
            (self.legal_business_name, Rule::Text, Needed::ForBusinesses),
            (self.external_id, Rule::Text, Needed::Optional),
        ]
    }

    /// `input`'s rule, and whether it must be filled in for the customer's type (tracked). Every input
    /// the view lays out is in [`Form::specs`].
    fn rule_of(self, input: Input) -> Option<(Rule, bool)> {
        let individual = self.individual();
        self.specs()
            .into_iter()
            .find(|(i, _, _)| i.value == input.value)
            .map(|(_, rule, needed)| (rule, needed.holds(individual)))
    }

    /// The input a server error item's `reference` (the request's field path) concerns.
    fn input_for(self, reference: &str) -> Option<Input> {
        Some(match reference {
            "name" => self.name,
            "email" => self.email,
            "phone" => self.phone,
            "device" | "device.ip_address" => self.ip_address,
            "address" | "address.address1" => self.address1,
            "address.city" => self.city,
            "address.state" => self.state,
            "address.zip" => self.zip,
            "compliance_profile.dob" => self.dob,
            "compliance_profile.ssn" => self.ssn,
            "compliance_profile.ein" => self.ein,
            "compliance_profile.legal_business_name" => self.legal_business_name,
            "external_id" => self.external_id,
            _ => return None,
        })
    }

    /// Puts each item on its input; returns the ones no input shows, worded for the form's summary.
    fn show_server_errors(self, items: &[ErrorItem]) -> Vec<String> {
        items
            .iter()
            .filter_map(|item| match self.input_for(&item.reference) {
                Some(input) => {
                    input.server_error.set(Some(item.detail.clone()));
                    None
                }
                None => Some(format!("{}: {}", item.reference, item.detail)),
            })
            .collect()
    }

    /// How many of the inputs the customer's type shows fail their check.
    fn problems(self) -> usize {
        let individual = self.kind.get_untracked() == CustomerType::Individual;
        self.specs()
            .into_iter()
            .filter(|(_, _, needed)| needed.shown(individual))
            .filter(|(input, rule, needed)| {
                check(
                    *rule,
                    &input.value.get_untracked(),
                    needed.holds(individual),
                )
                .is_some()
            })
            .count()
    }

    fn request(self) -> CustomerRequest {
        let individual = self.kind.get_untracked() == CustomerType::Individual;
        let address = self.address1.text().map(|address1| AddressRequest {
            address1: Some(address1),
            city: self.city.text(),
            state: self.state.text(),
            zip: self.zip.text(),
            address2: None,
        });
        let profile = if individual {
            (self.dob.text().is_some() || self.ssn.text().is_some()).then(|| {
                ComplianceProfileRequest {
                    dob: self.dob.text(),
                    ssn: self.ssn.text(),
                    ..ComplianceProfileRequest::default()
                }
            })
        } else {
            Some(ComplianceProfileRequest {
                ein: self.ein.text(),
                legal_business_name: self.legal_business_name.text(),
                ..ComplianceProfileRequest::default()
            })
        };
        CustomerRequest {
            customer_type: Some(self.kind.get_untracked()),
            name: self.name.text(),
            email: self.email.text(),
            phone: self.phone.text(),
            device: Some(DeviceRequest {
                ip_address: self.ip_address.text(),
            }),
            address,
            compliance_profile: profile,
            external_id: self.external_id.text(),
            ..CustomerRequest::default()
        }
    }
}

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let form = Form::new();

    // Pre-screen: debounced, in the pre-screen worker, against the index as the server has it now.
    prescreen::refresh(untrack(|| session.credentials()));
    let screened_name = RwSignal::new(String::new());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let typed = form.name.value.get();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || screened_name.set(typed), DEBOUNCE).ok();
        pending.set_value(handle);
    });
    let results = LocalResource::new(move || {
        let name = screened_name.get();
        let credentials = session.credentials();
        async move { prescreen::screen(credentials, name).await }
    });

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
                    let unplaced = form.show_server_errors(&items);
                    let mut summary = format!("{} field(s) need attention.", items.len());
                    for line in unplaced {
                        summary.push(' ');
                        summary.push_str(&line);
                    }
                    submit_error.set(Some(summary));
                }
                Err(e) => submit_error.set(Some(e.to_string())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let problems = form.problems();
        if problems > 0 {
            submit_error.set(Some(format!("{problems} field(s) need attention.")));
            return;
        }
        submit.dispatch(form.request());
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      input: Input,
                      secret: bool,
                      hint: &'static str| {
        let error = Signal::derive(move || {
            let (rule, required) = form.rule_of(input)?;
            check(rule, &input.value.get(), required)
        });
        view! {
            <Field id label value=input.value error server_error=input.server_error secret hint />
        }
    };
    view! {
        <section class="new-customer">
            <h2>"New customer"</h2>
            <form on:submit=on_submit novalidate>
                <fieldset>
                    <legend>"Type"</legend>
                    <label>
                        <input type="radio" name="type" checked=move || form.individual()
                            on:change=move |_| form.kind.set(CustomerType::Individual) />
                        "Individual"
                    </label>
                    <label>
                        <input type="radio" name="type" checked=move || !form.individual()
                            on:change=move |_| form.kind.set(CustomerType::Business) />
                        "Business"
                    </label>
                </fieldset>
                {field("name", "Name", form.name, false, "")}
                <div class="prescreen" aria-live="polite">
                    <Transition fallback=|| view! { <p class="loading">"Loading the list index…"</p> }>
                        <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                            {move || Suspend::new(async move {
                                results.await.map(|matches| view! { <PrescreenResult matches /> })
                            })}
                        </ErrorBoundary>
                    </Transition>
                </div>
                {field("email", "Email", form.email, false, "name@example.com")}
                {field("phone", "Phone (E.164)", form.phone, false, "+12125550100")}
                {field("ip_address", "IP address at sign-up", form.ip_address, false, "0.0.0.0 when offline")}
                {field("address1", "Address", form.address1, false, "")}
                {field("city", "City", form.city, false, "")}
                {field("state", "State", form.state, false, "NY")}
                {field("zip", "ZIP", form.zip, false, "12345")}
                {move || if form.individual() {
                    view! {
                        {field("dob", "Date of birth (YYYY-MM-DD)", form.dob, true, "")}
                        {field("ssn", "SSN", form.ssn, true, "")}
                    }.into_any()
                } else {
                    view! {
                        {field("ein", "EIN", form.ein, true, "")}
                        {field("legal_business_name", "Legal business name", form.legal_business_name, false, "")}
                    }.into_any()
                }}
                {field("external_id", "External id", form.external_id, false, "")}
                <p class="form-error" role="alert">{move || submit_error.get()}</p>
                <button type="submit" disabled=move || submit.pending().get()>"Create and screen"</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use clearance_api::ErrorItem;
    use leptos::prelude::*;

    use super::{Form, Rule, check};

    #[test]
    fn every_server_field_error_reaches_its_input() {
        let form = Form::new();
        let references = [
            "name",
            "device.ip_address",
            "address.address1",
            "address.city",
            "address.zip",
            "compliance_profile.legal_business_name",
            "external_id",
        ];
        let items: Vec<ErrorItem> = references
            .iter()
            .map(|r| ErrorItem {
                reference: (*r).to_owned(),
                detail: format!("bad {r}"),
            })
            .collect();
        assert!(form.show_server_errors(&items).is_empty());
        for (input, reference) in [
            (form.address1, "address.address1"),
            (form.city, "address.city"),
            (
                form.legal_business_name,
                "compliance_profile.legal_business_name",
            ),
            (form.external_id, "external_id"),
            (form.ip_address, "device.ip_address"),
        ] {
            assert_eq!(
                input.server_error.get_untracked(),
                Some(format!("bad {reference}"))
            );
        }
        let unplaced = form.show_server_errors(&[ErrorItem {
            reference: "metadata".into(),
            detail: "too many keys".into(),
        }]);
        assert_eq!(
            unplaced,
            ["metadata: too many keys"],
            "still shown, in the summary"
        );
    }

    #[test]
    fn empty_fields_are_errors_only_when_required() {
        assert_eq!(check(Rule::Email, " ", true).as_deref(), Some("Required."));
        assert_eq!(check(Rule::Email, "", false), None);
    }

    #[test]
    fn the_screening_validators_word_the_errors() {
        let message = check(Rule::Ssn, "666-12-3456", true).unwrap();
        assert!(message.starts_with("The area number"), "{message}");
        assert!(!message.contains("666-12-3456"), "{message}");
        assert_eq!(check(Rule::Zip, "12345", false), None);
    }
}
