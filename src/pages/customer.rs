//! One customer: its fields (PII masked), an Unmask control that shows the clear values for a limited time
//! (the server checks the role and audits each use), and its audit history.

use clearance_api::{AuditEvent, ComplianceProfile, Customer};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::error_notice::ErrorNotice;
use crate::components::status::StatusBadge;
use crate::components::text::{address_line, local_time};
use crate::infra::api::ApiError;
use crate::infra::session::use_session;
use crate::pages::use_customer_id;

/// How long unmasked values stay on screen.
const UNMASK_SECONDS: u64 = 30;

/// The fields of a customer as given (masked or not: the caller decides by what it passes).
#[component]
pub fn CustomerFields(customer: Customer) -> impl IntoView {
    let profile = match &customer.compliance_profile {
        Some(ComplianceProfile::Individual { dob, ssn }) => view! {
            <dt>"Date of birth"</dt><dd data-testid="dob">{dob.clone()}</dd>
            <dt>"SSN"</dt><dd data-testid="ssn">{ssn.clone()}</dd>
        }
        .into_any(),
        Some(ComplianceProfile::Business {
            ein,
            legal_business_name,
            ..
        }) => view! {
            <dt>"EIN"</dt><dd data-testid="ein">{ein.clone()}</dd>
            <dt>"Legal name"</dt><dd><bdi>{legal_business_name.clone()}</bdi></dd>
        }
        .into_any(),
        None => view! { <dt>"Identity"</dt><dd>"not given"</dd> }.into_any(),
    };
    let address = address_line(customer.address.as_ref());
    view! {
        <dl class="fields">
            <dt>"Name"</dt><dd><bdi>{customer.name.clone()}</bdi></dd>
            <dt>"Status"</dt><dd data-testid="status"><StatusBadge status=customer.status /></dd>
            <dt>"Type"</dt><dd>{customer.customer_type.as_str()}</dd>
            <dt>"Email"</dt><dd><bdi>{customer.email.clone()}</bdi></dd>
            <dt>"Phone"</dt><dd>{customer.phone.clone()}</dd>
            <dt>"Address"</dt><dd><bdi>{address}</bdi></dd>
            {profile}
            <dt>"External id"</dt><dd><bdi>{customer.external_id.clone().unwrap_or_default()}</bdi></dd>
            <dt>"Created"</dt><dd>{local_time(&customer.created_at)}</dd>
        </dl>
    }
}

#[component]
pub fn EventTable(events: Vec<AuditEvent>) -> impl IntoView {
    let rows = events
        .into_iter()
        .map(|e| {
            let change = match (e.status_before, e.status_after) {
                (Some(a), Some(b)) if a != b => format!("{} → {}", a.as_str(), b.as_str()),
                (None, Some(b)) => format!("→ {}", b.as_str()),
                (Some(a), None) => format!("{} →", a.as_str()),
                _ => String::new(),
            };
            view! {
                <tr data-testid="event-row">
                    <td><time datetime=e.at.clone()>{local_time(&e.at)}</time></td>
                    <td data-testid="event-action">{e.action.as_str()}</td>
                    <td>{change}</td>
                    <td><bdi>{e.actor}</bdi>" (" {e.role} ")"</td>
                    <td><bdi>{e.note.unwrap_or_default()}</bdi>" " {e.fields.join(", ")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="events">
            <caption>"History"</caption>
            <thead>
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"What"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"Details"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let session = use_session();
    let id = use_customer_id();
    let reload = RwSignal::new(0u32);
    let customer = LocalResource::new(move || {
        let client = session.client();
        let id = id.get();
        reload.track();
        async move {
            let customer = client.customer(&id).await?;
            let events = client.events(&id).await?;
            Ok::<_, ApiError>((customer, events))
        }
    });
    let unmasked = RwSignal::new(None::<Customer>);
    let unmask_error = RwSignal::new(None::<String>);
    let unmask = Action::new_local(move |_: &()| {
        let client = session.client();
        let id = id.get_untracked();
        async move {
            match client.unmasked(&id).await {
                Ok(clear) => {
                    unmasked.set(Some(clear));
                    unmask_error.set(None);
                    reload.update(|n| *n += 1);
                    set_timeout(
                        move || unmasked.set(None),
                        std::time::Duration::from_secs(UNMASK_SECONDS),
                    );
                }
                Err(e) => unmask_error.set(Some(e.to_string())),
            }
        }
    });
    view! {
        <section class="customer-page">
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the customer…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                    {move || Suspend::new(async move {
                        customer.await.map(|(customer, events)| {
                            let review = format!("/customers/{}/review", customer.id);
                            let shown = move || {
                                unmasked
                                    .get()
                                    .filter(|c| c.id == customer.id)
                                    .unwrap_or_else(|| customer.clone())
                            };
                            view! {
                                <div class="page-title">
                                    <h2><bdi>{shown().name}</bdi></h2>
                                    <A href=review>"Review screening"</A>
                                </div>
                                {move || view! { <CustomerFields customer=shown() /> }}
                                <p>
                                    {move || if !session.may_unmask() {
                                        view! { <span class="hint">"PII is masked; an admin key may unmask it."</span> }.into_any()
                                    } else if unmasked.get().is_some() {
                                        view! { <span role="status">{format!("Unmasked for {UNMASK_SECONDS} s; this view is in the audit log.")}</span> }.into_any()
                                    } else {
                                        view! {
                                            <button type="button" on:click=move |_| { unmask.dispatch(()); }>
                                                "Unmask PII"
                                            </button>
                                        }.into_any()
                                    }}
                                    {move || unmask_error.get().map(|e| view! { <span class="error" role="alert">{e}</span> })}
                                </p>
                                <EventTable events />
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
