//! The customer list: counts by status, filters, sort and paging, all in the URL. The review queue is the
//! same page filtered to `review`, strongest match first, with the queue's columns and bulk actions.

use std::collections::BTreeSet;

use clearance_api::{CustomerStatus, CustomerType};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::bulk_actions::BulkActions;
use crate::components::error_notice::ErrorNotice;
use crate::components::pager::Pager;
use crate::components::queue_table::QueueTable;
use crate::components::status::StatusBadge;
use crate::infra::api::ApiError;
use crate::infra::list_query::{ListQuery, PAGE_SIZES};
use crate::infra::session::use_session;

/// How many customers are in each status: one `page_size=1` list per status, reading `total_items`, so it
/// works against any Straddle-compatible backend.
#[component]
fn StatusCounts(reload: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let counts = LocalResource::new(move || {
        let client = session.client();
        reload.track();
        async move {
            let mut counts = Vec::new();
            for status in CustomerStatus::ALL {
                let page = client
                    .customers(&format!("status={}&page_size=1", status.as_str()))
                    .await?;
                counts.push((status, page.meta.total_items));
            }
            Ok::<_, ApiError>(counts)
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Counting…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                {move || Suspend::new(async move {
                    counts.await.map(|counts| {
                        let items = counts
                            .into_iter()
                            .map(|(status, n)| {
                                let href = format!("/customers?status={}", status.as_str());
                                view! {
                                    <li>
                                        <A href=href>
                                            <span class="count num" data-testid=format!("count-{}", status.as_str())>{n}</span>
                                            " " <StatusBadge status />
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view();
                        view! { <ul class="status-counts" aria-label="Customers by status">{items}</ul> }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let session = use_session();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(ListQuery::from_params));
    let navigate = use_navigate();
    let go = move |q: ListQuery| {
        navigate(
            &format!("/customers?{}", q.to_query()),
            NavigateOptions {
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    };
    let reload = RwSignal::new(0u32);
    let page = LocalResource::new(move || {
        let client = session.client();
        let q = query.get();
        reload.track();
        async move { client.customers(&q.to_query()).await }
    });
    let selected = RwSignal::new(BTreeSet::<String>::new());
    // A new query is a new set of rows: nothing stays selected out of sight.
    Effect::new(move |_| {
        query.track();
        selected.set(BTreeSet::new());
    });
    let rows = Signal::derive(move || {
        page.get()
            .and_then(|page| page.ok())
            .map(|page| page.customers)
            .unwrap_or_default()
    });
    let refocus = RwSignal::new(None::<String>);
    let sort_link = Callback::new(move |column: String| {
        format!(
            "/customers?{}",
            query.get_untracked().sorted_by(&column).to_query()
        )
    });

    // Each filter updates the URL on change; the inputs live outside the Transition, so focus stays put.
    let text_filter = {
        let go = go.clone();
        move |label: &'static str, field: fn(&mut ListQuery) -> &mut String, kind: &'static str| {
            let go = go.clone();
            let id = format!("filter-{}", label.to_lowercase().replace(' ', "-"));
            view! {
                <span class="filter">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type=kind
                    prop:value=move || {
                        let mut q = query.get();
                        field(&mut q).clone()
                    }
                    on:change=move |ev| {
                        let mut q = query.get_untracked();
                        *field(&mut q) = event_target_value(&ev);
                        q.page_number = 1;
                        go(q);
                    }
                />
                </span>
            }
        }
    };
    let choice = {
        let go = go.clone();
        move |id: &'static str,
              label: &'static str,
              options: Vec<(String, String)>,
              current: fn(&ListQuery) -> String,
              set: fn(&mut ListQuery, String)| {
            let go = go.clone();
            view! {
                <label for=id>{label}</label>
                <select id=id on:change=move |ev| {
                    let mut q = query.get_untracked();
                    set(&mut q, event_target_value(&ev));
                    q.page_number = 1;
                    go(q.clone());
                }>
                    {options
                        .into_iter()
                        .map(|(value, text)| {
                            let chosen = value.clone();
                            view! { <option value=value selected=move || current(&query.get()) == chosen>{text}</option> }
                        })
                        .collect_view()}
                </select>
            }
        }
    };
    let any = || ("".to_owned(), "Any".to_owned());
    let statuses: Vec<(String, String)> = std::iter::once(any())
        .chain(CustomerStatus::ALL.map(|s| (s.as_str().to_owned(), s.as_str().to_owned())))
        .collect();
    let types: Vec<(String, String)> = std::iter::once(any())
        .chain(
            [CustomerType::Individual, CustomerType::Business]
                .map(|t| (t.as_str().to_owned(), t.as_str().to_owned())),
        )
        .collect();
    let mut assignees = vec![
        any(),
        ("me".to_owned(), "Me".to_owned()),
        ("none".to_owned(), "Nobody".to_owned()),
    ];
    // A link may name another analyst's key id, which the API filters by too.
    let linked = query.get_untracked().assignee;
    if !assignees.iter().any(|(value, _)| *value == linked) {
        assignees.push((linked.clone(), linked));
    }
    let sizes: Vec<(String, String)> = PAGE_SIZES.map(|n| (n.to_string(), n.to_string())).to_vec();
    let done = Callback::new(move |()| {
        selected.set(BTreeSet::new());
        reload.update(|n| *n += 1);
    });
    view! {
        <section class="customers-page">
            <div class="page-title">
                <h2>"Customers"</h2>
                <A href=format!("/customers?{}", ListQuery::queue().to_query())>"Review queue"</A>
                <A href="/customers/new">"New customer"</A>
            </div>
            <StatusCounts reload />
            <form class="filters" role="search" aria-label="Filter customers" on:submit=|ev| ev.prevent_default()>
                {choice("filter-status", "Status", statuses,
                    |q| q.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
                    |q, v| q.status = CustomerStatus::parse(&v))}
                {choice("filter-type", "Type", types,
                    |q| q.customer_type.map(|t| t.as_str().to_owned()).unwrap_or_default(),
                    |q, v| q.customer_type = CustomerType::parse(&v))}
                {choice("filter-assignee", "Assignee", assignees, |q| q.assignee.clone(), |q, v| q.assignee = v)}
                {text_filter("Name", |q| &mut q.name, "search")}
                {text_filter("Email", |q| &mut q.email, "email")}
                {text_filter("External id", |q| &mut q.external_id, "text")}
                {text_filter("Created from", |q| &mut q.created_from, "date")}
                {text_filter("Created to", |q| &mut q.created_to, "date")}
                {text_filter("Search", |q| &mut q.search_text, "search")}
                {choice("filter-page-size", "Page size", sizes,
                    |q| q.page_size.to_string(),
                    |q, v| q.page_size = v.parse().unwrap_or(50))}
            </form>
            <BulkActions customers=rows selected on_done=done />
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading customers…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                    {move || Suspend::new(async move {
                        page.await.map(|page| {
                            let q = query.get_untracked();
                            let now_ms = js_sys::Date::now();
                            view! {
                                <QueueTable customers=page.customers query=q.clone() sort_link now_ms
                                    me=session.key_id() selected refocus />
                                <Pager meta=page.meta query=q />
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
