//! The HTTP surface: the API under /v1 and the built console everywhere else, on one port.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use clearance_api::{Envelope, Health, ListSnapshot};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::response;

/// What every handler may read. Immutable after start-up; mutable state lives in SQLite.
pub struct AppState {
    pub lists: Vec<ListSnapshot>,
}

/// Builds the router. When `console` is a built console directory, unknown paths fall back to its
/// index.html so the console's client-side routes survive a reload.
pub fn router(state: AppState, console: Option<&Path>) -> Router {
    let api = Router::new()
        .route("/v1/health", get(health))
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
        lists: state.lists.clone(),
    })
}
