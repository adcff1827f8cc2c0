//! /v1/customers: create, read, update, delete, list, unmask, and the audit events of one customer.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use clearance_api::{
    AuditEvent, Customer, CustomerRequest, CustomerStatus, CustomerSummary, CustomerType,
    DeviceRequest, Envelope, PageMeta, ResponseType, SortBy, SortOrder,
};

use crate::domain::roles::{Permission, Role};
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::idempotency::{IdempotencyKey, respond};
use crate::http::listener::ClientAddr;
use crate::http::request::{self, JsonBody};
use crate::http::response;
use crate::service::assign::is_key_id;
use crate::service::customers;
use crate::state::AppState;
use crate::store::customers::Assignee;
use crate::store::{Filter, Page};

pub const MAX_PAGE_SIZE: u32 = 1000;
const DEFAULT_PAGE_SIZE: u32 = 100;
/// Longest text filter (`name`, `email`, `external_id`, `search_text`), as long as any stored value.
pub const MAX_FILTER: usize = 255;

/// POST /v1/customers
#[utoipa::path(post, path = "/v1/customers", tag = "customers",
    request_body = CustomerRequest,
    responses(
        (status = 201, description = "Created and, unless deferred, screened", body = Envelope<Customer>),
        (status = 403, description = "The key's role may not create customers", body = clearance_api::ErrorEnvelope),
        (status = 409, description = "Another customer has this email or external_id, or the Idempotency-Key was used with another request", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    peer: Option<axum::Extension<ClientAddr>>,
    mut body: JsonBody<CustomerRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Create)?;
    if caller.key.role == Role::Publishable {
        // The address the customer signs up from is the connection's: the widget's page cannot know it,
        // and a value in the body could be anything, since anyone may use a publishable key.
        if let Some(axum::Extension(ClientAddr(peer))) = peer {
            body.value.device = Some(DeviceRequest {
                ip_address: Some(peer.ip().to_canonical().to_string()),
            });
        }
        let value = &body.value;
        if value.config.is_some() || value.external_id.is_some() || value.metadata.is_some() {
            return Err(ApiError::Forbidden(
                "a publishable key may not set config, external_id or metadata: it sits in a public page, \
                 and they would let anyone skip screening or claim another customer's id"
                    .into(),
            ));
        }
    }
    let write = key.write(&caller, "POST", "/v1/customers".into(), body.hash);
    respond(customers::create(&state, write, body.value).await?)
}

/// GET /v1/customers/{id}
#[utoipa::path(get, path = "/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, body = Envelope<Customer>), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<Envelope<Customer>>, ApiError> {
    caller.require(Permission::Read)?;
    Ok(response::object(customers::get(&state, id).await?.masked()))
}

/// PUT /v1/customers/{id}
#[utoipa::path(put, path = "/v1/customers/{id}", tag = "customers",
    request_body = CustomerRequest,
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 200, description = "Updated; re-screened when a name or identity field changed", body = Envelope<Customer>),
        (status = 403, description = "The key's role may not change customers", body = clearance_api::ErrorEnvelope),
        (status = 409, description = "The body conflicts with the stored customer (each field in error.items), another customer has this email or external_id, or the Idempotency-Key was used with another request", body = clearance_api::ErrorEnvelope),
        (status = 422, description = "The body breaks a rule of its own (each field in error.items)", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<CustomerRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Write)?;
    let write = key.write(&caller, "PUT", format!("/v1/customers/{id}"), body.hash);
    respond(customers::update(&state, write, id, body.value, body.nulls).await?)
}

/// DELETE /v1/customers/{id}: erases the customer, its screenings (which hold its name) and the stored
/// responses about it; the audit rows stay, and say it was deleted. With an Idempotency-Key, the delete's
/// own answer is kept for the 24 hours the key is remembered, so a retry gets it rather than a 404.
#[utoipa::path(delete, path = "/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, description = "The customer as it was, masked", body = Envelope<Customer>),
        (status = 403, body = clearance_api::ErrorEnvelope), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Delete)?;
    let write = key.write(&caller, "DELETE", format!("/v1/customers/{id}"), [0; 32]);
    respond(customers::delete(&state, write, id).await?)
}

/// GET /v1/customers/{id}/unmasked: the one read that returns PII in the clear. Admin only, audited, and
/// marked `no-store` so no cache keeps it.
#[utoipa::path(get, path = "/v1/customers/{id}/unmasked", tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, body = Envelope<Customer>), (status = 403, body = clearance_api::ErrorEnvelope),
        (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn unmasked(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Unmask)?;
    let record = customers::unmask(&state, caller.actor(), id).await?;
    let mut response = response::object(record.unmasked()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// GET /v1/customers/{id}/events: the audit log of one customer, oldest first. Readable after the customer
/// is deleted.
#[utoipa::path(get, path = "/v1/customers/{id}/events", tag = "audit",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, body = Envelope<Vec<AuditEvent>>), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<Envelope<Vec<AuditEvent>>>, ApiError> {
    caller.require(Permission::Read)?;
    Ok(response::array(customers::events(&state, id).await?))
}

/// A created_from/created_to bound as stored text.
pub(crate) fn time_bound(reference: &str, text: &str, end: bool) -> Result<String, ApiError> {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let date = if end {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        return Ok(format!("{}T00:00:00.000Z", date.format("%Y-%m-%d")));
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .map_err(|_| ApiError::field(reference, "must be a date (YYYY-MM-DD) or an RFC 3339 time"))
}

/// The list's filters and page; `me` is the caller's key id, which `assignee=me` stands for.
fn parse_list_query(query: Option<&str>, me: &str) -> Result<(Filter, Page), ApiError> {
    let mut filter = Filter::default();
    let mut page = Page {
        sort_by: SortBy::CreatedAt,
        sort_order: SortOrder::Desc,
        number: 1,
        size: DEFAULT_PAGE_SIZE,
    };
    let mut problems = Vec::new();
    let mut problem = |reference: &str, detail: &str| {
        problems.push(clearance_api::ErrorItem {
            reference: reference.to_owned(),
            detail: detail.to_owned(),
        });
    };
    let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let key = key.trim_end_matches("[]");
        if matches!(
            key,
            "name" | "email" | "external_id" | "search_text" | "assignee"
        ) && value.chars().count() > MAX_FILTER
        {
            problem(key, "must be at most 255 characters");
            continue;
        }
        match key {
            "status" => {
                for part in value.split(',').filter(|p| !p.is_empty()) {
                    match CustomerStatus::parse(part) {
                        Some(status) => filter.statuses.push(status),
                        None => problem(
                            "status",
                            "must be pending, review, verified, inactive or rejected",
                        ),
                    }
                }
            }
            "types" | "type" => {
                for part in value.split(',').filter(|p| !p.is_empty()) {
                    match CustomerType::parse(part) {
                        Some(t) => filter.types.push(t),
                        None => problem("types", "must be individual or business"),
                    }
                }
            }
            "name" => filter.name = text(&value),
            "email" => filter.email = text(&value),
            "external_id" => filter.external_id = text(&value),
            "search_text" => filter.search_text = text(&value),
            "assignee" => match value.trim() {
                "me" => filter.assignee = Some(Assignee::Key(me.to_owned())),
                "none" => filter.assignee = Some(Assignee::Unassigned),
                key if is_key_id(key) => filter.assignee = Some(Assignee::Key(key.to_owned())),
                _ => problem("assignee", "must be me, none or a key id"),
            },
            "created_from" => match time_bound("created_from", &value, false) {
                Ok(bound) => filter.created_from = Some(bound),
                Err(_) => problem(
                    "created_from",
                    "must be a date (YYYY-MM-DD) or an RFC 3339 time",
                ),
            },
            "created_to" => match time_bound("created_to", &value, true) {
                Ok(bound) => filter.created_to = Some(bound),
                Err(_) => problem(
                    "created_to",
                    "must be a date (YYYY-MM-DD) or an RFC 3339 time",
                ),
            },
            "page_number" => match value.parse::<u32>() {
                Ok(n) if n >= 1 => page.number = n,
                _ => problem("page_number", "must be a whole number from 1"),
            },
            "page_size" => match value.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => page.size = n,
                _ => problem("page_size", "must be a whole number from 1 to 1000"),
            },
            "sort_by" => match value.as_ref() {
                "name" => page.sort_by = SortBy::Name,
                "created_at" => page.sort_by = SortBy::CreatedAt,
                "score" => page.sort_by = SortBy::Score,
                "review_age" => page.sort_by = SortBy::ReviewAge,
                _ => problem("sort_by", "must be name, created_at, score or review_age"),
            },
            "sort_order" => match value.as_ref() {
                "asc" => page.sort_order = SortOrder::Asc,
                "desc" => page.sort_order = SortOrder::Desc,
                _ => problem("sort_order", "must be asc or desc"),
            },
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok((filter, page))
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// GET /v1/customers
#[utoipa::path(get, path = "/v1/customers", tag = "customers",
    params(
        ("status" = Option<Vec<CustomerStatus>>, Query, description = "Repeat, add [] or separate by commas"),
        ("types" = Option<Vec<CustomerType>>, Query, description = "Repeat, add [] or separate by commas"),
        ("name" = Option<String>, Query, description = "Part of the name, case-insensitive"),
        ("email" = Option<String>, Query, description = "The whole email address, case-insensitive"),
        ("external_id" = Option<String>, Query),
        ("search_text" = Option<String>, Query, description = "Part of the name or email, or an exact external or customer id"),
        ("created_from" = Option<String>, Query, description = "A date (YYYY-MM-DD) or RFC 3339 time, inclusive"),
        ("created_to" = Option<String>, Query, description = "A date (the whole day included) or RFC 3339 time (exclusive)"),
        ("page_number" = Option<u32>, Query, description = "From 1"),
        ("page_size" = Option<u32>, Query, description = "1 to 1000; default 100"),
        ("assignee" = Option<String>, Query, description = "Clearance: me, a key id, or none for the unassigned"),
        ("sort_by" = Option<String>, Query, description = "name, created_at (default), score (strongest match first, the review queue), or review_age (desc: the longest wait in review first)"),
        ("sort_order" = Option<SortOrder>, Query, description = "asc or desc (default)"),
    ),
    responses((status = 200, body = Envelope<Vec<CustomerSummary>, PageMeta>),
        (status = 422, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<axum::Json<Envelope<Vec<CustomerSummary>, PageMeta>>, ApiError> {
    caller.require(Permission::Read)?;
    let (filter, page) = parse_list_query(query.as_deref(), &caller.key.id)?;
    let (rows, total) = customers::list(&state, filter, page).await?;
    let meta = request::meta();
    Ok(axum::Json(Envelope {
        data: rows,
        meta: PageMeta {
            api_request_id: meta.api_request_id,
            api_request_timestamp: meta.api_request_timestamp,
            max_page_size: MAX_PAGE_SIZE,
            page_number: page.number,
            page_size: page.size,
            sort_by: page.sort_by,
            sort_order: page.sort_order,
            total_items: total,
            total_pages: total.div_ceil(u64::from(page.size)),
        },
        response_type: ResponseType::Array,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_arrive_in_any_of_the_usual_shapes() {
        let (filter, page) = parse_list_query(
            Some(
                "status=review&status[]=verified&types=individual,business&page_size=5&assignee=me",
            ),
            "key_me",
        )
        .unwrap();
        assert_eq!(
            filter.statuses,
            [CustomerStatus::Review, CustomerStatus::Verified]
        );
        assert_eq!(filter.types.len(), 2);
        assert_eq!(page.size, 5);
        assert_eq!(filter.assignee, Some(Assignee::Key("key_me".into())));
    }

    #[test]
    fn bad_parameters_name_their_field() {
        let Err(ApiError::Validation(items)) = parse_list_query(
            Some("page_size=1001&sort_by=email&created_to=yesterday"),
            "k",
        ) else {
            panic!("expected a validation error");
        };
        let references: Vec<_> = items.iter().map(|i| i.reference.as_str()).collect();
        assert_eq!(references, ["page_size", "sort_by", "created_to"]);
    }

    #[test]
    fn a_date_bound_covers_the_whole_day() {
        let (filter, _) =
            parse_list_query(Some("created_from=2026-11-20&created_to=2026-11-20"), "k").unwrap();
        assert_eq!(
            filter.created_from.as_deref(),
            Some("2026-11-20T00:00:00.000Z")
        );
        assert_eq!(
            filter.created_to.as_deref(),
            Some("2026-11-21T00:00:00.000Z")
        );
    }
}
