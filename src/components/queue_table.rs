//! The customer list and review queue as a table: each customer's status, the strongest matched party,
//! its list, score and correlation, how long the review has waited (marked overdue past the server's
//! service level), who works it and its four-eyes state. Rows can be selected for bulk actions, and the
//! keyboard moves through them: `j` / `k` next and previous row, Enter opens the focused one.

use std::collections::BTreeSet;

use clearance_api::{CustomerStatus, CustomerSummary};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::components::evidence::correlation_label;
use crate::components::keys::typed;
use crate::components::status::StatusBadge;
use crate::components::text::{local_time, wait};
use crate::infra::list_query::ListQuery;

/// Milliseconds since the epoch of an RFC 3339 time, as the browser reads it.
fn epoch_ms(stamp: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(stamp);
    (!ms.is_nan()).then_some(ms)
}

/// The "In review" cell: the wait, and the overdue mark in words.
fn review_wait(c: &CustomerSummary, now_ms: f64) -> AnyView {
    let Some(since) = c.review_since.as_deref().and_then(epoch_ms) else {
        return "—".into_any();
    };
    let overdue = c
        .review_due_at
        .as_deref()
        .and_then(epoch_ms)
        .is_some_and(|due| now_ms > due);
    let waited = wait(((now_ms - since) / 1000.0) as i64);
    view! {
        <span class=if overdue { "wait overdue" } else { "wait" }>
            {waited}
            {overdue.then(|| view! { " " <strong>"⚠ overdue"</strong> })}
        </span>
    }
    .into_any()
}

/// The rows of one page. Pure over its props, so it can be tested from data alone.
#[component]
pub fn QueueTable(
    customers: Vec<CustomerSummary>,
    query: ListQuery,
    /// Where a header click leads (the same filters, sorted).
    sort_link: Callback<String, String>,
    /// Now, in milliseconds since the epoch: how long each review has waited is counted to it.
    now_ms: f64,
    /// The signed-in key's id, shown as "me" where it is the assignee.
    #[prop(default = None)]
    me: Option<String>,
    /// The ids of the selected rows, for bulk actions; no selection column without it.
    #[prop(optional)]
    selected: Option<RwSignal<BTreeSet<String>>>,
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
    let header = move |column: &'static str, label: &'static str, numeric: bool| {
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
            <th scope="col" aria-sort=aria class:num=numeric>
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
    let ids: Vec<String> = customers.iter().map(|c| c.id.clone()).collect();
    let count = customers.len();
    let cursor = RwSignal::new(None::<usize>);
    let rows = customers
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            // A customer in review opens on its review: that is what the queue is for.
            let href = if c.status == CustomerStatus::Review {
                format!("/customers/{}/review", c.id)
            } else {
                format!("/customers/{}", c.id)
            };
            let id = c.id.clone();
            let label = format!("Select {}", c.name);
            let select = selected.map(|selected| {
                let id = id.clone();
                let toggled = id.clone();
                view! {
                    <td class="select">
                        <input type="checkbox" aria-label=label
                            prop:checked=move || selected.with(|s| s.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| {
                                    if on { s.insert(toggled.clone()); } else { s.remove(&toggled); }
                                });
                            } />
                    </td>
                }
            });
            let strongest = c.strongest_match.clone();
            let party = strongest.as_ref().map(|m| m.party.clone()).unwrap_or_default();
            let list = strongest.as_ref().map(|m| m.list_name.clone()).unwrap_or_default();
            let correlation = strongest
                .as_ref()
                .map(|m| correlation_label(m.correlation))
                .unwrap_or("");
            let score = c.score.map(|s| format!("{s:.2}")).unwrap_or_default();
            let assignee = match (&c.assignee, &me) {
                (Some(a), Some(me)) if a == me => "me".to_owned(),
                (Some(a), _) => a.clone(),
                (None, _) => String::new(),
            };
            let approval = c.awaiting_approval.as_ref().map(|a| {
                format!("awaiting second approval ({} by {})", a.status.as_str(), a.decided_by)
            });
            let waited = review_wait(&c, now_ms);
            view! {
                <tr data-testid="customer-row" data-id=id data-index=i
                    aria-current=move || (cursor.get() == Some(i)).then_some("true")>
                    {select}
                    <td class="name-cell"><A href=href><bdi>{c.name}</bdi></A></td>
                    <td><StatusBadge status=c.status /></td>
                    <td data-testid="party"><bdi>{party}</bdi></td>
                    <td>{list}</td>
                    <td class="num" data-testid="score">{score}</td>
                    <td>{correlation}</td>
                    <td data-testid="wait">{waited}</td>
                    <td data-testid="assignee"><bdi>{assignee}</bdi></td>
                    <td data-testid="approval">{approval}</td>
                    <td>{c.customer_type.as_str()}</td>
                    <td><bdi>{c.email}</bdi></td>
                    <td><bdi>{c.external_id.unwrap_or_default()}</bdi></td>
                    <td><time datetime=c.created_at.clone()>{local_time(&c.created_at)}</time></td>
                </tr>
            }
        })
        .collect_view();
    let body = NodeRef::<leptos::html::Tbody>::new();
    // j and k move the focus to the next or previous row's link, so Enter opens it as any link opens;
    // they count from the row the focus is in, however it got there.
    let row_of = |target: Option<web_sys::EventTarget>| {
        target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("tr[data-index]").ok().flatten())
            .and_then(|row| row.get_attribute("data-index"))
            .and_then(|i| i.parse::<usize>().ok())
    };
    let keydown = move |ev: KeyboardEvent| {
        if typed(&ev) {
            return;
        }
        let next = match (
            ev.key().as_str(),
            row_of(ev.target()).or(cursor.get_untracked()),
        ) {
            ("j", None) | ("k", None) => 0,
            ("j", Some(i)) => (i + 1).min(count - 1),
            ("k", Some(i)) => i.saturating_sub(1),
            _ => return,
        };
        ev.prevent_default();
        cursor.set(Some(next));
        let link = body.get_untracked().and_then(|body| {
            body.query_selector(&format!("tr[data-index='{next}'] td.name-cell a"))
                .ok()
                .flatten()
        });
        if let Some(link) = link.and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok()) {
            link.focus().ok();
        }
    };
    let focusin = move |ev: leptos::ev::FocusEvent| {
        if let Some(i) = row_of(ev.target()) {
            cursor.set(Some(i));
        }
    };
    let select_all = selected.map(|selected| {
        let all = ids.clone();
        view! {
            <th scope="col" class="select">
                <input type="checkbox" aria-label="Select every customer on this page"
                    prop:checked=move || { let all = all.clone(); selected.with(|s| all.iter().all(|id| s.contains(id))) }
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            for id in &ids {
                                if on { s.insert(id.clone()); } else { s.remove(id); }
                            }
                        });
                    } />
            </th>
        }
    });
    view! {
        <div class="table-scroll" on:keydown=keydown>
            <table class="customers">
                <caption class="visually-hidden">"Customers: j and k move between rows, Enter opens one"</caption>
                <thead>
                    <tr>
                        {select_all}
                        {header("name", "Name", false)}
                        <th scope="col">"Status"</th>
                        <th scope="col">"Strongest match"</th>
                        <th scope="col">"List"</th>
                        {header("score", "Score", true)}
                        <th scope="col">"Correlation"</th>
                        {header("review_age", "In review", false)}
                        <th scope="col">"Assignee"</th>
                        <th scope="col">"Four-eyes"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"External id"</th>
                        {header("created_at", "Created", false)}
                    </tr>
                </thead>
                <tbody node_ref=body on:focusin=focusin>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
