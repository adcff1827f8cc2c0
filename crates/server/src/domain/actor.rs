//! Who acted, as the audit log records it.

/// Who acted, and on whose request: a key for API calls, a named system task otherwise.
#[derive(Clone, Debug)]
pub struct Actor {
    pub actor: String,
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
            role: "system".to_owned(),
            api_request_id,
            request_id: None,
            correlation_id: None,
        }
    }
}
