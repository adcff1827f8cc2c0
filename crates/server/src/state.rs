//! What every handler and service may read: the lists in force, the store, and the server's settings.

use std::sync::Arc;

use crate::domain::validate::Mode;
use crate::http::ratelimit::Limiter;
use crate::lists::Lists;
use crate::store::Store;

/// Shared by every request. The lists are fixed for the life of the process; everything that changes
/// lives in the store.
pub struct AppState {
    pub lists: Lists,
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
    /// One request's screening per core at a time: more would only take turns on the cores, each holding
    /// a blocking thread, beside the writer thread that every write waits for. (The start-up sweep
    /// screens in parallel on its own, before the server listens.)
    pub screening_slots: Arc<tokio::sync::Semaphore>,
}
