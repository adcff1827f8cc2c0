//! An API caller holding one key, and what it gets back.

use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A caller with one API key.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub url: String,
    pub key: Option<String>,
}

/// A response: status, headers and JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// The references of a Straddle error's items.
    pub fn references(&self) -> Vec<String> {
        self.body["error"]["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i["reference"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The last element of an array answer's `data` (the newest audit event, say).
    pub fn last_item(&self) -> Value {
        self.body["data"]
            .as_array()
            .and_then(|items| items.last())
            .cloned()
            .unwrap_or(Value::Null)
    }

    pub fn error_type(&self) -> &str {
        self.body["error"]["type"].as_str().unwrap_or("")
    }
}

impl Client {
    pub fn new(url: &str, key: Option<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            url: url.to_owned(),
            key,
        }
    }

    /// Sends a request with the client's key, any `headers` and a JSON `body`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PUT, path, Some(body), &[]).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PATCH, path, Some(body), &[]).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None, &[]).await
    }

    /// Creates a customer and returns its data, asserting success.
    pub async fn create(&self, body: &Value) -> Value {
        let reply = self.post("/v1/customers", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.body["data"].clone()
    }
}
