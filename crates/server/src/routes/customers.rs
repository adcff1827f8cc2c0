//! /v1/customers: create, read, update, delete, list, unmask, and the audit events of one customer.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clearance_api::{
    AuditEvent, Customer, CustomerRequest, CustomerStatus, CustomerSummary, CustomerType, Envelope,
    EventAction, PageMeta, ProcessingMethod, ResponseType, SortBy, SortOrder,
};

use crate::app::AppState;
use crate::auth::{Caller, Permission};
use crate::customer::Record;
use crate::db::audit::{self, Entry};
use crate::db::customers::{self, Filter, Order, Page};
use crate::error::ApiError;
use crate::mutation::{self, IdempotencyKey, Ran, Reply};
use crate::request::{self, JsonBody};
use crate::response;
use crate::validate;
use crate::workflow;

pub const MAX_PAGE_SIZE: u32 = 1000;
const DEFAULT_PAGE_SIZE: u32 = 100;

/// The request fields a create or update set, for the audit row (names, never values).
fn given_fields(req: &CustomerRequest) -> Vec<String> {
    let mut fields = Vec::new();
    let mut add = |present: bool, name: &str| {
        if present {
            fields.push(name.to_owned());
        }
    };
    add(req.name.is_some(), "name");
    add(req.email.is_some(), "email");
    add(req.phone.is_some(), "phone");
    add(req.device.is_some(), "device");
    add(req.address.is_some(), "address");
    if let Some(profile) = &req.compliance_profile {
        add(profile.dob.is_some(), "compliance_profile.dob");
        add(profile.ssn.is_some(), "compliance_profile.ssn");
        add(profile.ein.is_some(), "compliance_profile.ein");
        add(
            profile.legal_business_name.is_some(),
            "compliance_profile.legal_business_name",
        );
        add(
            profile.representatives.is_some(),
            "compliance_profile.representatives",
        );
        add(profile.website.is_some(), "compliance_profile.website");
    }
    add(req.config.is_some(), "config");
    add(req.external_id.is_some(), "external_id");
    add(req.metadata.is_some(), "metadata");
    add(req.status.is_some(), "status");
    fields
}

/// POST /v1/customers
#[utoipa::path(post, path = "/v1/customers", tag = "customers",
    request_body = CustomerRequest,
    params(crate::openapi::WriteHeaders),
    responses(
        (status = 201, description = "Created and, unless deferred, screened", body = Envelope<Customer>),
        (status = 422, description = "Invalid fields, or an Idempotency-Key reused", body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    key: IdempotencyKey,
    body: JsonBody<CustomerRequest>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Write)?;
    let valid = validate::create(&body.value, state.mode).map_err(ApiError::Validation)?;
    let fields = given_fields(&body.value);
    let actor = caller.actor();
    let meta = request::meta();
    let method = workflow::processing_method(valid.profile.config.as_ref());
    let now = meta.api_request_timestamp.clone();
    let mut record = Record {
        id: uuid::Uuid::new_v4().to_string(),
        customer_type: valid.customer_type,
        status: CustomerStatus::Pending,
        name: valid.name,
        email: valid.email,
        phone: valid.phone,
        external_id: valid.external_id,
        created_at: now.clone(),
        updated_at: now,
        version: 1,
        review_id: None,
        top_score: None,
        profile: valid.profile,
    };
    let id = record.id.clone();
    // Screen before taking the write lock, so screenings run on both cores while writes queue.
    let screening = if method == ProcessingMethod::Inline {
        let (state, record) = (Arc::clone(&state), record.clone());
        Some(
            tokio::task::spawn_blocking(move || {
                crate::screen::screen(&state.lists, &record, state.threshold)
            })
            .await?,
        )
    } else {
        None
    };
    if let Some(screening) = &screening {
        let config = record.profile.config.clone();
        workflow::attach(&mut record, screening, |s| {
            workflow::screened_status(s, config.as_ref())
        });
    }
    let (response, ran) = mutation::run(
        &state,
        &caller,
        key,
        mutation::Request {
            method: "POST",
            path: "/v1/customers".into(),
            body_hash: body.hash,
        },
        move |_, tx| {
            customers::insert(tx, &record)?;
            if let Some(screening) = &screening {
                crate::db::screenings::insert(tx, &record.id, screening)?;
            }
            audit::append(
                tx,
                &actor,
                &Entry {
                    status_after: Some(record.status),
                    fields,
                    review_id: screening.as_ref().map(|s| s.review_id.as_str()),
                    entities: screening.as_ref().map(|s| s.entities()).unwrap_or_default(),
                    ..Entry::new(&record.id, EventAction::Created)
                },
            )?;
            Reply::json(
                StatusCode::CREATED,
                &record.id,
                &response::envelope(record.masked(), meta),
            )
        },
    )
    .await?;
    if method == ProcessingMethod::Background && ran == Ran::Now {
        let state = Arc::clone(&state);
        tokio::task::spawn_blocking(move || {
            if let Err(error) = workflow::screen_in_background(&state, &id, 1) {
                tracing::error!(%error, customer = id, "background screening failed");
            }
        });
    }
    Ok(response)
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
    let record = load(&state, id).await?;
    Ok(response::object(record.masked()))
}

/// Reads one customer, or 404.
pub async fn load(state: &Arc<AppState>, id: String) -> Result<Record, ApiError> {
    let db = state.db.clone();
    tokio::task::spawn_blocking(move || {
        db.read(|conn| customers::get(conn, &id)?.ok_or_else(|| ApiError::not_found(&id)))
    })
    .await?
}

/// PUT /v1/customers/{id}
#[utoipa::path(put, path = "/v1/customers/{id}", tag = "customers",
    request_body = CustomerRequest,
    params(("id" = String, Path, description = "Customer id"), crate::openapi::WriteHeaders),
    responses(
        (status = 200, description = "Updated; re-screened when a name or identity field changed", body = Envelope<Customer>),
        (status = 404, body = clearance_api::ErrorEnvelope),
        (status = 422, body = clearance_api::ErrorEnvelope),
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
    let fields = given_fields(&body.value);
    let req = body.value;
    let request = mutation::Request {
        method: "PUT",
        path: format!("/v1/customers/{id}"),
        body_hash: body.hash,
    };
    mutation::change_customer(&state, &caller, key, request, move |state, tx, actor| {
        let mut record = customers::get(tx, &id)?.ok_or_else(|| ApiError::not_found(&id))?;
        let before = record.status;
        let valid = validate::update(&req, record.customer_type, before, state.mode)
            .map_err(ApiError::Validation)?;
        let old_names = record.screened_names();
        let old_dob = record
            .profile
            .compliance_profile
            .as_ref()
            .and_then(|p| p.dob().map(str::to_owned));
        record.name = valid.name;
        record.email = valid.email;
        record.phone = valid.phone;
        record.external_id = valid.external_id;
        record.profile = valid.profile;
        record.updated_at = crate::clock::now();
        let identity_changed = record.screened_names() != old_names
            || record
                .profile
                .compliance_profile
                .as_ref()
                .and_then(|p| p.dob().map(str::to_owned))
                != old_dob;
        let reactivated =
            before == CustomerStatus::Inactive && valid.status == Some(CustomerStatus::Pending);
        let skip =
            workflow::processing_method(record.profile.config.as_ref()) == ProcessingMethod::Skip;
        let screening = if (identity_changed || reactivated) && !skip {
            let config = record.profile.config.clone();
            let start = if reactivated {
                CustomerStatus::Pending
            } else {
                before
            };
            Some(workflow::apply_screening(state, tx, &mut record, |s| {
                workflow::rescreened_status(start, s, config.as_ref())
            })?)
        } else {
            if reactivated {
                record.status = CustomerStatus::Pending;
            }
            None
        };
        if valid.status == Some(CustomerStatus::Inactive) {
            record.status = CustomerStatus::Inactive;
        }
        customers::update(tx, &record)?;
        record.version += 1;
        audit::append(
            tx,
            actor,
            &Entry {
                status_before: Some(before),
                status_after: Some(record.status),
                fields,
                review_id: screening.as_ref().map(|s| s.review_id.as_str()),
                entities: screening.as_ref().map(|s| s.entities()).unwrap_or_default(),
                ..Entry::new(&record.id, EventAction::Updated)
            },
        )?;
        Ok(record)
    })
    .await
}

/// DELETE /v1/customers/{id}: erases the customer, its screenings (which hold its name) and the stored
/// responses about it; the audit rows stay, and say it was deleted. A repeated delete answers 404, so no
/// Idempotency-Key record is kept (it would be one more copy of the erased name).
#[utoipa::path(delete, path = "/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = "Customer id"), crate::openapi::WriteHeaders),
    responses((status = 200, description = "The customer as it was, masked", body = Envelope<Customer>),
        (status = 403, body = clearance_api::ErrorEnvelope), (status = 404, body = clearance_api::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Permission::Delete)?;
    let request = mutation::Request {
        method: "DELETE",
        path: format!("/v1/customers/{id}"),
        body_hash: [0; 32],
    };
    let response = mutation::change_customer(
        &state,
        &caller,
        IdempotencyKey(None),
        request,
        move |_, tx, actor| {
            let record = customers::get(tx, &id)?.ok_or_else(|| ApiError::not_found(&id))?;
            customers::delete(tx, &id)?;
            crate::db::idempotency::forget_customer(tx, &id)?;
            audit::append(
                tx,
                actor,
                &Entry {
                    status_before: Some(record.status),
                    ..Entry::new(&id, EventAction::Deleted)
                },
            )?;
            Ok(record)
        },
    )
    .await?;
    let db = state.db.clone();
    let complete = tokio::task::spawn_blocking(move || db.checkpoint()).await??;
    if !complete {
        tracing::warn!("checkpoint after an erasure was partial; the next one completes it");
    }
    Ok(response)
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
    let actor = caller.actor();
    let db = state.db.clone();
    let record = tokio::task::spawn_blocking(move || {
        db.write(|tx| {
            let record = customers::get(tx, &id)?.ok_or_else(|| ApiError::not_found(&id))?;
            let fields = match record
                .profile
                .compliance_profile
                .as_ref()
                .map(|p| p.expose())
            {
                Some(clearance_api::ComplianceProfile::Individual { .. }) => {
                    vec![
                        "compliance_profile.dob".into(),
                        "compliance_profile.ssn".into(),
                    ]
                }
                Some(clearance_api::ComplianceProfile::Business { .. }) => {
                    vec!["compliance_profile.ein".into()]
                }
                None => Vec::new(),
            };
            audit::append(
                tx,
                &actor,
                &Entry {
                    status_before: Some(record.status),
                    status_after: Some(record.status),
                    fields,
                    ..Entry::new(&id, EventAction::Unmasked)
                },
            )?;
            Ok::<_, ApiError>(record)
        })
    })
    .await??;
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
    let db = state.db.clone();
    let events = tokio::task::spawn_blocking(move || {
        db.read(|conn| {
            let events = audit::for_customer(conn, &id)?;
            if events.is_empty() {
                return Err(ApiError::not_found(&id));
            }
            Ok(events)
        })
    })
    .await??;
    Ok(response::array(events))
}

/// A created_from/created_to bound as stored text.
fn time_bound(reference: &str, text: &str, end: bool) -> Result<String, ApiError> {
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

fn parse_list_query(query: Option<&str>) -> Result<(Filter, Page, SortBy), ApiError> {
    let mut filter = Filter::default();
    let mut page = Page {
        sort_by: Order::Field(SortBy::CreatedAt),
        sort_order: SortOrder::Desc,
        number: 1,
        size: DEFAULT_PAGE_SIZE,
    };
    let mut reported = SortBy::CreatedAt;
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
                "name" => {
                    page.sort_by = Order::Field(SortBy::Name);
                    reported = SortBy::Name;
                }
                "created_at" => page.sort_by = Order::Field(SortBy::CreatedAt),
                "score" => page.sort_by = Order::TopScore,
                _ => problem("sort_by", "must be name, created_at or score"),
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
        Ok((filter, page, reported))
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
        ("sort_by" = Option<String>, Query, description = "name, created_at (default), or score: strongest match first, the review queue"),
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
    let (filter, page, sort_by) = parse_list_query(query.as_deref())?;
    let db = state.db.clone();
    let (rows, total) =
        tokio::task::spawn_blocking(move || db.read(|conn| customers::list(conn, &filter, page)))
            .await??;
    let meta = request::meta();
    Ok(axum::Json(Envelope {
        data: rows.iter().map(Record::summary).collect(),
        meta: PageMeta {
            api_request_id: meta.api_request_id,
            api_request_timestamp: meta.api_request_timestamp,
            max_page_size: MAX_PAGE_SIZE,
            page_number: page.number,
            page_size: page.size,
            sort_by,
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
        let (filter, page, _) = parse_list_query(Some(
            "status=review&status[]=verified&types=individual,business&page_size=5",
        ))
        .unwrap();
        assert_eq!(
            filter.statuses,
            [CustomerStatus::Review, CustomerStatus::Verified]
        );
        assert_eq!(filter.types.len(), 2);
        assert_eq!(page.size, 5);
    }

    #[test]
    fn bad_parameters_name_their_field() {
        let Err(ApiError::Validation(items)) =
            parse_list_query(Some("page_size=1001&sort_by=email&created_to=yesterday"))
        else {
            panic!("expected a validation error");
        };
        let references: Vec<_> = items.iter().map(|i| i.reference.as_str()).collect();
        assert_eq!(references, ["page_size", "sort_by", "created_to"]);
    }

    #[test]
    fn a_date_bound_covers_the_whole_day() {
        let (filter, _, _) =
            parse_list_query(Some("created_from=2026-11-20&created_to=2026-11-20")).unwrap();
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
