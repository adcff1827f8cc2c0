//! What every handler and service may read: the lists in force, the store, and the server's settings.

use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::domain::validate::Mode;
use crate::http::ratelimit::Limiter;
use crate::lists::Lists;
use crate::service::list_update::Jobs;
use crate::store::Store;

/// Shared by every request. Everything that changes lives in the store, except the lists in force, which
/// a list update swaps whole: a screening loads them once and uses that one version throughout.
pub struct AppState {
    pub lists: ArcSwap<Lists>,
    /// The list directories a refresh re-reads: the server's configuration, never a request's.
    pub sources: Vec<PathBuf>,
    /// The list update job in progress.
    pub jobs: Jobs,
    /// How often the sources are re-read (`--refresh-every`); never when none.
    pub refresh_every: Option<std::time::Duration>,
    pub store: Store,
    /// Requests per API key.
    pub limiter: Limiter,
    /// Failed authentications per client IP.
    pub auth_failures: Limiter,
    /// Requests with a publishable key per client IP: the key is public, so its own limit is not enough.
    pub publishable_per_address: Limiter,
    pub mode: Mode,
    /// Scores at or above this put a customer in review.
    pub threshold: f64,
    /// The correlation from which a review needs two analysts (`--four-eyes`); none when off.
    pub four_eyes: Option<clearance_api::Correlation>,
    /// How long a review may wait before the queue marks it overdue (`--review-sla`).
    pub review_sla: std::time::Duration,
    /// One request's screening per core at a time: more would only take turns on the cores, each holding
    /// a blocking thread, beside the writer thread that every write waits for. (A list update's job
    /// screens in parallel on threads of its own.)
    pub screening_slots: Arc<tokio::sync::Semaphore>,
}
