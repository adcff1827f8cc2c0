//! The console's one way to reach the backend: a function per endpoint and one error type, so every screen
//! handles failures the same way.

use clearance_api::{Envelope, Health};
use gloo_net::http::Request;
use serde::de::DeserializeOwned;

/// Why a call to the backend failed, worded for the analyst who sees it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("the server could not be reached: {0}")]
    Network(String),
    #[error("the server answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("the server's answer could not be read: {0}")]
    Decode(String),
}

/// Where the backend lives. Empty means the origin that served the console.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    base_url: String,
}

impl Client {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
        }
    }

    /// `GET /v1/health`: the server's version and the list snapshots it screens against.
    pub async fn health(&self) -> Result<Health, ApiError> {
        self.get("/v1/health").await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = Request::get(&format!("{}{path}", self.base_url))
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if !response.ok() {
            return Err(ApiError::Status {
                status: response.status(),
                message: response.status_text(),
            });
        }
        let envelope: Envelope<T> = response
            .json()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        Ok(envelope.data)
    }
}
