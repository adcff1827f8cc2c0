//! CORS, for the onboarding widget alone: a page on a live publishable key's origin may create customers
//! and fetch the lists; every other origin gets no CORS answer, so browsers keep other pages' scripts
//! from reading any response.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::origin::Origin;
use crate::service::keys;
use crate::state::AppState;

/// The paths a widget page calls.
const WIDGET_PATHS: &[&str] = &["/v1/customers", "/v1/watchlists", "/v1/watchlists/index"];
const ALLOWED_HEADERS: &str =
    "authorization, content-type, idempotency-key, request-id, correlation-id";
const EXPOSED_HEADERS: &str = "request-id, correlation-id, idempotent-replayed, retry-after, etag";

pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Origin::parse(v).ok());
    let Some(origin) = origin.filter(|_| WIDGET_PATHS.contains(&req.uri().path())) else {
        return next.run(req).await;
    };
    let allowed = match keys::is_publishable_origin(&state, origin.clone()).await {
        Ok(allowed) => allowed,
        Err(error) => {
            tracing::error!(%error, "looking up publishable origins");
            false
        }
    };
    let value = HeaderValue::from_str(origin.as_str())
        .ok()
        .filter(|_| allowed);
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = match (&value, preflight) {
        (Some(_), true) => {
            let mut answer = StatusCode::NO_CONTENT.into_response();
            let headers = answer.headers_mut();
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(ALLOWED_HEADERS),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
            answer
        }
        _ => next.run(req).await,
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    if let Some(value) = value {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSED_HEADERS),
        );
    }
    response
}
