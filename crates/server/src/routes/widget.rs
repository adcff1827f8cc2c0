//! The onboarding widget's pages: the frame that holds the form (`/widget/frame`), embeddable only by the
//! origins of the publishable key it is opened with; the loader and frame scripts; the wasm-pack build
//! (`/widget/pkg/`); and a demo host page (`/widget-demo`). The scripts and the build are public, and any
//! origin may load them.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::origin::Origin;
use crate::domain::roles::Role;
use crate::service::keys;
use crate::state::AppState;

const FRAME: &str = include_str!("../../../widget/www/frame.html");
const FRAME_JS: &str = include_str!("../../../widget/www/frame.js");
const FRAME_CSS: &str = include_str!("../../../widget/www/frame.css");
const WORKER_JS: &str = include_str!("../../../widget/www/worker.js");
const LOADER: &str = include_str!("../../../widget/www/clearance-widget.js");
const DEMO: &str = include_str!("../../../widget/www/demo.html");
const DEMO_JS: &str = include_str!("../../../widget/www/demo.js");

/// The frame page's policy, but for the sites that may embed it: its own scripts and wasm, calls to its
/// own server, nothing inline.
const FRAME_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; connect-src 'self'; worker-src 'self'; img-src 'self'; base-uri 'none'; \
    form-action 'none'";

/// The widget's public files: scripts that run in a worker keep to the server they came from.
const STATIC_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    connect-src 'self'; frame-ancestors 'none'";

#[derive(Deserialize)]
pub struct FrameQuery {
    key: Option<String>,
    /// The host page's origin, where the frame posts its messages.
    origin: Option<String>,
}

/// GET /widget/frame?key=pk_…&origin=…: the form's page. Only the host origin it names may frame it, and
/// only when that origin is one of the key's; otherwise nobody may.
pub async fn frame(
    State(state): State<Arc<AppState>>,
    Query(query): Query<FrameQuery>,
) -> Response {
    let origins = match query.key.filter(|key| key.starts_with("pk_")) {
        Some(secret) => keys::find(&state, secret)
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "reading a publishable key for the widget frame");
                None
            })
            .filter(|key| key.role == Role::Publishable)
            .map(|key| key.origins)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let host = query.origin.and_then(|o| Origin::parse(&o).ok());
    let ancestors = match host.filter(|host| origins.contains(host)) {
        Some(host) => host.to_string(),
        None => "'none'".to_owned(),
    };
    let policy = format!("{FRAME_POLICY}; frame-ancestors {ancestors}");
    page(FRAME, "text/html; charset=utf-8", &policy)
}

/// GET /widget-demo: a host page for trying the widget, with deliberately hostile styles. It runs only
/// this server's scripts (it shares an origin with the console); only its frame may come from elsewhere.
pub async fn demo() -> Response {
    page(
        DEMO,
        "text/html; charset=utf-8",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         connect-src 'self'; frame-src http: https:; base-uri 'none'; frame-ancestors 'none'",
    )
}

/// GET /widget/{file}: the loader, the frame's script and style, and the worker.
pub async fn file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "clearance-widget.js" => (LOADER, "text/javascript"),
        "frame.js" => (FRAME_JS, "text/javascript"),
        "worker.js" => (WORKER_JS, "text/javascript"),
        "frame.css" => (FRAME_CSS, "text/css"),
        "demo.js" => (DEMO_JS, "text/javascript"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    public(page(body, kind, STATIC_POLICY))
}

/// The wasm-pack build, from the directory `clearance serve --widget` names.
pub fn build(dir: PathBuf) -> axum::Router {
    axum::Router::new()
        .fallback_service(tower_http::services::ServeDir::new(dir))
        .layer(axum::middleware::map_response(|response: Response| async {
            public(response)
        }))
}

fn page(body: &'static str, kind: &'static str, policy: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(policy) = HeaderValue::from_str(policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// Any page may load the widget's files: a module script from another origin is fetched with CORS.
fn public(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
