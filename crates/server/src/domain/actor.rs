//! Who acted, as the audit log records it.

/// Who acted, and on whose request: a key for API calls, a named system task otherwise.
#[derive(Clone, Debug)]
pub struct Actor {
    pub actor: String,
    /// The API key that acted; none for the server's own tasks. Four-eyes approval tells two analysts
    /// apart by it.
    pub key_id: Option<String>,
    pub role: String,
    pub api_request_id: String,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
}

impl Actor {
    /// A task the server runs on its own (list-change re-screening, background screening), named in the
    /// audit log so no row is left without a "who".
    pub fn system(task: &str, api_request_id: String) -> Self {
        Self {
            actor: format!("system ({task})"),
            key_id: None,
            role: "system".to_owned(),
            api_request_id,
            request_id: None,
            correlation_id: None,
        }
    }
}
