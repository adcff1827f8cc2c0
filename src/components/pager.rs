//! Previous and next links for a list page, with where the analyst is: the page lives in the URL.

use clearance_api::PageMeta;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::infra::list_query::ListQuery;

#[component]
pub fn Pager(meta: PageMeta, query: ListQuery) -> impl IntoView {
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
