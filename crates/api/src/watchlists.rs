use serde::{Deserialize, Serialize};

use crate::ListSnapshot;

/// What `GET /v1/watchlists` reports: the lists screening runs against, how current they are, and what
/// loading them skipped, so an operator can tell a partial set from a complete one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Watchlists {
    pub publisher: String,
    pub date: Option<String>,
    /// SHA-256 of the list files: the list version every screening result refers to.
    pub content_hash: String,
    pub directories: Vec<ListSnapshot>,
    pub lists: Vec<WatchlistCount>,
    pub load: LoadCounts,
}

/// One list and how many entities it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchlistCount {
    pub list_name: String,
    pub entities: usize,
}

/// What loading read and what it skipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadCounts {
    pub entities: usize,
    pub names: usize,
    pub aliases: usize,
    pub addresses: usize,
    pub skipped_aliases: usize,
    pub skipped_addresses: usize,
    pub duplicate_ids: usize,
}
