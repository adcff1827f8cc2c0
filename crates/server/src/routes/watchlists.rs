//! Health and the lists in force. Public: they hold no customer data, and the onboarding widget fetches
//! the index from a page that has no API key. Only where the server keeps its files is for admins.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clearance_api::{Envelope, Health, ListSnapshot, Watchlists};

use crate::domain::roles::Permission;
use crate::http::auth::Caller;
use crate::http::response;
use crate::state::AppState;

/// GET /v1/health: the version and the lists in force, for everyone; the lists' directories, which are
/// paths on the server, only for an admin's key.
#[utoipa::path(get, path = "/v1/health", tag = "lists",
    responses((status = 200, body = Envelope<Health>)),
    security((), ("bearer" = [])))]
pub async fn health(
    State(state): State<Arc<AppState>>,
    caller: Option<Caller>,
) -> Json<Envelope<Health>> {
    let watchlists = &state.lists.watchlists;
    response::object(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        list_version: watchlists.content_hash.clone(),
        lists: shown(&watchlists.directories, caller.as_ref()),
    })
}

/// GET /v1/watchlists: as health, the directories only for an admin's key.
#[utoipa::path(get, path = "/v1/watchlists", tag = "lists",
    responses((status = 200, description = "The loaded lists, their version and counts", body = Envelope<Watchlists>)),
    security((), ("bearer" = [])))]
pub async fn watchlists(
    State(state): State<Arc<AppState>>,
    caller: Option<Caller>,
) -> Json<Envelope<Watchlists>> {
    let mut watchlists = state.lists.watchlists.clone();
    watchlists.directories = shown(&watchlists.directories, caller.as_ref());
    response::object(watchlists)
}

/// The snapshots as `caller` may see them: without their directories unless it operates the server.
fn shown(snapshots: &[ListSnapshot], caller: Option<&Caller>) -> Vec<ListSnapshot> {
    let operator = caller.is_some_and(|c| c.may(Permission::Operate));
    snapshots
        .iter()
        .map(|s| ListSnapshot {
            directory: s.directory.clone().filter(|_| operator),
            ..s.clone()
        })
        .collect()
}

/// GET /v1/watchlists/index: the binary index, revalidated by ETag, so a browser holding the current
/// version gets 304 and no body.
#[utoipa::path(get, path = "/v1/watchlists/index", tag = "lists",
    params(("If-None-Match" = Option<String>, Header, description = "The ETag held")),
    responses(
        (status = 200, description = "The compact screening index", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 304, description = "The held version is current"),
    ))]
pub async fn index(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let lists = &state.lists;
    let etag = HeaderValue::from_str(&lists.index_etag).expect("the ETag is hex and punctuation");
    let cache = HeaderValue::from_static("public, max-age=0, must-revalidate");
    let current = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == lists.index_etag || tag.trim() == "*");
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
        lists.index_bytes.clone(),
    )
        .into_response()
}
