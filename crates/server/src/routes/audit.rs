//! GET /v1/audit/export: the audit log for examiners, streamed as NDJSON or CSV.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use clearance_api::ErrorItem;

use crate::domain::roles::Permission;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::routes::customers::time_bound;
use crate::service::export::{self, Format};
use crate::state::AppState;

/// The window and format an export asks for.
fn parse(query: Option<&str>) -> Result<(String, String, Format), ApiError> {
    let (mut from, mut to, mut format) = (None, None, Format::Ndjson);
    let mut problems = Vec::new();
    let mut problem = |reference: &str, detail: &str| {
        problems.push(ErrorItem {
            reference: reference.to_owned(),
            detail: detail.to_owned(),
        })
    };
    for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "from" => match time_bound("from", &value, false) {
                Ok(bound) => from = Some(bound),
                Err(_) => problem("from", "must be a date (YYYY-MM-DD) or an RFC 3339 time"),
            },
            "to" => match time_bound("to", &value, true) {
                Ok(bound) => to = Some(bound),
                Err(_) => problem("to", "must be a date (YYYY-MM-DD) or an RFC 3339 time"),
            },
            "format" => match value.as_ref() {
                "ndjson" => format = Format::Ndjson,
                "csv" => format = Format::Csv,
                _ => problem("format", "must be ndjson or csv"),
            },
            _ => {}
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    Ok((
        from.unwrap_or_default(),
        // Past any stored time: every stored time starts with a digit.
        to.unwrap_or_else(|| "~".to_owned()),
        format,
    ))
}

/// GET /v1/audit/export
#[utoipa::path(get, path = "/v1/audit/export", tag = "audit",
    params(
        ("from" = Option<String>, Query, description = "A date (YYYY-MM-DD) or RFC 3339 time, inclusive; default the first row"),
        ("to" = Option<String>, Query, description = "A date (the whole day included) or RFC 3339 time (exclusive); default none: rows written while the export runs are included"),
        ("format" = Option<String>, Query, description = "ndjson (default): one AuditRecord per line; or csv"),
    ),
    responses(
        (status = 200, description = "Every audit row in the window, oldest first, with each screening's list snapshot, names screened, matches with their evidence and decisions, and the review decision with its approvers", content(
            (clearance_api::AuditRecord = "application/x-ndjson"),
            (String = "text/csv"),
        )),
        (status = 403, description = "Only an admin exports", body = clearance_api::ErrorEnvelope),
        (status = 422, body = clearance_api::ErrorEnvelope),
    ),
    security(("bearer" = [])))]
pub async fn export(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    caller.require(Permission::Export)?;
    let (from, to, format) = parse(query.as_deref())?;
    let (content_type, name) = match format {
        Format::Ndjson => ("application/x-ndjson", "clearance-audit.ndjson"),
        Format::Csv => ("text/csv; charset=utf-8", "clearance-audit.csv"),
    };
    let body = Body::from_stream(export::stream(state, from, to, format));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
