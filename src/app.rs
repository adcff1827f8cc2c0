//! The console's shell: the header with the server and list snapshot, sign-in, and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::components::error_notice::ErrorNotice;
use crate::components::health::HealthSummary;
use crate::infra::api::Client;
use crate::infra::list_query::ListQuery;
use crate::infra::session::Session;
use crate::pages::audit::AuditPage;
use crate::pages::customer::CustomerPage;
use crate::pages::customers::CustomersPage;
use crate::pages::new_customer::NewCustomerPage;
use crate::pages::review::ReviewPage;
use crate::pages::search::SearchPage;
use crate::pages::sign_in::SignIn;

#[component]
pub fn App() -> impl IntoView {
    let session = Session::restore();
    provide_context(session);
    let health = LocalResource::new(move || {
        let client = Client::new(session.base_url(), None);
        async move { client.health().await }
    });
    view! {
        <Router>
            <header class="top">
                <h1>"Clearance"</h1>
                <Show when=move || session.is_signed_in()>
                    <nav aria-label="Main">
                        <A href="/customers">"Customers"</A>
                        <A href=format!("/customers?{}", ListQuery::queue().to_query())>"Review queue"</A>
                        <A href="/customers/new">"New customer"</A>
                        <A href="/search">"Lists"</A>
                        <A href="/audit">"Audit export"</A>
                        <button type="button" on:click=move |_| session.sign_out()>"Sign out"</button>
                    </nav>
                </Show>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Connecting to the server…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                    {move || Suspend::new(async move {
                        health.await.map(|health| view! { <HealthSummary health /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <main>
                <Show when=move || session.is_signed_in() fallback=|| view! { <SignIn /> }>
                    <Routes fallback=|| view! { <p>"No such page."</p> }>
                        <Route path=path!("/") view=|| view! { <Redirect path="/customers" /> } />
                        <Route path=path!("/customers") view=CustomersPage />
                        <Route path=path!("/customers/new") view=NewCustomerPage />
                        <Route path=path!("/customers/:id") view=CustomerPage />
                        <Route path=path!("/customers/:id/review") view=ReviewPage />
                        <Route path=path!("/search") view=SearchPage />
                        <Route path=path!("/audit") view=AuditPage />
                    </Routes>
                </Show>
            </main>
        </Router>
    }
}
