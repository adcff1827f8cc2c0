//! The OpenAPI document, generated from the handlers' annotations and the wire types, served at
//! /v1/openapi.json.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};

use crate::routes::{compliance, customers, easyofac, keys, review, watchlists};

/// The headers Straddle's write endpoints take. Only documents them: the extractors in `mutation` and
/// `request` read them, so no field is read here.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct WriteHeaders {
    /// A retry with the same key and body returns the first response and changes nothing.
    #[param(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
    /// Echoed back.
    #[param(rename = "Request-Id")]
    request_id: Option<String>,
    /// Echoed back.
    #[param(rename = "Correlation-Id")]
    correlation_id: Option<String>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key from `clearance keys create`"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Clearance API", description = "Straddle-compatible customers and review API with sanctions screening"),
    paths(
        customers::create, customers::get, customers::update, customers::delete, customers::list,
        customers::unmasked, customers::events,
        review::get, review::patch, review::refresh, review::reopen,
        easyofac::get, easyofac::update, easyofac::update_form,
        compliance::get,
        keys::current,
        watchlists::health, watchlists::watchlists, watchlists::index,
    ),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
