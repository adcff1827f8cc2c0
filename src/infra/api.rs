//! The console's one way to reach the backend: a function per endpoint and one error type, so every screen
//! handles failures the same way. It speaks only the Straddle-compatible API, so the console works against
//! any backend that does.

use clearance_api::{
    ApiKeyInfo, AssignRequest, AuditEvent, Customer, CustomerRequest, CustomerReview,
    CustomerSummary, Envelope, ErrorEnvelope, ErrorItem, Health, ListJob, MatchDecisionRequest,
    PageMeta, ReviewRequest,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;

/// Why a call to the backend failed, worded for the analyst who sees it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("the server could not be reached: {0}")]
    Network(String),
    #[error("the API key was refused; sign in again")]
    Unauthorized,
    #[error("your key's role may not do this: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Field problems, each with the request field it concerns.
    #[error("{} field(s) need attention", .0.len())]
    Invalid(Vec<ErrorItem>),
    #[error("{0}")]
    Refused(String),
    #[error("too many requests; try again in {0} s")]
    RateLimited(u64),
    #[error("the server answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("the server's answer could not be read: {0}")]
    Decode(String),
}

/// Where the backend lives and the key to call it with. An empty base URL is the console's own origin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    base_url: String,
    key: Option<String>,
}

/// One page of the customer list.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerPage {
    pub customers: Vec<CustomerSummary>,
    pub meta: PageMeta,
}

/// The compact screening index and the ETag it came with.
pub struct IndexDownload {
    pub bytes: Vec<u8>,
    pub etag: Option<String>,
}

impl Client {
    pub fn new(base_url: impl Into<String>, key: Option<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            key,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `GET /v1/health`: the server's version and the list snapshots it screens against.
    pub async fn health(&self) -> Result<Health, ApiError> {
        self.send(self.request("GET", "/v1/health")).await
    }

    /// `GET /v1/watchlists/jobs/latest`: the newest list update's job; none before the first.
    pub async fn latest_list_job(&self) -> Result<Option<ListJob>, ApiError> {
        match self
            .send(self.request("GET", "/v1/watchlists/jobs/latest"))
            .await
        {
            Err(ApiError::NotFound(_)) => Ok(None),
            other => other.map(Some),
        }
    }

    /// `GET /v1/api_keys/current`: the key's role (a Clearance extension; other backends answer 404).
    pub async fn current_key(&self) -> Result<ApiKeyInfo, ApiError> {
        self.send(self.request("GET", "/v1/api_keys/current")).await
    }

    /// `GET /v1/customers?{query}`, the query already encoded.
    pub async fn customers(&self, query: &str) -> Result<CustomerPage, ApiError> {
        let path = if query.is_empty() {
            "/v1/customers".to_owned()
        } else {
            format!("/v1/customers?{query}")
        };
        let response = self.call(self.request("GET", &path)).await?;
        let envelope: Envelope<Vec<CustomerSummary>, PageMeta> = decode(response).await?;
        Ok(CustomerPage {
            customers: envelope.data,
            meta: envelope.meta,
        })
    }

    /// `GET /v1/customers/{id}`.
    pub async fn customer(&self, id: &str) -> Result<Customer, ApiError> {
        self.send(self.request("GET", &format!("/v1/customers/{id}")))
            .await
    }

    /// `POST /v1/customers`.
    pub async fn create_customer(&self, body: &CustomerRequest) -> Result<Customer, ApiError> {
        self.send_json(self.request("POST", "/v1/customers"), body)
            .await
    }

    /// `GET /v1/customers/{id}/unmasked`: audited by the server.
    pub async fn unmasked(&self, id: &str) -> Result<Customer, ApiError> {
        self.send(self.request("GET", &format!("/v1/customers/{id}/unmasked")))
            .await
    }

    /// `GET /v1/customers/{id}/events`.
    pub async fn events(&self, id: &str) -> Result<Vec<AuditEvent>, ApiError> {
        self.send(self.request("GET", &format!("/v1/customers/{id}/events")))
            .await
    }

    /// `GET /v1/customers/{id}/review`.
    pub async fn review(&self, id: &str) -> Result<CustomerReview, ApiError> {
        self.send(self.request("GET", &format!("/v1/customers/{id}/review")))
            .await
    }

    /// `PATCH /v1/customers/{id}/review`.
    pub async fn decide(&self, id: &str, body: &ReviewRequest) -> Result<Customer, ApiError> {
        self.send_json(
            self.request("PATCH", &format!("/v1/customers/{id}/review")),
            body,
        )
        .await
    }

    /// `PATCH /v1/customers/{id}/review/matches/{match_id}`: one match dismissed or confirmed.
    pub async fn decide_match(
        &self,
        id: &str,
        match_id: &str,
        body: &MatchDecisionRequest,
    ) -> Result<CustomerReview, ApiError> {
        self.send_json(
            self.request(
                "PATCH",
                &format!("/v1/customers/{id}/review/matches/{match_id}"),
            ),
            body,
        )
        .await
    }

    /// `POST /v1/customers/{id}/review/assign`: `me`, a key id, or `None` to unassign.
    pub async fn assign(&self, id: &str, assignee: Option<String>) -> Result<Customer, ApiError> {
        self.send_json(
            self.request("POST", &format!("/v1/customers/{id}/review/assign")),
            &AssignRequest { assignee },
        )
        .await
    }

    /// `GET /v1/audit/export?{query}`: the export as the browser holds it, never copied into the
    /// console's memory, for the analyst to save (admin keys only).
    pub async fn audit_export(&self, query: &str) -> Result<web_sys::Blob, ApiError> {
        let response = self
            .call(self.request("GET", &format!("/v1/audit/export?{query}")))
            .await?;
        let unreadable = |_| ApiError::Decode("the export could not be read".to_owned());
        let blob = web_sys::Response::from(response)
            .blob()
            .map_err(unreadable)?;
        wasm_bindgen_futures::JsFuture::from(blob)
            .await
            .map_err(unreadable)?
            .dyn_into()
            .map_err(unreadable)
    }

    /// `PUT /v1/customers/{id}/refresh_review`.
    pub async fn refresh_review(&self, id: &str) -> Result<Customer, ApiError> {
        self.send(self.request("PUT", &format!("/v1/customers/{id}/refresh_review")))
            .await
    }

    /// `GET /v1/watchlists/index`, revalidating `etag` when given. `None` means the held copy is current.
    pub async fn watchlist_index(
        &self,
        etag: Option<&str>,
    ) -> Result<Option<IndexDownload>, ApiError> {
        let mut request = self.request("GET", "/v1/watchlists/index");
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if response.status() == 304 {
            return Ok(None);
        }
        let response = check(response).await?;
        let etag = response.headers().get("etag");
        let bytes = response
            .binary()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        Ok(Some(IndexDownload { bytes, etag }))
    }

    fn request(&self, method: &str, path: &str) -> RequestBuilder {
        let url = format!("{}{path}", self.base_url);
        let builder = match method {
            "POST" => Request::post(&url),
            "PUT" => Request::put(&url),
            "PATCH" => Request::patch(&url),
            "DELETE" => Request::delete(&url),
            _ => Request::get(&url),
        };
        match &self.key {
            Some(key) => builder.header("Authorization", &format!("Bearer {key}")),
            None => builder,
        }
    }

    async fn call(&self, request: RequestBuilder) -> Result<Response, ApiError> {
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        check(response).await
    }

    async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T, ApiError> {
        let response = self.call(request).await?;
        let envelope: Envelope<T> = decode(response).await?;
        Ok(envelope.data)
    }

    async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = request
            .json(body)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let envelope: Envelope<T> = decode(check(response).await?).await?;
        Ok(envelope.data)
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// Turns a failed response into the error the analyst reads, from Straddle's error envelope when present.
async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.parse().ok());
    let envelope: Option<ErrorEnvelope> = response.json().await.ok();
    let detail = envelope
        .as_ref()
        .map(|e| e.error.detail.clone())
        .unwrap_or_default();
    Err(match status {
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden(detail),
        404 => ApiError::NotFound(detail),
        409 | 422 => match envelope {
            Some(e) if !e.error.items.is_empty() => ApiError::Invalid(e.error.items),
            _ if status == 409 => ApiError::Conflict(detail),
            _ => ApiError::Refused(detail),
        },
        429 => ApiError::RateLimited(retry_after.unwrap_or(1)),
        _ => ApiError::Status {
            status,
            message: if detail.is_empty() {
                "no details".to_owned()
            } else {
                detail
            },
        },
    })
}
