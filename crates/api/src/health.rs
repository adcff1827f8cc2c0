use serde::{Deserialize, Serialize};

/// What `GET /v1/health` reports: enough for an operator (and the console's header) to see which build is
/// running and against which list snapshot customers are being screened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
    /// SHA-256 of the list files: the list version every screening result refers to.
    pub list_version: String,
    pub lists: Vec<ListSnapshot>,
}

/// One list directory the server loaded. A screening result is only as current as this date, so it is
/// shown wherever results are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListSnapshot {
    /// What the list is, named from its files: "OFAC SDN", "UN Security Council Consolidated".
    pub name: String,
    /// The directory as the server was given it: a path on the server, so only an admin's key sees it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
    /// The snapshot's date, `YYYY-MM-DD`.
    pub date: String,
    /// The list files found in the directory, sorted.
    pub files: Vec<String>,
}
