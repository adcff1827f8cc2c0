//! The customers, review, audit, EasyOFAC and compliance API, driven over HTTP against the real
//! `clearance serve` process with the real lists and a real SQLite file.

use clearance_testkit::{CLEAN, Client, DOB, LISTED, Options, Reply, SSN, Server, individual};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// This crate's own server binary, with the kit's defaults.
fn options() -> Options {
    Options::new(env!("CARGO_BIN_EXE_clearance"))
}

fn start() -> Server {
    Server::start(options())
}

fn id(customer: &Value) -> String {
    customer["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn keys_are_made_by_the_cli_and_checked_on_every_customer_endpoint() {
    let server = start();
    let key = server.key("viewer");
    assert!(
        key.starts_with("clr_") && key.len() == 68 && !key.contains(char::is_whitespace),
        "the CLI prints the key and only the key: {key:?}"
    );

    let anonymous = server.anonymous();
    let reply = anonymous.get("/v1/customers").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error_type(), "unauthorized");
    assert_eq!(reply.body["response_type"], "error");
    assert_eq!(reply.headers["www-authenticate"], "Bearer");
    let forged = Client {
        key: Some(format!("clr_{}", "0".repeat(64))),
        ..anonymous.clone()
    };
    assert_eq!(
        forged.get("/v1/customers").await.status,
        StatusCode::UNAUTHORIZED
    );

    let viewer = server.client("viewer");
    let analyst = server.client("analyst");
    let admin = server.client("admin");
    let created = analyst.create(&individual(CLEAN)).await;
    let path = format!("/v1/customers/{}", id(&created));
    assert_eq!(viewer.get(&path).await.status, StatusCode::OK);
    let refused = viewer.post("/v1/customers", &individual(CLEAN)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error_type(), "forbidden");
    assert_eq!(
        analyst.get(&format!("{path}/unmasked")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(analyst.delete(&path).await.status, StatusCode::FORBIDDEN);
    let unmasked = admin.get(&format!("{path}/unmasked")).await;
    assert_eq!(unmasked.status, StatusCode::OK);
    assert_eq!(unmasked.body["data"]["compliance_profile"]["ssn"], SSN);
    assert_eq!(unmasked.body["data"]["compliance_profile"]["dob"], DOB);
    assert_eq!(unmasked.headers["cache-control"], "no-store");

    let me = viewer.get("/v1/api_keys/current").await;
    assert_eq!(me.body["data"]["role"], "viewer");
    assert_eq!(me.body["data"]["permissions"], json!(["read"]));
    let me = admin.get("/v1/api_keys/current").await;
    assert_eq!(
        me.body["data"]["permissions"],
        json!([
            "read", "create", "write", "decide", "unmask", "delete", "reopen", "operate", "export"
        ])
    );

    // Public: no customer data, and the widget fetches the index without a key.
    for public in ["/v1/health", "/v1/watchlists", "/v1/openapi.json"] {
        assert_eq!(
            anonymous.get(public).await.status,
            StatusCode::OK,
            "{public}"
        );
    }
}

/// Every customer endpoint with the least role that may call it.
const ENDPOINTS: [(&str, &str, &str); 14] = [
    ("POST", "/v1/customers", "analyst"),
    ("GET", "/v1/customers", "viewer"),
    ("GET", "/v1/customers/{id}", "viewer"),
    ("PUT", "/v1/customers/{id}", "analyst"),
    ("DELETE", "/v1/customers/{id}", "admin"),
    ("GET", "/v1/customers/{id}/unmasked", "admin"),
    ("GET", "/v1/customers/{id}/events", "viewer"),
    ("GET", "/v1/customers/{id}/review", "viewer"),
    ("PATCH", "/v1/customers/{id}/review", "analyst"),
    ("PUT", "/v1/customers/{id}/refresh_review", "analyst"),
    ("POST", "/v1/customers/{id}/reopen", "admin"),
    ("GET", "/v1/compliance/status/{id}", "viewer"),
    ("GET", "/v1/easyofac/customers/{id}", "viewer"),
    ("POST", "/v1/easyofac/updateCustomerStatus", "analyst"),
];

const ROLES: [&str; 3] = ["viewer", "analyst", "admin"];

#[tokio::test]
async fn every_endpoint_answers_401_without_a_key_and_403_below_its_role() {
    let server = start();
    let customer = server.client("analyst").create(&individual(CLEAN)).await;
    let id = id(&customer);
    let clients: Vec<(&str, Client)> = ROLES.iter().map(|r| (*r, server.client(r))).collect();
    let anonymous = server.anonymous();
    for (method, template, least) in ENDPOINTS {
        let path = template.replace("{id}", &id);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body = match template {
            "/v1/customers" | "/v1/customers/{id}" => Some(individual(CLEAN)),
            "/v1/customers/{id}/review" => Some(json!({"status": "verified", "note": "n"})),
            "/v1/customers/{id}/reopen" => Some(json!({"note": "n"})),
            "/v1/easyofac/updateCustomerStatus" => Some(json!({"id": id, "status": "safe"})),
            _ => None,
        };
        let reply = anonymous
            .send(method.clone(), &path, body.as_ref(), &[])
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{method} {template}"
        );
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
        let below = ROLES.iter().position(|r| *r == least).unwrap();
        for (role, client) in &clients[..below] {
            let reply = client.send(method.clone(), &path, body.as_ref(), &[]).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{role} on {method} {template}: {}",
                reply.text
            );
            assert!(
                reply.body["error"]["detail"]
                    .as_str()
                    .unwrap()
                    .contains(least),
                "the refusal names the role needed: {}",
                reply.text
            );
        }
    }
}

#[tokio::test]
async fn a_revoked_key_is_refused_from_its_next_request() {
    let server = start();
    let viewer = server.client("viewer");
    let me = viewer.get("/v1/api_keys/current").await;
    assert_eq!(me.status, StatusCode::OK);
    let other = server.client("viewer");
    server.revoke(me.body["data"]["id"].as_str().unwrap());
    let refused = viewer.get("/v1/customers").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.error_type(), "unauthorized");
    assert_eq!(
        other.get("/v1/customers").await.status,
        StatusCode::OK,
        "only that key"
    );
}

#[tokio::test]
async fn create_screens_and_every_read_masks() {
    let server = start();
    let analyst = server.client("analyst");
    let clean = analyst.create(&individual(CLEAN)).await;
    assert_eq!(clean["status"], "verified");
    assert_eq!(clean["compliance_profile"]["ssn"], "***-**-****");
    assert_eq!(clean["compliance_profile"]["dob"], "****-**-**");
    let listed = analyst.create(&individual(LISTED)).await;
    assert_eq!(listed["status"], "review");

    let reads = [
        format!("/v1/customers/{}", id(&clean)),
        format!("/v1/customers/{}/review", id(&listed)),
        format!("/v1/customers/{}/events", id(&listed)),
        "/v1/customers?search_text=ext-ron".to_owned(),
        format!("/v1/compliance/status/{}", id(&clean)),
        format!("/v1/easyofac/customers/{}", id(&clean)),
    ];
    for path in reads {
        let reply = analyst.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
        assert!(
            !reply.text.contains(SSN) && !reply.text.contains(DOB),
            "{path} leaked PII: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn invalid_requests_get_straddle_errors_with_field_items() {
    let server = start();
    let analyst = server.client("analyst");
    let mut body = individual(CLEAN);
    body["email"] = json!("ron-at-pawnee");
    body["compliance_profile"]["ssn"] = json!("666-12-3456");
    body["address"]["zip"] = json!("4799");
    body.as_object_mut().unwrap().remove("device");
    let reply = analyst.post("/v1/customers", &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_type(), "validation_error");
    assert_eq!(
        reply.references(),
        [
            "email",
            "device.ip_address",
            "address.zip",
            "compliance_profile.ssn"
        ]
    );
    assert!(
        !reply.text.contains("666-12-3456"),
        "errors never echo values"
    );
    assert!(reply.body["meta"]["api_request_id"].is_string());

    let mut wrong_type = individual(CLEAN);
    wrong_type["type"] = json!("trust");
    let reply = analyst.post("/v1/customers", &wrong_type).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.references(), ["type"]);

    let reply = analyst
        .http
        .post(format!("{}/v1/customers", analyst.url))
        .bearer_auth(analyst.key.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request");

    let missing = analyst.get("/v1/customers/no-such-id").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_type(), "not_found");
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages_as_straddle_documents() {
    let server = start();
    let analyst = server.client("analyst");
    let people = [
        ("Ann Perkins", "ann@pawnee.com", "individual"),
        ("Leslie Knope", "leslie@pawnee.com", "individual"),
        ("Ben Wyatt", "ben@pawnee.com", "individual"),
        (LISTED, "vp@example.ru", "individual"),
    ];
    for (i, (name, email, kind)) in people.iter().enumerate() {
        let mut body = individual(name);
        body["email"] = json!(email);
        body["type"] = json!(kind);
        body["external_id"] = json!(format!("ext-{i}"));
        analyst.create(&body).await;
    }
    let rejected = analyst.create(&individual("Joaquin Guzman Loera")).await;
    assert_eq!(rejected["status"], "review");
    let decided = analyst
        .patch(
            &format!("/v1/customers/{}/review", id(&rejected)),
            &json!({"status": "rejected", "note": "the listed person"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    let business = json!({
        "type": "business", "name": "Very Good Building Co", "email": "info@vgb.com",
        "phone": "+13175550100", "device": {"ip_address": "0.0.0.0"},
        "compliance_profile": {"ein": "12-3456789", "legal_business_name": "Very Good Building Company LLC"},
    });
    analyst.create(&business).await;

    let names = |reply: &Reply| -> Vec<String> {
        reply.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = analyst
        .get("/v1/customers?sort_by=name&sort_order=asc&page_size=2&page_number=2")
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    assert_eq!(names(&all), ["Joaquin Guzman Loera", "Leslie Knope"]);
    let meta = &all.body["meta"];
    assert_eq!(meta["total_items"], 6);
    assert_eq!(meta["total_pages"], 3);
    assert_eq!(meta["page_number"], 2);
    assert_eq!(meta["page_size"], 2);
    assert_eq!(meta["max_page_size"], 1000);
    assert_eq!(meta["sort_by"], "name");
    assert_eq!(meta["sort_order"], "asc");
    assert_eq!(all.body["response_type"], "array");

    let newest = analyst.get("/v1/customers?page_size=1").await;
    let business_created = newest.body["data"][0]["created_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let today = business_created[..10].to_owned();
    let from_business = format!("created_from={}", business_created.replace('+', "%2B"));
    let from_today = format!("created_from={today}&created_to={today}");
    let individuals = vec![
        "Ann Perkins",
        "Ben Wyatt",
        "Joaquin Guzman Loera",
        "Leslie Knope",
        LISTED,
    ];
    let everyone = [individuals.clone(), vec!["Very Good Building Co"]].concat();
    let cases = [
        ("status=review", vec![LISTED]),
        (
            "status=review&status=rejected",
            vec!["Joaquin Guzman Loera", LISTED],
        ),
        (
            "status=rejected,review",
            vec!["Joaquin Guzman Loera", LISTED],
        ),
        (
            "status=verified&types=business",
            vec!["Very Good Building Co"],
        ),
        ("types=individual", individuals.clone()),
        ("types=business&types=individual", everyone.clone()),
        (from_today.as_str(), everyone.clone()),
        (from_business.as_str(), vec!["Very Good Building Co"]),
        ("types=business", vec!["Very Good Building Co"]),
        ("name=KNOP", vec!["Leslie Knope"]),
        ("email=BEN@pawnee.com", vec!["Ben Wyatt"]),
        ("external_id=ext-0", vec!["Ann Perkins"]),
        ("search_text=leslie", vec!["Leslie Knope"]),
        ("status=review&status=rejected&types[]=business", vec![]),
        ("created_from=2000-01-01&created_to=2000-12-31", vec![]),
    ];
    for (query, expected) in cases {
        let reply = analyst.get(&format!("/v1/customers?{query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.text);
        let (mut got, mut want) = (names(&reply), expected);
        got.sort();
        want.sort();
        assert_eq!(got, want, "{query}");
    }
    let newest_first = analyst.get("/v1/customers").await;
    assert_eq!(names(&newest_first)[0], "Very Good Building Co");

    let bad = analyst
        .get("/v1/customers?page_size=1001&status=approved")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.references(), ["page_size", "status"]);
}

#[tokio::test]
async fn updates_rescreen_only_when_identity_changes() {
    let server = start();
    let analyst = server.client("analyst");
    let customer = analyst.create(&individual(CLEAN)).await;
    let path = format!("/v1/customers/{}", id(&customer));

    let mut contact = individual(CLEAN);
    contact["email"] = json!("ron@veryprivate.com");
    let reply = analyst.put(&path, &contact).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["data"]["status"], "verified");

    let renamed = analyst.put(&path, &individual(LISTED)).await;
    assert_eq!(renamed.body["data"]["status"], "review");

    let mut decide = individual(LISTED);
    decide["status"] = json!("verified");
    let refused = analyst.put(&path, &decide).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.references(), ["status"]);

    let mut deactivate = individual(LISTED);
    deactivate["status"] = json!("inactive");
    let reply = analyst.put(&path, &deactivate).await;
    assert_eq!(reply.body["data"]["status"], "inactive");
    let mut reactivate = individual(CLEAN);
    reactivate["status"] = json!("pending");
    let reply = analyst.put(&path, &reactivate).await;
    assert_eq!(
        reply.body["data"]["status"], "review",
        "reactivating re-screens, and a customer deactivated in review comes back to review: only a \
         person takes it out, however clean the new screening"
    );

    let events = analyst.get(&format!("{path}/events")).await;
    let screened: Vec<bool> = events.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "updated")
        .map(|e| e["review_id"].is_string())
        .collect();
    assert_eq!(screened, [false, true, false, true]);
}

#[tokio::test]
async fn an_analyst_reviews_the_evidence_and_decides_once() {
    let server = start();
    let analyst = server.client("analyst");
    let listed = analyst.create(&individual(LISTED)).await;
    let path = format!("/v1/customers/{}", id(&listed));

    let review = analyst.get(&format!("{path}/review")).await;
    let details = &review.body["data"]["identity_details"];
    assert_eq!(details["decision"], "review");
    assert_eq!(details["breakdown"], json!({}), "no invented fraud modules");
    assert_eq!(details["kyc"]["decision"], "accept");
    assert_eq!(details["kyc"]["validations"]["ssn"], true);
    let watch_list = &details["watch_list"];
    assert_eq!(watch_list["decision"], "review");
    assert_eq!(watch_list["matched"], json!(["OFAC SDN"]));
    let first = &watch_list["matches"][0];
    assert_eq!(first["list_name"], "OFAC SDN");
    assert!(
        first["matched_name"]
            .as_str()
            .unwrap()
            .starts_with("PUTIN, Vladimir")
    );
    assert!(first["score"].as_f64().unwrap() >= 0.82);
    assert_ne!(first["correlation"], "low_confidence");
    assert!(
        first["match_fields"]
            .as_array()
            .unwrap()
            .contains(&json!("name"))
    );
    assert!(
        first["urls"][0]
            .as_str()
            .unwrap()
            .contains(first["entity_id"].as_str().unwrap())
    );
    let tokens = first["tokens"].as_array().unwrap();
    assert!(
        tokens
            .iter()
            .any(|t| t["customer_token"] == "putin" && t["list_token"] == "putin")
    );
    assert!(!first["entity"]["programs"].as_array().unwrap().is_empty());
    let review_id = details["review_id"].as_str().unwrap().to_owned();

    let not_a_decision = analyst
        .patch(&format!("{path}/review"), &json!({"status": "pending"}))
        .await;
    assert_eq!(not_a_decision.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_a_decision.references(), ["status"]);

    let decided = analyst
        .patch(
            &format!("{path}/review"),
            &json!({"status": "rejected", "note": "same person"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    assert_eq!(decided.body["data"]["status"], "rejected");
    let again = analyst
        .patch(&format!("{path}/review"), &json!({"status": "verified"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("already decided")
    );

    // A rejected customer stays rejected through a refresh, with the new screening recorded.
    let refreshed = analyst
        .send(Method::PUT, &format!("{path}/refresh_review"), None, &[])
        .await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.text);
    assert_eq!(refreshed.body["data"]["status"], "rejected");
    let review = analyst.get(&format!("{path}/review")).await;
    assert_ne!(
        review.body["data"]["identity_details"]["review_id"],
        review_id
    );

    // A customer verified by screening has nothing to decide.
    let clean = analyst.create(&individual(CLEAN)).await;
    let reply = analyst
        .patch(
            &format!("/v1/customers/{}/review", id(&clean)),
            &json!({"status": "rejected"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error_type(), "invalid_state");

    // Deciding on evidence a refresh replaced is refused.
    let other = analyst.create(&individual(LISTED)).await;
    let other_path = format!("/v1/customers/{}", id(&other));
    let old = analyst.get(&format!("{other_path}/review")).await.body["data"]["identity_details"]
        ["review_id"]
        .clone();
    analyst
        .send(
            Method::PUT,
            &format!("{other_path}/refresh_review"),
            None,
            &[],
        )
        .await;
    let stale = analyst
        .patch(
            &format!("{other_path}/review"),
            &json!({"status": "verified", "review_id": old}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn of_two_racing_decisions_exactly_one_applies() {
    let server = start();
    let analysts: Vec<_> = (0..8).map(|_| server.client("analyst")).collect();
    let listed = analysts[0].create(&individual(LISTED)).await;
    let path = format!("/v1/customers/{}/review", id(&listed));
    let tasks: Vec<_> = analysts
        .iter()
        .enumerate()
        .map(|(i, analyst)| {
            let analyst = analyst.clone();
            let path = path.clone();
            let status = if i % 2 == 0 { "verified" } else { "rejected" };
            tokio::spawn(async move { analyst.patch(&path, &json!({"status": status})).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        7,
        "{statuses:?}"
    );
    let events = analysts[0]
        .get(&format!("/v1/customers/{}/events", id(&listed)))
        .await;
    let decided = events.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "decided")
        .count();
    assert_eq!(decided, 1);
}

#[tokio::test]
async fn a_retried_request_returns_the_first_response_and_changes_nothing() {
    let server = start();
    let analyst = server.client("analyst");
    let headers = [
        ("Idempotency-Key", "create-ron-1"),
        ("Request-Id", "req-42"),
        ("Correlation-Id", "corr-7"),
    ];
    let body = individual(CLEAN);
    let first = analyst
        .send(Method::POST, "/v1/customers", Some(&body), &headers)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.headers["request-id"], "req-42");
    assert_eq!(first.headers["correlation-id"], "corr-7");
    let retry = analyst
        .send(Method::POST, "/v1/customers", Some(&body), &headers)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(
        retry.body, first.body,
        "the stored first response, request id and all"
    );
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    let list = analyst
        .get(&format!(
            "/v1/customers?external_id={}",
            body["external_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(list.body["meta"]["total_items"], 1);

    let different = individual(CLEAN);
    let conflict = analyst
        .send(Method::POST, "/v1/customers", Some(&different), &headers)
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(conflict.error_type(), "idempotency_conflict");

    // Keys are per API key: another caller's identical key is a different request.
    let other = server.client("analyst");
    let theirs = other
        .send(
            Method::POST,
            "/v1/customers",
            Some(&individual(CLEAN)),
            &headers,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.body["data"]["id"], first.body["data"]["id"]);

    // A retried decision replays its first answer instead of meeting its own 409.
    let listed = analyst.create(&individual(LISTED)).await;
    let review = format!("/v1/customers/{}/review", id(&listed));
    let decision = json!({"status": "verified", "note": "different person"});
    let decide = [("Idempotency-Key", "decide-1")];
    let first_decision = analyst
        .send(Method::PATCH, &review, Some(&decision), &decide)
        .await;
    let retried_decision = analyst
        .send(Method::PATCH, &review, Some(&decision), &decide)
        .await;
    assert_eq!(first_decision.status, StatusCode::OK);
    assert_eq!(retried_decision.status, StatusCode::OK);
    assert_eq!(retried_decision.body, first_decision.body);

    let events = analyst
        .get(&format!(
            "/v1/customers/{}/events",
            first.body["data"]["id"].as_str().unwrap()
        ))
        .await;
    let created = &events.body["data"][0];
    assert_eq!(created["action"], "created");
    assert_eq!(created["request_id"], "req-42");
    assert_eq!(created["correlation_id"], "corr-7");
    assert_eq!(
        created["api_request_id"],
        first.body["meta"]["api_request_id"]
    );
}

#[tokio::test]
async fn every_change_leaves_an_audit_row_and_deletion_keeps_them() {
    let server = start();
    let analyst = server.client("analyst");
    let admin = server.client("admin");
    let customer = analyst.create(&individual(LISTED)).await;
    let path = format!("/v1/customers/{}", id(&customer));
    analyst.put(&path, &individual(LISTED)).await;
    analyst
        .patch(
            &format!("{path}/review"),
            &json!({"status": "verified", "note": "different DOB"}),
        )
        .await;
    analyst
        .send(Method::PUT, &format!("{path}/refresh_review"), None, &[])
        .await;
    admin.get(&format!("{path}/unmasked")).await;
    let deleted = admin.delete(&path).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(
        deleted.body["data"]["compliance_profile"]["ssn"],
        "***-**-****"
    );
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);

    let events = analyst.get(&format!("{path}/events")).await;
    assert_eq!(
        events.status,
        StatusCode::OK,
        "the log outlives the customer"
    );
    let rows = events.body["data"].as_array().unwrap();
    let actions: Vec<&str> = rows.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "created",
            "updated",
            "decided",
            "suppressed",
            "refreshed",
            "unmasked",
            "deleted"
        ]
    );
    let transitions: Vec<(Value, Value)> = rows
        .iter()
        .map(|e| (e["status_before"].clone(), e["status_after"].clone()))
        .collect();
    assert_eq!(transitions[0], (Value::Null, json!("review")));
    assert_eq!(transitions[2], (json!("review"), json!("verified")));
    // The refresh finds the party the analyst cleared, unchanged: no alert (false-positive memory).
    assert_eq!(transitions[4], (json!("verified"), json!("verified")));
    assert_eq!(transitions[6], (json!("verified"), Value::Null));
    assert_eq!(rows[2]["note"], "different DOB");
    assert!(rows[2]["actor"].as_str().unwrap().contains("analyst"));
    assert!(
        rows[3]["note"]
            .as_str()
            .unwrap()
            .contains("previously cleared by")
    );
    assert_eq!(rows[5]["role"], "admin");
    assert_eq!(
        rows[5]["fields"],
        json!(["compliance_profile.dob", "compliance_profile.ssn"])
    );
    for row in rows {
        let text = row.to_string();
        assert!(!text.contains(SSN) && !text.contains("Putin"), "{text}");
    }

    // The erased customer's name is gone from the database files, not only from the API.
    let mut server = server;
    server.kill();
    assert_eq!(pii_in_database_files(&server, &["putin", "vladimir"]), None);
}

/// The database file, its WAL and its rollback journal, lowercased, as one text to search.
fn database_files_lowercase(server: &Server) -> String {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let mut path = server.db.clone().into_os_string();
        path.push(suffix);
        if let Ok(file) = std::fs::read(&path) {
            bytes.extend(file);
        }
    }
    String::from_utf8_lossy(&bytes.to_ascii_lowercase()).into_owned()
}

/// The first of `secrets` (compared lowercased) still in the database files, if any.
fn pii_in_database_files<'a>(server: &Server, secrets: &[&'a str]) -> Option<&'a str> {
    let text = database_files_lowercase(server);
    secrets
        .iter()
        .find(|s| text.contains(&s.to_lowercase()))
        .copied()
}

/// Every PII field of [`erasable`], as a test searches for it.
const ERASABLE_PII: [&str; 11] = [
    LISTED,
    "vladimir",
    "putin",
    "zq@quill.example",
    "+13125550199",
    "1953-03-04",
    "512-44-8891",
    "1 Feather Lane",
    "Quilltown",
    "203.0.113.77",
    "ext-zq-9",
];

/// A customer with a listed name, so screening stores a match naming it, and every other PII field
/// distinctive.
fn erasable() -> Value {
    json!({
        "type": "individual",
        "name": LISTED,
        "email": "zq@quill.example",
        "phone": "+13125550199",
        "device": {"ip_address": "203.0.113.77"},
        "address": {"address1": "1 Feather Lane", "city": "Quilltown", "state": "IN", "zip": "47998"},
        "compliance_profile": {"dob": "1953-03-04", "ssn": "512-44-8891"},
        "external_id": "ext-zq-9",
    })
}

#[tokio::test]
async fn erasure_leaves_no_pii_in_the_database_files() {
    let mut server = start();
    let admin = server.client("admin");
    let created = admin
        .send(
            Method::POST,
            "/v1/customers",
            Some(&erasable()),
            &[("Idempotency-Key", "erase-me")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let path = format!("/v1/customers/{}", id(&created.body["data"]));
    let review = admin.get(&format!("{path}/review")).await;
    assert!(
        !review.body["data"]["identity_details"]["watch_list"]["matches"]
            .as_array()
            .unwrap()
            .is_empty(),
        "a stored screening holds the name: {}",
        review.text
    );
    let trigrams = trigrams_in_text_index(&server.db, "putin");
    assert!(trigrams > 0, "the name is indexed before erasure");
    assert_eq!(
        pii_in_database_files(&server, &ERASABLE_PII),
        Some(LISTED),
        "the check can see stored PII"
    );
    assert_eq!(admin.delete(&path).await.status, StatusCode::OK);
    server.kill();
    assert_eq!(pii_in_database_files(&server, &ERASABLE_PII), None);
    assert_eq!(
        trigrams_in_text_index(&server.db, "putin"),
        0,
        "the name's trigrams are gone from the text index"
    );
}

/// How many of the trigrams of `word` the customers' text index still holds.
fn trigrams_in_text_index(db: &std::path::Path, word: &str) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, customers_text, 'row')",
    )
    .unwrap();
    let chars: Vec<char> = word.chars().collect();
    chars
        .windows(3)
        .filter(|w| {
            let term: String = w.iter().collect();
            conn.query_row(
                "SELECT count(*) FROM temp.vocab WHERE term = ?1",
                [term],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
                > 0
        })
        .count()
}

#[tokio::test]
async fn easyofac_vocabulary_is_a_view_over_the_same_state() {
    let server = start();
    let analyst = server.client("analyst");
    let mut body = individual(LISTED);
    body["external_id"] = json!("eo-1");
    analyst.create(&body).await;
    let status = |reply: &Reply| reply.body["data"]["customer_status"].clone();
    let view = analyst.get("/v1/easyofac/customers/eo-1").await;
    assert_eq!(status(&view), "inspect");
    assert_eq!(view.body["data"]["id"], "eo-1");
    assert_eq!(view.body["data"]["customer_kyc"], 1);

    let update = |to: &str| json!({"id": "eo-1", "status": to});
    let path = "/v1/easyofac/updateCustomerStatus";
    let safe_from_inspect = analyst.post(path, &update("safe")).await;
    assert_eq!(safe_from_inspect.status, StatusCode::CONFLICT);
    let exception = analyst.post(path, &update("exception")).await;
    assert_eq!(exception.status, StatusCode::OK, "{}", exception.text);
    assert_eq!(status(&exception), "exception");
    let customer = analyst.get("/v1/customers?external_id=eo-1").await;
    assert_eq!(customer.body["data"][0]["status"], "verified");
    let r#unsafe = analyst.post(path, &update("unsafe")).await;
    assert_eq!(status(&r#unsafe), "unsafe");
    // Back to safe re-screens; the listed name puts it back in inspect, as EasyOFAC describes.
    let safe = analyst.post(path, &update("safe")).await;
    assert_eq!(safe.status, StatusCode::OK, "{}", safe.text);
    assert_eq!(status(&safe), "inspect");

    let mut clean = individual(CLEAN);
    clean["external_id"] = json!("eo-2");
    analyst.create(&clean).await;
    assert_eq!(
        status(&analyst.get("/v1/easyofac/customers/eo-2").await),
        "safe"
    );
    let bad = analyst
        .post(path, &json!({"id": "eo-2", "status": "inspect"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn compliance_status_derives_its_checks_from_the_customer() {
    let server = start();
    let analyst = server.client("analyst");
    let clean = analyst.create(&individual(CLEAN)).await;
    let reply = analyst
        .get(&format!("/v1/compliance/status/{}", id(&clean)))
        .await;
    let data = &reply.body["data"];
    assert_eq!(data["isCompliant"], true, "{}", reply.text);
    assert_eq!(data["onboardingStatus"], "APPROVED");
    assert_eq!(data["nextAction"], "NONE");
    assert_eq!(data["summary"]["failed"], 0);
    assert_eq!(
        reply.body["message"],
        "Compliance status retrieved successfully"
    );
    assert!(reply.body["traceId"].is_string());

    let mut thin = individual(LISTED);
    thin.as_object_mut().unwrap().remove("compliance_profile");
    let listed = analyst.create(&thin).await;
    let reply = analyst
        .get(&format!("/v1/compliance/status/{}", id(&listed)))
        .await;
    let data = &reply.body["data"];
    assert_eq!(data["isCompliant"], false);
    assert_eq!(data["onboardingStatus"], "PROCESSING");
    assert_eq!(data["nextAction"], "UPDATE_PROFILE");
    assert_eq!(
        data["summary"]["requiredFailed"],
        json!(["KYC_DATA_PRESENT", "KYC_STATUS"])
    );
    let status_check = data["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "KYC_STATUS")
        .unwrap();
    assert_eq!(status_check["suggestedAction"], "WAIT");
}

#[tokio::test]
async fn processing_methods_and_sandbox_outcomes_behave_as_the_reference() {
    let server = start();
    let analyst = server.client("analyst");
    let mut skip = individual(LISTED);
    skip["config"] = json!({"processing_method": "skip"});
    let skipped = analyst.create(&skip).await;
    assert_eq!(skipped["status"], "pending");
    let review = analyst
        .get(&format!("/v1/customers/{}/review", id(&skipped)))
        .await;
    assert!(review.body["data"]["identity_details"].is_null());
    let refreshed = analyst
        .send(
            Method::PUT,
            &format!("/v1/customers/{}/refresh_review", id(&skipped)),
            None,
            &[],
        )
        .await;
    assert_eq!(refreshed.body["data"]["status"], "review");

    let mut background = individual(LISTED);
    background["config"] = json!({"processing_method": "background"});
    let queued = analyst.create(&background).await;
    assert_eq!(queued["status"], "pending");
    let path = format!("/v1/customers/{}", id(&queued));
    let done = server.wait_for_log("background screening done");
    assert!(done.contains(&id(&queued)), "{done}");
    let status = analyst.get(&path).await.body["data"]["status"].clone();
    assert_eq!(status, "review", "background screening finished");

    let mut forced = individual(CLEAN);
    forced["config"] = json!({"sandbox_outcome": "review"});
    let refused = analyst.post("/v1/customers", &forced).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.references(), ["config.sandbox_outcome"]);
    drop(server);

    let sandbox = Server::start(Options {
        extra: vec!["--sandbox".into(), "--rate-limit".into(), "0".into()],
        ..options()
    });
    let analyst = sandbox.client("analyst");
    assert_eq!(analyst.create(&forced).await["status"], "review");
    let mut rejected = individual(CLEAN);
    rejected["config"] = json!({"sandbox_outcome": "rejected"});
    assert_eq!(analyst.create(&rejected).await["status"], "rejected");
}

#[tokio::test]
async fn each_key_is_rate_limited_with_retry_after() {
    // One request per 1,000 s: nothing refills while the test runs, however slow the machine.
    let server = Server::start(Options {
        extra: vec![
            "--rate-limit".into(),
            "0.001".into(),
            "--rate-burst".into(),
            "2".into(),
        ],
        ..options()
    });
    let viewer = server.client("viewer");
    let other = server.client("viewer");
    assert_eq!(viewer.get("/v1/customers").await.status, StatusCode::OK);
    assert_eq!(viewer.get("/v1/customers").await.status, StatusCode::OK);
    let limited = viewer.get("/v1/customers").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_type(), "rate_limited");
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((990..=1000).contains(&wait), "{wait}");
    assert_eq!(
        other.get("/v1/customers").await.status,
        StatusCode::OK,
        "per key"
    );
}

#[tokio::test]
async fn pii_never_reaches_the_log() {
    let mut server = start();
    let admin = server.client("admin");
    let customer = admin.create(&erasable()).await;
    let path = format!("/v1/customers/{}", id(&customer));
    admin.get(&format!("{path}/unmasked")).await;
    admin.get(&format!("{path}/review")).await;
    admin
        .get("/v1/customers?name=Putin&email=zq@quill.example&search_text=ext-zq-9")
        .await;
    let lookup = admin.get("/v1/easyofac/customers/ext-zq-9").await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.text);
    let mut invalid = erasable();
    invalid["compliance_profile"]["ssn"] = json!("666-12-3456");
    let rejected = admin.post("/v1/customers", &invalid).await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut wrong_type = erasable();
    wrong_type["compliance_profile"]["dob"] = json!(3);
    admin.post("/v1/customers", &wrong_type).await;
    admin.put(&path, &erasable()).await;
    server.kill();
    let log = server.log_text().to_lowercase();
    assert!(
        log.contains("/v1/customers") && log.contains("/v1/easyofac/customers/{id}"),
        "the log names routes: {log}"
    );
    for secret in ERASABLE_PII.iter().chain(&["666-12-3456", "666123456"]) {
        assert!(
            !log.contains(&secret.to_lowercase()),
            "{secret} in the log:\n{log}"
        );
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_mid_load() {
    let mut server = start();
    let analyst = server.client("analyst");
    let db = server.db.clone();
    const CREATES: usize = 1000;
    let (done, mut results) = tokio::sync::mpsc::unbounded_channel();
    for i in 0..CREATES {
        let (analyst, done) = (analyst.clone(), done.clone());
        tokio::spawn(async move {
            let id = async {
                let mut body = individual(if i % 10 == 0 { LISTED } else { CLEAN });
                body["external_id"] = json!(format!("load-{i}"));
                let request = analyst
                    .http
                    .post(format!("{}/v1/customers", analyst.url))
                    .bearer_auth(analyst.key.as_ref().unwrap())
                    .json(&body)
                    .send()
                    .await;
                match request {
                    Ok(response) if response.status() == StatusCode::CREATED => response
                        .json::<Value>()
                        .await
                        .ok()
                        .map(|v| v["data"]["id"].as_str().unwrap().to_owned()),
                    _ => None,
                }
            }
            .await;
            done.send(id).ok();
        });
    }
    drop(done);
    // Kill the moment the 50th create is acknowledged, in the order they complete, while the rest are in
    // flight.
    let mut acknowledged = Vec::new();
    while let Some(id) = results.recv().await {
        acknowledged.extend(id);
        if acknowledged.len() == 50 {
            server.kill();
        }
    }
    assert!(
        (50..CREATES).contains(&acknowledged.len()),
        "the kill landed mid-load: {} of {CREATES} acknowledged",
        acknowledged.len()
    );

    let restarted = Server::start(Options {
        db: Some(db.clone()),
        ..options()
    });
    let reader = restarted.client("viewer");
    for id in &acknowledged {
        let reply = reader.get(&format!("/v1/customers/{id}")).await;
        assert_eq!(reply.status, StatusCode::OK, "acknowledged {id} was lost");
        let events = reader.get(&format!("/v1/customers/{id}/events")).await;
        assert_eq!(events.body["data"][0]["action"], "created");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let (stored, without_created): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
                 SELECT 1 FROM events e WHERE e.customer_id = c.id AND e.action = 'created'))
             FROM customers c",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(stored as usize >= acknowledged.len());
    assert_eq!(
        without_created, 0,
        "every stored customer has its created row"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let server = start();
    let document = server.anonymous().get("/v1/openapi.json").await.body;
    let paths = document["paths"].as_object().unwrap();
    for (path, method) in [
        ("/v1/customers", "post"),
        ("/v1/customers", "get"),
        ("/v1/customers/{id}", "get"),
        ("/v1/customers/{id}", "put"),
        ("/v1/customers/{id}", "delete"),
        ("/v1/customers/{id}/unmasked", "get"),
        ("/v1/customers/{id}/review", "get"),
        ("/v1/customers/{id}/review", "patch"),
        ("/v1/customers/{id}/refresh_review", "put"),
        ("/v1/customers/{id}/reopen", "post"),
        ("/v1/customers/{id}/events", "get"),
        ("/v1/compliance/status/{customerId}", "get"),
        ("/v1/api_keys/current", "get"),
        ("/v1/easyofac/customers/{id}", "get"),
        ("/v1/easyofac/updateCustomerStatus", "post"),
        ("/v1/watchlists", "get"),
        ("/v1/watchlists/index", "get"),
        ("/v1/watchlists/versions", "get"),
        ("/v1/watchlists/versions/{version}/entries/{entry}", "get"),
        ("/v1/watchlists/refresh", "post"),
        ("/v1/watchlists/jobs/{id}", "get"),
    ] {
        assert!(paths[path].get(method).is_some(), "{method} {path}");
    }
    assert!(document["components"]["schemas"]["WatchListMatch"].is_object());
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn pii_is_encrypted_at_rest_and_a_key_rotation_keeps_it_readable() {
    let mut server = start();
    let admin = server.client("admin");
    let listed = admin.create(&individual(LISTED)).await;
    let path = format!("/v1/customers/{}", id(&listed));
    let business = admin
        .create(&json!({
            "type": "business", "name": "Very Good Building Co", "email": "info@vgb.com",
            "phone": "+13175550100", "device": {"ip_address": "192.0.2.1"},
            "compliance_profile": {"ein": "12-3456789", "legal_business_name": "Very Good Building Company"},
        }))
        .await;
    let moved = admin
        .put(&path, &json!({"compliance_profile": {"dob": "1953-05-07"}}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let unmasked = admin.get(&format!("{path}/unmasked")).await;
    assert_eq!(unmasked.body["data"]["compliance_profile"]["ssn"], SSN);
    let review = admin.get(&format!("{path}/review")).await;
    assert!(
        !review.body["data"]["identity_details"]["watch_list"]["matches"]
            .as_array()
            .unwrap()
            .is_empty(),
        "screening still reads the date of birth"
    );

    let hook = admin
        .post(
            "/v1/webhooks",
            &json!({"url": "http://127.0.0.1:9/hook", "events": ["customer.event.v1"]}),
        )
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{}", hook.text);
    let key_file = server.db.with_extension("key");
    let rotation = std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args(["keys", "rotate-data-key", "--db"])
        .arg(&server.db)
        .arg("--data-key-file")
        .arg(&key_file)
        .output()
        .unwrap();
    assert!(rotation.status.success(), "{rotation:?}");
    let said = String::from_utf8_lossy(&rotation.stderr);
    assert!(
        said.contains("2 profiles and 1 webhook signing secrets re-encrypted"),
        "{said}"
    );
    let after = admin.get(&format!("{path}/unmasked")).await;
    assert_eq!(after.body["data"]["compliance_profile"]["ssn"], SSN);
    assert_eq!(
        after.body["data"]["compliance_profile"]["dob"],
        "1953-05-07"
    );
    let ein = admin
        .get(&format!("/v1/customers/{}/unmasked", id(&business)))
        .await;
    assert_eq!(ein.body["data"]["compliance_profile"]["ein"], "12-3456789");

    server.kill();
    let keys: i64 = rusqlite::Connection::open(&server.db)
        .unwrap()
        .query_row(
            "SELECT count(DISTINCT pii_key) FROM customers WHERE pii IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(keys, 1, "every profile is under the new key");
    let under_other_keys: i64 = rusqlite::Connection::open(&server.db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM webhooks
             WHERE secret_key != (SELECT DISTINCT pii_key FROM customers WHERE pii IS NOT NULL)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        under_other_keys, 0,
        "the webhook's secret is under the new key too"
    );
    assert_eq!(
        pii_in_database_files(
            &server,
            &[
                SSN,
                "512448890",
                DOB,
                "1953-05-07",
                "12-3456789",
                "123456789"
            ]
        ),
        None
    );
}

#[tokio::test]
async fn an_easyofac_shaped_call_moves_inspect_to_exception_and_answers_the_bare_object() {
    let mut server = start();
    let analyst = server.client("analyst");
    let mut body = individual(LISTED);
    body["external_id"] = json!("eo-form");
    assert_eq!(analyst.create(&body).await["status"], "review");
    let key = analyst.key.clone().unwrap();
    let url = format!("{}/api/updateCustomerStatus", server.url);
    let post_form = |params: &[(&str, &str)]| analyst.http.post(&url).form(params).send();
    let reply = post_form(&[
        ("api_key", key.as_str()),
        ("id", "eo-form"),
        ("status", "exception"),
    ])
    .await
    .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let object: Value = reply.json().await.unwrap();
    assert_eq!(object["id"], "eo-form", "{object}");
    assert_eq!(object["customer_status"], "exception");
    assert_eq!(object["customer_kyc"], 1);
    assert!(object["customer_datetime"].is_string());
    assert!(object.get("data").is_none(), "bare, not enveloped");
    let by_query = analyst
        .http
        .get(format!("{url}?api_key={key}&id=eo-form&status=unsafe"))
        .send()
        .await
        .unwrap();
    let object: Value = by_query.json().await.unwrap();
    assert_eq!(object["customer_status"], "unsafe");
    let viewer = server.key("viewer");
    let refused = post_form(&[
        ("api_key", viewer.as_str()),
        ("id", "eo-form"),
        ("status", "safe"),
    ])
    .await
    .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let header_only = analyst
        .http
        .post(&url)
        .bearer_auth(&key)
        .form(&[("id", "eo-form"), ("status", "safe")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        header_only.status(),
        StatusCode::UNAUTHORIZED,
        "this shape takes the key as a parameter"
    );
    server.kill();
    let log = server.log_text();
    assert!(log.contains("/api/updateCustomerStatus"), "{log}");
    assert!(
        !log.contains(&key) && !log.contains(&key[4..20]),
        "the key reached the log"
    );
}

#[test]
fn a_database_url_the_server_does_not_speak_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (url, says) in [
        ("postgres://clearance@127.0.0.1/clearance", "PostgreSQL"),
        ("mysql://127.0.0.1/clearance", "mysql://"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
            .current_dir(dir.path())
            .args(["serve", "--db", url, "--addr", "127.0.0.1:0"])
            .output()
            .unwrap();
        assert!(!output.status.success(), "{url}: {output:?}");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains(says) && said.contains("--db"), "{said}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file or folder was created"
    );
}
