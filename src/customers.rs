//! The customer list: counts by status, filters, sort and paging, all in the URL. The review queue is the
//! same page filtered to `review`, strongest match first.

use clearance_api::{CustomerStatus, CustomerSummary, CustomerType, PageMeta};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::list_query::{ListQuery, PAGE_SIZES};
use crate::session::use_session;
use crate::ui::{ErrorNotice, StatusBadge, local_time};

/// The rows of one page. Pure, so it can be tested from data alone.
#[component]
pub fn CustomerTable(
    customers: Vec<CustomerSummary>,
    query: ListQuery,
    /// Where a header click leads (the same filters, sorted).
    sort_link: Callback<String, String>,
    /// The column whose header was clicked last: the new table focuses it again, so sorting keeps the
    /// keyboard where it was.
    #[prop(optional)]
    refocus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    if customers.is_empty() {
        return view! {
            <div class="empty" role="status">
                <p>"No customers match these filters."</p>
                <A href="/customers">"Clear all filters"</A>
            </div>
        }
        .into_any();
    }
    let header = move |column: &'static str, label: &'static str| {
        let aria = query.aria_sort(column);
        let indicator = match aria {
            "ascending" => " ▲",
            "descending" => " ▼",
            _ => "",
        };
        let link = NodeRef::<leptos::html::A>::new();
        Effect::new(move || {
            let wanted = refocus.and_then(|r| r.get_untracked());
            if let (Some(el), Some(wanted)) = (link.get(), wanted)
                && wanted == column
            {
                el.focus().ok();
            }
        });
        view! {
            <th scope="col" aria-sort=aria>
                <a
                    href=sort_link.run(column.to_owned())
                    class="sort"
                    node_ref=link
                    on:click=move |_| {
                        if let Some(r) = refocus {
                            r.set(Some(column.to_owned()));
                        }
                    }
                >
                    {label}
                    <span class="sort-indicator" aria-hidden="true">{indicator}</span>
                </a>
            </th>
        }
    };
    let rows = customers
        .into_iter()
        .map(|c| {
            let href = format!("/customers/{}", c.id);
            view! {
                <tr data-testid="customer-row">
                    <td class="name-cell"><A href=href><bdi>{c.name}</bdi></A></td>
                    <td><StatusBadge status=c.status /></td>
                    <td>{c.customer_type.as_str()}</td>
                    <td><bdi>{c.email}</bdi></td>
                    <td><bdi>{c.external_id.unwrap_or_default()}</bdi></td>
                    <td><time datetime=c.created_at.clone()>{local_time(&c.created_at)}</time></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="customers">
            <caption class="visually-hidden">"Customers"</caption>
            <thead>
                <tr>
                    {header("name", "Name")}
                    <th scope="col">"Status"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"External id"</th>
                    {header("created_at", "Created")}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// How many customers are in each status: one `page_size=1` list per status, reading `total_items`, so it
/// works against any Straddle-compatible backend.
#[component]
fn StatusCounts() -> impl IntoView {
    let session = use_session();
    let counts = LocalResource::new(move || {
        let client = session.client();
        async move {
            let mut counts = Vec::new();
            for status in CustomerStatus::ALL {
                let page = client
                    .customers(&format!("status={}&page_size=1", status.as_str()))
                    .await?;
                counts.push((status, page.meta.total_items));
            }
            Ok::<_, crate::api::ApiError>(counts)
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
fn Pager(meta: PageMeta, query: ListQuery) -> impl IntoView {
    let page = meta.page_number;
    let pages = meta.total_pages.max(1);
    let link = move |n: u32| {
        format!(
            "/customers?{}",
            ListQuery {
                page_number: n,
                ..query.clone()
            }
            .to_query()
        )
    };
    let previous = (page > 1).then(|| view! { <A href=link(page - 1)>"← Previous"</A> });
    let next = (u64::from(page) < pages).then(|| view! { <A href=link(page + 1)>"Next →"</A> });
    view! {
        <nav class="pager" aria-label="Pages">
            {previous}
            <span>{format!("Page {page} of {pages} · {} customers", meta.total_items)}</span>
            {next}
        </nav>
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
    let page = LocalResource::new(move || {
        let client = session.client();
        let q = query.get();
        async move { client.customers(&q.to_query()).await }
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
    let status_go = go.clone();
    let type_go = go.clone();
    let size_go = go.clone();
    view! {
        <section class="customers-page">
            <div class="page-title">
                <h2>"Customers"</h2>
                <A href=format!("/customers?{}", ListQuery::queue().to_query())>"Review queue"</A>
                <A href="/customers/new">"New customer"</A>
            </div>
            <StatusCounts />
            <form class="filters" role="search" aria-label="Filter customers" on:submit=|ev| ev.prevent_default()>
                <label for="filter-status">"Status"</label>
                <select id="filter-status" on:change=move |ev| {
                    let mut q = query.get_untracked();
                    q.status = CustomerStatus::parse(&event_target_value(&ev));
                    q.page_number = 1;
                    status_go(q);
                }>
                    <option value="" selected=move || query.get().status.is_none()>"Any"</option>
                    {CustomerStatus::ALL
                        .into_iter()
                        .map(|s| view! {
                            <option value=s.as_str() selected=move || query.get().status == Some(s)>{s.as_str()}</option>
                        })
                        .collect_view()}
                </select>
                <label for="filter-type">"Type"</label>
                <select id="filter-type" on:change=move |ev| {
                    let mut q = query.get_untracked();
                    q.customer_type = CustomerType::parse(&event_target_value(&ev));
                    q.page_number = 1;
                    type_go(q);
                }>
                    <option value="" selected=move || query.get().customer_type.is_none()>"Any"</option>
                    {[CustomerType::Individual, CustomerType::Business]
                        .into_iter()
                        .map(|t| view! {
                            <option value=t.as_str() selected=move || query.get().customer_type == Some(t)>{t.as_str()}</option>
                        })
                        .collect_view()}
                </select>
                {text_filter("Name", |q| &mut q.name, "search")}
                {text_filter("Email", |q| &mut q.email, "email")}
                {text_filter("External id", |q| &mut q.external_id, "text")}
                {text_filter("Created from", |q| &mut q.created_from, "date")}
                {text_filter("Created to", |q| &mut q.created_to, "date")}
                {text_filter("Search", |q| &mut q.search_text, "search")}
                <label for="filter-page-size">"Page size"</label>
                <select id="filter-page-size" on:change=move |ev| {
                    let mut q = query.get_untracked();
                    q.page_size = event_target_value(&ev).parse().unwrap_or(50);
                    q.page_number = 1;
                    size_go(q);
                }>
                    {PAGE_SIZES
                        .into_iter()
                        .map(|n| view! { <option value=n.to_string() selected=move || query.get().page_size == n>{n}</option> })
                        .collect_view()}
                </select>
            </form>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading customers…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorNotice errors /> }>
                    {move || Suspend::new(async move {
                        page.await.map(|page| {
                            let q = query.get_untracked();
                            view! {
                                <CustomerTable customers=page.customers query=q.clone() sort_link refocus />
                                <Pager meta=page.meta query=q />
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
