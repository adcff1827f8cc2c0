//! CORS, for the onboarding widget alone: a page on a live publishable key's origin may create customers
//! (POST) and fetch the lists (GET), and nothing else; every other origin and call gets no CORS answer,
//! so browsers keep other pages' scripts from reading any response.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::origin::Origin;
use crate::service::keys;
use crate::state::AppState;

/// What a widget page calls: creating a customer, and reading the lists.
const WIDGET_CALLS: &[(&str, Method)] = &[
    ("/v1/customers", Method::POST),
    ("/v1/watchlists", Method::GET),
    ("/v1/watchlists/index", Method::GET),
    ("/v1/watchlists/index/names", Method::GET),
];
const ALLOWED_HEADERS: &str =
    "authorization, content-type, idempotency-key, request-id, correlation-id";
const EXPOSED_HEADERS: &str = "request-id, correlation-id, idempotent-replayed, retry-after, etag";

pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some((_, allowed_method)) = WIDGET_CALLS.iter().find(|(p, _)| *p == req.uri().path())
    else {
        return next.run(req).await;
    };
    let requested = req.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD);
    let preflight = req.method() == Method::OPTIONS && requested.is_some();
    let call = match requested.filter(|_| preflight) {
        Some(requested) => requested.as_bytes() == allowed_method.as_str().as_bytes(),
        None => req.method() == allowed_method,
    };
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Origin::parse(v).ok())
        .filter(|_| call);
    // The answer differs by Origin on these paths, so every answer says so, for caches.
    let Some(origin) = origin else {
        let mut response = next.run(req).await;
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("origin"));
        return response;
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
    let mut response = match (&value, preflight) {
        (Some(_), true) => {
            let mut answer = StatusCode::NO_CONTENT.into_response();
            let headers = answer.headers_mut();
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(allowed_method.as_str()),
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
