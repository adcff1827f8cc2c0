//! What every operation can answer, and the headers every request may carry: declared here once, from
//! how the HTTP layer behaves, rather than repeated on each handler.
//!
//! - Every request may send `Request-Id` and `Correlation-Id`; a malformed one gets 400.
//! - Every write (POST, PUT, PATCH, DELETE under /v1) but a list refresh takes `Idempotency-Key`; a key
//!   reused for another request gets 409.
//! - A request past the request timeout gets 408.
//! - An operation that takes the bearer key, even optionally, may get 401, 403 (a role short of it, or a
//!   publishable key away from its origins) and 429 (the key's rate limit, the client address's
//!   failed-authentication limit, or its limit for publishable keys).
//! - A path with an id may get 404; a body may get 400 (not JSON), 413 (too large) and 422; a
//!   query may get 422.

use serde_json::{Map, Value, json};

use super::patterns;
use crate::http::request::MAX_HEADER_ID;

/// Operation ids by method and path: unique, and named for what they do.
const OPERATIONS: &[(&str, &str, &str)] = &[
    ("post", "/v1/customers", "createCustomer"),
    ("get", "/v1/customers", "listCustomers"),
    ("get", "/v1/customers/{id}", "getCustomer"),
    ("put", "/v1/customers/{id}", "updateCustomer"),
    ("delete", "/v1/customers/{id}", "deleteCustomer"),
    ("get", "/v1/customers/{id}/unmasked", "getCustomerUnmasked"),
    ("get", "/v1/customers/{id}/events", "listCustomerEvents"),
    ("get", "/v1/customers/{id}/review", "getCustomerReview"),
    ("patch", "/v1/customers/{id}/review", "decideCustomerReview"),
    (
        "put",
        "/v1/customers/{id}/refresh_review",
        "refreshCustomerReview",
    ),
    ("post", "/v1/customers/{id}/reopen", "reopenCustomer"),
    (
        "patch",
        "/v1/customers/{id}/review/matches/{match_id}",
        "decideCustomerReviewMatch",
    ),
    (
        "post",
        "/v1/customers/{id}/review/assign",
        "assignCustomerReview",
    ),
    (
        "get",
        "/v1/compliance/status/{customerId}",
        "getComplianceStatus",
    ),
    ("get", "/v1/api_keys/current", "getCurrentApiKey"),
    ("get", "/v1/easyofac/customers/{id}", "getEasyOfacCustomer"),
    (
        "post",
        "/v1/easyofac/updateCustomerStatus",
        "updateEasyOfacCustomerStatus",
    ),
    (
        "get",
        "/api/updateCustomerStatus",
        "easyOfacUpdateCustomerStatusByQuery",
    ),
    (
        "post",
        "/api/updateCustomerStatus",
        "easyOfacUpdateCustomerStatusByForm",
    ),
    ("get", "/v1/health", "getHealth"),
    ("get", "/v1/watchlists", "listWatchlists"),
    ("get", "/v1/watchlists/index", "getWatchlistIndex"),
    (
        "get",
        "/v1/watchlists/index/names",
        "getWatchlistNamesIndex",
    ),
    ("get", "/v1/watchlists/versions", "listWatchlistVersions"),
    (
        "get",
        "/v1/watchlists/versions/{version}/entries/{entry}",
        "getWatchlistEntry",
    ),
    ("post", "/v1/watchlists/refresh", "refreshWatchlists"),
    ("get", "/v1/watchlists/jobs/{id}", "getWatchlistJob"),
    ("get", "/v1/audit/export", "exportAuditLog"),
    ("post", "/v1/webhooks", "createWebhook"),
    (
        "get",
        "/v1/webhooks/{id}/deliveries",
        "listWebhookDeliveries",
    ),
];

/// The operations a new customer's id leads to, for clients and stateful fuzzers that follow links.
const FROM_CREATED: &[(&str, &str, &str)] = &[
    ("GetCustomer", "getCustomer", "id"),
    ("UpdateCustomer", "updateCustomer", "id"),
    ("DeleteCustomer", "deleteCustomer", "id"),
    ("GetCustomerUnmasked", "getCustomerUnmasked", "id"),
    ("ListCustomerEvents", "listCustomerEvents", "id"),
    ("GetCustomerReview", "getCustomerReview", "id"),
    ("DecideCustomerReview", "decideCustomerReview", "id"),
    ("RefreshCustomerReview", "refreshCustomerReview", "id"),
    ("ReopenCustomer", "reopenCustomer", "id"),
    ("GetComplianceStatus", "getComplianceStatus", "customerId"),
    ("GetEasyOfacCustomer", "getEasyOfacCustomer", "id"),
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

pub fn apply(document: &mut Value) {
    document["security"] = json!([{"bearer": []}]);
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            if let Some(operation) = item.get_mut(*method) {
                declare(path, method, operation);
            }
        }
    }
    if let Some(created) = document.pointer_mut("/paths/~1v1~1customers/post/responses/201") {
        created["links"] = links();
    }
}

fn declare(path: &str, method: &str, operation: &mut Value) {
    if let Some((_, _, id)) = OPERATIONS
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
    {
        operation["operationId"] = json!(id);
    }
    let schemes = operation
        .get("security")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if schemes.is_empty() {
        operation["security"] = json!([]);
    }
    let parameters = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let has_path = parameters.iter().any(|p| p["in"] == "path");
    let has_query = parameters.iter().any(|p| p["in"] == "query");
    let mut headers = vec![
        header("Request-Id", "Echoed back as Request-Id."),
        header("Correlation-Id", "Echoed back as Correlation-Id."),
    ];
    // A list refresh needs no key: repeating it finds the lists in force and changes nothing.
    let writes =
        method != "get" && path.starts_with("/v1/") && !path.starts_with("/v1/watchlists/");
    if writes {
        headers.push(header(
            "Idempotency-Key",
            "A retry with the same key and the same JSON (formatting aside) answers as the first \
             request did and changes nothing; the key with another request gets 409.",
        ));
    }
    let mut parameters = parameters;
    parameters.extend(headers);
    operation["parameters"] = Value::Array(parameters);

    let body = operation.get("requestBody").is_some();
    let mut codes: Vec<(u16, &str)> = vec![
        (400, "A malformed header, or a body that is not JSON"),
        (
            408,
            "The request took longer than the server's request timeout",
        ),
    ];
    // EasyOFAC's own call shape takes its key as the `api_key` parameter and answers like a write.
    let easyofac_form = path == "/api/updateCustomerStatus";
    if easyofac_form {
        codes.push((404, "No customer with this id or external_id"));
        codes.push((
            409,
            "A move EasyOFAC does not allow from the customer's state",
        ));
    }
    let keyed = easyofac_form || schemes.iter().any(|s| s.get("bearer").is_some());
    if keyed {
        codes.push((401, "No API key, or one that is not valid"));
        codes.push((
            403,
            "The key's role may not do this, or a publishable key is used from an origin not its own",
        ));
        codes.push((
            429,
            "Over the key's rate limit, or too many failed authentications from this address; see Retry-After",
        ));
    }
    if has_path {
        codes.push((
            404,
            if path.starts_with("/v1/watchlists/jobs/") {
                "No list update job with this id"
            } else if path.starts_with("/v1/watchlists/versions/") {
                "No such list version, or no such entry in it"
            } else {
                "No customer with this id"
            },
        ));
    }
    if body {
        codes.push((413, "The body is larger than 2 MiB"));
        codes.push((422, "Invalid fields, each named in error.items"));
    }
    if has_query {
        codes.push((422, "Invalid parameters, each named in error.items"));
    }
    if writes {
        codes.push((409, "The Idempotency-Key was first used with another request, or the customer's state does not allow this"));
    }
    let responses = operation["responses"]
        .as_object_mut()
        .expect("utoipa declares responses");
    for (code, description) in codes {
        responses
            .entry(code.to_string())
            .or_insert_with(|| error_response(description));
    }
    for response in responses.values_mut() {
        if response["description"] == "" {
            response["description"] = json!("See the error's detail");
        }
    }
}

fn header(name: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "header",
        "required": false,
        "description": description,
        "schema": {
            "type": "string", "minLength": 1, "maxLength": MAX_HEADER_ID, "pattern": patterns::HEADER_ID,
        },
    })
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}},
    })
}

fn links() -> Value {
    let mut links = Map::new();
    for (name, operation, parameter) in FROM_CREATED {
        links.insert(
            (*name).to_owned(),
            json!({
                "operationId": operation,
                "parameters": {(*parameter): "$response.body#/data/id"},
            }),
        );
    }
    Value::Object(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_unique_id() {
        let document =
            crate::http::openapi::document(crate::domain::validate::Mode::Production, "2026-12-01");
        let mut ids = Vec::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let id = operation["operationId"].as_str().unwrap().to_owned();
                assert!(
                    OPERATIONS
                        .iter()
                        .any(|(m, p, i)| m == method && p == path && *i == id),
                    "{method} {path} has no entry in OPERATIONS"
                );
                ids.push(id);
            }
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "operation ids repeat");
        assert_eq!(count, OPERATIONS.len());
    }
}
