use serde::{Deserialize, Serialize};

use crate::{ListSnapshot, ListedEntity};

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
    /// The latest list update's re-screening, when there has been one: the console's progress bar. Only for
    /// staff keys: its counts are about customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<ListJob>,
}

/// One list and how many entities it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchlistCount {
    pub list_name: String,
    /// The list's own date, `YYYY-MM-DD`: the date of the snapshot its main file came in.
    pub date: Option<String>,
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

/// One list snapshot the server has loaded, as `GET /v1/watchlists/versions` lists them: an auditor can
/// tell from a screening's `list_version` what the lists said when it ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListVersion {
    /// SHA-256 of the list files: the `list_version` screenings name.
    pub content_hash: String,
    pub publisher: String,
    /// The snapshot's date (its oldest list's), `YYYY-MM-DD`.
    pub date: Option<String>,
    /// When this server first loaded it.
    pub loaded_at: String,
    pub lists: Vec<WatchlistCount>,
    pub entities: usize,
    /// Whether it is the version new screenings use now.
    pub in_force: bool,
}

/// How far a list update's re-screening has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Finding and re-screening the customers the change can reach.
    Running,
    /// Every such customer is screened on the new lists.
    Done,
    /// Stopped by an error, or ended with customers it could not re-screen (`errors`, `last_error`); the
    /// next start of the server resumes it.
    Failed,
    /// A newer update came before it ended; that update's job covers its customers.
    Superseded,
}

/// What started a list update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobTrigger {
    /// The server started on lists other than the ones its customers were screened on.
    Start,
    /// An admin's `POST /v1/watchlists/refresh`.
    Refresh,
    /// `clearance serve --refresh-every`.
    Schedule,
    /// `clearance lists update`, or a server taking the version that command recorded.
    Cli,
}

/// Entities added, removed and changed (by content) from the lists in force before to the new ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeltaCounts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// A list update's re-screening job: `GET /v1/watchlists/jobs/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListJob {
    pub id: String,
    pub state: JobState,
    pub trigger: JobTrigger,
    /// The list version in force before; absent when none was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_version: Option<String>,
    pub to_version: String,
    /// The new snapshot's date, which the reviews it creates name.
    pub list_date: Option<String>,
    pub delta: DeltaCounts,
    /// Customers whose result the change can reach; the rest keep their screening. Known once the job has
    /// looked at every customer (`scanned`).
    pub to_rescreen: usize,
    pub scanned: bool,
    pub done: usize,
    pub moved_to_review: usize,
    pub errors: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    pub started_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
}

/// What `POST /v1/watchlists/refresh` did: nothing when the sources hold the lists in force, else the new
/// version and the job re-screening for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshOutcome {
    pub changed: bool,
    pub version: ListVersion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<ListJob>,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Running, Self::Done, Self::Failed, Self::Superseded]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

impl JobTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Refresh => "refresh",
            Self::Schedule => "schedule",
            Self::Cli => "cli",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Start, Self::Refresh, Self::Schedule, Self::Cli]
            .into_iter()
            .find(|t| t.as_str() == text)
    }
}

/// What a list version said of one entry: `GET /v1/watchlists/versions/{version}/entries/{entry}`, so an
/// auditor can read what the list held when a customer was screened or cleared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListEntry {
    pub version: String,
    /// The entry as screenings name it: the list's name and its id (`OFAC SDN 12345`).
    pub entry: String,
    /// Usually one; more when the list repeats the id.
    pub entities: Vec<ListedEntity>,
}
