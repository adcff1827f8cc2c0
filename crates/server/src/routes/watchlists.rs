//! Health and the lists in force. Public: they hold no customer data, and the onboarding widget fetches
//! the index from a page that has no API key. Only where the server keeps its files is for admins, and
//! list versions and update jobs are for staff; a refresh is for admins.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clearance_api::{
    Envelope, ErrorItem, Health, ListEntry, ListJob, ListSnapshot, ListVersion, RefreshOutcome,
    Watchlists,
};

use crate::domain::roles::Permission;
use crate::downloads::IndexFile;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::response;
use crate::lists::ListsError;
use crate::service::list_update::RefreshError;
use crate::service::watchlists as service;
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
    let lists = state.lists.load();
    let watchlists = &lists.watchlists;
    response::object(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        list_version: watchlists.content_hash.clone(),
        lists: shown(&watchlists.directories, caller.as_ref()),
    })
}

/// GET /v1/watchlists: as health, the directories only for an admin's key; the latest list update's job
/// for staff keys, since its counts are about customers.
#[utoipa::path(get, path = "/v1/watchlists", tag = "lists",
    responses((status = 200, description = "The loaded lists, their version and counts", body = Envelope<Watchlists>)),
    security((), ("bearer" = [])))]
pub async fn watchlists(
    State(state): State<Arc<AppState>>,
    caller: Option<Caller>,
) -> Result<Json<Envelope<Watchlists>>, ApiError> {
    let staff = caller.as_ref().is_some_and(|c| c.may(Permission::Read));
    let mut watchlists = service::overview(&state, staff).await?;
    watchlists.directories = shown(&watchlists.directories, caller.as_ref());
    Ok(response::object(watchlists))
}

/// GET /v1/watchlists/versions: every list version the server has loaded, newest first.
#[utoipa::path(get, path = "/v1/watchlists/versions", tag = "lists",
    responses((status = 200, description = "The list versions, newest first", body = Envelope<Vec<ListVersion>>)),
    security(("bearer" = [])))]
pub async fn versions(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Envelope<Vec<ListVersion>>>, ApiError> {
    caller.require(Permission::Read)?;
    Ok(response::array(service::versions(&state).await?))
}

/// GET /v1/watchlists/versions/{version}/entries/{entry}: what a list version said of one entry.
#[utoipa::path(get, path = "/v1/watchlists/versions/{version}/entries/{entry}", tag = "lists",
    params(
        ("version" = String, Path, description = "A list version's content hash, as screenings name it"),
        ("entry" = String, Path, description = "The entry as a match names it: the list's name and its id, `OFAC SDN 12345`"),
    ),
    responses((status = 200, body = Envelope<ListEntry>)),
    security(("bearer" = [])))]
pub async fn entry(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((version, entry)): Path<(String, String)>,
) -> Result<Json<Envelope<ListEntry>>, ApiError> {
    caller.require(Permission::Read)?;
    Ok(response::object(
        service::entry(&state, version, entry).await?,
    ))
}

/// GET /v1/watchlists/jobs/{id}: a list update's re-screening and how far it has got.
#[utoipa::path(get, path = "/v1/watchlists/jobs/{id}", tag = "lists",
    params(("id" = String, Path, description = "The job id a refresh or `GET /v1/watchlists` gave, or `latest` for the newest job")),
    responses((status = 200, body = Envelope<ListJob>)),
    security(("bearer" = [])))]
pub async fn job(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Envelope<ListJob>>, ApiError> {
    caller.require(Permission::Read)?;
    Ok(response::object(service::job(&state, id).await?))
}

/// POST /v1/watchlists/refresh: re-reads the configured list sources. New lists come into force at once
/// and a job re-screens the customers the change can reach (202); the same lists change nothing (200). A
/// malformed file leaves the lists in force and names its file, line and field (422).
#[utoipa::path(post, path = "/v1/watchlists/refresh", tag = "lists",
    responses(
        (status = 200, description = "The sources hold the lists in force", body = Envelope<RefreshOutcome>),
        (status = 202, description = "New lists in force; `job` re-screens for them", body = Envelope<RefreshOutcome>),
        (status = 422, description = "A list file is malformed; the lists in force stay", body = clearance_api::ErrorEnvelope),
        (status = 500, description = "A configured list directory cannot be read; the lists in force stay", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require(Permission::Operate)?;
    let outcome = service::refresh(&state).await.map_err(|e| match e {
        RefreshError::Lists(ListsError::Parse(e)) => ApiError::Validation(vec![ErrorItem {
            reference: format!("{} line {}", e.file, e.line),
            detail: format!("field {}: {}", e.field, e.message),
        }]),
        RefreshError::Lists(other) => ApiError::Internal(Box::new(other)),
        RefreshError::Domain(e) => e.into(),
    })?;
    let status = if outcome.changed {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, response::object(outcome)).into_response())
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

/// GET /v1/watchlists/index: the full binary index the console screens and shows evidence with,
/// revalidated by ETag, so a browser holding the current version gets 304 and no body.
#[utoipa::path(get, path = "/v1/watchlists/index", tag = "lists",
    params(
        ("If-None-Match" = Option<String>, Header, description = "The ETag held"),
        ("Accept-Encoding" = Option<String>, Header, description = "`gzip` for the gzipped file"),
    ),
    responses(
        (status = 200, description = "The compact screening index", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 304, description = "The held version is current"),
    ))]
pub async fn index(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    download(&state.lists.load().full_index, &headers)
}

/// GET /v1/watchlists/index/names: the names-only index the onboarding widget pre-screens with; a
/// name-only query scores the same against it as against the full one.
#[utoipa::path(get, path = "/v1/watchlists/index/names", tag = "lists",
    params(
        ("If-None-Match" = Option<String>, Header, description = "The ETag held"),
        ("Accept-Encoding" = Option<String>, Header, description = "`gzip` for the gzipped file"),
    ),
    responses(
        (status = 200, description = "The names-only screening index", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 304, description = "The held version is current"),
    ))]
pub async fn names_index(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    download(&state.lists.load().names_index, &headers)
}

/// Answers with `file`: 304 when the browser holds it, gzipped when the browser takes gzip.
fn download(file: &IndexFile, headers: &HeaderMap) -> Response {
    let gzip = takes_gzip(headers);
    let tag = if gzip { &file.gzipped_etag } else { &file.etag };
    let etag = HeaderValue::from_str(tag).expect("the ETag is hex and punctuation");
    let cache = HeaderValue::from_static("public, max-age=0, must-revalidate");
    let vary = HeaderValue::from_static("accept-encoding");
    let current = listed(headers, header::IF_NONE_MATCH).any(|tag| file.is_current(tag));
    if current {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
                (header::VARY, vary),
            ],
        )
            .into_response();
    }
    let octets = HeaderValue::from_static("application/octet-stream");
    let headers = [
        (header::CONTENT_TYPE, octets),
        (header::ETAG, etag),
        (header::CACHE_CONTROL, cache),
        (header::VARY, vary),
    ];
    if gzip {
        let encoding = [(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))];
        (headers, encoding, file.gzipped.clone()).into_response()
    } else {
        (headers, file.bytes.clone()).into_response()
    }
}

/// The items of a comma-separated header, however many times it is sent, trimmed.
fn listed(headers: &HeaderMap, name: header::HeaderName) -> impl Iterator<Item = &str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
}

/// Whether `Accept-Encoding` takes gzip: named, or covered by `*`, and not refused by `q=0` (a refusal
/// by name stands over `*`).
fn takes_gzip(headers: &HeaderMap) -> bool {
    let mut named = None;
    let mut any = false;
    for coding in listed(headers, header::ACCEPT_ENCODING) {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.get(..2).is_some_and(|q| q.eq_ignore_ascii_case("q="))
                && p[2..].trim().parse::<f32>().is_ok_and(|q| q == 0.0)
        });
        if name.eq_ignore_ascii_case("gzip") {
            named = Some(!refused);
        } else if name == "*" {
            any = !refused;
        }
    }
    named.unwrap_or(any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        takes_gzip(&headers)
    }

    #[test]
    fn gzip_is_sent_only_where_accepted() {
        assert!(accepting("gzip, deflate, br"));
        assert!(accepting("br;q=1.0, GZIP;Q=0.5"));
        assert!(accepting("*"));
        assert!(!accepting("identity"));
        assert!(!accepting("gzip;q=0"));
        assert!(!accepting("gzip; Q=0.0, *"));
        assert!(!accepting("*;q=0"));
        assert!(!takes_gzip(&HeaderMap::new()));
    }
}
