//! The HTTP surface: the API under /v1 and the built console everywhere else, on one port.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use clearance_api::{Envelope, Health, Watchlists};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::response;

/// What every handler may read. Immutable after start-up; mutable state lives in SQLite.
pub struct AppState {
    pub watchlists: Watchlists,
    /// The compact index browsers download, encoded once at start-up.
    pub index_bytes: Vec<u8>,
    /// Names the list version and the index format, so a browser refetches exactly when either changes.
    pub index_etag: String,
}

/// Builds the router. When `console` is a built console directory, unknown paths fall back to its
/// index.html so the console's client-side routes survive a reload.
pub fn router(state: AppState, console: Option<&Path>) -> Router {
    let api = Router::new()
        .route("/v1/health", get(health))
        .route("/v1/watchlists", get(watchlists))
        .route("/v1/watchlists/index", get(index))
        .with_state(Arc::new(state));
    let app = match console {
        Some(dir) => api.fallback_service(
            ServeDir::new(dir).not_found_service(ServeFile::new(dir.join("index.html"))),
        ),
        None => api,
    };
    app.layer(TraceLayer::new_for_http())
}

async fn health(State(state): State<Arc<AppState>>) -> Json<Envelope<Health>> {
    response::object(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        lists: state.watchlists.directories.clone(),
    })
}

async fn watchlists(State(state): State<Arc<AppState>>) -> Json<Envelope<Watchlists>> {
    response::object(state.watchlists.clone())
}

/// The binary index, revalidated by ETag: a browser holding the current version gets 304 and no body.
async fn index(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&state.index_etag).expect("the ETag is hex and punctuation");
    let cache = HeaderValue::from_static("public, max-age=0, must-revalidate");
    let current = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == state.index_etag || tag.trim() == "*");
    if current {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        state.index_bytes.clone(),
    )
        .into_response()
}
