//! One module per route. Route parameters are typed (`#[derive(Params)]`); a page's sort, filters and
//! paging live in its URL query.

use leptos::Params;
use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

pub mod audit;
pub mod customer;
pub mod customers;
pub mod new_customer;
pub mod review;
pub mod search;
pub mod sign_in;

/// `/customers/:id` and `/customers/:id/review`.
#[derive(Params, Clone, Debug, PartialEq)]
pub struct CustomerRoute {
    pub id: Option<String>,
}

/// The customer id of the current route; empty when the route has none (the API then answers 404).
pub fn use_customer_id() -> Memo<String> {
    let params = use_params::<CustomerRoute>();
    Memo::new(move |_| params.get().ok().and_then(|p| p.id).unwrap_or_default())
}
