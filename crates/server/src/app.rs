//! The HTTP surface: the API under /v1 and the built console everywhere else, on one port.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::routing::{any, get, patch, post, put};
use axum::{Json, Router, middleware};
use tower_http::services::{ServeDir, ServeFile};

use crate::http::error::ApiError;
use crate::http::{cors, headers, openapi, request};
use crate::routes::{
    audit, compliance, customers, easyofac, keys, review, watchlists, webhooks, widget,
};
use crate::state::AppState;

/// Builds the router. When `console` is a built console directory, unknown paths fall back to its
/// index.html so the console's client-side routes survive a reload.
pub fn router(state: Arc<AppState>, console: Option<&Path>, widget: &Path) -> Router {
    let api = Router::new()
        .route("/v1/health", get(watchlists::health))
        .route("/v1/watchlists", get(watchlists::watchlists))
        .route("/v1/watchlists/index", get(watchlists::index))
        .route("/v1/watchlists/index/names", get(watchlists::names_index))
        .route("/v1/watchlists/versions", get(watchlists::versions))
        .route(
            "/v1/watchlists/versions/{version}/entries/{entry}",
            get(watchlists::entry),
        )
        .route("/v1/watchlists/refresh", post(watchlists::refresh))
        .route("/v1/watchlists/jobs/{id}", get(watchlists::job))
        .route(
            "/v1/openapi.json",
            get(|State(state): State<Arc<AppState>>| async move {
                Json(openapi::document(state.mode, &crate::clock::today()))
            }),
        )
        .route(
            "/v1/customers",
            post(customers::create).get(customers::list),
        )
        .route(
            "/v1/customers/{id}",
            get(customers::get)
                .put(customers::update)
                .delete(customers::delete),
        )
        .route("/v1/customers/{id}/unmasked", get(customers::unmasked))
        .route("/v1/customers/{id}/events", get(customers::events))
        .route(
            "/v1/customers/{id}/review",
            get(review::get).patch(review::patch),
        )
        .route("/v1/customers/{id}/refresh_review", put(review::refresh))
        .route("/v1/customers/{id}/reopen", post(review::reopen))
        .route(
            "/v1/customers/{id}/review/matches/{match_id}",
            patch(review::decide_match),
        )
        .route("/v1/customers/{id}/review/assign", post(review::assign))
        .route("/v1/audit/export", get(audit::export))
        .route("/v1/webhooks", post(webhooks::create))
        .route("/v1/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/v1/compliance/status/{customerId}", get(compliance::get))
        .route("/v1/api_keys/current", get(keys::current))
        .route("/v1/easyofac/customers/{id}", get(easyofac::get))
        .route("/v1/easyofac/updateCustomerStatus", post(easyofac::update))
        .route("/v1/{*rest}", any(unknown_endpoint))
        .route(
            "/api/updateCustomerStatus",
            get(easyofac::update_query).post(easyofac::update_form),
        )
        .route_layer(middleware::from_fn(request::layer))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            cors::layer,
        ))
        .route("/widget/frame", get(widget::frame))
        .route("/widget/{file}", get(widget::file))
        .route("/widget-demo", get(widget::demo))
        .nest_service("/widget/pkg", widget::build(widget.to_path_buf()))
        .with_state(state);
    let (app, page) = match console {
        Some(dir) => (
            api.fallback_service(
                ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html"))),
            ),
            std::fs::read_to_string(dir.join("index.html")).unwrap_or_default(),
        ),
        None => (api, String::new()),
    };
    let policy = headers::console_policy(&page);
    app.layer(middleware::from_fn(move |req, next| {
        headers::layer(policy.clone(), req, next)
    }))
}

/// Any other path under /v1 is an API path that does not exist: a JSON 404, never the console's page.
async fn unknown_endpoint() -> ApiError {
    ApiError::NotFound("no such endpoint; see /v1/openapi.json".into())
}
