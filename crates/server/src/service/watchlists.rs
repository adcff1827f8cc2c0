//! The lists as the API reports them (the lists in force with the latest update's progress, every version
//! loaded, a job), and a refresh on an admin's request.

use std::sync::Arc;

use clearance_api::{JobTrigger, ListEntry, ListJob, ListVersion, RefreshOutcome, Watchlists};
use clearance_screening::Entity;

use crate::service::DomainError;
use crate::service::list_update::{self, RefreshError};
use crate::state::AppState;
use crate::store::StoreError;

/// The lists in force, with the latest list update's job when `with_job` (a staff caller).
pub async fn overview(state: &AppState, with_job: bool) -> Result<Watchlists, DomainError> {
    let mut watchlists = state.lists.load().watchlists.clone();
    if with_job {
        watchlists.job = state
            .store
            .read(|conn| Ok::<_, StoreError>(conn.latest_job()?.map(|j| j.job)))
            .await?;
    }
    Ok(watchlists)
}

/// Every list version loaded, newest first.
pub async fn versions(state: &AppState) -> Result<Vec<ListVersion>, DomainError> {
    let in_force = state.lists.load().version().to_owned();
    Ok(state
        .store
        .read(move |conn| conn.versions(&in_force))
        .await?)
}

/// The job `id`; `latest` names the newest.
pub async fn job(state: &AppState, id: String) -> Result<ListJob, DomainError> {
    state
        .store
        .read(move |conn| {
            let found = if id == LATEST {
                conn.latest_job()?
            } else {
                conn.job(&id)?
            };
            found.map(|j| j.job).ok_or(DomainError::NoSuchJob(id))
        })
        .await
}

/// The job id that names the newest job, for a client that only wants to follow the latest update.
const LATEST: &str = "latest";

/// What the list version `version` said of the entry `entry`.
pub async fn entry(
    state: &AppState,
    version: String,
    entry: String,
) -> Result<ListEntry, DomainError> {
    let content = state
        .store
        .read({
            let (version, entry) = (version.clone(), entry.clone());
            move |conn| conn.entry_content(&version, &entry)
        })
        .await?
        .ok_or_else(|| DomainError::NoSuchEntry {
            version: version.clone(),
            entry: entry.clone(),
        })?;
    let entities: Vec<Entity> = serde_json::from_str(&content)
        .map_err(|e| DomainError::Inconsistent(format!("stored entry {entry}: {e}")))?;
    Ok(ListEntry {
        entities: entities
            .iter()
            .map(clearance_api::evidence::listed_entity)
            .collect(),
        version,
        entry,
    })
}

/// Re-reads the configured sources and brings new lists into force; see [`list_update::refresh_lists`].
pub async fn refresh(state: &Arc<AppState>) -> Result<RefreshOutcome, RefreshError> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || list_update::refresh_lists(&state, JobTrigger::Refresh))
        .await
        .map_err(|e| RefreshError::Domain(StoreError::from(e).into()))?
}
