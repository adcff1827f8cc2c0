//! The latest list update's re-screening and how far it has got, under the list search. (The lists in
//! force and their dates are in the header; every version loaded is `GET /v1/watchlists/versions`.)

use std::time::Duration;

use clearance_api::{JobState, ListJob};
use leptos::prelude::*;

use crate::components::text::{count, local_time};
use crate::infra::api::Client;
use crate::infra::session::use_session;

/// How often the page reads a running job's progress again.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// A list update's job: its state in words, a progress bar while it runs, and its counts.
#[component]
pub fn JobProgress(job: ListJob) -> impl IntoView {
    let state = match job.state {
        JobState::Running if !job.scanned => "finding the customers the change can reach",
        JobState::Running => "re-screening",
        JobState::Done => "done",
        JobState::Failed => "failed; the server resumes it at its next start",
        JobState::Superseded => "superseded by a newer update",
    };
    let summary = format!(
        "List update of {} ({} entries added, {} removed, {} changed; started {}{}): {state}. {} of {} \
         re-screened, {} moved to review, {} errors.{}",
        job.list_date.as_deref().unwrap_or("undated lists"),
        count(job.delta.added),
        count(job.delta.removed),
        count(job.delta.changed),
        local_time(&job.started_at),
        job.finished_at
            .map(|at| format!(", ended {}", local_time(&at)))
            .unwrap_or_default(),
        count(job.done),
        count(job.to_rescreen),
        count(job.moved_to_review),
        count(job.errors),
        job.last_error
            .map(|e| format!(" Last error: {e}"))
            .unwrap_or_default(),
    );
    let running = job.state == JobState::Running && job.scanned;
    let max = job.to_rescreen.max(job.done).max(1);
    view! {
        <p class="list-job" data-testid="list-job">
            {summary}
            {running.then(|| view! {
                <progress max=max value=job.done aria-label="Customers re-screened"></progress>
            })}
        </p>
    }
}

/// The latest list update, read again every few seconds while it runs. A plain task and signal rather
/// than a resource under `Transition`: the panel is one optional line, and the resource machinery cost the
/// console's wasm more than its budget had left.
#[component]
pub fn ListsPanel() -> impl IntoView {
    let job = RwSignal::new(None::<Result<Option<ListJob>, String>>);
    follow(use_session().client(), job);
    move || {
        job.get().map(|read| match read {
            Ok(Some(job)) => JobProgress(JobProgressProps { job }).into_any(),
            Ok(None) => ().into_any(),
            Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
        })
    }
}

/// Reads the latest job into `job`, and again after a pause while it runs, until the panel is gone.
fn follow(client: Client, job: RwSignal<Option<Result<Option<ListJob>, String>>>) {
    leptos::task::spawn_local(async move {
        let read = client.latest_list_job().await;
        let running = matches!(&read, Ok(Some(j)) if j.state == JobState::Running);
        if job.try_set(Some(read.map_err(|e| e.to_string()))).is_none() && running {
            set_timeout(move || follow(client, job), PROGRESS_EVERY);
        }
    });
}
