//! The OpenAPI document, served at /v1/openapi.json. utoipa derives the paths and response shapes from
//! the handlers' annotations and the wire types; `contract` then states what every operation can answer
//! and which headers it takes, and `bodies` replaces the request schemas with the server's exact rules.
//! Built per request, because the date-of-birth rule moves with the calendar.

mod bodies;
mod contract;
mod patterns;

use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::domain::validate::Mode;
use crate::routes::{audit, compliance, customers, easyofac, keys, review, watchlists, webhooks};

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
        review::get, review::patch, review::refresh, review::reopen, review::decide_match,
        review::assign,
        easyofac::get, easyofac::update, easyofac::update_form, easyofac::update_query,
        compliance::get,
        keys::current,
        watchlists::health, watchlists::watchlists, watchlists::index, watchlists::names_index,
        watchlists::versions, watchlists::entry, watchlists::refresh, watchlists::job,
        webhooks::create, webhooks::deliveries, audit::export,
    ),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

/// The document for a server in `mode` on `today` (`YYYY-MM-DD`).
pub fn document(mode: Mode, today: &str) -> Value {
    let mut document =
        serde_json::to_value(ApiDoc::openapi()).expect("an OpenAPI document is JSON");
    contract::apply(&mut document);
    bodies::apply(&mut document, mode, parse_day(today));
    document
}

fn parse_day(today: &str) -> (u16, u8, u8) {
    let date =
        chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").expect("the clock gives YYYY-MM-DD");
    let year = u16::try_from(chrono::Datelike::year(&date)).expect("a year after 0");
    let month = u8::try_from(chrono::Datelike::month(&date)).expect("a month fits u8");
    let day = u8::try_from(chrono::Datelike::day(&date)).expect("a day fits u8");
    (year, month, day)
}
